// The configuration file as toml++ is given it: pure ASCII with the same meaning.
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>

namespace numctl {

// toml++ 3.3 (Debian 12) reaches __builtin_unreachable when it asks whether some non-ASCII
// characters are whitespace (U+00A1 to U+0499 among them): undefined behaviour, found by the
// config fuzz target. So toml++ is given pure ASCII with the same meaning: in strings, non-ASCII
// characters become \u escapes (literal strings become basic strings to allow them), in
// comments they become '?', and anywhere else, where TOML allows none, the file is refused.
struct AsciiToml {
  std::string text;
  std::optional<std::size_t> bad_line;  // a non-ASCII character outside strings, or bad UTF-8
};

AsciiToml ascii_toml(std::string_view in);

}  // namespace numctl
