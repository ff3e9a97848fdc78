// The PostgreSQL engine's set-based batches. A batch (cancel, restore, assign, flag, ...) names
// its numbers first: one statement reads them all, with the teams and members; from then on the
// batch's changes to them and its audit rows are held here, answered from memory, and written
// with one statement each (flush_deferred) before any other statement is sent and before COMMIT,
// instead of a round trip or two a number.
#include "store_impl.hpp"

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

std::optional<std::int64_t> PostgresStore::team_id(std::string_view name) {
  if (deferred_.on) {
    auto it = deferred_.teams.find(folded(name));
    return it == deferred_.teams.end() ? std::nullopt : std::optional(it->second.id);
  }
  auto r = db_.exec("SELECT id FROM teams WHERE lower(name) = lower($1 COLLATE \"C\")", pg::Params().text(name));
  if (!r.rows()) return std::nullopt;
  return r.integer(0, 0);
}

std::optional<std::int64_t> PostgresStore::member_id(std::string_view name) {
  if (deferred_.on) {
    auto it = deferred_.members.find(folded(name));
    return it == deferred_.members.end() ? std::nullopt : std::optional(it->second.id);
  }
  auto r = db_.exec("SELECT id FROM members WHERE lower(name) = lower($1 COLLATE \"C\")", pg::Params().text(name));
  if (!r.rows()) return std::nullopt;
  return r.integer(0, 0);
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
  if (deferred_.on) {
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
  if (!held.updates.empty()) {
    static const std::string columns = "id, type, display, country, " + store::mutable_column_list();
    static const std::string update = [] {
      std::string sql = "UPDATE numbers n SET type = c.type, display = c.display, country = c.country";
      for (auto column : store::mutable_number_columns) sql += ", " + std::string(column) + " = c." + std::string(column);
      return sql + " FROM numctl_changed c WHERE n.id = c.id";
    }();
    db_.exec("CREATE TEMP TABLE IF NOT EXISTS numctl_changed ON COMMIT DROP AS SELECT " + columns + " FROM numbers WITH NO DATA");
    db_.exec("TRUNCATE numctl_changed");
    copy_rows(db_, "COPY numctl_changed (" + columns + ") FROM STDIN", held.updates.size(),
              [&](std::string& chunk, std::size_t i) {
                const auto& r = held.updates[i];
                chunk += std::to_string(r.id);
                CopyBinder bind{chunk};
                bind.text(to_string(r.type));
                bind.text(r.display);
                bind.text(r.country);
                store::bind_mutable(bind, r);
              },
              {});
    db_.exec(update);
  }
  if (!held.side.empty()) flush_side(held.side);
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

void PostgresStore::flush_side(const std::unordered_map<std::int64_t, Deferred::Side>& side) {
  db_.exec(
      "CREATE TEMP TABLE IF NOT EXISTS numctl_side (id bigint, assign boolean, team_id bigint, member_id bigint,"
      " risk boolean, risk_set_by text, risk_changed_at text) ON COMMIT DROP");
  db_.exec("TRUNCATE numctl_side");
  std::vector<std::pair<std::int64_t, const Deferred::Side*>> rows;
  rows.reserve(side.size());
  for (const auto& [id, s] : side) rows.emplace_back(id, &s);
  copy_rows(db_, "COPY numctl_side FROM STDIN", rows.size(),
            [&](std::string& chunk, std::size_t i) {
              const auto& [id, s] = rows[i];
              chunk += std::to_string(id);
              CopyBinder bind{chunk};
              bind.text(s->assign ? "t" : "f");
              bind.optional(s->team);
              bind.optional(s->member);
              bind.text(s->risk ? "t" : "f");
              bind.optional(s->risk ? std::optional(s->risk_by) : std::nullopt);
              bind.optional(s->risk ? std::optional(s->risk_at) : std::nullopt);
            },
            {});
  db_.exec(
      "UPDATE numbers n SET team_id = CASE WHEN s.assign THEN s.team_id ELSE n.team_id END,"
      " member_id = CASE WHEN s.assign THEN s.member_id ELSE n.member_id END,"
      " risk_set_by = CASE WHEN s.risk THEN s.risk_set_by ELSE n.risk_set_by END,"
      " risk_changed_at = CASE WHEN s.risk THEN s.risk_changed_at ELSE n.risk_changed_at END"
      " FROM numctl_side s WHERE n.id = s.id");
}

}  // namespace numctl::postgres
