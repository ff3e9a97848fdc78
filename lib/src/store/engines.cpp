// The engine registry: the one place that tells a SQLite file from a PostgreSQL server, opens
// the engine a location names, and says how that location appears in messages.
#include "engines.hpp"
#include "numctl/error.hpp"
#include "numctl/location.hpp"

#include <algorithm>
#include <array>
#include <cctype>

namespace numctl {
namespace {

struct EngineEntry {
  Engine engine;
  std::string_view name;
  std::unique_ptr<Store> (*open)(const std::string& text, const Store::OpenOptions& options);
  std::string (*shown)(std::string_view text);
};

constexpr std::array<EngineEntry, 2> engines{{
    {Engine::sqlite, "SQLite", [](const std::string& text, const Store::OpenOptions& o) { return open_sqlite(text, o); },
     [](std::string_view text) { return std::string(text); }},
    {Engine::postgres, "PostgreSQL", open_postgres,
     [](std::string_view text) { return "PostgreSQL at " + masked_postgres(text); }},
}};

const EngineEntry& entry(Engine engine) {
  return *std::find_if(engines.begin(), engines.end(), [&](const EngineEntry& e) { return e.engine == engine; });
}

// libpq's connection keywords: a string opening with one of them and '=' is a keyword/value
// string ("host=/run/postgresql dbname=numctl", spaces around '=' allowed), never a file name.
constexpr std::array<std::string_view, 27> libpq_keywords{"host",
                                                          "hostaddr",
                                                          "port",
                                                          "dbname",
                                                          "user",
                                                          "password",
                                                          "passfile",
                                                          "service",
                                                          "options",
                                                          "connect_timeout",
                                                          "sslmode",
                                                          "sslcert",
                                                          "sslkey",
                                                          "sslrootcert",
                                                          "sslpassword",
                                                          "application_name",
                                                          "target_session_attrs",
                                                          "channel_binding",
                                                          "client_encoding",
                                                          "gssencmode",
                                                          "require_auth",
                                                          "keepalives",
                                                          "load_balance_hosts",
                                                          "requiressl",
                                                          "krbsrvname",
                                                          "fallback_application_name",
                                                          "sslcrl"};

bool is_keyword_string(std::string_view text) {
  std::size_t i = 0;
  while (i < text.size() && std::isspace(static_cast<unsigned char>(text[i]))) ++i;
  std::size_t begin = i;
  while (i < text.size() && (std::islower(static_cast<unsigned char>(text[i])) || text[i] == '_')) ++i;
  std::string_view keyword = text.substr(begin, i - begin);
  while (i < text.size() && std::isspace(static_cast<unsigned char>(text[i]))) ++i;
  return i < text.size() && text[i] == '=' &&
         std::find(libpq_keywords.begin(), libpq_keywords.end(), keyword) != libpq_keywords.end();
}

}  // namespace

bool is_postgres_uri(std::string_view text) { return text.starts_with("postgresql://") || text.starts_with("postgres://"); }

std::string_view to_string(Engine engine) { return entry(engine).name; }

DatabaseLocation DatabaseLocation::parse(std::string_view text) {
  if (text.empty())
    fail(ErrorCategory::invalid_input,
         "an empty database location: give a SQLite file path, a postgresql:// URL or a libpq keyword string");
  if (is_postgres_uri(text) || is_keyword_string(text)) return {Engine::postgres, std::string(text)};
  if (auto scheme = text.find("://"); scheme != std::string_view::npos) {
    // Only the scheme is quoted back: the rest may carry a password.
    fail(ErrorCategory::invalid_input,
         "'" + std::string(text.substr(0, scheme)) +
             "://...' is not a database numctl opens: give a SQLite file path (numbers.db), a postgresql:// URL or a "
             "libpq keyword string (host=... dbname=...)");
  }
  return file(std::filesystem::path(text));
}

std::optional<DatabaseLocation> DatabaseLocation::server(std::string_view text) {
  if (is_postgres_uri(text) || is_keyword_string(text)) return DatabaseLocation{Engine::postgres, std::string(text)};
  return std::nullopt;
}

std::string DatabaseLocation::shown() const { return entry(engine).shown(text); }

std::unique_ptr<Store> Store::open(const DatabaseLocation& location, const OpenOptions& options) {
  return entry(location.engine).open(location.text, options);
}

}  // namespace numctl
