// An eponymous virtual table, `numctl_new_numbers`, through which SQLite reads rows to add
// straight from memory: a bulk import becomes a few INSERT ... SELECT statements instead of
// millions of single-row ones.
#pragma once

#include "numctl/records.hpp"

#include <sqlite3.h>

#include <cstddef>
#include <functional>
#include <vector>

namespace numctl::row_feed {

// What the table shows while a bulk insert runs; empty otherwise.
struct Source {
  const std::vector<const NewNumber*>* rows = nullptr;
  const std::function<void(std::size_t)>* progress = nullptr;
};

// Registers the table on a connection; `source` must outlive it.
void register_on(sqlite3* db, Source* source);

// The table's columns, in order (the rowid is the row's position + 1).
inline constexpr const char* columns =
    "e164, display, national_digits, country, type, status, previous_status, team_id, member_id, label,"
    " bought_at, activated_at, cancel_requested_at, release_at, expires_at, audit_details,"
    " risk_reason, replaced_by, replaces, provider, provider_ref, currency, monthly_price";

}  // namespace numctl::row_feed
