// numctl migrate: an inventory copied table by table between stores, then verified.
#include "numctl/migrate.hpp"

#include "util/checksum.hpp"
#include "numctl/error.hpp"
#include "store/tables.hpp"
#include "domain/validation.hpp"
#include "numctl/json.hpp"

#include <algorithm>

namespace numctl {
namespace {

// A table's rows fed to SHA-256 cell by cell in an encoding that does not depend on the engine:
// the kind, then the integer in decimal or the length and bytes of text and blobs.
class TableDigest {
public:
  void add(const Store::Row& row) {
    for (const auto& cell : row) {
      switch (cell.kind) {
        case Store::Cell::Kind::null: buffer_ += 'N'; break;
        case Store::Cell::Kind::integer: buffer_ += 'I' + std::to_string(cell.integer) + ';'; break;
        case Store::Cell::Kind::text:
        case Store::Cell::Kind::blob:
          buffer_ += cell.kind == Store::Cell::Kind::text ? 'T' : 'B';
          buffer_ += std::to_string(cell.bytes.size()) + ':';
          buffer_ += cell.bytes;
      }
    }
    buffer_ += '\n';
    ++rows_;
    if (buffer_.size() > (1 << 16)) flush();
  }
  std::int64_t rows() const { return rows_; }
  std::string finish() {
    flush();
    return sha_.hex_digest();
  }

private:
  void flush() {
    sha_.update(buffer_);
    buffer_.clear();
  }
  Sha256 sha_;
  std::string buffer_;
  std::int64_t rows_ = 0;
};

// The source's columns of `table`, checked against the target's: both come from numctl's own
// schema at the same version, so a difference is a bug, never the operator's.
std::vector<std::string> shared_columns(Store& from, Store* to, std::string_view table) {
  auto columns = from.table_columns(table);
  if (columns.empty()) fail(ErrorCategory::internal, "the source inventory has no table " + std::string(table));
  if (!to) return columns;
  auto sorted = columns;
  auto theirs = to->table_columns(table);
  std::sort(sorted.begin(), sorted.end());
  std::sort(theirs.begin(), theirs.end());
  if (sorted != theirs)
    fail(ErrorCategory::internal, "the table " + std::string(table) + " has different columns in " + from.location() +
                                      " and " + to->location() + "; nothing was copied");
  return columns;
}

void refuse_unless_empty(Store& to) {
  std::string held;
  for (const auto& table : store::inventory_tables)
    if (auto n = to.count_rows(table.name); n > 0)
      held += (held.empty() ? "" : ", ") + std::string(table.name) + " " + std::to_string(n);
  if (!held.empty())
    fail(ErrorCategory::refused, "the target " + to.location() + " is not empty (rows: " + held +
                                     "): migrate copies into an empty database only, so that nothing there is mixed "
                                     "or lost; choose a new database or file. Nothing was copied");
}

// Cells the target cannot store as text: refused, naming where, or repaired in the copy.
class TextGuard {
 public:
  TextGuard(const Store* to, bool repair, std::vector<TextRepair>& repaired)
      : active_(to && !to->stores_any_text()), repair_(repair), repaired_(repaired) {}

  // The row as the target will hold it.
  const Store::Row& check(std::string_view table, const std::vector<std::string>& columns, const Store::Row& row) {
    if (!active_) return row;
    const Store::Row* out = &row;
    for (std::size_t c = 0; c < row.size(); ++c) {
      const auto& cell = row[c];
      if (cell.kind != Store::Cell::Kind::text || storable_text(cell.bytes)) continue;
      std::string where = row_name(columns, row);
      if (!repair_)
        fail(ErrorCategory::invalid_input,
             std::string(table) + ", row " + where + ", column " + columns[c] +
                 ": text that is not UTF-8 (or holds a NUL), stored before numctl checked text; the target cannot "
                 "store it. Nothing was copied: numctl migrate --repair-text copies it with U+FFFD for the bad bytes "
                 "and records each repair in the audit history");
      if (out == &row) out = &(copy_ = row);
      copy_[c].bytes = repaired_text(cell.bytes);
      repaired_.push_back({std::string(table), columns[c], where});
    }
    return *out;
  }

 private:
  static std::string row_name(const std::vector<std::string>& columns, const Store::Row& row) {
    for (const char* key : {"e164", "number", "name", "id"})
      for (std::size_t c = 0; c < columns.size(); ++c)
        if (columns[c] == key && row[c].kind != Store::Cell::Kind::null)
          return row[c].kind == Store::Cell::Kind::integer ? std::to_string(row[c].integer) : repaired_text(row[c].bytes);
    return "?";
  }
  bool active_, repair_;
  std::vector<TextRepair>& repaired_;
  Store::Row copy_;
};

}  // namespace

std::int64_t Migration::rows() const {
  std::int64_t total = 0;
  for (const auto& t : tables) total += t.rows;
  return total;
}

Migration migrate_inventory(Store& from, Store* to, const RunOptions& run, const MigrateOptions& options) {
  const bool repair_text = options.repair_text;
  if (!to && run.dry_run == DryRun::no) fail(ErrorCategory::internal, "migrate needs a target store");
  Migration result;
  result.target_exists = to != nullptr;
  Store::Snapshot snapshot(from);
  std::vector<std::int64_t> totals;
  for (const auto& table : store::inventory_tables) totals.push_back(from.count_rows(table.name));
  auto report = [&](std::string_view table, std::int64_t done, std::int64_t total) {
    if (run.progress && (done % 4096 == 0 || done == total))
      run.progress(table, static_cast<std::size_t>(done), static_cast<std::size_t>(total));
  };

  if (run.dry_run == DryRun::yes) {
    if (to) refuse_unless_empty(*to);
    for (std::size_t i = 0; i < std::size(store::inventory_tables); ++i) {
      const auto& table = store::inventory_tables[i];
      auto columns = shared_columns(from, to, table.name);
      TableDigest digest;
      TextGuard guard(to, repair_text, result.repaired);
      from.for_each_row(table.name, columns, table.key, [&](const Store::Row& row) {
        digest.add(guard.check(table.name, columns, row));
        report(table.name, digest.rows(), totals[i]);
      });
      result.tables.push_back({std::string(table.name), digest.rows(), digest.finish()});
    }
    return result;
  }

  Store::Transaction transaction(*to);
  refuse_unless_empty(*to);
  for (std::size_t i = 0; i < std::size(store::inventory_tables); ++i) {
    const auto& table = store::inventory_tables[i];
    auto columns = shared_columns(from, to, table.name);
    TableDigest digest;
    TextGuard guard(to, repair_text, result.repaired);
    to->load_rows(table.name, columns, [&](const Store::RowSink& sink) {
      from.for_each_row(table.name, columns, table.key, [&](const Store::Row& source_row) {
        const Store::Row& row = guard.check(table.name, columns, source_row);
        digest.add(row);
        sink(row);
        report(table.name, digest.rows(), totals[i]);
      });
    });
    result.tables.push_back({std::string(table.name), digest.rows(), digest.finish()});
  }
  to->finish_loading();
  // Read back what the target now holds, inside the same transaction: commit only an exact copy.
  for (std::size_t i = 0; i < std::size(store::inventory_tables); ++i) {
    const auto& table = store::inventory_tables[i];
    const auto& copied = result.tables[i];
    TableDigest digest;
    to->for_each_row(table.name, shared_columns(from, nullptr, table.name), table.key,
                     [&](const Store::Row& row) { digest.add(row); });
    auto sha = digest.finish();
    if (digest.rows() != copied.rows || sha != copied.sha256)
      fail(ErrorCategory::database, "the copy of " + copied.table + " in " + to->location() + " differs from " +
                                        from.location() + " (" + std::to_string(digest.rows()) + " rows against " +
                                        std::to_string(copied.rows) + ", checksums " + sha.substr(0, 12) + " and " +
                                        copied.sha256.substr(0, 12) + "); nothing was committed");
  }
  // Each repair in the target's history, after the copy was verified as the source made it.
  for (const auto& r : result.repaired) {
    AuditEntry entry;
    entry.at = options.at;
    entry.actor = options.actor;
    entry.action = "repair_text";
    if (r.table == "numbers") entry.number = r.row;
    std::string details = "{\"table\":";
    json::append_string(details, r.table);
    details += ",\"column\":";
    json::append_string(details, r.column);
    details += ",\"row\":";
    json::append_string(details, r.row);
    entry.details = details + ",\"replaced\":\"bytes that were not UTF-8 (or NUL), by U+FFFD\"}";
    to->append_audit(std::move(entry));
  }
  transaction.commit();
  return result;
}

}  // namespace numctl
