// show: every field of one number and the actions its status allows now.
#include "context.hpp"

#include <numctl/lifecycle.hpp>
#include <numctl/phone.hpp>

namespace numctl::cli {

void register_show(CLI::App& app, Context& context) {
  auto number = std::make_shared<std::string>();
  auto* show = app.add_subcommand("show", "Every field of a number, and the actions allowed in its status");
  show->footer("Examples:\n  numctl show +4930123456\n  numctl show '030 123456' --region DE --json");
  show->add_option("NUMBER", *number, "The number, as you would type it")->required();
  show->callback([&context, number] {
    auto& service = context.service();
    NumberRecord r = service.resolve(*number, context.region());
    auto actions = service.allowed_actions(r);
    Format format = context.format();
    if (format == Format::json || format == Format::ndjson) {
      std::string out;
      append_number_json(out, r);
      out.pop_back();
      auto field = [&](const char* key, const std::optional<std::string>& value) {
        out += ",\"";
        out += key;
        out += "\":";
        json::append_optional(out, value);
      };
      field("previous_status", r.previous_status ? std::optional<std::string>(std::string(to_string(*r.previous_status))) : std::nullopt);
      field("activated_at", r.activated_at);
      field("cancel_requested_at", r.cancel_requested_at);
      field("cancel_reason", r.cancel_reason);
      out += ",\"allowed_actions\":[";
      for (std::size_t i = 0; i < actions.size(); ++i) {
        if (i) out += ',';
        out += "\"" + std::string(command_for(actions[i])) + "\"";
      }
      out += "]}\n";
      Out::write(out);
      return;
    }
    if (format == Format::plain) {
      Out::write(r.e164 + "\n");
      return;
    }
    Style style{context.color()};
    auto line = [&](std::string_view key, const std::optional<std::string>& value) {
      if (value) Out::write(std::string(key) + std::string(key.size() < 14 ? 14 - key.size() : 1, ' ') + *value + "\n");
    };
    Out::write(style.dot(r.status) + " " + style.bold(r.display) + "\n");
    line("number", r.e164);
    line("country", r.country + " (" + country_name(r.country) + ")");
    line("type", std::string(to_string(r.type)));
    line("status", std::string(to_string(r.status)) + " — " + std::string(lifecycle::describe(r.status)));
    line("team", r.team.value_or("—"));
    line("member", r.member.value_or("—"));
    line("label", r.label);
    line("risk reason", r.risk_reason);
    line("bought", r.bought_at);
    line("activated", r.activated_at);
    line("cancel asked", r.cancel_requested_at);
    line("cancel reason", r.cancel_reason);
    // A number under cancellation still rings for the business until its release.
    if (r.status == Status::to_be_cancelled) line("calls until", r.release_at);
    else line("released", r.release_at);
    line("replaced by", r.replaced_by);
    line("replaces", r.replaces);
    std::vector<std::string> names;
    for (Action a : actions) names.emplace_back(command_for(a));
    Out::write("actions       " + (names.empty() ? std::string("none") : [&] {
      std::string joined;
      for (std::size_t i = 0; i < names.size(); ++i) joined += (i ? ", " : "") + names[i];
      return joined;
    }()) + "\n");
  });
}

}  // namespace numctl::cli
