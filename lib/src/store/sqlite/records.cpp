// The SQLite engine's records: reading a number's row, and single numbers found, added, updated.
#include "store_impl.hpp"
#include "store/where_sql.hpp"

namespace numctl::sqlite {

std::optional<std::string> optional_text(const SQLite::Statement& row, int index) {
  if (row.isColumnNull(index)) return std::nullopt;
  return row.getColumn(index).getString();
}

namespace {

// A row of an SQLite statement as read_number reads it.
struct SqliteRow {
  const SQLite::Statement& statement;
  bool null(int column) const { return statement.isColumnNull(column); }
  std::string_view text(int column) const {
    auto value = statement.getColumn(column);
    return {value.getText(), static_cast<std::size_t>(value.getBytes())};
  }
  std::int64_t integer(int column) const { return statement.getColumn(column).getInt64(); }
};

}  // namespace

void read_record(const SQLite::Statement& row, NumberRecord& r) { store::read_number(SqliteRow{row}, r); }

void bind_optional(SQLite::Statement& statement, int index, const std::optional<std::string>& value) {
  if (value) statement.bind(index, *value);
  else statement.bind(index);
}

void bind_optional(SQLite::Statement& statement, int index, const std::optional<std::int64_t>& value) {
  if (value) statement.bind(index, static_cast<int64_t>(*value));
  else statement.bind(index);
}

std::vector<NumberRecord> collect(SQLite::Statement& q) {
  std::vector<NumberRecord> out;
  while (q.executeStep()) {
    out.emplace_back();
    read_record(q, out.back());
  }
  return out;
}

std::optional<NumberRecord> SqliteStore::find_number(std::string_view e164) {
  return guarded([&]() -> std::optional<NumberRecord> {
    static const std::string sql = std::string("SELECT ") + number_columns + number_joins + " WHERE n.e164 = ?";
    auto& q = cached(find_by_e164_, sql.c_str());
    q.bind(1, std::string(e164));
    if (!q.executeStep()) return std::nullopt;
    NumberRecord record;
    read_record(q, record);
    q.reset();  // no read transaction left open behind the answer (a write may follow)
    return record;
  });
}

namespace {
// Binds parameters 1, 2, ... of an SQLite statement in order.
struct SqliteBinder {
  SQLite::Statement& statement;
  int next = 1;
  void text(std::string_view value) { statement.bind(next++, std::string(value)); }
  void optional(const std::optional<std::string>& value) { bind_optional(statement, next++, value); }
  void optional(const std::optional<std::int64_t>& value) { bind_optional(statement, next++, value); }
};

std::string sqlite_mark(int n) { return store::numbered_mark('?', static_cast<std::size_t>(n)); }
}  // namespace

bool SqliteStore::insert_number(NumberRecord& record, std::optional<std::int64_t> team_id, std::optional<std::int64_t> member_id) {
  return guarded([&] {
    static const std::string sql = store::insert_number_sql("e164, display, national_digits, country, type, team_id, member_id",
                                                            7, sqlite_mark, " ON CONFLICT (e164) DO NOTHING");
    auto& q = cached(insert_, sql.c_str());
    SqliteBinder bind{q};
    bind.text(record.e164);
    bind.text(record.display);
    bind.text(record.national_digits);
    bind.text(record.country);
    bind.text(to_string(record.type));
    bind.optional(team_id);
    bind.optional(member_id);
    store::bind_mutable(bind, record);
    if (q.exec() == 0) return false;
    record.id = db_.getLastInsertRowid();
    auto& fts = cached(insert_digits_, "INSERT INTO numbers_digits (rowid, digits) VALUES (?, ?)");
    fts.bind(1, static_cast<int64_t>(record.id));
    fts.bind(2, search_text(record.e164, record.national_digits));
    fts.exec();
    return true;
  });
}

void SqliteStore::update_number(const NumberRecord& record) {
  guarded([&] {
    // OR FAIL, as the sweep's and the import's statements: with the foreign keys checked at
    // commit, SQLite then keeps no statement journal (migrations_emergency.cpp, version 14).
    static const std::string sql = store::update_number_sql(sqlite_mark, "UPDATE OR FAIL");
    auto& q = cached(update_, sql.c_str());
    SqliteBinder bind{q};
    bind.optional(std::optional<std::int64_t>(record.id));
    // A number bought again may be another type than before (North American numbers do not
    // tell), so the identity libphonenumber parsed is written too.
    bind.text(to_string(record.type));
    bind.text(record.display);
    bind.text(record.country);
    store::bind_mutable(bind, record);
    q.exec();
  });
}

}  // namespace numctl::sqlite
