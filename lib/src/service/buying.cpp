// Buying numbers (by number, or the provider's next ones) and replacing high-risk numbers with
// new ones of the same country and type.
#include "service_impl.hpp"
#include "util/batch.hpp"
#include "numctl/text.hpp"
#include "domain/validation.hpp"
#include "numctl/error.hpp"
#include "numctl/phone.hpp"
#include "numctl/query.hpp"

#include <unordered_map>
#include <unordered_set>

namespace numctl {

namespace {
// A number released after it was flagged high risk: carriers' analytics still know it as spam.
bool retired_as_spam(const NumberRecord& record) {
  return record.status == Status::cancelled && record.previous_status == Status::high_risk;
}
}  // namespace

Bought Service::buy_one(const ParsedNumber& parsed, const BuyOptions& options, NumberType type,
                        const std::optional<std::string>& replaces,
                        const std::optional<AtCarrier>& held) {
  auto existing = store_.find_number(parsed.e164);
  std::optional<Status> from = existing ? std::optional<Status>(existing->status) : std::nullopt;
  const Transition* transition = lifecycle::find(Action::buy, from);
  if (!transition)
    fail(ErrorCategory::refused, parsed.display + " is already owned (status " + std::string(to_string(*from)) +
                                     "); see numctl show " + parsed.e164);
  if (existing && retired_as_spam(*existing) && !options.force)
    fail(ErrorCategory::refused, parsed.display + " was released as high risk (" +
                                     existing->risk_reason.value_or("flagged") + ") on " +
                                     existing->release_at.value_or("?").substr(0, 10) +
                                     "; carriers may still label it spam: pick another, or buy it with --force");
  NumberType number_type = type;
  // With a carrier, what the regulator asks is the carrier's to check ([regulation] is not consulted).
  auto required = held ? std::vector<std::string>{} : config_.required_documents_for(parsed.country, number_type);
  std::string now = now_iso();
  NumberRecord fresh = record_of(parsed, number_type);
  fresh.id = existing ? existing->id : 0;
  // Never active while the carrier's own order is open, whatever the regulator asks.
  bool order_open = held && !held->open_order.empty();
  bool waiting = held && held->waiting;
  fresh.status = lifecycle::target_status(*transition, Status::active, std::nullopt, !required.empty() || order_open || waiting);
  fresh.label = options.label;
  fresh.replaces = replaces;
  if (held) {
    fresh.provider = held->provider;
    if (!held->ref.empty()) fresh.provider_ref = held->ref;
    if (!held->compliance.empty()) fresh.compliance = held->compliance;
  }
  fresh.bought_at = now;
  if (fresh.status == Status::active) fresh.activated_at = now;
  if (auto price = price_of(fresh.e164, fresh.country, number_type)) {
    fresh.monthly_price = price->minor;
    fresh.currency = price->currency;
  }
  check_max_price(fresh, options);
  // The carrier holds its own orders for review: numctl sets them no deadline.
  if (fresh.status == Status::pending && !held) fresh.expires_at = order_deadline(clock_.now());
  if (existing) {
    // A new lifecycle: the documents of the earlier ones do not count for this order.
    store_.retire_documents(existing->id, now);
    store_.update_number(fresh);
  } else {
    store_.insert_number(fresh);
  }
  set_assignee(fresh, options.assignee);
  record_audit(
      fresh.e164, Action::buy, from, fresh.status,
      details(
          {{"type", std::string(to_string(number_type))},
           {"team", fresh.team},
           {"member", fresh.member},
           {"label", fresh.label},
           {"replaces", replaces},
           {"provider", fresh.provider},
           {"provider_ref", fresh.provider_ref},
           {"monthly_price",
            fresh.monthly_price ? std::optional(format_amount(*fresh.monthly_price, *fresh.currency)) : std::nullopt},
           {"currency", fresh.currency},
           {"carrier_order",
            order_open ? std::optional<std::string>("open at " + held->provider + " (" + held->open_order + ")") : std::nullopt},
           {"compliance", fresh.compliance},
           {"waiting", waiting ? std::optional<std::string>("the order waits for " + held->compliance + " to be approved at " +
                                                            held->provider)
                               : std::nullopt},
           {"forced",
            existing && retired_as_spam(*existing) ? std::optional<std::string>("released as high risk") : std::nullopt},
           {"required_documents", required.empty() ? std::nullopt : std::optional(text::join(required, ","))}}));
  owe_team_address(fresh);
  return {fresh, required};
}

std::vector<Bought> Service::buy(const std::vector<std::string>& inputs, const BuyOptions& options, const RunOptions& run) {
  if (inputs.empty()) fail(ErrorCategory::invalid_input, "no numbers given (pass numbers, or --country and --type)");
  BuyOptions settled = options;
  settled.label = to_nfc(options.label);
  require(check_free_text("label", settled.label));
  auto bought = provider().remote() ? buy_at_carrier(inputs, settled, run)
                                    : in_transaction(run, [&] { return buy_inputs(inputs, settled); });
  std::vector<NumberRecord> records;
  for (const auto& b : bought) records.push_back(b.record);
  send_team_addresses(records, run);
  return bought;
}

std::vector<Bought> Service::buy_inputs(const std::vector<std::string>& inputs, const BuyOptions& options) {
  {
    if (options.assignee) {
      if (options.assignee->kind == Assignee::Kind::team) require_team(options.assignee->name);
      else require_member(options.assignee->name);
    }
    std::vector<Bought> bought;
    Batch batch;
    std::unordered_set<std::string> seen;
    for (std::size_t i = 0; i < inputs.size(); ++i) {
      std::string subject = inputs[i];
      batch.attempt([&] {
        ParsedNumber parsed = parse_phone_number(inputs[i], options.region ? options.region : config_.default_region);
        subject = parsed.display;
        if (!seen.insert(parsed.e164).second) {
          batch.add(invalid(parsed.display + " is given twice"), i, {}, subject);
          return;
        }
        require(check_manageable(parsed));
        auto type = settle_type(parsed, options.type);
        bought.push_back(buy_one(parsed, options, type.value_or_raise()));
      }, i, &subject);
    }
    if (!batch.empty()) batch.raise_refused(inputs.size(), "bought");
    return bought;
  }
}

std::vector<std::string> Service::available(const AvailabilityRequest& request) {
  std::vector<std::string> out;
  for (auto& offer : offers(request)) out.push_back(std::move(offer.e164));
  return out;
}

NumberRecord Service::purchase_preview(const std::string& e164, std::optional<NumberType> type) {
  ParsedNumber parsed = parse_phone_number(e164, std::nullopt);
  NumberRecord record;
  record.e164 = parsed.e164;
  record.display = parsed.display;
  record.country = parsed.country;
  record.type = parsed.type.value_or(type.value_or(NumberType::local));
  const Transition* buy = lifecycle::find(Action::buy, std::nullopt);
  bool documents = !config_.required_documents_for(record.country, record.type).empty();
  record.status = buy ? lifecycle::target_status(*buy, Status::active, std::nullopt, documents) : Status::active;
  if (provider().remote()) record.provider = std::string(provider().name());
  if (auto price = price_of(record.e164, record.country, record.type)) {
    record.monthly_price = price->minor;
    record.currency = price->currency;
  }
  return record;
}

std::vector<Bought> Service::buy_from_provider(const AvailabilityRequest& request, std::size_t count,
                                               const BuyOptions& options, const RunOptions& run) {
  if (count == 0 || count > 10000) fail(ErrorCategory::invalid_input, "--count must be from 1 to 10000");
  BuyOptions typed = options;
  typed.label = to_nfc(options.label);
  require(check_free_text("label", typed.label));
  AvailabilityRequest wanted = request;
  wanted.limit = count;
  typed.type = request.type;
  typed.force = false;
  if (provider().remote()) {
    // A carrier is asked outside the write lock; two buyers offered the same number place one
    // order between them (the outbox holds one open order per number).
    auto numbers = available(wanted);
    if (numbers.size() < count)
      fail(ErrorCategory::not_found, "the " + std::string(provider().name()) + " provider offers " +
                                         std::to_string(numbers.size()) + " matching numbers, " + std::to_string(count) +
                                         " were asked for; nothing bought");
    auto bought = buy_at_carrier(numbers, typed, run);
    std::vector<NumberRecord> records;
    for (const auto& b : bought) records.push_back(b.record);
    send_team_addresses(records, run);
    return bought;
  }
  // The pick happens under the write lock: two buyers at once take different numbers.
  return in_transaction(run, [&] {
    auto numbers = available(wanted);
    if (numbers.size() < count)
      fail(ErrorCategory::not_found, "the " + std::string(provider().name()) + " provider offers " +
                                         std::to_string(numbers.size()) + " matching numbers, " + std::to_string(count) +
                                         " were asked for; nothing bought");
    typed.type = request.type;
    typed.force = false;  // a pick never takes a number retired as spam
    return buy_inputs(numbers, typed);
  });
}

std::vector<Replacement> Service::replace(const std::vector<std::string>& inputs, const std::optional<std::string>& with,
                                          const RunOptions& run) {
  if (with && inputs.size() != 1) fail(ErrorCategory::invalid_input, "--with names the new number of one replacement; give one number");
  if (provider().remote()) return replace_at_carrier(inputs, with, run);
  std::vector<Replacement> replacements;
  for_each_owned(inputs, Action::replace, run, [&](NumberRecord& record) { replacements.push_back(replace_one(record, with)); });
  return replacements;
}

// At a carrier the new numbers are ordered first, one by one through the outbox (the carrier is
// never called under the write lock); each old number is retired once its replacement is in the
// ledger. A replacement the carrier refuses leaves its old number as it was (exit 6).
std::vector<Replacement> Service::replace_at_carrier(const std::vector<std::string>& inputs,
                                                     const std::optional<std::string>& with, const RunOptions& run) {
  // The new numbers picked from the carrier's offers first, outside the write lock (a number
  // offered twice goes to the first replacement); then everything checked as offline, rolled back.
  std::unordered_map<std::string, std::string> picks;  // old e164 -> new e164
  std::unordered_set<std::string> taken;
  for (const auto& input : inputs) {
    if (with) break;
    NumberRecord record;
    try {
      record = resolve(input);
    } catch (const Error&) {
      continue;  // reported with every other problem below
    }
    if (picks.count(record.e164) || !lifecycle::find(Action::replace, record.status)) continue;
    AvailabilityRequest request;
    request.country = record.country;
    request.type = record.type;
    request.near_digits = national_significant_digits(record.e164);
    request.limit = taken.size() + 1;
    auto candidates = available(request);
    if (candidates.size() <= taken.size()) {
      request.near_digits.clear();
      candidates = available(request);
    }
    for (const auto& candidate : candidates)
      if (taken.insert(candidate).second) {
        picks[record.e164] = candidate;
        break;
      }
  }
  std::vector<std::pair<NumberRecord, std::string>> plan;
  std::vector<Replacement> planned;
  for_each_owned(inputs, Action::replace, RunOptions{DryRun::yes, {}}, [&](NumberRecord& record) {
    auto pick = picks.find(record.e164);
    Replacement r = replace_one(record, with ? with : pick == picks.end() ? std::nullopt : std::optional(pick->second));
    plan.emplace_back(r.old_number, r.new_number.e164);
    planned.push_back(std::move(r));
  });
  if (run.dry_run == DryRun::yes) return planned;
  std::vector<Replacement> done;
  std::vector<Offender> refused;
  for (auto& [before, new_e164] : plan) {
    BuyOptions options;
    options.label = before.label;
    if (before.member) options.assignee = Assignee{Assignee::Kind::member, *before.member};
    else if (before.team) options.assignee = Assignee{Assignee::Kind::team, *before.team};
    std::vector<Bought> bought;
    try {
      bought = buy_at_carrier({new_e164}, options, RunOptions{});
    } catch (const Error& error) {
      // One refused order does not stop the others: the old number stays as it was, named below.
      if (error.category() != ErrorCategory::carrier) throw;
      refused.push_back({before.display, "", error.offenders().empty() ? error.what() : error.offenders().front().reason});
      continue;
    }
    Store::Transaction transaction(store_);
    NumberRecord old_number = resolve(before.e164);
    NumberRecord fresh = resolve(new_e164);
    const auto& transition = require_transition(old_number, Action::replace);
    fresh.replaces = old_number.e164;
    store_.update_number(fresh);
    retire_replaced(old_number, transition, fresh);
    done.push_back(Replacement{old_number, fresh, bought.front().required_documents});
    transaction.commit();
  }
  if (!refused.empty()) {
    std::string message = "replaced " + std::to_string(done.size()) + " of " + std::to_string(plan.size()) + " numbers";
    for (const auto& r : done) message += (&r == &done.front() ? " (" : ", ") + r.old_number.e164 + " by " + r.new_number.e164;
    if (!done.empty()) message += ")";
    message += "; the carrier refused " + std::to_string(refused.size()) + ": " + refused.front().number + ": " +
               refused.front().reason + (refused.size() > 1 ? "; and " + std::to_string(refused.size() - 1) + " more" : "") +
               ". Each stays as it was: numctl replace finishes the work (numctl filter --status high_risk --format plain "
               "| numctl replace -)";
    throw Error(ErrorCategory::carrier, message, std::move(refused));
  }
  return done;
}

void Service::retire_replaced(NumberRecord& old_number, const Transition& transition, const NumberRecord& fresh) {
  auto now = clock_.now();
  old_number.previous_status = old_number.status;
  old_number.cancel_requested_at = format_iso8601(now);
  old_number.release_at = format_iso8601(now + std::chrono::days(config_.cancellation_grace_days));
  old_number.replaced_by = fresh.e164;
  old_number.cancel_reason = "replaced by " + fresh.e164;
  // The old number keeps its routing until release so callers still reach the same team.
  apply(old_number, transition, details({{"replaced_by", fresh.e164}, {"release_at", old_number.release_at}}));
}

Replacement Service::replace_one(NumberRecord& old_number, const std::optional<std::string>& with) {
  const auto& transition = require_transition(old_number, Action::replace);
  std::string new_e164;
  if (with) {
    ParsedNumber parsed = parse_phone_number(*with, config_.default_region);
    if (parsed.country != old_number.country)
      fail(ErrorCategory::invalid_input, parsed.display + " is in " + parsed.country + ", but " + old_number.display +
                                             " is in " + old_number.country + "; a replacement keeps the country");
    new_e164 = parsed.e164;
  } else {
    std::string nsn = national_significant_digits(old_number.e164);
    AvailabilityRequest request;
    request.country = old_number.country;
    request.type = old_number.type;
    request.near_digits = nsn;
    request.limit = 1;
    auto candidates = available(request);
    if (candidates.empty()) {
      request.near_digits.clear();
      candidates = available(request);
    }
    if (candidates.empty())
      fail(ErrorCategory::not_found, "no " + std::string(to_string(old_number.type)) + " number in " + old_number.country +
                                         " is available to replace " + old_number.display + "; pass one with --with");
    new_e164 = candidates.front();
  }
  ParsedNumber parsed = parse_phone_number(new_e164, std::nullopt);
  auto type = settle_type(parsed, old_number.type);
  if (!type) fail(ErrorCategory::invalid_input, type.problem().message + "; a replacement keeps the type");
  // The new number takes over the assignment and label; its buy entry in the audit says so.
  BuyOptions options;
  options.label = old_number.label;
  if (old_number.member) options.assignee = Assignee{Assignee::Kind::member, *old_number.member};
  else if (old_number.team) options.assignee = Assignee{Assignee::Kind::team, *old_number.team};
  Bought bought = buy_one(parsed, options, type.value(), old_number.e164);
  retire_replaced(old_number, transition, bought.record);
  return Replacement{old_number, bought.record, bought.required_documents};
}

}  // namespace numctl
