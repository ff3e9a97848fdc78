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
  // How it opens the database: read-only commands work on a read-only file; only commands that
  // start an inventory may create a missing one (team add and member add raise `write` to
  // `create` themselves); every other command refuses a missing file (a mistyped path).
  DatabaseUse database = DatabaseUse::read;
  bool reads_whole_tree = false;  // needs every command registered (help, completion)
};

// In the order `numctl --help` lists them. Commands that share a registrar are registered once.
using enum DatabaseUse;
inline constexpr Command command_table[] = {
    {"list", register_list},
    {"filter", register_filter},
    {"search", register_search},
    {"show", register_show, Operands::numbers},
    {"stats", register_stats},
    {"import", register_import, Operands::file, create},
    {"team", register_team_commands, Operands::names, write},
    {"member", register_team_commands, Operands::names, write},
    {"available", register_buy_commands, Operands::none, read_or_empty},
    {"buy", register_buy_commands, Operands::none, create},
    {"assign", register_number_actions, Operands::numbers, write},
    {"unassign", register_number_actions, Operands::numbers, write},
    {"flag", register_number_actions, Operands::numbers, write},
    {"unflag", register_number_actions, Operands::numbers, write},
    {"cancel", register_number_actions, Operands::numbers, write},
    {"restore", register_number_actions, Operands::numbers, write},
    {"replace", register_replace, Operands::numbers, write},
    {"set", register_number_actions, Operands::numbers, write},
    {"docs", register_document_commands, Operands::numbers, write},
    {"approve", register_document_commands, Operands::numbers, write},
    {"reject", register_document_commands, Operands::numbers, write},
    {"sweep", register_sweep, Operands::none, write},
    {"history", register_history, Operands::numbers},
    {"due", register_due},
    {"log", register_log},
    {"lifecycle", register_lifecycle, Operands::none, none},
    {"init", register_init, Operands::none, create},
    {"backup", register_backup, Operands::file},
    {"migrate", register_migrate},
    {"sync", register_sync, Operands::none, create},  // adopting a carrier's numbers may start an inventory
    {"provider", register_provider, Operands::none, none},
    {"reputation", register_reputation, Operands::numbers, write},
    {"help", register_help, Operands::none, none, true},
    {"__complete", register_complete, Operands::none, read, true},
};

inline const Command* find_command(std::string_view name) {
  for (const auto& command : command_table)
    if (command.name == name) return &command;
  return nullptr;
}

}  // namespace numctl::cli
