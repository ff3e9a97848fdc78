// Money: prices as integer minor units of an ISO 4217 currency (never floating point), written
// and read as decimal strings in major units, summed per currency, and prorated by day.
#pragma once

#include <chrono>
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>

namespace numctl {

// An amount of one currency: 120 minor units of "USD" is $1.20; 500 of "JPY" is ¥500.
struct Money {
  std::int64_t minor = 0;
  std::string currency;  // ISO 4217, upper case

  friend bool operator==(const Money&, const Money&) = default;
};

// Digits after the decimal point the currency uses (ISO 4217): 2 for most, 0 for JPY, KRW, ...,
// 3 for BHD, KWD, ...
int currency_exponent(std::string_view currency);
// SQL choosing by a currency column's exponent: CASE WHEN column IN (zero-digit codes) THEN
// `zero` WHEN column IN (three-digit codes) THEN `three` ELSE `two` END.
std::string currency_exponent_sql(std::string_view column, std::string_view zero, std::string_view two, std::string_view three);
// A three-letter code, upper-cased ("usd" -> "USD"); nothing when the text is not one.
std::optional<std::string> parse_currency(std::string_view text);

// "1.20", "1.2", "500", "0.005" (a carrier's sub-cent price: rounded half up to the currency's
// minor unit) as minor units of `currency`; nothing when the text is not a non-negative decimal
// or is too large.
std::optional<std::int64_t> parse_amount(std::string_view text, std::string_view currency);
// Minor units in major units, as a decimal string with the currency's digits: "1.20", "500".
std::string format_amount(std::int64_t minor, std::string_view currency);
// For people: "$1.20", "€1.00", "£3.00", "¥500", else "1.20 CHF".
std::string format_money(const Money& money);

// Sums kept per currency: amounts in different currencies are never added together.
class Totals {
 public:
  void add(const Money& money) { totals_[money.currency] += money.minor; }
  void add(std::string_view currency, std::int64_t minor) { totals_[std::string(currency)] += minor; }
  const std::map<std::string, std::int64_t>& by_currency() const { return totals_; }
  bool empty() const { return totals_.empty(); }

 private:
  std::map<std::string, std::int64_t> totals_;
};

// Days of a month, leap years counted.
int days_in_month(std::chrono::year_month month);
// A monthly price for `days` days of a month of `month_days`: price * days / month_days, rounded
// half up to the minor unit.
std::int64_t prorate(std::int64_t monthly_minor, std::int64_t days, int month_days);
// "2026-02" as a month; nothing when malformed.
std::optional<std::chrono::year_month> parse_month(std::string_view text);

}  // namespace numctl
