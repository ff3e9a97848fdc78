// Names and small rules of emergency addresses and caller ID: registration statuses, what an
// address needs, what a CNAM listing may hold.
#include "numctl/emergency.hpp"
#include "numctl/phone.hpp"
#include "numctl/text.hpp"
#include "util/names.hpp"

namespace numctl {
namespace {
constexpr std::array<std::string_view, 4> emergency_status_names{"none", "pending", "registered", "failed"};
constexpr std::size_t cnam_length = 15;
}  // namespace

std::string_view to_string(EmergencyStatus status) { return name_in(emergency_status_names, status); }
std::optional<EmergencyStatus> parse_emergency_status(std::string_view name) {
  return parse_named<EmergencyStatus>(emergency_status_names, name);
}

EmergencyStatus emergency_status_of(const NumberRecord& record) {
  if (!record.emergency_address || !record.emergency_status) return EmergencyStatus::none;
  return parse_emergency_status(*record.emergency_status).value_or(EmergencyStatus::none);
}

std::string to_string(const PostalAddress& a) {
  return text::join(std::vector<std::string>{a.street, a.city, a.region, a.postal_code, a.country}, ", ");
}

std::vector<std::string> address_problems(const Address& address, bool at_carrier) {
  std::vector<std::string> problems;
  auto need = [&](const std::string& value, std::string_view option) {
    if (text::trim(value).empty()) problems.push_back(std::string(option) + " is required");
  };
  need(address.postal.street, "--street");
  need(address.postal.city, "--city");
  need(address.postal.region, "--region");
  need(address.postal.postal_code, "--postal-code");
  if (address.postal.country.empty())
    problems.emplace_back("--country is required");
  else if (!is_known_country(address.postal.country))
    problems.push_back("--country " + address.postal.country + " is not an ISO 3166-1 country code");
  // Carriers file the address under a person or business: Twilio's CustomerName.
  if (at_carrier) need(address.customer_name, "--customer-name (the business at the address, required by carriers)");
  return problems;
}

std::optional<std::string> cnam_problem(std::string_view name) {
  if (name.empty()) return "a caller ID name cannot be empty (cnam clear removes one)";
  if (name.size() > cnam_length)
    return "\"" + std::string(name) + "\" is " + std::to_string(name.size()) + " characters; a caller ID name takes at most " +
           std::to_string(cnam_length);
  for (char c : name)
    if (!((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == ' '))
      return "\"" + std::string(name) + "\" holds " +
             (static_cast<unsigned char>(c) < 0x80 ? "'" + std::string(1, c) + "'" : std::string("a letter outside A-Z")) +
             "; a caller ID name takes only the letters A-Z, digits and spaces";
  return std::nullopt;
}

}  // namespace numctl
