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

// Each entry moves the schema one version forward; never edit one that has shipped. Version 1
// is the SQLite engine's schema 8 in PostgreSQL's words.
const char* const migrations[] = {
    R"sql(
CREATE EXTENSION IF NOT EXISTS pg_trgm;
CREATE TABLE teams (
  id bigserial PRIMARY KEY,
  name text COLLATE "C" NOT NULL,
  created_at text COLLATE "C" NOT NULL
);
CREATE UNIQUE INDEX teams_name ON teams (lower(name));
CREATE TABLE members (
  id bigserial PRIMARY KEY,
  name text COLLATE "C" NOT NULL,
  team_id bigint REFERENCES teams(id),
  created_at text COLLATE "C" NOT NULL
);
CREATE UNIQUE INDEX members_name ON members (lower(name));
CREATE INDEX members_team ON members (team_id);
CREATE TABLE numbers (
  id bigserial PRIMARY KEY,
  e164 text COLLATE "C" NOT NULL UNIQUE,
  display text COLLATE "C" NOT NULL,
  national_digits text COLLATE "C" NOT NULL,
  search_text text COLLATE "C" NOT NULL,
  country text COLLATE "C" NOT NULL,
  type text COLLATE "C" NOT NULL CHECK (type IN ('local', 'mobile', 'toll_free')),
  status text COLLATE "C" NOT NULL CHECK (status IN ('pending', 'active', 'high_risk', 'to_be_cancelled', 'cancelled')),
  previous_status text COLLATE "C",
  team_id bigint REFERENCES teams(id),
  member_id bigint REFERENCES members(id),
  label text COLLATE "C",
  risk_reason text COLLATE "C",
  cancel_reason text COLLATE "C",
  bought_at text COLLATE "C",
  activated_at text COLLATE "C",
  cancel_requested_at text COLLATE "C",
  release_at text COLLATE "C",
  replaced_by text COLLATE "C",
  replaces text COLLATE "C",
  expires_at text COLLATE "C",
  provider text COLLATE "C",
  provider_ref text COLLATE "C",
  risk_set_by text COLLATE "C",
  risk_changed_at text COLLATE "C",
  CHECK (team_id IS NULL OR member_id IS NULL)
);
CREATE INDEX numbers_filter ON numbers (country, type, status);
CREATE INDEX numbers_status ON numbers (status, type);
CREATE INDEX numbers_release ON numbers (release_at) WHERE status = 'to_be_cancelled';
CREATE INDEX numbers_pending ON numbers (bought_at) WHERE status = 'pending';
CREATE INDEX numbers_expiry ON numbers (expires_at) WHERE status = 'pending';
CREATE INDEX numbers_member ON numbers (member_id) WHERE member_id IS NOT NULL;
CREATE INDEX numbers_assignee ON numbers (team_id, member_id, status);
-- Search by any part of a number: trigrams of its international and national digits.
CREATE INDEX numbers_digits ON numbers USING gin (search_text gin_trgm_ops);
CREATE TABLE audit (
  id bigserial PRIMARY KEY,
  at text COLLATE "C" NOT NULL,
  actor text COLLATE "C" NOT NULL,
  action text COLLATE "C" NOT NULL,
  number text COLLATE "C" NOT NULL,
  from_status text COLLATE "C",
  to_status text COLLATE "C",
  details text NOT NULL DEFAULT '{}'
);
CREATE INDEX audit_number ON audit (number, id);
CREATE INDEX audit_at ON audit (at);
CREATE TABLE documents (
  id bigserial PRIMARY KEY,
  number_id bigint NOT NULL REFERENCES numbers(id),
  kind text COLLATE "C" NOT NULL,
  filename text NOT NULL,
  size bigint NOT NULL,
  sha256 text NOT NULL,
  content bytea NOT NULL,
  submitted_at text COLLATE "C" NOT NULL,
  state text NOT NULL DEFAULT 'submitted' CHECK (state IN ('submitted', 'rejected')),
  rejection_reason text,
  retired_at text COLLATE "C"
);
CREATE INDEX documents_number ON documents (number_id, kind);
CREATE TABLE carrier_calls (
  id bigserial PRIMARY KEY,
  kind text NOT NULL CHECK (kind IN ('order', 'release')),
  number text COLLATE "C" NOT NULL,
  provider text NOT NULL,
  provider_ref text,
  action text NOT NULL,
  details text NOT NULL DEFAULT '{}',
  state text NOT NULL CHECK (state IN ('owed', 'calling', 'done', 'failed')),
  attempts bigint NOT NULL DEFAULT 0,
  last_error text,
  claimed_by text,
  claimed_at text COLLATE "C",
  created_at text COLLATE "C" NOT NULL,
  settled_at text COLLATE "C"
);
CREATE UNIQUE INDEX carrier_calls_open ON carrier_calls (kind, number) WHERE state IN ('owed', 'calling');
CREATE INDEX carrier_calls_state ON carrier_calls (state) WHERE state IN ('owed', 'calling');
CREATE TABLE reputation_readings (
  number_id bigint NOT NULL REFERENCES numbers(id),
  checked_at text COLLATE "C" NOT NULL,
  source text COLLATE "C" NOT NULL,
  score integer NOT NULL CHECK (score BETWEEN 0 AND 100),
  risk text CHECK (risk IN ('low', 'medium', 'high')),
  labels text NOT NULL DEFAULT '',
  carrier text,
  imported_at text COLLATE "C" NOT NULL,
  PRIMARY KEY (number_id, checked_at, source)
);
CREATE INDEX reputation_by_time ON reputation_readings (checked_at);
)sql",
    // 2 (SQLite's 9): compliance at the carrier (see the SQLite schema for what each holds).
    R"sql(
CREATE TABLE compliance_profiles (
  id bigserial PRIMARY KEY,
  name text COLLATE "C" NOT NULL,
  provider text COLLATE "C" NOT NULL,
  country text COLLATE "C" NOT NULL,
  type text COLLATE "C" NOT NULL CHECK (type IN ('local', 'mobile', 'toll_free')),
  end_user_type text COLLATE "C" NOT NULL DEFAULT '',
  state text COLLATE "C" NOT NULL CHECK (state IN ('creating', 'draft', 'in_review', 'approved', 'rejected')),
  carrier_status text COLLATE "C" NOT NULL DEFAULT '',
  carrier_ref text COLLATE "C",
  reason text,
  body text NOT NULL DEFAULT '{}',
  created_at text COLLATE "C" NOT NULL,
  updated_at text COLLATE "C" NOT NULL
);
CREATE UNIQUE INDEX compliance_profiles_name ON compliance_profiles (lower(name));
CREATE TABLE compliance_documents (
  id bigserial PRIMARY KEY,
  profile_id bigint NOT NULL REFERENCES compliance_profiles(id),
  kind text COLLATE "C" NOT NULL,
  filename text NOT NULL,
  size bigint NOT NULL,
  sha256 text NOT NULL,
  content bytea NOT NULL,
  added_at text COLLATE "C" NOT NULL
);
CREATE INDEX compliance_documents_profile ON compliance_documents (profile_id);
CREATE TABLE regulations (
  provider text COLLATE "C" NOT NULL,
  country text COLLATE "C" NOT NULL,
  type text COLLATE "C" NOT NULL,
  body text NOT NULL,
  read_at text COLLATE "C" NOT NULL,
  PRIMARY KEY (provider, country, type)
);
ALTER TABLE numbers ADD COLUMN compliance text COLLATE "C";
CREATE INDEX numbers_compliance ON numbers (compliance) WHERE compliance IS NOT NULL;
ALTER TABLE carrier_calls DROP CONSTRAINT carrier_calls_kind_check;
ALTER TABLE carrier_calls ADD CONSTRAINT carrier_calls_kind_check CHECK (kind IN ('order', 'release', 'compliance'));
)sql",
    // 3 (SQLite's 10): prices, and call records as idleness needs them.
    R"sql(
ALTER TABLE numbers ADD COLUMN monthly_price bigint CHECK (monthly_price IS NULL OR monthly_price >= 0);
ALTER TABLE numbers ADD COLUMN currency text COLLATE "C";
ALTER TABLE numbers ADD COLUMN last_inbound_at text COLLATE "C";
ALTER TABLE numbers ADD COLUMN last_outbound_at text COLLATE "C";
CREATE TABLE prices (
  provider text COLLATE "C" NOT NULL,
  country text COLLATE "C" NOT NULL,
  type text COLLATE "C" NOT NULL,
  currency text COLLATE "C" NOT NULL,
  monthly_price bigint NOT NULL,
  read_at text COLLATE "C" NOT NULL,
  PRIMARY KEY (provider, country, type)
);
CREATE TABLE usage_calls (
  number_id bigint NOT NULL,
  at text COLLATE "C" NOT NULL,
  caller text COLLATE "C" NOT NULL,
  PRIMARY KEY (number_id, at, caller)
);
CREATE TABLE usage_days (
  number_id bigint NOT NULL,
  day text COLLATE "C" NOT NULL,
  inbound bigint NOT NULL DEFAULT 0,
  outbound bigint NOT NULL DEFAULT 0,
  PRIMARY KEY (number_id, day)
);
CREATE TABLE usage_cursors (
  source text COLLATE "C" PRIMARY KEY,
  read_until text COLLATE "C" NOT NULL,
  read_at text COLLATE "C" NOT NULL
);
)sql",
    // 4 (SQLite's 11): porting (see the SQLite schema for what each holds).
    R"sql(
ALTER TABLE numbers DROP CONSTRAINT numbers_status_check;
ALTER TABLE numbers ADD CONSTRAINT numbers_status_check
  CHECK (status IN ('pending', 'active', 'high_risk', 'to_be_cancelled', 'cancelled', 'porting_in', 'ported_out'));
CREATE TABLE port_orders (
  id bigserial PRIMARY KEY,
  provider text COLLATE "C" NOT NULL,
  state text COLLATE "C" NOT NULL CHECK (state IN ('creating', 'submitted', 'foc_confirmed', 'exception', 'ported', 'cancelled')),
  carrier_status text NOT NULL DEFAULT '',
  foc_date text COLLATE "C",
  reason text,
  body text NOT NULL DEFAULT '{}',
  secrets text,
  loa_name text,
  loa bytea,
  invoice_name text,
  invoice bytea,
  created_at text COLLATE "C" NOT NULL,
  updated_at text COLLATE "C" NOT NULL
);
CREATE TABLE port_numbers (
  order_id bigint NOT NULL REFERENCES port_orders(id),
  number text COLLATE "C" NOT NULL,
  carrier_order text COLLATE "C",
  PRIMARY KEY (order_id, number)
);
CREATE INDEX port_numbers_number ON port_numbers (number);
CREATE TABLE port_outs (
  id text COLLATE "C" PRIMARY KEY,
  provider text COLLATE "C" NOT NULL,
  status text COLLATE "C" NOT NULL,
  numbers text COLLATE "C" NOT NULL,
  carrier_name text,
  foc_date text COLLATE "C",
  reason text,
  read_at text COLLATE "C" NOT NULL,
  answered_at text COLLATE "C"
);
ALTER TABLE carrier_calls DROP CONSTRAINT carrier_calls_kind_check;
ALTER TABLE carrier_calls ADD CONSTRAINT carrier_calls_kind_check CHECK (kind IN ('order', 'release', 'compliance', 'port'));
)sql",
    // 5 (SQLite's 12): emergency addresses and caller ID.
    R"sql(
CREATE TABLE addresses (
  id bigserial PRIMARY KEY,
  name text COLLATE "C" NOT NULL UNIQUE,
  customer_name text NOT NULL DEFAULT '',
  contact text NOT NULL DEFAULT '',
  street text NOT NULL,
  city text NOT NULL,
  region text NOT NULL,
  postal_code text NOT NULL,
  country text COLLATE "C" NOT NULL,
  provider text COLLATE "C",
  provider_ref text COLLATE "C",
  state text COLLATE "C" NOT NULL CHECK (state IN ('local', 'creating', 'validated')),
  created_at text COLLATE "C" NOT NULL
);
CREATE UNIQUE INDEX addresses_name ON addresses (lower(name));
ALTER TABLE numbers ADD COLUMN emergency_address text COLLATE "C" REFERENCES addresses(name);
ALTER TABLE numbers ADD COLUMN emergency_status text COLLATE "C"
  CHECK (emergency_status IS NULL OR emergency_status IN ('pending', 'registered', 'failed'));
ALTER TABLE numbers ADD COLUMN cnam text;
ALTER TABLE teams ADD COLUMN emergency_address text COLLATE "C" REFERENCES addresses(name);
CREATE INDEX numbers_emergency ON numbers (country, type, status, emergency_status) WHERE emergency_address IS NOT NULL;
ALTER TABLE carrier_calls DROP CONSTRAINT carrier_calls_kind_check;
ALTER TABLE carrier_calls ADD CONSTRAINT carrier_calls_kind_check
  CHECK (kind IN ('order', 'release', 'compliance', 'port', 'address', 'emergency', 'cnam'));
)sql",
    // 6: the commits of write transactions, by a random id written just before COMMIT, so that a
    // COMMIT whose answer a failover lost is settled by reading it back (the server's own
    // bookkeeping, not inventory: migrate leaves it behind). Pruned after a day.
    R"sql(
CREATE TABLE numctl_commits (id text COLLATE "C" PRIMARY KEY, at timestamptz NOT NULL DEFAULT now());
)sql",
};
constexpr int latest_version = static_cast<int>(std::size(migrations));

}  // namespace

PostgresStore::PostgresStore(const std::string& url, const OpenOptions& options) : db_(url) { migrate(options); }

std::string PostgresStore::commit_mark() {
  static std::mt19937_64 random{std::random_device{}()};
  char mark[33];
  std::snprintf(mark, sizeof mark, "%016llx%016llx", static_cast<unsigned long long>(random()),
                static_cast<unsigned long long>(random()));
  return mark;
}
PostgresStore::PostgresStore(const std::string& url, ConnectOnly) : db_(url) {}
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
    if (version > latest_version)
      fail(ErrorCategory::database, "the PostgreSQL database at " + db_.describe() +
                                        " was written by a newer numctl (schema version " + std::to_string(version) +
                                        ", this numctl knows up to " + std::to_string(latest_version) +
                                        "); upgrade numctl to use it. The database was not modified");
  };
  auto version = version_of();
  if (version) refuse_newer(*version);
  if (version && *version == latest_version) return;
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
    for (int v = from; v < latest_version; ++v) db_.script(migrations[v]);
    // The version row is updated in place, never deleted: a writer waiting on it (the writer
    // lock, SELECT ... FOR UPDATE) then locks its new version, where a deleted row would let
    // that writer through unlocked. Another process may have migrated while this one waited
    // for the creator lock: then there is nothing to write.
    if (from != latest_version) {
      auto updated = db_.exec("UPDATE numctl_schema SET version = $1", pg::Params().integer(latest_version));
      if (updated.changed() == 0)  // a new schema: its first row
        db_.exec("INSERT INTO numctl_schema (version) VALUES ($1)", pg::Params().integer(latest_version));
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

int Store::postgres_schema_version() { return postgres::latest_version; }

std::string masked_postgres(std::string_view url) { return pg::mask_url(url); }

}  // namespace numctl
