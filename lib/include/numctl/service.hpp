// Every operation on the inventory. Each asks the lifecycle table, writes in one transaction
// (all-or-nothing, every offender named) and appends to the audit history.
#pragma once

#include "numctl/clock.hpp"
#include "numctl/config.hpp"
#include "numctl/domain.hpp"
#include "numctl/error.hpp"
#include "numctl/import.hpp"
#include "numctl/lifecycle.hpp"
#include "numctl/provider.hpp"
#include "numctl/reputation.hpp"
#include "numctl/records.hpp"
#include "numctl/service_types.hpp"
#include "numctl/store.hpp"
#include "numctl/suggest.hpp"

#include <filesystem>
#include <map>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace numctl {

struct Problem;
namespace import_steps {
struct Names;
}

class Service {
public:
  Service(Store& store, Config config, const Clock& clock, std::string actor);

  const Config& config() const { return config_; }

  // Resolves what an operator typed to an owned number; not_found when not in the inventory.
  NumberRecord resolve(std::string_view input, const std::optional<std::string>& region = {});
  // The operator actions the rules allow on this number now (a passed deadline closes some).
  std::vector<Action> allowed_actions(const NumberRecord& record);
  // E.164 of what an operator typed (national forms need `region` or default_region).
  std::string canonical_e164(std::string_view input, const std::optional<std::string>& region) const;

  std::vector<Bought> buy(const std::vector<std::string>& inputs, const BuyOptions& options, const RunOptions& run = {});
  std::vector<Bought> buy_from_provider(const AvailabilityRequest& request, std::size_t count,
                                        const BuyOptions& options, const RunOptions& run = {});
  // Numbers the provider offers that are free to take: not owned, and not released as high risk.
  std::vector<std::string> available(const AvailabilityRequest& request);
  // The same with what the carrier says about each number (locality, capabilities, price).
  // What the provider offers now. Offers numctl cannot read as a valid number (a carrier's
  // data, not the operator's input) are left out and counted in `skipped` when given.
  std::vector<Offer> offers(const AvailabilityRequest& request, std::size_t* skipped = nullptr);
  // Compares the ledger with the carrier's list (streamed) and, as asked, adopts what only the
  // carrier holds and releases what the ledger released; settles interrupted orders first.
  SyncResult sync(const SyncOptions& options, const RunOptions& run = {});
  // Which provider, which credentials (masked), after one cheap authenticated call.
  std::string provider_check();
  // Calls owed to the carrier for a number (an order or a release not yet settled).
  std::vector<CarrierCall> owed_calls(std::string_view input);
  // An offered number as a purchase would record it: display form, country, type, and the
  // status it would get (pending where the country asks for documents). Nothing is written.
  NumberRecord purchase_preview(const std::string& e164, std::optional<NumberType> type);

  std::vector<NumberRecord> assign(const std::vector<std::string>& inputs, const Assignee& assignee, const RunOptions& run = {});
  std::vector<NumberRecord> unassign(const std::vector<std::string>& inputs, const RunOptions& run = {});
  std::vector<NumberRecord> flag(const std::vector<std::string>& inputs, const std::optional<std::string>& reason,
                                 const RunOptions& run = {});
  std::vector<NumberRecord> unflag(const std::vector<std::string>& inputs, const std::optional<std::string>& reason = {},
                                   const RunOptions& run = {});
  std::vector<NumberRecord> cancel(const std::vector<std::string>& inputs, const std::optional<std::string>& reason,
                                   const RunOptions& run = {});
  std::vector<NumberRecord> restore(const std::vector<std::string>& inputs, const RunOptions& run = {});
  // One transaction for all; `with` names the new number when exactly one is replaced.
  std::vector<Replacement> replace(const std::vector<std::string>& inputs, const std::optional<std::string>& with,
                                   const RunOptions& run = {});

  // One file stored for each number given (one transaction), with what each still misses.
  std::vector<Submitted> submit_document(const std::vector<std::string>& inputs, const std::string& kind,
                                         const std::filesystem::path& file, const RunOptions& run = {});
  DocumentStatus document_status(std::string_view input);
  std::string document_content(std::string_view input, const std::string& kind);
  std::vector<NumberRecord> approve(const std::vector<std::string>& inputs, const RunOptions& run = {});
  // When a pending order expires: its stored deadline (pending_expiry_days after the order, its
  // import, or its last submitted document, whichever came last); for orders placed before
  // deadlines were stored, pending_expiry_days after the later of purchase and last document.
  std::optional<TimePoint> order_expires_at(const NumberRecord& record);
  std::vector<NumberRecord> reject(const std::vector<std::string>& inputs, const std::string& reason,
                                   const RunOptions& run = {});

  // Compliance at the carrier (service/compliance.cpp). What a country requires: the carrier's
  // regulations (cached; read again with `refresh`), or [regulation] for the offline providers.
  RegulationsRead regulations(const std::string& country, std::optional<NumberType> type, bool refresh);
  // Builds the profile at the carrier (each object once, through the outbox) and says what its
  // evaluation finds missing; nothing is submitted.
  ComplianceView create_compliance(const ComplianceRequest& request, const RunOptions& run = {});
  // More fields or documents for a profile (a draft, or one the carrier rejected).
  ComplianceView update_compliance(const ComplianceRequest& request, const RunOptions& run = {});
  // Sends the profile for the carrier's review; refused while its evaluation names what is missing.
  ComplianceView submit_compliance(const std::string& name, const RunOptions& run = {});
  std::vector<ComplianceProfile> compliance_profiles();
  // The document kinds a profile's regulation asks for (every cached regulation's when `profile`
  // names none), from the cache only: completion never calls the carrier.
  std::vector<std::string> document_kinds(const std::string& profile);
  ComplianceView compliance_view(const std::string& name);
  // Finishes profiles a crash left half-built, reads every open review, moves the numbers the
  // verdict decides (approved: active, or ordered when they waited; rejected: the reason shown).
  ComplianceRefreshed refresh_compliance(const RunOptions& run = {});

  // The audit entries carry the time acted for, and the clock's time (run_at) when it differs.
  SweepResult sweep(const SweepOptions& options = {}, const RunOptions& run = {});
  std::vector<AuditEntry> history(std::string_view input);
  // Releases and expiries due up to `until` (including overdue ones the sweep has not done yet),
  // soonest first.
  std::vector<DueEvent> due(TimePoint until);
  // How many releases and order expiries due() would list (without what to do about each, which
  // costs a look at every order's documents): (releasing, expiring).
  std::pair<std::int64_t, std::int64_t> due_counts(TimePoint until);

  // All-or-nothing: every bad row is reported (one invalid_input error) and nothing is written.
  // A row without a status gets the one a purchase would (pending where the country asks for
  // documents); a row that says a regulated number is already in service is accepted only with
  // `trust_status` (the documents are held elsewhere), and its audit entry says so.
  ImportResult import_rows(const std::vector<ImportRow>& rows, const ImportOptions& options = {},
                           const RunOptions& run = {});

  // Stores a feed's readings, all-or-nothing: every bad row named (invalid_input), numbers not in
  // the inventory refused (not_found) unless skip_unknown; then, unless !apply, runs the policy
  // in the same transaction.
  ReadingsStored import_readings(const std::vector<ReadingRow>& rows, const ReputationOptions& options,
                                 const RunOptions& run = {});
  // The same, straight from a feed's text: rows are checked as they are read.
  ReadingsStored import_readings(std::string_view content, ImportFormat format, const ReputationOptions& options,
                                 const RunOptions& run = {});
  // Readings from the configured provider's reputation service, of `inputs` or of every number
  // it monitors; stored and applied as import_readings does.
  ReadingsStored refresh_reputation(const std::vector<std::string>& inputs, bool fresh, const ReputationOptions& options,
                                    const RunOptions& run = {});
  // The policy (reputation.hpp) over the stored readings, in one transaction, through the
  // lifecycle table; audit rows by the actor "reputation". With replace, the numbers it flagged
  // are then replaced through the replace path.
  ReputationApplied apply_reputation(bool replace, const RunOptions& run = {});
  std::vector<Reading> readings(ReadingQuery query);
  RiskView risk_view(const NumberRecord& record);
  // Removes readings checked before `before`; returns how many.
  std::int64_t prune_readings(TimePoint before, const RunOptions& run = {});

  // Prices and spend (service/prices.cpp). What a number of this country and type costs a month:
  // the carrier's price list (read once, cached), or [prices] for the offline providers.
  std::optional<Money> list_price(const std::string& country, NumberType type);
  // Reads the prices of every country and type held (one carrier call per country) and sets the
  // numbers' prices where they changed, each audited.
  PricesRefreshed refresh_prices(const RunOptions& run = {});
  // What billed numbers cost a month now, or cost in a past month (prorated by day from the
  // audit's purchases and releases), grouped, per currency.
  CostReport cost(const CostQuery& query);

  // Call records (service/usage.cpp). A file of call detail records (or stdin for "-"), read as
  // it streams, all-or-nothing: every bad row named by its line; numbers not in the inventory
  // skipped and counted.
  UsageImported import_usage(const std::string& file, std::optional<ImportFormat> format, const RunOptions& run = {});
  // The carrier's call records since `since` (else from where the last refresh stopped).
  UsageImported refresh_usage(std::optional<TimePoint> since, const RunOptions& run = {});
  // Drops the call keys and daily counts of days before `before`; returns the days dropped.
  std::int64_t prune_usage(TimePoint before, const RunOptions& run = {});
  // Idle numbers ([usage] idle_days without an inbound call) per currency, where what they cost a
  // month is above [usage] report_above: (count, monthly total) by currency. Empty when
  // report_above is not set.
  std::vector<std::pair<Money, std::int64_t>> idle_spend();
  // Calls a number took and made over the days kept.
  std::pair<std::int64_t, std::int64_t> calls_kept(const NumberRecord& record) { return store_.calls_kept(record.id); }

  // Porting (service/porting*.cpp). Records a port-in order (its numbers porting_in, assigned
  // ahead of the cut-over) and creates it at the carrier through the outbox; offline, it waits
  // for port-in complete.
  PortView create_port_in(const PortInRequest& request, const RunOptions& run = {});
  std::vector<PortView> port_orders(bool all);
  // "port-7 (foc_confirmed, FOC 2027-01-05T14:00:00Z)": the newest order a number was on, if any.
  std::optional<std::string> port_summary(const NumberRecord& record);
  PortView port_view(std::string_view reference);
  // New details for an order (Telnyx: written to its orders there; offline: kept).
  PortView update_port_in(std::string_view reference, const PortInRequest& changes, const RunOptions& run = {});
  // Reads every open order (finishing one a crash left half-made) and the carrier's port-outs,
  // and moves the numbers they decide.
  PortsRefreshed refresh_ports(const RunOptions& run = {});
  PortView cancel_port_in(std::string_view reference, const RunOptions& run = {});
  // Offline providers: the port happened (all numbers, or those given).
  PortView complete_port_in(std::string_view reference, const std::vector<std::string>& inputs, const RunOptions& run = {});
  std::vector<PortOut> port_out_requests();
  PortOut answer_port_out(const std::string& id, bool approve, const std::string& reason, const RunOptions& run = {});
  // Numbers that left by port, as the operator learnt it (Twilio's webhook, a letter): ported_out.
  std::vector<NumberRecord> record_port_out(const std::vector<std::string>& inputs, const std::optional<std::string>& date,
                                            const std::optional<std::string>& carrier, const RunOptions& run = {});

  void add_team(const std::string& name, const RunOptions& run = {});
  void remove_team(const std::string& name, const RunOptions& run = {});
  void add_member(const std::string& name, const std::optional<std::string>& team, const RunOptions& run = {});
  void remove_member(const std::string& name, const RunOptions& run = {});
  // Edits, each one transaction with audit rows.
  std::vector<NumberRecord> set_label(const std::vector<std::string>& inputs, const std::optional<std::string>& label,
                                      const RunOptions& run = {});
  void rename_team(const std::string& from, const std::string& to, const RunOptions& run = {});
  // Moves FROM's numbers and members into INTO and removes FROM. Returns (numbers, members) moved.
  std::pair<std::int64_t, std::int64_t> merge_team(const std::string& from, const std::string& into,
                                                   const RunOptions& run = {});
  void move_member(const std::string& member, const std::optional<std::string>& team, const RunOptions& run = {});

private:
 friend class EmergencyService;
 // A team's default emergency address on a number newly assigned to it that has none (the
 // carrier's call owed), and those owed calls made once the change committed.
 void owe_team_address(NumberRecord& record);
 void send_team_addresses(const std::vector<NumberRecord>& records, const RunOptions& run);
 // Runs `work` in one write transaction, committed unless this is a dry run.
 template <typename Work>
 auto in_transaction(const RunOptions& run, Work&& work);
 // Applies `step` to every input inside one transaction; refusals are collected and raised together.
 std::vector<NumberRecord> for_each_owned(const std::vector<std::string>& inputs, Action action, const RunOptions& run,
                                          const std::function<void(NumberRecord&)>& step);
 Replacement replace_one(NumberRecord& old_number, const std::optional<std::string>& with);
 std::vector<Replacement> replace_at_carrier(const std::vector<std::string>& inputs, const std::optional<std::string>& with,
                                             const RunOptions& run);
 // The old number of a replacement enters its grace period, pointing at its replacement.
 void retire_replaced(NumberRecord& old_number, const Transition& transition, const NumberRecord& fresh);
 // One action's step on one owned number (require_transition, change, apply with audit).
 void assign_one(NumberRecord& record, const Assignee& assignee);
 void unassign_one(NumberRecord& record);
 void flag_one(NumberRecord& record, const std::optional<std::string>& reason);
 void unflag_one(NumberRecord& record, const std::optional<std::string>& why = std::nullopt);
 // A team or member by name, case folded as Unicode folds it ("Ventes Équipe" is "ventes équipe").
 std::optional<std::int64_t> team_named(std::string_view name);
 std::optional<std::int64_t> member_named(std::string_view name);
 // One assign row per number whose team a rename or merge changed, so history replays to it.
 void note_team_change(const std::vector<NumberRecord>& numbers, const std::string& to, const std::string& was,
                       std::string_view how);
 // A withdrawn order the carrier holds the number for: its release is owed (the next sweep).
 void owe_withdrawal(const NumberRecord& record);
 // Whether the ledger still has the number on its way out for an owed release's `action`.
 bool still_leaving(const std::optional<NumberRecord>& record, std::string_view action, const std::string& now_text);
 void set_label_one(NumberRecord& record, const std::optional<std::string>& label);
 void cancel_one(NumberRecord& record, const std::optional<std::string>& reason);
 void restore_one(NumberRecord& record);
 // The id of a team or member an import row names, created on first sight (file order).
 std::int64_t import_team(import_steps::Names& names, const std::string& name, ImportResult& result);
 std::int64_t import_member(import_steps::Names& names, const ImportRow& row, ImportResult& result);
 std::vector<std::pair<std::size_t, NumberRecord>> set_aside_owned(std::vector<std::size_t>& unique,
                                                                   const std::vector<NewNumber>& checked,
                                                                   const ImportOptions& options, std::vector<bool>& acting,
                                                                   ImportResult& result);
 // Also settles the ids the row's number is assigned to, if it adds one.
 void check_assignee(const ImportRow& row, NewNumber& add, import_steps::Names& names, ImportResult& result,
                     const std::function<void(const Problem&)>& refuse);
 // The rows that add a number made whole (dates, their audit details, held in `audit_details`),
 // in number order; a row refused goes to `refuse`, in that order.
 using Refuse = std::function<void(const Problem&, std::size_t row, const std::string& number)>;
 std::vector<const NewNumber*> prepare_adds(const std::vector<ImportRow>& rows, std::vector<NewNumber>& checked,
                                            const std::vector<std::size_t>& unique,
                                            const std::vector<std::optional<Problem>>& if_added, const ImportOptions& options,
                                            const import_steps::Names& names, std::vector<std::string>& audit_details,
                                            const Refuse& refuse);
 // An import row for a number in the inventory: its differences applied as actions. False when
 // nothing differed.
 bool update_from_row(NumberRecord& record, const ImportRow& row, const NewNumber& checked);
 const Transition& require_transition(const NumberRecord& record, Action action);
 // Why a transition's time guard closes it now (grace over, order expired), or nothing.
 std::optional<std::string> deadline_passed(const NumberRecord& record, const Transition& transition);
 // The audit entry is dated `at` (a sweep's time acted for), else now.
 void apply(NumberRecord& record, const Transition& transition, std::string_view details_json,
            std::optional<std::string_view> at = std::nullopt);
 void record_audit(const std::string& number, Action action, std::optional<Status> from, std::optional<Status> to,
                   std::string_view details_json, std::optional<std::string_view> at = std::nullopt);
 void record_event(std::string_view action, std::string_view details_json);
 std::int64_t require_team(std::string_view name);
 std::int64_t require_member(std::string_view name);
 void set_assignee(NumberRecord& record, const std::optional<Assignee>& assignee);
 // Where a number bought through a carrier lives: the provider, its id there, and the carrier's
 // order while it is still open (the number is pending until the carrier completes it).
 struct AtCarrier {
   std::string provider, ref, open_order;
   std::string compliance;  // the profile the order used
   bool waiting = false;    // not ordered yet: the order waits for the profile's approval
 };
  Bought buy_one(const struct ParsedNumber& parsed, const BuyOptions& options, NumberType type,
                 const std::optional<std::string>& replaces = std::nullopt,
                 const std::optional<AtCarrier>& held = std::nullopt);
  // An order the carrier placed: the number into the ledger, its call settled (or left open
  // while the carrier completes the order).
  Bought record_order(CarrierCall& call, const NumberRecord& r, const BuyOptions& options, const struct OrderOutcome& outcome,
                      const std::string& compliance = {});
  // A carrier order still open (Telnyx): completed, the number goes on as any purchase;
  // failed, it is withdrawn; pending, it waits.
  void settle_carrier_order(CarrierCall& call, const std::string& order_ref);
  // With a carrier: every number checked as an offline purchase would be (then rolled back),
  // each ordered through the outbox, the ledger written as each order completes.
  std::vector<Bought> buy_at_carrier(const std::vector<std::string>& inputs, const BuyOptions& options,
                                     const RunOptions& run);
  // sync's two repairs: numbers only the carrier holds adopted (--adopt), numbers the ledger
  // released that the carrier still bills released there (--release-orphans).
  void adopt_unknown(SyncResult& result, const RunOptions& run);
  void release_orphans(SyncResult& result);
  // Orders whose process died before their outcome was written: the carrier is asked.
  void settle_interrupted_orders();
  // Compliance (service/compliance.cpp). The carrier's compliance API, or a config error saying
  // that the offline providers use [regulation] and approve.
  ComplianceCarrier& compliance_carrier();
  std::vector<RegulationInfo> carrier_regulations(const std::string& country, NumberType type, bool refresh,
                                                  std::optional<std::string>* read_at = nullptr);
  ComplianceProfile require_profile(const std::string& name);
  // Builds (or finishes building) the profile at the carrier through the outbox; the objects'
  // ids are stored as each is made. `resuming`: an earlier run may have made some unrecorded.
  Review build_profile(ComplianceProfile& profile, bool resuming);
  // build_profile through the outbox (a call owed until it is done; a carrier's fault leaves it
  // for compliance refresh), its review recorded; a rejected profile stays rejected until submitted.
  ComplianceView build_at_carrier(ComplianceProfile& profile, std::string_view action, bool resuming);
  // The carrier's answer stored: state, status, reason, missing, a history entry, an audit row.
  void record_review(ComplianceProfile& profile, const Review& review, std::string_view how);
  ComplianceView view_of(const ComplianceProfile& profile);
  // The documents given as KIND=FILE, checked as docs submit checks files, stored with the profile.
  void add_profile_documents(ComplianceProfile& profile, const RegulationInfo& regulation,
                             const std::vector<std::pair<std::string, std::filesystem::path>>& documents);
  // The profile a purchase at the carrier orders with, when its country needs one; refused
  // (exit 4) before any carrier call when there is none it may use.
  std::optional<ComplianceProfile> profile_for_order(const NumberRecord& planned, const BuyOptions& options);
  // Reads the open reviews and acts on their verdicts (refresh_compliance, sync).
  void review_open_profiles(ComplianceRefreshed& result);
  // Orders that waited for a bundle, placed now that it is approved.
  void place_waiting_orders(const ComplianceProfile& profile, ComplianceRefreshed& result);
  // A pending number whose review belongs to a carrier: approve is refused, the sweep leaves it.
  bool reviewed_at_carrier(const NumberRecord& record) const;
  SweepResult sweep_at_carrier(TimePoint now, const std::optional<std::string>& run_at, const RunOptions& run);
  // Makes every owed release the carrier has not confirmed yet and settles each (sweep, sync).
  void release_owed(const std::string& now_text, const std::optional<std::string>& run_at, const RunOptions& run,
                    SweepResult& result);
  std::vector<CarrierCall> claim_releases(const std::vector<CarrierCall>& calls, std::size_t begin, std::size_t end,
                                          const std::string& now_text);
  // The sweep's two steps on one number, dated `at` (the time acted for).
  void release_one(NumberRecord& record, const std::string& at, const std::optional<std::string>& run_at,
                   const struct AuditDetails& carrier_details);
  void expire_one(NumberRecord& record, const std::string& at, const std::optional<std::string>& run_at,
                  const struct AuditDetails& carrier_details);
  // Porting's steps: an order and its carrier orders as read written to the ledger (numbers
  // moved, audited); the order's request rebuilt for the carrier; the due events of porting.
  void record_port(PortOrder& order, const std::vector<CarrierPortOrder>& carrier_orders,
                   const std::map<std::string, std::string>& refs, PortsRefreshed* moved);
  PortRequest port_request(const PortOrder& order);
  PortView view_of(const PortOrder& order);
  PortOrder require_port(std::string_view reference);
  void port_due(TimePoint until, std::vector<DueEvent>& events);
  // A change to an order at the carrier (cancel, update) through the outbox: claimed first, then
  // made; `record` writes what it came to, and the call is settled, in one transaction.
  void port_call(const PortOrder& order, std::string_view action, const std::function<void()>& call,
                 const std::function<void()>& record);
  void move_ported_out(const PortOut& request, PortsRefreshed& result);
  // The outbox (lib/src/service/outbox.hpp) over this store and clock.
  class Outbox outbox();
  // The policy's steps inside the caller's transaction.
  ReputationApplied apply_policy();
  // Every source's newest fresh reading of the number scores below clear_below.
  bool sources_below(const std::string& e164, const std::string& fresh_since);
  ReadingsStored store_checked(Batch& batch, std::vector<Reading>& readings, const std::vector<std::string>& where,
                              const ReputationOptions& options, const RunOptions& run);
  // `label` names a reading (by its index in `readings`) in messages: "line 4".
  ReadingsStored store_readings(std::vector<Reading>& readings, const std::function<std::string(std::size_t)>& label,
                                const ReputationOptions& options, const RunOptions& run);
  void replace_flagged(ReputationApplied& applied, const RunOptions& run);
  std::vector<Bought> buy_inputs(const std::vector<std::string>& inputs, const BuyOptions& options);
  Provider& provider();
  std::string now_iso() const;
  // The deadline of a pending order whose clock starts at `from`.
  std::string order_deadline(TimePoint from) const;

  // The price a purchase records: the carrier's offer for that number, else the list price.
  std::optional<Money> price_of(const std::string& e164, const std::string& country, NumberType type);
  // Refused (exit 4) when --max-price is set and the number costs more, or its price is unknown.
  void check_max_price(const NumberRecord& record, const BuyOptions& options);

  Store& store_;
  Config config_;
  const Clock& clock_;
  std::string actor_;
  std::unique_ptr<Provider> provider_;
  std::map<std::string, Money> offered_prices_;              // by E.164, from the offers read
  std::map<std::string, std::optional<Money>> list_prices_;  // by "CC.type", as read
};


}  // namespace numctl
