// The emergency gap report (numbers that make calls where an emergency address is required,
// without a registered one) and a team's default address on the numbers assigned to it.
#include "numctl/emergency_service.hpp"
#include "service_impl.hpp"

namespace numctl {

Filter EmergencyService::gap_scope(std::vector<EmergencyStatus> statuses) const {
  Filter scope;
  scope.statuses = lifecycle::statuses_where(lifecycle::makes_calls);
  scope.types = {NumberType::local, NumberType::mobile};  // toll-free numbers make no emergency calls
  scope.countries = s_.config_.emergency.countries;
  scope.emergency = std::move(statuses);
  return scope;
}

EmergencyGaps EmergencyService::gaps() {
  EmergencyGaps out;
  out.countries = s_.config_.emergency.countries;
  if (out.countries.empty()) return out;
  for (const auto& [status, count] : s_.store_.emergency_counts(gap_scope())) {
    switch (status) {
      case EmergencyStatus::none: out.missing += count; break;
      case EmergencyStatus::pending: out.pending += count; break;
      case EmergencyStatus::failed: out.failed += count; break;
      case EmergencyStatus::registered: out.registered += count; break;
    }
  }
  return out;
}

void EmergencyService::due(std::vector<DueEvent>& events) {
  if (s_.config_.emergency.countries.empty()) return;
  Filter failed = gap_scope({EmergencyStatus::failed});
  std::vector<NumberRecord> records;
  s_.store_.for_each_number(failed, Sort{}, Page{}, [&](const NumberRecord& r) { records.push_back(r); });
  for (auto& record : records) {
    std::string action = fmt::format(
        "emergency registration of {} failed at {}: correct the address, then numctl emergency set {} "
        "--address NAME",
        record.emergency_address.value_or("its address"), record.provider.value_or("the carrier"), record.e164);
    events.push_back({std::move(record), "emergency_failed", s_.now_iso(), std::move(action)});
  }
}

void Service::owe_team_address(NumberRecord& record) {
  if (record.emergency_address || !record.team || record.type == NumberType::toll_free) return;
  if (!lifecycle::find(Action::emergency, record.status)) return;
  auto team = store_.team_id(*record.team);
  auto name = team ? store_.team_address(*team) : std::nullopt;
  if (!name) return;
  auto address = store_.find_address(*name);
  if (!address || address->postal.country != record.country || address->state == "creating") return;
  // At a carrier the number needs its id there and the address must live there too; else the
  // ledger records it (the offline providers' registration by hand).
  bool at_carrier = provider().remote() && provider().emergency() && record.provider == std::string(provider().name());
  if (at_carrier && (!record.provider_ref || address->provider != record.provider)) return;
  EmergencyService(*this).note_registration(record, *address, at_carrier);
}

void Service::send_team_addresses(const std::vector<NumberRecord>& records, const RunOptions& run) {
  if (run.dry_run == DryRun::yes || !provider().remote() || !provider().emergency()) return;
  std::vector<std::string> owed;
  for (const auto& r : records)
    if (r.emergency_status && *r.emergency_status == to_string(EmergencyStatus::pending)) owed.push_back(r.e164);
  if (owed.empty()) return;
  EmergencyRefreshed sent;
  EmergencyService(*this).send(CallKind::emergency, owed, sent);
}

}  // namespace numctl
