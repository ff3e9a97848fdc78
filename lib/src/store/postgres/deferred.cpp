// The PostgreSQL engine's set-based batches. A batch (cancel, restore, assign, flag, ...) names
// its numbers first: one statement reads them all, with the teams and members; from then on the
// batch's changes to them and its audit rows are held here, answered from memory, and written
// with one statement each (flush_deferred) before any other statement is sent and before COMMIT,
// instead of a round trip or two a number.
#include "store_impl.hpp"

#include <fmt/format.h>

namespace numctl::postgres {

namespace {

// Names as PostgreSQL's lower(... COLLATE "C") folds them: ASCII only.
std::string folded(std::string_view name) {
  std::string out(name);
  for (char& c : out)
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  return out;
}

// A text[] literal of `values`, each quoted.
std::string text_array(const std::vector<std::string>& values) {
  std::string array = "{";
  for (const auto& value : values) {
    if (array.size() > 1) array += ',';
    array += '"';
    for (char c : value) {
      if (c == '"' || c == '\\') array += '\\';
      array += c;
    }
    array += '"';
  }
  return array + '}';
}

// bind_mutable's values (and the like) as COPY fields, each after a tab.
struct CopyBinder {
  std::string& out;
  void text(std::string_view value) {
    out += '\t';
    pg::copy_field(out, value);
  }
  void optional(const std::optional<std::string>& value) {
    out += '\t';
    if (value)
      pg::copy_field(out, *value);
    else
      out += "\\N";
  }
  void optional(const std::optional<std::int64_t>& value) {
    out += '\t';
    out += value ? std::to_string(*value) : std::string("\\N");
  }
};

}  // namespace

const PostgresStore::Deferred::Team* PostgresStore::Deferred::team(std::int64_t id) const {
  for (const auto& [key, team] : teams)
    if (team.id == id) return &team;
  return nullptr;
}

const PostgresStore::Deferred::Member* PostgresStore::Deferred::member(std::int64_t id) const {
  for (const auto& [key, member] : members)
    if (member.id == id) return &member;
  return nullptr;
}

void PostgresStore::prefetch_numbers(const std::vector<std::string>& e164s) {
  if (!in_write_ || e164s.empty()) return;
  flush_deferred();
  auto found = records(std::string("SELECT ") + number_columns + number_joins + " WHERE n.e164 = ANY($1::text[])",
                       pg::Params().text(text_array(e164s)));
  auto teams = db_.exec("SELECT id, name, emergency_address FROM teams");
  auto members = db_.exec("SELECT m.id, m.name, t.name FROM members m LEFT JOIN teams t ON t.id = m.team_id");
  deferred_.on = true;
  for (int i = 0; i < teams.rows(); ++i)
    deferred_.teams.emplace(folded(teams.view(i, 1)),
                            Deferred::Team{teams.integer(i, 0), teams.text(i, 1), teams.optional(i, 2)});
  for (int i = 0; i < members.rows(); ++i)
    deferred_.members.emplace(folded(members.view(i, 1)),
                              Deferred::Member{members.integer(i, 0), members.text(i, 1), members.optional(i, 2)});
  for (auto& record : found) {
    deferred_.e164_of.emplace(record.id, record.e164);
    deferred_.numbers.emplace(record.e164, std::move(record));
  }
  for (const auto& e164 : e164s)
    if (!deferred_.numbers.contains(e164)) deferred_.absent.insert(e164);
}

void PostgresStore::watch_statements() {
  db_.before_statements([this] { flush_deferred(); });
}

void PostgresStore::drop_deferred() noexcept { deferred_ = Deferred{}; }

namespace {

// The id of the team or member named `name` (folded), from what the batch read.
template <typename Named>
std::optional<std::int64_t> held_id(const std::unordered_map<std::string, Named>& held, std::string_view name) {
  auto it = held.find(folded(name));
  return it == held.end() ? std::nullopt : std::optional(it->second.id);
}

}  // namespace

std::optional<std::int64_t> PostgresStore::id_named(std::string_view table, std::string_view name) {
  auto r =
      db_.exec("SELECT id FROM " + std::string(table) + " WHERE lower(name) = lower($1 COLLATE \"C\")", pg::Params().text(name));
  return r.rows() ? std::optional(r.integer(0, 0)) : std::nullopt;
}

std::optional<std::int64_t> PostgresStore::team_id(std::string_view name) {
  return deferred_.on ? held_id(deferred_.teams, name) : id_named("teams", name);
}

std::optional<std::int64_t> PostgresStore::member_id(std::string_view name) {
  return deferred_.on ? held_id(deferred_.members, name) : id_named("members", name);
}

std::optional<std::string> PostgresStore::team_address(std::int64_t team_id) {
  if (deferred_.on)
    if (const auto* team = deferred_.team(team_id)) return team->address;
  auto r = db_.exec("SELECT emergency_address FROM teams WHERE id = $1", pg::Params().integer(team_id));
  return r.rows() ? r.optional(0, 0) : std::nullopt;
}

void PostgresStore::set_assignment(std::int64_t number_id, std::optional<std::int64_t> team, std::optional<std::int64_t> member) {
  if (deferred_.on) {
    const auto* to_team = team ? deferred_.team(*team) : nullptr;
    const auto* to_member = member ? deferred_.member(*member) : nullptr;
    auto e164 = deferred_.e164_of.find(number_id);
    if ((!team || to_team) && (!member || to_member) && e164 != deferred_.e164_of.end()) {
      auto& side = deferred_.side[number_id];
      side.assign = true;
      side.team = team;
      side.member = member;
      // What find_number answers from now on, as its joins would name them.
      auto& record = deferred_.numbers.at(e164->second);
      record.team = to_team ? std::optional(to_team->name) : to_member ? to_member->team : std::nullopt;
      record.member = to_member ? std::optional(to_member->name) : std::nullopt;
      return;
    }
  }
  db_.exec("UPDATE numbers SET team_id = $2, member_id = $3 WHERE id = $1",
           pg::Params().integer(number_id).optional(team).optional(member));
}

void PostgresStore::note_risk_change(std::int64_t number_id, const std::string& by, const std::string& at_iso) {
  if (deferred_.on && deferred_.e164_of.contains(number_id)) {
    auto& side = deferred_.side[number_id];
    side.risk = true;
    side.risk_by = by;
    side.risk_at = at_iso;
    return;
  }
  db_.exec("UPDATE numbers SET risk_set_by = $2, risk_changed_at = $3 WHERE id = $1",
           pg::Params().integer(number_id).text(by).text(at_iso));
}

void PostgresStore::flush_deferred() {
  if (!deferred_.on || deferred_.flushing) return;
  Deferred held = std::move(deferred_);
  deferred_ = Deferred{};
  deferred_.flushing = true;
  struct Done {
    Deferred& d;
    ~Done() { d.flushing = false; }
  } done{deferred_};
  // One row a changed number: its columns as changed (or as read, when only the assignment or
  // the risk's author changed), and which of those two it sets.
  for (const auto& [id, side] : held.side)
    if (!held.changed_ids.contains(id)) held.changed.push_back(held.e164_of.at(id));
  if (!held.changed.empty()) {
    static const std::string columns = "id, type, display, country, " + store::mutable_column_list() +
                                       ", assign, team_id, member_id, risk, risk_set_by, risk_changed_at";
    static const std::string update = [] {
      std::string sql = "UPDATE numbers n SET type = c.type, display = c.display, country = c.country";
      for (auto column : store::mutable_number_columns) sql += ", " + std::string(column) + " = c." + std::string(column);
      for (std::string_view column : {"team_id", "member_id"})
        sql += fmt::format(", {0} = CASE WHEN c.assign THEN c.{0} ELSE n.{0} END", column);
      for (std::string_view column : {"risk_set_by", "risk_changed_at"})
        sql += fmt::format(", {0} = CASE WHEN c.risk THEN c.{0} ELSE n.{0} END", column);
      return sql + " FROM numctl_changed c WHERE n.id = c.id";
    }();
    db_.exec("CREATE TEMP TABLE IF NOT EXISTS numctl_changed ON COMMIT DROP AS SELECT id, type, display, country, " +
             store::mutable_column_list() +
             ", false AS assign, team_id, member_id, false AS risk, risk_set_by, risk_changed_at FROM numbers WITH NO DATA");
    db_.exec("TRUNCATE numctl_changed");
    const Deferred::Side none;
    copy_rows(db_, "COPY numctl_changed (" + columns + ") FROM STDIN", held.changed.size(),
              [&](std::string& chunk, std::size_t i) {
                const auto& r = held.numbers.at(held.changed[i]);
                auto side = held.side.find(r.id);
                const auto& s = side == held.side.end() ? none : side->second;
                chunk += std::to_string(r.id);
                CopyBinder bind{chunk};
                bind.text(to_string(r.type));
                bind.text(r.display);
                bind.text(r.country);
                store::bind_mutable(bind, r);
                bind.text(s.assign ? "t" : "f");
                bind.optional(s.team);
                bind.optional(s.member);
                bind.text(s.risk ? "t" : "f");
                bind.optional(s.risk ? std::optional(s.risk_by) : std::nullopt);
                bind.optional(s.risk ? std::optional(s.risk_at) : std::nullopt);
              },
              {});
    db_.exec(update);
  }
  if (!held.audit.empty())
    copy_rows(db_, "COPY audit (at, actor, action, number, from_status, to_status, details) FROM STDIN", held.audit.size(),
              [&](std::string& chunk, std::size_t i) {
                const auto& e = held.audit[i];
                pg::copy_field(chunk, e.at);
                CopyBinder bind{chunk};
                bind.text(e.actor);
                bind.text(e.action);
                bind.text(e.number);
                bind.optional(e.from_status);
                bind.optional(e.to_status);
                bind.text(e.details);
              },
              {});
}

}  // namespace numctl::postgres
