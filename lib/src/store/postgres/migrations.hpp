// The PostgreSQL engine's migrations (migrations.cpp), in version order.
#pragma once

#include <span>

namespace numctl::postgres {

// Entry i moves a database from schema version i to i + 1; never edit one that has shipped.
std::span<const char* const> schema_migrations();

}  // namespace numctl::postgres
