// The one table of statuses, actions and transitions. Every command, `show`'s action list,
// the refusal messages and the Graphviz picture read from it; no rule is decided elsewhere.
#pragma once

#include "numctl/domain.hpp"

#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace numctl {

enum class Action {
  buy,
  submit_documents,
  approve,
  reject,
  assign,
  unassign,
  flag,
  unflag,
  replace,
  cancel,
  restore,
  set_label,        // numctl set: edit a number's label
  release,          // sweep: the grace period is over
  expire,           // sweep: a pending order waited too long for documents
  carrier_approve,  // compliance refresh, sync: the carrier approved the number's regulatory review
  port_in,          // port-in create: a number on its way from another carrier
  port_complete,    // the port completed (port-in refresh, sync; port-in complete offline)
  port_fail,        // port-in cancel, or the carrier cancelled the order for good
  port_out,         // the number left to another carrier (sync, port-out record)
  emergency,        // emergency set / clear: the address emergency calls report
  caller_name,      // cnam set / clear: the name the called party sees
};

std::string_view to_string(Action action);
// Every action name the audit history holds: the table's actions, then the events beside them
// (import, teams and members, what a carrier settled). `log --action` checks against it.
std::vector<std::string> audit_actions();
// The command an operator types for an action ("docs submit", "sweep").
std::string_view command_for(Action action);
// The operator action a command performs ("docs submit" -> submit_documents); none for a
// command that changes no status-bound state (show, docs list).
std::optional<Action> action_of_command(std::string_view command);

// Where a transition leads.
enum class Target {
  fixed,          // to `to`
  same,           // status unchanged (assign, documents, ...)
  previous,       // back to the status held before cancellation (restore)
  by_regulation,  // pending when the country requires documents for the type, else active
};

// Conditions checked by the service with data the table cannot see; named here so that
// messages and docs describe them from one place.
enum class Guard {
  none,
  documents_complete,  // approve: every required kind submitted and not rejected, order not stale
  grace_not_over,      // restore: release_at > now, whether or not the sweep ran
  grace_over,          // release: release_at <= now
  order_stale,         // expire: bought_at + pending_expiry_days <= now
  order_open,          // submit documents: the order's deadline (expires_at) not reached
  not_owned,           // buy: the number is not in the inventory, or only as cancelled
  carrier_verdict,     // carrier_approve: the carrier approved the review (its order complete)
  port_completed,      // port_complete: the carrier ported the number (offline: the operator says so)
  ported_away,         // port_out: the carrier reports the number ported to another carrier
};

struct Transition {
  Action action;
  std::optional<Status> from;  // empty: a number not owned yet
  Target target;
  std::optional<Status> to;    // with Target::fixed
  Guard guard;
  bool operator_action;        // offered in `show` (sweep's actions run from cron)
  std::string_view note;       // the domain reason, shown in docs and the picture
};

namespace lifecycle {

std::span<const Transition> table();
// The transition for this action from this status, or nullptr when the rules refuse it.
const Transition* find(Action action, std::optional<Status> from);
// Actions an operator may take on a number in this status, in table order.
std::vector<Action> allowed_actions(Status status);
// "+49 30 123456 is to_be_cancelled: cancel is not allowed (allowed: restore)".
std::string refusal_message(std::string_view number, Status status, Action action);
// The status a transition leads to, given the number's current and previous status and
// whether the country requires documents.
Status target_status(const Transition& transition, Status current,
                     std::optional<Status> previous, bool documents_required);
// Whether listings show a number in this status without --all (released numbers are history).
bool listed_by_default(Status status);
// Whether a carrier bills a number in this status (a number in its grace still rings; one on its
// way in by port, released or ported away is not). Cost reports and the days held read this.
bool billed(Status status);
// Whether a number in this status can be idle (in service, not on its way out): active,
// pending, high_risk. A number under cancellation is left out, so idle pipes into cancel.
bool may_be_idle(Status status);
// Whether a number in this status makes calls, so emergency services must be able to locate
// its caller (active, high_risk): the emergency gap report reads this.
bool makes_calls(Status status);
// Whether a number in this status has left the carrier (released, ported away): the carrier
// dropped its emergency registration and caller ID name with it.
bool left_carrier(Status status);
// Whether an imported row's status says the number is in service (anything but pending,
// cancelled and ported_out): where the country asks for documents, an import believes it only
// with --trust-status, and then records that the documents are held outside numctl.
bool claims_service(Status status);
// The statuses for which `test` holds, in the order of all_statuses (for SQL IN lists).
std::vector<Status> statuses_where(bool (*test)(Status));
std::string_view describe(Guard guard);
std::string_view describe(Status status);
// The table as a Graphviz digraph.
std::string to_dot();

}  // namespace lifecycle
}  // namespace numctl
