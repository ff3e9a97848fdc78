// The PostgreSQL engine's set-based writes: bulk import through COPY into a temporary table
// then INSERT ... SELECT, and the sweep's releases.
#include "store_impl.hpp"
#include "../new_rows.hpp"
#include "../tables.hpp"

#include <algorithm>
#include <future>
#include <tuple>

namespace numctl::postgres {
namespace {

// One field of COPY's text format: backslash, tab, newline and carriage return escaped; an
// empty view is NULL (\N), as the row feed of the SQLite engine has it.
void field(std::string& out, std::string_view value, bool empty_is_null = true) {
  if (value.empty() && empty_is_null) {
    out += "\\N";
    return;
  }
  pg::copy_field(out, value);
}

void field(std::string& out, const std::optional<std::int64_t>& value) {
  if (value) out += std::to_string(*value);
  else out += "\\N";
}

}  // namespace

// A table about to take more rows than it holds is filled faster without its secondary indexes
// and foreign keys, built again afterwards in one sorted pass each (as pg_restore does): the
// definitions are read from the catalog, dropped, and returned as the statements that restore
// them. All inside the write transaction, so a rollback restores them too. The table is locked
// meanwhile (readers of it wait for the commit): worth it only for a load at least as large as
// what is there, such as the first import of an inventory. Unique constraints too when the load
// cannot clash (an empty table and distinct rows); never the primary key, which others reference.
std::vector<std::string> PostgresStore::suspend_indexes(const std::string& table, bool unique_too) {
  std::vector<std::string> restore;
  auto keys = db_.exec("SELECT conname, pg_get_constraintdef(oid) FROM pg_constraint WHERE conrelid = $1::regclass"
                       " AND (contype = 'f' OR (contype = 'u' AND $2)) ORDER BY conname",
                       pg::Params().text(table).text(unique_too ? "true" : "false"));
  auto indexes = db_.exec("SELECT indexrelid::regclass::text, pg_get_indexdef(indexrelid) FROM pg_index"
                          " WHERE indrelid = $1::regclass AND NOT indisprimary AND NOT indisunique ORDER BY 1",
                          pg::Params().text(table));
  for (int i = 0; i < indexes.rows(); ++i) {
    db_.exec("DROP INDEX " + indexes.text(i, 0));
    restore.push_back(indexes.text(i, 1));
  }
  for (int i = 0; i < keys.rows(); ++i) {
    std::string name = store::quoted_column(keys.view(i, 0));
    db_.exec("ALTER TABLE " + table + " DROP CONSTRAINT " + name);
    restore.push_back("ALTER TABLE " + table + " ADD CONSTRAINT " + name + " " + keys.text(i, 1));
  }
  return restore;
}

void PostgresStore::restore_indexes(const std::vector<std::string>& statements) {
  if (statements.empty()) return;
  db_.exec("SET LOCAL maintenance_work_mem = '256MB'");  // sorted index builds in memory
  for (const auto& statement : statements) db_.exec(statement);
}

namespace {

// The columns of a new number, in the order number_fields writes them.
constexpr const char* new_number_columns =
    "e164, display, national_digits, search_text, country, type, status, previous_status, team_id, member_id, label,"
    " bought_at, activated_at, cancel_requested_at, release_at, expires_at, risk_reason, replaced_by, replaces, provider,"
    " provider_ref, currency, monthly_price";

void number_fields(std::string& chunk, const NewNumber& r) {
  for (std::string_view v : {std::string_view(r.e164), std::string_view(r.display), std::string_view(r.national_digits)}) {
    field(chunk, v, false);
    chunk += '\t';
  }
  field(chunk, search_text(r.e164, r.national_digits), false);
  for (std::string_view v : {std::string_view(r.country), to_string(r.type), to_string(r.status)}) {
    chunk += '\t';
    field(chunk, v, false);
  }
  chunk += '\t';
  field(chunk, r.previous_status ? to_string(*r.previous_status) : std::string_view());
  chunk += '\t';
  field(chunk, r.team_id);
  chunk += '\t';
  field(chunk, r.member_id);
  for (std::string_view v : {r.label, r.bought_at, r.activated_at, r.cancel_requested_at, r.release_at, r.expires_at,
                             r.risk_reason, r.replaced_by, r.replaces, r.provider, r.provider_ref, r.currency}) {
    chunk += '\t';
    field(chunk, v);
  }
  chunk += '\t';
  field(chunk, r.monthly_price);
}

}  // namespace

// COPY of one line per row, sent a megabyte at a time, progress reported as it goes. A load of
// more than one chunk builds the next chunk on a second thread while this one sends: the server
// takes a chunk about as fast as it is built, so one after the other left each side idle half
// the time. `line` only reads what it is given, so the two threads share nothing else; only
// this thread talks to the server and reports progress.
void copy_rows(pg::Connection& db, const std::string& sql, std::size_t count,
               const std::function<void(std::string&, std::size_t)>& line, const std::function<void(std::size_t)>& progress) {
  constexpr std::size_t full = (1 << 20) - 4096;
  struct Built {
    std::string chunk;
    std::size_t next = 0;  // the first row not in it
  };
  auto build = [&](std::size_t from, std::string chunk) {
    chunk.clear();
    std::size_t i = from;
    while (i < count && chunk.size() <= full) {
      line(chunk, i++);
      chunk += '\n';
    }
    return Built{std::move(chunk), i};
  };
  db.copy_in(sql, [&](const std::function<void(std::string_view)>& send) {
    std::string spare;  // grows once, in the second chunk's build, then each chunk reuses a buffer
    std::string first;
    first.reserve(1 << 20);
    Built now = build(0, std::move(first));
    for (;;) {
      std::future<Built> ahead;
      if (now.next < count) ahead = std::async(std::launch::async, build, now.next, std::move(spare));
      if (!now.chunk.empty()) send(now.chunk);  // should it throw, `ahead` is waited for first
      if (progress) progress(now.next);
      if (!ahead.valid()) return;
      spare = std::move(now.chunk);
      now = ahead.get();
    }
  });
}

std::vector<std::size_t> PostgresStore::insert_numbers(const std::vector<const NewNumber*>& rows, const std::string& audit_at,
                                                       const std::string& actor, const std::string& action,
                                                       const std::function<void(std::size_t)>& progress) {
  std::vector<std::size_t> taken;
  if (rows.empty()) return taken;
  auto sizes = db_.exec("SELECT (SELECT count(*) FROM numbers), (SELECT count(*) FROM audit)");
  std::int64_t held = sizes.integer(0, 0), logged = sizes.integer(0, 1);
  // A load larger than the inventory (a first import) builds the indexes once, at the end.
  constexpr std::size_t bulk = 10000;
  std::vector<std::string> numbers_indexes, audit_indexes;
  if (rows.size() >= bulk) {
    if (static_cast<std::int64_t>(rows.size()) >= held) {
      numbers_indexes = suspend_indexes("numbers", held == 0);
      bulk_loaded_ = true;
    }
    if (static_cast<std::int64_t>(rows.size()) >= logged) audit_indexes = suspend_indexes("audit", false);
  }
  auto audit_line = [&](std::string& chunk, std::size_t i) {
    store::prefetch_ahead(rows, i);
    const NewNumber& r = *rows[i];
    for (std::string_view v : {std::string_view(audit_at), std::string_view(actor), std::string_view(action),
                               std::string_view(r.e164)}) {
      field(chunk, v, false);
      chunk += '\t';
    }
    chunk += "\\N\t";
    field(chunk, to_string(r.status), false);
    chunk += '\t';
    field(chunk, r.audit_details, false);
  };
  if (held == 0) {
    // Into an empty inventory nothing can be taken (the rows are distinct): straight in.
    copy_rows(
        db_, std::string("COPY numbers (") + new_number_columns + ") FROM STDIN", rows.size(),
        [&](std::string& chunk, std::size_t i) {
          store::prefetch_ahead(rows, i);
          number_fields(chunk, *rows[i]);
        },
        progress);
  } else {
    // Else through a temporary table, so that the numbers already there are named, not refused.
    db_.exec("DROP TABLE IF EXISTS pg_temp.new_numbers");
    db_.exec(
        "CREATE TEMP TABLE new_numbers (pos bigint, e164 text COLLATE \"C\", display text, national_digits text,"
        " search_text text, country text, type text, status text, previous_status text, team_id bigint,"
        " member_id bigint, label text, bought_at text, activated_at text, cancel_requested_at text, release_at text,"
        " expires_at text, risk_reason text, replaced_by text, replaces text, provider text, provider_ref text,"
        " currency text, monthly_price bigint)"
        " ON COMMIT DROP");
    copy_rows(
        db_, "COPY new_numbers FROM STDIN", rows.size(),
        [&](std::string& chunk, std::size_t i) {
          store::prefetch_ahead(rows, i);
          chunk += std::to_string(i);
          chunk += '\t';
          number_fields(chunk, *rows[i]);
        },
        progress);
    std::int64_t before = db_.exec("SELECT coalesce(max(id), 0) FROM numbers").integer(0, 0);
    std::int64_t added = db_.exec(std::string("INSERT INTO numbers (") + new_number_columns + ") SELECT " +
                                  new_number_columns + " FROM new_numbers ORDER BY pos ON CONFLICT (e164) DO NOTHING")
                             .changed();
    if (added != static_cast<std::int64_t>(rows.size())) {
      auto r = db_.exec("SELECT f.pos FROM new_numbers f JOIN numbers n ON n.e164 = f.e164 WHERE n.id <= $1 ORDER BY 1",
                        pg::Params().integer(before));
      for (int i = 0; i < r.rows(); ++i) taken.push_back(static_cast<std::size_t>(r.integer(i, 0)));
    }
  }
  if (taken.empty())
    copy_rows(db_, "COPY audit (at, actor, action, number, from_status, to_status, details) FROM STDIN", rows.size(),
              audit_line, {});
  restore_indexes(numbers_indexes);
  restore_indexes(audit_indexes);
  return taken;
}

namespace {
const std::string joins = store::number_side_joins;
}

std::vector<NumberRecord> PostgresStore::release_due(const std::string& now_iso, Status to, const std::optional<std::string>& run_at,
                                                     const std::string& actor, const std::string& action) {
  // One statement: the due numbers are claimed (FOR UPDATE SKIP LOCKED: a number another
  // transaction holds is left to it, so two sweeps never release one number), an audit row
  // each names the assignment it had (compact JSON, as the SQLite engine writes it), and the
  // numbers are released, unassigned.
  // (Skipping locked rows never waits, so the claim needs no order; the sorts and hashes of a
  // large release stay in memory.)
  // The claim carries what the audit rows say, so they are written from it rather than from
  // numbers read again. Names are looked up only for an assigned number, one key each: the
  // planner's estimate of the claim comes from statistics taken before the numbers were
  // cancelled (a row or so), and with it, joins to teams and members rescanned them for every
  // number (audit rows of 50,000 releases: 1.2 s; 0.3 s so). The UPDATE finds the claimed rows by
  // id, not by ctid (0.3-0.6 s faster): a row another writer changed after this statement's
  // snapshot is claimed in its newest version, whose ctid the snapshot does not see, so that
  // number would get its audit row and stay unreleased. By id, the UPDATE follows the row to it.
  db_.exec("SET LOCAL work_mem = '64MB'");
  pg::Params p;
  p.text(now_iso).optional(run_at).text(actor).text(action).text(to_string(to));
  auto released = records(
      "WITH due AS (SELECT id, e164, status, release_at, team_id, member_id FROM numbers"
      "   WHERE status = 'to_be_cancelled' AND release_at <= $1 FOR UPDATE SKIP LOCKED),"
      " logged AS (INSERT INTO audit (at, actor, action, number, from_status, to_status, details)"
      "  SELECT $1, $3, $4, d.e164, d.status, $5,"
      "  '{\"release_at\":' || coalesce(to_json(d.release_at)::text, 'null') ||"
      "  ',\"team\":' || coalesce(to_json(CASE"
      "    WHEN d.team_id IS NOT NULL THEN (SELECT t.name FROM teams t WHERE t.id = d.team_id)"
      "    WHEN d.member_id IS NOT NULL THEN"
      "     (SELECT t.name FROM members m JOIN teams t ON t.id = m.team_id WHERE m.id = d.member_id) END)::text, 'null') ||"
      "  ',\"member\":' || coalesce(to_json(CASE"
      "    WHEN d.member_id IS NOT NULL THEN (SELECT m.name FROM members m WHERE m.id = d.member_id) END)::text, 'null') ||"
      "  CASE WHEN $2::text IS NULL THEN '' ELSE ',\"run_at\":' || to_json($2::text)::text END || '}'"
      "  FROM due d ORDER BY d.release_at, d.e164)"
      " UPDATE numbers n SET status = $5, team_id = NULL, member_id = NULL, emergency_address = NULL,"
      " emergency_status = NULL, cnam = NULL FROM due WHERE n.id = due.id"
      " RETURNING n.id, n.e164, n.display, n.country, n.type, n.status, n.previous_status, NULL, NULL, n.label,"
      " n.risk_reason, n.cancel_reason, n.bought_at, n.activated_at, n.cancel_requested_at, n.release_at, n.replaced_by,"
      " n.replaces, n.expires_at, n.provider, n.provider_ref, n.compliance, NULL, NULL, n.currency, n.last_inbound_at,"
      " n.last_outbound_at, NULL, NULL, NULL, n.monthly_price",
      p);
  std::sort(released.begin(), released.end(), [](const NumberRecord& a, const NumberRecord& b) {
    return std::tie(a.release_at, a.e164) < std::tie(b.release_at, b.e164);
  });
  return released;
}

std::pair<std::int64_t, std::int64_t> PostgresStore::count_due(const std::string& until_iso) {
  auto r = db_.exec("SELECT (SELECT count(*) FROM numbers WHERE status = 'to_be_cancelled' AND release_at <= $1),"
                    " (SELECT count(*) FROM numbers WHERE status = 'pending' AND expires_at <= $1)",
                    pg::Params().text(until_iso));
  return {r.integer(0, 0), r.integer(0, 1)};
}

std::vector<NumberRecord> PostgresStore::releasing_until(const std::string& until_iso) {
  return records(std::string("SELECT ") + number_columns + " FROM numbers n" + joins +
                     " WHERE n.status = 'to_be_cancelled' AND n.release_at <= $1 ORDER BY n.release_at, n.e164",
                 pg::Params().text(until_iso));
}

std::vector<NumberRecord> PostgresStore::pending_expired(const std::string& now_iso, const std::string& legacy_cutoff_iso) {
  // Two branches, each an index range of numbers_expiry: orders with a stored deadline, and the
  // few placed before deadlines were stored (expires_at IS NULL). One OR of the two walked every
  // pending order (0.1 s for 50,000 of them, when none was due).
  return records(std::string("SELECT ") + number_columns + " FROM numbers n" + joins +
                     " WHERE n.status = 'pending' AND n.expires_at <= $1 UNION ALL SELECT " + number_columns + " FROM numbers n" +
                     joins + " WHERE n.status = 'pending' AND n.expires_at IS NULL AND n.bought_at <= $2 ORDER BY 13, 2",
                 pg::Params().text(now_iso).text(legacy_cutoff_iso));
}

}  // namespace numctl::postgres
