// The SQLite engine's schema: its migrations, the search-text function the trigram index is
// built with, and creating a new database file (opening one is in open.cpp).
#include "store_impl.hpp"
#include "../engines.hpp"
#include "memory.hpp"
#include "migrations.hpp"

#include <SQLiteCpp/Backup.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <fcntl.h>
#include <unistd.h>

namespace numctl {
namespace fs = std::filesystem;
using sqlite::guarded;

namespace sqlite {
namespace {

// Counted when a database is opened, not at start-up: `--version` and `--help` touch no migration.
int latest_version() { return static_cast<int>(schema_migrations().size()); }

}  // namespace

namespace {
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

}  // namespace

// Makes numctl_search_text callable on a connection: by migrations and by bulk inserts.
void register_search_text(sqlite3* db) {
  sqlite3_create_function_v2(db, "numctl_search_text", 2, SQLITE_UTF8 | SQLITE_DETERMINISTIC | SQLITE_DIRECTONLY,
                             nullptr, search_text_function, nullptr, nullptr, nullptr);
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

// Once per process, before SQLite starts: no allocation statistics, which would take a global
// mutex on every malloc (each connection is used by one thread, SQLITE_OPEN_NOMUTEX), and small
// blocks from numctl's allocator. Both are refused once SQLite has started, which is fine.
const fs::path& configured(const fs::path& path) {
  static const bool configured_once = [] {
    sqlite3_config(SQLITE_CONFIG_MEMSTATUS, 0);
    return memory::install();
  }();
  (void)configured_once;
  return path;
}

// Brings a database to the latest schema inside one write transaction. Another process may
// have migrated while this one waited for the lock, so the version is read again under it.
void migrate(SQLite::Database& db, const fs::path& path) {
  register_search_text(db.getHandle());
  db.exec("BEGIN IMMEDIATE");
  try {
    int version = db.execAndGet("PRAGMA user_version").getInt();
    if (version > latest_version())
      fail(ErrorCategory::database, path.string() + " was written by a newer numctl; upgrade numctl to use it");
    for (int v = version; v < latest_version(); ++v) db.exec(schema_migrations()[v]);
    db.exec("PRAGMA user_version = " + std::to_string(latest_version()));
    db.exec("COMMIT");
  } catch (...) {
    db.exec("ROLLBACK");
    throw;
  }
}

// A new database is built complete under a temporary name and then linked into place, so no
// process ever sees a half-created file, and of several creating at once exactly one wins.
void create_database(const fs::path& path) {
  configured(path);  // this may be the process's first use of SQLite
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

int latest_schema_version() { return latest_version(); }

}  // namespace sqlite

int Store::schema_version() { return sqlite::latest_version(); }

}  // namespace numctl
