// Filter, sort and paging of number listings, parsed once and evaluated by the store.
#pragma once

#include "numctl/domain.hpp"
#include "numctl/emergency.hpp"

#include <array>
#include <cstdint>
#include <utility>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace numctl {

// Reputation criteria of a listing. The score of a number is its highest fresh reading (checked
// within the policy's max_age_days); a number without one matches none of these.
struct RiskCriteria {
  std::vector<RiskBand> bands;      // OR-ed: --risk low,high
  std::optional<int> above, below;  // strictly: --score-above, --score-below
  // From the policy and the clock, set by the library before the store reads them.
  std::string fresh_since;
  int clear_below = 30, flag_at = 70;
};

struct Filter {
  std::vector<Status> statuses;           // OR-ed
  std::vector<NumberType> types;          // OR-ed
  std::vector<std::string> countries;     // OR-ed, upper-case ISO codes
  std::optional<bool> assigned;           // --assigned / --unassigned
  std::optional<std::string> team;        // the team's own numbers and its members'
  std::optional<std::string> member;
  std::optional<std::string> digits;      // search: substring of international or national digits
  std::optional<std::string> e164_prefix; // search in international form: the E.164 starts with it
  bool include_cancelled = false;         // --all, or asking for cancelled explicitly
  std::optional<RiskCriteria> risk;
  // Idle numbers (--idle-days): in service (active, pending, high_risk), held at least that many
  // days, and no inbound call within them. The library sets silent_since (the window's start).
  std::optional<int> idle_days;
  std::string silent_since;
  // --min-price: a monthly price of at least this decimal amount, in each number's currency.
  std::optional<std::string> min_price;
  // --emergency: numbers whose emergency registration is in one of these statuses (OR-ed).
  std::vector<EmergencyStatus> emergency;
  std::optional<std::string> emergency_address;  // --emergency-address: registered with this address

  bool has_criteria() const;
  // The statuses a listing shows: those asked for; else, unless include_cancelled, those the
  // lifecycle lists by default; empty means every status.
  std::vector<Status> listed_statuses() const;
};

enum class SortField { number, country, type, status, team, member, label, bought_at, release_at, risk, last_call, price };
// Every sort field with its name, in the order help lists them.
inline constexpr std::array<std::pair<SortField, std::string_view>, 12> sort_field_table{{
    {SortField::number, "number"},
    {SortField::country, "country"},
    {SortField::type, "type"},
    {SortField::status, "status"},
    {SortField::team, "team"},
    {SortField::member, "member"},
    {SortField::label, "label"},
    {SortField::bought_at, "bought_at"},
    {SortField::release_at, "release_at"},
    {SortField::risk, "risk"},
    {SortField::last_call, "last_call"},
    {SortField::price, "price"},
}};

struct Sort {
  SortField field = SortField::number;
  bool descending = false;
  // risk: the highest reading checked at or after this (set by the library from the policy);
  // numbers without a fresh reading sort last either way.
  std::string fresh_since;
};

struct Page {
  std::optional<std::int64_t> limit;
  std::int64_t offset = 0;
};

// "release_at:desc" -> Sort; invalid_input naming the valid fields otherwise.
Sort parse_sort(std::string_view text);
std::string_view to_string(SortField field);
// "number, country, ..., release_at"
std::string sort_field_names();
// Comma-separated lists with aliases; invalid_input listing the valid values.
std::vector<Status> parse_status_list(std::string_view text);
std::vector<NumberType> parse_type_list(std::string_view text);
// Codes of ISO 3166-1; anything else is invalid input (exit 2), with a suggestion (UK: GB).
std::vector<std::string> parse_country_list(std::string_view text);
// "unknown country 'UK'; did you mean GB (United Kingdom)?" and the like.
std::string unknown_country_message(std::string_view typed);

}  // namespace numctl
