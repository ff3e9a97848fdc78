// The read side of the library: listings, counts, teams and members, completion candidates and
// backups. The CLI reads through this, never through the Store itself; Service does the writing.
#pragma once

#include "numctl/clock.hpp"
#include "numctl/config.hpp"
#include "numctl/query.hpp"
#include "numctl/records.hpp"
#include "numctl/lifecycle.hpp"
#include "numctl/store.hpp"

#include <filesystem>
#include <functional>
#include <string>
#include <string_view>
#include <vector>

namespace numctl {

class Inventory {
public:
  // The policy says which reputation readings are fresh and where the risk bands lie, for
  // listings that filter or sort by risk.
  Inventory(Store& store, ReputationPolicy policy, const Clock& clock)
      : store_(store), policy_(std::move(policy)), clock_(clock) {}

  // Streams matching numbers to `visit` one at a time (memory stays flat). A team or member the
  // filter names must exist (not_found, with a suggestion): an empty answer would hide a typo.
  void for_each_number(const Filter& filter, const Sort& sort, const Page& page,
                       const std::function<void(const NumberRecord&)>& visit) {
    store_.for_each_number(settled(filter), settled(sort), page, visit);
  }
  // With by_risk: the count of numbers by risk band, from their fresh readings.
  Stats stats(const Filter& filter);
  // The inventory-wide audit, newest first (numbers, teams and members).
  void for_each_audit(const AuditQuery& query, const std::function<void(const AuditEntry&)>& visit) {
    store_.for_each_audit(query, visit);
  }
  std::vector<TeamInfo> teams() { return store_.teams(); }
  std::vector<MemberInfo> members() { return store_.members(); }
  std::vector<std::string> team_names() { return store_.team_names(); }
  std::vector<std::string> member_names() { return store_.member_names(); }
  // Owned numbers (not cancelled) starting with `prefix`, at most `limit`, for completion.
  std::vector<std::string> numbers_starting_with(std::string_view prefix, std::size_t limit) {
    return store_.numbers_starting_with(prefix, limit);
  }
  // Owned numbers starting with `prefix` whose status the lifecycle table lets `action` act on
  // (restore: to_be_cancelled ones; replace: high_risk ones), at most `limit`, for completion.
  std::vector<std::string> numbers_allowing(Action action, std::string_view prefix, std::size_t limit);
  // A consistent copy of the whole database; refused when `destination` exists.
  void backup_to(const std::filesystem::path& destination) { store_.backup_to(destination); }
  std::string location() const { return store_.location(); }

private:
  // The filter with names in NFC, once each named team and member is known to exist, and its
  // risk criteria completed from the policy.
  Filter settled(const Filter& filter);
  Sort settled(const Sort& sort) const;
  std::string fresh_since() const;

  Store& store_;
  ReputationPolicy policy_;
  const Clock& clock_;
};

}  // namespace numctl
