// Every operation on the inventory. Each asks the lifecycle table, writes in one transaction
// (all-or-nothing, every offender named) and appends to the audit history.
#pragma once

#include "numctl/clock.hpp"
#include "numctl/config.hpp"
#include "numctl/domain.hpp"
#include "numctl/lifecycle.hpp"
#include "numctl/provider.hpp"
#include "numctl/store.hpp"
#include "numctl/suggest.hpp"

#include <filesystem>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace numctl {

struct BuyOptions {
  std::optional<Assignee> assignee;
  std::optional<std::string> label;
  std::optional<NumberType> type;  // needed when libphonenumber cannot tell
  std::optional<std::string> region;
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

struct SweepResult {
  std::vector<NumberRecord> released;
  std::vector<NumberRecord> expired;
};

struct ImportRow {
  std::size_t position = 0;  // line (CSV, NDJSON) or index (JSON) for messages
  std::string number;
  std::optional<std::string> type, status, team, member, label, bought_at;
};

struct ImportResult {
  std::size_t imported = 0;
  std::size_t teams_created = 0;
  std::size_t members_created = 0;
};

struct DocumentStatus {
  std::vector<std::string> required;
  std::vector<std::string> missing;
  std::vector<DocumentInfo> documents;
};

class Service {
public:
  Service(Store& store, Config config, const Clock& clock, std::string actor);

  const Config& config() const { return config_; }
  Store& store() { return store_; }

  // Told how far a long operation has come (activity, items done, items in all); the caller
  // decides whether and how to show it.
  using Progress = std::function<void(std::string_view activity, std::size_t done, std::size_t total)>;
  void set_progress(Progress progress) { progress_ = std::move(progress); }

  // With dry_run every check and write happens, then the transaction is rolled back.
  void set_dry_run(bool dry_run) { dry_run_ = dry_run; }

  // Resolves what an operator typed to an owned number; not_found when not in the inventory.
  NumberRecord resolve(std::string_view input, const std::optional<std::string>& region = {});
  std::vector<Action> allowed_actions(const NumberRecord& record) const;
  // E.164 of what an operator typed (national forms need `region` or default_region).
  std::string canonical_e164(std::string_view input, const std::optional<std::string>& region) const;

  std::vector<Bought> buy(const std::vector<std::string>& inputs, const BuyOptions& options);
  std::vector<Bought> buy_from_provider(const AvailabilityRequest& request, std::size_t count,
                                        const BuyOptions& options);
  std::vector<std::string> available(const AvailabilityRequest& request);

  std::vector<NumberRecord> assign(const std::vector<std::string>& inputs, const Assignee& assignee);
  std::vector<NumberRecord> unassign(const std::vector<std::string>& inputs);
  std::vector<NumberRecord> flag(const std::vector<std::string>& inputs, const std::optional<std::string>& reason);
  std::vector<NumberRecord> unflag(const std::vector<std::string>& inputs);
  std::vector<NumberRecord> cancel(const std::vector<std::string>& inputs, const std::optional<std::string>& reason);
  std::vector<NumberRecord> restore(const std::vector<std::string>& inputs);
  // One transaction for all; `with` names the new number when exactly one is replaced.
  std::vector<Replacement> replace(const std::vector<std::string>& inputs, const std::optional<std::string>& with);

  DocumentInfo submit_document(std::string_view input, const std::string& kind,
                               const std::filesystem::path& file);
  DocumentStatus document_status(std::string_view input);
  std::string document_content(std::string_view input, const std::string& kind);
  NumberRecord approve(std::string_view input);
  NumberRecord reject(std::string_view input, const std::string& reason);

  SweepResult sweep(TimePoint now);
  std::vector<AuditEntry> history(std::string_view input);

  // All-or-nothing: every bad row is reported (one invalid_input error) and nothing is written.
  ImportResult import_rows(const std::vector<ImportRow>& rows);

  void add_team(const std::string& name);
  void remove_team(const std::string& name);
  void add_member(const std::string& name, const std::optional<std::string>& team);
  void remove_member(const std::string& name);

private:
  template <typename Work>
  auto in_transaction(Work&& work);
  // Applies `step` to every input inside one transaction; refusals are collected and raised together.
  std::vector<NumberRecord> for_each_owned(const std::vector<std::string>& inputs, Action action,
                                           const std::function<void(NumberRecord&)>& step);
  Replacement replace_one(NumberRecord& old_number, const std::optional<std::string>& with);
  const Transition& require_transition(const NumberRecord& record, Action action) const;
  void apply(NumberRecord& record, const Transition& transition, std::string_view details_json);
  void record_audit(const std::string& number, Action action, std::optional<Status> from,
                    std::optional<Status> to, std::string_view details_json);
  std::int64_t require_team(std::string_view name);
  std::int64_t require_member(std::string_view name);
  void set_assignee(NumberRecord& record, const std::optional<Assignee>& assignee);
  Bought buy_one(const struct ParsedNumber& parsed, const BuyOptions& options,
                 std::optional<NumberType> type);
  Provider& provider();
  std::string now_iso() const;

  Store& store_;
  Config config_;
  const Clock& clock_;
  std::string actor_;
  bool dry_run_ = false;
  Progress progress_;
  void report(std::string_view activity, std::size_t done, std::size_t total) const {
    if (progress_) progress_(activity, done, total);
  }
  std::unique_ptr<Provider> provider_;
};


}  // namespace numctl
