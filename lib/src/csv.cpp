// RFC 4180 CSV reading and field quoting.
#include "csv.hpp"
#include "numctl/error.hpp"

namespace numctl::csv {

std::vector<Row> parse_rows(std::string_view s) {
  if (s.starts_with("\xEF\xBB\xBF")) s.remove_prefix(3);
  std::vector<Row> rows;
  Row row;
  std::string field;
  std::size_t line = 1;
  row.line = 1;
  bool in_quotes = false, field_started = false, any = false;
  auto end_field = [&] {
    row.fields.push_back(std::move(field));
    field.clear();
    field_started = false;
  };
  auto end_row = [&] {
    end_field();
    bool blank = row.fields.size() == 1 && row.fields[0].empty();
    if (!blank) rows.push_back(std::move(row));
    row = Row{};
    row.line = line;
  };
  for (std::size_t i = 0; i < s.size(); ++i) {
    char c = s[i];
    any = true;
    if (in_quotes) {
      if (c == '"') {
        if (i + 1 < s.size() && s[i + 1] == '"') {
          field += '"';
          ++i;
        } else {
          in_quotes = false;
        }
      } else {
        if (c == '\n') ++line;
        field += c;
      }
      continue;
    }
    switch (c) {
      case '"':
        if (!field_started && field.empty()) in_quotes = true;
        else field += c;
        field_started = true;
        break;
      case ',': end_field(); break;
      case '\r':
        if (i + 1 < s.size() && s[i + 1] == '\n') break;
        [[fallthrough]];
      case '\n':
        ++line;
        end_row();
        break;
      default:
        field += c;
        field_started = true;
    }
  }
  if (in_quotes) fail(ErrorCategory::invalid_input, "line " + std::to_string(row.line) + ": a quoted field is never closed");
  if (any && (!field.empty() || !row.fields.empty())) end_row();
  return rows;
}

std::vector<std::vector<std::string>> parse(std::string_view content) {
  std::vector<std::vector<std::string>> out;
  for (auto& row : parse_rows(content)) out.push_back(std::move(row.fields));
  return out;
}

void append_field(std::string& out, std::string_view field) {
  if (field.find_first_of(",\"\r\n") == std::string_view::npos) {
    out += field;
    return;
  }
  out += '"';
  for (char c : field) {
    if (c == '"') out += '"';
    out += c;
  }
  out += '"';
}

}  // namespace numctl::csv
