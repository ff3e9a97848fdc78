// Bulk import, in named steps: check every row on every core straight into the rows to add,
// order them by number (which also finds a number given twice), then, under the write lock,
// create the teams and members named and write everything set-based.
#include "service_impl.hpp"
#include "../batch.hpp"
#include "../memory.hpp"
#include "numctl/text.hpp"
#include "../validation.hpp"
#include "numctl/error.hpp"
#include "numctl/import.hpp"
#include "numctl/phone.hpp"

#include <algorithm>
#include <atomic>
#include <mutex>
#include <thread>
#include <unordered_map>

namespace numctl {
namespace {

Result<ParsedNumber> parse_row_number(const ImportRow& row, const std::optional<std::string>& region, bool bulk) {
  try {
    return bulk ? parse_phone_number_in_bulk(row.number, region) : parse_phone_number(row.number, region);
  } catch (const Error& error) {
    if (error.category() != ErrorCategory::invalid_input) throw;
    return invalid(error.what());
  }
}

// The texts a row's number holds views into, normalised from what the file wrote.
struct RowTexts {
  std::string bought_at, release_at, expires_at, replaced_by, replaces;
};

bool has_row_texts(const ImportRow& row) {
  return row.bought_at || row.release_at || row.expires_at || row.replaced_by || row.replaces;
}

Result<std::string> row_date(const std::optional<std::string>& value, std::string_view key) {
  auto at = parse_iso8601(*value);
  if (!at) return invalid(std::string(key) + " '" + *value + "' is not an ISO 8601 date (2024-05-01T09:30:00Z)");
  return format_iso8601(*at);
}

Result<std::string> row_link(const std::optional<std::string>& value, std::string_view key,
                             const std::optional<std::string>& region) {
  ImportRow other;
  other.number = *value;
  auto parsed = parse_row_number(other, region, false);
  if (!parsed) return invalid(std::string(key) + ": " + parsed.problem().message);
  return parsed.value().e164;
}

Problem untrusted_status(std::string_view display, Status status, std::string_view country,
                         const std::vector<std::string>& required) {
  return invalid(std::string(display) + " is " + std::string(to_string(status)) + " in the file, but " +
                 std::string(country) + " asks for documents (" + text::join(required, ", ") +
                 ") before a number is used: leave the status empty (the number becomes pending), or pass "
                 "--trust-status if the documents are held elsewhere");
}

// Whether a row adding this number claims a regulated number is in service without
// --trust-status (decided once it is known whether the row adds a number or updates one).
bool claims_untrusted(const NewNumber& row, const Config& config, const ImportOptions& options, bool status_given) {
  bool in_service = row.status != Status::pending && row.status != Status::cancelled;
  return status_given && in_service && !options.trust_status && !config.required_documents_for(row.country, row.type).empty();
}

// Everything about one row that needs no database, written straight into the row to add:
// parsing and validating the number (the expensive part), the keys derived from it, type,
// status, dates and names. Dates and links are kept, normalised, in `texts`.
// A problem that matters only if the row adds a number (with skip or update, a row may name one
// owned already, whose type the inventory knows) lands in `if_added`.
Check check_row(const ImportRow& row, const Config& config, const ImportOptions& options, bool bulk, NewNumber& out,
                RowTexts& texts, std::optional<Problem>& if_added) {
  const auto& region = config.default_region;
  auto parsed = parse_row_number(row, region, bulk);
  if (!parsed) return parsed.problem();
  if (auto check = check_manageable(parsed.value()); !check) return check;
  // Derived keys (an export's) are checked against the number, never trusted.
  if (row.display) {
    ImportRow shown;
    shown.number = *row.display;
    auto display = parse_row_number(shown, region, false);
    if (!display || display.value().e164 != parsed.value().e164)
      return invalid("display '" + *row.display + "' is not the number " + parsed.value().display);
  }
  if (row.country && text::upper(*row.country) != parsed.value().country)
    return invalid("country '" + *row.country + "' does not match the number " + parsed.value().display + " (" +
                   parsed.value().country + ")");
  std::optional<NumberType> asked;
  if (row.type) {
    asked = parse_number_type_alias(*row.type);
    if (!asked) return invalid("unknown type '" + *row.type + "' (local, mobile, toll_free)");
  }
  auto type = settle_type(parsed.value(), asked);
  if (!type && options.on_conflict == OnConflict::fail) return type.problem();
  if (!type) if_added = type.problem();
  out.type = type ? type.value() : NumberType::local;
  // Regulation decides as it does for a purchase; a file claiming a regulated number is in
  // service is believed only when the operator says the documents are held elsewhere.
  auto required = config.required_documents_for(parsed.value().country, out.type);
  if (row.status) {
    auto s = parse_status_alias(*row.status);
    if (!s) return invalid("unknown status '" + *row.status + "' (pending, active, high_risk, to_be_cancelled, cancelled)");
    out.status = *s;
    bool in_service = out.status != Status::pending && out.status != Status::cancelled;
    // With skip or update the row may name a number owned already: decided under the lock.
    if (in_service && !required.empty() && !options.trust_status && options.on_conflict == OnConflict::fail)
      return untrusted_status(parsed.value().display, out.status, parsed.value().country, required);
  } else {
    out.status = required.empty() ? Status::active : Status::pending;
  }
  if (row.bought_at) {
    auto at = row_date(row.bought_at, "bought_at");
    if (!at) return at.problem();
    texts.bought_at = std::move(at.value());
    out.bought_at = texts.bought_at;
  }
  bool leaving = out.status == Status::to_be_cancelled || out.status == Status::cancelled;
  if (row.release_at) {
    if (!leaving) return invalid("release_at is only for to_be_cancelled and cancelled numbers, not " + std::string(to_string(out.status)));
    auto at = row_date(row.release_at, "release_at");
    if (!at) return at.problem();
    texts.release_at = std::move(at.value());
    out.release_at = texts.release_at;
  }
  if (row.expires_at) {
    if (out.status != Status::pending) return invalid("expires_at is only for pending orders, not " + std::string(to_string(out.status)));
    auto at = row_date(row.expires_at, "expires_at");
    if (!at) return at.problem();
    texts.expires_at = std::move(at.value());
    out.expires_at = texts.expires_at;
  }
  if (row.replaced_by) {
    auto link = row_link(row.replaced_by, "replaced_by", region);
    if (!link) return link.problem();
    texts.replaced_by = std::move(link.value());
    out.replaced_by = texts.replaced_by;
  }
  if (row.replaces) {
    auto link = row_link(row.replaces, "replaces", region);
    if (!link) return link.problem();
    texts.replaces = std::move(link.value());
    out.replaces = texts.replaces;
  }
  if (row.team)
    if (auto check = check_name("team", *row.team); !check) return check;
  if (row.member)
    if (auto check = check_name("member", *row.member); !check) return check;
  if (auto check = check_free_text("label", row.label); !check) return check;
  if (auto check = check_free_text("risk_reason", row.risk_reason); !check) return check;
  if (auto check = check_name("provider", row.provider.value_or("-")); !check) return check;
  if (auto check = check_name("provider_ref", row.provider_ref.value_or("-")); !check) return check;
  if (row.label) out.label = *row.label;
  if (row.risk_reason) out.risk_reason = *row.risk_reason;
  // Where the number lives, as the carrier's list said (a migration from a carrier's export).
  if (row.provider) out.provider = *row.provider;
  if (row.provider_ref) out.provider_ref = *row.provider_ref;
  auto& number = parsed.value();
  out.e164 = std::move(number.e164);
  out.display = std::move(number.display);
  out.national_digits = std::move(number.national_digits);
  out.country = std::move(number.country);
  return passed();
}

// Step 1: rows are checked on every core, each thread its own slice, straight into `checked`;
// a bad row's problem goes to the batch and its e164 stays empty.
void check_rows(const std::vector<ImportRow>& rows, const Config& config, const ImportOptions& options, const RunOptions& run,
                std::vector<NewNumber>& checked, std::vector<RowTexts>& texts,
                std::vector<std::optional<Problem>>& if_added, Batch& batch) {
  std::mutex batch_mutex;
  std::atomic<std::size_t> done{0};
  // Compiling the metadata costs a few milliseconds, repaid after a few hundred numbers.
  bool bulk = rows.size() >= 500;
  std::exception_ptr unexpected;
  auto check_slice = [&](std::size_t begin, std::size_t end) {
    RowTexts unused;
    std::optional<Problem> unused_problem;
    for (std::size_t i = begin; i < end; ++i) {
      try {
        auto check = check_row(rows[i], config, options, bulk, checked[i], texts.empty() ? unused : texts[i],
                               if_added.empty() ? unused_problem : if_added[i]);
        if (!check) {
          std::lock_guard lock(batch_mutex);
          batch.add(check.problem(), i, "row " + std::to_string(rows[i].position), rows[i].number);
          checked[i].e164.clear();
        }
      } catch (...) {
        std::lock_guard lock(batch_mutex);
        if (!unexpected) unexpected = std::current_exception();
      }
      done.fetch_add(1, std::memory_order_relaxed);
    }
  };
  std::size_t threads = rows.size() < 2000 ? 1 : std::max(1u, std::thread::hardware_concurrency());
  std::size_t slice = (rows.size() + threads - 1) / std::max<std::size_t>(threads, 1);
  std::vector<std::thread> workers;
  for (std::size_t t = 1; t < threads; ++t)
    workers.emplace_back(check_slice, std::min(rows.size(), t * slice), std::min(rows.size(), (t + 1) * slice));
  // This thread takes the first slice in steps, reporting progress between them.
  for (std::size_t begin = 0; begin < std::min(rows.size(), slice); begin += 1000) {
    check_slice(begin, std::min({rows.size(), slice, begin + 1000}));
    report(run, "checking", done.load(std::memory_order_relaxed), rows.size());
  }
  for (auto& worker : workers) worker.join();
  report(run, "checking", rows.size(), rows.size());
  if (unexpected) std::rethrow_exception(unexpected);
}

// A sort key that orders E.164 numbers as their text does: up to 16 digits, each as 1..10 in
// four bits, shorter numbers padded with zeros (which sort first, as a shorter text does).
// Numbers equal in their first 16 digits are told apart by their text.
std::uint64_t e164_sort_key(std::string_view e164) {
  std::uint64_t key = 0;
  std::size_t i = 1;
  for (; i < e164.size() && i <= 16; ++i) key = key << 4 | static_cast<std::uint64_t>(e164[i] - '0' + 1);
  return key << (4 * (17 - i));
}

// Step 2: the good rows' indexes in number order. Rows are written in that order: the unique
// index on numbers and the audit index by number then grow at their ends instead of at a
// million random places (all rows share one timestamp). The same order finds a number given
// twice: its rows end up side by side.
std::vector<std::size_t> order_by_number(const std::vector<ImportRow>& rows, const std::vector<NewNumber>& checked,
                                         Batch& batch) {
  std::vector<std::pair<std::uint64_t, std::uint32_t>> order;  // (sort key, row index)
  order.reserve(rows.size());
  for (std::size_t i = 0; i < rows.size(); ++i)
    if (!checked[i].e164.empty()) order.emplace_back(e164_sort_key(checked[i].e164), static_cast<std::uint32_t>(i));
  std::sort(order.begin(), order.end(), [&](const auto& a, const auto& b) {
    if (a.first != b.first) return a.first < b.first;
    int c = checked[a.second].e164.compare(checked[b.second].e164);
    return c != 0 ? c < 0 : a.second < b.second;
  });
  std::vector<std::size_t> unique;
  unique.reserve(order.size());
  for (auto [key, i] : order) {
    if (!unique.empty() && checked[unique.back()].e164 == checked[i].e164) {
      batch.add(invalid(checked[i].display + " also appears in row " + std::to_string(rows[unique.back()].position)), i,
                "row " + std::to_string(rows[i].position), checked[i].display);
      continue;
    }
    unique.push_back(i);
  }
  return unique;
}

}  // namespace

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

ImportResult Service::import_rows(const std::vector<ImportRow>& rows, const ImportOptions& options, const RunOptions& run) {
  std::vector<NewNumber> checked;
  memory::reserve_huge(checked, rows.size());
  checked.resize(rows.size());
  std::vector<RowTexts> texts;
  if (std::any_of(rows.begin(), rows.end(), has_row_texts)) texts.resize(rows.size());
  Batch batch;
  auto fail_rows = [&] {
    batch.raise(std::to_string(batch.size()) + " of " + std::to_string(rows.size()) + " rows are bad, nothing imported");
  };
  auto row_label = [&](std::size_t i) { return "row " + std::to_string(rows[i].position); };
  std::vector<std::optional<Problem>> if_added(options.on_conflict == OnConflict::fail ? 0 : rows.size());
  check_rows(rows, config_, options, run, checked, texts, if_added, batch);
  std::vector<std::size_t> unique = order_by_number(rows, checked, batch);
  if (!batch.empty()) fail_rows();

  // Step 3, under the write lock. Parsing ran without it; ownership is checked under it, so a
  // number bought meanwhile by someone else is reported as a bad row, not a database error.
  return in_transaction(run, [&] {
    ImportResult result;
    // With skip or update, the numbers owned already are found first and set aside (by
    // default the unique index finds them while inserting, the fast path of a migration).
    std::vector<std::pair<std::size_t, NumberRecord>> existing;  // (row index, record)
    std::vector<bool> acting(rows.size(), true);                 // rows that add or change a number
    if (options.on_conflict != OnConflict::fail) {
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
    }
    std::string now = now_iso();
    std::string release = format_iso8601(clock_.now() + std::chrono::days(config_.cancellation_grace_days));
    std::unordered_map<std::string, std::int64_t> team_ids, member_ids;    // by lower-case name
    std::unordered_map<std::string, std::int64_t> team_hits, member_hits;  // as written: no lower()
    auto team = [&](const std::string& name) {
      if (auto it = team_hits.find(name); it != team_hits.end()) return it->second;
      auto key = text::lower(name);
      if (auto it = team_ids.find(key); it != team_ids.end()) return team_hits[name] = it->second;
      auto id = store_.team_id(name);
      if (!id) {
        id = store_.add_team(name, now);
        ++result.teams_created;
        record_event("team_add", details({{"team", name}}));
      }
      return team_hits[name] = team_ids[key] = *id;
    };
    // The team of each member named (lower-case name -> team as stored), to hold every row to it.
    std::unordered_map<std::string, std::optional<std::string>> member_teams;
    std::optional<std::unordered_map<std::string, std::optional<std::string>>> stored_member_teams;
    auto member = [&](const ImportRow& row) {
      const std::string& name = *row.member;
      if (auto it = member_hits.find(name); it != member_hits.end()) return it->second;
      auto key = text::lower(name);
      if (auto it = member_ids.find(key); it != member_ids.end()) return member_hits[name] = it->second;
      auto id = store_.member_id(name);
      if (id) {
        if (!stored_member_teams) {
          stored_member_teams.emplace();
          for (const auto& m : store_.members()) (*stored_member_teams)[text::lower(m.name)] = m.team;
        }
        member_teams[key] = (*stored_member_teams)[key];
      } else {
        id = store_.add_member(name, row.team ? std::optional(team(*row.team)) : std::nullopt, now);
        ++result.members_created;
        member_teams[key] = row.team;
        record_event("member_add", details({{"member", name}, {"team", row.team}, {"source", "import"}}));
      }
      return member_hits[name] = member_ids[key] = *id;
    };
    // Teams and members are created in file order: a new member joins the team of its first row.
    // A row naming a member and a team the member is not in is refused: the number would follow
    // the member while the row (and its audit entry) says otherwise.
    for (std::size_t i = 0; i < rows.size(); ++i) {
      const ImportRow& row = rows[i];
      if (!acting[i]) continue;
      if (row.member) {
        member(row);
        const auto& known = member_teams[text::lower(*row.member)];
        if (row.team && (!known || text::lower(*known) != text::lower(*row.team)))
          batch.add(invalid("member '" + *row.member + "' is " + (known ? "in team '" + *known + "'" : "in no team") +
                            ", not '" + *row.team + "': leave the team column empty (the number follows its member), or move "
                            "the member first (numctl member move)"),
                    i, row_label(i), row.number);
      } else if (row.team) {
        team(*row.team);
      }
    }
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
    // The rows to add, in number order, with their dates, assignment and audit details.
    std::vector<const NewNumber*> adds;
    adds.reserve(unique.size());
    std::string audit_details;  // of all rows in one buffer: a million small strings cost more
    audit_details.reserve(unique.size() * 48);
    memory::prefer_huge_pages(audit_details.data(), audit_details.capacity());
    std::vector<std::size_t> details_ends;
    details_ends.reserve(unique.size());
    // An order imported pending gets its full time from the import, whatever its bought_at says
    // (unless the file gives its deadline, as numctl's export does).
    std::string deadline = order_deadline(clock_.now());
    for (auto i : unique) {
      auto& add = checked[i];
      const ImportRow& row = rows[i];
      if (!if_added.empty() && if_added[i]) {
        batch.add(*if_added[i], i, row_label(i), row.number);
        continue;
      }
      if (claims_untrusted(add, config_, options, row.status.has_value())) {
        batch.add(untrusted_status(add.display, add.status, add.country, config_.required_documents_for(add.country, add.type)),
                  i, row_label(i), add.display);
        continue;
      }
      if (add.bought_at.empty()) add.bought_at = now;
      if (add.status == Status::active || add.status == Status::high_risk) add.activated_at = add.bought_at;
      if (add.status == Status::pending && add.expires_at.empty()) add.expires_at = deadline;
      if (add.status != Status::high_risk && add.status != Status::to_be_cancelled && add.status != Status::cancelled)
        add.risk_reason = {};
      // Said only where it mattered: a regulated number the file says is in service.
      bool trusted = options.trust_status && add.status != Status::pending && add.status != Status::cancelled &&
                     !config_.required_documents_for(add.country, add.type).empty();
      if (add.status == Status::to_be_cancelled || add.status == Status::cancelled) {
        add.previous_status = Status::active;
        add.cancel_requested_at = now;
        if (add.release_at.empty())
          add.release_at = add.status == Status::to_be_cancelled ? std::string_view(release) : std::string_view(now);
      }
      if (add.status != Status::cancelled) {
        if (row.member) add.member_id = member(row);
        else if (row.team) add.team_id = team(*row.team);
      }
      auto view = [](const std::optional<std::string>& v) { return v ? std::optional<std::string_view>(*v) : std::nullopt; };
      append_details<std::optional<std::string_view>>(
          audit_details, {{"type", to_string(add.type)}, {"team", view(row.team)}, {"member", view(row.member)},
                          {"label", view(row.label)},
                          {"status_trusted", trusted ? std::optional<std::string_view>("documents held outside numctl")
                                                     : std::nullopt}});
      details_ends.push_back(audit_details.size());
      adds.push_back(&add);
    }
    if (!batch.empty()) fail_rows();
    for (std::size_t k = 0, begin = 0; k < adds.size(); begin = details_ends[k++])
      checked[unique[k]].audit_details = std::string_view(audit_details).substr(begin, details_ends[k] - begin);
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
    result.imported = adds.size();
    return result;
  });
}

}  // namespace numctl
