// Writers for every listing format, all reading the number schema in columns.cpp.
#include "writers.hpp"
#include "columns.hpp"

#include <numctl/phone.hpp>

#include <algorithm>
#include <vector>

namespace numctl::cli {

namespace {

// One line a number, each column at its width; the last column takes the rest of the terminal
// line (cut with … there, so nothing wraps), or all it needs when the output is not a terminal.
class TableWriter final : public NumberWriter {
public:
  explicit TableWriter(const WriterOptions& options) : style_{options.color}, width_(options.width) {
    if (options.columns.empty()) columns_.assign(table_columns().begin(), table_columns().end());
    else columns_ = options.columns;
    std::size_t used = 2;
    for (std::size_t i = 0; i + 1 < columns_.size(); ++i) used += width_of(*columns_[i]) + 1;
    last_width_ = width_ > used ? width_ - used : 0;
    if (!options.header) return;
    std::string heading = "  ";
    for (std::size_t i = 0; i < columns_.size(); ++i) heading += cell(columns_[i]->heading, i);
    Out::write(style_.bold(heading) + "\n");
  }
  void row(const NumberRecord& r) override {
    line_.clear();
    line_ += style_.dot(r.status);
    line_ += ' ';
    for (std::size_t i = 0; i < columns_.size(); ++i) line_ += cell(human_text(*columns_[i], r), i);
    line_ += '\n';
    Out::write(line_);
    ++rows_;
  }
  void finish() override {
    if (rows_ == 0) Out::write(style_.dim("  (no numbers)") + "\n");
  }

private:
  static std::size_t width_of(const NumberColumn& column) { return column.width ? column.width : 20; }
  std::string cell(std::string_view text, std::size_t i) const {
    if (i + 1 < columns_.size()) return fit(text, width_of(*columns_[i])) + " ";
    if (last_width_ > 1 && display_width(text) > last_width_) return fit(text, last_width_);
    return std::string(text);
  }
  Style style_;
  std::size_t width_;
  std::size_t last_width_ = 0;
  ColumnList columns_;
  std::string line_;
  std::size_t rows_ = 0;
};

// Cards like the web console's: the number, country and type, status, and who it is routed to.
class BoxesWriter final : public NumberWriter {
public:
  explicit BoxesWriter(bool color) : style_{color} {
    int width = terminal_width();
    per_row_ = std::max<std::size_t>(1, static_cast<std::size_t>(width + 1) / (card_width + 1));
  }
  void row(const NumberRecord& r) override {
    static const NumberColumn& status = *find_number_column("status");
    static const NumberColumn& assignee = *find_number_column("assignee");
    std::vector<std::string> card;
    card.push_back(style_.dot(r.status) + " " + style_.bold(fit(r.display, inner - 2)));
    card.push_back(fit(country_name(r.country) + " · " + std::string(to_string(r.type)), inner));
    card.push_back(fit(human_text(status, r), inner));
    std::string who = r.member ? "Member: " + human_text(assignee, r) : r.team ? "Team: " + printable(*r.team) : "Unassigned";
    card.push_back(fit(who, inner));
    pending_.push_back(std::move(card));
    if (pending_.size() == per_row_) flush_row();
  }
  void finish() override {
    if (!pending_.empty()) flush_row();
    if (!any_) Out::write("(no numbers)\n");
  }

private:
  static constexpr std::size_t card_width = 36, inner = card_width - 4;
  void flush_row() {
    std::string horizontal;
    for (std::size_t i = 0; i < card_width - 2; ++i) horizontal += "─";
    std::string out;
    for (std::size_t i = 0; i < pending_.size(); ++i) out += (i ? " ╭" : "╭") + horizontal + "╮";
    out += '\n';
    for (std::size_t line = 0; line < pending_[0].size(); ++line) {
      for (std::size_t i = 0; i < pending_.size(); ++i) {
        const std::string& content = pending_[i][line];
        std::size_t used = display_width(content);
        out += (i ? " │ " : "│ ") + content + std::string(used < inner ? inner - used : 0, ' ') + " │";
      }
      out += '\n';
    }
    for (std::size_t i = 0; i < pending_.size(); ++i) out += (i ? " ╰" : "╰") + horizontal + "╯";
    out += '\n';
    Out::write(out);
    pending_.clear();
    any_ = true;
  }
  Style style_;
  std::size_t per_row_;
  std::vector<std::vector<std::string>> pending_;
  bool any_ = false;
};

class JsonWriter final : public NumberWriter {
public:
  explicit JsonWriter(bool lines) : lines_(lines) {
    if (!lines_) Out::write("[");
  }
  void row(const NumberRecord& r) override {
    line_.clear();
    if (!lines_) line_ += rows_ ? ",\n" : "\n";
    append_number_json(line_, r);
    if (lines_) line_ += '\n';
    Out::write(line_);
    ++rows_;
  }
  void finish() override {
    if (!lines_) Out::write(rows_ ? "\n]\n" : "]\n");
  }

private:
  bool lines_;
  std::string line_;
  std::size_t rows_ = 0;
};

class CsvWriter final : public NumberWriter {
public:
  explicit CsvWriter(const WriterOptions& options)
      : raw_(options.csv_raw), columns_(options.columns.empty() ? listing_columns() : options.columns) {
    if (options.header) Out::write(number_csv_header(columns_));
  }
  void row(const NumberRecord& r) override {
    line_.clear();
    append_number_csv(line_, r, raw_, columns_);
    Out::write(line_);
  }

private:
  bool raw_;
  ColumnList columns_;
  std::string line_;
};

// E.164 numbers one a line; with --columns, the chosen values tab-separated (empty for null).
class PlainWriter final : public NumberWriter {
public:
  explicit PlainWriter(const WriterOptions& options) : columns_(options.columns) {}
  void row(const NumberRecord& r) override {
    line_.clear();
    if (columns_.empty()) {
      line_ = r.e164;
    } else {
      for (std::size_t i = 0; i < columns_.size(); ++i) {
        if (i) line_ += '\t';
        Cell cell = cell_of(*columns_[i], r, scratch_);
        if (!cell.null) line_ += printable(cell.text);
      }
    }
    line_ += '\n';
    Out::write(line_);
  }

private:
  ColumnList columns_;
  std::string line_, scratch_;
};

}  // namespace

std::unique_ptr<NumberWriter> make_number_writer(Format format, const WriterOptions& options) {
  switch (format) {
    case Format::table: return std::make_unique<TableWriter>(options);
    case Format::boxes: return std::make_unique<BoxesWriter>(options.color);
    case Format::json: return std::make_unique<JsonWriter>(false);
    case Format::ndjson: return std::make_unique<JsonWriter>(true);
    case Format::csv: return std::make_unique<CsvWriter>(options);
    case Format::plain: return std::make_unique<PlainWriter>(options);
  }
  return std::make_unique<TableWriter>(options);
}

}  // namespace numctl::cli
