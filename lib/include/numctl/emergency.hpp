// Emergency addresses (where a caller is, for the emergency services), a number's registration
// of one at its carrier, and the caller ID name (CNAM) a number shows. Engine- and carrier-neutral.
#pragma once

#include "numctl/domain.hpp"

#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace numctl {

// Where a number's emergency registration stands: no address (none), sent and not confirmed
// (pending), confirmed by the carrier, or refused by it. Offline, the ledger is all there is.
enum class EmergencyStatus : std::uint8_t { none, pending, registered, failed };
inline constexpr std::array all_emergency_statuses{EmergencyStatus::none, EmergencyStatus::pending, EmergencyStatus::registered,
                                                   EmergencyStatus::failed};
std::string_view to_string(EmergencyStatus status);
std::optional<EmergencyStatus> parse_emergency_status(std::string_view name);
// A number's status as its record holds it (no address: none).
EmergencyStatus emergency_status_of(const NumberRecord& record);

// A street address as a carrier validates it.
struct PostalAddress {
  std::string street, city, region, postal_code, country;  // country: ISO 3166-1 alpha-2

  bool operator==(const PostalAddress&) const = default;
};
// "100 Main St, Springfield, IL, 62701, US".
std::string to_string(const PostalAddress& address);

// An emergency address as numctl keeps it, by its name (what numbers and teams point at).
struct Address {
  std::int64_t id = 0;
  std::string name;
  std::string customer_name;  // who is at the address: Twilio's CustomerName, Telnyx's business name
  std::string contact;        // a person there ("Ada Lovelace"): Telnyx's first and last name
  PostalAddress postal;
  std::optional<std::string> provider, provider_ref;  // the carrier it was created at, and its id there
  // local: the ledger's only (offline providers); creating: the carrier's call is open;
  // validated: the carrier holds it.
  std::string state = "local";
  std::string created_at;
};

// Why an address cannot be stored (a required field missing, a country unknown), every problem
// at once; empty when it can.
std::vector<std::string> address_problems(const Address& address, bool at_carrier);

// A carrier's verdict on an address before it is created: valid as given, valid with a correction
// it suggests, or invalid (its reasons).
struct AddressCheck {
  enum class Result : std::uint8_t { valid, suggested, invalid } result = Result::valid;
  PostalAddress suggestion;
  std::string reason;
};

// A number's registration as the carrier reports it: numctl's status, the carrier's own word
// (Twilio's pending-registration, Telnyx's provisioning) and its reason when it failed.
struct EmergencyRegistration {
  EmergencyStatus status = EmergencyStatus::none;
  std::string carrier_status;
  std::string reason;
};

// CNAM listings take at most 15 letters, digits and spaces: why `name` is refused, or nothing.
std::optional<std::string> cnam_problem(std::string_view name);

// A carrier's emergency and caller-ID APIs. Every call may raise the carrier's fault (exit 6).
class EmergencyCarrier {
 public:
  virtual ~EmergencyCarrier() = default;
  // The carrier's check of an address before it is created (Telnyx); valid where the carrier
  // checks only when it creates (Twilio).
  virtual AddressCheck validate(const Address& address) = 0;
  // Creates the address once (found by its name after a lost answer, or first when `resuming`);
  // `correct` lets the carrier correct it. Returns the carrier's id; `address.postal` is set to
  // what the carrier stored.
  virtual std::string create_address(Address& address, bool correct, bool resuming) = 0;
  virtual void delete_address(const std::string& ref) = 0;
  // Registers the number's emergency address (`enable`), or removes it (address_ref: the one
  // registered, where the carrier asks for it).
  virtual EmergencyRegistration register_address(const std::string& number_ref, const std::string& address_ref, bool enable) = 0;
  virtual EmergencyRegistration registration(const std::string& number_ref) = 0;
  // Why the carrier takes no CNAM listing per number (Twilio: its Trust Hub), or empty.
  virtual std::string cnam_refusal() const { return {}; }
  // Sets (or, with an empty name, clears) the number's CNAM listing.
  virtual void set_cnam(const std::string& number_ref, const std::string& name) = 0;
};

}  // namespace numctl
