// backup: a consistent copy of the database, safe while others keep working.
#include "command_table.hpp"

#include <numctl/error.hpp>

namespace numctl::cli {

CLI::App* register_backup(CLI::App& app, Context& context) {
  auto path = std::make_shared<std::string>();
  auto* backup = app.add_subcommand("backup", "Copy the whole database (numbers, documents, history) consistently");
  backup->footer("Uses SQLite's online backup: operators and cron may keep writing meanwhile.\n"
                 "Restore by pointing --db at the copy, or by copying it back while numctl is idle.\n\n"
                 "Examples:\n  numctl backup /var/backups/numctl-$(date +%F).db");
  backup->add_option("PATH", *path, "File to create (never overwritten)")->required();
  backup->callback([&context, path] {
    context.format();
    if (*path == "-")
      fail(ErrorCategory::invalid_input, "backup writes a database file, not a stream: give a path (numctl backup FILE)");
    auto& inventory = context.inventory();
    inventory.backup_to(*path);
    context.note("backed up {} to {}", inventory.location(), *path);
  });
  return backup;
}

}  // namespace numctl::cli
