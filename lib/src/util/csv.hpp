// RFC 4180 CSV reading and field quoting.
#pragma once

#include <functional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace numctl::csv {

struct Row {
  std::size_t line = 0;  // line where the record starts, 1-based
  std::vector<std::string> fields;
};

// Calls `visit` with each record and the line where it starts (1-based); a UTF-8 BOM and CRLF
// line ends are accepted, blank lines skipped. Unquoted fields are views into `content`, quoted
// ones into a buffer reused by the next record: copy what must outlive the call.
// An unterminated quoted field raises invalid_input naming the line.
using RecordVisitor = std::function<void(std::size_t line, std::span<const std::string_view> fields)>;
void for_each_record(std::string_view content, const RecordVisitor& visit);
std::vector<Row> parse_rows(std::string_view content);
std::vector<std::vector<std::string>> parse(std::string_view content);

}  // namespace numctl::csv
