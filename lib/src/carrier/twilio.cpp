// Twilio, REST API 2010-04-01: AvailablePhoneNumbers to search, IncomingPhoneNumbers to order
// (with the approved bundle a regulated country requires), look up, list (paged by
// next_page_uri) and release; Regulatory Compliance in twilio_compliance.cpp. HTTP Basic with the Account SID and Auth
// Token, or an API Key SID and Secret (the Account SID still names the account in paths).
#include "carriers.hpp"
#include "numctl/clock.hpp"
#include "numctl/text.hpp"

#include <algorithm>
#include <array>
#include <cstdio>

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

// "Sat, 05 Dec 2026 10:00:00 +0000" as "2026-12-05T10:00:00+0000" read into ISO 8601 UTC;
// empty when it is not such a date.
std::string rfc2822_to_iso(std::string_view text) {
  static constexpr std::array<std::string_view, 12> months{"Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                                           "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
  if (auto comma = text.find(", "); comma != std::string_view::npos) text.remove_prefix(comma + 2);
  auto parts = text::split(text, ' ');
  if (parts.size() < 4 || parts[0].size() > 2) return {};
  auto month = std::find(months.begin(), months.end(), parts[1]);
  if (month == months.end()) return {};
  std::string day = parts[0].size() == 1 ? "0" + parts[0] : parts[0];
  std::string offset = parts.size() > 4 && parts[4].size() == 5 ? parts[4].substr(0, 3) + ":" + parts[4].substr(3) : "Z";
  char month_text[3];
  std::snprintf(month_text, sizeof month_text, "%02d", static_cast<int>(month - months.begin()) + 1);
  auto at = parse_iso8601(parts[2] + "-" + month_text + "-" + day + "T" + parts[3] + offset);
  return at ? format_iso8601(*at) : std::string();
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

  PortingCarrier* porting() override {
    if (!porting_) porting_ = make_twilio_porting(*this, settings_, account_);
    return porting_.get();
  }

  EmergencyCarrier* emergency() override {
    if (!emergency_) emergency_ = make_twilio_emergency(*this, account_);
    return emergency_.get();
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

  // Pricing API v1 (pricing.twilio.com): one country's prices for each type of number.
  std::vector<ListPrice> prices(const std::string& country, std::optional<NumberType> type) override {
    auto body = send({.method = "GET",
                      .path = "/v1/PhoneNumbers/Countries/" + url_encode(country),
                      .doing = "reading the price of " + country + " numbers",
                      .absent = {404},
                      .base = settings_.base_url.value_or("https://pricing.twilio.com")});
    std::vector<ListPrice> out;
    if (body.is_null()) return out;  // a country Twilio sells no numbers in
    auto currency = parse_currency(text_of(body, "price_unit"));
    if (!currency) return out;
    for (const auto& item : body.value("phone_number_prices", json::array())) {
      if (!item.is_object()) continue;
      // Twilio names types "local", "mobile", "toll free" (and "national", "shared cost", ...).
      auto named = parse_number_type_alias(text::underscored(text::lower(text_of(item, "number_type"))));
      std::string named_text = text::lower(text_of(item, "number_type"));
      if (named_text == "toll free") named = NumberType::toll_free;
      if (!named || (type && *named != *type)) continue;
      std::string price = text_of(item, "current_price");
      if (price.empty()) price = text_of(item, "base_price");
      if (auto amount = parse_amount(price, *currency)) out.push_back({*named, Money{*amount, *currency}});
    }
    return out;
  }

  // The account's calls (Calls.json) that started on or after `since`'s day (StartTime>=),
  // paged by next_page_uri; start_time is RFC 2822 ("Sat, 05 Dec 2026 10:00:00 +0000").
  void for_each_call(const std::string& since, const std::function<void(const CallRecord&)>& visit) override {
    std::string path = account_path() + "/Calls.json?" + form({{"StartTime>", since.substr(0, 10)}, {"PageSize", "1000"}});
    while (!path.empty()) {
      auto body = call("GET", path, {}, "reading the account's calls");
      for (const auto& item : body.value("calls", json::array())) {
        if (!item.is_object()) continue;
        CallRecord record;
        record.to = text_of(item, "to");
        record.from = text_of(item, "from");
        record.at = rfc2822_to_iso(text_of(item, "start_time"));
        if (record.at.empty()) record.at = rfc2822_to_iso(text_of(item, "date_created"));
        record.inbound = text_of(item, "direction") == "inbound";
        visit(record);
      }
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
  std::unique_ptr<PortingCarrier> porting_;
  std::unique_ptr<EmergencyCarrier> emergency_;
};

}  // namespace

std::unique_ptr<Provider> make_twilio(const ProviderSettings& settings) { return std::make_unique<Twilio>(settings); }

}  // namespace numctl::carrier
