// RFC 4180 CSV reading and field quoting.
#include "util/csv.hpp"
#include "numctl/error.hpp"

namespace numctl::csv {

namespace {
// Where a field's text is: a range of the input, or (quoted) an unescaped copy.
struct FieldText {
  std::size_t begin = 0, size = 0;
  int copy = -1;
};

bool ends_field(char c) { return c == ',' || c == '\n' || c == '\r'; }
}  // namespace

void for_each_record(std::string_view s, const RecordVisitor& visit) {
  if (s.starts_with("\xEF\xBB\xBF")) s.remove_prefix(3);
  std::vector<FieldText> texts;
  std::vector<std::string> copies;  // reused from record to record
  std::size_t copies_used = 0;
  std::vector<std::string_view> fields;
  std::size_t line = 1, record_line = 1;
  auto finish_record = [&] {
    fields.clear();
    for (const auto& t : texts)
      fields.push_back(t.copy < 0 ? s.substr(t.begin, t.size) : std::string_view(copies[static_cast<std::size_t>(t.copy)]));
    if (!(fields.size() == 1 && fields[0].empty())) visit(record_line, fields);
    texts.clear();
    copies_used = 0;
  };
  const std::size_t n = s.size();
  std::size_t i = 0;
  while (i < n) {
    FieldText t{i, 0, -1};
    if (s[i] == '"') {
      if (copies_used == copies.size()) copies.emplace_back();
      std::string& out = copies[copies_used];
      out.clear();
      t.copy = static_cast<int>(copies_used++);
      for (++i;; ++i) {
        if (i >= n)
          fail(ErrorCategory::invalid_input, "line " + std::to_string(record_line) + ": a quoted field is never closed");
        if (s[i] == '"') {
          if (i + 1 < n && s[i + 1] == '"') {
            out += '"';
            ++i;
            continue;
          }
          ++i;
          break;
        }
        if (s[i] == '\n') ++line;
        out += s[i];
      }
      for (; i < n && !ends_field(s[i]); ++i) out += s[i];  // text after the closing quote is kept
    } else {
      while (i < n && !ends_field(s[i])) ++i;
      t.size = i - t.begin;
    }
    texts.push_back(t);
    if (i == n) break;
    if (s[i] == ',') {
      if (++i == n) texts.push_back({n, 0, -1});  // "a," at the very end: a last, empty field
      continue;
    }
    if (s[i] == '\r' && i + 1 < n && s[i + 1] == '\n') ++i;
    ++i;
    ++line;
    finish_record();
    record_line = line;
  }
  if (!texts.empty()) finish_record();
}

std::vector<Row> parse_rows(std::string_view content) {
  std::vector<Row> rows;
  for_each_record(content, [&](std::size_t line, std::span<const std::string_view> fields) {
    rows.push_back({line, std::vector<std::string>(fields.begin(), fields.end())});
  });
  return rows;
}

std::vector<std::vector<std::string>> parse(std::string_view content) {
  std::vector<std::vector<std::string>> out;
  for (auto& row : parse_rows(content)) out.push_back(std::move(row.fields));
  return out;
}

}  // namespace numctl::csv
