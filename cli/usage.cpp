// Parse errors explained, and the global options in each command's help.
#include "usage.hpp"

#include <numctl/suggest.hpp>

#include <algorithm>
#include <string_view>
#include <vector>

namespace numctl::cli {
namespace {

// The command being parsed when the error came: the last subcommand selected, and its path.
const CLI::App* selected(const CLI::App& app, std::string& path) {
  const CLI::App* node = &app;
  path = "numctl";
  for (;;) {
    auto chosen = node->get_subcommands();
    if (chosen.empty()) return node;
    node = chosen.back();
    path += " " + node->get_name();
  }
}

// Every option name a command accepts, its own and its parents' (global options work anywhere).
std::vector<std::string> option_names(const CLI::App* node) {
  std::vector<std::string> out;
  for (const CLI::App* n = node; n != nullptr; n = n->get_parent())
    for (const CLI::Option* option : n->get_options()) {
      for (const auto& name : option->get_lnames()) out.push_back("--" + name);
      for (const auto& name : option->get_snames()) out.push_back("-" + name);
    }
  return out;
}

std::vector<std::string> subcommand_names(const CLI::App* node) {
  std::vector<std::string> out;
  for (const auto* sub : node->get_subcommands([](const CLI::App* s) { return !s->get_group().empty(); }))
    out.push_back(sub->get_name());
  return out;
}

std::string join(const std::vector<std::string>& items) {
  std::string out;
  for (const auto& item : items) out += (out.empty() ? "" : ", ") + item;
  return out;
}

std::string suggestion(std::string_view wrong, const std::vector<std::string>& names) {
  if (auto close = closest_match(wrong, names)) return "; did you mean '" + *close + "'?";
  return "";
}

}  // namespace

std::string explain_parse_error(const CLI::App& app, const CLI::ParseError& error, int argc, char** argv) {
  std::string path;
  const CLI::App* node = selected(app, path);
  std::vector<std::string_view> args(argv + 1, argv + argc);
  auto see = [&] { return " (see " + path + " --help)"; };
  // The first word naming no command where a command is expected.
  if (node == &app) {
    auto names = subcommand_names(&app);
    for (auto arg : args)
      if (!arg.empty() && arg.front() != '-' && std::find(names.begin(), names.end(), arg) == names.end())
        return "unknown command '" + std::string(arg) + "'" + suggestion(arg, names) + see();
  }
  // An option nobody declares.
  auto known = option_names(node);
  for (auto arg : args) {
    if (arg == "--") break;
    if (arg.size() < 2 || arg.front() != '-' || (arg[1] >= '0' && arg[1] <= '9')) continue;  // -, and -5 values
    std::string name(arg.substr(0, arg.find('=')));
    if (std::find(known.begin(), known.end(), name) == known.end())
      return "unknown option '" + name + "' for " + path + suggestion(name, known) + see();
  }
  // A command that needs a subcommand, given none or a word that is not one.
  auto subcommands = subcommand_names(node);
  if (node != &app && !subcommands.empty() && node->get_subcommands().empty()) {
    // The word after the command's own name.
    bool after = false;
    for (auto arg : args) {
      if (after && !arg.empty() && arg.front() != '-')
        return "unknown subcommand '" + std::string(arg) + "' for " + path + suggestion(arg, subcommands) +
               " (subcommands: " + join(subcommands) + ")";
      if (arg == node->get_name()) after = true;
    }
    return path + " needs a subcommand: " + join(subcommands) + see();
  }
  // "--limit: At Most 1 required but received 2": an option given twice.
  std::string message = error.what();
  if (auto at = message.find(": At Most 1 required but received "); at != std::string::npos)
    return message.substr(0, at) + " is given " + message.substr(at + 34) +
           " times; it takes one value (give it once)" + see();
  return message + see();
}

void describe_global_options(const CLI::App& app, CLI::App& command, bool uses_database) {
  std::string text = "Global options (anywhere on the line; numctl --help explains them):\n";
  for (const CLI::Option* option : app.get_options()) {
    std::string name = option->get_name(false, true);
    if (name.empty() || name.find("--help") != std::string::npos || name == "--version") continue;
    bool database = name == "--db" || name == "--actor" || name == "--region" || name == "--config";
    if (database && !uses_database) continue;
    std::string line = "  " + name;
    if (option->get_type_size() != 0) {
      std::string type = option->get_type_name();
      line += " " + type.substr(0, type.find(':'));  // TEXT:{a,b,c}: the choices are in the description
    }
    if (line.size() < 24) line.resize(24, ' ');
    else line += "  ";
    text += line + option->get_description() + "\n";
  }
  auto describe = [&](auto& self, CLI::App& node, const std::string& inherited) -> void {
    std::string own = node.get_footer();
    if (own == inherited || own == app.get_footer()) own.clear();  // copied from the parent when created
    for (CLI::App* sub : node.get_subcommands({})) self(self, *sub, node.get_footer());
    while (!own.empty() && own.back() == '\n') own.pop_back();
    node.footer(own.empty() ? text : own + "\n\n" + text);
  };
  describe(describe, command, app.get_footer());
}

}  // namespace numctl::cli
