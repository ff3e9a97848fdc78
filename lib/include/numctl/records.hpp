// Values the store reads and writes besides NumberRecord: audit entries, teams, members,
// documents, counts, and the lean row of a bulk insert. Engine-neutral.
#pragma once

#include "numctl/domain.hpp"

#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace numctl {

// What a call owed to a carrier does, and where it stands; stored by name.
enum class CallKind : std::uint8_t { order, release, compliance, port, address, emergency, cnam };
enum class CallState : std::uint8_t { owed, calling, done, failed };
inline constexpr std::array all_call_kinds{CallKind::order,   CallKind::release,   CallKind::compliance, CallKind::port,
                                           CallKind::address, CallKind::emergency, CallKind::cnam};
inline constexpr std::array all_call_states{CallState::owed, CallState::calling, CallState::done, CallState::failed};
std::string_view to_string(CallKind kind);
std::string_view to_string(CallState state);
std::optional<CallKind> parse_call_kind(std::string_view name);
std::optional<CallState> parse_call_state(std::string_view name);
// The same for a name read back from the database: an unknown one is a database error.
CallKind stored_call_kind(std::string_view name);
CallState stored_call_state(std::string_view name);

// A call owed to a carrier (the outbox): written before the call is made, claimed by the
// process making it, settled with its outcome.
struct CarrierCall {
  std::int64_t id = 0;
  CallKind kind = CallKind::order;
  // E.164; a compliance call: "profile:<id>"; a port-in order: "port:<id>"; an address: "address:<id>"
  std::string number;
  std::string provider;
  std::optional<std::string> provider_ref;
  std::string action;   // the lifecycle action it finishes: buy, release, expire
  std::string details = "{}";  // JSON: what the action needs (type, assignee, label, ...)
  CallState state = CallState::owed;
  std::int64_t attempts = 0;
  std::optional<std::string> last_error, claimed_by, claimed_at;
  std::string created_at;
  std::optional<std::string> settled_at;
};

// One reputation reading: what a reputation service (a feed file, a carrier's API) said of a
// number at one time. Scores run 0-100, higher is spammier; a feed that gave only a risk level
// was scored by the policy's risk_scores when it was read.
struct Reading {
  std::string number;  // E.164
  std::string source;  // hiya, tns, first_orion, telnyx, ...
  int score = 0;
  std::optional<std::string> risk;  // as the feed said it: low | medium | high
  std::string labels;               // "Scam Likely;Telemarketing", or empty
  std::optional<std::string> carrier;  // the terminating carrier the label was seen on
  std::string checked_at;              // ISO 8601, when the service checked
  std::string imported_at;             // when numctl stored it
};

// Which readings `reputation list` and `reputation show` read, newest first.
struct ReadingQuery {
  std::optional<std::string> number;  // E.164
  std::optional<std::string> since;   // checked at or after
  std::size_t limit = 0;              // 0: all
};

// What storing a feed's readings did: readings added, readings stored already (the same number,
// source and time: a feed imported twice adds nothing), and the indexes of readings whose
// number is not in the inventory (nothing of theirs stored).
struct ReadingsAdded {
  std::size_t added = 0, known = 0;
  std::vector<std::size_t> unknown;
};

// What the reputation policy reads of a number: the number, who changed its risk last (an
// operator or the policy) and when, and the readings the policy weighs.
struct RiskSubject {
  NumberRecord record;
  std::optional<std::string> risk_set_by;      // operator | reputation; empty: nobody yet
  std::optional<std::string> risk_changed_at;  // the time of that change (for the policy, its deciding reading's)
  std::vector<Reading> readings;               // newest first
};

struct AuditEntry {
  std::string at;
  std::string actor;
  std::string action;
  std::string number;
  std::optional<std::string> from_status;
  std::optional<std::string> to_status;
  std::string details;  // JSON object text
};

// Which audit entries `log` shows: every condition given must hold; newest first.
struct AuditQuery {
  std::optional<std::string> since, until;  // ISO 8601, inclusive / exclusive
  std::optional<std::string> actor, action, number, team;  // team: entries naming it in their details
  std::size_t limit = 0;                                   // 0: all
};

struct TeamInfo {
  std::string name;
  std::int64_t numbers = 0;  // own numbers plus its members', not cancelled
  std::int64_t members = 0;
};

struct MemberInfo {
  std::string name;
  std::optional<std::string> team;
  std::int64_t numbers = 0;
};

struct DocumentInfo {
  std::int64_t id = 0;
  std::string kind;
  std::string filename;
  std::int64_t size = 0;
  std::string sha256;
  std::string submitted_at;
  std::string state;  // submitted | rejected
  std::optional<std::string> rejection_reason;
};

struct Stats {
  std::int64_t total = 0;
  std::vector<std::pair<std::string, std::int64_t>> by_status, by_type, by_country, by_team;
  // Numbers by the band of their highest fresh reputation score (low, medium, high), when a
  // listing asked for it; numbers without a fresh reading are not counted here.
  std::vector<std::pair<std::string, std::int64_t>> by_risk;
};

// How spend is grouped: by team (a member's numbers count for the member's team), member,
// country, type or status; none: one row per currency.
enum class CostGroup : std::uint8_t { none, team, member, country, type, status };
inline constexpr std::array<std::string_view, 6> cost_group_names{"", "team", "member", "country", "type", "status"};
std::optional<CostGroup> parse_cost_group(std::string_view name);

// One row of spend: numbers of one group and currency, how many, and what they cost a month in
// minor units (numbers without a price: no currency, counted, total 0).
struct CostRow {
  std::optional<std::string> group;
  std::optional<std::string> currency;
  std::int64_t count = 0;
  std::int64_t monthly_total = 0;
};

// A change of a number's status as the audit recorded it, with what the number is grouped by
// now and its price (for spend over a past month).
struct StatusChange {
  std::string number, at;
  std::optional<std::string> from, to;
  std::optional<std::string> group, currency;
  std::optional<std::int64_t> monthly_price;
};

// What storing a feed of call records did: records added (new to the days counted), records
// known already (a feed imported twice), records of numbers not in the inventory (skipped),
// and records older than the days kept (they only move a number's last call).
struct CallsStored {
  std::int64_t added = 0, known = 0, unknown = 0, older = 0;
};

// A number to add in bulk, with its assignment and the details of its audit entry. Lean, as a
// million of them are held at once: the label and dates are views of strings (most rows share
// one) that the caller keeps alive until the insert returns; an empty view is stored as NULL.
// So are the audit details.
struct NewNumber {
  std::string e164, display, national_digits, country;
  NumberType type = NumberType::local;
  Status status = Status::active;
  std::optional<Status> previous_status;
  std::string_view label, bought_at, activated_at, cancel_requested_at, release_at, expires_at;
  std::string_view risk_reason, replaced_by, replaces, provider, provider_ref, currency;
  std::optional<std::int64_t> monthly_price;
  std::optional<std::int64_t> team_id, member_id;
  std::string_view audit_details;
};

}  // namespace numctl
