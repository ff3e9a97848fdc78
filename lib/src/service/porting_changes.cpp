// Port-in orders changed after they were made: details corrected, the order cancelled, the port
// completed by hand (offline providers); a change at the carrier goes through the outbox.
#include "service_impl.hpp"
#include "porting_detail.hpp"
#include "numctl/error.hpp"
#include "numctl/text.hpp"

#include <set>

namespace numctl {

using namespace port_detail;

PortView Service::update_port_in(std::string_view reference, const PortInRequest& changes, const RunOptions& run) {
  PortOrder order = require_port(reference);
  if (!port_open(order.state))
    fail(ErrorCategory::refused, port_reference(order.id) + " is " + std::string(to_string(order.state)) + ": it cannot change");
  PortingCarrier* porting = provider().porting();
  if (porting && order.provider == "twilio")
    fail(ErrorCategory::refused, "twilio's API changes no port-in request once made: cancel it (numctl port-in cancel " +
                                     port_reference(order.id) + ") and create it again with the corrected details");
  auto body = body_of(order);
  std::string country = order.numbers.empty() ? "" : store_.find_number(order.numbers.front().e164)->country;
  put_request(body["request"], changes, country);
  std::optional<std::pair<ProfileDocument, std::string>> loa, invoice;
  if (changes.loa) loa = read_upload(*changes.loa, config_.document_max_bytes);
  if (changes.invoice) invoice = read_upload(*changes.invoice, config_.document_max_bytes);
  order.body = body.dump();
  order.updated_at = now_iso();
  {
    Store::Transaction transaction(store_);
    store_.save_port(order);
    if (loa) store_.set_port_file(order.id, "loa", loa->first.filename, loa->second);
    if (invoice) store_.set_port_file(order.id, "invoice", invoice->first.filename, invoice->second);
    record_event("port_update", details({{"order", port_reference(order.id)}, {"changed", "details given by the operator"}}));
    if (run.dry_run == DryRun::yes) return view_of(order);
    transaction.commit();
  }
  order = require_port(reference);
  if (!porting) return view_of(order);
  // At the carrier: each of its open orders is given the new details.
  PortRequest request = port_request(order);
  request.pin = changes.pin;
  request.account_number = changes.account_number;
  std::vector<std::string> refs;
  for (const auto& c : view_of(order).carrier_orders)
    if (port_open(c.state)) refs.push_back(c.ref);
  std::vector<CarrierPortOrder> updated;
  port_call(
      order, "port-in update", [&] { updated = porting->update(request, refs); },
      [&] { record_port(order, updated, {}, nullptr); });
  return view_of(order);
}

PortView Service::cancel_port_in(std::string_view reference, const RunOptions& run) {
  PortOrder order = require_port(reference);
  if (!port_open(order.state))
    fail(ErrorCategory::refused, port_reference(order.id) + " is " + std::string(to_string(order.state)) + " already");
  PortingCarrier* porting = order.provider == provider().name() ? provider().porting() : nullptr;
  std::vector<CarrierPortOrder> cancelled;
  auto view = view_of(order);
  if (view.carrier_orders.empty()) {
    CarrierPortOrder all;
    for (const auto& n : order.numbers) all.numbers.push_back(n.e164);
    view.carrier_orders.push_back(all);
  }
  for (auto c : view.carrier_orders) {
    if (port_open(c.state)) {
      c.state = PortState::cancelled;
      c.carrier_status = porting ? "cancelled" : "";
      c.reason = "cancelled by " + actor_;
    }
    cancelled.push_back(c);
  }
  if (!porting || run.dry_run == DryRun::yes)
    return in_transaction(run, [&] {
      record_port(order, cancelled, {}, nullptr);
      return view_of(order);
    });
  port_call(
      order, "port-in cancel",
      [&] {
        for (const auto& c : view.carrier_orders)
          if (port_open(c.state) && !c.ref.empty()) porting->cancel(c.ref);
      },
      [&] { record_port(order, cancelled, {}, nullptr); });
  return view_of(order);
}

void Service::port_call(const PortOrder& order, std::string_view action, const std::function<void()>& call,
                        const std::function<void()>& record) {
  CarrierCall owed;
  owed.kind = CallKind::port;
  owed.number = call_key(order.id);
  owed.provider = order.provider;
  owed.action = std::string(action);
  owed.details = details({{"order", port_reference(order.id)}});
  if (!outbox().start(owed))
    fail(ErrorCategory::refused, port_reference(order.id) + " has a call to " + order.provider +
                                     " still open (being made, or owed since a failure): numctl port-in refresh settles it");
  try {
    call();
  } catch (const Error& error) {
    // Nothing recorded: a refusal is settled failed; not reached, left owed for refresh to read.
    if (error.category() == ErrorCategory::carrier) outbox().settle_alone(owed, CallState::owed, error.what());
    throw;
  }
  Store::Transaction transaction(store_);
  record();
  outbox().settle(owed, CallState::done);
  transaction.commit();
}

PortView Service::complete_port_in(std::string_view reference, const std::vector<std::string>& inputs, const RunOptions& run) {
  PortOrder order = require_port(reference);
  if (provider().porting() && order.provider == provider().name())
    fail(ErrorCategory::refused, order.provider + " decides when a port completes: numctl port-in refresh reads it");
  if (!port_open(order.state))
    fail(ErrorCategory::refused, port_reference(order.id) + " is " + std::string(to_string(order.state)) + " already");
  std::set<std::string> done;
  for (const auto& input : inputs) {
    std::string e164 = canonical_e164(input, std::nullopt);
    bool on_order = false;
    for (const auto& n : order.numbers) on_order = on_order || n.e164 == e164;
    if (!on_order) fail(ErrorCategory::invalid_input, e164 + " is not on " + port_reference(order.id));
    done.insert(e164);
  }
  auto view = view_of(order);
  CarrierPortOrder all;
  for (const auto& n : order.numbers) {
    all.numbers.push_back(n.e164);
    auto record = store_.find_number(n.e164);
    if (done.empty() || done.count(n.e164) || (record && record->status != Status::porting_in)) all.ported.push_back(n.e164);
  }
  all.state = all.ported.size() == all.numbers.size() ? PortState::ported : PortState::submitted;
  all.carrier_status = "completed by " + actor_;
  return in_transaction(run, [&] {
    record_port(order, {all}, {}, nullptr);
    return view_of(order);
  });
}

}  // namespace numctl
