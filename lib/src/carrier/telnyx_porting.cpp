// Telnyx's porting API (v2): /portability_checks; /porting_orders made from a list of numbers
// (Telnyx splits them per losing carrier, one order each, all under numctl's customer
// reference), each given its end user, address, requested FOC date (within
// /allowed_foc_windows) and the LOA and invoice uploaded to /documents, then confirmed; read back
// for status, FOC date and exception details. Port-outs: /portouts, answered by PATCH
// /portouts/{id}/{authorized|rejected-pending}.
#include "carriers.hpp"
#include "numctl/text.hpp"
#include "util/checksum.hpp"

#include <nlohmann/json.hpp>

namespace numctl::carrier {
namespace {

using nlohmann::json;

PortState state_of(std::string_view status) {
  if (status == "draft") return PortState::creating;
  if (status == "exception") return PortState::exception;
  if (status == "foc-date-confirmed") return PortState::foc_confirmed;
  if (status == "ported") return PortState::ported;
  if (status == "cancelled" || status == "cancel-pending") return PortState::cancelled;
  return PortState::submitted;  // in-process, submitted
}

CarrierPortOrder order_of(const json& data) {
  CarrierPortOrder order;
  order.ref = text_of(data, "id");
  auto status = data.value("status", json::object());
  order.carrier_status = text_of(status, "value");
  order.state = state_of(order.carrier_status);
  std::vector<std::string> reasons;
  for (const auto& detail : status.value("details", json::array())) {
    std::string code = text_of(detail, "code"), description = text_of(detail, "description");
    reasons.push_back(description.empty() ? code : code.empty() ? description : code + ": " + description);
  }
  order.reason = text::join(reasons, "; ");
  auto activation = data.value("activation_settings", json::object());
  order.foc_date = text_of(activation, "foc_datetime_actual");
  if (order.foc_date.empty() && order.state == PortState::foc_confirmed)
    order.foc_date = text_of(activation, "foc_datetime_requested");
  for (const auto& number : data.value("phone_numbers", json::array())) {
    order.numbers.push_back(text_of(number, "phone_number"));
    if (order.state == PortState::ported || text_of(number, "activation_status") == "Active")
      order.ported.push_back(order.numbers.back());
  }
  return order;
}

class TelnyxPorting final : public PortingCarrier {
 public:
  explicit TelnyxPorting(RestCarrier& rest) : rest_(rest) {}

  std::vector<Portability> portability(const std::vector<std::string>& numbers) override {
    auto body = rest_.send({.method = "POST",
                            .path = "/v2/portability_checks",
                            .body = json{{"phone_numbers", numbers}}.dump(),
                            .doing = "checking portability"});
    std::vector<Portability> out;
    for (const auto& item : body.value("data", json::array()))
      out.push_back({text_of(item, "phone_number"), item.value("portable", true), text_of(item, "not_portable_reason")});
    return out;
  }

  std::vector<CarrierPortOrder> find(const PortRequest& request) override {
    auto body = rest_.send(
        {.method = "GET",
         .path = "/v2/porting_orders?" + form({{"filter[customer_reference]", request.reference}, {"page[size]", "250"}}),
         .doing = "looking for port-in " + request.reference});
    std::vector<CarrierPortOrder> out;
    for (const auto& item : body.value("data", json::array()))
      if (text_of(item, "customer_reference") == request.reference) out.push_back(order_of(item));
    return out;
  }

  std::vector<CarrierPortOrder> create(const PortRequest& request, bool resuming) override {
    const std::string doing = "creating port-in " + request.reference;
    std::vector<CarrierPortOrder> orders = resuming ? find(request) : std::vector<CarrierPortOrder>{};
    if (orders.empty()) {
      // One attempt: a lost answer leaves the call owed, and the next refresh finds what it made.
      auto body = rest_.send({.method = "POST",
                              .path = "/v2/porting_orders",
                              .body = json{{"phone_numbers", request.numbers}, {"customer_reference", request.reference}}.dump(),
                              .doing = doing,
                              .once = true});
      for (const auto& item : body.value("data", json::array())) orders.push_back(order_of(item));
    }
    for (auto& order : orders)
      if (order.state == PortState::creating) order = fill(order.ref, request, true, doing);
    return orders;
  }

  std::vector<CarrierPortOrder> update(const PortRequest& request, const std::vector<std::string>& refs) override {
    std::vector<CarrierPortOrder> out;
    for (const auto& ref : refs) out.push_back(fill(ref, request, false, "updating port-in " + request.reference));
    return out;
  }

  CarrierPortOrder read(const std::string& ref) override {
    auto body =
        rest_.send({.method = "GET", .path = "/v2/porting_orders/" + url_encode(ref), .doing = "reading port-in order " + ref});
    return order_of(body.value("data", json::object()));
  }

  void cancel(const std::string& ref) override {
    rest_.send({.method = "POST",
                .path = "/v2/porting_orders/" + url_encode(ref) + "/actions/cancel",
                .doing = "cancelling port-in order " + ref});
  }

  bool lists_port_outs() const override { return true; }

  std::vector<PortOut> port_outs() override {
    std::vector<PortOut> out;
    for (long page = 1;; ++page) {
      auto body = rest_.send({.method = "GET",
                              .path = "/v2/portouts?" + form({{"page[number]", std::to_string(page)}, {"page[size]", "250"}}),
                              .doing = "listing port-out requests"});
      for (const auto& item : body.value("data", json::array())) {
        PortOut p;
        p.id = text_of(item, "id");
        p.provider = "telnyx";
        p.status = text_of(item, "status");
        for (const auto& number : item.value("phone_numbers", json::array()))
          if (number.is_string()) p.numbers.push_back(number.get<std::string>());
        p.carrier_name = text_of(item, "carrier_name");
        p.foc_date = text_of(item, "foc_date");
        p.reason = text_of(item, "reason");
        out.push_back(std::move(p));
      }
      long pages = body.value("meta", json::object()).value("total_pages", 0L);
      if (page >= pages || body.value("data", json::array()).empty()) break;
    }
    return out;
  }

  void answer_port_out(const std::string& id, bool approve, const std::string& reason) override {
    rest_.send({.method = "PATCH",
                .path = "/v2/portouts/" + url_encode(id) + (approve ? "/authorized" : "/rejected-pending"),
                .body = json{{"reason", reason}}.dump(),
                .doing = "answering port-out request " + id});
  }

 private:
  // The order's end user, address, files and date written (what the request has), then, for a
  // draft, the order confirmed; the order as it reads after.
  CarrierPortOrder fill(const std::string& ref, const PortRequest& request, bool confirm, const std::string& doing) {
    json admin = json::object(), location = json::object();
    if (!request.name.empty()) admin = {{"entity_name", request.name}, {"auth_person_name", request.name}};
    if (!request.account_number.empty()) admin["account_number"] = request.account_number;
    if (!request.pin.empty()) admin["pin_passcode"] = request.pin;
    if (!request.address.street.empty())
      location = {{"street_address", request.address.street},
                  {"locality", request.address.city},
                  {"administrative_area", request.address.region},
                  {"postal_code", request.address.postal_code},
                  {"country_code", request.address.country}};
    json update = {{"customer_reference", request.reference}, {"misc", {{"type", "full"}}}};
    json end_user = json::object();
    if (!admin.empty()) end_user["admin"] = admin;
    if (!location.empty()) end_user["location"] = location;
    if (!end_user.empty()) update["end_user"] = end_user;
    json documents = json::object();
    if (request.loa) documents["loa"] = document(request, *request.loa, "loa", doing);
    if (request.invoice) documents["invoice"] = document(request, *request.invoice, "invoice", doing);
    if (!documents.empty()) update["documents"] = documents;
    if (auto when = foc_window(ref, request.requested_date, doing); !when.empty())
      update["activation_settings"] = {{"foc_datetime_requested", when}};
    auto patched =
        rest_.send({.method = "PATCH", .path = "/v2/porting_orders/" + url_encode(ref), .body = update.dump(), .doing = doing});
    if (!confirm) return order_of(patched.value("data", json::object()));
    auto confirmed =
        rest_.send({.method = "POST", .path = "/v2/porting_orders/" + url_encode(ref) + "/actions/confirm", .doing = doing});
    return order_of(confirmed.value("data", json::object()));
  }

  // A file uploaded once under "<reference> <kind>": found by that reference before another upload.
  std::string document(const PortRequest& request, const PortRequest::File& file, const std::string& kind,
                       const std::string& doing) {
    // Named by the order, the kind and the file's digest: a corrected file is a new document.
    std::string reference = request.reference + " " + kind + " " + sha256_hex(file.content).substr(0, 12);
    return telnyx_document(rest_, reference, file.filename, file.content, doing, true);
  }

  // The start of the first FOC window Telnyx allows on or after the requested date (the earliest
  // window when none was requested); empty when Telnyx lists none.
  std::string foc_window(const std::string& ref, const std::string& requested, const std::string& doing) {
    auto body =
        rest_.send({.method = "GET", .path = "/v2/porting_orders/" + url_encode(ref) + "/allowed_foc_windows", .doing = doing});
    std::string chosen;
    for (const auto& window : body.value("data", json::array())) {
      std::string start = text_of(window, "started_at"), end = text_of(window, "ended_at");
      if (!requested.empty() && end.substr(0, 10) < requested) continue;
      std::string at = !requested.empty() && start.substr(0, 10) < requested
                           ? requested + start.substr(std::min<std::size_t>(10, start.size()))
                           : start;
      if (chosen.empty() || at < chosen) chosen = at;
    }
    return chosen;
  }

  RestCarrier& rest_;
};

}  // namespace

std::unique_ptr<PortingCarrier> make_telnyx_porting(RestCarrier& rest) { return std::make_unique<TelnyxPorting>(rest); }

}  // namespace numctl::carrier
