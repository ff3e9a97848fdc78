// Reading the TOML configuration over built-in defaults, and locating files the XDG way.
#include "numctl/config.hpp"
#include "numctl/error.hpp"
#include "text.hpp"

#include <toml++/toml.h>

#include <algorithm>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <set>
#include <sstream>

namespace numctl {
namespace fs = std::filesystem;

namespace {

std::optional<std::string> env(const char* name) {
  const char* value = std::getenv(name);
  if (value == nullptr || *value == '\0') return std::nullopt;
  return std::string(value);
}

fs::path home() { return env("HOME").value_or("/"); }

std::string where(const fs::path& file, const toml::source_region& region) {
  return file.string() + ":" + std::to_string(region.begin.line) + ":" +
         std::to_string(region.begin.column);
}

[[noreturn]] void config_error(const fs::path& file, const toml::node& node, const std::string& what) {
  fail(ErrorCategory::config, where(file, node.source()) + ": " + what);
}

void check_keys(const fs::path& file, const toml::table& table, const std::set<std::string>& known,
                const std::string& section) {
  for (const auto& [key, node] : table) {
    if (!known.contains(std::string(key.str()))) {
      std::vector<std::string> names(known.begin(), known.end());
      fail(ErrorCategory::config, where(file, key.source()) + ": unknown key '" + std::string(key.str()) +
                                      "'" + (section.empty() ? "" : " in [" + section + "]") +
                                      " (known: " + text::join(names, ", ") + ")");
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

fs::path resolve_path(const std::string& text, const fs::path& config_file) {
  if (text.starts_with("~/")) return home() / text.substr(2);
  fs::path path(text);
  if (path.is_relative()) return config_file.parent_path() / path;
  return path;
}

void append_unique(std::vector<std::string>& out, const std::vector<std::string>& kinds) {
  for (const auto& kind : kinds)
    if (std::find(out.begin(), out.end(), kind) == out.end()) out.push_back(kind);
}

}  // namespace

std::vector<std::string> Config::required_documents_for(std::string_view country, NumberType type) const {
  std::vector<std::string> kinds;
  auto it = regulation.find(text::upper(country));
  if (it == regulation.end()) return kinds;
  append_unique(kinds, it->second.all);
  switch (type) {
    case NumberType::local: append_unique(kinds, it->second.local); break;
    case NumberType::mobile: append_unique(kinds, it->second.mobile); break;
    case NumberType::toll_free: append_unique(kinds, it->second.toll_free); break;
  }
  return kinds;
}

fs::path default_database_path() {
  fs::path data = env("XDG_DATA_HOME").value_or((home() / ".local/share").string());
  return data / "numctl" / "numbers.db";
}

std::optional<fs::path> locate_config(const std::optional<fs::path>& flag) {
  if (flag) return flag;
  if (auto path = env("NUMCTL_CONFIG")) return fs::path(*path);
  fs::path base = env("XDG_CONFIG_HOME").value_or((home() / ".config").string());
  fs::path candidate = base / "numctl" / "config.toml";
  std::error_code ignored;
  if (fs::exists(candidate, ignored)) return candidate;
  return std::nullopt;
}

Config default_config() {
  Config config;
  config.database_path = default_database_path();
  // Countries whose regulators ask for documents before a number may be used (built in;
  // a [regulation.CC] table in the config replaces a country's entry).
  config.regulation["DE"] = {.all = {}, .local = {"proof_of_address"}, .mobile = {}, .toll_free = {}};
  config.regulation["FR"] = {.all = {"company_registration"}, .local = {"proof_of_address"}, .mobile = {}, .toll_free = {}};
  config.regulation["IT"] = {.all = {"company_registration", "id_document"}, .local = {}, .mobile = {}, .toll_free = {}};
  config.regulation["ES"] = {.all = {}, .local = {"proof_of_address"}, .mobile = {}, .toll_free = {}};
  config.regulation["AT"] = {.all = {}, .local = {"proof_of_address"}, .mobile = {}, .toll_free = {}};
  config.regulation["JP"] = {.all = {"company_registration", "id_document"}, .local = {}, .mobile = {}, .toll_free = {}};
  return config;
}

Config parse_config(std::string_view toml_text, const fs::path& file) {
  Config config = default_config();
  config.source = file;
  toml::table root;
  try {
    root = toml::parse(toml_text, file.string());
  } catch (const toml::parse_error& error) {
    fail(ErrorCategory::config, where(file, error.source()) + ": " + std::string(error.description()));
  }
  check_keys(file, root, {"database", "default_region", "lifecycle", "regulation", "provider", "documents"}, "");
  if (const auto* node = root.get("default_region")) {
    std::string region = text::upper(string_value(file, *node, "default_region"));
    if (region.size() != 2) config_error(file, *node, "'default_region' must be an ISO 3166-1 code such as DE or US");
    config.default_region = region;
  }
  if (const auto* node = root.get("database")) {
    const auto* table = node->as_table();
    if (!table) config_error(file, *node, "[database] must be a table");
    check_keys(file, *table, {"path"}, "database");
    if (const auto* path = table->get("path"))
      config.database_path = resolve_path(string_value(file, *path, "path"), file);
  }
  if (const auto* node = root.get("lifecycle")) {
    const auto* table = node->as_table();
    if (!table) config_error(file, *node, "[lifecycle] must be a table");
    check_keys(file, *table, {"cancellation_grace_days", "pending_expiry_days"}, "lifecycle");
    if (const auto* v = table->get("cancellation_grace_days"))
      config.cancellation_grace_days = positive_int(file, *v, "cancellation_grace_days", 3650);
    if (const auto* v = table->get("pending_expiry_days"))
      config.pending_expiry_days = positive_int(file, *v, "pending_expiry_days", 3650);
  }
  if (const auto* node = root.get("documents")) {
    const auto* table = node->as_table();
    if (!table) config_error(file, *node, "[documents] must be a table");
    check_keys(file, *table, {"max_size_mb"}, "documents");
    if (const auto* v = table->get("max_size_mb"))
      config.document_max_bytes = std::uint64_t(positive_int(file, *v, "max_size_mb", 1024)) * 1024 * 1024;
  }
  if (const auto* node = root.get("provider")) {
    const auto* table = node->as_table();
    if (!table) config_error(file, *node, "[provider] must be a table");
    check_keys(file, *table, {"kind", "file"}, "provider");
    if (const auto* v = table->get("kind")) {
      config.provider.kind = string_value(file, *v, "kind");
      if (config.provider.kind != "catalog" && config.provider.kind != "inventory")
        config_error(file, *v, "[provider] kind must be \"catalog\" or \"inventory\"");
    }
    if (const auto* v = table->get("file")) config.provider.file = resolve_path(string_value(file, *v, "file"), file);
    if (config.provider.kind == "inventory" && !config.provider.file)
      config_error(file, *node, "[provider] kind = \"inventory\" needs file = \"numbers.csv\"");
  }
  if (const auto* node = root.get("regulation")) {
    const auto* table = node->as_table();
    if (!table) config_error(file, *node, "[regulation] must hold one table per country, e.g. [regulation.DE]");
    for (const auto& [key, country_node] : *table) {
      std::string country = text::upper(key.str());
      if (country.size() != 2) config_error(file, country_node, "[regulation." + std::string(key.str()) + "]: use an ISO 3166-1 code such as DE");
      const auto* rules = country_node.as_table();
      if (!rules) config_error(file, country_node, "[regulation." + country + "] must be a table");
      check_keys(file, *rules, {"all", "local", "mobile", "toll_free"}, "regulation." + country);
      Regulation regulation;
      if (const auto* v = rules->get("all")) regulation.all = string_list(file, *v, "all");
      if (const auto* v = rules->get("local")) regulation.local = string_list(file, *v, "local");
      if (const auto* v = rules->get("mobile")) regulation.mobile = string_list(file, *v, "mobile");
      if (const auto* v = rules->get("toll_free")) regulation.toll_free = string_list(file, *v, "toll_free");
      config.regulation[country] = regulation;
    }
  }
  return config;
}

Config load_config(const fs::path& file) {
  std::ifstream in(file, std::ios::binary);
  if (!in) fail(ErrorCategory::config, "cannot read config file " + file.string() + ": " + std::strerror(errno));
  std::stringstream buffer;
  buffer << in.rdbuf();
  return parse_config(buffer.str(), file);
}

}  // namespace numctl
