// Rendering rows of named values.
#include "table.hpp"

#include <numctl/text.hpp>

#include <unistd.h>

namespace numctl::cli {

namespace {

std::string cell(const TextColumn& column, std::string_view text) {
  std::size_t used = display_width(text);
  if (column.align == TextColumn::Align::right)
    return std::string(column.width > used ? column.width - used : 0, ' ') + std::string(text);
  // A long name is cut with … so the columns after it stay where the heading says.
  if (column.width <= 1) return std::string(text) + " ";
  if (used >= column.width) return fit(text, column.width - 1) + " ";
  return std::string(text) + std::string(column.width - used, ' ');
}

// A right-aligned cell followed by a left-aligned one keeps a space between them.
bool gap_after(const std::vector<TextColumn>& columns, std::size_t i) {
  return i + 1 < columns.size() && columns[i].align == TextColumn::Align::right &&
         columns[i + 1].align == TextColumn::Align::left;
}

// The last column needs no padding after it; on a terminal (`room` > 0 cells) the line is cut
// with … at the terminal's edge rather than wrapped onto the next line.
std::string line_of(const std::vector<TextColumn>& columns, const std::vector<std::string>& texts, std::size_t room) {
  std::string line;
  for (std::size_t i = 0; i < columns.size(); ++i) {
    bool last = i + 1 == columns.size();
    line += last && columns[i].align == TextColumn::Align::left ? texts[i] : cell(columns[i], texts[i]);
    if (gap_after(columns, i)) line += ' ';
  }
  if (room > 1 && display_width(line) > room) {
    line = fit(line, room);
    while (!line.empty() && line.back() == ' ') line.pop_back();
  }
  return line;
}

}  // namespace

void write_text_table(const std::vector<TextColumn>& columns, const List& rows, const Style& style, bool header) {
  std::vector<std::string> texts;
  std::size_t room = ::isatty(STDOUT_FILENO) == 1 ? static_cast<std::size_t>(terminal_width()) : 0;
  for (const auto& column : columns) texts.emplace_back(column.heading);
  if (header) Out::write(style.bold(line_of(columns, texts, room)) + "\n");
  for (const auto& row : rows) {
    texts.clear();
    for (const auto& column : columns) {
      const Value& value = row[column.key];
      texts.push_back(value.is_null() ? std::string(column.when_null) : printable(value.text()));
    }
    Out::write(line_of(columns, texts, room) + "\n");
  }
}

void write_rows(Format format, const std::vector<TextColumn>& columns, const List& rows, const WriterOptions& options) {
  Style style{options.color};
  bool csv_raw = options.csv_raw;
  switch (format) {
    case Format::json:
    case Format::ndjson: write_json_list(format, rows); return;
    case Format::table:
    case Format::boxes: write_text_table(columns, rows, style, options.header); return;
    case Format::plain:
      for (const auto& row : rows) Out::write(row[columns.front().key].text() + "\n");
      return;
    case Format::csv: {
      std::string out;
      if (options.header) {
        for (std::size_t i = 0; i < columns.size(); ++i) out += (i ? "," : "") + std::string(columns[i].key);
        out += "\r\n";
      }
      for (const auto& row : rows) {
        for (std::size_t i = 0; i < columns.size(); ++i) {
          if (i) out += ',';
          text::append_csv_cell(out, row[columns[i].key].text(), csv_raw || columns[i].key == "number");
        }
        out += "\r\n";
      }
      Out::write(out);
      return;
    }
  }
}

}  // namespace numctl::cli
