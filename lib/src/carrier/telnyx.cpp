// Telnyx, API v2: available_phone_numbers to search, number_orders to order (pending until
// Telnyx completes it, then success or failure), phone_numbers to look up, list (page[number])
// and release (requirement groups in telnyx_compliance.cpp); reputation/numbers for Number Reputation (spam risk of US numbers,
// cached or fresh). A bearer API key.
#include "carriers.hpp"
#include "numctl/text.hpp"

#include <nlohmann/json.hpp>

namespace numctl::carrier {
namespace {

using nlohmann::json;

constexpr std::string_view default_base = "https://api.telnyx.com";

class Telnyx final : public RestCarrier, public ReputationSource {
 public:
  explicit Telnyx(const ProviderSettings& settings) : RestCarrier(settings, default_base, "Telnyx") {
    auto credentials = load_credentials(settings, {"TELNYX_API_KEY"});
    source_ = credentials.source;
    const auto* key = credentials.find("TELNYX_API_KEY");
    if (!key) fail(ErrorCategory::config, "Telnyx needs TELNYX_API_KEY in " + source_);
    key_ = *key;
  }

  std::string_view name() const override { return "telnyx"; }
  std::vector<Offer> offers(const AvailabilityRequest& request, const std::function<bool(const std::string&)>& owned) override {
    std::vector<std::pair<std::string, std::string>> query{
        {"filter[country_code]", request.country},
        {"filter[limit]", std::to_string(std::min<std::size_t>(request.limit + 10, 250))}};
    if (request.type) query.emplace_back("filter[phone_number_type]", std::string(to_string(*request.type)));
    if (!request.contains.empty()) query.emplace_back("filter[phone_number][contains]", request.contains);
    if (!request.area_code.empty()) query.emplace_back("filter[national_destination_code]", request.area_code);
    if (!request.locality.empty()) query.emplace_back("filter[locality]", request.locality);
    for (const auto& capability : request.capabilities) query.emplace_back("filter[features][]", capability);
    auto body = call("GET", "/v2/available_phone_numbers?" + form(query), {}, "searching available numbers");
    std::vector<Offer> out;
    for (const auto& item : body.value("data", json::array())) {
      if (out.size() >= request.limit) break;
      Offer offer;
      offer.e164 = text_of(item, "phone_number");
      if (offer.e164.empty() || owned(offer.e164)) continue;
      for (const auto& region : item.value("region_information", json::array()))
        if (region.is_object() && text_of(region, "region_type") != "country_code") {
          std::string name = text_of(region, "region_name");
          if (!name.empty()) offer.locality += (offer.locality.empty() ? "" : ", ") + name;
        }
      for (const char* wanted : {"voice", "sms", "mms", "fax"})
        for (const auto& feature : item.value("features", json::array()))
          if (feature.is_object() && text::lower(text_of(feature, "name")) == wanted) offer.capabilities.push_back(wanted);
      if (auto cost = item.find("cost_information"); cost != item.end() && cost->is_object()) {
        if (auto price = text_of(*cost, "monthly_cost"); !price.empty()) offer.monthly_price = price;
        if (auto currency = text_of(*cost, "currency"); !currency.empty()) offer.currency = currency;
      }
      out.push_back(std::move(offer));
    }
    return out;
  }

  OrderOutcome order(const std::string& e164, NumberType type, const std::string& country,
                     const std::string& requirement_group) override {
    json request = {{"phone_numbers", json::array({{{"phone_number", e164}}})}};
    auto settings = settings_.order_settings(country, to_string(type));
    if (!requirement_group.empty())
      request["phone_numbers"][0]["requirement_group_id"] = requirement_group;
    else if (settings.requirement_group_id)
      request["phone_numbers"][0]["requirement_group_id"] = *settings.requirement_group_id;
    auto body = call("POST", "/v2/number_orders", request.dump(), "ordering " + e164);
    return outcome_of(body.value("data", json::object()), e164, "ordering " + e164);
  }

  OrderOutcome order_status(const std::string& order_ref) override {
    auto body = call("GET", "/v2/number_orders/" + url_encode(order_ref), {}, "reading order " + order_ref);
    auto data = body.value("data", json::object());
    std::string e164;
    for (const auto& number : data.value("phone_numbers", json::array())) e164 = text_of(number, "phone_number");
    return outcome_of(data, e164, "reading order " + order_ref);
  }

  PortingCarrier* porting() override {
    if (!porting_) porting_ = make_telnyx_porting(*this);
    return porting_.get();
  }

  EmergencyCarrier* emergency() override {
    if (!emergency_) emergency_ = make_telnyx_emergency(*this);
    return emergency_.get();
  }

  ComplianceCarrier* compliance() override {
    if (!compliance_) compliance_ = make_telnyx_compliance(*this);
    return compliance_.get();
  }

  std::optional<HeldNumber> lookup(const std::string& e164) override {
    auto body = call("GET", "/v2/phone_numbers?" + form({{"filter[phone_number]", e164}, {"page[size]", "20"}}), {},
                     "looking up " + e164);
    for (const auto& item : body.value("data", json::array()))
      if (text_of(item, "phone_number") == e164) return HeldNumber{e164, text_of(item, "id")};
    return std::nullopt;
  }

  bool release(const HeldNumber& number) override {
    auto body = call("DELETE", "/v2/phone_numbers/" + url_encode(number.provider_ref), {}, "releasing " + number.e164, {404});
    return !body.is_null();
  }

  void for_each_held(const std::function<void(const HeldNumber&)>& visit) override {
    for (long page = 1;; ++page) {
      auto body = call("GET", "/v2/phone_numbers?" + form({{"page[number]", std::to_string(page)}, {"page[size]", "250"}}),
                       {}, "listing the account's numbers");
      for (const auto& item : body.value("data", json::array()))
        visit(HeldNumber{text_of(item, "phone_number"), text_of(item, "id")});
      auto meta = body.value("meta", json::object());
      long pages = meta.value("total_pages", 0L);
      if (page >= pages || body.value("data", json::array()).empty()) break;
    }
  }

  // Telnyx prices each number it offers (cost_information): one offer per type, asked for one
  // at a time, gives the type's monthly price.
  bool prices_whole_country() const override { return false; }
  std::vector<ListPrice> prices(const std::string& country, std::optional<NumberType> type) override {
    std::vector<ListPrice> out;
    std::vector<NumberType> types =
        type ? std::vector<NumberType>{*type} : std::vector<NumberType>(all_number_types.begin(), all_number_types.end());
    for (NumberType each : types) {
      auto body = call("GET",
                       "/v2/available_phone_numbers?" + form({{"filter[country_code]", country},
                                                              {"filter[phone_number_type]", std::string(to_string(each))},
                                                              {"filter[limit]", "1"}}),
                       {}, "reading the price of " + country + " " + std::string(to_string(each)) + " numbers");
      for (const auto& item : body.value("data", json::array())) {
        auto cost = item.find("cost_information");
        if (cost == item.end() || !cost->is_object()) continue;
        auto currency = parse_currency(text_of(*cost, "currency"));
        auto amount = currency ? parse_amount(text_of(*cost, "monthly_cost"), *currency) : std::nullopt;
        if (amount) out.push_back({each, Money{*amount, *currency}});
        break;
      }
    }
    return out;
  }

  // Detail records (GET /v2/detail_records) of calls, of Call Control and of SIP trunking, from
  // `since` on, page by page: cld is the number called, cli the caller.
  void for_each_call(const std::string& since, const std::function<void(const CallRecord&)>& visit) override {
    for (const char* record_type : {"call-control", "sip-trunking"}) {
      for (long page = 1;; ++page) {
        auto body = call("GET",
                         "/v2/detail_records?" + form({{"filter[record_type]", record_type},
                                                       {"filter[created_at][gte]", since},
                                                       {"sort", "created_at"},
                                                       {"page[number]", std::to_string(page)},
                                                       {"page[size]", "50"}}),
                         {}, std::string("reading ") + record_type + " detail records");
        for (const auto& item : body.value("data", json::array())) {
          if (!item.is_object()) continue;
          CallRecord record;
          record.to = text_of(item, "cld");
          record.from = text_of(item, "cli");
          record.at = text_of(item, "started_at");
          if (record.at.empty()) record.at = text_of(item, "created_at");
          record.inbound = text_of(item, "direction") != "outbound";
          visit(record);
        }
        auto meta = body.value("meta", json::object());
        long pages = meta.value("total_pages", 0L);
        if (page >= pages || body.value("data", json::array()).empty()) break;
      }
    }
  }

  // Number Reputation: GET /v2/reputation/numbers (the monitored numbers, page[number]) and
  // /v2/reputation/numbers/{number}?fresh=... for one; each answer's reputation_data holds
  // spam_risk (low, medium, high), spam_category and last_refreshed_at.
  void readings(const std::vector<std::string>& numbers, bool fresh, const std::function<void(const Reading&)>& visit,
                const std::function<void(const std::string&, const std::string&)>& skipped) override {
    auto one = [&](const std::string& e164) {
      if (!e164.starts_with("+1")) return skipped(e164, "Telnyx Number Reputation checks US numbers only");
      auto body = call("GET", "/v2/reputation/numbers/" + url_encode(e164) + "?fresh=" + (fresh ? "true" : "false"), {},
                       "reading the reputation of " + e164, {404});
      if (body.is_null())
        return skipped(e164, "not monitored by Telnyx Number Reputation (associate it with your enterprise first)");
      reading_of(body.value("data", json::object()), e164, visit, skipped);
    };
    if (!numbers.empty()) {
      for (const auto& e164 : numbers) one(e164);
      return;
    }
    for (long page = 1;; ++page) {
      auto body = call("GET", "/v2/reputation/numbers?" + form({{"page[number]", std::to_string(page)}, {"page[size]", "250"}}),
                       {}, "listing the numbers Number Reputation monitors");
      for (const auto& item : body.value("data", json::array())) {
        std::string e164 = text_of(item, "phone_number");
        if (fresh) one(e164);
        else reading_of(item, e164, visit, skipped);
      }
      long pages = body.value("meta", json::object()).value("total_pages", 0L);
      if (page >= pages || body.value("data", json::array()).empty()) break;
    }
  }

  std::string check() override {
    auto body = call("GET", "/v2/balance", {}, "checking the credentials");
    auto data = body.value("data", json::object());
    std::string balance = text::one_line(text_of(data, "balance"));
    std::string currency = text::one_line(text_of(data, "currency"));
    return "telnyx at " + shown_base() + ": API key " + mask(key_) + " from " + source_ +
           (balance.empty() ? "" : "; balance " + balance + (currency.empty() ? "" : " " + currency));
  }

private:
  void reading_of(const json& item, const std::string& e164, const std::function<void(const Reading&)>& visit,
                  const std::function<void(const std::string&, const std::string&)>& skipped) {
    auto data = item.find("reputation_data");
    if (data == item.end() || !data->is_object()) return skipped(e164, "Telnyx holds no reputation data for it yet");
    Reading reading;
    reading.number = e164;
    reading.source = "telnyx";
    reading.score = -1;  // Telnyx gives a level, scored by the policy's risk_scores
    reading.risk = text::lower(text_of(*data, "spam_risk"));
    reading.labels = text_of(*data, "spam_category");
    reading.checked_at = text_of(*data, "last_refreshed_at");
    visit(reading);
  }

  // An order's state: success (with the number's id at Telnyx, looked up), pending, or failure
  // (raised, with what Telnyx said).
  OrderOutcome outcome_of(const json& data, const std::string& e164, const std::string& doing) {
    OrderOutcome outcome;
    outcome.order_ref = text_of(data, "id");
    std::string status = text_of(data, "status");
    if (status == "failure") {
      std::string why;
      for (const auto& number : data.value("phone_numbers", json::array()))
        for (const auto& requirement : number.value("regulatory_requirements", json::array()))
          why += (why.empty() ? "" : "; ") + text_of(requirement, "field_type") + " " + text_of(requirement, "status");
      raise_fault("Telnyx", doing, CarrierFault{200, "order failure", why.empty() ? "the order failed" : why});
    }
    if (status != "success") {
      outcome.state = OrderOutcome::State::pending;
      return outcome;
    }
    if (!e164.empty())
      if (auto held = lookup(e164)) outcome.provider_ref = held->provider_ref;
    return outcome;
  }

  void authenticate(HttpRequest& request) const override { request.bearer = key_; }
  std::string_view body_type() const override { return "application/json"; }
  // Telnyx's errors: {"errors": [{"code": "10009", "title": "...", "detail": "..."}]}.
  void read_fault(const json& body, CarrierFault& fault) const override {
    for (const auto& error : body.value("errors", json::array())) {
      if (!error.is_object()) continue;
      fault.code = text_of(error, "code");
      fault.message = text_of(error, "title");
      if (auto detail = text_of(error, "detail"); !detail.empty()) fault.message += ": " + detail;
      break;
    }
  }

  std::string key_, source_;
  std::unique_ptr<ComplianceCarrier> compliance_;
  std::unique_ptr<PortingCarrier> porting_;
  std::unique_ptr<EmergencyCarrier> emergency_;
};

}  // namespace

std::unique_ptr<Provider> make_telnyx(const ProviderSettings& settings) { return std::make_unique<Telnyx>(settings); }
std::unique_ptr<ReputationSource> make_telnyx_reputation(const ProviderSettings& settings) {
  return std::make_unique<Telnyx>(settings);
}

}  // namespace numctl::carrier
