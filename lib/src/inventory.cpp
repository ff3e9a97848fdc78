// The read side's checks of what a listing asks for.
#include "numctl/inventory.hpp"
#include "numctl/error.hpp"
#include "numctl/suggest.hpp"
#include "validation.hpp"

namespace numctl {

Filter Inventory::settled(const Filter& filter) {
  if (!filter.team && !filter.member) return filter;
  Filter out = filter;
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
