// libFuzzer target: filter and search arguments (statuses, types, countries, sort, query, dates).
#include <numctl/clock.hpp>
#include <numctl/error.hpp>
#include <numctl/phone.hpp>
#include <numctl/query.hpp>

#include <cstdint>
#include <string_view>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  std::string_view input(reinterpret_cast<const char*>(data), size);
  auto guard = [](auto&& parse) {
    try {
      parse();
    } catch (const numctl::Error& error) {
      if (error.category() != numctl::ErrorCategory::invalid_input) __builtin_trap();
    }
  };
  guard([&] { (void)numctl::parse_status_list(input); });
  guard([&] { (void)numctl::parse_type_list(input); });
  guard([&] { (void)numctl::parse_country_list(input.substr(0, 64)); });
  guard([&] { (void)numctl::parse_sort(input); });
  if (auto at = numctl::parse_iso8601(input)) {
    // Whatever is accepted prints as a canonical time that parses back to the same instant.
    if (numctl::parse_iso8601(numctl::format_iso8601(*at)) != at) __builtin_trap();
  }
  (void)numctl::query_digits(input);
  return 0;
}
