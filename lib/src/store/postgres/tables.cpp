// The PostgreSQL engine's side of numctl migrate: tables read in single-row mode and filled
// through COPY, sequences moved past the loaded ids, and read snapshots.
#include "store_impl.hpp"
#include "../tables.hpp"

#include <algorithm>

namespace numctl::postgres {

using store::column_list;
using store::quoted_table;

namespace {
// Derived from other columns, and computed again by the engine that loads the numbers.
constexpr std::string_view derived_column = "search_text";
}  // namespace

std::vector<std::string> PostgresStore::table_columns(std::string_view table) {
  auto r = db_.exec("SELECT attname FROM pg_attribute WHERE attrelid = to_regclass($1) AND attnum > 0"
                    " AND NOT attisdropped ORDER BY attnum",
                    pg::Params().text(table));
  std::vector<std::string> columns;
  for (int i = 0; i < r.rows(); ++i)
    if (!(table == "numbers" && r.view(i, 0) == derived_column)) columns.push_back(r.text(i, 0));
  return columns;
}

std::int64_t PostgresStore::count_rows(std::string_view table) {
  return db_.exec("SELECT count(*) FROM " + quoted_table(table)).integer(0, 0);
}

void PostgresStore::for_each_row(std::string_view table, const std::vector<std::string>& columns, std::string_view order_by,
                                 const RowSink& visit) {
  Row row(columns.size());
  db_.stream("SELECT " + column_list(columns) + " FROM " + quoted_table(table) + " ORDER BY " + std::string(order_by), {},
             [&](const pg::Result& r) {
               for (int i = 0; i < static_cast<int>(columns.size()); ++i) {
                 Cell& cell = row[static_cast<std::size_t>(i)];
                 if (r.null(0, i)) {
                   cell.kind = Cell::Kind::null;
                   continue;
                 }
                 switch (r.type(i)) {
                   case pg::Result::Type::integer:
                     cell.kind = Cell::Kind::integer;
                     cell.integer = r.integer(0, i);
                     break;
                   case pg::Result::Type::bytes:
                     cell.kind = Cell::Kind::blob;
                     cell.bytes = r.bytes(0, i);
                     break;
                   case pg::Result::Type::text:
                     cell.kind = Cell::Kind::text;
                     cell.bytes.assign(r.view(0, i));
                 }
               }
               visit(row);
             });
}

std::int64_t PostgresStore::load_rows(std::string_view table, const std::vector<std::string>& columns,
                                      const std::function<void(const RowSink&)>& produce) {
  // The numbers carry their search text too, computed here as every other insert does.
  std::optional<std::size_t> e164, national;
  if (table == "numbers")
    for (std::size_t i = 0; i < columns.size(); ++i) {
      if (columns[i] == "e164") e164 = i;
      if (columns[i] == "national_digits") national = i;
    }
  bool derive = e164 && national;
  std::string target = column_list(columns);
  if (derive) target += ", " + std::string(derived_column);
  return db_.copy_in("COPY " + quoted_table(table) + " (" + target + ") FROM STDIN",
                     [&](const std::function<void(std::string_view)>& send) {
                       static constexpr char hex[] = "0123456789abcdef";
                       std::string chunk;
                       produce([&](const Row& row) {
                         for (std::size_t i = 0; i < row.size(); ++i) {
                           if (i) chunk += '\t';
                           const Cell& cell = row[i];
                           switch (cell.kind) {
                             case Cell::Kind::null: chunk += "\\N"; break;
                             case Cell::Kind::integer: chunk += std::to_string(cell.integer); break;
                             case Cell::Kind::text: pg::copy_field(chunk, cell.bytes); break;
                             case Cell::Kind::blob:
                               chunk += "\\\\x";  // bytea's hex form, its backslash escaped for COPY
                               for (unsigned char c : cell.bytes) {
                                 chunk += hex[c >> 4];
                                 chunk += hex[c & 0xf];
                               }
                           }
                         }
                         if (derive) {
                           chunk += '\t';
                           pg::copy_field(chunk, search_text(row[*e164].bytes, row[*national].bytes));
                         }
                         chunk += '\n';
                         if (chunk.size() > (1 << 20)) {
                           send(chunk);
                           chunk.clear();
                         }
                       });
                       if (!chunk.empty()) send(chunk);
                     });
}

void PostgresStore::finish_loading() {
  // Ids handed out next follow the loaded ones (search_text came with the rows).
  for (const auto& table : store::inventory_tables)
    if (table.key == "id" && !db_.exec("SELECT pg_get_serial_sequence($1, 'id')", pg::Params().text(table.name))
                                  .null(0, 0))  // not port_outs' text ids
      db_.exec("SELECT setval(pg_get_serial_sequence($1, 'id'), coalesce(max(id), 0) + 1, false) FROM " +
                   quoted_table(table.name),
               pg::Params().text(table.name));
}

void PostgresStore::begin_snapshot() { db_.exec("BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY"); }

void PostgresStore::end_snapshot() noexcept {
  try {
    db_.exec("ROLLBACK");
  } catch (...) {
  }
}

}  // namespace numctl::postgres
