// Twilio's emergency addresses (REST API 2010-04-01 Addresses, EmergencyEnabled, validated when
// created, corrected only when asked: AutoCorrectAddress) and their registration on a number
// (IncomingPhoneNumbers EmergencyAddressSid and EmergencyStatus; emergency_address_status moves
// from pending-registration to registered or registration-failure). Twilio lists caller ID names
// through its Trust Hub, not per number: numctl says so rather than pretending.
#include "carriers.hpp"

#include <nlohmann/json.hpp>

namespace numctl::carrier {
namespace {

using nlohmann::json;

// Twilio keeps names of emergency addresses to 32 characters (FriendlyName).
constexpr std::size_t friendly_name_length = 32;

EmergencyRegistration registration_of(const json& number) {
  EmergencyRegistration out;
  out.carrier_status = text_of(number, "emergency_address_status");
  const auto& s = out.carrier_status;
  if (s == "registered")
    out.status = EmergencyStatus::registered;
  else if (s == "pending-registration")
    out.status = EmergencyStatus::pending;
  else if (s == "registration-failure")
    out.status = EmergencyStatus::failed, out.reason = "Twilio: registration-failure";
  else
    out.status = EmergencyStatus::none;  // unregistered, pending-unregistration, ...
  return out;
}

class TwilioEmergency final : public EmergencyCarrier {
 public:
  TwilioEmergency(RestCarrier& rest, std::string account) : rest_(rest), account_(std::move(account)) {}

  AddressCheck validate(const Address& address) override {
    if (address.name.size() > friendly_name_length)
      return {AddressCheck::Result::invalid, {}, "Twilio takes names of emergency addresses up to 32 characters"};
    return {};  // Twilio validates the address as it creates it
  }

  std::string create_address(Address& address, bool correct, bool resuming) override {
    const std::string doing = "creating emergency address " + address.name;
    json made;
    auto find = [&]() -> std::optional<std::string> {
      auto body = rest_.send({.method = "GET",
                              .path = path() + "/Addresses.json?" + form({{"FriendlyName", address.name}, {"PageSize", "20"}}),
                              .doing = "looking for emergency address " + address.name});
      for (const auto& item : body.value("addresses", json::array()))
        if (text_of(item, "friendly_name") == address.name) {
          made = item;
          return text_of(item, "sid");
        }
      return std::nullopt;
    };
    std::optional<std::string> found = resuming ? find() : std::nullopt;
    std::string sid = found ? *found
                            : rest_.create_once(
                                  [&] {
                                    made = rest_.send({.method = "POST",
                                                       .path = path() + "/Addresses.json",
                                                       .body = form({{"CustomerName", address.customer_name},
                                                                     {"Street", address.postal.street},
                                                                     {"City", address.postal.city},
                                                                     {"Region", address.postal.region},
                                                                     {"PostalCode", address.postal.postal_code},
                                                                     {"IsoCountry", address.postal.country},
                                                                     {"FriendlyName", address.name},
                                                                     {"EmergencyEnabled", "true"},
                                                                     {"AutoCorrectAddress", correct ? "true" : "false"}}),
                                                       .doing = doing,
                                                       .once = true});
                                    return text_of(made, "sid");
                                  },
                                  find);
    if (sid.empty()) raise_fault("Twilio", doing, CarrierFault{200, "", "the answer carried no sid"});
    if (made.is_object())
      address.postal = {text_of(made, "street"), text_of(made, "city"), text_of(made, "region"), text_of(made, "postal_code"),
                        text_of(made, "iso_country")};
    return sid;
  }

  void delete_address(const std::string& ref) override {
    rest_.send({.method = "DELETE",
                .path = path() + "/Addresses/" + url_encode(ref) + ".json",
                .doing = "removing emergency address " + ref,
                .absent = {404}});
  }

  EmergencyRegistration register_address(const std::string& number_ref, const std::string& address_ref, bool enable) override {
    auto body = rest_.send(
        {.method = "POST",
         .path = path() + "/IncomingPhoneNumbers/" + url_encode(number_ref) + ".json",
         // Twilio's document allows no empty EmergencyAddressSid: a number stops using its
         // address by EmergencyStatus alone.
         .body = enable ? form({{"EmergencyAddressSid", address_ref}, {"EmergencyStatus", "Active"}})
                        : form({{"EmergencyStatus", "Inactive"}}),
         .doing = (enable ? "registering the emergency address of " : "removing the emergency address of ") + number_ref});
    return registration_of(body);
  }

  EmergencyRegistration registration(const std::string& number_ref) override {
    return registration_of(rest_.send({.method = "GET",
                                       .path = path() + "/IncomingPhoneNumbers/" + url_encode(number_ref) + ".json",
                                       .doing = "reading the emergency registration of " + number_ref}));
  }

  std::string cnam_refusal() const override {
    return "Twilio lists caller ID names (CNAM) through its Trust Hub, for a business profile, not per number by its API: "
           "register the name in Twilio's Console (Trust Hub, CNAM); nothing was changed";
  }

  void set_cnam(const std::string&, const std::string&) override { fail(ErrorCategory::refused, cnam_refusal()); }

 private:
  std::string path() const { return "/2010-04-01/Accounts/" + url_encode(account_); }

  RestCarrier& rest_;
  std::string account_;
};

}  // namespace

std::unique_ptr<EmergencyCarrier> make_twilio_emergency(RestCarrier& rest, const std::string& account) {
  return std::make_unique<TwilioEmergency>(rest, account);
}

}  // namespace numctl::carrier
