// due: what happens without anyone acting, soonest first: numbers releasing at the end of their
// grace period and pending orders expiring, each with what would prevent or finish it.
#include "command_table.hpp"
#include "output/table.hpp"
#include "output/value.hpp"

#include <numctl/emergency_service.hpp>
#include <numctl/text.hpp>

#include <numctl/error.hpp>
#include <numctl/money.hpp>

#include <cctype>

namespace numctl::cli {

// "7d", "36h", "2w", or a number of days.
std::chrono::seconds parse_duration(const std::string& text, const std::string& option) {
  std::size_t digits = 0;
  while (digits < text.size() && std::isdigit(static_cast<unsigned char>(text[digits]))) ++digits;
  std::string unit = text.substr(digits);
  if (digits == 0 || digits > 6 || unit.size() > 1)
    fail(ErrorCategory::invalid_input, option + " '" + text + "' is not a duration such as 7d, 36h or 2w");
  long n = std::stol(text.substr(0, digits));
  if (unit.empty() || unit == "d") return std::chrono::days(n);
  if (unit == "h") return std::chrono::hours(n);
  if (unit == "w") return std::chrono::weeks(n);
  fail(ErrorCategory::invalid_input, option + " '" + text + "' is not a duration such as 7d, 36h or 2w");
}

CLI::App* register_due(CLI::App& app, Context& context) {
  auto within = std::make_shared<std::string>("7d");
  auto* due = app.add_subcommand("due", "What happens without anyone acting: releases, order expiries, stale reputation, soonest first");
  due->footer(
      "Lists numbers whose grace period ends (restore them to keep them) and pending orders that expire\n"
      "(submit their documents, or approve them), including overdue ones the sweep has not handled yet,\n"
      "and numbers whose reputation feed stopped (newest reading older than [reputation] max_age_days);\n"
      "with [usage] report_above set, idle numbers costing more than that a month (one line per currency).\n"
      "Always exits 0: a monitoring check reads the JSON.\n\n"
      "Examples:\n  numctl due\n  numctl due --within 30d --json | jq 'length'");
  due->add_option("--within", *within, "How far ahead: 7d (default), 36h, 2w");
  due->callback([&context, within] {
    auto until = context.clock().now() + parse_duration(*within, "--within");
    List rows;
    for (const auto& e : context.service().due(until))
      rows.emplace_back(Record{{"at", Value(e.at)},
                               {"number", Value(e.record.e164)},
                               {"display", Value(e.record.display)},
                               {"status", Value(std::string(to_string(e.record.status)))},
                               {"event", Value(e.event)},
                               {"team", Value(e.record.team)},
                               {"member", Value(e.record.member)},
                               {"action", Value(e.action)}});
    // Money left on the table: idle numbers costing more than [usage] report_above a month.
    for (const auto& [total, count] : context.service().idle_spend())
      rows.emplace_back(Record{{"at", Value(format_iso8601(context.clock().now()))},
                               {"number", Value()},
                               {"display", Value()},
                               {"status", Value()},
                               {"event", Value(std::string("idle_numbers"))},
                               {"team", Value()},
                               {"member", Value()},
                               {"action", Value(fmt::format("{} numbers without an inbound call for {} days cost {} a month: "
                                                            "numctl idle",
                                                            count, context.config().usage.idle_days, format_money(total)))}});
    // Numbers that make calls where an emergency address is required, without a registered one.
    auto gaps = EmergencyService(context.service()).gaps();
    auto gap_line = [&](std::int64_t count, std::string event, std::string action) {
      if (count)
        rows.emplace_back(Record{{"at", Value(format_iso8601(context.clock().now()))},
                                 {"number", Value()},
                                 {"display", Value()},
                                 {"status", Value()},
                                 {"event", Value(std::move(event))},
                                 {"team", Value()},
                                 {"member", Value()},
                                 {"action", Value(std::move(action))}});
    };
    gap_line(gaps.missing, "emergency_missing",
             fmt::format("{} numbers in {} make calls without an emergency address: numctl emergency gaps --format plain | "
                         "numctl emergency set - --address NAME",
                         gaps.missing, text::join(gaps.countries, ", ")));
    gap_line(gaps.pending, "emergency_pending",
             fmt::format("{} emergency registrations wait for the carrier: numctl emergency refresh", gaps.pending));
    Format format = context.format();
    if ((format == Format::table || format == Format::boxes) && rows.empty()) {
      context.note("nothing due within " + *within);
      return;
    }
    write_rows(format,
               {{"number", "NUMBER", 16},
                {"at", "WHEN", 21},
                {"event", "EVENT", 18},
                {"team", "TEAM", 12, {}, "—"},
                {"action", "TO DO"}},
               rows, context.writer_options());
  });
  return due;
}

}  // namespace numctl::cli
