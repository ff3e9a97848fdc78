// Reading reputation feeds, and the rules of the reputation policy (see reputation.hpp).
#include "numctl/reputation.hpp"
#include "util/rows.hpp"
#include "domain/reputation_feed.hpp"
#include "numctl/text.hpp"

#include <algorithm>
#include <charconv>
#include <cmath>

namespace numctl {
namespace {

enum class Column : std::size_t { number, score, risk, source, checked_at, labels, carrier };

// Hands each complete row on, one at a time: a feed of a million rows is never held as rows.
class ReadingSink final : public rows::Sink {
 public:
  ReadingSink(bool json, const std::function<void(const ReadingRow&)>& each) : json_(json), each_(each) {}
  void begin(std::size_t position) override {
    row_ = ReadingRow{};
    row_.position = position;
    row_.json_index = json_;
  }
  void cell(std::size_t column, std::string_view value) override {
    std::optional<std::string> v = value.empty() ? std::nullopt : std::optional<std::string>(value);
    switch (static_cast<Column>(column)) {
      case Column::number: row_.number = value; break;
      case Column::score: row_.score = std::move(v); break;
      case Column::risk: row_.risk = std::move(v); break;
      case Column::source: row_.source = std::move(v); break;
      case Column::checked_at: row_.checked_at = std::move(v); break;
      case Column::labels: row_.labels = std::move(v); break;
      case Column::carrier: row_.carrier = std::move(v); break;
    }
  }
  std::optional<std::string> end() override {
    if (row_.number.empty()) return "'number' is empty";
    if (!row_.score && !row_.risk) return "no 'score' (0-100) or 'risk' (low, medium, high)";
    each_(row_);
    return std::nullopt;
  }

 private:
  bool json_;
  const std::function<void(const ReadingRow&)>& each_;
  ReadingRow row_;
};

std::string unknown_reading_column(const std::string& name) {
  std::string names;
  for (auto column : reading_columns) names += (names.empty() ? "" : ", ") + std::string(column);
  return "unknown column '" + name + "' (a reputation feed has: " + names + ")";
}

}  // namespace

void read_readings(std::string_view content, ImportFormat format, Batch& problems,
                   const std::function<void(const ReadingRow&)>& each) {
  ReadingSink sink(format == ImportFormat::json, each);
  rows::read(content, format, rows::Schema{reading_columns, "number", "feed", unknown_reading_column, true}, sink, problems);
}

std::vector<ReadingRow> parse_readings(std::string_view content, ImportFormat format) {
  std::vector<ReadingRow> out;
  Batch problems;
  read_readings(content, format, problems, [&](const ReadingRow& row) { out.push_back(row); });
  if (!problems.empty()) problems.raise(std::to_string(problems.size()) + " bad rows, nothing imported");
  return out;
}

namespace reputation {

RiskBand band(int score, const ReputationPolicy& policy) {
  if (score >= policy.flag_at) return RiskBand::high;
  if (score < policy.clear_below) return RiskBand::low;
  return RiskBand::medium;
}

bool flags(const Reading& reading, const ReputationPolicy& policy) { return reading.score >= policy.flag_at; }

bool clears(const std::vector<Reading>& recent, const ReputationPolicy& policy) {
  if (recent.size() < static_cast<std::size_t>(policy.clear_after)) return false;
  return std::all_of(recent.begin(), recent.begin() + policy.clear_after,
                     [&](const Reading& r) { return r.score < policy.clear_below; });
}

std::string risk_reason(const Reading& reading) {
  std::string out = "reputation " + std::to_string(reading.score) + " (" + reading.source + ")";
  if (!reading.labels.empty()) out += ": " + reading.labels;
  return out;
}

std::optional<int> parse_score(std::string_view text) {
  text = text::trim(text);
  double value = 0;
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (ec != std::errc() || end != text.data() + text.size() || !std::isfinite(value)) return std::nullopt;
  if (value < 0 || value > 100) return std::nullopt;
  // Thresholds are whole numbers: the integer part decides exactly as the score given would
  // (69.5 < 70 and 69 < 70; 29.9 < 30 and 29 < 30), where rounding would flag a 69.5.
  return static_cast<int>(std::floor(value));
}

}  // namespace reputation
}  // namespace numctl
