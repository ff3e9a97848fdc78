// Teams and members: the people numbers are routed to.
#include "service_impl.hpp"
#include "domain/validation.hpp"
#include "numctl/error.hpp"
#include "numctl/text.hpp"

namespace numctl {

void Service::add_team(const std::string& typed, const RunOptions& run) {
  std::string name = to_nfc(typed);  // one team however its accents were typed
  require(check_name("team", name));
  in_transaction(run, [&] {
    if (team_named(name)) fail(ErrorCategory::refused, "team '" + name + "' already exists");
    store_.add_team(name, now_iso());
    record_event("team_add", details({{"team", name}}));
    return 0;
  });
}

void Service::remove_team(const std::string& typed, const RunOptions& run) {
  std::string name = to_nfc(typed);
  in_transaction(run, [&] {
    auto id = require_team(name);
    if (auto held = store_.numbers_held_by_team(id); held > 0)
      fail(ErrorCategory::refused, "team '" + name + "' still holds " + std::to_string(held) +
                                       " numbers; move them first (numctl filter --team '" + name +
                                       "' --format plain | numctl assign - --team OTHER)");
    if (auto members = store_.members_of_team(id); members > 0)
      fail(ErrorCategory::refused, "team '" + name + "' still has " + std::to_string(members) +
                                       " members; remove them or move them to another team first");
    store_.remove_team(id);
    record_event("team_remove", details({{"team", name}}));
    return 0;
  });
}

void Service::add_member(const std::string& typed, const std::optional<std::string>& typed_team, const RunOptions& run) {
  std::string name = to_nfc(typed);
  auto team = to_nfc(typed_team);
  require(check_name("member", name));
  in_transaction(run, [&] {
    if (member_named(name)) fail(ErrorCategory::refused, "member '" + name + "' already exists");
    std::optional<std::int64_t> team_id;
    if (team) team_id = require_team(*team);
    store_.add_member(name, team_id, now_iso());
    record_event("member_add", details({{"member", name}, {"team", team}}));
    return 0;
  });
}

void Service::remove_member(const std::string& typed, const RunOptions& run) {
  std::string name = to_nfc(typed);
  in_transaction(run, [&] {
    auto id = require_member(name);
    if (auto held = store_.numbers_held_by_member(id); held > 0)
      fail(ErrorCategory::refused, "member '" + name + "' still holds " + std::to_string(held) +
                                       " numbers; move them first (numctl filter --member '" + name +
                                       "' --format plain | numctl unassign -)");
    store_.remove_member(id);
    record_event("member_remove", details({{"member", name}}));
    return 0;
  });
}

namespace {
// Numbers routed to the team itself (not through one of its members): their assignee is the
// team's name, so a rename or merge changes it and each gets a row in its history.
std::vector<NumberRecord> routed_to_team(Store& store, const std::string& team) {
  Filter filter;
  filter.team = team;
  std::vector<NumberRecord> out;
  store.for_each_number(filter, Sort{}, Page{}, [&](const NumberRecord& record) {
    if (!record.member) out.push_back(record);
  });
  return out;
}
}  // namespace

void Service::note_team_change(const std::vector<NumberRecord>& numbers, const std::string& to, const std::string& was,
                               std::string_view how) {
  for (const auto& record : numbers)
    record_audit(record.e164, Action::assign, record.status, record.status,
                 details({{"team", to}, {"was", was}, {"via", std::string(how)}}));
}

void Service::rename_team(const std::string& typed_from, const std::string& typed_to, const RunOptions& run) {
  std::string from = to_nfc(typed_from), to = to_nfc(typed_to);
  require(check_name("team", to));
  in_transaction(run, [&] {
    auto id = require_team(from);
    if (auto other = team_named(to); other && *other != id)
      fail(ErrorCategory::refused, "team '" + to + "' already exists; to join the two, numctl team merge '" + from +
                                       "' '" + to + "'");
    auto routed = routed_to_team(store_, from);
    store_.rename_team(id, to);
    record_event("team_rename", details({{"team", from}, {"to", to}}));
    if (from != to) note_team_change(routed, to, from, "team rename");
    return 0;
  });
}

std::pair<std::int64_t, std::int64_t> Service::merge_team(const std::string& typed_from, const std::string& typed_into,
                                                          const RunOptions& run) {
  std::string from = to_nfc(typed_from), into = to_nfc(typed_into);
  return in_transaction(run, [&] {
    auto from_id = require_team(from);
    auto into_id = require_team(into);
    if (from_id == into_id) fail(ErrorCategory::invalid_input, "a team cannot be merged into itself");
    auto routed = routed_to_team(store_, from);
    auto [numbers, members] = store_.merge_team(from_id, into_id);
    note_team_change(routed, into, from, "team merge");
    record_event("team_merge", details({{"team", from},
                                        {"into", into},
                                        {"numbers", std::to_string(numbers)},
                                        {"members", std::to_string(members)}}));
    return std::pair{numbers, members};
  });
}

void Service::move_member(const std::string& typed, const std::optional<std::string>& typed_team, const RunOptions& run) {
  std::string name = to_nfc(typed);
  auto team = to_nfc(typed_team);
  in_transaction(run, [&] {
    auto id = require_member(name);
    std::optional<std::int64_t> team_id;
    if (team) team_id = require_team(*team);
    std::optional<std::string> before;
    for (const auto& m : store_.members())
      if (text::lower(m.name) == text::lower(name)) before = m.team;
    store_.set_member_team(id, team_id);
    record_event("member_move", details({{"member", name}, {"from", before}, {"team", team}}));
    return 0;
  });
}

}  // namespace numctl
