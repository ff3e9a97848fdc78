#include "fixture.hpp"
#include "store/money_sql.hpp"
#include "store/search_text.hpp"
#include "store/sqlite/explain.hpp"
#include "store/sqlite/migrations.hpp"
#include "store/sqlite/store_impl.hpp"
#include "store/stats_counts.hpp"

#include <doctest/doctest.h>
#include <numctl/error.hpp>

#include <SQLiteCpp/SQLiteCpp.h>
#include <sqlite3.h>

#include <fstream>
#include <map>
#include <sys/stat.h>

using namespace numctl;
using numctl::testing::Fixture;

namespace {
std::string plan_of(Store& store, const Filter& filter, Sort sort = {}, Page page = {}) {
  std::string joined;
  for (const auto& step : sqlite::explain_listing(store, filter, sort, page)) joined += step + "\n";
  return joined;
}
std::string count_plan_of(Store& store, const Filter& filter) {
  std::string joined;
  for (const auto& step : sqlite::explain_count(store, filter)) joined += step + "\n";
  return joined;
}
}  // namespace

TEST_CASE("a new database is created private, in WAL mode, at the latest schema") {
  Fixture f;
  struct stat info {};
  REQUIRE(::stat(f.db.c_str(), &info) == 0);
  CHECK((info.st_mode & 0777) == 0600);
  SQLite::Database db(f.db.string());
  CHECK(db.execAndGet("PRAGMA journal_mode").getString() == "wal");
  CHECK(db.execAndGet("PRAGMA user_version").getInt() == Store::schema_version());
}

TEST_CASE("a database from a newer numctl is refused and left unchanged") {
  Fixture f;
  f.store.reset();
  {
    SQLite::Database db(f.db.string(), SQLite::OPEN_READWRITE);
    db.exec("PRAGMA user_version = 99");
  }
  auto before = std::filesystem::last_write_time(f.db);
  try {
    Store::open(f.db);
    FAIL("expected an error");
  } catch (const Error& e) {
    CHECK(e.category() == ErrorCategory::database);
    CHECK(std::string(e.what()).find("newer numctl") != std::string::npos);
  }
  CHECK(std::filesystem::last_write_time(f.db) == before);
}

TEST_CASE("a file that is not a database is refused") {
  Fixture f;
  auto path = f.dir / "garbage.db";
  std::ofstream(path) << std::string(4096, 'x');
  CHECK_THROWS_WITH_AS(Store::open(path), doctest::Contains("not a numctl database"), Error);
}

TEST_CASE("query plans: filters and search use indexes, never a scan of numbers") {
  Fixture f;
  auto& store = *f.store;
  Filter by_country;
  by_country.countries = {"DE"};
  by_country.types = {NumberType::mobile};
  by_country.statuses = {Status::active};
  // One index leads with status, then type, then country: a filter by all three is one seek.
  INFO(plan_of(store, by_country));
  CHECK(plan_of(store, by_country).find("USING INDEX numbers_status (status=? AND type=? AND country=?)") != std::string::npos);

  Filter by_status;
  by_status.statuses = {Status::high_risk};
  CHECK(plan_of(store, by_status).find("USING INDEX numbers_status") != std::string::npos);

  Filter search;
  search.digits = "55501";
  std::string plan = plan_of(store, search);
  CHECK(plan.find("VIRTUAL TABLE INDEX") != std::string::npos);
  CHECK(plan.find("SCAN n\n") == std::string::npos);
  // The trigram matches drive the query: rows are fetched by rowid, not by walking a status index.
  CHECK(plan.find("SEARCH n USING INTEGER PRIMARY KEY (rowid=?)") != std::string::npos);
  search.countries = {"US"};
  search.statuses = {Status::active};
  CHECK(plan_of(store, search).find("SEARCH n USING INTEGER PRIMARY KEY (rowid=?)") != std::string::npos);

  Filter by_type;
  by_type.types = {NumberType::toll_free};
  CHECK(plan_of(store, by_type).find("USING INDEX numbers_status (status=? AND type=?)") != std::string::npos);

  Filter by_country_only;
  by_country_only.countries = {"DE", "FR"};
  // Every type is named, so each (status, type, country) is a seek, not a range of a status.
  INFO(plan_of(store, by_country_only));
  CHECK(plan_of(store, by_country_only).find("USING INDEX numbers_status (status=? AND type=? AND country=?)") !=
        std::string::npos);
  Filter counted = by_country_only;
  INFO(count_plan_of(store, counted));
  CHECK(count_plan_of(store, counted).find("COVERING INDEX numbers_status (status=? AND type=? AND country=?)") !=
        std::string::npos);

  // Unassigned numbers of a country: the country's rows by seeks, the assignment checked on
  // each (not every unassigned number read to find the country's); unassigned alone: its index.
  Filter unassigned;
  unassigned.assigned = false;
  CHECK(plan_of(store, unassigned).find("USING INDEX numbers_assignee (team_id=? AND member_id=?") != std::string::npos);
  unassigned.countries = {"US"};
  INFO(plan_of(store, unassigned));
  CHECK(plan_of(store, unassigned).find("USING INDEX numbers_status (status=? AND type=? AND country=?)") != std::string::npos);

  Filter by_member;
  by_member.member = "Ada";
  CHECK(plan_of(store, by_member).find("USING INDEX numbers_member") != std::string::npos);

  Filter by_team;
  by_team.team = "Sales";
  by_team.statuses = {Status::active};
  CHECK(plan_of(store, by_team).find("SCAN n\n") == std::string::npos);
}

TEST_CASE("query plans: a page of the inventory walks the number index and stops; a whole listing reads by status") {
  Fixture f;
  auto& store = *f.store;
  Page first20{20, 0};
  // `list --limit 20`: no status read ahead of the page, nothing sorted (at a million numbers the
  // statuses named one by one took 0.7 s, the number index 3 ms).
  std::string page = plan_of(store, Filter{}, Sort{}, first20);
  CHECK(page.find("SCAN n USING INDEX sqlite_autoindex_numbers_1") != std::string::npos);
  CHECK(page.find("TEMP B-TREE") == std::string::npos);
  Sort newest_first;
  newest_first.descending = true;
  CHECK(plan_of(store, Filter{}, newest_first, first20).find("TEMP B-TREE") == std::string::npos);
  // The whole inventory, or a page with criteria, still names the statuses it shows.
  CHECK(plan_of(store, Filter{}).find("USING INDEX numbers_status (status=?)") != std::string::npos);
  Filter mobiles;
  mobiles.types = {NumberType::mobile};
  CHECK(plan_of(store, mobiles, Sort{}, first20).find("USING INDEX numbers_status (status=? AND type=?)") != std::string::npos);
}

TEST_CASE("stats and the inventory's cost read indexes, never the table") {
  Fixture f;
  f.store.reset();
  SQLite::Database db(f.db.string(), SQLite::OPEN_READONLY);
  auto plan = [&](const std::string& sql) {
    std::string out;
    SQLite::Statement q(db, "EXPLAIN QUERY PLAN " + sql);
    while (q.executeStep()) out += q.getColumn(3).getString() + "\n";
    return out;
  };
  std::string counts = plan(std::string(store::stats_groups_head) + store::stats_groups_tail);
  INFO(counts);
  CHECK(counts.find("SCAN n USING COVERING INDEX numbers_status") != std::string::npos);
  CHECK(counts.find("TEMP B-TREE") == std::string::npos);  // grouped in the index's order
  std::string cost = plan(store::cost_sql(CostGroup::none));
  CHECK(cost.find("USING COVERING INDEX numbers_status") != std::string::npos);
}

TEST_CASE("the sweep's queries use the partial indexes") {
  Fixture f;
  std::string plan;
  for (const auto& step : sqlite::explain_sweep(*f.store)) plan += step + "\n";
  CHECK(plan.find("USING INDEX numbers_release") != std::string::npos);
  // Both kinds of stale order (with a deadline, and from before deadlines were stored) are
  // ranges of numbers_expiry: neither walks every pending order.
  auto first = plan.find("USING INDEX numbers_expiry");
  REQUIRE(first != std::string::npos);
  CHECK(plan.find("USING INDEX numbers_expiry", first + 1) != std::string::npos);
  CHECK(plan.find("SCAN n\n") == std::string::npos);
}

// What versions 5 to 13 added, taken away again: the database as version 4 left it.
constexpr const char* back_to_version_4 =
    "DROP INDEX numbers_status; CREATE INDEX numbers_status ON numbers(status, type);"
    "DROP INDEX numbers_emergency; ALTER TABLE numbers DROP COLUMN emergency_address;"
    "ALTER TABLE numbers DROP COLUMN emergency_status; ALTER TABLE numbers DROP COLUMN cnam;"
    "ALTER TABLE teams DROP COLUMN emergency_address; DROP TABLE addresses;"
    "DROP TABLE port_numbers; DROP TABLE port_orders; DROP TABLE port_outs;"
    "DROP TABLE prices; DROP TABLE usage_calls; DROP TABLE usage_days; DROP TABLE usage_cursors;"
    "ALTER TABLE numbers DROP COLUMN monthly_price; ALTER TABLE numbers DROP COLUMN currency;"
    "ALTER TABLE numbers DROP COLUMN last_inbound_at; ALTER TABLE numbers DROP COLUMN last_outbound_at;"
    "DROP TABLE compliance_documents; DROP TABLE compliance_profiles; DROP TABLE regulations;"
    "DROP INDEX numbers_compliance; ALTER TABLE numbers DROP COLUMN compliance;"
    "DROP TABLE reputation_readings; ALTER TABLE numbers DROP COLUMN risk_set_by; ALTER TABLE numbers DROP COLUMN "
    "risk_changed_at;"
    "DROP TABLE carrier_calls; ALTER TABLE numbers DROP COLUMN provider; ALTER TABLE numbers DROP COLUMN provider_ref;"
    "DROP INDEX audit_at; DROP INDEX numbers_expiry; ALTER TABLE numbers DROP COLUMN expires_at; ALTER TABLE documents DROP "
    "COLUMN retired_at;";

TEST_CASE("a version 1 database is migrated forward, once, in place") {
  Fixture f;
  f.store.reset();
  {
    SQLite::Database db(f.db.string(), SQLite::OPEN_READWRITE);
    db.exec(std::string(back_to_version_4) + "DROP INDEX numbers_assignee; PRAGMA user_version = 1");
  }
  f.store = Store::open(f.db);
  SQLite::Database db(f.db.string());
  CHECK(db.execAndGet("PRAGMA user_version").getInt() == Store::schema_version());
  CHECK(db.execAndGet("SELECT count(*) FROM sqlite_master WHERE name = 'numbers_assignee'").getInt() == 1);
  // Version 14 built numbers anew with its links checked at commit.
  CHECK(db.execAndGet("SELECT instr(sql, 'REFERENCES teams(id) DEFERRABLE INITIALLY DEFERRED') > 0 FROM sqlite_master"
                      " WHERE name = 'numbers'")
            .getInt() == 1);
}

TEST_CASE("version 15: numbers' and carrier calls' checks build no scratch table, and allow what they allowed") {
  Fixture f;
  f.store.reset();
  SQLite::Database db(f.db.string(), SQLite::OPEN_READWRITE);
  // An IN list in a CHECK makes SQLite fill a temporary b-tree on every row written (opcode
  // OpenEphemeral): two per number changed, before version 15.
  auto scratch_tables = [&](const std::string& sql) {
    SQLite::Statement q(db, "EXPLAIN " + sql);
    int opened = 0;
    while (q.executeStep()) opened += q.getColumn(1).getString() == "OpenEphemeral";
    return opened;
  };
  CHECK(scratch_tables("UPDATE OR FAIL numbers SET type = ?2, status = ?3, emergency_status = ?4 WHERE id = ?1") == 0);
  CHECK(scratch_tables("INSERT INTO numbers (e164, display, national_digits, country, type, status, emergency_status)"
                       " VALUES (?, ?, ?, ?, ?, ?, ?)") == 0);
  CHECK(scratch_tables("UPDATE carrier_calls SET kind = ?2, state = ?3 WHERE id = ?1") == 0);

  // Every status, type, emergency state and call kind numctl writes is allowed; anything else is not.
  SQLite::Statement add(db,
                        "INSERT INTO numbers (e164, display, national_digits, country, type, status, emergency_status)"
                        " VALUES (?1, ?1, ?1, 'DE', ?2, ?3, ?4)");
  auto insert = [&](const std::string& e164, std::string_view type, std::string_view status, const char* emergency) {
    add.reset();
    add.bind(1, e164);
    add.bind(2, std::string(type));
    add.bind(3, std::string(status));
    if (emergency)
      add.bind(4, emergency);
    else
      add.bind(4);
    add.exec();
  };
  int n = 0;
  for (auto status : all_statuses)
    for (std::string_view type : {"local", "mobile", "toll_free"})
      for (const char* emergency : {static_cast<const char*>(nullptr), "pending", "registered", "failed"})
        CHECK_NOTHROW(insert("+4930" + std::to_string(1000000 + ++n), type, to_string(status), emergency));
  CHECK_THROWS_AS(insert("+4930999", "landline", "active", nullptr), SQLite::Exception);
  CHECK_THROWS_AS(insert("+4930998", "local", "Active", nullptr), SQLite::Exception);
  CHECK_THROWS_AS(insert("+4930997", "local", "active", "done"), SQLite::Exception);
  SQLite::Statement call(db,
                         "INSERT INTO carrier_calls (kind, number, provider, action, state, created_at)"
                         " VALUES (?1, '+4930', 'twilio', 'x', ?2, 'now')");
  auto add_call = [&](std::string_view kind, std::string_view state) {
    call.reset();
    call.bind(1, std::string(kind));
    call.bind(2, std::string(state));
    call.exec();
  };
  for (auto kind : all_call_kinds)
    for (std::string_view state : {"done", "failed"}) CHECK_NOTHROW(add_call(to_string(kind), state));
  CHECK_NOTHROW(add_call("order", "owed"));
  CHECK_NOTHROW(add_call("release", "calling"));
  CHECK_THROWS_AS(add_call("refund", "done"), SQLite::Exception);
  CHECK_THROWS_AS(add_call("order", "paid"), SQLite::Exception);
}

namespace {
// Every column of every row of `table`, as text, in column order.
std::vector<std::vector<std::string>> rows_of(SQLite::Database& db, const std::string& table) {
  std::vector<std::vector<std::string>> rows;
  SQLite::Statement q(db, "SELECT * FROM " + table + " ORDER BY rowid");
  while (q.executeStep()) {
    auto& row = rows.emplace_back();
    for (int i = 0; i < q.getColumnCount(); ++i) row.push_back(q.getColumn(i).isNull() ? "NULL" : q.getColumn(i).getString());
  }
  return rows;
}
// An INSERT into `table` giving each column `special[column]`, or else its own name as its value.
std::string insert_every_column(SQLite::Database& db, const std::string& table,
                                const std::map<std::string, std::string>& special) {
  std::string columns, values;
  SQLite::Statement info(db, "SELECT name FROM pragma_table_info('" + table + "') ORDER BY cid");
  while (info.executeStep()) {
    std::string column = info.getColumn(0).getString();
    columns += (columns.empty() ? "" : ", ") + column;
    auto it = special.find(column);
    values += (values.empty() ? "" : ", ") + (it != special.end() ? it->second : "'" + column + "-value'");
  }
  return "INSERT INTO " + table + " (" + columns + ") VALUES (" + values + ")";
}
}  // namespace

TEST_CASE("version 15 keeps every column of a version 14 database's numbers and carrier calls") {
  Fixture f;
  f.store.reset();
  auto path = f.dir / "v14.db";
  std::vector<std::vector<std::string>> numbers, calls;
  {
    SQLite::Database db(path.string(), SQLite::OPEN_READWRITE | SQLite::OPEN_CREATE);
    db.exec("PRAGMA journal_mode = WAL");
    sqlite::register_search_text(db.getHandle());
    auto steps = sqlite::schema_migrations();
    REQUIRE(steps.size() >= 15);
    for (std::size_t v = 0; v < 14; ++v) db.exec(steps[v]);
    db.exec("PRAGMA user_version = 14");
    db.exec("INSERT INTO teams (id, name, created_at) VALUES (3, 'Support', '2026-01-01T00:00:00Z')");
    db.exec(
        "INSERT INTO addresses (name, street, city, region, postal_code, country, state, created_at)"
        " VALUES ('HQ', 'Street 1', 'Berlin', 'BE', '10115', 'DE', 'local', '2026-01-01T00:00:00Z')");
    // Each text column holds its own name, so a column shifted by the copy cannot go unseen.
    db.exec(insert_every_column(db, "numbers",
                                {{"id", "7"},
                                 {"e164", "'+4930123456'"},
                                 {"type", "'mobile'"},
                                 {"status", "'to_be_cancelled'"},
                                 {"team_id", "3"},
                                 {"member_id", "NULL"},
                                 {"monthly_price", "500"},
                                 {"emergency_address", "'HQ'"},
                                 {"emergency_status", "'registered'"}}));
    db.exec("INSERT INTO numbers_digits (rowid, digits) VALUES (7, '4930123456 030123456')");
    db.exec(
        insert_every_column(db, "carrier_calls", {{"id", "5"}, {"kind", "'release'"}, {"state", "'failed'"}, {"attempts", "3"}}));
    numbers = rows_of(db, "numbers");
    calls = rows_of(db, "carrier_calls");
  }
  auto store = Store::open(path);
  auto found = store->find_number("+4930123456");
  REQUIRE(found);
  CHECK(found->team == "Support");
  CHECK(found->emergency_address == "HQ");
  SQLite::Database db(path.string());
  CHECK(db.execAndGet("PRAGMA user_version").getInt() == Store::schema_version());
  CHECK(db.execAndGet("PRAGMA integrity_check").getString() == "ok");
  CHECK(db.execAndGet("SELECT count(*) FROM pragma_foreign_key_check").getInt() == 0);
  CHECK(rows_of(db, "numbers") == numbers);
  CHECK(rows_of(db, "carrier_calls") == calls);
  // Ten after version 15; version 16 made numbers_filter and numbers_status one.
  CHECK(db.execAndGet("SELECT count(*) FROM sqlite_master WHERE tbl_name = 'numbers' AND type = 'index'").getInt() == 9);
}

namespace {
// Counts the statement journals SQLite writes to a file (it keeps one in memory up to 64 KiB, then
// spills): installed as the default file system while it lives, for the connections opened then.
struct SubjournalCounter {
  static inline int opened = 0;
  static inline sqlite3_vfs* real = nullptr;
  sqlite3_vfs vfs{};
  SubjournalCounter() {
    opened = 0;
    real = sqlite3_vfs_find(nullptr);
    vfs = *real;
    vfs.zName = "numctl-test-subjournals";
    vfs.xOpen = [](sqlite3_vfs*, sqlite3_filename name, sqlite3_file* file, int flags, int* out) {
      if (flags & SQLITE_OPEN_SUBJOURNAL) ++opened;
      return real->xOpen(real, name, file, flags, out);
    };
    sqlite3_vfs_register(&vfs, 1);
  }
  ~SubjournalCounter() {
    sqlite3_vfs_register(real, 1);
    sqlite3_vfs_unregister(&vfs);
  }
};
}  // namespace

TEST_CASE("a sweep or a cancel of thousands of numbers copies no page aside; a broken link still fails at commit") {
  Fixture f;
  f.service.add_team("Support");
  std::vector<std::string> active;
  {
    SQLite::Database db(f.db.string(), SQLite::OPEN_READWRITE);
    // 3,000 assigned numbers whose grace ended, and 3,000 active ones.
    db.exec(
        "WITH RECURSIVE i(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM i WHERE n < 6000)"
        " INSERT INTO numbers (e164, display, national_digits, country, type, status, team_id, bought_at, release_at)"
        " SELECT '+4930' || (1000000 + n), '+4930' || (1000000 + n), '030' || (1000000 + n), 'DE', 'local',"
        " CASE WHEN n <= 3000 THEN 'to_be_cancelled' ELSE 'active' END, (SELECT id FROM teams),"
        " '2025-12-01T00:00:00Z', CASE WHEN n <= 3000 THEN '2026-01-05T00:00:00Z' END FROM i");
    SQLite::Statement q(db, "SELECT e164 FROM numbers WHERE status = 'active' ORDER BY e164");
    while (q.executeStep()) active.push_back(q.getColumn(0).getString());
  }
  SubjournalCounter counter;
  auto store = Store::open(f.db);
  Service service{*store, default_config(), f.clock, "tester"};
  CHECK(service.sweep().released.size() == 3000);
  CHECK(service.cancel(active, {}).size() == 3000);
  CHECK(SubjournalCounter::opened == 0);

  // Links are checked when the change commits: a team that does not exist fails it, and the
  // transaction leaves nothing behind.
  auto number = store->find_number(active.front());
  REQUIRE(number);
  {
    Store::Transaction transaction(*store);
    store->set_assignment(number->id, 999, std::nullopt);
    CHECK_THROWS_AS(transaction.commit(), Error);
  }
  CHECK(store->find_number(active.front())->team == "Support");
}

TEST_CASE("a version 3 database loses the team index and the document sizes, and still finds digits") {
  Fixture f;
  NumberRecord r;
  r.e164 = "+493012345678";
  r.display = r.e164;
  r.national_digits = "03012345678";
  r.country = "DE";
  r.bought_at = "2026-01-01T00:00:00Z";
  REQUIRE(f.store->insert_number(r));
  f.store.reset();
  {
    SQLite::Database db(f.db.string(), SQLite::OPEN_READWRITE);
    db.exec(std::string(back_to_version_4) +
            "CREATE INDEX numbers_team ON numbers(team_id) WHERE team_id IS NOT NULL; DROP TABLE numbers_digits;"
            "CREATE VIRTUAL TABLE numbers_digits USING fts5(digits, content='', tokenize='trigram', detail='none');"
            "INSERT INTO numbers_digits (rowid, digits) SELECT id, substr(e164, 2) || ' ' || national_digits FROM numbers;"
            "PRAGMA user_version = 3");
  }
  f.store = Store::open(f.db);
  {
    SQLite::Database db(f.db.string());
    CHECK(db.execAndGet("PRAGMA user_version").getInt() == Store::schema_version());
    CHECK(db.execAndGet("SELECT count(*) FROM sqlite_master WHERE name IN ('numbers_team', 'numbers_digits_docsize')").getInt() == 0);
  }
  Filter filter;
  filter.digits = "2345";
  CHECK(f.store->count_numbers(filter) == 1);
  filter.digits = "0301234";  // the national form, trunk prefix included, after the rebuild
  CHECK(f.store->count_numbers(filter) == 1);
}

TEST_CASE("search finds digits anywhere in the international or national form, and only there") {
  Fixture f;
  auto add = [&](const std::string& e164, const std::string& national) {
    NumberRecord r;
    r.e164 = e164;
    r.display = e164;
    r.national_digits = national;
    r.country = "DE";
    r.bought_at = "2026-01-01T00:00:00Z";
    REQUIRE(f.store->insert_number(r));
  };
  add("+493012342345", "03012342345");  // holds 123, 234 and 345, but not 12345
  add("+493012345678", "03012345678");
  auto found = [&](const std::string& digits) {
    Filter filter;
    filter.digits = digits;
    std::vector<std::string> out;
    f.store->for_each_number(filter, {}, {}, [&](const NumberRecord& r) { out.push_back(r.e164); });
    return out;
  };
  CHECK(found("12345") == std::vector<std::string>{"+493012345678"});
  CHECK(found("03012342") == std::vector<std::string>{"+493012342345"});  // the national form
  CHECK(found("4930123").size() == 2);
  CHECK(found("99999").empty());
  CHECK(found("45").size() == 2);  // under three digits: no index, the same answer
  // A national form that shares no ending with the international digits is indexed whole.
  add("+4940111222", "55566677");
  CHECK(found("556667") == std::vector<std::string>{"+4940111222"});
  CHECK(found("0301234") == std::vector<std::string>{"+493012342345", "+493012345678"});
  // The index is asked for "555" and "501" only: a number holding both apart is no match.
  add("+4940555777501", "040555777501");
  CHECK(found("55501").empty());
  add("+4940555017", "04055501");
  CHECK(found("55501") == std::vector<std::string>{"+4940555017"});
}

TEST_CASE("a digit search asks the index for the trigrams that cover the digits once") {
  using V = std::vector<std::string>;
  CHECK(store::covering_trigrams("12") == V{});
  CHECK(store::covering_trigrams("123") == V{"123"});
  CHECK(store::covering_trigrams("1234") == V{"123", "234"});
  CHECK(store::covering_trigrams("55501") == V{"555", "501"});
  CHECK(store::covering_trigrams("123456") == V{"123", "456"});
  CHECK(store::covering_trigrams("4930555") == V{"493", "055", "555"});
  CHECK(store::covering_trigrams("12015100001") == V{"120", "151", "000", "001"});
}

TEST_CASE("version 5: documents of an earlier lifecycle are retired, pending orders keep no stored deadline") {
  Fixture f;
  NumberRecord r;
  r.e164 = "+4930901820";
  r.display = r.e164;
  r.national_digits = "030901820";
  r.country = "DE";
  r.status = Status::pending;
  r.bought_at = "2026-03-01T00:00:00Z";
  REQUIRE(f.store->insert_number(r));
  DocumentInfo old_lifecycle{0, "proof_of_address", "a.pdf", 1, "x", "2026-01-05T00:00:00Z", "submitted", std::nullopt};
  DocumentInfo this_lifecycle{0, "id", "b.pdf", 1, "y", "2026-03-02T00:00:00Z", "submitted", std::nullopt};
  f.store->add_document(r.id, old_lifecycle, "a");
  f.store->add_document(r.id, this_lifecycle, "b");
  f.store.reset();
  {
    SQLite::Database db(f.db.string(), SQLite::OPEN_READWRITE);
    db.exec(std::string(back_to_version_4) + "PRAGMA user_version = 4");
  }
  f.store = Store::open(f.db);
  auto documents = f.store->documents(r.id);
  REQUIRE(documents.size() == 1);
  CHECK(documents[0].kind == "id");
  CHECK_FALSE(f.store->find_number(r.e164)->expires_at.has_value());
}

TEST_CASE("the inventory-wide log is read from the index on time, newest first") {
  Fixture f;
  AuditQuery query;
  query.since = "2026-01-09T00:00:00Z";
  std::string plan;
  for (const auto& step : sqlite::explain_audit(*f.store, query)) plan += step + "\n";
  CHECK(plan.find("USING INDEX audit_at") != std::string::npos);
  CHECK(plan.find("USE TEMP B-TREE") == std::string::npos);  // the index gives the order too
  query = {};
  query.actor = "ada";
  query.limit = 10;
  plan.clear();
  for (const auto& step : sqlite::explain_audit(*f.store, query)) plan += step + "\n";
  CHECK(plan.find("USE TEMP B-TREE") == std::string::npos);
}
