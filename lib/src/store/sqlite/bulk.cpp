// The SQLite engine's set-based writes: bulk import through the row feed, and the sweep's
// releases.
#include "store_impl.hpp"

#include <algorithm>
#include <tuple>

namespace numctl::sqlite {

std::vector<std::size_t> SqliteStore::insert_numbers(const std::vector<const NewNumber*>& rows, const std::string& audit_at,
                                              const std::string& actor, const std::string& action,
                                              const std::function<void(std::size_t)>& progress) {
  return guarded([&] {
    std::vector<std::size_t> taken;
    if (rows.empty()) return taken;
    if (!feed_registered_) {
      row_feed::register_on(db_.getHandle(), &feed_);
      register_search_text(db_.getHandle());
      feed_registered_ = true;
    }
    feed_ = {&rows, &progress};
    struct Detach {
      row_feed::Source& feed;
      ~Detach() { feed = {}; }
    } detach{feed_};
    // New rows get ids above the largest one, in row order: the search entries and audit rows
    // that follow are written in id order, which keeps the full-text index appending.
    std::int64_t before = db_.execAndGet("SELECT coalesce(max(id), 0) FROM numbers").getInt64();
    // Statements that write many rows are OR FAIL: SQLite then keeps no statement journal (a copy
    // of every page they change, migrations_emergency.cpp, version 14), and the command's
    // transaction is rolled back whole if one fails.
    SQLite::Statement insert(
        db_,
        "INSERT OR FAIL INTO numbers (e164, display, national_digits, country, type, status, previous_status, team_id,"
        " member_id, label, bought_at, activated_at, cancel_requested_at, release_at, expires_at, risk_reason,"
        " replaced_by, replaces, provider, provider_ref, currency, monthly_price)"
        " SELECT e164, display, national_digits, country, type, status, previous_status, team_id, member_id, label,"
        " bought_at, activated_at, cancel_requested_at, release_at, expires_at, risk_reason, replaced_by, replaces,"
        " provider, provider_ref, currency, monthly_price"
        " FROM numctl_new_numbers WHERE true"
        " ON CONFLICT (e164) DO NOTHING");
    auto added = static_cast<std::size_t>(insert.exec());
    feed_.progress = nullptr;
    if (added != rows.size()) {
      SQLite::Statement q(db_,
          "SELECT f.rowid - 1 FROM numctl_new_numbers f JOIN numbers n ON n.e164 = f.e164 WHERE n.id <= ? ORDER BY 1");
      q.bind(1, static_cast<int64_t>(before));
      while (q.executeStep()) taken.push_back(static_cast<std::size_t>(q.getColumn(0).getInt64()));
      return taken;
    }
    SQLite::Statement digits(db_,
        "INSERT INTO numbers_digits (rowid, digits) SELECT id, numctl_search_text(e164, national_digits)"
        " FROM numbers WHERE id > ? ORDER BY id");
    digits.bind(1, static_cast<int64_t>(before));
    digits.exec();
    SQLite::Statement audit(db_,
                            "INSERT OR FAIL INTO audit (at, actor, action, number, from_status, to_status, details)"
                            " SELECT ?1, ?2, ?3, e164, NULL, status, audit_details FROM numctl_new_numbers");
    audit.bind(1, audit_at);
    audit.bind(2, actor);
    audit.bind(3, action);
    audit.exec();
    return taken;
  });
}

namespace {
// The sweep reads through the partial indexes, which hold only the rows it may act on.
std::string release_sql() {
  return std::string("SELECT ") + number_columns + " FROM numbers n INDEXED BY numbers_release" + number_side_joins +
         " WHERE n.status = 'to_be_cancelled' AND n.release_at <= ? ORDER BY n.release_at, n.e164";
}
// Orders with a deadline, and those placed before deadlines were stored (no expires_at, by
// purchase date), each a range of numbers_expiry. Ordered by purchase date, then number.
std::string stale_pending_sql() {
  const std::string joins = number_side_joins;
  return std::string("SELECT ") + number_columns + " FROM numbers n INDEXED BY numbers_expiry" + joins +
         " WHERE n.status = 'pending' AND n.expires_at <= ?1 UNION ALL SELECT " + number_columns +
         " FROM numbers n INDEXED BY numbers_expiry" + joins +
         " WHERE n.status = 'pending' AND n.expires_at IS NULL AND n.bought_at <= ?2 ORDER BY 13, 2";
}

}  // namespace

std::vector<std::string> SqliteStore::explain_sweep() {
  return guarded([&] {
    std::vector<std::string> plan;
    for (const auto& sql : {release_sql(), stale_pending_sql()}) {
      SQLite::Statement q(db_, "EXPLAIN QUERY PLAN " + sql);
      q.bind(1, std::string("2026-01-01T00:00:00Z"));
      if (q.getBindParameterCount() > 1) q.bind(2, std::string("2025-12-01T00:00:00Z"));
      while (q.executeStep()) plan.push_back(q.getColumn(3).getString());
    }
    return plan;
  });
}

std::vector<NumberRecord> SqliteStore::release_due(const std::string& now_iso, Status to, const std::optional<std::string>& run_at,
                                             const std::string& actor, const std::string& action) {
  return guarded([&] {
    const std::string due_rows =
        "SELECT n.id FROM numbers n INDEXED BY numbers_release WHERE n.status = 'to_be_cancelled' AND n.release_at <= ?1";
    // OR FAIL, as the import's (above).
    SQLite::Statement audit(
        db_,
        "INSERT OR FAIL INTO audit (at, actor, action, number, from_status, to_status, details)"
        " SELECT ?1, ?3, ?4, n.e164, n.status, ?5,"
        "  CASE WHEN ?2 IS NULL"
        "   THEN json_object('release_at', n.release_at, 'team', COALESCE(t.name, mt.name), 'member', m.name)"
        "   ELSE json_object('release_at', n.release_at, 'team', COALESCE(t.name, mt.name), 'member', m.name, 'run_at', ?2)"
        "  END"
        " FROM numbers n LEFT JOIN teams t ON t.id = n.team_id LEFT JOIN members m ON m.id = n.member_id"
        " LEFT JOIN teams mt ON mt.id = m.team_id WHERE n.id IN (" +
            due_rows + ") ORDER BY n.release_at, n.e164");
    audit.bind(1, now_iso);
    bind_optional(audit, 2, run_at);
    audit.bind(3, actor);
    audit.bind(4, action);
    audit.bind(5, std::string(to_string(to)));
    if (audit.exec() == 0) return std::vector<NumberRecord>{};
    // The released rows come back from the UPDATE itself (no second pass over them), in the
    // columns of number_columns; released numbers have no assignment any more.
    SQLite::Statement update(
        db_,
        "UPDATE OR FAIL numbers SET status = ?2, team_id = NULL, member_id = NULL, emergency_address = NULL,"
        " emergency_status = NULL, cnam = NULL WHERE id IN (" +
            due_rows +
            ")"
            " RETURNING id, e164, display, country, type, status, previous_status, NULL, NULL, label, risk_reason,"
            " cancel_reason, bought_at, activated_at, cancel_requested_at, release_at, replaced_by, replaces, expires_at,"
            " provider, provider_ref, compliance, NULL, NULL, currency, last_inbound_at, last_outbound_at, NULL, NULL, NULL,"
            " monthly_price");
    update.bind(1, now_iso);
    update.bind(2, std::string(to_string(to)));
    auto due = collect(update);
    std::sort(due.begin(), due.end(), [](const NumberRecord& a, const NumberRecord& b) {
      return std::tie(a.release_at, a.e164) < std::tie(b.release_at, b.e164);
    });
    return due;
  });
}

std::pair<std::int64_t, std::int64_t> SqliteStore::count_due(const std::string& until_iso) {
  return guarded([&] {
    SQLite::Statement q(db_,
        "SELECT (SELECT count(*) FROM numbers INDEXED BY numbers_release"
        "         WHERE status = 'to_be_cancelled' AND release_at <= ?1),"
        "       (SELECT count(*) FROM numbers INDEXED BY numbers_expiry WHERE status = 'pending' AND expires_at <= ?1)");
    q.bind(1, until_iso);
    q.executeStep();
    return std::make_pair(q.getColumn(0).getInt64(), q.getColumn(1).getInt64());
  });
}

std::vector<NumberRecord> SqliteStore::releasing_until(const std::string& until_iso) {
  return guarded([&] {
    SQLite::Statement q(db_, release_sql());
    q.bind(1, until_iso);
    return collect(q);
  });
}

std::vector<NumberRecord> SqliteStore::pending_expired(const std::string& now_iso, const std::string& legacy_cutoff_iso) {
  return guarded([&] {
    SQLite::Statement q(db_, stale_pending_sql());
    q.bind(1, now_iso);
    q.bind(2, legacy_cutoff_iso);
    return collect(q);
  });
}

}  // namespace numctl::sqlite
