// The SQLite engine's side of numctl migrate: tables read and filled row by row, the trigram
// table rebuilt after a load, and read snapshots.
#include "store_impl.hpp"
#include "../tables.hpp"

namespace numctl::sqlite {

using store::column_list;
using store::quoted_table;

std::vector<std::string> SqliteStore::table_columns(std::string_view table) {
  return guarded([&] {
    std::vector<std::string> columns;
    SQLite::Statement query(db_, "SELECT name FROM pragma_table_info(?) ORDER BY cid");
    query.bind(1, std::string(table));
    while (query.executeStep()) columns.push_back(query.getColumn(0).getString());
    return columns;
  });
}

std::int64_t SqliteStore::count_rows(std::string_view table) {
  return guarded([&] { return db_.execAndGet("SELECT count(*) FROM " + quoted_table(table)).getInt64(); });
}

void SqliteStore::for_each_row(std::string_view table, const std::vector<std::string>& columns, std::string_view order_by,
                               const RowSink& visit) {
  guarded([&] {
    SQLite::Statement query(db_, "SELECT " + column_list(columns) + " FROM " + quoted_table(table) + " ORDER BY " +
                                     std::string(order_by));
    Row row(columns.size());
    while (query.executeStep()) {
      for (int i = 0; i < static_cast<int>(columns.size()); ++i) {
        auto column = query.getColumn(i);
        Cell& cell = row[static_cast<std::size_t>(i)];
        switch (column.getType()) {
          case SQLITE_NULL: cell.kind = Cell::Kind::null; break;
          case SQLITE_INTEGER:
            cell.kind = Cell::Kind::integer;
            cell.integer = column.getInt64();
            break;
          case SQLITE_BLOB:
            cell.kind = Cell::Kind::blob;
            cell.bytes.assign(static_cast<const char*>(column.getBlob()), static_cast<std::size_t>(column.getBytes()));
            break;
          default:  // text (numctl stores no floating-point values)
            cell.kind = Cell::Kind::text;
            cell.bytes.assign(column.getText(), static_cast<std::size_t>(column.getBytes()));
        }
      }
      visit(row);
    }
  });
}

std::int64_t SqliteStore::load_rows(std::string_view table, const std::vector<std::string>& columns,
                                    const std::function<void(const RowSink&)>& produce) {
  return guarded([&] {
    std::string marks;
    for (std::size_t i = 0; i < columns.size(); ++i) marks += i ? ", ?" : "?";
    SQLite::Statement insert(db_, "INSERT INTO " + quoted_table(table) + " (" + column_list(columns) + ") VALUES (" +
                                      marks + ")");
    std::int64_t added = 0;
    produce([&](const Row& row) {
      insert.reset();
      for (std::size_t i = 0; i < row.size(); ++i) {
        int at = static_cast<int>(i) + 1;
        const Cell& cell = row[i];
        switch (cell.kind) {
          case Cell::Kind::null: insert.bind(at); break;
          case Cell::Kind::integer: insert.bind(at, static_cast<int64_t>(cell.integer)); break;
          case Cell::Kind::text: insert.bindNoCopy(at, cell.bytes); break;
          case Cell::Kind::blob: insert.bindNoCopy(at, cell.bytes.data(), static_cast<int>(cell.bytes.size())); break;
        }
      }
      insert.exec();
      ++added;
    });
    return added;
  });
}

void SqliteStore::finish_loading() {
  // Ids follow from max(id) (INTEGER PRIMARY KEY); search needs the trigram entries.
  guarded([&] {
    register_search_text(db_.getHandle());
    db_.exec("INSERT INTO numbers_digits (rowid, digits) SELECT id, numctl_search_text(e164, national_digits)"
             " FROM numbers ORDER BY id");
  });
}

void SqliteStore::begin_snapshot() {
  guarded([&] {
    db_.exec("BEGIN");
    db_.execAndGet("SELECT count(*) FROM sqlite_schema");  // the snapshot starts with the first read
  });
}

void SqliteStore::end_snapshot() noexcept {
  try {
    db_.exec("ROLLBACK");
  } catch (...) {
  }
}

}  // namespace numctl::sqlite
