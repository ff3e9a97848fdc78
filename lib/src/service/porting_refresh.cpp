// Port-in orders read back from the carrier (port-in refresh, sync) and what they decide for
// their numbers; port-outs: the carrier's requests listed and answered, numbers that left moved
// to ported_out; and what porting puts in `due`.
#include "service_impl.hpp"
#include "porting_detail.hpp"
#include "numctl/error.hpp"
#include "numctl/text.hpp"
#include "domain/validation.hpp"

#include <nlohmann/json.hpp>

#include <map>
#include <set>

namespace numctl {
namespace {

using Json = nlohmann::json;

Json json_of(const CarrierPortOrder& c) {
  return {{"ref", c.ref},
          {"state", std::string(to_string(c.state))},
          {"carrier_status", c.carrier_status},
          {"foc_date", c.foc_date},
          {"reason", c.reason},
          {"numbers", c.numbers},
          {"ported", c.ported}};
}

// Where the whole order stands, from its carrier orders: the least advanced open one decides.
PortState overall(const std::vector<CarrierPortOrder>& orders) {
  bool open = false, ported = false;
  for (const auto& c : orders) {
    open = open || port_open(c.state);
    ported = ported || c.state == PortState::ported;
  }
  if (!open) return ported ? PortState::ported : PortState::cancelled;
  for (PortState state : {PortState::creating, PortState::exception, PortState::submitted, PortState::foc_confirmed})
    for (const auto& c : orders)
      if (c.state == state) return state;
  return PortState::submitted;
}

}  // namespace

void Service::record_port(PortOrder& order, const std::vector<CarrierPortOrder>& carrier_orders,
                          const std::map<std::string, std::string>& refs, PortsRefreshed* moved) {
  auto body = Json::parse(order.body, nullptr, false);
  if (!body.is_object()) body = Json::object();
  // The orders read replace those of the same id; the others (closed ones) are kept.
  std::vector<CarrierPortOrder> all = view_of(order).carrier_orders;
  for (const auto& c : carrier_orders) {
    bool replaced = false;
    for (auto& known : all)
      if (!c.ref.empty() && known.ref == c.ref) known = c, replaced = true;
    if (!replaced) {
      std::erase_if(all, [&](const CarrierPortOrder& known) { return known.ref.empty(); });
      all.push_back(c);
    }
  }
  body["carrier_orders"] = Json::array();
  for (const auto& c : all) body["carrier_orders"].push_back(json_of(c));
  PortState state = all.empty() ? order.state : overall(all);
  std::string carrier_status, foc, reason;
  std::vector<std::string> statuses, reasons;
  for (const auto& c : all) {
    if (!c.carrier_status.empty()) statuses.push_back(c.carrier_status);
    if (port_open(c.state) && !c.foc_date.empty() && (foc.empty() || c.foc_date < foc)) foc = c.foc_date;
    if ((c.state == PortState::exception || c.state == PortState::cancelled) && !c.reason.empty()) reasons.push_back(c.reason);
  }
  carrier_status = text::join(statuses, ", ");
  reason = text::join(reasons, "; ");
  if (state != order.state || carrier_status != order.carrier_status || reason != order.reason.value_or("")) {
    std::string now = now_iso();
    body["history"].push_back(
        {{"at", now}, {"state", std::string(to_string(state))}, {"carrier_status", carrier_status}, {"reason", reason}});
    record_event("port_update", details({{"order", port_reference(order.id)},
                                         {"state", std::string(to_string(state))},
                                         {"carrier_status", carrier_status},
                                         {"reason", reason.empty() ? std::nullopt : std::optional(reason)}}));
  }
  order.state = state;
  order.carrier_status = carrier_status;
  order.reason = reason.empty() ? std::nullopt : std::optional(reason);
  order.foc_date = foc.empty() ? std::nullopt : std::optional(foc);
  if (state != PortState::creating) order.secrets.reset();  // the carrier has them now
  for (auto& number : order.numbers)
    for (const auto& c : all)
      if (std::find(c.numbers.begin(), c.numbers.end(), number.e164) != c.numbers.end() && !c.ref.empty())
        number.carrier_order = c.ref;
  order.body = body.dump();
  order.updated_at = now_iso();
  store_.save_port(order);
  std::string reference = port_reference(order.id);
  for (const auto& c : all) {
    std::set<std::string> ported(c.ported.begin(), c.ported.end());
    for (const auto& e164 : c.numbers) {
      auto record = store_.find_number(e164);
      if (!record || record->status != Status::porting_in) continue;
      if (ported.count(e164)) {
        const Transition& t = require_transition(*record, Action::port_complete);
        if (auto ref = refs.find(e164); ref != refs.end()) record->provider_ref = ref->second;
        record->bought_at = record->activated_at = now_iso();
        apply(*record, t,
              details({{"order", reference},
                       {"carrier_order", c.ref},
                       {"foc_date", c.foc_date},
                       {"provider_ref", record->provider_ref}}));
        if (moved) moved->completed.push_back(*record);
      } else if (c.state == PortState::cancelled) {
        const Transition& t = require_transition(*record, Action::port_fail);
        apply(*record, t, details({{"order", reference}, {"carrier_order", c.ref}, {"reason", c.reason}}));
        if (moved) moved->failed.push_back(*record);
      }
    }
  }
}

PortsRefreshed Service::refresh_ports(const RunOptions& run) {
  Provider& carrier = provider();
  PortingCarrier* porting = carrier.porting();
  if (!porting)
    fail(ErrorCategory::config, "port-in refresh reads a carrier's porting orders; [provider] kind is " +
                                    std::string(carrier.name()) + ": complete its orders with numctl port-in complete ORDER");
  PortsRefreshed result;
  std::string name(carrier.name());
  // Orders a crash left half-made: found at the carrier by their reference and finished.
  for (auto& owed : outbox().claimable_calls(CallKind::port)) {
    auto id = parse_port_reference(owed.number.substr(owed.number.find(':') + 1));
    auto order = id ? store_.find_port(*id) : std::nullopt;
    if (!order || run.dry_run == DryRun::yes) continue;
    std::optional<CarrierCall> call;
    {
      Store::Transaction transaction(store_);
      call = outbox().claim(CallKind::port, port_detail::call_key(order->id));
      transaction.commit();
    }
    if (!call) continue;
    try {
      // An interrupted create is finished (found by its reference first); any other call
      // (cancel, update) is settled by reading what the carrier has now.
      std::vector<CarrierPortOrder> made;
      if (call->action == "port-in create") {
        made = porting->create(port_request(*order), true);
      } else {
        for (const auto& c : view_of(*order).carrier_orders) made.push_back(c.ref.empty() ? c : porting->read(c.ref));
      }
      Store::Transaction transaction(store_);
      ActingAs carrier_acts(actor_, "carrier");
      record_port(*order, made, {}, &result);
      outbox().settle(*call, CallState::done);
      transaction.commit();
    } catch (const Error& error) {
      if (error.category() != ErrorCategory::carrier) throw;
      outbox().settle_alone(*call, CallState::owed, error.what());
      result.errors.push_back({port_reference(order->id), "", error.what()});
    }
  }
  for (auto& order : store_.port_orders(true)) {
    if (order.provider != name) continue;
    auto open = store_.open_carrier_call(CallKind::port, port_detail::call_key(order.id));
    if (open) continue;  // being made by another numctl, or owed still: reported above
    try {
      std::vector<CarrierPortOrder> read;
      auto known = view_of(order).carrier_orders;
      if (known.empty()) read = porting->find(port_request(order));
      for (const auto& c : known) read.push_back(port_open(c.state) ? porting->read(c.ref) : c);
      // The carrier's id of each number that arrived, asked before the write.
      std::map<std::string, std::string> refs;
      for (const auto& c : read)
        for (const auto& e164 : c.ported) {
          auto record = store_.find_number(e164);
          if (record && record->status == Status::porting_in)
            if (auto held = carrier.lookup(e164)) refs[e164] = held->provider_ref;
        }
      Store::Transaction transaction(store_);
      ActingAs carrier_acts(actor_, "carrier");
      record_port(order, read, refs, &result);
      if (run.dry_run == DryRun::no) transaction.commit();
    } catch (const Error& error) {
      if (error.category() != ErrorCategory::carrier) throw;
      result.errors.push_back({port_reference(order.id), "", error.what()});
      continue;
    }
    result.orders.push_back(view_of(order));
  }
  if (porting->lists_port_outs()) {
    auto requests = porting->port_outs();
    std::map<std::string, PortOut> stored;
    for (auto& p : store_.port_outs()) stored[p.id] = p;
    in_transaction(run, [&] {
      ActingAs carrier_acts(actor_, "carrier");
      for (auto& p : requests) {
        p.read_at = now_iso();
        if (auto was = stored.find(p.id); was != stored.end()) p.answered_at = was->second.answered_at;
        store_.save_port_out(p);
        if (p.status == "ported") move_ported_out(p, result);
        if (p.status == "pending") result.port_out_requests.push_back(p);
      }
      return 0;
    });
  }
  return result;
}

void Service::move_ported_out(const PortOut& request, PortsRefreshed& result) {
  std::string at = request.foc_date.empty() ? now_iso() : request.foc_date;
  if (!parse_iso8601(at)) at = now_iso();
  for (const auto& e164 : request.numbers) {
    auto record = store_.find_number(e164);
    if (!record || !lifecycle::find(Action::port_out, record->status)) continue;
    const Transition& t = require_transition(*record, Action::port_out);
    record->release_at = at;
    apply(*record, t, details({{"port_out", request.id}, {"to_carrier", request.carrier_name}, {"foc_date", request.foc_date}}),
          at);
    result.ported_out.push_back(*record);
  }
}

std::vector<PortOut> Service::port_out_requests() { return store_.port_outs(); }

PortOut Service::answer_port_out(const std::string& id, bool approve, const std::string& reason, const RunOptions& run) {
  require(check_free_text("--reason", reason));
  if (text::trim(reason).empty()) fail(ErrorCategory::invalid_input, "--reason is required: the carrier passes it on");
  std::optional<PortOut> request;
  for (auto& p : store_.port_outs())
    if (p.id == id) request = p;
  if (!request)
    fail(ErrorCategory::not_found,
         "no port-out request " + id + " (numctl port-in refresh reads them; numctl due lists those waiting)");
  if (request->status != "pending")
    fail(ErrorCategory::refused, "port-out request " + id + " is " + request->status + ": only a pending one is answered");
  PortingCarrier* porting = provider().porting();
  if (!porting || request->provider != provider().name())
    fail(ErrorCategory::config,
         "port-out request " + id + " is " + request->provider + "'s: configure that carrier to answer it");
  if (run.dry_run == DryRun::yes) return *request;
  CarrierCall call;
  call.kind = CallKind::port;
  call.number = "port-out:" + id;
  call.provider = request->provider;
  call.action = approve ? "port-out approve" : "port-out reject";
  call.details = details({{"reason", reason}});
  if (!outbox().start(call)) fail(ErrorCategory::refused, "port-out request " + id + " is being answered by another numctl");
  try {
    porting->answer_port_out(id, approve, reason);
  } catch (const Error& error) {
    outbox().settle_alone(call, CallState::failed, error.what());
    throw;
  }
  Store::Transaction transaction(store_);
  request->status = approve ? "authorized" : "rejected-pending";
  request->answered_at = now_iso();
  store_.save_port_out(*request);
  record_event(
      "port_out_answer",
      details(
          {{"port_out", id}, {"answer", request->status}, {"reason", reason}, {"numbers", text::join(request->numbers, " ")}}));
  outbox().settle(call, CallState::done);
  transaction.commit();
  return *request;
}

std::vector<NumberRecord> Service::record_port_out(const std::vector<std::string>& inputs, const std::optional<std::string>& date,
                                                   const std::optional<std::string>& carrier, const RunOptions& run) {
  std::string at = now_iso();
  if (date) {
    auto parsed = parse_iso8601(date->size() == 10 ? *date + "T00:00:00Z" : *date);
    if (!parsed) fail(ErrorCategory::invalid_input, "--date must be a date, YYYY-MM-DD (got \"" + *date + "\")");
    if (*parsed > clock_.now())
      fail(ErrorCategory::invalid_input, "--date " + *date + " is in the future: record a port-out once it happened");
    at = format_iso8601(*parsed);
  }
  if (carrier) require(check_name("--carrier", *carrier));
  return for_each_owned(inputs, Action::port_out, run, [&](NumberRecord& record) {
    const Transition& t = require_transition(record, Action::port_out);
    record.release_at = at;
    apply(record, t, details({{"to_carrier", carrier}, {"recorded", "by the operator"}}), at);
  });
}

void Service::port_due(TimePoint until, std::vector<DueEvent>& events) {
  std::string until_text = format_iso8601(until);
  for (const auto& order : store_.port_orders(true)) {
    auto view = view_of(order);
    std::string reference = view.reference;
    for (auto& record : view.numbers) {
      if (record.status != Status::porting_in) continue;
      for (const auto& c : view.carrier_orders) {
        if (std::find(c.numbers.begin(), c.numbers.end(), record.e164) == c.numbers.end()) continue;
        if (c.state == PortState::exception)
          events.push_back({record, "port_exception", order.updated_at,
                            fmt::format("{} in exception at {}: {}; fix with numctl port-in update {} (or cancel it)", reference,
                                        order.provider, c.reason.empty() ? "no reason given" : c.reason, reference)});
        else if (port_open(c.state) && !c.foc_date.empty() && c.foc_date <= until_text)
          events.push_back(
              {record, "port_foc", c.foc_date,
               fmt::format("{} cuts over from the losing carrier; numctl port-in refresh reads the result", reference)});
      }
    }
  }
  for (const auto& request : store_.port_outs()) {
    if (request.status != "pending") continue;
    for (const auto& e164 : request.numbers)
      if (auto record = store_.find_number(e164))
        events.push_back({*record, "port_out_request", request.foc_date.empty() ? request.read_at : request.foc_date,
                          fmt::format("{} asks to port it out (request {}): numctl port-out approve {} --reason TEXT, or "
                                      "numctl port-out reject {} --reason TEXT",
                                      request.carrier_name.empty() ? "another carrier" : request.carrier_name, request.id,
                                      request.id, request.id)});
  }
}

}  // namespace numctl
