// The SQLite engine's reading side: a Filter as a WHERE clause, sort orders, listings,
// counts and stats.
#include "store_impl.hpp"
#include "../sort_sql.hpp"
#include "../stats_counts.hpp"
#include "../search_text.hpp"
#include "../where_sql.hpp"

#include <algorithm>
#include <map>

namespace numctl::sqlite {
namespace {

using store::Shape;
using Where = store::Where;

// SQLite's dialect: positional ? marks, names compared by the schema's NOCASE, digits through
// the FTS5 trigram table, and the planner kept off other indexes during a digit search.
const store::Dialect dialect{
    [](std::size_t) { return std::string("?"); },
    [](const std::string& column, const std::string& mark) { return column + " = " + mark; },
    [](Where& w, const std::string& digits) {
      // Three digits or more: the rows holding the trigrams that cover them (the index keeps no
      // positions, so "12 345" would also match "12345"), then the exact check on those.
      if (digits.size() >= 3) {
        std::string trigrams;
        for (const auto& trigram : store::covering_trigrams(digits))
          trigrams += (trigrams.empty() ? "\"" : " AND \"") + trigram + "\"";
        w.clause("n.id IN (SELECT rowid FROM numbers_digits WHERE numbers_digits MATCH " + w.next(trigrams) + ")");
      }
      std::string in_e164 = w.next(digits);
      w.clause("(instr(n.e164, " + in_e164 + ") > 0 OR instr(n.national_digits, " + w.next(digits) + ") > 0)");
    },
    true,
    true,
    true,
};

Where where(const Filter& filter, Shape shape = Shape::listing) { return store::where_of(filter, dialect, shape); }

// The clause's parameters bound in order from `first` (statements that bind others first).
void bind(SQLite::Statement& statement, const Where& w, int first = 1) {
  int index = first;
  for (const auto& p : w.params) {
    if (p.integer)
      statement.bind(index++, static_cast<int64_t>(p.number));
    else
      statement.bind(index++, p.text);
  }
}

std::string order_clause(const Sort& sort, Where& w) {
  return store::order_clause(sort, sort.field == SortField::risk ? w.next(sort.fresh_since) : std::string());
}

std::string listing_sql(const Filter& filter, const Sort& sort, const Page& page, Where& w) {
  bool paged = page.limit && !filter.has_criteria() && sort.field == SortField::number;
  w = where(filter, paged ? Shape::page : Shape::listing);
  std::string sql = std::string("SELECT ") + number_columns + number_joins + w.sql + order_clause(sort, w);
  if (page.limit || page.offset) {
    sql += " LIMIT " + std::to_string(page.limit.value_or(-1)) + " OFFSET " + std::to_string(page.offset);
  }
  return sql;
}

}  // namespace

void SqliteStore::for_each_number(const Filter& filter, const Sort& sort, const Page& page,
                            const std::function<void(const NumberRecord&)>& visit) {
  guarded([&] {
    Where w(dialect);
    std::string sql = listing_sql(filter, sort, page, w);
    SQLite::Statement q(db_, sql);
    bind(q, w);
    NumberRecord record;
    while (q.executeStep()) {
      read_record(q, record);
      visit(record);
    }
  });
}

std::vector<std::string> SqliteStore::explain_listing(const Filter& filter, const Sort& sort, const Page& page) {
  return guarded([&] {
    Where w(dialect);
    std::string sql = "EXPLAIN QUERY PLAN " + listing_sql(filter, sort, page, w);
    SQLite::Statement q(db_, sql);
    bind(q, w);
    std::vector<std::string> plan;
    while (q.executeStep()) plan.push_back(q.getColumn(3).getString());
    return plan;
  });
}

std::vector<std::string> SqliteStore::explain_count(const Filter& filter) {
  return guarded([&] {
    Where w = where(filter, Shape::counting);
    SQLite::Statement q(db_, "EXPLAIN QUERY PLAN SELECT count(*) FROM numbers n" + w.sql);
    bind(q, w);
    std::vector<std::string> plan;
    while (q.executeStep()) plan.push_back(q.getColumn(3).getString());
    return plan;
  });
}

std::vector<std::string> SqliteStore::numbers_starting_with(std::string_view prefix, std::size_t limit) {
  return guarded([&] {
    // A range on the unique index: every string that starts with the prefix sorts in [prefix, prefix+'~').
    SQLite::Statement q(db_,
                        "SELECT e164 FROM numbers WHERE e164 >= ?1 AND e164 < ?1 || '~' AND status <> 'cancelled'"
                        " ORDER BY e164 LIMIT ?2");
    q.bind(1, std::string(prefix));
    q.bind(2, static_cast<int64_t>(limit));
    std::vector<std::string> out;
    while (q.executeStep()) out.push_back(q.getColumn(0).getString());
    return out;
  });
}

std::vector<Store::SharedRef> SqliteStore::shared_provider_refs(std::size_t limit) {
  return guarded([&] {
    SQLite::Statement q(
        db_,
        "SELECT a.provider_ref, a.e164, b.e164 FROM numbers a JOIN numbers b ON b.provider_ref = a.provider_ref"
        " AND b.provider IS a.provider AND b.e164 > a.e164"
        " WHERE a.provider_ref IS NOT NULL AND a.status <> 'cancelled' AND b.status <> 'cancelled' ORDER BY 2 LIMIT ?");
    q.bind(1, static_cast<int64_t>(limit));
    std::vector<SharedRef> out;
    while (q.executeStep()) out.push_back({q.getColumn(0).getString(), q.getColumn(1).getString(), q.getColumn(2).getString()});
    return out;
  });
}

std::int64_t SqliteStore::count_numbers(const Filter& filter) {
  return guarded([&] {
    Where w = where(filter, Shape::counting);
    SQLite::Statement q(db_, "SELECT count(*) FROM numbers n" + w.sql);
    bind(q, w);
    q.executeStep();
    return static_cast<std::int64_t>(q.getColumn(0).getInt64());
  });
}

std::vector<std::pair<EmergencyStatus, std::int64_t>> SqliteStore::emergency_counts(const Filter& scope) {
  return guarded([&] {
    Where w = where(scope, Shape::counting);
    SQLite::Statement total(db_, "SELECT count(*) FROM numbers n" + w.sql);
    bind(total, w);
    total.executeStep();
    std::int64_t none = total.getColumn(0).getInt64();
    std::vector<std::pair<EmergencyStatus, std::int64_t>> out;
    // Without statistics SQLite would walk numbers_filter and read every row: the numbers with
    // an address are few, and numbers_emergency holds just them.
    SQLite::Statement q(db_, "SELECT n.emergency_status, count(*) FROM numbers n INDEXED BY numbers_emergency" + w.sql +
                                 (w.sql.empty() ? " WHERE" : " AND") + " n.emergency_address IS NOT NULL GROUP BY 1");
    bind(q, w);
    while (q.executeStep()) {
      auto status =
          parse_emergency_status(q.isColumnNull(0) ? "none" : q.getColumn(0).getString()).value_or(EmergencyStatus::none);
      none -= q.getColumn(1).getInt64();
      out.emplace_back(status, q.getColumn(1).getInt64());
    }
    out.insert(out.begin(), {EmergencyStatus::none, none});
    return out;
  });
}

Stats SqliteStore::stats(const Filter& filter, const RiskCriteria& bands) {
  return guarded([&] {
    Stats stats;
    Where w = where(filter, Shape::counting);
    {
      SQLite::Statement q(db_, store::stats_groups_head + w.sql + store::stats_groups_tail);
      bind(q, w);
      store::GroupCounts counts;
      while (q.executeStep())
        counts.add(q.getColumn(0).getString(), q.getColumn(1).getString(), q.getColumn(2).getString(), q.getColumn(3).getInt64());
      counts.into(stats);
    }
    {
      store::TeamCounts teams;
      SQLite::Statement names(db_, "SELECT id, name FROM teams");
      while (names.executeStep()) teams.team(names.getColumn(0).getInt64(), names.getColumn(1).getString());
      SQLite::Statement members(db_, "SELECT id, team_id FROM members");
      while (members.executeStep())
        teams.member(members.getColumn(0).getInt64(),
                     members.isColumnNull(1) ? std::nullopt : std::optional(members.getColumn(1).getInt64()));
      SQLite::Statement q(db_, store::stats_assignees_head + w.sql + store::stats_assignees_tail);
      bind(q, w);
      auto id = [&](int column) { return q.isColumnNull(column) ? std::nullopt : std::optional(q.getColumn(column).getInt64()); };
      while (q.executeStep()) teams.add(id(0), id(1), q.getColumn(2).getInt64());
      stats.by_team = teams.ranked();
    }
    // By risk band: the numbers with a fresh reading (none at all costs nothing).
    {
      SQLite::Statement q(db_,
          "SELECT CASE WHEN x.s >= ?2 THEN 'high' WHEN x.s < ?3 THEN 'low' ELSE 'medium' END, count(*)"
          " FROM (SELECT number_id, max(score) AS s FROM reputation_readings WHERE checked_at >= ?1 GROUP BY number_id) x"
          " JOIN numbers n ON n.id = x.number_id" + w.sql + " GROUP BY 1");
      q.bind(1, bands.fresh_since);
      q.bind(2, bands.flag_at);
      q.bind(3, bands.clear_below);
      bind(q, w, 4);
      std::map<std::string, std::int64_t> counts;
      while (q.executeStep()) counts[q.getColumn(0).getString()] = q.getColumn(1).getInt64();
      for (RiskBand band : {RiskBand::high, RiskBand::medium, RiskBand::low})
        if (auto it = counts.find(std::string(to_string(band))); it != counts.end()) stats.by_risk.emplace_back(it->first, it->second);
    }
    for (const auto& [name, count] : stats.by_status) stats.total += count;
    return stats;
  });
}

}  // namespace numctl::sqlite
