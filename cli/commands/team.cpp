// team and member: the people numbers are routed to.
#include "command_table.hpp"
#include "output/table.hpp"

#include <numctl/error.hpp>

namespace numctl::cli {
namespace {

// A subcommand whose one operand is a name.
CLI::App* named(CLI::App& parent, const char* name, const char* description, std::shared_ptr<std::string>& operand,
                const char* what) {
  operand = std::make_shared<std::string>();
  auto* command = parent.add_subcommand(name, description);
  command->add_option("NAME", *operand, what)->required();
  return command;
}

// "would rename" under --dry-run, else "renamed".
std::string would(const Context& context, const char* verb) {
  return context.dry_run ? fmt::format("would {}", verb) : fmt::format("{}d", verb);
}

// A subcommand of two names (rename OLD NEW, merge FROM INTO).
CLI::App* two_names(CLI::App& parent, const char* name, const char* description,
                    std::shared_ptr<std::pair<std::string, std::string>>& names, std::pair<const char*, const char*> labels,
                    std::pair<const char*, const char*> help) {
  names = std::make_shared<std::pair<std::string, std::string>>();
  auto* command = parent.add_subcommand(name, description);
  command->add_option(labels.first, names->first, help.first)->required();
  command->add_option(labels.second, names->second, help.second)->required();
  return command;
}

}  // namespace

CLI::App* register_team(CLI::App& app, Context&) {
  auto* team = app.add_subcommand("team", "Add, list, rename, merge or remove teams");
  team->require_subcommand(1);
  team->footer("Examples:\n  numctl team add Sales\n  numctl team list --json");
  return team;
}

CLI::App* register_team_add(CLI::App& team, Context& context) {
  std::shared_ptr<std::string> name;
  auto* add = named(team, "add", "Create a team", name, "Team name");
  add->callback([&context, name] {
    context.service().add_team(*name);
    context.note("team '{}' created", *name);
  });
  return add;
}

CLI::App* register_team_remove(CLI::App& team, Context& context) {
  std::shared_ptr<std::string> name;
  auto* remove = named(team, "remove", "Remove a team that holds no numbers and no members", name, "Team name");
  remove->callback([&context, name] {
    context.service().remove_team(*name);
    context.note("team '{}' removed", *name);
  });
  return remove;
}

CLI::App* register_team_rename(CLI::App& team, Context& context) {
  std::shared_ptr<std::pair<std::string, std::string>> names;
  auto* rename = two_names(team, "rename", "Rename a team (its numbers and members follow)", names, {"OLD", "NEW"},
                           {"Current name", "New name"});
  rename->callback([&context, names] {
    context.service().rename_team(names->first, names->second, context.run());
    context.note("{} team '{}' to '{}'", would(context, "rename"), names->first, names->second);
  });
  return rename;
}

CLI::App* register_team_merge(CLI::App& team, Context& context) {
  std::shared_ptr<std::pair<std::string, std::string>> names;
  auto* merge = two_names(team, "merge", "Move every number and member of team FROM into INTO, then remove FROM", names,
                          {"FROM", "INTO"}, {"The team that goes", "The team that stays"});
  merge->callback([&context, names] {
    auto [numbers, members] = context.service().merge_team(names->first, names->second, context.run());
    context.note("{} team '{}' into '{}': {} numbers, {} members", would(context, "merge"), names->first, names->second, numbers,
                 members);
  });
  return merge;
}

CLI::App* register_team_list(CLI::App& team, Context& context) {
  auto* list = team.add_subcommand("list", "Teams with their numbers and members");
  list->callback([&context] {
    List rows;
    for (const auto& t : context.inventory().teams())
      rows.emplace_back(Record{{"name", Value(t.name)}, {"numbers", Value(t.numbers)}, {"members", Value(t.members)}});
    write_rows(context.format(),
               {{"name", "TEAM", 32}, {"numbers", "NUMBERS", 7, TextColumn::Align::right},
                {"members", "MEMBERS", 9, TextColumn::Align::right}},
               rows, context.writer_options());
  });
  return list;
}

CLI::App* register_member(CLI::App& app, Context&) {
  auto* member = app.add_subcommand("member", "Add, list, move or remove members (people numbers can be assigned to)");
  member->require_subcommand(1);
  member->footer("Examples:\n  numctl member add 'Ada Lovelace' --team Sales\n  numctl member list");
  return member;
}

CLI::App* register_member_add(CLI::App& member, Context& context) {
  std::shared_ptr<std::string> name;
  auto team = std::make_shared<std::optional<std::string>>();
  auto* add = named(member, "add", "Create a member, optionally in a team", name, "Member name");
  add->add_option("--team", *team, "Team the member belongs to");
  add->callback([&context, name, team] {
    context.service().add_member(*name, *team);
    context.note("member '{}' created", *name);
  });
  return add;
}

CLI::App* register_member_remove(CLI::App& member, Context& context) {
  std::shared_ptr<std::string> name;
  auto* remove = named(member, "remove", "Remove a member who holds no numbers", name, "Member name");
  remove->callback([&context, name] {
    context.service().remove_member(*name);
    context.note("member '{}' removed", *name);
  });
  return remove;
}

CLI::App* register_member_move(CLI::App& member, Context& context) {
  std::shared_ptr<std::string> name;
  auto team = std::make_shared<std::optional<std::string>>();
  auto no_team = std::make_shared<bool>(false);
  auto* move = named(member, "move", "Move a member to another team (--team T), or out of any (--no-team)", name, "Member name");
  auto* to_team = move->add_option("--team", *team, "The member's new team");
  move->add_flag("--no-team", *no_team, "The member belongs to no team")->excludes(to_team);
  move->callback([&context, name, team, no_team] {
    if (!*team && !*no_team) fail(ErrorCategory::invalid_input, "member move needs --team NAME or --no-team");
    context.service().move_member(*name, *team, context.run());
    context.note("{} member '{}' to {}", would(context, "move"), *name,
                 *team ? fmt::format("team '{}'", **team) : std::string("no team"));
  });
  return move;
}

CLI::App* register_member_list(CLI::App& member, Context& context) {
  auto* list = member.add_subcommand("list", "Members with their team and numbers");
  list->callback([&context] {
    List rows;
    for (const auto& m : context.inventory().members())
      rows.emplace_back(Record{{"name", Value(m.name)}, {"team", Value(m.team)}, {"numbers", Value(m.numbers)}});
    write_rows(context.format(),
               {{.key = "name", .heading = "MEMBER", .width = 32},
                {.key = "team", .heading = "TEAM", .width = 24, .when_null = "—"},
                {.key = "numbers", .heading = "NUMBERS", .width = 7, .align = TextColumn::Align::right}},
               rows, context.writer_options());
  });
  return list;
}

}  // namespace numctl::cli
