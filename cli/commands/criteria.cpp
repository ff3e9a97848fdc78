// The filter options shared by list, filter, search and stats.
#include "context.hpp"

#include <numctl/error.hpp>
#include <numctl/query.hpp>
#include <numctl/text.hpp>

namespace numctl::cli {

void add_criteria_options(CLI::App& command, CriteriaOptions& o, bool with_paging) {
  command.add_option("--status", o.status, "Status(es), comma-separated: active, pending, high_risk, to_be_cancelled, cancelled (or green, yellow, red)");
  command.add_option("--type", o.type, "Type(s), comma-separated: local, mobile, toll_free");
  command.add_option("--country", o.country, "Country code(s), comma-separated: DE,US");
  auto* assigned = command.add_flag("--assigned", o.assigned, "Only numbers assigned to a team or member");
  command.add_flag("--unassigned", o.unassigned, "Only numbers assigned to nobody")->excludes(assigned);
  command.add_option("--team", o.team, "Numbers of this team, including its members'");
  command.add_option("--member", o.member, "Numbers of this member");
  command.add_flag("--all", o.all, "Include cancelled numbers");
  command.add_option("--risk", o.risk, "Reputation band(s), comma-separated: low, medium, high (of the highest fresh score)");
  command.add_option("--score-above", o.score_above, "Highest fresh reputation score above N")->check(CLI::Range(0, 100));
  command.add_option("--score-below", o.score_below, "Highest fresh reputation score below N")->check(CLI::Range(0, 100));
  command
      .add_option("--idle-days", o.idle_days,
                  "Idle numbers: in service, held N days or more, no inbound call within them (numctl usage import)")
      ->check(CLI::Range(1, 3650));
  command.add_option("--emergency", o.emergency,
                     "Emergency registration(s), comma-separated: registered, pending, failed, none (no address)");
  command.add_option("--emergency-address", o.emergency_address, "Numbers registered with this emergency address");
  command.add_option("--min-price", o.min_price, "A monthly price of at least AMOUNT (in each number's currency), e.g. 1.50");
  if (with_paging) {
    command.add_option("--sort", o.sort, "Sort by FIELD[:desc]: " + sort_field_names());
    command.add_option("--limit", o.limit, "Show at most N numbers")->check(CLI::NonNegativeNumber);
    command.add_option("--offset", o.offset, "Skip the first N numbers")->check(CLI::NonNegativeNumber);
  }
}

Filter build_filter(const CriteriaOptions& o) {
  Filter filter;
  if (!o.status.empty()) filter.statuses = parse_status_list(o.status);
  if (!o.type.empty()) filter.types = parse_type_list(o.type);
  if (!o.country.empty()) filter.countries = parse_country_list(o.country);
  if (o.assigned) filter.assigned = true;
  if (o.unassigned) filter.assigned = false;
  if (!o.team.empty()) filter.team = o.team;
  if (!o.member.empty()) filter.member = o.member;
  filter.include_cancelled = o.all;
  filter.idle_days = o.idle_days;
  filter.min_price = o.min_price;
  for (const auto& name : text::split(o.emergency, ',')) {
    std::string wanted = text::lower(text::trim(name));
    if (wanted.empty()) continue;
    auto parsed = parse_emergency_status(wanted);
    if (!parsed) fail(ErrorCategory::invalid_input, "unknown --emergency '" + wanted + "' (registered, pending, failed, none)");
    filter.emergency.push_back(*parsed);
  }
  if (!o.emergency_address.empty()) filter.emergency_address = o.emergency_address;
  if (!o.risk.empty() || o.score_above || o.score_below) {
    RiskCriteria risk;
    for (const auto& name : text::split(o.risk, ',')) {
      std::string band = text::lower(text::trim(name));
      if (band.empty()) continue;
      auto parsed = parse_risk_band(band);
      if (!parsed) fail(ErrorCategory::invalid_input, "unknown risk '" + band + "' (low, medium, high)");
      risk.bands.push_back(*parsed);
    }
    risk.above = o.score_above;
    risk.below = o.score_below;
    filter.risk = risk;
  }
  return filter;
}

}  // namespace numctl::cli
