#include <doctest/doctest.h>
#include <numctl/error.hpp>
#include <numctl/query.hpp>

using namespace numctl;

TEST_CASE("status lists accept aliases and colours, case-insensitively") {
  CHECK(parse_status_list("Active,high-risk") == std::vector<Status>{Status::active, Status::high_risk});
  CHECK(parse_status_list("green,yellow,RED") == std::vector<Status>{Status::active, Status::pending, Status::high_risk});
  CHECK(parse_status_list("to-be-cancelled") == std::vector<Status>{Status::to_be_cancelled});
  CHECK_THROWS_WITH_AS(parse_status_list("purple"), doctest::Contains("valid: pending, active"), Error);
}

TEST_CASE("type and country lists") {
  CHECK(parse_type_list("toll-free,mobile") == std::vector<NumberType>{NumberType::toll_free, NumberType::mobile});
  CHECK(parse_country_list("de, us") == std::vector<std::string>{"DE", "US"});
  CHECK_THROWS_AS(parse_country_list("Germany"), Error);
  CHECK_THROWS_AS(parse_type_list("fax"), Error);
}

TEST_CASE("sort specs") {
  Sort s = parse_sort("release_at:desc");
  CHECK(s.field == SortField::release_at);
  CHECK(s.descending);
  CHECK(parse_sort("bought-at").field == SortField::bought_at);
  CHECK_THROWS_WITH_AS(parse_sort("colour"), doctest::Contains("fields: number"), Error);
}
