// The PostgreSQL engine's set-based writes: bulk import through COPY into a temporary table
// then INSERT ... SELECT, and the sweep's releases.
#include "store_impl.hpp"

#include <algorithm>
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

std::vector<std::size_t> PostgresStore::insert_numbers(const std::vector<const NewNumber*>& rows, const std::string& audit_at,
                                                       const std::string& actor, const std::string& action,
                                                       const std::function<void(std::size_t)>& progress) {
  std::vector<std::size_t> taken;
  if (rows.empty()) return taken;
  db_.exec("DROP TABLE IF EXISTS pg_temp.new_numbers");
  db_.exec("CREATE TEMP TABLE new_numbers (pos bigint, e164 text COLLATE \"C\", display text, national_digits text,"
           " search_text text, country text, type text, status text, previous_status text, team_id bigint,"
           " member_id bigint, label text, bought_at text, activated_at text, cancel_requested_at text, release_at text,"
           " expires_at text, audit_details text, risk_reason text, replaced_by text, replaces text, provider text,"
           " provider_ref text) ON COMMIT DROP");
  db_.copy_in("COPY new_numbers FROM STDIN", [&](const std::function<void(std::string_view)>& send) {
    std::string chunk;
    chunk.reserve(1 << 20);
    for (std::size_t i = 0; i < rows.size(); ++i) {
      const NewNumber& r = *rows[i];
      chunk += std::to_string(i);
      for (std::string_view v : {std::string_view(r.e164), std::string_view(r.display), std::string_view(r.national_digits)}) {
        chunk += '\t';
        field(chunk, v, false);
      }
      chunk += '\t';
      field(chunk, search_text(r.e164, r.national_digits), false);
      chunk += '\t';
      field(chunk, r.country, false);
      chunk += '\t';
      field(chunk, to_string(r.type), false);
      chunk += '\t';
      field(chunk, to_string(r.status), false);
      chunk += '\t';
      field(chunk, r.previous_status ? to_string(*r.previous_status) : std::string_view());
      chunk += '\t';
      field(chunk, r.team_id);
      chunk += '\t';
      field(chunk, r.member_id);
      for (std::string_view v : {r.label, r.bought_at, r.activated_at, r.cancel_requested_at, r.release_at, r.expires_at,
                                 r.audit_details, r.risk_reason, r.replaced_by, r.replaces, r.provider, r.provider_ref}) {
        chunk += '\t';
        field(chunk, v);
      }
      chunk += '\n';
      if (chunk.size() > (1 << 20) - 4096) {
        send(chunk);
        chunk.clear();
        if (progress) progress(i + 1);
      }
    }
    if (!chunk.empty()) send(chunk);
    if (progress) progress(rows.size());
  });
  std::int64_t before = db_.exec("SELECT coalesce(max(id), 0) FROM numbers").integer(0, 0);
  std::int64_t added = db_.exec(
      "INSERT INTO numbers (e164, display, national_digits, search_text, country, type, status, previous_status, team_id,"
      " member_id, label, bought_at, activated_at, cancel_requested_at, release_at, expires_at, risk_reason, replaced_by,"
      " replaces, provider, provider_ref)"
      " SELECT e164, display, national_digits, search_text, country, type, status, previous_status, team_id, member_id,"
      " label, bought_at, activated_at, cancel_requested_at, release_at, expires_at, risk_reason, replaced_by, replaces,"
      " provider, provider_ref FROM new_numbers ORDER BY pos ON CONFLICT (e164) DO NOTHING").changed();
  if (added != static_cast<std::int64_t>(rows.size())) {
    auto r = db_.exec("SELECT f.pos FROM new_numbers f JOIN numbers n ON n.e164 = f.e164 WHERE n.id <= $1 ORDER BY 1",
                      pg::Params().integer(before));
    for (int i = 0; i < r.rows(); ++i) taken.push_back(static_cast<std::size_t>(r.integer(i, 0)));
    return taken;
  }
  db_.exec("INSERT INTO audit (at, actor, action, number, from_status, to_status, details)"
           " SELECT $1, $2, $3, e164, NULL, status, audit_details FROM new_numbers ORDER BY pos",
           pg::Params().text(audit_at).text(actor).text(action));
  return taken;
}

namespace {
const std::string joins =
    " LEFT JOIN teams t ON t.id = n.team_id LEFT JOIN members m ON m.id = n.member_id LEFT JOIN teams mt ON mt.id = m.team_id";
}

std::vector<NumberRecord> PostgresStore::release_due(const std::string& now_iso, Status to, const std::optional<std::string>& run_at,
                                                     const std::string& actor, const std::string& action) {
  // One statement: the due numbers are claimed (FOR UPDATE SKIP LOCKED: a number another
  // transaction holds is left to it, so two sweeps never release one number), an audit row
  // each names the assignment it had (compact JSON, as the SQLite engine writes it), and the
  // numbers are released, unassigned.
  pg::Params p;
  p.text(now_iso).optional(run_at).text(actor).text(action).text(to_string(to));
  auto released = records(
      "WITH due AS (SELECT id FROM numbers WHERE status = 'to_be_cancelled' AND release_at <= $1"
      "   ORDER BY release_at, e164 FOR UPDATE SKIP LOCKED),"
      " logged AS (INSERT INTO audit (at, actor, action, number, from_status, to_status, details)"
      "  SELECT $1, $3, $4, n.e164, n.status, $5,"
      "  '{\"release_at\":' || coalesce(to_json(n.release_at)::text, 'null') ||"
      "  ',\"team\":' || coalesce(to_json(COALESCE(t.name, mt.name))::text, 'null') ||"
      "  ',\"member\":' || coalesce(to_json(m.name)::text, 'null') ||"
      "  CASE WHEN $2::text IS NULL THEN '' ELSE ',\"run_at\":' || to_json($2::text)::text END || '}'"
      "  FROM numbers n" + joins + " WHERE n.id IN (SELECT id FROM due) ORDER BY n.release_at, n.e164)"
      " UPDATE numbers n SET status = $5, team_id = NULL, member_id = NULL FROM due WHERE n.id = due.id"
      " RETURNING n.id, n.e164, n.display, n.country, n.type, n.status, n.previous_status, NULL, NULL, n.label,"
      " n.risk_reason, n.cancel_reason, n.bought_at, n.activated_at, n.cancel_requested_at, n.release_at, n.replaced_by,"
      " n.replaces, n.expires_at, n.provider, n.provider_ref",
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
  return records(std::string("SELECT ") + number_columns + " FROM numbers n" + joins +
                     " WHERE n.status = 'pending' AND (n.expires_at <= $1 OR (n.expires_at IS NULL AND n.bought_at <= $2))"
                     " ORDER BY n.bought_at, n.e164",
                 pg::Params().text(now_iso).text(legacy_cutoff_iso));
}

}  // namespace numctl::postgres
