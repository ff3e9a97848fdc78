// Checks of what people type that is not a phone number: names, free text, and the type a
// parsed number settles on.
#pragma once

#include "numctl/domain.hpp"
#include "numctl/phone.hpp"
#include "numctl/result.hpp"

#include <optional>
#include <string>
#include <string_view>

namespace numctl {

// A team, member or document-kind name: not blank, at most 100 bytes, no control characters.
Check check_name(std::string_view what, std::string_view name);
// A label or reason: at most 500 bytes, no control characters but tab.
Check check_free_text(std::string_view what, const std::optional<std::string>& value);
// Our type for a parsed number: libphonenumber's when it is sure, else the one asked for.
Result<NumberType> settle_type(const ParsedNumber& parsed, std::optional<NumberType> asked);

// The check's problem raised as numctl's error, for single-item commands.
inline void require(const Check& check) {
  if (!check) fail(check.problem().category, check.problem().message);
}

}  // namespace numctl
