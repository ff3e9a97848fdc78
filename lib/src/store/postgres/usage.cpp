// The PostgreSQL engine's prices and call records (see the SQLite engine's usage.cpp): the same
// tables and rules; a feed of call records goes to a temporary table by COPY, a megabyte at a time.
#include "store_impl.hpp"
#include "store/money_sql.hpp"

namespace numctl::postgres {

std::optional<std::pair<Money, std::string>> PostgresStore::cached_price(const std::string& provider, const std::string& country,
                                                                         NumberType type) {
  auto r = db_.exec("SELECT monthly_price, currency, read_at FROM prices WHERE provider = $1 AND country = $2 AND type = $3",
                    pg::Params().text(provider).text(country).text(to_string(type)));
  if (!r.rows()) return std::nullopt;
  return std::pair{Money{r.integer(0, 0), r.text(0, 1)}, r.text(0, 2)};
}

void PostgresStore::cache_price(const std::string& provider, const std::string& country, NumberType type, const Money& price,
                                const std::string& read_at) {
  db_.exec(
      "INSERT INTO prices (provider, country, type, currency, monthly_price, read_at) VALUES ($1, $2, $3, $4, $5, $6)"
      " ON CONFLICT (provider, country, type) DO UPDATE SET currency = excluded.currency,"
      " monthly_price = excluded.monthly_price, read_at = excluded.read_at",
      pg::Params().text(provider).text(country).text(to_string(type)).text(price.currency).integer(price.minor).text(read_at));
}

std::vector<std::pair<std::string, NumberType>> PostgresStore::held_kinds(const std::string& provider) {
  auto r = db_.exec("SELECT DISTINCT country, type FROM numbers WHERE status IN (" + store::status_list(lifecycle::billed) +
                        ") AND COALESCE(provider, '') = $1"
                        " ORDER BY country, type",
                    pg::Params().text(provider));
  std::vector<std::pair<std::string, NumberType>> out;
  for (int i = 0; i < r.rows(); ++i) out.emplace_back(r.text(i, 0), parse_number_type(r.view(i, 1)).value_or(NumberType::local));
  return out;
}

std::int64_t PostgresStore::set_prices(const std::string& provider, const std::string& country, NumberType type,
                                       const Money& price, const std::string& at, const std::string& actor) {
  const std::string which = " FROM numbers WHERE COALESCE(provider, '') = $1 AND country = $2 AND type = $3 AND status IN (" +
                            store::status_list(lifecycle::billed) +
                            ")"
                            " AND (monthly_price IS DISTINCT FROM $4::bigint OR currency IS DISTINCT FROM $5::text)";
  std::string details =
      "{\"monthly_price\":\"" + format_amount(price.minor, price.currency) + "\",\"currency\":\"" + price.currency + "\"}";
  auto params = [&] {
    return pg::Params().text(provider).text(country).text(to_string(type)).integer(price.minor).text(price.currency);
  };
  db_.exec(
      "INSERT INTO audit (at, actor, action, number, from_status, to_status, details)"
      " SELECT $6, $7, 'price', e164, status, status, $8" +
          which + " ORDER BY e164",
      params().text(at).text(actor).text(details));
  return db_.exec("UPDATE numbers SET monthly_price = $4, currency = $5 WHERE id IN (SELECT id" + which + ")", params())
      .changed();
}

std::vector<CostRow> PostgresStore::cost(CostGroup by) {
  auto r = db_.exec(store::cost_sql(by));
  std::vector<CostRow> out;
  for (int i = 0; i < r.rows(); ++i) out.push_back(CostRow{r.optional(i, 0), r.optional(i, 1), r.integer(i, 2), r.integer(i, 3)});
  return out;
}

void PostgresStore::for_each_status_change(CostGroup by, const std::string& until,
                                           const std::function<void(const StatusChange&)>& visit) {
  StatusChange change;
  auto details_field = [](std::string_view key) { return "(a.details::json ->> '" + std::string(key) + "')"; };
  db_.stream(store::status_changes_sql(by, "$1", details_field), pg::Params().text(until), [&](const pg::Result& r) {
    change.number = r.text(0, 0);
    change.at = r.text(0, 1);
    change.from = r.optional(0, 2);
    change.to = r.optional(0, 3);
    change.group = r.optional(0, 4);
    change.currency = r.optional(0, 5);
    change.monthly_price = r.null(0, 6) ? std::nullopt : std::optional(r.integer(0, 6));
    visit(change);
  });
}

void PostgresStore::begin_calls() {
  db_.exec(
      "CREATE TEMP TABLE IF NOT EXISTS usage_feed (number text COLLATE \"C\" NOT NULL, at text COLLATE \"C\" NOT NULL,"
      " caller text COLLATE \"C\" NOT NULL, inbound integer NOT NULL) ON COMMIT DROP");
  db_.exec("TRUNCATE usage_feed");
  call_buffer_.clear();
}

void PostgresStore::add_call(const std::string& number, const std::string& at, const std::string& caller, bool inbound) {
  pg::copy_field(call_buffer_, number);
  call_buffer_ += '\t';
  pg::copy_field(call_buffer_, at);
  call_buffer_ += '\t';
  pg::copy_field(call_buffer_, caller);
  call_buffer_ += inbound ? "\t1\n" : "\t0\n";
  if (call_buffer_.size() >= (1u << 20)) flush_calls();
}

void PostgresStore::flush_calls() {
  if (call_buffer_.empty()) return;
  db_.copy_in("COPY usage_feed (number, at, caller, inbound) FROM STDIN",
              [&](const std::function<void(std::string_view)>& send) { send(call_buffer_); });
  call_buffer_.clear();
}

CallsStored PostgresStore::finish_calls(const std::string& keep_from) {
  flush_calls();
  CallsStored out;
  db_.exec("DROP TABLE IF EXISTS usage_ids");
  db_.exec(
      "CREATE TEMP TABLE usage_ids ON COMMIT DROP AS SELECT n.id AS number_id, f.at, f.caller, f.inbound FROM usage_feed f"
      " LEFT JOIN numbers n ON n.e164 = f.number");
  auto counts = db_.exec(
      "SELECT count(*) FILTER (WHERE number_id IS NULL), count(*) FILTER (WHERE number_id IS NOT NULL AND at < $1),"
      " count(*) FILTER (WHERE number_id IS NOT NULL AND at >= $1) FROM usage_ids",
      pg::Params().text(keep_from));
  out.unknown = counts.integer(0, 0);
  out.older = counts.integer(0, 1);
  std::int64_t kept = counts.integer(0, 2);
  db_.exec("DROP TABLE IF EXISTS usage_new");
  db_.exec(
      "CREATE TEMP TABLE usage_new ON COMMIT DROP AS SELECT f.number_id, f.at, f.caller, max(f.inbound) AS inbound FROM "
      "usage_ids f"
      " WHERE f.number_id IS NOT NULL AND f.at >= $1 AND NOT EXISTS (SELECT 1 FROM usage_calls u"
      " WHERE u.number_id = f.number_id AND u.at = f.at AND u.caller = f.caller) GROUP BY f.number_id, f.at, f.caller",
      pg::Params().text(keep_from));
  out.added = db_.exec("SELECT count(*) FROM usage_new").integer(0, 0);
  out.known = kept - out.added;
  db_.exec("INSERT INTO usage_calls (number_id, at, caller) SELECT number_id, at, caller FROM usage_new");
  db_.exec(
      "INSERT INTO usage_days (number_id, day, inbound, outbound)"
      " SELECT number_id, substr(at, 1, 10), sum(inbound), sum(1 - inbound) FROM usage_new GROUP BY number_id, substr(at, 1, 10)"
      " ON CONFLICT (number_id, day) DO UPDATE SET inbound = usage_days.inbound + excluded.inbound,"
      " outbound = usage_days.outbound + excluded.outbound");
  db_.exec(
      "UPDATE numbers SET"
      " last_inbound_at = GREATEST(numbers.last_inbound_at, l.inbound_at),"
      " last_outbound_at = GREATEST(numbers.last_outbound_at, l.outbound_at)"
      " FROM (SELECT number_id, max(at) FILTER (WHERE inbound = 1) AS inbound_at,"
      " max(at) FILTER (WHERE inbound = 0) AS outbound_at FROM usage_ids WHERE number_id IS NOT NULL"
      " GROUP BY number_id) AS l WHERE numbers.id = l.number_id");
  db_.exec("DROP TABLE usage_new");
  db_.exec("DROP TABLE usage_ids");
  db_.exec("TRUNCATE usage_feed");
  return out;
}

std::int64_t PostgresStore::prune_usage(const std::string& before) {
  auto dropped = db_.exec("DELETE FROM usage_days WHERE day < $1", pg::Params().text(before)).changed();
  db_.exec("DELETE FROM usage_calls WHERE at < $1", pg::Params().text(before));
  return dropped;
}

std::optional<std::string> PostgresStore::usage_cursor(const std::string& source) {
  auto r = db_.exec("SELECT read_until FROM usage_cursors WHERE source = $1", pg::Params().text(source));
  if (!r.rows()) return std::nullopt;
  return r.text(0, 0);
}

void PostgresStore::set_usage_cursor(const std::string& source, const std::string& read_until, const std::string& read_at) {
  db_.exec(
      "INSERT INTO usage_cursors (source, read_until, read_at) VALUES ($1, $2, $3)"
      " ON CONFLICT (source) DO UPDATE SET read_until = excluded.read_until, read_at = excluded.read_at",
      pg::Params().text(source).text(read_until).text(read_at));
}

std::pair<std::int64_t, std::int64_t> PostgresStore::calls_kept(std::int64_t number_id) {
  auto r = db_.exec(
      "SELECT COALESCE(sum(inbound), 0)::bigint, COALESCE(sum(outbound), 0)::bigint FROM usage_days WHERE number_id = $1",
      pg::Params().integer(number_id));
  return {r.integer(0, 0), r.integer(0, 1)};
}

}  // namespace numctl::postgres
