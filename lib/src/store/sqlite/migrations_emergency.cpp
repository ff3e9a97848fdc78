// The SQLite engine's migrations to version 12 (emergency addresses and caller ID, emergency.hpp),
// 13 (stats from a covering index), 14 (numbers' foreign keys checked at commit) and 15 (CHECK
// constraints written out as comparisons).
#include "migrations.hpp"

namespace numctl::sqlite {

const char* emergency_migration() {
  return R"sql(
CREATE TABLE addresses (
  id INTEGER PRIMARY KEY,
  name TEXT NOT NULL UNIQUE COLLATE NOCASE,
  customer_name TEXT NOT NULL DEFAULT '',
  contact TEXT NOT NULL DEFAULT '',
  street TEXT NOT NULL,
  city TEXT NOT NULL,
  region TEXT NOT NULL,
  postal_code TEXT NOT NULL,
  country TEXT NOT NULL,
  provider TEXT,
  provider_ref TEXT,
  state TEXT NOT NULL CHECK (state IN ('local', 'creating', 'validated')),
  created_at TEXT NOT NULL
);
-- A number's registration and a team's default name an address; an address in use cannot go.
ALTER TABLE numbers ADD COLUMN emergency_address TEXT REFERENCES addresses(name);
ALTER TABLE numbers ADD COLUMN emergency_status TEXT
  CHECK (emergency_status IS NULL OR emergency_status IN ('pending', 'registered', 'failed'));
ALTER TABLE numbers ADD COLUMN cnam TEXT;
ALTER TABLE teams ADD COLUMN emergency_address TEXT REFERENCES addresses(name);
-- The gap report counts numbers by country, type and status over numbers_filter, less those
-- with an address, which this index holds (none at all costs nothing).
CREATE INDEX numbers_emergency ON numbers(country, type, status, emergency_status) WHERE emergency_address IS NOT NULL;
CREATE TABLE carrier_calls_v12 (
  id INTEGER PRIMARY KEY,
  kind TEXT NOT NULL CHECK (kind IN ('order', 'release', 'compliance', 'port', 'address', 'emergency', 'cnam')),
  number TEXT NOT NULL,
  provider TEXT NOT NULL,
  provider_ref TEXT,
  action TEXT NOT NULL,
  details TEXT NOT NULL DEFAULT '{}',
  state TEXT NOT NULL CHECK (state IN ('owed', 'calling', 'done', 'failed')),
  attempts INTEGER NOT NULL DEFAULT 0,
  last_error TEXT,
  claimed_by TEXT,
  claimed_at TEXT,
  created_at TEXT NOT NULL,
  settled_at TEXT
);
INSERT INTO carrier_calls_v12 SELECT * FROM carrier_calls;
DROP TABLE carrier_calls;
ALTER TABLE carrier_calls_v12 RENAME TO carrier_calls;
CREATE UNIQUE INDEX carrier_calls_open ON carrier_calls(kind, number) WHERE state IN ('owed', 'calling');
CREATE INDEX carrier_calls_state ON carrier_calls(state) WHERE state IN ('owed', 'calling');
)sql";
}

const char* stats_migration() {
  // 13: stats and cost read counts by status and type, and what billed numbers cost by currency,
  // from one covering index (a pass over 1,000,000 numbers: 0.17 s instead of 0.7 s).
  return R"sql(
DROP INDEX numbers_status;
CREATE INDEX numbers_status ON numbers(status, type, currency, monthly_price);
)sql";
}

const char* deferred_keys_migration() {
  // 14: numbers' foreign keys (team, member, emergency address) are checked when the transaction
  // commits, not by each statement. An UPDATE or INSERT that may change several rows and may fail
  // half-way makes SQLite copy every page it touches to a statement journal first, so that the
  // statement alone can be undone; an immediate foreign key always counts as "may fail". Every
  // numctl change is one transaction that is rolled back whole on any error, so statements are
  // written OR FAIL and a violation still fails the command, at its commit (measured: a sweep
  // releasing 50,000 numbers of a million wrote 45,000 statement-journal pages, now none).
  // SQLite changes a constraint only by building the table anew, ids kept (the trigram index and
  // the tables that point at numbers go by id), then its indexes.
  return R"sql(
CREATE TABLE numbers_v14 (
  id INTEGER PRIMARY KEY,
  e164 TEXT NOT NULL UNIQUE,
  display TEXT NOT NULL,
  national_digits TEXT NOT NULL,
  country TEXT NOT NULL,
  type TEXT NOT NULL CHECK (type IN ('local', 'mobile', 'toll_free')),
  status TEXT NOT NULL CHECK (status IN ('pending', 'active', 'high_risk', 'to_be_cancelled', 'cancelled', 'porting_in',
                                         'ported_out')),
  previous_status TEXT,
  team_id INTEGER REFERENCES teams(id) DEFERRABLE INITIALLY DEFERRED,
  member_id INTEGER REFERENCES members(id) DEFERRABLE INITIALLY DEFERRED,
  label TEXT,
  risk_reason TEXT,
  cancel_reason TEXT,
  bought_at TEXT,
  activated_at TEXT,
  cancel_requested_at TEXT,
  release_at TEXT,
  replaced_by TEXT,
  replaces TEXT,
  expires_at TEXT,
  provider TEXT,
  provider_ref TEXT,
  risk_set_by TEXT,
  risk_changed_at TEXT,
  compliance TEXT,
  monthly_price INTEGER CHECK (monthly_price IS NULL OR monthly_price >= 0),
  currency TEXT,
  last_inbound_at TEXT,
  last_outbound_at TEXT,
  emergency_address TEXT REFERENCES addresses(name) DEFERRABLE INITIALLY DEFERRED,
  emergency_status TEXT CHECK (emergency_status IS NULL OR emergency_status IN ('pending', 'registered', 'failed')),
  cnam TEXT,
  CHECK (team_id IS NULL OR member_id IS NULL)
);
-- Version 13's columns, in this order (11's, then 12's three).
INSERT INTO numbers_v14 SELECT * FROM numbers ORDER BY id;
DROP TABLE numbers;
ALTER TABLE numbers_v14 RENAME TO numbers;
CREATE INDEX numbers_filter ON numbers(country, type, status);
CREATE INDEX numbers_status ON numbers(status, type, currency, monthly_price);
CREATE INDEX numbers_release ON numbers(release_at) WHERE status = 'to_be_cancelled';
CREATE INDEX numbers_pending ON numbers(bought_at) WHERE status = 'pending';
CREATE INDEX numbers_member ON numbers(member_id) WHERE member_id IS NOT NULL;
CREATE INDEX numbers_assignee ON numbers(team_id, member_id, status);
CREATE INDEX numbers_expiry ON numbers(expires_at) WHERE status = 'pending';
CREATE INDEX numbers_compliance ON numbers(compliance) WHERE compliance IS NOT NULL;
CREATE INDEX numbers_emergency ON numbers(country, type, status, emergency_status) WHERE emergency_address IS NOT NULL;
)sql";
}

const char* literal_checks_migration() {
  // 15: the CHECK constraints of numbers and carrier_calls written out as comparisons. SQLite
  // evaluates `x IN ('a', 'b', 'c')` in a constraint by building a scratch b-tree of the list,
  // on every row an INSERT or UPDATE writes: two per number (type and status), each a temporary
  // database opened, filled and closed (measured with callgrind, a cancel of 50,000 numbers of a
  // million: 10.25 G instructions before, 7.04 G after). The values allowed are the same, so
  // every stored row passes both; the tables are built anew as version 14 did, ids kept.
  return R"sql(
CREATE TABLE numbers_v15 (
  id INTEGER PRIMARY KEY,
  e164 TEXT NOT NULL UNIQUE,
  display TEXT NOT NULL,
  national_digits TEXT NOT NULL,
  country TEXT NOT NULL,
  type TEXT NOT NULL CHECK (type = 'local' OR type = 'mobile' OR type = 'toll_free'),
  status TEXT NOT NULL CHECK (status = 'pending' OR status = 'active' OR status = 'high_risk' OR status = 'to_be_cancelled' OR
                              status = 'cancelled' OR status = 'porting_in' OR status = 'ported_out'),
  previous_status TEXT,
  team_id INTEGER REFERENCES teams(id) DEFERRABLE INITIALLY DEFERRED,
  member_id INTEGER REFERENCES members(id) DEFERRABLE INITIALLY DEFERRED,
  label TEXT,
  risk_reason TEXT,
  cancel_reason TEXT,
  bought_at TEXT,
  activated_at TEXT,
  cancel_requested_at TEXT,
  release_at TEXT,
  replaced_by TEXT,
  replaces TEXT,
  expires_at TEXT,
  provider TEXT,
  provider_ref TEXT,
  risk_set_by TEXT,
  risk_changed_at TEXT,
  compliance TEXT,
  monthly_price INTEGER CHECK (monthly_price IS NULL OR monthly_price >= 0),
  currency TEXT,
  last_inbound_at TEXT,
  last_outbound_at TEXT,
  emergency_address TEXT REFERENCES addresses(name) DEFERRABLE INITIALLY DEFERRED,
  emergency_status TEXT CHECK (emergency_status IS NULL OR emergency_status = 'pending' OR
                               emergency_status = 'registered' OR emergency_status = 'failed'),
  cnam TEXT,
  CHECK (team_id IS NULL OR member_id IS NULL)
);
INSERT INTO numbers_v15 SELECT * FROM numbers ORDER BY id;
DROP TABLE numbers;
ALTER TABLE numbers_v15 RENAME TO numbers;
CREATE INDEX numbers_filter ON numbers(country, type, status);
CREATE INDEX numbers_status ON numbers(status, type, currency, monthly_price);
CREATE INDEX numbers_release ON numbers(release_at) WHERE status = 'to_be_cancelled';
CREATE INDEX numbers_pending ON numbers(bought_at) WHERE status = 'pending';
CREATE INDEX numbers_member ON numbers(member_id) WHERE member_id IS NOT NULL;
CREATE INDEX numbers_assignee ON numbers(team_id, member_id, status);
CREATE INDEX numbers_expiry ON numbers(expires_at) WHERE status = 'pending';
CREATE INDEX numbers_compliance ON numbers(compliance) WHERE compliance IS NOT NULL;
CREATE INDEX numbers_emergency ON numbers(country, type, status, emergency_status) WHERE emergency_address IS NOT NULL;
CREATE TABLE carrier_calls_v15 (
  id INTEGER PRIMARY KEY,
  kind TEXT NOT NULL CHECK (kind = 'order' OR kind = 'release' OR kind = 'compliance' OR kind = 'port' OR kind = 'address' OR
                            kind = 'emergency' OR kind = 'cnam'),
  number TEXT NOT NULL,
  provider TEXT NOT NULL,
  provider_ref TEXT,
  action TEXT NOT NULL,
  details TEXT NOT NULL DEFAULT '{}',
  state TEXT NOT NULL CHECK (state = 'owed' OR state = 'calling' OR state = 'done' OR state = 'failed'),
  attempts INTEGER NOT NULL DEFAULT 0,
  last_error TEXT,
  claimed_by TEXT,
  claimed_at TEXT,
  created_at TEXT NOT NULL,
  settled_at TEXT
);
INSERT INTO carrier_calls_v15 SELECT * FROM carrier_calls ORDER BY id;
DROP TABLE carrier_calls;
ALTER TABLE carrier_calls_v15 RENAME TO carrier_calls;
CREATE UNIQUE INDEX carrier_calls_open ON carrier_calls(kind, number) WHERE state IN ('owed', 'calling');
CREATE INDEX carrier_calls_state ON carrier_calls(state) WHERE state IN ('owed', 'calling');
)sql";
}

const char* one_kind_index_migration() {
  // 16: numbers_filter (country, type, status) and numbers_status (status, type, currency,
  // monthly_price) become one index, (status, type, country, currency, monthly_price). Every
  // listing names the statuses it shows, and a filter by country names the types too (the SQLite
  // dialect in where_sql.cpp), so filters reach their rows by seeks as before; counts, stats and
  // the inventory's cost read it whole. Each number written maintains one index fewer (measured
  // at a million: the rows of an import 3.96 s -> 3.38 s, a cancel of 50,000 1.18 s -> 1.09 s).
  return R"sql(
DROP INDEX numbers_filter;
DROP INDEX numbers_status;
CREATE INDEX numbers_status ON numbers(status, type, country, currency, monthly_price);
)sql";
}

}  // namespace numctl::sqlite
