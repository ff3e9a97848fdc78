// assign, unassign, flag, unflag, cancel, restore: batch actions on owned numbers.
#include "context.hpp"

#include <numctl/error.hpp>

namespace numctl::cli {
namespace {

struct BatchOptions {
  std::vector<std::string> numbers;
  bool dry_run = false;
};

CLI::App* batch_command(CLI::App& app, const char* name, const char* description, const char* examples,
                        BatchOptions& options) {
  auto* command = app.add_subcommand(name, description);
  command->footer(std::string("Numbers may be given as arguments, or as - to read one a line from stdin.\n"
                              "All or nothing: if any number is refused, nothing changes and every offender is listed.\n\n"
                              "Examples:\n") + examples);
  command->add_option("NUMBER", options.numbers, "Numbers, or - to read them from stdin")->required();
  command->add_flag("--dry-run", options.dry_run, "Check everything, change nothing");
  return command;
}

// Runs one batch action with the command's --dry-run and prints what changed.
// `done` is the verb and what follows the count in a batch's one-line summary ("flagged", "high_risk").
template <typename Act>
void run_batch(Context& context, const BatchOptions& options, Act act,
               const std::function<std::string(const NumberRecord&)>& describe, const std::string& verb,
               const std::string& after = {}) {
  auto changed = act(context.service(), context.numbers_from(options.numbers), context.run(options.dry_run));
  context.print_changes(changed, describe, options.dry_run, [&](const std::vector<NumberRecord>& records) {
    return verb + " " + std::to_string(records.size()) + " numbers" + after;
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
  std::string out = "cancelled " + std::to_string(records.size()) + " numbers";
  if (!first.empty())
    out += first == last ? "; they release on " + first : "; they release between " + first + " and " + last;
  if (withdrawn) out += "; " + std::to_string(withdrawn) + " pending orders withdrawn";
  return out;
}

std::string until(const NumberRecord& r) {
  if (r.status == Status::to_be_cancelled && r.release_at)
    return "; still receives calls until " + *r.release_at + " (numctl restore " + r.e164 + " to undo)";
  return "";
}

}  // namespace

void register_number_actions(CLI::App& app, Context& context) {
  struct AssignOptions : BatchOptions {
    std::string team, member;
  };
  auto as = std::make_shared<AssignOptions>();
  auto* assign = batch_command(app, "assign", "Route numbers to a team or a member",
                               "  numctl assign +4930123456 --team Support\n  numctl filter --country FR --format plain | numctl assign - --member 'Ada Lovelace'\n", *as);
  auto* team = assign->add_option("--team", as->team, "Team to route the numbers to");
  auto* member = assign->add_option("--member", as->member, "Member to route the numbers to");
  team->excludes(member);
  assign->callback([&context, as] {
    if (as->team.empty() == as->member.empty()) fail(ErrorCategory::invalid_input, "assign needs --team NAME or --member NAME");
    Assignee who = as->team.empty() ? Assignee{Assignee::Kind::member, as->member} : Assignee{Assignee::Kind::team, as->team};
    run_batch(context, *as, [&](Service& s, const auto& numbers, const RunOptions& run) { return s.assign(numbers, who, run); },
              [&](const NumberRecord& r) { return "assigned " + r.display + " to " + who.name; }, "assigned", " to " + who.name);
  });

  struct SetOptions : BatchOptions {
    std::optional<std::string> label;
    bool no_label = false;
  };
  auto so = std::make_shared<SetOptions>();
  auto* set = batch_command(app, "set", "Edit numbers: their label",
                            "  numctl set +4930123456 --label 'Berlin desk'\n"
                            "  numctl filter --team Legacy --format plain | numctl set - --no-label\n",
                            *so);
  auto* label = set->add_option("--label", so->label, "The new label");
  set->add_flag("--no-label", so->no_label, "Remove the label")->excludes(label);
  set->callback([&context, so] {
    if (!so->label && !so->no_label) fail(ErrorCategory::invalid_input, "set needs --label TEXT or --no-label");
    std::optional<std::string> value = so->no_label ? std::nullopt : so->label;
    run_batch(context, *so, [&](Service& s, const auto& numbers, const RunOptions& run) { return s.set_label(numbers, value, run); },
              [&](const NumberRecord& r) { return "labelled " + r.display + (value ? " '" + *value + "'" : " (no label)"); },
              "labelled", value ? " '" + *value + "'" : " (no label)");
  });

  auto un = std::make_shared<BatchOptions>();
  batch_command(app, "unassign", "Remove numbers' team or member", "  numctl unassign +4930123456\n", *un)
      ->callback([&context, un] {
        run_batch(context, *un, [](Service& s, const auto& numbers, const RunOptions& run) { return s.unassign(numbers, run); },
                  [](const NumberRecord& r) { return "unassigned " + r.display; }, "unassigned");
      });

  struct ReasonOptions : BatchOptions {
    std::optional<std::string> reason;
  };
  auto fl = std::make_shared<ReasonOptions>();
  batch_command(app, "flag", "Mark active numbers high risk (e.g. labelled spam by carriers)",
                "  numctl flag +12015550123 --reason 'labelled spam by carrier'\n", *fl)
      ->callback([&context, fl] {
        run_batch(context, *fl, [&](Service& s, const auto& numbers, const RunOptions& run) { return s.flag(numbers, fl->reason, run); },
                  [](const NumberRecord& r) { return "flagged " + r.display + " high_risk (numctl replace " + r.e164 + " to swap it)"; },
                  "flagged", " high_risk");
      })
      ->add_option("--reason", fl->reason, "Why the number is risky");

  auto uf = std::make_shared<ReasonOptions>();
  batch_command(app, "unflag", "Clear the high-risk flag: back to active",
                "  numctl unflag +12015550123 --reason 'carrier removed the spam label'\n", *uf)
      ->callback([&context, uf] {
        run_batch(
            context, *uf,
            [&](Service& s, const auto& numbers, const RunOptions& run) { return s.unflag(numbers, uf->reason, run); },
            [](const NumberRecord& r) { return "unflagged " + r.display + ": active"; }, "unflagged", ": active");
      })
      ->add_option("--reason", uf->reason, "Why the number is trusted again (kept in its history)");

  auto ca = std::make_shared<ReasonOptions>();
  batch_command(app, "cancel", "Cancel numbers: they keep receiving calls for the grace period, then are released",
                "  numctl cancel +4930123456 --reason 'office closed'\n  numctl filter --team Legacy --format plain | numctl cancel -\n", *ca)
      ->callback([&context, ca] {
        auto changed = context.service().cancel(context.numbers_from(ca->numbers), ca->reason, context.run(ca->dry_run));
        context.print_changes(
            changed,
            [](const NumberRecord& r) {
              if (r.status == Status::cancelled)
                return "cancelled " + r.display + ": the pending order is withdrawn" +
                       (r.provider_ref && r.provider ? "; the next numctl sweep releases it at " + *r.provider : std::string());
              return "cancelling " + r.display + until(r);
            },
            ca->dry_run, cancel_summary);
      })
      ->add_option("--reason", ca->reason, "Why the number is cancelled");

  auto re = std::make_shared<BatchOptions>();
  batch_command(app, "restore", "Undo a cancellation inside the grace period", "  numctl restore +4930123456\n", *re)
      ->callback([&context, re] {
        run_batch(context, *re, [](Service& s, const auto& numbers, const RunOptions& run) { return s.restore(numbers, run); },
                  [](const NumberRecord& r) { return "restored " + r.display + ": " + std::string(to_string(r.status)); },
                  "restored");
      });
}

}  // namespace numctl::cli
