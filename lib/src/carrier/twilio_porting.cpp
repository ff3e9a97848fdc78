// Twilio's Porting API v1 (numbers.twilio.com; US numbers): Portability/PhoneNumber checks a
// number; a PortIn request carries the numbers (with their PINs), the customer as the losing
// carrier knows them and the utility bill uploaded to numbers-upload.twilio.com (v1/Documents);
// Twilio sends the letter of authorization to the customer's email for signature. Each number
// has its own status and port date; the request is In review, Waiting for Signature, In progress,
// Action Required, Completed, Canceled or Expired. Twilio keeps no reference of numctl's on a
// request: after a lost answer it is found again by its numbers among the requests made since.
// Port-outs reach an account only as webhooks (PortOutPhoneNumberCompleted), which a command-line
// tool does not receive: they are recorded with port-out record.
#include "carriers.hpp"
#include "numctl/text.hpp"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <set>

namespace numctl::carrier {
namespace {

using nlohmann::json;

constexpr std::string_view port_in = "/v1/Porting/PortIn";

CarrierPortOrder order_of(const json& data) {
  CarrierPortOrder order;
  order.ref = text_of(data, "port_in_request_sid");
  order.carrier_status = text_of(data, "port_in_request_status");
  std::string status = text::lower(order.carrier_status);
  std::vector<std::string> reasons;
  std::string foc;
  for (const auto& number : data.value("phone_numbers", json::array())) {
    std::string e164 = text_of(number, "phone_number");
    order.numbers.push_back(e164);
    std::string each = text::lower(text_of(number, "port_in_phone_number_status"));
    if (each == "completed") order.ported.push_back(e164);
    if (std::string date = text_of(number, "port_date"); !date.empty() && (foc.empty() || date < foc)) foc = date;
    for (const char* key : {"rejection_reason", "not_portability_reason"})
      if (std::string why = text_of(number, key); !why.empty()) reasons.push_back(e164 + ": " + why);
  }
  if (std::string why = text_of(data, "order_cancellation_reason"); !why.empty()) reasons.insert(reasons.begin(), why);
  order.reason = text::join(reasons, "; ");
  order.foc_date = foc;
  if (status == "completed")
    order.state = PortState::ported;
  else if (status == "canceled" || status == "cancelled" || status == "expired")
    order.state = PortState::cancelled;
  else if (status == "action required")
    order.state = PortState::exception;
  else if (!foc.empty())
    order.state = PortState::foc_confirmed;
  else
    order.state = PortState::submitted;
  return order;
}

class TwilioPorting final : public PortingCarrier {
 public:
  TwilioPorting(RestCarrier& rest, const ProviderSettings& settings, std::string account)
      : rest_(rest),
        numbers_(settings.numbers_base_url.value_or(settings.base_url.value_or("https://numbers.twilio.com"))),
        upload_(settings.numbers_upload_base_url.value_or(settings.base_url.value_or("https://numbers-upload.twilio.com"))),
        account_(std::move(account)) {}

  std::vector<Portability> portability(const std::vector<std::string>& numbers) override {
    std::vector<Portability> out;
    for (const auto& number : numbers) {
      auto body = rest_.send({.method = "GET",
                              .path = "/v1/Porting/Portability/PhoneNumber/" + url_encode(number),
                              .doing = "checking the portability of " + number,
                              .base = numbers_});
      out.push_back({number, body.value("portable", true), text_of(body, "not_portable_reason")});
    }
    return out;
  }

  std::vector<CarrierPortOrder> find(const PortRequest& request) override {
    std::set<std::string> wanted(request.numbers.begin(), request.numbers.end());
    std::vector<CarrierPortOrder> out;
    std::string path = std::string(port_in) + "/PortInRequests?" + form({{"Size", "100"}});
    for (int page = 0; page < 100; ++page) {
      auto body =
          rest_.send({.method = "GET", .path = path, .doing = "looking for port-in " + request.reference, .base = numbers_});
      for (const auto& item : body.value("port_in_requests", json::array())) {
        auto order = read(text_of(item, "port_in_request_sid"));
        std::set<std::string> has(order.numbers.begin(), order.numbers.end());
        if (has == wanted && order.state != PortState::cancelled) out.push_back(std::move(order));
      }
      std::string next = text_of(body.value("meta", json::object()), "next_token");
      if (next.empty() || !out.empty()) break;
      path = std::string(port_in) + "/PortInRequests?" + form({{"Size", "100"}, {"Token", next}});
    }
    return out;
  }

  std::vector<CarrierPortOrder> create(const PortRequest& request, bool resuming) override {
    if (resuming)
      if (auto found = find(request); !found.empty()) return found;
    const std::string doing = "creating port-in " + request.reference;
    json documents = json::array();
    for (const auto* file : {request.invoice ? &*request.invoice : nullptr, request.loa ? &*request.loa : nullptr})
      if (file) documents.push_back(upload(request, *file, doing));
    json numbers = json::array();
    for (const auto& number : request.numbers) {
      json entry = {{"phone_number", number}};
      if (!request.pin.empty()) entry["pin"] = request.pin;
      numbers.push_back(entry);
    }
    json losing = {{"customer_type", "Business"},
                   {"customer_name", request.name},
                   {"authorized_representative", request.name},
                   {"authorized_representative_email", request.email},
                   {"address",
                    {{"street", request.address.street},
                     {"city", request.address.city},
                     {"state", request.address.region},
                     {"zip", request.address.postal_code},
                     {"country", request.address.country}}}};
    if (!request.account_number.empty()) losing["account_number"] = request.account_number;
    json body = {{"account_sid", account_},
                 {"documents", documents},
                 {"phone_numbers", numbers},
                 {"losing_carrier_information", losing},
                 {"notification_emails", json::array({request.email})}};
    if (!request.requested_date.empty()) body["target_port_in_date"] = request.requested_date;
    // One attempt: a lost answer leaves the call owed, and the next refresh finds the request.
    auto answer = rest_.send({.method = "POST",
                              .path = std::string(port_in),
                              .body = body.dump(),
                              .doing = doing,
                              .base = numbers_,
                              .content_type = "application/json",
                              .once = true});
    return {order_of(answer)};
  }

  CarrierPortOrder read(const std::string& ref) override {
    return order_of(rest_.send({.method = "GET",
                                .path = std::string(port_in) + "/" + url_encode(ref),
                                .doing = "reading port-in " + ref,
                                .base = numbers_}));
  }

  void cancel(const std::string& ref) override {
    rest_.send({.method = "DELETE",
                .path = std::string(port_in) + "/" + url_encode(ref),
                .doing = "cancelling port-in " + ref,
                .absent = {404},
                .base = numbers_});
  }

 private:
  // The file as a utility bill (the document a US port-in needs), named after the order.
  std::string upload(const PortRequest& request, const PortRequest::File& file, const std::string& doing) {
    std::string content_type;
    std::string body = multipart({{"document_type", "utility_bill", ""},
                                  {"friendly_name", "numctl " + request.reference + " " + file.filename, ""},
                                  {"File", file.content, file.filename}},
                                 content_type);
    auto answer = rest_.send({.method = "POST",
                              .path = "/v1/Documents",
                              .body = body,
                              .doing = doing,
                              .base = upload_,
                              .content_type = content_type,
                              .once = true});
    return text_of(answer, "sid");
  }

  RestCarrier& rest_;
  std::string numbers_, upload_, account_;
};

}  // namespace

std::unique_ptr<PortingCarrier> make_twilio_porting(RestCarrier& rest, const ProviderSettings& settings,
                                                    const std::string& account) {
  return std::make_unique<TwilioPorting>(rest, settings, account);
}

}  // namespace numctl::carrier
