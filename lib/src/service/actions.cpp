// Routing, risk and cancellation of owned numbers: assign, unassign, flag, unflag, cancel, restore.
#include "service_impl.hpp"
#include "../validation.hpp"

namespace numctl {

std::vector<NumberRecord> Service::assign(const std::vector<std::string>& inputs, const Assignee& assignee,
                                          const RunOptions& run) {
  return for_each_owned(inputs, Action::assign, run, [&](NumberRecord& record) {
    const auto& transition = require_transition(record, Action::assign);
    set_assignee(record, assignee);
    apply(record, transition,
          details({{assignee.kind == Assignee::Kind::team ? "team" : "member", assignee.name}}));
  });
}

std::vector<NumberRecord> Service::unassign(const std::vector<std::string>& inputs, const RunOptions& run) {
  return for_each_owned(inputs, Action::unassign, run, [&](NumberRecord& record) {
    const auto& transition = require_transition(record, Action::unassign);
    auto before = details({{"team", record.team}, {"member", record.member}});
    set_assignee(record, std::nullopt);
    apply(record, transition, before);
  });
}

std::vector<NumberRecord> Service::flag(const std::vector<std::string>& inputs, const std::optional<std::string>& typed,
                                        const RunOptions& run) {
  auto reason = to_nfc(typed);
  require(check_free_text("reason", reason));
  return for_each_owned(inputs, Action::flag, run, [&](NumberRecord& record) {
    record.risk_reason = reason;
    apply(record, require_transition(record, Action::flag), details({{"reason", reason}}));
  });
}

std::vector<NumberRecord> Service::set_label(const std::vector<std::string>& inputs,
                                             const std::optional<std::string>& typed, const RunOptions& run) {
  auto label = to_nfc(typed);
  require(check_free_text("label", label));
  return for_each_owned(inputs, Action::set_label, run, [&](NumberRecord& record) {
    const auto& transition = require_transition(record, Action::set_label);
    auto before = record.label;
    record.label = label;
    apply(record, transition, details({{"label", label}, {"was", before}}));
  });
}

std::vector<NumberRecord> Service::unflag(const std::vector<std::string>& inputs, const RunOptions& run) {
  return for_each_owned(inputs, Action::unflag, run, [&](NumberRecord& record) {
    auto before = details({{"reason", record.risk_reason}});
    record.risk_reason.reset();
    apply(record, require_transition(record, Action::unflag), before);
  });
}

std::vector<NumberRecord> Service::cancel(const std::vector<std::string>& inputs, const std::optional<std::string>& typed,
                                          const RunOptions& run) {
  auto reason = to_nfc(typed);
  require(check_free_text("reason", reason));
  auto now = clock_.now();
  std::string release = format_iso8601(now + std::chrono::days(config_.cancellation_grace_days));
  return for_each_owned(inputs, Action::cancel, run, [&](NumberRecord& record) {
    const auto& transition = require_transition(record, Action::cancel);
    record.previous_status = record.status;
    record.cancel_reason = reason;
    record.cancel_requested_at = format_iso8601(now);
    Status target = lifecycle::target_status(transition, record.status, record.previous_status, false);
    // Still reachable during the grace period so customers can call; a withdrawn order is gone now.
    record.release_at = target == Status::to_be_cancelled ? release : format_iso8601(now);
    apply(record, transition, details({{"reason", reason}, {"release_at", record.release_at}}));
    if (record.status == Status::cancelled) set_assignee(record, std::nullopt);
  });
}

std::vector<NumberRecord> Service::restore(const std::vector<std::string>& inputs, const RunOptions& run) {
  return for_each_owned(inputs, Action::restore, run, [&](NumberRecord& record) {
    const auto& transition = require_transition(record, Action::restore);
    // The grace period is the deadline, whether or not the sweep has released the number yet.
    if (record.release_at && *record.release_at <= now_iso())
      fail(ErrorCategory::refused, "cannot restore " + record.display + ": its grace period ended at " + *record.release_at +
                                       " (" + std::string(lifecycle::describe(transition.guard)) +
                                       "); the next numctl sweep releases it");
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
  });
}

}  // namespace numctl
