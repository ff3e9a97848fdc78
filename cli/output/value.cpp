// Rendering the result model as JSON and as text cells.
#include "value.hpp"

#include <numctl/json.hpp>

namespace numctl::cli {

Value::Value(const std::vector<std::string>& texts) {
  List list;
  list.reserve(texts.size());
  for (const auto& t : texts) list.emplace_back(t);
  data_ = std::move(list);
}

Value Value::json_text(std::string text) {
  Value v;
  v.data_ = JsonText{std::move(text)};
  return v;
}

void Value::append_json(std::string& out) const {
  switch (data_.index()) {
    case 0: out += "null"; break;
    case 1: json::append_string(out, std::get<1>(data_)); break;
    case 2: out += std::to_string(std::get<2>(data_)); break;
    case 3: out += std::get<3>(data_) ? "true" : "false"; break;
    case 4: {
      out += '[';
      const auto& list = std::get<4>(data_);
      for (std::size_t i = 0; i < list.size(); ++i) {
        if (i) out += ',';
        list[i].append_json(out);
      }
      out += ']';
      break;
    }
    case 5: {
      out += '{';
      const auto& record = std::get<5>(data_);
      for (std::size_t i = 0; i < record.size(); ++i) {
        if (i) out += ',';
        json::append_string(out, record[i].first);
        out += ':';
        record[i].second.append_json(out);
      }
      out += '}';
      break;
    }
    case 6: out += std::get<6>(data_).text; break;
  }
}

std::string Value::json() const {
  std::string out;
  append_json(out);
  return out;
}

std::string Value::text() const {
  switch (data_.index()) {
    case 0: return "";
    case 1: return std::get<1>(data_);
    case 2: return std::to_string(std::get<2>(data_));
    case 3: return std::get<3>(data_) ? "true" : "false";
    case 4: {
      std::string out;
      for (const auto& item : std::get<4>(data_)) out += (out.empty() ? "" : ",") + item.text();
      return out;
    }
    default: return json();
  }
}

const Value& Value::operator[](std::string_view key) const {
  static const Value null;
  if (const auto* record = std::get_if<Record>(&data_))
    for (const auto& [name, value] : *record)
      if (name == key) return value;
  return null;
}

void write_json_list(Format format, const List& items) {
  std::string out = format == Format::ndjson ? "" : "[";
  for (std::size_t i = 0; i < items.size(); ++i) {
    if (format != Format::ndjson && i) out += ',';
    items[i].append_json(out);
    if (format == Format::ndjson) out += '\n';
  }
  if (format != Format::ndjson) out += "]\n";
  Out::write(out);
}

void write_json_line(const Value& value) { Out::write(value.json() + "\n"); }

}  // namespace numctl::cli
