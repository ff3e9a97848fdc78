// sync: the ledger against the carrier's own list. The carrier's numbers are streamed page by
// page and looked up one by one (the ledger's unique index), so memory follows the differences,
// not the size of either side.
#include "service_impl.hpp"
#include "numctl/emergency_service.hpp"
#include "numctl/error.hpp"
#include "numctl/phone.hpp"
#include "domain/validation.hpp"

#include <unordered_set>

namespace numctl {

// Numbers only the carrier holds, written into the ledger as active (sync --adopt).
void Service::adopt_unknown(SyncResult& result, const RunOptions& run) {
  std::string name(provider().name());
  in_transaction(run, [&] {
    std::string now = now_iso();
    for (const auto& held : result.unknown) {
      ParsedNumber parsed;
      try {
        parsed = parse_phone_number(held.e164, std::nullopt);
      } catch (const Error& error) {
        result.failed.push_back({held.e164, "", error.what()});
        continue;
      }
      // A number the carrier sells as fixed line or mobile (North America) is taken as local.
      auto type = settle_type(parsed, std::nullopt);
      NumberRecord fresh = record_of(parsed, type ? type.value() : NumberType::local);
      // In service at the carrier, so in service here: whatever a regulator asks for, the
      // carrier had it to give the number out.
      fresh.status = Status::active;
      fresh.bought_at = fresh.activated_at = now;
      fresh.provider = name;
      fresh.provider_ref = held.provider_ref;
      if (!store_.insert_number(fresh)) continue;
      record_audit(fresh.e164, Action::buy, std::nullopt, fresh.status,
                   details({{"type", std::string(to_string(fresh.type))},
                            {"adopted", "held at " + name + ", not in the ledger (numctl sync --adopt)"},
                            {"provider", name},
                            {"provider_ref", held.provider_ref}}));
      ++result.adopted;
    }
    return 0;
  });
}

// Numbers the ledger released that the carrier still bills: released there through the outbox.
void Service::release_orphans(SyncResult& result) {
  Provider& carrier = provider();
  std::string name(carrier.name());
  for (auto& record : result.orphans) {
    CarrierCall call;
    call.kind = CallKind::release;
    call.number = record.e164;
    call.provider = name;
    call.provider_ref = record.provider_ref;
    call.action = "release_orphan";
    if (!outbox().start(call)) continue;  // a sweep is releasing it already
    std::optional<Error> error;
    bool was_held = true;
    try {
      was_held = carrier.release(HeldNumber{record.e164, record.provider_ref.value_or("")});
    } catch (const Error& e) {
      if (e.category() == ErrorCategory::database || e.category() == ErrorCategory::internal) throw;
      error = e;
    }
    Store::Transaction transaction(store_);
    if (error) {
      outbox().settle(call, CallState::owed, error->what());
      result.failed.push_back({record.display, "", error->what()});
    } else {
      outbox().settle(call, CallState::done);
      ++result.released;
      AuditEntry entry;
      entry.at = now_iso();
      entry.actor = actor_;
      entry.action = "carrier_release";
      entry.number = record.e164;
      entry.from_status = entry.to_status = std::string(to_string(record.status));
      entry.details = details(
          {{"provider", name},
           {"provider_ref", record.provider_ref},
           {"carrier", was_held ? "released (still billed after numctl released it)" : "not held by the carrier any more"}});
      store_.append_audit(std::move(entry));
    }
    transaction.commit();
  }
}

SyncResult Service::sync(const SyncOptions& options, const RunOptions& run) {
  Provider& carrier = provider();
  if (!carrier.remote())
    fail(ErrorCategory::config, "sync compares the ledger with a carrier's list; [provider] kind is " +
                                    std::string(carrier.name()) + " (set it to twilio or telnyx)");
  SyncResult result;
  if (run.dry_run == DryRun::no) {
    // The carrier's verdicts first: approved orders placed or completed, rejections shown.
    if (carrier.compliance()) review_open_profiles(result.compliance);
    settle_interrupted_orders();
    // Releases an earlier sweep could not make: owed still, so made now.
    release_owed(now_iso(), std::nullopt, run, result.retried);
    for (auto& owed : result.retried.owed) result.failed.push_back(std::move(owed));
    // Ports read before the comparison: a number that arrived is held, one that left by port
    // is ported_out, not drift.
    if (carrier.porting()) {
      result.ports = refresh_ports(run);
      // An order the carrier could not be asked about is reported as a failure (exit 6).
      for (const auto& error : result.ports.errors) result.failed.push_back(error);
    }
    // Emergency registrations: owed changes sent, pending ones read.
    if (carrier.emergency()) {
      auto read = EmergencyService(*this).refresh(run);
      result.emergency = std::move(read.changed);
      for (auto& failed : read.failed) result.failed.push_back(std::move(failed));
    }
  }
  std::string name(carrier.name());
  std::unordered_set<std::string> held_in_service;
  std::size_t seen = 0;
  carrier.for_each_held([&](const HeldNumber& held) {
    report(run, "reading the carrier's list", ++seen, 0);
    auto record = store_.find_number(held.e164);
    if (!record) result.unknown.push_back(held);
    else if (record->status == Status::cancelled) {
      record->provider_ref = held.provider_ref;  // the id the carrier bills it under now
      result.orphans.push_back(std::move(*record));
    } else {
      held_in_service.insert(held.e164);
    }
  });
  // Numbers in service that were bought at this carrier (or imported without a provider) and
  // that it does not hold.
  // What the carrier bills it holds: not a number ported in yet, released or ported away.
  Filter in_service;
  in_service.statuses = lifecycle::statuses_where(lifecycle::billed);
  store_.for_each_number(in_service, Sort{}, Page{}, [&](const NumberRecord& record) {
    if (record.provider && *record.provider != name) return;
    // Not held yet: its order is open at the carrier, or waits for a bundle's approval.
    if (record.status == Status::pending && !record.provider_ref && record.provider) return;
    if (!held_in_service.count(record.e164)) result.missing.push_back(record);
  });
  if (options.adopt && !result.unknown.empty()) adopt_unknown(result, run);
  if (options.release_orphans && !result.orphans.empty() && run.dry_run == DryRun::no) release_orphans(result);
  // What the carrier charges now for the numbers held (a country it does not answer for is
  // reported, not fatal: the ledger's comparison stands).
  result.prices = refresh_prices(run);
  return result;
}

}  // namespace numctl
