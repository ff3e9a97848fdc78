// team and member: the people numbers are routed to.
#include "context.hpp"
#include "output/table.hpp"

namespace numctl::cli {

void register_team_commands(CLI::App& app, Context& context) {
  auto* team = app.add_subcommand("team", "Add, list or remove teams");
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

  auto* member = app.add_subcommand("member", "Add, list or remove members (people numbers can be assigned to)");
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
