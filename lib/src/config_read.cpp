// Reading values out of a parsed TOML file, every problem a config error naming file:line:column.
#include "config_read.hpp"
#include "numctl/error.hpp"
#include "numctl/text.hpp"

#include <cstdint>

namespace numctl::config_read {
namespace fs = std::filesystem;

std::string where(const fs::path& file, const toml::source_region& region) {
  return file.string() + ":" + std::to_string(region.begin.line) + ":" + std::to_string(region.begin.column);
}

[[noreturn]] void config_error(const fs::path& file, const toml::node& node, const std::string& what) {
  fail(ErrorCategory::config, where(file, node.source()) + ": " + what);
}

void check_keys(const fs::path& file, const toml::table& table, const std::set<std::string>& known, const std::string& section) {
  for (const auto& [key, node] : table) {
    if (!known.contains(std::string(key.str()))) {
      std::vector<std::string> names(known.begin(), known.end());
      fail(ErrorCategory::config, where(file, key.source()) + ": unknown key '" + std::string(key.str()) + "'" +
                                      (section.empty() ? "" : " in [" + section + "]") + " (known: " + text::join(names, ", ") +
                                      ")");
    }
  }
}

std::vector<std::string> string_list(const fs::path& file, const toml::node& node, const std::string& key) {
  const auto* array = node.as_array();
  if (array == nullptr) config_error(file, node, "'" + key + "' must be a list of strings, e.g. [\"proof_of_address\"]");
  std::vector<std::string> out;
  for (const auto& item : *array) {
    auto value = item.value<std::string>();
    if (!value || value->empty()) config_error(file, item, "'" + key + "' must hold non-empty strings");
    out.push_back(*value);
  }
  return out;
}

int positive_int(const fs::path& file, const toml::node& node, const std::string& key, int max) {
  auto value = node.value<std::int64_t>();
  if (!value || *value < 0 || *value > max)
    config_error(file, node, "'" + key + "' must be a whole number from 0 to " + std::to_string(max));
  return static_cast<int>(*value);
}

std::string string_value(const fs::path& file, const toml::node& node, const std::string& key) {
  auto value = node.value<std::string>();
  if (!value) config_error(file, node, "'" + key + "' must be a string");
  return *value;
}

}  // namespace numctl::config_read
