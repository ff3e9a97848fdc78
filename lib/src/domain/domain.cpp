// Names of the domain enums, spelled once.
#include "numctl/domain.hpp"
#include "numctl/records.hpp"
#include "numctl/error.hpp"
#include "numctl/text.hpp"
#include "util/names.hpp"

namespace numctl {

std::string_view to_string(ErrorCategory category) {
  switch (category) {
    case ErrorCategory::invalid_input: return "invalid_input";
    case ErrorCategory::not_found: return "not_found";
    case ErrorCategory::refused: return "refused";
    case ErrorCategory::config: return "config";
    case ErrorCategory::database: return "database";
    case ErrorCategory::internal: return "internal";
    case ErrorCategory::carrier: return "carrier";
  }
  return "internal";
}

std::string_view to_string(Status status) {
  switch (status) {
    case Status::pending: return "pending";
    case Status::active: return "active";
    case Status::high_risk: return "high_risk";
    case Status::to_be_cancelled: return "to_be_cancelled";
    case Status::cancelled: return "cancelled";
    case Status::porting_in: return "porting_in";
    case Status::ported_out: return "ported_out";
  }
  return "";
}

std::string_view to_string(NumberType type) {
  switch (type) {
    case NumberType::local: return "local";
    case NumberType::mobile: return "mobile";
    case NumberType::toll_free: return "toll_free";
  }
  return "";
}

std::string_view dot_colour(Status status) {
  switch (status) {
    case Status::active: return "green";
    case Status::pending: return "yellow";
    case Status::high_risk: return "red";
    case Status::porting_in: return "blue";
    case Status::to_be_cancelled:
    case Status::cancelled:
    case Status::ported_out: return "grey";
  }
  return "grey";
}

namespace {
// A dot colour names a status when no other status shares it (grey is two).
std::optional<Status> status_of_colour(std::string_view colour) {
  std::optional<Status> found;
  for (Status s : all_statuses) {
    if (dot_colour(s) != colour) continue;
    if (found) return std::nullopt;
    found = s;
  }
  return found;
}
}  // namespace

std::optional<Status> parse_status(std::string_view name) {
  for (Status s : all_statuses)
    if (to_string(s) == name) return s;
  return std::nullopt;
}

std::optional<NumberType> parse_number_type(std::string_view name) {
  for (NumberType t : all_number_types)
    if (to_string(t) == name) return t;
  return std::nullopt;
}

std::optional<Status> parse_status_alias(std::string_view text) {
  if (auto status = parse_status(text)) return status;  // the common case, without copies
  std::string name = text::underscored(text::lower(text::trim(text)));
  if (auto status = parse_status(name)) return status;
  return status_of_colour(name);
}

std::optional<NumberType> parse_number_type_alias(std::string_view text) {
  if (auto type = parse_number_type(text)) return type;  // the common case, without copies
  std::string name = text::underscored(text::lower(text::trim(text)));
  if (name == "landline" || name == "fixed" || name == "fixed_line") return NumberType::local;
  return parse_number_type(name);
}

std::string_view to_string(RiskBand band) {
  switch (band) {
    case RiskBand::low: return "low";
    case RiskBand::medium: return "medium";
    case RiskBand::high: return "high";
  }
  return "low";
}

std::optional<RiskBand> parse_risk_band(std::string_view name) {
  for (RiskBand band : {RiskBand::low, RiskBand::medium, RiskBand::high})
    if (name == to_string(band)) return band;
  return std::nullopt;
}

namespace {
// One name table per outbox enum: the names stored in carrier_calls and shown by show and due.
constexpr std::array<std::string_view, all_call_kinds.size()> call_kind_names{"order",   "release",   "compliance", "port",
                                                                              "address", "emergency", "cnam"};
constexpr std::array<std::string_view, all_call_states.size()> call_state_names{"owed", "calling", "done", "failed"};
}  // namespace

std::string_view to_string(CallKind kind) { return name_in(call_kind_names, kind); }
std::string_view to_string(CallState state) { return name_in(call_state_names, state); }
std::optional<CallKind> parse_call_kind(std::string_view name) { return parse_named<CallKind>(call_kind_names, name); }
std::optional<CallState> parse_call_state(std::string_view name) { return parse_named<CallState>(call_state_names, name); }

CallKind stored_call_kind(std::string_view name) {
  if (auto kind = parse_call_kind(name)) return *kind;
  fail(ErrorCategory::database, "carrier_calls holds an unknown kind '" + std::string(name) + "': a newer numctl wrote it?");
}

CallState stored_call_state(std::string_view name) {
  if (auto state = parse_call_state(name)) return *state;
  fail(ErrorCategory::database, "carrier_calls holds an unknown state '" + std::string(name) + "': a newer numctl wrote it?");
}

}  // namespace numctl

namespace numctl {

std::optional<CostGroup> parse_cost_group(std::string_view name) {
  if (name.empty()) return std::nullopt;
  return parse_named<CostGroup>(cost_group_names, name);
}

}  // namespace numctl
