#include <doctest/doctest.h>
#include <numctl/clock.hpp>

using namespace numctl;

TEST_CASE("timestamps print as fixed-width UTC ISO 8601") {
  auto at = parse_iso8601("2026-03-05T07:08:09Z");
  REQUIRE(at);
  CHECK(format_iso8601(*at) == "2026-03-05T07:08:09Z");
}

TEST_CASE("offsets and date-only input are normalised to UTC") {
  CHECK(format_iso8601(*parse_iso8601("2026-03-05T09:08:09+02:00")) == "2026-03-05T07:08:09Z");
  CHECK(format_iso8601(*parse_iso8601("2026-03-05")) == "2026-03-05T00:00:00Z");
  CHECK(format_iso8601(*parse_iso8601("2026-03-05 10:00")) == "2026-03-05T10:00:00Z");
}

TEST_CASE("impossible dates are refused") {
  CHECK_FALSE(parse_iso8601("2026-02-30"));
  CHECK_FALSE(parse_iso8601("2026-13-01T00:00:00Z"));
  CHECK_FALSE(parse_iso8601("yesterday"));
  CHECK_FALSE(parse_iso8601("2026-01-01T25:00:00Z"));
  CHECK_FALSE(parse_iso8601("2026-01-01T10:00:00Zjunk"));
}
