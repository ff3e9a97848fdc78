// The configuration file made pure ASCII for toml++ (see toml_text.hpp): non-ASCII characters in
// strings become \u escapes, in comments '?', and elsewhere a refusal with the line.
#include "util/toml_text.hpp"

#include <fmt/format.h>

namespace numctl {
namespace {

// The code point of the UTF-8 sequence at text[i], advancing i past it; nothing if malformed.
std::optional<char32_t> next_code_point(std::string_view text, std::size_t& i) {
  auto lead = static_cast<unsigned char>(text[i]);
  std::size_t length = lead >= 0xF0 ? 4 : lead >= 0xE0 ? 3 : lead >= 0xC0 ? 2 : 0;
  if (length == 0 || lead >= 0xF8 || i + length > text.size()) return std::nullopt;
  char32_t cp = lead & (0x7F >> length);
  for (std::size_t k = 1; k < length; ++k) {
    auto byte = static_cast<unsigned char>(text[i + k]);
    if ((byte & 0xC0) != 0x80) return std::nullopt;
    cp = cp << 6 | (byte & 0x3F);
  }
  constexpr char32_t least[] = {0, 0, 0x80, 0x800, 0x10000};  // shorter forms are not UTF-8
  if (cp < least[length] || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) return std::nullopt;
  i += length;
  return cp;
}

}  // namespace

AsciiToml ascii_toml(std::string_view in) {
  AsciiToml out;
  if (in.starts_with("\xEF\xBB\xBF")) in.remove_prefix(3);
  out.text.reserve(in.size() + 16);
  std::size_t line = 1, i = 0;
  auto fail_here = [&] {
    out.bad_line = line;
    return out;
  };
  // Copies one character of a string body, escaping what a basic string needs.
  auto string_char = [&](bool from_literal) -> bool {
    char c = in[i];
    if (static_cast<unsigned char>(c) >= 0x80) {
      auto cp = next_code_point(in, i);
      if (!cp) return false;
      auto code = static_cast<unsigned>(*cp);
      if (code > 0xFFFF)
        fmt::format_to(std::back_inserter(out.text), "\\U{:08X}", code);
      else
        fmt::format_to(std::back_inserter(out.text), "\\u{:04X}", code);
      return true;
    }
    if (from_literal && (c == '\\' || c == '"')) out.text += '\\';
    if (c == '\n') ++line;
    out.text += c;
    ++i;
    return true;
  };
  while (i < in.size()) {
    char c = in[i];
    if (c == '#') {
      for (; i < in.size() && in[i] != '\n'; ++i) {
        auto byte = static_cast<unsigned char>(in[i]);
        if (byte < 0x80)
          out.text += in[i];
        else if (byte >= 0xC0)
          out.text += '?';  // one '?' a character: its other bytes are dropped
      }
    } else if (c == '"' || c == '\'') {
      bool multiline = in.substr(i, 3) == std::string(3, c);
      std::size_t delimiter = multiline ? 3 : 1;
      bool literal = c == '\'';
      out.text.append(delimiter, '"');
      i += delimiter;
      while (i < in.size() && in.substr(i, delimiter) != std::string(delimiter, c)) {
        if (in[i] == '\n' && !multiline) break;  // unterminated: toml++ says so
        if (!literal && in[i] == '\\' && i + 1 < in.size()) {
          out.text += in[i++];
          if (static_cast<unsigned char>(in[i]) >= 0x80) return fail_here();  // no such escape
          if (in[i] == '\n') ++line;
          out.text += in[i++];
          continue;
        }
        if (!string_char(literal)) return fail_here();
      }
      if (i < in.size() && in[i] != '\n') {
        std::size_t closing = delimiter;
        // """a"""" is a string ending in a quote: up to two more quotes belong to it.
        while (multiline && closing < 5 && i + closing < in.size() && in[i + closing] == c) ++closing;
        for (std::size_t k = delimiter; k < closing; ++k) out.text += literal ? "'" : "\\\"";
        out.text.append(delimiter, '"');
        i += closing;
      }
    } else if (static_cast<unsigned char>(c) >= 0x80) {
      return fail_here();
    } else {
      if (c == '\n') ++line;
      out.text += c;
      ++i;
    }
  }
  return out;
}

}  // namespace numctl
