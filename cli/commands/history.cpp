// history: the audit trail of one number, oldest first.
#include "context.hpp"

namespace numctl::cli {

void register_history(CLI::App& app, Context& context) {
  auto number = std::make_shared<std::string>();
  auto* history = app.add_subcommand("history", "The audit trail of a number: time, actor, action, from → to, details");
  history->footer("Examples:\n  numctl history +4930123456\n  numctl history +4930123456 --json | jq '.[] | select(.action == \"cancel\")'");
  history->add_option("NUMBER", *number, "The number")->required();
  history->callback([&context, number] {
    auto entries = context.service().history(*number);
    Format format = context.format();
    if (format == Format::json || format == Format::ndjson) {
      std::string out = format == Format::json ? "[" : "";
      for (std::size_t i = 0; i < entries.size(); ++i) {
        const auto& e = entries[i];
        if (format == Format::json && i) out += ",";
        out += "{\"at\":";
        json::append_optional(out, e.at);
        out += ",\"actor\":";
        json::append_optional(out, e.actor);
        out += ",\"action\":";
        json::append_optional(out, e.action);
        out += ",\"from\":";
        json::append_optional(out, e.from_status);
        out += ",\"to\":";
        json::append_optional(out, e.to_status);
        out += ",\"details\":" + e.details + "}";
        if (format == Format::ndjson) out += "\n";
      }
      Out::write(format == Format::json ? out + "]\n" : out);
      return;
    }
    for (const auto& e : entries) {
      std::string transition = e.from_status.value_or("—") + " → " + e.to_status.value_or("—");
      Out::write(e.at + "  " + e.actor + "  " + e.action + "  " + transition + (e.details == "{}" ? "" : "  " + e.details) + "\n");
    }
  });
}

}  // namespace numctl::cli
