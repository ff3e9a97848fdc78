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

// Text the target cannot store as it is (bytes that are not UTF-8, a NUL), stored before today's
// checks: where it was, and whether it was repaired (replaced by U+FFFD).
struct TextRepair {
  std::string table, column, row;  // row: the number, or the row's id
};

struct Migration {
  std::vector<TableCopy> tables;
  std::vector<TextRepair> repaired;
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
// Text the target cannot store is refused (invalid input naming the table, row and column)
// unless `repair_text`: then each such cell is copied with U+FFFD for its bad bytes, listed in the
// result, and recorded in the target's audit history (action repair_text, at `at` by `actor`).
struct MigrateOptions {
  bool repair_text = false;
  std::string at, actor;
};
Migration migrate_inventory(Store& from, Store* to, const RunOptions& run, const MigrateOptions& options = {});

}  // namespace numctl
