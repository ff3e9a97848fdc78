// "Did you mean": the closest known name to a misspelt one.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace numctl {

// Closest candidate (case-insensitive edit distance), when one is close enough to suggest.
std::optional<std::string> closest_match(std::string_view wrong, const std::vector<std::string>& candidates);

}  // namespace numctl
