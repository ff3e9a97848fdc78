// The SQLite store: schema and migrations, and every query numctl runs.
#include "numctl/store.hpp"
#include "numctl/error.hpp"
#include "numctl/lifecycle.hpp"
#include "row_feed.hpp"
#include "text.hpp"

#include <SQLiteCpp/Backup.h>
#include <SQLiteCpp/SQLiteCpp.h>
#include <sqlite3.h>

#include <algorithm>
#include <cerrno>
#include <map>
#include <cstring>
#include <fcntl.h>
#include <unistd.h>

namespace numctl {
namespace fs = std::filesystem;

namespace {

// Each entry moves the schema one version forward; never edit one that has shipped.
const char* const migrations[] = {
    R"sql(
CREATE TABLE teams (
  id INTEGER PRIMARY KEY,
  name TEXT NOT NULL UNIQUE COLLATE NOCASE,
  created_at TEXT NOT NULL
);
CREATE TABLE members (
  id INTEGER PRIMARY KEY,
  name TEXT NOT NULL UNIQUE COLLATE NOCASE,
  team_id INTEGER REFERENCES teams(id),
  created_at TEXT NOT NULL
);
CREATE INDEX members_team ON members(team_id);
CREATE TABLE numbers (
  id INTEGER PRIMARY KEY,
  e164 TEXT NOT NULL UNIQUE,
  display TEXT NOT NULL,
  national_digits TEXT NOT NULL,
  country TEXT NOT NULL,
  type TEXT NOT NULL CHECK (type IN ('local', 'mobile', 'toll_free')),
  status TEXT NOT NULL CHECK (status IN ('pending', 'active', 'high_risk', 'to_be_cancelled', 'cancelled')),
  previous_status TEXT,
  team_id INTEGER REFERENCES teams(id),
  member_id INTEGER REFERENCES members(id),
  label TEXT,
  risk_reason TEXT,
  cancel_reason TEXT,
  bought_at TEXT,
  activated_at TEXT,
  cancel_requested_at TEXT,
  release_at TEXT,
  replaced_by TEXT,
  replaces TEXT,
  CHECK (team_id IS NULL OR member_id IS NULL)
);
CREATE INDEX numbers_filter ON numbers(country, type, status);
CREATE INDEX numbers_status ON numbers(status, type);
CREATE INDEX numbers_release ON numbers(release_at) WHERE status = 'to_be_cancelled';
CREATE INDEX numbers_pending ON numbers(bought_at) WHERE status = 'pending';
CREATE INDEX numbers_team ON numbers(team_id) WHERE team_id IS NOT NULL;
CREATE INDEX numbers_member ON numbers(member_id) WHERE member_id IS NOT NULL;
-- Digit substrings of the international and national forms, for search.
CREATE VIRTUAL TABLE numbers_digits USING fts5(digits, content='', tokenize='trigram');
CREATE TABLE audit (
  id INTEGER PRIMARY KEY,
  at TEXT NOT NULL,
  actor TEXT NOT NULL,
  action TEXT NOT NULL,
  number TEXT NOT NULL,
  from_status TEXT,
  to_status TEXT,
  details TEXT NOT NULL DEFAULT '{}'
);
CREATE INDEX audit_number ON audit(number, id);
CREATE TABLE documents (
  id INTEGER PRIMARY KEY,
  number_id INTEGER NOT NULL REFERENCES numbers(id),
  kind TEXT NOT NULL,
  filename TEXT NOT NULL,
  size INTEGER NOT NULL,
  sha256 TEXT NOT NULL,
  content BLOB NOT NULL,
  submitted_at TEXT NOT NULL,
  state TEXT NOT NULL DEFAULT 'submitted' CHECK (state IN ('submitted', 'rejected')),
  rejection_reason TEXT
);
CREATE INDEX documents_number ON documents(number_id, kind);
)sql",
    // 2: stats by team reads assignments from a covering index instead of the table.
    R"sql(
CREATE INDEX numbers_assignee ON numbers(team_id, member_id, status);
)sql",
    // 3: the trigram index keeps no positions (a third of the size, and imports write less);
    // search asks for every trigram of the digits, then checks the digits themselves.
    R"sql(
DROP TABLE numbers_digits;
CREATE VIRTUAL TABLE numbers_digits USING fts5(digits, content='', tokenize='trigram', detail='none');
INSERT INTO numbers_digits (rowid, digits) SELECT id, substr(e164, 2) || ' ' || national_digits FROM numbers ORDER BY id;
)sql",
    // 4: less to write for every number added. numbers_assignee leads with team_id, so a team
    // index of its own only repeated it; the trigram index keeps no document sizes (they serve
    // ranking, which search does not do).
    R"sql(
DROP INDEX IF EXISTS numbers_team;
DROP TABLE numbers_digits;
CREATE VIRTUAL TABLE numbers_digits USING fts5(digits, content='', tokenize='trigram', detail='none', columnsize=0);
INSERT INTO numbers_digits (rowid, digits) SELECT id, numctl_search_text(e164, national_digits) FROM numbers ORDER BY id;
)sql",
};
constexpr int latest_version = static_cast<int>(std::size(migrations));

// The text the trigram index holds for a number: its international digits, then what of its
// national form they do not already hold. A national form is mostly a trunk prefix ("0")
// before the national significant number, which also ends the international digits: only the
// trigrams starting in that prefix are new, so the prefix and the two digits after it suffice
// (a third fewer index entries to write). A national form that is the significant number
// adds nothing; one that shares no ending is kept whole.
std::string search_text(std::string_view e164, std::string_view national) {
  std::string_view digits = e164.substr(1);
  std::size_t shared_from = 0;  // where the longest ending shared with the digits begins
  while (shared_from < national.size() && !digits.ends_with(national.substr(shared_from))) ++shared_from;
  std::string out(digits);
  if (shared_from == 0) return out;
  out += ' ';
  out += national.substr(0, shared_from + 2);
  return out;
}

// search_text for SQL statements: numctl_search_text(e164, national_digits).
void search_text_function(sqlite3_context* ctx, int, sqlite3_value** args) {
  auto view = [](sqlite3_value* v) {
    const auto* text = reinterpret_cast<const char*>(sqlite3_value_text(v));
    return text ? std::string_view(text, static_cast<std::size_t>(sqlite3_value_bytes(v))) : std::string_view();
  };
  std::string_view e164 = view(args[0]);
  if (e164.empty()) return sqlite3_result_null(ctx);
  std::string text = search_text(e164, view(args[1]));
  sqlite3_result_text(ctx, text.data(), static_cast<int>(text.size()), SQLITE_TRANSIENT);
}

// Makes numctl_search_text callable on a connection: by migrations and by bulk inserts.
void register_search_text(sqlite3* db) {
  sqlite3_create_function_v2(db, "numctl_search_text", 2, SQLITE_UTF8 | SQLITE_DETERMINISTIC | SQLITE_DIRECTONLY,
                             nullptr, search_text_function, nullptr, nullptr, nullptr);
}

constexpr const char* number_columns =
    "n.id, n.e164, n.display, n.country, n.type, n.status, n.previous_status, "
    "COALESCE(t.name, mt.name), m.name, n.label, n.risk_reason, n.cancel_reason, n.bought_at, "
    "n.activated_at, n.cancel_requested_at, n.release_at, n.replaced_by, n.replaces";
constexpr const char* number_joins =
    " FROM numbers n LEFT JOIN teams t ON t.id = n.team_id LEFT JOIN members m ON m.id = n.member_id"
    " LEFT JOIN teams mt ON mt.id = m.team_id";

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
}

void bind_optional(SQLite::Statement& statement, int index, const std::optional<std::string>& value) {
  if (value) statement.bind(index, *value);
  else statement.bind(index);
}

void bind_optional(SQLite::Statement& statement, int index, const std::optional<std::int64_t>& value) {
  if (value) statement.bind(index, static_cast<int64_t>(*value));
  else statement.bind(index);
}

std::string explain_sqlite_error(const SQLite::Exception& error, const fs::path& path) {
  switch (error.getErrorCode()) {
    case SQLITE_NOTADB:
    case SQLITE_CORRUPT:
      return path.string() + " is not a numctl database or is damaged (" + error.what() +
             "); restore it from a backup or point --db elsewhere";
    case SQLITE_READONLY:
      return "database " + path.string() + " is read-only (" + error.what() +
             "); check the permissions of the file and its directory";
    case SQLITE_BUSY:
    case SQLITE_LOCKED:
      return "database " + path.string() + " stayed busy: another numctl is writing; try again";
    case SQLITE_FULL: return "disk full while writing " + path.string() + "; nothing was changed";
    case SQLITE_CANTOPEN:
      return "cannot open database " + path.string() + " (" + error.what() + "); check the path and permissions";
    case SQLITE_IOERR:
      if (error.getExtendedErrorCode() == SQLITE_IOERR_WRITE || error.getExtendedErrorCode() == SQLITE_IOERR_FSYNC)
        return "cannot write to database " + path.string() + " (disk full, quota or file size limit?); nothing was changed";
      return "I/O error on database " + path.string() + " (" + error.what() + "); nothing was changed";
    default: return "database " + path.string() + ": " + error.what();
  }
}

// Orders a listing; every order ends with the number so pages are stable.
std::string order_clause(const Sort& sort) {
  std::string dir = sort.descending ? " DESC" : " ASC";
  std::string nulls = sort.descending ? " NULLS FIRST" : " NULLS LAST";
  switch (sort.field) {
    case SortField::number: return " ORDER BY n.e164" + dir;
    case SortField::country: return " ORDER BY n.country" + dir + ", n.e164";
    case SortField::type: return " ORDER BY n.type" + dir + ", n.e164";
    case SortField::status: return " ORDER BY n.status" + dir + ", n.e164";
    case SortField::team: return " ORDER BY COALESCE(t.name, mt.name)" + dir + nulls + ", n.e164";
    case SortField::member: return " ORDER BY m.name" + dir + nulls + ", n.e164";
    case SortField::label: return " ORDER BY n.label" + dir + nulls + ", n.e164";
    case SortField::bought_at: return " ORDER BY n.bought_at" + dir + nulls + ", n.e164";
    case SortField::release_at: return " ORDER BY n.release_at" + dir + nulls + ", n.e164";
  }
  return " ORDER BY n.e164";
}

// A WHERE clause with its parameters, built from a Filter; values are always bound, never pasted.
struct Where {
  std::string sql;
  std::vector<std::string> text_values;
  std::vector<std::int64_t> int_values;
  std::vector<char> kinds;  // 't' text, 'i' integer, in bind order

  void text(const std::string& v) { text_values.push_back(v); kinds.push_back('t'); }
  void integer(std::int64_t v) { int_values.push_back(v); kinds.push_back('i'); }
  void clause(const std::string& c) { sql += sql.empty() ? " WHERE " : " AND "; sql += c; }

  template <typename Items, typename Name>
  void in_list(const std::string& column, const Items& items, Name name) {
    std::string c = column + " IN (";
    for (std::size_t i = 0; i < items.size(); ++i) {
      c += i ? ",?" : "?";
      text(std::string(name(items[i])));
    }
    clause(c + ")");
  }

  void bind(SQLite::Statement& statement, int first = 1) const {
    std::size_t t = 0, i = 0;
    int index = first;
    for (char kind : kinds) {
      if (kind == 't') statement.bind(index++, text_values[t++]);
      else statement.bind(index++, static_cast<int64_t>(int_values[i++]));
    }
  }
};

}  // namespace

struct Store::Impl {
  fs::path path;
  SQLite::Database db;
  std::optional<SQLite::Statement> find_by_e164, insert, insert_digits, update, audit, set_assignment;
  row_feed::Source feed;  // what numctl_new_numbers shows during insert_numbers
  bool feed_registered = false;

  // Writers wait up to 20 s for each other (a large import holds the lock for seconds);
  // readers never wait in WAL mode.
  Impl(const fs::path& p, int flags) : path((configure_sqlite(), p)), db(p.string(), flags | SQLITE_OPEN_NOMUTEX, 20000) {}

  // Once per process, before SQLite starts: no allocation statistics, which would take a global
  // mutex on every malloc. Each connection is used by one thread (SQLITE_OPEN_NOMUTEX).
  static bool configure_sqlite() {
    static const int status = sqlite3_config(SQLITE_CONFIG_MEMSTATUS, 0);  // refused once started: fine
    return status == SQLITE_OK;
  }

  SQLite::Statement& cached(std::optional<SQLite::Statement>& slot, const char* sql) {
    if (!slot) slot.emplace(db, sql);
    slot->reset();
    slot->clearBindings();
    return *slot;
  }

  // Resolves team/member names in a Filter to ids; an unknown name matches nothing.
  enum class Shape { listing, counting };
  Where where(const Filter& filter, Shape shape = Shape::listing) {
    Where w;
    // A digit search is driven by the trigram index; the other columns must not offer an
    // index of their own ("+" makes a term unindexable), or SQLite walks them instead.
    const std::string col = filter.digits ? "+n." : "n.";
    if (!filter.statuses.empty()) {
      w.in_list(col + "status", filter.statuses, [](Status s) { return to_string(s); });
    } else if (!filter.include_cancelled) {
      std::vector<Status> listed, hidden;
      for (Status s : all_statuses)
        (lifecycle::listed_by_default(s) ? listed : hidden).push_back(s);
      // Listings name the shown statuses: SQLite reads them through (status, type) and sorts,
      // faster than walking the number index with a lookup per row. Counts exclude the hidden
      // ones (NOT IN), which lets SQLite scan a covering index.
      if (shape == Shape::listing || !filter.types.empty()) {
        w.in_list(col + "status", listed, [](Status s) { return to_string(s); });
      } else if (!hidden.empty()) {
        std::string c = col + "status NOT IN (";
        for (std::size_t i = 0; i < hidden.size(); ++i) {
          c += i ? ",?" : "?";
          w.text(std::string(to_string(hidden[i])));
        }
        w.clause(c + ")");
      }
    }
    if (!filter.types.empty()) w.in_list(col + "type", filter.types, [](NumberType t) { return to_string(t); });
    if (!filter.countries.empty())
      w.in_list(col + "country", filter.countries, [](const std::string& c) { return c; });
    if (filter.assigned) {
      w.clause(*filter.assigned ? "(n.team_id IS NOT NULL OR n.member_id IS NOT NULL)"
                                : "(n.team_id IS NULL AND n.member_id IS NULL)");
    }
    if (filter.team) {
      w.clause("(n.team_id = (SELECT id FROM teams WHERE name = ?) OR n.member_id IN "
               "(SELECT m2.id FROM members m2 JOIN teams t2 ON t2.id = m2.team_id WHERE t2.name = ?))");
      w.text(*filter.team);
      w.text(*filter.team);
    }
    if (filter.member) {
      w.clause("n.member_id = (SELECT id FROM members WHERE name = ?)");
      w.text(*filter.member);
    }
    if (filter.digits) {
      // Three digits or more: the rows holding every trigram of them (the index keeps no
      // positions, so "12 345" would also match "12345"), then the exact check on those.
      if (filter.digits->size() >= 3) {
        std::string trigrams;
        for (std::size_t i = 0; i + 3 <= filter.digits->size(); ++i)
          trigrams += (i ? " AND \"" : "\"") + filter.digits->substr(i, 3) + "\"";
        w.clause("n.id IN (SELECT rowid FROM numbers_digits WHERE numbers_digits MATCH ?)");
        w.text(trigrams);
      }
      w.clause("(instr(n.e164, ?) > 0 OR instr(n.national_digits, ?) > 0)");
      w.text(*filter.digits);
      w.text(*filter.digits);
    }
    return w;
  }

  std::string listing_sql(const Filter& filter, const Sort& sort, const Page& page, Where& w) {
    w = where(filter);
    std::string sql = std::string("SELECT ") + number_columns + number_joins + w.sql + order_clause(sort);
    if (page.limit || page.offset) {
      sql += " LIMIT " + std::to_string(page.limit.value_or(-1)) + " OFFSET " + std::to_string(page.offset);
    }
    return sql;
  }
};

template <typename Work>
static auto guarded(const fs::path& path, Work&& work) {
  try {
    return work();
  } catch (const SQLite::Exception& error) {
    fail(ErrorCategory::database, explain_sqlite_error(error, path));
  }
}

int Store::schema_version() { return latest_version; }

Store::Store(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
Store::~Store() = default;
fs::path Store::path() const { return impl_->path; }

namespace {

// Brings a database to the latest schema inside one write transaction. Another process may
// have migrated while this one waited for the lock, so the version is read again under it.
void migrate(SQLite::Database& db, const fs::path& path) {
  register_search_text(db.getHandle());
  db.exec("BEGIN IMMEDIATE");
  try {
    int version = db.execAndGet("PRAGMA user_version").getInt();
    if (version > latest_version)
      fail(ErrorCategory::database, path.string() + " was written by a newer numctl; upgrade numctl to use it");
    for (int v = version; v < latest_version; ++v) db.exec(migrations[v]);
    db.exec("PRAGMA user_version = " + std::to_string(latest_version));
    db.exec("COMMIT");
  } catch (...) {
    db.exec("ROLLBACK");
    throw;
  }
}

// A new database is built complete under a temporary name and then linked into place, so no
// process ever sees a half-created file, and of several creating at once exactly one wins.
void create_database(const fs::path& path) {
  fs::path temporary = path;
  temporary += ".new-" + std::to_string(::getpid());
  int fd = ::open(temporary.c_str(), O_CREAT | O_EXCL | O_WRONLY | O_CLOEXEC, 0600);
  if (fd < 0)
    fail(ErrorCategory::database, "cannot create database " + path.string() + ": " + std::strerror(errno) +
                                      "; check that its directory is writable or pass --db");
  ::close(fd);
  std::error_code ignored;
  try {
    {
      SQLite::Database db(temporary.string(), SQLite::OPEN_READWRITE);
      db.exec("PRAGMA journal_mode = WAL");
      migrate(db, path);
    }  // closing checkpoints the WAL into the file
    if (::link(temporary.c_str(), path.c_str()) != 0 && errno != EEXIST)
      fail(ErrorCategory::database, "cannot create database " + path.string() + ": " + std::strerror(errno));
  } catch (const SQLite::Exception& error) {
    fs::remove(temporary, ignored);
    fail(ErrorCategory::database, explain_sqlite_error(error, path));
  } catch (...) {
    fs::remove(temporary, ignored);
    throw;
  }
  fs::remove(temporary, ignored);
}

}  // namespace

std::unique_ptr<Store> Store::open(const fs::path& path) {
  std::error_code ec;
  fs::path parent = path.parent_path();
  if (!parent.empty() && !fs::exists(parent, ec)) {
    fs::create_directories(parent, ec);
    if (ec)
      fail(ErrorCategory::database, "cannot create directory " + parent.string() + " for the database: " +
                                        ec.message());
  }
  if (!fs::exists(path, ec)) create_database(path);
  return guarded(path, [&] {
    auto impl = std::make_unique<Impl>(path, SQLite::OPEN_READWRITE);
    auto& db = impl->db;
    int version = db.execAndGet("PRAGMA user_version").getInt();
    if (version > latest_version)
      fail(ErrorCategory::database,
           path.string() + " was written by a newer numctl (schema version " + std::to_string(version) +
               ", this numctl knows up to " + std::to_string(latest_version) +
               "); upgrade numctl to use it. The file was not modified");
    db.exec("PRAGMA foreign_keys = ON");
    if (version < latest_version) {
      if (version == 0) db.exec("PRAGMA journal_mode = WAL");  // an empty file someone created
      migrate(db, path);
    }
    db.exec("PRAGMA synchronous = NORMAL");
    return std::unique_ptr<Store>(new Store(std::move(impl)));
  });
}

Store::Transaction::Transaction(Store& store) : store_(store) {
  guarded(store_.impl_->path, [&] {
    // A large batch touches many pages: a bigger cache (64 MiB at most, used only as needed)
    // keeps them in memory instead of re-reading them from the WAL. Reads keep the default
    // small cache, so streaming a million numbers stays in a few MiB.
    store_.impl_->db.exec("PRAGMA cache_size = -65536");
    store_.impl_->db.exec("BEGIN IMMEDIATE");
  });
}

Store::Transaction::~Transaction() {
  if (open_) {
    try {
      store_.impl_->db.exec("ROLLBACK");
    } catch (...) {
    }
  }
}

void Store::Transaction::commit() {
  guarded(store_.impl_->path, [&] { store_.impl_->db.exec("COMMIT"); });
  open_ = false;
}

void Store::expect_scattered_changes(std::size_t count) {
  // About one table page and one page of each index per number, 4 KiB each (measured: a
  // 50k-number cancel on a million went from 3.1 s to 2.5 s with 256 MiB instead of 64).
  std::size_t kib = std::clamp<std::size_t>(count * 5, 65536, 262144);
  guarded(impl_->path, [&] { impl_->db.exec("PRAGMA cache_size = -" + std::to_string(kib)); });
}

std::optional<NumberRecord> Store::find_number(std::string_view e164) {
  return guarded(impl_->path, [&]() -> std::optional<NumberRecord> {
    static const std::string sql = std::string("SELECT ") + number_columns + number_joins + " WHERE n.e164 = ?";
    auto& q = impl_->cached(impl_->find_by_e164, sql.c_str());
    q.bind(1, std::string(e164));
    if (!q.executeStep()) return std::nullopt;
    NumberRecord record;
    read_record(q, record);
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
}
}  // namespace

bool Store::insert_number(NumberRecord& record, std::optional<std::int64_t> team_id, std::optional<std::int64_t> member_id) {
  return guarded(impl_->path, [&] {
    auto& q = impl_->cached(impl_->insert,
        "INSERT INTO numbers (e164, display, national_digits, country, type, status, previous_status, team_id, member_id,"
        " label, risk_reason, cancel_reason, bought_at, activated_at, cancel_requested_at, release_at, replaced_by, replaces)"
        " VALUES (:e164, :display, :national_digits, :country, :type, :status, :previous_status, :team_id, :member_id,"
        " :label, :risk_reason, :cancel_reason, :bought_at, :activated_at, :cancel_requested_at, :release_at,"
        " :replaced_by, :replaces) ON CONFLICT (e164) DO NOTHING");
    q.bind(":e164", record.e164);
    q.bind(":display", record.display);
    q.bind(":national_digits", record.national_digits);
    q.bind(":country", record.country);
    q.bind(":type", std::string(to_string(record.type)));
    bind_optional(q, q.getIndex(":team_id"), team_id);
    bind_optional(q, q.getIndex(":member_id"), member_id);
    bind_mutable_fields(q, record);
    if (q.exec() == 0) return false;
    record.id = impl_->db.getLastInsertRowid();
    auto& fts = impl_->cached(impl_->insert_digits, "INSERT INTO numbers_digits (rowid, digits) VALUES (?, ?)");
    fts.bind(1, static_cast<int64_t>(record.id));
    fts.bind(2, search_text(record.e164, record.national_digits));
    fts.exec();
    return true;
  });
}

std::vector<std::size_t> Store::insert_numbers(const std::vector<const NewNumber*>& rows, const std::string& audit_at,
                                              const std::string& actor, const std::string& action,
                                              const std::function<void(std::size_t)>& progress) {
  return guarded(impl_->path, [&] {
    std::vector<std::size_t> taken;
    if (rows.empty()) return taken;
    auto& impl = *impl_;
    if (!impl.feed_registered) {
      row_feed::register_on(impl.db.getHandle(), &impl.feed);
      register_search_text(impl.db.getHandle());
      impl.feed_registered = true;
    }
    impl.feed = {&rows, &progress};
    struct Detach {
      row_feed::Source& feed;
      ~Detach() { feed = {}; }
    } detach{impl.feed};
    // New rows get ids above the largest one, in row order: the search entries and audit rows
    // that follow are written in id order, which keeps the full-text index appending.
    std::int64_t before = impl.db.execAndGet("SELECT coalesce(max(id), 0) FROM numbers").getInt64();
    SQLite::Statement insert(impl.db,
        "INSERT INTO numbers (e164, display, national_digits, country, type, status, previous_status, team_id,"
        " member_id, label, bought_at, activated_at, cancel_requested_at, release_at)"
        " SELECT e164, display, national_digits, country, type, status, previous_status, team_id, member_id, label,"
        " bought_at, activated_at, cancel_requested_at, release_at FROM numctl_new_numbers WHERE true"
        " ON CONFLICT (e164) DO NOTHING");
    auto added = static_cast<std::size_t>(insert.exec());
    impl.feed.progress = nullptr;
    if (added != rows.size()) {
      SQLite::Statement q(impl.db,
          "SELECT f.rowid - 1 FROM numctl_new_numbers f JOIN numbers n ON n.e164 = f.e164 WHERE n.id <= ? ORDER BY 1");
      q.bind(1, static_cast<int64_t>(before));
      while (q.executeStep()) taken.push_back(static_cast<std::size_t>(q.getColumn(0).getInt64()));
      return taken;
    }
    SQLite::Statement digits(impl.db,
        "INSERT INTO numbers_digits (rowid, digits) SELECT id, numctl_search_text(e164, national_digits)"
        " FROM numbers WHERE id > ? ORDER BY id");
    digits.bind(1, static_cast<int64_t>(before));
    digits.exec();
    SQLite::Statement audit(impl.db,
        "INSERT INTO audit (at, actor, action, number, from_status, to_status, details)"
        " SELECT ?1, ?2, ?3, e164, NULL, status, audit_details FROM numctl_new_numbers");
    audit.bind(1, audit_at);
    audit.bind(2, actor);
    audit.bind(3, action);
    audit.exec();
    return taken;
  });
}

void Store::update_number(const NumberRecord& record) {
  guarded(impl_->path, [&] {
    auto& q = impl_->cached(impl_->update,
        "UPDATE numbers SET status = :status, previous_status = :previous_status, label = :label,"
        " risk_reason = :risk_reason, cancel_reason = :cancel_reason, bought_at = :bought_at,"
        " activated_at = :activated_at, cancel_requested_at = :cancel_requested_at, release_at = :release_at,"
        " replaced_by = :replaced_by, replaces = :replaces WHERE id = :id");
    bind_mutable_fields(q, record);
    q.bind(":id", static_cast<int64_t>(record.id));
    q.exec();
  });
}

void Store::for_each_number(const Filter& filter, const Sort& sort, const Page& page,
                            const std::function<void(const NumberRecord&)>& visit) {
  guarded(impl_->path, [&] {
    Where w;
    std::string sql = impl_->listing_sql(filter, sort, page, w);
    SQLite::Statement q(impl_->db, sql);
    w.bind(q);
    NumberRecord record;
    while (q.executeStep()) {
      read_record(q, record);
      visit(record);
    }
  });
}

std::vector<std::string> Store::explain_listing(const Filter& filter, const Sort& sort, const Page& page) {
  return guarded(impl_->path, [&] {
    Where w;
    std::string sql = "EXPLAIN QUERY PLAN " + impl_->listing_sql(filter, sort, page, w);
    SQLite::Statement q(impl_->db, sql);
    w.bind(q);
    std::vector<std::string> plan;
    while (q.executeStep()) plan.push_back(q.getColumn(3).getString());
    return plan;
  });
}

std::vector<std::string> Store::numbers_starting_with(std::string_view prefix, std::size_t limit) {
  return guarded(impl_->path, [&] {
    // A range on the unique index: every string that starts with the prefix sorts in [prefix, prefix+'~').
    SQLite::Statement q(impl_->db,
                        "SELECT e164 FROM numbers WHERE e164 >= ?1 AND e164 < ?1 || '~' AND status <> 'cancelled'"
                        " ORDER BY e164 LIMIT ?2");
    q.bind(1, std::string(prefix));
    q.bind(2, static_cast<int64_t>(limit));
    std::vector<std::string> out;
    while (q.executeStep()) out.push_back(q.getColumn(0).getString());
    return out;
  });
}

std::int64_t Store::count_numbers(const Filter& filter) {
  return guarded(impl_->path, [&] {
    Where w = impl_->where(filter, Impl::Shape::counting);
    SQLite::Statement q(impl_->db, "SELECT count(*) FROM numbers n" + w.sql);
    w.bind(q);
    q.executeStep();
    return static_cast<std::int64_t>(q.getColumn(0).getInt64());
  });
}

Stats Store::stats(const Filter& filter) {
  return guarded(impl_->path, [&] {
    Stats stats;
    Where w = impl_->where(filter, Impl::Shape::counting);
    auto group = [&](const std::string& key, const std::string& joins,
                     std::vector<std::pair<std::string, std::int64_t>>& out) {
      SQLite::Statement q(impl_->db, "SELECT " + key + ", count(*) FROM numbers n" + joins + w.sql +
                                         " GROUP BY 1 ORDER BY 2 DESC, 1");
      w.bind(q);
      while (q.executeStep())
        out.emplace_back(q.isColumnNull(0) ? std::string() : q.getColumn(0).getString(), q.getColumn(1).getInt64());
    };
    group("n.status", "", stats.by_status);
    group("n.type", "", stats.by_type);
    group("n.country", "", stats.by_country);
    // By team: count by (team, member) ids over a covering index, then name them here; a
    // member's numbers count for the member's team. Joining names per row costs far more.
    {
      SQLite::Statement q(impl_->db, "SELECT n.team_id, n.member_id, count(*) FROM numbers n" + w.sql + " GROUP BY 1, 2");
      w.bind(q);
      std::map<std::string, std::int64_t> counts;
      std::map<std::int64_t, std::string> team_names;
      std::map<std::int64_t, std::optional<std::string>> member_teams;
      SQLite::Statement teams(impl_->db, "SELECT id, name FROM teams");
      while (teams.executeStep()) team_names[teams.getColumn(0).getInt64()] = teams.getColumn(1).getString();
      SQLite::Statement members(impl_->db, "SELECT id, team_id FROM members");
      while (members.executeStep())
        member_teams[members.getColumn(0).getInt64()] =
            members.isColumnNull(1) ? std::nullopt : std::optional(team_names[members.getColumn(1).getInt64()]);
      while (q.executeStep()) {
        std::string name;
        if (!q.isColumnNull(0)) name = team_names[q.getColumn(0).getInt64()];
        else if (!q.isColumnNull(1)) name = member_teams[q.getColumn(1).getInt64()].value_or("");
        counts[name] += q.getColumn(2).getInt64();
      }
      stats.by_team.assign(counts.begin(), counts.end());
      std::stable_sort(stats.by_team.begin(), stats.by_team.end(),
                       [](const auto& a, const auto& b) { return a.second > b.second; });
    }
    for (const auto& [name, count] : stats.by_status) stats.total += count;
    return stats;
  });
}

namespace {
// The sweep reads through the partial indexes, which hold only the rows it may act on.
std::string release_sql() {
  return std::string("SELECT ") + number_columns +
         " FROM numbers n INDEXED BY numbers_release LEFT JOIN teams t ON t.id = n.team_id"
         " LEFT JOIN members m ON m.id = n.member_id LEFT JOIN teams mt ON mt.id = m.team_id"
         " WHERE n.status = 'to_be_cancelled' AND n.release_at <= ? ORDER BY n.release_at, n.e164";
}
std::string stale_pending_sql() {
  return std::string("SELECT ") + number_columns +
         " FROM numbers n INDEXED BY numbers_pending LEFT JOIN teams t ON t.id = n.team_id"
         " LEFT JOIN members m ON m.id = n.member_id LEFT JOIN teams mt ON mt.id = m.team_id"
         " WHERE n.status = 'pending' AND n.bought_at <= ? ORDER BY n.bought_at, n.e164";
}

std::vector<NumberRecord> collect(SQLite::Statement& q) {
  std::vector<NumberRecord> out;
  while (q.executeStep()) {
    out.emplace_back();
    read_record(q, out.back());
  }
  return out;
}
}  // namespace

std::vector<std::string> Store::explain_sweep() {
  return guarded(impl_->path, [&] {
    std::vector<std::string> plan;
    for (const auto& sql : {release_sql(), stale_pending_sql()}) {
      SQLite::Statement q(impl_->db, "EXPLAIN QUERY PLAN " + sql);
      q.bind(1, std::string("2026-01-01T00:00:00Z"));
      while (q.executeStep()) plan.push_back(q.getColumn(3).getString());
    }
    return plan;
  });
}

std::vector<NumberRecord> Store::release_due(const std::string& now_iso, Status to, const std::string& audit_at,
                                             const std::string& actor, const std::string& action) {
  return guarded(impl_->path, [&] {
    const std::string due_rows =
        "SELECT n.id FROM numbers n INDEXED BY numbers_release WHERE n.status = 'to_be_cancelled' AND n.release_at <= ?1";
    SQLite::Statement audit(impl_->db,
        "INSERT INTO audit (at, actor, action, number, from_status, to_status, details)"
        " SELECT ?2, ?3, ?4, n.e164, n.status, ?5,"
        "  json_object('release_at', n.release_at, 'team', COALESCE(t.name, mt.name), 'member', m.name)"
        " FROM numbers n LEFT JOIN teams t ON t.id = n.team_id LEFT JOIN members m ON m.id = n.member_id"
        " LEFT JOIN teams mt ON mt.id = m.team_id WHERE n.id IN (" + due_rows + ") ORDER BY n.release_at, n.e164");
    audit.bind(1, now_iso);
    audit.bind(2, audit_at);
    audit.bind(3, actor);
    audit.bind(4, action);
    audit.bind(5, std::string(to_string(to)));
    if (audit.exec() == 0) return std::vector<NumberRecord>{};
    // The released rows come back from the UPDATE itself (no second pass over them), in the
    // columns of number_columns; released numbers have no assignment any more.
    SQLite::Statement update(impl_->db,
        "UPDATE numbers SET status = ?2, team_id = NULL, member_id = NULL WHERE id IN (" + due_rows + ")"
        " RETURNING id, e164, display, country, type, status, previous_status, NULL, NULL, label, risk_reason,"
        " cancel_reason, bought_at, activated_at, cancel_requested_at, release_at, replaced_by, replaces");
    update.bind(1, now_iso);
    update.bind(2, std::string(to_string(to)));
    auto due = collect(update);
    std::sort(due.begin(), due.end(), [](const NumberRecord& a, const NumberRecord& b) {
      return std::tie(a.release_at, a.e164) < std::tie(b.release_at, b.e164);
    });
    return due;
  });
}

std::vector<NumberRecord> Store::pending_bought_before(const std::string& cutoff_iso) {
  return guarded(impl_->path, [&] {
    SQLite::Statement q(impl_->db, stale_pending_sql());
    q.bind(1, cutoff_iso);
    return collect(q);
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

std::optional<std::int64_t> Store::team_id(std::string_view name) {
  return guarded(impl_->path, [&] { return id_by_name(impl_->db, "SELECT id FROM teams WHERE name = ?", name); });
}

std::optional<std::int64_t> Store::member_id(std::string_view name) {
  return guarded(impl_->path, [&] { return id_by_name(impl_->db, "SELECT id FROM members WHERE name = ?", name); });
}

std::int64_t Store::add_team(std::string_view name, const std::string& now_iso) {
  return guarded(impl_->path, [&] {
    SQLite::Statement q(impl_->db, "INSERT INTO teams (name, created_at) VALUES (?, ?)");
    q.bind(1, std::string(name));
    q.bind(2, now_iso);
    q.exec();
    return static_cast<std::int64_t>(impl_->db.getLastInsertRowid());
  });
}

std::int64_t Store::add_member(std::string_view name, std::optional<std::int64_t> team, const std::string& now_iso) {
  return guarded(impl_->path, [&] {
    SQLite::Statement q(impl_->db, "INSERT INTO members (name, team_id, created_at) VALUES (?, ?, ?)");
    q.bind(1, std::string(name));
    bind_optional(q, 2, team);
    q.bind(3, now_iso);
    q.exec();
    return static_cast<std::int64_t>(impl_->db.getLastInsertRowid());
  });
}

void Store::remove_team(std::int64_t id) {
  guarded(impl_->path, [&] {
    // Cancelled numbers keep no assignment worth a dangling reference.
    SQLite::Statement clear(impl_->db, "UPDATE numbers SET team_id = NULL WHERE team_id = ?");
    clear.bind(1, static_cast<int64_t>(id));
    clear.exec();
    SQLite::Statement q(impl_->db, "DELETE FROM teams WHERE id = ?");
    q.bind(1, static_cast<int64_t>(id));
    q.exec();
  });
}

void Store::remove_member(std::int64_t id) {
  guarded(impl_->path, [&] {
    SQLite::Statement clear(impl_->db, "UPDATE numbers SET member_id = NULL WHERE member_id = ?");
    clear.bind(1, static_cast<int64_t>(id));
    clear.exec();
    SQLite::Statement q(impl_->db, "DELETE FROM members WHERE id = ?");
    q.bind(1, static_cast<int64_t>(id));
    q.exec();
  });
}

std::vector<TeamInfo> Store::teams() {
  return guarded(impl_->path, [&] {
    SQLite::Statement q(impl_->db,
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

std::vector<MemberInfo> Store::members() {
  return guarded(impl_->path, [&] {
    SQLite::Statement q(impl_->db,
        "SELECT m.name, t.name,"
        " (SELECT count(*) FROM numbers n WHERE n.status <> 'cancelled' AND n.member_id = m.id)"
        " FROM members m LEFT JOIN teams t ON t.id = m.team_id ORDER BY m.name");
    std::vector<MemberInfo> out;
    while (q.executeStep()) out.push_back({q.getColumn(0).getString(), optional_text(q, 1), q.getColumn(2).getInt64()});
    return out;
  });
}

std::vector<std::string> Store::team_names() {
  return guarded(impl_->path, [&] { return names(impl_->db, "SELECT name FROM teams ORDER BY name"); });
}

std::vector<std::string> Store::member_names() {
  return guarded(impl_->path, [&] { return names(impl_->db, "SELECT name FROM members ORDER BY name"); });
}

std::int64_t Store::numbers_held_by_team(std::int64_t id) {
  return guarded(impl_->path, [&] {
    return count(impl_->db,
                 "SELECT count(*) FROM numbers WHERE status <> 'cancelled' AND (team_id = ?1 OR member_id IN"
                 " (SELECT id FROM members WHERE team_id = ?1))",
                 id);
  });
}

std::int64_t Store::members_of_team(std::int64_t id) {
  return guarded(impl_->path, [&] { return count(impl_->db, "SELECT count(*) FROM members WHERE team_id = ?", id); });
}

std::int64_t Store::numbers_held_by_member(std::int64_t id) {
  return guarded(impl_->path, [&] {
    return count(impl_->db, "SELECT count(*) FROM numbers WHERE status <> 'cancelled' AND member_id = ?", id);
  });
}

void Store::set_assignment(std::int64_t number_id, std::optional<std::int64_t> team, std::optional<std::int64_t> member) {
  guarded(impl_->path, [&] {
    auto& q = impl_->cached(impl_->set_assignment, "UPDATE numbers SET team_id = ?, member_id = ? WHERE id = ?");
    bind_optional(q, 1, team);
    bind_optional(q, 2, member);
    q.bind(3, static_cast<int64_t>(number_id));
    q.exec();
  });
}

void Store::backup_to(const fs::path& destination) {
  std::error_code ec;
  if (fs::exists(destination, ec))
    fail(ErrorCategory::refused, destination.string() + " already exists; numctl backup never overwrites a file");
  int fd = ::open(destination.c_str(), O_CREAT | O_EXCL | O_WRONLY | O_CLOEXEC, 0600);
  if (fd < 0) fail(ErrorCategory::database, "cannot create " + destination.string() + ": " + std::strerror(errno));
  ::close(fd);
  try {
    SQLite::Database copy(destination.string(), SQLite::OPEN_READWRITE);
    SQLite::Backup backup(copy, impl_->db);
    // All pages in one step: one read transaction gives a consistent snapshot, and in WAL mode a
    // reader does not block writers (copying in small steps would restart on every write).
    backup.executeStep(-1);
    copy.exec("PRAGMA journal_mode = WAL");
  } catch (const SQLite::Exception& error) {
    fs::remove(destination, ec);
    fail(ErrorCategory::database, "backup to " + destination.string() + " failed: " + error.what());
  }
}

void Store::append_audit(const AuditEntry& e) {
  guarded(impl_->path, [&] {
    auto& q = impl_->cached(impl_->audit,
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

std::vector<AuditEntry> Store::history(std::string_view e164) {
  return guarded(impl_->path, [&] {
    SQLite::Statement q(impl_->db,
        "SELECT at, actor, action, number, from_status, to_status, details FROM audit WHERE number = ? ORDER BY id");
    q.bind(1, std::string(e164));
    std::vector<AuditEntry> out;
    while (q.executeStep())
      out.push_back({q.getColumn(0).getString(), q.getColumn(1).getString(), q.getColumn(2).getString(),
                     q.getColumn(3).getString(), optional_text(q, 4), optional_text(q, 5), q.getColumn(6).getString()});
    return out;
  });
}

std::int64_t Store::add_document(std::int64_t number_id, const DocumentInfo& info, const std::string& content) {
  return guarded(impl_->path, [&] {
    SQLite::Statement q(impl_->db,
        "INSERT INTO documents (number_id, kind, filename, size, sha256, content, submitted_at) VALUES (?, ?, ?, ?, ?, ?, ?)");
    q.bind(1, static_cast<int64_t>(number_id));
    q.bind(2, info.kind);
    q.bind(3, info.filename);
    q.bind(4, static_cast<int64_t>(info.size));
    q.bind(5, info.sha256);
    q.bind(6, content.data(), static_cast<int>(content.size()));
    q.bind(7, info.submitted_at);
    q.exec();
    return static_cast<std::int64_t>(impl_->db.getLastInsertRowid());
  });
}

std::vector<DocumentInfo> Store::documents(std::int64_t number_id) {
  return guarded(impl_->path, [&] {
    SQLite::Statement q(impl_->db,
        "SELECT id, kind, filename, size, sha256, submitted_at, state, rejection_reason FROM documents"
        " WHERE number_id = ? ORDER BY id");
    q.bind(1, static_cast<int64_t>(number_id));
    std::vector<DocumentInfo> out;
    while (q.executeStep())
      out.push_back({q.getColumn(0).getInt64(), q.getColumn(1).getString(), q.getColumn(2).getString(),
                     q.getColumn(3).getInt64(), q.getColumn(4).getString(), q.getColumn(5).getString(),
                     q.getColumn(6).getString(), optional_text(q, 7)});
    return out;
  });
}

std::optional<std::string> Store::document_content(std::int64_t document_id) {
  return guarded(impl_->path, [&]() -> std::optional<std::string> {
    SQLite::Statement q(impl_->db, "SELECT content FROM documents WHERE id = ?");
    q.bind(1, static_cast<int64_t>(document_id));
    if (!q.executeStep()) return std::nullopt;
    auto column = q.getColumn(0);
    return std::string(static_cast<const char*>(column.getBlob()), static_cast<std::size_t>(column.getBytes()));
  });
}

void Store::reject_documents(std::int64_t number_id, const std::string& reason) {
  guarded(impl_->path, [&] {
    SQLite::Statement q(impl_->db,
        "UPDATE documents SET state = 'rejected', rejection_reason = ? WHERE number_id = ? AND state = 'submitted'");
    q.bind(1, reason);
    q.bind(2, static_cast<int64_t>(number_id));
    q.exec();
  });
}

}  // namespace numctl
