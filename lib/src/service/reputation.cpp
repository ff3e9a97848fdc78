// Reputation: storing readings from a feed or a carrier's reputation service, and the policy
// (reputation.hpp) that flags and unflags numbers through the lifecycle table.
#include "service_impl.hpp"
#include "util/batch.hpp"
#include "domain/reputation_feed.hpp"
#include "domain/validation.hpp"
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

namespace {

// Checks a feed's rows one at a time into the readings to store: the number in E.164, a score
// (from the risk level when the feed gives only that), a source, a time; every problem goes to
// the batch with its line. A feed names few sources and times, so each distinct text of them
// is checked once.
class ReadingChecker {
public:
 ReadingChecker(const Config& config, TimePoint now, const std::optional<std::string>& source, bool bulk)
     : config_(config),
       now_text_(format_iso8601(now)),
       latest_allowed_(format_iso8601(now + reputation::clock_tolerance)),
       bulk_(bulk) {
   if (source) {
     default_source_ = text::lower(to_nfc(*source));
     require(check_name("--source", *default_source_));
   }
 }

  Batch batch;
  std::vector<Reading> readings;
  std::vector<std::string> where;  // each reading's place in the file, for messages

  void check(const ReadingRow& row) {
    std::string typed(text::trim(row.number));
    auto problem = [&](std::string message) { batch.add(invalid(std::move(message)), row.position, where_of(row), typed); };
    Reading r;
    // Numbers in the inventory are stored in E.164: such input needs no parsing (a number that is
    // not owned is reported as such when the readings are stored).
    if (looks_like_e164(typed)) {
      r.number = typed;
    } else {
      try {
        r.number = (bulk_ ? parse_phone_number_in_bulk(typed, config_.default_region)
                          : parse_phone_number(typed, config_.default_region)).e164;
      } catch (const Error& error) {
        if (error.category() != ErrorCategory::invalid_input) throw;
        return problem(error.what());
      }
    }
    if (row.risk) {
      std::string risk = text::lower(text::trim(*row.risk));
      if (!parse_risk_band(risk)) return problem("risk '" + *row.risk + "' is not low, medium or high");
      r.risk = risk;
    }
    if (row.score) {
      auto score = reputation::parse_score(*row.score);
      if (!score) return problem("score '" + *row.score + "' is not a number from 0 to 100");
      r.score = *score;
    } else {
      r.score = config_.reputation.risk_scores.at(*r.risk);
    }
    if (row.source) {
      if (*row.source != source_raw_) {
        source_raw_ = *row.source;
        source_ = text::lower(to_nfc(text::trim(*row.source)));
        source_problem_.reset();
        if (auto check = check_name("source", source_); !check) source_problem_ = check.problem().message;
      }
      if (source_problem_) return problem(*source_problem_);
      r.source = source_;
    } else if (default_source_) {
      r.source = *default_source_;
    } else {
      return problem("no source: add a 'source' column (hiya, tns, first_orion, ...) or pass --source");
    }
    if (row.checked_at) {
      if (*row.checked_at != checked_raw_) {
        checked_raw_ = *row.checked_at;
        checked_.clear();
        checked_problem_.reset();
        auto at = parse_iso8601(text::trim(*row.checked_at));
        if (!at) checked_problem_ = "checked_at '" + *row.checked_at + "' is not an ISO 8601 time (2026-01-31T09:00:00Z)";
        else if ((checked_ = format_iso8601(*at)) > latest_allowed_)
          checked_problem_ = "checked_at " + checked_ + " is in the future (the clock says " + now_text_ +
                             "; a reading may be at most 5 minutes ahead)";
        // A few minutes ahead (clocks drift): read as now, so a reading is never newer than a
        // decision taken after it arrived.
        else if (checked_ > now_text_)
          checked_ = now_text_;
      }
      if (checked_problem_) return problem(*checked_problem_);
      r.checked_at = checked_;
    } else {
      r.checked_at = now_text_;
    }
    if (row.labels) r.labels = to_nfc(*row.labels);
    if (auto check = check_free_text("labels", r.labels.empty() ? std::nullopt : std::optional(r.labels)); !check)
      return problem(check.problem().message);
    if (row.carrier) {
      r.carrier = to_nfc(*row.carrier);
      if (auto check = check_name("carrier", *r.carrier); !check) return problem(check.problem().message);
    }
    // Only the readings kept need their place: the rest are named by the batch.
    if (batch.empty()) {
      readings.push_back(std::move(r));
      where.push_back(where_of(row));
    }
  }

private:
  const Config& config_;
  std::string now_text_, latest_allowed_;
  bool bulk_;
  std::optional<std::string> default_source_;
  std::string source_raw_, source_, checked_raw_, checked_;
  std::optional<std::string> source_problem_, checked_problem_;
};

}  // namespace

ReadingsStored Service::import_readings(const std::vector<ReadingRow>& rows, const ReputationOptions& options,
                                        const RunOptions& run) {
  ReadingChecker checker(config_, clock_.now(), options.source, rows.size() >= 500);
  for (const auto& row : rows) checker.check(row);
  return store_checked(checker.batch, checker.readings, checker.where, options, run);
}

ReadingsStored Service::import_readings(std::string_view content, ImportFormat format, const ReputationOptions& options,
                                        const RunOptions& run) {
  ReadingChecker checker(config_, clock_.now(), options.source, content.size() >= 32768);
  checker.readings.reserve(static_cast<std::size_t>(std::count(content.begin(), content.end(), '\n')));
  read_readings(content, format, checker.batch, [&](const ReadingRow& row) { checker.check(row); });
  return store_checked(checker.batch, checker.readings, checker.where, options, run);
}

ReadingsStored Service::store_checked(Batch& batch, std::vector<Reading>& readings, const std::vector<std::string>& where,
                                      const ReputationOptions& options, const RunOptions& run) {
  if (!batch.empty()) batch.raise(std::to_string(batch.size()) + " bad rows, nothing imported");
  return store_readings(readings, [&](std::size_t k) { return where[k]; }, options, run);
}

ReadingsStored Service::store_readings(std::vector<Reading>& readings, const std::function<std::string(std::size_t)>& label,
                                       const ReputationOptions& options, const RunOptions& run) {
  // Written in number order: the readings' index by number grows at its end, and each number's
  // row is found next to the last one's.
  std::vector<std::uint32_t> order(readings.size());
  std::iota(order.begin(), order.end(), std::uint32_t{0});
  std::stable_sort(order.begin(), order.end(),
                   [&](std::uint32_t a, std::uint32_t b) { return readings[a].number < readings[b].number; });
  auto stored = in_transaction(run, [&] {
    ReadingsStored out;
    auto added = store_.add_readings(readings, order, now_iso());
    out.added = added.added;
    out.known = added.known;
    if (!added.unknown.empty()) {
      if (!options.skip_unknown) {
        Batch batch;
        for (auto k : added.unknown) {
          const auto& number = readings[k].number;
          batch.add(Problem{ErrorCategory::not_found, number + " is not in the inventory"}, k, label(k), number);
        }
        batch.raise(std::to_string(added.unknown.size()) +
                    " readings of numbers not in the inventory (pass --skip-unknown to store the others), nothing imported");
      }
      for (auto k : added.unknown)
        out.skipped.push_back(Offender{readings[k].number, label(k), "not in the inventory"});
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
    // Every source must agree: one source's low scores do not clear another's fresh high one.
    if (!sources_below(subject.record.e164, fresh_since)) continue;
    const Reading& newest = subject.readings.front();
    auto was = subject.record.risk_reason;
    subject.record.risk_reason.reset();
    apply(subject.record, *transition, decision_details(newest, was, subject.readings.size()));
    store_.note_risk_change(subject.record.id, std::string(risk_by_policy), newest.checked_at);
    out.unflagged.push_back({std::move(subject.record), newest});
  }
  return out;
}

bool Service::sources_below(const std::string& e164, const std::string& fresh_since) {
  ReadingQuery query;
  query.number = e164;
  query.since = fresh_since;
  std::vector<std::string> seen;
  bool below = true;
  store_.for_each_reading(query, [&](const Reading& r) {  // newest first: each source's first is its newest
    if (std::find(seen.begin(), seen.end(), r.source) != seen.end()) return;
    seen.push_back(r.source);
    if (r.score >= config_.reputation.clear_below) below = false;
  });
  return below;
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
