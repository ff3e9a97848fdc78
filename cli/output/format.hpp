// Output formats and the terminal: format names (spelled once), styling, buffered stdout and
// display width.
#pragma once

#include <numctl/domain.hpp>

#include <fmt/format.h>

#include <array>
#include <iterator>
#include <optional>
#include <string>
#include <string_view>

namespace numctl::cli {

enum class Format { table, boxes, json, ndjson, csv, plain };

// Every format with its name, in the order help lists them.
inline constexpr std::array<std::pair<Format, std::string_view>, 6> format_table{{
    {Format::table, "table"},
    {Format::boxes, "boxes"},
    {Format::json, "json"},
    {Format::ndjson, "ndjson"},
    {Format::csv, "csv"},
    {Format::plain, "plain"},
}};

std::string_view to_string(Format format);
std::optional<Format> try_parse_format(std::string_view name);
Format parse_format(std::string_view name);  // invalid_input listing the formats
// "table, boxes, json, ndjson, csv, plain"
std::string format_names();
std::string_view format_name(Format format);
inline bool is_json(Format format) { return format == Format::json || format == Format::ndjson; }
// A set of formats (what a command writes), one bit each.
using FormatSet = unsigned;
constexpr FormatSet format_bit(Format format) { return 1U << static_cast<unsigned>(format); }
// lifecycle's --format dot (Graphviz), which no other command writes.
inline constexpr FormatSet dot_graph = format_bit(Format::plain) << 1;

// Terminal styling: ANSI sequences only when colour is on.
struct Style {
  bool color = false;
  std::string dot(Status status) const;  // the status's dot, in its colour
  std::string bold(std::string_view text) const;
  std::string dim(std::string_view text) const;
};

// Buffered stdout: one fwrite per 64 KiB instead of one per row. print() formats straight into
// the buffer (fmt; the format string checked at compile time).
class Out {
public:
  static void write(std::string_view text);
  template <typename... Args>
  static void print(fmt::format_string<Args...> format, Args&&... args) {
    fmt::format_to(std::back_inserter(buffer()), format, std::forward<Args>(args)...);
    if (buffer().size() >= 64 * 1024) flush();
  }
  static void flush();
  // The error of the first write to stdout that failed (errno: a full disk, a closed pipe), or
  // 0. Nothing more is written after it; main reports it.
  static int write_error();

 private:
  static std::string& buffer();
};

int terminal_width();
// Width of UTF-8 text in terminal cells: one a code point, colour sequences not counted.
std::size_t display_width(std::string_view text);
// The text padded with spaces to `width` cells, or cut to width - 1 cells and "…".
std::string fit(std::string_view text, std::size_t width);
// Control characters in stored text shown as "?" so a hostile label cannot move the cursor or
// change colours on a terminal.
std::string printable(std::string_view text);

}  // namespace numctl::cli
