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

}  // namespace numctl
