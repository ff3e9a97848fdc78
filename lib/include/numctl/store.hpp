// Persistence of numbers, teams, members, documents and the audit history in one SQLite file.
// The interface speaks the domain only, so another engine could stand behind it.
#pragma once

#include "numctl/domain.hpp"
#include "numctl/query.hpp"

#include <cstdint>
#include <filesystem>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace numctl {

struct AuditEntry {
  std::string at;
  std::string actor;
  std::string action;
  std::string number;
  std::optional<std::string> from_status;
  std::optional<std::string> to_status;
  std::string details;  // JSON object text
};

struct TeamInfo {
  std::string name;
  std::int64_t numbers = 0;  // own numbers plus its members', not cancelled
  std::int64_t members = 0;
};

struct MemberInfo {
  std::string name;
  std::optional<std::string> team;
  std::int64_t numbers = 0;
};

struct DocumentInfo {
  std::int64_t id = 0;
  std::string kind;
  std::string filename;
  std::int64_t size = 0;
  std::string sha256;
  std::string submitted_at;
  std::string state;  // submitted | rejected
  std::optional<std::string> rejection_reason;
};

struct Stats {
  std::int64_t total = 0;
  std::vector<std::pair<std::string, std::int64_t>> by_status, by_type, by_country, by_team;
};

class Store {
public:
  // Latest schema version this build knows (PRAGMA user_version).
  static int schema_version();

  // Opens (creating with mode 0600 and migrating when needed) the database at `path`.
  // A newer schema, a file that is not a database, or an unwritable location raise a
  // database error; the file is left untouched.
  static std::unique_ptr<Store> open(const std::filesystem::path& path);

  ~Store();
  Store(const Store&) = delete;
  Store& operator=(const Store&) = delete;

  // One write transaction (BEGIN IMMEDIATE). Destroyed without commit(): rolled back.
  class Transaction {
  public:
    explicit Transaction(Store& store);
    ~Transaction();
    void commit();
    Transaction(const Transaction&) = delete;
    Transaction& operator=(const Transaction&) = delete;

  private:
    Store& store_;
    bool open_ = true;
  };

  // Within a transaction, before changing `count` numbers one by one in no particular order: a
  // page cache large enough (up to 256 MiB) that no page is written out and dirtied again.
  void expect_scattered_changes(std::size_t count);

  std::optional<NumberRecord> find_number(std::string_view e164);
  // Adds a number (setting record.id) with its assignment; false, and nothing written, when the
  // number is in the inventory already.
  bool insert_number(NumberRecord& record, std::optional<std::int64_t> team_id = std::nullopt,
                     std::optional<std::int64_t> member_id = std::nullopt);
  void update_number(const NumberRecord& record);

  // A number to add in bulk, with its assignment and the details of its audit entry. Lean, as a
  // million of them are held at once: the label and dates are views of strings (most rows share
  // one) that the caller keeps alive until insert_numbers returns; an empty view is stored as NULL.
  // So are the audit details.
  struct NewNumber {
    std::string e164, display, national_digits, country;
    NumberType type = NumberType::local;
    Status status = Status::active;
    std::optional<Status> previous_status;
    std::string_view label, bought_at, activated_at, cancel_requested_at, release_at;
    std::optional<std::int64_t> team_id, member_id;
    std::string_view audit_details;
  };
  // Adds many numbers set-based, in the order given: SQLite reads the rows straight from memory
  // (a virtual table) into the numbers, their search entries and one audit entry each (`action`,
  // from no status to the number's). Returns the positions in `rows` of numbers in the inventory
  // already; when there are any, the caller must roll back. `progress` sees the rows as they are read.
  std::vector<std::size_t> insert_numbers(const std::vector<const NewNumber*>& rows, const std::string& audit_at,
                                          const std::string& actor, const std::string& action,
                                          const std::function<void(std::size_t)>& progress);

  // Streams matching numbers to `visit` one at a time (memory stays flat).
  void for_each_number(const Filter& filter, const Sort& sort, const Page& page,
                       const std::function<void(const NumberRecord&)>& visit);
  std::int64_t count_numbers(const Filter& filter);
  // Owned numbers (not cancelled) whose E.164 starts with `prefix`, in order; for completion.
  std::vector<std::string> numbers_starting_with(std::string_view prefix, std::size_t limit);
  Stats stats(const Filter& filter);
  // The query plan SQLite chooses for a listing, one detail line a step (for tests).
  std::vector<std::string> explain_listing(const Filter& filter, const Sort& sort, const Page& page);

  std::vector<std::string> explain_sweep();
  // Numbers the sweep is due to act on.
  std::vector<NumberRecord> pending_bought_before(const std::string& cutoff_iso);
  // Moves every to_be_cancelled number whose release_at <= now to `to`, drops its assignment
  // and records one audit row each (action, details: release_at, team, member), in two
  // set-based statements. Returns the released numbers (unassigned now), by release_at.
  std::vector<NumberRecord> release_due(const std::string& now_iso, Status to, const std::string& audit_at,
                                        const std::string& actor, const std::string& action);

  // Teams and members. Lookups are case-insensitive; names are returned as stored.
  std::optional<std::int64_t> team_id(std::string_view name);
  std::optional<std::int64_t> member_id(std::string_view name);
  std::int64_t add_team(std::string_view name, const std::string& now_iso);
  std::int64_t add_member(std::string_view name, std::optional<std::int64_t> team,
                          const std::string& now_iso);
  void remove_team(std::int64_t id);
  void remove_member(std::int64_t id);
  std::vector<TeamInfo> teams();
  std::vector<MemberInfo> members();
  std::vector<std::string> team_names();
  std::vector<std::string> member_names();
  std::int64_t numbers_held_by_team(std::int64_t id);
  std::int64_t members_of_team(std::int64_t id);
  std::int64_t numbers_held_by_member(std::int64_t id);
  void set_assignment(std::int64_t number_id, std::optional<std::int64_t> team,
                      std::optional<std::int64_t> member);

  void append_audit(const AuditEntry& entry);
  std::vector<AuditEntry> history(std::string_view e164);

  std::int64_t add_document(std::int64_t number_id, const DocumentInfo& info, const std::string& content);
  std::vector<DocumentInfo> documents(std::int64_t number_id);
  std::optional<std::string> document_content(std::int64_t document_id);
  void reject_documents(std::int64_t number_id, const std::string& reason);

  // A consistent copy of the whole database at `destination` (SQLite's online backup), taken
  // while other processes keep writing.
  void backup_to(const std::filesystem::path& destination);

  std::filesystem::path path() const;

private:
  struct Impl;
  explicit Store(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

}  // namespace numctl
