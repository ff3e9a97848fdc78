// The outbox (carrier_calls), as one module: a call to a carrier is written owed or claimed by
// the process making it before the carrier hears of it, and settled with its outcome after, each
// step its own transaction. A claim belongs to a live process: on this host its pid is checked,
// on another one it lapses after a lease. So a crash at any point neither loses a call nor makes
// it twice, and the carrier is never called while the write lock is held. Orders, releases and
// the next kinds of call (compliance, porting, emergency addresses) go through it; what a call
// means to the ledger stays with the Service unit that makes it.
#pragma once

#include "numctl/clock.hpp"
#include "numctl/records.hpp"
#include "numctl/store.hpp"

#include <optional>
#include <string>
#include <vector>

namespace numctl {

class Outbox {
 public:
  Outbox(Store& store, const Clock& clock) : store_(store), clock_(clock) {}

  // Who claims calls: "host:pid".
  static std::string claimer();
  // Whether this process may make the call now: it is owed, or claimed by a process that is gone
  // (same host) or whose lease ran out (15 minutes).
  bool claimable(const CarrierCall& call) const;
  // The open calls of a kind this process may make now.
  std::vector<CarrierCall> claimable_calls(CallKind kind);

  // Writes `call` claimed by this process (calling, first attempt), in its own transaction,
  // before the carrier hears of it. False when a call of its kind is open for the number already.
  bool start(CarrierCall& call);
  // Claims the open call of `kind` for `number` for another attempt, inside the caller's
  // transaction; nothing when it was settled or taken meanwhile.
  std::optional<CarrierCall> claim(CallKind kind, const std::string& number);
  // Writes a call owed (whoever runs next makes it), inside the caller's transaction; an open one
  // for the number stays as it is.
  void owe(CarrierCall call);
  // The outcome, inside the caller's transaction: the claim released; done and failed are
  // settled (dated), owed waits for the next run; `error` is the carrier's words.
  void settle(CarrierCall& call, CallState state, const std::optional<std::string>& error = std::nullopt);
  // The same in a transaction of its own.
  void settle_alone(CarrierCall& call, CallState state, const std::optional<std::string>& error = std::nullopt);

 private:
  std::string now() const { return format_iso8601(clock_.now()); }

  Store& store_;
  const Clock& clock_;
};

}  // namespace numctl
