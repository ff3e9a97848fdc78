// What config.cpp reads a TOML file with: values checked as they are read, and every problem a
// config error (exit 5) naming file:line:column and what the key must be.
#pragma once

#include <toml++/toml.h>

#include <filesystem>
#include <set>
#include <string>
#include <vector>

namespace numctl::config_read {

// "config.toml:3:9"
std::string where(const std::filesystem::path& file, const toml::source_region& region);
[[noreturn]] void config_error(const std::filesystem::path& file, const toml::node& node, const std::string& what);
// A key the section does not know is refused, naming the known ones (a typo is not dropped).
void check_keys(const std::filesystem::path& file, const toml::table& table, const std::set<std::string>& known,
                const std::string& section);
std::vector<std::string> string_list(const std::filesystem::path& file, const toml::node& node, const std::string& key);
int positive_int(const std::filesystem::path& file, const toml::node& node, const std::string& key, int max);
std::string string_value(const std::filesystem::path& file, const toml::node& node, const std::string& key);

}  // namespace numctl::config_read
