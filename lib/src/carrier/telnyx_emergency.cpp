// Telnyx's emergency addresses (/v2/addresses, checked first by /v2/addresses/actions/validate,
// which may suggest a correction) and their registration on a number
// (/v2/phone_numbers/{id}/actions/enable_emergency; emergency_status provisioning, then active
// or provisioning-failed), and the number's CNAM listing (PATCH /v2/phone_numbers/{id}/voice).
#include "carriers.hpp"
#include "numctl/text.hpp"

#include <nlohmann/json.hpp>

namespace numctl::carrier {
namespace {

using nlohmann::json;

std::string reference_of(const Address& address) { return "numctl:" + address.name; }

EmergencyRegistration registration_of(const json& body) {
  auto emergency = body.value("data", json::object()).value("emergency", json::object());
  EmergencyRegistration out;
  out.carrier_status = text_of(emergency, "emergency_status");
  const auto& s = out.carrier_status;
  if (s == "active")
    out.status = EmergencyStatus::registered;
  else if (s == "provisioning")
    out.status = EmergencyStatus::pending;
  else if (s == "provisioning-failed")
    out.status = EmergencyStatus::failed, out.reason = "Telnyx: provisioning-failed";
  else
    out.status = EmergencyStatus::none;  // disabled, deprovisioning
  return out;
}

class TelnyxEmergency final : public EmergencyCarrier {
 public:
  explicit TelnyxEmergency(RestCarrier& rest) : rest_(rest) {}

  AddressCheck validate(const Address& address) override {
    if (address.contact.find(' ') == std::string::npos)
      return {
          AddressCheck::Result::invalid, {}, "Telnyx files an emergency address under a person: give --contact \"FIRST LAST\""};
    auto body = rest_.send({.method = "POST",
                            .path = "/v2/addresses/actions/validate",
                            .body = json{{"street_address", address.postal.street},
                                         {"locality", address.postal.city},
                                         {"administrative_area", address.postal.region},
                                         {"postal_code", address.postal.postal_code},
                                         {"country_code", address.postal.country}}
                                        .dump(),
                            .doing = "validating emergency address " + address.name});
    auto data = body.value("data", json::object());
    auto suggested = data.value("suggested", json::object());
    PostalAddress suggestion{text_of(suggested, "street_address"), text_of(suggested, "locality"),
                             text_of(suggested, "administrative_area"), text_of(suggested, "postal_code"),
                             text::upper(text_of(suggested, "country_code"))};
    bool complete = !suggestion.street.empty() && !suggestion.city.empty() && !suggestion.country.empty();
    if (complete && suggestion != address.postal) return {AddressCheck::Result::suggested, suggestion, {}};
    if (text_of(data, "result") == "invalid") {
      std::vector<std::string> reasons;
      for (const auto& error : data.value("errors", json::array())) reasons.push_back(text_of(error, "title"));
      return {AddressCheck::Result::invalid, {}, reasons.empty() ? "invalid" : text::join(reasons, "; ")};
    }
    return {};
  }

  std::string create_address(Address& address, bool, bool resuming) override {
    const std::string doing = "creating emergency address " + address.name;
    auto find = [&]() -> std::optional<std::string> {
      auto body = rest_.send({.method = "GET",
                              .path = "/v2/addresses?" + form({{"filter[customer_reference][eq]", reference_of(address)}}),
                              .doing = "looking for emergency address " + address.name});
      for (const auto& item : body.value("data", json::array()))
        if (text_of(item, "customer_reference") == reference_of(address)) return text_of(item, "id");
      return std::nullopt;
    };
    if (resuming)
      if (auto found = find()) return *found;
    auto space = address.contact.rfind(' ');
    json request = {{"first_name", address.contact.substr(0, space)},
                    {"last_name", address.contact.substr(space + 1)},
                    {"business_name", address.customer_name},
                    {"street_address", address.postal.street},
                    {"locality", address.postal.city},
                    {"administrative_area", address.postal.region},
                    {"postal_code", address.postal.postal_code},
                    {"country_code", address.postal.country},
                    {"customer_reference", reference_of(address)}};
    return rest_.create_once(
        [&] {
          auto body =
              rest_.send({.method = "POST", .path = "/v2/addresses", .body = request.dump(), .doing = doing, .once = true});
          return text_of(body.value("data", json::object()), "id");
        },
        find);
  }

  void delete_address(const std::string& ref) override {
    rest_.send({.method = "DELETE",
                .path = "/v2/addresses/" + url_encode(ref),
                .doing = "removing emergency address " + ref,
                .absent = {404}});
  }

  EmergencyRegistration register_address(const std::string& number_ref, const std::string& address_ref, bool enable) override {
    return registration_of(rest_.send(
        {.method = "POST",
         .path = "/v2/phone_numbers/" + url_encode(number_ref) + "/actions/enable_emergency",
         .body = json{{"emergency_enabled", enable}, {"emergency_address_id", address_ref}}.dump(),
         .doing = (enable ? "registering the emergency address of " : "removing the emergency address of ") + number_ref}));
  }

  EmergencyRegistration registration(const std::string& number_ref) override {
    return registration_of(rest_.send({.method = "GET",
                                       .path = "/v2/phone_numbers/" + url_encode(number_ref) + "/voice",
                                       .doing = "reading the emergency registration of " + number_ref}));
  }

  void set_cnam(const std::string& number_ref, const std::string& name) override {
    json listing = {{"cnam_listing_enabled", !name.empty()}};
    if (!name.empty()) listing["cnam_listing_details"] = name;
    rest_.send({.method = "PATCH",
                .path = "/v2/phone_numbers/" + url_encode(number_ref) + "/voice",
                .body = json{{"cnam_listing", listing}}.dump(),
                .doing = "setting the caller ID name of " + number_ref});
  }

 private:
  RestCarrier& rest_;
};

}  // namespace

std::unique_ptr<EmergencyCarrier> make_telnyx_emergency(RestCarrier& rest) { return std::make_unique<TelnyxEmergency>(rest); }

}  // namespace numctl::carrier
