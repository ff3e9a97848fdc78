// numctl: parse the command line, run one command, map errors to exit codes.
#include "context.hpp"
#include "output/format.hpp"

#include <numctl/error.hpp>
#include <numctl/json.hpp>
#include <numctl/suggest.hpp>

#include <CLI/CLI.hpp>

#include <iostream>

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

  using namespace numctl::cli;
  register_listing_commands(app, context);
  register_show(app, context);
  register_stats(app, context);
  register_import(app, context);
  register_team_commands(app, context);
  register_buy_commands(app, context);
  register_number_actions(app, context);
  register_replace(app, context);
  register_document_commands(app, context);
  register_sweep(app, context);
  register_history(app, context);
  register_lifecycle(app, context);
  register_init(app, context);
  register_backup(app, context);
  register_help(app);
  register_complete(app, context);

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
