// The phone module: libphonenumber (with ICU, protobuf, abseil) behind numctl's narrow
// interface, built as a shared object that numctl loads only when a command parses numbers.
#include "numctl/phone.hpp"
#include "phone/phone_api.hpp"
#include "phone/phone_compiled.hpp"
#include "numctl/error.hpp"
#include "numctl/text.hpp"

#include <phonenumbers/phonenumberutil.h>
#include <unicode/locid.h>
#include <unicode/unistr.h>

#include <algorithm>
#include <regex>
#include <cctype>
#include <set>

namespace numctl {
namespace {

using i18n::phonenumbers::PhoneNumber;
using i18n::phonenumbers::PhoneNumberUtil;

const PhoneNumberUtil& util() { return *PhoneNumberUtil::GetInstance(); }

std::optional<NumberType> our_type(PhoneNumberUtil::PhoneNumberType type) {
  switch (type) {
    case PhoneNumberUtil::FIXED_LINE: return NumberType::local;
    case PhoneNumberUtil::MOBILE: return NumberType::mobile;
    case PhoneNumberUtil::TOLL_FREE: return NumberType::toll_free;
    default: return std::nullopt;
  }
}

std::string type_name(PhoneNumberUtil::PhoneNumberType type) {
  switch (type) {
    case PhoneNumberUtil::FIXED_LINE: return "fixed line";
    case PhoneNumberUtil::MOBILE: return "mobile";
    case PhoneNumberUtil::FIXED_LINE_OR_MOBILE: return "fixed line or mobile";
    case PhoneNumberUtil::TOLL_FREE: return "toll free";
    case PhoneNumberUtil::PREMIUM_RATE: return "premium rate";
    case PhoneNumberUtil::SHARED_COST: return "shared cost";
    case PhoneNumberUtil::VOIP: return "VoIP";
    case PhoneNumberUtil::PERSONAL_NUMBER: return "personal number";
    case PhoneNumberUtil::PAGER: return "pager";
    case PhoneNumberUtil::UAN: return "UAN";
    case PhoneNumberUtil::VOICEMAIL: return "voicemail";
    default: return "unknown";
  }
}

bool type_matches(PhoneNumberUtil::PhoneNumberType actual, NumberType wanted) {
  switch (wanted) {
    case NumberType::local: return actual == PhoneNumberUtil::FIXED_LINE || actual == PhoneNumberUtil::FIXED_LINE_OR_MOBILE;
    case NumberType::mobile: return actual == PhoneNumberUtil::MOBILE || actual == PhoneNumberUtil::FIXED_LINE_OR_MOBILE;
    case NumberType::toll_free: return actual == PhoneNumberUtil::TOLL_FREE;
  }
  return false;
}

PhoneNumberUtil::PhoneNumberType their_type(NumberType type) {
  switch (type) {
    case NumberType::local: return PhoneNumberUtil::FIXED_LINE;
    case NumberType::mobile: return PhoneNumberUtil::MOBILE;
    case NumberType::toll_free: return PhoneNumberUtil::TOLL_FREE;
  }
  return PhoneNumberUtil::UNKNOWN;
}

std::string digits_of(std::string_view s) {
  std::string out;
  for (char c : s)
    if (std::isdigit(static_cast<unsigned char>(c))) out += c;
  return out;
}

ParsedNumber described(std::string e164, const std::string& international, const std::string& national, std::string region,
                       PhoneNumberUtil::PhoneNumberType type) {
  ParsedNumber parsed;
  parsed.e164 = std::move(e164);
  parsed.display = international;
  parsed.national_digits = digits_of(national);
  parsed.country = std::move(region);
  parsed.type = our_type(type);
  parsed.type_detail = type_name(type);
  return parsed;
}

ParsedNumber describe(const PhoneNumber& number) {
  const auto& u = util();
  std::string e164, international, national, region;
  u.Format(number, PhoneNumberUtil::E164, &e164);
  u.Format(number, PhoneNumberUtil::INTERNATIONAL, &international);
  u.Format(number, PhoneNumberUtil::NATIONAL, &national);
  u.GetRegionCodeForNumber(number, &region);
  return described(std::move(e164), international, national, std::move(region), u.GetNumberType(number));
}

}  // namespace

bool is_known_country_impl(std::string_view iso_code);

namespace {
// Full-width digits and plus (U+FF10..U+FF19, U+FF0B), as East Asian input methods type them,
// as ASCII; everything else unchanged.
std::string ascii_digits(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (std::size_t i = 0; i < text.size(); ++i) {
    auto b = [&](std::size_t k) { return static_cast<unsigned char>(text[i + k]); };
    if (i + 2 < text.size() && b(0) == 0xEF && b(1) == 0xBC && ((b(2) >= 0x90 && b(2) <= 0x99) || b(2) == 0x8B)) {
      out += b(2) == 0x8B ? '+' : static_cast<char>('0' + (b(2) - 0x90));
      i += 2;
      continue;
    }
    if (i + 2 < text.size() && b(0) == 0xE3 && b(1) == 0x80 && b(2) == 0x80) {  // ideographic space
      out += ' ';
      i += 2;
      continue;
    }
    out += text[i];
  }
  return out;
}
}  // namespace

ParsedNumber parse_phone_number_impl(std::string_view input, const std::optional<std::string>& region) {
  std::string raw = ascii_digits(text::trim(input));
  if (raw.empty()) fail(ErrorCategory::invalid_input, "empty phone number");
  if (std::any_of(raw.begin(), raw.end(),
                  [](char c) { return std::isalpha(static_cast<unsigned char>(c)) || c == '#' || c == ';'; })) {
    // An extension ("x12", "ext. 12", ";ext=12", "#12") reaches a desk behind the number.
    static const std::regex extension(R"((\s*(x|ext\.?|extension|#|;\s*ext\s*=)\s*\d+)$)", std::regex::icase);
    std::smatch found;
    if (std::regex_search(raw, found, extension))
      fail(ErrorCategory::invalid_input, "'" + raw + "': extensions are not part of a number; numctl manages " +
                                             std::string(text::trim(raw.substr(0, static_cast<std::size_t>(found.position(0))))) +
                                             " itself (drop '" + std::string(text::trim(found.str(0))) + "')");
    // Letters as on a keypad (1-800-FLOWERS): the digits they stand for.
    if (std::all_of(raw.begin(), raw.end(), [](char c) { return c != '#' && c != ';'; }))
      util().ConvertAlphaCharactersInNumber(&raw);
  }
  if (raw.size() > 40)
    fail(ErrorCategory::invalid_input, "'" + raw.substr(0, 40) + "...' is too long to be a phone number (at most 15 digits)");
  for (char c : raw) {
    auto u = static_cast<unsigned char>(c);
    if (!(std::isdigit(u) || c == '+' || c == ' ' || c == '-' || c == '.' || c == '(' || c == ')' || c == '/'))
      fail(ErrorCategory::invalid_input,
           "'" + raw + "' is not a phone number: only digits, '+', spaces, '-', '.', '/' and parentheses are allowed");
  }
  // "0049 30 ..." is how many people type the international prefix.
  std::string normalised = raw;
  if (!normalised.starts_with("+") && normalised.starts_with("00")) normalised = "+" + normalised.substr(2);
  std::string region_code = region ? text::upper(*region) : std::string("ZZ");
  if (region && !is_known_country_impl(region_code))
    fail(ErrorCategory::invalid_input, "unknown region '" + *region + "': use an ISO 3166-1 code such as DE or US");
  if (!normalised.starts_with("+") && !region)
    fail(ErrorCategory::invalid_input,
         "'" + raw + "' has no country code: write it as +CC... or pass --region CC (or set default_region in the config)");
  PhoneNumber number;
  auto error = util().Parse(normalised, region_code, &number);
  switch (error) {
    case PhoneNumberUtil::NO_PARSING_ERROR: break;
    case PhoneNumberUtil::INVALID_COUNTRY_CODE_ERROR:
      fail(ErrorCategory::invalid_input, "'" + raw + "' has an unknown country calling code");
    case PhoneNumberUtil::TOO_SHORT_NSN:
    case PhoneNumberUtil::TOO_SHORT_AFTER_IDD:
      fail(ErrorCategory::invalid_input, "'" + raw + "' is too short to be a phone number");
    case PhoneNumberUtil::TOO_LONG_NSN: fail(ErrorCategory::invalid_input, "'" + raw + "' is too long to be a phone number");
    default: fail(ErrorCategory::invalid_input, "'" + raw + "' is not a phone number");
  }
  if (!util().IsValidNumber(number)) {
    std::string country;
    util().GetRegionCodeForNumber(number, &country);
    auto possible = util().IsPossibleNumberWithReason(number);
    std::string why = possible == PhoneNumberUtil::TOO_SHORT  ? "too short"
                      : possible == PhoneNumberUtil::TOO_LONG ? "too long"
                                                              : "not a number in use";
    fail(ErrorCategory::invalid_input,
         "'" + raw + "' is not a valid phone number (" + why + " for +" + std::to_string(number.country_code()) + ")");
  }
  return describe(number);
}

// Rows of an import: E.164 rows through the compiled metadata (about 1 us instead of 25),
// everything else, and every number it declines, through libphonenumber.
ParsedNumber parse_in_bulk_impl(std::string_view input, const std::optional<std::string>& region) {
  if (auto d = compiled::describe_e164(text::trim(input)))
    return described(std::move(d->e164), d->international, d->national, std::move(d->region), d->type);
  return parse_phone_number_impl(input, region);
}

bool answered_by_compiled_metadata_impl(std::string_view e164) { return compiled::describe_e164(e164).has_value(); }

std::string national_significant_digits_impl(std::string_view e164) {
  PhoneNumber number;
  if (util().Parse(std::string(e164), "ZZ", &number) != PhoneNumberUtil::NO_PARSING_ERROR) return {};
  std::string nsn;
  util().GetNationalSignificantNumber(number, &nsn);
  return nsn;
}

bool is_known_country_impl(std::string_view iso_code) {
  std::string code = text::upper(iso_code);
  return code.size() == 2 && util().GetCountryCodeForRegion(code) != 0;
}

std::vector<std::string> known_countries_impl() {
  std::set<std::string> regions;
  util().GetSupportedRegions(&regions);
  return {regions.begin(), regions.end()};
}

std::string country_name_impl(std::string_view iso_code) {
  std::string code = text::upper(iso_code);
  icu::UnicodeString name;
  icu::Locale("en", code.c_str()).getDisplayCountry(icu::Locale::getEnglish(), name);
  std::string out;
  name.toUTF8String(out);
  return out.empty() ? code : out;
}

std::vector<std::string> generate_numbers_impl(std::string_view country, NumberType type, std::string_view base_national,
                                               std::string_view contains, const std::function<bool(const std::string&)>& accept,
                                               std::size_t wanted, std::size_t max_tries) {
  const auto& u = util();
  std::string region = text::upper(country);
  std::vector<std::string> found;
  std::string base(base_national);
  if (base.empty()) {
    PhoneNumber example;
    if (!u.GetExampleNumberForType(region, their_type(type), &example)) return found;
    u.GetNationalSignificantNumber(example, &base);
  }
  std::string needle = digits_of(contains);
  if (needle.size() >= base.size()) return found;
  // The wanted digits go at the end; the digits before them vary, leading digits (area code)
  // stay as in the base so numbers look like the country's and stay near the base.
  std::size_t tail = needle.size();
  std::size_t varying = std::min<std::size_t>(5, base.size() - tail - (base.size() > 6 ? 3 : 1));
  if (varying == 0) varying = 1;
  std::size_t modulus = 1;
  for (std::size_t i = 0; i < varying; ++i) modulus *= 10;
  std::size_t stride = modulus > 7919 ? 7919 : 7;
  std::set<std::string> seen;
  for (std::size_t attempt = 0; attempt < max_tries && attempt < modulus && found.size() < wanted; ++attempt) {
    std::string candidate = base;
    std::string variation = std::to_string((attempt * stride + 1) % modulus);
    variation.insert(0, varying - variation.size(), '0');
    candidate.replace(base.size() - tail - varying, varying, variation);
    candidate.replace(base.size() - tail, tail, needle);
    if (!seen.insert(candidate).second) continue;
    PhoneNumber number;
    number.set_country_code(u.GetCountryCodeForRegion(region));
    if (candidate.front() == '0') number.set_italian_leading_zero(true);
    number.set_national_number(std::stoull(candidate));
    if (!u.IsValidNumberForRegion(number, region)) continue;
    if (!type_matches(u.GetNumberType(number), type)) continue;
    std::string e164;
    u.Format(number, PhoneNumberUtil::E164, &e164);
    if (accept(e164)) found.push_back(e164);
  }
  return found;
}

namespace {

thread_local std::optional<PhoneFailure> last_failure;

const PhoneFailure* failure() { return last_failure ? &*last_failure : nullptr; }

// Each entry point catches what the module throws (see PhoneApi).
template <auto Impl>
struct Guarded;
template <typename R, typename... Args, R (*Impl)(Args...)>
struct Guarded<Impl> {
  static R call(Args... args) noexcept {
    last_failure.reset();
    try {
      return Impl(std::forward<Args>(args)...);
    } catch (const Error& error) {
      last_failure = PhoneFailure{error.category(), error.what()};
    } catch (const std::exception& error) {
      last_failure = PhoneFailure{ErrorCategory::internal, error.what()};
    } catch (...) {
      last_failure = PhoneFailure{ErrorCategory::internal, "the phone module failed"};
    }
    return R{};
  }
};

}  // namespace
}  // namespace numctl

extern "C" __attribute__((visibility("default"))) const numctl::PhoneApi* numctl_phone_api() {
  using numctl::Guarded;
  static const numctl::PhoneApi api{
      numctl::phone_api_version,
      Guarded<numctl::parse_phone_number_impl>::call,
      Guarded<numctl::national_significant_digits_impl>::call,
      Guarded<numctl::is_known_country_impl>::call,
      Guarded<numctl::known_countries_impl>::call,
      Guarded<numctl::country_name_impl>::call,
      Guarded<numctl::generate_numbers_impl>::call,
      Guarded<numctl::parse_in_bulk_impl>::call,
      Guarded<numctl::answered_by_compiled_metadata_impl>::call,
      numctl::failure,
  };
  return &api;
}
