// replace: swap a high-risk number for a new one of the same country and type.
#include "context.hpp"

namespace numctl::cli {

void register_replace(CLI::App& app, Context& context) {
  struct Options {
    std::string number;
    std::optional<std::string> with;
    bool dry_run = false;
  };
  auto o = std::make_shared<Options>();
  auto* replace = app.add_subcommand("replace", "Replace a high-risk number: a new one takes over its team, member and label");
  replace->footer(
      "The old number keeps receiving calls for the grace period, then is released.\n\n"
      "Examples:\n  numctl replace +12015550123\n  numctl replace +12015550123 --with +12015550188 --json");
  replace->add_option("NUMBER", o->number, "The high-risk number")->required();
  replace->add_option("--with", o->with, "The new number (default: the provider's nearest one)");
  replace->add_flag("--dry-run", o->dry_run, "Check everything, change nothing");
  replace->callback([&context, o] {
    auto& service = context.service();
    service.set_dry_run(o->dry_run);
    Replacement r = service.replace(o->number, o->with);
    Format format = context.format();
    if (format == Format::json || format == Format::ndjson) {
      std::string out = "{\"old\":";
      append_number_json(out, r.old_number);
      out += ",\"new\":";
      append_number_json(out, r.new_number);
      Out::write(out + "}\n");
      return;
    }
    if (format == Format::plain) {
      Out::write(r.new_number.e164 + "\n");
      return;
    }
    Style style{context.color()};
    std::string prefix = o->dry_run ? "would be: " : "";
    Out::write(style.dot(r.new_number.status) + " " + prefix + "bought " + r.new_number.display + ": " +
               std::string(to_string(r.new_number.status)) +
               (r.new_number.team ? ", team " + *r.new_number.team : "") + (r.new_number.member ? ", member " + *r.new_number.member : "") + "\n");
    if (!r.required_documents.empty()) {
      std::string kinds;
      for (std::size_t i = 0; i < r.required_documents.size(); ++i) kinds += (i ? ", " : "") + r.required_documents[i];
      Out::write("  documents required: " + kinds + "\n");
    }
    Out::write(style.dot(r.old_number.status) + " " + prefix + "replacing " + r.old_number.display +
               ": still receives calls until " + r.old_number.release_at.value_or("?") + "\n");
    if (o->dry_run) context.note("dry run: nothing was changed");
  });
}

}  // namespace numctl::cli
