// The read side's checks of what a listing asks for.
#include "numctl/inventory.hpp"
#include "numctl/error.hpp"
#include "numctl/money.hpp"
#include "numctl/suggest.hpp"
#include "domain/validation.hpp"

namespace numctl {

std::string Inventory::fresh_since() const {
  return format_iso8601(clock_.now() - std::chrono::days(policy_.max_age_days));
}

Sort Inventory::settled(const Sort& sort) const {
  Sort out = sort;
  if (out.field == SortField::risk) out.fresh_since = fresh_since();
  return out;
}

Stats Inventory::stats(const Filter& filter) {
  Filter settled_filter = settled(filter);
  RiskCriteria bands;
  bands.fresh_since = fresh_since();
  bands.clear_below = policy_.clear_below;
  bands.flag_at = policy_.flag_at;
  return store_.stats(settled_filter, bands);
}

Filter Inventory::settled(const Filter& filter) {
  Filter out = filter;
  if (out.risk) {
    out.risk->fresh_since = fresh_since();
    out.risk->clear_below = policy_.clear_below;
    out.risk->flag_at = policy_.flag_at;
  }
  if (out.idle_days) out.silent_since = format_iso8601(clock_.now() - std::chrono::days(*out.idle_days));
  if (out.min_price && !parse_amount(*out.min_price, "USD"))
    fail(ErrorCategory::invalid_input, "--min-price takes a decimal amount such as 1.50, got '" + *out.min_price + "'");
  if (out.team) {
    out.team = to_nfc(*out.team);
    if (!store_.team_id(*out.team))
      fail(ErrorCategory::not_found, no_such("team", *out.team, store_.team_names(), "see numctl team list"));
  }
  if (out.member) {
    out.member = to_nfc(*out.member);
    if (!store_.member_id(*out.member))
      fail(ErrorCategory::not_found, no_such("member", *out.member, store_.member_names(), "see numctl member list"));
  }
  return out;
}

std::vector<std::string> Inventory::numbers_allowing(Action action, std::string_view prefix, std::size_t limit) {
  Filter filter;
  for (Status status : all_statuses)
    if (lifecycle::find(action, status)) filter.statuses.push_back(status);
  if (filter.statuses.empty()) return {};
  if (!prefix.empty()) filter.e164_prefix = std::string(prefix);
  std::vector<std::string> out;
  store_.for_each_number(filter, Sort{}, Page{static_cast<std::int64_t>(limit), 0},
                         [&](const NumberRecord& record) { out.push_back(record.e164); });
  return out;
}

}  // namespace numctl
