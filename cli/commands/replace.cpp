// replace: swap a high-risk number for a new one of the same country and type.
#include "command_table.hpp"
#include "output/columns.hpp"

#include <numctl/text.hpp>

namespace numctl::cli {

CLI::App* register_replace(CLI::App& app, Context& context) {
  struct Options {
    std::vector<std::string> numbers;
    std::optional<std::string> with;
  };
  auto o = std::make_shared<Options>();
  auto* replace = app.add_subcommand("replace", "Replace a high-risk number: a new one takes over its team, member and label");
  replace->footer(
      "The old number keeps receiving calls for the grace period, then is released.\n\n"
      "Several numbers (or - for stdin) are replaced in one transaction; --json prints {\"old\":…,\"new\":…}\n"
      "for one named number, an array of them for several or for -.\n\n"
      "Examples:\n  numctl replace +12015550123\n  numctl replace +12015550123 --with +12015550188 --json\n"
      "  numctl filter --status high_risk --format plain | numctl replace -");
  replace->add_option("NUMBER", o->numbers, "High-risk numbers, or - to read them from stdin")->required();
  replace->add_option("--with", o->with, "The new number (default: the provider's nearest one)");
  replace->callback([&context, o] {
    auto replacements = context.service().replace(context.numbers_from(o->numbers), o->with, context.run());
    Format format = context.format();
    if (is_json(format)) {
      List pairs;
      for (const auto& r : replacements)
        pairs.emplace_back(Record{{"old", number_value(r.old_number)}, {"new", number_value(r.new_number)}});
      // One named number prints one object (the documented shape); stdin or several print an array.
      bool array = format == Format::json && !(o->numbers.size() == 1 && o->numbers[0] != "-");
      write_json_list(array ? Format::json : Format::ndjson, pairs);
      return;
    }
    Style style{context.color()};
    std::string_view prefix = context.dry_run ? "would be: " : "";
    for (const auto& r : replacements) {
      if (format == Format::plain) {
        Out::print("{}\n", r.new_number.e164);
        continue;
      }
      const auto& fresh = r.new_number;
      Out::print("{} {}bought {}: {}{}{}\n", style.dot(fresh.status), prefix, fresh.display, to_string(fresh.status),
                 fresh.team ? ", team " + *fresh.team : "", fresh.member ? ", member " + *fresh.member : "");
      if (!r.required_documents.empty()) Out::print("  documents required: {}\n", text::join(r.required_documents, ", "));
      Out::print("{} {}replacing {}: still receives calls until {}\n", style.dot(r.old_number.status), prefix,
                 r.old_number.display, r.old_number.release_at.value_or("?"));
    }
    if (context.dry_run) context.note("dry run: nothing was changed");
  });
  return replace;
}

}  // namespace numctl::cli
