// import: migrate existing numbers from CSV, JSON or NDJSON, all or nothing.
#include "context.hpp"
#include "output/value.hpp"

#include <numctl/error.hpp>
#include <numctl/import.hpp>

namespace numctl::cli {
namespace {

// "number (required), type, status (default active), ..." from the library's column list.
std::string import_fields_help() {
  std::string out;
  for (auto name : import_columns) {
    out += (out.empty() ? "" : ", ") + std::string(name);
    if (name == "number") out += " (required)";
    if (name == "status") out += " (default active)";
  }
  return out;
}

}  // namespace

void register_import(CLI::App& app, Context& context) {
  struct Options {
    std::string file;
    std::string format;
    bool dry_run = false;
    bool trust_status = false;
  };
  auto o = std::make_shared<Options>();
  auto* import = app.add_subcommand("import", "Add existing numbers from a CSV, JSON or NDJSON file (all or nothing)");
  import->footer(
      "Fields: " + import_fields_help() + ".\n"
      "Teams and members named are created. Any bad row: every bad row is listed, nothing is imported.\n"
      "A row without a status gets the one a purchase would: pending where the country asks for documents\n"
      "(pending orders expire pending_expiry_days after the import). A regulated number marked active,\n"
      "high_risk or to_be_cancelled is refused unless --trust-status says the documents are held elsewhere.\n\n"
      "Examples:\n  numctl import numbers.csv\n  numctl import --dry-run numbers.json\n  jq -c '.[]' export.json | numctl import - --input-format ndjson");
  import->add_option("FILE", o->file, "File to read, or - for stdin")->required();
  import->add_option("--input-format", o->format, "csv, json or ndjson (default: from the file's extension)");
  import->add_flag("--dry-run", o->dry_run, "Check every row, import nothing");
  import->add_flag("--trust-status", o->trust_status,
                   "Accept the file's status for numbers whose country asks for documents (a migration from a system "
                   "that holds them); the audit says so");
  import->callback([&context, o] {
    context.database_use = DatabaseUse::create;  // an import may start an inventory
    std::string name = o->format;
    if (name.empty()) {
      auto dot = o->file.rfind('.');
      if (o->file == "-" || dot == std::string::npos)
        fail(ErrorCategory::invalid_input, "cannot tell the format of '" + o->file + "'; pass --input-format csv|json|ndjson");
      name = o->file.substr(dot + 1);
    }
    auto format = parse_import_format(name);
    if (!format) fail(ErrorCategory::invalid_input, "unknown import format '" + name + "' (csv, json, ndjson)");
    std::string content = read_import_file(o->file);
    auto rows = parse_import(content, *format);
    auto result = context.service().import_rows(rows, ImportOptions{o->trust_status}, context.run(o->dry_run));
    std::string summary = (o->dry_run ? "would import " : "imported ") + std::to_string(result.imported) + " numbers";
    if (result.teams_created) summary += ", " + std::to_string(result.teams_created) + " new teams";
    if (result.members_created) summary += ", " + std::to_string(result.members_created) + " new members";
    if (is_json(context.format("import", {Format::table, Format::json, Format::ndjson})))
      write_json_line(Record{{"imported", Value(static_cast<std::int64_t>(result.imported))},
                             {"teams_created", Value(static_cast<std::int64_t>(result.teams_created))},
                             {"members_created", Value(static_cast<std::int64_t>(result.members_created))},
                             {"dry_run", Value(o->dry_run)}});
    else
      Out::write(summary + "\n");
  });
}

}  // namespace numctl::cli
