// Every command as data: the function that registers it and what it is, read by main.cpp (which
// builds only the command a line names), by `__complete` (which operands to offer) and by guards.
#pragma once

#include "context.hpp"

#include <string_view>

namespace numctl::cli {

using Registrar = void (*)(CLI::App&, Context&);

// What a command's positional arguments are.
enum class Operands { none, numbers, file, names };

struct Command {
  std::string_view name;
  Registrar add;
  Operands operands = Operands::none;
  bool mutates = false;          // changes the inventory (has --dry-run)
  bool reads_database = true;    // opens the database at all
  bool reads_whole_tree = false; // needs every command registered (help, completion)
};

// In the order `numctl --help` lists them. Commands that share a registrar are registered once.
inline constexpr Command command_table[] = {
    {"list", register_list},
    {"filter", register_filter},
    {"search", register_search},
    {"show", register_show, Operands::numbers},
    {"stats", register_stats},
    {"import", register_import, Operands::file, true},
    {"team", register_team_commands, Operands::names, true},
    {"member", register_team_commands, Operands::names, true},
    {"available", register_buy_commands},
    {"buy", register_buy_commands, Operands::none, true},
    {"assign", register_number_actions, Operands::numbers, true},
    {"unassign", register_number_actions, Operands::numbers, true},
    {"flag", register_number_actions, Operands::numbers, true},
    {"unflag", register_number_actions, Operands::numbers, true},
    {"cancel", register_number_actions, Operands::numbers, true},
    {"restore", register_number_actions, Operands::numbers, true},
    {"replace", register_replace, Operands::numbers, true},
    {"docs", register_document_commands, Operands::numbers, true},
    {"approve", register_document_commands, Operands::numbers, true},
    {"reject", register_document_commands, Operands::numbers, true},
    {"sweep", register_sweep, Operands::none, true},
    {"history", register_history, Operands::numbers},
    {"lifecycle", register_lifecycle, Operands::none, false, false},
    {"init", register_init, Operands::none, true},
    {"backup", register_backup, Operands::file},
    {"help", register_help, Operands::none, false, false, true},
    {"__complete", register_complete, Operands::none, false, true, true},
};

inline const Command* find_command(std::string_view name) {
  for (const auto& command : command_table)
    if (command.name == name) return &command;
  return nullptr;
}

}  // namespace numctl::cli
