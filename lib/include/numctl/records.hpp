// Values the store reads and writes besides NumberRecord: audit entries, teams, members,
// documents, counts, and the lean row of a bulk insert. Engine-neutral.
#pragma once

#include "numctl/domain.hpp"

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace numctl {

// A call owed to a carrier (the outbox): written before the call is made, claimed by the
// process making it, settled with its outcome.
struct CarrierCall {
  std::int64_t id = 0;
  std::string kind;    // order | release
  std::string number;  // E.164
  std::string provider;
  std::optional<std::string> provider_ref;
  std::string action;   // the lifecycle action it finishes: buy, release, expire
  std::string details = "{}";  // JSON: what the action needs (type, assignee, label, ...)
  std::string state;    // owed | calling | done | failed
  std::int64_t attempts = 0;
  std::optional<std::string> last_error, claimed_by, claimed_at;
  std::string created_at;
  std::optional<std::string> settled_at;
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
  std::string_view risk_reason, replaced_by, replaces, provider, provider_ref;
  std::optional<std::int64_t> team_id, member_id;
  std::string_view audit_details;
};

}  // namespace numctl
