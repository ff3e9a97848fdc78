// The carrier's verdict: compliance refresh (and sync) finish builds a crash interrupted, read
// every open review, and act on it. Approved: numbers whose order waited for the bundle are
// ordered now (a number taken meanwhile is replaced by a similar one, said in the audit), and
// orders the carrier held complete, their numbers active (actor "carrier"). Rejected: the numbers
// stay pending and show the carrier's reason.
#include "service_impl.hpp"
#include "numctl/error.hpp"
#include "numctl/phone.hpp"
#include "numctl/text.hpp"

#include <nlohmann/json.hpp>

#include <set>

namespace numctl {
namespace {

// The profile an outbox call builds: "profile:<id>".
std::optional<std::int64_t> profile_id_of(const CarrierCall& call) {
  if (!call.number.starts_with("profile:")) return std::nullopt;
  try {
    return std::stoll(call.number.substr(8));
  } catch (...) {
    return std::nullopt;
  }
}

std::string waiting_for(const CarrierCall& call) {
  auto details = nlohmann::json::parse(call.details, nullptr, false);
  if (!details.is_object() || !details.contains("when_approved") || !details["when_approved"].is_string()) return {};
  return details["when_approved"].get<std::string>();
}

}  // namespace

ComplianceRefreshed Service::refresh_compliance(const RunOptions& run) {
  compliance_carrier();
  ComplianceRefreshed result;
  if (run.dry_run == DryRun::yes) {
    // What is open, read from the ledger only: nothing is asked of the carrier.
    for (const auto& profile : store_.profiles())
      if (profile.provider == provider().name() && profile.state == ReviewState::in_review) ++result.open;
    return result;
  }
  review_open_profiles(result);
  return result;
}

void Service::review_open_profiles(ComplianceRefreshed& result) {
  auto& carrier = compliance_carrier();
  std::string name(provider().name());
  // Builds a crash left half made: finished, finding what they made by the name numctl gave it.
  for (auto& call : outbox().claimable_calls(CallKind::compliance)) {
    auto id = profile_id_of(call);
    {
      Store::Transaction transaction(store_);
      auto current = outbox().claim(CallKind::compliance, call.number);
      if (!current) continue;
      call = std::move(*current);
      transaction.commit();
    }
    auto profile = id ? store_.find_profile(*id) : std::nullopt;
    if (!profile) {
      outbox().settle_alone(call, CallState::failed, "the profile is gone from the ledger");
      continue;
    }
    try {
      Review review = build_profile(*profile, true);
      Store::Transaction transaction(store_);
      if (profile->state == ReviewState::creating) record_review(*profile, review, "compliance_build");
      outbox().settle(call, CallState::done);
      transaction.commit();
      result.changed.push_back(view_of(*profile));
    } catch (const Error& error) {
      if (error.category() != ErrorCategory::carrier) throw;
      outbox().settle_alone(call, CallState::owed, error.what());
      result.problems.push_back({profile->name, "", error.what()});
    }
  }
  std::set<std::string> pending_before;
  for (auto& profile : store_.profiles()) {
    if (profile.provider != name || !profile.carrier_ref) continue;
    for (const auto& number : store_.numbers_using(profile.name))
      if (number.status == Status::pending) pending_before.insert(number.e164);
    // An open review, and a draft or rejected profile too: a submission whose answer was lost
    // left it in review at the carrier while the ledger still says otherwise.
    if (profile.state == ReviewState::approved || profile.state == ReviewState::creating) continue;
    ++result.open;
    auto regulations = carrier_regulations(profile.country, profile.type, false);
    const RegulationInfo* regulation = nullptr;
    for (const auto& r : regulations)
      if (r.end_user_type == profile.end_user_type) regulation = &r;
    Review review;
    try {
      review = carrier.review(*profile.carrier_ref, regulation);
    } catch (const Error& error) {
      if (error.category() != ErrorCategory::carrier) throw;
      result.problems.push_back({profile.name, "", error.what()});
      continue;
    }
    if (review.state == ReviewState::draft) continue;  // nothing decided yet
    auto before = std::pair(profile.state, profile.carrier_status);
    Store::Transaction transaction(store_);
    record_review(profile, review, "compliance_review");
    transaction.commit();
    if (before != std::pair(profile.state, profile.carrier_status)) result.changed.push_back(view_of(profile));
  }
  for (const auto& profile : store_.profiles())
    if (profile.provider == name && profile.state == ReviewState::approved) place_waiting_orders(profile, result);
  // Orders the carrier held for its review complete (or fail) now.
  settle_interrupted_orders();
  for (const auto& e164 : pending_before)
    if (auto record = store_.find_number(e164); record && record->status == Status::active) result.activated.push_back(*record);
}

void Service::place_waiting_orders(const ComplianceProfile& profile, ComplianceRefreshed& result) {
  for (auto& waiting : store_.numbers_using(profile.name)) {
    if (waiting.status != Status::pending || waiting.provider_ref) continue;
    CarrierCall call;
    {
      Store::Transaction transaction(store_);
      auto open = store_.open_carrier_call(CallKind::order, waiting.e164);
      if (!open || waiting_for(*open).empty() || !outbox().claimable(*open)) continue;
      auto claimed = outbox().claim(CallKind::order, waiting.e164);
      if (!claimed) continue;
      call = std::move(*claimed);
      transaction.commit();
    }
    std::string e164 = waiting.e164;
    OrderOutcome outcome;
    std::optional<std::string> refused;
    try {
      outcome = provider().order(e164, waiting.type, waiting.country, *profile.carrier_ref);
    } catch (const Error& error) {
      if (error.category() != ErrorCategory::carrier) throw;
      if (auto held = provider().lookup(e164))
        outcome.provider_ref = held->provider_ref;  // a retry of ours
      else
        refused = error.what();
    }
    if (refused) {
      // Taken meanwhile: a similar number (same country, type, and leading digits) instead.
      AvailabilityRequest request;
      request.country = waiting.country;
      request.type = waiting.type;
      request.limit = 1;
      std::string national = parse_phone_number(e164, std::nullopt).national_digits;
      request.near_digits = national.substr(0, std::min<std::size_t>(national.size(), 4));
      auto offers = provider().offers(request, [&](const std::string& n) { return store_.find_number(n).has_value(); });
      if (offers.empty()) {
        outbox().settle_alone(call, CallState::owed, *refused);
        result.problems.push_back({waiting.display, "", *refused + "; no similar number is offered now"});
        continue;
      }
      e164 = offers.front().e164;
      try {
        outcome = provider().order(e164, waiting.type, waiting.country, *profile.carrier_ref);
      } catch (const Error& error) {
        if (error.category() != ErrorCategory::carrier) throw;
        outbox().settle_alone(call, CallState::owed, error.what());
        result.problems.push_back({waiting.display, "", error.what()});
        continue;
      }
    }
    Store::Transaction transaction(store_);
    ActingAs carrier_acts(actor_, "carrier");
    auto record = store_.find_number(waiting.e164).value_or(waiting);
    std::string placed = fmt::format("placed at {} once {} {} was approved", profile.provider,
                                     provider().compliance()->profile_word(), profile.name);
    if (e164 != waiting.e164) {
      // The waiting number is withdrawn; the one ordered takes its place, assignment and label.
      std::optional<Assignee> assignee;
      if (record.member)
        assignee = Assignee{Assignee::Kind::member, *record.member};
      else if (record.team)
        assignee = Assignee{Assignee::Kind::team, *record.team};
      cancel_one(record, fmt::format("taken at {} while waiting for {} {}; ordered {} instead", profile.provider,
                                     provider().compliance()->profile_word(), profile.name, e164));
      BuyOptions options;
      options.assignee = assignee;
      options.label = record.label;
      record = buy_one(parse_phone_number(e164, std::nullopt), options, waiting.type, std::nullopt,
                       AtCarrier{profile.provider, outcome.provider_ref, {}, profile.name, false})
                   .record;
      placed += "; " + waiting.e164 + " was taken meanwhile";
    } else {
      record.provider = profile.provider;
      record.provider_ref = outcome.provider_ref;
      record.activated_at = now_iso();
      apply(record, *lifecycle::find(Action::carrier_approve, Status::pending),
            details({{"carrier_order", placed}, {"provider_ref", outcome.provider_ref}, {"compliance", profile.carrier_ref}}));
    }
    call.provider_ref = outcome.provider_ref;
    outbox().settle(call, CallState::done, std::nullopt);
    transaction.commit();
    result.ordered.push_back(record);
  }
}

}  // namespace numctl
