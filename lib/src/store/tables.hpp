// The tables an inventory is made of, in the order they can be filled (each table's references
// point to tables before it), with the columns that order their rows. One list for both engines
// and for numctl migrate: a table a later schema adds belongs here, or migrate would leave it
// behind (a unit test compares this list with each engine's schema).
#pragma once

#include "numctl/error.hpp"

#include <string>
#include <string_view>
#include <vector>

namespace numctl::store {

struct InventoryTable {
  std::string_view name;
  std::string_view key;  // ORDER BY of a canonical listing
};

inline constexpr InventoryTable inventory_tables[] = {
    {"addresses", "id"},
    {"teams", "id"},
    {"members", "id"},
    {"numbers", "id"},
    {"documents", "id"},
    {"audit", "id"},
    {"carrier_calls", "id"},
    {"reputation_readings", "number_id, checked_at, source"},
    {"compliance_profiles", "id"},
    {"compliance_documents", "id"},
    {"regulations", "provider, country, type"},
    {"prices", "provider, country, type"},
    {"usage_calls", "number_id, at, caller"},
    {"usage_days", "number_id, day"},
    {"usage_cursors", "source"},
    {"port_orders", "id"},
    {"port_numbers", "order_id, number"},
    {"port_outs", "id"},
};

// `table` as a quoted identifier, once it is known to be one of inventory_tables (names are
// spliced into SQL).
inline std::string quoted_table(std::string_view table) {
  for (const auto& known : inventory_tables)
    if (known.name == table) {
      std::string quoted;
      quoted.reserve(table.size() + 2);
      quoted += '"';
      quoted += table;
      quoted += '"';
      return quoted;
    }
  fail(ErrorCategory::internal, "not an inventory table: " + std::string(table));
}

// A column name read from the engine's catalog, quoted.
inline std::string quoted_column(std::string_view column) {
  std::string out = "\"";
  for (char c : column) {
    if (c == '"') out += '"';
    out += c;
  }
  return out + "\"";
}

inline std::string column_list(const std::vector<std::string>& columns) {
  std::string out;
  for (const auto& c : columns) out += (out.empty() ? "" : ", ") + quoted_column(c);
  return out;
}

}  // namespace numctl::store
