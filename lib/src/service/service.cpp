// The core of Service: resolving numbers, asking the lifecycle table, applying a transition with
// its audit entry, and running a batch of numbers all-or-nothing. Each operation lives in its
// own unit beside this one (buying, actions, documents, sweep, teams, import_rows).
#include "service_impl.hpp"
#include "util/batch.hpp"
#include "domain/validation.hpp"
#include "numctl/error.hpp"
#include "numctl/phone.hpp"
#include "numctl/text.hpp"
#include "numctl/suggest.hpp"

#include <algorithm>
#include <unordered_set>

namespace numctl {

Service::Service(Store& store, Config config, const Clock& clock, std::string actor)
    : store_(store), config_(std::move(config)), clock_(clock), actor_(to_nfc(actor)) {
  // The actor is written into every audit entry: it must not be able to forge one.
  require(check_name("actor", actor_));
}

std::string Service::now_iso() const { return format_iso8601(clock_.now()); }

std::string Service::order_deadline(TimePoint from) const {
  return format_iso8601(from + std::chrono::days(config_.pending_expiry_days));
}

Provider& Service::provider() {
  if (!provider_) provider_ = make_provider(config_.provider);
  return *provider_;
}

std::string Service::canonical_e164(std::string_view input, const std::optional<std::string>& region) const {
  std::string trimmed(text::trim(input));
  // Canonical input needs no parsing: owned numbers were validated when they were stored.
  if (looks_like_e164(trimmed)) return trimmed;
  return parse_phone_number(trimmed, region ? region : config_.default_region).e164;
}

NumberRecord Service::resolve(std::string_view input, const std::optional<std::string>& region) {
  std::string e164 = canonical_e164(input, region);
  auto record = store_.find_number(e164);
  // Typed almost in E.164 (+49030901821, with the trunk prefix): what libphonenumber makes of it.
  if (!record && looks_like_e164(e164)) {
    std::string parsed;
    try {
      parsed = parse_phone_number(e164, region ? region : config_.default_region).e164;
    } catch (const Error&) {
      // Not a valid number either: it is simply not in the inventory.
    }
    if (!parsed.empty() && parsed != e164) {
      e164 = parsed;
      record = store_.find_number(e164);
    }
  }
  if (!record) fail(ErrorCategory::not_found, e164 + " is not in the inventory (see numctl list, or numctl buy it)");
  // An order placed before deadlines were stored: its deadline as the older rule computes it
  // (written with the number's next change).
  // (An order the carrier holds for review has no deadline of numctl's.)
  if (record->status == Status::pending && !record->expires_at && !reviewed_at_carrier(*record))
    if (auto expires = order_expires_at(*record)) record->expires_at = format_iso8601(*expires);
  return *record;
}

std::vector<Action> Service::allowed_actions(const NumberRecord& record) {
  // What the rules allow now: an action whose deadline passed is not offered.
  std::vector<Action> out;
  for (Action action : lifecycle::allowed_actions(record.status)) {
    // With a carrier, its verdict decides: numctl neither approves nor rejects.
    if ((action == Action::approve || action == Action::reject) && reviewed_at_carrier(record)) continue;
    // ... and whether a port completed (port-in refresh reads it).
    if (action == Action::port_complete && record.provider && provider().porting()) continue;
    if (!deadline_passed(record, *lifecycle::find(action, record.status))) out.push_back(action);
  }
  return out;
}

std::optional<std::string> Service::deadline_passed(const NumberRecord& record, const Transition& transition) {
  auto now = clock_.now();
  switch (transition.guard) {
    case Guard::grace_not_over:
      if (auto at = record.release_at ? parse_iso8601(*record.release_at) : std::nullopt; at && *at <= now)
        return "its grace period ended at " + *record.release_at + "; the next numctl sweep releases it";
      return std::nullopt;
    case Guard::order_open:
    case Guard::documents_complete:
      // An order the carrier holds has no deadline of numctl's: the carrier decides.
      if (reviewed_at_carrier(record)) return std::nullopt;
      // Documents and approval belong to an order still open: after its deadline nothing revives
      // it (a release the carrier still owes would otherwise free a number the ledger calls active).
      // A document that arrives at the deadline itself still counts; approval needs it before.
      if (auto expires = order_expires_at(record);
          expires && (transition.guard == Guard::order_open ? *expires < now : *expires <= now))
        return "the order expired at " + format_iso8601(*expires) + ", " + std::to_string(config_.pending_expiry_days) +
               " days after it was placed or its last document came in; the next numctl sweep withdraws it: buy the "
               "number again to start over";
      return std::nullopt;
    default: return std::nullopt;
  }
}

const Transition& Service::require_transition(const NumberRecord& record, Action action) {
  const Transition* transition = lifecycle::find(action, record.status);
  if (!transition) fail(ErrorCategory::refused, lifecycle::refusal_message(record.display, record.status, action));
  if (auto passed = deadline_passed(record, *transition))
    fail(ErrorCategory::refused, "cannot " + std::string(command_for(action)) + " " + record.display + ": " + *passed);
  return *transition;
}

void Service::record_audit(const std::string& number, Action action, std::optional<Status> from,
                           std::optional<Status> to, std::string_view details_json, std::optional<std::string_view> at) {
  AuditEntry entry{at ? std::string(*at) : now_iso(), actor_, std::string(to_string(action)), number,
                   from ? std::optional<std::string>(std::string(to_string(*from))) : std::nullopt,
                   to ? std::optional<std::string>(std::string(to_string(*to))) : std::nullopt,
                   std::string(details_json)};
  store_.append_audit(std::move(entry));
}

void Service::record_event(std::string_view action, std::string_view details_json) {
  store_.append_audit({now_iso(), actor_, std::string(action), "", std::nullopt, std::nullopt, std::string(details_json)});
}

void Service::apply(NumberRecord& record, const Transition& transition, std::string_view details_json,
                    std::optional<std::string_view> at) {
  Status from = record.status;
  // Only a purchase depends on regulation; other transitions skip the lookup (batches are hot).
  bool documents_required = transition.target == Target::by_regulation &&
                            !config_.required_documents_for(record.country, record.type).empty();
  record.status = lifecycle::target_status(transition, from, record.previous_status, documents_required);
  if (record.status != Status::pending) record.expires_at.reset();  // only an order waiting has a deadline
  if (lifecycle::left_carrier(record.status)) {
    // The carrier dropped its emergency registration and CNAM listing with the number.
    record.emergency_address.reset();
    record.emergency_status.reset();
    record.cnam.reset();
  }
  store_.update_number(record);
  record_audit(record.e164, transition.action, from, record.status, details_json, at);
}

std::vector<NumberRecord> Service::for_each_owned(const std::vector<std::string>& inputs, Action action,
                                                  const RunOptions& run,
                                                  const std::function<void(NumberRecord&)>& step) {
  if (inputs.empty()) fail(ErrorCategory::invalid_input, "no numbers given (pass numbers, or - to read them from stdin)");
  return in_transaction(run, [&] {
    store_.expect_scattered_changes(inputs.size());
    if (store_.wants_prefetch()) {
      std::vector<std::string> keys;
      keys.reserve(inputs.size());
      for (const auto& input : inputs) try {
          keys.push_back(canonical_e164(input, std::nullopt));
        } catch (const Error&) {
          // named by the loop below, with the batch's other offenders
        }
      store_.prefetch_numbers(keys);
    }
    std::vector<NumberRecord> changed;
    changed.reserve(inputs.size());
    Batch batch;
    std::unordered_set<std::string> seen;
    std::size_t done = 0;
    for (const auto& input : inputs) {
      report(run, to_string(action), ++done, inputs.size());
      std::string subject = input;
      batch.attempt([&] {
        NumberRecord record = resolve(input);
        subject = record.display;
        if (!seen.insert(record.e164).second) return;
        require_transition(record, action);
        step(record);
        changed.push_back(std::move(record));
      }, done, &subject);
    }
    if (!batch.empty()) batch.raise_refused(inputs.size(), "changed");
    return changed;
  });
}

namespace {
// The stored name that folds like `name` (the engines fold ASCII only), if any.
std::optional<std::string> folded_match(std::string_view name, const std::vector<std::string>& stored) {
  std::string key = case_folded(name);
  for (const auto& candidate : stored)
    if (case_folded(candidate) == key) return candidate;
  return std::nullopt;
}
bool ascii(std::string_view text) {
  return std::all_of(text.begin(), text.end(), [](char c) { return static_cast<unsigned char>(c) < 0x80; });
}
}  // namespace

std::optional<std::int64_t> Service::team_named(std::string_view name) {
  if (auto id = store_.team_id(name)) return id;
  if (ascii(name)) return std::nullopt;
  auto match = folded_match(name, store_.team_names());
  return match ? store_.team_id(*match) : std::nullopt;
}

std::optional<std::int64_t> Service::member_named(std::string_view name) {
  if (auto id = store_.member_id(name)) return id;
  if (ascii(name)) return std::nullopt;
  auto match = folded_match(name, store_.member_names());
  return match ? store_.member_id(*match) : std::nullopt;
}

std::int64_t Service::require_team(std::string_view typed) {
  std::string name = to_nfc(typed);  // "Café" typed decomposed is the same team
  if (auto id = team_named(name)) return *id;
  fail(ErrorCategory::not_found, no_such("team", name, store_.team_names(), "create it with numctl team add"));
}

std::int64_t Service::require_member(std::string_view typed) {
  std::string name = to_nfc(typed);
  if (auto id = member_named(name)) return *id;
  fail(ErrorCategory::not_found, no_such("member", name, store_.member_names(), "create it with numctl member add"));
}

void Service::set_assignee(NumberRecord& record, const std::optional<Assignee>& assignee) {
  if (!assignee) {
    store_.set_assignment(record.id, std::nullopt, std::nullopt);
    record.team.reset();
    record.member.reset();
    return;
  }
  if (assignee->kind == Assignee::Kind::team) {
    store_.set_assignment(record.id, require_team(assignee->name), std::nullopt);
  } else {
    store_.set_assignment(record.id, std::nullopt, require_member(assignee->name));
  }
  if (auto fresh = store_.find_number(record.e164)) {
    record.team = fresh->team;
    record.member = fresh->member;
  }
}

std::vector<AuditEntry> Service::history(std::string_view input) {
  std::string e164 = canonical_e164(input, std::nullopt);
  auto entries = store_.history(e164);
  if (entries.empty() && !store_.find_number(e164))
    fail(ErrorCategory::not_found, e164 + " has no history: it was never in the inventory");
  return entries;
}

}  // namespace numctl
