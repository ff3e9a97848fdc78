// migrate: the whole inventory copied to another database (SQLite file or PostgreSQL), verified.
#include "command_table.hpp"

#include <numctl/error.hpp>
#include <numctl/migrate.hpp>

#include <fmt/format.h>

namespace numctl::cli {

namespace {
std::string line(std::string_view table, std::string_view rows, std::string_view sha) {
  return fmt::format("{:<20} {:>10}  {}\n", table, rows, sha);
}
}  // namespace

CLI::App* register_migrate(CLI::App& app, Context& context) {
  struct Options {
    std::string to;
    bool repair_text = false;
  };
  auto o = std::make_shared<Options>();
  auto* migrate = app.add_subcommand("migrate", "Copy the whole inventory into another (empty) database, verified");
  migrate->footer(
      "Copies numbers, teams, members, documents, carrier calls, reputation readings and the audit\n"
      "history, ids included, in one transaction; then reads the copy back and commits only when every\n"
      "table's row count and SHA-256 equal the source's. The source is the configured database (--db,\n"
      "NUMCTL_DB, NUMCTL_DATABASE_URL, [database]); it is only read. A target that holds any data is\n"
      "refused (exit 4). Stop writers while moving, then point numctl at the target.\n\n"
      "Examples:\n"
      "  numctl migrate --to postgresql://numctl@db.internal/numctl --dry-run\n"
      "  numctl migrate --to postgresql://numctl@db.internal/numctl\n"
      "  NUMCTL_DATABASE_URL=postgresql://numctl@db.internal/numctl numctl migrate --to numbers.db");
  migrate
      ->add_option("--to", o->to,
                   "Target: the path of a SQLite file, postgresql://user@host/db, or a libpq keyword string "
                   "(host=... dbname=...)")
      ->required();
  migrate->add_flag("--repair-text", o->repair_text,
                    "Copy text the target cannot store (not UTF-8, a NUL; written before numctl checked text) with "
                    "U+FFFD for the bad bytes, each repair in the audit history");
  migrate->callback([&context, o] {
    auto format = context.format();
    if (o->to.empty() || o->to == "-")
      fail(ErrorCategory::invalid_input, "migrate --to needs a database: postgresql://user@host/db or a SQLite file path");
    Store& source = context.open_store();
    Store::OpenOptions open;
    open.create = !context.dry_run;
    open.if_present = context.dry_run;  // a dry run creates nothing, not even an empty schema
    // A path, a postgresql:// URI or a libpq keyword string, as [database] takes; anything else
    // (sqlite:///x.db) is refused before a file or directory is made.
    auto location = DatabaseLocation::parse(o->to);
    auto target = Store::open(location, open);
    std::string shown = location.shown();
    if (target && target->location() == source.location())
      fail(ErrorCategory::invalid_input, "migrate --to names the database numctl reads from (" + source.location() +
                                             "): give another one");
    MigrateOptions options{o->repair_text, format_iso8601(context.clock().now()), context.actor_name()};
    auto done = migrate_inventory(source, target.get(), context.run(), options);
    for (const auto& r : done.repaired)
      context.note("{} {}, row {}, column {}: U+FFFD for bytes that were not UTF-8",
                   context.dry_run ? "would repair" : "repaired", r.table, r.row, r.column);
    if (is_json(format)) {
      List tables;
      for (const auto& t : done.tables)
        tables.emplace_back(Record{{"table", Value(t.table)}, {"rows", Value(t.rows)}, {"sha256", Value(t.sha256)}});
      write_json_line(Record{{"from", Value(source.location())},
                             {"to", Value(target ? target->location() : shown)},
                             {"dry_run", Value(context.dry_run)},
                             {"rows", Value(done.rows())},
                             {"tables", Value(std::move(tables))}});
    } else {
      Out::write(line("TABLE", "ROWS", "SHA256"));
      for (const auto& t : done.tables) Out::write(line(t.table, std::to_string(t.rows), t.sha256));
    }
    if (context.dry_run)
      context.note("would copy {} rows from {} to {}; nothing was written", done.rows(), source.location(),
                   target ? target->location() : shown + " (a new inventory there)");
    else
      context.note("copied {} rows from {} to {}; every table's row count and checksum match. Point numctl at it: {}",
                   done.rows(), source.location(), target->location(),
                   location.is_server() ? "[database] url or NUMCTL_DATABASE_URL" : "[database] path, --db or NUMCTL_DB");
  });
  return migrate;
}

}  // namespace numctl::cli
