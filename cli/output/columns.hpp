// The number schema, written once: every column of a NumberRecord with its key (JSON key, CSV
// header, --columns name), table heading, width hint and how to read it. Table, boxes, csv,
// json, ndjson and show all read this table.
#pragma once

#include "value.hpp"

#include <numctl/domain.hpp>

#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace numctl::cli {

// A value read from a record without copying: text, or null.
struct Cell {
  std::string_view text;
  bool null = true;
};

struct NumberColumn {
  enum Use : unsigned { listing = 1, detail = 2, view = 4 };
  std::string_view key;
  std::string_view heading;
  std::size_t width;                           // table cells; 0 takes the rest of the line
  unsigned use;                                // listing: the list schema (json, ndjson, csv);
                                               // detail: show adds it; view: tables only
  Cell (*read)(const NumberRecord&);           // the machine value
  std::string (*human)(const NumberRecord&);   // the table text; nullptr: the value, or "—"
};

std::span<const NumberColumn> number_columns();
const NumberColumn* find_number_column(std::string_view key);
// The columns `list` shows as a table, in order.
std::span<const NumberColumn* const> table_columns();

// A column's table text for a record.
std::string human_text(const NumberColumn& column, const NumberRecord& record);
// The record as one JSON object of the list schema (plus show's detail keys when `detail`).
void append_number_json(std::string& out, const NumberRecord& record, bool detail = false);
Record number_record(const NumberRecord& record, bool detail = false);
inline Value number_value(const NumberRecord& record) { return number_record(record); }
using ColumnList = std::vector<const NumberColumn*>;
// The list schema's columns, in order (json, ndjson and csv by default).
ColumnList listing_columns();
// `--columns number,status,team`: keys of the schema (any column, view ones such as due and
// assignee included); an unknown key is invalid input with a suggestion.
ColumnList parse_columns(std::string_view spec);
// A column's value for machine formats (view columns without one give their table text).
Cell cell_of(const NumberColumn& column, const NumberRecord& record, std::string& scratch);
// The CSV header and one row, each ending in CRLF.
std::string number_csv_header(const ColumnList& chosen = listing_columns());
// Cells that a spreadsheet would run as a formula are neutralised unless `raw` (the E.164 number
// column never is: it always starts with + and is what scripts match on).
void append_number_csv(std::string& out, const NumberRecord& record, bool raw = false,
                       const ColumnList& chosen = listing_columns());

}  // namespace numctl::cli
