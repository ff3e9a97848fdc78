// Compliance at the carrier, in the library: requirement names as carriers write them, files as
// they are sent, regulations as the database caches them, profiles as each engine stores them,
// the carrier's verdict in the lifecycle table, and the offline providers' refusal.
#include "carrier/carriers.hpp"
#include "domain/compliance_json.hpp"
#include "fixture.hpp"
#include "numctl/error.hpp"
#include "numctl/lifecycle.hpp"

#include <doctest/doctest.h>

using namespace numctl;
using namespace numctl::testing;

TEST_CASE("a carrier's requirement labels fold to machine names") {
  CHECK(carrier::machine_name("Business Name") == "business_name");
  CHECK(carrier::machine_name("  Proof of Address (utility bill) ") == "proof_of_address_utility_bill");
  CHECK(carrier::machine_name("VAT-ID") == "vat_id");
  CHECK(carrier::machine_name("") == "");
}

TEST_CASE("base64 as RFC 4648 writes it, padded, for any bytes") {
  CHECK(carrier::base64("") == "");
  CHECK(carrier::base64("f") == "Zg==");
  CHECK(carrier::base64("fo") == "Zm8=");
  CHECK(carrier::base64("foo") == "Zm9v");
  CHECK(carrier::base64("foobar") == "Zm9vYmFy");
  CHECK(carrier::base64(std::string("\xFF\x00\x80", 3)) == "/wCA");
}

TEST_CASE("regulations survive the cache's JSON, requirement by requirement; an unreadable cache is empty") {
  RegulationInfo info;
  info.provider = "twilio";
  info.country = "DE";
  info.type = NumberType::mobile;
  info.end_user_type = "business";
  info.name = "DE mobile: business";
  info.carrier_ref = "RN01";
  info.requirements.push_back({Requirement::Kind::field, "business_name", "Business Name", "", {}, {}, {}});
  info.requirements.push_back(
      {Requirement::Kind::document, "proof_of_address", "Proof of Address", "recent", {"utility_bill"}, {"address_sids"}, {}});
  info.requirements.push_back({Requirement::Kind::address, "address", "Address", "", {}, {}, "req-3"});
  auto back = regulations_from_json(regulations_to_json({info}));
  REQUIRE(back.size() == 1);
  CHECK(back[0].type == NumberType::mobile);
  CHECK(back[0].end_user_type == "business");
  REQUIRE(back[0].requirements.size() == 3);
  CHECK(back[0].requirements[1].kind == Requirement::Kind::document);
  CHECK(back[0].requirements[1].accepts == std::vector<std::string>{"utility_bill"});
  CHECK(back[0].requirements[1].fields == std::vector<std::string>{"address_sids"});
  CHECK(back[0].requirements[2].kind == Requirement::Kind::address);
  CHECK(back[0].requirements[2].carrier_ref == "req-3");
  CHECK(regulations_from_json("not json").empty());
}

TEST_CASE("the carrier's verdict is the lifecycle's pending -> active at a carrier; no operator gives it") {
  const Transition* verdict = lifecycle::find(Action::carrier_approve, Status::pending);
  REQUIRE(verdict);
  CHECK(verdict->to == Status::active);
  CHECK(verdict->guard == Guard::carrier_verdict);
  CHECK_FALSE(verdict->operator_action);
  CHECK(lifecycle::find(Action::carrier_approve, Status::active) == nullptr);
  CHECK(std::string(lifecycle::describe(Guard::carrier_verdict)).find("carrier approved") != std::string::npos);
  auto actions = lifecycle::allowed_actions(Status::pending);
  CHECK(std::find(actions.begin(), actions.end(), Action::carrier_approve) == actions.end());
  CHECK(command_for(Action::carrier_approve) == "compliance refresh");
}

TEST_CASE("profiles, their documents and the regulations cache, on the engine under test") {
  AnyFixture f;
  ComplianceProfile p;
  p.name = "Acme-DE";
  p.provider = "telnyx";
  p.country = "DE";
  p.state = ReviewState::draft;
  p.created_at = p.updated_at = "2026-01-10T12:00:00Z";
  {
    Store::Transaction transaction(*f.store);
    REQUIRE(f.store->save_profile(p));
    ComplianceProfile same = p;
    same.id = 0;
    same.name = "acme-de";
    CHECK_FALSE(f.store->save_profile(same));  // one profile a name, whatever its case
    f.store->add_profile_document(p.id, {0, "proof_of_address", "lease.pdf", 4, "ab", p.created_at}, std::string("%P\0F", 4));
    f.store->cache_regulations("telnyx", "DE", "local", "[1]", "2026-01-10T12:00:00Z");
    f.store->cache_regulations("telnyx", "DE", "local", "[2]", "2026-01-11T12:00:00Z");
    transaction.commit();
  }
  auto found = f.store->find_profile("ACME-de");
  REQUIRE(found);
  CHECK(found->id == p.id);
  CHECK(found->state == ReviewState::draft);
  found->state = ReviewState::rejected;
  found->reason = "declined by Telnyx: proof_of_address declined";
  {
    Store::Transaction transaction(*f.store);
    CHECK(f.store->save_profile(*found));
    transaction.commit();
  }
  CHECK(f.store->find_profile(p.id)->reason == found->reason);
  auto documents = f.store->profile_documents(p.id);
  REQUIRE(documents.size() == 1);
  CHECK(f.store->profile_document_content(documents[0].id) == std::string("%P\0F", 4));
  CHECK(f.store->cached_regulations("telnyx", "DE", "local")->first == "[2]");
  CHECK_FALSE(f.store->cached_regulations("twilio", "DE", "local"));
  CHECK(f.store->profiles().size() == 1);
}

TEST_CASE("the offline providers have no compliance profiles: [regulation] and approve decide there") {
  Fixture f;
  ComplianceRequest request;
  request.name = "acme-de";
  request.country = "DE";
  try {
    f.service.create_compliance(request);
    FAIL("an offline provider built a profile");
  } catch (const Error& error) {
    CHECK(error.category() == ErrorCategory::config);
    CHECK(std::string(error.what()).find("[regulation]") != std::string::npos);
  }
  auto read = f.service.regulations("de", NumberType::local, false);
  CHECK(read.source == "[regulation]");
  REQUIRE(read.regulations.size() == 1);
  CHECK(read.regulations[0].requirements[0].name == "proof_of_address");
}
