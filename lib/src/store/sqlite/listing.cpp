// The SQLite engine's reading side: a Filter as a WHERE clause, sort orders, listings,
// counts and stats.
#include "store_impl.hpp"
#include "../sort_sql.hpp"

#include <algorithm>
#include <map>

namespace numctl::sqlite {
namespace {

// A WHERE clause with its parameters, built from a Filter; values are always bound, never pasted.
struct Where {
  std::string sql;
  std::vector<std::string> text_values;
  std::vector<std::int64_t> int_values;
  std::vector<char> kinds;  // 't' text, 'i' integer, in bind order

  void text(const std::string& v) { text_values.push_back(v); kinds.push_back('t'); }
  void integer(std::int64_t v) { int_values.push_back(v); kinds.push_back('i'); }
  void clause(const std::string& c) { sql += sql.empty() ? " WHERE " : " AND "; sql += c; }

  template <typename Items, typename Name>
  void in_list(const std::string& column, const Items& items, Name name) {
    std::string c = column + " IN (";
    for (std::size_t i = 0; i < items.size(); ++i) {
      c += i ? ",?" : "?";
      text(std::string(name(items[i])));
    }
    clause(c + ")");
  }

  void bind(SQLite::Statement& statement, int first = 1) const {
    std::size_t t = 0, i = 0;
    int index = first;
    for (char kind : kinds) {
      if (kind == 't') statement.bind(index++, text_values[t++]);
      else statement.bind(index++, static_cast<int64_t>(int_values[i++]));
    }
  }
};


enum class Shape { listing, counting };

// A Filter as SQL; team and member names are matched in SQL, so an unknown name matches nothing.
Where where(const Filter& filter, Shape shape = Shape::listing) {
  Where w;
  // A digit search is driven by the trigram index; the other columns must not offer an
  // index of their own ("+" makes a term unindexable), or SQLite walks them instead.
  const std::string col = filter.digits ? "+n." : "n.";
  if (!filter.statuses.empty()) {
    w.in_list(col + "status", filter.statuses, [](Status s) { return to_string(s); });
  } else if (!filter.include_cancelled) {
    std::vector<Status> listed = filter.listed_statuses(), hidden;
    for (Status s : all_statuses)
      if (std::find(listed.begin(), listed.end(), s) == listed.end()) hidden.push_back(s);
    // Listings name the shown statuses: SQLite reads them through (status, type) and sorts,
    // faster than walking the number index with a lookup per row. Counts exclude the hidden
    // ones (NOT IN), which lets SQLite scan a covering index.
    if (shape == Shape::listing || !filter.types.empty()) {
      w.in_list(col + "status", listed, [](Status s) { return to_string(s); });
    } else if (!hidden.empty()) {
      std::string c = col + "status NOT IN (";
      for (std::size_t i = 0; i < hidden.size(); ++i) {
        c += i ? ",?" : "?";
        w.text(std::string(to_string(hidden[i])));
      }
      w.clause(c + ")");
    }
  }
  if (!filter.types.empty()) w.in_list(col + "type", filter.types, [](NumberType t) { return to_string(t); });
  if (!filter.countries.empty())
    w.in_list(col + "country", filter.countries, [](const std::string& c) { return c; });
  if (filter.assigned) {
    w.clause(*filter.assigned ? "(n.team_id IS NOT NULL OR n.member_id IS NOT NULL)"
                              : "(n.team_id IS NULL AND n.member_id IS NULL)");
  }
  if (filter.team) {
    w.clause("(n.team_id = (SELECT id FROM teams WHERE name = ?) OR n.member_id IN "
             "(SELECT m2.id FROM members m2 JOIN teams t2 ON t2.id = m2.team_id WHERE t2.name = ?))");
    w.text(*filter.team);
    w.text(*filter.team);
  }
  if (filter.member) {
    w.clause("n.member_id = (SELECT id FROM members WHERE name = ?)");
    w.text(*filter.member);
  }
  if (filter.digits) {
    // Three digits or more: the rows holding every trigram of them (the index keeps no
    // positions, so "12 345" would also match "12345"), then the exact check on those.
    if (filter.digits->size() >= 3) {
      std::string trigrams;
      for (std::size_t i = 0; i + 3 <= filter.digits->size(); ++i)
        trigrams += (i ? " AND \"" : "\"") + filter.digits->substr(i, 3) + "\"";
      w.clause("n.id IN (SELECT rowid FROM numbers_digits WHERE numbers_digits MATCH ?)");
      w.text(trigrams);
    }
    w.clause("(instr(n.e164, ?) > 0 OR instr(n.national_digits, ?) > 0)");
    w.text(*filter.digits);
    w.text(*filter.digits);
  }
  if (filter.e164_prefix) {
    // A range of the unique index on e164: "+18" <= e164 < "+19".
    std::string end = *filter.e164_prefix;
    end.back() = static_cast<char>(end.back() + 1);
    w.clause("n.e164 >= ? AND n.e164 < ?");
    w.text(*filter.e164_prefix);
    w.text(end);
  }
  if (filter.risk) {
    // The numbers whose highest fresh score meets every criterion, read set-based from the
    // readings (through their index on time).
    const auto& risk = *filter.risk;
    std::string having;
    std::vector<std::int64_t> bounds;
    auto bound = [&](const char* test, int value) {
      bounds.push_back(value);
      return std::string("max(score) ") + test + " ?";
    };
    auto both = [&](const std::string& c) { having += (having.empty() ? "" : " AND ") + c; };
    if (!risk.bands.empty()) {
      std::string any;
      for (RiskBand band : risk.bands) {
        any += any.empty() ? "(" : " OR ";
        if (band == RiskBand::low) any += bound("<", risk.clear_below);
        else if (band == RiskBand::high) any += bound(">=", risk.flag_at);
        else {
          any += '(';
          any += bound(">=", risk.clear_below);
          any += " AND ";
          any += bound("<", risk.flag_at);
          any += ')';
        }
      }
      both(any + ")");
    }
    if (risk.above) both(bound(">", *risk.above));
    if (risk.below) both(bound("<", *risk.below));
    w.clause("n.id IN (SELECT number_id FROM reputation_readings WHERE checked_at >= ? GROUP BY number_id" +
             (having.empty() ? std::string() : " HAVING " + having) + ")");
    w.text(risk.fresh_since);
    for (auto value : bounds) w.integer(value);
  }
  return w;
}

std::string order_clause(const Sort& sort, Where& w) {
  if (sort.field == SortField::risk) w.text(sort.fresh_since);
  return store::order_clause(sort, "?");
}

std::string listing_sql(const Filter& filter, const Sort& sort, const Page& page, Where& w) {
  w = where(filter);
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
    Where w;
    std::string sql = listing_sql(filter, sort, page, w);
    SQLite::Statement q(db_, sql);
    w.bind(q);
    NumberRecord record;
    while (q.executeStep()) {
      read_record(q, record);
      visit(record);
    }
  });
}

std::vector<std::string> SqliteStore::explain_listing(const Filter& filter, const Sort& sort, const Page& page) {
  return guarded([&] {
    Where w;
    std::string sql = "EXPLAIN QUERY PLAN " + listing_sql(filter, sort, page, w);
    SQLite::Statement q(db_, sql);
    w.bind(q);
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
    w.bind(q);
    q.executeStep();
    return static_cast<std::int64_t>(q.getColumn(0).getInt64());
  });
}

Stats SqliteStore::stats(const Filter& filter, const RiskCriteria& bands) {
  return guarded([&] {
    Stats stats;
    Where w = where(filter, Shape::counting);
    auto group = [&](const std::string& key, const std::string& joins,
                     std::vector<std::pair<std::string, std::int64_t>>& out) {
      SQLite::Statement q(db_, "SELECT " + key + ", count(*) FROM numbers n" + joins + w.sql +
                                         " GROUP BY 1 ORDER BY 2 DESC, 1");
      w.bind(q);
      while (q.executeStep())
        out.emplace_back(q.isColumnNull(0) ? std::string() : q.getColumn(0).getString(), q.getColumn(1).getInt64());
    };
    group("n.status", "", stats.by_status);
    group("n.type", "", stats.by_type);
    group("n.country", "", stats.by_country);
    // By team: count by (team, member) ids over a covering index, then name them here; a
    // member's numbers count for the member's team. Joining names per row costs far more.
    {
      SQLite::Statement q(db_, "SELECT n.team_id, n.member_id, count(*) FROM numbers n" + w.sql + " GROUP BY 1, 2");
      w.bind(q);
      std::map<std::string, std::int64_t> counts;
      std::map<std::int64_t, std::string> team_names;
      std::map<std::int64_t, std::optional<std::string>> member_teams;
      SQLite::Statement teams(db_, "SELECT id, name FROM teams");
      while (teams.executeStep()) team_names[teams.getColumn(0).getInt64()] = teams.getColumn(1).getString();
      SQLite::Statement members(db_, "SELECT id, team_id FROM members");
      while (members.executeStep())
        member_teams[members.getColumn(0).getInt64()] =
            members.isColumnNull(1) ? std::nullopt : std::optional(team_names[members.getColumn(1).getInt64()]);
      while (q.executeStep()) {
        std::string name;
        if (!q.isColumnNull(0)) name = team_names[q.getColumn(0).getInt64()];
        else if (!q.isColumnNull(1)) name = member_teams[q.getColumn(1).getInt64()].value_or("");
        counts[name] += q.getColumn(2).getInt64();
      }
      stats.by_team.assign(counts.begin(), counts.end());
      std::stable_sort(stats.by_team.begin(), stats.by_team.end(),
                       [](const auto& a, const auto& b) { return a.second > b.second; });
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
      w.bind(q, 4);
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
