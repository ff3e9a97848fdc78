// Money as integer minor units: currencies' exponents, decimal text in and out, proration.
#include "numctl/money.hpp"

#include <algorithm>
#include <array>
#include <cctype>
#include <limits>

namespace numctl {
namespace {

// ISO 4217 currencies whose minor unit is not a hundredth.
constexpr std::array<std::string_view, 16> zero_digit{"BIF", "CLP", "DJF", "GNF", "ISK", "JPY", "KMF", "KRW",
                                                      "PYG", "RWF", "UGX", "UYI", "VND", "VUV", "XAF", "XOF"};
constexpr std::array<std::string_view, 7> three_digits{"BHD", "IQD", "JOD", "KWD", "LYD", "OMR", "TND"};

constexpr std::int64_t power_of_ten(int exponent) {
  std::int64_t out = 1;
  for (int i = 0; i < exponent; ++i) out *= 10;
  return out;
}

}  // namespace

int currency_exponent(std::string_view currency) {
  if (std::find(zero_digit.begin(), zero_digit.end(), currency) != zero_digit.end()) return 0;
  if (std::find(three_digits.begin(), three_digits.end(), currency) != three_digits.end()) return 3;
  return 2;
}

std::string currency_exponent_sql(std::string_view column, std::string_view zero, std::string_view two, std::string_view three) {
  auto list = [](const auto& codes) {
    std::string out;
    for (auto code : codes) out += (out.empty() ? "'" : ", '") + std::string(code) + "'";
    return out;
  };
  std::string col(column);
  return "CASE WHEN " + col + " IN (" + list(zero_digit) + ") THEN " + std::string(zero) + " WHEN " + col + " IN (" +
         list(three_digits) + ") THEN " + std::string(three) + " ELSE " + std::string(two) + " END";
}

std::optional<std::string> parse_currency(std::string_view text) {
  if (text.size() != 3) return std::nullopt;
  std::string out;
  for (char c : text) {
    if (!std::isalpha(static_cast<unsigned char>(c))) return std::nullopt;
    out += static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  }
  return out;
}

std::optional<std::int64_t> parse_amount(std::string_view text, std::string_view currency) {
  if (text.empty()) return std::nullopt;
  const int exponent = currency_exponent(currency);
  constexpr std::int64_t limit = std::numeric_limits<std::int64_t>::max() / 100;
  std::int64_t whole = 0;
  std::size_t i = 0;
  for (; i < text.size() && std::isdigit(static_cast<unsigned char>(text[i])); ++i) {
    whole = whole * 10 + (text[i] - '0');
    if (whole > limit / power_of_ten(exponent)) return std::nullopt;
  }
  const bool had_whole = i > 0;
  std::int64_t fraction = 0;
  int digits = 0;
  bool round_up = false;
  if (i < text.size() && text[i] == '.') {
    ++i;
    const std::size_t start = i;
    for (; i < text.size() && std::isdigit(static_cast<unsigned char>(text[i])); ++i) {
      if (digits < exponent) {
        fraction = fraction * 10 + (text[i] - '0');
        ++digits;
      } else if (i == start + static_cast<std::size_t>(exponent)) {
        round_up = text[i] >= '5';  // the first digit past the minor unit decides
      }
    }
    if (i == start && !had_whole) return std::nullopt;
  } else if (!had_whole) {
    return std::nullopt;
  }
  if (i != text.size()) return std::nullopt;
  for (; digits < exponent; ++digits) fraction *= 10;
  return whole * power_of_ten(exponent) + fraction + (round_up ? 1 : 0);
}

std::string format_amount(std::int64_t minor, std::string_view currency) {
  const int exponent = currency_exponent(currency);
  const bool negative = minor < 0;
  const std::uint64_t magnitude = negative ? 0 - static_cast<std::uint64_t>(minor) : static_cast<std::uint64_t>(minor);
  const auto scale = static_cast<std::uint64_t>(power_of_ten(exponent));
  std::string out = negative ? "-" : "";
  out += std::to_string(magnitude / scale);
  if (exponent > 0) {
    std::string fraction = std::to_string(magnitude % scale);
    out += '.' + std::string(static_cast<std::size_t>(exponent) - fraction.size(), '0') + fraction;
  }
  return out;
}

std::string format_money(const Money& money) {
  const std::string amount = format_amount(money.minor, money.currency);
  std::string_view symbol;
  if (money.currency == "USD")
    symbol = "$";
  else if (money.currency == "EUR")
    symbol = "€";
  else if (money.currency == "GBP")
    symbol = "£";
  else if (money.currency == "JPY")
    symbol = "¥";
  if (symbol.empty()) return amount + " " + money.currency;
  if (amount.front() == '-') return "-" + std::string(symbol) + amount.substr(1);
  return std::string(symbol) + amount;
}

int days_in_month(std::chrono::year_month month) {
  using namespace std::chrono;
  return static_cast<int>(static_cast<unsigned>(year_month_day_last{month.year(), month_day_last{month.month()}}.day()));
}

std::int64_t prorate(std::int64_t monthly_minor, std::int64_t days, int month_days) {
  if (month_days <= 0) return 0;
  // Half up: (2 * price * days + month_days) / (2 * month_days).
  return (2 * monthly_minor * days + month_days) / (2 * static_cast<std::int64_t>(month_days));
}

std::optional<std::chrono::year_month> parse_month(std::string_view text) {
  using namespace std::chrono;
  if (text.size() != 7 || text[4] != '-') return std::nullopt;
  int y = 0, m = 0;
  for (std::size_t i : {0u, 1u, 2u, 3u}) {
    if (!std::isdigit(static_cast<unsigned char>(text[i]))) return std::nullopt;
    y = y * 10 + (text[i] - '0');
  }
  for (std::size_t i : {5u, 6u}) {
    if (!std::isdigit(static_cast<unsigned char>(text[i]))) return std::nullopt;
    m = m * 10 + (text[i] - '0');
  }
  year_month out{year{y}, month{static_cast<unsigned>(m)}};
  if (!out.ok() || y < 1970) return std::nullopt;
  return out;
}

}  // namespace numctl
