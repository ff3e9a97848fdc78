// Persistence of numbers, teams, members, documents, the outbox, readings and the audit history. The interface
// speaks the domain only; each engine lives in its own folder under lib/src/store/ (SQLite,
// the embedded default, in lib/src/store/sqlite/).
#pragma once

#include "numctl/carrier_stores.hpp"
#include "numctl/domain.hpp"
#include "numctl/emergency.hpp"
#include "numctl/location.hpp"
#include "numctl/money.hpp"
#include "numctl/query.hpp"
#include "numctl/records.hpp"

#include <cstdint>
#include <filesystem>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace numctl {

// Numbers: one at a time, in bulk, listed and counted, and what the sweep has due.
class NumberStore {
 public:
  virtual ~NumberStore() = default;

  // Within a transaction, before changing `count` numbers one by one in no particular order: room
  // enough in the engine's cache that no page is written out and dirtied again.
  virtual void expect_scattered_changes(std::size_t count) = 0;
  // Whether a batch should name its numbers up front (prefetch_numbers): an engine across a
  // network answers one statement for the batch faster than one a number.
  virtual bool wants_prefetch() const { return false; }
  // Within a write transaction, before changing these numbers one by one: the engine may read
  // them in one statement and hold the batch's number and audit writes until its next other
  // statement or the commit, then write them with one statement each.
  virtual void prefetch_numbers(const std::vector<std::string>& e164s) { (void)e164s; }

  virtual std::optional<NumberRecord> find_number(std::string_view e164) = 0;
  // Adds a number (setting record.id) with its assignment; false, and nothing written, when the
  // number is in the inventory already.
  virtual bool insert_number(NumberRecord& record, std::optional<std::int64_t> team_id = std::nullopt,
                             std::optional<std::int64_t> member_id = std::nullopt) = 0;
  virtual void update_number(const NumberRecord& record) = 0;

  // Adds many numbers set-based, in the order given, with their search entries and one audit
  // entry each (`action`, from no status to the number's). Returns the positions in `rows` of
  // numbers in the inventory already; when there are any, the caller must roll back.
  // `progress` sees the rows as they are read.
  virtual std::vector<std::size_t> insert_numbers(const std::vector<const NewNumber*>& rows, const std::string& audit_at,
                                                  const std::string& actor, const std::string& action,
                                                  const std::function<void(std::size_t)>& progress) = 0;

  // Streams matching numbers to `visit` one at a time (memory stays flat).
  virtual void for_each_number(const Filter& filter, const Sort& sort, const Page& page,
                               const std::function<void(const NumberRecord&)>& visit) = 0;
  virtual std::int64_t count_numbers(const Filter& filter) = 0;
  // Carrier references held by two numbers in service (not cancelled), at most `limit`, as
  // (reference, one number, the other): a reference names one number at its carrier.
  struct SharedRef {
    std::string provider_ref, number, other;
  };
  virtual std::vector<SharedRef> shared_provider_refs(std::size_t limit) = 0;
  // Owned numbers (not cancelled) whose E.164 starts with `prefix`, in order; for completion.
  virtual std::vector<std::string> numbers_starting_with(std::string_view prefix, std::size_t limit) = 0;
  // Counts by status, type, country and team; by_risk from the readings checked at or after
  // `bands.fresh_since`, banded by its thresholds.
  virtual Stats stats(const Filter& filter, const RiskCriteria& bands) = 0;

  // Pending orders past their deadline: expires_at <= now, or (orders placed before deadlines
  // were stored) no expires_at and bought_at <= legacy_cutoff. The sweep expires them.
  virtual std::vector<NumberRecord> pending_expired(const std::string& now_iso, const std::string& legacy_cutoff_iso) = 0;
  // Counts for stats, from the partial indexes: to_be_cancelled numbers whose release_at <= until,
  // and pending orders whose stored deadline expires_at <= until (orders without one are not
  // counted here: the caller reads them through pending_expired).
  virtual std::pair<std::int64_t, std::int64_t> count_due(const std::string& until_iso) = 0;
  // to_be_cancelled numbers whose release_at <= until, by release_at (read only).
  virtual std::vector<NumberRecord> releasing_until(const std::string& until_iso) = 0;
  // Moves every to_be_cancelled number whose release_at <= now to `to`, drops its assignment
  // and records one audit row each, dated now (action, details: release_at, team, member, and
  // run_at when given), set-based. Returns the released numbers (unassigned now), by release_at.
  virtual std::vector<NumberRecord> release_due(const std::string& now_iso, Status to, const std::optional<std::string>& run_at,
                                                const std::string& actor, const std::string& action) = 0;
};

// Teams and members, and the assignment of numbers to them.
class TeamStore {
 public:
  virtual ~TeamStore() = default;

  // Teams and members. Lookups are case-insensitive; names are returned as stored.
  virtual std::optional<std::int64_t> team_id(std::string_view name) = 0;
  virtual std::optional<std::int64_t> member_id(std::string_view name) = 0;
  virtual std::int64_t add_team(std::string_view name, const std::string& now_iso) = 0;
  virtual std::int64_t add_member(std::string_view name, std::optional<std::int64_t> team,
                                  const std::string& now_iso) = 0;
  virtual void remove_team(std::int64_t id) = 0;
  virtual void rename_team(std::int64_t id, std::string_view name) = 0;
  // Moves every number and member of team `from` to `into`, then removes `from`. Returns
  // (numbers moved, members moved).
  virtual std::pair<std::int64_t, std::int64_t> merge_team(std::int64_t from, std::int64_t into) = 0;
  virtual void set_member_team(std::int64_t member, std::optional<std::int64_t> team) = 0;
  virtual void remove_member(std::int64_t id) = 0;
  virtual std::vector<TeamInfo> teams() = 0;
  virtual std::vector<MemberInfo> members() = 0;
  virtual std::vector<std::string> team_names() = 0;
  virtual std::vector<std::string> member_names() = 0;
  virtual std::int64_t numbers_held_by_team(std::int64_t id) = 0;
  virtual std::int64_t members_of_team(std::int64_t id) = 0;
  virtual std::int64_t numbers_held_by_member(std::int64_t id) = 0;
  virtual void set_assignment(std::int64_t number_id, std::optional<std::int64_t> team,
                              std::optional<std::int64_t> member) = 0;
};

// The audit history: one row per change, read per number or inventory-wide.
class AuditStore {
 public:
  virtual ~AuditStore() = default;

  virtual void append_audit(AuditEntry entry) = 0;
  virtual std::vector<AuditEntry> history(std::string_view e164) = 0;
  // The inventory-wide audit, newest first, streamed; answered from the index on time.
  virtual void for_each_audit(const AuditQuery& query, const std::function<void(const AuditEntry&)>& visit) = 0;
};

// Documents a pending order collects, their bytes kept in the database.
class DocumentStore {
 public:
  virtual ~DocumentStore() = default;

  virtual std::int64_t add_document(std::int64_t number_id, const DocumentInfo& info, const std::string& content) = 0;
  virtual std::vector<DocumentInfo> documents(std::int64_t number_id) = 0;
  virtual std::optional<std::string> document_content(std::int64_t document_id) = 0;
  virtual void reject_documents(std::int64_t number_id, const std::string& reason) = 0;
  // Ends the number's current lifecycle for its documents: documents() no longer returns them
  // (their submissions stay in the audit history). Called when a released number is bought again.
  virtual void retire_documents(std::int64_t number_id, const std::string& at_iso) = 0;
};

// The outbox of calls owed to a carrier (see service/outbox.cpp).
class OutboxStore {
 public:
  virtual ~OutboxStore() = default;

  // The carrier outbox. add_carrier_call is false (nothing written) when a call of that kind for
  // that number is open already (owed or calling); open calls come oldest first.
  virtual bool add_carrier_call(CarrierCall& call) = 0;
  virtual std::vector<CarrierCall> open_carrier_calls(CallKind kind) = 0;
  virtual std::optional<CarrierCall> open_carrier_call(CallKind kind, std::string_view number) = 0;
  virtual void update_carrier_call(const CarrierCall& call) = 0;
};

// Reputation readings and what the policy weighs.
class ReadingStore {
 public:
  virtual ~ReadingStore() = default;

  // Reputation readings. add_readings stores a feed's readings in the order given by `order`
  // (indexes into `readings`; the caller holds the transaction), each dated `imported_at`;
  // readings whose number is not in the inventory are reported by index, not stored.
  virtual ReadingsAdded add_readings(const std::vector<Reading>& readings, const std::vector<std::uint32_t>& order,
                                     const std::string& imported_at) = 0;
  // Newest first.
  virtual void for_each_reading(const ReadingQuery& query, const std::function<void(const Reading&)>& visit) = 0;
  // Removes readings checked before `before_iso`; returns how many.
  virtual std::int64_t prune_readings(const std::string& before_iso) = 0;
  // What the policy weighs: active numbers with a reading checked at or after `fresh_since`,
  // newer than their last risk change, scoring `flag_at` or more (only those readings, highest
  // score first); and high_risk numbers the policy flagged, with up to `recent` of their fresh
  // readings newer than that change (newest first).
  virtual std::vector<RiskSubject> risk_to_flag(const std::string& fresh_since, int flag_at) = 0;
  virtual std::vector<RiskSubject> risk_to_clear(const std::string& fresh_since, std::size_t recent) = 0;
  // Remembers who changed a number's risk status last, and when (the policy's hysteresis and
  // its respect for an operator's decision read it).
  virtual void note_risk_change(std::int64_t number_id, const std::string& by, const std::string& at_iso) = 0;
  // Numbers in service (active, high_risk) whose newest reading was checked before `before_iso`:
  // their feed stopped. With the time of that reading, oldest first.
  virtual std::vector<std::pair<NumberRecord, std::string>> stale_readings(const std::string& before_iso) = 0;
};

// Prices: carriers' price lists as read, numbers' prices, and what the inventory costs.
class PriceStore {
 public:
  virtual ~PriceStore() = default;

  // A carrier's monthly price for a country and type as last read, with the time read.
  virtual std::optional<std::pair<Money, std::string>> cached_price(const std::string& provider, const std::string& country,
                                                                    NumberType type) = 0;
  virtual void cache_price(const std::string& provider, const std::string& country, NumberType type, const Money& price,
                           const std::string& read_at) = 0;
  // The countries and types of numbers in service (not cancelled) at `provider` (empty: at none,
  // the offline providers), in order.
  virtual std::vector<std::pair<std::string, NumberType>> held_kinds(const std::string& provider) = 0;
  // Sets the price of the numbers in service of that provider (empty: none), country and type
  // whose price differs, with one audit row each (action "price", by `actor`, at `at`). Returns
  // how many changed.
  virtual std::int64_t set_prices(const std::string& provider, const std::string& country, NumberType type, const Money& price,
                                  const std::string& at, const std::string& actor) = 0;
  // What billed numbers (every status but cancelled) cost a month now, by group and currency.
  virtual std::vector<CostRow> cost(CostGroup by) = 0;
  // Every status change the audit holds before `until`, of numbers in the inventory, by number
  // then time (streamed), with the number's group and price now.
  virtual void for_each_status_change(CostGroup by, const std::string& until,
                                      const std::function<void(const StatusChange&)>& visit) = 0;
};

// Call records, kept as idleness needs them.
class UsageStore {
 public:
  virtual ~UsageStore() = default;

  // A feed of call records, inside the caller's write transaction: begun, each record added
  // (`number` the inventory's side of the call in E.164, `at` ISO 8601 UTC, `caller` the other
  // side), then finished: records at or after `keep_from` are kept by key and counted per day,
  // and every record moves its number's last inbound or outbound call.
  virtual void begin_calls() = 0;
  virtual void add_call(const std::string& number, const std::string& at, const std::string& caller, bool inbound) = 0;
  virtual CallsStored finish_calls(const std::string& keep_from) = 0;
  // Drops the call keys and daily counts of days before `before` (YYYY-MM-DD); returns the days
  // dropped.
  virtual std::int64_t prune_usage(const std::string& before) = 0;
  // How far a carrier's call records have been read (the newest record's time), and moving it on.
  virtual std::optional<std::string> usage_cursor(const std::string& source) = 0;
  virtual void set_usage_cursor(const std::string& source, const std::string& read_until, const std::string& read_at) = 0;
  // Calls a number took and made over the days kept: (inbound, outbound).
  virtual std::pair<std::int64_t, std::int64_t> calls_kept(std::int64_t number_id) = 0;
};

// The whole inventory as tables of rows, for moving it between engines (numctl migrate). Each
// engine keeps derived data of its own (SQLite's trigram table, PostgreSQL's search_text) out of
// these rows and rebuilds it in finish_loading().
class TableStore {
 public:
  virtual ~TableStore() = default;

  struct Cell {
    enum class Kind : std::uint8_t { null, integer, text, blob };
    Kind kind = Kind::null;
    std::int64_t integer = 0;
    std::string bytes;  // text or blob
  };
  using Row = std::vector<Cell>;
  using RowSink = std::function<void(const Row&)>;
  // The table's columns that hold inventory data, in the engine's order.
  virtual std::vector<std::string> table_columns(std::string_view table) = 0;
  virtual std::int64_t count_rows(std::string_view table) = 0;
  // Every row of `table`, these columns, ordered by `order_by` (columns of its key).
  virtual void for_each_row(std::string_view table, const std::vector<std::string>& columns, std::string_view order_by,
                            const RowSink& visit) = 0;
  // Inside a write transaction: adds the rows `produce` hands to its sink (ids kept as given).
  // Returns how many were added.
  virtual std::int64_t load_rows(std::string_view table, const std::vector<std::string>& columns,
                                 const std::function<void(const RowSink&)>& produce) = 0;
  // After load_rows: ids handed out next follow the loaded ones; search finds the loaded numbers.
  virtual void finish_loading() = 0;
  // Whether text cells may hold any bytes (SQLite), or only valid UTF-8 without NUL (PostgreSQL).
  virtual bool stores_any_text() const { return true; }
};

// An engine implements every role; commands reach it through Store, which also opens it and
// holds its transactions and snapshots. The roles say which part of the inventory a piece of
// code touches, and give the next capabilities (compliance, prices, porting, addresses) a room
// of their own.
class Store : public NumberStore,
              public TeamStore,
              public AuditStore,
              public DocumentStore,
              public OutboxStore,
              public ComplianceStore,
              public PortStore,
              public EmergencyStore,
              public ReadingStore,
              public PriceStore,
              public UsageStore,
              public TableStore {
 public:
  // Latest schema version this build knows (PRAGMA user_version in SQLite).
  static int schema_version();

  struct OpenOptions {
    bool create = true;       // a missing file is created (mode 0600); else refused, suggesting numctl init
    bool read_only = false;   // never writes: works on a read-only file in a read-only directory
    bool if_present = false;  // no inventory there yet: open returns null instead of failing or creating
    // No SQLite file there yet: an empty inventory in memory, nothing created (looking before buying).
    bool empty_if_missing = false;
    // PostgreSQL: a read-only open reads from a standby (read_url, else prefer-standby) unless
    // `primary`; every other open reaches the primary (target_session_attrs=read-write).
    bool primary = false;
    std::optional<std::string> read_url;
  };
  // Opens the inventory at `location` with the engine that location names (creating and
  // migrating when needed). SQLite: a newer schema, a file that is not a database, or an
  // unwritable location raise a database error and leave the file untouched; a read-only open
  // of an older schema migrates it when it can write, and otherwise says how. PostgreSQL (a
  // libpq URL or keyword string; PG* variables and ~/.pgpass apply): numctl's tables are
  // created when `options.create` and the database has none.
  static std::unique_ptr<Store> open(const DatabaseLocation& location, const OpenOptions& options);
  static std::unique_ptr<Store> open(const std::filesystem::path& path, const OpenOptions& options) {
    return open(DatabaseLocation::file(path), options);
  }
  static std::unique_ptr<Store> open(const std::filesystem::path& path) { return open(path, OpenOptions{}); }
  static int postgres_schema_version();

  ~Store() override = default;
  Store() = default;
  Store(const Store&) = delete;
  Store& operator=(const Store&) = delete;

  // One write transaction. Destroyed without commit(): rolled back.
  class Transaction {
   public:
    explicit Transaction(Store& store) : store_(store) { store_.begin_write(); }
    ~Transaction() {
      if (open_) store_.rollback_write();
    }
    void commit() {
      store_.commit_write();
      open_ = false;
    }
    Transaction(const Transaction&) = delete;
    Transaction& operator=(const Transaction&) = delete;

   private:
    Store& store_;
    bool open_ = true;
  };

  // A consistent copy of the whole database at `destination`, taken while other processes keep
  // writing; refused when the destination exists.
  virtual void backup_to(const std::filesystem::path& destination) = 0;

  // Where the data lives, for messages ("numbers.db").
  virtual std::string location() const = 0;
  // The same for --verbose, with the server's role where it has one ("... (standby)").
  virtual std::string connected_to() { return location(); }

  // One read snapshot: every read until it ends sees the database as it was when it began.
  class Snapshot {
  public:
    explicit Snapshot(Store& store) : store_(store) { store_.begin_snapshot(); }
    ~Snapshot() { store_.end_snapshot(); }
    Snapshot(const Snapshot&) = delete;
    Snapshot& operator=(const Snapshot&) = delete;

  private:
    Store& store_;
  };

protected:
  virtual void begin_snapshot() = 0;
  virtual void end_snapshot() noexcept = 0;
  // The write transaction Transaction holds: begin, then commit or roll back exactly once.
  virtual void begin_write() = 0;
  virtual void commit_write() = 0;
  virtual void rollback_write() noexcept = 0;
};

}  // namespace numctl
