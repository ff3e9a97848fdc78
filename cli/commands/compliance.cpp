// regulations and compliance create/update/submit/list/show/refresh: what a carrier requires for
// regulated numbers, the profiles numctl builds there, and the carrier's verdict on them.
#include "command_table.hpp"
#include "output/value.hpp"

#include <numctl/error.hpp>
#include <numctl/text.hpp>

namespace numctl::cli {

namespace {

Record requirement_record(const Requirement& r) {
  return Record{{"kind", Value(to_string(r.kind))},    {"name", Value(r.name)},       {"label", Value(r.label)},
                {"description", Value(r.description)}, {"accepts", Value(r.accepts)}, {"fields", Value(r.fields)}};
}

void print_regulations(Context& context, const RegulationsRead& read, const std::string& country) {
  if (is_json(context.format())) {
    List items;
    for (const auto& r : read.regulations) {
      List requirements;
      for (const auto& q : r.requirements) requirements.emplace_back(requirement_record(q));
      items.emplace_back(Record{{"source", Value(read.source)},
                                {"country", Value(r.country)},
                                {"type", Value(to_string(r.type))},
                                {"end_user_type", Value(r.end_user_type)},
                                {"name", Value(r.name)},
                                {"requirements", Value(std::move(requirements))},
                                {"read_at", Value(read.read_at)}});
    }
    write_json_list(context.format(), items);
    return;
  }
  if (read.regulations.empty()) {
    Out::print("{} requires nothing for {} numbers{}\n", read.source, country,
               read.read_at ? fmt::format(" (read {})", *read.read_at) : "");
    return;
  }
  for (const auto& r : read.regulations) {
    Out::print("{} {}{} at {}{}\n", r.country, to_string(r.type),
               r.end_user_type.empty() ? "" : fmt::format(", end user {}", r.end_user_type), read.source,
               r.name.empty() ? "" : fmt::format(" ({})", printable(r.name)));
    for (const auto& q : r.requirements) {
      std::string extra;
      if (!q.accepts.empty()) extra += " accepts " + text::join(q.accepts, ", ");
      if (!q.fields.empty()) extra += (extra.empty() ? " " : "; ") + std::string("fields ") + text::join(q.fields, ", ");
      Out::print("  {:<8}  {}{}{}\n", to_string(q.kind), printable(q.name),
                 q.label.empty() || q.label == q.name ? "" : fmt::format(" ({})", printable(q.label)), printable(extra));
    }
  }
  if (read.read_at)
    context.note("read from {} at {}{}", read.source, *read.read_at, read.cached ? " (cached; --refresh reads again)" : "");
}

Record profile_record(const ComplianceView& view) {
  const auto& p = view.profile;
  List numbers, documents, history;
  for (const auto& n : view.numbers)
    numbers.emplace_back(Record{{"number", Value(n.e164)}, {"status", Value(to_string(n.status))}});
  for (const auto& d : view.documents)
    documents.emplace_back(Record{{"kind", Value(d.kind)},
                                  {"file", Value(d.filename)},
                                  {"size", Value(d.size)},
                                  {"sha256", Value(d.sha256)},
                                  {"added_at", Value(d.added_at)}});
  for (const auto& h : view.history)
    history.emplace_back(Record{{"at", Value(h.at)},
                                {"state", Value(h.state)},
                                {"carrier_status", Value(h.carrier_status)},
                                {"reason", Value(h.reason.empty() ? std::optional<std::string>() : h.reason)}});
  return Record{{"name", Value(p.name)},
                {"provider", Value(p.provider)},
                {"country", Value(p.country)},
                {"type", Value(to_string(p.type))},
                {"end_user_type", Value(p.end_user_type)},
                {"status", Value(to_string(p.state))},
                {"carrier_status", Value(p.carrier_status)},
                {"carrier_ref", Value(p.carrier_ref)},
                {"reason", Value(p.reason)},
                {"missing", Value(view.missing)},
                {"fields", Value(view.fields)},
                {"documents", Value(std::move(documents))},
                {"numbers", Value(std::move(numbers))},
                {"history", Value(std::move(history))},
                {"created_at", Value(p.created_at)},
                {"updated_at", Value(p.updated_at)}};
}

void print_profile(Context& context, const ComplianceView& view, std::string_view did) {
  if (is_json(context.format())) return write_json_line(profile_record(view));
  const auto& p = view.profile;
  Out::print("{}{} ({} {} at {}{}): {}{}\n", did, printable(p.name), p.country, to_string(p.type), p.provider,
             p.end_user_type.empty() ? "" : ", end user " + p.end_user_type, to_string(p.state),
             p.carrier_status.empty() ? "" : fmt::format(" ({} {})", p.provider, printable(p.carrier_status)));
  if (p.reason) Out::print("  reason: {}\n", printable(*p.reason));
  if (p.carrier_ref) Out::print("  at {}: {}\n", p.provider, printable(*p.carrier_ref));
  if (!view.fields.empty()) Out::print("  fields: {}\n", printable(text::join(view.fields, ", ")));
  for (const auto& d : view.documents)
    Out::print("  document {}: {} ({} bytes, sha256 {}…)\n", printable(d.kind), printable(d.filename), d.size,
               std::string_view(d.sha256).substr(0, 12));
  if (!view.missing.empty()) Out::print("  missing: {}\n", printable(text::join(view.missing, ", ")));
  if (!view.numbers.empty()) {
    std::vector<std::string> numbers;
    for (const auto& n : view.numbers) numbers.push_back(n.e164 + " " + std::string(to_string(n.status)));
    Out::print("  numbers: {}\n", text::join(numbers, ", "));
  }
  for (const auto& h : view.history)
    Out::print("  {}  {}{}{}\n", h.at, h.state, h.carrier_status.empty() ? "" : " (" + printable(h.carrier_status) + ")",
               h.reason.empty() ? "" : ": " + printable(h.reason));
}

// NAME=VALUE pairs, each split at its first '='.
template <typename Value>
std::vector<std::pair<std::string, Value>> pairs(const std::vector<std::string>& items, std::string_view option) {
  std::vector<std::pair<std::string, Value>> out;
  for (const auto& item : items) {
    auto eq = item.find('=');
    if (eq == std::string::npos || eq == 0)
      fail(ErrorCategory::invalid_input, fmt::format("{} takes NAME=VALUE, got '{}'", option, printable(item)));
    out.emplace_back(item.substr(0, eq), Value(item.substr(eq + 1)));
  }
  return out;
}

struct ProfileOptions {
  std::string name, country, type, end_user;
  std::vector<std::string> fields, documents;
};

ComplianceRequest request_of(const ProfileOptions& o) {
  ComplianceRequest request;
  request.name = o.name;
  request.country = o.country;
  if (!o.type.empty()) {
    auto type = parse_number_type(o.type);
    if (!type) fail(ErrorCategory::invalid_input, "unknown type '" + o.type + "' (local, mobile, toll_free)");
    request.type = *type;
  }
  request.end_user = o.end_user;
  request.fields = pairs<std::string>(o.fields, "--field");
  request.documents = pairs<std::filesystem::path>(o.documents, "--document");
  return request;
}

void add_profile_options(CLI::App* command, ProfileOptions& o) {
  command->add_option("--field", o.fields, "NAME=VALUE, named as the carrier names it (business_name, email, ...)");
  command->add_option("--document", o.documents, "KIND=FILE: a PDF, PNG or JPEG for a document the carrier asks for");
}

}  // namespace

CLI::App* register_regulations(CLI::App& app, Context& context) {
  struct Options {
    std::string country, type;
    bool refresh = false;
  };
  auto o = std::make_shared<Options>();
  auto* command = app.add_subcommand("regulations", "What a country's regulator requires for numbers, as the carrier says");
  command->footer(
      "With a carrier (twilio, telnyx) the requirements are read from its API and cached in the database with the\n"
      "time read (--refresh reads them again); [regulation] in the config is not consulted then. With the offline\n"
      "providers, [regulation] is the rule (numctl docs submit, then numctl approve).\n\n"
      "Examples:\n  numctl regulations --country DE --type local\n  numctl regulations --country FR --refresh --json");
  command->add_option("--country", o->country, "ISO country code")->required();
  command->add_option("--type", o->type, "local, mobile or toll_free (default: every type)");
  command->add_flag("--refresh", o->refresh, "Read the carrier's requirements again instead of the cached ones");
  command->callback([&context, o] {
    std::optional<NumberType> type;
    if (!o->type.empty()) {
      type = parse_number_type(o->type);
      if (!type) fail(ErrorCategory::invalid_input, "unknown type '" + o->type + "' (local, mobile, toll_free)");
    }
    print_regulations(context, context.service().regulations(o->country, type, o->refresh), text::upper(o->country));
  });
  return command;
}

CLI::App* register_compliance(CLI::App& app, Context&) {
  auto* command =
      app.add_subcommand("compliance", "Compliance profiles at the carrier: Twilio's bundles, Telnyx's requirement groups");
  command->require_subcommand(1);
  command->footer(
      "A regulated number is reviewed by the carrier, not by numctl: build a profile (end user, fields, documents),\n"
      "submit it, and the carrier's verdict moves the numbers that use it from pending to active.\n"
      "Twilio is bundle first (buy waits for an approved bundle); Telnyx is order first (the order waits).\n\n"
      "Examples:\n  numctl regulations --country DE --type local\n"
      "  numctl compliance create acme-de --country DE --type local --end-user business --field business_name='Acme GmbH' \\\n"
      "      --field email=ops@acme.example --document proof_of_address=lease.pdf\n"
      "  numctl compliance submit acme-de\n  numctl compliance refresh");
  return command;
}

CLI::App* register_compliance_create(CLI::App& parent, Context& context) {
  auto o = std::make_shared<ProfileOptions>();
  auto* command = parent.add_subcommand("create", "Build a compliance profile at the carrier and say what it still misses");
  command->footer(
      "Builds the carrier's objects (Twilio: end user, supporting documents, bundle and its items; Telnyx: requirement\n"
      "group with its answers and uploaded documents), runs the carrier's evaluation where it has one, and names what\n"
      "is missing. Nothing is submitted: numctl compliance submit NAME does that. Files are kept in the database too.\n\n"
      "Examples:\n  numctl compliance create acme-de --country DE --type local --field business_name='Acme GmbH' \\\n"
      "      --field email=ops@acme.example --document proof_of_address=lease.pdf");
  command->add_option("NAME", o->name, "A name for the profile")->required();
  command->add_option("--country", o->country, "ISO country code")->required();
  command->add_option("--type", o->type, "local, mobile or toll_free")->required();
  command->add_option("--end-user", o->end_user, "The end user's type where the carrier asks (business, individual)");
  add_profile_options(command, *o);
  command->callback([&context, o] {
    auto view = context.service().create_compliance(request_of(*o), context.run());
    print_profile(context, view, context.dry_run ? "would create " : "created ");
    if (!context.dry_run && !is_json(context.format()))
      context.note(view.missing.empty()
                       ? fmt::format("complete: numctl compliance submit {}", view.profile.name)
                       : fmt::format("add what is missing with numctl compliance update {}, then submit it", view.profile.name));
  });
  return command;
}

CLI::App* register_compliance_update(CLI::App& parent, Context& context) {
  auto o = std::make_shared<ProfileOptions>();
  auto* command = parent.add_subcommand("update", "Add fields or documents to a profile (a draft, or one the carrier rejected)");
  command->footer(
      "Examples:\n  numctl compliance update acme-de --document business_registration=register.pdf\n"
      "  numctl compliance update acme-de --field business_name='Acme Berlin GmbH' && numctl compliance submit acme-de");
  command->add_option("NAME", o->name, "The profile")->required();
  add_profile_options(command, *o);
  command->callback([&context, o] {
    print_profile(context, context.service().update_compliance(request_of(*o), context.run()),
                  context.dry_run ? "would update " : "updated ");
  });
  return command;
}

CLI::App* register_compliance_submit(CLI::App& parent, Context& context) {
  auto name = std::make_shared<std::string>();
  auto* command = parent.add_subcommand("submit", "Send a profile for the carrier's review");
  command->footer(
      "Refused while the carrier's evaluation names something missing.\n\n"
      "Examples:\n  numctl compliance submit acme-de");
  command->add_option("NAME", *name, "The profile")->required();
  command->callback([&context, name] {
    print_profile(context, context.service().submit_compliance(*name, context.run()),
                  context.dry_run ? "would submit " : "submitted ");
  });
  return command;
}

CLI::App* register_compliance_list(CLI::App& parent, Context& context) {
  auto* command = parent.add_subcommand("list", "Every compliance profile and where its review stands");
  command->callback([&context] {
    auto profiles = context.service().compliance_profiles();
    if (is_json(context.format())) {
      List items;
      for (const auto& p : profiles) items.emplace_back(profile_record(context.service().compliance_view(p.name)));
      write_json_list(context.format(), items);
      return;
    }
    for (const auto& p : profiles)
      Out::print("{:<20}  {}  {:<9}  {:<8}  {:<10}  {}{}\n", printable(p.name), p.country, to_string(p.type), p.provider,
                 to_string(p.state), printable(p.carrier_status), p.reason ? ": " + printable(*p.reason) : "");
    if (profiles.empty()) context.note("no compliance profiles yet (numctl compliance create)");
  });
  return command;
}

CLI::App* register_compliance_show(CLI::App& parent, Context& context) {
  auto name = std::make_shared<std::string>();
  auto* command = parent.add_subcommand("show", "A profile: its status at the carrier, the reason, its files and numbers");
  command->add_option("NAME", *name, "The profile")->required();
  command->callback([&context, name] { print_profile(context, context.service().compliance_view(*name), ""); });
  return command;
}

CLI::App* register_compliance_refresh(CLI::App& parent, Context& context) {
  auto* command = parent.add_subcommand("refresh", "Read every open review at the carrier and act on its verdict");
  command->footer(
      "Approved: numbers waiting for the profile are ordered (a number taken meanwhile is replaced by a similar one,\n"
      "said in the audit) and orders the carrier held complete: the numbers turn active (actor carrier).\n"
      "Rejected: the numbers stay pending with the carrier's reason (list, show, due). A profile a crash left half\n"
      "built is finished first, never made twice. numctl sync does the same before it compares.\n\n"
      "Examples:\n  numctl compliance refresh\n  numctl compliance refresh --json | jq '.activated'");
  command->callback([&context] {
    auto result = context.service().refresh_compliance(context.run());
    if (is_json(context.format())) {
      List changed, activated, ordered, problems;
      for (const auto& v : result.changed) changed.emplace_back(profile_record(v));
      for (const auto& n : result.activated) activated.emplace_back(Value(n.e164));
      for (const auto& n : result.ordered) ordered.emplace_back(Value(n.e164));
      for (const auto& p : result.problems) problems.emplace_back(Record{{"item", Value(p.number)}, {"reason", Value(p.reason)}});
      write_json_line(Record{{"open", Value(static_cast<std::int64_t>(result.open))},
                             {"changed", Value(std::move(changed))},
                             {"activated", Value(std::move(activated))},
                             {"ordered", Value(std::move(ordered))},
                             {"problems", Value(std::move(problems))},
                             {"dry_run", Value(context.dry_run)}});
      return;
    }
    for (const auto& v : result.changed) print_profile(context, v, "");
    for (const auto& n : result.ordered) Out::print("ordered {}: {}\n", n.display, to_string(n.status));
    for (const auto& n : result.activated) Out::print("active {}\n", n.display);
    for (const auto& p : result.problems) std::cerr << "numctl: " << printable(p.number) << ": " << printable(p.reason) << '\n';
    context.note("read {} open review{}; {} changed, {} number{} active, {} ordered", result.open, result.open == 1 ? "" : "s",
                 result.changed.size(), result.activated.size(), result.activated.size() == 1 ? "" : "s", result.ordered.size());
    if (!result.problems.empty())
      throw Error(ErrorCategory::carrier,
                  fmt::format("{} profile{} or order{} could not be read or placed; run it again", result.problems.size(),
                              result.problems.size() == 1 ? "" : "s", result.problems.size() == 1 ? "" : "s"));
  });
  return command;
}

}  // namespace numctl::cli
