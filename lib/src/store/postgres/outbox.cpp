// The PostgreSQL engine's carrier outbox (calls owed to a carrier, claimed, settled) and
// reputation readings (a feed through COPY, and what the policy weighs).
#include "store_impl.hpp"

namespace numctl::postgres {
namespace {

constexpr const char* call_columns =
    "id, kind, number, provider, provider_ref, action, details, state, attempts, last_error, claimed_by, claimed_at,"
    " created_at, settled_at";

CarrierCall read_call(const pg::Result& r, int i) {
  CarrierCall c;
  c.id = r.integer(i, 0);
  c.kind = stored_call_kind(r.text(i, 1));
  c.number = r.text(i, 2);
  c.provider = r.text(i, 3);
  c.provider_ref = r.optional(i, 4);
  c.action = r.text(i, 5);
  c.details = r.text(i, 6);
  c.state = stored_call_state(r.text(i, 7));
  c.attempts = r.integer(i, 8);
  c.last_error = r.optional(i, 9);
  c.claimed_by = r.optional(i, 10);
  c.claimed_at = r.optional(i, 11);
  c.created_at = r.text(i, 12);
  c.settled_at = r.optional(i, 13);
  return c;
}

constexpr const char* reading_columns = "r.source, r.score, r.risk, r.labels, r.carrier, r.checked_at, r.imported_at";

Reading read_reading(const pg::Result& r, int i, int first, std::string number) {
  Reading out;
  out.number = std::move(number);
  out.source = r.text(i, first);
  out.score = static_cast<int>(r.integer(i, first + 1));
  out.risk = r.optional(i, first + 2);
  out.labels = r.text(i, first + 3);
  out.carrier = r.optional(i, first + 4);
  out.checked_at = r.text(i, first + 5);
  out.imported_at = r.text(i, first + 6);
  return out;
}

RiskSubject read_subject(const pg::Result& r, int i) {
  RiskSubject subject;
  read_record(r, i, subject.record);
  subject.risk_set_by = r.optional(i, store::number_column_count);
  subject.risk_changed_at = r.optional(i, store::number_column_count + 1);
  return subject;
}

const std::string joins = store::number_side_joins;

}  // namespace

bool PostgresStore::add_carrier_call(CarrierCall& call) {
  auto r = db_.exec(
      "INSERT INTO carrier_calls (kind, number, provider, provider_ref, action, details, state, attempts,"
      " last_error, claimed_by, claimed_at, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)"
      " ON CONFLICT DO NOTHING RETURNING id",
      pg::Params()
          .text(to_string(call.kind))
          .text(call.number)
          .text(call.provider)
          .optional(call.provider_ref)
          .text(call.action)
          .text(call.details)
          .text(to_string(call.state))
          .integer(call.attempts)
          .optional(call.last_error)
          .optional(call.claimed_by)
          .optional(call.claimed_at)
          .text(call.created_at));
  if (!r.rows()) return false;
  call.id = r.integer(0, 0);
  return true;
}

std::vector<CarrierCall> PostgresStore::open_carrier_calls(CallKind kind) {
  auto r = db_.exec(
      std::string("SELECT ") + call_columns + " FROM carrier_calls WHERE state IN ('owed', 'calling') AND kind = $1 ORDER BY id",
      pg::Params().text(to_string(kind)));
  std::vector<CarrierCall> out;
  for (int i = 0; i < r.rows(); ++i) out.push_back(read_call(r, i));
  return out;
}

std::optional<CarrierCall> PostgresStore::open_carrier_call(CallKind kind, std::string_view number) {
  // Inside a write transaction this read is a claim: the row is locked until commit, and a row
  // another transaction holds is skipped (that process is making the call).
  auto r = db_.exec(std::string("SELECT ") + call_columns +
                        " FROM carrier_calls WHERE state IN ('owed', 'calling') AND kind = $1 AND number = $2" +
                        (in_write_ ? " FOR UPDATE SKIP LOCKED" : ""),
                    pg::Params().text(to_string(kind)).text(number));
  if (!r.rows()) return std::nullopt;
  return read_call(r, 0);
}

void PostgresStore::update_carrier_call(const CarrierCall& call) {
  db_.exec(
      "UPDATE carrier_calls SET provider_ref = $2, state = $3, attempts = $4, last_error = $5, claimed_by = $6,"
      " claimed_at = $7, settled_at = $8, details = $9 WHERE id = $1",
      pg::Params()
          .integer(call.id)
          .optional(call.provider_ref)
          .text(to_string(call.state))
          .integer(call.attempts)
          .optional(call.last_error)
          .optional(call.claimed_by)
          .optional(call.claimed_at)
          .optional(call.settled_at)
          .text(call.details));
}

ReadingsAdded PostgresStore::add_readings(const std::vector<Reading>& readings, const std::vector<std::uint32_t>& order,
                                          const std::string& imported_at) {
  ReadingsAdded out;
  if (readings.empty()) return out;
  db_.exec("DROP TABLE IF EXISTS pg_temp.new_readings");
  db_.exec("CREATE TEMP TABLE new_readings (pos bigint, e164 text COLLATE \"C\", checked_at text, source text, score integer,"
           " risk text, labels text, carrier text) ON COMMIT DROP");
  db_.copy_in("COPY new_readings FROM STDIN", [&](const std::function<void(std::string_view)>& send) {
    std::string chunk;
    for (std::uint32_t i : order) {
      const Reading& r = readings[i];
      chunk += std::to_string(i);
      chunk += '\t';
      pg::copy_field(chunk, r.number);
      chunk += '\t';
      pg::copy_field(chunk, r.checked_at);
      chunk += '\t';
      pg::copy_field(chunk, r.source);
      chunk += '\t';
      chunk += std::to_string(r.score);
      chunk += '\t';
      if (r.risk) pg::copy_field(chunk, *r.risk);
      else chunk += "\\N";
      chunk += '\t';
      pg::copy_field(chunk, r.labels);
      chunk += '\t';
      if (r.carrier) pg::copy_field(chunk, *r.carrier);
      else chunk += "\\N";
      chunk += '\n';
      if (chunk.size() > (1 << 20)) {
        send(chunk);
        chunk.clear();
      }
    }
    if (!chunk.empty()) send(chunk);
  });
  auto unknown = db_.exec("SELECT pos FROM new_readings f WHERE NOT EXISTS (SELECT 1 FROM numbers n WHERE n.e164 = f.e164)"
                          " ORDER BY pos");
  for (int i = 0; i < unknown.rows(); ++i) out.unknown.push_back(static_cast<std::size_t>(unknown.integer(i, 0)));
  out.added = static_cast<std::size_t>(
      db_.exec("INSERT INTO reputation_readings (number_id, checked_at, source, score, risk, labels, carrier, imported_at)"
               " SELECT n.id, f.checked_at, f.source, f.score, f.risk, f.labels, f.carrier, $1"
               " FROM new_readings f JOIN numbers n ON n.e164 = f.e164 ORDER BY n.id ON CONFLICT DO NOTHING",
               pg::Params().text(imported_at))
          .changed());
  out.known = readings.size() - out.unknown.size() - out.added;
  db_.exec("DROP TABLE new_readings");
  return out;
}

void PostgresStore::for_each_reading(const ReadingQuery& query, const std::function<void(const Reading&)>& visit) {
  std::string sql = std::string("SELECT n.e164, ") + reading_columns +
                    " FROM reputation_readings r JOIN numbers n ON n.id = r.number_id WHERE true";
  pg::Params p;
  if (query.number) {
    p.text(*query.number);
    sql += " AND n.e164 = $" + std::to_string(p.size());
  }
  if (query.since) {
    p.text(*query.since);
    sql += " AND r.checked_at >= $" + std::to_string(p.size());
  }
  sql += " ORDER BY r.checked_at DESC, n.e164, r.source";
  if (query.limit) sql += " LIMIT " + std::to_string(query.limit);
  db_.stream(sql, p, [&](const pg::Result& r) { visit(read_reading(r, 0, 1, r.text(0, 0))); });
}

std::int64_t PostgresStore::prune_readings(const std::string& before_iso) {
  return db_.exec("DELETE FROM reputation_readings WHERE checked_at < $1", pg::Params().text(before_iso)).changed();
}

std::vector<RiskSubject> PostgresStore::risk_to_flag(const std::string& fresh_since, int flag_at) {
  auto r = db_.exec(std::string("SELECT ") + number_columns + ", n.risk_set_by, n.risk_changed_at, " + reading_columns +
                        " FROM reputation_readings r JOIN numbers n ON n.id = r.number_id" + joins +
                        " WHERE r.checked_at >= $1 AND r.score >= $2 AND n.status = 'active'"
                        " AND (n.risk_changed_at IS NULL OR r.checked_at > n.risk_changed_at)"
                        " ORDER BY n.e164, r.score DESC, r.checked_at DESC, r.source",
                    pg::Params().text(fresh_since).integer(flag_at));
  std::vector<RiskSubject> out;
  for (int i = 0; i < r.rows(); ++i) {
    if (out.empty() || out.back().record.id != r.integer(i, 0)) out.push_back(read_subject(r, i));
    out.back().readings.push_back(read_reading(r, i, store::number_column_count + 2, out.back().record.e164));
  }
  return out;
}

std::vector<RiskSubject> PostgresStore::risk_to_clear(const std::string& fresh_since, std::size_t recent) {
  auto numbers = db_.exec(std::string("SELECT ") + number_columns + ", n.risk_set_by, n.risk_changed_at" + number_joins +
                          " WHERE n.status = 'high_risk' AND n.risk_set_by = 'reputation' ORDER BY n.e164");
  std::vector<RiskSubject> out;
  for (int i = 0; i < numbers.rows(); ++i) out.push_back(read_subject(numbers, i));
  for (auto& subject : out) {
    auto r = db_.exec(std::string("SELECT ") + reading_columns +
                          " FROM reputation_readings r WHERE r.number_id = $1 AND r.checked_at >= $2"
                          " AND ($3::text IS NULL OR r.checked_at > $3) ORDER BY r.checked_at DESC, r.source LIMIT $4",
                      pg::Params().integer(subject.record.id).text(fresh_since).optional(subject.risk_changed_at)
                          .integer(static_cast<std::int64_t>(recent)));
    for (int i = 0; i < r.rows(); ++i) subject.readings.push_back(read_reading(r, i, 0, subject.record.e164));
  }
  return out;
}

std::vector<std::pair<NumberRecord, std::string>> PostgresStore::stale_readings(const std::string& before_iso) {
  auto r = db_.exec(std::string("SELECT ") + number_columns + ", x.last"
                        " FROM (SELECT number_id, max(checked_at) AS last FROM reputation_readings GROUP BY number_id) x"
                        " JOIN numbers n ON n.id = x.number_id" + joins +
                        " WHERE x.last < $1 AND n.status IN ('active', 'high_risk') ORDER BY x.last, n.e164",
                    pg::Params().text(before_iso));
  std::vector<std::pair<NumberRecord, std::string>> out;
  for (int i = 0; i < r.rows(); ++i) {
    NumberRecord record;
    read_record(r, i, record);
    out.emplace_back(std::move(record), r.text(i, store::number_column_count));
  }
  return out;
}

}  // namespace numctl::postgres
