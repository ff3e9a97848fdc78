#include <doctest/doctest.h>
#include <numctl/error.hpp>
#include <numctl/import.hpp>

using namespace numctl;

TEST_CASE("CSV rows keep their line numbers, with BOM, CRLF and quoted fields") {
  auto rows = parse_import("\xEF\xBB\xBFnumber,team,label\r\n+4930123456,Sales,\"Berlin, HQ\"\r\n\r\n+12015550123,,\r\n", ImportFormat::csv);
  REQUIRE(rows.size() == 2);
  CHECK(rows[0].number == "+4930123456");
  CHECK(rows[0].team == "Sales");
  CHECK(rows[0].label == "Berlin, HQ");
  CHECK(rows[0].position == 2);
  CHECK(rows[1].position == 4);
  CHECK_FALSE(rows[1].team);
}

TEST_CASE("CSV without a number column, with unknown columns or ragged rows is refused") {
  CHECK_THROWS_WITH_AS(parse_import("phone\n+4930123456\n", ImportFormat::csv), doctest::Contains("no 'number' column"), Error);
  CHECK_THROWS_WITH_AS(parse_import("number,colour\n+4930123456,red\n", ImportFormat::csv), doctest::Contains("unknown column"), Error);
  CHECK_THROWS_WITH_AS(parse_import("number,team\n+4930123456\n+4930123457,a,b\n", ImportFormat::csv),
                       doctest::Contains("2 bad rows"), Error);
  CHECK_THROWS_AS(parse_import("", ImportFormat::csv), Error);
}

TEST_CASE("JSON and NDJSON rows") {
  auto json = parse_import(R"([{"number":"+4930123456","status":"pending"},{"number":"+12015550123","type":"mobile"}])", ImportFormat::json);
  REQUIRE(json.size() == 2);
  CHECK(json[0].status == "pending");
  CHECK(json[1].position == 1);
  auto nd = parse_import("{\"number\":\"+4930123456\"}\n\n{\"number\":\"+12015550123\"}\n", ImportFormat::ndjson);
  REQUIRE(nd.size() == 2);
  CHECK(nd[1].position == 3);
  CHECK_THROWS_WITH_AS(parse_import("[{\"number\": 5}]", ImportFormat::json), doctest::Contains("must be a string"), Error);
  CHECK_THROWS_WITH_AS(parse_import("{not json", ImportFormat::json), doctest::Contains("invalid JSON"), Error);
  CHECK_THROWS_WITH_AS(parse_import("{\"number\":\"+1\"}\n{oops\n", ImportFormat::ndjson), doctest::Contains("line 2"), Error);
}

TEST_CASE("a JSON number too large for any type is invalid input, not a crash (fuzzing regression)") {
  CHECK_THROWS_AS(parse_import(R"([{"number":"+4930123456","x":1e999999}])", ImportFormat::json), Error);
  CHECK_THROWS_AS(parse_import("{\"number\":1e999999}\n", ImportFormat::ndjson), Error);
}

TEST_CASE("a CSV row with an empty number is a bad row (fuzzing regression)") {
  CHECK_THROWS_WITH_AS(parse_import("number,team\n,Sales\n", ImportFormat::csv), doctest::Contains("line 2: 'number' is empty"), Error);
}

TEST_CASE("CSV quoted fields may hold quotes, commas and line breaks; the next record keeps its own line") {
  auto rows = parse_import("number,label\n+4930123456,\"say \"\"hi\"\",\nnow\"\n+4930123457,plain\n+4930123458,", ImportFormat::csv);
  REQUIRE(rows.size() == 3);
  CHECK(rows[0].label == "say \"hi\",\nnow");
  CHECK(rows[1].position == 4);
  CHECK(rows[1].label == "plain");
  CHECK(rows[2].number == "+4930123458");
  CHECK_FALSE(rows[2].label);  // "a," at the very end: a last, empty field
  CHECK_THROWS_WITH_AS(parse_import("number,label\n+4930123456,ok\n+4930123457,\"open\n", ImportFormat::csv),
                       doctest::Contains("line 3: a quoted field is never closed"), Error);
  // A lone CR ends a record as LF does.
  auto cr = parse_import("number\r+4930123456\r+4930123457", ImportFormat::csv);
  REQUIRE(cr.size() == 2);
  CHECK(cr[1].number == "+4930123457");
}
