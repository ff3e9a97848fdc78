// The SQLite engine's audit history and documents: every change's row, streamed newest first,
// and the documents a pending order collects (their bytes kept in the database).
#include "store_impl.hpp"

namespace numctl::sqlite {

void SqliteStore::append_audit(AuditEntry e) {
  guarded([&] {
    auto& q = cached(
        audit_, "INSERT INTO audit (at, actor, action, number, from_status, to_status, details) VALUES (?, ?, ?, ?, ?, ?, ?)");
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
    SQLite::Statement q(
        db_, "SELECT at, actor, action, number, from_status, to_status, details FROM audit WHERE number = ? ORDER BY id");
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
      visit({q.getColumn(0).getString(), q.getColumn(1).getString(), q.getColumn(2).getString(), q.getColumn(3).getString(),
             optional_text(q, 4), optional_text(q, 5), q.getColumn(6).getString()});
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
    SQLite::Statement q(
        db_,
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
      out.push_back({q.getColumn(0).getInt64(), q.getColumn(1).getString(), q.getColumn(2).getString(), q.getColumn(3).getInt64(),
                     q.getColumn(4).getString(), q.getColumn(5).getString(), q.getColumn(6).getString(), optional_text(q, 7)});
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
