// Ordering numbers at a carrier through the outbox: the offers, the order of each number (its
// call owed before the carrier hears of it), and settling orders whose answer was lost or whose
// process died by asking the carrier whether it holds the number.
#include "service_impl.hpp"
#include "numctl/error.hpp"
#include "numctl/phone.hpp"
#include "numctl/text.hpp"

#include <nlohmann/json.hpp>

#include <algorithm>

namespace numctl {
namespace {

// The carrier answered (a refusal), as opposed to a call that never reached it.
bool reached(const Error& error) {
  for (const auto& [key, value] : error.fields())
    if (key == "carrier_status") return true;
  return error.category() != ErrorCategory::carrier;
}

// The outbox call of one number's order (Outbox::start claims it for this process); one that
// waits for a bundle's approval names the bundle.
CarrierCall order_call(const NumberRecord& r, const BuyOptions& options, const std::string& provider,
                       const std::optional<std::string>& when_approved = std::nullopt) {
  CarrierCall call;
  call.kind = CallKind::order;
  call.number = r.e164;
  call.provider = provider;
  call.action = "buy";
  auto assignee = [&](Assignee::Kind kind) {
    return options.assignee && options.assignee->kind == kind ? std::optional(options.assignee->name) : std::nullopt;
  };
  call.details = details({{"type", std::string(to_string(r.type))},
                          {"label", options.label},
                          {"team", assignee(Assignee::Kind::team)},
                          {"member", assignee(Assignee::Kind::member)},
                          {"when_approved", when_approved}});
  return call;
}

// "ordered 3 of 5 numbers at twilio (in the inventory now: ...); 1 failed: ...; 1 with an
// unknown outcome: ...": what a batch that did not all go through left behind.
std::string partial_order_message(const std::vector<Bought>& bought, std::size_t planned, const std::string& provider,
                                  const std::vector<Offender>& failed, const std::vector<Offender>& unknown) {
  std::string message = "ordered " + std::to_string(bought.size()) + " of " + std::to_string(planned) + " numbers at " + provider;
  if (!bought.empty()) {
    message += " (in the inventory now:";
    for (std::size_t i = 0; i < bought.size() && i < 5; ++i) message += " " + bought[i].record.e164;
    if (bought.size() > 5) message += " and " + std::to_string(bought.size() - 5) + " more";
    message += ")";
  }
  auto more = [&](const std::vector<Offender>& list, const std::string& what) {
    if (list.empty()) return;
    message += "; " + std::to_string(list.size()) + what + list.front().number + ": " + list.front().reason;
    if (list.size() > 1) message += "; and " + std::to_string(list.size() - 1) + " more (--json lists them)";
  };
  more(failed, " failed: ");
  more(unknown, " with an unknown outcome: ");
  return message;
}

}  // namespace

std::string Service::provider_check() { return provider().check(); }

std::vector<Offer> Service::offers(const AvailabilityRequest& request, std::size_t* skipped) {
  if (!is_known_country(request.country)) fail(ErrorCategory::invalid_input, unknown_country_message(request.country));
  AvailabilityRequest normalised = request;
  normalised.country = text::upper(request.country);
  for (char c : request.contains)
    if (!std::isdigit(static_cast<unsigned char>(c)))
      fail(ErrorCategory::invalid_input, "--contains takes digits only, got '" + request.contains + "'");
  // Owned numbers are not offered, nor numbers released as high risk (carriers' analytics still
  // know them as spam).
  auto offered = provider().offers(normalised, [&](const std::string& e164) {
    auto record = store_.find_number(e164);
    return record && (record->status != Status::cancelled || record->previous_status == Status::high_risk);
  });
  // Each offer with its monthly price: the carrier's for that number (remembered for its
  // purchase), else the list price of its country and type.
  for (auto& offer : offered) {
    std::optional<Money> price;
    if (offer.monthly_price && offer.currency)
      if (auto currency = parse_currency(*offer.currency))
        if (auto amount = parse_amount(*offer.monthly_price, *currency)) price = Money{*amount, *currency};
    if (price) {
      offered_prices_[offer.e164] = *price;
    } else if (request.type || !provider().remote()) {
      NumberType type = request.type.value_or(NumberType::local);
      if (!request.type) {
        try {
          type = parse_phone_number(offer.e164, std::nullopt).type.value_or(type);
        } catch (const Error&) {  // an offer numctl cannot read is left out below
        }
      }
      price = list_price(normalised.country, type);
    }
    if (price) {
      offer.monthly_price = format_amount(price->minor, price->currency);
      offer.currency = price->currency;
    }
  }
  if (!provider().remote()) return offered;
  std::size_t unreadable = 0;
  std::erase_if(offered, [&](const Offer& offer) {
    try {
      parse_phone_number(offer.e164, std::nullopt);
      return false;
    } catch (const Error& error) {
      if (error.category() != ErrorCategory::invalid_input) throw;
      ++unreadable;
      return true;
    }
  });
  if (skipped) *skipped = unreadable;
  return offered;
}

void Service::settle_carrier_order(CarrierCall& call, const std::string& order_ref) {
  OrderOutcome outcome;
  std::optional<Error> failure;
  try {
    outcome = provider().order_status(order_ref);
  } catch (const Error& error) {
    if (error.category() != ErrorCategory::carrier) throw;
    failure = error;
  }
  bool failed = failure && reached(*failure);  // a refusal, not an unanswered call
  Store::Transaction transaction(store_);
  auto record = store_.find_number(call.number);
  if (failure && !failed) {
    outbox().settle(call, CallState::owed, failure->what());
  } else if (failed) {
    // The carrier did not complete the order: the number is withdrawn, as a pending order is.
    if (record && record->status == Status::pending) {
      cancel_one(*record, std::optional<std::string>("the carrier's order failed: " + std::string(failure->what())));
    }
    outbox().settle(call, CallState::failed, failure->what());
  } else if (outcome.state == OrderOutcome::State::pending) {
    outbox().settle(call, CallState::owed);  // still open at the carrier: asked again next time
  } else {
    call.provider_ref = outcome.provider_ref;
    outbox().settle(call, CallState::done);
    if (record && record->status == Status::pending) {
      if (!outcome.provider_ref.empty()) record->provider_ref = outcome.provider_ref;
      // Complete at the carrier: its review (where the regulator asks for one) passed, so the
      // number is ready now; the carrier's verdict, recorded as the carrier's act.
      const Transition* approve = lifecycle::find(Action::carrier_approve, record->status);
      if (approve) {
        ActingAs carrier_acts(actor_, "carrier");
        record->activated_at = now_iso();
        apply(*record, *approve,
              details({{"carrier_order", "completed at " + call.provider + " (" + order_ref + ")"},
                       {"compliance", record->compliance}}));
      } else {
        store_.update_number(*record);
        AuditEntry entry;
        entry.at = now_iso();
        entry.actor = actor_;
        entry.action = "carrier_order";
        entry.number = record->e164;
        entry.from_status = entry.to_status = std::string(to_string(record->status));
        entry.details = details({{"carrier_order", "completed at " + call.provider + " (" + order_ref + ")"},
                                 {"provider_ref", record->provider_ref}});
        store_.append_audit(std::move(entry));
      }
    } else if (record && record->status == Status::cancelled && !record->replaced_by && !outcome.provider_ref.empty()) {
      // Withdrawn here while the carrier was still completing the order: now that the carrier
      // holds (and bills) the number, its release is owed like any withdrawn order's.
      record->provider = call.provider;
      record->provider_ref = outcome.provider_ref;
      store_.update_number(*record);
      owe_withdrawal(*record);
    }
  }
  transaction.commit();
}

void Service::settle_interrupted_orders() {
  for (auto& call : outbox().claimable_calls(CallKind::order)) {
    // An order the carrier is still completing: ask how it ended.
    auto details_json = nlohmann::json::parse(call.details, nullptr, false);
    if (details_json.is_object() && details_json.contains("order_ref") && details_json["order_ref"].is_string()) {
      settle_carrier_order(call, details_json["order_ref"].get<std::string>());
      continue;
    }
    // Not placed yet: it waits for its bundle's approval (compliance refresh places it).
    if (details_json.is_object() && details_json.contains("when_approved")) continue;
    {
      Store::Transaction transaction(store_);
      auto current = outbox().claim(CallKind::order, call.number);
      if (!current) continue;  // settled or taken meanwhile
      call = std::move(*current);
      transaction.commit();
    }
    std::optional<HeldNumber> held;
    try {
      held = provider().lookup(call.number);
    } catch (const Error& error) {
      if (error.category() != ErrorCategory::carrier) throw;
      outbox().settle_alone(call, CallState::owed, error.what());
      continue;
    }
    Store::Transaction transaction(store_);
    if (held) {
      // The carrier holds it: the order went through before the process died. Into the ledger
      // as the order asked, unless it is there already.
      auto existing = store_.find_number(call.number);
      if (!existing || existing->status == Status::cancelled) {
        auto details = nlohmann::json::parse(call.details, nullptr, false);
        BuyOptions options;
        NumberType type = NumberType::local;
        if (details.is_object()) {
          type = parse_number_type(details.value("type", "local")).value_or(NumberType::local);
          if (details.contains("label") && details["label"].is_string()) options.label = details["label"].get<std::string>();
          if (details.contains("team") && details["team"].is_string())
            options.assignee = Assignee{Assignee::Kind::team, details["team"].get<std::string>()};
          if (details.contains("member") && details["member"].is_string())
            options.assignee = Assignee{Assignee::Kind::member, details["member"].get<std::string>()};
        }
        if (options.assignee && !(options.assignee->kind == Assignee::Kind::team ? team_named(options.assignee->name)
                                                                                 : member_named(options.assignee->name)))
          options.assignee.reset();  // removed meanwhile: the number is kept, unassigned
        ParsedNumber parsed = parse_phone_number(call.number, std::nullopt);
        buy_one(parsed, options, type, std::nullopt, AtCarrier{call.provider, held->provider_ref, {}, {}, false});
      }
      call.provider_ref = held->provider_ref;
      outbox().settle(call, CallState::done);
    } else {
      outbox().settle(call, CallState::failed, "the carrier does not hold it: the order was not placed");
    }
    transaction.commit();
  }
}

// The order placed: into the ledger, the call settled (or left open while the carrier completes it).
Bought Service::record_order(CarrierCall& call, const NumberRecord& r, const BuyOptions& options, const OrderOutcome& outcome,
                             const std::string& compliance) {
  Store::Transaction transaction(store_);
  ParsedNumber parsed = parse_phone_number(r.e164, std::nullopt);
  bool open = outcome.state == OrderOutcome::State::pending;
  Bought bought =
      buy_one(parsed, options, r.type, std::nullopt,
              AtCarrier{call.provider, outcome.provider_ref, open ? outcome.order_ref : std::string(), compliance, false});
  if (open) {
    // The carrier completes the order later: the call stays open with the order's id, and
    // the next sync (or sweep, or buy) asks the carrier how it ended.
    call.details = details({{"type", std::string(to_string(r.type))}, {"order_ref", outcome.order_ref}});
    outbox().settle(call, CallState::owed);
  } else {
    call.provider_ref = outcome.provider_ref;
    outbox().settle(call, CallState::done);
  }
  transaction.commit();
  return bought;
}

std::vector<Bought> Service::buy_at_carrier(const std::vector<std::string>& inputs, const BuyOptions& options,
                                            const RunOptions& run) {
  if (run.dry_run == DryRun::no) settle_interrupted_orders();
  // Every number checked as an offline purchase checks it, then rolled back: the carrier is
  // called only for a batch numctl would accept.
  std::vector<Bought> planned;
  {
    Store::Transaction transaction(store_);
    planned = buy_inputs(inputs, options);
  }
  // Where the regulator asks, the compliance profile each order goes with: refused here, before
  // any order, when there is none the purchase may use.
  std::vector<std::optional<ComplianceProfile>> profiles;
  for (const auto& plan : planned) profiles.push_back(profile_for_order(plan.record, options));
  if (run.dry_run == DryRun::yes) return planned;
  std::string name(provider().name());
  std::vector<Bought> bought;
  std::vector<Offender> failed, unknown;
  std::size_t done = 0;
  for (std::size_t i = 0; i < planned.size(); ++i) {
    report(run, "ordering", ++done, planned.size());
    const NumberRecord& r = planned[i].record;
    const auto& profile = profiles[i];
    std::string compliance = profile ? profile->name : std::string();
    if (profile && profile->state != ReviewState::approved && provider().compliance()->approval_before_order()) {
      // --when-approved: the number waits, pending, and its order is owed until the bundle is approved.
      Store::Transaction transaction(store_);
      bought.push_back(buy_one(parse_phone_number(r.e164, std::nullopt), options, r.type, std::nullopt,
                               AtCarrier{name, {}, {}, compliance, true}));
      outbox().owe(order_call(r, options, name, compliance));
      transaction.commit();
      continue;
    }
    CarrierCall call = order_call(r, options, name);
    if (!outbox().start(call)) {
      failed.push_back({r.display, "", "an order for it is already in flight (the next numctl sweep settles it)"});
      continue;
    }
    try {
      bought.push_back(record_order(
          call, r, options,
          provider().order(r.e164, r.type, r.country, profile ? profile->carrier_ref.value_or("") : std::string()), compliance));
    } catch (const Error& error) {
      if (error.category() == ErrorCategory::database || error.category() == ErrorCategory::internal) throw;
      if (error.category() == ErrorCategory::config) {
        outbox().settle_alone(call, CallState::failed, error.what());
        throw;  // refused credentials: every order would be
      }
      // A refusal may answer a retry whose first attempt went through ("not available": it is
      // ours already), and an unanswered order may have gone through: the carrier is asked.
      std::optional<HeldNumber> held;
      bool known = true;
      try {
        held = provider().lookup(r.e164);
      } catch (const Error& lookup_error) {
        if (lookup_error.category() == ErrorCategory::database || lookup_error.category() == ErrorCategory::internal) throw;
        known = false;
      }
      if (held) {
        OrderOutcome outcome;
        outcome.provider_ref = held->provider_ref;
        bought.push_back(record_order(call, r, options, outcome, compliance));
      } else if (known && reached(error)) {
        outbox().settle_alone(call, CallState::failed, error.what());  // refused, and not held: nothing bought
        failed.push_back({r.display, "", error.what()});
      } else {
        // Neither the order nor the carrier answered: the outcome is unknown until sync (or the
        // next buy or sweep) asks the carrier. The call stays owed.
        outbox().settle_alone(call, CallState::owed, error.what());
        unknown.push_back(
            {r.display, "", std::string("outcome unknown (") + error.what() + "); numctl sync asks the carrier and settles it"});
      }
    }
  }
  if (!failed.empty() || !unknown.empty()) {
    std::string message = partial_order_message(bought, planned.size(), name, failed, unknown);
    failed.insert(failed.end(), unknown.begin(), unknown.end());
    throw Error(ErrorCategory::carrier, message, std::move(failed));
  }
  return bought;
}

}  // namespace numctl
