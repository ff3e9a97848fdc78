// For tests: the query plans the SQLite engine chooses, one detail line a step, so a test can
// prove a listing or the sweep is answered from an index. Not part of the public API.
#pragma once

#include "numctl/error.hpp"
#include "store_impl.hpp"

namespace numctl::sqlite {

inline SqliteStore& as_sqlite(Store& store) {
  auto* engine = dynamic_cast<SqliteStore*>(&store);
  if (engine == nullptr) fail(ErrorCategory::internal, "query plans are explained for SQLite only");
  return *engine;
}

inline std::vector<std::string> explain_listing(Store& store, const Filter& filter, const Sort& sort, const Page& page) {
  return as_sqlite(store).explain_listing(filter, sort, page);
}

inline std::vector<std::string> explain_count(Store& store, const Filter& filter) {
  return as_sqlite(store).explain_count(filter);
}

inline std::vector<std::string> explain_sweep(Store& store) { return as_sqlite(store).explain_sweep(); }

inline std::vector<std::string> explain_audit(Store& store, const AuditQuery& query) {
  return as_sqlite(store).explain_audit(query);
}

}  // namespace numctl::sqlite
