// A Filter as SQL for either engine (see where_sql.hpp).
#include "where_sql.hpp"

#include "numctl/domain.hpp"
#include "numctl/lifecycle.hpp"
#include "numctl/money.hpp"
#include "numctl/text.hpp"

#include <algorithm>

namespace numctl::store {

std::string status_list(bool (*test)(Status)) {
  std::string out;
  for (Status status : lifecycle::statuses_where(test)) out += (out.empty() ? "'" : ", '") + std::string(to_string(status)) + "'";
  return out;
}

std::string Where::next(std::string_view value) {
  params.push_back({false, std::string(value), 0});
  return dialect_->mark(params.size());
}

std::string Where::next(std::int64_t value) {
  params.push_back({true, {}, value});
  return dialect_->mark(params.size());
}

void Where::clause(const std::string& condition) {
  sql += sql.empty() ? " WHERE " : " AND ";
  sql += condition;
}

namespace {

void statuses(Where& w, const Filter& filter, const Dialect& dialect, Shape shape, const std::string& col) {
  auto name = [](Status s) { return to_string(s); };
  if (!filter.statuses.empty()) return w.in_list(col + "status", filter.statuses, name);
  if (filter.include_cancelled) return;
  std::vector<Status> listed = filter.listed_statuses(), hidden;
  for (Status s : all_statuses)
    if (std::find(listed.begin(), listed.end(), s) == listed.end()) hidden.push_back(s);
  // Listings name the shown statuses (read through (status, type), then sorted). Where the
  // dialect asks, counts exclude the hidden ones instead (a scan of a covering index), and so do
  // a page in number order (the number index walked, no status read ahead of the page) and a
  // digit search (status checked row by row: two comparisons, not a table of five names).
  // A count by country names them: each (status, type, country) is then a seek (below).
  bool exclude =
      dialect.excludes_hidden_statuses && ((shape == Shape::counting && filter.types.empty() && filter.countries.empty()) ||
                                           shape == Shape::page || (filter.digits && dialect.unindexed_columns_for_digits));
  if (exclude) {
    if (!hidden.empty()) w.in_list(col + "status", hidden, name, true);
    return;
  }
  w.in_list(col + "status", listed, name);
}

void risk(Where& w, const RiskCriteria& risk) {
  // The numbers whose highest fresh score meets every criterion, read set-based from the
  // readings (through their index on time).
  std::string fresh = w.next(risk.fresh_since);
  std::string having;
  auto bound = [&](const char* test, int value) { return std::string("max(score) ") + test + " " + w.next(value); };
  auto both = [&](const std::string& c) { having += (having.empty() ? "" : " AND ") + c; };
  if (!risk.bands.empty()) {
    std::string any;
    for (RiskBand band : risk.bands) {
      any += any.empty() ? "(" : " OR ";
      if (band == RiskBand::low)
        any += bound("<", risk.clear_below);
      else if (band == RiskBand::high)
        any += bound(">=", risk.flag_at);
      else {
        // Marks are handed out in order: each bound is made before the next (SQLite's ? are positional).
        std::string lower = bound(">=", risk.clear_below);
        any += "(" + lower + " AND " + bound("<", risk.flag_at) + ")";
      }
    }
    both(any + ")");
  }
  if (risk.above) both(bound(">", *risk.above));
  if (risk.below) both(bound("<", *risk.below));
  w.clause("n.id IN (SELECT number_id FROM reputation_readings WHERE checked_at >= " + fresh + " GROUP BY number_id" +
           (having.empty() ? std::string() : " HAVING " + having) + ")");
}

}  // namespace

Where where_of(const Filter& filter, const Dialect& dialect, Shape shape) {
  Where w(dialect);
  const std::string col = filter.digits && dialect.unindexed_columns_for_digits ? "+n." : "n.";
  statuses(w, filter, dialect, shape, col);
  // numbers_status is (status, type, country, ...) on both engines: a filter by country with no
  // type names every type, so each (status, type, country) is a seek, not a range of a status.
  auto type_name = [](NumberType t) { return to_string(t); };
  if (!filter.types.empty())
    w.in_list(col + "type", filter.types, type_name);
  else if (!filter.countries.empty() && col == "n.")
    w.in_list(col + "type", all_number_types, type_name);
  if (!filter.countries.empty()) w.in_list(col + "country", filter.countries, [](const std::string& c) { return c; });
  if (filter.assigned) {
    // SQLite: with countries named, their rows are reached by seeks (above) and the assignment
    // checked row by row; given indexable, it would read every unassigned number instead (at a
    // million, `--country US --unassigned` 27 ms against 125).
    std::string a = dialect.plans_without_statistics && !filter.countries.empty() ? "+n." : "n.";
    w.clause(*filter.assigned ? "(" + a + "team_id IS NOT NULL OR " + a + "member_id IS NOT NULL)"
                              : "(" + a + "team_id IS NULL AND " + a + "member_id IS NULL)");
  }
  if (filter.team) {
    std::string team = dialect.name_is("name", w.next(*filter.team));
    std::string member_team = dialect.name_is("t2.name", w.next(*filter.team));
    w.clause("(n.team_id = (SELECT id FROM teams WHERE " + team + ") OR n.member_id IN " +
             "(SELECT m2.id FROM members m2 JOIN teams t2 ON t2.id = m2.team_id WHERE " + member_team + "))");
  }
  if (filter.member)
    w.clause("n.member_id = (SELECT id FROM members WHERE " + dialect.name_is("name", w.next(*filter.member)) + ")");
  if (filter.digits) dialect.digits(w, *filter.digits);
  if (filter.e164_prefix) {
    // A range of the unique index on e164: "+18" <= e164 < "+19".
    std::string end = *filter.e164_prefix;
    end.back() = static_cast<char>(end.back() + 1);
    std::string from = w.next(*filter.e164_prefix);
    w.clause("n.e164 >= " + from + " AND n.e164 < " + w.next(end));
  }
  if (filter.risk) risk(w, *filter.risk);
  if (filter.idle_days) {
    // Each mark its own parameter (SQLite's ? are positional).
    std::string held_since = w.next(filter.silent_since);
    std::string called_since = w.next(filter.silent_since);
    w.clause("n.status IN (" + status_list(lifecycle::may_be_idle) + ") AND (n.bought_at IS NULL OR n.bought_at <= " +
             held_since + ") AND (n.last_inbound_at IS NULL OR n.last_inbound_at < " + called_since + ")");
  }
  if (!filter.emergency.empty()) {
    // Status names come from the enum's table, so they are spliced as literals: the partial
    // index numbers_emergency then serves the registered ones.
    std::vector<std::string> any;
    std::string listed;
    for (EmergencyStatus status : filter.emergency) {
      if (status == EmergencyStatus::none)
        any.emplace_back("n.emergency_address IS NULL");
      else
        listed += std::string(listed.empty() ? "" : ", ") + "'" + std::string(to_string(status)) + "'";
    }
    if (!listed.empty()) any.push_back("(n.emergency_address IS NOT NULL AND n.emergency_status IN (" + listed + "))");
    w.clause("(" + text::join(any, " OR ") + ")");
  }
  if (filter.emergency_address)
    w.clause("n.emergency_address = (SELECT name FROM addresses WHERE " +
             dialect.name_is("name", w.next(*filter.emergency_address)) + ")");
  if (filter.min_price) {
    // The amount in minor units of each exponent a currency may have (0, 2, 3 digits).
    // Marks made in the order the SQL names them (SQLite's ? are positional).
    std::string zero = w.next(parse_amount(*filter.min_price, "JPY").value_or(0));
    std::string three = w.next(parse_amount(*filter.min_price, "BHD").value_or(0));
    std::string two = w.next(parse_amount(*filter.min_price, "USD").value_or(0));
    auto typed = [](const std::string& mark) { return "CAST(" + mark + " AS BIGINT)"; };  // PostgreSQL infers text
    w.clause("n.monthly_price >= " + currency_exponent_sql("n.currency", typed(zero), typed(two), typed(three)));
  }
  return w;
}

}  // namespace numctl::store
