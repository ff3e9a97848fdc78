// Reading the rows of a file a person or a feed wrote (CSV with a header, a JSON array of
// objects, NDJSON) by column name, for any row type: the number import and the reputation feed
// share it. Every malformed row is collected in the batch with its line (or index).
#pragma once

#include "util/batch.hpp"
#include "numctl/import.hpp"

#include <cstddef>
#include <cstdio>
#include <functional>
#include <optional>
#include <span>
#include <string>
#include <string_view>

namespace numctl::rows {

struct Schema {
  std::span<const std::string_view> columns;  // every column a row may have
  std::string_view required = "number";       // the one it must have
  std::string_view noun = "import";           // "the import file is empty", "a JSON import must be ..."
  // The message for a column the schema does not know (a typo must not be dropped silently).
  std::function<std::string(const std::string& name)> unknown_column;
  // JSON numbers are read as their text (a score of 82); else a value must be a string.
  bool numbers_as_text = false;
  std::string_view or_required{};  // a column that may stand for `required` (a call's `started_at` for `at`)
};

// Receives one row at a time: begin, then each named cell (JSON null or an empty CSV field is an
// empty value), then end, which says what is wrong with the row as a whole, if anything.
class Sink {
 public:
  virtual ~Sink() = default;
  virtual void begin(std::size_t position) = 0;
  virtual void cell(std::size_t column, std::string_view value) = 0;
  virtual std::optional<std::string> end() = 0;
};

// A problem of the file as a whole (no header, invalid JSON) raises invalid_input at once; a
// row's problem goes into `problems` ("line 4: ...", "index 2: ...").
void read(std::string_view content, ImportFormat format, const Schema& schema, Sink& sink, Batch& problems);
// The same from a stream, a few megabytes at a time (a JSON array is read whole): memory stays
// flat however long the file.
void read_stream(std::FILE* in, ImportFormat format, const Schema& schema, Sink& sink, Batch& problems);

// numctl's CSV export writes a ' before a cell starting with = + - @ (so that spreadsheets do
// not run it); reading it back takes that mark off.
std::string_view unmark_csv_cell(std::string_view cell);

}  // namespace numctl::rows
