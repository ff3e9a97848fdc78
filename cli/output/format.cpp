// Format names, terminal styling, buffered stdout and display width.
#include "format.hpp"

#include <numctl/error.hpp>

#include <cstdio>
#include <cstdlib>
#include <sys/ioctl.h>
#include <unistd.h>

namespace numctl::cli {

namespace {

std::string buffer;

// How each dot colour of the domain looks: a glyph that tells statuses apart without colour,
// and the ANSI colour with it.
struct DotLook {
  std::string_view colour, plain_glyph, ansi;
};
constexpr DotLook dot_looks[] = {
    {"green", "●", "\x1b[32m●\x1b[0m"},
    {"yellow", "◐", "\x1b[33m●\x1b[0m"},
    {"red", "▲", "\x1b[31m●\x1b[0m"},
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

void Out::write(std::string_view text) {
  buffer.append(text);
  if (buffer.size() >= 64 * 1024) flush();
}

void Out::flush() {
  if (!buffer.empty()) {
    std::fwrite(buffer.data(), 1, buffer.size(), stdout);
    buffer.clear();
  }
  std::fflush(stdout);
}

std::size_t display_width(std::string_view text) {
  std::size_t n = 0;
  bool escape = false;
  for (char c : text) {
    if (c == '\x1b') escape = true;
    else if (escape && c == 'm') escape = false;
    else if (!escape && (static_cast<unsigned char>(c) & 0xC0) != 0x80) ++n;
  }
  return n;
}

std::string fit(std::string_view text, std::size_t width) {
  std::size_t n = display_width(text);
  if (n <= width) return std::string(text) + std::string(width - n, ' ');
  std::string out;
  std::size_t used = 0;
  for (std::size_t i = 0; i < text.size() && used < width - 1; ++i) {
    out += text[i];
    if (i + 1 < text.size() && (static_cast<unsigned char>(text[i + 1]) & 0xC0) == 0x80) continue;
    ++used;
  }
  return out + "…";
}

std::string printable(std::string_view text) {
  std::string out(text);
  for (char& c : out)
    if (static_cast<unsigned char>(c) < 0x20 || c == 0x7f) c = '?';
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
