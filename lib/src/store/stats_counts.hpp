// Stats' counts by status, type and country, the same on both engines: one grouped pass over the
// numbers (in the order of numbers_filter, so the engine reads an index once and sorts nothing),
// added up here into the three lists, each by count, largest first, then by name.
#pragma once

#include "numctl/records.hpp"

#include <algorithm>
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace numctl::store {

// Counts by name, largest first, then by name (the map's order).
inline std::vector<std::pair<std::string, std::int64_t>> ranked(const std::map<std::string, std::int64_t>& counts) {
  std::vector<std::pair<std::string, std::int64_t>> out(counts.begin(), counts.end());
  std::stable_sort(out.begin(), out.end(), [](const auto& a, const auto& b) { return a.second > b.second; });
  return out;
}

// Followed by the engine's WHERE, then stats_groups_tail: rows of country, type, status, count.
inline constexpr const char* stats_groups_head = "SELECT n.country, n.type, n.status, count(*) FROM numbers n";
inline constexpr const char* stats_groups_tail = " GROUP BY n.country, n.type, n.status";

class GroupCounts {
 public:
  void add(const std::string& country, const std::string& type, const std::string& status, std::int64_t count) {
    by_country_[country] += count;
    by_type_[type] += count;
    by_status_[status] += count;
  }
  void into(Stats& stats) const {
    stats.by_status = ranked(by_status_);
    stats.by_type = ranked(by_type_);
    stats.by_country = ranked(by_country_);
  }

 private:
  using Counts = std::map<std::string, std::int64_t>;
  Counts by_country_, by_type_, by_status_;
};

// Stats by team: counted by (team, member) ids over numbers_assignee, then named here (teams and
// members are few; joining their names to every number cost far more). A member's numbers count
// for the member's team.
inline constexpr const char* stats_assignees_head = "SELECT n.team_id, n.member_id, count(*) FROM numbers n";
inline constexpr const char* stats_assignees_tail = " GROUP BY n.team_id, n.member_id";

class TeamCounts {
 public:
  void team(std::int64_t id, std::string name) { team_names_[id] = std::move(name); }
  void member(std::int64_t id, std::optional<std::int64_t> team) { member_teams_[id] = team; }
  void add(std::optional<std::int64_t> team, std::optional<std::int64_t> member, std::int64_t count) {
    if (!team && member)
      if (auto it = member_teams_.find(*member); it != member_teams_.end()) team = it->second;
    counts_[team ? team_names_[*team] : std::string()] += count;
  }
  std::vector<std::pair<std::string, std::int64_t>> ranked() const { return store::ranked(counts_); }

 private:
  std::map<std::int64_t, std::string> team_names_;
  std::map<std::int64_t, std::optional<std::int64_t>> member_teams_;
  std::map<std::string, std::int64_t> counts_;
};

}  // namespace numctl::store
