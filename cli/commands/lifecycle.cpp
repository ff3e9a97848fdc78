// lifecycle: the table of statuses and transitions, as text or a Graphviz graph.
#include "command_table.hpp"
#include "output/value.hpp"

#include <numctl/lifecycle.hpp>

namespace numctl::cli {

CLI::App* register_lifecycle(CLI::App& app, Context& context) {
  auto graph = std::make_shared<std::string>("text");
  auto* lifecycle = app.add_subcommand("lifecycle", "The rules: which action is allowed in which status and where it leads");
  lifecycle->footer("Examples:\n  numctl lifecycle\n  numctl lifecycle --graph dot | dot -Tsvg > lifecycle.svg");
  lifecycle->add_option("--graph", *graph, "text (default) or dot (Graphviz)")->check(CLI::IsMember({"text", "dot"}));
  lifecycle->callback([&context, graph] {
    if (*graph == "dot" || context.options.format == "dot") {
      Out::write(lifecycle::to_dot());
      return;
    }
    Format format = context.format();
    if (is_json(format)) {
      List rules;
      for (const auto& rule : lifecycle::table())
        rules.emplace_back(Record{{"action", Value(std::string(to_string(rule.action)))},
                                  {"command", Value(std::string(command_for(rule.action)))},
                                  {"from", rule.from ? Value(std::string(to_string(*rule.from))) : Value()},
                                  {"to", rule.to ? Value(std::string(to_string(*rule.to))) : Value()},
                                  {"guard", Value(std::string(lifecycle::describe(rule.guard)))},
                                  {"by_operator", Value(rule.operator_action)},
                                  {"note", Value(std::string(rule.note))}});
      write_json_list(format, rules);
      return;
    }
    Style style{context.color()};
    for (Status status : all_statuses) {
      Out::print("{} {} — {}\n", style.dot(status), style.bold(to_string(status)), lifecycle::describe(status));
      for (const auto& rule : lifecycle::table()) {
        if (rule.from != status) continue;
        std::string target;
        switch (rule.target) {
          case Target::fixed: target = std::string(to_string(*rule.to)); break;
          case Target::same: target = "(unchanged)"; break;
          case Target::previous: target = "(the status before cancellation)"; break;
          case Target::by_regulation: target = "pending or active (by regulation)"; break;
        }
        std::string_view guard = lifecycle::describe(rule.guard);
        Out::print("    {} → {}{}{}\n", command_for(rule.action), target, guard.empty() ? "" : fmt::format("  [{}]", guard),
                   rule.note.empty() ? "" : fmt::format("  — {}", rule.note));
      }
    }
  });
  return lifecycle;
}

}  // namespace numctl::cli
