// Releasing numbers at a carrier: the sweep owes each due release to the outbox in one
// transaction, then makes every owed release (a chunk at a time, several calls in flight) and
// moves a number to cancelled only once the carrier confirmed it.
#include "service_impl.hpp"
#include "numctl/error.hpp"

#include <algorithm>
#include <future>

namespace numctl {
namespace {

// A call's outcome, kept whole to be settled on the main thread.
struct CallOutcome {
  bool released = false;
  bool held = true;  // false: the carrier did not hold the number (released already, or never)
  std::optional<std::string> provider_ref;
  std::optional<Error> error;
};

// One owed release made at the carrier (on a worker thread; settled on the main one).
CallOutcome release_at(Provider& carrier, const CarrierCall& call) {
  CallOutcome outcome;
  try {
    // The carrier is asked for the number first: after a process died mid-call (the
    // DELETE may have gone out) nothing is released twice, and the ledger's reference
    // (imported, or typed) is released only when it is the carrier's for this number, so a
    // wrong one can never release another number the account holds.
    auto held = carrier.lookup(call.number);
    if (!held) {
      outcome.released = true;
      outcome.held = false;
      return outcome;
    }
    if (call.provider_ref && *call.provider_ref != held->provider_ref) {
      outcome.error =
          Error(ErrorCategory::carrier, "not released: the ledger's reference " + *call.provider_ref + " for " + call.number +
                                            " is not the carrier's (" + held->provider_ref +
                                            "); numctl sync shows the difference, correct provider_ref and sweep again");
      return outcome;
    }
    std::optional<std::string> ref = held->provider_ref;
    outcome.provider_ref = ref;
    outcome.held = carrier.release(HeldNumber{call.number, *ref});
    outcome.released = true;
  } catch (const Error& error) {
    outcome.error = error;
  }
  return outcome;
}

}  // namespace

void Service::release_one(NumberRecord& record, const std::string& at, const std::optional<std::string>& run_at,
                          const AuditDetails& carrier_details) {
  const Transition* transition = lifecycle::find(Action::release, record.status);
  if (!transition) return;
  AuditDetails detail{{{"release_at", record.release_at}, {"team", record.team}, {"member", record.member}, {"run_at", run_at}}};
  detail += carrier_details;
  set_assignee(record, std::nullopt);
  apply(record, *transition, detail.json(), at);
}

void Service::expire_one(NumberRecord& record, const std::string& at, const std::optional<std::string>& run_at,
                         const AuditDetails& carrier_details) {
  const Transition* transition = lifecycle::find(Action::expire, record.status);
  if (!transition) return;
  record.previous_status = record.status;
  record.cancel_reason = "documents not approved within " + std::to_string(config_.pending_expiry_days) + " days";
  record.cancel_requested_at = at;
  record.release_at = at;
  AuditDetails detail{{{"reason", record.cancel_reason}, {"bought_at", record.bought_at}, {"run_at", run_at}}};
  detail += carrier_details;
  apply(record, *transition, detail.json(), at);
  set_assignee(record, std::nullopt);
}

SweepResult Service::sweep_at_carrier(TimePoint now, const std::optional<std::string>& run_at, const RunOptions& run) {
  SweepResult result;
  std::string now_text = format_iso8601(now);
  std::string name(provider().name());
  if (run.dry_run == DryRun::no) settle_interrupted_orders();
  // 1. What is due becomes owed releases, in one transaction.
  {
    Store::Transaction transaction(store_);
    auto owe = [&](const NumberRecord& record, const char* action) {
      CarrierCall call;
      call.kind = CallKind::release;
      call.number = record.e164;
      call.provider = record.provider.value_or(name);
      call.provider_ref = record.provider_ref;
      call.action = action;
      outbox().owe(call);  // an open one (a failed earlier try) stays as it is
    };
    for (auto& record : store_.releasing_until(now_text)) {
      if (run.dry_run == DryRun::yes) result.released.push_back(record);
      owe(record, "release");
    }
    std::string cutoff = format_iso8601(now - std::chrono::days(config_.pending_expiry_days));
    for (auto& record : store_.pending_expired(now_text, cutoff)) {
      if (auto expires = order_expires_at(record); expires && *expires > now) continue;
      if (reviewed_at_carrier(record)) continue;  // the carrier holds it for review: due reports it
      if (run.dry_run == DryRun::yes) result.expired.push_back(record);
      owe(record, "expire");
    }
    if (run.dry_run == DryRun::yes) return result;  // the carrier hears nothing of a dry run
    transaction.commit();
  }
  // 2. Every release owed (these, and earlier ones the carrier failed), made and settled.
  release_owed(now_text, run_at, run, result);
  return result;
}

// Claims calls[begin, end) for this process, in one transaction; a release whose number is no
// longer on its way out is settled as failed instead, without calling the carrier.
std::vector<CarrierCall> Service::claim_releases(const std::vector<CarrierCall>& calls, std::size_t begin, std::size_t end,
                                                 const std::string& now_text) {
  std::vector<CarrierCall> chunk;
  Store::Transaction transaction(store_);
  for (std::size_t i = begin; i < end; ++i) {
    auto current = outbox().claim(CallKind::release, calls[i].number);
    if (!current) continue;  // another sweep took it meanwhile
    // Owed while the number was on its way out; if it is not any more (restored, bought
    // again), the release would free a number in use: settled without calling the carrier.
    if (auto record = store_.find_number(current->number); !still_leaving(record, current->action, now_text)) {
      outbox().settle(*current, CallState::failed,
                      "not released: the ledger no longer has it on its way out (" +
                          (record ? std::string(to_string(record->status)) : std::string("not in the ledger")) + ")");
      continue;
    }
    chunk.push_back(std::move(*current));
  }
  transaction.commit();
  return chunk;
}

void Service::release_owed(const std::string& now_text, const std::optional<std::string>& run_at, const RunOptions& run,
                           SweepResult& result) {
  // Claimed, called (up to `concurrency` at once) and settled, a chunk at a time.
  auto calls = outbox().claimable_calls(CallKind::release);
  std::size_t width = static_cast<std::size_t>(std::max(1, config_.provider.concurrency));
  Provider& carrier = provider();
  std::size_t done = 0;
  for (std::size_t begin = 0; begin < calls.size(); begin += width) {
    std::vector<CarrierCall> chunk = claim_releases(calls, begin, std::min(calls.size(), begin + width), now_text);
    std::vector<std::future<CallOutcome>> pending;
    for (std::size_t i = 0; i < chunk.size(); ++i)
      pending.push_back(std::async(std::launch::async, [&carrier, call = chunk[i]] { return release_at(carrier, call); }));
    std::vector<CallOutcome> outcomes;
    for (auto& p : pending) outcomes.push_back(p.get());
    Store::Transaction transaction(store_);
    for (std::size_t i = 0; i < chunk.size(); ++i) {
      auto& call = chunk[i];
      auto& outcome = outcomes[i];
      report(run, "releasing", ++done, calls.size());
      if (!outcome.released) {
        if (outcome.error->category() == ErrorCategory::database || outcome.error->category() == ErrorCategory::internal)
          throw *outcome.error;
        outbox().settle(call, CallState::owed, outcome.error->what());
        auto record = store_.find_number(call.number);
        result.owed.push_back({record ? record->display : call.number, "", outcome.error->what()});
        continue;
      }
      if (outcome.provider_ref) call.provider_ref = outcome.provider_ref;
      outbox().settle(call, CallState::done);
      auto record = store_.find_number(call.number);
      if (!record) continue;
      AuditDetails carrier_details{{{"provider", call.provider},
                                    {"provider_ref", call.provider_ref},
                                    {"carrier", outcome.held ? "released" : "not held by the carrier any more"}}};
      if (call.action == "expire") {
        expire_one(*record, now_text, run_at, carrier_details);
        result.expired.push_back(*record);
      } else if (record->status == Status::to_be_cancelled) {
        release_one(*record, now_text, run_at, carrier_details);
        result.released.push_back(*record);
      } else {
        // Cancelled in the ledger already (a withdrawn order): the carrier's release is recorded.
        AuditEntry entry;
        entry.at = now_text;
        entry.actor = actor_;
        entry.action = "carrier_release";
        entry.number = record->e164;
        entry.from_status = entry.to_status = std::string(to_string(record->status));
        entry.details = carrier_details.json();
        store_.append_audit(std::move(entry));
      }
    }
    transaction.commit();
  }
}

}  // namespace numctl
