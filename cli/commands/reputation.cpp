// reputation: readings of how carriers' analytics label numbers (import a feed, refresh from the
// carrier), the policy that turns them into red dots (apply), and the readings themselves.
#include "command_table.hpp"
#include "output/table.hpp"
#include "output/value.hpp"

#include <numctl/error.hpp>
#include <numctl/reputation.hpp>

namespace numctl::cli {
namespace {

Record reading_record(const Reading& r, const ReputationPolicy& policy) {
  return Record{{"number", Value(r.number)},
                {"checked_at", Value(r.checked_at)},
                {"source", Value(r.source)},
                {"score", Value(static_cast<std::int64_t>(r.score))},
                {"band", Value(to_string(reputation::band(r.score, policy)))},
                {"risk", Value(r.risk)},
                {"labels", r.labels.empty() ? Value() : Value(r.labels)},
                {"carrier", Value(r.carrier)},
                {"imported_at", Value(r.imported_at)}};
}

void write_readings(Context& context, const std::vector<Reading>& readings, const std::string& none) {
  List rows;
  for (const auto& r : readings) rows.emplace_back(reading_record(r, context.config().reputation));
  Format format = context.format();
  if ((format == Format::table || format == Format::boxes) && rows.empty()) {
    context.note(none);
    return;
  }
  write_rows(format,
             {{"number", "NUMBER", 16},
              {"checked_at", "CHECKED", 21},
              {"source", "SOURCE", 12},
              {"score", "SCORE", 6, TextColumn::Align::right},
              {"band", "BAND", 7},
              {"labels", "LABELS", 24, {}, "—"},
              {"carrier", "CARRIER", 0, {}, "—"}},
             rows, context.writer_options());
}

Value change_value(const RiskChange& change) {
  return Record{{"number", Value(change.record.e164)},
                {"status", Value(to_string(change.record.status))},
                {"score", Value(static_cast<std::int64_t>(change.reading.score))},
                {"source", Value(change.reading.source)},
                {"labels", change.reading.labels.empty() ? Value() : Value(change.reading.labels)},
                {"checked_at", Value(change.reading.checked_at)}};
}

// What a feed, a refresh or the policy did: counts, the numbers flagged and unflagged (and
// replaced), the numbers skipped.
void report(Context& context, const std::optional<ReadingsStored>& stored, const std::optional<ReputationApplied>& applied,
            bool dry_run) {
  const auto& changes = stored ? stored->applied : applied;
  Format format = context.format();
  auto count = [](std::size_t n) { return Value(static_cast<std::int64_t>(n)); };
  if (is_json(format)) {
    Record out;
    if (stored) {
      out.emplace_back("added", count(stored->added));
      out.emplace_back("known", count(stored->known));
      List skipped;
      for (const auto& s : stored->skipped)
        skipped.emplace_back(Record{{"number", Value(s.number)},
                                    {"where", s.where.empty() ? Value() : Value(s.where)},
                                    {"reason", Value(s.reason)}});
      out.emplace_back("skipped", Value(std::move(skipped)));
    }
    List flagged, unflagged, replaced;
    if (changes) {
      for (const auto& c : changes->flagged) flagged.push_back(change_value(c));
      for (const auto& c : changes->unflagged) unflagged.push_back(change_value(c));
      for (const auto& r : changes->replaced)
        replaced.emplace_back(Record{{"number", Value(r.old_number.e164)}, {"replaced_by", Value(r.new_number.e164)}});
    }
    out.emplace_back("applied", Value(changes.has_value()));
    out.emplace_back("flagged", Value(std::move(flagged)));
    out.emplace_back("unflagged", Value(std::move(unflagged)));
    out.emplace_back("replaced", Value(std::move(replaced)));
    out.emplace_back("dry_run", Value(dry_run));
    write_json_line(out);
    return;
  }
  Style style{context.color()};
  std::string_view would = dry_run ? "would be: " : "";
  if (stored) {
    Out::print("{}stored {} readings{}\n", would, stored->added,
               stored->known ? fmt::format(" ({} stored already)", stored->known) : "");
    for (const auto& s : stored->skipped)
      context.note(fmt::format("skipped {}{}: {}", s.number, s.where.empty() ? "" : " (" + s.where + ")", s.reason));
  }
  if (!changes) {
    context.note("policy not applied (--no-apply): run numctl reputation apply");
  } else {
    const auto& policy = context.config().reputation;
    for (const auto& c : changes->flagged)
      Out::print("{} {}flagged {}: {}\n", style.dot(Status::high_risk), would, c.record.display,
                 reputation::risk_reason(c.reading));
    for (const auto& c : changes->unflagged)
      Out::print("{} {}unflagged {}: {} readings below {}, latest {} ({})\n", style.dot(Status::active), would, c.record.display,
                 policy.clear_after, policy.clear_below, c.reading.score, c.reading.source);
    for (const auto& r : changes->replaced)
      Out::print("{} replaced {} by {}\n", style.dot(r.new_number.status), r.old_number.display, r.new_number.display);
    if (changes->flagged.empty() && changes->unflagged.empty()) Out::print("{}no number changed\n", would);
  }
  if (dry_run) context.note("dry run: nothing was changed");
}

struct ApplyFlags {
  bool no_apply = false, replace = false;
};

void add_apply_flags(CLI::App& command, ApplyFlags& flags, bool with_no_apply) {
  if (with_no_apply) command.add_flag("--no-apply", flags.no_apply, "Store the readings only; the policy runs at the next apply");
  command.add_flag("--replace", flags.replace,
                   "Replace the numbers the policy flags at once (same country and type, assignment carried over)");
}

}  // namespace

CLI::App* register_reputation(CLI::App& app, Context&) {
  auto* reputation = app.add_subcommand("reputation", "Spam reputation: readings from feeds and carriers, and the red-dot policy");
  reputation->require_subcommand(1);
  reputation->footer(
      "A reading says how carriers' analytics (Hiya, TNS, First Orion) label a number: a score 0-100\n"
      "(higher is spammier) or a risk level. The policy ([reputation] in the config) flags an active\n"
      "number when a fresh reading scores flag_at or more, and unflags a number it flagged after\n"
      "clear_after fresh readings below clear_below. It never unflags a number an operator flagged,\n"
      "and re-flags a number an operator unflagged only on a newer reading. Audit actor: reputation.\n\n"
      "Examples:\n  numctl reputation import feed.csv --source hiya\n  numctl reputation apply --dry-run\n"
      "  numctl reputation show +12015550100\n  numctl list --risk high --sort risk:desc");
  return reputation;
}

CLI::App* register_reputation_import(CLI::App& reputation, Context& context) {
  struct Options {
    std::string file, format;
    std::optional<std::string> source;
    bool skip_unknown = false;
    ApplyFlags flags;
  };
  auto o = std::make_shared<Options>();
  std::string columns;
  for (auto name : reading_columns) columns += (columns.empty() ? "" : ", ") + std::string(name);
  auto* import = reputation.add_subcommand("import", "Store a reputation feed (CSV, JSON, NDJSON), then apply the policy");
  import->footer("Columns: " + columns +
                 ". number is required, and score (0-100) or risk (low, medium,\n"
                 "high; scored by [reputation] risk_scores). source defaults to --source, checked_at to now, labels\n"
                 "are ;-separated. All or nothing: every bad row is named by its line. A reading stored already\n"
                 "(same number, source and time) is left as it is, so a feed may be imported twice.\n\n"
                 "Examples:\n  numctl reputation import hiya-2026-01-10.csv --source hiya\n"
                 "  curl -s https://feed.example/daily.ndjson | numctl reputation import - --skip-unknown");
  import->add_option("FILE", o->file, "Feed to read, or - for stdin")->required();
  import->add_option("--input-format", o->format, "csv, json or ndjson (default: from the extension; stdin sniffed)");
  import->add_option("--source", o->source, "Source of rows without one (hiya, tns, first_orion, ...)");
  import->add_flag("--skip-unknown", o->skip_unknown, "Skip readings of numbers not in the inventory (else refused)");
  add_apply_flags(*import, o->flags, true);
  import->callback([&context, o] {
    auto [content, format] = read_rows_file(o->file, o->format);
  ReputationOptions options{o->source, o->skip_unknown, !o->flags.no_apply, o->flags.replace};
  auto stored = context.service().import_readings(content, format, options, context.run());
  report(context, stored, std::nullopt, context.dry_run);
});
return import;
}  // namespace numctl::cli

CLI::App* register_reputation_refresh(CLI::App& reputation, Context& context) {
  struct Options {
    std::vector<std::string> numbers;
    bool fresh = false;
    ApplyFlags flags;
  };
  auto o = std::make_shared<Options>();
  auto* refresh =
      reputation.add_subcommand("refresh", "Pull readings from the carrier (Telnyx Number Reputation), then apply the policy");
  refresh->footer(
      "Reads Telnyx Number Reputation ([provider] kind = \"telnyx\"; US numbers) for the numbers given,\n"
      "or for every number Telnyx monitors. Cached readings by default (free); --fresh asks for a\n"
      "live check, which Telnyx bills. Exit 6 when Telnyx fails, 5 when it refuses the API key.\n\n"
      "Examples:\n  numctl reputation refresh\n  numctl reputation refresh +12015550100 --fresh");
  refresh->add_option("NUMBER", o->numbers, "Numbers to check (default: all Telnyx monitors), or - for stdin");
  refresh->add_flag("--fresh", o->fresh, "A live check (billed) instead of Telnyx's cached reading");
  add_apply_flags(*refresh, o->flags, true);
  refresh->callback([&context, o] {
    std::vector<std::string> numbers = o->numbers.empty() ? o->numbers : context.numbers_from(o->numbers);
    ReputationOptions options{std::nullopt, false, !o->flags.no_apply, o->flags.replace};
    auto stored = context.service().refresh_reputation(numbers, o->fresh, options, context.run());
    report(context, stored, std::nullopt, context.dry_run);
  });
  return refresh;
}

CLI::App* register_reputation_apply(CLI::App& reputation, Context& context) {
  auto flags = std::make_shared<ApplyFlags>();
  auto* apply = reputation.add_subcommand("apply", "Flag and unflag numbers by their stored readings, as the policy says");
  apply->footer(
      "One transaction; each change audited (actor reputation) with the score, source and labels that\n"
      "decided it. import and refresh run it too, unless --no-apply.\n\n"
      "Examples:\n  numctl reputation apply --dry-run\n  numctl reputation apply --replace --json");
  add_apply_flags(*apply, *flags, false);
  apply->callback([&context, flags] {
    auto applied = context.service().apply_reputation(flags->replace, context.run());
    report(context, std::nullopt, applied, context.dry_run);
  });
  return apply;
}

CLI::App* register_reputation_show(CLI::App& reputation, Context& context) {
  auto number = std::make_shared<std::string>();
  auto* show = reputation.add_subcommand("show", "Every reading of a number, newest first");
  show->footer("Examples:\n  numctl reputation show +12015550100\n  numctl reputation show +12015550100 --format csv");
  show->add_option("NUMBER", *number, "The number")->required();
  show->callback([&context, number] {
    ReadingQuery query;
    query.number = *number;
    write_readings(context, context.service().readings(query), "no readings of " + *number);
  });
  return show;
}

CLI::App* register_reputation_list(CLI::App& reputation, Context& context) {
  struct Options {
    std::optional<std::string> since;
    std::size_t limit = 0;
  };
  auto o = std::make_shared<Options>();
  auto* list = reputation.add_subcommand("list", "Readings of every number, newest first");
  list->footer(
      "Examples:\n  numctl reputation list --since 7d\n  numctl reputation list --since 2026-01-01 --format csv > readings.csv");
  list->add_option("--since", o->since, "Checked at or after: 2026-01-31, an ISO 8601 time, or 7d ago");
  list->add_option("--limit", o->limit, "At most N readings")->check(CLI::NonNegativeNumber);
  list->callback([&context, o] {
    ReadingQuery query;
    query.limit = o->limit;
    if (o->since) query.since = parse_time(*o->since, "--since", context.clock().now());
    write_readings(context, context.service().readings(query), "no readings");
  });
  return list;
}

CLI::App* register_reputation_prune(CLI::App& reputation, Context& context) {
  return add_prune_command(
      reputation, context,
      {.help = "Remove readings checked before a time",
       .footer = "Readings older than [reputation] max_age_days no longer count for the policy; they stay for\n"
                 "trends until pruned.\n\nExample:\n  numctl reputation prune --older-than 180d",
       .key = "removed",
       .what = "readings checked",
       .cut = 20,
       .prune = [&context](TimePoint before) { return context.service().prune_readings(before, context.run()); }});
}

CLI::App* add_prune_command(CLI::App& parent, Context& context, PruneCommand command) {
  auto older_than = std::make_shared<std::string>();
  auto* prune = parent.add_subcommand("prune", std::string(command.help));
  prune->footer(std::string(command.footer));
  prune->add_option("--older-than", *older_than, "Age: 180d, 26w")->required();
  prune->callback([&context, older_than, command] {
    auto before = context.clock().now() - parse_duration(*older_than, "--older-than");
    auto removed = command.prune(before);
    std::string shown = format_iso8601(before).substr(0, command.cut);
    if (is_json(context.format()))
      write_json_line(
          Record{{std::string(command.key), Value(removed)}, {"before", Value(shown)}, {"dry_run", Value(context.dry_run)}});
    else
      Out::print("{} {} {} before {}\n", context.dry_run ? "would remove" : "removed", removed, command.what, shown);
  });
  return prune;
}

}  // namespace numctl::cli
