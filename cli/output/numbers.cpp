// Writers for every listing format: table, boxes, json, ndjson, csv, plain.
#include "format.hpp"

#include <numctl/error.hpp>
#include <numctl/phone.hpp>

#include <cstdlib>
#include <cstring>
#include <sys/ioctl.h>
#include <unistd.h>
#include <vector>

namespace numctl::cli {

namespace {

std::string buffer;


std::string fit(std::string_view text, std::size_t width) {
  std::size_t n = display_width(text);
  if (n <= width) return std::string(text) + std::string(width - n, ' ');
  std::string out;
  std::size_t used = 0;
  for (std::size_t i = 0; i < text.size() && used < width - 1; ++i) {
    out += text[i];
    if (i + 1 < text.size() && (static_cast<unsigned char>(text[i + 1]) & 0xC0) == 0x80) continue;
    ++used;
  }
  return out + "…";
}

// Control characters in stored text are shown as "?" in terminal formats so a hostile label
// cannot move the cursor or change colours.
std::string printable(std::string_view text) {
  std::string out(text);
  for (char& c : out)
    if (static_cast<unsigned char>(c) < 0x20 || c == 0x7f) c = '?';
  return out;
}

std::string assignee(const NumberRecord& r) {
  if (r.member) return printable(*r.member) + (r.team ? " (" + printable(*r.team) + ")" : "");
  if (r.team) return printable(*r.team);
  return "—";
}

std::string status_text(const NumberRecord& r) {
  std::string s(to_string(r.status));
  if (r.status == Status::to_be_cancelled && r.release_at) s += " until " + r.release_at->substr(0, 10);
  return s;
}

class TableWriter final : public NumberWriter {
public:
  explicit TableWriter(bool color) : style_{color} {
    Out::write(style_.bold("  NUMBER               COUNTRY  TYPE       STATUS                           ASSIGNEE") + "\n");
  }
  void row(const NumberRecord& r) override {
    line_.clear();
    line_ += style_.dot(r.status);
    line_ += ' ';
    line_ += fit(r.display, 20);
    line_ += ' ';
    line_ += fit(r.country, 8);
    line_ += ' ';
    line_ += fit(to_string(r.type), 10);
    line_ += ' ';
    line_ += fit(status_text(r), 32);
    line_ += ' ';
    line_ += assignee(r);
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

class BoxesWriter final : public NumberWriter {
public:
  explicit BoxesWriter(bool color) : style_{color} {
    int width = terminal_width();
    per_row_ = std::max<std::size_t>(1, static_cast<std::size_t>(width + 1) / (card_width + 1));
  }
  void row(const NumberRecord& r) override {
    std::vector<std::string> card;
    card.push_back(style_.dot(r.status) + " " + style_.bold(fit(r.display, inner - 2)));
    card.push_back(fit(country_name(r.country) + " · " + std::string(to_string(r.type)), inner));
    card.push_back(fit(status_text(r), inner));
    std::string who = r.member ? "Member: " + assignee(r) : r.team ? "Team: " + printable(*r.team) : "Unassigned";
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
    if (!lines_ && rows_) line_ += ",\n";
    else if (!lines_) line_ += "\n";
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

constexpr const char* csv_header =
    "number,display,country,type,status,team,member,label,risk_reason,bought_at,release_at,replaced_by,replaces\r\n";

void csv_field(std::string& out, const std::optional<std::string>& value) {
  if (!value) return;
  if (value->find_first_of(",\"\r\n") == std::string::npos) {
    out += *value;
    return;
  }
  out += '"';
  for (char c : *value) {
    if (c == '"') out += '"';
    out += c;
  }
  out += '"';
}

class CsvWriter final : public NumberWriter {
public:
  CsvWriter() { Out::write(csv_header); }
  void row(const NumberRecord& r) override {
    line_.clear();
    line_ += r.e164;
    line_ += ',';
    csv_field(line_, r.display);
    line_ += ',';
    line_ += r.country;
    line_ += ',';
    line_ += to_string(r.type);
    line_ += ',';
    line_ += to_string(r.status);
    for (const auto* field : {&r.team, &r.member, &r.label, &r.risk_reason, &r.bought_at, &r.release_at, &r.replaced_by, &r.replaces}) {
      line_ += ',';
      csv_field(line_, *field);
    }
    line_ += "\r\n";
    Out::write(line_);
  }

private:
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

void append_number_json(std::string& out, const NumberRecord& r) {
  out += "{\"number\":";
  json::append_string(out, r.e164);
  out += ",\"display\":";
  json::append_string(out, r.display);
  out += ",\"country\":";
  json::append_string(out, r.country);
  out += ",\"type\":\"";
  out += to_string(r.type);
  out += "\",\"status\":\"";
  out += to_string(r.status);
  out += "\",\"team\":";
  json::append_optional(out, r.team);
  out += ",\"member\":";
  json::append_optional(out, r.member);
  out += ",\"label\":";
  json::append_optional(out, r.label);
  out += ",\"risk_reason\":";
  json::append_optional(out, r.risk_reason);
  out += ",\"bought_at\":";
  json::append_optional(out, r.bought_at);
  out += ",\"release_at\":";
  json::append_optional(out, r.release_at);
  out += ",\"replaced_by\":";
  json::append_optional(out, r.replaced_by);
  out += ",\"replaces\":";
  json::append_optional(out, r.replaces);
  out += '}';
}

std::optional<Format> try_parse_format(std::string_view name) {
  if (name == "table") return Format::table;
  if (name == "boxes") return Format::boxes;
  if (name == "json") return Format::json;
  if (name == "ndjson") return Format::ndjson;
  if (name == "csv") return Format::csv;
  if (name == "plain") return Format::plain;
  return std::nullopt;
}

Format parse_format(std::string_view name) {
  if (auto f = try_parse_format(name)) return *f;
  fail(ErrorCategory::invalid_input, "unknown format '" + std::string(name) + "' (formats: " + format_names + ")");
}

std::unique_ptr<NumberWriter> make_number_writer(Format format, bool color) {
  switch (format) {
    case Format::table: return std::make_unique<TableWriter>(color);
    case Format::boxes: return std::make_unique<BoxesWriter>(color);
    case Format::json: return std::make_unique<JsonWriter>(false);
    case Format::ndjson: return std::make_unique<JsonWriter>(true);
    case Format::csv: return std::make_unique<CsvWriter>();
    case Format::plain: return std::make_unique<PlainWriter>();
  }
  return std::make_unique<TableWriter>(color);
}

std::string Style::dot(Status status) const {
  if (!color) {
    switch (status) {
      case Status::active: return "●";
      case Status::pending: return "◐";
      case Status::high_risk: return "▲";
      default: return "○";
    }
  }
  switch (status) {
    case Status::active: return "\x1b[32m●\x1b[0m";
    case Status::pending: return "\x1b[33m●\x1b[0m";
    case Status::high_risk: return "\x1b[31m●\x1b[0m";
    default: return "\x1b[90m●\x1b[0m";
  }
}

std::string Style::bold(std::string_view text) const {
  return color ? "\x1b[1m" + std::string(text) + "\x1b[0m" : std::string(text);
}

std::string Style::dim(std::string_view text) const {
  return color ? "\x1b[2m" + std::string(text) + "\x1b[0m" : std::string(text);
}

void Out::write(std::string_view text) {
  buffer.append(text);
  if (buffer.size() >= 64 * 1024) flush();
}

void Out::flush() {
  if (!buffer.empty()) {
    std::fwrite(buffer.data(), 1, buffer.size(), stdout);
    buffer.clear();
  }
  std::fflush(stdout);
}

std::size_t display_width(std::string_view text) {
  std::size_t n = 0;
  bool escape = false;
  for (char c : text) {
    if (c == '\x1b') escape = true;
    else if (escape && c == 'm') escape = false;
    else if (!escape && (static_cast<unsigned char>(c) & 0xC0) != 0x80) ++n;
  }
  return n;
}

int terminal_width() {
  if (const char* columns = std::getenv("COLUMNS")) {
    int n = std::atoi(columns);
    if (n > 20) return n;
  }
  winsize size{};
  if (::ioctl(STDOUT_FILENO, TIOCGWINSZ, &size) == 0 && size.ws_col > 20) return size.ws_col;
  return 80;
}

}  // namespace numctl::cli
