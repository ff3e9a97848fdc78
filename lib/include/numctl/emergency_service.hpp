// Emergency addresses, their registration on numbers, caller ID names and the gap report
// (service/emergency_*.cpp): a unit of the Service, over its store, carrier, outbox and audit.
// Every change is one transaction, all-or-nothing with every offender named; a carrier call is
// owed before it is made and settled after (the outbox), so a crash neither loses nor repeats one.
#pragma once

#include "numctl/emergency.hpp"
#include "numctl/service.hpp"

#include <optional>
#include <string>
#include <vector>

namespace numctl {

struct AddressAdded {
  Address address;
  std::optional<PostalAddress> typed;  // what the operator typed, when the carrier's suggestion replaced it
};

struct AddressView {
  Address address;
  std::int64_t numbers = 0, teams = 0;  // what names it
};

// What the carrier said of the numbers changed, and the numbers as they stand after.
struct EmergencyChanged {
  std::vector<NumberRecord> numbers;
  // Numbers the carrier refused (their status failed) or could not be reached for (still owed:
  // emergency refresh sends them), with its words.
  std::vector<Offender> failed;
};

struct EmergencyRefreshed {
  std::size_t sent = 0;               // owed calls made now
  std::vector<NumberRecord> changed;  // numbers whose registration status the carrier moved
  std::vector<Offender> failed;
};

// The gap report's counts: numbers that make calls in the [emergency] countries, by where their
// registration stands.
struct EmergencyGaps {
  std::vector<std::string> countries;
  std::int64_t missing = 0, pending = 0, failed = 0, registered = 0;
};

class EmergencyService {
 public:
  explicit EmergencyService(Service& service) : s_(service) {}

  // Checks the address (at the carrier too: a correction it suggests is taken only with
  // `accept_suggestion`), stores it, and creates it at the carrier through the outbox.
  AddressAdded add_address(Address address, bool accept_suggestion, const RunOptions& run = {});
  std::vector<Address> addresses();
  AddressView address(std::string_view name);  // not_found (exit 3) for an unknown name
  // Refused while a number or a team names it; removed at the carrier too.
  Address remove_address(std::string_view name, const RunOptions& run = {});

  // Registers `address` (clears, when none) on the numbers at their carrier; `local`: in the
  // ledger only, as registered by hand (offline providers always are).
  EmergencyChanged set_emergency(const std::vector<std::string>& inputs, const std::optional<std::string>& address, bool local,
                                 const RunOptions& run = {});
  // Sends owed calls, then reads every pending registration at the carrier.
  EmergencyRefreshed refresh(const RunOptions& run = {});
  // Sets (clears, when none) the numbers' caller ID name, checked before any carrier call.
  EmergencyChanged set_cnam(const std::vector<std::string>& inputs, const std::optional<std::string>& name,
                            const RunOptions& run = {});
  // A team's default address, applied to numbers assigned to it that have none.
  void set_team_address(const std::string& team, const std::optional<std::string>& address, const RunOptions& run = {});

  // Which numbers the gap report covers: active and high_risk, local and mobile, in the
  // [emergency] countries; `statuses` narrows to registrations in those states.
  Filter gap_scope(std::vector<EmergencyStatus> statuses = {}) const;
  EmergencyGaps gaps();
  // Due events: each failed registration, and one line each for missing and pending ones.
  void due(std::vector<DueEvent>& events);

 private:
  friend class Service;  // a team's default address on buy and assign
  // The configured carrier's emergency API, or none (offline providers).
  EmergencyCarrier* carrier();
  Address require_address(std::string_view name);
  // The ledger's side of a registration (or clearing, without an address): the number's fields,
  // its audit row and, at a carrier, the call owed (false when one is open already).
  bool note_registration(NumberRecord& record, const std::optional<Address>& address, bool at_carrier);
  // Makes the owed calls of `kind` for `numbers` (every claimable one when empty): each claimed,
  // made, and settled with what the carrier said, in a transaction of its own.
  void send(CallKind kind, const std::vector<std::string>& numbers, EmergencyRefreshed& out);
  void settle(CarrierCall& call, const EmergencyRegistration& registration, EmergencyRefreshed& out);
  // The carrier's word on a number's registration written to the ledger, by the carrier, inside
  // the caller's transaction.
  void note_status(NumberRecord& record, const EmergencyRegistration& registration, const std::string& provider,
                   EmergencyRefreshed& out);
  // After a batch committed: its owed calls made, its numbers read back as they stand.
  void send_batch(CallKind kind, EmergencyChanged& changed);
  void refused(CarrierCall& call, const Error& error, EmergencyRefreshed& out);

  Service& s_;
};

}  // namespace numctl
