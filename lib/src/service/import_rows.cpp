// Bulk import, in named steps: check every row on every core straight into the rows to add,
// order them by number (which also finds a number given twice), then, under the write lock,
// create the teams and members named and write everything set-based.
#include "service_impl.hpp"
#include "numctl/money.hpp"
#include "import_checks.hpp"
#include "util/batch.hpp"
#include "numctl/text.hpp"
#include "domain/validation.hpp"
#include "numctl/error.hpp"
#include "numctl/import.hpp"
#include "numctl/phone.hpp"

#include <algorithm>
#include <atomic>
#include <mutex>
#include <thread>
#include <tuple>
#include <unordered_map>

namespace numctl {

using import_steps::RowTexts;

// A number in the inventory that a row names again, with --on-conflict update: what differs
// becomes the actions an operator would run, each through the lifecycle table with its audit
// row. Type, dates and replacement links are the number's history and are not rewritten.
bool Service::update_from_row(NumberRecord& record, const ImportRow& row, const NewNumber& checked) {
  if (row.type && checked.type != record.type)
    fail(ErrorCategory::refused, record.display + " is " + std::string(to_string(record.type)) + " in the inventory, " +
                                     std::string(to_string(checked.type)) +
                                     " in the file: numctl does not change a number's type");
  // The status wanted, and the action of the table that leads there from the current one.
  std::optional<Action> status_action;
  if (row.status && checked.status != record.status) {
    for (Action action : {Action::flag, Action::unflag, Action::cancel, Action::restore}) {
      const Transition* transition = lifecycle::find(action, record.status);
      if (transition && lifecycle::target_status(*transition, record.status, record.previous_status, false) == checked.status) {
        status_action = action;
        break;
      }
    }
    if (!status_action)
      fail(ErrorCategory::refused, record.display + " is " + std::string(to_string(record.status)) +
                                       "; an import cannot make it " + std::string(to_string(checked.status)) +
                                       " (allowed from here: " + [&] {
                                         std::string out;
                                         for (Action a : lifecycle::allowed_actions(record.status))
                                           out += (out.empty() ? "" : ", ") + std::string(command_for(a));
                                         return out.empty() ? std::string("nothing") : out;
                                       }() + ")");
  }
  bool changed = false;
  auto edits = [&] {
    if (row.has(ImportField::member) || row.has(ImportField::team)) {
      auto same = [](const std::optional<std::string>& a, const std::optional<std::string>& b) {
        return a.has_value() == b.has_value() && (!a || text::lower(*a) == text::lower(*b));
      };
      if (row.member) {
        if (!same(record.member, row.member)) {
          assign_one(record, Assignee{Assignee::Kind::member, *row.member});
          changed = true;
        }
      } else if (row.team) {
        if (record.member || !same(record.team, row.team)) {
          assign_one(record, Assignee{Assignee::Kind::team, *row.team});
          changed = true;
        }
      } else if (record.team || record.member) {
        unassign_one(record);
        changed = true;
      }
    }
    if (row.has(ImportField::label) && record.label != row.label) {
      set_label_one(record, row.label);
      changed = true;
    }
    if (row.has(ImportField::monthly_price) || row.has(ImportField::currency)) {
      std::optional<std::string> currency =
          checked.currency.empty() ? std::nullopt : std::optional<std::string>(std::string(checked.currency));
      if (record.monthly_price != checked.monthly_price || record.currency != currency) {
        record.monthly_price = checked.monthly_price;
        record.currency = currency;
        store_.update_number(record);
        store_.append_audit({now_iso(), actor_, "price", record.e164, std::string(to_string(record.status)),
                             std::string(to_string(record.status)),
                             details({{"monthly_price", record.monthly_price ? std::optional(format_amount(*record.monthly_price,
                                                                                                           *record.currency))
                                                                             : std::nullopt},
                                      {"currency", record.currency},
                                      {"source", std::optional<std::string>("import")}})});
        changed = true;
      }
    }
  };
  auto status = [&] {
    if (!status_action) return;
    switch (*status_action) {
      case Action::flag: flag_one(record, row.risk_reason); break;
      case Action::unflag: unflag_one(record); break;
      case Action::cancel: cancel_one(record, std::optional<std::string>("import")); break;
      default: restore_one(record); break;
    }
    changed = true;
  };
  // A number leaving service is edited first (routing is refused once it is released); one
  // coming back is restored or unflagged first.
  if (status_action == Action::cancel) {
    edits();
    status();
  } else {
    status();
    edits();
  }
  return changed;
}

std::int64_t Service::import_team(import_steps::Names& names, const std::string& name, ImportResult& result) {
  if (auto it = names.team_hits.find(name); it != names.team_hits.end()) return it->second;
  auto key = text::lower(name);
  if (auto it = names.team_ids.find(key); it != names.team_ids.end()) return names.team_hits[name] = it->second;
  auto id = team_named(name);
  if (!id) {
    id = store_.add_team(name, names.now);
    ++result.teams_created;
    record_event("team_add", details({{"team", name}}));
  }
  return names.team_hits[name] = names.team_ids[key] = *id;
}

std::int64_t Service::import_member(import_steps::Names& names, const ImportRow& row, ImportResult& result) {
  const std::string& name = *row.member;
  if (auto it = names.member_hits.find(name); it != names.member_hits.end()) return it->second;
  auto key = text::lower(name);
  if (auto it = names.member_ids.find(key); it != names.member_ids.end()) return names.member_hits[name] = it->second;
  auto id = member_named(name);
  if (id) {
    if (!names.stored_member_teams) {
      names.stored_member_teams.emplace();
      for (const auto& m : store_.members()) (*names.stored_member_teams)[text::lower(m.name)] = m.team;
    }
    names.member_teams[key] = (*names.stored_member_teams)[key];
  } else {
    id = store_.add_member(name, row.team ? std::optional(import_team(names, *row.team, result)) : std::nullopt, names.now);
    ++result.members_created;
    names.member_teams[key] = row.team;
    record_event("member_add", details({{"member", name}, {"team", row.team}, {"source", "import"}}));
  }
  return names.member_hits[name] = names.member_ids[key] = *id;
}

// With skip or update, the numbers owned already are found first and set aside (by default the
// unique index finds them while inserting, the fast path of a migration): `unique` keeps the rows
// that add a number; skipped rows stop acting; the rest are returned as (row index, record).
std::vector<std::pair<std::size_t, NumberRecord>> Service::set_aside_owned(std::vector<std::size_t>& unique,
                                                                           const std::vector<NewNumber>& checked,
                                                                           const ImportOptions& options,
                                                                           std::vector<bool>& acting, ImportResult& result) {
  std::vector<std::pair<std::size_t, NumberRecord>> existing;
  if (options.on_conflict == OnConflict::fail) return existing;
  std::vector<std::size_t> adding;
  adding.reserve(unique.size());
  for (auto i : unique) {
    if (auto record = store_.find_number(checked[i].e164)) {
      if (options.on_conflict == OnConflict::skip) {
        ++result.unchanged;
        acting[i] = false;
      } else {
        existing.emplace_back(i, std::move(*record));
      }
    } else {
      adding.push_back(i);
    }
  }
  unique = std::move(adding);
  return existing;
}

// Teams and members are created in file order: a new member joins the team of its first row.
// A row naming a member and a team the member is not in is refused: the number would follow the
// member while the row (and its audit entry) says otherwise.
// A number imported cancelled is assigned to no one (its row still creates the names).
void Service::check_assignee(const ImportRow& row, NewNumber& add, import_steps::Names& names, ImportResult& result,
                             const std::function<void(const Problem&)>& refuse) {
  bool assigned = add.status != Status::cancelled;
  if (row.member) {
    auto id = import_member(names, row, result);
    if (assigned) add.member_id = id;
    const auto& known = names.member_teams[text::lower(*row.member)];
    if (row.team && (!known || text::lower(*known) != text::lower(*row.team)))
      refuse(invalid("member '" + *row.member + "' is " + (known ? "in team '" + *known + "'" : "in no team") + ", not '" +
                     *row.team +
                     "': leave the team column empty (the number follows its member), or move the member first "
                     "(numctl member move)"));
  } else if (row.team) {
    auto id = import_team(names, *row.team, result);
    if (assigned) add.team_id = id;
  }
}

// In slices of the number order, one a core (rows are not in that order in memory, so each row
// is a wait for memory, and two cores wait twice as fast): each slice's rows to add, its audit
// details in a buffer of its own (views set once the buffer is whole) and its refusals.
std::vector<const NewNumber*> Service::prepare_adds(const std::vector<ImportRow>& rows, std::vector<NewNumber>& checked,
                                                    const std::vector<std::size_t>& unique,
                                                    const std::vector<std::optional<Problem>>& if_added,
                                                    const ImportOptions& options, const import_steps::Names& names,
                                                    std::vector<std::string>& audit_details, const Refuse& refuse) {
  struct Slice {
    std::size_t begin = 0, end = 0;
    std::vector<NewNumber*> adds;
    std::vector<std::tuple<Problem, std::size_t, std::string>> refused;
    std::exception_ptr failed;
  };
  auto prepare = [&](Slice& slice, std::string& details) {
    std::vector<std::size_t> ends;
    ends.reserve(slice.end - slice.begin);
    slice.adds.reserve(slice.end - slice.begin);
    details.reserve((slice.end - slice.begin) * 48);
    for (std::size_t k = slice.begin; k < slice.end; ++k) {
      auto i = unique[k];
      auto& add = checked[i];
      const ImportRow& row = rows[i];
      if (!if_added.empty() && if_added[i]) {
        slice.refused.emplace_back(*if_added[i], i, row.number);
        continue;
      }
      if (import_steps::claims_untrusted(add, config_, options, row.status.has_value())) {
        slice.refused.emplace_back(import_steps::untrusted_status(add.display, add.status, add.country,
                                                                  config_.required_documents_for(add.country, add.type)),
                                   i, add.display);
        continue;
      }
      // Said only where it mattered: a regulated number the file says is in service.
      bool trusted =
          options.trust_status && lifecycle::claims_service(add.status) && config_.requires_documents(add.country, add.type);
      import_steps::complete_row(add, names.now, names.release, names.deadline);
      auto view = [](const RowText& v) { return v ? std::optional<std::string_view>(*v) : std::nullopt; };
      append_details<std::optional<std::string_view>>(
          details,
          {{"type", to_string(add.type)},
           {"team", view(row.team)},
           {"member", view(row.member)},
           {"label", view(row.label)},
           {"status_trusted", trusted ? std::optional<std::string_view>("documents held outside numctl") : std::nullopt}});
      ends.push_back(details.size());
      slice.adds.push_back(&add);
    }
    for (std::size_t n = 0, begin = 0; n < slice.adds.size(); begin = ends[n++])
      slice.adds[n]->audit_details = std::string_view(details).substr(begin, ends[n] - begin);
  };
  auto run = [&](Slice& slice, std::string& details) {
    try {
      prepare(slice, details);
    } catch (...) {
      slice.failed = std::current_exception();
    }
  };
  std::size_t cores = unique.size() < 20000 ? 1 : std::max(1u, std::thread::hardware_concurrency());
  std::vector<Slice> slices(cores);
  audit_details.assign(cores, {});
  for (std::size_t t = 0; t < cores; ++t) {
    slices[t].begin = unique.size() * t / cores;
    slices[t].end = unique.size() * (t + 1) / cores;
  }
  {
    std::vector<std::jthread> workers;
    for (std::size_t t = 1; t < cores; ++t) workers.emplace_back([&, t] { run(slices[t], audit_details[t]); });
    run(slices[0], audit_details[0]);
  }
  for (const auto& slice : slices)
    if (slice.failed) std::rethrow_exception(slice.failed);
  std::vector<const NewNumber*> adds;
  adds.reserve(unique.size());
  for (auto& slice : slices) {
    adds.insert(adds.end(), slice.adds.begin(), slice.adds.end());
    for (const auto& [problem, i, number] : slice.refused) refuse(problem, i, number);
  }
  return adds;
}

ImportResult Service::import_rows(const std::vector<ImportRow>& rows, const ImportOptions& options, const RunOptions& run) {
  std::vector<NewNumber> checked;
  checked.reserve(rows.size());
  checked.resize(rows.size());
  std::vector<RowTexts> texts;
  if (std::any_of(rows.begin(), rows.end(), import_steps::has_row_texts)) texts.resize(rows.size());
  Batch batch;
  auto fail_rows = [&] {
    batch.raise(std::to_string(batch.size()) + " of " + std::to_string(rows.size()) + " rows are bad, nothing imported");
  };
  auto row_label = [&](std::size_t i) { return "row " + std::to_string(rows[i].position); };
  std::vector<std::optional<Problem>> if_added(options.on_conflict == OnConflict::fail ? 0 : rows.size());
  import_steps::check_rows(rows, config_, options, run, checked, texts, if_added, batch);
  std::vector<std::size_t> unique = import_steps::order_by_number(rows, checked, batch);
  if (!batch.empty()) fail_rows();

  // Step 3, under the write lock. Parsing ran without it; ownership is checked under it, so a
  // number bought meanwhile by someone else is reported as a bad row, not a database error.
  return in_transaction(run, [&] {
    ImportResult result;
    std::vector<bool> acting(rows.size(), true);  // rows that add or change a number
    auto existing = set_aside_owned(unique, checked, options, acting, result);
    import_steps::Names names;
    names.now = now_iso();
    names.release = format_iso8601(clock_.now() + std::chrono::days(config_.cancellation_grace_days));
    // An order imported pending gets its full time from the import, whatever its bought_at says
    // (unless the file gives its deadline, as numctl's export does).
    names.deadline = order_deadline(clock_.now());
    const std::string& now = names.now;
    for (std::size_t i = 0; i < rows.size(); ++i)
      if (acting[i])
        check_assignee(rows[i], checked[i], names, result,
                       [&](const Problem& problem) { batch.add(problem, i, row_label(i), rows[i].number); });
    if (!batch.empty()) fail_rows();
    // Numbers owned already (--on-conflict update): their differences, as actions.
    if (!existing.empty()) store_.expect_scattered_changes(existing.size());
    for (auto& [i, record] : existing) {
      try {
        if (update_from_row(record, rows[i], checked[i])) ++result.updated;
        else ++result.unchanged;
      } catch (const Error& error) {
        if (error.category() == ErrorCategory::database || error.category() == ErrorCategory::internal) throw;
        batch.add(Problem{error.category(), error.what()}, i, row_label(i), record.display);
      }
    }
    if (!batch.empty()) fail_rows();
    // The rows to add, in number order, with their dates and audit details (in a buffer a core:
    // a million small strings cost more).
    std::vector<std::string> audit_details;
    auto adds = prepare_adds(
        rows, checked, unique, if_added, options, names, audit_details,
        [&](const Problem& problem, std::size_t i, const std::string& number) { batch.add(problem, i, row_label(i), number); });
    if (!batch.empty()) fail_rows();
    // The unique index decides ownership: a number owned already (or bought meanwhile) is a bad row.
    if (!adds.empty()) {
      auto taken = store_.insert_numbers(adds, now, actor_, "import",
                                         [&](std::size_t done) { report(run, "importing", done, adds.size()); });
      for (auto k : taken)
        batch.add(invalid(adds[k]->display + " is already in the inventory (import with --on-conflict skip or update "
                                             "to keep or change it)"),
                  unique[k], row_label(unique[k]), std::string(adds[k]->display));
    }
    report(run, "importing", adds.size(), adds.size());
    if (!batch.empty()) fail_rows();
    if (std::any_of(rows.begin(), rows.end(), [](const ImportRow& row) { return row.provider_ref.has_value(); }))
      import_steps::refuse_shared_refs(store_);
    result.imported = adds.size();
    return result;
  });
}

}  // namespace numctl
