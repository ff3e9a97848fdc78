// libFuzzer target: import files and reputation feeds (the same row reader, two schemas); the
// first byte picks CSV, JSON or NDJSON.
#include <numctl/error.hpp>
#include <numctl/import.hpp>
#include <numctl/reputation.hpp>

#include <cstdint>
#include <string_view>

namespace {

template <typename Parse>
void expect_rows_or_invalid_input(Parse&& parse) {
  try {
    parse();
  } catch (const numctl::Error& error) {
    if (error.category() != numctl::ErrorCategory::invalid_input) __builtin_trap();
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size == 0) return 0;
  auto format = static_cast<numctl::ImportFormat>(data[0] % 3);
  std::string_view input(reinterpret_cast<const char*>(data + 1), size - 1);
  expect_rows_or_invalid_input([&] {
    for (const auto& row : numctl::parse_import(input, format))
      if (row.number.empty()) __builtin_trap();  // a row without a number must have been refused
  });
  expect_rows_or_invalid_input([&] {
    for (const auto& row : numctl::parse_readings(input, format))
      if (row.number.empty() || (!row.score && !row.risk)) __builtin_trap();  // refused, not read
  });
  return 0;
}
