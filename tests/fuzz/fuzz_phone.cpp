// libFuzzer target: number parsing as operators type it, with and without a region, and the
// bulk path (libphonenumber's metadata compiled by RE2) held to libphonenumber's answers.
#include <numctl/error.hpp>
#include <numctl/phone.hpp>

#include <cstdint>
#include <string_view>

namespace {

std::string verdict(std::string_view input, bool bulk) {
  try {
    auto p = bulk ? numctl::parse_phone_number_in_bulk(input, std::nullopt) : numctl::parse_phone_number(input, std::nullopt);
    return p.e164 + "|" + p.display + "|" + p.national_digits + "|" + p.country + "|" + p.type_detail;
  } catch (const numctl::Error& error) {
    return error.what();
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  std::string_view input(reinterpret_cast<const char*>(data), size);
  for (const auto& region : {std::optional<std::string>{}, std::optional<std::string>{"DE"}}) {
    try {
      auto parsed = numctl::parse_phone_number(input, region);
      // A parsed number must be canonical and parse back to itself.
      if (!numctl::looks_like_e164(parsed.e164)) __builtin_trap();
      if (numctl::parse_phone_number(parsed.e164, std::nullopt).e164 != parsed.e164) __builtin_trap();
    } catch (const numctl::Error&) {
    }
  }
  if (verdict(input, true) != verdict(input, false)) __builtin_trap();
  (void)numctl::query_digits(input);
  return 0;
}
