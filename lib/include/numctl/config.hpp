// Settings from the TOML file (or built-in defaults): where the data lives and the rules' parameters.
#pragma once

#include "numctl/domain.hpp"
#include "numctl/location.hpp"

#include <cstdint>
#include <filesystem>
#include <map>
#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace numctl {

// Document kinds a country's regulator asks for before a number may be used, per number type.
struct Regulation {
  std::vector<std::string> all;
  std::vector<std::string> local;
  std::vector<std::string> mobile;
  std::vector<std::string> toll_free;
  const std::vector<std::string>& of(NumberType type) const {
    return type == NumberType::local ? local : type == NumberType::mobile ? mobile : toll_free;
  }
};

// What a carrier needs with an order where a regulator asks for it: Twilio's AddressSid and
// BundleSid, Telnyx's requirement group. Per country, optionally per type.
struct OrderSettings {
  std::optional<std::string> address_sid, bundle_sid, requirement_group_id;
};

// Where numbers come from: the built-in catalog, an inventory file, or a carrier's API.
enum class ProviderKind : std::uint8_t { catalog, inventory, twilio, telnyx };
std::string_view to_string(ProviderKind kind);
std::optional<ProviderKind> parse_provider_kind(std::string_view name);

struct ProviderSettings {
  ProviderKind kind = ProviderKind::catalog;
  std::optional<std::filesystem::path> file;  // inventory CSV
  std::optional<std::string> base_url;        // a carrier's API, every host of it (default: the carrier's own); proxies, tests
  // Twilio's Regulatory Compliance host (numbers.twilio.com) and its uploads host
  // (numbers-upload.twilio.com), when not base_url's.
  std::optional<std::string> numbers_base_url, numbers_upload_base_url;
  // http:// is for loopback (a local proxy, the tests); elsewhere only with this set, warned about.
  bool allow_insecure_http = false;
  int timeout_s = 10;                    // per HTTP attempt
  int concurrency = 4;                   // carrier calls in flight at once (sweep)
  std::optional<std::filesystem::path> credentials_file;  // KEY=VALUE lines, mode 0600
  // "DE" -> settings for every type, "DE.local" -> for local numbers only (wins).
  std::map<std::string, OrderSettings> orders;

  bool remote() const { return kind == ProviderKind::twilio || kind == ProviderKind::telnyx; }
  // Credentials would cross a network in clear text: http:// to a host other than loopback. The
  // setting (base_url, ...) and its URL.
  std::optional<std::pair<std::string, std::string>> insecure_url() const;
  bool insecure() const { return insecure_url().has_value(); }
  // base_url for messages, its password masked.
  std::optional<std::string> shown_base_url() const;
  OrderSettings order_settings(const std::string& country, std::string_view type) const;
};

// How reputation readings turn a number red and back ([reputation]). A fresh reading (checked
// within max_age_days) scoring flag_at or more flags an active number; a number the policy
// flagged is unflagged after clear_after consecutive fresh readings below clear_below. Scores run
// 0-100, higher is spammier; a feed that gives only a risk level is scored by risk_scores.
struct ReputationPolicy {
  int flag_at = 70;
  int clear_below = 30;
  int clear_after = 3;
  int max_age_days = 7;
  std::map<std::string, int> risk_scores{{"low", 10}, {"medium", 50}, {"high", 90}};
};

// What numbers of a country cost a month with the offline providers ([prices.CC]), in minor
// units of its currency, per type; a type without a price is absent.
struct CountryPrices {
  std::string currency;
  std::map<NumberType, std::int64_t> monthly;
};

// Call records and idle numbers ([usage]): how many days of calls are kept per day and number,
// the silence that makes a number idle, and the monthly amount (in each currency) of idle numbers
// above which `due` mentions them (empty: never).
struct UsageSettings {
  int keep_days = 90;
  int idle_days = 90;
  std::optional<std::string> report_above;
};

// Emergency calling ([emergency]): the countries whose numbers must register an emergency
// address before they make calls (the gap report's scope).
struct EmergencySettings {
  std::vector<std::string> countries{"US", "CA"};
};

struct Config {
  std::optional<std::filesystem::path> source;  // the file read, if any
  // The SQLite file ([database] path, the XDG default), or a PostgreSQL inventory shared by
  // several machines ([database] url, or NUMCTL_DATABASE_URL).
  DatabaseLocation database;
  // PostgreSQL: a server commands that only read go to (a standby); see Store::OpenOptions.
  std::optional<std::string> database_read_url;
  std::optional<std::string> default_region;
  int cancellation_grace_days = 30;
  int pending_expiry_days = 30;
  std::uint64_t document_max_bytes = 20ull * 1024 * 1024;
  std::map<std::string, Regulation> regulation;  // by ISO country code, upper case
  ProviderSettings provider;
  ReputationPolicy reputation;
  std::map<std::string, CountryPrices> prices;  // by ISO country code, upper case
  UsageSettings usage;
  EmergencySettings emergency;

  // Union of the country's "all" kinds and its kinds for this type, without repeats, in order.
  std::vector<std::string> required_documents_for(std::string_view country, NumberType type) const;
  // Whether that union is not empty, asked of every row of a bulk import: nothing is copied.
  bool requires_documents(std::string_view country, NumberType type) const;
};

// Where the configuration is looked for: --config, else $NUMCTL_CONFIG, else XDG; the flag wins.
std::optional<std::filesystem::path> locate_config(const std::optional<std::filesystem::path>& flag);
// Built-in defaults, including the regulation numctl knows for a few countries.
Config default_config();
// Reads a TOML file over the defaults; malformed files raise a config error naming file:line:column.
Config load_config(const std::filesystem::path& file);
Config parse_config(std::string_view toml_text, const std::filesystem::path& name_for_errors);
// $XDG_DATA_HOME/numctl/numbers.db (default ~/.local/share/...).
std::filesystem::path default_database_path();

}  // namespace numctl
