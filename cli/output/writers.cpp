// Writers for every listing format, all reading the number schema in columns.cpp.
#include "writers.hpp"
#include "columns.hpp"

#include <numctl/phone.hpp>

#include <algorithm>
#include <vector>

namespace numctl::cli {

namespace {

class TableWriter final : public NumberWriter {
public:
  explicit TableWriter(bool color) : style_{color} {
    std::string heading = "  ";
    for (const auto* column : table_columns())
      heading += column->width ? fit(column->heading, column->width) + " " : std::string(column->heading);
    Out::write(style_.bold(heading) + "\n");
  }
  void row(const NumberRecord& r) override {
    line_.clear();
    line_ += style_.dot(r.status);
    line_ += ' ';
    for (const auto* column : table_columns()) {
      if (column->width == 0) {
        line_ += human_text(*column, r);
        continue;
      }
      line_ += fit(human_text(*column, r), column->width);
      line_ += ' ';
    }
    line_ += '\n';
    Out::write(line_);
    ++rows_;
  }
  void finish() override {
    if (rows_ == 0) Out::write(style_.dim("  (no numbers)") + "\n");
  }

private:
  Style style_;
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
  explicit CsvWriter(bool raw) : raw_(raw) { Out::write(number_csv_header()); }
  void row(const NumberRecord& r) override {
    line_.clear();
    append_number_csv(line_, r, raw_);
    Out::write(line_);
  }

private:
  bool raw_;
  std::string line_;
};

class PlainWriter final : public NumberWriter {
public:
  void row(const NumberRecord& r) override {
    line_ = r.e164;
    line_ += '\n';
    Out::write(line_);
  }

private:
  std::string line_;
};

}  // namespace

std::unique_ptr<NumberWriter> make_number_writer(Format format, bool color, bool csv_raw) {
  switch (format) {
    case Format::table: return std::make_unique<TableWriter>(color);
    case Format::boxes: return std::make_unique<BoxesWriter>(color);
    case Format::json: return std::make_unique<JsonWriter>(false);
    case Format::ndjson: return std::make_unique<JsonWriter>(true);
    case Format::csv: return std::make_unique<CsvWriter>(csv_raw);
    case Format::plain: return std::make_unique<PlainWriter>();
  }
  return std::make_unique<TableWriter>(color);
}

}  // namespace numctl::cli
