// Reading the rows of an import file (CSV, JSON array, NDJSON).
#include "numctl/import.hpp"
#include "domain/validation.hpp"
#include "numctl/error.hpp"
#include "util/rows.hpp"
#include "util/batch.hpp"
#include "numctl/text.hpp"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <array>
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <memory>

namespace numctl {
namespace {

using Field = ImportField;

// Columns a listing can show that are views, not data (list --columns).
constexpr std::array<std::string_view, 3> view_columns{"due", "assignee", "reason"};

std::string column_list() {
  std::string out;
  for (auto name : import_columns) out += (out.empty() ? "" : ", ") + std::string(name);
  return out;
}

std::string unknown_column(const std::string& name) {
  if (std::find(view_columns.begin(), view_columns.end(), name) != view_columns.end())
    return "'" + name + "' is a column of the view, not data (export with the default columns, or drop it)";
  return "unknown column '" + name + "' (columns: " + column_list() + ")";
}

void set_field(ImportRow& row, Field field, std::string_view value) {
  row.given |= 1u << static_cast<unsigned>(field);
  if (field == Field::number) {
    row.number = value;
    return;
  }
  std::optional<std::string> v = value.empty() ? std::nullopt : std::optional<std::string>(value);
  switch (field) {
    case Field::number: break;
    case Field::display: row.display = std::move(v); break;
    case Field::country: row.country = std::move(v); break;
    case Field::type: row.type = std::move(v); break;
    case Field::status: row.status = std::move(v); break;
    // Names and free text in NFC, as typed ones are: one team however its accents were written.
    case Field::team: row.team = to_nfc(v); break;
    case Field::member: row.member = to_nfc(v); break;
    case Field::label: row.label = to_nfc(v); break;
    case Field::risk_reason: row.risk_reason = to_nfc(v); break;
    case Field::bought_at: row.bought_at = std::move(v); break;
    case Field::release_at: row.release_at = std::move(v); break;
    case Field::expires_at: row.expires_at = std::move(v); break;
    case Field::replaced_by: row.replaced_by = std::move(v); break;
    case Field::replaces: row.replaces = std::move(v); break;
    case Field::provider: row.provider = std::move(v); break;
    case Field::provider_ref: row.provider_ref = std::move(v); break;
    case Field::compliance:
    case Field::compliance_status:
    case Field::compliance_reason: break;  // the carrier's review: not carried by a file
    case Field::monthly_price: row.monthly_price = std::move(v); break;
    case Field::currency: row.currency = std::move(v); break;
    case Field::last_inbound_at:
    case Field::last_outbound_at: break;  // call records say when a number last rang (usage import)
    case Field::emergency_address:
    case Field::emergency_status:
    case Field::cnam: break;  // registered at the carrier by emergency set and cnam set, not by a file
  }
}

[[noreturn]] void report(Batch& problems) { problems.raise(std::to_string(problems.size()) + " bad rows, nothing imported"); }

// The rows of a number import, as ImportRow values.
class ImportSink final : public rows::Sink {
 public:
  explicit ImportSink(std::vector<ImportRow>& out) : out_(out) {}
  void begin(std::size_t position) override {
    row_ = ImportRow{};
    row_.position = position;
  }
  void cell(std::size_t column, std::string_view value) override { set_field(row_, static_cast<Field>(column), value); }
  std::optional<std::string> end() override {
    if (row_.number.empty()) return row_.has(Field::number) ? "'number' is empty" : "'number' is missing";
    out_.push_back(std::move(row_));
    return std::nullopt;
  }

 private:
  std::vector<ImportRow>& out_;
  ImportRow row_;
};

}  // namespace

std::optional<ImportFormat> parse_import_format(std::string_view name) {
  std::string n = text::lower(name);
  if (n == "csv") return ImportFormat::csv;
  if (n == "json") return ImportFormat::json;
  if (n == "ndjson" || n == "jsonl") return ImportFormat::ndjson;
  return std::nullopt;
}

ImportFormat sniff_import_format(std::string_view content) {
  if (content.starts_with("\xEF\xBB\xBF")) content.remove_prefix(3);
  auto first = content.find_first_not_of(" \t\r\n");
  if (first == std::string_view::npos) return ImportFormat::csv;
  if (content[first] == '[') return ImportFormat::json;
  if (content[first] == '{') return ImportFormat::ndjson;
  return ImportFormat::csv;
}

std::string read_import_file(const std::string& file) {
  // Read in large blocks straight into the result: an import may be hundreds of megabytes.
  std::unique_ptr<std::FILE, int (*)(std::FILE*)> opened(file == "-" ? nullptr : std::fopen(file.c_str(), "rb"), std::fclose);
  if (file != "-" && !opened) fail(ErrorCategory::invalid_input, "cannot read " + file + ": " + std::strerror(errno));
  std::FILE* in = opened ? opened.get() : stdin;
  std::string content;
  constexpr std::size_t block = 1 << 20;
  if (opened) {
    std::fseek(in, 0, SEEK_END);
    long size = std::ftell(in);
    std::rewind(in);
    if (size > 0) content.reserve(static_cast<std::size_t>(size) + block);
  }
  for (;;) {
    std::size_t had = content.size();
    content.resize(had + block);
    std::size_t got = std::fread(content.data() + had, 1, block, in);
    content.resize(had + got);
    if (got < block) break;
  }
  if (std::ferror(in))
    fail(ErrorCategory::invalid_input,
         "cannot read " + (file == "-" ? std::string("stdin") : file) + ": " + std::strerror(errno));
  return content;
}

std::vector<ImportRow> parse_import(std::string_view content, ImportFormat format) {
  std::vector<ImportRow> out;
  if (format == ImportFormat::csv) out.reserve(static_cast<std::size_t>(std::count(content.begin(), content.end(), '\n')));
  Batch problems;
  ImportSink sink(out);
  rows::read(content, format, rows::Schema{import_columns, "number", "import", unknown_column, false}, sink, problems);
  if (!problems.empty()) report(problems);
  return out;
}

}  // namespace numctl
