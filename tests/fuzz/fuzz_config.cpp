// libFuzzer target: configuration files.
#include <numctl/config.hpp>
#include <numctl/error.hpp>

#include <cstdint>
#include <string_view>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  std::string_view input(reinterpret_cast<const char*>(data), size);
  try {
    auto config = numctl::parse_config(input, "/fuzz/config.toml");
    (void)config.required_documents_for("DE", numctl::NumberType::local);
  } catch (const numctl::Error& error) {
    if (error.category() != numctl::ErrorCategory::config) __builtin_trap();
  }
  return 0;
}
