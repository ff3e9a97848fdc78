// numctl: parse the command line, run one command, map errors to exit codes.
#include "context.hpp"
#include "output/format.hpp"

#include <numctl/error.hpp>
#include <numctl/json.hpp>
#include <numctl/suggest.hpp>

#include <CLI/CLI.hpp>

#include <algorithm>
#include <iostream>
#include <string_view>
#include <utility>
#include <vector>

namespace {

using numctl::ErrorCategory;

// Exit codes, documented in README and --help.
int exit_code(ErrorCategory category) {
  switch (category) {
    case ErrorCategory::invalid_input: return 2;
    case ErrorCategory::not_found: return 3;
    case ErrorCategory::refused: return 4;
    case ErrorCategory::config:
    case ErrorCategory::database: return 5;
    case ErrorCategory::internal: return 1;
  }
  return 1;
}

void report(const numctl::cli::Context& context, ErrorCategory category, const std::string& message) {
  numctl::cli::Out::flush();
  if (context.json_errors()) {
    std::string line = "{\"error\":{\"code\":\"" + std::string(numctl::to_string(category)) + "\",\"message\":";
    numctl::json::append_string(line, message);
    std::cerr << line << "}}\n";
  } else {
    std::cerr << "numctl: error: " << message << '\n';
  }
}

constexpr const char* footer = R"(Exit codes:
  0 success   1 internal error   2 usage error or invalid input
  3 not found (number, team, member)   4 refused by the lifecycle rules
  5 configuration or database problem

Environment: NUMCTL_CONFIG, NUMCTL_DB, NUMCTL_ACTOR, NUMCTL_NOW (ISO 8601, UTC), NO_COLOR.
Run 'numctl COMMAND --help' for a command's options and examples.)";

using numctl::cli::Context;
using Registrar = void (*)(CLI::App&, Context&);

void register_help_command(CLI::App& app, Context&) { numctl::cli::register_help(app); }

// Every command with the function that registers it, in the order `numctl --help` lists them.
// A command line builds only its own command's part of the tree: building all of it was most
// of what a start of numctl cost. `help` and `__complete` read the whole tree; a command
// missing here still works (the whole tree is built).
struct Registration {
  std::string_view command;
  Registrar add;
  bool reads_whole_tree = false;
};
constexpr Registration registrations[] = {
    {"list", numctl::cli::register_list},
    {"filter", numctl::cli::register_filter},
    {"search", numctl::cli::register_search},
    {"show", numctl::cli::register_show},
    {"stats", numctl::cli::register_stats},
    {"import", numctl::cli::register_import},
    {"team", numctl::cli::register_team_commands},
    {"member", numctl::cli::register_team_commands},
    {"available", numctl::cli::register_buy_commands},
    {"buy", numctl::cli::register_buy_commands},
    {"assign", numctl::cli::register_number_actions},
    {"unassign", numctl::cli::register_number_actions},
    {"flag", numctl::cli::register_number_actions},
    {"unflag", numctl::cli::register_number_actions},
    {"cancel", numctl::cli::register_number_actions},
    {"restore", numctl::cli::register_number_actions},
    {"replace", numctl::cli::register_replace},
    {"docs", numctl::cli::register_document_commands},
    {"approve", numctl::cli::register_document_commands},
    {"reject", numctl::cli::register_document_commands},
    {"sweep", numctl::cli::register_sweep},
    {"history", numctl::cli::register_history},
    {"lifecycle", numctl::cli::register_lifecycle},
    {"init", numctl::cli::register_init},
    {"backup", numctl::cli::register_backup},
    {"help", register_help_command, true},
    {"__complete", numctl::cli::register_complete, true},
};

// The command a command line names: its first argument that is neither an option nor the value
// of a global option. Empty when there is none or it cannot be told (an option only a command
// knows), and then the whole tree is built.
std::string_view command_word(int argc, char** argv, const CLI::App& app) {
  for (int i = 1; i < argc; ++i) {
    std::string_view arg = argv[i];
    if (arg.empty() || arg.front() != '-') return arg;
    if (arg == "--") return {};
    if (arg.find('=') != std::string_view::npos) continue;  // --db=numbers.db
    const CLI::Option* option = app.get_option_no_throw(std::string(arg));
    if (option == nullptr) return {};
    if (option->get_type_size() != 0) ++i;  // its value is the next argument
  }
  return {};
}

void register_commands(CLI::App& app, Context& context, std::string_view word) {
  std::vector<Registrar> done;
  auto add = [&](Registrar registrar) {
    if (std::find(done.begin(), done.end(), registrar) != done.end()) return;
    registrar(app, context);
    done.push_back(registrar);
  };
  for (const auto& r : registrations)
    if (r.command == word && !r.reads_whole_tree) add(r.add);
  for (const auto* command : app.get_subcommands({}))
    if (!word.empty() && command->get_name() == word) return;
  for (const auto& r : registrations) add(r.add);
}

}  // namespace

int main(int argc, char** argv) {
  numctl::cli::Context context;
  CLI::App app{"numctl: administer the phone numbers a business owns.", "numctl"};
  app.footer(footer);
  app.set_version_flag("--version", "numctl " NUMCTL_VERSION);
  app.require_subcommand(1);
  app.fallthrough();
  auto& o = context.options;
  app.add_option("--config", o.config_path, "Configuration file (default: $NUMCTL_CONFIG, else $XDG_CONFIG_HOME/numctl/config.toml)");
  app.add_option("--db", o.db_path, "Database file (default: $NUMCTL_DB, else [database] path)");
  app.add_option("--actor", o.actor, "Name recorded in the audit history (default: $NUMCTL_ACTOR, else $USER)");
  app.add_option("--region", o.region, "Country for numbers typed in national form, e.g. DE for 030 123456");
  app.add_option("--format", o.format, std::string("Output format: ") + numctl::cli::format_names)
      ->check(CLI::IsMember({"table", "boxes", "json", "ndjson", "csv", "plain", "dot"}));
  app.add_flag("--json", o.json, "Same as --format json");
  app.add_option("--color", o.color, "Colour output: auto (only on a terminal), always, never")
      ->check(CLI::IsMember({"auto", "always", "never"}));
  app.add_flag("-q,--quiet", o.quiet, "Print only data, no notes on stderr");
  app.add_flag("-v,--verbose", o.verbose, "Explain more on stderr");

  // --version alone needs no command tree at all.
  if (!(argc == 2 && std::string_view(argv[1]) == "--version")) register_commands(app, context, command_word(argc, argv, app));
  using namespace numctl::cli;

  try {
    app.parse(argc, argv);
    Out::flush();
    return 0;
  } catch (const CLI::CallForHelp& e) {
    return app.exit(e);
  } catch (const CLI::CallForAllHelp& e) {
    return app.exit(e);
  } catch (const CLI::CallForVersion& e) {
    return app.exit(e);
  } catch (const CLI::ParseError& e) {
    std::string message = e.what();
    if (argc > 1 && app.get_subcommands().empty()) {
      std::vector<std::string> names;
      for (const auto* sub : app.get_subcommands({})) names.push_back(sub->get_name());
      std::string word = argv[1];
      for (int i = 1; i < argc; ++i)
        if (argv[i][0] != '-') { word = argv[i]; break; }
      if (std::find(names.begin(), names.end(), word) == names.end()) {
        message = "unknown command '" + word + "'";
        if (auto close = numctl::closest_match(word, names)) message += "; did you mean '" + *close + "'?";
      }
    }
    report(context, ErrorCategory::invalid_input, message + " (see numctl --help)");
    return 2;
  } catch (const numctl::Error& e) {
    report(context, e.category(), e.what());
    return exit_code(e.category());
  } catch (const std::exception& e) {
    report(context, ErrorCategory::internal, std::string("unexpected: ") + e.what());
    return 1;
  }
}
