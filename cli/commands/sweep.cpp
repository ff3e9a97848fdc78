// sweep: for cron. Releases numbers whose grace ended and expires stale pending orders.
#include "command_table.hpp"
#include "output/value.hpp"

#include <numctl/error.hpp>

namespace numctl::cli {

CLI::App* register_sweep(CLI::App& app, Context& context) {
  struct Options {
    std::optional<std::string> now;
    bool force_time = false;
  };
  auto o = std::make_shared<Options>();
  auto* sweep = app.add_subcommand("sweep", "Release numbers whose grace period ended; expire stale pending orders");
  sweep->footer(
      "Idempotent and safe while operators work; run it from cron (see examples/cron/).\n\n"
      "--now looks back or, with --dry-run, ahead: planning never changes anything. NUMCTL_NOW replaces\n"
      "the clock itself (tests, backfills).\n\n"
      "With a carrier ([provider] kind twilio or telnyx) each number is released there first and becomes\n"
      "cancelled only once the carrier confirmed; a release it refuses or does not answer stays owed, is\n"
      "listed, and the next sweep (or sync) retries it: exit 6 while any is owed.\n\n"
      "Examples:\n  numctl sweep\n  numctl sweep --dry-run --now 2027-01-01T00:00:00Z\n  numctl sweep --json | jq '.released | length'");
  sweep->add_option("--now", o->now,
                    "Act as if it were this time (ISO 8601); a time later than the clock needs --dry-run or --force-time");
  sweep->add_flag("--force-time", o->force_time,
                  "Act at a --now later than the clock (releases numbers before their time; the audit says so)");
  sweep->callback([&context, o] {
    auto& service = context.service();
    SweepOptions options;
    options.force_time = o->force_time;
    if (o->now) {
      auto at = parse_iso8601(*o->now);
      if (!at) fail(ErrorCategory::invalid_input, "--now '" + *o->now + "' is not an ISO 8601 time such as 2026-01-31T09:00:00Z");
      options.as_of = *at;
    }
    SweepResult result = service.sweep(options, context.run());
    Format format = context.format();
    if (is_json(format)) {
      std::vector<std::string> released, expired;
      for (const auto& r : result.released) released.push_back(r.e164);
      for (const auto& r : result.expired) expired.push_back(r.e164);
      List owed;
      for (const auto& o2 : result.owed) owed.emplace_back(Record{{"number", Value(o2.number)}, {"reason", Value(o2.reason)}});
      write_json_line(Record{{"released", Value(released)},
                             {"expired", Value(expired)},
                             {"owed", Value(std::move(owed))},
                             {"dry_run", Value(context.dry_run)}});
    } else {
      // --quiet (cron): the summary line only.
      if (!context.options.quiet) {
        for (const auto& r : result.released)
          Out::print("{} {} (grace ended {})\n", context.dry_run ? "would release" : "released", r.display,
                     r.release_at.value_or(""));
        for (const auto& r : result.expired)
          Out::print("{} {} (pending since {})\n", context.dry_run ? "would expire" : "expired", r.display,
                     r.bought_at.value_or(""));
      }
      Out::print("sweep: {} released, {} expired{}{}\n", result.released.size(), result.expired.size(),
                 result.owed.empty() ? "" : fmt::format(", {} still owed by the carrier", result.owed.size()),
                 context.dry_run ? " (dry run, nothing changed)" : "");
    }
    // Releases the carrier refused or did not answer: exit 6, each named; the next sweep retries.
    if (!result.owed.empty())
      throw Error(ErrorCategory::carrier,
                  fmt::format("{} releases still owed at the carrier (the next sweep retries them): {}: {}{}", result.owed.size(),
                              result.owed.front().number, result.owed.front().reason,
                              result.owed.size() > 1 ? fmt::format("; and {} more", result.owed.size() - 1) : ""),
                  result.owed);
  });
  return sweep;
}

}  // namespace numctl::cli
