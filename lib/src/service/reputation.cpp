// Reputation: storing readings from a feed or a carrier's reputation service, and the policy
// (reputation.hpp) that flags and unflags numbers through the lifecycle table.
#include "service_impl.hpp"
#include "../batch.hpp"
#include "../validation.hpp"
#include "numctl/error.hpp"
#include "numctl/phone.hpp"
#include "numctl/text.hpp"

#include <algorithm>
#include <numeric>
#include <utility>

namespace numctl {
namespace {

std::string where_of(const ReadingRow& row) {
  return (row.json_index ? "index " : "line ") + std::to_string(row.position);
}

// The audit details of a decision: the reading that made it.
std::string decision_details(const Reading& reading, const std::optional<std::string>& reason, std::size_t readings) {
  std::string out = "{\"score\":" + std::to_string(reading.score) + ",\"source\":";
  json::append_string(out, reading.source);
  out += ",\"labels\":";
  json::append_string(out, reading.labels);
  out += ",\"checked_at\":";
  json::append_string(out, reading.checked_at);
  if (reason) {
    out += ",\"reason\":";
    json::append_string(out, *reason);
  }
  if (readings > 1) out += ",\"readings\":" + std::to_string(readings);
  out += '}';
  return out;
}

}  // namespace

// Whose name the audit rows carry while the policy acts: "reputation", not the operator's.
class ActingAs {
public:
  ActingAs(std::string& actor, std::string as) : actor_(actor), saved_(std::exchange(actor, std::move(as))) {}
  ~ActingAs() { actor_ = std::move(saved_); }
  ActingAs(const ActingAs&) = delete;
  ActingAs& operator=(const ActingAs&) = delete;

private:
  std::string& actor_;
  std::string saved_;
};

ReadingsStored Service::import_readings(const std::vector<ReadingRow>& rows, const ReputationOptions& options,
                                        const RunOptions& run) {
  const auto& policy = config_.reputation;
  const TimePoint now = clock_.now();
  const std::string now_text = format_iso8601(now);
  const std::string latest_allowed = format_iso8601(now + std::chrono::days(1));
  std::optional<std::string> default_source;
  if (options.source) {
    default_source = text::lower(to_nfc(*options.source));
    require(check_name("--source", *default_source));
  }
  const bool bulk = rows.size() >= 500;
  Batch batch;
  std::vector<Reading> readings;
  std::vector<std::size_t> positions;  // each reading's row, for messages
  readings.reserve(rows.size());
  positions.reserve(rows.size());
  for (std::size_t i = 0; i < rows.size(); ++i) {
    const ReadingRow& row = rows[i];
    std::string typed(text::trim(row.number));
    auto problem = [&](std::string message) { batch.add(invalid(std::move(message)), i, where_of(row), typed); };
    Reading r;
    // Numbers in the inventory are stored in E.164: such input needs no parsing (a number that is
    // not owned is reported as such when the readings are stored).
    if (looks_like_e164(typed)) {
      r.number = typed;
    } else {
      try {
        r.number = (bulk ? parse_phone_number_in_bulk(typed, config_.default_region)
                         : parse_phone_number(typed, config_.default_region)).e164;
      } catch (const Error& error) {
        if (error.category() != ErrorCategory::invalid_input) throw;
        problem(error.what());
        continue;
      }
    }
    if (row.risk) {
      std::string risk = text::lower(text::trim(*row.risk));
      if (!parse_risk_band(risk)) {
        problem("risk '" + *row.risk + "' is not low, medium or high");
        continue;
      }
      r.risk = risk;
    }
    if (row.score) {
      auto score = reputation::parse_score(*row.score);
      if (!score) {
        problem("score '" + *row.score + "' is not a number from 0 to 100");
        continue;
      }
      r.score = *score;
    } else {
      r.score = policy.risk_scores.at(*r.risk);
    }
    if (row.source) r.source = text::lower(to_nfc(text::trim(*row.source)));
    else if (default_source) r.source = *default_source;
    else {
      problem("no source: add a 'source' column (hiya, tns, first_orion, ...) or pass --source");
      continue;
    }
    if (auto check = check_name("source", r.source); !check) {
      problem(check.problem().message);
      continue;
    }
    if (row.checked_at) {
      auto at = parse_iso8601(text::trim(*row.checked_at));
      if (!at) {
        problem("checked_at '" + *row.checked_at + "' is not an ISO 8601 time (2026-01-31T09:00:00Z)");
        continue;
      }
      r.checked_at = format_iso8601(*at);
      if (r.checked_at > latest_allowed) {
        problem("checked_at " + r.checked_at + " is in the future (the clock says " + now_text + ")");
        continue;
      }
    } else {
      r.checked_at = now_text;
    }
    if (row.labels) r.labels = to_nfc(*row.labels);
    if (auto check = check_free_text("labels", r.labels.empty() ? std::nullopt : std::optional(r.labels)); !check) {
      problem(check.problem().message);
      continue;
    }
    if (row.carrier) {
      r.carrier = to_nfc(*row.carrier);
      if (auto check = check_name("carrier", *r.carrier); !check) {
        problem(check.problem().message);
        continue;
      }
    }
    r.imported_at = now_text;
    readings.push_back(std::move(r));
    positions.push_back(i);
  }
  if (!batch.empty()) batch.raise(std::to_string(batch.size()) + " bad rows, nothing imported");
  // Readings are named by their place in the file.
  return store_readings(readings, [&](std::size_t k) { return where_of(rows[positions[k]]); }, options, run);
}

ReadingsStored Service::store_readings(std::vector<Reading>& readings, const std::function<std::string(std::size_t)>& label,
                                       const ReputationOptions& options, const RunOptions& run) {
  // Written in number order: the readings' index by number grows at its end, and each number's
  // row is found next to the last one's.
  std::vector<std::size_t> order(readings.size());
  std::iota(order.begin(), order.end(), std::size_t{0});
  std::stable_sort(order.begin(), order.end(),
                   [&](std::size_t a, std::size_t b) { return readings[a].number < readings[b].number; });
  std::vector<Reading> sorted;
  sorted.reserve(readings.size());
  for (auto i : order) sorted.push_back(std::move(readings[i]));
  auto stored = in_transaction(run, [&] {
    ReadingsStored out;
    auto added = store_.add_readings(sorted);
    out.added = added.added;
    out.known = added.known;
    if (!added.unknown.empty()) {
      if (!options.skip_unknown) {
        Batch batch;
        for (auto k : added.unknown) {
          const auto& number = sorted[k].number;
          batch.add(Problem{ErrorCategory::not_found, number + " is not in the inventory"}, order[k], label(order[k]), number);
        }
        batch.raise(std::to_string(added.unknown.size()) +
                    " readings of numbers not in the inventory (pass --skip-unknown to store the others), nothing imported");
      }
      for (auto k : added.unknown)
        out.skipped.push_back(Offender{sorted[k].number, label(order[k]), "not in the inventory"});
    }
    if (options.apply) out.applied = apply_policy();
    return out;
  });
  if (stored.applied && options.replace) replace_flagged(*stored.applied, run);
  return stored;
}

ReadingsStored Service::refresh_reputation(const std::vector<std::string>& inputs, bool fresh,
                                           const ReputationOptions& options, const RunOptions& run) {
  auto source = make_reputation_source(config_.provider);
  std::vector<std::string> numbers;
  for (const auto& input : inputs) numbers.push_back(resolve(input).e164);
  std::vector<Reading> readings;
  std::vector<Offender> skipped;
  const auto& policy = config_.reputation;
  std::string now_text = now_iso();
  source->readings(
      numbers, fresh,
      [&](const Reading& reading) {
        Reading r = reading;
        if (r.score < 0) {
          auto it = r.risk ? policy.risk_scores.find(*r.risk) : policy.risk_scores.end();
          if (it == policy.risk_scores.end()) {
            skipped.push_back(Offender{r.number, {}, std::string(source->name()) + " gave no score or known risk level"});
            return;
          }
          r.score = it->second;
        }
        auto at = parse_iso8601(r.checked_at);
        r.checked_at = at ? format_iso8601(*at) : now_text;
        r.imported_at = now_text;
        readings.push_back(std::move(r));
      },
      [&](const std::string& number, const std::string& why) { skipped.push_back(Offender{number, {}, why}); });
  // Numbers a service monitors that are not in the inventory are not an operator's typo here.
  ReputationOptions stored_options = options;
  stored_options.skip_unknown = options.skip_unknown || inputs.empty();
  auto stored = store_readings(readings, [](std::size_t) { return std::string(); }, stored_options, run);
  stored.skipped.insert(stored.skipped.begin(), skipped.begin(), skipped.end());
  return stored;
}

ReputationApplied Service::apply_reputation(bool replace, const RunOptions& run) {
  auto applied = in_transaction(run, [&] { return apply_policy(); });
  if (replace) replace_flagged(applied, run);
  return applied;
}

ReputationApplied Service::apply_policy() {
  const auto& policy = config_.reputation;
  const std::string fresh_since = format_iso8601(clock_.now() - std::chrono::days(policy.max_age_days));
  ActingAs acting(actor_, std::string(risk_by_policy));
  ReputationApplied out;
  auto flagging = store_.risk_to_flag(fresh_since, policy.flag_at);
  store_.expect_scattered_changes(flagging.size());
  for (auto& subject : flagging) {
    const Reading& best = subject.readings.front();  // highest score, then newest
    const Transition* transition = lifecycle::find(Action::flag, subject.record.status);
    if (!transition || !reputation::flags(best, policy)) continue;
    subject.record.risk_reason = reputation::risk_reason(best);
    apply(subject.record, *transition, decision_details(best, subject.record.risk_reason, 1));
    // Every reading weighed now is older than the change: none of them flags it again.
    std::string newest = best.checked_at;
    for (const auto& r : subject.readings) newest = std::max(newest, r.checked_at);
    store_.note_risk_change(subject.record.id, std::string(risk_by_policy), newest);
    out.flagged.push_back({std::move(subject.record), best});
  }
  for (auto& subject : store_.risk_to_clear(fresh_since, static_cast<std::size_t>(policy.clear_after))) {
    const Transition* transition = lifecycle::find(Action::unflag, subject.record.status);
    if (!transition || !reputation::clears(subject.readings, policy)) continue;
    const Reading& newest = subject.readings.front();
    auto was = subject.record.risk_reason;
    subject.record.risk_reason.reset();
    apply(subject.record, *transition, decision_details(newest, was, subject.readings.size()));
    store_.note_risk_change(subject.record.id, std::string(risk_by_policy), newest.checked_at);
    out.unflagged.push_back({std::move(subject.record), newest});
  }
  return out;
}

void Service::replace_flagged(ReputationApplied& applied, const RunOptions& run) {
  if (applied.flagged.empty() || run.dry_run == DryRun::yes) return;
  std::vector<std::string> inputs;
  for (const auto& change : applied.flagged) inputs.push_back(change.record.e164);
  ActingAs acting(actor_, std::string(risk_by_policy));
  applied.replaced = replace(inputs, std::nullopt, run);
}

std::vector<Reading> Service::readings(ReadingQuery query) {
  if (query.number) query.number = resolve(*query.number).e164;
  std::vector<Reading> out;
  store_.for_each_reading(query, [&](const Reading& r) { out.push_back(r); });
  return out;
}

RiskView Service::risk_view(const NumberRecord& record) {
  const auto& policy = config_.reputation;
  const std::string fresh_since = format_iso8601(clock_.now() - std::chrono::days(policy.max_age_days));
  RiskView view;
  ReadingQuery query;
  query.number = record.e164;
  constexpr std::size_t trend_length = 8;
  std::vector<std::string> sources;
  store_.for_each_reading(query, [&](const Reading& r) {
    if (view.trend.size() < trend_length) view.trend.push_back(r);
    if (std::find(sources.begin(), sources.end(), r.source) == sources.end()) {
      sources.push_back(r.source);
      view.latest_by_source.push_back(r);
    }
    if (r.checked_at >= fresh_since && (!view.score || r.score > *view.score)) {
      view.score = r.score;
      view.checked_at = r.checked_at;
    }
  });
  std::reverse(view.trend.begin(), view.trend.end());
  if (view.score) view.band = reputation::band(*view.score, policy);
  return view;
}

std::int64_t Service::prune_readings(TimePoint before, const RunOptions& run) {
  return in_transaction(run, [&] { return store_.prune_readings(format_iso8601(before)); });
}

}  // namespace numctl
