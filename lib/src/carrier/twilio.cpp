// Twilio, REST API 2010-04-01: AvailablePhoneNumbers to search, IncomingPhoneNumbers to order
// (with the approved bundle a regulated country requires), look up, list (paged by
// next_page_uri) and release; Regulatory Compliance in twilio_compliance.cpp. HTTP Basic with the Account SID and Auth
// Token, or an API Key SID and Secret (the Account SID still names the account in paths).
#include "carriers.hpp"
#include "numctl/text.hpp"

#include <nlohmann/json.hpp>

namespace numctl::carrier {
namespace {

using nlohmann::json;

constexpr std::string_view default_base = "https://api.twilio.com";

std::string_view resource_of(NumberType type) {
  switch (type) {
    case NumberType::local: return "Local";
    case NumberType::mobile: return "Mobile";
    case NumberType::toll_free: return "TollFree";
  }
  return "Local";
}

class Twilio final : public RestCarrier {
 public:
  explicit Twilio(const ProviderSettings& settings) : RestCarrier(settings, default_base, "Twilio") {
    auto credentials = load_credentials(
        settings, {"TWILIO_ACCOUNT_SID", "TWILIO_AUTH_TOKEN", "TWILIO_API_KEY", "TWILIO_API_SECRET"});
    source_ = credentials.source;
    const auto* account = credentials.find("TWILIO_ACCOUNT_SID");
    if (!account)
      fail(ErrorCategory::config, "Twilio needs TWILIO_ACCOUNT_SID, with TWILIO_AUTH_TOKEN or TWILIO_API_KEY and "
                                  "TWILIO_API_SECRET, in " + source_);
    account_ = *account;
    if (const auto* key = credentials.find("TWILIO_API_KEY")) {
      const auto* secret = credentials.find("TWILIO_API_SECRET");
      if (!secret) fail(ErrorCategory::config, "TWILIO_API_KEY needs TWILIO_API_SECRET beside it, in " + source_);
      user_ = *key;
      secret_ = *secret;
    } else if (const auto* token = credentials.find("TWILIO_AUTH_TOKEN")) {
      user_ = account_;
      secret_ = *token;
    } else {
      fail(ErrorCategory::config, "Twilio needs TWILIO_AUTH_TOKEN (or TWILIO_API_KEY and TWILIO_API_SECRET) in " + source_);
    }
  }

  std::string_view name() const override { return "twilio"; }
  std::vector<Offer> offers(const AvailabilityRequest& request, const std::function<bool(const std::string&)>& owned) override {
    std::vector<Offer> out;
    std::vector<NumberType> types = request.type ? std::vector<NumberType>{*request.type}
                                                 : std::vector<NumberType>(all_number_types.begin(), all_number_types.end());
    for (NumberType type : types) {
      if (out.size() >= request.limit) break;
      // Asked for a few more than wanted: some may be owned already or retired.
      std::vector<std::pair<std::string, std::string>> query{{"PageSize", std::to_string(std::min<std::size_t>(request.limit + 10, 1000))}};
      if (!request.contains.empty()) query.emplace_back("Contains", request.contains);
      if (!request.area_code.empty()) query.emplace_back("AreaCode", request.area_code);
      if (!request.locality.empty()) query.emplace_back("InLocality", request.locality);
      for (const auto& capability : request.capabilities) {
        if (capability == "voice") query.emplace_back("VoiceEnabled", "true");
        if (capability == "sms") query.emplace_back("SmsEnabled", "true");
        if (capability == "mms") query.emplace_back("MmsEnabled", "true");
      }
      auto body = call("GET", account_path() + "/AvailablePhoneNumbers/" + request.country + "/" +
                                  std::string(resource_of(type)) + ".json?" + form(query),
                       {}, "searching available numbers", {404});
      if (body.is_null()) continue;  // a country or type the account cannot buy in
      for (const auto& item : body.value("available_phone_numbers", json::array())) {
        if (out.size() >= request.limit) break;
        Offer offer;
        offer.e164 = item.value("phone_number", "");
        if (offer.e164.empty() || owned(offer.e164)) continue;
        std::string locality = item.value("locality", json()).is_string() ? item.value("locality", "") : "";
        std::string region = item.value("region", json()).is_string() ? item.value("region", "") : "";
        offer.locality = locality.empty() ? region : (region.empty() ? locality : locality + ", " + region);
        // Twilio writes "voice", "SMS", "MMS"; numctl says voice, sms, mms, fax, in that order.
        if (auto caps = item.find("capabilities"); caps != item.end() && caps->is_object())
          for (const char* wanted : {"voice", "sms", "mms", "fax"})
            for (const auto& [key, value] : caps->items())
              if (text::lower(key) == wanted && value.is_boolean() && value.get<bool>()) offer.capabilities.push_back(wanted);
        out.push_back(std::move(offer));
      }
    }
    return out;
  }

  OrderOutcome order(const std::string& e164, NumberType type, const std::string& country, const std::string& bundle) override {
    std::vector<std::pair<std::string, std::string>> fields{{"PhoneNumber", e164}};
    auto settings = settings_.order_settings(country, to_string(type));
    if (settings.address_sid) fields.emplace_back("AddressSid", *settings.address_sid);
    if (!bundle.empty())
      fields.emplace_back("BundleSid", bundle);
    else if (settings.bundle_sid)
      fields.emplace_back("BundleSid", *settings.bundle_sid);
    auto body = call("POST", account_path() + "/IncomingPhoneNumbers.json", form(fields), "ordering " + e164);
    OrderOutcome outcome;
    outcome.provider_ref = body.value("sid", "");
    if (outcome.provider_ref.empty())
      raise_fault("Twilio", "ordering " + e164, CarrierFault{200, "", "the answer carried no sid"});
    return outcome;
  }

  ComplianceCarrier* compliance() override {
    if (!compliance_) compliance_ = make_twilio_compliance(*this, settings_);
    return compliance_.get();
  }

  std::optional<HeldNumber> lookup(const std::string& e164) override {
    auto body = call("GET", account_path() + "/IncomingPhoneNumbers.json?" + form({{"PhoneNumber", e164}, {"PageSize", "20"}}),
                     {}, "looking up " + e164);
    for (const auto& item : body.value("incoming_phone_numbers", json::array()))
      if (item.value("phone_number", "") == e164) return HeldNumber{e164, item.value("sid", "")};
    return std::nullopt;
  }

  bool release(const HeldNumber& number) override {
    auto body = call("DELETE", account_path() + "/IncomingPhoneNumbers/" + url_encode(number.provider_ref) + ".json", {},
                     "releasing " + number.e164, {404});
    return !body.is_null();
  }

  void for_each_held(const std::function<void(const HeldNumber&)>& visit) override {
    std::string path = account_path() + "/IncomingPhoneNumbers.json?PageSize=1000";
    while (!path.empty()) {
      auto body = call("GET", path, {}, "listing the account's numbers");
      for (const auto& item : body.value("incoming_phone_numbers", json::array()))
        visit(HeldNumber{item.value("phone_number", ""), item.value("sid", "")});
      auto next = body.find("next_page_uri");
      path = next != body.end() && next->is_string() ? next->get<std::string>() : std::string();
    }
  }

  std::string check() override {
    auto body = call("GET", account_path() + ".json", {}, "checking the credentials");
    std::string status = text::one_line(body.value("status", ""));
    std::string name = text::one_line(body.value("friendly_name", ""));
    return "twilio at " + shown_base() + ": account " + mask(account_) + (name.empty() ? "" : " (" + name + ")") +
           (status.empty() ? "" : ", " + status) + "; authenticated as " + mask(user_) + " with a secret from " + source_;
  }

private:
  std::string account_path() const { return "/2010-04-01/Accounts/" + url_encode(account_); }

  void authenticate(HttpRequest& request) const override { request.basic = std::make_pair(user_, secret_); }
  std::string_view body_type() const override { return "application/x-www-form-urlencoded"; }
  // Twilio's errors: {"code": 21422, "message": "...", "more_info": ..., "status": 400}.
  void read_fault(const json& body, CarrierFault& fault) const override {
    if (auto code = body.find("code"); code != body.end() && !code->is_null())
      fault.code = code->is_string() ? code->get<std::string>() : code->dump();
    if (auto message = body.find("message"); message != body.end() && message->is_string())
      fault.message = message->get<std::string>();
  }

  std::string account_, user_, secret_, source_;
  std::unique_ptr<ComplianceCarrier> compliance_;
};

}  // namespace

std::unique_ptr<Provider> make_twilio(const ProviderSettings& settings) { return std::make_unique<Twilio>(settings); }

}  // namespace numctl::carrier
