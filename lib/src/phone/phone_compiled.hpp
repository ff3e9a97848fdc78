// A fast path for bulk checks of numbers already written in E.164 ("+4930123456"): the same
// metadata and the same rules as libphonenumber, with the patterns compiled once by RE2 instead
// of being run by ICU's regex engine on every call (about 25 us a number, mostly regex).
// It answers only when it can reproduce libphonenumber exactly; for anything else (a national
// prefix that parsing could strip, a non-geographic code, an invalid number whose message
// libphonenumber words) it declines and the caller asks libphonenumber itself. A differential
// test and a fuzz target hold the two to the same answers.
#pragma once

#include <phonenumbers/phonenumberutil.h>

#include <optional>
#include <string>
#include <string_view>

namespace numctl::compiled {

// What libphonenumber's Parse, IsValidNumber, GetRegionCodeForNumber, GetNumberType and Format
// (E164, INTERNATIONAL, NATIONAL) say of a valid number.
struct Description {
  std::string e164;
  std::string international;
  std::string national;
  std::string region;
  i18n::phonenumbers::PhoneNumberUtil::PhoneNumberType type;
};

// The description of a valid number, or nothing when this path declines.
std::optional<Description> describe_e164(std::string_view e164);

}  // namespace numctl::compiled
