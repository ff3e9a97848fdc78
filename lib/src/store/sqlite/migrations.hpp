// The SQLite engine's migrations (migrations.cpp), in version order.
#pragma once

#include <span>

namespace numctl::sqlite {

// Entry i moves a database from schema version i to i + 1; never edit one that has shipped.
std::span<const char* const> schema_migrations();
// Version 12 (migrations_emergency.cpp).
const char* emergency_migration();
// Version 13 (migrations_emergency.cpp).
const char* stats_migration();
// Version 14 (migrations_emergency.cpp).
const char* deferred_keys_migration();
// Version 15 (migrations_emergency.cpp).
const char* literal_checks_migration();
// Version 16 (migrations_emergency.cpp).
const char* one_kind_index_migration();

}  // namespace numctl::sqlite
