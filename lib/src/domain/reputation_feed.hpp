// Reading a reputation feed row by row, for the service (which checks each row as it comes, so
// a feed of a million rows is never held twice).
#pragma once

#include "util/batch.hpp"
#include "numctl/reputation.hpp"

#include <functional>
#include <string_view>

namespace numctl {

// Each well-formed row goes to `each`; a malformed one goes to `problems` (ordered by position).
void read_readings(std::string_view content, ImportFormat format, Batch& problems,
                   const std::function<void(const ReadingRow&)>& each);

}  // namespace numctl
