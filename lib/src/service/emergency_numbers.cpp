// Emergency registrations and caller ID names on numbers: set and cleared for a batch in one
// transaction (every offender named), each carrier call owed there and made after, settled with
// the carrier's answer; refresh sends what is owed and reads what is pending; a team's default
// address on numbers assigned to it.
#include "numctl/emergency_service.hpp"
#include "domain/validation.hpp"
#include "numctl/text.hpp"
#include "service_impl.hpp"

#include <nlohmann/json.hpp>

#include <algorithm>

namespace numctl {
namespace {

std::string field_of(const CarrierCall& call, const char* key) {
  auto body = nlohmann::json::parse(call.details, nullptr, false);
  if (!body.is_object() || !body.contains(key) || !body[key].is_string()) return {};
  return body[key].get<std::string>();
}

std::optional<std::string> stored(EmergencyStatus status) {
  if (status == EmergencyStatus::none) return std::nullopt;
  return std::string(to_string(status));
}

}  // namespace

bool EmergencyService::note_registration(NumberRecord& record, const std::optional<Address>& address, bool at_carrier) {
  auto was = record.emergency_address;
  record.emergency_address = address ? std::optional(address->name) : std::nullopt;
  record.emergency_status = stored(!address     ? EmergencyStatus::none
                                   : at_carrier ? EmergencyStatus::pending
                                                : EmergencyStatus::registered);
  s_.store_.update_number(record);
  s_.record_audit(record.e164, Action::emergency, record.status, record.status,
                  details({{"address", record.emergency_address},
                           {"was", was},
                           {"status", record.emergency_status},
                           {"by_hand", at_carrier ? std::nullopt : std::optional<std::string>("true")}}));
  if (!at_carrier) return true;
  CarrierCall call;
  call.kind = CallKind::emergency;
  call.number = record.e164;
  call.provider = *record.provider;
  call.provider_ref = record.provider_ref;
  call.action = address ? "emergency_set" : "emergency_clear";
  // Clearing names the address registered, which a carrier may ask for (Telnyx).
  std::optional<std::string> ref = address ? address->provider_ref : std::nullopt;
  if (!address && was)
    if (auto old = s_.store_.find_address(*was)) ref = old->provider_ref;
  call.details = details({{"address", record.emergency_address}, {"address_ref", ref}});
  call.state = CallState::owed;
  call.created_at = s_.now_iso();
  return s_.store_.add_carrier_call(call);
}

EmergencyChanged EmergencyService::set_emergency(const std::vector<std::string>& inputs, const std::optional<std::string>& name,
                                                 bool local, const RunOptions& run) {
  std::optional<Address> address;
  if (name) address = require_address(*name);
  EmergencyCarrier* at = local ? nullptr : carrier();
  const std::string provider(s_.provider().name());
  if (address && address->state == "creating")
    fail(ErrorCategory::refused, "address {} is still being created at {}: numctl address add {} finishes it", address->name,
         provider, address->name);
  if (at && address && address->provider != provider)
    fail(ErrorCategory::refused,
         "address {} is kept in the ledger only, not at {}: add it there with numctl address add (or record a registration "
         "made elsewhere with --local)",
         address->name, provider);
  EmergencyChanged out;
  out.numbers = s_.for_each_owned(inputs, Action::emergency, run, [&](NumberRecord& record) {
    if (address && record.type == NumberType::toll_free)
      fail(ErrorCategory::refused, "{} is toll-free: toll-free numbers make no emergency calls", record.display);
    if (address && address->postal.country != record.country)
      fail(ErrorCategory::refused, "{} is a {} number; address {} is in {}", record.display, record.country, address->name,
           address->postal.country);
    bool calls = at != nullptr;
    if (calls && (record.provider != provider || !record.provider_ref))
      fail(ErrorCategory::refused,
           "{} has no id at {} yet (its order is still open, or it lives elsewhere): register it once it "
           "is held there, or record it with --local",
           record.display, provider);
    if (!address && !record.emergency_address) return;  // nothing to clear
    if (address && record.emergency_address == address->name && emergency_status_of(record) == EmergencyStatus::registered)
      return;  // registered with it already
    if (!note_registration(record, address, calls))
      fail(ErrorCategory::refused, "{} has an emergency call to {} still open: numctl emergency refresh settles it",
           record.display, provider);
  });
  if (at && run.dry_run == DryRun::no) send_batch(CallKind::emergency, out);
  return out;
}

void EmergencyService::send(CallKind kind, const std::vector<std::string>& numbers, EmergencyRefreshed& out) {
  EmergencyCarrier* at = carrier();
  if (!at) return;
  std::vector<std::string> owed = numbers;
  if (owed.empty())
    for (const auto& call : s_.outbox().claimable_calls(kind))
      if (call.provider == s_.provider().name()) owed.push_back(call.number);
  for (const auto& number : owed) {
    std::optional<CarrierCall> call;
    {
      Store::Transaction transaction(s_.store_);
      call = s_.outbox().claim(kind, number);
      transaction.commit();
    }
    if (!call) continue;
    ++out.sent;
    EmergencyRegistration registration;
    try {
      if (!call->provider_ref) fail(ErrorCategory::refused, "the number has no id at {}", call->provider);
      if (kind == CallKind::emergency)
        registration = at->register_address(*call->provider_ref, field_of(*call, "address_ref"), call->action == "emergency_set");
      else
        at->set_cnam(*call->provider_ref, field_of(*call, "cnam"));
    } catch (const Error& error) {
      if (error.category() != ErrorCategory::carrier && error.category() != ErrorCategory::refused) throw;
      if (carrier_refused(error)) {
        refused(*call, error, out);
      } else {
        s_.outbox().settle_alone(*call, CallState::owed, error.what());
        out.failed.push_back({number, "", std::string(error.what()) + " (owed: numctl emergency refresh sends it)"});
      }
      continue;
    }
    settle(*call, registration, out);
  }
}

void EmergencyService::settle(CarrierCall& call, const EmergencyRegistration& registration, EmergencyRefreshed& out) {
  Store::Transaction transaction(s_.store_);
  s_.outbox().settle(call, CallState::done);
  auto record = s_.store_.find_number(call.number);
  bool ours = record && call.kind == CallKind::emergency && record->emergency_address &&
              *record->emergency_address == field_of(call, "address");
  if (ours && record->emergency_status != stored(registration.status)) {
    note_status(*record, registration, call.provider, out);
    if (registration.status == EmergencyStatus::failed)
      out.failed.push_back(
          {record->display, "", registration.reason.empty() ? "registration failed at " + call.provider : registration.reason});
  }
  transaction.commit();
}

void EmergencyService::note_status(NumberRecord& record, const EmergencyRegistration& registration, const std::string& provider,
                                   EmergencyRefreshed& out) {
  record.emergency_status = stored(registration.status);
  s_.store_.update_number(record);
  ActingAs as(s_.actor_, provider);
  s_.store_.append_audit(
      {s_.now_iso(), s_.actor_, "emergency_status", record.e164, std::string(to_string(record.status)),
       std::string(to_string(record.status)),
       details({{"address", record.emergency_address},
                {"status", std::string(to_string(registration.status))},
                {"carrier_status", registration.carrier_status},
                {"reason", registration.reason.empty() ? std::nullopt : std::optional(registration.reason)}})});
  out.changed.push_back(record);
}

void EmergencyService::send_batch(CallKind kind, EmergencyChanged& changed) {
  std::vector<std::string> numbers;
  for (const auto& r : changed.numbers) numbers.push_back(r.e164);
  EmergencyRefreshed sent;
  send(kind, numbers, sent);
  for (auto& record : changed.numbers)
    if (auto now = s_.store_.find_number(record.e164)) record = *now;
  changed.failed = std::move(sent.failed);
}

void EmergencyService::refused(CarrierCall& call, const Error& error, EmergencyRefreshed& out) {
  Store::Transaction transaction(s_.store_);
  s_.outbox().settle(call, CallState::failed, error.what());
  auto record = s_.store_.find_number(call.number);
  if (record) {
    ActingAs as(s_.actor_, call.provider);
    if (call.kind == CallKind::emergency && record->emergency_address) {
      record->emergency_status = stored(EmergencyStatus::failed);
    } else if (call.kind == CallKind::cnam) {
      // The carrier kept the name it had: so does the ledger.
      auto was = field_of(call, "was");
      record->cnam = was.empty() ? std::nullopt : std::optional(was);
    }
    s_.store_.update_number(*record);
    s_.store_.append_audit({s_.now_iso(), s_.actor_, call.kind == CallKind::cnam ? "caller_name" : "emergency_status",
                            record->e164, std::string(to_string(record->status)), std::string(to_string(record->status)),
                            details({{"status", std::string("failed")}, {"reason", std::string(error.what())}})});
    out.changed.push_back(*record);
  }
  out.failed.push_back({record ? record->display : call.number, "", error.what()});
  transaction.commit();
}

EmergencyRefreshed EmergencyService::refresh(const RunOptions& run) {
  EmergencyRefreshed out;
  EmergencyCarrier* at = carrier();
  if (!at || run.dry_run == DryRun::yes) return out;
  send(CallKind::emergency, {}, out);
  send(CallKind::cnam, {}, out);
  Filter pending;
  pending.emergency = {EmergencyStatus::pending};
  pending.include_cancelled = true;
  std::vector<NumberRecord> waiting;
  s_.store_.for_each_number(pending, Sort{}, Page{}, [&](const NumberRecord& r) {
    if (r.provider == s_.provider().name() && r.provider_ref) waiting.push_back(r);
  });
  for (auto& record : waiting) {
    if (s_.store_.open_carrier_call(CallKind::emergency, record.e164)) continue;  // its change is not made yet
    EmergencyRegistration registration;
    try {
      registration = at->registration(*record.provider_ref);
    } catch (const Error& error) {
      if (error.category() != ErrorCategory::carrier) throw;
      out.failed.push_back({record.display, "", error.what()});
      continue;
    }
    Store::Transaction transaction(s_.store_);
    auto now = s_.store_.find_number(record.e164);
    if (now && now->emergency_status != stored(registration.status) && now->emergency_address == record.emergency_address)
      note_status(*now, registration, *record.provider, out);
    transaction.commit();
  }
  return out;
}

EmergencyChanged EmergencyService::set_cnam(const std::vector<std::string>& inputs, const std::optional<std::string>& name,
                                            const RunOptions& run) {
  if (name)
    if (auto problem = cnam_problem(*name)) fail(ErrorCategory::invalid_input, *problem);
  EmergencyCarrier* at = carrier();
  if (at)
    if (auto why = at->cnam_refusal(); !why.empty()) fail(ErrorCategory::refused, why);
  const std::string provider(s_.provider().name());
  EmergencyChanged out;
  out.numbers = s_.for_each_owned(inputs, Action::caller_name, run, [&](NumberRecord& record) {
    if (at && (record.provider != provider || !record.provider_ref))
      fail(ErrorCategory::refused, "{} has no id at {} yet (its order is still open, or it lives elsewhere)", record.display,
           provider);
    if (record.cnam == name) return;
    auto was = record.cnam;
    record.cnam = name;
    s_.store_.update_number(record);
    s_.record_audit(record.e164, Action::caller_name, record.status, record.status, details({{"cnam", name}, {"was", was}}));
    if (!at) return;
    CarrierCall call;
    call.kind = CallKind::cnam;
    call.number = record.e164;
    call.provider = provider;
    call.provider_ref = record.provider_ref;
    call.action = name ? "cnam_set" : "cnam_clear";
    call.details = details({{"cnam", name}, {"was", was}});
    call.created_at = s_.now_iso();
    if (!s_.store_.add_carrier_call(call))
      fail(ErrorCategory::refused, "{} has a caller ID call to {} still open: numctl emergency refresh settles it",
           record.display, provider);
  });
  if (at && run.dry_run == DryRun::no) send_batch(CallKind::cnam, out);
  return out;
}

}  // namespace numctl
