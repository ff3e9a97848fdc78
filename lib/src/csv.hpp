// RFC 4180 CSV reading and field quoting.
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace numctl::csv {

struct Row {
  std::size_t line = 0;  // line where the record starts, 1-based
  std::vector<std::string> fields;
};

// Records with their starting lines; a UTF-8 BOM and CRLF line ends are accepted.
// An unterminated quoted field raises invalid_input naming the line.
std::vector<Row> parse_rows(std::string_view content);
std::vector<std::vector<std::string>> parse(std::string_view content);
// The field as it must appear in a CSV record (quoted when it holds , " CR or LF).
void append_field(std::string& out, std::string_view field);

}  // namespace numctl::csv
