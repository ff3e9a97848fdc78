// Port-in orders: created (numbers checked, recorded porting_in and assigned ahead of the
// cut-over, then made at the carrier through the outbox), shown, updated, cancelled, and
// completed by hand where there is no carrier. Reading orders back is porting_refresh.cpp.
#include "service_impl.hpp"
#include "porting_detail.hpp"
#include "domain/validation.hpp"
#include "numctl/error.hpp"
#include "numctl/phone.hpp"
#include "numctl/text.hpp"
#include "util/batch.hpp"

#include <nlohmann/json.hpp>

#include <set>

namespace numctl {
namespace port_detail {

std::string call_key(std::int64_t id) { return "port:" + std::to_string(id); }

Json body_of(const PortOrder& order) {
  auto body = Json::parse(order.body, nullptr, false);
  if (!body.is_object()) body = Json::object();
  for (const char* key : {"carrier_orders", "history"})
    if (!body.contains(key) || !body[key].is_array()) body[key] = Json::array();
  if (!body.contains("request") || !body["request"].is_object()) body["request"] = Json::object();
  return body;
}

std::string text_at(const Json& object, const char* key) {
  auto it = object.find(key);
  return it != object.end() && it->is_string() ? it->get<std::string>() : std::string();
}

namespace {

void check_date(const std::string& date) {
  if (date.empty()) return;
  auto parsed = parse_iso8601(date + "T00:00:00Z");
  if (date.size() != 10 || !parsed)
    fail(ErrorCategory::invalid_input, "--requested-date must be a date, YYYY-MM-DD (got \"" + date + "\")");
}

void check_email(const std::string& email) {
  auto at = email.find('@');
  if (!email.empty() && (at == std::string::npos || at == 0 || email.find('.', at) == std::string::npos ||
                         email.find_first_of(" \t\r\n,;") != std::string::npos))
    fail(ErrorCategory::invalid_input, "--email must be one address, name@example.com (got \"" + email + "\")");
}

}  // namespace

void put_request(Json& request, const PortInRequest& given, const std::string& country) {
  if (!given.name.empty()) {
    require(check_name("--name", to_nfc(given.name)));
    request["name"] = to_nfc(given.name);
  }
  if (!given.address.empty()) {
    require(check_free_text("--address", to_nfc(given.address)));
    auto address = parse_port_address(to_nfc(given.address), country);
    request["address"] = {{"street", address.street},
                          {"city", address.city},
                          {"region", address.region},
                          {"postal_code", address.postal_code},
                          {"country", address.country}};
  }
  check_email(given.email);
  if (!given.email.empty()) request["email"] = given.email;
  check_date(given.requested_date);
  if (!given.requested_date.empty()) request["requested_date"] = given.requested_date;
  for (auto [key, value] : {std::pair{"pin", &given.pin}, std::pair{"account_number", &given.account_number}}) {
    if (value->empty()) continue;
    require(check_name(std::string("--") + (key == std::string("pin") ? "pin" : "account-number"), *value));
    request[key] = mask_secret(*value);
  }
}

}  // namespace port_detail

using namespace port_detail;

PortOrder Service::require_port(std::string_view reference) {
  auto id = parse_port_reference(text::trim(reference));
  auto order = id ? store_.find_port(*id) : std::nullopt;
  if (!order)
    fail(ErrorCategory::not_found,
         "no port-in order " + std::string(reference) + " (numctl port-in list shows them; they are named port-N)");
  return *order;
}

PortRequest Service::port_request(const PortOrder& order) {
  auto body = body_of(order);
  const auto& given = body["request"];
  PortRequest request;
  request.reference = port_reference(order.id);
  for (const auto& number : order.numbers) request.numbers.push_back(number.e164);
  request.name = text_at(given, "name");
  request.email = text_at(given, "email");
  request.requested_date = text_at(given, "requested_date");
  if (auto address = given.find("address"); address != given.end() && address->is_object())
    request.address = {text_at(*address, "street"), text_at(*address, "city"), text_at(*address, "region"),
                       text_at(*address, "postal_code"), text_at(*address, "country")};
  auto secrets = Json::parse(order.secrets.value_or("{}"), nullptr, false);
  if (secrets.is_object()) {
    request.pin = text_at(secrets, "pin");
    request.account_number = text_at(secrets, "account_number");
  }
  if (auto loa = store_.port_file(order.id, "loa")) request.loa = PortRequest::File{order.loa_name.value_or("loa.pdf"), *loa};
  if (auto invoice = store_.port_file(order.id, "invoice"))
    request.invoice = PortRequest::File{order.invoice_name.value_or("invoice.pdf"), *invoice};
  return request;
}

PortView Service::view_of(const PortOrder& order) {
  PortView view;
  view.order = order;
  view.reference = port_reference(order.id);
  auto body = body_of(order);
  const auto& given = body["request"];
  view.name = text_at(given, "name");
  view.email = text_at(given, "email");
  view.requested_date = text_at(given, "requested_date");
  view.pin = text_at(given, "pin");
  view.account_number = text_at(given, "account_number");
  if (auto address = given.find("address"); address != given.end() && address->is_object())
    view.address = text::join({text_at(*address, "street"), text_at(*address, "city"), text_at(*address, "region"),
                               text_at(*address, "postal_code"), text_at(*address, "country")},
                              ", ");
  for (const auto& item : body["carrier_orders"]) {
    CarrierPortOrder c;
    c.ref = text_at(item, "ref");
    c.state = parse_port_state(text_at(item, "state")).value_or(PortState::submitted);
    c.carrier_status = text_at(item, "carrier_status");
    c.foc_date = text_at(item, "foc_date");
    c.reason = text_at(item, "reason");
    for (const auto& n : item.value("numbers", Json::array())) c.numbers.push_back(n.get<std::string>());
    for (const auto& n : item.value("ported", Json::array())) c.ported.push_back(n.get<std::string>());
    view.carrier_orders.push_back(std::move(c));
  }
  for (const auto& entry : body["history"]) {
    std::string line = text_at(entry, "at") + " " + text_at(entry, "state");
    if (auto status = text_at(entry, "carrier_status"); !status.empty()) line += " (" + status + ")";
    if (auto reason = text_at(entry, "reason"); !reason.empty()) line += ": " + reason;
    view.history.push_back(std::move(line));
  }
  for (const auto& number : order.numbers)
    if (auto record = store_.find_number(number.e164)) view.numbers.push_back(std::move(*record));
  return view;
}

std::vector<PortView> Service::port_orders(bool all) {
  std::vector<PortView> out;
  for (const auto& order : store_.port_orders(!all)) out.push_back(view_of(order));
  return out;
}

PortView Service::port_view(std::string_view reference) { return view_of(require_port(reference)); }

std::optional<std::string> Service::port_summary(const NumberRecord& record) {
  auto id = store_.port_of(record.e164);
  auto order = id ? store_.find_port(*id) : std::nullopt;
  if (!order) return std::nullopt;
  std::string out = port_reference(order->id) + " (" + std::string(to_string(order->state));
  if (order->foc_date) out += ", FOC " + *order->foc_date;
  if (order->reason) out += ": " + *order->reason;
  return out + ")";
}

PortView Service::create_port_in(const PortInRequest& request, const RunOptions& run) {
  if (request.numbers.empty())
    fail(ErrorCategory::invalid_input, "no numbers given (pass numbers, or - to read them from stdin)");
  if (text::trim(request.name).empty())
    fail(ErrorCategory::invalid_input, "--name is required: the customer as the losing carrier knows them");
  if (text::trim(request.address).empty())
    fail(ErrorCategory::invalid_input,
         "--address is required: \"STREET, CITY, REGION, POSTAL CODE[, COUNTRY]\" as the losing "
         "carrier has it");
  if (!request.loa) fail(ErrorCategory::invalid_input, "--loa FILE is required: the signed letter of authorization");
  Provider& carrier = provider();
  PortingCarrier* porting = carrier.porting();
  if (carrier.remote() && !porting)
    fail(ErrorCategory::config, std::string(carrier.name()) + " offers no porting API that numctl knows");
  if (carrier.name() == "twilio" && request.email.empty())
    fail(ErrorCategory::invalid_input, "--email is required at twilio: it sends the letter of authorization there for signature");
  // Every number checked first; all offenders named together, nothing written.
  std::vector<ParsedNumber> numbers;
  std::set<std::string> seen;
  Batch batch;
  for (std::size_t i = 0; i < request.numbers.size(); ++i) {
    std::string subject = request.numbers[i];
    batch.attempt(
        [&] {
          auto parsed = parse_phone_number(request.numbers[i], request.region ? request.region : config_.default_region);
          subject = parsed.display;
          if (!seen.insert(parsed.e164).second) return;
          auto existing = store_.find_number(parsed.e164);
          std::optional<Status> from = existing ? std::optional(existing->status) : std::nullopt;
          if (!lifecycle::find(Action::port_in, from))
            fail(ErrorCategory::refused, parsed.display + " is held already (status " + std::string(to_string(*from)) +
                                             "): only a number not held, released or ported away can be ported in");
          numbers.push_back(std::move(parsed));
        },
        i, &subject);
  }
  if (!batch.empty()) batch.raise_refused(request.numbers.size(), "ported in");
  std::string country = numbers.front().country;
  Json body = {{"request", Json::object()}, {"carrier_orders", Json::array()}, {"history", Json::array()}};
  put_request(body["request"], request, country);
  auto loa = read_upload(*request.loa, config_.document_max_bytes);
  std::optional<std::pair<ProfileDocument, std::string>> invoice;
  if (request.invoice) invoice = read_upload(*request.invoice, config_.document_max_bytes);
  if (porting) {
    std::vector<std::string> e164s;
    for (const auto& n : numbers) e164s.push_back(n.e164);
    std::vector<std::string> refused;
    for (const auto& check : porting->portability(e164s))
      if (!check.portable) refused.push_back(check.number + " (" + (check.reason.empty() ? "not portable" : check.reason) + ")");
    if (!refused.empty())
      fail(ErrorCategory::refused, fmt::format("{} says {} of {} numbers cannot be ported to it: {}; nothing was ordered",
                                               carrier.name(), refused.size(), numbers.size(), text::join(refused, ", ")));
  }
  PortOrder order;
  order.provider = carrier.name();
  order.state = porting ? PortState::creating : PortState::submitted;
  order.created_at = order.updated_at = now_iso();
  body["history"].push_back({{"at", order.created_at}, {"state", std::string(to_string(order.state))}});
  order.body = body.dump();
  // Secrets are kept only while the carrier still needs them (until it has the order).
  if (porting && (!request.pin.empty() || !request.account_number.empty()))
    order.secrets = Json{{"pin", request.pin}, {"account_number", request.account_number}}.dump();
  for (const auto& n : numbers) order.numbers.push_back({n.e164, std::nullopt});
  {
    Store::Transaction transaction(store_);
    store_.save_port(order);
    store_.set_port_file(order.id, "loa", loa.first.filename, loa.second);
    if (invoice) store_.set_port_file(order.id, "invoice", invoice->first.filename, invoice->second);
    order.loa_name = loa.first.filename;
    if (invoice) order.invoice_name = invoice->first.filename;
    std::string reference = port_reference(order.id);
    for (const auto& parsed : numbers) {
      auto existing = store_.find_number(parsed.e164);
      std::optional<Status> from = existing ? std::optional(existing->status) : std::nullopt;
      auto type = settle_type(parsed, std::nullopt);
      NumberRecord fresh = record_of(parsed, type ? type.value() : NumberType::local);
      fresh.id = existing ? existing->id : 0;
      fresh.status = Status::porting_in;
      if (carrier.remote()) fresh.provider = std::string(carrier.name());
      if (existing) {
        store_.retire_documents(existing->id, order.created_at);
        store_.update_number(fresh);
      } else {
        store_.insert_number(fresh);
      }
      set_assignee(fresh, request.assignee);
      record_audit(fresh.e164, Action::port_in, from, fresh.status,
                   details({{"order", reference},
                            {"type", std::string(to_string(fresh.type))},
                            {"team", fresh.team},
                            {"member", fresh.member},
                            {"provider", fresh.provider}}));
    }
    record_event("port_order", details({{"order", reference},
                                        {"provider", order.provider},
                                        {"numbers", std::to_string(numbers.size())},
                                        {"loa", loa.first.filename + " sha256:" + loa.first.sha256}}));
    if (porting) {
      CarrierCall call;
      call.kind = CallKind::port;
      call.number = call_key(order.id);
      call.provider = order.provider;
      call.action = "port-in create";
      call.details = details({{"order", reference}});
      outbox().owe(call);
    }
    if (run.dry_run == DryRun::yes) return view_of(order);  // rolled back: nothing reaches the carrier
    transaction.commit();
  }
  if (!porting) return view_of(order);
  // Made at the carrier under the call claimed now; a fault leaves it owed for port-in refresh.
  std::optional<CarrierCall> call;
  {
    Store::Transaction transaction(store_);
    call = outbox().claim(CallKind::port, call_key(order.id));
    transaction.commit();
  }
  if (!call) return view_of(order);  // another numctl took it
  try {
    auto made = porting->create(port_request(order), false);
    Store::Transaction transaction(store_);
    record_port(order, made, {}, nullptr);
    outbox().settle(*call, CallState::done);
    transaction.commit();
  } catch (const Error& error) {
    if (error.category() == ErrorCategory::carrier) outbox().settle_alone(*call, CallState::owed, error.what());
    throw;
  }
  return view_of(order);
}

}  // namespace numctl
