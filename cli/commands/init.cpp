// init: write a commented starter configuration and create the database.
#include "command_table.hpp"
#include "starter_config.hpp"

#include <numctl/error.hpp>

#include <cstdlib>
#include <fstream>
#include <sstream>

namespace numctl::cli {
namespace {

// Every setting of the example commented out: the file documents the keys and changes nothing.
std::string commented(std::string_view example) {
  std::istringstream in{std::string(example)};
  std::string out;
  std::string line;
  // The example's opening comment says what the file is; init adds one line to it, once.
  bool said = false;
  while (std::getline(in, line)) {
    if (!said && (line.empty() || line[0] != '#')) {
      out += "# Written by `numctl init`: every setting is commented out; uncomment what you need.\n";
      said = true;
    }
    out += (line.empty() || line[0] == '#') ? line + "\n" : "# " + line + "\n";
  }
  return out;
}

std::filesystem::path default_config_path() {
  const char* xdg = std::getenv("XDG_CONFIG_HOME");
  const char* home = std::getenv("HOME");
  std::filesystem::path base = xdg && *xdg ? xdg : std::filesystem::path(home ? home : "/") / ".config";
  return base / "numctl" / "config.toml";
}

}  // namespace

CLI::App* register_init(CLI::App& app, Context& context) {
  auto force = std::make_shared<bool>(false);
  auto* init = app.add_subcommand("init", "Write a commented starter config and create the database");
  init->footer("Examples:\n  numctl init\n  numctl --config ./numctl.toml init --force");
  init->add_flag("--force", *force, "Overwrite an existing config file");
  init->callback([&context, force] {
    context.format();
    std::filesystem::path path;
    if (context.options.config_path)
      path = *context.options.config_path;
    else if (const char* env = std::getenv("NUMCTL_CONFIG"); env && *env)
      path = env;
    else
      path = default_config_path();
    std::error_code ec;
    if (std::filesystem::exists(path, ec) && !*force)
      fail(ErrorCategory::refused, path.string() + " already exists; pass --force to overwrite it");
    if (path.has_parent_path()) std::filesystem::create_directories(path.parent_path(), ec);
    std::ofstream out(path, std::ios::trunc);
    if (!out || !(out << commented(example_config)))
      fail(ErrorCategory::config, "cannot write " + path.string() + "; check the directory's permissions");
    out.close();
    context.options.config_path = path.string();
    auto& inventory = context.inventory();
    context.note("wrote {}", path.string());
    context.note("database {} is ready", inventory.location());
  });
  return init;
}

}  // namespace numctl::cli
