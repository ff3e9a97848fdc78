// Small string helpers shared by the library's modules.
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace numctl::text {

std::string_view trim(std::string_view s);
std::string lower(std::string_view s);
std::string upper(std::string_view s);
// "to-be-cancelled" -> "to_be_cancelled"
std::string underscored(std::string_view s);
std::vector<std::string> split(std::string_view s, char separator);
std::string join(const std::vector<std::string>& parts, std::string_view separator);
std::size_t edit_distance(std::string_view a, std::string_view b);

}  // namespace numctl::text
