// Parsing, validation and formatting of phone numbers (libphonenumber behind a narrow interface).
#pragma once

#include "numctl/domain.hpp"

#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace numctl {

// A number that libphonenumber accepted as valid; only parse_phone_number builds one.
struct ParsedNumber {
  std::string e164;             // +4930123456
  std::string display;          // +49 30 123456
  std::string national_digits;  // 030123456: national form with trunk prefix, digits only
  std::string country;          // DE
  // Empty when libphonenumber cannot tell (fixed line or mobile, as in North America).
  std::optional<NumberType> type;
  std::string type_detail;      // libphonenumber's own type name, for messages
};

// Parses what a person types. A national form needs `region`; invalid input raises invalid_input.
ParsedNumber parse_phone_number(std::string_view input, const std::optional<std::string>& region);

// The same answers as parse_phone_number, for many numbers: E.164 input is checked against
// libphonenumber's metadata compiled once (about 1 us a number instead of 25); the first call
// pays a few milliseconds for it, so single numbers use parse_phone_number.
ParsedNumber parse_phone_number_in_bulk(std::string_view input, const std::optional<std::string>& region);

// For tests: whether parse_phone_number_in_bulk answers this input from the compiled metadata
// rather than handing it to libphonenumber.
bool answered_by_compiled_metadata(std::string_view e164);

// True when the text is already canonical E.164 ("+" and 4..20 digits): such input can be looked
// up without loading libphonenumber, which keeps commands on owned numbers fast.
bool looks_like_e164(std::string_view text);

// Digits of a query, ignoring spaces, dashes, dots, parentheses and a leading "+" or "00".
std::string query_digits(std::string_view text);
// A query in international form ("+1 8", "0044 20", "+44 (0)20 7940") is anchored at the country
// code: the E.164 prefix it names ("+18", "+4420", "+44207940"; a "(0)" trunk prefix is not part
// of it). Empty for a query in any other form, which matches anywhere in the digits.
std::string query_e164_prefix(std::string_view text);

bool is_known_country(std::string_view iso_code);
// English name of a country for display ("DE" -> "Germany"); the code itself when unknown.
std::string country_name(std::string_view iso_code);
std::vector<std::string> known_countries();

// Valid E.164 numbers of this country and type, generated deterministically from
// libphonenumber's example number (or from `base_national`, to stay near an existing number),
// each checked with its validator. Stops after `wanted` accepted ones or `max_tries` candidates.
std::vector<std::string> generate_numbers(std::string_view country, NumberType type,
                                          std::string_view base_national, std::string_view contains,
                                          const std::function<bool(const std::string&)>& accept,
                                          std::size_t wanted, std::size_t max_tries);
// National significant digits of an E.164 number of this country ("+4930123456" -> "30123456").
std::string national_significant_digits(std::string_view e164);

}  // namespace numctl
