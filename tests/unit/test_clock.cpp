#include <doctest/doctest.h>
#include <numctl/clock.hpp>

#include <ctime>

using namespace numctl;

TEST_CASE("timestamps print as fixed-width UTC ISO 8601") {
  auto at = parse_iso8601("2026-03-05T07:08:09Z");
  REQUIRE(at);
  CHECK(format_iso8601(*at) == "2026-03-05T07:08:09Z");
}

TEST_CASE("every second of a day and every day of two centuries print as the C library prints them") {
  auto same = [](TimePoint at) {
    std::time_t t = std::chrono::system_clock::to_time_t(at);
    std::tm utc{};
    gmtime_r(&t, &utc);
    char expected[32];
    std::strftime(expected, sizeof expected, "%Y-%m-%dT%H:%M:%SZ", &utc);
    return format_iso8601(at) == expected;
  };
  auto start = *parse_iso8601("1999-12-31T00:00:00Z");
  for (int s = 0; s < 86400; ++s)
    if (!same(start + std::chrono::seconds(s))) FAIL_CHECK(format_iso8601(start + std::chrono::seconds(s)));
  auto epoch = *parse_iso8601("1970-01-01T00:00:00Z");
  for (int d = 0; d < 365 * 200; d += 1)
    if (!same(epoch + std::chrono::days(d) + std::chrono::seconds(d % 86400))) FAIL_CHECK(d);
  using namespace std::chrono;
  CHECK(format_iso8601(TimePoint(sys_days(year(999) / 2 / 3)) + hours(4) + minutes(5) + seconds(6)) == "0999-02-03T04:05:06Z");
  CHECK(format_iso8601(*parse_iso8601("9999-12-31T23:59:59Z")) == "9999-12-31T23:59:59Z");
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
