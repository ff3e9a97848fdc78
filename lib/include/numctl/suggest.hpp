// "Did you mean": the closest known name to a misspelt one.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace numctl {

// Closest candidate (case-insensitive edit distance), when one is close enough to suggest.
std::optional<std::string> closest_match(std::string_view wrong, const std::vector<std::string>& candidates);

// "no team named 'Suport'; did you mean 'Support'?" (or how to create one: `create_hint`).
std::string no_such(std::string_view what, std::string_view name, const std::vector<std::string>& known,
                    std::string_view create_hint);

}  // namespace numctl
