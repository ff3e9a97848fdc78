// The outbox (outbox.hpp), and what the ledger owes it: the calls open for a number, a withdrawn
// order's release, and whether an owed release still applies.
#include "outbox.hpp"
#include "service_impl.hpp"

#include <cerrno>
#include <csignal>
#include <unistd.h>

#include <algorithm>

namespace numctl {
namespace {

// An outbox call claimed by a process on another host is taken over only after this long.
constexpr auto claim_lease = std::chrono::minutes(15);

std::string host_name() {
  char name[256] = {};
  if (::gethostname(name, sizeof name - 1) != 0) return "localhost";
  return name;
}

}  // namespace

std::string Outbox::claimer() { return host_name() + ":" + std::to_string(::getpid()); }

bool Outbox::claimable(const CarrierCall& call) const {
  if (call.state == CallState::owed) return true;
  if (call.state != CallState::calling || !call.claimed_by) return false;
  auto colon = call.claimed_by->rfind(':');
  std::string host = call.claimed_by->substr(0, colon);
  if (host == host_name() && colon != std::string::npos) {
    pid_t pid = static_cast<pid_t>(std::atol(call.claimed_by->c_str() + colon + 1));
    if (pid == ::getpid()) return false;
    return ::kill(pid, 0) != 0 && errno == ESRCH;  // its process is gone
  }
  auto at = call.claimed_at ? parse_iso8601(*call.claimed_at) : std::nullopt;
  return !at || *at + claim_lease <= clock_.now();
}

std::vector<CarrierCall> Outbox::claimable_calls(CallKind kind) {
  auto calls = store_.open_carrier_calls(kind);
  std::erase_if(calls, [&](const CarrierCall& call) { return !claimable(call); });
  return calls;
}

bool Outbox::start(CarrierCall& call) {
  call.state = CallState::calling;
  call.claimed_by = claimer();
  call.claimed_at = call.created_at = now();
  call.attempts = 1;
  Store::Transaction transaction(store_);
  if (!store_.add_carrier_call(call)) return false;
  transaction.commit();
  return true;
}

std::optional<CarrierCall> Outbox::claim(CallKind kind, const std::string& number) {
  auto current = store_.open_carrier_call(kind, number);
  if (!current || !claimable(*current)) return std::nullopt;
  current->state = CallState::calling;
  current->claimed_by = claimer();
  current->claimed_at = now();
  ++current->attempts;
  store_.update_carrier_call(*current);
  return current;
}

void Outbox::owe(CarrierCall call) {
  call.state = CallState::owed;
  call.created_at = now();
  store_.add_carrier_call(call);
}

void Outbox::settle(CarrierCall& call, CallState state, const std::optional<std::string>& error) {
  call.state = state;
  call.claimed_by.reset();
  if (error) call.last_error = error;
  if (state == CallState::done || state == CallState::failed) call.settled_at = now();
  store_.update_carrier_call(call);
}

void Outbox::settle_alone(CarrierCall& call, CallState state, const std::optional<std::string>& error) {
  Store::Transaction transaction(store_);
  settle(call, state, error);
  transaction.commit();
}

std::vector<CarrierCall> Service::owed_calls(std::string_view input) {
  NumberRecord record = resolve(input);
  std::vector<CarrierCall> out;
  for (CallKind kind : all_call_kinds)
    if (auto call = store_.open_carrier_call(kind, record.e164)) out.push_back(std::move(*call));
  return out;
}

void Service::owe_withdrawal(const NumberRecord& record) {
  // Bought at a carrier (it holds and bills the number) but withdrawn here before it was ready:
  // released there as a sweep releases, through the outbox.
  auto kind = record.provider ? parse_provider_kind(*record.provider) : std::nullopt;
  if (!kind || !(*kind == ProviderKind::twilio || *kind == ProviderKind::telnyx) || !record.provider_ref) return;
  CarrierCall call;
  call.kind = CallKind::release;
  call.number = record.e164;
  call.provider = *record.provider;
  call.provider_ref = record.provider_ref;
  call.action = "withdraw";
  outbox().owe(call);
}

bool Service::still_leaving(const std::optional<NumberRecord>& record, std::string_view action, const std::string& now_text) {
  // The lifecycle table says whether the sweep's action still applies to the number's status;
  // its time guard (grace over, order stale) is checked against now.
  if (action == "release")
    return record && lifecycle::find(Action::release, record->status) && record->release_at && *record->release_at <= now_text;
  if (action == "expire") {
    if (!record || !lifecycle::find(Action::expire, record->status)) return false;
    auto expires = order_expires_at(*record);
    return expires && format_iso8601(*expires) <= now_text;
  }
  // A withdrawn order or an orphan: gone from the ledger, or cancelled there (not bought again).
  return !record || record->status == Status::cancelled;
}

}  // namespace numctl
