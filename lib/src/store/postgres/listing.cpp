// The PostgreSQL engine's reading side: a Filter as a WHERE clause ($n parameters), sort orders,
// listings (streamed a row at a time), counts and stats.
#include "store_impl.hpp"
#include "../sort_sql.hpp"
#include "../search_text.hpp"
#include "../stats_counts.hpp"
#include "../where_sql.hpp"

#include <algorithm>
#include <map>

namespace numctl::postgres {
namespace {

using Where = store::Where;

// PostgreSQL's dialect: numbered $N marks, names compared ASCII-folded (as SQLite's NOCASE),
// digits through the pg_trgm GIN index over search_text.
const store::Dialect dialect{
    [](std::size_t number) { return store::numbered_mark('$', number); },
    [](const std::string& column, const std::string& mark) {
      return "lower(" + column + ") = lower(" + mark + " COLLATE \"C\")";
    },
    [](Where& w, const std::string& digits) {
      // The trigrams that cover the digits (as the SQLite engine's FTS5 query asks), each
      // somewhere in the index text, each a LIKE the GIN index answers; then the exact check on
      // either form.
      for (const auto& trigram : store::covering_trigrams(digits)) w.clause("n.search_text LIKE " + w.next("%" + trigram + "%"));
      std::string in_e164 = w.next(digits);
      w.clause("(strpos(n.e164, " + in_e164 + ") > 0 OR strpos(n.national_digits, " + w.next(digits) + ") > 0)");
    },
    false,
    false,
};

Where where(const Filter& filter) { return store::where_of(filter, dialect); }

// The clause's parameters as libpq takes them.
pg::Params params_of(const Where& w) {
  pg::Params params;
  for (const auto& p : w.params) {
    if (p.integer)
      params.integer(p.number);
    else
      params.text(p.text);
  }
  return params;
}

std::string order_clause(const Sort& sort, Where& w) {
  return store::order_clause(sort, sort.field == SortField::risk ? w.next(sort.fresh_since) : std::string());
}

std::string listing_sql(const Filter& filter, const Sort& sort, const Page& page, Where& w) {
  w = where(filter);
  std::string sql = std::string("SELECT ") + number_columns + number_joins + w.sql + order_clause(sort, w);
  if (page.limit) sql += " LIMIT " + std::to_string(*page.limit);
  if (page.offset) sql += " OFFSET " + std::to_string(page.offset);
  return sql;
}

}  // namespace

void PostgresStore::for_each_number(const Filter& filter, const Sort& sort, const Page& page,
                                    const std::function<void(const NumberRecord&)>& visit) {
  Where w(dialect);
  std::string sql = listing_sql(filter, sort, page, w);
  NumberRecord record;
  db_.stream(sql, params_of(w), [&](const pg::Result& row) {
    read_record(row, 0, record);
    visit(record);
  });
}

std::vector<std::string> PostgresStore::explain_listing(const Filter& filter, const Sort& sort, const Page& page) {
  Where w(dialect);
  auto r = db_.exec("EXPLAIN " + listing_sql(filter, sort, page, w), params_of(w));
  std::vector<std::string> plan;
  for (int i = 0; i < r.rows(); ++i) plan.push_back(r.text(i, 0));
  return plan;
}

std::vector<std::string> PostgresStore::numbers_starting_with(std::string_view prefix, std::size_t limit) {
  auto r = db_.exec("SELECT e164 FROM numbers WHERE e164 >= $1 AND e164 < $1 || '~' AND status <> 'cancelled'"
                    " ORDER BY e164 LIMIT $2",
                    pg::Params().text(prefix).integer(static_cast<std::int64_t>(limit)));
  std::vector<std::string> out;
  for (int i = 0; i < r.rows(); ++i) out.push_back(r.text(i, 0));
  return out;
}

std::vector<Store::SharedRef> PostgresStore::shared_provider_refs(std::size_t limit) {
  auto r = db_.exec(
      "SELECT a.provider_ref, a.e164, b.e164 FROM numbers a JOIN numbers b ON b.provider_ref = a.provider_ref"
      " AND b.provider IS NOT DISTINCT FROM a.provider AND b.e164 > a.e164"
      " WHERE a.provider_ref IS NOT NULL AND a.status <> 'cancelled' AND b.status <> 'cancelled' ORDER BY 2 LIMIT $1",
      pg::Params().integer(static_cast<std::int64_t>(limit)));
  std::vector<SharedRef> out;
  for (int i = 0; i < r.rows(); ++i) out.push_back({r.text(i, 0), r.text(i, 1), r.text(i, 2)});
  return out;
}

std::int64_t PostgresStore::count_numbers(const Filter& filter) {
  Where w = where(filter);
  return db_.exec("SELECT count(*) FROM numbers n" + w.sql, params_of(w)).integer(0, 0);
}

std::vector<std::pair<EmergencyStatus, std::int64_t>> PostgresStore::emergency_counts(const Filter& scope) {
  Where w = where(scope);
  std::int64_t none = db_.exec("SELECT count(*) FROM numbers n" + w.sql, params_of(w)).integer(0, 0);
  auto r = db_.exec("SELECT n.emergency_status, count(*) FROM numbers n" + w.sql + (w.sql.empty() ? " WHERE" : " AND") +
                        " n.emergency_address IS NOT NULL GROUP BY 1",
                    params_of(w));
  std::vector<std::pair<EmergencyStatus, std::int64_t>> out{{EmergencyStatus::none, 0}};
  for (int i = 0; i < r.rows(); ++i) {
    auto status = parse_emergency_status(r.null(i, 0) ? "none" : r.text(i, 0)).value_or(EmergencyStatus::none);
    none -= r.integer(i, 1);
    out.emplace_back(status, r.integer(i, 1));
  }
  out.front().second = none;
  return out;
}

Stats PostgresStore::stats(const Filter& filter, const RiskCriteria& bands) {
  Stats stats;
  Where w = where(filter);
  {
    auto r = db_.exec(store::stats_groups_head + w.sql + store::stats_groups_tail, params_of(w));
    store::GroupCounts counts;
    for (int i = 0; i < r.rows(); ++i) counts.add(r.text(i, 0), r.text(i, 1), r.text(i, 2), r.integer(i, 3));
    counts.into(stats);
  }
  {
    store::TeamCounts teams;
    auto names = db_.exec("SELECT id, name FROM teams");
    for (int i = 0; i < names.rows(); ++i) teams.team(names.integer(i, 0), names.text(i, 1));
    auto members = db_.exec("SELECT id, team_id FROM members");
    for (int i = 0; i < members.rows(); ++i)
      teams.member(members.integer(i, 0), members.null(i, 1) ? std::nullopt : std::optional(members.integer(i, 1)));
    auto r = db_.exec(store::stats_assignees_head + w.sql + store::stats_assignees_tail, params_of(w));
    auto id = [&](int row, int column) { return r.null(row, column) ? std::nullopt : std::optional(r.integer(row, column)); };
    for (int i = 0; i < r.rows(); ++i) teams.add(id(i, 0), id(i, 1), r.integer(i, 2));
    stats.by_team = teams.ranked();
  }
  {
    Where banded = where(filter);
    std::string fresh = banded.next(bands.fresh_since), high = banded.next(bands.flag_at), low = banded.next(bands.clear_below);
    auto r = db_.exec("SELECT CASE WHEN x.s >= " + high + " THEN 'high' WHEN x.s < " + low +
                          " THEN 'low' ELSE 'medium' END, count(*) FROM (SELECT number_id, max(score) AS s FROM"
                          " reputation_readings WHERE checked_at >= " +
                          fresh + " GROUP BY number_id) x JOIN numbers n ON n.id = x.number_id" + banded.sql + " GROUP BY 1",
                      params_of(banded));
    std::map<std::string, std::int64_t> counts;
    for (int i = 0; i < r.rows(); ++i) counts[r.text(i, 0)] = r.integer(i, 1);
    for (RiskBand band : {RiskBand::high, RiskBand::medium, RiskBand::low})
      if (auto it = counts.find(std::string(to_string(band))); it != counts.end()) stats.by_risk.emplace_back(it->first, it->second);
  }
  for (const auto& [name, count] : stats.by_status) stats.total += count;
  return stats;
}

}  // namespace numctl::postgres
