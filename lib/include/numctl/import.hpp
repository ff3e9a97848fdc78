// Reading the rows of an import file (CSV, JSON array, NDJSON) into ImportRow values.
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <optional>

#include <string>
#include <string_view>
#include <vector>

namespace numctl {

// The columns (CSV) or keys (JSON, NDJSON) an import reads: every key of numctl's own export
// (list --format json|ndjson|csv), in its order; `number` is required. `display` and `country`
// are derived from the number and checked against it; `replaces` is the other end of a
// replacement's `replaced_by` and is checked to be a number.
// The last three are what list exports of a carrier's review (the profile, its status and reason):
// an import accepts them and keeps none, as a review is the carrier's to give, not a file's.
// Then what the number costs (kept), and when it last took and made a call (accepted and not
// kept: call records say that, through usage import).
inline constexpr std::array<std::string_view, 26> import_columns{"number",
                                                                 "display",
                                                                 "country",
                                                                 "type",
                                                                 "status",
                                                                 "team",
                                                                 "member",
                                                                 "label",
                                                                 "risk_reason",
                                                                 "bought_at",
                                                                 "release_at",
                                                                 "expires_at",
                                                                 "replaced_by",
                                                                 "replaces",
                                                                 "provider",
                                                                 "provider_ref",
                                                                 "compliance",
                                                                 "compliance_status",
                                                                 "compliance_reason",
                                                                 "monthly_price",
                                                                 "currency",
                                                                 "last_inbound_at",
                                                                 "last_outbound_at",
                                                                 "emergency_address",
                                                                 "emergency_status",
                                                                 "cnam"};

enum class ImportField : std::uint8_t {
  number,
  display,
  country,
  type,
  status,
  team,
  member,
  label,
  risk_reason,
  bought_at,
  release_at,
  expires_at,
  replaced_by,
  replaces,
  provider,
  provider_ref,
  compliance,
  compliance_status,
  compliance_reason,
  monthly_price,
  currency,
  last_inbound_at,
  last_outbound_at,
  emergency_address,
  emergency_status,
  cnam
};
static_assert(import_columns.size() == static_cast<std::size_t>(ImportField::cnam) + 1);

// An optional field of an import row, read as a std::optional<std::string> is, in 8 bytes: a
// row names few of its 17 optional fields and an import holds every row at once (a million rows
// of std::optional<std::string> took 768 MB, all of it first touched while the file was read).
class RowText {
 public:
  RowText() = default;
  RowText(std::nullopt_t) {}
  RowText(std::string text) : text_(std::make_unique<std::string>(std::move(text))) {}
  RowText(const char* text) : RowText(std::string(text)) {}
  RowText(std::optional<std::string> text) {
    if (text) text_ = std::make_unique<std::string>(std::move(*text));
  }
  RowText(const RowText& other) : text_(other.text_ ? std::make_unique<std::string>(*other.text_) : nullptr) {}
  RowText(RowText&&) noexcept = default;
  RowText& operator=(RowText other) noexcept {
    text_ = std::move(other.text_);
    return *this;
  }

  explicit operator bool() const { return text_ != nullptr; }
  bool has_value() const { return text_ != nullptr; }
  const std::string& operator*() const { return *text_; }
  const std::string* operator->() const { return text_.get(); }
  std::string value_or(std::string_view fallback) const { return text_ ? *text_ : std::string(fallback); }
  // A copy, for what takes a std::optional<std::string>.
  operator std::optional<std::string>() const { return text_ ? std::optional<std::string>(*text_) : std::nullopt; }
  friend bool operator==(const RowText& a, const std::optional<std::string>& b) { return a ? b && *a == *b : !b.has_value(); }

 private:
  std::unique_ptr<std::string> text_;
};

// One row of an import file, as written: the service checks it.
struct ImportRow {
  std::size_t position = 0;  // line (CSV, NDJSON) or index (JSON) for messages
  std::string number;
  RowText display, country, type, status, team, member, label, risk_reason, bought_at, release_at, expires_at, replaced_by,
      replaces, provider, provider_ref, monthly_price, currency;
  // The fields the file names for this row (a CSV column, a JSON key even when null): with
  // --on-conflict update an absent field is left alone, an empty one is cleared.
  std::uint32_t given = 0;
  bool has(ImportField field) const { return given >> static_cast<unsigned>(field) & 1u; }
};

enum class ImportFormat { csv, json, ndjson };

std::optional<ImportFormat> parse_import_format(std::string_view name);
// The format of stdin, from its first character that is not white space: `[` JSON, `{` NDJSON,
// anything else CSV.
ImportFormat sniff_import_format(std::string_view content);
// The whole content of `file`, or of stdin for "-"; invalid_input when it cannot be read.
std::string read_import_file(const std::string& file);
// Every malformed row is reported (invalid_input, with line or index) before anything is read
// further by the service; an unknown column is refused so that a typo is not silently dropped.
std::vector<ImportRow> parse_import(std::string_view content, ImportFormat format);

}  // namespace numctl
