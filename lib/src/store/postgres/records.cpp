// The PostgreSQL engine's records: single numbers, teams, members, the audit history and
// documents.
#include "store_impl.hpp"
#include "store/where_sql.hpp"

namespace numctl::postgres {

namespace {

// Row `row` of a libpq result as read_number reads it.
struct PgRow {
  const pg::Result& result;
  int row;
  bool null(int column) const { return result.null(row, column); }
  std::string_view text(int column) const { return result.view(row, column); }
  std::int64_t integer(int column) const { return result.integer(row, column); }
};

}  // namespace

void read_record(const pg::Result& row, int i, NumberRecord& r) { store::read_number(PgRow{row, i}, r); }

std::vector<NumberRecord> PostgresStore::records(const std::string& sql, const pg::Params& params) {
  auto result = db_.exec(sql, params);
  std::vector<NumberRecord> out(static_cast<std::size_t>(result.rows()));
  for (int i = 0; i < result.rows(); ++i) read_record(result, i, out[static_cast<std::size_t>(i)]);
  return out;
}

std::optional<NumberRecord> PostgresStore::find_number(std::string_view e164) {
  if (deferred_.on) {
    std::string key(e164);
    if (auto it = deferred_.numbers.find(key); it != deferred_.numbers.end()) return it->second;
    if (deferred_.absent.contains(key)) return std::nullopt;
  }
  auto found = records(std::string("SELECT ") + number_columns + number_joins + " WHERE n.e164 = $1",
                       pg::Params().text(e164));
  if (found.empty()) return std::nullopt;
  return std::move(found.front());
}

namespace {

std::string pg_mark(int n) { return store::numbered_mark('$', static_cast<std::size_t>(n)); }

}  // namespace

bool PostgresStore::insert_number(NumberRecord& record, std::optional<std::int64_t> team_id,
                                  std::optional<std::int64_t> member_id) {
  static const std::string sql =
      store::insert_number_sql("e164, display, national_digits, search_text, country, type, team_id, member_id", 8, pg_mark,
                               " ON CONFLICT (e164) DO NOTHING RETURNING id");
  pg::Params p;
  p.text(record.e164).text(record.display).text(record.national_digits).text(search_text(record.e164, record.national_digits));
  p.text(record.country).text(to_string(record.type)).optional(team_id).optional(member_id);
  store::bind_mutable(p, record);
  auto result = db_.exec(sql, p);
  if (result.rows() == 0) return false;
  record.id = result.integer(0, 0);
  return true;
}

void PostgresStore::update_number(const NumberRecord& record) {
  if (deferred_.on) {
    if (deferred_.changed_ids.insert(record.id).second) deferred_.changed.push_back(record.e164);
    deferred_.numbers.insert_or_assign(record.e164, record);
    return;
  }
  static const std::string sql = store::update_number_sql(pg_mark);
  pg::Params p;
  p.integer(record.id).text(to_string(record.type)).text(record.display).text(record.country);
  store::bind_mutable(p, record);
  db_.exec(sql, p);
}

std::int64_t PostgresStore::add_team(std::string_view name, const std::string& now_iso) {
  return db_.exec("INSERT INTO teams (name, created_at) VALUES ($1, $2) RETURNING id", pg::Params().text(name).text(now_iso))
      .integer(0, 0);
}

std::int64_t PostgresStore::add_member(std::string_view name, std::optional<std::int64_t> team, const std::string& now_iso) {
  return db_.exec("INSERT INTO members (name, team_id, created_at) VALUES ($1, $2, $3) RETURNING id",
                  pg::Params().text(name).optional(team).text(now_iso))
      .integer(0, 0);
}

void PostgresStore::remove_team(std::int64_t id) {
  db_.exec("UPDATE numbers SET team_id = NULL WHERE team_id = $1", pg::Params().integer(id));
  db_.exec("DELETE FROM teams WHERE id = $1", pg::Params().integer(id));
}

void PostgresStore::rename_team(std::int64_t id, std::string_view name) {
  db_.exec("UPDATE teams SET name = $2 WHERE id = $1", pg::Params().integer(id).text(name));
}

std::pair<std::int64_t, std::int64_t> PostgresStore::merge_team(std::int64_t from, std::int64_t into) {
  auto p = pg::Params().integer(into).integer(from);
  std::int64_t numbers = db_.exec("UPDATE numbers SET team_id = $1 WHERE team_id = $2", p).changed();
  std::int64_t members = db_.exec("UPDATE members SET team_id = $1 WHERE team_id = $2", p).changed();
  db_.exec("DELETE FROM teams WHERE id = $1", pg::Params().integer(from));
  return {numbers, members};
}

void PostgresStore::set_member_team(std::int64_t member, std::optional<std::int64_t> team) {
  db_.exec("UPDATE members SET team_id = $2 WHERE id = $1", pg::Params().integer(member).optional(team));
}

void PostgresStore::remove_member(std::int64_t id) {
  db_.exec("UPDATE numbers SET member_id = NULL WHERE member_id = $1", pg::Params().integer(id));
  db_.exec("DELETE FROM members WHERE id = $1", pg::Params().integer(id));
}

// Names sort as SQLite's NOCASE sorts them: ASCII letters folded, the rest bytewise.
namespace {
constexpr const char* by_name = " ORDER BY translate(name, 'ABCDEFGHIJKLMNOPQRSTUVWXYZ', 'abcdefghijklmnopqrstuvwxyz')";
}

std::vector<TeamInfo> PostgresStore::teams() {
  auto r = db_.exec(std::string(
      "SELECT name, (SELECT count(*) FROM numbers n WHERE n.status <> 'cancelled' AND (n.team_id = t.id OR n.member_id IN"
      " (SELECT id FROM members WHERE team_id = t.id))), (SELECT count(*) FROM members m WHERE m.team_id = t.id)"
      " FROM teams t") + by_name);
  std::vector<TeamInfo> out;
  for (int i = 0; i < r.rows(); ++i) out.push_back({r.text(i, 0), r.integer(i, 1), r.integer(i, 2)});
  return out;
}

std::vector<MemberInfo> PostgresStore::members() {
  auto r = db_.exec(
      "SELECT m.name, t.name, (SELECT count(*) FROM numbers n WHERE n.status <> 'cancelled' AND n.member_id = m.id)"
      " FROM members m LEFT JOIN teams t ON t.id = m.team_id"
      " ORDER BY translate(m.name, 'ABCDEFGHIJKLMNOPQRSTUVWXYZ', 'abcdefghijklmnopqrstuvwxyz')");
  std::vector<MemberInfo> out;
  for (int i = 0; i < r.rows(); ++i) out.push_back({r.text(i, 0), r.optional(i, 1), r.integer(i, 2)});
  return out;
}

std::vector<std::string> PostgresStore::team_names() {
  auto r = db_.exec(std::string("SELECT name FROM teams") + by_name);
  std::vector<std::string> out;
  for (int i = 0; i < r.rows(); ++i) out.push_back(r.text(i, 0));
  return out;
}

std::vector<std::string> PostgresStore::member_names() {
  auto r = db_.exec(std::string("SELECT name FROM members") + by_name);
  std::vector<std::string> out;
  for (int i = 0; i < r.rows(); ++i) out.push_back(r.text(i, 0));
  return out;
}

std::int64_t PostgresStore::numbers_held_by_team(std::int64_t id) {
  return db_.exec("SELECT count(*) FROM numbers WHERE status <> 'cancelled' AND (team_id = $1 OR member_id IN"
                  " (SELECT id FROM members WHERE team_id = $1))",
                  pg::Params().integer(id))
      .integer(0, 0);
}

std::int64_t PostgresStore::members_of_team(std::int64_t id) {
  return db_.exec("SELECT count(*) FROM members WHERE team_id = $1", pg::Params().integer(id)).integer(0, 0);
}

std::int64_t PostgresStore::numbers_held_by_member(std::int64_t id) {
  return db_.exec("SELECT count(*) FROM numbers WHERE status <> 'cancelled' AND member_id = $1", pg::Params().integer(id))
      .integer(0, 0);
}

void PostgresStore::append_audit(AuditEntry e) {
  if (deferred_.on) {
    deferred_.audit.push_back(std::move(e));
    return;
  }
  db_.exec("INSERT INTO audit (at, actor, action, number, from_status, to_status, details) VALUES ($1, $2, $3, $4, $5, $6, $7)",
           pg::Params().text(e.at).text(e.actor).text(e.action).text(e.number).optional(e.from_status).optional(e.to_status)
               .text(e.details));
}

namespace {
AuditEntry read_audit(const pg::Result& r, int i) {
  return {r.text(i, 0), r.text(i, 1), r.text(i, 2), r.text(i, 3), r.optional(i, 4), r.optional(i, 5), r.text(i, 6)};
}
}  // namespace

std::vector<AuditEntry> PostgresStore::history(std::string_view e164) {
  auto r = db_.exec("SELECT at, actor, action, number, from_status, to_status, details FROM audit WHERE number = $1 ORDER BY id",
                    pg::Params().text(e164));
  std::vector<AuditEntry> out;
  for (int i = 0; i < r.rows(); ++i) out.push_back(read_audit(r, i));
  return out;
}

void PostgresStore::for_each_audit(const AuditQuery& query, const std::function<void(const AuditEntry&)>& visit) {
  std::string sql = "SELECT at, actor, action, number, from_status, to_status, details FROM audit WHERE true";
  pg::Params p;
  auto condition = [&](const std::optional<std::string>& value, const std::string& test) {
    if (!value) return;
    p.text(*value);
    sql += " AND " + test + "$" + std::to_string(p.size());
  };
  condition(query.since, "at >= ");
  condition(query.until, "at < ");
  condition(query.actor, "actor = ");
  condition(query.action, "action = ");
  condition(query.number, "number = ");
  if (query.team) {
    p.text(*query.team);
    sql += " AND details LIKE '{%' AND lower(details::json->>'team') = lower($" + std::to_string(p.size()) + ")";
  }
  sql += " ORDER BY at DESC, id DESC";
  if (query.limit) sql += " LIMIT " + std::to_string(query.limit);
  db_.stream(sql, p, [&](const pg::Result& r) { visit(read_audit(r, 0)); });
}

std::int64_t PostgresStore::add_document(std::int64_t number_id, const DocumentInfo& info, const std::string& content) {
  return db_.exec("INSERT INTO documents (number_id, kind, filename, size, sha256, content, submitted_at)"
                  " VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id",
                  pg::Params().integer(number_id).text(info.kind).text(info.filename).integer(info.size).text(info.sha256)
                      .binary(content).text(info.submitted_at))
      .integer(0, 0);
}

std::vector<DocumentInfo> PostgresStore::documents(std::int64_t number_id) {
  auto r = db_.exec("SELECT id, kind, filename, size, sha256, submitted_at, state, rejection_reason FROM documents"
                    " WHERE number_id = $1 AND retired_at IS NULL ORDER BY id",
                    pg::Params().integer(number_id));
  std::vector<DocumentInfo> out;
  for (int i = 0; i < r.rows(); ++i)
    out.push_back({r.integer(i, 0), r.text(i, 1), r.text(i, 2), r.integer(i, 3), r.text(i, 4), r.text(i, 5), r.text(i, 6),
                   r.optional(i, 7)});
  return out;
}

std::optional<std::string> PostgresStore::document_content(std::int64_t document_id) {
  auto r = db_.exec("SELECT content FROM documents WHERE id = $1", pg::Params().integer(document_id));
  if (!r.rows()) return std::nullopt;
  return r.bytes(0, 0);
}

void PostgresStore::reject_documents(std::int64_t number_id, const std::string& reason) {
  db_.exec("UPDATE documents SET state = 'rejected', rejection_reason = $2"
           " WHERE number_id = $1 AND state = 'submitted' AND retired_at IS NULL",
           pg::Params().integer(number_id).text(reason));
}

void PostgresStore::retire_documents(std::int64_t number_id, const std::string& at_iso) {
  db_.exec("UPDATE documents SET retired_at = $2 WHERE number_id = $1 AND retired_at IS NULL",
           pg::Params().integer(number_id).text(at_iso));
}

}  // namespace numctl::postgres
