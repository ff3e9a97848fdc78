// Spend and call records in SQL, the same text on both engines: the column a cost report groups
// by, what billed numbers cost now, and the audit's status changes a past month is prorated from.
#pragma once

#include "numctl/lifecycle.hpp"
#include "numctl/records.hpp"
#include "store/number_sql.hpp"
#include "store/where_sql.hpp"

#include <string>

namespace numctl::store {

// The column spend is grouped by (NULL for none), and whether it needs the team and member joins.
inline std::string cost_group_column(CostGroup by) {
  switch (by) {
    case CostGroup::none: return "NULL";
    case CostGroup::team: return "COALESCE(t.name, mt.name)";
    case CostGroup::member: return "m.name";
    case CostGroup::country: return "n.country";
    case CostGroup::type: return "n.type";
    case CostGroup::status: return "n.status";
  }
  return "NULL";
}
inline bool cost_group_joins(CostGroup by) { return by == CostGroup::team || by == CostGroup::member; }

// group, currency, count, total (minor units): billed numbers, by group then currency.
inline std::string cost_sql(CostGroup by) {
  const std::string billed = status_list(lifecycle::billed);
  if (by == CostGroup::none)
    // Grouped first in the order of numbers_status (status, type, country, currency,
    // monthly_price), which holds every column read: one pass over that index and nothing to
    // sort but the groups.
    return "SELECT NULL, currency, sum(numbers), sum(total) FROM (SELECT n.currency, count(*) AS numbers,"
           " COALESCE(sum(n.monthly_price), 0) AS total FROM numbers n WHERE n.status IN (" +
           billed +
           ") GROUP BY n.status, n.type, n.country, n.currency) AS billed GROUP BY currency ORDER BY currency IS NULL, currency";
  std::string group = cost_group_column(by);
  return "SELECT " + group + ", n.currency, count(*), COALESCE(sum(n.monthly_price), 0)" +
         (cost_group_joins(by) ? std::string(number_joins) : std::string(" FROM numbers n")) + " WHERE n.status IN (" + billed +
         ") GROUP BY " + group + ", n.currency ORDER BY " + group + " IS NULL, " + group + ", n.currency IS NULL, n.currency";
}

// number, at, from_status, to_status, group, currency, monthly_price: changes into billing (a
// purchase, an import, a cancelled number bought again) and out of it (released, expired),
// before `until_mark`, by number then time. A released number is assigned to nobody now: its
// group is the team or member its release recorded (`details_field` reads a key of the audit
// row's details in the engine's JSON: json_extract(a.details, '$.team'), a.details::json->>'team').
inline std::string status_changes_sql(CostGroup by, const std::string& until_mark,
                                      std::string (*details_field)(std::string_view key)) {
  std::string group = cost_group_column(by);
  const std::string billed = status_list(lifecycle::billed);
  if (by == CostGroup::team) group = "COALESCE(t.name, mt.name, " + details_field("team") + ")";
  if (by == CostGroup::member) group = "COALESCE(m.name, " + details_field("member") + ")";
  return "SELECT a.number, a.at, a.from_status, a.to_status, " + group +
         ", n.currency, n.monthly_price FROM audit a JOIN numbers n ON n.e164 = a.number" +
         (cost_group_joins(by) ? std::string(number_side_joins) : std::string()) + " WHERE a.at < " + until_mark +
         " AND ((a.from_status IS NULL AND a.to_status IS NOT NULL) OR (a.to_status IN (" + billed +
         ") AND a.from_status NOT IN (" + billed + ")) OR (a.from_status IN (" + billed + ") AND a.to_status NOT IN (" + billed +
         "))) ORDER BY a.number, a.id";
}

}  // namespace numctl::store
