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

// Every text a person gives numctl (names, labels, reasons, the actor, file names) is valid
// UTF-8 in Unicode NFC form without control characters (C0, DEL, C1: no tab, line break or
// escape sequence), so it cannot forge a line of history or drive a terminal.
Check check_text(std::string_view what, std::string_view value);
// A team, member, document-kind or actor name: not blank, at most 100 bytes, and check_text.
Check check_name(std::string_view what, std::string_view name);
// A label or reason: at most 500 bytes, and check_text.
Check check_free_text(std::string_view what, const std::optional<std::string>& value);
// `value` in NFC form (for names numctl takes from elsewhere, such as a file's); unchanged when
// it is not valid UTF-8 (check_text then says so).
std::string to_nfc(std::string_view value);
inline std::string to_nfc(const std::string& value) { return to_nfc(std::string_view(value)); }
std::optional<std::string> to_nfc(const std::optional<std::string>& value);
// Text a strict engine stores as it is: valid UTF-8 without NUL. repaired_text replaces each
// invalid byte and each NUL with U+FFFD.
bool storable_text(std::string_view value);
std::string repaired_text(std::string_view value);
// Unicode case folding ("Équipe" and "équipe" fold alike), for names compared without case.
std::string case_folded(std::string_view value);
// A number numctl can manage: one of a country. Non-geographic numbers (+800 freephone, +870
// satellite, ...; libphonenumber's region "001") have no country to filter, regulate or replace
// within, so they are refused at buy and import.
Check check_manageable(const ParsedNumber& parsed);
// Our type for a parsed number: libphonenumber's when it is sure, else the one asked for.
Result<NumberType> settle_type(const ParsedNumber& parsed, std::optional<NumberType> asked);

// The check's problem raised as numctl's error, for single-item commands.
inline void require(const Check& check) {
  if (!check) fail(check.problem().category, check.problem().message);
}

}  // namespace numctl
