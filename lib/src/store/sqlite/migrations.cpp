// The SQLite engine's schema, one migration a version: each entry moves the schema one version
// forward. schema.cpp runs them; a new version is a new entry at the end.
#include "migrations.hpp"

#include <iterator>
#include <vector>

namespace numctl::sqlite {
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
    // 5: a pending order carries the date it expires (set when it is placed or imported, moved
    // on by each document submitted), and documents belong to one lifecycle of their number:
    // buying a released number again retires the documents of its earlier lifecycles. Orders
    // pending before this version keep expires_at NULL and expire by the older rule (purchase
    // or last document, plus pending_expiry_days); documents submitted before the number's
    // latest purchase are retired here.
    R"sql(
ALTER TABLE numbers ADD COLUMN expires_at TEXT;
ALTER TABLE documents ADD COLUMN retired_at TEXT;
UPDATE documents SET retired_at = (SELECT n.bought_at FROM numbers n WHERE n.id = documents.number_id)
 WHERE submitted_at < (SELECT n.bought_at FROM numbers n WHERE n.id = documents.number_id);
CREATE INDEX numbers_expiry ON numbers(expires_at) WHERE status = 'pending';
)sql",
    // 6: the inventory-wide log reads the audit by time, newest first.
    R"sql(
CREATE INDEX audit_at ON audit(at);
)sql",
    // 7: numbers live at a carrier. Each number records which and the carrier's id of it; every
    // call that orders or releases a number at a carrier is first written here as owed, claimed
    // by the process making it, and settled with its outcome, so that a crash never loses or
    // repeats one (a call claimed by a process that died is resolved by asking the carrier).
    R"sql(
ALTER TABLE numbers ADD COLUMN provider TEXT;
ALTER TABLE numbers ADD COLUMN provider_ref TEXT;
CREATE TABLE carrier_calls (
  id INTEGER PRIMARY KEY,
  kind TEXT NOT NULL CHECK (kind IN ('order', 'release')),
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
CREATE UNIQUE INDEX carrier_calls_open ON carrier_calls(kind, number) WHERE state IN ('owed', 'calling');
CREATE INDEX carrier_calls_state ON carrier_calls(state) WHERE state IN ('owed', 'calling');
)sql",
    // 8: reputation. Every reading a feed or a carrier gave is kept (one per number, time and
    // source: a feed imported twice adds nothing), by number and time for a number's trend and
    // by time for the fresh ones. A number remembers who changed its risk status last (an
    // operator or the reputation policy) and when, so the policy never overrides a person and
    // never flaps.
    R"sql(
CREATE TABLE reputation_readings (
  number_id INTEGER NOT NULL REFERENCES numbers(id),
  checked_at TEXT NOT NULL,
  source TEXT NOT NULL,
  score INTEGER NOT NULL CHECK (score BETWEEN 0 AND 100),
  -- Written out, not IN (...): an IN list builds a scratch table on every insert.
  risk TEXT CHECK (risk IS NULL OR risk = 'low' OR risk = 'medium' OR risk = 'high'),
  labels TEXT NOT NULL DEFAULT '',
  carrier TEXT,
  imported_at TEXT NOT NULL,
  PRIMARY KEY (number_id, checked_at, source)
) WITHOUT ROWID;
CREATE INDEX reputation_by_time ON reputation_readings(checked_at);
ALTER TABLE numbers ADD COLUMN risk_set_by TEXT;
ALTER TABLE numbers ADD COLUMN risk_changed_at TEXT;
)sql",
    // 9: compliance at the carrier. A profile is what numctl built at the carrier for a country
    // and type (Twilio's bundle, Telnyx's requirement group): its state there, the carrier's
    // ids and reason, and in `body` the fields, the objects made and the review history; its
    // files are kept here as numbers' documents are. What a carrier requires is cached with the
    // time it was read. A number names the profile its order used; calls that build or submit a
    // profile go through the outbox as orders and releases do.
    R"sql(
CREATE TABLE compliance_profiles (
  id INTEGER PRIMARY KEY,
  name TEXT NOT NULL UNIQUE COLLATE NOCASE,
  provider TEXT NOT NULL,
  country TEXT NOT NULL,
  type TEXT NOT NULL CHECK (type IN ('local', 'mobile', 'toll_free')),
  end_user_type TEXT NOT NULL DEFAULT '',
  state TEXT NOT NULL CHECK (state IN ('creating', 'draft', 'in_review', 'approved', 'rejected')),
  carrier_status TEXT NOT NULL DEFAULT '',
  carrier_ref TEXT,
  reason TEXT,
  body TEXT NOT NULL DEFAULT '{}',
  created_at TEXT NOT NULL,
  updated_at TEXT NOT NULL
);
CREATE TABLE compliance_documents (
  id INTEGER PRIMARY KEY,
  profile_id INTEGER NOT NULL REFERENCES compliance_profiles(id),
  kind TEXT NOT NULL,
  filename TEXT NOT NULL,
  size INTEGER NOT NULL,
  sha256 TEXT NOT NULL,
  content BLOB NOT NULL,
  added_at TEXT NOT NULL
);
CREATE INDEX compliance_documents_profile ON compliance_documents(profile_id);
CREATE TABLE regulations (
  provider TEXT NOT NULL,
  country TEXT NOT NULL,
  type TEXT NOT NULL,
  body TEXT NOT NULL,
  read_at TEXT NOT NULL,
  PRIMARY KEY (provider, country, type)
);
ALTER TABLE numbers ADD COLUMN compliance TEXT;
CREATE INDEX numbers_compliance ON numbers(compliance) WHERE compliance IS NOT NULL;
CREATE TABLE carrier_calls_v9 (
  id INTEGER PRIMARY KEY,
  kind TEXT NOT NULL CHECK (kind IN ('order', 'release', 'compliance')),
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
INSERT INTO carrier_calls_v9 SELECT id, kind, number, provider, provider_ref, action, details, state, attempts, last_error,
  claimed_by, claimed_at, created_at, settled_at FROM carrier_calls;
DROP TABLE carrier_calls;
ALTER TABLE carrier_calls_v9 RENAME TO carrier_calls;
CREATE UNIQUE INDEX carrier_calls_open ON carrier_calls(kind, number) WHERE state IN ('owed', 'calling');
CREATE INDEX carrier_calls_state ON carrier_calls(state) WHERE state IN ('owed', 'calling');
)sql",
    // 10: what numbers cost and whether they ring. A number carries its monthly price in minor
    // units of its currency (ISO 4217) and when it last took and made a call. A carrier's price
    // list is cached per country and type with the time it was read. Call records are kept only
    // as idleness needs them: their key (number, time, caller) for the days still counted, so a
    // feed imported twice adds nothing, and calls per number and day; `usage prune` drops both
    // past a date. A carrier's call records are read on from where the last refresh stopped.
    R"sql(
ALTER TABLE numbers ADD COLUMN monthly_price INTEGER CHECK (monthly_price IS NULL OR monthly_price >= 0);
ALTER TABLE numbers ADD COLUMN currency TEXT;
ALTER TABLE numbers ADD COLUMN last_inbound_at TEXT;
ALTER TABLE numbers ADD COLUMN last_outbound_at TEXT;
CREATE TABLE prices (
  provider TEXT NOT NULL,
  country TEXT NOT NULL,
  type TEXT NOT NULL,
  currency TEXT NOT NULL,
  monthly_price INTEGER NOT NULL,
  read_at TEXT NOT NULL,
  PRIMARY KEY (provider, country, type)
);
CREATE TABLE usage_calls (
  number_id INTEGER NOT NULL,
  at TEXT NOT NULL,
  caller TEXT NOT NULL,
  PRIMARY KEY (number_id, at, caller)
) WITHOUT ROWID;
CREATE TABLE usage_days (
  number_id INTEGER NOT NULL,
  day TEXT NOT NULL,
  inbound INTEGER NOT NULL DEFAULT 0,
  outbound INTEGER NOT NULL DEFAULT 0,
  PRIMARY KEY (number_id, day)
) WITHOUT ROWID;
CREATE TABLE usage_cursors (
  source TEXT PRIMARY KEY,
  read_until TEXT NOT NULL,
  read_at TEXT NOT NULL
);
)sql",
    // 11: porting. Two statuses join the CHECK (a number on a port-in order, one that left by
    // port): SQLite changes a constraint only by building the table anew, ids kept (the trigram
    // index and the tables that point at numbers go by id). A port-in order is numctl's: the
    // request (secrets apart), the carrier's orders it was split into and its history in `body`;
    // the PIN and account number in `secrets` only until the carrier has them; the letter of
    // authorization and the invoice as bytes. port_numbers names each order's numbers and the
    // carrier order each went into. port_outs keeps the carrier's port-out requests as last read,
    // so that `due` lists those waiting for an answer without calling the carrier.
    R"sql(
CREATE TABLE numbers_v11 (
  id INTEGER PRIMARY KEY,
  e164 TEXT NOT NULL UNIQUE,
  display TEXT NOT NULL,
  national_digits TEXT NOT NULL,
  country TEXT NOT NULL,
  type TEXT NOT NULL CHECK (type IN ('local', 'mobile', 'toll_free')),
  status TEXT NOT NULL CHECK (status IN ('pending', 'active', 'high_risk', 'to_be_cancelled', 'cancelled', 'porting_in',
                                         'ported_out')),
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
  CHECK (team_id IS NULL OR member_id IS NULL)
);
INSERT INTO numbers_v11 (id, e164, display, national_digits, country, type, status, previous_status, team_id, member_id, label,
  risk_reason, cancel_reason, bought_at, activated_at, cancel_requested_at, release_at, replaced_by, replaces, expires_at,
  provider, provider_ref, risk_set_by, risk_changed_at, compliance, monthly_price, currency, last_inbound_at, last_outbound_at)
SELECT id, e164, display, national_digits, country, type, status, previous_status, team_id, member_id, label,
  risk_reason, cancel_reason, bought_at, activated_at, cancel_requested_at, release_at, replaced_by, replaces, expires_at,
  provider, provider_ref, risk_set_by, risk_changed_at, compliance, monthly_price, currency, last_inbound_at, last_outbound_at
FROM numbers ORDER BY id;
DROP TABLE numbers;
ALTER TABLE numbers_v11 RENAME TO numbers;
CREATE INDEX numbers_filter ON numbers(country, type, status);
CREATE INDEX numbers_status ON numbers(status, type);
CREATE INDEX numbers_release ON numbers(release_at) WHERE status = 'to_be_cancelled';
CREATE INDEX numbers_pending ON numbers(bought_at) WHERE status = 'pending';
CREATE INDEX numbers_member ON numbers(member_id) WHERE member_id IS NOT NULL;
CREATE INDEX numbers_assignee ON numbers(team_id, member_id, status);
CREATE INDEX numbers_expiry ON numbers(expires_at) WHERE status = 'pending';
CREATE INDEX numbers_compliance ON numbers(compliance) WHERE compliance IS NOT NULL;
CREATE TABLE port_orders (
  id INTEGER PRIMARY KEY,
  provider TEXT NOT NULL,
  state TEXT NOT NULL CHECK (state IN ('creating', 'submitted', 'foc_confirmed', 'exception', 'ported', 'cancelled')),
  carrier_status TEXT NOT NULL DEFAULT '',
  foc_date TEXT,
  reason TEXT,
  body TEXT NOT NULL DEFAULT '{}',
  secrets TEXT,
  loa_name TEXT,
  loa BLOB,
  invoice_name TEXT,
  invoice BLOB,
  created_at TEXT NOT NULL,
  updated_at TEXT NOT NULL
);
CREATE TABLE port_numbers (
  order_id INTEGER NOT NULL REFERENCES port_orders(id),
  number TEXT NOT NULL,
  carrier_order TEXT,
  PRIMARY KEY (order_id, number)
) WITHOUT ROWID;
CREATE INDEX port_numbers_number ON port_numbers(number);
CREATE TABLE port_outs (
  id TEXT PRIMARY KEY,
  provider TEXT NOT NULL,
  status TEXT NOT NULL,
  numbers TEXT NOT NULL,
  carrier_name TEXT,
  foc_date TEXT,
  reason TEXT,
  read_at TEXT NOT NULL,
  answered_at TEXT
);
CREATE TABLE carrier_calls_v11 (
  id INTEGER PRIMARY KEY,
  kind TEXT NOT NULL CHECK (kind IN ('order', 'release', 'compliance', 'port')),
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
INSERT INTO carrier_calls_v11 SELECT * FROM carrier_calls;
DROP TABLE carrier_calls;
ALTER TABLE carrier_calls_v11 RENAME TO carrier_calls;
CREATE UNIQUE INDEX carrier_calls_open ON carrier_calls(kind, number) WHERE state IN ('owed', 'calling');
CREATE INDEX carrier_calls_state ON carrier_calls(state) WHERE state IN ('owed', 'calling');
)sql",
};

}  // namespace

std::span<const char* const> schema_migrations() {
  static const std::vector<const char*> all = [] {
    std::vector<const char*> out(std::begin(migrations), std::end(migrations));
    out.insert(out.end(), {emergency_migration(), stats_migration(), deferred_keys_migration(), literal_checks_migration(),
                           one_kind_index_migration()});
    return out;
  }();
  return all;
}

}  // namespace numctl::sqlite
