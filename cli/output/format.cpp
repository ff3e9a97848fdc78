// Format names, terminal styling, buffered stdout and display width.
#include "format.hpp"

#include <utf8proc.h>

#include <algorithm>
#include <cctype>

#include <numctl/error.hpp>

#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <sys/ioctl.h>
#include <unistd.h>

namespace numctl::cli {

namespace {

std::string stdout_buffer;

// How each dot colour of the domain looks: a glyph that tells statuses apart without colour,
// and the ANSI colour with it.
struct DotLook {
  std::string_view colour, plain_glyph, ansi;
};
constexpr DotLook dot_looks[] = {
    {"green", "●", "\x1b[32m●\x1b[0m"}, {"yellow", "◐", "\x1b[33m●\x1b[0m"}, {"red", "▲", "\x1b[31m●\x1b[0m"},
    {"blue", "◑", "\x1b[34m◐\x1b[0m"},  // a port on its way in: the pending shape, its own colour
    {"grey", "○", "\x1b[90m●\x1b[0m"},
};

}  // namespace

std::string_view to_string(Format format) {
  for (const auto& [f, name] : format_table)
    if (f == format) return name;
  return "table";
}

std::optional<Format> try_parse_format(std::string_view name) {
  for (const auto& [format, known] : format_table)
    if (known == name) return format;
  return std::nullopt;
}

std::string_view format_name(Format format) {
  for (const auto& [known, name] : format_table)
    if (known == format) return name;
  return "table";
}

std::string format_names() {
  std::string out;
  for (const auto& [format, name] : format_table) out += (out.empty() ? "" : ", ") + std::string(name);
  return out;
}

Format parse_format(std::string_view name) {
  if (auto f = try_parse_format(name)) return *f;
  fail(ErrorCategory::invalid_input, "unknown format '" + std::string(name) + "' (formats: " + format_names() + ")");
}

std::string Style::dot(Status status) const {
  std::string_view colour = dot_colour(status);
  for (const auto& look : dot_looks)
    if (look.colour == colour) return std::string(color ? look.ansi : look.plain_glyph);
  return "○";
}

std::string Style::bold(std::string_view text) const {
  return color ? "\x1b[1m" + std::string(text) + "\x1b[0m" : std::string(text);
}

std::string Style::dim(std::string_view text) const {
  return color ? "\x1b[2m" + std::string(text) + "\x1b[0m" : std::string(text);
}

std::string& Out::buffer() { return stdout_buffer; }

void Out::write(std::string_view text) {
  stdout_buffer.append(text);
  if (stdout_buffer.size() >= 64 * 1024) flush();
}

namespace {
int stdout_error = 0;
int failed_write() { return errno != 0 ? errno : EIO; }
}  // namespace

void Out::flush() {
  if (stdout_error != 0) {
    stdout_buffer.clear();
    return;
  }
  errno = 0;
  if (!stdout_buffer.empty()) {
    if (std::fwrite(stdout_buffer.data(), 1, stdout_buffer.size(), stdout) != stdout_buffer.size()) stdout_error = failed_write();
    stdout_buffer.clear();
  }
  if (stdout_error == 0 && std::fflush(stdout) != 0) stdout_error = failed_write();
}

int Out::write_error() { return stdout_error; }

namespace {

// Walks `text` a character at a time: (bytes, code point, cells on a terminal). ANSI colour
// sequences (ESC [ ... m, numctl's own) take no cells; an invalid byte is one cell (shown as
// U+FFFD by printable()).
template <typename Visit>
void each_character(std::string_view text, Visit&& visit) {
  const auto* p = reinterpret_cast<const utf8proc_uint8_t*>(text.data());
  auto left = static_cast<utf8proc_ssize_t>(text.size());
  while (left > 0) {
    if (*p == 0x1b && left > 2 && p[1] == '[') {
      utf8proc_ssize_t n = 2;
      while (n < left && (std::isdigit(p[n]) || p[n] == ';')) ++n;
      if (n < left && p[n] == 'm') {
        visit(std::string_view(reinterpret_cast<const char*>(p), static_cast<std::size_t>(n + 1)), -1, 0);
        p += n + 1;
        left -= n + 1;
        continue;
      }
    }
    utf8proc_int32_t cp = -1;
    auto n = utf8proc_iterate(p, left, &cp);
    if (n < 0) {
      n = 1;
      cp = 0xFFFD;
    }
    int cells = utf8proc_charwidth(cp);
    visit(std::string_view(reinterpret_cast<const char*>(p), static_cast<std::size_t>(n)), cp, cells < 0 ? 1 : cells);
    p += n;
    left -= n;
  }
}

}  // namespace

std::size_t display_width(std::string_view text) {
  std::size_t n = 0;
  each_character(text, [&](std::string_view, int, int cells) { n += static_cast<std::size_t>(cells); });
  return n;
}

std::string fit(std::string_view text, std::size_t width) {
  std::size_t n = display_width(text);
  if (n <= width) return std::string(text) + std::string(width - n, ' ');
  // Cut by cells, keeping room for the ellipsis; a wide character that does not fit leaves a space.
  std::string out;
  std::size_t used = 0;
  bool full = false;
  each_character(text, [&](std::string_view bytes, int cp, int cells) {
    if (cp < 0) {
      out += bytes;  // colour codes stay, so the line's colour is reset
      return;
    }
    if (full || used + static_cast<std::size_t>(cells) > width - 1) {
      full = true;
      return;
    }
    out += bytes;
    used += static_cast<std::size_t>(cells);
  });
  return out + "…" + std::string(width - 1 - used, ' ');
}

std::string printable(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  each_character(text, [&](std::string_view bytes, int cp, int) {
    if (cp < 0 || cp < 0x20 || (cp >= 0x7f && cp <= 0x9f)) out += '?';       // escapes and controls
    else if (cp == 0xFFFD && bytes != "\xEF\xBF\xBD") out += "\xEF\xBF\xBD";  // not UTF-8
    else out += bytes;
  });
  return out;
}

int terminal_width() {
  if (const char* columns = std::getenv("COLUMNS")) {
    int n = std::atoi(columns);
    if (n > 20) return n;
  }
  winsize size{};
  if (::ioctl(STDOUT_FILENO, TIOCGWINSZ, &size) == 0 && size.ws_col > 20) return size.ws_col;
  return 80;
}

}  // namespace numctl::cli
