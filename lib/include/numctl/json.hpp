// Writing JSON text by hand, fast enough for per-row output: strings, nulls, string arrays.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace numctl::json {

// A JSON string literal with the escapes RFC 8259 requires (control characters as \uXXXX).
void append_string(std::string& out, std::string_view value);
// The string, or null when empty.
void append_optional(std::string& out, const std::optional<std::string>& value);
void append_array(std::string& out, const std::vector<std::string>& values);

}  // namespace numctl::json
