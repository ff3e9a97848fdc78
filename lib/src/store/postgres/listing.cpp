// The PostgreSQL engine's reading side: a Filter as a WHERE clause ($n parameters), sort orders,
// listings (streamed a row at a time), counts and stats.
#include "store_impl.hpp"
#include "../sort_sql.hpp"

#include <algorithm>
#include <map>

namespace numctl::postgres {
namespace {

// A WHERE clause and its parameters; values are always passed, never pasted.
struct Where {
  std::string sql;
  pg::Params params;

  std::string next(std::string_view value) {
    params.text(value);
    return "$" + std::to_string(params.size());
  }
  std::string next(std::int64_t value) {
    params.integer(value);
    return "$" + std::to_string(params.size());
  }
  void clause(const std::string& c) {
    sql += sql.empty() ? " WHERE " : " AND ";
    sql += c;
  }
  template <typename Items, typename Name>
  void in_list(const std::string& column, const Items& items, Name name) {
    std::string c = column + " IN (";
    for (std::size_t i = 0; i < items.size(); ++i) c += (i ? "," : "") + next(std::string(name(items[i])));
    clause(c + ")");
  }
};

Where where(const Filter& filter) {
  Where w;
  if (!filter.statuses.empty()) {
    w.in_list("n.status", filter.statuses, [](Status s) { return to_string(s); });
  } else if (!filter.include_cancelled) {
    w.in_list("n.status", filter.listed_statuses(), [](Status s) { return to_string(s); });
  }
  if (!filter.types.empty()) w.in_list("n.type", filter.types, [](NumberType t) { return to_string(t); });
  if (!filter.countries.empty()) w.in_list("n.country", filter.countries, [](const std::string& c) { return c; });
  if (filter.assigned)
    w.clause(*filter.assigned ? "(n.team_id IS NOT NULL OR n.member_id IS NOT NULL)"
                              : "(n.team_id IS NULL AND n.member_id IS NULL)");
  if (filter.team) {
    std::string team = w.next(*filter.team);
    w.clause("(n.team_id = (SELECT id FROM teams WHERE lower(name) = lower(" + team + " COLLATE \"C\")) OR n.member_id IN"
             " (SELECT m2.id FROM members m2 JOIN teams t2 ON t2.id = m2.team_id WHERE lower(t2.name) = lower(" + team + " COLLATE \"C\")))");
  }
  if (filter.member) w.clause("n.member_id = (SELECT id FROM members WHERE lower(name) = lower(" + w.next(*filter.member) + " COLLATE \"C\"))");
  if (filter.digits) {
    // Through the trigram index (three digits or more), then the exact check: the index text
    // holds both forms side by side, so a match across them is ruled out here.
    // Every trigram of the digits somewhere in the index text (as the SQLite engine's FTS5 query
    // asks), each a LIKE the GIN index answers; then the exact check on either form.
    for (std::size_t i = 0; i + 3 <= filter.digits->size(); ++i)
      w.clause("n.search_text LIKE " + w.next("%" + filter.digits->substr(i, 3) + "%"));
    std::string digits = w.next(*filter.digits);
    w.clause("(strpos(n.e164, " + digits + ") > 0 OR strpos(n.national_digits, " + digits + ") > 0)");
  }
  if (filter.e164_prefix) {
    std::string end = *filter.e164_prefix;
    end.back() = static_cast<char>(end.back() + 1);
    w.clause("n.e164 >= " + w.next(*filter.e164_prefix) + " AND n.e164 < " + w.next(end));
  }
  if (filter.risk) {
    const auto& risk = *filter.risk;
    std::string fresh = w.next(risk.fresh_since);
    std::string having;
    auto both = [&](const std::string& c) { having += (having.empty() ? "" : " AND ") + c; };
    if (!risk.bands.empty()) {
      std::string any;
      for (RiskBand band : risk.bands) {
        any += any.empty() ? "(" : " OR ";
        if (band == RiskBand::low) any += "max(score) < " + w.next(risk.clear_below);
        else if (band == RiskBand::high) any += "max(score) >= " + w.next(risk.flag_at);
        else {
          any += "(max(score) >= " + w.next(risk.clear_below);
          any += " AND max(score) < " + w.next(risk.flag_at) + ")";
        }
      }
      both(any + ")");
    }
    if (risk.above) both("max(score) > " + w.next(*risk.above));
    if (risk.below) both("max(score) < " + w.next(*risk.below));
    w.clause("n.id IN (SELECT number_id FROM reputation_readings WHERE checked_at >= " + fresh + " GROUP BY number_id" +
             (having.empty() ? std::string() : " HAVING " + having) + ")");
  }
  return w;
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
  Where w;
  std::string sql = listing_sql(filter, sort, page, w);
  NumberRecord record;
  db_.stream(sql, w.params, [&](const pg::Result& row) {
    read_record(row, 0, record);
    visit(record);
  });
}

std::vector<std::string> PostgresStore::explain_listing(const Filter& filter, const Sort& sort, const Page& page) {
  Where w;
  auto r = db_.exec("EXPLAIN " + listing_sql(filter, sort, page, w), w.params);
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
  return db_.exec("SELECT count(*) FROM numbers n" + w.sql, w.params).integer(0, 0);
}

Stats PostgresStore::stats(const Filter& filter, const RiskCriteria& bands) {
  Stats stats;
  Where w = where(filter);
  auto group = [&](const std::string& key, std::vector<std::pair<std::string, std::int64_t>>& out) {
    auto r = db_.exec("SELECT " + key + ", count(*) FROM numbers n" + w.sql + " GROUP BY 1 ORDER BY 2 DESC, 1", w.params);
    for (int i = 0; i < r.rows(); ++i) out.emplace_back(r.null(i, 0) ? std::string() : r.text(i, 0), r.integer(i, 1));
  };
  group("n.status", stats.by_status);
  group("n.type", stats.by_type);
  group("n.country", stats.by_country);
  {
    // By team: a member's numbers count for the member's team.
    auto r = db_.exec("SELECT COALESCE(t.name, mt.name), count(*) FROM numbers n LEFT JOIN teams t ON t.id = n.team_id"
                      " LEFT JOIN members m ON m.id = n.member_id LEFT JOIN teams mt ON mt.id = m.team_id" +
                          w.sql + " GROUP BY 1",
                      w.params);
    std::map<std::string, std::int64_t> counts;
    for (int i = 0; i < r.rows(); ++i) counts[r.null(i, 0) ? std::string() : r.text(i, 0)] += r.integer(i, 1);
    stats.by_team.assign(counts.begin(), counts.end());
    std::stable_sort(stats.by_team.begin(), stats.by_team.end(),
                     [](const auto& a, const auto& b) { return a.second > b.second; });
  }
  {
    Where banded = where(filter);
    std::string fresh = banded.next(bands.fresh_since), high = banded.next(bands.flag_at), low = banded.next(bands.clear_below);
    auto r = db_.exec("SELECT CASE WHEN x.s >= " + high + " THEN 'high' WHEN x.s < " + low +
                          " THEN 'low' ELSE 'medium' END, count(*) FROM (SELECT number_id, max(score) AS s FROM"
                          " reputation_readings WHERE checked_at >= " + fresh +
                          " GROUP BY number_id) x JOIN numbers n ON n.id = x.number_id" + banded.sql + " GROUP BY 1",
                      banded.params);
    std::map<std::string, std::int64_t> counts;
    for (int i = 0; i < r.rows(); ++i) counts[r.text(i, 0)] = r.integer(i, 1);
    for (RiskBand band : {RiskBand::high, RiskBand::medium, RiskBand::low})
      if (auto it = counts.find(std::string(to_string(band))); it != counts.end()) stats.by_risk.emplace_back(it->first, it->second);
  }
  for (const auto& [name, count] : stats.by_status) stats.total += count;
  return stats;
}

}  // namespace numctl::postgres
