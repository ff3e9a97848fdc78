// Phone numbers: the checks that need no metadata live here; everything that needs
// libphonenumber is forwarded to the phone module, loaded on first use. Commands that only
// read the database (list, filter, stats, sweep, --version) never load it, so they start fast.
#include "numctl/phone.hpp"
#include "numctl/error.hpp"
#include "phone/phone_api.hpp"
#include "numctl/text.hpp"

#include <algorithm>
#include <cctype>
#include <cstdlib>
#include <dlfcn.h>
#include <exception>
#include <filesystem>
#include <functional>
#include <optional>
#include <sys/stat.h>
#include <unistd.h>

namespace numctl {
namespace {

namespace fs = std::filesystem;

// The directory of the running binary, or nothing when it cannot be read (no /proc): then
// never a path relative to the current directory, where anyone could plant a module.
std::optional<fs::path> executable_directory() {
  std::error_code ec;
  auto exe = fs::read_symlink("/proc/self/exe", ec);
  if (ec || !exe.is_absolute()) return std::nullopt;
  return exe.parent_path();
}

// Why a module file may not be loaded, or empty: code is loaded only from a regular file that
// root or this user owns and that no one else may change.
std::string unsafe_module(const fs::path& path) {
  struct stat info {};
  if (::stat(path.c_str(), &info) != 0) return "missing";
  if (!S_ISREG(info.st_mode)) return "not a regular file";
  if (info.st_mode & (S_IWGRP | S_IWOTH)) return "writable by group or others";
  if (info.st_uid != 0 && info.st_uid != ::geteuid()) return "owned by another user";
  return {};
}

// $NUMCTL_PHONE_MODULE (an absolute path), else the installed layout next to the binary, else
// the installed library directory, else (only for programs in the build tree) the module just
// built.
const PhoneApi* load_module() {
  std::vector<fs::path> candidates;
  if (const char* env = std::getenv("NUMCTL_PHONE_MODULE"); env && *env) {
    fs::path chosen(env);
    if (!chosen.is_absolute())
      fail(ErrorCategory::invalid_input, "NUMCTL_PHONE_MODULE='" + std::string(env) + "' must be an absolute path");
    if (auto why = unsafe_module(chosen); !why.empty())
      fail(ErrorCategory::invalid_input, "NUMCTL_PHONE_MODULE='" + std::string(env) + "' is " + why +
                                             "; numctl loads code only from a file root or you own and no one else can change");
    candidates.push_back(chosen);
  }
  auto executable = executable_directory();
  fs::path directory = executable.value_or(fs::path());
  if (executable) candidates.push_back(*executable / NUMCTL_PHONE_MODULE_RELATIVE);
  candidates.emplace_back(NUMCTL_PHONE_MODULE_INSTALLED);
  // Programs inside the build tree (numctl, tests, fuzzers) use the module built beside them;
  // an installed numctl never does, so a broken installation cannot hide behind the build.
  if (executable && directory.string().starts_with(NUMCTL_BUILD_ROOT)) candidates.emplace_back(NUMCTL_PHONE_MODULE_BUILD_PATH);
  std::string tried;
  for (const auto& path : candidates) {
    if (auto why = unsafe_module(path); !why.empty()) {
      tried += (tried.empty() ? "" : ", ") + path.string() + " (" + why + ")";
      continue;
    }
    void* handle = ::dlopen(path.c_str(), RTLD_NOW | RTLD_LOCAL);
    if (handle == nullptr) {
      tried += (tried.empty() ? "" : ", ") + path.string();
      continue;
    }
    auto entry = reinterpret_cast<const PhoneApi* (*)()>(::dlsym(handle, "numctl_phone_api"));
    if (entry != nullptr && entry()->version == phone_api_version) return entry();
    tried += (tried.empty() ? "" : ", ") + path.string() + " (wrong version)";
  }
  fail(ErrorCategory::internal,
       "cannot load numctl's phone module (tried " + tried + "); reinstall numctl or set NUMCTL_PHONE_MODULE");
}

// The module, loaded once. A failure is kept too: an import asks once per row, and looking for a
// missing module a million times took 36 s before the error came.
const PhoneApi& api() {
  static const auto loaded = []() -> std::pair<const PhoneApi*, std::optional<Error>> {
    try {
      return {load_module(), std::nullopt};
    } catch (const Error& error) {
      return {nullptr, error};
    }
  }();
  if (loaded.first == nullptr) throw *loaded.second;
  return *loaded.first;
}

}  // namespace

bool looks_like_e164(std::string_view text) {
  // libphonenumber accepts national numbers of up to 17 digits after a calling code of up to
  // 3, beyond E.164's 15 (some German lines), and some with only 4; whatever it formats
  // must pass this check.
  if (text.size() < 5 || text.size() > 21 || text.front() != '+' || text[1] == '0') return false;
  return std::all_of(text.begin() + 1, text.end(), [](char c) { return std::isdigit(static_cast<unsigned char>(c)); });
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

std::string query_e164_prefix(std::string_view text) {
  text = text::trim(text);
  if (!text.starts_with('+') && !text.starts_with("00")) return {};
  std::string without_trunk(text);
  for (auto at = without_trunk.find("(0)"); at != std::string::npos; at = without_trunk.find("(0)")) without_trunk.erase(at, 3);
  std::string digits = query_digits(without_trunk);
  return digits.empty() ? std::string() : "+" + digits;
}

namespace {

// Calls the module and throws, on numctl's side, the error it left (see PhoneApi).
template <typename Function, typename... Args>
auto call(Function function, Args&&... args) {
  auto result = (api().*function)(std::forward<Args>(args)...);
  if (const PhoneFailure* failed = api().failure()) throw Error(failed->category, failed->message);
  return result;
}

}  // namespace

ParsedNumber parse_phone_number(std::string_view input, const std::optional<std::string>& region) {
  return call(&PhoneApi::parse, input, region);
}

ParsedNumber parse_phone_number_in_bulk(std::string_view input, const std::optional<std::string>& region) {
  return call(&PhoneApi::parse_in_bulk, input, region);
}

bool answered_by_compiled_metadata(std::string_view e164) { return call(&PhoneApi::answered_by_compiled_metadata, e164); }

std::string national_significant_digits(std::string_view e164) { return call(&PhoneApi::national_significant_digits, e164); }
bool is_known_country(std::string_view iso_code) { return call(&PhoneApi::is_known_country, iso_code); }
std::vector<std::string> known_countries() { return call(&PhoneApi::known_countries); }
std::string country_name(std::string_view iso_code) { return call(&PhoneApi::country_name, iso_code); }

std::vector<std::string> generate_numbers(std::string_view country, NumberType type, std::string_view base_national,
                                          std::string_view contains, const std::function<bool(const std::string&)>& accept,
                                          std::size_t wanted, std::size_t max_tries) {
  // What `accept` throws is caught here, on numctl's side, and thrown again once the module has
  // returned; meanwhile every candidate is refused, so the module stops at max_tries.
  std::exception_ptr thrown;
  std::function<bool(const std::string&)> guarded = [&](const std::string& number) {
    if (thrown) return false;
    try {
      return accept(number);
    } catch (...) {
      thrown = std::current_exception();
      return false;
    }
  };
  auto numbers = call(&PhoneApi::generate, country, type, base_national, contains, guarded, wanted, max_tries);
  if (thrown) std::rethrow_exception(thrown);
  return numbers;
}

}  // namespace numctl
