// The reputation policy: its rules on their own, then through Service over a real database.
#include <doctest/doctest.h>
#include "fixture.hpp"

#include <numctl/error.hpp>
#include <numctl/reputation.hpp>

using namespace numctl;
using Fixture = numctl::testing::AnyFixture;

// Run on the engine under test as well (tests/unit/CMakeLists.txt: unit.postgres).
TEST_SUITE_BEGIN("any engine");

namespace {

Reading reading(int score, std::string checked_at = "2026-01-09T00:00:00Z", std::string source = "hiya") {
  Reading r;
  r.score = score;
  r.checked_at = std::move(checked_at);
  r.source = std::move(source);
  return r;
}

ReadingRow row(std::string number, std::string score, std::string checked_at, std::string source = "hiya") {
  ReadingRow r;
  r.number = std::move(number);
  r.score = std::move(score);
  r.checked_at = std::move(checked_at);
  r.source = std::move(source);
  return r;
}

Status status_of(Fixture& f, const std::string& e164) { return f.store->find_number(e164)->status; }

constexpr const char* A = "+12015550100";
constexpr const char* B = "+12015550107";

void two_numbers(Fixture& f) {
  BuyOptions options;
  options.type = NumberType::local;
  f.service.buy({A, B}, options);
}

}  // namespace

TEST_CASE("bands and rules: flag at the threshold, clear only after enough low readings") {
  ReputationPolicy policy;  // 70, 30, 3
  CHECK(reputation::band(70, policy) == RiskBand::high);
  CHECK(reputation::band(69, policy) == RiskBand::medium);
  CHECK(reputation::band(30, policy) == RiskBand::medium);
  CHECK(reputation::band(29, policy) == RiskBand::low);
  CHECK(reputation::flags(reading(70), policy));
  CHECK_FALSE(reputation::flags(reading(69), policy));
  CHECK(reputation::clears({reading(1), reading(2), reading(29)}, policy));
  CHECK_FALSE(reputation::clears({reading(1), reading(2)}, policy));
  CHECK_FALSE(reputation::clears({reading(1), reading(30), reading(2)}, policy));
  // Only the newest clear_after count.
  CHECK(reputation::clears({reading(1), reading(2), reading(3), reading(99)}, policy));
  Reading r = reading(82);
  r.labels = "Scam Likely";
  CHECK(reputation::risk_reason(r) == "reputation 82 (hiya): Scam Likely");
  CHECK(reputation::parse_score("82") == 82);
  // A fraction never lifts a score over a threshold: 69.5 does not flag at flag_at 70.
  CHECK(reputation::parse_score("91.6") == 91);
  CHECK(reputation::parse_score("69.5") == 69);
  CHECK_FALSE(reputation::flags(reading(*reputation::parse_score("69.5")), policy));
  CHECK(reputation::parse_score("70.0") == 70);
  CHECK_FALSE(reputation::parse_score("101"));
  CHECK_FALSE(reputation::parse_score("-1"));
  CHECK_FALSE(reputation::parse_score("high"));
}

TEST_CASE("a feed is read by column name in every format; a row without score or risk is refused with its line") {
  auto rows = parse_readings("number,score,source\n+12015550100,82,hiya\n", ImportFormat::csv);
  REQUIRE(rows.size() == 1);
  CHECK(rows[0].score == "82");
  CHECK(rows[0].position == 2);
  auto json = parse_readings(R"([{"number": "+12015550100", "score": 82, "labels": "Scam Likely"}])", ImportFormat::json);
  REQUIRE(json.size() == 1);
  CHECK(json[0].score == "82");
  CHECK(json[0].json_index);
  CHECK_THROWS_WITH_AS(parse_readings("number,source\n+12015550100,hiya\n", ImportFormat::csv),
                       doctest::Contains("line 2: no 'score' (0-100) or 'risk' (low, medium, high)"), Error);
  CHECK_THROWS_WITH_AS(parse_readings("{\"number\": \"+1\", \"score\": true}\n", ImportFormat::ndjson),
                       doctest::Contains("'score' must be a string or a number"), Error);
}

TEST_CASE("the policy through the service: flag, hysteresis, clear, and no re-flag by a weighed reading") {
  Fixture f;
  two_numbers(f);
  auto stored = f.service.import_readings({row(A, "82", "2026-01-05T00:00:00Z")}, {});
  REQUIRE(stored.applied);
  REQUIRE(stored.applied->flagged.size() == 1);
  CHECK(status_of(f, A) == Status::high_risk);
  CHECK(f.store->find_number(A)->risk_reason == "reputation 82 (hiya)");
  auto history = f.store->history(A);
  CHECK(history.back().actor == "reputation");
  CHECK(history.back().action == "flag");
  // A middle score holds the flag; so do two low ones.
  f.service.import_readings({row(A, "50", "2026-01-06T00:00:00Z"), row(A, "10", "2026-01-07T00:00:00Z"),
                             row(A, "10", "2026-01-08T00:00:00Z")}, {});
  CHECK(status_of(f, A) == Status::high_risk);
  auto cleared = f.service.import_readings({row(A, "10", "2026-01-09T00:00:00Z")}, {});
  CHECK(cleared.applied->unflagged.size() == 1);
  CHECK(status_of(f, A) == Status::active);
  CHECK(f.service.apply_reputation(false).flagged.empty());
  // Actor restored for the operator's own actions.
  f.service.flag({B}, std::string("by hand"));
  CHECK(f.store->history(B).back().actor == "tester");
}

TEST_CASE("stale readings are ignored and a dry run writes nothing") {
  Fixture f;
  two_numbers(f);
  f.service.import_readings({row(A, "99", "2026-01-02T00:00:00Z")}, {});
  CHECK(status_of(f, A) == Status::active);  // 8 days old
  RunOptions dry;
  dry.dry_run = DryRun::yes;
  auto would = f.service.import_readings({row(B, "99", "2026-01-09T00:00:00Z")}, {}, dry);
  CHECK(would.applied->flagged.size() == 1);
  CHECK(status_of(f, B) == Status::active);
  CHECK(f.service.readings({}).size() == 1);
}

TEST_CASE("readings of numbers not in the inventory: refused as a whole, or skipped when asked") {
  Fixture f;
  two_numbers(f);
  CHECK_THROWS_WITH_AS(f.service.import_readings({row(A, "10", "2026-01-09T00:00:00Z"), row("+12015550999", "10", "2026-01-09T00:00:00Z")}, {}),
                       doctest::Contains("+12015550999 is not in the inventory"), Error);
  CHECK(f.service.readings({}).empty());
  ReputationOptions skip;
  skip.skip_unknown = true;
  auto stored = f.service.import_readings({row(A, "10", "2026-01-09T00:00:00Z"), row("+12015550999", "10", "2026-01-09T00:00:00Z")}, skip);
  CHECK(stored.added == 1);
  REQUIRE(stored.skipped.size() == 1);
  CHECK(stored.skipped[0].number == "+12015550999");
}

TEST_CASE("the risk view: highest fresh score, newest reading per source, trend oldest first") {
  Fixture f;
  two_numbers(f);
  f.service.import_readings({row(A, "40", "2026-01-07T00:00:00Z"), row(A, "60", "2026-01-08T00:00:00Z", "tns"),
                             row(A, "20", "2026-01-09T00:00:00Z"), row(A, "95", "2025-12-01T00:00:00Z")},
                            {});
  auto view = f.service.risk_view(*f.store->find_number(A));
  CHECK(view.score == 60);
  CHECK(view.checked_at == "2026-01-08T00:00:00Z");
  CHECK(view.band == RiskBand::medium);
  REQUIRE(view.latest_by_source.size() == 2);
  CHECK(view.latest_by_source[0].source == "hiya");
  CHECK(view.latest_by_source[0].score == 20);
  REQUIRE(view.trend.size() == 4);
  CHECK(view.trend.front().score == 95);
  CHECK(view.trend.back().score == 20);
}

TEST_SUITE_END();
