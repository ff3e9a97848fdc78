// Streams numbers to stdout in one format. Rows are written as they come (boxes hold one row of
// cards), so memory stays flat however many numbers are listed.
#pragma once

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

// `csv_raw`: CSV cells as stored, for machine consumers (else spreadsheet formulas are neutralised).
std::unique_ptr<NumberWriter> make_number_writer(Format format, bool color, bool csv_raw = false);

}  // namespace numctl::cli
