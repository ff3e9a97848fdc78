// Where an inventory lives, as an operator writes it ([database] path or url, --db, NUMCTL_DB,
// NUMCTL_DATABASE_URL, migrate --to), and which engine opens it. Read in this one place; the
// engines register in lib/src/store/engines.cpp.
#pragma once

#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <string_view>

namespace numctl {

enum class Engine : std::uint8_t { sqlite, postgres };

struct DatabaseLocation {
  Engine engine = Engine::sqlite;
  std::string text;  // the SQLite file's path, or the libpq connection string as written

  // A SQLite file.
  static DatabaseLocation file(const std::filesystem::path& path) { return {Engine::sqlite, path.string()}; }
  // A path, a postgresql:// (or postgres://) URI, or a libpq keyword/value string
  // ("host=/run/postgresql dbname=numctl"). Anything else naming a scheme (sqlite:///x.db,
  // mysql://...) is refused as invalid input: it is neither a path nor a server numctl speaks to.
  static DatabaseLocation parse(std::string_view text);
  // A PostgreSQL connection string only (NUMCTL_DATABASE_URL, [database] url); else nothing.
  static std::optional<DatabaseLocation> server(std::string_view text);

  bool is_server() const { return engine != Engine::sqlite; }
  std::filesystem::path path() const { return text; }
  // For messages and --verbose: the engine's name and the location with every password masked
  // ("PostgreSQL at postgresql://numctl:***@db/numctl"), or the file's path.
  std::string shown() const;
};

std::string_view to_string(Engine engine);

}  // namespace numctl
