// numctl: parse the command line, run one command, map errors to exit codes.
#include "command_table.hpp"
#include "context.hpp"
#include "output/value.hpp"
#include "output/format.hpp"
#include "usage.hpp"

#include <numctl/error.hpp>
#include <numctl/suggest.hpp>

#include <CLI/CLI.hpp>

#include <algorithm>
#include <cerrno>
#include <csignal>
#include <cstdio>
#include <cstdlib>
#include <cstring>
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
    case ErrorCategory::carrier: return 6;
  }
  return 1;
}

// With --json (or a JSON format) the error is one JSON object on stderr; a refused batch lists
// every offender: {"error":{"code","message","offenders":[{"number","reason"}]}}.
void report(const numctl::cli::Context& context, ErrorCategory category, const std::string& message,
            const std::vector<numctl::Offender>& offenders = {},
            const std::vector<std::pair<std::string, std::string>>& fields = {}) {
  numctl::cli::Out::flush();
  if (context.json_errors()) {
    using numctl::cli::Record;
    using numctl::cli::Value;
    Record body{{"code", Value(numctl::to_string(category))}, {"message", Value(message)}};
    for (const auto& [key, value] : fields) body.emplace_back(key, value.empty() ? Value() : Value(value));
    if (!offenders.empty()) {
      std::vector<Value> list;
      list.reserve(offenders.size());
      for (const auto& offender : offenders) {
        Record item{{"number", offender.number.empty() ? Value() : Value(offender.number)}};
        if (!offender.where.empty()) item.emplace_back("where", Value(offender.where));
        item.emplace_back("reason", Value(offender.reason));
        list.emplace_back(std::move(item));
      }
      body.emplace_back("offenders", Value(std::move(list)));
    }
    std::cerr << Value(Record{{"error", Value(std::move(body))}}).json() << '\n';
  } else {
    std::cerr << "numctl: error: " << message << '\n';
  }
}

// A write to stdout that failed: a reader that closed the pipe early ends numctl as SIGPIPE does;
// anything else (a full disk) is exit 1 and said, so that a script never takes output cut short
// for the whole.
int output_failed(const numctl::cli::Context& context, int error, const std::string& note = {}) {
  if (error == EPIPE) {
    std::signal(SIGPIPE, SIG_DFL);
    std::raise(SIGPIPE);
  }
  report(context, ErrorCategory::internal, std::string("cannot write the output: ") + std::strerror(error) + note);
  return 1;
}

// The end of a command that ran: its output written out and checked, then (context.cpp) a read
// that needs no teardown ends at once.
int finish(numctl::cli::Context& context, int code) {
  numctl::cli::Out::flush();
  if (int error = numctl::cli::Out::write_error()) {
    bool changes =
        context.database_use == numctl::cli::DatabaseUse::write || context.database_use == numctl::cli::DatabaseUse::create;
    return output_failed(
        context, error,
        changes && !context.dry_run ? " (the command itself ran to its end: numctl log shows what it changed)" : "");
  }
  if (context.may_exit_at_once()) {
    std::fflush(stderr);
    std::_Exit(code);
  }
  return code;
}

// --help and --version, which CLI11 writes to std::cout (`write`): checked as any other output.
template <typename Write>
int finish_help(const numctl::cli::Context& context, Write&& write) {
  errno = 0;  // what the first failed write sets
  int code = write();
  std::cout.flush();
  if (std::fflush(stdout) != 0 || std::ferror(stdout)) return output_failed(context, errno != 0 ? errno : EIO);
  return code;
}

constexpr const char* footer = R"(Exit codes:
  0 success   1 internal error, or output not written   2 usage error or invalid input
  3 not found (number, team, member)   4 refused by the lifecycle rules
  5 configuration or database problem   6 the carrier refused or could not be reached

Environment: NUMCTL_CONFIG, NUMCTL_DB, NUMCTL_DATABASE_URL (PostgreSQL), NUMCTL_ACTOR, NUMCTL_NOW (ISO 8601, UTC), NO_COLOR.
Run 'numctl COMMAND --help' for a command's options and examples.)";

using numctl::cli::command_table;
using numctl::cli::Context;

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
    if (option->get_items_expected_min() != 0) ++i;  // its value is the next argument (flags take none)
  }
  return {};
}

// One row of the command table on the command above it, with the row's --dry-run.
CLI::App* add_row(const numctl::cli::Command& row, CLI::App& parent, Context& context) {
  CLI::App* command = row.add(parent, context);
  if (!row.dry_run.empty()) command->add_flag("--dry-run", context.dry_run, std::string(row.dry_run));
  return command;
}

// Once the whole line is parsed, before the command acts: the row of the (sub)command it runs
// gives the database rule and the formats it writes.
void enter_parsed_command(const CLI::App& app, Context& context) {
  std::vector<std::string> words;
  for (const CLI::App* node = &app; !node->get_subcommands().empty();) {
    node = node->get_subcommands().front();
    words.push_back(node->get_name());
  }
  if (const auto* row = numctl::cli::find_command(words)) context.enter(row->name, row->database, row->writes);
}

void register_commands(CLI::App& app, Context& context, std::string_view word) {
  // A command line builds only its own command's part of the tree: building all of it was most
  // of what a start of numctl cost. `help` and `__complete` read the whole tree; a word that
  // names no command gets the whole tree too (for its error message).
  bool whole_tree = true;
  for (const auto& row : command_table)
    if (row.name == word) {
      context.database_use = row.database;
      whole_tree = row.reads_whole_tree;
    }
  std::vector<std::pair<std::string_view, CLI::App*>> added;
  for (const auto& row : command_table) {
    auto space = row.name.rfind(' ');
    std::string_view top = row.name.substr(0, row.name.find(' '));
    if (!whole_tree && top != word) continue;
    CLI::App* parent = &app;
    if (space != std::string_view::npos)
      for (const auto& [name, command] : added)
        if (name == row.name.substr(0, space)) parent = command;
    added.emplace_back(row.name, add_row(row, *parent, context));
  }
  for (const auto& [name, command] : added)
    if (const auto* row = numctl::cli::find_command(name); row && name.find(' ') == std::string_view::npos)
      numctl::cli::describe_global_options(app, *command, row->database != numctl::cli::DatabaseUse::none);
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
  std::vector<std::string> formats;
  for (const auto& [format, name] : numctl::cli::format_table) formats.emplace_back(name);
  formats.emplace_back("dot");  // lifecycle's Graphviz graph
  app.add_option("--format", o.format, "Output format: " + numctl::cli::format_names())->check(CLI::IsMember(formats, CLI::ignore_case));
  app.add_flag("--json", o.json, "Same as --format json");
  app.add_flag("--csv-raw", o.csv_raw, "CSV cells as stored; by default a cell starting with = + - @ gets a leading ' so spreadsheets do not run it");
  app.add_option("--columns", o.columns,
                 "Columns of table, csv and plain output, comma-separated (number,status,team,label,due,assignee,...)");
  app.add_flag("--no-header", o.no_header, "Tables and CSV without their heading line");
  app.add_option("--color", o.color, "Colour output: auto (only on a terminal), always, never")
      ->check(CLI::IsMember({"auto", "always", "never"}));
  app.add_flag("-q,--quiet", o.quiet, "Print only data, no notes on stderr");
  app.add_flag("-v,--verbose", o.verbose, "Explain more on stderr");
  app.add_flag("--primary", o.primary,
               "PostgreSQL: read from the primary (a read that must see the newest write), not a standby");

  // --version alone needs no command tree at all.
  if (!(argc == 2 && std::string_view(argv[1]) == "--version")) register_commands(app, context, command_word(argc, argv, app));
  app.parse_complete_callback([&app, &context] { enter_parsed_command(app, context); });
  using namespace numctl::cli;

  try {
    app.parse(argc, argv);
    return finish(context, 0);
  } catch (const NothingToDo&) {
    return finish(context, 0);
  } catch (const ExitWith& exit) {
    return finish(context, exit.code);
  } catch (const CLI::CallForHelp& e) {
    return finish_help(context, [&] { return app.exit(e); });
  } catch (const CLI::CallForAllHelp& e) {
    return finish_help(context, [&] { return app.exit(e); });
  } catch (const CLI::CallForVersion& e) {
    return finish_help(context, [&] { return app.exit(e); });
  } catch (const CLI::ParseError& e) {
    report(context, ErrorCategory::invalid_input, numctl::cli::explain_parse_error(app, e, argc, argv));
    return 2;
  } catch (const numctl::Error& e) {
    report(context, e.category(), e.what(), e.offenders(), e.fields());
    return exit_code(e.category());
  } catch (const std::exception& e) {
    report(context, ErrorCategory::internal, std::string("unexpected: ") + e.what());
    return 1;
  }
}
