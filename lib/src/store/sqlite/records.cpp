// The SQLite engine's records: single numbers, teams, members, the audit history and documents.
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

namespace {
std::optional<std::int64_t> id_by_name(SQLite::Database& db, const char* sql, std::string_view name) {
  SQLite::Statement q(db, sql);
  q.bind(1, std::string(name));
  if (!q.executeStep()) return std::nullopt;
  return q.getColumn(0).getInt64();
}
std::vector<std::string> names(SQLite::Database& db, const char* sql) {
  SQLite::Statement q(db, sql);
  std::vector<std::string> out;
  while (q.executeStep()) out.push_back(q.getColumn(0).getString());
  return out;
}
std::int64_t count(SQLite::Database& db, const char* sql, std::int64_t id) {
  SQLite::Statement q(db, sql);
  q.bind(1, static_cast<int64_t>(id));
  q.executeStep();
  return q.getColumn(0).getInt64();
}
}  // namespace

std::optional<std::int64_t> SqliteStore::team_id(std::string_view name) {
  return guarded([&] { return id_by_name(db_, "SELECT id FROM teams WHERE name = ?", name); });
}

std::optional<std::int64_t> SqliteStore::member_id(std::string_view name) {
  return guarded([&] { return id_by_name(db_, "SELECT id FROM members WHERE name = ?", name); });
}

std::int64_t SqliteStore::add_team(std::string_view name, const std::string& now_iso) {
  return guarded([&] {
    SQLite::Statement q(db_, "INSERT INTO teams (name, created_at) VALUES (?, ?)");
    q.bind(1, std::string(name));
    q.bind(2, now_iso);
    q.exec();
    return static_cast<std::int64_t>(db_.getLastInsertRowid());
  });
}

std::int64_t SqliteStore::add_member(std::string_view name, std::optional<std::int64_t> team, const std::string& now_iso) {
  return guarded([&] {
    SQLite::Statement q(db_, "INSERT INTO members (name, team_id, created_at) VALUES (?, ?, ?)");
    q.bind(1, std::string(name));
    bind_optional(q, 2, team);
    q.bind(3, now_iso);
    q.exec();
    return static_cast<std::int64_t>(db_.getLastInsertRowid());
  });
}

void SqliteStore::remove_team(std::int64_t id) {
  guarded([&] {
    // Cancelled numbers keep no assignment worth a dangling reference.
    SQLite::Statement clear(db_, "UPDATE numbers SET team_id = NULL WHERE team_id = ?");
    clear.bind(1, static_cast<int64_t>(id));
    clear.exec();
    SQLite::Statement q(db_, "DELETE FROM teams WHERE id = ?");
    q.bind(1, static_cast<int64_t>(id));
    q.exec();
  });
}

void SqliteStore::rename_team(std::int64_t id, std::string_view name) {
  guarded([&] {
    SQLite::Statement q(db_, "UPDATE teams SET name = ? WHERE id = ?");
    q.bind(1, std::string(name));
    q.bind(2, static_cast<int64_t>(id));
    q.exec();
  });
}

std::pair<std::int64_t, std::int64_t> SqliteStore::merge_team(std::int64_t from, std::int64_t into) {
  return guarded([&] {
    SQLite::Statement numbers(db_, "UPDATE numbers SET team_id = ?1 WHERE team_id = ?2");
    numbers.bind(1, static_cast<int64_t>(into));
    numbers.bind(2, static_cast<int64_t>(from));
    std::int64_t moved_numbers = numbers.exec();
    SQLite::Statement members(db_, "UPDATE members SET team_id = ?1 WHERE team_id = ?2");
    members.bind(1, static_cast<int64_t>(into));
    members.bind(2, static_cast<int64_t>(from));
    std::int64_t moved_members = members.exec();
    SQLite::Statement drop(db_, "DELETE FROM teams WHERE id = ?");
    drop.bind(1, static_cast<int64_t>(from));
    drop.exec();
    return std::pair{moved_numbers, moved_members};
  });
}

void SqliteStore::set_member_team(std::int64_t member, std::optional<std::int64_t> team) {
  guarded([&] {
    SQLite::Statement q(db_, "UPDATE members SET team_id = ? WHERE id = ?");
    bind_optional(q, 1, team);
    q.bind(2, static_cast<int64_t>(member));
    q.exec();
  });
}

void SqliteStore::remove_member(std::int64_t id) {
  guarded([&] {
    SQLite::Statement clear(db_, "UPDATE numbers SET member_id = NULL WHERE member_id = ?");
    clear.bind(1, static_cast<int64_t>(id));
    clear.exec();
    SQLite::Statement q(db_, "DELETE FROM members WHERE id = ?");
    q.bind(1, static_cast<int64_t>(id));
    q.exec();
  });
}

std::vector<TeamInfo> SqliteStore::teams() {
  return guarded([&] {
    SQLite::Statement q(db_,
        "SELECT t.name,"
        " (SELECT count(*) FROM numbers n WHERE n.status <> 'cancelled' AND (n.team_id = t.id OR n.member_id IN"
        "   (SELECT id FROM members WHERE team_id = t.id))),"
        " (SELECT count(*) FROM members m WHERE m.team_id = t.id)"
        " FROM teams t ORDER BY t.name");
    std::vector<TeamInfo> out;
    while (q.executeStep())
      out.push_back({q.getColumn(0).getString(), q.getColumn(1).getInt64(), q.getColumn(2).getInt64()});
    return out;
  });
}

std::vector<MemberInfo> SqliteStore::members() {
  return guarded([&] {
    SQLite::Statement q(db_,
        "SELECT m.name, t.name,"
        " (SELECT count(*) FROM numbers n WHERE n.status <> 'cancelled' AND n.member_id = m.id)"
        " FROM members m LEFT JOIN teams t ON t.id = m.team_id ORDER BY m.name");
    std::vector<MemberInfo> out;
    while (q.executeStep()) out.push_back({q.getColumn(0).getString(), optional_text(q, 1), q.getColumn(2).getInt64()});
    return out;
  });
}

std::vector<std::string> SqliteStore::team_names() {
  return guarded([&] { return names(db_, "SELECT name FROM teams ORDER BY name"); });
}

std::vector<std::string> SqliteStore::member_names() {
  return guarded([&] { return names(db_, "SELECT name FROM members ORDER BY name"); });
}

std::int64_t SqliteStore::numbers_held_by_team(std::int64_t id) {
  return guarded([&] {
    return count(db_,
                 "SELECT count(*) FROM numbers WHERE status <> 'cancelled' AND (team_id = ?1 OR member_id IN"
                 " (SELECT id FROM members WHERE team_id = ?1))",
                 id);
  });
}

std::int64_t SqliteStore::members_of_team(std::int64_t id) {
  return guarded([&] { return count(db_, "SELECT count(*) FROM members WHERE team_id = ?", id); });
}

std::int64_t SqliteStore::numbers_held_by_member(std::int64_t id) {
  return guarded([&] {
    return count(db_, "SELECT count(*) FROM numbers WHERE status <> 'cancelled' AND member_id = ?", id);
  });
}

void SqliteStore::set_assignment(std::int64_t number_id, std::optional<std::int64_t> team, std::optional<std::int64_t> member) {
  guarded([&] {
    auto& q = cached(set_assignment_, "UPDATE numbers SET team_id = ?, member_id = ? WHERE id = ?");
    bind_optional(q, 1, team);
    bind_optional(q, 2, member);
    q.bind(3, static_cast<int64_t>(number_id));
    q.exec();
  });
}

void SqliteStore::append_audit(const AuditEntry& e) {
  guarded([&] {
    auto& q = cached(audit_,
        "INSERT INTO audit (at, actor, action, number, from_status, to_status, details) VALUES (?, ?, ?, ?, ?, ?, ?)");
    q.bind(1, e.at);
    q.bind(2, e.actor);
    q.bind(3, e.action);
    q.bind(4, e.number);
    bind_optional(q, 5, e.from_status);
    bind_optional(q, 6, e.to_status);
    q.bind(7, e.details);
    q.exec();
  });
}

std::vector<AuditEntry> SqliteStore::history(std::string_view e164) {
  return guarded([&] {
    SQLite::Statement q(db_,
        "SELECT at, actor, action, number, from_status, to_status, details FROM audit WHERE number = ? ORDER BY id");
    q.bind(1, std::string(e164));
    std::vector<AuditEntry> out;
    while (q.executeStep())
      out.push_back({q.getColumn(0).getString(), q.getColumn(1).getString(), q.getColumn(2).getString(),
                     q.getColumn(3).getString(), optional_text(q, 4), optional_text(q, 5), q.getColumn(6).getString()});
    return out;
  });
}

namespace {
// The log's statement: conditions for what the query gives, newest first (time, then entry).
std::string audit_sql(const AuditQuery& query) {
  std::string sql = "SELECT at, actor, action, number, from_status, to_status, details FROM audit WHERE 1";
  if (query.since) sql += " AND at >= :since";
  if (query.until) sql += " AND at < :until";
  if (query.actor) sql += " AND actor = :actor";
  if (query.action) sql += " AND action = :action";
  if (query.number) sql += " AND number = :number";
  if (query.team) sql += " AND json_extract(details, '$.team') = :team COLLATE NOCASE";
  sql += " ORDER BY at DESC, id DESC";
  if (query.limit) sql += " LIMIT " + std::to_string(query.limit);
  return sql;
}
void bind_audit(SQLite::Statement& q, const AuditQuery& query) {
  auto bind = [&](const char* name, const std::optional<std::string>& value) {
    if (value) q.bind(name, *value);
  };
  bind(":since", query.since);
  bind(":until", query.until);
  bind(":actor", query.actor);
  bind(":action", query.action);
  bind(":number", query.number);
  bind(":team", query.team);
}
}  // namespace

void SqliteStore::for_each_audit(const AuditQuery& query, const std::function<void(const AuditEntry&)>& visit) {
  guarded([&] {
    SQLite::Statement q(db_, audit_sql(query));
    bind_audit(q, query);
    while (q.executeStep())
      visit({q.getColumn(0).getString(), q.getColumn(1).getString(), q.getColumn(2).getString(),
             q.getColumn(3).getString(), optional_text(q, 4), optional_text(q, 5), q.getColumn(6).getString()});
  });
}

std::vector<std::string> SqliteStore::explain_audit(const AuditQuery& query) {
  return guarded([&] {
    SQLite::Statement q(db_, "EXPLAIN QUERY PLAN " + audit_sql(query));
    bind_audit(q, query);
    std::vector<std::string> plan;
    while (q.executeStep()) plan.push_back(q.getColumn(3).getString());
    return plan;
  });
}

std::int64_t SqliteStore::add_document(std::int64_t number_id, const DocumentInfo& info, const std::string& content) {
  return guarded([&] {
    SQLite::Statement q(db_,
        "INSERT INTO documents (number_id, kind, filename, size, sha256, content, submitted_at) VALUES (?, ?, ?, ?, ?, ?, ?)");
    q.bind(1, static_cast<int64_t>(number_id));
    q.bind(2, info.kind);
    q.bind(3, info.filename);
    q.bind(4, static_cast<int64_t>(info.size));
    q.bind(5, info.sha256);
    q.bind(6, content.data(), static_cast<int>(content.size()));
    q.bind(7, info.submitted_at);
    q.exec();
    return static_cast<std::int64_t>(db_.getLastInsertRowid());
  });
}

std::vector<DocumentInfo> SqliteStore::documents(std::int64_t number_id) {
  return guarded([&] {
    SQLite::Statement q(db_,
        "SELECT id, kind, filename, size, sha256, submitted_at, state, rejection_reason FROM documents"
        " WHERE number_id = ? AND retired_at IS NULL ORDER BY id");
    q.bind(1, static_cast<int64_t>(number_id));
    std::vector<DocumentInfo> out;
    while (q.executeStep())
      out.push_back({q.getColumn(0).getInt64(), q.getColumn(1).getString(), q.getColumn(2).getString(),
                     q.getColumn(3).getInt64(), q.getColumn(4).getString(), q.getColumn(5).getString(),
                     q.getColumn(6).getString(), optional_text(q, 7)});
    return out;
  });
}

std::optional<std::string> SqliteStore::document_content(std::int64_t document_id) {
  return guarded([&]() -> std::optional<std::string> {
    SQLite::Statement q(db_, "SELECT content FROM documents WHERE id = ?");
    q.bind(1, static_cast<int64_t>(document_id));
    if (!q.executeStep()) return std::nullopt;
    auto column = q.getColumn(0);
    return std::string(static_cast<const char*>(column.getBlob()), static_cast<std::size_t>(column.getBytes()));
  });
}

void SqliteStore::reject_documents(std::int64_t number_id, const std::string& reason) {
  guarded([&] {
    SQLite::Statement q(db_,
        "UPDATE documents SET state = 'rejected', rejection_reason = ?"
        " WHERE number_id = ? AND state = 'submitted' AND retired_at IS NULL");
    q.bind(1, reason);
    q.bind(2, static_cast<int64_t>(number_id));
    q.exec();
  });
}

void SqliteStore::retire_documents(std::int64_t number_id, const std::string& at_iso) {
  guarded([&] {
    SQLite::Statement q(db_, "UPDATE documents SET retired_at = ? WHERE number_id = ? AND retired_at IS NULL");
    q.bind(1, at_iso);
    q.bind(2, static_cast<int64_t>(number_id));
    q.exec();
  });
}

}  // namespace numctl::sqlite
