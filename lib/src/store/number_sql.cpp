// The number columns' SQL text, built once per engine from the shared column lists.
#include "store/number_sql.hpp"

namespace numctl::store {

std::string mutable_column_list() {
  std::string out;
  for (auto column : mutable_number_columns) {
    if (!out.empty()) out += ", ";
    out += column;
  }
  return out;
}

std::string insert_number_sql(std::string_view leading, int leading_count, ParameterMark mark, std::string_view tail) {
  std::string sql = "INSERT INTO numbers (" + std::string(leading) + ", " + mutable_column_list() + ") VALUES (";
  int count = leading_count + static_cast<int>(mutable_number_columns.size());
  for (int n = 1; n <= count; ++n) sql += (n > 1 ? ", " : "") + mark(n);
  return sql + ")" + std::string(tail);
}

std::string update_number_sql(ParameterMark mark, std::string_view verb) {
  std::string sql = std::string(verb) + " numbers SET type = " + mark(2) + ", display = " + mark(3) + ", country = " + mark(4);
  int n = 5;
  for (auto column : mutable_number_columns) sql += ", " + std::string(column) + " = " + mark(n++);
  return sql + " WHERE id = " + mark(1);
}

}  // namespace numctl::store
