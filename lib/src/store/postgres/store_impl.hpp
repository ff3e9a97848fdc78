// The PostgreSQL engine behind Store, shared by its units: schema.cpp (schema, migrations,
// connecting, transactions), listing.cpp (filters, sorts, counts, stats), bulk.cpp (COPY
// import, set-based release), records.cpp (numbers, teams, members, audit, documents) and
// outbox.cpp (carrier calls, reputation readings). Times are ISO 8601 text, as in SQLite, and
// text sorts bytewise (COLLATE "C"), so both engines list in the same order.
#pragma once

#include "numctl/error.hpp"
#include "numctl/store.hpp"
#include "pq.hpp"
#include "store/number_sql.hpp"
#include "store/search_text.hpp"

#include <string>
#include <string_view>
#include <unordered_map>
#include <unordered_set>

namespace numctl::postgres {

using store::number_columns;
using store::number_joins;
using store::number_side_joins;

void read_record(const pg::Result& row, int index, NumberRecord& record);
// COPY ... FROM STDIN of `count` lines, each written by `line` (without its newline), sent a
// megabyte at a time; `progress` (may be empty) hears how many were sent.
void copy_rows(pg::Connection& db, const std::string& sql, std::size_t count,
               const std::function<void(std::string&, std::size_t)>& line, const std::function<void(std::size_t)>& progress);

using store::search_text;

class PostgresStore final : public Store {
public:
  PostgresStore(const std::string& url, const OpenOptions& options);
  // Connected, the schema not yet looked at: has_inventory(), then open().
  enum ConnectOnly { connect_only };
  PostgresStore(const std::string& url, ConnectOnly);
  bool has_inventory();
  void open(const OpenOptions& options);

  void expect_scattered_changes(std::size_t) override {}
  bool wants_prefetch() const override { return true; }
  void prefetch_numbers(const std::vector<std::string>& e164s) override;
  std::optional<NumberRecord> find_number(std::string_view e164) override;
  bool insert_number(NumberRecord& record, std::optional<std::int64_t> team_id,
                     std::optional<std::int64_t> member_id) override;
  void update_number(const NumberRecord& record) override;
  std::vector<std::size_t> insert_numbers(const std::vector<const NewNumber*>& rows, const std::string& audit_at,
                                          const std::string& actor, const std::string& action,
                                          const std::function<void(std::size_t)>& progress) override;
  void for_each_number(const Filter& filter, const Sort& sort, const Page& page,
                       const std::function<void(const NumberRecord&)>& visit) override;
  std::int64_t count_numbers(const Filter& filter) override;
  std::vector<std::string> numbers_starting_with(std::string_view prefix, std::size_t limit) override;
  std::vector<SharedRef> shared_provider_refs(std::size_t limit) override;
  Stats stats(const Filter& filter, const RiskCriteria& bands) override;
  std::vector<NumberRecord> pending_expired(const std::string& now_iso, const std::string& legacy_cutoff_iso) override;
  std::pair<std::int64_t, std::int64_t> count_due(const std::string& until_iso) override;
  std::vector<NumberRecord> releasing_until(const std::string& until_iso) override;
  std::vector<NumberRecord> release_due(const std::string& now_iso, Status to, const std::optional<std::string>& run_at,
                                        const std::string& actor, const std::string& action) override;
  std::optional<std::int64_t> team_id(std::string_view name) override;
  std::optional<std::int64_t> member_id(std::string_view name) override;
  std::int64_t add_team(std::string_view name, const std::string& now_iso) override;
  std::int64_t add_member(std::string_view name, std::optional<std::int64_t> team, const std::string& now_iso) override;
  void remove_team(std::int64_t id) override;
  void rename_team(std::int64_t id, std::string_view name) override;
  std::pair<std::int64_t, std::int64_t> merge_team(std::int64_t from, std::int64_t into) override;
  void set_member_team(std::int64_t member, std::optional<std::int64_t> team) override;
  void remove_member(std::int64_t id) override;
  std::vector<TeamInfo> teams() override;
  std::vector<MemberInfo> members() override;
  std::vector<std::string> team_names() override;
  std::vector<std::string> member_names() override;
  std::int64_t numbers_held_by_team(std::int64_t id) override;
  std::int64_t members_of_team(std::int64_t id) override;
  std::int64_t numbers_held_by_member(std::int64_t id) override;
  void set_assignment(std::int64_t number_id, std::optional<std::int64_t> team,
                      std::optional<std::int64_t> member) override;
  void append_audit(AuditEntry entry) override;
  std::vector<AuditEntry> history(std::string_view e164) override;
  void for_each_audit(const AuditQuery& query, const std::function<void(const AuditEntry&)>& visit) override;
  std::int64_t add_document(std::int64_t number_id, const DocumentInfo& info, const std::string& content) override;
  std::vector<DocumentInfo> documents(std::int64_t number_id) override;
  std::optional<std::string> document_content(std::int64_t document_id) override;
  void reject_documents(std::int64_t number_id, const std::string& reason) override;
  void retire_documents(std::int64_t number_id, const std::string& at_iso) override;
  bool add_carrier_call(CarrierCall& call) override;
  std::vector<CarrierCall> open_carrier_calls(CallKind kind) override;
  std::optional<CarrierCall> open_carrier_call(CallKind kind, std::string_view number) override;
  void update_carrier_call(const CarrierCall& call) override;
  std::optional<ComplianceProfile> find_profile(std::string_view name) override;
  std::optional<ComplianceProfile> find_profile(std::int64_t id) override;
  std::vector<ComplianceProfile> profiles() override;
  bool save_profile(ComplianceProfile& profile) override;
  std::int64_t add_profile_document(std::int64_t profile_id, const ProfileDocument& info, const std::string& content) override;
  std::vector<ProfileDocument> profile_documents(std::int64_t profile_id) override;
  std::optional<std::string> profile_document_content(std::int64_t document_id) override;
  std::vector<NumberRecord> numbers_using(const std::string& profile) override;
  std::optional<PortOrder> find_port(std::int64_t id) override;
  std::vector<PortOrder> port_orders(bool open_only) override;
  void save_port(PortOrder& order) override;
  std::optional<std::string> port_file(std::int64_t id, std::string_view kind) override;
  void set_port_file(std::int64_t id, std::string_view kind, const std::string& filename, const std::string& content) override;
  std::optional<std::int64_t> port_of(const std::string& e164) override;
  std::vector<PortOut> port_outs() override;
  void save_port_out(const PortOut& request) override;
  std::optional<Address> find_address(std::string_view name) override;
  std::vector<Address> addresses() override;
  bool save_address(Address& address) override;
  void remove_address(std::int64_t id) override;
  std::pair<std::int64_t, std::int64_t> address_users(const std::string& name) override;
  std::optional<std::string> team_address(std::int64_t team_id) override;
  void set_team_address(std::int64_t team_id, const std::optional<std::string>& name) override;
  std::vector<std::pair<EmergencyStatus, std::int64_t>> emergency_counts(const Filter& scope) override;
  std::optional<std::pair<std::string, std::string>> cached_regulations(const std::string& provider, const std::string& country,
                                                                        std::string_view type) override;
  void cache_regulations(const std::string& provider, const std::string& country, std::string_view type, const std::string& body,
                         const std::string& read_at) override;
  ReadingsAdded add_readings(const std::vector<Reading>& readings, const std::vector<std::uint32_t>& order,
                             const std::string& imported_at) override;
  void for_each_reading(const ReadingQuery& query, const std::function<void(const Reading&)>& visit) override;
  std::int64_t prune_readings(const std::string& before_iso) override;
  std::vector<RiskSubject> risk_to_flag(const std::string& fresh_since, int flag_at) override;
  std::vector<RiskSubject> risk_to_clear(const std::string& fresh_since, std::size_t recent) override;
  void note_risk_change(std::int64_t number_id, const std::string& by, const std::string& at_iso) override;
  std::vector<std::pair<NumberRecord, std::string>> stale_readings(const std::string& before_iso) override;
  std::optional<std::pair<Money, std::string>> cached_price(const std::string& provider, const std::string& country,
                                                            NumberType type) override;
  void cache_price(const std::string& provider, const std::string& country, NumberType type, const Money& price,
                   const std::string& read_at) override;
  std::vector<std::pair<std::string, NumberType>> held_kinds(const std::string& provider) override;
  std::int64_t set_prices(const std::string& provider, const std::string& country, NumberType type, const Money& price,
                          const std::string& at, const std::string& actor) override;
  std::vector<CostRow> cost(CostGroup by) override;
  void for_each_status_change(CostGroup by, const std::string& until,
                              const std::function<void(const StatusChange&)>& visit) override;
  void begin_calls() override;
  void add_call(const std::string& number, const std::string& at, const std::string& caller, bool inbound) override;
  CallsStored finish_calls(const std::string& keep_from) override;
  std::int64_t prune_usage(const std::string& before) override;
  std::optional<std::string> usage_cursor(const std::string& source) override;
  void set_usage_cursor(const std::string& source, const std::string& read_until, const std::string& read_at) override;
  std::pair<std::int64_t, std::int64_t> calls_kept(std::int64_t number_id) override;
  void backup_to(const std::filesystem::path& destination) override;
  std::vector<std::string> table_columns(std::string_view table) override;
  std::int64_t count_rows(std::string_view table) override;
  void for_each_row(std::string_view table, const std::vector<std::string>& columns, std::string_view order_by,
                    const RowSink& visit) override;
  std::int64_t load_rows(std::string_view table, const std::vector<std::string>& columns,
                         const std::function<void(const RowSink&)>& produce) override;
  void finish_loading() override;
  bool stores_any_text() const override { return false; }
  std::string location() const override { return "postgresql " + db_.describe(); }
  std::string connected_to() override { return location() + " (" + db_.role() + ")"; }

  // The plans PostgreSQL chooses for a listing (EXPLAIN), for tests.
  std::vector<std::string> explain_listing(const Filter& filter, const Sort& sort, const Page& page);

protected:
  void begin_write() override;
  void commit_write() override;
  void rollback_write() noexcept override;
  void begin_snapshot() override;
  void end_snapshot() noexcept override;

private:
  void migrate(const OpenOptions& options);
  // A random id for a write transaction's row in numctl_commits, and whether that row is on the
  // server that answers now (after a COMMIT whose answer was lost).
  static std::string commit_mark();
  bool committed_after_all(const std::string& mark);
  std::vector<NumberRecord> records(const std::string& sql, const pg::Params& params);
  // Secondary indexes and foreign keys of `table` dropped for a bulk load; the statements that
  // restore them, for restore_indexes.
  std::vector<std::string> suspend_indexes(const std::string& table, bool unique_too);
  void restore_indexes(const std::vector<std::string>& statements);

  // Call records waiting to be sent by COPY.
  void flush_calls();

  // A batch's writes held back (prefetch_numbers): the numbers as read and as changed since, and
  // the changed rows and audit rows not written yet. Written by flush_deferred before any other
  // statement (the connection's hook) and before COMMIT; dropped on rollback.
  // The teams and members as read with the batch (small tables), so that assigning answers
  // names and ids without a statement; and the columns outside update_number's (the assignment,
  // who last changed the risk) held per number id.
  struct Deferred {
    struct Team {
      std::int64_t id = 0;
      std::string name;
      std::optional<std::string> address;
    };
    struct Member {
      std::int64_t id = 0;
      std::string name;
      std::optional<std::string> team;
    };
    struct Side {
      bool assign = false;
      std::optional<std::int64_t> team, member;
      bool risk = false;
      std::string risk_by, risk_at;
    };
    bool on = false;
    bool flushing = false;
    std::unordered_map<std::string, NumberRecord> numbers;  // by E.164
    std::unordered_map<std::int64_t, std::string> e164_of;  // by id
    std::unordered_set<std::string> absent;
    std::vector<std::string> changed;  // E.164 of the numbers update_number changed, once each
    std::unordered_set<std::int64_t> changed_ids;
    std::unordered_map<std::int64_t, Side> side;              // by id
    std::vector<AuditEntry> audit;
    std::unordered_map<std::string, Team> teams;  // by name folded as lower(... COLLATE "C") does
    std::unordered_map<std::string, Member> members;
    const Team* team(std::int64_t id) const;
    const Member* member(std::int64_t id) const;
  };
  void watch_statements();
  // The id of the row of `table` (teams, members) whose name folds like `name`.
  std::optional<std::int64_t> id_named(std::string_view table, std::string_view name);
  void flush_deferred();
  void drop_deferred() noexcept;

  pg::Connection db_;
  std::string call_buffer_;
  bool in_write_ = false;  // between begin_write and its commit or rollback
  bool bulk_loaded_ = false;  // this transaction rebuilt numbers' indexes after a bulk load
  Deferred deferred_;
};

}  // namespace numctl::postgres
