// The store's contract on the engine under test (AnyFixture: SQLite, or PostgreSQL when
// NUMCTL_TEST_ENGINE=postgres): the inventory's tables are all known to migrate, an inventory
// survives a move to the other engine and back row for row, a snapshot reads one moment, and
// opening "if present" creates nothing.
#include "fixture.hpp"
#include "store/postgres/pq.hpp"
#include "store/tables.hpp"

#include <SQLiteCpp/SQLiteCpp.h>
#include "numctl/emergency_service.hpp"

#include <doctest/doctest.h>
#include <numctl/error.hpp>
#include <numctl/migrate.hpp>
#include <numctl/reputation.hpp>

#include <algorithm>
#include <fstream>
#include <set>

using namespace numctl;
using numctl::testing::AnyFixture;
using numctl::testing::Fixture;

namespace {

// The tables an engine holds, as its own catalog lists them, less its bookkeeping and derived
// ones (SQLite's trigram table and its shadow tables, PostgreSQL's schema version).
std::set<std::string> tables_of(AnyFixture& f) {
  std::set<std::string> names;
  if (f.database) {
    auto r = pg::Connection(f.database->url())
                 .exec(
                     "SELECT tablename FROM pg_tables WHERE schemaname = current_schema() AND tablename NOT IN ('numctl_schema', "
                     "'numctl_commits')");
    for (int i = 0; i < r.rows(); ++i) names.insert(r.text(i, 0));
  } else {
    SQLite::Database db((f.dir / "numbers.db").string(), SQLite::OPEN_READONLY);
    SQLite::Statement q(db, "SELECT name FROM sqlite_schema WHERE type = 'table' AND name NOT LIKE 'sqlite_%'"
                            " AND name NOT LIKE 'numbers_digits%'");
    while (q.executeStep()) names.insert(q.getColumn(0).getString());
  }
  return names;
}

// An inventory with something in every table: teams, a member, numbers in several statuses,
// a document (binary), readings, and the audit rows all of that wrote.
void populate(AnyFixture& f) {
  f.service.add_team("Sales");
  f.service.add_member("Mia", std::string("Sales"));
  f.service.buy({"+4915123456789", "+4915123456788", "+4915123456787"}, {});
  f.service.buy({"+4930123456"}, {});
  f.service.assign({"+4915123456789"}, Assignee{Assignee::Kind::team, "Sales"});
  // An emergency address, registered on a number and a team's default; a caller ID name.
  Address berlin;
  berlin.name = "Berlin Büro";
  berlin.postal = {"Unter den Linden 1", "Berlin", "BE", "10117", "DE"};
  EmergencyService desk(f.service);
  desk.add_address(berlin, false);
  desk.set_emergency({"+4915123456789"}, std::string("Berlin Büro"), false);
  desk.set_team_address("Sales", std::string("Berlin Büro"));
  desk.set_cnam({"+4915123456789"}, std::string("ACME BERLIN"));
  f.service.flag({"+4915123456788"}, std::string("spam \"quoted\" and back\\slashed"));
  f.service.cancel({"+4915123456787"}, std::string("Zürich office ☎ closed"));
  auto file = f.dir / "proof.pdf";
  std::ofstream(file, std::ios::binary) << std::string("%PDF\0\x01\x02\xff\n\\x00", 13);
  f.service.submit_document({"+4930123456"}, "proof_of_address", file);
  ReadingRow reading;
  reading.number = "+4915123456789";
  reading.score = "42";
  reading.checked_at = "2026-01-09T00:00:00Z";
  reading.source = "hiya";
  reading.labels = "Scam Likely;Telemarketer";
  f.service.import_readings({reading}, {});
  // A carrier call settled long ago (the outbox is part of the inventory).
  CarrierCall call;
  call.kind = CallKind::release;
  call.number = "+4915123456787";
  call.provider = "twilio";
  call.provider_ref = "PN0123";
  call.action = "release";
  call.state = CallState::done;
  call.attempts = 1;
  call.created_at = "2026-01-09T00:00:00Z";
  call.settled_at = "2026-01-09T00:00:01Z";
  Store::Transaction transaction(*f.store);
  REQUIRE(f.store->add_carrier_call(call));
  // A compliance profile with a document, and a carrier's regulations as read.
  ComplianceProfile profile;
  profile.name = "acme-de";
  profile.provider = "twilio";
  profile.country = "DE";
  profile.state = ReviewState::approved;
  profile.carrier_status = "twilio-approved";
  profile.carrier_ref = "BU0123";
  profile.body = R"({"fields":{"business_name":"Acme GmbH"}})";
  profile.created_at = profile.updated_at = "2026-01-09T00:00:00Z";
  REQUIRE(f.store->save_profile(profile));
  f.store->add_profile_document(profile.id, {0, "proof_of_address", "lease.pdf", 5, "ab", "2026-01-09T00:00:00Z"},
                                std::string("%PDF\0", 5));
  f.store->cache_regulations("twilio", "DE", "local", "[]", "2026-01-09T00:00:00Z");
  // A carrier's price, a call record kept, and where a carrier's records were read up to.
  f.store->cache_price("twilio", "DE", NumberType::mobile, Money{115, "EUR"}, "2026-01-09T00:00:00Z");
  f.store->begin_calls();
  f.store->add_call("+4915123456787", "2026-01-08T10:00:00Z", "+4930111111", true);
  f.store->finish_calls("2025-10-01T00:00:00Z");
  f.store->set_usage_cursor("twilio", "2026-01-08T10:00:00Z", "2026-01-09T00:00:00Z");
  // A port-in order with its letter of authorization, and a port-out request as read.
  PortOrder port;
  port.provider = "telnyx";
  port.state = PortState::foc_confirmed;
  port.carrier_status = "foc-date-confirmed";
  port.foc_date = "2026-01-20T14:00:00Z";
  port.body = R"({"request":{"name":"Acme Inc"}})";
  port.created_at = port.updated_at = "2026-01-09T00:00:00Z";
  port.numbers = {{"+13125550100", std::string("0d1e2f3a-0000-4000-8000-000000000001")}};
  f.store->save_port(port);
  f.store->set_port_file(port.id, "loa", "loa.pdf", std::string("%PDF\0", 5));
  f.store->save_port_out({"0f1e2d3c-0000-4000-8000-000000000001",
                          "telnyx",
                          "pending",
                          {"+4915123456787"},
                          "Other Telco",
                          "2026-01-20T00:00:00Z",
                          "",
                          "2026-01-09T00:00:00Z",
                          std::nullopt});
  transaction.commit();
}

std::vector<std::string> digests(const Migration& m) {
  std::vector<std::string> out;
  for (const auto& t : m.tables) out.push_back(t.table + " " + std::to_string(t.rows) + " " + t.sha256);
  return out;
}

}  // namespace

TEST_SUITE_BEGIN("any engine");

TEST_CASE("COPY text escapes backslash, tab, newline and carriage return, and nothing else") {
  auto copied = [](std::string_view value) {
    std::string out = "<";
    pg::copy_field(out, value);
    return out;
  };
  CHECK(copied("") == "<");
  CHECK(copied("+4915123456789") == "<+4915123456789");
  CHECK(copied("a\\b\tc\nd\re") == "<a\\\\b\\tc\\nd\\re");
  CHECK(copied("\\\t") == "<\\\\\\t");
  CHECK(copied("Café, \"N\" ü") == "<Café, \"N\" ü");
  // Eight bytes are checked at a time: every character to escape at every offset of a longer
  // field, against escaping one character at a time; other control characters and bytes of
  // UTF-8 stay as they are.
  auto one_at_a_time = [](std::string_view value) {
    std::string out = "<";
    for (char c : value)
      out += c == '\\' ? "\\\\" : c == '\t' ? "\\t" : c == '\n' ? "\\n" : c == '\r' ? "\\r" : std::string(1, c);
    return out;
  };
  const std::string base = "+4915123456789 Café \x01\x1f~\x7f ü 2026-01-01T00:00:00Z";
  for (char special : {'\\', '\t', '\n', '\r', '\x01', ' ', '\x7f', '\xc3'})
    for (std::size_t at = 0; at <= base.size(); ++at) {
      std::string value = base;
      value.insert(at, 1, special);
      CHECK(copied(value) == one_at_a_time(value));
    }
}

TEST_CASE("every table of the inventory is one migrate copies, and every table migrate copies exists") {
  AnyFixture f;
  std::set<std::string> known;
  for (const auto& table : store::inventory_tables) known.insert(std::string(table.name));
  CHECK(tables_of(f) == known);
  for (const auto& table : store::inventory_tables) CHECK_FALSE(f.store->table_columns(table.name).empty());
}

TEST_CASE("an inventory moved to the other engine and back is the same, row for row") {
  AnyFixture source;
  populate(source);
  // To the other engine (a SQLite file when the engine under test is PostgreSQL, and SQLite to
  // SQLite otherwise), then back into a fresh store of the engine under test.
  Fixture middle;
  auto there = migrate_inventory(*source.store, middle.store.get(), {});
  AnyFixture back;
  auto again = migrate_inventory(*middle.store, back.store.get(), {});
  CHECK(digests(there) == digests(again));
  for (const auto& t : there.tables) CHECK_MESSAGE(t.rows > 0, t.table);
  // What the library reads back is the same, and the copy keeps working: ids continue.
  auto same = [&](const std::string& e164) {
    auto a = source.store->find_number(e164);
    auto b = back.store->find_number(e164);
    REQUIRE(a);
    REQUIRE(b);
    CHECK(a->id == b->id);
    CHECK(a->status == b->status);
    CHECK(a->team == b->team);
    CHECK(a->risk_reason == b->risk_reason);
    CHECK(a->cancel_reason == b->cancel_reason);
  };
  for (const char* n : {"+4915123456789", "+4915123456788", "+4915123456787", "+4930123456"}) same(n);
  auto docs = back.store->documents(back.store->find_number("+4930123456")->id);
  REQUIRE(docs.size() == 1);
  CHECK(*back.store->document_content(docs[0].id) == std::string("%PDF\0\x01\x02\xff\n\\x00", 13));
  auto bought = back.service.buy({"+4915123456700"}, {});
  CHECK(bought.front().record.id > source.store->find_number("+4930123456")->id);
  Filter digits;
  digits.digits = "3456700";
  CHECK(back.store->count_numbers(digits) == 1);
}

TEST_CASE("migrate refuses a target that holds anything and leaves it as it was") {
  AnyFixture source;
  populate(source);
  AnyFixture target;
  target.service.add_team("Ops");
  CHECK_THROWS_WITH_AS(migrate_inventory(*source.store, target.store.get(), {}),
                       doctest::Contains("is not empty (rows: teams 1, audit 1)"), Error);
  CHECK(target.store->count_rows("numbers") == 0);
  CHECK(target.store->count_rows("teams") == 1);
  // A dry run checks the same and writes nothing either.
  RunOptions dry{DryRun::yes, {}};
  CHECK_THROWS_AS(migrate_inventory(*source.store, target.store.get(), dry), Error);
  AnyFixture empty;
  auto counted = migrate_inventory(*source.store, empty.store.get(), dry);
  CHECK(counted.rows() > 0);
  CHECK(empty.store->count_rows("audit") == 0);
}

TEST_CASE("a snapshot reads one moment while another connection writes") {
  AnyFixture f;
  f.service.buy({"+4915123456789"}, {});
  auto other = f.database ? Store::open(testing::postgres_at(f.database->url()), {}) : Store::open(f.dir / "numbers.db");
  {
    Store::Snapshot snapshot(*f.store);
    CHECK(f.store->count_rows("numbers") == 1);
    Service writer{*other, default_config(), f.clock, "other"};
    writer.buy({"+4915123456788"}, {});
    CHECK(f.store->count_rows("numbers") == 1);
  }
  CHECK(f.store->count_rows("numbers") == 2);
}

TEST_CASE("opening if present: no inventory there gives nothing and creates nothing") {
  AnyFixture f;
  Store::OpenOptions probe;
  probe.if_present = true;
  probe.create = false;
  if (f.database) {
    testing::PostgresDatabase blank;
    CHECK(Store::open(testing::postgres_at(blank.url()), probe) == nullptr);
    CHECK(pg::Connection(blank.url()).exec("SELECT count(*) FROM pg_tables WHERE schemaname = current_schema()").integer(0, 0) == 0);
    CHECK(Store::open(testing::postgres_at(f.database->url()), probe) != nullptr);
  } else {
    CHECK(Store::open(f.dir / "none.db", probe) == nullptr);
    CHECK_FALSE(std::filesystem::exists(f.dir / "none.db"));
    CHECK(Store::open(f.dir / "numbers.db", probe) != nullptr);
  }
}

TEST_SUITE_END();

TEST_CASE("reads prefer a standby only among several servers; writes always ask for a primary") {
  using numctl::pg::with_session_attrs;
  // One server: it is the one to read from, whatever it is (asked to prefer a standby, libpq
  // would connect to a primary twice).
  CHECK(with_session_attrs("postgresql:///numctl?host=/run/pg&port=5432", "prefer-standby") ==
        "postgresql:///numctl?host=/run/pg&port=5432");
  CHECK(with_session_attrs("host=db1 port=5432 dbname=numctl", "prefer-standby") == "host=db1 port=5432 dbname=numctl");
  // Several: hosts, addresses, or one host with several ports.
  CHECK(with_session_attrs("postgresql://db1,db2/numctl", "prefer-standby") ==
        "postgresql://db1,db2/numctl?target_session_attrs=prefer-standby");
  CHECK(with_session_attrs("postgresql:///numctl?host=/run/pg&port=5432,5433", "prefer-standby") ==
        "postgresql:///numctl?host=/run/pg&port=5432,5433&target_session_attrs=prefer-standby");
  CHECK(with_session_attrs("hostaddr=10.0.0.1,10.0.0.2 port=5432 dbname=numctl", "prefer-standby") ==
        "hostaddr=10.0.0.1,10.0.0.2 port=5432 dbname=numctl target_session_attrs=prefer-standby");
  // Writes go to a primary however many servers there are; a string that says its own
  // attributes is kept as written.
  CHECK(with_session_attrs("postgresql:///numctl?host=/run/pg&port=5432", "read-write") ==
        "postgresql:///numctl?host=/run/pg&port=5432&target_session_attrs=read-write");
  CHECK(with_session_attrs("host=db1,db2 port=5432 target_session_attrs=any", "prefer-standby") ==
        "host=db1,db2 port=5432 target_session_attrs=any");
}
