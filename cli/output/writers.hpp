// Streams numbers to stdout in one format. Rows are written as they come (boxes hold one row of
// cards), so memory stays flat however many numbers are listed.
#pragma once

#include "columns.hpp"
#include "format.hpp"

#include <numctl/domain.hpp>

#include <memory>

namespace numctl::cli {

class NumberWriter {
public:
  virtual ~NumberWriter() = default;
  virtual void row(const NumberRecord& record) = 0;
  virtual void finish() {}
};

struct WriterOptions {
  bool color = false;
  bool csv_raw = false;    // CSV cells as stored, for machine consumers (else formulas are neutralised)
  ColumnList columns;      // --columns for table, csv and plain; empty: each format's default
  bool header = true;      // --no-header: tables and CSV without their heading line
  std::size_t width = 0;   // the terminal's columns: a table's last column is cut to fit; 0: never cut
};

std::unique_ptr<NumberWriter> make_number_writer(Format format, const WriterOptions& options);

}  // namespace numctl::cli
