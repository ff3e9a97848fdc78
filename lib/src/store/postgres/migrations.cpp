// The PostgreSQL engine's schema, one migration a version: each entry moves the schema one
// version forward. schema.cpp runs them; a new version is a new entry at the end.
#include "migrations.hpp"

#include <iterator>

namespace numctl::postgres {
namespace {

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
    // 7: orders placed before deadlines were stored (pending, no expires_at), few or none, by
    // purchase date. The planner takes most rows' expires_at IS NULL for a sign that most pending
    // orders lack one, and otherwise walked every pending order for the sweep, due and stats.
    // numbers_status also holds what a number costs, so the inventory's cost is an index-only
    // scan, as on SQLite.
    R"sql(
CREATE INDEX numbers_undated_orders ON numbers (bought_at) WHERE status = 'pending' AND expires_at IS NULL;
DROP INDEX numbers_status;
CREATE INDEX numbers_status ON numbers (status, type, currency, monthly_price);
)sql",
    // 8 (SQLite's 16): numbers_filter and numbers_status become one index, (status, type,
    // country, currency, monthly_price). Listings name the statuses they show and a filter by
    // country names every type, so filters stay index conditions on all three; each number
    // written keeps one index fewer.
    R"sql(
DROP INDEX numbers_filter;
DROP INDEX numbers_status;
CREATE INDEX numbers_status ON numbers (status, type, country, currency, monthly_price);
)sql",
};

}  // namespace

std::span<const char* const> schema_migrations() { return {migrations, std::size(migrations)}; }

}  // namespace numctl::postgres
