// assign, unassign, set, flag, unflag, cancel, restore: batch actions on owned numbers.
#include "command_table.hpp"

#include <numctl/error.hpp>

namespace numctl::cli {
namespace {

CLI::App* batch_command(CLI::App& app, const char* name, const char* description, const char* examples,
                        std::vector<std::string>& numbers) {
  auto* command = app.add_subcommand(name, description);
  command->footer(std::string("Numbers may be given as arguments, or as - to read one a line from stdin.\n"
                              "All or nothing: if any number is refused, nothing changes and every offender is listed.\n\n"
                              "Examples:\n") + examples);
  command->add_option("NUMBER", numbers, "Numbers, or - to read them from stdin")->required();
  return command;
}

using Numbers = std::shared_ptr<std::vector<std::string>>;

// Runs one batch action and prints what changed. `verb` and `after` make a batch's one-line
// summary ("flagged 3 numbers high_risk").
template <typename Act>
void run_batch(Context& context, const Numbers& numbers, Act act, const std::function<std::string(const NumberRecord&)>& describe,
               const std::string& verb, const std::string& after = {}) {
  auto changed = act(context.service(), context.numbers_from(*numbers), context.run());
  context.print_changes(changed, describe, [&](const std::vector<NumberRecord>& records) {
    return fmt::format("{} {} numbers{}", verb, records.size(), after);
  });
}

// "cancelled 1000 numbers; they release on 2026-12-28": the dates of a batch, not each line.
std::string cancel_summary(const std::vector<NumberRecord>& records) {
  std::string first, last;
  std::size_t withdrawn = 0;
  for (const auto& r : records) {
    if (r.status == Status::cancelled) {
      ++withdrawn;
      continue;
    }
    if (!r.release_at) continue;
    std::string day = r.release_at->substr(0, 10);
    if (first.empty() || day < first) first = day;
    if (last.empty() || day > last) last = day;
  }
  std::string out = fmt::format("cancelled {} numbers", records.size());
  if (!first.empty())
    out +=
        first == last ? fmt::format("; they release on {}", first) : fmt::format("; they release between {} and {}", first, last);
  if (withdrawn) out += fmt::format("; {} pending orders withdrawn", withdrawn);
  return out;
}

std::string until(const NumberRecord& r) {
  if (r.status == Status::to_be_cancelled && r.release_at)
    return fmt::format("; still receives calls until {} (numctl restore {} to undo)", *r.release_at, r.e164);
  return "";
}

std::string cancel_line(const NumberRecord& r) {
  if (r.status == Status::cancelled)
    return fmt::format("cancelled {}: the pending order is withdrawn{}", r.display,
                       r.provider_ref && r.provider ? "; the next numctl sweep releases it at " + *r.provider : "");
  return fmt::format("cancelling {}{}", r.display, until(r));
}

}  // namespace

CLI::App* register_assign(CLI::App& app, Context& context) {
  auto numbers = std::make_shared<std::vector<std::string>>();
  auto names = std::make_shared<std::pair<std::string, std::string>>();  // team, member
  auto* assign = batch_command(app, "assign", "Route numbers to a team or a member",
                               "  numctl assign +4930123456 --team Support\n  numctl filter --country FR --format plain | numctl "
                               "assign - --member 'Ada Lovelace'\n",
                               *numbers);
  auto* team = assign->add_option("--team", names->first, "Team to route the numbers to");
  auto* member = assign->add_option("--member", names->second, "Member to route the numbers to");
  team->excludes(member);
  assign->callback([&context, numbers, names] {
    if (names->first.empty() == names->second.empty())
      fail(ErrorCategory::invalid_input, "assign needs --team NAME or --member NAME");
    Assignee who =
        names->first.empty() ? Assignee{Assignee::Kind::member, names->second} : Assignee{Assignee::Kind::team, names->first};
    run_batch(
        context, numbers, [&](Service& s, const auto& inputs, const RunOptions& run) { return s.assign(inputs, who, run); },
        [&](const NumberRecord& r) { return fmt::format("assigned {} to {}", r.display, who.name); }, "assigned",
        " to " + who.name);
  });
  return assign;
}

CLI::App* register_set(CLI::App& app, Context& context) {
  auto numbers = std::make_shared<std::vector<std::string>>();
  auto label = std::make_shared<std::optional<std::string>>();
  auto no_label = std::make_shared<bool>(false);
  auto* set = batch_command(app, "set", "Edit numbers: their label",
                            "  numctl set +4930123456 --label 'Berlin desk'\n"
                            "  numctl filter --team Legacy --format plain | numctl set - --no-label\n",
                            *numbers);
  auto* label_option = set->add_option("--label", *label, "The new label");
  set->add_flag("--no-label", *no_label, "Remove the label")->excludes(label_option);
  set->callback([&context, numbers, label, no_label] {
    if (!*label && !*no_label) fail(ErrorCategory::invalid_input, "set needs --label TEXT or --no-label");
    std::optional<std::string> value = *no_label ? std::nullopt : *label;
    std::string what = value ? fmt::format(" '{}'", *value) : " (no label)";
    run_batch(
        context, numbers, [&](Service& s, const auto& inputs, const RunOptions& run) { return s.set_label(inputs, value, run); },
        [&](const NumberRecord& r) { return fmt::format("labelled {}{}", r.display, what); }, "labelled", what);
  });
  return set;
}

CLI::App* register_unassign(CLI::App& app, Context& context) {
  auto numbers = std::make_shared<std::vector<std::string>>();
  auto* unassign = batch_command(app, "unassign", "Remove numbers' team or member", "  numctl unassign +4930123456\n", *numbers);
  unassign->callback([&context, numbers] {
    run_batch(
        context, numbers, [](Service& s, const auto& inputs, const RunOptions& run) { return s.unassign(inputs, run); },
        [](const NumberRecord& r) { return fmt::format("unassigned {}", r.display); }, "unassigned");
  });
  return unassign;
}

CLI::App* register_flag(CLI::App& app, Context& context) {
  auto numbers = std::make_shared<std::vector<std::string>>();
  auto reason = std::make_shared<std::optional<std::string>>();
  auto* flag = batch_command(app, "flag", "Mark active numbers high risk (e.g. labelled spam by carriers)",
                             "  numctl flag +12015550123 --reason 'labelled spam by carrier'\n", *numbers);
  flag->add_option("--reason", *reason, "Why the number is risky");
  flag->callback([&context, numbers, reason] {
    run_batch(
        context, numbers, [&](Service& s, const auto& inputs, const RunOptions& run) { return s.flag(inputs, *reason, run); },
        [](const NumberRecord& r) {
          return fmt::format("flagged {} high_risk (numctl replace {} to swap it)", r.display, r.e164);
        },
        "flagged", " high_risk");
  });
  return flag;
}

CLI::App* register_unflag(CLI::App& app, Context& context) {
  auto numbers = std::make_shared<std::vector<std::string>>();
  auto reason = std::make_shared<std::optional<std::string>>();
  auto* unflag = batch_command(app, "unflag", "Clear the high-risk flag: back to active",
                               "  numctl unflag +12015550123 --reason 'carrier removed the spam label'\n", *numbers);
  unflag->add_option("--reason", *reason, "Why the number is trusted again (kept in its history)");
  unflag->callback([&context, numbers, reason] {
    run_batch(
        context, numbers, [&](Service& s, const auto& inputs, const RunOptions& run) { return s.unflag(inputs, *reason, run); },
        [](const NumberRecord& r) { return fmt::format("unflagged {}: active", r.display); }, "unflagged", ": active");
  });
  return unflag;
}

CLI::App* register_cancel(CLI::App& app, Context& context) {
  auto numbers = std::make_shared<std::vector<std::string>>();
  auto reason = std::make_shared<std::optional<std::string>>();
  auto* cancel = batch_command(
      app, "cancel", "Cancel numbers: they keep receiving calls for the grace period, then are released",
      "  numctl cancel +4930123456 --reason 'office closed'\n  numctl filter --team Legacy --format plain | numctl cancel -\n",
      *numbers);
  cancel->add_option("--reason", *reason, "Why the number is cancelled");
  cancel->callback([&context, numbers, reason] {
    auto changed = context.service().cancel(context.numbers_from(*numbers), *reason, context.run());
    context.print_changes(changed, cancel_line, cancel_summary);
  });
  return cancel;
}

CLI::App* register_restore(CLI::App& app, Context& context) {
  auto numbers = std::make_shared<std::vector<std::string>>();
  auto* restore =
      batch_command(app, "restore", "Undo a cancellation inside the grace period", "  numctl restore +4930123456\n", *numbers);
  restore->callback([&context, numbers] {
    run_batch(
        context, numbers, [](Service& s, const auto& inputs, const RunOptions& run) { return s.restore(inputs, run); },
        [](const NumberRecord& r) { return fmt::format("restored {}: {}", r.display, to_string(r.status)); }, "restored");
  });
  return restore;
}

}  // namespace numctl::cli
