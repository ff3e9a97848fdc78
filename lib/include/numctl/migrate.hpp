// Moving a whole inventory from one store to another (SQLite to PostgreSQL and back): numctl
// migrate.
#pragma once

#include "numctl/service.hpp"
#include "numctl/store.hpp"

#include <cstdint>
#include <string>
#include <vector>

namespace numctl {

struct TableCopy {
  std::string table;
  std::int64_t rows = 0;
  std::string sha256;  // of the table's rows in key order, cell by cell, the same on either engine
};

struct Migration {
  std::vector<TableCopy> tables;
  bool target_exists = true;  // false on a dry run whose target holds no inventory yet
  std::int64_t rows() const;
};

// Copies every table of `from` (read in one snapshot) into `to`, which must hold no data, in one
// transaction of `to`, ids included; then reads `to` back inside that transaction and commits
// only when every table's row count and checksum equal the source's (else a database error,
// nothing committed). A target that already holds numbers, teams, history or anything else is
// refused (ErrorCategory::refused) untouched. A dry run reads the source and checks the target
// (reachable, same tables, empty) without writing; `to` may then be null (no inventory there:
// migrate would create one).
Migration migrate_inventory(Store& from, Store* to, const RunOptions& run);

}  // namespace numctl
