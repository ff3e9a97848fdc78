// team and member: the people numbers are routed to.
#include "context.hpp"

namespace numctl::cli {

void register_team_commands(CLI::App& app, Context& context) {
  auto* team = app.add_subcommand("team", "Add, list or remove teams");
  team->require_subcommand(1);
  team->footer("Examples:\n  numctl team add Sales\n  numctl team list --json");
  auto name = std::make_shared<std::string>();
  team->add_subcommand("add", "Create a team")->callback([&context, name] {
    context.service().add_team(*name);
    context.note("team '" + *name + "' created");
  })->add_option("NAME", *name, "Team name")->required();
  team->add_subcommand("remove", "Remove a team that holds no numbers and no members")->callback([&context, name] {
    context.service().remove_team(*name);
    context.note("team '" + *name + "' removed");
  })->add_option("NAME", *name, "Team name")->required();
  team->add_subcommand("list", "Teams with their numbers and members")->callback([&context] {
    auto teams = context.service().store().teams();
    if (context.format() == Format::json || context.format() == Format::ndjson) {
      std::string out = "[";
      for (std::size_t i = 0; i < teams.size(); ++i) {
        out += i ? "," : "";
        out += "{\"name\":";
        json::append_string(out, teams[i].name);
        out += ",\"numbers\":" + std::to_string(teams[i].numbers) + ",\"members\":" + std::to_string(teams[i].members) + "}";
      }
      Out::write(out + "]\n");
      return;
    }
    Style style{context.color()};
    Out::write(style.bold("TEAM                            NUMBERS  MEMBERS") + "\n");
    for (const auto& t : teams) {
      std::string n = std::to_string(t.numbers), m = std::to_string(t.members);
      Out::write(t.name + std::string(t.name.size() < 32 ? 32 - t.name.size() : 1, ' ') + std::string(7 - std::min<std::size_t>(7, n.size()), ' ') + n +
                 std::string(9 - std::min<std::size_t>(9, m.size()), ' ') + m + "\n");
    }
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
    context.service().add_member(*member_name, *member_team);
    context.note("member '" + *member_name + "' created");
  });
  member->add_subcommand("remove", "Remove a member who holds no numbers")->callback([&context, member_name] {
    context.service().remove_member(*member_name);
    context.note("member '" + *member_name + "' removed");
  })->add_option("NAME", *member_name, "Member name")->required();
  member->add_subcommand("list", "Members with their team and numbers")->callback([&context] {
    auto members = context.service().store().members();
    if (context.format() == Format::json || context.format() == Format::ndjson) {
      std::string out = "[";
      for (std::size_t i = 0; i < members.size(); ++i) {
        out += i ? "," : "";
        out += "{\"name\":";
        json::append_string(out, members[i].name);
        out += ",\"team\":";
        json::append_optional(out, members[i].team);
        out += ",\"numbers\":" + std::to_string(members[i].numbers) + "}";
      }
      Out::write(out + "]\n");
      return;
    }
    Style style{context.color()};
    Out::write(style.bold("MEMBER                          TEAM                    NUMBERS") + "\n");
    for (const auto& m : members) {
      std::string team = m.team.value_or("—"), n = std::to_string(m.numbers);
      Out::write(m.name + std::string(m.name.size() < 32 ? 32 - m.name.size() : 1, ' ') + team +
                 std::string(team.size() < 24 ? 24 - team.size() : 1, ' ') + std::string(7 - std::min<std::size_t>(7, n.size()), ' ') + n + "\n");
    }
  });
}

}  // namespace numctl::cli
