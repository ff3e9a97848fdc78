// team and member: the people numbers are routed to.
#include "context.hpp"

#include <numctl/error.hpp>
#include "output/table.hpp"

namespace numctl::cli {

void register_team_commands(CLI::App& app, Context& context) {
  auto* team = app.add_subcommand("team", "Add, list, rename, merge or remove teams");
  team->require_subcommand(1);
  team->footer("Examples:\n  numctl team add Sales\n  numctl team list --json");
  auto name = std::make_shared<std::string>();
  team->add_subcommand("add", "Create a team")->callback([&context, name] {
    context.format("team add", {Format::table});
    context.database_use = DatabaseUse::create;  // the first team may start an inventory
    context.service().add_team(*name);
    context.note("team '" + *name + "' created");
  })->add_option("NAME", *name, "Team name")->required();
  team->add_subcommand("remove", "Remove a team that holds no numbers and no members")->callback([&context, name] {
    context.format("team remove", {Format::table});
    context.service().remove_team(*name);
    context.note("team '" + *name + "' removed");
  })->add_option("NAME", *name, "Team name")->required();
  auto rename_names = std::make_shared<std::pair<std::string, std::string>>();
  auto dry_run = std::make_shared<bool>(false);
  auto* rename = team->add_subcommand("rename", "Rename a team (its numbers and members follow)");
  rename->add_option("OLD", rename_names->first, "Current name")->required();
  rename->add_option("NEW", rename_names->second, "New name")->required();
  rename->add_flag("--dry-run", *dry_run, "Check, change nothing");
  rename->callback([&context, rename_names, dry_run] {
    context.format("team rename", {Format::table});
    context.service().rename_team(rename_names->first, rename_names->second, context.run(*dry_run));
    context.note(std::string(*dry_run ? "would rename" : "renamed") + " team '" + rename_names->first + "' to '" +
                 rename_names->second + "'");
  });
  auto merge_names = std::make_shared<std::pair<std::string, std::string>>();
  auto* merge = team->add_subcommand("merge", "Move every number and member of team FROM into INTO, then remove FROM");
  merge->add_option("FROM", merge_names->first, "The team that goes")->required();
  merge->add_option("INTO", merge_names->second, "The team that stays")->required();
  merge->add_flag("--dry-run", *dry_run, "Check, change nothing");
  merge->callback([&context, merge_names, dry_run] {
    context.format("team merge", {Format::table});
    auto [numbers, members] = context.service().merge_team(merge_names->first, merge_names->second, context.run(*dry_run));
    context.note(std::string(*dry_run ? "would merge" : "merged") + " team '" + merge_names->first + "' into '" +
                 merge_names->second + "': " + std::to_string(numbers) + " numbers, " + std::to_string(members) +
                 " members");
  });
  team->add_subcommand("list", "Teams with their numbers and members")->callback([&context] {
    context.database_use = DatabaseUse::read;
    List rows;
    for (const auto& t : context.inventory().teams())
      rows.emplace_back(Record{{"name", Value(t.name)}, {"numbers", Value(t.numbers)}, {"members", Value(t.members)}});
    write_rows(context.format(),
               {{"name", "TEAM", 32}, {"numbers", "NUMBERS", 7, TextColumn::Align::right},
                {"members", "MEMBERS", 9, TextColumn::Align::right}},
               rows, context.writer_options());
  });

  auto* member = app.add_subcommand("member", "Add, list, move or remove members (people numbers can be assigned to)");
  member->require_subcommand(1);
  member->footer("Examples:\n  numctl member add 'Ada Lovelace' --team Sales\n  numctl member list");
  auto member_name = std::make_shared<std::string>();
  auto member_team = std::make_shared<std::optional<std::string>>();
  auto* add = member->add_subcommand("add", "Create a member, optionally in a team");
  add->add_option("NAME", *member_name, "Member name")->required();
  add->add_option("--team", *member_team, "Team the member belongs to");
  add->callback([&context, member_name, member_team] {
    context.format("member add", {Format::table});
    context.database_use = DatabaseUse::create;
    context.service().add_member(*member_name, *member_team);
    context.note("member '" + *member_name + "' created");
  });
  member->add_subcommand("remove", "Remove a member who holds no numbers")->callback([&context, member_name] {
    context.format("member remove", {Format::table});
    context.service().remove_member(*member_name);
    context.note("member '" + *member_name + "' removed");
  })->add_option("NAME", *member_name, "Member name")->required();
  auto move_team = std::make_shared<std::optional<std::string>>();
  auto move_dry = std::make_shared<bool>(false);
  auto* move = member->add_subcommand("move", "Move a member to another team (--team T), or out of any (--no-team)");
  move->add_option("NAME", *member_name, "Member name")->required();
  auto* to_team = move->add_option("--team", *move_team, "The member's new team");
  auto no_team = std::make_shared<bool>(false);
  move->add_flag("--no-team", *no_team, "The member belongs to no team")->excludes(to_team);
  move->add_flag("--dry-run", *move_dry, "Check, change nothing");
  move->callback([&context, member_name, move_team, no_team, move_dry] {
    context.format("member move", {Format::table});
    if (!*move_team && !*no_team) fail(ErrorCategory::invalid_input, "member move needs --team NAME or --no-team");
    context.service().move_member(*member_name, *move_team, context.run(*move_dry));
    context.note(std::string(*move_dry ? "would move" : "moved") + " member '" + *member_name + "' to " +
                 (*move_team ? "team '" + **move_team + "'" : std::string("no team")));
  });
  member->add_subcommand("list", "Members with their team and numbers")->callback([&context] {
    context.database_use = DatabaseUse::read;
    List rows;
    for (const auto& m : context.inventory().members())
      rows.emplace_back(Record{{"name", Value(m.name)}, {"team", Value(m.team)}, {"numbers", Value(m.numbers)}});
    write_rows(context.format(),
               {{.key = "name", .heading = "MEMBER", .width = 32},
                {.key = "team", .heading = "TEAM", .width = 24, .when_null = "—"},
                {.key = "numbers", .heading = "NUMBERS", .width = 7, .align = TextColumn::Align::right}},
               rows, context.writer_options());
  });
}

}  // namespace numctl::cli
