// ORDER BY clauses of listings, the same SQL on both engines: every order ends with the number
// so that pages are stable. Sorting by risk reads the readings, which each engine binds its own
// way: `fresh_mark` is its placeholder for the freshness cut-off.
#pragma once

#include "numctl/query.hpp"

#include <string>

namespace numctl::store {

inline std::string order_clause(const Sort& sort, const std::string& fresh_mark) {
  std::string dir = sort.descending ? " DESC" : " ASC";
  std::string nulls = sort.descending ? " NULLS FIRST" : " NULLS LAST";
  switch (sort.field) {
    case SortField::number: return " ORDER BY n.e164" + dir;
    case SortField::country: return " ORDER BY n.country" + dir + ", n.e164";
    case SortField::type: return " ORDER BY n.type" + dir + ", n.e164";
    case SortField::status: return " ORDER BY n.status" + dir + ", n.e164";
    case SortField::team: return " ORDER BY COALESCE(t.name, mt.name)" + dir + nulls + ", n.e164";
    case SortField::member: return " ORDER BY m.name" + dir + nulls + ", n.e164";
    case SortField::label: return " ORDER BY n.label" + dir + nulls + ", n.e164";
    case SortField::bought_at: return " ORDER BY n.bought_at" + dir + nulls + ", n.e164";
    case SortField::release_at: return " ORDER BY n.release_at" + dir + nulls + ", n.e164";
    // The last inbound call, or the purchase of a number never called: oldest silence first.
    case SortField::last_call: return " ORDER BY COALESCE(n.last_inbound_at, n.bought_at)" + dir + nulls + ", n.e164";
    case SortField::price: return " ORDER BY n.currency" + dir + nulls + ", n.monthly_price" + dir + nulls + ", n.e164";
    case SortField::risk:
      // The highest fresh score; numbers without one last either way.
      return " ORDER BY (SELECT max(r.score) FROM reputation_readings r WHERE r.number_id = n.id AND r.checked_at >= " +
             fresh_mark + ")" + dir + " NULLS LAST, n.e164";
  }
  return " ORDER BY n.e164";
}

}  // namespace numctl::store
