// Connection strings as libpq reads them: masked for messages (every form libpq accepts), and
// given the session attributes a command needs (target_session_attrs).
#include "pq.hpp"
#include "pq_api.hpp"
#include "store/engines.hpp"

#include <cstdlib>
#include <memory>
#include <optional>
#include <string>

namespace numctl::pg {

namespace {

// The value of `key` in a parsed connection string, if set.
std::optional<std::string> option(const PQconninfoOption* options, std::string_view key) {
  for (const auto* o = options; o && o->keyword; ++o)
    if (key == o->keyword && o->val) return std::string(o->val);
  return std::nullopt;
}

std::string replace_all(std::string text, std::string_view what, std::string_view with) {
  if (what.empty()) return text;
  for (auto at = text.find(what); at != std::string::npos; at = text.find(what, at + with.size()))
    text.replace(at, what.size(), with);
  return text;
}

// A keyword/value string as libpq read it, password masked, values quoted where libpq needs it.
std::string keywords_masked(const PQconninfoOption* options) {
  std::string out;
  for (const auto* o = options; o && o->keyword; ++o) {
    if (!o->val) continue;
    std::string value = std::string_view(o->keyword) == "password" ? "***" : o->val;
    bool quote = value.empty() || value.find_first_of(" '\\") != std::string::npos;
    if (quote) value = "'" + replace_all(replace_all(value, "\\", "\\\\"), "'", "\\'") + "'";
    if (!out.empty()) out += ' ';
    out += std::string(o->keyword) + "=" + value;
  }
  return out;
}

// A connection string read by libpq's own parser; null when libpq cannot read it (its message,
// which may quote the string password and all, is dropped).
using Parsed = std::unique_ptr<PQconninfoOption, void (*)(PQconninfoOption*)>;
Parsed parsed(std::string_view url) {
  const Pq& api = pq();
  char* error = nullptr;
  PQconninfoOption* options = api.conninfo_parse(std::string(url).c_str(), &error);
  if (error) api.freemem(error);
  return Parsed(options, api.conninfo_free);
}

// Whether a connection string names more than one server: a list in host, hostaddr or port (one
// host with several ports is several servers), or in PGHOST, PGHOSTADDR or PGPORT where the
// string sets none.
bool names_several_servers(const PQconninfoOption* options) {
  for (auto [key, variable] : {std::pair{"host", "PGHOST"}, {"hostaddr", "PGHOSTADDR"}, {"port", "PGPORT"}}) {
    auto value = option(options, key);
    if (!value)
      if (const char* set = std::getenv(variable)) value = set;
    if (value && value->find(',') != std::string::npos) return true;
  }
  return false;
}

}  // namespace

std::string mask_url(std::string_view url) {
  // Read by libpq's own parser, so every form it accepts is masked: URIs (user:secret@,
  // ?password=), keyword/value strings with or without spaces around '=', quoted values.
  auto options = parsed(url);
  if (!options) return "(a connection string libpq cannot read)";
  std::string out;
  if (is_postgres_uri(url)) {
    out = std::string(url);
    auto scheme = out.find("://");
    auto authority_end = out.find_first_of("/?", scheme + 3);
    auto at = out.rfind('@', authority_end == std::string::npos ? std::string::npos : authority_end);
    if (at != std::string::npos && at > scheme) {
      auto colon = out.find(':', scheme + 3);
      if (colon != std::string::npos && colon < at) out.replace(colon + 1, at - colon - 1, "***");
    }
    for (auto key = out.find("password="); key != std::string::npos; key = out.find("password=", key + 1)) {
      auto end = out.find('&', key);
      out.replace(key + 9, (end == std::string::npos ? out.size() : end) - key - 9, "***");
    }
    if (auto password = option(options.get(), "password"); password && !password->empty())
      out = replace_all(out, *password, "***");
  } else {
    out = keywords_masked(options.get());
  }
  return out;
}

std::string mask_message(std::string message, std::string_view url) {
  auto options = parsed(url);
  if (!options)
    return "libpq cannot read this connection string (its form: postgresql://user@host/dbname, or host=... dbname=...)";
  if (auto password = option(options.get(), "password"); password && !password->empty())
    message = replace_all(std::move(message), *password, "***");
  return message;
}

std::string with_session_attrs(const std::string& url, std::string_view attrs) {
  auto options = parsed(url);
  // A string libpq cannot read: connecting says what is wrong with it.
  if (!options || option(options.get(), "target_session_attrs")) return url;
  // Among one server, prefer-standby is that server whatever it is; asked of a primary, libpq
  // would connect, find no standby, and connect to it a second time (a whole connection, with
  // its authentication, more on every read).
  if (attrs == "prefer-standby" && !names_several_servers(options.get())) return url;
  if (!is_postgres_uri(url)) return url + " target_session_attrs=" + std::string(attrs);
  return url + (url.find('?') == std::string::npos ? "?" : "&") + "target_session_attrs=" + std::string(attrs);
}

}  // namespace numctl::pg
