// The SQLite engine's teams and members, and the assignment of numbers to them. Names are
// compared case-insensitively (the schema's NOCASE), returned as stored.
#include "store_impl.hpp"

namespace numctl::sqlite {

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
    while (q.executeStep()) out.push_back({q.getColumn(0).getString(), q.getColumn(1).getInt64(), q.getColumn(2).getInt64()});
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
  return guarded([&] { return count(db_, "SELECT count(*) FROM numbers WHERE status <> 'cancelled' AND member_id = ?", id); });
}

void SqliteStore::set_assignment(std::int64_t number_id, std::optional<std::int64_t> team, std::optional<std::int64_t> member) {
  guarded([&] {
    auto& q = cached(set_assignment_, "UPDATE OR FAIL numbers SET team_id = ?, member_id = ? WHERE id = ?");
    bind_optional(q, 1, team);
    bind_optional(q, 2, member);
    q.bind(3, static_cast<int64_t>(number_id));
    q.exec();
  });
}

}  // namespace numctl::sqlite
