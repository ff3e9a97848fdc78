#include "fixture.hpp"

#include <doctest/doctest.h>
#include <numctl/error.hpp>
#include <numctl/import.hpp>
#include <numctl/phone.hpp>

#include <algorithm>
#include <fstream>

using namespace numctl;
using Fixture = numctl::testing::AnyFixture;

// Run on the engine under test as well (tests/unit/CMakeLists.txt: unit.postgres).
TEST_SUITE_BEGIN("any engine");

namespace {
Status status_of(Fixture& f, const std::string& e164) { return f.store->find_number(e164)->status; }

ErrorCategory category_of(const std::function<void()>& work) {
  try {
    work();
  } catch (const Error& e) {
    return e.category();
  }
  FAIL("expected an error");
  return ErrorCategory::internal;
}
}  // namespace

TEST_CASE("buying follows the regulation: DE local is pending, DE mobile active") {
  Fixture f;
  auto bought = f.service.buy({"+49 30 123456", "+49 1512 3456789"}, {});
  REQUIRE(bought.size() == 2);
  CHECK(bought[0].record.status == Status::pending);
  CHECK(bought[0].required_documents == std::vector<std::string>{"proof_of_address"});
  CHECK(bought[1].record.status == Status::active);
  CHECK(f.store->history("+4930123456").front().action == "buy");
  CHECK(f.store->history("+4930123456").front().actor == "tester");
}

TEST_CASE("buying an owned number is refused and a batch with one bad number buys nothing") {
  Fixture f;
  f.service.buy({"+4930123456"}, {});
  CHECK(category_of([&] { f.service.buy({"+4930123456"}, {}); }) == ErrorCategory::refused);
  try {
    f.service.buy({"+44 20 7946 0018", "+49 1", "+4930123456"}, {});
    FAIL("expected an error");
  } catch (const Error& e) {
    std::string message = e.what();
    CHECK(message.find("2 of 3") != std::string::npos);
    CHECK(message.find("+49 1") != std::string::npos);
    CHECK(message.find("already owned") != std::string::npos);
  }
  CHECK_FALSE(f.store->find_number("+442079460018"));
}

TEST_CASE("an ambiguous North American number needs a type") {
  Fixture f;
  CHECK(category_of([&] { f.service.buy({"+12015550123"}, {}); }) == ErrorCategory::invalid_input);
  BuyOptions options;
  options.type = NumberType::mobile;
  CHECK(f.service.buy({"+12015550123"}, options).front().record.type == NumberType::mobile);
}

TEST_CASE("approve waits for every required document; reject keeps the number pending") {
  Fixture f;
  f.service.buy({"+4930123456"}, {});
  CHECK(category_of([&] { f.service.approve({"+4930123456"}); }) == ErrorCategory::refused);
  auto file = f.dir / "lease.pdf";
  std::ofstream(file) << "%PDF lease";
  f.service.submit_document({"+4930123456"}, "proof_of_address", file);
  f.service.reject({"+4930123456"}, "blurry");
  CHECK(status_of(f, "+4930123456") == Status::pending);
  CHECK(category_of([&] { f.service.approve({"+4930123456"}); }) == ErrorCategory::refused);
  f.service.submit_document({"+4930123456"}, "proof_of_address", file);
  CHECK(f.service.approve({"+4930123456"}).front().status == Status::active);
  CHECK(f.service.document_content("+4930123456", "proof_of_address") == "%PDF lease");
}

TEST_CASE("cancel gives a grace period that restore undoes; a batch with a refusal changes nothing") {
  Fixture f;
  f.service.buy({"+4915123456789", "+4915123456788"}, {});
  f.service.flag({"+4915123456788"}, std::string("spam"));
  auto cancelled = f.service.cancel({"+4915123456789"}, std::string("closing"));
  CHECK(cancelled.front().status == Status::to_be_cancelled);
  CHECK(cancelled.front().release_at == "2026-02-09T12:00:00Z");
  CHECK(category_of([&] { f.service.cancel({"+4915123456788", "+4915123456789"}, {}); }) == ErrorCategory::refused);
  CHECK(status_of(f, "+4915123456788") == Status::high_risk);
  f.service.restore({"+4915123456789"});
  CHECK(status_of(f, "+4915123456789") == Status::active);
  CHECK_FALSE(f.store->find_number("+4915123456789")->release_at);
}

TEST_CASE("dry run checks and reports, then changes nothing") {
  Fixture f;
  f.service.buy({"+4915123456789"}, {});
  auto changed = f.service.flag({"+4915123456789"}, {}, {DryRun::yes, {}});
  CHECK(changed.front().status == Status::high_risk);
  CHECK(status_of(f, "+4915123456789") == Status::active);
}

TEST_CASE("replace moves the assignment to a new number of the same country and type") {
  Fixture f;
  f.service.add_team("Support");
  BuyOptions options;
  options.assignee = Assignee{Assignee::Kind::team, "Support"};
  options.label = "hotline";
  f.service.buy({"+447400100001"}, options);
  CHECK(category_of([&] { f.service.replace({"+447400100001"}, {}); }) == ErrorCategory::refused);
  f.service.flag({"+447400100001"}, {});
  Replacement r = f.service.replace({"+447400100001"}, {}).front();
  CHECK(r.old_number.status == Status::to_be_cancelled);
  CHECK(r.old_number.replaced_by == r.new_number.e164);
  CHECK(r.new_number.replaces == r.old_number.e164);
  CHECK(r.new_number.country == "GB");
  CHECK(r.new_number.type == NumberType::mobile);
  CHECK(r.new_number.team == "Support");
  CHECK(r.new_number.label == "hotline");
  CHECK(r.new_number.e164.substr(0, 8) == "+4474001");  // near the old one
}

TEST_CASE("sweep releases exactly at release_at, expires stale orders, and is idempotent") {
  Fixture f;
  f.service.buy({"+4915123456789", "+4930123456"}, {});
  f.service.cancel({"+4915123456789"}, {});
  auto release = *parse_iso8601("2026-02-09T12:00:00Z");
  // Ahead of the clock, a sweep would release early: refused, except as a dry run or forced.
  CHECK(category_of([&] { f.service.sweep({release}); }) == ErrorCategory::invalid_input);
  CHECK(f.service.sweep({release}, {DryRun::yes, {}}).released.size() == 1);
  f.clock.set(release - std::chrono::seconds(1));
  CHECK(f.service.sweep().released.empty());
  f.clock.set(release);
  auto result = f.service.sweep();
  REQUIRE(result.released.size() == 1);
  CHECK(result.released.front().status == Status::cancelled);
  REQUIRE(result.expired.size() == 1);  // the DE local order waited 30 days for documents
  CHECK(result.expired.front().e164 == "+4930123456");
  auto again = f.service.sweep();
  CHECK(again.released.empty());
  CHECK(again.expired.empty());
  // A released number may be bought again: a new lifecycle, history kept.
  f.service.buy({"+4915123456789"}, {});
  CHECK(status_of(f, "+4915123456789") == Status::active);
  CHECK(f.store->history("+4915123456789").size() == 4);
}

TEST_CASE("import is all-or-nothing and creates the teams it names") {
  Fixture f;
  std::vector<ImportRow> rows(3);
  rows[0].position = 2;
  rows[0].number = "+4915123456789";
  rows[0].team = "Sales";
  rows[1].position = 3;
  rows[1].number = "+49 1";
  rows[2].position = 4;
  rows[2].number = "+4915123456788";
  rows[2].status = "paused";
  try {
    f.service.import_rows(rows);
    FAIL("expected an error");
  } catch (const Error& e) {
    CHECK(std::string(e.what()).find("row 3") != std::string::npos);
    CHECK(std::string(e.what()).find("row 4") != std::string::npos);
  }
  CHECK_FALSE(f.store->find_number("+4915123456789"));
  rows.erase(rows.begin() + 1, rows.end());
  auto result = f.service.import_rows(rows);
  CHECK(result.imported == 1);
  CHECK(result.teams_created == 1);
  CHECK(f.store->find_number("+4915123456789")->team == "Sales");
}

TEST_CASE("teams holding numbers cannot be removed; unknown names get a suggestion") {
  Fixture f;
  f.service.add_team("Support");
  BuyOptions options;
  options.assignee = Assignee{Assignee::Kind::team, "Support"};
  f.service.buy({"+4915123456789"}, options);
  CHECK(category_of([&] { f.service.remove_team("Support"); }) == ErrorCategory::refused);
  CHECK_THROWS_WITH_AS(f.service.assign({"+4915123456789"}, Assignee{Assignee::Kind::team, "Suport"}),
                       doctest::Contains("did you mean 'Support'"), Error);
  f.service.unassign({"+4915123456789"});
  f.service.remove_team("Support");
  CHECK_FALSE(f.store->team_id("Support"));
}

namespace {
ImportRow import_row(std::size_t position, std::string number, std::optional<std::string> team = std::nullopt) {
  ImportRow row;
  row.position = position;
  row.number = std::move(number);
  row.team = std::move(team);
  return row;
}
}  // namespace

TEST_CASE("a bulk import finds a number given twice among numbers that share prefixes, across lengths and countries") {
  Fixture f;
  // Numbers whose digits are prefixes of one another, or equal over many digits, sort apart by
  // their text; a duplicate is found wherever it stands in the file.
  std::vector<std::string> numbers;
  for (const char* country : {"US", "GB", "DE", "AT", "IT"}) {
    auto some = generate_numbers(country, NumberType::local, "", "", [](const std::string&) { return true; }, 120, 50000);
    numbers.insert(numbers.end(), some.begin(), some.end());
  }
  REQUIRE(numbers.size() >= 500);
  std::vector<ImportRow> rows;
  for (std::size_t i = 0; i < numbers.size(); ++i) rows.push_back(import_row(i + 2, numbers[numbers.size() - 1 - i]));
  rows.push_back(import_row(numbers.size() + 2, numbers[7]));
  for (auto& row : rows) row.type = "local";  // North American numbers do not say it
  std::string expected = "also appears in row " + std::to_string(numbers.size() - 6);  // numbers[7]'s first row
  CHECK_THROWS_WITH_AS(f.service.import_rows(rows), doctest::Contains(expected.c_str()), Error);
  rows.pop_back();
  CHECK(f.service.import_rows(rows).imported == numbers.size());
  std::vector<std::string> listed;
  f.store->for_each_number({}, {}, {}, [&](const NumberRecord& r) { listed.push_back(r.e164); });
  std::sort(numbers.begin(), numbers.end());
  CHECK(listed == numbers);
  // Every number written in bulk is found by the digits of its national form, trunk prefix and all.
  for (const auto& number : {numbers[3], numbers[150], numbers[300], numbers[450]}) {
    Filter filter;
    filter.digits = parse_phone_number(number, std::nullopt).national_digits;
    std::vector<std::string> hits;
    f.store->for_each_number(filter, {}, {}, [&](const NumberRecord& r) { hits.push_back(r.e164); });
    CHECK(std::find(hits.begin(), hits.end(), number) != hits.end());
  }
}

TEST_CASE("a large import, prepared in slices on every core, refuses rows in file order and audits each row as written") {
  Fixture f;
  // Enough rows for the slices of the number order to be prepared on more than one core.
  auto numbers = generate_numbers(
      "DE", NumberType::local, "", "", [](const std::string&) { return true; }, 24000, 400000);
  REQUIRE(numbers.size() == 24000);
  std::vector<ImportRow> rows;
  for (std::size_t i = 0; i < numbers.size(); ++i) {
    // File order is not number order: every slice holds rows from all over the file.
    rows.push_back(import_row(i + 2, numbers[(i * 7919) % numbers.size()], "Team" + std::to_string(i % 7)));
    rows.back().status = "active";
  }
  // With --on-conflict skip, a regulated number claimed active is refused once it is known to
  // be added: while preparing, not while checking.
  ImportOptions skip;
  skip.on_conflict = OnConflict::skip;
  try {
    f.service.import_rows(rows, skip);
    FAIL("expected an error");
  } catch (const Error& e) {
    CHECK(std::string(e.what()).find("24000 of 24000 rows are bad") != std::string::npos);
    REQUIRE(e.offenders().size() == 24000);
    CHECK(e.offenders().front().where == "row 2");
    CHECK(e.offenders().back().where == "row 24001");
    CHECK(std::is_sorted(e.offenders().begin(), e.offenders().end(), [](const auto& a, const auto& b) {
      return std::stoul(a.where.substr(4)) < std::stoul(b.where.substr(4));
    }));
  }
  CHECK_FALSE(f.store->find_number(numbers[0]));
  skip.trust_status = true;
  CHECK(f.service.import_rows(rows, skip).imported == 24000);
  // Each number's audit row carries its own row's team, from whichever slice prepared it.
  for (std::size_t i : {std::size_t{0}, std::size_t{1}, std::size_t{11999}, std::size_t{12000}, std::size_t{23999}}) {
    const auto& number = rows[i].number;
    auto history = f.store->history(number);
    REQUIRE(history.size() == 1);
    CHECK(history[0].details.find("\"team\":\"Team" + std::to_string(i % 7) + "\"") != std::string::npos);
    CHECK(history[0].details.find("\"status_trusted\"") != std::string::npos);
    CHECK(f.store->find_number(number)->team == "Team" + std::to_string(i % 7));
  }
}

TEST_CASE("a bulk import names every row already in the inventory and adds nothing") {
  Fixture f;
  auto numbers = generate_numbers("GB", NumberType::mobile, "", "", [](const std::string&) { return true; }, 600, 50000);
  REQUIRE(numbers.size() == 600);
  std::vector<ImportRow> first;
  for (std::size_t i = 0; i < 500; ++i) first.push_back(import_row(i + 2, numbers[i], "Sales"));
  CHECK(f.service.import_rows(first).imported == 500);  // 500 rows: the bulk path
  auto audit_before = f.store->history(numbers[0]).size();

  std::vector<ImportRow> second;
  for (std::size_t i = 498; i < 600; ++i) second.push_back(import_row(i + 2, numbers[i]));
  for (std::size_t i = 0; i < 398; ++i) second.push_back(import_row(800 + i, numbers[100 + i]));
  try {
    f.service.import_rows(second);
    FAIL("expected an error");
  } catch (const Error& e) {
    std::string message = e.what();
    CHECK(message.find("400 of 500 rows are bad") != std::string::npos);
    CHECK(message.find("row 500: ") != std::string::npos);
    CHECK(message.find("is already in the inventory") != std::string::npos);
    // One reason for 400 rows: said once, with the count and the first few others named.
    CHECK(message.find("(the same for 399 more: row 501, row 800, row 801, and 396 others)") != std::string::npos);
    CHECK(e.offenders().size() == 400);  // every one of them for scripts (the JSON error)
    CHECK(e.offenders().front().where == "row 500");
  }
  // The same number twice in one file, written two ways, is named before anything is written.
  std::vector<ImportRow> twice(second.begin(), second.begin() + 102);
  twice.push_back(import_row(700, numbers[599].substr(0, 4) + " " + numbers[599].substr(4)));
  CHECK_THROWS_WITH_AS(f.service.import_rows(twice), doctest::Contains("also appears in row 601"), Error);
  CHECK_FALSE(f.store->find_number(numbers[550]));
  CHECK(f.store->history(numbers[0]).size() == audit_before);
  CHECK(f.store->find_number(numbers[10])->team == "Sales");
}

TEST_SUITE_END();
