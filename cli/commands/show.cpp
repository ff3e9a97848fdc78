// show: every field of one number and the actions its status allows now.
#include "command_table.hpp"
#include "output/columns.hpp"

#include <numctl/lifecycle.hpp>
#include <numctl/money.hpp>
#include <numctl/phone.hpp>
#include <numctl/text.hpp>

namespace numctl::cli {

namespace {

// What show says of a number: its fields, what the rules allow now, what the carrier still owes,
// and its reputation.
struct Shown {
  NumberRecord r;
  std::vector<Action> actions;
  std::vector<CarrierCall> owed;
  RiskView risk;
  std::pair<std::int64_t, std::int64_t> calls{};  // inbound, outbound over the days kept
  int days_kept = 0;
};

void write_json(const Shown& shown) {
  const auto& [r, actions, owed, risk, kept, days_kept] = shown;
  std::vector<std::string> names;
  for (Action a : actions) names.emplace_back(command_for(a));
  Record fields = number_record(r, true);
  fields.emplace_back("allowed_actions", Value(names));
  List calls;
  for (const auto& call : owed)
    calls.emplace_back(Record{{"kind", Value(std::string(to_string(call.kind)))},
                              {"provider", Value(call.provider)},
                              {"since", Value(call.created_at)},
                              {"attempts", Value(call.attempts)},
                              {"last_error", Value(call.last_error)}});
  fields.emplace_back("carrier_owed", Value(std::move(calls)));
  fields.emplace_back("risk_score", risk.score ? Value(static_cast<std::int64_t>(*risk.score)) : Value());
  fields.emplace_back("risk_checked_at", Value(risk.checked_at));
  fields.emplace_back("calls_in", Value(kept.first));
  fields.emplace_back("calls_out", Value(kept.second));
  write_json_line(fields);
}

void write_text(Context& context, const Shown& shown) {
  const auto& [r, actions, owed, risk, calls, days_kept] = shown;
  Style style{context.color()};
  auto line = [&](std::string_view key, const std::optional<std::string>& value) {
    if (value) Out::print("{}{:{}}{}\n", key, "", key.size() < 14 ? 14 - key.size() : 1, printable(*value));
  };
  Out::print("{} {}\n", style.dot(r.status), style.bold(r.display));
  line("number", r.e164);
  line("country", fmt::format("{} ({})", r.country, country_name(r.country)));
  line("type", std::string(to_string(r.type)));
  line("status", fmt::format("{} — {}", to_string(r.status), lifecycle::describe(r.status)));
  line("team", r.team.value_or("—"));
  line("member", r.member.value_or("—"));
  line("label", r.label);
  line("risk reason", r.risk_reason);
  line("bought", r.bought_at);
  line("activated", r.activated_at);
  line("cancel asked", r.cancel_requested_at);
  line("cancel reason", r.cancel_reason);
  // A number under cancellation still rings for the business until its release.
  if (r.status == Status::to_be_cancelled)
    line("calls until", r.release_at);
  else
    line(r.status == Status::ported_out ? "ported out" : "released", r.release_at);
  line("expires", r.expires_at);
  line("replaced by", r.replaced_by);
  line("replaces", r.replaces);
  line("provider", r.provider);
  line("provider_ref", r.provider_ref);
  line("port-in", context.service().port_summary(r));
  if (r.emergency_address)
    line("emergency", fmt::format("{} ({})", *r.emergency_address, r.emergency_status.value_or("unknown")));
  line("caller ID", r.cnam);
  if (r.monthly_price && r.currency) line("cost", format_money({*r.monthly_price, *r.currency}) + " / month");
  if (r.last_inbound_at || r.last_outbound_at || calls.first || calls.second) {
    line("last call in", r.last_inbound_at.value_or("—"));
    line("last call out", r.last_outbound_at.value_or("—"));
    line("calls", fmt::format("{} in, {} out over the last {} days", calls.first, calls.second, days_kept));
  }
  if (r.compliance)
    line("compliance", fmt::format("{} ({}){}", *r.compliance, r.compliance_status.value_or("unknown"),
                                   r.compliance_reason ? ": " + *r.compliance_reason : ""));
  // What the carrier still owes: the next sweep retries it; an order waiting for a bundle is
  // placed once the bundle is approved.
  for (const auto& call : owed) {
    bool waiting = call.details.find("\"when_approved\"") != std::string::npos;
    line("owed",
         fmt::format("{} at {} since {}, {} attempts{} ({})", to_string(call.kind), call.provider, call.created_at, call.attempts,
                     call.last_error ? "; last: " + *call.last_error : "",
                     waiting ? "placed by numctl compliance refresh once the bundle is approved" : "numctl sweep retries it"));
  }
  // Reputation: the highest fresh score and the last readings as a small trend, then the newest
  // reading of each source.
  if (!risk.trend.empty()) {
    static const char* const bars[] = {"▁", "▂", "▃", "▄", "▅", "▆", "▇", "█"};
    std::string trend;
    for (const auto& reading : risk.trend) trend += bars[std::min(7, reading.score * 8 / 101)];
    line("risk", fmt::format("{}  {}", risk.score ? fmt::format("{} {}", *risk.score, to_string(*risk.band)) : "no fresh reading",
                             trend));
    for (const auto& reading : risk.latest_by_source)
      line("  " + reading.source,
           fmt::format("{} at {}{}", reading.score, reading.checked_at, reading.labels.empty() ? "" : ": " + reading.labels));
  }
  std::vector<std::string> names;
  for (Action a : actions) names.emplace_back(command_for(a));
  Out::print("actions       {}\n", names.empty() ? std::string("none") : text::join(names, ", "));
}

}  // namespace

CLI::App* register_show(CLI::App& app, Context& context) {
  auto number = std::make_shared<std::string>();
  auto* show = app.add_subcommand("show", "Every field of a number, and the actions allowed in its status");
  show->footer("Examples:\n  numctl show +4930123456\n  numctl show '030 123456' --region DE --json");
  show->add_option("NUMBER", *number, "The number, as you would type it")->required();
  show->callback([&context, number] {
    auto& service = context.service();
    Shown shown;
    shown.r = service.resolve(*number, context.region());
    shown.actions = service.allowed_actions(shown.r);
    shown.owed = service.owed_calls(shown.r.e164);
    shown.risk = service.risk_view(shown.r);
    shown.calls = service.calls_kept(shown.r);
    shown.days_kept = service.config().usage.keep_days;
    Format format = context.format();
    if (is_json(format))
      write_json(shown);
    else if (format == Format::plain)
      Out::write(shown.r.e164 + "\n");
    else
      write_text(context, shown);
  });
  return show;
}

}  // namespace numctl::cli
