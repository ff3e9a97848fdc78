// Money as integer minor units: parsing and writing decimals per currency, totals that never mix
// currencies, and proration by day across month lengths and leap years.
#include "numctl/money.hpp"

#include <doctest/doctest.h>

using namespace numctl;
using namespace std::chrono;

TEST_CASE("a decimal price is minor units of its currency's exponent") {
  CHECK(parse_amount("1.20", "USD") == 120);
  CHECK(parse_amount("1.2", "USD") == 120);
  CHECK(parse_amount("1", "EUR") == 100);
  CHECK(parse_amount(".5", "EUR") == 50);
  CHECK(parse_amount("500", "JPY") == 500);
  CHECK(parse_amount("1.250", "BHD") == 1250);
  CHECK(parse_amount("0", "USD") == 0);
  // A carrier's sub-cent price is rounded half up to the minor unit.
  CHECK(parse_amount("0.005", "USD") == 1);
  CHECK(parse_amount("0.0049", "USD") == 0);
  CHECK(parse_amount("499.5", "JPY") == 500);
  // Never a float, never a sign, never text around the digits.
  for (const char* bad : {"", "-1", "1,20", "1.2.3", "abc", "1e3", " 1", ".", "1.20 USD", "99999999999999999999"})
    CHECK_MESSAGE(!parse_amount(bad, "USD"), bad);
}

TEST_CASE("minor units are written back as the decimal they came from") {
  CHECK(format_amount(120, "USD") == "1.20");
  CHECK(format_amount(5, "USD") == "0.05");
  CHECK(format_amount(500, "JPY") == "500");
  CHECK(format_amount(1250, "KWD") == "1.250");
  CHECK(format_amount(-120, "USD") == "-1.20");
  CHECK(format_money({115, "USD"}) == "$1.15");
  CHECK(format_money({100, "EUR"}) == "€1.00");
  CHECK(format_money({500, "JPY"}) == "¥500");
  CHECK(format_money({1500, "CHF"}) == "15.00 CHF");
  for (std::int64_t minor : {0, 1, 99, 100, 123456789})
    for (const char* currency : {"USD", "JPY", "BHD"}) CHECK(parse_amount(format_amount(minor, currency), currency) == minor);
}

TEST_CASE("currencies are ISO 4217 codes, upper case") {
  CHECK(parse_currency("usd") == "USD");
  CHECK(parse_currency("EUR") == "EUR");
  CHECK_FALSE(parse_currency("US"));
  CHECK_FALSE(parse_currency("US$"));
  CHECK(currency_exponent("JPY") == 0);
  CHECK(currency_exponent("USD") == 2);
  CHECK(currency_exponent("TND") == 3);
}

TEST_CASE("totals are kept per currency, never added across them") {
  Totals totals;
  totals.add({120, "USD"});
  totals.add({100, "EUR"});
  totals.add({230, "USD"});
  totals.add({500, "JPY"});
  REQUIRE(totals.by_currency().size() == 3);
  CHECK(totals.by_currency().at("USD") == 350);
  CHECK(totals.by_currency().at("EUR") == 100);
  CHECK(totals.by_currency().at("JPY") == 500);
}

TEST_CASE("a month's days count leap years, and proration is by day, rounded half up once") {
  CHECK(days_in_month(year{2024} / February) == 29);
  CHECK(days_in_month(year{2026} / February) == 28);
  CHECK(days_in_month(year{2000} / February) == 29);
  CHECK(days_in_month(year{1900 + 200} / February) == 28);
  CHECK(days_in_month(year{2026} / November) == 30);
  CHECK(days_in_month(year{2026} / December) == 31);
  // $1.20 a month, held 11 days of a 30-day month: 0.44 exactly.
  CHECK(prorate(120, 11, 30) == 44);
  // ...of a 31-day month: 42.58 cents, 43.
  CHECK(prorate(120, 11, 31) == 43);
  // Half a cent rounds up: $1.00 for 1 day of 8 would be 12.5 cents (no month has 8 days; the
  // arithmetic is what is checked).
  CHECK(prorate(100, 1, 8) == 13);
  // A whole month costs the monthly price, whatever its length.
  CHECK(prorate(120, 28, 28) == 120);
  CHECK(prorate(120, 29, 29) == 120);
  CHECK(prorate(500, 31, 31) == 500);
  CHECK(prorate(120, 0, 30) == 0);
  CHECK(parse_month("2024-02") == year{2024} / February);
  CHECK_FALSE(parse_month("2024-13"));
  CHECK_FALSE(parse_month("2024-2"));
  CHECK_FALSE(parse_month("24-02"));
}
