// log: the inventory-wide audit, newest first: numbers, teams and members.
#include "command_table.hpp"
#include "output/table.hpp"
#include "output/value.hpp"

#include <numctl/error.hpp>
#include <numctl/lifecycle.hpp>
#include <numctl/suggest.hpp>
#include <numctl/text.hpp>

#include <algorithm>
#include <cctype>

namespace numctl::cli {

// "2026-01-31", "2026-01-31T09:00:00Z", "today", "yesterday" (midnight UTC), or a duration back
// from now ("7d", "36h", "2w").
std::string parse_time(const std::string& text, const std::string& option, TimePoint now) {
  auto midnight = std::chrono::floor<std::chrono::days>(now);
  if (text == "today") return format_iso8601(midnight);
  if (text == "yesterday") return format_iso8601(midnight - std::chrono::days(1));
  if (!text.empty() && std::isdigit(static_cast<unsigned char>(text.front())) && text.size() <= 7 &&
      std::isalpha(static_cast<unsigned char>(text.back())))
    return format_iso8601(now - parse_duration(text, option));
  auto at = parse_iso8601(text.size() == 10 ? text + "T00:00:00Z" : text);
  if (!at)
    fail(ErrorCategory::invalid_input, option + " '" + text +
                                           "' is not a time: use 2026-01-31, 2026-01-31T09:00:00Z, today, yesterday or 7d");
  return format_iso8601(*at);
}

CLI::App* register_log(CLI::App& app, Context& context) {
  struct Options {
    std::optional<std::string> since, until, actor, action, number, team;
    std::int64_t limit = 0;
  };
  auto o = std::make_shared<Options>();
  auto* log = app.add_subcommand("log", "The inventory-wide audit history, newest first (numbers, teams, members)");
  log->footer("Every condition given must hold. Times are UTC.\n\n"
              "Examples:\n  numctl log --since yesterday\n  numctl log --actor alice --action cancel --limit 20\n"
              "  numctl log --team Support --since 7d --json | jq -r '.[].number'");
  log->add_option("--since", o->since, "From this time on: 2026-01-31, an ISO 8601 time, today, yesterday, or 7d ago");
  log->add_option("--until", o->until, "Before this time (same forms)");
  log->add_option("--actor", o->actor, "Entries by this actor");
  log->add_option("--action", o->action, "Entries of this action (buy, cancel, team_add, ...)");
  log->add_option("--number", o->number, "Entries of this number");
  log->add_option("--team", o->team, "Entries naming this team");
  log->add_option("--limit", o->limit, "At most N entries (1 to 1000000000; 0 or none: all)")
      ->check(CLI::Range(std::int64_t{0}, std::int64_t{1'000'000'000}));
  log->callback([&context, o] {
    AuditQuery query;
    TimePoint now = context.clock().now();
    if (o->since) query.since = parse_time(*o->since, "--since", now);
    if (o->until) query.until = parse_time(*o->until, "--until", now);
    query.actor = o->actor;
    if (o->action) {
      query.action = text::lower(*o->action);
      // A misspelt action would match nothing and look like an empty history.
      auto known = audit_actions();
      if (std::find(known.begin(), known.end(), *query.action) == known.end())
        fail(ErrorCategory::invalid_input, no_such("action", *o->action, known, "actions: " + text::join(known, ", ")));
    }
    if (o->number) query.number = context.service().canonical_e164(*o->number, context.region());
    query.team = o->team;
    query.limit = static_cast<std::size_t>(o->limit);
    List rows;
    context.inventory().for_each_audit(query, [&](const AuditEntry& e) {
      rows.emplace_back(Record{{"at", Value(e.at)},
                               {"actor", Value(e.actor)},
                               {"action", Value(e.action)},
                               {"number", e.number.empty() ? Value() : Value(e.number)},
                               {"from", Value(e.from_status)},
                               {"to", Value(e.to_status)},
                               {"details", Value::json_text(e.details)}});
    });
    Format format = context.format();
    if ((format == Format::table || format == Format::boxes) && rows.empty()) {
      context.note("no entries");
      return;
    }
    write_rows(format,
               {{"at", "WHEN", 21}, {"actor", "ACTOR", 12}, {"action", "ACTION", 17}, {"number", "NUMBER", 15, {}, "—"},
                {"from", "FROM", 16, {}, "—"}, {"to", "TO", 16, {}, "—"}, {"details", "DETAILS"}},
               rows, context.writer_options());
  });
  return log;
}

}  // namespace numctl::cli
