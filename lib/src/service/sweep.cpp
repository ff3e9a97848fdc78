// The sweep cron runs: releases numbers whose grace ended and expires stale pending orders.
#include "service_impl.hpp"
#include "numctl/emergency_service.hpp"
#include "numctl/error.hpp"

#include <algorithm>
#include <tuple>

namespace numctl {

SweepResult Service::sweep(const SweepOptions& options, const RunOptions& run) {
  TimePoint clock_now = clock_.now();
  TimePoint now = options.as_of.value_or(clock_now);
  if (now > clock_now && !options.force_time && run.dry_run == DryRun::no)
    fail(ErrorCategory::invalid_input, "--now " + format_iso8601(now) + " is later than the clock (" +
                                           format_iso8601(clock_now) +
                                           "): a sweep then would release numbers before their time; add --dry-run to "
                                           "look ahead, or --force-time if this is meant");
  std::optional<std::string> run_at;
  if (now != clock_now) run_at = format_iso8601(clock_now);
  // At a carrier a number is released there first, through the outbox, one by one.
  if (provider().remote()) return sweep_at_carrier(now, run_at, run);
  return in_transaction(run, [&] {
    SweepResult result;
    std::string now_text = format_iso8601(now);
    // Releases are set-based (one UPDATE and one INSERT into the audit for all due numbers):
    // a cron sweep may release tens of thousands at once. The table says where they go.
    const Transition* release = lifecycle::find(Action::release, Status::to_be_cancelled);
    if (release != nullptr) {
      Status to = lifecycle::target_status(*release, Status::to_be_cancelled, std::nullopt, false);
      result.released = store_.release_due(now_text, to, run_at, actor_, std::string(to_string(release->action)));
      report(run, "releasing", result.released.size(), result.released.size());
    }
    std::size_t done = 0;
    std::string cutoff = format_iso8601(now - std::chrono::days(config_.pending_expiry_days));
    auto stale = store_.pending_expired(now_text, cutoff);
    if (store_.wants_prefetch() && !stale.empty()) {
      // Expiries are checked and applied one by one, and written together.
      std::vector<std::string> keys;
      keys.reserve(stale.size());
      for (const auto& record : stale) keys.push_back(record.e164);
      store_.prefetch_numbers(keys);
    }
    done = 0;
    for (auto& record : stale) {
      report(run, "expiring", ++done, stale.size());
      const Transition* transition = lifecycle::find(Action::expire, record.status);
      if (!transition) continue;
      // Bought before the cutoff, but a document that came in later keeps the order open.
      if (auto expires = order_expires_at(record); expires && *expires > now) continue;
      if (reviewed_at_carrier(record)) continue;  // the carrier holds it for review: due reports it
      expire_one(record, now_text, run_at, {});
      result.expired.push_back(record);
    }
    return result;
  });
}

std::pair<std::int64_t, std::int64_t> Service::due_counts(TimePoint until) {
  std::string until_text = format_iso8601(until);
  auto [releasing, expiring] = store_.count_due(until_text);
  // Orders placed before deadlines were stored: their deadline is computed, one by one (few).
  auto cutoff = format_iso8601(until - std::chrono::days(config_.pending_expiry_days));
  for (auto& record : store_.pending_expired(format_iso8601(TimePoint{}), cutoff))
    if (auto expires = order_expires_at(record); expires && *expires <= until) ++expiring;
  return {releasing, expiring};
}

std::vector<DueEvent> Service::due(TimePoint until) {
  std::vector<DueEvent> events;
  std::string until_text = format_iso8601(until);
  for (auto& record : store_.releasing_until(until_text)) {
    bool overdue = record.release_at && *record.release_at <= now_iso();
    std::string action = record.replaced_by ? "replaced by " + *record.replaced_by + "; nothing to do"
                         : overdue          ? "grace ended; the next numctl sweep releases it"
                                            : "numctl restore " + record.e164 + " to keep it";
    std::string at = record.release_at.value_or("");
    events.push_back({std::move(record), "release", std::move(at), std::move(action)});
  }
  auto cutoff = format_iso8601(until - std::chrono::days(config_.pending_expiry_days));
  port_due(until, events);
  EmergencyService(*this).due(events);
  // Numbers whose documents the carrier rejected: pending until the profile is fixed and passes.
  for (const auto& profile : store_.profiles()) {
    if (profile.state != ReviewState::rejected) continue;
    for (auto& record : store_.numbers_using(profile.name))
      if (record.status == Status::pending)
        events.push_back({std::move(record), "compliance_rejected", profile.updated_at,
                          fmt::format("documents rejected by the carrier: {}, fix with numctl compliance update {} and "
                                      "numctl compliance submit {}",
                                      profile.reason.value_or("no reason given"), profile.name, profile.name)});
  }
  for (auto& record : store_.pending_expired(until_text, cutoff)) {
    auto expires = order_expires_at(record);
    if (!expires || *expires > until) continue;
    if (reviewed_at_carrier(record)) {
      // numctl does not expire what the carrier holds for review: it says how long it has waited.
      if (record.compliance_status && *record.compliance_status == to_string(ReviewState::rejected)) continue;
      auto since = record.bought_at ? parse_iso8601(*record.bought_at) : std::nullopt;
      auto waited =
          since ? std::chrono::duration_cast<std::chrono::days>(clock_.now() - *since).count() : config_.pending_expiry_days;
      std::string action = fmt::format("pending at the carrier for {} days", waited);
      if (record.compliance)
        action += fmt::format(" ({} is {}); numctl compliance refresh reads the verdict", *record.compliance,
                              record.compliance_status.value_or("unknown"));
      events.push_back({std::move(record), "carrier_pending", format_iso8601(*expires), std::move(action)});
      continue;
    }
    auto missing = document_status(record.e164).missing;
    std::string action = missing.empty() ? "numctl approve " + record.e164
                                         : "numctl docs submit " + record.e164 + " --kind " + missing.front() +
                                               " --file PATH";
    events.push_back({std::move(record), "expire", format_iso8601(*expires), std::move(action)});
  }
  // Numbers whose reputation feed stopped: their newest reading turns stale (older than
  // max_age_days, so the policy ignores it) by `until`.
  auto max_age = std::chrono::days(config_.reputation.max_age_days);
  for (auto& [record, last] : store_.stale_readings(format_iso8601(until - max_age))) {
    auto checked = parse_iso8601(last);
    std::string at = checked ? format_iso8601(*checked + max_age) : last;
    events.push_back({std::move(record), "stale_reputation", std::move(at),
                      "last reading " + last + "; check the feed (numctl reputation import, or refresh)"});
  }
  // Calls the carrier still owes: overdue by definition, retried by the next sweep.
  for (CallKind kind : {CallKind::release, CallKind::order})
    for (auto& call : store_.open_carrier_calls(kind)) {
      auto record = store_.find_number(call.number);
      NumberRecord shown = record ? *record : NumberRecord{};
      if (!record) {
        shown.e164 = shown.display = call.number;
        shown.status = Status::pending;
      }
      std::string action = "numctl sweep retries the " + std::string(to_string(kind)) + " at " + call.provider;
      if (record && record->compliance && call.details.find("\"when_approved\"") != std::string::npos)
        action = fmt::format("waiting for {} ({}); numctl compliance refresh places the order once it is approved",
                             *record->compliance, record->compliance_status.value_or("unknown"));
      if (call.last_error) action += " (last: " + *call.last_error + ")";
      events.push_back({std::move(shown), std::string(to_string(kind)) + "_owed", call.created_at, std::move(action)});
    }
  std::sort(events.begin(), events.end(), [](const DueEvent& a, const DueEvent& b) {
    return std::tie(a.at, a.record.e164) < std::tie(b.at, b.record.e164);
  });
  return events;
}

}  // namespace numctl
