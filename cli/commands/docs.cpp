// docs submit/list/get, approve and reject: the regulatory review of pending numbers.
#include "context.hpp"

#include <numctl/error.hpp>

#include <fstream>
#include <iostream>

namespace numctl::cli {

void register_document_commands(CLI::App& app, Context& context) {
  auto* docs = app.add_subcommand("docs", "Documents a country's regulator asks for (stored in the database)");
  docs->require_subcommand(1);
  docs->footer("Examples:\n  numctl docs list +4930123456\n  numctl docs submit +4930123456 --kind proof_of_address --file lease.pdf\n"
               "  numctl docs get +4930123456 --kind proof_of_address -o copy.pdf");

  struct Options {
    std::string number, kind, file, output, reason;
    bool dry_run = false;
  };
  auto o = std::make_shared<Options>();

  auto* submit = docs->add_subcommand("submit", "Attach a document to a pending number");
  submit->add_option("NUMBER", o->number, "The pending number")->required();
  submit->add_option("--kind", o->kind, "Document kind, e.g. proof_of_address")->required();
  submit->add_option("--file", o->file, "File to store")->required()->check(CLI::ExistingFile);
  submit->add_flag("--dry-run", o->dry_run, "Check everything, store nothing");
  submit->callback([&context, o] {
    auto& service = context.service();
    service.set_dry_run(o->dry_run);
    auto info = service.submit_document(o->number, o->kind, o->file);
    auto status = service.document_status(o->number);
    if (context.format() == Format::json || context.format() == Format::ndjson) {
      std::string out = "{\"kind\":";
      json::append_optional(out, info.kind);
      out += ",\"file\":";
      json::append_optional(out, info.filename);
      out += ",\"size\":" + std::to_string(info.size) + ",\"sha256\":\"" + info.sha256 + "\",\"missing\":";
      json::append_array(out, status.missing);
      Out::write(out + "}\n");
      return;
    }
    Out::write(std::string(o->dry_run ? "would store " : "stored ") + info.kind + " (" + info.filename + ", " + std::to_string(info.size) +
               " bytes, sha256 " + info.sha256.substr(0, 12) + "…)\n");
    if (status.missing.empty()) context.note("every required document is in: numctl approve " + o->number);
    else {
      std::string missing;
      for (std::size_t i = 0; i < status.missing.size(); ++i) missing += (i ? ", " : "") + status.missing[i];
      context.note("still missing: " + missing);
    }
  });

  auto* list = docs->add_subcommand("list", "Documents of a number and what is still missing");
  list->add_option("NUMBER", o->number, "The number")->required();
  list->callback([&context, o] {
    auto status = context.service().document_status(o->number);
    if (context.format() == Format::json || context.format() == Format::ndjson) {
      std::string out = "{\"required\":";
      json::append_array(out, status.required);
      out += ",\"missing\":";
      json::append_array(out, status.missing);
      out += ",\"documents\":[";
      for (std::size_t i = 0; i < status.documents.size(); ++i) {
        const auto& d = status.documents[i];
        out += i ? "," : "";
        out += "{\"kind\":";
        json::append_optional(out, d.kind);
        out += ",\"file\":";
        json::append_optional(out, d.filename);
        out += ",\"size\":" + std::to_string(d.size) + ",\"sha256\":\"" + d.sha256 + "\",\"submitted_at\":\"" + d.submitted_at +
               "\",\"state\":\"" + d.state + "\",\"rejection_reason\":";
        json::append_optional(out, d.rejection_reason);
        out += "}";
      }
      Out::write(out + "]}\n");
      return;
    }
    std::string required;
    for (std::size_t i = 0; i < status.required.size(); ++i) required += (i ? ", " : "") + status.required[i];
    Out::write("required: " + (required.empty() ? std::string("none") : required) + "\n");
    for (const auto& d : status.documents)
      Out::write("  " + d.kind + "  " + d.filename + "  " + std::to_string(d.size) + " bytes  " + d.submitted_at + "  " + d.state +
                 (d.rejection_reason ? " (" + *d.rejection_reason + ")" : "") + "\n");
    if (!status.missing.empty()) {
      std::string missing;
      for (std::size_t i = 0; i < status.missing.size(); ++i) missing += (i ? ", " : "") + status.missing[i];
      Out::write("missing: " + missing + "\n");
    }
  });

  auto* get = docs->add_subcommand("get", "Write a stored document to a file");
  get->add_option("NUMBER", o->number, "The number")->required();
  get->add_option("--kind", o->kind, "Document kind")->required();
  get->add_option("-o,--output", o->output, "File to write (- for stdout)")->required();
  get->callback([&context, o] {
    std::string content = context.service().document_content(o->number, o->kind);
    if (o->output == "-") {
      Out::write(content);
      return;
    }
    std::ofstream out(o->output, std::ios::binary | std::ios::trunc);
    if (!out || !out.write(content.data(), static_cast<std::streamsize>(content.size())))
      fail(ErrorCategory::invalid_input, "cannot write " + o->output);
    context.note("wrote " + std::to_string(content.size()) + " bytes to " + o->output);
  });

  auto* approve = app.add_subcommand("approve", "Approve a pending number whose documents are all in: it becomes active");
  approve->footer("Example:\n  numctl approve +4930123456");
  approve->add_option("NUMBER", o->number, "The pending number")->required();
  approve->add_flag("--dry-run", o->dry_run, "Check, change nothing");
  approve->callback([&context, o] {
    auto& service = context.service();
    service.set_dry_run(o->dry_run);
    auto record = service.approve(o->number);
    context.print_changes({record}, [](const NumberRecord& r) { return "approved " + r.display + ": active"; }, o->dry_run);
  });

  auto* reject = app.add_subcommand("reject", "Reject a pending number's documents; it stays pending for new ones");
  reject->footer("Example:\n  numctl reject +4930123456 --reason 'address does not match'");
  reject->add_option("NUMBER", o->number, "The pending number")->required();
  reject->add_option("--reason", o->reason, "What is wrong with the documents")->required();
  reject->add_flag("--dry-run", o->dry_run, "Check, change nothing");
  reject->callback([&context, o] {
    auto& service = context.service();
    service.set_dry_run(o->dry_run);
    auto record = service.reject(o->number, o->reason);
    context.print_changes({record}, [&](const NumberRecord& r) { return "rejected documents of " + r.display + ": " + o->reason; }, o->dry_run);
  });
}

}  // namespace numctl::cli
