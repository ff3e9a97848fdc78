// Call records: a phone system's call detail records (a file, streamed) or a carrier's (paged),
// kept as idleness needs them: each number's last inbound and outbound call, and calls per
// number and day over the days kept. All-or-nothing, every bad row named by its line.
#include "service_impl.hpp"
#include "numctl/error.hpp"
#include "numctl/phone.hpp"
#include "numctl/text.hpp"
#include "util/batch.hpp"
#include "util/rows.hpp"

#include <cctype>
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <memory>

namespace numctl {
namespace {

// The columns (CSV) or keys (JSON) of a call record: the inventory's number (`number`, or `to`
// and `from` as a switch writes them), when the call started, which way it went, how long it
// lasted (checked, not kept).
constexpr std::array<std::string_view, 7> usage_columns{"number", "to", "at", "started_at", "direction", "duration_s", "from"};
enum UsageColumn : std::size_t {
  number_column,
  to_column,
  at_column,
  started_column,
  direction_column,
  duration_column,
  from_column
};

// E.164 as a record gives it, checked the cheap way first: + and 8 to 15 digits is taken as it
// is (the inventory lookup decides whether it is one of ours); anything else goes through
// libphonenumber with the default region.
std::optional<std::string> record_number(std::string_view text, const std::optional<std::string>& region) {
  text = text::trim(text);
  if (text.empty()) return std::nullopt;
  if (text.size() >= 9 && text.size() <= 16 && text.front() == '+' &&
      std::all_of(text.begin() + 1, text.end(), [](char c) { return std::isdigit(static_cast<unsigned char>(c)); }))
    return std::string(text);
  try {
    return parse_phone_number(text, region).e164;
  } catch (const Error&) {
    return std::nullopt;
  }
}

// The other side of a call, as a key: a number in E.164 when it reads as one, else as written.
std::string other_side(std::string_view text, const std::optional<std::string>& region) {
  text = text::trim(text);
  if (text.empty()) return {};
  if (auto e164 = record_number(text, region)) return *e164;
  return std::string(text);
}

class UsageSink final : public rows::Sink {
 public:
  UsageSink(Store& store, const std::optional<std::string>& region, TimePoint now)
      : store_(store), region_(region), latest_(now + std::chrono::minutes(5)) {}

  void begin(std::size_t) override {
    for (auto& cell : cells_) cell.clear();
  }
  void cell(std::size_t column, std::string_view value) override { cells_[column].assign(value); }
  std::optional<std::string> end() override {
    const bool has_number = !cells_[number_column].empty();
    std::string_view when = !cells_[at_column].empty() ? cells_[at_column] : cells_[started_column];
    if (!has_number && cells_[to_column].empty() && cells_[from_column].empty())
      return "no number (give 'number', or 'to' and 'from')";
    if (when.empty()) return "no time (give 'at' or 'started_at', ISO 8601)";
    auto at = parse_iso8601(when);
    if (!at) return "'" + std::string(when) + "' is not an ISO 8601 time (2026-11-30T14:05:00Z)";
    if (*at > latest_) return "'" + std::string(when) + "' is in the future";
    std::string direction = text::lower(cells_[direction_column]);
    bool inbound = true;
    if (direction.empty() || direction == "inbound" || direction == "in")
      inbound = true;
    else if (direction.starts_with("outbound") || direction == "out")
      inbound = false;
    else
      return "direction '" + cells_[direction_column] + "' is not inbound or outbound";
    if (!cells_[duration_column].empty() && !std::all_of(cells_[duration_column].begin(), cells_[duration_column].end(),
                                                         [](char c) { return std::isdigit(static_cast<unsigned char>(c)); }))
      return "duration_s '" + cells_[duration_column] + "' is not a whole number of seconds";
    // The inventory's side: `number`, else the called number of an inbound call, the calling
    // one of an outbound call; the other side is the caller key.
    const std::string& ours = has_number ? cells_[number_column] : (inbound ? cells_[to_column] : cells_[from_column]);
    const std::string& theirs =
        has_number ? (inbound ? cells_[from_column] : cells_[to_column]) : (inbound ? cells_[from_column] : cells_[to_column]);
    auto number = record_number(ours, region_);
    if (!number) return "'" + ours + "' is not a phone number";
    if (!problems_) store_.add_call(*number, format_iso8601(*at), other_side(theirs, region_), inbound);
    ++records;
    return std::nullopt;
  }
  // Once a row is bad nothing more is stored (the transaction will be rolled back anyway).
  void stop_storing() { problems_ = true; }
  std::size_t records = 0;

 private:
  Store& store_;
  std::optional<std::string> region_;
  TimePoint latest_;
  std::array<std::string, usage_columns.size()> cells_;
  bool problems_ = false;
};

std::string usage_unknown_column(const std::string& name) {
  std::string out;
  for (auto column : usage_columns) out += (out.empty() ? "" : ", ") + std::string(column);
  return "unknown column '" + name + "' (a call record has: " + out + ")";
}

ImportFormat format_of(const std::string& file, std::optional<ImportFormat> format, std::FILE* in) {
  if (format) return *format;
  if (file.ends_with(".json")) return ImportFormat::json;
  if (file.ends_with(".ndjson") || file.ends_with(".jsonl")) return ImportFormat::ndjson;
  if (file.ends_with(".csv")) return ImportFormat::csv;
  int first = std::getc(in);
  if (first == EOF) return ImportFormat::csv;
  std::ungetc(first, in);
  if (first == '[') return ImportFormat::json;
  if (first == '{') return ImportFormat::ndjson;
  return ImportFormat::csv;
}

std::string counts_details(const UsageImported& result) {
  return details({{"source", result.source},
                  {"records", std::to_string(result.records)},
                  {"added", std::to_string(result.stored.added)},
                  {"known", std::to_string(result.stored.known)},
                  {"unknown", std::to_string(result.stored.unknown)},
                  {"older", std::to_string(result.stored.older)},
                  {"read_until", result.read_until}});
}

}  // namespace

UsageImported Service::import_usage(const std::string& file, std::optional<ImportFormat> format, const RunOptions& run) {
  std::unique_ptr<std::FILE, int (*)(std::FILE*)> opened(file == "-" ? nullptr : std::fopen(file.c_str(), "rb"), std::fclose);
  if (file != "-" && !opened) fail(ErrorCategory::invalid_input, "cannot read " + file + ": " + std::strerror(errno));
  std::FILE* in = opened ? opened.get() : stdin;
  ImportFormat read_as = format_of(file, format, in);
  UsageImported result;
  result.source = file == "-" ? "stdin" : file;
  std::string keep_from = format_iso8601(clock_.now() - std::chrono::days(config_.usage.keep_days));
  return in_transaction(run, [&] {
    store_.begin_calls();
    UsageSink sink(store_, config_.default_region, clock_.now());
    Batch problems;
    rows::Schema schema{.columns = usage_columns,
                        .required = "at",
                        .noun = "call record",
                        .unknown_column = usage_unknown_column,
                        .numbers_as_text = true,
                        .or_required = "started_at"};
    struct StopOnProblem final : rows::Sink {
      UsageSink& inner;
      explicit StopOnProblem(UsageSink& s) : inner(s) {}
      void begin(std::size_t p) override { inner.begin(p); }
      void cell(std::size_t c, std::string_view v) override { inner.cell(c, v); }
      std::optional<std::string> end() override {
        auto problem = inner.end();
        if (problem) inner.stop_storing();
        return problem;
      }
    } stopping(sink);
    rows::read_stream(in, read_as, schema, stopping, problems);
    if (!problems.empty()) problems.raise(std::to_string(problems.size()) + " bad call records, nothing imported");
    result.records = sink.records;
    result.stored = store_.finish_calls(keep_from);
    store_.append_audit({now_iso(), actor_, "usage_import", "", std::nullopt, std::nullopt, counts_details(result)});
    return result;
  });
}

UsageImported Service::refresh_usage(std::optional<TimePoint> since, const RunOptions& run) {
  if (!provider().remote())
    fail(ErrorCategory::config, "usage refresh reads a carrier's call records, and the provider is " +
                                    std::string(provider().name()) +
                                    "; import the phone system's records with numctl usage import FILE");
  UsageImported result;
  result.source = std::string(provider().name());
  std::string from;
  if (since)
    from = format_iso8601(*since);
  else if (auto cursor = store_.usage_cursor(result.source))
    from = *cursor;
  else
    from = format_iso8601(clock_.now() - std::chrono::days(config_.usage.keep_days));
  std::string keep_from = format_iso8601(clock_.now() - std::chrono::days(config_.usage.keep_days));
  const auto& region = config_.default_region;
  return in_transaction(run, [&] {
    store_.begin_calls();
    std::string newest = from;
    provider().for_each_call(from, [&](const CallRecord& call) {
      auto at = parse_iso8601(call.at);
      if (!at) return;  // a record without a time says nothing about idleness
      auto ours = record_number(call.inbound ? call.to : call.from, region);
      if (!ours) return;  // a SIP URI or a withheld number: not one of ours
      std::string when = format_iso8601(*at);
      store_.add_call(*ours, when, other_side(call.inbound ? call.from : call.to, region), call.inbound);
      if (when > newest) newest = when;
      ++result.records;
      report(run, "reading call records", result.records, 0);
    });
    result.stored = store_.finish_calls(keep_from);
    result.read_until = newest;
    store_.set_usage_cursor(result.source, newest, now_iso());
    store_.append_audit({now_iso(), actor_, "usage_refresh", "", std::nullopt, std::nullopt, counts_details(result)});
    return result;
  });
}

std::int64_t Service::prune_usage(TimePoint before, const RunOptions& run) {
  std::string day = format_iso8601(before).substr(0, 10);
  return in_transaction(run, [&] {
    auto dropped = store_.prune_usage(day);
    store_.append_audit({now_iso(), actor_, "usage_prune", "", std::nullopt, std::nullopt,
                         details({{"before", day}, {"days", std::to_string(dropped)}})});
    return dropped;
  });
}

}  // namespace numctl
