// stats: counts by status, type, country and team, as bars or JSON.
#include "command_table.hpp"

#include <numctl/emergency_service.hpp>
#include <numctl/text.hpp>
#include "output/value.hpp"

#include <numctl/money.hpp>
#include <numctl/phone.hpp>

namespace numctl::cli {
namespace {

Value group_value(const std::vector<std::pair<std::string, std::int64_t>>& group, const char* null_name) {
  Record fields;
  for (const auto& [name, count] : group) fields.emplace_back(name.empty() ? std::string(null_name) : name, Value(count));
  return fields;
}

void text_group(const Style& style, const std::string& title, std::int64_t total,
                const std::vector<std::pair<std::string, std::int64_t>>& group,
                const std::function<std::string(const std::string&)>& name) {
  Out::print("{}\n", style.bold(title));
  std::size_t width = 0;
  std::vector<std::string> names;
  for (const auto& [key, count] : group) {
    names.push_back(name(key));
    // A very long name is cut, so the bars stay on screen.
    if (display_width(names.back()) > 32) names.back() = fit(names.back(), 32);
    width = std::max(width, display_width(names.back()));
  }
  for (std::size_t i = 0; i < group.size(); ++i) {
    std::size_t cells = display_width(names[i]);
    std::size_t bar = total ? static_cast<std::size_t>(30.0 * double(group[i].second) / double(total) + 0.5) : 0;
    std::string bars;
    for (std::size_t b = 0; b < std::max<std::size_t>(bar, group[i].second ? 1 : 0); ++b) bars += "█";
    // The name padded by its cells on a terminal (fmt would count code points), the count right-aligned.
    Out::print("  {}{:{}}{:>9}  {}\n", names[i], "", width - cells + 2, group[i].second, bars);
  }
  Out::write("\n");
}

}  // namespace

CLI::App* register_stats(CLI::App& app, Context& context) {
  auto options = std::make_shared<CriteriaOptions>();
  auto* stats = app.add_subcommand("stats", "Counts by status, type, country, team and reputation risk");
  stats->footer("Examples:\n  numctl stats\n  numctl stats --country DE --json | jq .by_status");
  add_criteria_options(*stats, *options, false);
  stats->callback([&context, options] {
    Format format = context.format();
    Stats s = context.inventory().stats(build_filter(*options));
    // Inventory-wide, whatever the filter: what happens within a week without anyone acting.
    auto [releasing, expiring] = context.service().due_counts(context.clock().now() + std::chrono::days(7));
    // What the inventory costs a month, per currency (the filter does not apply: numctl cost --by).
    auto spend = context.service().cost(CostQuery{});
    // Inventory-wide too: numbers that call without a registered emergency address.
    auto gaps = EmergencyService(context.service()).gaps();
    if (is_json(format)) {
      write_json_line(Record{{"total", Value(s.total)},
                             {"by_status", group_value(s.by_status, "")},
                             {"by_type", group_value(s.by_type, "")},
                             {"by_country", group_value(s.by_country, "")},
                             {"by_team", group_value(s.by_team, "(no team)")},
                             {"by_risk", group_value(s.by_risk, "")},
                             {"due_within_7_days", Value(Record{{"releasing", Value(releasing)}, {"expiring", Value(expiring)}})},
                             {"emergency", Value(Record{{"countries", Value(gaps.countries)},
                                                        {"missing", Value(gaps.missing)},
                                                        {"pending", Value(gaps.pending)},
                                                        {"failed", Value(gaps.failed)},
                                                        {"registered", Value(gaps.registered)}})},
                             {"monthly_cost", [&] {
                                Record totals;
                                for (const auto& [currency, minor] : spend.totals.by_currency())
                                  totals.emplace_back(currency, Value(format_amount(minor, currency)));
                                return Value(std::move(totals));
                              }()}});
      return;
    }
    Style style{context.color()};
    Out::print("{}\n", style.bold(fmt::format("Numbers: {}", s.total)));
    Out::print("Due within 7 days: {} releasing, {} expiring (numctl due)\n", releasing, expiring);
    for (const auto& [currency, minor] : spend.totals.by_currency())
      Out::print("Cost in {}: {} a month (numctl cost --by team)\n", currency, format_money({minor, currency}));
    if (gaps.missing || gaps.failed || gaps.pending)
      Out::print("Emergency addresses ({}): {} missing, {} failed, {} pending (numctl emergency gaps)\n",
                 text::join(gaps.countries, ", "), gaps.missing, gaps.failed, gaps.pending);
    Out::write("\n");
    text_group(style, "By status", s.total, s.by_status, [&](const std::string& key) {
      auto status = parse_status(key);
      return (status ? style.dot(*status) + " " : std::string()) + key;
    });
    text_group(style, "By type", s.total, s.by_type, [](const std::string& key) { return key; });
    text_group(style, "By country", s.total, s.by_country,
               [](const std::string& key) { return key + " " + country_name(key); });
    text_group(style, "By team", s.total, s.by_team,
               [](const std::string& key) { return key.empty() ? std::string("(no team)") : key; });
    // Only once some number has a fresh reputation reading.
    if (!s.by_risk.empty())
      text_group(style, "By risk (fresh reputation readings)", s.total, s.by_risk, [](const std::string& key) { return key; });
  });
  return stats;
}

}  // namespace numctl::cli
