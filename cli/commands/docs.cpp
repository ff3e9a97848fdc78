// docs submit/list/get, approve and reject: the regulatory review of pending numbers.
#include "command_table.hpp"
#include "output/value.hpp"

#include <numctl/error.hpp>
#include <numctl/text.hpp>

#include <fstream>
#include <set>
#include <iostream>

namespace numctl::cli {

namespace {

constexpr const char* batch_note =
    "Numbers may be given as arguments, or as - to read one a line from stdin.\n"
    "All or nothing: if any number is refused, nothing changes and every offender is listed.\n\n";

Record stored_record(const Submitted& s) {
  return Record{{"number", Value(s.record.e164)}, {"kind", Value(s.info.kind)},     {"file", Value(s.info.filename)},
                {"size", Value(s.info.size)},     {"sha256", Value(s.info.sha256)}, {"missing", Value(s.missing)}};
}

// What docs submit stored, and what each number still misses.
void print_stored(Context& context, const std::vector<Submitted>& stored) {
  Format format = context.format();
  if (is_json(format)) {
    // One object for one number (as before), one per number otherwise.
    List items;
    for (const auto& s : stored) items.emplace_back(stored_record(s));
    if (items.size() == 1)
      write_json_line(items.front());
    else
      write_json_list(format, items);
    return;
  }
  const auto& info = stored.front().info;
  std::vector<std::string> ready, waiting;
  std::set<std::string> profiles;  // reviewed at the carrier: submitting the profile is what is left
  for (const auto& s : stored) {
    if (s.record.compliance) {
      if (s.missing.empty()) profiles.insert(*s.record.compliance);
      continue;
    }
    (s.missing.empty() ? ready : waiting).push_back(s.record.e164);
  }
  for (const auto& profile : profiles)
    context.note("added to {} at {}: numctl compliance submit {}", profile,
                 stored.front().record.provider.value_or("the carrier"), profile);
  Out::print("{} {} ({}, {} bytes, sha256 {}…){}\n", context.dry_run ? "would store" : "stored", info.kind,
             printable(info.filename), info.size, std::string_view(info.sha256).substr(0, 12),
             stored.size() == 1 ? "" : fmt::format(" for {} numbers", stored.size()));
  if (!ready.empty())
    context.note("{}: numctl approve {}", ready.size() == stored.size() ? "every required document is in" : "ready",
                 ready.size() <= 3 ? text::join(ready, " ") : fmt::format("{} numbers", ready.size()));
  for (const auto& s : stored)
    if (!s.missing.empty())
      context.note("still missing{}: {}", stored.size() > 1 ? " for " + s.record.display : std::string(),
                   text::join(s.missing, ", "));
}

void print_status(Context& context, const DocumentStatus& status) {
  if (is_json(context.format())) {
    List documents;
    for (const auto& d : status.documents)
      documents.emplace_back(Record{{"kind", Value(d.kind)},
                                    {"file", Value(d.filename)},
                                    {"size", Value(d.size)},
                                    {"sha256", Value(d.sha256)},
                                    {"submitted_at", Value(d.submitted_at)},
                                    {"state", Value(d.state)},
                                    {"rejection_reason", Value(d.rejection_reason)}});
    write_json_line(Record{
        {"required", Value(status.required)}, {"missing", Value(status.missing)}, {"documents", Value(std::move(documents))}});
    return;
  }
  Out::print("required: {}\n", status.required.empty() ? std::string("none") : text::join(status.required, ", "));
  for (const auto& d : status.documents)
    Out::print("  {}  {}  {} bytes  {}  {}{}\n", printable(d.kind), printable(d.filename), d.size, d.submitted_at, d.state,
               d.rejection_reason ? fmt::format(" ({})", printable(*d.rejection_reason)) : "");
  if (!status.missing.empty()) Out::print("missing: {}\n", text::join(status.missing, ", "));
}

}  // namespace

CLI::App* register_docs(CLI::App& app, Context&) {
  auto* docs = app.add_subcommand("docs", "Documents a country's regulator asks for (stored in the database)");
  docs->require_subcommand(1);
  docs->footer("Examples:\n  numctl docs list +4930123456\n  numctl docs submit +4930123456 --kind proof_of_address --file lease.pdf\n"
               "  numctl docs get +4930123456 --kind proof_of_address -o copy.pdf");
  return docs;
}

CLI::App* register_docs_submit(CLI::App& docs, Context& context) {
  struct Options {
    std::vector<std::string> numbers;
    std::string kind, file;
  };
  auto o = std::make_shared<Options>();
  auto* submit = docs.add_subcommand("submit", "Attach a document to pending numbers (one copy each)");
  submit->footer("Numbers may be given as arguments, or as - to read one a line from stdin; all or nothing.\n\n"
                 "Examples:\n  numctl docs submit +4930123456 --kind proof_of_address --file lease.pdf\n"
                 "  numctl filter --status pending --country DE --format plain | numctl docs submit - --kind proof_of_address --file lease.pdf");
  submit->add_option("NUMBER", o->numbers, "Pending numbers, or - to read them from stdin")->required();
  submit->add_option("--kind", o->kind, "Document kind, e.g. proof_of_address")->required();
  submit->add_option("--file", o->file, "File to store")->required()->check(CLI::ExistingFile);
  submit->callback([&context, o] {
    print_stored(context, context.service().submit_document(context.numbers_from(o->numbers), o->kind, o->file, context.run()));
  });
  return submit;
}

CLI::App* register_docs_list(CLI::App& docs, Context& context) {
  auto number = std::make_shared<std::string>();
  auto* list = docs.add_subcommand("list", "Documents of a number and what is still missing");
  list->add_option("NUMBER", *number, "The number")->required();
  list->callback([&context, number] { print_status(context, context.service().document_status(*number)); });
  return list;
}

CLI::App* register_docs_get(CLI::App& docs, Context& context) {
  struct Options {
    std::string number, kind, output;
    bool force = false;
  };
  auto o = std::make_shared<Options>();
  auto* get = docs.add_subcommand("get", "Write a stored document to a file");
  get->add_option("NUMBER", o->number, "The number")->required();
  get->add_option("--kind", o->kind, "Document kind")->required();
  get->add_option("-o,--output", o->output, "File to create, mode 0600 (- for stdout)")->required();
  get->add_flag("--force", o->force, "Overwrite an existing file (never through a symbolic link)");
  get->callback([&context, o] {
    std::string content = context.service().document_content(o->number, o->kind);
    if (o->output == "-") {
      Out::write(content);
      return;
    }
    write_private_file(o->output, content, o->force);
    context.note("wrote {} bytes to {}", content.size(), o->output);
  });
  return get;
}

CLI::App* register_approve(CLI::App& app, Context& context) {
  auto numbers = std::make_shared<std::vector<std::string>>();
  auto* approve = app.add_subcommand("approve", "Approve pending numbers whose documents are all in: they become active");
  approve->footer(std::string(batch_note) + "Examples:\n  numctl approve +4930123456 +4930123457\n"
                  "  numctl filter --status pending --country DE --format plain | numctl approve -");
  approve->add_option("NUMBER", *numbers, "Pending numbers, or - to read them from stdin")->required();
  approve->callback([&context, numbers] {
    auto records = context.service().approve(context.numbers_from(*numbers), context.run());
    context.print_changes(
        records, [](const NumberRecord& r) { return fmt::format("approved {}: active", r.display); },
        [](const std::vector<NumberRecord>& r) { return fmt::format("approved {} numbers: active", r.size()); });
  });
  return approve;
}

CLI::App* register_reject(CLI::App& app, Context& context) {
  auto numbers = std::make_shared<std::vector<std::string>>();
  auto reason = std::make_shared<std::string>();
  auto* reject = app.add_subcommand("reject", "Reject pending numbers' documents; they stay pending for new ones");
  reject->footer(std::string(batch_note) + "Example:\n  numctl reject +4930123456 --reason 'address does not match'");
  reject->add_option("NUMBER", *numbers, "Pending numbers, or - to read them from stdin")->required();
  reject->add_option("--reason", *reason, "What is wrong with the documents")->required();
  reject->callback([&context, numbers, reason] {
    auto records = context.service().reject(context.numbers_from(*numbers), *reason, context.run());
    context.print_changes(
        records, [&](const NumberRecord& r) { return fmt::format("rejected documents of {}: {}", r.display, *reason); },
        [&](const std::vector<NumberRecord>& r) {
          return fmt::format("rejected documents of {} numbers: {}", r.size(), *reason);
        });
  });
  return reject;
}

}  // namespace numctl::cli
