// Emergency addresses: added (checked by the carrier, its correction taken only when the
// operator says so, created there through the outbox), listed, shown, removed; a team's default.
#include "numctl/emergency_service.hpp"
#include "domain/validation.hpp"
#include "numctl/text.hpp"
#include "service_impl.hpp"

namespace numctl {
namespace {

std::string call_key(std::int64_t id) { return "address:" + std::to_string(id); }

std::string address_details(const Address& a, const std::optional<PostalAddress>& typed) {
  return details({{"address", a.name},
                  {"postal", to_string(a.postal)},
                  {"customer_name", a.customer_name.empty() ? std::nullopt : std::optional(a.customer_name)},
                  {"provider", a.provider},
                  {"provider_ref", a.provider_ref},
                  {"typed", typed ? std::optional(to_string(*typed)) : std::nullopt}});
}

}  // namespace

EmergencyCarrier* EmergencyService::carrier() {
  Provider& provider = s_.provider();
  return provider.remote() ? provider.emergency() : nullptr;
}

Address EmergencyService::require_address(std::string_view typed) {
  std::string name = to_nfc(typed);
  if (auto found = s_.store_.find_address(name)) return *found;
  std::vector<std::string> known;
  for (const auto& a : s_.store_.addresses()) known.push_back(a.name);
  fail(ErrorCategory::not_found, no_such("address", name, known, "add it with numctl address add"));
}

AddressAdded EmergencyService::add_address(Address a, bool accept_suggestion, const RunOptions& run) {
  a.name = to_nfc(text::trim(a.name));
  if (a.name.empty()) fail(ErrorCategory::invalid_input, "an address needs a NAME (e.g. numctl address add HQ ...)");
  require(check_free_text("name", a.name));
  a.customer_name = to_nfc(text::trim(a.customer_name));
  a.contact = to_nfc(text::trim(a.contact));
  for (auto* field : {&a.postal.street, &a.postal.city, &a.postal.region, &a.postal.postal_code})
    *field = to_nfc(text::trim(*field));
  a.postal.country = text::upper(text::trim(a.postal.country));
  EmergencyCarrier* at = carrier();
  auto problems = address_problems(a, at != nullptr);
  if (!problems.empty()) fail(ErrorCategory::invalid_input, "address " + a.name + ": " + text::join(problems, "; "));
  const std::string provider(s_.provider().name());

  // A run that stopped after its call was owed finishes it: the carrier is asked first.
  bool resuming = false;
  if (auto existing = s_.store_.find_address(a.name)) {
    if (existing->state != "creating" || !at)
      fail(ErrorCategory::refused, "an address named {} exists already (numctl address show {})", existing->name, existing->name);
    a.id = existing->id;
    a.name = existing->name;
    resuming = true;
  }
  AddressAdded out{a, std::nullopt};
  if (at && !resuming) {
    auto check = at->validate(a);
    if (check.result == AddressCheck::Result::invalid)
      fail(ErrorCategory::refused, "{} cannot validate the address of {}: {}; correct it and run numctl address add again",
           provider, a.name, check.reason.empty() ? "no reason given" : check.reason);
    if (check.result == AddressCheck::Result::suggested && check.suggestion != a.postal) {
      if (!accept_suggestion)
        fail(ErrorCategory::refused,
             "{} suggests \"{}\" for \"{}\": run again with --accept-suggestion to take it, or correct the address", provider,
             to_string(check.suggestion), to_string(a.postal));
      out.typed = a.postal;
      a.postal = check.suggestion;
    }
  }
  a.created_at = s_.now_iso();
  if (!at) {
    a.state = "local";
    return s_.in_transaction(run, [&] {
      if (!s_.store_.save_address(a)) fail(ErrorCategory::refused, "an address named {} exists already", a.name);
      s_.record_event("address_add", address_details(a, out.typed));
      out.address = a;
      return out;
    });
  }
  if (run.dry_run == DryRun::yes) {
    out.address = a;
    return out;
  }
  a.state = "creating";
  a.provider = provider;
  CarrierCall call;
  {
    Store::Transaction transaction(s_.store_);
    if (!resuming) s_.store_.save_address(a);
    if (auto open = s_.outbox().claim(CallKind::address, call_key(a.id))) {
      call = *open;
    } else {
      call.kind = CallKind::address;
      call.number = call_key(a.id);
      call.provider = provider;
      call.action = "address_add";
      call.details = details({{"address", a.name}});
      call.state = CallState::calling;
      call.claimed_by = Outbox::claimer();
      call.claimed_at = call.created_at = s_.now_iso();
      call.attempts = 1;
      if (!s_.store_.add_carrier_call(call))
        fail(ErrorCategory::refused, "address {} is being created at {} by another run; wait for it", a.name, provider);
    }
    transaction.commit();
  }
  std::string ref;
  try {
    ref = at->create_address(a, accept_suggestion, resuming);
  } catch (const Error& error) {
    if (error.category() != ErrorCategory::carrier) throw;
    Store::Transaction transaction(s_.store_);
    if (carrier_refused(error)) {
      // Refused for good: nothing of it stays, so the same name may be added again corrected.
      s_.outbox().settle(call, CallState::failed, error.what());
      s_.store_.remove_address(a.id);
    } else {
      s_.outbox().settle(call, CallState::owed, error.what());
    }
    transaction.commit();
    if (carrier_refused(error)) throw;
    throw Error(ErrorCategory::carrier,
                std::string(error.what()) + " (numctl address add " + a.name + " again finishes it, nothing made twice)", {},
                error.fields());
  }
  Store::Transaction transaction(s_.store_);
  a.provider_ref = ref;
  a.state = "validated";
  s_.store_.save_address(a);
  s_.outbox().settle(call, CallState::done);
  s_.record_event("address_add", address_details(a, out.typed));
  transaction.commit();
  out.address = a;
  return out;
}

std::vector<Address> EmergencyService::addresses() { return s_.store_.addresses(); }

AddressView EmergencyService::address(std::string_view name) {
  AddressView view{require_address(name)};
  std::tie(view.numbers, view.teams) = s_.store_.address_users(view.address.name);
  return view;
}

Address EmergencyService::remove_address(std::string_view name, const RunOptions& run) {
  auto view = address(name);
  const Address& a = view.address;
  if (view.numbers || view.teams)
    fail(ErrorCategory::refused,
         "address {} is in use by {} numbers and {} teams: move them first (numctl filter --emergency-address {} --format plain "
         "| numctl emergency set - --address OTHER, numctl team set TEAM --no-emergency-address)",
         a.name, view.numbers, view.teams, a.name);
  EmergencyCarrier* at = a.provider_ref && a.provider == s_.provider().name() ? carrier() : nullptr;
  if (a.provider_ref && !at)
    fail(ErrorCategory::config, "address {} lives at {}; configure that provider to remove it there", a.name, *a.provider);
  if (run.dry_run == DryRun::yes) return a;
  if (at) {
    CarrierCall call;
    call.kind = CallKind::address;
    call.number = call_key(a.id);
    call.provider = *a.provider;
    call.provider_ref = a.provider_ref;
    call.action = "address_remove";
    if (!s_.outbox().start(call))
      fail(ErrorCategory::refused, "address {} has a call to {} still open: numctl emergency refresh settles it", a.name,
           *a.provider);
    try {
      at->delete_address(*a.provider_ref);
    } catch (const Error& error) {
      if (error.category() == ErrorCategory::carrier)
        s_.outbox().settle_alone(call, carrier_refused(error) ? CallState::failed : CallState::owed, error.what());
      throw;
    }
    Store::Transaction transaction(s_.store_);
    s_.outbox().settle(call, CallState::done);
    s_.store_.remove_address(a.id);
    s_.record_event("address_remove", address_details(a, std::nullopt));
    transaction.commit();
    return a;
  }
  s_.in_transaction(run, [&] {
    s_.store_.remove_address(a.id);
    s_.record_event("address_remove", address_details(a, std::nullopt));
    return 0;
  });
  return a;
}

void EmergencyService::set_team_address(const std::string& team, const std::optional<std::string>& name, const RunOptions& run) {
  std::int64_t id = s_.require_team(team);
  std::optional<Address> address;
  if (name) address = require_address(*name);
  s_.in_transaction(run, [&] {
    auto was = s_.store_.team_address(id);
    s_.store_.set_team_address(id, address ? std::optional(address->name) : std::nullopt);
    s_.record_event("team_address",
                    details({{"team", team}, {"address", address ? std::optional(address->name) : std::nullopt}, {"was", was}}));
    return 0;
  });
}

}  // namespace numctl
