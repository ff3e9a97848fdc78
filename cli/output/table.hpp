// Rows of named values rendered in any format: fixed-width text tables measured in display
// cells, CSV, plain (the first column), JSON and NDJSON.
#pragma once

#include "format.hpp"
#include "writers.hpp"
#include "value.hpp"

#include <string>
#include <string_view>
#include <vector>

namespace numctl::cli {

struct TextColumn {
  std::string_view key;      // the record's value shown, the CSV header
  std::string_view heading;  // the table's heading
  std::size_t width = 0;     // cells; a left-aligned cell that is longer keeps one space after it
  enum class Align { left, right } align = Align::left;
  std::string_view when_null = {};  // the table's text for a null value
};

// A fixed table: headings in bold, then one line a row.
void write_text_table(const std::vector<TextColumn>& columns, const List& rows, const Style& style, bool header = true);
// The rows in `format`: table and boxes as a text table, csv with the columns' keys as header,
// plain as the first column, json and ndjson as the whole records. CSV cells that a spreadsheet
// would run as formulas are neutralised unless `options.csv_raw` (a `number` column never is);
// `options.header` false drops the heading line of tables and CSV.
void write_rows(Format format, const std::vector<TextColumn>& columns, const List& rows, const WriterOptions& options);

}  // namespace numctl::cli
