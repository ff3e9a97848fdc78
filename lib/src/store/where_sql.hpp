// A Filter as one WHERE clause, written once for both engines over a small dialect: how a
// parameter is marked, how names compare without case, how digits are searched through the
// engine's trigram index, and what keeps the engine's planner on the right index. Values always
// travel as parameters, never in the SQL.
#pragma once

#include "numctl/query.hpp"

#include "numctl/domain.hpp"

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace numctl::store {

class Where;

// 'active', 'pending', ...: the statuses for which the lifecycle's `test` holds, as an SQL list
// (the names are the lifecycle's own, never input).
std::string status_list(bool (*test)(Status));

// A numbered parameter mark: numbered_mark('$', 5) is "$5".
inline std::string numbered_mark(char sigil, std::size_t number) {
  std::string mark(1, sigil);
  mark += std::to_string(number);
  return mark;
}

struct Dialect {
  // The placeholder of the parameter just added, numbered from 1 (SQLite: ?, in order; PostgreSQL: $N).
  std::string (*mark)(std::size_t number);
  // `column` equal to the parameter `mark`, compared without case as the engine stores names.
  std::string (*name_is)(const std::string& column, const std::string& mark);
  // The digit search: candidates through the trigram index, then the exact check on either form.
  void (*digits)(Where& where, const std::string& digits);
  // SQLite: while a digit search drives the plan, other columns are made unindexable ("+n.").
  bool unindexed_columns_for_digits = false;
  // SQLite: counts, pages in number order and digit searches exclude the hidden statuses
  // (NOT IN) rather than name the shown ones (see statuses() in where_sql.cpp).
  bool excludes_hidden_statuses = false;
  // SQLite: plans without statistics, so where two indexes could serve, a clause is written
  // unindexable to leave the one meant (see the assignment in where_sql.cpp). PostgreSQL plans
  // from its statistics, better than a fixed choice would.
  bool plans_without_statistics = false;
};

class Where {
 public:
  struct Param {
    bool integer = false;
    std::string text;
    std::int64_t number = 0;
  };

  explicit Where(const Dialect& dialect) : dialect_(&dialect) {}

  std::string sql;            // " WHERE ..." or empty
  std::vector<Param> params;  // in the order of their marks

  // Adds a parameter; its placeholder.
  std::string next(std::string_view value);
  std::string next(std::int64_t value);
  void clause(const std::string& condition);
  template <typename Items, typename Name>
  void in_list(const std::string& column, const Items& items, Name name, bool negated = false) {
    std::string c = column + (negated ? " NOT IN (" : " IN (");
    for (std::size_t i = 0; i < items.size(); ++i) c += (i ? "," : "") + next(std::string(name(items[i])));
    clause(c + ")");
  }

 private:
  const Dialect* dialect_;
};

// listing: rows to read; page: a page of the inventory in number order, no criteria (SQLite walks
// the number index and stops at the page's end); counting: rows to count.
enum class Shape { listing, page, counting };

// The filter's conditions on numbers aliased `n`; team and member names matched in SQL, so an
// unknown name matches nothing.
Where where_of(const Filter& filter, const Dialect& dialect, Shape shape = Shape::listing);

}  // namespace numctl::store
