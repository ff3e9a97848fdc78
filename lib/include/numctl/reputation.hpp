// Reputation: readings of how carriers' analytics label a number, and the policy that turns
// them into the red dot through the lifecycle table.
//
// The policy, in one place (Service::apply_reputation carries it out, reading what the store
// selects by these rules):
//  - A reading is fresh when it was checked within max_age_days; older ones are ignored.
//  - Flag: an active number is flagged high_risk by its highest fresh reading scoring flag_at or
//    more, if that reading is newer than the number's last risk change (whoever made it): a
//    reading is weighed once, and a number an operator unflagged is re-flagged only by a
//    reading newer than the unflag.
//  - Clear: a number the policy flagged is unflagged when its last clear_after fresh readings,
//    all newer than the flag, score below clear_below. A score between the two thresholds
//    changes nothing (hysteresis).
//  - A number an operator flagged (or one flagged before numctl kept readings) is never
//    unflagged by the policy. Other statuses are never touched.
#pragma once

#include "numctl/config.hpp"
#include "numctl/domain.hpp"
#include "numctl/import.hpp"
#include "numctl/records.hpp"

#include <array>
#include <chrono>
#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace numctl {

// The columns (CSV) or keys (JSON, NDJSON) of a reputation feed; `number` is required, and a
// score or a risk level.
inline constexpr std::array<std::string_view, 7> reading_columns{"number",     "score",  "risk",   "source",
                                                                 "checked_at", "labels", "carrier"};

// One row of a feed, as written: the service checks it.
struct ReadingRow {
  std::size_t position = 0;  // line (CSV, NDJSON) or index (JSON)
  bool json_index = false;   // position is an index into a JSON array
  std::string number;
  std::optional<std::string> score, risk, source, checked_at, labels, carrier;
};

// Every malformed row is reported (invalid_input, with its line) before anything is stored.
std::vector<ReadingRow> parse_readings(std::string_view content, ImportFormat format);

// Who changed a number's risk status last, as the store remembers it.
inline constexpr std::string_view risk_by_operator = "operator";
inline constexpr std::string_view risk_by_policy = "reputation";

namespace reputation {

// How far ahead of numctl's clock a reading's checked_at may be (clocks drift); such a reading
// is stored as checked now, later ones are refused.
inline constexpr auto clock_tolerance = std::chrono::minutes(5);

RiskBand band(int score, const ReputationPolicy& policy);
// The reading flags an active number (it is fresh and newer than the last change: the store
// selected it so).
bool flags(const Reading& reading, const ReputationPolicy& policy);
// The readings (newest first, fresh, newer than the flag) clear a number the policy flagged.
bool clears(const std::vector<Reading>& recent, const ReputationPolicy& policy);
// "reputation 82 (hiya): Scam Likely"
std::string risk_reason(const Reading& reading);
// A score from a feed's text: a whole number from 0 to 100 (a fraction is rounded).
std::optional<int> parse_score(std::string_view text);

}  // namespace reputation
}  // namespace numctl
