// The SQLite engine's connection: opening a file (read-only where it must, creating it where a
// command may), the write transaction and its cache, and online backup.
#include "store_impl.hpp"
#include "../engines.hpp"

#include <SQLiteCpp/Backup.h>

#include <cerrno>
#include <cstring>
#include <fcntl.h>
#include <unistd.h>

namespace numctl {
namespace fs = std::filesystem;
using sqlite::guarded;

namespace sqlite {

// Writers wait up to 20 s for each other (a large import holds the lock for seconds);
// readers never wait in WAL mode.
SqliteStore::SqliteStore(const fs::path& path, int flags, const std::string& uri)
    : path_(configured(path)), db_(uri.empty() ? path.string() : uri, flags | SQLITE_OPEN_NOMUTEX, 20000) {}

int SqliteStore::schema_version_on_disk() { return db_.execAndGet("PRAGMA user_version").getInt(); }

void SqliteStore::begin_write() {
  guarded([&] {
    // A large batch touches many pages: a bigger cache (64 MiB at most, used only as needed)
    // keeps them in memory instead of re-reading them from the WAL. Reads keep the default
    // small cache, so streaming a million numbers stays in a few MiB.
    db_.exec("PRAGMA cache_size = -65536");
    // A cached statement still positioned on a row holds a read transaction on an older
    // snapshot; BEGIN IMMEDIATE would then fail at once (SQLITE_BUSY_SNAPSHOT) whenever another
    // process wrote meanwhile, instead of waiting its turn.
    for (auto* slot : {&find_by_e164_, &insert_, &insert_digits_, &update_, &audit_, &set_assignment_, &note_risk_})
      if (*slot) (*slot)->reset();
    db_.exec("BEGIN IMMEDIATE");
  });
}

void SqliteStore::rollback_write() noexcept {
  try {
    db_.exec("ROLLBACK");
  } catch (...) {
  }
}

void SqliteStore::commit_write() {
  guarded([&] { db_.exec("COMMIT"); });
}

void SqliteStore::expect_scattered_changes(std::size_t count) {
  // About one table page and one page of each index per number, 4 KiB each (measured: a
  // 50k-number cancel on a million went from 3.1 s to 2.5 s with 256 MiB instead of 64).
  std::size_t kib = std::clamp<std::size_t>(count * 5, 65536, 262144);
  guarded([&] { db_.exec("PRAGMA cache_size = -" + std::to_string(kib)); });
}

SQLite::Statement& SqliteStore::cached(std::optional<SQLite::Statement>& slot, const char* sql) {
  if (!slot) slot.emplace(db_, sql);
  slot->reset();
  slot->clearBindings();
  return *slot;
}

void SqliteStore::backup_to(const fs::path& destination) {
  std::error_code ec;
  if (fs::exists(destination, ec))
    fail(ErrorCategory::refused, destination.string() + " already exists; numctl backup never overwrites a file");
  int fd = ::open(destination.c_str(), O_CREAT | O_EXCL | O_WRONLY | O_CLOEXEC, 0600);
  if (fd < 0) fail(ErrorCategory::database, "cannot create " + destination.string() + ": " + std::strerror(errno));
  ::close(fd);
  try {
    SQLite::Database copy(destination.string(), SQLite::OPEN_READWRITE);
    SQLite::Backup backup(copy, db_);
    // All pages in one step: one read transaction gives a consistent snapshot, and in WAL mode a
    // reader does not block writers (copying in small steps would restart on every write).
    // The whole copy must be done in this one step; anything else (busy, locked) is a failure.
    if (int done = backup.executeStep(-1); done != SQLITE_DONE)
      fail(ErrorCategory::database,
           "backup to " + destination.string() + " did not complete (" + sqlite3_errstr(done) + "); try again");
    copy.exec("PRAGMA journal_mode = WAL");
  } catch (const SQLite::Exception& error) {
    fs::remove(destination, ec);
    fail(ErrorCategory::database, "backup to " + destination.string() + " failed: " + error.what());
  } catch (const Error&) {
    fs::remove(destination, ec);
    throw;
  }
}

namespace {

// A file: URI for SQLite (https://sqlite.org/uri.html): the path percent-encoded where it
// would otherwise be read as URI syntax.
std::string file_uri(const fs::path& path, std::string_view query) {
  std::string uri = "file:";
  for (unsigned char c : fs::absolute(path).string()) {
    if (c == '%' || c == '?' || c == '#' || c < 0x21 || c >= 0x7f) {
      static const char hex[] = "0123456789ABCDEF";
      uri += '%';
      uri += hex[c >> 4];
      uri += hex[c & 15];
    } else {
      uri += static_cast<char>(c);
    }
  }
  uri += '?';
  uri += query;
  return uri;
}

// A read-only connection, or nothing when the schema is older than this build (the caller then
// opens it for writing to migrate). In WAL mode even a reader needs the -shm file; where it
// cannot be created (a read-only directory) the file is opened as immutable, which is safe
// there: no writer can work in such a directory either.
std::unique_ptr<Store> open_read_only(const fs::path& path) {
  for (std::string_view query : {"mode=ro", "immutable=1"}) {
    try {
      auto store = std::make_unique<SqliteStore>(path, SQLite::OPEN_READONLY | SQLITE_OPEN_URI, file_uri(path, query));
      int version = store->schema_version_on_disk();
      if (version > latest_schema_version() || version == latest_schema_version()) {
        store->finish_opening();
        return store;
      }
      return nullptr;
    } catch (const SQLite::Exception& error) {
      int code = error.getErrorCode() & 0xff;
      if (query == "mode=ro" && (code == SQLITE_CANTOPEN || code == SQLITE_READONLY)) continue;
      fail(ErrorCategory::database, explain_sqlite_error(error, path));
    }
  }
  return nullptr;
}

}  // namespace
}  // namespace sqlite

std::unique_ptr<Store> open_empty(const fs::path& shown_as) {
  return guarded(shown_as, [&] {
    auto store = std::make_unique<sqlite::SqliteStore>(
        shown_as, SQLite::OPEN_READWRITE | SQLite::OPEN_CREATE | SQLite::OPEN_URI | SQLITE_OPEN_MEMORY, ":memory:");
    store->finish_opening();
    return std::unique_ptr<Store>(std::move(store));
  });
}

std::unique_ptr<Store> open_sqlite(const fs::path& path, const Store::OpenOptions& options) {
  std::error_code ec;
  if (options.if_present && !fs::exists(path, ec)) return nullptr;
  if (options.empty_if_missing && !fs::exists(path, ec)) return open_empty(path);
  if (!options.create && !fs::exists(path, ec))
    fail(ErrorCategory::database, "no database at " + path.string() +
                                      ": create one with numctl init (or numctl buy/import), or check --db, NUMCTL_DB "
                                      "and [database] path");
  if (options.read_only)
    if (auto store = sqlite::open_read_only(path)) return store;
  fs::path parent = path.parent_path();
  if (!parent.empty() && !fs::exists(parent, ec)) {
    fs::create_directories(parent, ec);
    if (ec) fail(ErrorCategory::database, "cannot create directory " + parent.string() + " for the database: " + ec.message());
  }
  if (!fs::exists(path, ec))
    sqlite::create_database(path);
  else if (::access(path.c_str(), W_OK) != 0 && (errno == EACCES || errno == EROFS))
    fail(ErrorCategory::database, "database " + path.string() +
                                      " is read-only for this account: reading works, a change needs write access "
                                      "to the file and its directory");
  return guarded(path, [&] {
    auto store = std::make_unique<sqlite::SqliteStore>(path, SQLite::OPEN_READWRITE);
    store->finish_opening();
    return std::unique_ptr<Store>(std::move(store));
  });
}

namespace sqlite {

// Refuses a newer schema untouched, migrates an older one, and sets the connection up.
void SqliteStore::finish_opening() {
  guarded([&] {
    auto& db = db_;
    const auto& path = path_;
    int version = db.execAndGet("PRAGMA user_version").getInt();
    if (version > latest_schema_version())
      fail(ErrorCategory::database, path.string() + " was written by a newer numctl (schema version " + std::to_string(version) +
                                        ", this numctl knows up to " + std::to_string(latest_schema_version()) +
                                        "); upgrade numctl to use it. The file was not modified");
    // Migrations run before foreign keys are enforced: one that builds a table anew drops the
    // old one while other tables still point at its ids.
    if (version < latest_schema_version()) {
      if (version == 0) db.exec("PRAGMA journal_mode = WAL");  // an empty file someone created
      migrate(db, path);
    }
    db.exec("PRAGMA foreign_keys = ON");
    db.exec("PRAGMA synchronous = NORMAL");
  });
}

}  // namespace sqlite
}  // namespace numctl
