// Names and small rules of porting: order states, references, addresses, masked secrets.
#include "numctl/porting.hpp"
#include "numctl/error.hpp"
#include "numctl/text.hpp"
#include "util/names.hpp"

#include <array>
#include <charconv>

namespace numctl {
namespace {
constexpr std::array<std::string_view, 6> port_state_names{"creating",  "submitted", "foc_confirmed",
                                                           "exception", "ported",    "cancelled"};
}  // namespace

std::string_view to_string(PortState state) { return name_in(port_state_names, state); }
std::optional<PortState> parse_port_state(std::string_view name) { return parse_named<PortState>(port_state_names, name); }

bool port_open(PortState state) { return state != PortState::ported && state != PortState::cancelled; }

PortAddress parse_port_address(std::string_view text, const std::string& country) {
  std::vector<std::string> parts;
  for (const auto& part : text::split(text, ',')) parts.emplace_back(text::trim(part));
  bool blank = false;
  for (const auto& part : parts) blank = blank || part.empty();
  if ((parts.size() != 4 && parts.size() != 5) || blank)
    fail(ErrorCategory::invalid_input,
         "--address must read \"STREET, CITY, REGION, POSTAL CODE[, COUNTRY]\" as the losing carrier has it (e.g. "
         "\"1 Main St, Springfield, IL, 62701\"); got \"" +
             std::string(text) + "\"");
  PortAddress address{parts[0], parts[1], parts[2], parts[3], parts.size() == 5 ? text::upper(parts[4]) : country};
  return address;
}

std::string port_reference(std::int64_t id) { return "port-" + std::to_string(id); }

std::optional<std::int64_t> parse_port_reference(std::string_view text) {
  if (text.starts_with("port-")) text.remove_prefix(5);
  std::int64_t id = 0;
  auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), id);
  if (error != std::errc() || end != text.data() + text.size() || id <= 0) return std::nullopt;
  return id;
}

std::string mask_secret(std::string_view secret) {
  if (secret.empty()) return "";
  if (secret.size() <= 4) return std::string(secret.size(), '*');
  return std::string(secret.size() - 2, '*') + std::string(secret.substr(secret.size() - 2));
}

}  // namespace numctl
