// The text each engine's digit index holds for a number (SQLite's FTS5 trigram table,
// PostgreSQL's pg_trgm index): its international digits, then what its national form adds.
#pragma once

#include <string>
#include <string_view>

namespace numctl::store {

std::string search_text(std::string_view e164, std::string_view national);

}  // namespace numctl::store
