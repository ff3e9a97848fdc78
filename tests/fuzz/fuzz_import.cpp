// libFuzzer target: import files; the first byte picks CSV, JSON or NDJSON.
#include <numctl/error.hpp>
#include <numctl/import.hpp>

#include <cstdint>
#include <string_view>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size == 0) return 0;
  auto format = static_cast<numctl::ImportFormat>(data[0] % 3);
  std::string_view input(reinterpret_cast<const char*>(data + 1), size - 1);
  try {
    auto rows = numctl::parse_import(input, format);
    for (const auto& row : rows)
      if (row.number.empty()) __builtin_trap();  // a row without a number must have been refused
  } catch (const numctl::Error& error) {
    if (error.category() != numctl::ErrorCategory::invalid_input) __builtin_trap();
  }
  return 0;
}
