// numctl migrate: an inventory copied table by table between stores, then verified.
#include "numctl/migrate.hpp"

#include "checksum.hpp"
#include "numctl/error.hpp"
#include "store/tables.hpp"

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

}  // namespace

std::int64_t Migration::rows() const {
  std::int64_t total = 0;
  for (const auto& t : tables) total += t.rows;
  return total;
}

Migration migrate_inventory(Store& from, Store* to, const RunOptions& run) {
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
      from.for_each_row(table.name, columns, table.key, [&](const Store::Row& row) {
        digest.add(row);
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
    to->load_rows(table.name, columns, [&](const Store::RowSink& sink) {
      from.for_each_row(table.name, columns, table.key, [&](const Store::Row& row) {
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
  transaction.commit();
  return result;
}

}  // namespace numctl
