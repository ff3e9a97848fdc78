// Output formats of listing commands and the writers that render numbers in them.
#pragma once

#include <numctl/domain.hpp>
#include <numctl/json.hpp>

#include <cstdio>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace numctl::cli {

enum class Format { table, boxes, json, ndjson, csv, plain };

std::optional<Format> try_parse_format(std::string_view name);
Format parse_format(std::string_view name);  // invalid_input listing the formats
inline constexpr const char* format_names = "table, boxes, json, ndjson, csv, plain";

// Streams numbers to stdout in one format. Rows are written as they come (boxes hold one
// row of cards), so memory stays flat however many numbers are listed.
class NumberWriter {
public:
  virtual ~NumberWriter() = default;
  virtual void row(const NumberRecord& record) = 0;
  virtual void finish() {}
};

std::unique_ptr<NumberWriter> make_number_writer(Format format, bool color);

// The list schema as one JSON object, appended to `out`.
void append_number_json(std::string& out, const NumberRecord& record);


// Terminal styling: ANSI sequences only when colour is on.
struct Style {
  bool color = false;
  std::string dot(Status status) const;  // "●" in the status colour
  std::string bold(std::string_view text) const;
  std::string dim(std::string_view text) const;
};

// Buffered stdout: one fwrite per 64 KiB instead of one per row.
class Out {
public:
  static void write(std::string_view text);
  static void flush();
};

int terminal_width();
// Width of UTF-8 text in terminal cells: one a code point, colour sequences not counted.
std::size_t display_width(std::string_view text);

}  // namespace numctl::cli
