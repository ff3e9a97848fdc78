// Every command and subcommand as data: the function that registers it and what it is, read by
// main.cpp (which builds only the command a line names, sets the database rule, adds --dry-run
// and refuses a format the command does not write), by `__complete` (which operands to offer)
// and by `help`.
#pragma once

#include "context.hpp"

#include <string_view>

namespace numctl::cli {

// The registrars: each registers one (sub)command on the command above it; cli/commands/<command>.cpp.
CLI::App* register_list(CLI::App& parent, Context& context);
CLI::App* register_filter(CLI::App& parent, Context& context);
CLI::App* register_search(CLI::App& parent, Context& context);
CLI::App* register_show(CLI::App& parent, Context& context);
CLI::App* register_stats(CLI::App& parent, Context& context);
CLI::App* register_import(CLI::App& parent, Context& context);
CLI::App* register_team(CLI::App& parent, Context& context);
CLI::App* register_team_add(CLI::App& parent, Context& context);
CLI::App* register_team_remove(CLI::App& parent, Context& context);
CLI::App* register_team_rename(CLI::App& parent, Context& context);
CLI::App* register_team_merge(CLI::App& parent, Context& context);
CLI::App* register_team_list(CLI::App& parent, Context& context);
CLI::App* register_member(CLI::App& parent, Context& context);
CLI::App* register_member_add(CLI::App& parent, Context& context);
CLI::App* register_member_remove(CLI::App& parent, Context& context);
CLI::App* register_member_move(CLI::App& parent, Context& context);
CLI::App* register_member_list(CLI::App& parent, Context& context);
CLI::App* register_available(CLI::App& parent, Context& context);
CLI::App* register_buy(CLI::App& parent, Context& context);
CLI::App* register_assign(CLI::App& parent, Context& context);
CLI::App* register_unassign(CLI::App& parent, Context& context);
CLI::App* register_flag(CLI::App& parent, Context& context);
CLI::App* register_unflag(CLI::App& parent, Context& context);
CLI::App* register_cancel(CLI::App& parent, Context& context);
CLI::App* register_restore(CLI::App& parent, Context& context);
CLI::App* register_replace(CLI::App& parent, Context& context);
CLI::App* register_set(CLI::App& parent, Context& context);
CLI::App* register_docs(CLI::App& parent, Context& context);
CLI::App* register_docs_submit(CLI::App& parent, Context& context);
CLI::App* register_docs_list(CLI::App& parent, Context& context);
CLI::App* register_docs_get(CLI::App& parent, Context& context);
CLI::App* register_approve(CLI::App& parent, Context& context);
CLI::App* register_reject(CLI::App& parent, Context& context);
CLI::App* register_regulations(CLI::App& parent, Context& context);
CLI::App* register_compliance(CLI::App& parent, Context& context);
CLI::App* register_compliance_create(CLI::App& parent, Context& context);
CLI::App* register_compliance_update(CLI::App& parent, Context& context);
CLI::App* register_compliance_submit(CLI::App& parent, Context& context);
CLI::App* register_compliance_list(CLI::App& parent, Context& context);
CLI::App* register_compliance_show(CLI::App& parent, Context& context);
CLI::App* register_compliance_refresh(CLI::App& parent, Context& context);
CLI::App* register_sweep(CLI::App& parent, Context& context);
CLI::App* register_history(CLI::App& parent, Context& context);
CLI::App* register_due(CLI::App& parent, Context& context);
CLI::App* register_log(CLI::App& parent, Context& context);
CLI::App* register_lifecycle(CLI::App& parent, Context& context);
CLI::App* register_init(CLI::App& parent, Context& context);
CLI::App* register_backup(CLI::App& parent, Context& context);
CLI::App* register_migrate(CLI::App& parent, Context& context);
CLI::App* register_sync(CLI::App& parent, Context& context);
CLI::App* register_provider(CLI::App& parent, Context& context);
CLI::App* register_provider_check(CLI::App& parent, Context& context);
CLI::App* register_reputation(CLI::App& parent, Context& context);
CLI::App* register_reputation_import(CLI::App& parent, Context& context);
CLI::App* register_reputation_refresh(CLI::App& parent, Context& context);
CLI::App* register_reputation_apply(CLI::App& parent, Context& context);
CLI::App* register_reputation_show(CLI::App& parent, Context& context);
CLI::App* register_reputation_list(CLI::App& parent, Context& context);
CLI::App* register_reputation_prune(CLI::App& parent, Context& context);
CLI::App* register_prices(CLI::App& parent, Context& context);
CLI::App* register_prices_refresh(CLI::App& parent, Context& context);
CLI::App* register_cost(CLI::App& parent, Context& context);
CLI::App* register_usage(CLI::App& parent, Context& context);
CLI::App* register_usage_import(CLI::App& parent, Context& context);
CLI::App* register_usage_refresh(CLI::App& parent, Context& context);
CLI::App* register_usage_prune(CLI::App& parent, Context& context);
CLI::App* register_idle(CLI::App& parent, Context& context);
CLI::App* register_port_in(CLI::App& parent, Context& context);
CLI::App* register_port_in_create(CLI::App& parent, Context& context);
CLI::App* register_port_in_list(CLI::App& parent, Context& context);
CLI::App* register_port_in_show(CLI::App& parent, Context& context);
CLI::App* register_port_in_update(CLI::App& parent, Context& context);
CLI::App* register_port_in_refresh(CLI::App& parent, Context& context);
CLI::App* register_port_in_cancel(CLI::App& parent, Context& context);
CLI::App* register_port_in_complete(CLI::App& parent, Context& context);
CLI::App* register_port_out(CLI::App& parent, Context& context);
CLI::App* register_port_out_list(CLI::App& parent, Context& context);
CLI::App* register_port_out_approve(CLI::App& parent, Context& context);
CLI::App* register_port_out_reject(CLI::App& parent, Context& context);
CLI::App* register_port_out_record(CLI::App& parent, Context& context);
CLI::App* register_address(CLI::App& parent, Context& context);
CLI::App* register_address_add(CLI::App& parent, Context& context);
CLI::App* register_address_list(CLI::App& parent, Context& context);
CLI::App* register_address_show(CLI::App& parent, Context& context);
CLI::App* register_address_remove(CLI::App& parent, Context& context);
CLI::App* register_emergency(CLI::App& parent, Context& context);
CLI::App* register_emergency_set(CLI::App& parent, Context& context);
CLI::App* register_emergency_clear(CLI::App& parent, Context& context);
CLI::App* register_emergency_refresh(CLI::App& parent, Context& context);
CLI::App* register_emergency_gaps(CLI::App& parent, Context& context);
CLI::App* register_cnam(CLI::App& parent, Context& context);
CLI::App* register_cnam_set(CLI::App& parent, Context& context);
CLI::App* register_cnam_clear(CLI::App& parent, Context& context);
CLI::App* register_team_set(CLI::App& parent, Context& context);
CLI::App* register_help(CLI::App& parent, Context& context);
CLI::App* register_complete(CLI::App& parent, Context& context);

// Registers one (sub)command on the command above it and returns it.
using Registrar = CLI::App* (*)(CLI::App& parent, Context&);

// What a command's positional arguments are.
enum class Operands { none, numbers, file, names, profiles, ports, addresses };

// The formats a command writes, as a set.
constexpr FormatSet formats(std::initializer_list<Format> list) {
  FormatSet set = 0;
  for (Format f : list) set |= format_bit(f);
  return set;
}
inline constexpr FormatSet any_format = 0x3f;
inline constexpr FormatSet text_only = formats({Format::table});
inline constexpr FormatSet reports = formats({Format::table, Format::json, Format::ndjson});

struct Command {
  std::string_view name;  // "team add": a subcommand is named after the command above it
  Registrar add;
  Operands operands = Operands::none;
  // How it opens the database: read-only commands work on a read-only file; only commands that
  // start an inventory may create a missing one; every other command refuses a missing file (a
  // mistyped path). A command with subcommands: whether its subcommands use a database at all.
  DatabaseUse database = DatabaseUse::read;
  FormatSet writes = any_format;
  std::string_view dry_run = {};  // the --dry-run flag's help when the command takes one
  bool reads_whole_tree = false;  // needs every command registered (help, completion)
};

// In the order `numctl --help` lists them; a subcommand after the command it belongs to.
using enum DatabaseUse;
inline constexpr std::string_view check_all = "Check everything, change nothing";
inline constexpr std::string_view check = "Check, change nothing";
inline constexpr std::string_view decide_all = "Check and decide everything, change nothing";
inline constexpr Command command_table[] = {
    {"list", register_list},
    {"filter", register_filter},
    {"search", register_search},
    {"show", register_show, Operands::numbers, read, formats({Format::table, Format::json, Format::ndjson, Format::plain})},
    {"stats", register_stats, Operands::none, read, reports},
    {"import", register_import, Operands::file, create, reports, "Check every row, import nothing"},
    {"team", register_team, Operands::none, write},
    {"team add", register_team_add, Operands::names, create, text_only},
    {"team remove", register_team_remove, Operands::names, write, text_only},
    {"team rename", register_team_rename, Operands::names, write, text_only, check},
    {"team merge", register_team_merge, Operands::names, write, text_only, check},
    {"team set", register_team_set, Operands::names, write, text_only, check},
    {"team list", register_team_list, Operands::none, read},
    {"member", register_member, Operands::none, write},
    {"member add", register_member_add, Operands::names, create, text_only},
    {"member remove", register_member_remove, Operands::names, write, text_only},
    {"member move", register_member_move, Operands::names, write, text_only, check},
    {"member list", register_member_list, Operands::none, read},
    {"available", register_available, Operands::none, read_or_empty},
    {"buy", register_buy, Operands::none, create, any_format, "Check everything, buy nothing"},
    {"assign", register_assign, Operands::numbers, write, any_format, check_all},
    {"unassign", register_unassign, Operands::numbers, write, any_format, check_all},
    {"flag", register_flag, Operands::numbers, write, any_format, check_all},
    {"unflag", register_unflag, Operands::numbers, write, any_format, check_all},
    {"cancel", register_cancel, Operands::numbers, write, any_format, check_all},
    {"restore", register_restore, Operands::numbers, write, any_format, check_all},
    {"replace", register_replace, Operands::numbers, write, formats({Format::table, Format::json, Format::ndjson, Format::plain}),
     check_all},
    {"set", register_set, Operands::numbers, write, any_format, check_all},
    {"docs", register_docs, Operands::none, write},
    {"docs submit", register_docs_submit, Operands::numbers, write, reports, "Check everything, store nothing"},
    {"docs list", register_docs_list, Operands::numbers, read, reports},
    {"docs get", register_docs_get, Operands::numbers, read, text_only},
    {"approve", register_approve, Operands::numbers, write, any_format, check},
    {"reject", register_reject, Operands::numbers, write, any_format, check},
    // Reading a carrier's regulations caches them, so it may start an inventory.
    {"regulations", register_regulations, Operands::none, create, reports},
    {"compliance", register_compliance, Operands::none, write},
    {"compliance create", register_compliance_create, Operands::none, create, reports, "Check everything, build nothing"},
    {"compliance update", register_compliance_update, Operands::profiles, write, reports, "Check everything, change nothing"},
    {"compliance submit", register_compliance_submit, Operands::profiles, write, reports, check},
    {"compliance list", register_compliance_list, Operands::none, read, reports},
    {"compliance show", register_compliance_show, Operands::profiles, read, reports},
    {"compliance refresh", register_compliance_refresh, Operands::none, write, reports,
     "Count the open reviews; ask the carrier nothing"},
    {"sweep", register_sweep, Operands::none, write, reports, "Show what would change, change nothing"},
    {"history", register_history, Operands::numbers, read, formats({Format::table, Format::json, Format::ndjson, Format::csv})},
    {"due", register_due},
    {"log", register_log},
    {"lifecycle", register_lifecycle, Operands::none, none, reports | dot_graph},
    {"init", register_init, Operands::none, create, text_only},
    {"backup", register_backup, Operands::file, read, text_only},
    {"migrate", register_migrate, Operands::none, read, reports, "Read the source and check the target; write nothing"},
    // Adopting a carrier's numbers may start an inventory.
    {"sync", register_sync, Operands::none, create, reports, "Compare and report, change nothing"},
    {"provider", register_provider, Operands::none, none},
    {"provider check", register_provider_check, Operands::none, none, reports},
    {"reputation", register_reputation, Operands::none, write},
    {"reputation import", register_reputation_import, Operands::file, write, reports, decide_all},
    {"reputation refresh", register_reputation_refresh, Operands::numbers, write, reports, decide_all},
    {"reputation apply", register_reputation_apply, Operands::none, write, reports, decide_all},
    {"reputation show", register_reputation_show, Operands::numbers, read},
    {"reputation list", register_reputation_list, Operands::none, read},
    {"reputation prune", register_reputation_prune, Operands::none, write, reports, "Count, remove nothing"},
    {"prices", register_prices, Operands::none, write},
    {"prices refresh", register_prices_refresh, Operands::none, write, any_format, "Read the prices, change nothing"},
    {"cost", register_cost, Operands::none, read, formats({Format::table, Format::json, Format::ndjson, Format::csv})},
    {"usage", register_usage, Operands::none, write},
    {"usage import", register_usage_import, Operands::file, write, reports, "Check every record, store nothing"},
    {"usage refresh", register_usage_refresh, Operands::none, write, reports, "Read the records, store nothing"},
    {"usage prune", register_usage_prune, Operands::none, write, reports, "Count, remove nothing"},
    {"idle", register_idle},
    {"port-in", register_port_in, Operands::none, write},
    {"port-in create", register_port_in_create, Operands::numbers, create, reports, "Check everything, order nothing"},
    {"port-in list", register_port_in_list, Operands::none, read, reports},
    {"port-in show", register_port_in_show, Operands::ports, read, reports},
    {"port-in update", register_port_in_update, Operands::ports, write, reports, check},
    {"port-in refresh", register_port_in_refresh, Operands::none, write, reports, "Read the orders, change nothing"},
    {"port-in cancel", register_port_in_cancel, Operands::ports, write, reports, check},
    {"port-in complete", register_port_in_complete, Operands::ports, write, reports, check},
    {"port-out", register_port_out, Operands::none, write},
    {"port-out list", register_port_out_list, Operands::none, read, reports},
    {"port-out approve", register_port_out_approve, Operands::none, write, reports, check},
    {"port-out reject", register_port_out_reject, Operands::none, write, reports, check},
    {"port-out record", register_port_out_record, Operands::numbers, write, any_format, check_all},
    {"address", register_address, Operands::none, write},
    {"address add", register_address_add, Operands::none, create, reports, "Check everything (at the carrier too), add nothing"},
    {"address list", register_address_list, Operands::none, read, reports},
    {"address show", register_address_show, Operands::addresses, read, reports},
    {"address remove", register_address_remove, Operands::addresses, write, reports, check},
    {"emergency", register_emergency, Operands::none, write},
    {"emergency set", register_emergency_set, Operands::numbers, write, any_format, check_all},
    {"emergency clear", register_emergency_clear, Operands::numbers, write, any_format, check_all},
    {"emergency refresh", register_emergency_refresh, Operands::none, write, reports, "Count nothing, ask the carrier nothing"},
    {"emergency gaps", register_emergency_gaps, Operands::none, read},
    {"cnam", register_cnam, Operands::none, write},
    {"cnam set", register_cnam_set, Operands::numbers, write, any_format, check_all},
    {"cnam clear", register_cnam_clear, Operands::numbers, write, any_format, check_all},
    {"help", register_help, Operands::none, none, any_format, {}, true},
    {"__complete", register_complete, Operands::none, read, any_format, {}, true},
};

inline const Command* find_command(std::string_view name) {
  for (const auto& command : command_table)
    if (command.name == name) return &command;
  return nullptr;
}

// The row a command line's words name: the longest path of (sub)command names they start with.
inline const Command* find_command(const std::vector<std::string>& words) {
  const Command* found = nullptr;
  std::string path;
  for (const auto& word : words) {
    path += (path.empty() ? "" : " ") + word;
    if (const Command* command = find_command(path))
      found = command;
    else
      break;
  }
  return found;
}

}  // namespace numctl::cli
