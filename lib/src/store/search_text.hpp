// The text each engine's digit index holds for a number (SQLite's FTS5 trigram table,
// PostgreSQL's pg_trgm index): its international digits, then what its national form adds.
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace numctl::store {

std::string search_text(std::string_view e164, std::string_view national);

// The trigrams a search for `digits` (three or more) asks the index for: every digit covered
// once, left to right, the last trigram ending on the last digit ("55501": "555" and "501").
// A number holding the digits holds each of them; leaving out the trigrams between them leaves
// fewer posting lists to intersect (the exact check that follows drops the few extra rows).
std::vector<std::string> covering_trigrams(std::string_view digits);

}  // namespace numctl::store
