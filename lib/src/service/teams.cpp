// Teams and members: the people numbers are routed to.
#include "service_impl.hpp"
#include "../validation.hpp"
#include "numctl/error.hpp"

namespace numctl {

void Service::add_team(const std::string& typed, const RunOptions& run) {
  std::string name = to_nfc(typed);  // one team however its accents were typed
  require(check_name("team", name));
  in_transaction(run, [&] {
    if (store_.team_id(name)) fail(ErrorCategory::refused, "team '" + name + "' already exists");
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
    if (store_.member_id(name)) fail(ErrorCategory::refused, "member '" + name + "' already exists");
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

}  // namespace numctl
