// Regulations as the database caches them (JSON), and back.
#pragma once

#include "numctl/compliance.hpp"

#include <string>
#include <string_view>
#include <vector>

namespace numctl {

std::string regulations_to_json(const std::vector<RegulationInfo>& regulations);
// A cache that cannot be read gives nothing (it is read again from the carrier).
std::vector<RegulationInfo> regulations_from_json(std::string_view text);

}  // namespace numctl
