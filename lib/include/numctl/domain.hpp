// Value types of the domain: statuses, number types, and the record of one owned number.
#pragma once

#include <array>
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>

namespace numctl {

enum class Status { pending, active, high_risk, to_be_cancelled, cancelled, porting_in, ported_out };
enum class NumberType { local, mobile, toll_free };
// Where a reputation score falls under the policy: low below clear_below, high from flag_at on,
// medium between.
enum class RiskBand { low, medium, high };

inline constexpr std::array all_statuses{Status::pending,   Status::active,     Status::high_risk, Status::to_be_cancelled,
                                         Status::cancelled, Status::porting_in, Status::ported_out};
inline constexpr std::array all_number_types{NumberType::local, NumberType::mobile,
                                             NumberType::toll_free};

std::string_view to_string(Status status);
std::string_view to_string(NumberType type);
std::string_view to_string(RiskBand band);
std::optional<RiskBand> parse_risk_band(std::string_view name);
// Dot colour of a status as the web console shows it: green, yellow, red, blue (a port on its
// way in), grey.
std::string_view dot_colour(Status status);

// Exact canonical names only (as stored); user-facing aliases live in parse_status_alias.
std::optional<Status> parse_status(std::string_view name);
std::optional<NumberType> parse_number_type(std::string_view name);
// Accepts what an operator types: case-insensitive, hyphens for underscores, dot colours.
std::optional<Status> parse_status_alias(std::string_view text);
std::optional<NumberType> parse_number_type_alias(std::string_view text);

// One owned number as stored; optional fields are empty in the database as NULL.
struct NumberRecord {
  std::int64_t id = 0;
  std::string e164;           // +4930123456
  std::string display;        // +49 30 123456
  std::string national_digits;  // 030123456, for search; written once, not read back by listings
  std::string country;        // ISO 3166-1 alpha-2
  NumberType type = NumberType::local;
  Status status = Status::active;
  std::optional<Status> previous_status;  // where restore returns to
  std::optional<std::string> team;        // the team, or the assigned member's team
  std::optional<std::string> member;
  std::optional<std::string> label;
  std::optional<std::string> risk_reason;
  std::optional<std::string> cancel_reason;
  std::optional<std::string> bought_at;
  std::optional<std::string> activated_at;
  std::optional<std::string> cancel_requested_at;
  std::optional<std::string> release_at;
  std::optional<std::string> expires_at;  // a pending order: when the sweep withdraws it
  std::optional<std::string> replaced_by;
  std::optional<std::string> replaces;
  // Where the number lives: the carrier (provider kind, e.g. "twilio") and the carrier's id of it
  // (Twilio's PN… sid, Telnyx's phone number id); empty for numbers of the offline providers.
  std::optional<std::string> provider;
  std::optional<std::string> provider_ref;
  // The compliance profile its order used (a carrier's bundle or requirement group), with the
  // profile's state and the carrier's reason when it rejected it (read, not written).
  std::optional<std::string> compliance;
  std::optional<std::string> compliance_status;
  std::optional<std::string> compliance_reason;
  // What the number costs a month, in minor units of its currency (ISO 4217): 120 USD is $1.20.
  std::optional<std::int64_t> monthly_price;
  std::optional<std::string> currency;
  // When it last took a call and last made one, from call records (read, not written).
  std::optional<std::string> last_inbound_at, last_outbound_at;
  // The emergency address registered for it (the address's name), where that registration
  // stands (pending, registered, failed; see emergency.hpp), and its caller ID name (CNAM).
  std::optional<std::string> emergency_address, emergency_status, cnam;
};

// Who a number is routed to: a team, or a member (who may belong to a team).
struct Assignee {
  enum class Kind { team, member } kind = Kind::team;
  std::string name;
};

}  // namespace numctl
