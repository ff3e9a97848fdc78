// The row reader of rows.hpp: CSV by header, JSON arrays and NDJSON by key.
#include "util/rows.hpp"
#include "util/csv.hpp"
#include "numctl/error.hpp"
#include "numctl/text.hpp"

#include <nlohmann/json.hpp>

#include <algorithm>

namespace numctl::rows {
namespace {

std::string column_list(const Schema& schema) {
  std::string out;
  for (auto name : schema.columns) out += (out.empty() ? "" : ", ") + std::string(name);
  return out;
}

std::optional<std::size_t> column_named(const Schema& schema, std::string_view name) {
  auto it = std::find(schema.columns.begin(), schema.columns.end(), name);
  if (it == schema.columns.end()) return std::nullopt;
  return static_cast<std::size_t>(it - schema.columns.begin());
}

// Problems are ordered by their row's position, so that those a sink adds itself (checks of
// what the row says) fall in line with these.
void finish(Sink& sink, Batch& problems, std::size_t position, const std::string& where) {
  if (auto problem = sink.end()) problems.add(invalid(where + ": " + *problem), position);
}

void read_csv(std::string_view content, const Schema& schema, Sink& sink, Batch& problems) {
  std::vector<std::size_t> columns;
  bool header_read = false;
  const std::string required(schema.required);
  csv::for_each_record(content, [&](std::size_t line, std::span<const std::string_view> fields) {
    if (!header_read) {
      header_read = true;
      std::vector<std::string> header;
      for (auto name : fields) header.push_back(text::lower(text::trim(name)));
      if (std::find(header.begin(), header.end(), required) == header.end())
        fail(ErrorCategory::invalid_input,
             "line 1: the header has no '" + required + "' column (columns: " + column_list(schema) + ")");
      for (const auto& name : header) {
        auto column = column_named(schema, name);
        if (!column) fail(ErrorCategory::invalid_input, "line 1: " + schema.unknown_column(name));
        if (std::find(columns.begin(), columns.end(), *column) != columns.end())
          fail(ErrorCategory::invalid_input, "line 1: the column '" + name + "' is named twice");
        columns.push_back(*column);
      }
      return;
    }
    if (fields.size() != columns.size()) {
      problems.add(invalid("line " + std::to_string(line) + ": " + std::to_string(fields.size()) + " fields, the header has " +
                           std::to_string(columns.size())),
                   line);
      return;
    }
    sink.begin(line);
    for (std::size_t i = 0; i < fields.size(); ++i) sink.cell(columns[i], unmark_csv_cell(text::trim(fields[i])));
    finish(sink, problems, line, "line " + std::to_string(line));
  });
  if (!header_read)
    fail(ErrorCategory::invalid_input,
         "the " + std::string(schema.noun) + " file is empty (expected a header row with '" + required + "')");
}

void read_object(const nlohmann::json& object, std::size_t position, const std::string& where, const Schema& schema, Sink& sink,
                 Batch& problems) {
  if (!object.is_object()) {
    problems.add(invalid(where + ": expected an object like {\"" + std::string(schema.required) + "\": \"+49 30 123456\"}"),
                 position);
    return;
  }
  // Every key is checked before the row is handed on: a row is taken whole or not at all.
  for (const auto& [key, value] : object.items()) {
    if (!column_named(schema, key)) {
      problems.add(invalid(where + ": " + schema.unknown_column(key)), position);
      return;
    }
    if (!value.is_null() && !value.is_string() && !(schema.numbers_as_text && value.is_number())) {
      problems.add(invalid(where + ": '" + key + "' must be a " + (schema.numbers_as_text ? "string or a number" : "string")),
                   position);
      return;
    }
  }
  sink.begin(position);
  std::string text;
  for (const auto& [key, value] : object.items()) {
    if (value.is_string())
      text = value.get_ref<const std::string&>();
    else if (value.is_number())
      text = value.dump();
    else
      text.clear();
    sink.cell(*column_named(schema, key), text);
  }
  finish(sink, problems, position, where);
}

}  // namespace

std::string_view unmark_csv_cell(std::string_view cell) {
  if (cell.size() >= 2 && cell[0] == '\'' && std::string_view("=+-@").find(cell[1]) != std::string_view::npos)
    cell.remove_prefix(1);
  return cell;
}

void read(std::string_view content, ImportFormat format, const Schema& schema, Sink& sink, Batch& problems) {
  if (content.starts_with("\xEF\xBB\xBF")) content.remove_prefix(3);
  if (format == ImportFormat::csv) return read_csv(content, schema, sink, problems);
  if (format == ImportFormat::json) {
    nlohmann::json document;
    try {
      document = nlohmann::json::parse(content);
    } catch (const nlohmann::json::exception& error) {  // parse_error, and out_of_range for huge numbers
      fail(ErrorCategory::invalid_input, std::string("invalid JSON: ") + error.what());
    }
    if (!document.is_array())
      fail(ErrorCategory::invalid_input, "a JSON " + std::string(schema.noun) + " must be an array of objects");
    for (std::size_t i = 0; i < document.size(); ++i)
      read_object(document[i], i, "index " + std::to_string(i), schema, sink, problems);
    return;
  }
  std::size_t line = 0;
  for (const auto& text_line : text::split(content, '\n')) {
    ++line;
    std::string_view l = text::trim(text_line);
    if (l.empty()) continue;
    nlohmann::json object;
    try {
      object = nlohmann::json::parse(l);
    } catch (const nlohmann::json::exception&) {
      problems.add(invalid("line " + std::to_string(line) + ": invalid JSON"), line);
      continue;
    }
    read_object(object, line, "line " + std::to_string(line), schema, sink, problems);
  }
}

}  // namespace numctl::rows
