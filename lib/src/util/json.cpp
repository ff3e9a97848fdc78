// Writing JSON text by hand, fast enough for per-row output.
#include "numctl/json.hpp"

namespace numctl::json {

namespace {

// The length of the valid UTF-8 sequence at s[i], or 0 when the bytes there are not one
// (stray continuation bytes, overlong forms, surrogates, beyond U+10FFFF, cut short).
std::size_t utf8_sequence(std::string_view s, std::size_t i) {
  auto at = [&](std::size_t k) { return i + k < s.size() ? static_cast<unsigned char>(s[i + k]) : 0u; };
  unsigned b0 = at(0);
  auto continuation = [&](std::size_t k) { return (at(k) & 0xC0u) == 0x80u; };
  if (b0 >= 0xC2 && b0 <= 0xDF) return continuation(1) ? 2 : 0;
  if (b0 >= 0xE0 && b0 <= 0xEF) {
    unsigned b1 = at(1);
    if (!continuation(1) || !continuation(2)) return 0;
    if ((b0 == 0xE0 && b1 < 0xA0) || (b0 == 0xED && b1 >= 0xA0)) return 0;
    return 3;
  }
  if (b0 >= 0xF0 && b0 <= 0xF4) {
    unsigned b1 = at(1);
    if (!continuation(1) || !continuation(2) || !continuation(3)) return 0;
    if ((b0 == 0xF0 && b1 < 0x90) || (b0 == 0xF4 && b1 >= 0x90)) return 0;
    return 4;
  }
  return 0;
}

}  // namespace

// Always valid JSON: control characters (C1 too) are escaped, and bytes that are not UTF-8
// (text stored before numctl checked it) become U+FFFD.
void append_string(std::string& out, std::string_view value) {
  static constexpr char hex[] = "0123456789abcdef";
  out += '"';
  for (std::size_t i = 0; i < value.size(); ++i) {
    char c = value[i];
    auto u = static_cast<unsigned char>(c);
    if (u >= 0x80) {
      std::size_t n = utf8_sequence(value, i);
      if (n == 0) {
        out += "\\ufffd";
      } else if (n == 2 && u == 0xC2 && static_cast<unsigned char>(value[i + 1]) < 0xA0) {
        auto cp = static_cast<unsigned char>(value[i + 1]);  // U+0080..U+009F: C1 controls
        out += "\\u00";
        out += hex[cp >> 4];
        out += hex[cp & 0xf];
      } else {
        out.append(value.substr(i, n));
      }
      i += n == 0 ? 0 : n - 1;
      continue;
    }
    switch (c) {
      case '"': out += "\\\""; break;
      case '\\': out += "\\\\"; break;
      case '\n': out += "\\n"; break;
      case '\r': out += "\\r"; break;
      case '\t': out += "\\t"; break;
      default:
        if (u < 0x20 || u == 0x7f) {
          out += "\\u00";
          out += hex[u >> 4];
          out += hex[u & 0xf];
        } else {
          out += c;
        }
    }
  }
  out += '"';
}

void append_optional(std::string& out, const std::optional<std::string>& value) {
  if (value)
    append_string(out, *value);
  else
    out += "null";
}

void append_array(std::string& out, const std::vector<std::string>& values) {
  out += '[';
  for (std::size_t i = 0; i < values.size(); ++i) {
    if (i) out += ',';
    append_string(out, values[i]);
  }
  out += ']';
}

}  // namespace numctl::json
