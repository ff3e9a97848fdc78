// The table of the number lifecycle: the only place that says which action is allowed in which
// status and where it leads.
#include "numctl/lifecycle.hpp"
#include "numctl/text.hpp"

#include <algorithm>
#include <array>

namespace numctl {

std::string_view to_string(Action action) {
  switch (action) {
    case Action::buy: return "buy";
    case Action::submit_documents: return "submit_documents";
    case Action::approve: return "approve";
    case Action::reject: return "reject";
    case Action::assign: return "assign";
    case Action::unassign: return "unassign";
    case Action::flag: return "flag";
    case Action::unflag: return "unflag";
    case Action::replace: return "replace";
    case Action::cancel: return "cancel";
    case Action::restore: return "restore";
    case Action::set_label: return "set_label";
    case Action::release: return "release";
    case Action::expire: return "expire";
    case Action::carrier_approve: return "carrier_approve";
    case Action::port_in: return "port_in";
    case Action::port_complete: return "port_complete";
    case Action::port_fail: return "port_fail";
    case Action::port_out: return "port_out";
    case Action::emergency: return "emergency";
    case Action::caller_name: return "caller_name";
  }
  return "";
}

std::vector<std::string> audit_actions() {
  std::vector<std::string> names;
  for (const auto& transition : lifecycle::table())
    if (std::find(names.begin(), names.end(), to_string(transition.action)) == names.end())
      names.emplace_back(to_string(transition.action));
  for (const char* event : {"import",
                            "carrier_order",
                            "carrier_release",
                            "release_orphan",
                            "team_add",
                            "team_remove",
                            "team_rename",
                            "team_merge",
                            "member_add",
                            "member_move",
                            "member_remove",
                            "repair_text",
                            "compliance_create",
                            "compliance_update",
                            "compliance_build",
                            "compliance_submit",
                            "compliance_review",
                            "price",
                            "usage_import",
                            "usage_refresh",
                            "usage_prune",
                            "port_order",
                            "port_update",
                            "port_out_answer",
                            "address_add",
                            "address_remove",
                            "emergency_status",
                            "team_address"})
    names.emplace_back(event);
  return names;
}

std::string_view command_for(Action action) {
  switch (action) {
    case Action::submit_documents: return "docs submit";
    case Action::set_label: return "set";
    case Action::release:
    case Action::expire: return "sweep";
    case Action::carrier_approve: return "compliance refresh";
    case Action::port_in: return "port-in create";
    case Action::port_complete: return "port-in complete";
    case Action::port_fail: return "port-in cancel";
    case Action::port_out: return "port-out record";
    case Action::emergency: return "emergency set";
    case Action::caller_name: return "cnam set";
    default: return to_string(action);
  }
}

std::optional<Action> action_of_command(std::string_view command) {
  for (const Transition& t : lifecycle::table())
    if (t.operator_action && command_for(t.action) == command) return t.action;
  return std::nullopt;
}

namespace lifecycle {
namespace {

using S = Status;
constexpr auto P = S::pending, A = S::active, H = S::high_risk, T = S::to_be_cancelled, C = S::cancelled, I = S::porting_in,
               O = S::ported_out;

// clang-format off
constexpr std::array<Transition, 47> rules{{
  // action                    from          target                to             guard                      operator  note
  {Action::buy,              std::nullopt, Target::by_regulation, std::nullopt, Guard::not_owned,          true,  "pending when the country's regulator asks for documents, else active"},
  {Action::buy,              C,            Target::by_regulation, std::nullopt, Guard::not_owned,          true,  "a released number may be bought again: a new lifecycle, history kept"},
  {Action::submit_documents, P,            Target::same,          std::nullopt, Guard::order_open,         true,  "documents wait for review inside the database"},
  {Action::approve,          P,            Target::fixed,         A,            Guard::documents_complete,   true,  "the regulator accepted every required document (offline providers)"},
  {Action::carrier_approve,  P,            Target::fixed,         A,            Guard::carrier_verdict,      false, "with a carrier, its review decides: read by compliance refresh and sync"},
  {Action::reject,           P,            Target::same,          std::nullopt, Guard::none,               true,  "documents are marked rejected; the order waits for new ones"},
  {Action::assign,           P,            Target::same,          std::nullopt, Guard::none,               true,  ""},
  {Action::assign,           A,            Target::same,          std::nullopt, Guard::none,               true,  ""},
  {Action::assign,           H,            Target::same,          std::nullopt, Guard::none,               true,  ""},
  {Action::unassign,         P,            Target::same,          std::nullopt, Guard::none,               true,  ""},
  {Action::unassign,         A,            Target::same,          std::nullopt, Guard::none,               true,  ""},
  {Action::unassign,         H,            Target::same,          std::nullopt, Guard::none,               true,  ""},
  {Action::assign,           T,            Target::same,          std::nullopt, Guard::none,               true,  "a number in its grace period still rings: its calls can be routed elsewhere"},
  {Action::unassign,         T,            Target::same,          std::nullopt, Guard::none,               true,  ""},
  {Action::flag,             A,            Target::fixed,         H,            Guard::none,               true,  "e.g. labelled spam by carriers"},
  {Action::unflag,           H,            Target::fixed,         A,            Guard::none,               true,  ""},
  {Action::replace,          H,            Target::fixed,         T,            Guard::none,               true,  "a new number of the same country and type takes over the assignment"},
  {Action::cancel,           P,            Target::fixed,         C,            Guard::none,               true,  "an order still waiting for documents is withdrawn at once"},
  {Action::cancel,           A,            Target::fixed,         T,            Guard::none,               true,  "keeps receiving calls until release_at, so customers can still reach the business"},
  {Action::cancel,           H,            Target::fixed,         T,            Guard::none,               true,  "keeps receiving calls until release_at, so customers can still reach the business"},
  {Action::restore,          T,            Target::previous,      std::nullopt, Guard::grace_not_over,     true,  "undo a cancellation inside the grace period (not a replacement)"},
  {Action::set_label,        P,            Target::same,          std::nullopt, Guard::none,               true,  "labels are the operator's notes: editable while the number is held"},
  {Action::set_label,        A,            Target::same,          std::nullopt, Guard::none,               true,  ""},
  {Action::set_label,        H,            Target::same,          std::nullopt, Guard::none,               true,  ""},
  {Action::set_label,        T,            Target::same,          std::nullopt, Guard::none,               true,  ""},
  {Action::release,          T,            Target::fixed,         C,            Guard::grace_over,         false, "the grace period ended: the number goes back to the carrier"},
  {Action::expire,           P,            Target::fixed,         C,            Guard::order_stale,        false, "documents never came: the order is withdrawn"},
  {Action::port_in,          std::nullopt, Target::fixed,         I,            Guard::not_owned,          true,  "a number brought from another carrier: it does not ring here until the port completes"},
  {Action::port_in,          C,            Target::fixed,         I,            Guard::not_owned,          false, "a released number, should it have gone to another carrier since (port-in create, not its menu)"},
  {Action::port_in,          O,            Target::fixed,         I,            Guard::not_owned,          true,  "a number that left by port may come back the same way"},
  {Action::assign,           I,            Target::same,          std::nullopt, Guard::none,               true,  "assigned ahead of the cut-over, it rings for the right team from the first minute"},
  {Action::unassign,         I,            Target::same,          std::nullopt, Guard::none,               true,  ""},
  {Action::set_label,        I,            Target::same,          std::nullopt, Guard::none,               true,  ""},
  {Action::port_complete,    I,            Target::by_regulation, std::nullopt, Guard::port_completed,     true,  "pending where the country still asks for documents, else active"},
  {Action::port_fail,        I,            Target::fixed,         C,            Guard::none,               true,  "the order was cancelled, or failed for good at the carrier"},
  {Action::port_out,         P,            Target::fixed,         O,            Guard::ported_away,        false, "the number left to another carrier: not billed, kept with its history"},
  {Action::port_out,         A,            Target::fixed,         O,            Guard::ported_away,        false, ""},
  {Action::port_out,         H,            Target::fixed,         O,            Guard::ported_away,        false, ""},
  {Action::port_out,         T,            Target::fixed,         O,            Guard::ported_away,        false, ""},
  {Action::emergency,        P,            Target::same,          std::nullopt, Guard::none,               true,  "where emergency calls say the caller is: registered at the carrier"},
  {Action::emergency,        A,            Target::same,          std::nullopt, Guard::none,               true,  ""},
  {Action::emergency,        H,            Target::same,          std::nullopt, Guard::none,               true,  ""},
  {Action::emergency,        T,            Target::same,          std::nullopt, Guard::none,               true,  "a number in its grace period still calls and may still need its address"},
  {Action::caller_name,      P,            Target::same,          std::nullopt, Guard::none,               true,  "the name called parties see (CNAM)"},
  {Action::caller_name,      A,            Target::same,          std::nullopt, Guard::none,               true,  ""},
  {Action::caller_name,      H,            Target::same,          std::nullopt, Guard::none,               true,  ""},
  {Action::caller_name,      T,            Target::same,          std::nullopt, Guard::none,               true,  ""},
}};
// clang-format on

}  // namespace

std::span<const Transition> table() { return rules; }

const Transition* find(Action action, std::optional<Status> from) {
  for (const auto& rule : table())
    if (rule.action == action && rule.from == from) return &rule;
  return nullptr;
}

std::vector<Action> allowed_actions(Status status) {
  std::vector<Action> actions;
  for (const auto& rule : table())
    if (rule.from == status && rule.operator_action && std::find(actions.begin(), actions.end(), rule.action) == actions.end())
      actions.push_back(rule.action);
  return actions;
}

std::string refusal_message(std::string_view number, Status status, Action action) {
  std::vector<std::string> allowed;
  for (Action a : allowed_actions(status)) allowed.emplace_back(command_for(a));
  std::string message =
      std::string(number) + " is " + std::string(to_string(status)) + ": " + std::string(command_for(action)) + " is not allowed";
  message += allowed.empty() ? " (nothing is allowed in this status)" : " (allowed: " + text::join(allowed, ", ") + ")";
  return message;
}

Status target_status(const Transition& transition, Status current, std::optional<Status> previous, bool documents_required) {
  switch (transition.target) {
    case Target::fixed: return *transition.to;
    case Target::same: return current;
    case Target::previous: return previous.value_or(Status::active);
    case Target::by_regulation: return documents_required ? Status::pending : Status::active;
  }
  return current;
}

bool listed_by_default(Status status) { return status != Status::cancelled && status != Status::ported_out; }

bool billed(Status status) { return status != Status::cancelled && status != Status::ported_out && status != Status::porting_in; }

bool may_be_idle(Status status) { return status == Status::active || status == Status::pending || status == Status::high_risk; }

bool left_carrier(Status status) { return status == Status::cancelled || status == Status::ported_out; }

bool claims_service(Status status) {
  return status != Status::pending && status != Status::cancelled && status != Status::ported_out;
}

bool makes_calls(Status status) { return status == Status::active || status == Status::high_risk; }

std::vector<Status> statuses_where(bool (*test)(Status)) {
  std::vector<Status> out;
  for (Status status : all_statuses)
    if (test(status)) out.push_back(status);
  return out;
}

std::string_view describe(Guard guard) {
  switch (guard) {
    case Guard::none: return "";
    case Guard::documents_complete:
      return "every required document submitted, before the order expires, and the carrier's order complete";
    case Guard::grace_not_over: return "release_at not reached";
    case Guard::grace_over: return "release_at reached";
    case Guard::order_stale: return "pending longer than pending_expiry_days";
    case Guard::order_open: return "before the order expires (expires_at)";
    case Guard::not_owned: return "not owned";
    case Guard::carrier_verdict: return "the carrier approved the regulatory review and completed the order";
    case Guard::port_completed: return "the carrier ported the number (offline providers: the operator says so)";
    case Guard::ported_away: return "the carrier reports the number ported to another carrier";
  }
  return "";
}

std::string_view describe(Status status) {
  switch (status) {
    case Status::pending: return "bought in a country whose regulation requires documents; waits for review";
    case Status::active: return "ready to use";
    case Status::high_risk: return "e.g. labelled spam by carriers; may be replaced";
    case Status::to_be_cancelled: return "under cancellation or replaced; still receives incoming calls until release_at";
    case Status::cancelled: return "released; kept for history";
    case Status::porting_in: return "on a port-in order from another carrier; does not ring here until the port completes";
    case Status::ported_out: return "left to another carrier by port; kept for history, not billed";
  }
  return "";
}

std::string to_dot() {
  auto colour = [](Status s) -> std::string_view {
    switch (s) {
      case Status::active: return "#2e9e44";
      case Status::pending: return "#e0b400";
      case Status::high_risk: return "#d23c3c";
      case Status::porting_in: return "#3b6fd6";
      default: return "#8a8a8a";
    }
  };
  std::string dot = "digraph numctl_lifecycle {\n  rankdir=LR;\n  node [shape=box, style=\"rounded\", fontname=\"Helvetica\"];\n";
  dot += "  edge [fontname=\"Helvetica\", fontsize=10];\n  not_owned [label=\"(not owned)\", shape=plaintext];\n";
  for (Status s : all_statuses)
    dot += "  " + std::string(to_string(s)) + " [label=\"● " + std::string(to_string(s)) + "\", color=\"" +
           std::string(colour(s)) + "\", fontcolor=\"" + std::string(colour(s)) + "\"];\n";
  auto edge = [&](std::string_view from, std::string_view to, const Transition& rule) {
    std::string label(command_for(rule.action));
    if (rule.guard != Guard::none && rule.guard != Guard::not_owned) label += "\\n[" + std::string(describe(rule.guard)) + "]";
    dot += "  " + std::string(from) + " -> " + std::string(to) + " [label=\"" + label + "\"" +
           (rule.operator_action ? "" : ", style=dashed") + "];\n";
  };
  for (const auto& rule : table()) {
    std::string from = rule.from ? std::string(to_string(*rule.from)) : "not_owned";
    switch (rule.target) {
      case Target::fixed: edge(from, to_string(*rule.to), rule); break;
      case Target::same: edge(from, from, rule); break;
      case Target::by_regulation:
        edge(from, to_string(Status::pending), rule);
        edge(from, to_string(Status::active), rule);
        break;
      case Target::previous:
        for (Status s : {Status::active, Status::high_risk}) edge(from, to_string(s), rule);
        break;
    }
  }
  dot += "}\n";
  return dot;
}

}  // namespace lifecycle
}  // namespace numctl
