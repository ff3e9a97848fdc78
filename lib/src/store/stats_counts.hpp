// Stats' counts by status, type and country, the same on both engines: one grouped pass over the
// numbers (in the order of numbers_filter, so the engine reads an index once and sorts nothing),
// added up here into the three lists, each by count, largest first, then by name.
#pragma once

#include "numctl/records.hpp"

#include <algorithm>
#include <cstdint>
#include <map>
#include <string>

namespace numctl::store {

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
  static std::vector<std::pair<std::string, std::int64_t>> ranked(const Counts& counts) {
    std::vector<std::pair<std::string, std::int64_t>> out(counts.begin(), counts.end());  // by name
    std::stable_sort(out.begin(), out.end(), [](const auto& a, const auto& b) { return a.second > b.second; });
    return out;
  }
  Counts by_country_, by_type_, by_status_;
};

}  // namespace numctl::store
