// The SQLite engine's records: reading a number's row, and single numbers found, added, updated.
#include "store_impl.hpp"

namespace numctl::sqlite {

std::optional<std::string> optional_text(const SQLite::Statement& row, int index) {
  if (row.isColumnNull(index)) return std::nullopt;
  return row.getColumn(index).getString();
}

void read_record(const SQLite::Statement& row, NumberRecord& r) {
  r.id = row.getColumn(0).getInt64();
  r.e164 = row.getColumn(1).getString();
  r.display = row.getColumn(2).getString();
  r.country = row.getColumn(3).getString();
  r.type = parse_number_type(row.getColumn(4).getText()).value_or(NumberType::local);
  r.status = parse_status(row.getColumn(5).getText()).value_or(Status::active);
  r.previous_status = row.isColumnNull(6) ? std::nullopt : parse_status(row.getColumn(6).getText());
  r.team = optional_text(row, 7);
  r.member = optional_text(row, 8);
  r.label = optional_text(row, 9);
  r.risk_reason = optional_text(row, 10);
  r.cancel_reason = optional_text(row, 11);
  r.bought_at = optional_text(row, 12);
  r.activated_at = optional_text(row, 13);
  r.cancel_requested_at = optional_text(row, 14);
  r.release_at = optional_text(row, 15);
  r.replaced_by = optional_text(row, 16);
  r.replaces = optional_text(row, 17);
  r.expires_at = optional_text(row, 18);
  r.provider = optional_text(row, 19);
  r.provider_ref = optional_text(row, 20);
}

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
void bind_mutable_fields(SQLite::Statement& q, const NumberRecord& r) {
  q.bind(":status", std::string(to_string(r.status)));
  if (r.previous_status) q.bind(":previous_status", std::string(to_string(*r.previous_status)));
  else q.bind(":previous_status");
  bind_optional(q, q.getIndex(":label"), r.label);
  bind_optional(q, q.getIndex(":risk_reason"), r.risk_reason);
  bind_optional(q, q.getIndex(":cancel_reason"), r.cancel_reason);
  bind_optional(q, q.getIndex(":bought_at"), r.bought_at);
  bind_optional(q, q.getIndex(":activated_at"), r.activated_at);
  bind_optional(q, q.getIndex(":cancel_requested_at"), r.cancel_requested_at);
  bind_optional(q, q.getIndex(":release_at"), r.release_at);
  bind_optional(q, q.getIndex(":replaced_by"), r.replaced_by);
  bind_optional(q, q.getIndex(":replaces"), r.replaces);
  bind_optional(q, q.getIndex(":expires_at"), r.expires_at);
  bind_optional(q, q.getIndex(":provider"), r.provider);
  bind_optional(q, q.getIndex(":provider_ref"), r.provider_ref);
}
}  // namespace

bool SqliteStore::insert_number(NumberRecord& record, std::optional<std::int64_t> team_id, std::optional<std::int64_t> member_id) {
  return guarded([&] {
    auto& q = cached(insert_,
        "INSERT INTO numbers (e164, display, national_digits, country, type, status, previous_status, team_id, member_id,"
        " label, risk_reason, cancel_reason, bought_at, activated_at, cancel_requested_at, release_at, replaced_by, replaces,"
        " expires_at, provider, provider_ref)"
        " VALUES (:e164, :display, :national_digits, :country, :type, :status, :previous_status, :team_id, :member_id,"
        " :label, :risk_reason, :cancel_reason, :bought_at, :activated_at, :cancel_requested_at, :release_at,"
        " :replaced_by, :replaces, :expires_at, :provider, :provider_ref) ON CONFLICT (e164) DO NOTHING");
    q.bind(":e164", record.e164);
    q.bind(":display", record.display);
    q.bind(":national_digits", record.national_digits);
    q.bind(":country", record.country);
    q.bind(":type", std::string(to_string(record.type)));
    bind_optional(q, q.getIndex(":team_id"), team_id);
    bind_optional(q, q.getIndex(":member_id"), member_id);
    bind_mutable_fields(q, record);
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
    auto& q = cached(update_,
        "UPDATE numbers SET type = :type, display = :display, country = :country, status = :status,"
        " previous_status = :previous_status, label = :label,"
        " risk_reason = :risk_reason, cancel_reason = :cancel_reason, bought_at = :bought_at,"
        " activated_at = :activated_at, cancel_requested_at = :cancel_requested_at, release_at = :release_at,"
        " replaced_by = :replaced_by, replaces = :replaces, expires_at = :expires_at, provider = :provider,"
        " provider_ref = :provider_ref WHERE id = :id");
    // A number bought again may be another type than before (North American numbers do not
    // tell), so the identity libphonenumber parsed is written too.
    q.bind(":type", std::string(to_string(record.type)));
    q.bind(":display", record.display);
    q.bind(":country", record.country);
    bind_mutable_fields(q, record);
    q.bind(":id", static_cast<int64_t>(record.id));
    q.exec();
  });
}

}  // namespace numctl::sqlite
