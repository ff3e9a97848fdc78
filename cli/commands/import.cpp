// import: migrate existing numbers from CSV, JSON or NDJSON, all or nothing.
#include "command_table.hpp"
#include "output/value.hpp"

#include <numctl/error.hpp>
#include <numctl/import.hpp>
#include <numctl/text.hpp>

namespace numctl::cli {
namespace {

// "number (required), type, status (default active), ..." from the library's column list.
std::string import_fields_help() {
  std::string out;
  for (auto name : import_columns) {
    out += (out.empty() ? "" : ", ") + std::string(name);
    if (name == "number") out += " (required)";
    if (name == "status") out += " (default: what a purchase would give)";
  }
  return out;
}

}  // namespace

std::pair<std::string, ImportFormat> read_rows_file(const std::string& file, const std::string& format_option) {
  std::string name = format_option;
  if (name.empty() && file != "-") {
    auto dot = file.rfind('.');
    if (dot == std::string::npos || file.find('/', dot) != std::string::npos)
      fail(ErrorCategory::invalid_input, "cannot tell the format of '" + file + "'; pass --input-format csv|json|ndjson");
    name = file.substr(dot + 1);
  }
  std::optional<ImportFormat> format;
  if (!name.empty()) {
    format = parse_import_format(name);
    if (!format) fail(ErrorCategory::invalid_input, "unknown import format '" + name + "' (csv, json, ndjson)");
  }
  std::string content = read_import_file(file);
  if (!format) format = sniff_import_format(content);
  return {std::move(content), *format};
}

CLI::App* register_import(CLI::App& app, Context& context) {
  struct Options {
    std::string file;
    std::string format;
    bool trust_status = false;
    std::string on_conflict = "fail";
  };
  auto o = std::make_shared<Options>();
  auto* import = app.add_subcommand("import", "Add existing numbers from a CSV, JSON or NDJSON file (all or nothing)");
  import->footer(
      "Fields: " + import_fields_help() + ".\n"
      "numctl's own export (list --all --format csv|json|ndjson) imports as it is: display and country\n"
      "are checked against the number. Teams and members named are created. Any bad row: every bad\n"
      "row is listed, nothing is imported.\n"
      "A number in the inventory already fails the import unless --on-conflict says otherwise: skip\n"
      "leaves it as it is; update changes what differs (status through flag, unflag, cancel or\n"
      "restore; team or member; label), each change audited. An absent column or key is left alone;\n"
      "an empty one clears (unassigns, removes the label). Dates and replacement links stay as recorded.\n"
      "A row without a status gets the one a purchase would: pending where the country asks for documents\n"
      "(pending orders expire pending_expiry_days after the import). A regulated number marked active,\n"
      "high_risk or to_be_cancelled is refused unless --trust-status says the documents are held elsewhere.\n\n"
      "Examples:\n  numctl import numbers.csv\n  numctl import --dry-run numbers.json\n"
      "  numctl list --all --format csv > all.csv && numctl import --on-conflict update all.csv\n"
      "  jq -c '.[]' export.json | numctl import -");
  import->add_option("FILE", o->file, "File to read, or - for stdin")->required();
  import->add_option("--input-format", o->format,
                     "csv, json or ndjson (default: from the file's extension; stdin by its first character: [ JSON, { NDJSON, else CSV)");
  import->add_option("--on-conflict", o->on_conflict, "For numbers in the inventory already: fail (default), skip or update")
      ->check(CLI::IsMember({"fail", "skip", "update"}, CLI::ignore_case));
  import->add_flag("--trust-status", o->trust_status,
                   "Accept the file's status for numbers whose country asks for documents (a migration from a system "
                   "that holds them); the audit says so");
  import->callback([&context, o] {
    auto output = context.format();
    auto [content, format] = read_rows_file(o->file, o->format);
    auto rows = parse_import(content, format);
    ImportOptions options{o->trust_status, OnConflict::fail};
    std::string conflict = text::lower(o->on_conflict);
    if (conflict == "skip") options.on_conflict = OnConflict::skip;
    if (conflict == "update") options.on_conflict = OnConflict::update;
    auto result = context.service().import_rows(rows, options, context.run());
    std::string summary = fmt::format("{} {} numbers", context.dry_run ? "would import" : "imported", result.imported);
    auto out = std::back_inserter(summary);
    if (options.on_conflict == OnConflict::update)
      fmt::format_to(out, ", {} {}", context.dry_run ? "would update" : "updated", result.updated);
    if (options.on_conflict != OnConflict::fail) fmt::format_to(out, ", {} unchanged", result.unchanged);
    if (result.teams_created) fmt::format_to(out, ", {} new teams", result.teams_created);
    if (result.members_created) fmt::format_to(out, ", {} new members", result.members_created);
    auto count = [](std::size_t n) { return Value(static_cast<std::int64_t>(n)); };
    if (is_json(output))
      write_json_line(Record{{"imported", count(result.imported)},
                             {"updated", count(result.updated)},
                             {"unchanged", count(result.unchanged)},
                             {"teams_created", count(result.teams_created)},
                             {"members_created", count(result.members_created)},
                             {"dry_run", Value(context.dry_run)}});
    else
      Out::write(summary + "\n");
});
return import;
}

}  // namespace numctl::cli
