// The table of functions the phone module exports (see phone_module.cpp and phone.cpp).
#pragma once

#include "numctl/error.hpp"
#include "numctl/phone.hpp"

namespace numctl {

// Raised whenever the table changes, so a stale module is refused rather than misused.
inline constexpr int phone_api_version = 3;

// No C++ exception crosses the module's boundary: numctl carries its own C++ runtime (linked
// statically, for start-up time) while the module and libphonenumber use the shared one, and an
// exception must be caught by the runtime that threw it. A call that failed returns an empty
// value and leaves its error for `failure`; numctl throws it again on its side.
struct PhoneFailure {
  ErrorCategory category;
  std::string message;
};

struct PhoneApi {
  int version;
  ParsedNumber (*parse)(std::string_view input, const std::optional<std::string>& region);
  std::string (*national_significant_digits)(std::string_view e164);
  bool (*is_known_country)(std::string_view iso_code);
  std::vector<std::string> (*known_countries)();
  std::string (*country_name)(std::string_view iso_code);
  std::vector<std::string> (*generate)(std::string_view country, NumberType type, std::string_view base_national,
                                       std::string_view contains, const std::function<bool(const std::string&)>& accept,
                                       std::size_t wanted, std::size_t max_tries);
  ParsedNumber (*parse_in_bulk)(std::string_view input, const std::optional<std::string>& region);
  bool (*answered_by_compiled_metadata)(std::string_view e164);
  const PhoneFailure* (*failure)();  // the error of this thread's last call, or null
};

}  // namespace numctl
