// The SQLite engine's prices and call records: carriers' price lists as read, numbers' prices
// set with their audit rows, spend grouped, the status changes a month is prorated from, and
// call records kept as idleness needs them.
#include "store_impl.hpp"
#include "store/money_sql.hpp"

namespace numctl::sqlite {

std::optional<std::pair<Money, std::string>> SqliteStore::cached_price(const std::string& provider, const std::string& country,
                                                                       NumberType type) {
  return guarded([&]() -> std::optional<std::pair<Money, std::string>> {
    SQLite::Statement q(db_,
                        "SELECT monthly_price, currency, read_at FROM prices WHERE provider = ? AND country = ? AND type = ?");
    q.bind(1, provider);
    q.bind(2, country);
    q.bind(3, std::string(to_string(type)));
    if (!q.executeStep()) return std::nullopt;
    return std::pair{Money{q.getColumn(0).getInt64(), q.getColumn(1).getString()}, q.getColumn(2).getString()};
  });
}

void SqliteStore::cache_price(const std::string& provider, const std::string& country, NumberType type, const Money& price,
                              const std::string& read_at) {
  guarded([&] {
    SQLite::Statement q(db_,
                        "INSERT INTO prices (provider, country, type, currency, monthly_price, read_at) VALUES (?, ?, ?, ?, ?, ?)"
                        " ON CONFLICT (provider, country, type) DO UPDATE SET currency = excluded.currency,"
                        " monthly_price = excluded.monthly_price, read_at = excluded.read_at");
    q.bind(1, provider);
    q.bind(2, country);
    q.bind(3, std::string(to_string(type)));
    q.bind(4, price.currency);
    q.bind(5, static_cast<int64_t>(price.minor));
    q.bind(6, read_at);
    q.exec();
  });
}

std::vector<std::pair<std::string, NumberType>> SqliteStore::held_kinds(const std::string& provider) {
  return guarded([&] {
    SQLite::Statement q(db_, "SELECT DISTINCT country, type FROM numbers WHERE status IN (" +
                                 store::status_list(lifecycle::billed) +
                                 ") AND COALESCE(provider, '') = ?"
                                 " ORDER BY country, type");
    q.bind(1, provider);
    std::vector<std::pair<std::string, NumberType>> out;
    while (q.executeStep())
      out.emplace_back(q.getColumn(0).getString(), parse_number_type(q.getColumn(1).getString()).value_or(NumberType::local));
    return out;
  });
}

std::int64_t SqliteStore::set_prices(const std::string& provider, const std::string& country, NumberType type, const Money& price,
                                     const std::string& at, const std::string& actor) {
  return guarded([&] {
    const std::string which = " FROM numbers WHERE COALESCE(provider, '') = ?1 AND country = ?2 AND type = ?3 AND status IN (" +
                              store::status_list(lifecycle::billed) +
                              ")"
                              " AND (monthly_price IS NOT ?4 OR currency IS NOT ?5)";
    // OR FAIL: no statement journal (bulk.cpp; migrations_emergency.cpp, version 14).
    SQLite::Statement audit(db_,
                            std::string("INSERT OR FAIL INTO audit (at, actor, action, number, from_status, to_status, details)"
                                        " SELECT ?6, ?7, 'price', e164, status, status, ?8") +
                                which + " ORDER BY e164");
    SQLite::Statement update(
        db_, std::string("UPDATE OR FAIL numbers SET monthly_price = ?4, currency = ?5 WHERE id IN (SELECT id") + which + ")");
    std::string details =
        "{\"monthly_price\":\"" + format_amount(price.minor, price.currency) + "\",\"currency\":\"" + price.currency + "\"}";
    for (auto* q : {&audit, &update}) {
      q->bind(1, provider);
      q->bind(2, country);
      q->bind(3, std::string(to_string(type)));
      q->bind(4, static_cast<int64_t>(price.minor));
      q->bind(5, price.currency);
    }
    audit.bind(6, at);
    audit.bind(7, actor);
    audit.bind(8, details);
    audit.exec();
    return static_cast<std::int64_t>(update.exec());
  });
}

std::vector<CostRow> SqliteStore::cost(CostGroup by) {
  return guarded([&] {
    SQLite::Statement q(db_, store::cost_sql(by));
    std::vector<CostRow> out;
    while (q.executeStep())
      out.push_back(CostRow{optional_text(q, 0), optional_text(q, 1), q.getColumn(2).getInt64(), q.getColumn(3).getInt64()});
    return out;
  });
}

void SqliteStore::for_each_status_change(CostGroup by, const std::string& until,
                                         const std::function<void(const StatusChange&)>& visit) {
  guarded([&] {
    SQLite::Statement q(db_, store::status_changes_sql(by, "?1", [](std::string_view key) {
                          return "json_extract(a.details, '$." + std::string(key) + "')";
                        }));
    q.bind(1, until);
    StatusChange change;
    while (q.executeStep()) {
      change.number = q.getColumn(0).getString();
      change.at = q.getColumn(1).getString();
      change.from = optional_text(q, 2);
      change.to = optional_text(q, 3);
      change.group = optional_text(q, 4);
      change.currency = optional_text(q, 5);
      change.monthly_price = q.isColumnNull(6) ? std::nullopt : std::optional(q.getColumn(6).getInt64());
      visit(change);
    }
  });
}

void SqliteStore::begin_calls() {
  guarded([&] {
    // A scratch table of this connection (temp: never in the database file), emptied for each feed.
    db_.exec(
        "CREATE TEMP TABLE IF NOT EXISTS usage_feed (number_id INTEGER, at TEXT NOT NULL, caller TEXT NOT NULL,"
        " inbound INTEGER NOT NULL)");
    db_.exec("DELETE FROM temp.usage_feed");
  });
}

void SqliteStore::add_call(const std::string& number, const std::string& at, const std::string& caller, bool inbound) {
  guarded([&] {
    // The number's id through the unique index on e164 (NULL: not in the inventory).
    auto& q = cached(add_call_,
                     "INSERT INTO temp.usage_feed (number_id, at, caller, inbound)"
                     " VALUES ((SELECT id FROM numbers WHERE e164 = ?1), ?2, ?3, ?4)");
    // Text bound in place (SQLite copies nothing: the strings outlive the step).
    q.bindNoCopy(1, number);
    q.bindNoCopy(2, at);
    q.bindNoCopy(3, caller);
    q.bind(4, inbound ? 1 : 0);
    q.exec();
    q.reset();
  });
}

CallsStored SqliteStore::finish_calls(const std::string& keep_from) {
  return guarded([&] {
    CallsStored out;
    auto count = [&](const char* sql) {
      SQLite::Statement q(db_, sql);
      q.bind(1, keep_from);
      q.executeStep();
      return q.getColumn(0).getInt64();
    };
    out.unknown = count("SELECT count(*) FROM temp.usage_feed WHERE number_id IS NULL AND ?1 IS NOT NULL");
    out.older = count("SELECT count(*) FROM temp.usage_feed WHERE number_id IS NOT NULL AND at < ?1");
    std::int64_t kept = count("SELECT count(*) FROM temp.usage_feed WHERE number_id IS NOT NULL AND at >= ?1");
    // The records new to the days kept: one per key, none stored already.
    db_.exec("DROP TABLE IF EXISTS temp.usage_new");
    {
      SQLite::Statement q(db_,
                          "CREATE TEMP TABLE usage_new AS SELECT f.number_id, f.at, f.caller, max(f.inbound) AS inbound"
                          " FROM temp.usage_feed f WHERE f.number_id IS NOT NULL AND f.at >= ?1 AND NOT EXISTS"
                          " (SELECT 1 FROM usage_calls u WHERE u.number_id = f.number_id AND u.at = f.at AND u.caller = f.caller)"
                          " GROUP BY f.number_id, f.at, f.caller");
      q.bind(1, keep_from);
      q.exec();
    }
    out.added = db_.execAndGet("SELECT count(*) FROM temp.usage_new").getInt64();
    out.known = kept - out.added;
    db_.exec("INSERT INTO usage_calls (number_id, at, caller) SELECT number_id, at, caller FROM temp.usage_new");
    db_.exec(
        "INSERT INTO usage_days (number_id, day, inbound, outbound)"
        " SELECT number_id, substr(at, 1, 10), sum(inbound), sum(1 - inbound) FROM temp.usage_new WHERE true"
        " GROUP BY number_id, substr(at, 1, 10)"
        " ON CONFLICT (number_id, day) DO UPDATE SET inbound = inbound + excluded.inbound,"
        " outbound = outbound + excluded.outbound");
    // Every record moves its number's last calls, however old (a re-read changes nothing).
    db_.exec(
        "UPDATE OR FAIL numbers SET"
        " last_inbound_at = CASE WHEN l.inbound_at > COALESCE(numbers.last_inbound_at, '') THEN l.inbound_at"
        " ELSE numbers.last_inbound_at END,"
        " last_outbound_at = CASE WHEN l.outbound_at > COALESCE(numbers.last_outbound_at, '') THEN l.outbound_at"
        " ELSE numbers.last_outbound_at END"
        " FROM (SELECT number_id, max(CASE WHEN inbound = 1 THEN at END) AS inbound_at,"
        " max(CASE WHEN inbound = 0 THEN at END) AS outbound_at FROM temp.usage_feed WHERE number_id IS NOT NULL"
        " GROUP BY number_id) AS l WHERE numbers.id = l.number_id");
    db_.exec("DROP TABLE temp.usage_new");
    db_.exec("DELETE FROM temp.usage_feed");
    return out;
  });
}

std::int64_t SqliteStore::prune_usage(const std::string& before) {
  return guarded([&] {
    SQLite::Statement days(db_, "DELETE FROM usage_days WHERE day < ?1");
    days.bind(1, before);
    auto dropped = static_cast<std::int64_t>(days.exec());
    SQLite::Statement calls(db_, "DELETE FROM usage_calls WHERE at < ?1");
    calls.bind(1, before);
    calls.exec();
    return dropped;
  });
}

std::optional<std::string> SqliteStore::usage_cursor(const std::string& source) {
  return guarded([&]() -> std::optional<std::string> {
    SQLite::Statement q(db_, "SELECT read_until FROM usage_cursors WHERE source = ?");
    q.bind(1, source);
    if (!q.executeStep()) return std::nullopt;
    return q.getColumn(0).getString();
  });
}

void SqliteStore::set_usage_cursor(const std::string& source, const std::string& read_until, const std::string& read_at) {
  guarded([&] {
    SQLite::Statement q(db_,
                        "INSERT INTO usage_cursors (source, read_until, read_at) VALUES (?, ?, ?)"
                        " ON CONFLICT (source) DO UPDATE SET read_until = excluded.read_until, read_at = excluded.read_at");
    q.bind(1, source);
    q.bind(2, read_until);
    q.bind(3, read_at);
    q.exec();
  });
}

std::pair<std::int64_t, std::int64_t> SqliteStore::calls_kept(std::int64_t number_id) {
  return guarded([&] {
    SQLite::Statement q(db_, "SELECT COALESCE(sum(inbound), 0), COALESCE(sum(outbound), 0) FROM usage_days WHERE number_id = ?");
    q.bind(1, static_cast<int64_t>(number_id));
    q.executeStep();
    return std::pair{q.getColumn(0).getInt64(), q.getColumn(1).getInt64()};
  });
}

}  // namespace numctl::sqlite
