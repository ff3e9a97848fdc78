// history: the audit trail of one number, oldest first.
#include "command_table.hpp"
#include "output/table.hpp"
#include "output/value.hpp"

namespace numctl::cli {

CLI::App* register_history(CLI::App& app, Context& context) {
  auto number = std::make_shared<std::string>();
  auto* history = app.add_subcommand("history", "The audit trail of a number: time, actor, action, from → to, details");
  history->footer("Examples:\n  numctl history +4930123456\n  numctl history +4930123456 --json | jq '.[] | select(.action == \"cancel\")'");
  history->add_option("NUMBER", *number, "The number")->required();
  history->callback([&context, number] {
    auto entries = context.service().history(*number);
    Format format = context.format();
    if (format != Format::table) {
      List rows;
      for (const auto& e : entries)
        rows.emplace_back(Record{{"at", Value(e.at)},
                                 {"actor", Value(e.actor)},
                                 {"action", Value(e.action)},
                                 {"from", Value(e.from_status)},
                                 {"to", Value(e.to_status)},
                                 {"details", Value::json_text(e.details)}});
      write_rows(format,
                 {{"at", "WHEN"}, {"actor", "ACTOR"}, {"action", "ACTION"}, {"from", "FROM"}, {"to", "TO"},
                  {"details", "DETAILS"}},
                 rows, context.writer_options());
      return;
    }
    for (const auto& e : entries) {
      // Stored text is masked: a value written before numctl checked it cannot drive the terminal.
      Out::print("{}  {}  {}  {} → {}{}\n", printable(e.at), printable(e.actor), printable(e.action), e.from_status.value_or("—"),
                 e.to_status.value_or("—"), e.details == "{}" ? "" : "  " + printable(e.details));
    }
  });
  return history;
}

}  // namespace numctl::cli
