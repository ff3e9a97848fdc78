// Where numbers are bought from. The seam lets a carrier's API join the catalog and inventory.
#pragma once

#include "numctl/compliance.hpp"
#include "numctl/config.hpp"
#include "numctl/domain.hpp"
#include "numctl/emergency.hpp"
#include "numctl/money.hpp"
#include "numctl/porting.hpp"
#include "numctl/records.hpp"

#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace numctl {

struct AvailabilityRequest {
  std::string country;
  std::optional<NumberType> type;
  std::string contains;      // digits the number must contain
  std::string near_digits;   // prefer numbers sharing these leading national digits (replace)
  std::size_t limit = 10;
  std::string area_code;     // a carrier's filters (available --area-code, --locality, --capability)
  std::string locality;
  std::vector<std::string> capabilities;  // voice, sms, mms
};

// A number a provider offers, with what a carrier says about it.
struct Offer {
  std::string e164;
  std::string locality;                   // city or region, as the carrier names it
  std::vector<std::string> capabilities;  // voice, sms, mms, fax
  std::optional<std::string> monthly_price, currency;
};

// What ordering a number at a carrier came to.
struct OrderOutcome {
  enum class State { completed, pending, failed } state = State::completed;
  std::string provider_ref;  // the carrier's id of the number, once it has one
  std::string order_ref;     // the carrier's order, while it is pending (Telnyx)
  std::string message;       // the carrier's words when it failed
};

// A number the carrier holds for the account.
struct HeldNumber {
  std::string e164;
  std::string provider_ref;
};

// What a carrier's price list says a type of number costs a month in a country.
struct ListPrice {
  NumberType type = NumberType::local;
  Money monthly;
};

// One call as a carrier's call detail records give it.
struct CallRecord {
  std::string to, from;  // as the carrier wrote them (E.164 for numbers it carries)
  std::string at;        // when the call started, ISO 8601 UTC
  bool inbound = true;   // to one of the account's numbers; else made from one
};

// A carrier refused or could not be reached: exit 6, with its status and words.
struct CarrierFault {
  long http_status = 0;  // 0: not reached
  std::string code;      // the carrier's error code ("21422"), when it gives one
  std::string message;
};

// A carrier's regulatory compliance API: what it requires, the profiles numctl builds there and
// its verdict on them. Every call may raise the carrier's fault (exit 6).
class ComplianceCarrier {
 public:
  virtual ~ComplianceCarrier() = default;
  // What the carrier requires for numbers of this country and type (empty: nothing).
  virtual std::vector<RegulationInfo> regulations(const std::string& country, NumberType type) = 0;
  // Makes at the carrier what `build` lacks (end user, documents, the profile, its items), each
  // once, and answers with the carrier's evaluation of the profile where it has one.
  virtual Review build(ComplianceBuild& build) = 0;
  // Sends the profile for review; its state after.
  virtual Review submit(const std::string& profile_ref) = 0;
  // Where the carrier's review stands (the regulation names the requirements a reason cites).
  virtual Review review(const std::string& profile_ref, const RegulationInfo* regulation) = 0;
  // The name the carrier gives the profile in messages: "bundle", "requirement group".
  virtual std::string_view profile_word() const = 0;
  // Twilio sells a regulated number only with an approved bundle (bundle first); Telnyx takes
  // the order and holds it until it approves (order first).
  virtual bool approval_before_order() const = 0;
};

// A carrier's porting API: port-in orders numctl creates there and reads back, and the port-out
// requests other carriers make for the account's numbers. Every call may raise the carrier's
// fault (exit 6).
class PortingCarrier {
 public:
  virtual ~PortingCarrier() = default;
  // The carrier's portability check of each number.
  virtual std::vector<Portability> portability(const std::vector<std::string>& numbers) = 0;
  // Creates the order under request.reference (the carrier may split it per losing carrier),
  // gives each part the customer, the address, the files and the date, and submits it. With
  // `resuming`, orders already made under the reference are found and finished, never made twice.
  virtual std::vector<CarrierPortOrder> create(const PortRequest& request, bool resuming) = 0;
  // The orders made under numctl's reference, as they read now.
  virtual std::vector<CarrierPortOrder> find(const PortRequest& request) = 0;
  virtual CarrierPortOrder read(const std::string& ref) = 0;
  virtual void cancel(const std::string& ref) = 0;
  // Gives the carrier's orders `refs` the request's details again (an exception fixed); their
  // state after. Refused where the carrier changes no order once made (Twilio).
  virtual std::vector<CarrierPortOrder> update(const PortRequest& request, const std::vector<std::string>& refs);
  // Whether the carrier lists port-out requests (Telnyx); Twilio tells of a port-out only by
  // webhook, so its port-outs are recorded by hand.
  virtual bool lists_port_outs() const { return false; }
  virtual std::vector<PortOut> port_outs() { return {}; }
  // Answers a port-out request waiting for the account: authorized or rejected-pending.
  virtual void answer_port_out(const std::string& id, bool approve, const std::string& reason);
};

class Provider {
public:
  virtual ~Provider() = default;
  virtual std::string_view name() const = 0;
  // A carrier reached over the network (twilio, telnyx): orders and releases go through the
  // outbox. The offline providers (catalog, inventory) hold nothing anyone pays for.
  virtual bool remote() const { return false; }
  // E.164 numbers that can be bought now; `owned` tells which the business already holds.
  virtual std::vector<std::string> available(const AvailabilityRequest& request,
                                             const std::function<bool(const std::string&)>& owned) = 0;
  // The same with what the carrier says about each (locality, capabilities, price).
  virtual std::vector<Offer> offers(const AvailabilityRequest& request,
                                    const std::function<bool(const std::string&)>& owned);
  // Orders one number, with the carrier's compliance profile when its country needs one.
  // Offline: completed at once.
  virtual OrderOutcome order(const std::string& e164, NumberType type, const std::string& country,
                             const std::string& compliance_ref = {});
  // The carrier's compliance API; none for the offline providers.
  virtual ComplianceCarrier* compliance() { return nullptr; }
  // The carrier's porting API; none for the offline providers (orders completed by hand).
  virtual PortingCarrier* porting() { return nullptr; }
  // The carrier's emergency address and caller ID APIs; none for the offline providers (the
  // ledger keeps addresses and registrations by hand).
  virtual EmergencyCarrier* emergency() { return nullptr; }
  // A pending order's state now (Telnyx number_orders).
  virtual OrderOutcome order_status(const std::string& order_ref);
  // The number as the carrier holds it, or nothing when the account does not hold it.
  virtual std::optional<HeldNumber> lookup(const std::string& e164);
  // Releases a number; true when released, false when the carrier did not hold it (a 404),
  // which counts as released too.
  virtual bool release(const HeldNumber& number);
  // Every number the account holds, page by page (memory stays flat).
  virtual void for_each_held(const std::function<void(const HeldNumber&)>& visit);
  // The carrier's monthly prices for numbers of a country (of one type, or of each type it has
  // when none is given). Offline providers: nothing (the config's [prices] apply).
  virtual std::vector<ListPrice> prices(const std::string& country, std::optional<NumberType> type);
  // Whether one prices() call answers for every type of a country (Twilio's price list); else a
  // call per type (Telnyx prices offers), and a refresh asks only for the types held.
  virtual bool prices_whole_country() const { return true; }
  // The account's calls that started at or after `since` (ISO 8601), oldest first as the
  // carrier pages them (memory stays flat). Offline providers: none.
  virtual void for_each_call(const std::string& since, const std::function<void(const CallRecord&)>& visit);
  // Which account and credentials (masked), after one cheap authenticated call.
  virtual std::string check();
};

// Valid numbers of any country and type libphonenumber knows, generated deterministically.
std::unique_ptr<Provider> make_catalog_provider();
// Numbers listed in a CSV file the business holds from its carrier (column `number`, optional
// `country`, `type`).
std::unique_ptr<Provider> make_inventory_provider(const std::filesystem::path& file);
// The provider the settings name. A carrier's credentials come from the environment or the
// settings' credentials_file (never the config file); the carrier is not called until needed.
std::unique_ptr<Provider> make_provider(const ProviderSettings& settings);

// A service that says how carriers' analytics label numbers, asked by `reputation refresh`
// (feed files are read by `reputation import`). Telnyx Number Reputation today; another service
// is another implementation of this.
class ReputationSource {
public:
  virtual ~ReputationSource() = default;
  virtual std::string_view name() const = 0;
  // Readings of `numbers` (E.164), or of every number the service monitors when empty; `fresh`
  // asks for a live check (billed by some services) instead of the last one the service holds.
  // A reading without a score (score < 0) gives its risk level. A number the service cannot
  // check goes to `skipped` with the reason.
  virtual void readings(const std::vector<std::string>& numbers, bool fresh,
                        const std::function<void(const Reading&)>& visit,
                        const std::function<void(const std::string& number, const std::string& why)>& skipped) = 0;
};

// The reputation service of the configured provider; a config error naming what is needed when
// it has none.
std::unique_ptr<ReputationSource> make_reputation_source(const ProviderSettings& settings);

}  // namespace numctl
