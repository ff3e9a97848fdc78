// The SQLite engine behind Store, shared by its units: schema.cpp (schema, migrations, open,
// transactions, backup), listing.cpp (filters, sorting, counts, stats), bulk.cpp (set-based
// import and release) and records.cpp (single numbers, teams, members, audit, documents).
#pragma once

#include "numctl/error.hpp"
#include "numctl/store.hpp"
#include "row_feed.hpp"
#include "store/number_sql.hpp"
#include "store/search_text.hpp"

#include <SQLiteCpp/SQLiteCpp.h>
#include <sqlite3.h>

#include <filesystem>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace numctl::sqlite {

using store::number_columns;
using store::number_joins;
using store::number_side_joins;

void read_record(const SQLite::Statement& row, NumberRecord& record);
std::vector<NumberRecord> collect(SQLite::Statement& query);
std::optional<std::string> optional_text(const SQLite::Statement& row, int index);
void bind_optional(SQLite::Statement& statement, int index, const std::optional<std::string>& value);
void bind_optional(SQLite::Statement& statement, int index, const std::optional<std::int64_t>& value);

// The text the trigram index holds for a number (see schema.cpp), and the same as an SQL
// function, numctl_search_text(e164, national_digits), for migrations and bulk inserts.
using store::search_text;
void register_search_text(sqlite3* db);

// The schema (schema.cpp): the newest version this build writes, a new database file made
// whole or not at all, an older one brought forward in one transaction.
int latest_schema_version();
void create_database(const std::filesystem::path& path);
void migrate(SQLite::Database& db, const std::filesystem::path& path);
// Once per process, before SQLite starts: settings that must precede the first connection.
const std::filesystem::path& configured(const std::filesystem::path& path);

// An SQLite error as a message that says what to do.
std::string explain_sqlite_error(const SQLite::Exception& error, const std::filesystem::path& path);

// Runs `work`, turning SQLite's exceptions into numctl's database errors.
template <typename Work>
auto guarded(const std::filesystem::path& path, Work&& work) {
  try {
    return work();
  } catch (const SQLite::Exception& error) {
    fail(ErrorCategory::database, explain_sqlite_error(error, path));
  }
}

class SqliteStore final : public Store {
public:
  // `uri`, when given, is what SQLite opens (a file: URI with options); `path` names the file.
  SqliteStore(const std::filesystem::path& path, int flags, const std::string& uri = {});
  int schema_version_on_disk();
  // Refuses a newer schema untouched, migrates an older one, and sets the connection up.
  void finish_opening();

  void expect_scattered_changes(std::size_t count) override;
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
  std::vector<std::string> explain_audit(const AuditQuery& query);
  std::int64_t add_document(std::int64_t number_id, const DocumentInfo& info, const std::string& content) override;
  std::vector<DocumentInfo> documents(std::int64_t number_id) override;
  std::optional<std::string> document_content(std::int64_t document_id) override;
  void reject_documents(std::int64_t number_id, const std::string& reason) override;
  void retire_documents(std::int64_t number_id, const std::string& at_iso) override;
  std::pair<std::int64_t, std::int64_t> count_due(const std::string& until_iso) override;
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
  std::string location() const override { return path_.string(); }

  // The query plans SQLite chooses, one detail line a step (for tests, through explain.hpp).
  std::vector<std::string> explain_listing(const Filter& filter, const Sort& sort, const Page& page);
  std::vector<std::string> explain_count(const Filter& filter);
  std::vector<std::string> explain_sweep();

protected:
  void begin_write() override;
  void commit_write() override;
  void rollback_write() noexcept override;
  void begin_snapshot() override;
  void end_snapshot() noexcept override;

private:
  // Prepared once per connection, reset before each use.
  SQLite::Statement& cached(std::optional<SQLite::Statement>& slot, const char* sql);
  template <typename Work>
  auto guarded(Work&& work) {
    return sqlite::guarded(path_, std::forward<Work>(work));
  }

  std::filesystem::path path_;
  SQLite::Database db_;
  std::optional<SQLite::Statement> find_by_e164_, insert_, insert_digits_, update_, audit_, set_assignment_, note_risk_,
      add_call_;
  row_feed::Source feed_;  // what numctl_new_numbers shows during insert_numbers
  bool feed_registered_ = false;
};

}  // namespace numctl::sqlite
