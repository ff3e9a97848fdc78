// Phone numbers: the checks that need no metadata live here; everything that needs
// libphonenumber is forwarded to the phone module, loaded on first use. Commands that only
// read the database (list, filter, stats, sweep, --version) never load it, so they start fast.
#include "numctl/phone.hpp"
#include "numctl/error.hpp"
#include "phone_api.hpp"
#include "numctl/text.hpp"

#include <algorithm>
#include <cctype>
#include <cstdlib>
#include <dlfcn.h>
#include <filesystem>
#include <unistd.h>

namespace numctl {
namespace {

std::filesystem::path executable_directory() {
  std::error_code ec;
  auto exe = std::filesystem::read_symlink("/proc/self/exe", ec);
  return ec ? std::filesystem::path() : exe.parent_path();
}

// $NUMCTL_PHONE_MODULE, else the installed layout next to the binary, else (only for programs
// in the build tree) the module just built.
const PhoneApi& api() {
  static const PhoneApi* loaded = [] {
    std::vector<std::filesystem::path> candidates;
    if (const char* env = std::getenv("NUMCTL_PHONE_MODULE"); env && *env) candidates.emplace_back(env);
    auto directory = executable_directory();
    candidates.push_back(directory / NUMCTL_PHONE_MODULE_RELATIVE);
    // Programs inside the build tree (numctl, tests, fuzzers) use the module built beside them;
    // an installed numctl never does, so a broken installation cannot hide behind the build.
    if (directory.string().starts_with(NUMCTL_BUILD_ROOT)) candidates.emplace_back(NUMCTL_PHONE_MODULE_BUILD_PATH);
    std::string tried;
    for (const auto& path : candidates) {
      void* handle = ::dlopen(path.c_str(), RTLD_NOW | RTLD_LOCAL);
      if (handle == nullptr) {
        tried += (tried.empty() ? "" : ", ") + path.string();
        continue;
      }
      auto entry = reinterpret_cast<const PhoneApi* (*)()>(::dlsym(handle, "numctl_phone_api"));
      if (entry != nullptr && entry()->version == phone_api_version) return entry();
      tried += (tried.empty() ? "" : ", ") + path.string() + " (wrong version)";
    }
    fail(ErrorCategory::internal, "cannot load numctl's phone module (tried " + tried +
                                      "); reinstall numctl or set NUMCTL_PHONE_MODULE");
  }();
  return *loaded;
}

}  // namespace

bool looks_like_e164(std::string_view text) {
  // libphonenumber accepts national numbers of up to 17 digits after a calling code of up to
  // 3, beyond E.164's 15 (some German lines), and some with only 4; whatever it formats
  // must pass this check.
  if (text.size() < 5 || text.size() > 21 || text.front() != '+' || text[1] == '0') return false;
  return std::all_of(text.begin() + 1, text.end(),
                     [](char c) { return std::isdigit(static_cast<unsigned char>(c)); });
}

std::string query_digits(std::string_view text) {
  text = text::trim(text);
  std::string digits;
  for (char c : text) {
    if (std::isdigit(static_cast<unsigned char>(c))) digits += c;
  }
  if (!text.empty() && text.front() != '+' && digits.starts_with("00") && digits.size() > 2 &&
      text::trim(text).substr(0, 2) == "00")
    digits.erase(0, 2);
  return digits;
}

ParsedNumber parse_phone_number(std::string_view input, const std::optional<std::string>& region) {
  return api().parse(input, region);
}

ParsedNumber parse_phone_number_in_bulk(std::string_view input, const std::optional<std::string>& region) {
  return api().parse_in_bulk(input, region);
}

bool answered_by_compiled_metadata(std::string_view e164) { return api().answered_by_compiled_metadata(e164); }

std::string national_significant_digits(std::string_view e164) { return api().national_significant_digits(e164); }
bool is_known_country(std::string_view iso_code) { return api().is_known_country(iso_code); }
std::vector<std::string> known_countries() { return api().known_countries(); }
std::string country_name(std::string_view iso_code) { return api().country_name(iso_code); }

std::vector<std::string> generate_numbers(std::string_view country, NumberType type, std::string_view base_national,
                                          std::string_view contains,
                                          const std::function<bool(const std::string&)>& accept, std::size_t wanted,
                                          std::size_t max_tries) {
  return api().generate(country, type, base_national, contains, accept, wanted, max_tries);
}

}  // namespace numctl
