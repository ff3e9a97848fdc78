// What Service's operations take and give: options of a run, and the results commands render.
#pragma once

#include "numctl/clock.hpp"
#include "numctl/compliance.hpp"
#include "numctl/domain.hpp"
#include "numctl/money.hpp"
#include "numctl/porting.hpp"
#include "numctl/error.hpp"
#include "numctl/provider.hpp"
#include "numctl/reputation.hpp"
#include "numctl/records.hpp"

#include <cstdint>
#include <filesystem>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace numctl {

struct BuyOptions {
  std::optional<Assignee> assignee;
  std::optional<std::string> label;
  std::optional<NumberType> type;  // needed when libphonenumber cannot tell
  std::optional<std::string> region;
  bool force = false;  // buy a number released as high risk (retired as spam) again
  // A regulated country at a carrier: the compliance profile to order with (else the approved
  // one for the country and type), and whether a bundle still in review may take the order
  // once approved (the number waits, pending, until compliance refresh or sync places it).
  std::optional<std::string> compliance;
  bool when_approved = false;
  // Refuse any number whose monthly price is above this decimal amount (in its currency), or
  // whose price is not known.
  std::optional<std::string> max_price;
};

struct Bought {
  NumberRecord record;
  std::vector<std::string> required_documents;
};

struct Replacement {
  NumberRecord old_number;
  NumberRecord new_number;
  std::vector<std::string> required_documents;
};

// When a sweep acts. `as_of` defaults to the clock; a time later than the clock would release
// numbers early and is refused unless `force_time` (a dry run may look ahead freely).
struct SweepOptions {
  std::optional<TimePoint> as_of;
  bool force_time = false;
};

// Something that happens without anyone acting: a number releasing at the end of its grace
// period, or a pending order expiring; `action` says what would prevent or finish it.
struct DueEvent {
  NumberRecord record;
  std::string event;  // "release" | "expire"
  std::string at;     // ISO 8601
  std::string action;
};

struct SweepResult {
  std::vector<NumberRecord> released;
  std::vector<NumberRecord> expired;
  // Releases the carrier refused or could not be reached for: still owed, retried by the next
  // sweep (the numbers stay as they were, and keep costing until then).
  std::vector<Offender> owed;
};

struct ImportRow;
class Batch;

// How one call runs: with dry_run every check and write happens, then the transaction is rolled
// back; `progress` is told how far a long operation has come (activity, items done, items in
// all), and the caller decides whether and how to show it.
enum class DryRun : bool { no = false, yes = true };
using Progress = std::function<void(std::string_view activity, std::size_t done, std::size_t total)>;
// What an import does with a row whose number is in the inventory already: refuse the whole
// file (fail), leave the number as it is (skip), or change what differs through the lifecycle
// table, each change audited (update).
enum class OnConflict { fail, skip, update };

struct ImportOptions {
  bool trust_status = false;
  OnConflict on_conflict = OnConflict::fail;
};

struct RunOptions {
  DryRun dry_run = DryRun::no;
  Progress progress;
};

struct ImportResult {
  std::size_t imported = 0;
  std::size_t updated = 0;    // numbers in the inventory changed (--on-conflict update)
  std::size_t unchanged = 0;  // numbers in the inventory left as they were (skip, or nothing differed)
  std::size_t teams_created = 0;
  std::size_t members_created = 0;
};

struct Submitted {
  NumberRecord record;
  DocumentInfo info;
  std::vector<std::string> missing;  // required kinds still to submit
};

// sync: where the ledger and the carrier disagree.
struct SyncOptions {
  bool adopt = false;            // numbers the carrier holds that the ledger lacks: imported, active
  bool release_orphans = false;  // numbers released in the ledger the carrier still bills: released there
};

// A compliance profile to build at the carrier: fields and document kinds named as the carrier
// names them (business_name, proof_of_address; the bundle's notification address is `email`).
struct ComplianceRequest {
  std::string name;
  std::string country;
  NumberType type = NumberType::local;
  std::string end_user;  // Twilio's end-user type (business, individual); "" takes the only one
  std::vector<std::pair<std::string, std::string>> fields;
  std::vector<std::pair<std::string, std::filesystem::path>> documents;
};

// What a country requires: from the carrier (cached, with the time read), or the offline
// providers' [regulation].
struct RegulationsRead {
  std::string source;  // "twilio", "telnyx", or "[regulation]"
  std::vector<RegulationInfo> regulations;
  std::optional<std::string> read_at;
  bool cached = false;
};

struct ComplianceEvent {
  std::string at, state, carrier_status, reason;
};

// A profile as show renders it: what its carrier said, what is missing, its files (never their
// bytes), the names of its fields (never their values: names, addresses, tax ids), the numbers
// that use it, and its review history.
struct ComplianceView {
  ComplianceProfile profile;
  std::vector<std::string> fields;
  std::vector<std::string> missing;
  std::vector<ProfileDocument> documents;
  std::vector<NumberRecord> numbers;
  std::vector<ComplianceEvent> history;
};

// What compliance refresh (and sync) read and did: profiles whose review moved, numbers the
// carrier's approval turned active, orders placed for numbers that waited for a bundle.
struct ComplianceRefreshed {
  std::vector<ComplianceView> changed;
  std::size_t open = 0;  // reviews read
  std::vector<NumberRecord> activated;
  std::vector<NumberRecord> ordered;
  std::vector<Offender> problems;
};

// Prices: what `prices refresh` read and set, per country and type held.
struct PriceRefreshed {
  std::string country;
  NumberType type = NumberType::local;
  std::optional<Money> price;  // none: neither the carrier nor [prices] says
  std::int64_t changed = 0;    // numbers whose price this set
};
struct PricesRefreshed {
  std::string source;  // the carrier, or "[prices]"
  std::vector<PriceRefreshed> lines;
  std::vector<Offender> failed;  // countries the carrier did not answer for
};

// Spend: billed numbers grouped, per currency; for a past month, prorated by the days held.
struct CostQuery {
  CostGroup by = CostGroup::none;
  std::optional<std::string> month;  // YYYY-MM; none: a month at today's prices
};
struct CostReport {
  CostGroup by = CostGroup::none;
  std::optional<std::string> month;
  int days_in_month = 0;  // of `month`
  std::vector<CostRow> rows;
  Totals totals;  // per currency, over every row
};

// Call records: a file or a carrier's records stored as idleness needs them.
struct UsageImported {
  std::size_t records = 0;
  CallsStored stored;
  std::string source;                     // the file, or the carrier
  std::optional<std::string> read_until;  // a carrier's: where the next refresh goes on from
};

// port-in create: the numbers (as typed), the customer as the losing carrier knows them, the
// files, and the team or member they ring for from the first minute.
struct PortInRequest {
  std::vector<std::string> numbers;
  std::optional<std::string> region;
  std::optional<std::filesystem::path> loa, invoice;
  std::string name, address, email, pin, account_number, requested_date;
  std::optional<Assignee> assignee;
};

// An order with its numbers as the ledger has them and the carrier orders it became.
struct PortView {
  PortOrder order;
  std::string reference;  // port-7
  std::vector<NumberRecord> numbers;
  std::vector<CarrierPortOrder> carrier_orders;
  std::string name, email, requested_date, address;  // as given
  std::string pin, account_number;                   // masked
  std::vector<std::string> history;                  // "2026-12-05T10:00:00Z submitted", oldest first
};

// What port-in refresh (and sync) read and moved.
struct PortsRefreshed {
  std::vector<PortView> orders;            // the open orders read, as they stand now
  std::vector<NumberRecord> completed;     // ported in: active (or pending)
  std::vector<NumberRecord> failed;        // the order cancelled or failed for good
  std::vector<NumberRecord> ported_out;    // left by port (Telnyx port-outs)
  std::vector<PortOut> port_out_requests;  // waiting for the account's answer
  std::vector<Offender> errors;            // orders the carrier could not be asked about
};

struct SyncResult {
  std::vector<HeldNumber> unknown;    // held at the carrier, not in the ledger
  std::vector<NumberRecord> missing;  // in service in the ledger, not held at the carrier: they no longer ring
  std::vector<NumberRecord> orphans;  // released in the ledger, still held (and billed) at the carrier
  std::size_t adopted = 0, released = 0;
  std::vector<Offender> failed;  // orphans whose release the carrier refused
  SweepResult retried;           // releases owed since an earlier sweep, made now
  ComplianceRefreshed compliance;  // the carrier's verdicts read, and what they moved
  PricesRefreshed prices;          // the carrier's prices read, and the numbers they changed
  PortsRefreshed ports;            // port-in orders and port-outs read, and what they moved
  std::vector<NumberRecord> emergency;  // numbers whose emergency registration the carrier moved
  bool in_sync() const { return unknown.size() == adopted && missing.empty() && orphans.size() == released; }
};

// Reputation: what a feed or refresh stores, and what the policy then changes.
struct ReputationOptions {
  std::optional<std::string> source;  // for rows without one (--source)
  bool skip_unknown = false;          // readings of numbers not in the inventory: skipped, not refused
  bool apply = true;                  // run the policy in the same transaction (--no-apply: not)
  bool replace = false;               // replace the numbers the policy flagged, at once
};

// A number the policy changed, with the reading that decided it (for an unflag, the newest of
// the readings that cleared it).
struct RiskChange {
  NumberRecord record;
  Reading reading;
};

struct ReputationApplied {
  std::vector<RiskChange> flagged, unflagged;
  std::vector<Replacement> replaced;  // with replace: the flagged numbers' replacements
};

struct ReadingsStored {
  std::size_t added = 0, known = 0;
  std::vector<Offender> skipped;  // numbers not in the inventory (--skip-unknown), or not checked
  std::optional<ReputationApplied> applied;
};

// What `show` says of a number's reputation.
struct RiskView {
  std::optional<int> score;               // the highest fresh score
  std::optional<std::string> checked_at;  // when that reading was checked
  std::optional<RiskBand> band;
  std::vector<Reading> latest_by_source;  // the newest reading of each source
  std::vector<Reading> trend;             // the last readings, oldest first
};

struct DocumentStatus {
  std::vector<std::string> required;
  std::vector<std::string> missing;
  std::vector<DocumentInfo> documents;
};

}  // namespace numctl
