// Routing, risk and cancellation of owned numbers: assign, unassign, flag, unflag, cancel,
// restore, set_label. Each has one step on one record (the `_one` functions, which an import
// with --on-conflict update runs too) and a batch form over typed numbers.
#include "service_impl.hpp"
#include "domain/validation.hpp"

namespace numctl {

void Service::assign_one(NumberRecord& record, const Assignee& assignee) {
  const auto& transition = require_transition(record, Action::assign);
  set_assignee(record, assignee);
  apply(record, transition, details({{assignee.kind == Assignee::Kind::team ? "team" : "member", assignee.name}}));
  owe_team_address(record);
}

void Service::unassign_one(NumberRecord& record) {
  const auto& transition = require_transition(record, Action::unassign);
  auto before = details({{"team", record.team}, {"member", record.member}});
  set_assignee(record, std::nullopt);
  apply(record, transition, before);
}

void Service::flag_one(NumberRecord& record, const std::optional<std::string>& reason) {
  const auto& transition = require_transition(record, Action::flag);
  record.risk_reason = reason;
  apply(record, transition, details({{"reason", reason}}));
  // A person decided: the reputation policy never unflags it, and weighs only newer readings.
  store_.note_risk_change(record.id, std::string(risk_by_operator), now_iso());
}

void Service::unflag_one(NumberRecord& record, const std::optional<std::string>& why) {
  const auto& transition = require_transition(record, Action::unflag);
  auto before = details({{"reason", record.risk_reason}, {"unflag_reason", why}});
  record.risk_reason.reset();
  apply(record, transition, before);
  // The readings it was unflagged against do not flag it again; a newer one may.
  store_.note_risk_change(record.id, std::string(risk_by_operator), now_iso());
}

void Service::set_label_one(NumberRecord& record, const std::optional<std::string>& label) {
  const auto& transition = require_transition(record, Action::set_label);
  // The same label again changes nothing, so it is not a change in the history either.
  if (record.label == label) return;
  auto before = record.label;
  record.label = label;
  apply(record, transition, details({{"label", label}, {"was", before}}));
}

void Service::cancel_one(NumberRecord& record, const std::optional<std::string>& reason) {
  const auto& transition = require_transition(record, Action::cancel);
  auto now = clock_.now();
  record.previous_status = record.status;
  record.cancel_reason = reason;
  record.cancel_requested_at = format_iso8601(now);
  Status target = lifecycle::target_status(transition, record.status, record.previous_status, false);
  // Still reachable during the grace period so customers can call; a withdrawn order is gone now.
  record.release_at = target == Status::to_be_cancelled
                          ? format_iso8601(now + std::chrono::days(config_.cancellation_grace_days))
                          : format_iso8601(now);
  apply(record, transition, details({{"reason", reason}, {"release_at", record.release_at}}));
  if (record.status == Status::cancelled) {
    set_assignee(record, std::nullopt);
    owe_withdrawal(record);
  }
}

void Service::restore_one(NumberRecord& record) {
  // The grace period is the deadline, whether or not the sweep has released the number yet
  // (require_transition's time guard).
  const auto& transition = require_transition(record, Action::restore);
  // Restoring a replaced number would route two numbers to one team with the replacement
  // still claiming to replace it. The replacement carries the routing now; to go back to the
  // old number, buy it again once released.
  if (record.replaced_by)
    fail(ErrorCategory::refused, "cannot restore " + record.display + ": it was replaced by " + *record.replaced_by +
                                     ", which carries its routing now (a replaced number stays replaced; cancel " +
                                     *record.replaced_by + " separately if it is not wanted)");
  auto before = details({{"release_at", record.release_at}, {"replaced_by", record.replaced_by}});
  apply(record, transition, before);
  record.previous_status.reset();
  record.cancel_reason.reset();
  record.cancel_requested_at.reset();
  record.release_at.reset();
  record.replaced_by.reset();
  store_.update_number(record);
}

std::vector<NumberRecord> Service::assign(const std::vector<std::string>& inputs, const Assignee& assignee,
                                          const RunOptions& run) {
  auto changed = for_each_owned(inputs, Action::assign, run, [&](NumberRecord& record) { assign_one(record, assignee); });
  send_team_addresses(changed, run);
  return changed;
}

std::vector<NumberRecord> Service::unassign(const std::vector<std::string>& inputs, const RunOptions& run) {
  return for_each_owned(inputs, Action::unassign, run, [&](NumberRecord& record) { unassign_one(record); });
}

std::vector<NumberRecord> Service::flag(const std::vector<std::string>& inputs, const std::optional<std::string>& typed,
                                        const RunOptions& run) {
  auto reason = to_nfc(typed);
  require(check_free_text("reason", reason));
  return for_each_owned(inputs, Action::flag, run, [&](NumberRecord& record) { flag_one(record, reason); });
}

std::vector<NumberRecord> Service::set_label(const std::vector<std::string>& inputs,
                                             const std::optional<std::string>& typed, const RunOptions& run) {
  auto label = to_nfc(typed);
  if (label && label->empty()) label.reset();  // --label '' clears it, as --no-label does
  require(check_free_text("label", label));
  return for_each_owned(inputs, Action::set_label, run, [&](NumberRecord& record) { set_label_one(record, label); });
}

std::vector<NumberRecord> Service::unflag(const std::vector<std::string>& inputs, const std::optional<std::string>& typed,
                                          const RunOptions& run) {
  auto reason = to_nfc(typed);
  require(check_free_text("reason", reason));
  return for_each_owned(inputs, Action::unflag, run, [&](NumberRecord& record) { unflag_one(record, reason); });
}

std::vector<NumberRecord> Service::cancel(const std::vector<std::string>& inputs, const std::optional<std::string>& typed,
                                          const RunOptions& run) {
  auto reason = to_nfc(typed);
  require(check_free_text("reason", reason));
  return for_each_owned(inputs, Action::cancel, run, [&](NumberRecord& record) { cancel_one(record, reason); });
}

std::vector<NumberRecord> Service::restore(const std::vector<std::string>& inputs, const RunOptions& run) {
  return for_each_owned(inputs, Action::restore, run, [&](NumberRecord& record) { restore_one(record); });
}

}  // namespace numctl
