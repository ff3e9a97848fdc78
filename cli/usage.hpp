// What numctl says about a command line it cannot parse, and the global options each command's
// help lists: an operator learns the fix from the error, and a command's help is complete.
#pragma once

#include <CLI/CLI.hpp>

#include <string>

namespace numctl::cli {

// One line in plain words: the command it was for ("numctl team"), what was wrong (an unknown
// option or subcommand with the closest one, an option given twice), and where its help is.
std::string explain_parse_error(const CLI::App& app, const CLI::ParseError& error, int argc, char** argv);

// Appends to the help of `command` (and its subcommands) the global options of `app` it honours.
void describe_global_options(const CLI::App& app, CLI::App& command, bool uses_database);

}  // namespace numctl::cli
