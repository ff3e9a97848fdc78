// Emergency addresses and caller ID names: the small rules (statuses, what an address needs,
// what a CNAM listing may hold, which statuses call) and the library's unit over an engine
// (ledger registrations, a team's default, the gap counts, [emergency] countries).
#include "fixture.hpp"

#include "numctl/emergency.hpp"
#include "numctl/emergency_service.hpp"
#include "numctl/error.hpp"
#include "numctl/lifecycle.hpp"

#include <doctest/doctest.h>

using namespace numctl;
using numctl::testing::AnyFixture;

namespace {

Address hq() {
  Address a;
  a.name = "HQ";
  a.customer_name = "Acme Inc";
  a.postal = {"100 Main St", "Springfield", "IL", "62701", "US"};
  return a;
}

}  // namespace

TEST_CASE("registration statuses are named and parsed; a record without an address has none") {
  for (auto status : all_emergency_statuses) CHECK(parse_emergency_status(to_string(status)) == status);
  CHECK(!parse_emergency_status("active"));
  NumberRecord record;
  CHECK(emergency_status_of(record) == EmergencyStatus::none);
  record.emergency_address = "HQ";
  record.emergency_status = "failed";
  CHECK(emergency_status_of(record) == EmergencyStatus::failed);
}

TEST_CASE("an address needs every postal field and a known country; carriers need the business's name") {
  CHECK(address_problems(hq(), true).empty());
  Address bare;
  bare.postal.country = "XX";
  auto problems = address_problems(bare, true);
  CHECK(problems.size() == 6);
  CHECK(problems[4] == "--country XX is not an ISO 3166-1 country code");
  Address local = hq();
  local.customer_name.clear();
  CHECK(address_problems(local, false).empty());
  CHECK(address_problems(local, true).size() == 1);
}

TEST_CASE("a caller ID name: at most 15 letters, digits and spaces") {
  CHECK(!cnam_problem("ACME SUPPORT"));
  CHECK(!cnam_problem("A1 B2 C3 D4 E5 "));
  CHECK(cnam_problem("ACME SUPPORT DESK").value().find("17 characters") != std::string::npos);
  CHECK(cnam_problem("ACME-SUPPORT").value().find("'-'") != std::string::npos);
  CHECK(cnam_problem("CAFÉ").value().find("outside A-Z") != std::string::npos);
  CHECK(cnam_problem(""));
}

TEST_CASE("the numbers that call (and so need an address) are active and high_risk; emergency set is offered while held") {
  CHECK(lifecycle::statuses_where(lifecycle::makes_calls) == std::vector<Status>{Status::active, Status::high_risk});
  for (Status held : {Status::pending, Status::active, Status::high_risk, Status::to_be_cancelled})
    CHECK(lifecycle::find(Action::emergency, held) != nullptr);
  for (Status gone : {Status::cancelled, Status::ported_out, Status::porting_in})
    CHECK(lifecycle::find(Action::emergency, gone) == nullptr);
}

TEST_CASE("offline, registrations are the ledger's: a team's default on assign, the gaps counted, a release clears it") {
  AnyFixture f;
  EmergencyService desk(f.service);
  desk.add_address(hq(), false);
  auto bought = f.service.buy({"+12015550100", "+12015550101"}, BuyOptions{.type = NumberType::local});
  auto gaps = desk.gaps();
  CHECK(gaps.missing == 2);
  CHECK(gaps.registered == 0);
  f.service.add_team("Support");
  desk.set_team_address("Support", std::string("HQ"));
  f.service.assign({"+12015550100"}, Assignee{Assignee::Kind::team, "Support"});
  auto record = f.store->find_number("+12015550100");
  REQUIRE(record);
  CHECK(record->emergency_address == "HQ");
  CHECK(record->emergency_status == "registered");
  gaps = desk.gaps();
  CHECK(gaps.missing == 1);
  CHECK(gaps.registered == 1);
  // In use: the address stays.
  CHECK_THROWS_AS(desk.remove_address("HQ"), Error);
  auto changed = desk.set_emergency({"+12015550101"}, std::string("hq"), false);
  CHECK(changed.numbers.at(0).emergency_address == "HQ");
  CHECK(desk.gaps().missing == 0);
  // A batch with a number of another country changes nothing.
  desk.set_emergency({"+12015550101"}, std::nullopt, false);
  f.service.buy({"+4915123456789"}, BuyOptions{});
  CHECK_THROWS_AS(desk.set_emergency({"+12015550101", "+4915123456789"}, std::string("HQ"), false), Error);
  CHECK(!f.store->find_number("+12015550101")->emergency_address);
}

TEST_CASE("[emergency] countries sets the gap report's scope; a code that is no country is a config error") {
  auto config = parse_config("[emergency]\ncountries = [\"ca\", \"US\"]\n", "t.toml");
  CHECK(config.emergency.countries == std::vector<std::string>{"CA", "US"});
  CHECK(default_config().emergency.countries == std::vector<std::string>{"US", "CA"});
  CHECK_THROWS_AS(parse_config("[emergency]\ncountries = [\"XX\"]\n", "t.toml"), Error);
  CHECK_THROWS_AS(parse_config("[emergency]\ncountry = [\"US\"]\n", "t.toml"), Error);
}
