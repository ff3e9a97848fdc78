// The PostgreSQL engine: schema and migrations (numctl_schema holds the version), connecting,
// and transactions. Every write transaction first locks the one row of numctl_schema (FOR
// UPDATE), numctl's writer lock on this database: writers on every machine take turns exactly
// as SQLite's writers do (BEGIN IMMEDIATE), so read-then-write steps never see a row change
// under them, and readers never wait; a writer waits its turn up to 20 s (then exit 5, "stayed
// busy"), and with one writer at a time there are no serialization failures or deadlocks to
// retry. The sweep's releases and the carrier outbox's claims also lock what they take with
// FOR UPDATE SKIP LOCKED, so two sweeps never act on one number even where the writer lock is
// relaxed. A row lock, not an advisory lock, so that Postgres-wire databases without advisory
// locks serve as well.
#include "store_impl.hpp"
#include "migrations.hpp"

#include <chrono>
#include <cstdio>
#include <random>
#include <thread>
#include "../engines.hpp"

namespace numctl::postgres {
namespace {

constexpr const char* writer_lock = "SELECT version FROM numctl_schema FOR UPDATE";
// Creating the schema, when there is no row to lock yet: an advisory lock ("numctl" in ASCII).
constexpr const char* creator_lock = "SELECT pg_advisory_xact_lock(110117109099116108)";

// Counted when a database is opened, not at start-up: `--version` and `--help` touch no migration.
int latest_version() { return static_cast<int>(schema_migrations().size()); }

}  // namespace

PostgresStore::PostgresStore(const std::string& url, const OpenOptions& options) : db_(url) {
  watch_statements();
  migrate(options);
}

std::string PostgresStore::commit_mark() {
  static std::mt19937_64 random{std::random_device{}()};
  char mark[33];
  std::snprintf(mark, sizeof mark, "%016llx%016llx", static_cast<unsigned long long>(random()),
                static_cast<unsigned long long>(random()));
  return mark;
}
PostgresStore::PostgresStore(const std::string& url, ConnectOnly) : db_(url) { watch_statements(); }
void PostgresStore::open(const OpenOptions& options) { migrate(options); }

bool PostgresStore::has_inventory() { return db_.exec("SELECT to_regclass('numctl_schema') IS NOT NULL").text(0, 0) == "t"; }

// A database without numctl's tables is set up (when the command may create an inventory);
// an older schema is migrated; a newer one is refused untouched. Under the writer lock, so
// that two processes starting at once migrate once.
void PostgresStore::migrate(const OpenOptions& options) {
  auto version_of = [&]() -> std::optional<int> {
    auto exists = db_.exec("SELECT to_regclass('numctl_schema') IS NOT NULL");
    if (exists.text(0, 0) != "t") return std::nullopt;
    auto v = db_.exec("SELECT version FROM numctl_schema");
    return v.rows() ? static_cast<int>(v.integer(0, 0)) : 0;
  };
  auto refuse_newer = [&](int version) {
    if (version > latest_version())
      fail(ErrorCategory::database, "the PostgreSQL database at " + db_.describe() +
                                        " was written by a newer numctl (schema version " + std::to_string(version) +
                                        ", this numctl knows up to " + std::to_string(latest_version()) +
                                        "); upgrade numctl to use it. The database was not modified");
  };
  auto version = version_of();
  if (version) refuse_newer(*version);
  if (version && *version == latest_version()) return;
  if (!version && !options.create)
    fail(ErrorCategory::database, "no numctl inventory in the PostgreSQL database at " + db_.describe() +
                                      ": create one with numctl init (or numctl buy/import), or check [database] url");
  if (options.read_only && version)
    fail(ErrorCategory::database, "the PostgreSQL database at " + db_.describe() +
                                      " has an older numctl schema; run a command that writes (numctl sweep --dry-run) to migrate it");
  db_.exec("BEGIN");
  try {
    db_.exec(creator_lock);
    db_.exec("CREATE TABLE IF NOT EXISTS numctl_schema (version integer NOT NULL)");
    int from = version_of().value_or(0);  // 0: no row yet
    refuse_newer(from);
    for (int v = from; v < latest_version(); ++v) db_.script(schema_migrations()[v]);
    // The version row is updated in place, never deleted: a writer waiting on it (the writer
    // lock, SELECT ... FOR UPDATE) then locks its new version, where a deleted row would let
    // that writer through unlocked. Another process may have migrated while this one waited
    // for the creator lock: then there is nothing to write.
    if (from != latest_version()) {
      auto updated = db_.exec("UPDATE numctl_schema SET version = $1", pg::Params().integer(latest_version()));
      if (updated.changed() == 0)  // a new schema: its first row
        db_.exec("INSERT INTO numctl_schema (version) VALUES ($1)", pg::Params().integer(latest_version()));
    }
    db_.exec("COMMIT");
  } catch (...) {
    rollback_write();
    throw;
  }
}

void PostgresStore::begin_write() {
  db_.exec("BEGIN");
  in_write_ = true;
  bulk_loaded_ = false;
  db_.exec("SET LOCAL lock_timeout = '20s'");  // as long as a SQLite writer waits its turn
  db_.exec(writer_lock);
}

void PostgresStore::commit_write() {
  in_write_ = false;
  // The transaction's mark, written last: should the answer to COMMIT be lost (the server gone,
  // a failover), the mark read back on the server that answers now says whether it committed.
  std::string mark = commit_mark();
  db_.exec("INSERT INTO numctl_commits (id) VALUES ($1)", pg::Params().text(mark));
  if (mark.back() == '0') db_.exec("DELETE FROM numctl_commits WHERE at < now() - interval '1 day'");  // 1 in 16
  try {
    db_.exec("COMMIT");
  } catch (const Error&) {
    if (!db_.lost() || !committed_after_all(mark)) throw;
  }
  db_.committed();
  if (bulk_loaded_) {
    // A table just loaded in bulk has no planner statistics and no visibility map until
    // autovacuum passes, so the index-only scans of stats, due and filters visit every row
    // meanwhile (stats on a million numbers: 0.9 s, 0.4 s after). VACUUM runs outside any
    // transaction; it is upkeep of what is committed, so a failure of it changes nothing.
    try {
      db_.exec("VACUUM (ANALYZE) numbers");
    } catch (const Error&) {
    }
  }
}

bool PostgresStore::committed_after_all(const std::string& mark) {
  // The server that answers the URL now (the standby promoted in the old primary's place, or the
  // primary back), for up to a minute: until one answers, the outcome is not known and is not guessed.
  for (int attempt = 0; attempt < 60; ++attempt) {
    try {
      db_.reconnect();
      return db_.exec("SELECT 1 FROM numctl_commits WHERE id = $1", pg::Params().text(mark)).rows() > 0;
    } catch (const Error&) {
      std::this_thread::sleep_for(std::chrono::seconds(1));
    }
  }
  fail(ErrorCategory::database,
       "the database failed over while the command committed, and no server has answered since: "
       "whether it committed is not known; numctl history and numctl log show what it did");
}

void PostgresStore::rollback_write() noexcept {
  in_write_ = false;
  drop_deferred();
  try {
    db_.exec("ROLLBACK");
  } catch (...) {
  }
}

void PostgresStore::backup_to(const std::filesystem::path&) {
  fail(ErrorCategory::invalid_input, "backup copies a SQLite file; this inventory is in PostgreSQL at " + db_.describe() +
                                         ": use pg_dump (pg_dump --format=custom -f numctl.dump DBNAME)");
}

}  // namespace numctl::postgres

namespace numctl {

namespace {
// The connection string a command opens: a write, or a read asked of the primary, reaches the
// primary whatever the order of the URL's hosts; a read goes to [database] read_url, else to a
// standby when one answers (prefer-standby: the primary otherwise).
std::string url_for(const std::string& url, const Store::OpenOptions& options) {
  bool reads = options.read_only && !options.primary;
  if (reads && options.read_url) return *options.read_url;
  return pg::with_session_attrs(url, reads ? "prefer-standby" : "read-write");
}
}  // namespace

std::unique_ptr<Store> open_postgres(const std::string& written, const Store::OpenOptions& options) {
  std::string url = url_for(written, options);
  if (url != written && options.read_url && url == *options.read_url) {
    // The server to read from does not answer: the reads go to the URL's servers instead.
    try {
      return open_postgres(url, Store::OpenOptions{options.create, options.read_only, options.if_present,
                                                   options.empty_if_missing, options.primary, std::nullopt});
    } catch (const Error& error) {
      if (error.category() != ErrorCategory::database) throw;
      url = pg::with_session_attrs(written, "prefer-standby");
    }
  }
  if (options.if_present || options.empty_if_missing) {
    auto store = std::make_unique<postgres::PostgresStore>(url, postgres::PostgresStore::connect_only);
    if (!store->has_inventory()) return options.empty_if_missing ? open_empty("(no inventory yet)") : nullptr;
    store->open(options);
    return store;
  }
  return std::make_unique<postgres::PostgresStore>(url, options);
}

int Store::postgres_schema_version() { return postgres::latest_version(); }

std::string masked_postgres(std::string_view url) { return pg::mask_url(url); }

}  // namespace numctl
