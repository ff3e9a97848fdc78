// What numbers cost and whether they ring: prices refresh, cost, usage import/refresh/prune and
// idle.
#include "command_table.hpp"
#include "output/columns.hpp"
#include "output/table.hpp"
#include "output/value.hpp"
#include "output/writers.hpp"

#include <numctl/error.hpp>
#include <numctl/money.hpp>
#include <numctl/text.hpp>

namespace numctl::cli {
namespace {

std::string totals_text(const Totals& totals) {
  std::string out;
  for (const auto& [currency, minor] : totals.by_currency()) out += (out.empty() ? "" : ", ") + format_money({minor, currency});
  return out.empty() ? std::string("nothing priced") : out;
}

Value money_value(const std::optional<std::string>& currency, std::int64_t minor) {
  return currency ? Value(format_amount(minor, *currency)) : Value();
}

void write_usage(Context& context, const UsageImported& result, std::string_view verb) {
  if (is_json(context.format())) {
    write_json_line(Record{{"records", Value(static_cast<std::int64_t>(result.records))},
                           {"added", Value(result.stored.added)},
                           {"known", Value(result.stored.known)},
                           {"skipped_unknown", Value(result.stored.unknown)},
                           {"older_than_kept", Value(result.stored.older)},
                           {"read_until", Value(result.read_until)},
                           {"dry_run", Value(context.dry_run)}});
    return;
  }
  Out::print("{} {} call records from {}: {} new, {} stored already{}{}\n", context.dry_run ? "would read" : std::string(verb),
             result.records, result.source, result.stored.added, result.stored.known,
             result.stored.older ? fmt::format(", {} older than the days kept (last calls only)", result.stored.older) : "",
             result.read_until ? ", read up to " + *result.read_until : "");
  if (result.stored.unknown) context.note("skipped {} records of numbers not in the inventory", result.stored.unknown);
}

}  // namespace

CLI::App* register_prices(CLI::App& app, Context&) {
  auto* prices = app.add_subcommand("prices", "What numbers cost a month: the carrier's prices, or [prices] in the config");
  prices->footer(
      "A number records its monthly price when it is bought: the carrier's offer (Telnyx), the carrier's\n"
      "price list (Twilio Pricing API), or for the offline providers [prices.CC] in the config:\n"
      "  [prices.US]\n  currency = \"USD\"\n  local = \"1.15\"\n  toll_free = \"2.15\"\n"
      "Prices are kept as integer minor units of their currency; totals are never added across currencies.\n\n"
      "Examples:\n  numctl prices refresh\n  numctl cost --by team");
  prices->require_subcommand(1);
  return prices;
}

CLI::App* register_prices_refresh(CLI::App& prices, Context& context) {
  auto* refresh = prices.add_subcommand("refresh", "Read the prices of every country and type held, and set the numbers'");
  refresh->footer(
      "With a carrier: one call per country held (Twilio Pricing API; Telnyx prices one offer of each type\n"
      "held), cached with the time read. Offline: [prices] in the config. Each number whose price changes is\n"
      "audited (action price). numctl sync refreshes prices too.\n\n"
      "Examples:\n  numctl prices refresh\n  numctl prices refresh --dry-run --json");
  refresh->callback([&context] {
    auto result = context.service().refresh_prices(context.run());
    Format format = context.format();
    List rows;
    for (const auto& line : result.lines)
      rows.emplace_back(
          Record{{"country", Value(line.country)},
                 {"type", Value(std::string(to_string(line.type)))},
                 {"monthly_price", line.price ? Value(format_amount(line.price->minor, line.price->currency)) : Value()},
                 {"currency", line.price ? Value(line.price->currency) : Value()},
                 {"changed", Value(line.changed)}});
    if (is_json(format)) {
      write_json_list(format, rows);
    } else {
      write_rows(format,
                 {{"country", "CC", 3},
                  {"type", "TYPE", 10},
                  {"monthly_price", "PRICE", 10, TextColumn::Align::left, "unknown"},
                  {"currency", "CUR", 4, {}, "—"},
                  {"changed", "NUMBERS CHANGED", 0}},
                 rows, context.writer_options());
      if (result.lines.empty()) context.note("no numbers held {}", result.source == "[prices]" ? "" : "at " + result.source);
    }
    for (const auto& failed : result.failed) context.note("{}: {}", failed.number, failed.reason);
    for (const auto& line : result.lines)
      if (!line.price)
        context.note("no price for {} {} numbers{}", line.country, to_string(line.type),
                     result.source == "[prices]" ? fmt::format(" (add [prices.{}] to the config)", line.country) : "");
    if (!result.failed.empty())
      fail(ErrorCategory::carrier, fmt::format("{} of {} countries not read from {}", result.failed.size(),
                                               result.failed.size() + result.lines.size(), result.source));
  });
  return refresh;
}

CLI::App* register_cost(CLI::App& app, Context& context) {
  struct Options {
    std::string by, month;
  };
  auto o = std::make_shared<Options>();
  auto* cost = app.add_subcommand("cost", "What the inventory costs a month, by team, member, country, type or status");
  cost->footer(
      "Billed numbers are those not cancelled (active, pending, high_risk, to_be_cancelled), at their\n"
      "monthly price; one row per group and currency (currencies are never added together). --month gives\n"
      "a past month from the audit: each number counts for the days it was held that month (the day bought\n"
      "and the day released both count), prorated by day at its price now.\n\n"
      "Examples:\n  numctl cost\n  numctl cost --by team\n  numctl cost --by country --month 2026-11 --json | jq '.[]'");
  cost->add_option("--by", o->by, "Group by team, member, country, type or status");
  cost->add_option("--month", o->month, "A past month, YYYY-MM, prorated by the days each number was held");
  cost->callback([&context, o] {
    CostQuery query;
    if (!o->by.empty()) {
      auto by = parse_cost_group(text::lower(o->by));
      if (!by) fail(ErrorCategory::invalid_input, "--by takes team, member, country, type or status, got '" + o->by + "'");
      query.by = *by;
    }
    if (!o->month.empty()) query.month = o->month;
    auto report = context.service().cost(query);
    std::string group_key = query.by == CostGroup::none ? "" : std::string(cost_group_names[static_cast<std::size_t>(query.by)]);
    List rows;
    for (const auto& row : report.rows) {
      Record record;
      if (!group_key.empty()) record.emplace_back(group_key, Value(row.group));
      record.emplace_back("currency", Value(row.currency));
      record.emplace_back("count", Value(row.count));
      record.emplace_back("monthly_total", money_value(row.currency, row.monthly_total));
      if (report.month) record.emplace_back("month", Value(*report.month));
      rows.emplace_back(std::move(record));
    }
    Format format = context.format();
    if (is_json(format) || format == Format::csv) {
      if (is_json(format))
        write_json_list(format, rows);
      else {
        std::vector<TextColumn> columns;
        if (!group_key.empty()) columns.push_back({group_key, "", 0});
        columns.push_back({"currency", "", 0});
        columns.push_back({"count", "", 0});
        columns.push_back({"monthly_total", "", 0});
        write_rows(format, columns, rows, context.writer_options());
      }
      return;
    }
    // A table: the group (— for numbers of none), the currency, the count and the total.
    std::string heading = text::upper(group_key);
    std::vector<TextColumn> columns;
    if (!group_key.empty()) columns.push_back({group_key, heading, 20, {}, "—"});
    columns.push_back({"currency", "CUR", 5, {}, "(no price)"});
    columns.push_back({"count", "NUMBERS", 9, TextColumn::Align::right});
    columns.push_back({"monthly_total", report.month ? "TOTAL" : "PER MONTH", 0, TextColumn::Align::left, "—"});
    write_rows(format, columns, rows, context.writer_options());
    std::int64_t unpriced = 0;
    for (const auto& row : report.rows)
      if (!row.currency) unpriced += row.count;
    Out::print("{}: {}{}\n", report.month ? "total for " + *report.month : std::string("total per month"),
               totals_text(report.totals),
               unpriced ? fmt::format(" ({} numbers without a price: numctl prices refresh)", unpriced) : "");
  });
  return cost;
}

CLI::App* register_usage(CLI::App& app, Context&) {
  auto* usage = app.add_subcommand("usage", "Call records: when each number last rang, for finding idle numbers");
  usage->footer(
      "numctl keeps, per number, its last inbound and last outbound call, and calls per day over\n"
      "[usage] keep_days (90). Records come from the phone system's exports (usage import) or the\n"
      "carrier's detail records (usage refresh).\n\n"
      "Examples:\n  numctl usage import calls-2026-11.csv\n  numctl usage refresh\n  numctl idle --days 90");
  usage->require_subcommand(1);
  return usage;
}

CLI::App* register_usage_import(CLI::App& usage, Context& context) {
  struct Options {
    std::string file, format;
  };
  auto o = std::make_shared<Options>();
  auto* import = usage.add_subcommand("import", "Read call detail records (CSV, JSON, NDJSON) from a file or stdin");
  import->footer(
      "Columns: number (the inventory's number) or to and from (as a switch writes them: an inbound\n"
      "call's to, an outbound call's from, is the inventory's); at or started_at (ISO 8601); direction\n"
      "(inbound, outbound; default inbound); duration_s. All or nothing: every bad row is named by its line\n"
      "(the header is line 1). Records of numbers not in the inventory are skipped and counted. A record\n"
      "is keyed by number, time and caller: importing a file twice changes nothing. Streamed: memory stays\n"
      "flat however long the file.\n\n"
      "Examples:\n  numctl usage import cdr-2026-11.csv\n  pbx-export --since yesterday | numctl usage import - --input-format "
      "ndjson");
  import->add_option("FILE", o->file, "Records to read, or - for stdin")->required();
  import->add_option("--input-format", o->format, "csv, json or ndjson (default: from the extension; stdin sniffed)");
  import->callback([&context, o] {
    std::optional<ImportFormat> format;
  if (!o->format.empty()) {
    format = parse_import_format(text::lower(o->format));
    if (!format) fail(ErrorCategory::invalid_input, "--input-format takes csv, json or ndjson, got '" + o->format + "'");
  }
  write_usage(context, context.service().import_usage(o->file, format, context.run()), "read");
});
return import;
}  // namespace numctl::cli

CLI::App* register_usage_refresh(CLI::App& usage, Context& context) {
  struct Options {
    std::optional<std::string> since;
  };
  auto o = std::make_shared<Options>();
  auto* refresh = usage.add_subcommand("refresh", "Read the carrier's call records since the last refresh");
  refresh->footer(
      "Twilio: Calls.json (StartTime>, paged); Telnyx: detail records of Call Control and SIP trunking.\n"
      "Goes on from the newest record the last refresh read (else [usage] keep_days back); --since starts\n"
      "elsewhere.\n\nExamples:\n  numctl usage refresh\n  numctl usage refresh --since 2026-11-01");
  refresh->add_option("--since", o->since, "Read from this time: 2026-11-01, 30d");
  refresh->callback([&context, o] {
    std::optional<TimePoint> since;
    if (o->since) since = parse_iso8601(parse_time(*o->since, "--since", context.clock().now()));
    write_usage(context, context.service().refresh_usage(since, context.run()), "read");
  });
  return refresh;
}

CLI::App* register_usage_prune(CLI::App& usage, Context& context) {
  return add_prune_command(
      usage, context,
      {.help = "Drop the daily call counts of days before a time",
       .footer = "Each number keeps its last inbound and outbound call; the calls per day (and the keys that make\n"
                 "an import idempotent) are dropped for the days pruned.\n\nExample:\n  numctl usage prune --older-than 90d",
       .key = "days_removed",
       .what = "daily counts",
       .cut = 10,
       .prune = [&context](TimePoint before) { return context.service().prune_usage(before, context.run()); }});
}

CLI::App* register_idle(CLI::App& app, Context& context) {
  struct Options {
    std::optional<int> days;
    std::string team;
    std::optional<std::string> min_price;
  };
  auto o = std::make_shared<Options>();
  auto* idle = app.add_subcommand("idle", "Numbers nobody calls: held N days or more without an inbound call");
  idle->footer(
      "In service (active, pending, high_risk), held --days or more, and no inbound call within them (a\n"
      "number never called is silent since its purchase); numbers already under cancellation are left out.\n"
      "Oldest silence first, with the monthly saving of releasing them. Call records come from numctl usage.\n\n"
      "Examples:\n  numctl idle\n  numctl idle --days 60 --team Sales --min-price 1\n"
      "  numctl idle --format plain | numctl cancel - --reason 'idle 90 days'");
  idle->add_option("--days", o->days, "Days without an inbound call (default [usage] idle_days, 90)")->check(CLI::Range(1, 3650));
  idle->add_option("--team", o->team, "Numbers of this team, including its members'");
  idle->add_option("--min-price", o->min_price, "Only numbers costing at least AMOUNT a month, e.g. 1.50");
  idle->callback([&context, o] {
    Filter filter;
    filter.idle_days = o->days.value_or(context.config().usage.idle_days);
    if (!o->team.empty()) filter.team = o->team;
    filter.min_price = o->min_price;
    Sort sort;
    sort.field = SortField::last_call;
    Format format = context.format();
    auto& inventory = context.inventory();
    Totals saving;
    std::size_t count = 0;
    if (format == Format::table) {
      ColumnList columns{find_number_column("number"),   find_number_column("country"),       find_number_column("type"),
                         find_number_column("assignee"), find_number_column("monthly_price"), find_number_column("silent_since")};
      WriterOptions options = context.writer_options();
      if (options.columns.empty()) options.columns = columns;
      auto writer = make_number_writer(format, options);
      inventory.for_each_number(filter, sort, Page{}, [&](const NumberRecord& r) {
        writer->row(r);
        ++count;
        if (r.monthly_price && r.currency) saving.add(*r.currency, *r.monthly_price);
      });
      writer->finish();
      if (count)
        Out::print("{} idle numbers; releasing them saves {} a month (numctl idle --format plain | numctl cancel -)\n", count,
                   totals_text(saving));
      else
        context.note("no idle numbers (held {}+ days without an inbound call)", *filter.idle_days);
      return;
    }
    auto writer = make_number_writer(format, context.writer_options());
    inventory.for_each_number(filter, sort, Page{}, [&](const NumberRecord& r) { writer->row(r); });
    writer->finish();
  });
  return idle;
}

}  // namespace numctl::cli
