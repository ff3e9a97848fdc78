// Small string helpers shared by the library's modules.
#include "numctl/text.hpp"
#include "numctl/suggest.hpp"

#include <algorithm>
#include <cctype>
#include <cstdlib>

namespace numctl::text {

std::string_view trim(std::string_view s) {
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.front()))) s.remove_prefix(1);
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.back()))) s.remove_suffix(1);
  return s;
}

std::string lower(std::string_view s) {
  std::string out(s);
  for (char& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

std::string upper(std::string_view s) {
  std::string out(s);
  for (char& c : out) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  return out;
}

std::string underscored(std::string_view s) {
  std::string out(s);
  std::replace(out.begin(), out.end(), '-', '_');
  return out;
}

std::vector<std::string> split(std::string_view s, char separator) {
  std::vector<std::string> parts;
  std::size_t start = 0;
  while (true) {
    std::size_t end = s.find(separator, start);
    parts.emplace_back(s.substr(start, end == std::string_view::npos ? std::string_view::npos : end - start));
    if (end == std::string_view::npos) break;
    start = end + 1;
  }
  return parts;
}

std::string join(const std::vector<std::string>& parts, std::string_view separator) {
  std::string out;
  for (std::size_t i = 0; i < parts.size(); ++i) {
    if (i) out += separator;
    out += parts[i];
  }
  return out;
}

std::size_t edit_distance(std::string_view a, std::string_view b) {
  std::vector<std::size_t> row(b.size() + 1);
  for (std::size_t j = 0; j <= b.size(); ++j) row[j] = j;
  for (std::size_t i = 1; i <= a.size(); ++i) {
    std::size_t diagonal = row[0];
    row[0] = i;
    for (std::size_t j = 1; j <= b.size(); ++j) {
      std::size_t above = row[j];
      bool same = std::tolower(static_cast<unsigned char>(a[i - 1])) == std::tolower(static_cast<unsigned char>(b[j - 1]));
      row[j] = std::min({row[j] + 1, row[j - 1] + 1, diagonal + (same ? 0 : 1)});
      diagonal = above;
    }
  }
  return row[b.size()];
}

void append_csv_field(std::string& out, std::string_view value) {
  if (value.find_first_of(",\"\r\n") == std::string_view::npos) {
    out += value;
    return;
  }
  out += '"';
  for (char c : value) {
    if (c == '"') out += '"';
    out += c;
  }
  out += '"';
}

void append_csv_cell(std::string& out, std::string_view value, bool raw) {
  if (!raw && !value.empty() && std::string_view("=+-@\t\r").find(value.front()) != std::string_view::npos) {
    append_csv_field(out, "'" + std::string(value));
    return;
  }
  append_csv_field(out, value);
}

std::optional<std::string> env(const char* name) {
  const char* value = std::getenv(name);
  if (value == nullptr || *value == '\0') return std::nullopt;
  return std::string(value);
}

}  // namespace numctl::text

namespace numctl {

std::optional<std::string> closest_match(std::string_view wrong, const std::vector<std::string>& candidates) {
  std::optional<std::string> best;
  std::size_t best_distance = std::max<std::size_t>(2, wrong.size() / 3) + 1;
  for (const auto& candidate : candidates) {
    std::size_t d = text::edit_distance(wrong, candidate);
    if (d < best_distance) {
      best_distance = d;
      best = candidate;
    }
  }
  return best;
}

}  // namespace numctl

namespace numctl {

std::string no_such(std::string_view what, std::string_view name, const std::vector<std::string>& known,
                    std::string_view create_hint) {
  std::string message = "no " + std::string(what) + " named '" + std::string(name) + "'";
  if (auto close = closest_match(name, known)) return message + "; did you mean '" + *close + "'?";
  return message + " (" + std::string(create_hint) + ")";
}

namespace text {

std::string one_line(std::string_view s) {
  std::string out;
  out.reserve(s.size());
  for (std::size_t i = 0; i < s.size(); ++i) {
    auto c = static_cast<unsigned char>(s[i]);
    if (c < 0x20 || c == 0x7f) {
      out += '?';
    } else if (c == 0xC2 && i + 1 < s.size() && static_cast<unsigned char>(s[i + 1]) >= 0x80 &&
               static_cast<unsigned char>(s[i + 1]) <= 0x9F) {
      out += '?';  // a C1 control (U+0080..U+009F), CSI among them
      ++i;
    } else {
      out += static_cast<char>(c);
    }
  }
  return out;
}

namespace {
// Where the authority of scheme://authority/path begins and ends, and its '@' if any.
struct Authority {
  std::size_t begin = 0, end = 0, at = std::string_view::npos;
};
Authority authority_of(std::string_view url) {
  Authority a;
  auto scheme = url.find("://");
  a.begin = scheme == std::string_view::npos ? 0 : scheme + 3;
  a.end = url.find_first_of("/?#", a.begin);
  if (a.end == std::string_view::npos) a.end = url.size();
  auto at = url.substr(a.begin, a.end - a.begin).rfind('@');
  if (at != std::string_view::npos) a.at = a.begin + at;
  return a;
}
}  // namespace

std::string url_without_password(std::string_view url) {
  Authority a = authority_of(url);
  std::string out(url);
  if (a.at == std::string_view::npos) return out;
  auto colon = url.substr(a.begin, a.at - a.begin).find(':');
  if (colon != std::string_view::npos) out.replace(a.begin + colon + 1, a.at - a.begin - colon - 1, "***");
  return out;
}

std::string url_host(std::string_view url) {
  Authority a = authority_of(url);
  std::size_t begin = a.at == std::string_view::npos ? a.begin : a.at + 1;
  std::string_view host = url.substr(begin, a.end - begin);
  if (host.starts_with('[')) {
    auto close = host.find(']');
    return lower(host.substr(1, close == std::string_view::npos ? host.size() - 1 : close - 1));
  }
  if (auto colon = host.rfind(':'); colon != std::string_view::npos) host = host.substr(0, colon);
  return lower(host);
}

}  // namespace text
}  // namespace numctl
