// Small string helpers shared by the library's modules and the CLI.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace numctl::text {

std::string_view trim(std::string_view s);
std::string lower(std::string_view s);
std::string upper(std::string_view s);
// "to-be-cancelled" -> "to_be_cancelled"
std::string underscored(std::string_view s);
std::vector<std::string> split(std::string_view s, char separator);
std::string join(const std::vector<std::string>& parts, std::string_view separator);
std::size_t edit_distance(std::string_view a, std::string_view b);
// One CSV field appended to `out`, quoted as RFC 4180 asks when it holds , " CR or LF.
void append_csv_field(std::string& out, std::string_view value);
// The same for a cell people may open in a spreadsheet: text starting with = + - @ tab or CR
// (which spreadsheets run as a formula) gets a leading ' (OWASP's advice), unless `raw`.
void append_csv_cell(std::string& out, std::string_view value, bool raw);
// Text from outside (a carrier's answer, a server's message) made safe for one terminal or log
// line: control characters (newlines, escape sequences, C1 controls) become '?', so it can
// neither forge a line nor move the cursor.
std::string one_line(std::string_view s);
// A URL for messages: a password in its userinfo (https://user:secret@host) becomes ***.
std::string url_without_password(std::string_view url);
// The host a URL names (without userinfo, port or brackets), lower case.
std::string url_host(std::string_view url);
// An environment variable's value; nothing when unset or empty.
std::optional<std::string> env(const char* name);

}  // namespace numctl::text
