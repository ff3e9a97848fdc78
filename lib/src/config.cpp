// Reading the TOML configuration over built-in defaults, and locating files the XDG way.
#include "numctl/config.hpp"
#include "config_read.hpp"
#include "numctl/money.hpp"
#include "numctl/phone.hpp"
#include "numctl/error.hpp"
#include "numctl/text.hpp"
#include "util/names.hpp"
#include "util/toml_text.hpp"

#include <toml++/toml.h>

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <set>
#include <sstream>

namespace numctl {
namespace fs = std::filesystem;

namespace {

using config_read::check_keys;
using config_read::config_error;
using config_read::positive_int;
using config_read::string_list;
using config_read::string_value;
using config_read::where;

std::optional<std::string> env(const char* name) {
  const char* value = std::getenv(name);
  if (value == nullptr || *value == '\0') return std::nullopt;
  return std::string(value);
}

fs::path home() { return env("HOME").value_or("/"); }

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
  append_unique(kinds, it->second.of(type));
  return kinds;
}

bool Config::requires_documents(std::string_view country, NumberType type) const {
  auto it = regulation.empty() ? regulation.end() : regulation.find(text::upper(country));
  return it != regulation.end() && (!it->second.all.empty() || !it->second.of(type).empty());
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
  config.database = DatabaseLocation::file(default_database_path());
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

namespace {

// The config's tables, each read by its own function, in the order their errors are found.
// [provider.countries.DE] address_sid = "AD…"; [provider.countries.DE.local] for one type.
void read_order_settings(const fs::path& file, const toml::node& v, ProviderSettings& provider) {
  const auto* countries = v.as_table();
  if (!countries) config_error(file, v, "[provider.countries] must hold one table per country, e.g. [provider.countries.DE]");
  auto settings = [&](const toml::table& t) {
    OrderSettings s;
    if (const auto* x = t.get("address_sid")) s.address_sid = string_value(file, *x, "address_sid");
    if (const auto* x = t.get("bundle_sid")) s.bundle_sid = string_value(file, *x, "bundle_sid");
    if (const auto* x = t.get("requirement_group_id")) s.requirement_group_id = string_value(file, *x, "requirement_group_id");
    return s;
  };
  for (const auto& [key, country_node] : *countries) {
    std::string country = text::upper(key.str());
    std::string where = "provider.countries." + std::string(key.str());
    if (country.size() != 2) config_error(file, country_node, "[" + where + "]: use an ISO 3166-1 code such as DE");
    const auto* t = country_node.as_table();
    if (!t) config_error(file, country_node, "[" + where + "] must be a table");
    check_keys(file, *t, {"address_sid", "bundle_sid", "requirement_group_id", "local", "mobile", "toll_free"}, where);
    provider.orders[country] = settings(*t);
    for (const char* type : {"local", "mobile", "toll_free"})
      if (const auto* sub_node = t->get(type)) {
        const auto* st = sub_node->as_table();
        if (!st) config_error(file, *sub_node, "[" + where + "." + type + "] must be a table");
        check_keys(file, *st, {"address_sid", "bundle_sid", "requirement_group_id"}, where + "." + type);
        provider.orders[country + "." + type] = settings(*st);
      }
  }
}

void read_database(const fs::path& file, const toml::node& /*node*/, const toml::table& table, Config& config) {
  check_keys(file, table, {"path", "url", "read_url"}, "database");
  if (const auto* read = table.get("read_url")) {
    auto server = DatabaseLocation::server(string_value(file, *read, "read_url"));
    if (!server || !table.get("url"))
      config_error(file, *read, "[database] read_url names a PostgreSQL server to read from (a standby), beside url");
    config.database_read_url = server->text;
  }
  if (const auto* path = table.get("path"))
    config.database = DatabaseLocation::file(resolve_path(string_value(file, *path, "path"), file));
  if (const auto* url = table.get("url")) {
    if (table.get("path")) config_error(file, *url, "[database] has both path (a SQLite file) and url (PostgreSQL): keep one");
    auto server = DatabaseLocation::server(string_value(file, *url, "url"));
    if (!server)
      config_error(file, *url,
                   "[database] url must be a PostgreSQL URL (postgresql://user@host/dbname) or a libpq keyword "
                   "string (host=... dbname=...)");
    config.database = *server;
  }
}

void read_lifecycle(const fs::path& file, const toml::node& /*node*/, const toml::table& table, Config& config) {
  check_keys(file, table, {"cancellation_grace_days", "pending_expiry_days"}, "lifecycle");
  if (const auto* v = table.get("cancellation_grace_days"))
    config.cancellation_grace_days = positive_int(file, *v, "cancellation_grace_days", 3650);
  if (const auto* v = table.get("pending_expiry_days"))
    config.pending_expiry_days = positive_int(file, *v, "pending_expiry_days", 3650);
}

void read_documents(const fs::path& file, const toml::node& /*node*/, const toml::table& table, Config& config) {
  check_keys(file, table, {"max_size_mb"}, "documents");
  if (const auto* v = table.get("max_size_mb"))
    config.document_max_bytes = std::uint64_t(positive_int(file, *v, "max_size_mb", 1024)) * 1024 * 1024;
}

void read_provider(const fs::path& file, const toml::node& node, const toml::table& table, Config& config) {
  check_keys(file, table,
             {"kind", "file", "base_url", "numbers_base_url", "numbers_upload_base_url", "allow_insecure_http", "timeout_s",
              "concurrency", "credentials_file", "countries"},
             "provider");
  auto& provider = config.provider;
  if (const auto* v = table.get("kind")) {
    auto kind = parse_provider_kind(text::lower(string_value(file, *v, "kind")));
    if (!kind) config_error(file, *v, "[provider] kind must be \"catalog\", \"inventory\", \"twilio\" or \"telnyx\"");
    provider.kind = *kind;
  }
  if (const auto* v = table.get("file")) provider.file = resolve_path(string_value(file, *v, "file"), file);
  if (provider.kind == ProviderKind::inventory && !provider.file)
    config_error(file, node, "[provider] kind = \"inventory\" needs file = \"numbers.csv\"");
  // Where the carrier is reached: base_url serves every host of the carrier (a proxy, the
  // tests); Twilio's Regulatory Compliance (numbers.twilio.com) and its uploads
  // (numbers-upload.twilio.com) may each be pointed elsewhere.
  auto read_url = [&](const char* key, std::optional<std::string>& into) {
    const auto* v = table.get(key);
    if (!v) return;
    into = string_value(file, *v, key);
    while (!into->empty() && into->back() == '/') into->pop_back();
    if (!into->starts_with("https://") && !into->starts_with("http://"))
      config_error(file, *v, fmt::format("[provider] {} must start with https:// (or http:// for a local proxy)", key));
  };
  read_url("base_url", provider.base_url);
  read_url("numbers_base_url", provider.numbers_base_url);
  read_url("numbers_upload_base_url", provider.numbers_upload_base_url);
  if (const auto* insecure = table.get("allow_insecure_http")) {
    auto allowed = insecure->value<bool>();
    if (!allowed) config_error(file, *insecure, "[provider] allow_insecure_http must be true or false");
    provider.allow_insecure_http = *allowed;
  }
  // Credentials go with every request: in clear text only as far as this machine.
  if (auto insecure = provider.insecure_url(); insecure && !provider.allow_insecure_http)
    config_error(file, *table.get(insecure->first),
                 fmt::format("[provider] {} sends the carrier's credentials in clear text over http:// to {}: use "
                             "https://, or http:// only for a loopback address (127.0.0.1, localhost, ::1); "
                             "allow_insecure_http = true overrides this",
                             insecure->first, text::url_host(insecure->second)));
  if (const auto* v = table.get("timeout_s")) provider.timeout_s = positive_int(file, *v, "timeout_s", 300);
  if (const auto* v = table.get("concurrency")) provider.concurrency = positive_int(file, *v, "concurrency", 64);
  if (const auto* v = table.get("credentials_file"))
    provider.credentials_file = resolve_path(string_value(file, *v, "credentials_file"), file);
  if (const auto* v = table.get("countries")) read_order_settings(file, *v, provider);
}

void read_reputation(const fs::path& file, const toml::node& node, const toml::table& table, Config& config) {
  check_keys(file, table, {"flag_at", "clear_below", "clear_after", "max_age_days", "risk_scores"}, "reputation");
  auto& policy = config.reputation;
  if (const auto* v = table.get("flag_at")) policy.flag_at = positive_int(file, *v, "flag_at", 100);
  if (const auto* v = table.get("clear_below")) policy.clear_below = positive_int(file, *v, "clear_below", 100);
  if (const auto* v = table.get("clear_after")) policy.clear_after = positive_int(file, *v, "clear_after", 100);
  if (const auto* v = table.get("max_age_days")) policy.max_age_days = positive_int(file, *v, "max_age_days", 3650);
  // Hysteresis needs a gap: a score between the two thresholds keeps the number as it is.
  if (policy.clear_below > policy.flag_at)
    config_error(file, node,
                 "[reputation] clear_below (" + std::to_string(policy.clear_below) + ") must not be above flag_at (" +
                     std::to_string(policy.flag_at) + ")");
  if (policy.clear_after < 1) config_error(file, node, "[reputation] clear_after must be at least 1");
  if (policy.max_age_days < 1) config_error(file, node, "[reputation] max_age_days must be at least 1");
  if (const auto* v = table.get("risk_scores")) {
    const auto* scores = v->as_table();
    if (!scores) config_error(file, *v, "[reputation] risk_scores must be a table: { low = 10, medium = 50, high = 90 }");
    check_keys(file, *scores, {"low", "medium", "high"}, "reputation.risk_scores");
    for (const auto& [key, score] : *scores)
      policy.risk_scores[std::string(key.str())] = positive_int(file, score, std::string(key.str()), 100);
  }
}

void read_regulation(const fs::path& file, const toml::node& /*node*/, const toml::table& table, Config& config) {
  for (const auto& [key, country_node] : table) {
    std::string country = text::upper(key.str());
    if (country.size() != 2)
      config_error(file, country_node, "[regulation." + std::string(key.str()) + "]: use an ISO 3166-1 code such as DE");
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

void read_prices(const fs::path& file, const toml::node& /*node*/, const toml::table& table, Config& config) {
  for (const auto& [key, country_node] : table) {
    std::string country = text::upper(key.str());
    if (country.size() != 2)
      config_error(file, country_node, "[prices." + std::string(key.str()) + "]: use an ISO 3166-1 code such as US");
    const auto* list = country_node.as_table();
    if (!list) config_error(file, country_node, "[prices." + country + "] must be a table");
    check_keys(file, *list, {"currency", "local", "mobile", "toll_free"}, "prices." + country);
    const auto* currency_node = list->get("currency");
    if (!currency_node) config_error(file, country_node, "[prices." + country + "] needs currency = \"USD\" (an ISO 4217 code)");
    auto currency = parse_currency(string_value(file, *currency_node, "currency"));
    if (!currency) config_error(file, *currency_node, "[prices." + country + "] currency must be an ISO 4217 code such as USD");
    CountryPrices prices{.currency = *currency, .monthly = {}};
    for (NumberType type : all_number_types) {
      const auto* v = list->get(to_string(type));
      if (!v) continue;
      auto amount = parse_amount(string_value(file, *v, std::string(to_string(type))), *currency);
      if (!amount)
        config_error(file, *v,
                     fmt::format("[prices.{}] {} must be a decimal string such as \"1.20\" (the monthly price in {})", country,
                                 to_string(type), *currency));
      prices.monthly[type] = *amount;
    }
    config.prices[country] = std::move(prices);
  }
}

void read_usage(const fs::path& file, const toml::node& /*node*/, const toml::table& table, Config& config) {
  check_keys(file, table, {"keep_days", "idle_days", "report_above"}, "usage");
  if (const auto* v = table.get("keep_days")) config.usage.keep_days = positive_int(file, *v, "keep_days", 3650);
  if (const auto* v = table.get("idle_days")) config.usage.idle_days = positive_int(file, *v, "idle_days", 3650);
  if (const auto* v = table.get("report_above")) {
    auto text = string_value(file, *v, "report_above");
    if (!parse_amount(text, "USD"))
      config_error(file, *v, "[usage] report_above must be a decimal string such as \"10.00\" (an amount per month)");
    config.usage.report_above = text;
  }
}

void read_emergency(const fs::path& file, const toml::node& /*node*/, const toml::table& table, Config& config) {
  check_keys(file, table, {"countries"}, "emergency");
  const auto* v = table.get("countries");
  if (!v) return;
  config.emergency.countries.clear();
  for (auto country : string_list(file, *v, "countries")) {
    country = text::upper(country);
    if (!is_known_country(country))
      config_error(file, *v, "[emergency] countries must be ISO 3166-1 codes such as US; " + country + " is not one");
    config.emergency.countries.push_back(country);
  }
}

struct Section {
  std::string_view name;
  std::string_view not_a_table;
  void (*read)(const fs::path& file, const toml::node& node, const toml::table& table, Config& config);
};
constexpr Section sections[] = {
    {"database", "[database] must be a table", read_database},
    {"lifecycle", "[lifecycle] must be a table", read_lifecycle},
    {"documents", "[documents] must be a table", read_documents},
    {"provider", "[provider] must be a table", read_provider},
    {"reputation", "[reputation] must be a table", read_reputation},
    {"regulation", "[regulation] must hold one table per country, e.g. [regulation.DE]", read_regulation},
    {"prices", "[prices] must hold one table per country, e.g. [prices.US]", read_prices},
    {"usage", "[usage] must be a table", read_usage},
    {"emergency", "[emergency] must be a table", read_emergency},
};

}  // namespace

Config parse_config(std::string_view toml_text, const fs::path& file) {
  Config config = default_config();
  config.source = file;
  AsciiToml ascii = ascii_toml(toml_text);
  if (ascii.bad_line)
    fail(ErrorCategory::config, file.string() + ":" + std::to_string(*ascii.bad_line) +
                                    ": a non-ASCII character outside a string or comment, or text that is not UTF-8");
  toml::table root;
  try {
    root = toml::parse(ascii.text, file.string());
  } catch (const toml::parse_error& error) {
    fail(ErrorCategory::config, where(file, error.source()) + ": " + std::string(error.description()));
  }
  check_keys(file, root,
             {"database", "default_region", "lifecycle", "regulation", "provider", "documents", "reputation", "prices", "usage",
              "emergency"},
             "");
  if (const auto* node = root.get("default_region")) {
    std::string region = text::upper(string_value(file, *node, "default_region"));
    if (region.size() != 2) config_error(file, *node, "'default_region' must be an ISO 3166-1 code such as DE or US");
    config.default_region = region;
  }
  for (const auto& section : sections)
    if (const auto* node = root.get(section.name)) {
      const auto* table = node->as_table();
      if (!table) config_error(file, *node, std::string(section.not_a_table));
      section.read(file, *node, *table, config);
    }
  return config;
}

namespace {
constexpr std::array<std::string_view, 4> provider_kind_names{"catalog", "inventory", "twilio", "telnyx"};
}  // namespace

std::string_view to_string(ProviderKind kind) { return name_in(provider_kind_names, kind); }

std::optional<ProviderKind> parse_provider_kind(std::string_view name) {
  return parse_named<ProviderKind>(provider_kind_names, name);
}

std::optional<std::pair<std::string, std::string>> ProviderSettings::insecure_url() const {
  for (const auto& [key, url] : {std::pair{"base_url", &base_url}, std::pair{"numbers_base_url", &numbers_base_url},
                                 std::pair{"numbers_upload_base_url", &numbers_upload_base_url}}) {
    if (!*url || !(*url)->starts_with("http://")) continue;
    std::string host = text::url_host(**url);
    if (!(host == "localhost" || host == "::1" || host.starts_with("127."))) return std::pair{std::string(key), **url};
  }
  return std::nullopt;
}

std::optional<std::string> ProviderSettings::shown_base_url() const {
  if (!base_url) return std::nullopt;
  return text::url_without_password(*base_url);
}

OrderSettings ProviderSettings::order_settings(const std::string& country, std::string_view type) const {
  OrderSettings out;
  if (auto it = orders.find(country); it != orders.end()) out = it->second;
  if (auto it = orders.find(country + "." + std::string(type)); it != orders.end()) {
    if (it->second.address_sid) out.address_sid = it->second.address_sid;
    if (it->second.bundle_sid) out.bundle_sid = it->second.bundle_sid;
    if (it->second.requirement_group_id) out.requirement_group_id = it->second.requirement_group_id;
  }
  return out;
}

Config load_config(const fs::path& file) {
  std::ifstream in(file, std::ios::binary);
  if (!in) fail(ErrorCategory::config, "cannot read config file " + file.string() + ": " + std::strerror(errno));
  std::stringstream buffer;
  buffer << in.rdbuf();
  return parse_config(buffer.str(), file);
}

}  // namespace numctl
