// address add/list/show/remove, emergency set/clear/refresh/gaps, cnam set/clear and team set:
// where emergency calls say the caller is, and the name called parties see.
#include "command_table.hpp"
#include "output/value.hpp"
#include "output/writers.hpp"

#include <numctl/emergency_service.hpp>
#include <numctl/error.hpp>
#include <numctl/text.hpp>

namespace numctl::cli {
namespace {

Value text_or_null(const std::string& text) { return text.empty() ? Value() : Value(text); }

Record address_record(const Address& a, const std::optional<std::pair<std::int64_t, std::int64_t>>& users = std::nullopt) {
  Record record{{"name", Value(a.name)},
                {"customer_name", text_or_null(a.customer_name)},
                {"contact", text_or_null(a.contact)},
                {"street", Value(a.postal.street)},
                {"city", Value(a.postal.city)},
                {"region", Value(a.postal.region)},
                {"postal_code", Value(a.postal.postal_code)},
                {"country", Value(a.postal.country)},
                {"provider", Value(a.provider)},
                {"provider_ref", Value(a.provider_ref)},
                {"state", Value(a.state)},
                {"created_at", Value(a.created_at)}};
  if (users) {
    record.emplace_back("numbers", Value(users->first));
    record.emplace_back("teams", Value(users->second));
  }
  return record;
}

std::string where_kept(const Address& a) {
  if (a.state == "local") return "in the ledger only";
  return fmt::format("at {} ({}{})", a.provider.value_or("?"), a.provider_ref.value_or("not created yet"),
                     a.state == "creating" ? ", being created" : "");
}

// The carrier refused or was not reached for some numbers: their lines were printed; the exit
// code says so (6), with every number and the carrier's words.
void raise_failed(const std::vector<Offender>& failed, std::string_view what) {
  if (failed.empty()) return;
  std::vector<std::string> lines;
  for (const auto& f : failed) lines.push_back(f.number + ": " + f.reason);
  throw Error(ErrorCategory::carrier, fmt::format("{} of {} failed: {}", failed.size(), what, text::join(lines, "; ")), failed);
}

std::string registration_line(const NumberRecord& r) {
  if (!r.emergency_address) return fmt::format("{}: no emergency address", r.display);
  return fmt::format("{}: emergency address {} ({})", r.display, *r.emergency_address, r.emergency_status.value_or("none"));
}

}  // namespace

CLI::App* register_address(CLI::App& app, Context&) {
  auto* command = app.add_subcommand("address", "Emergency addresses: where emergency calls say the caller is");
  command->require_subcommand(1);
  command->footer(
      "With a carrier the address is created and validated there (Twilio Addresses, Telnyx /v2/addresses); a\n"
      "correction the carrier suggests is taken only with --accept-suggestion. Offline providers keep it here.\n\n"
      "Examples:\n"
      "  numctl address add HQ --street '100 Main St' --city Springfield --region IL --postal-code 62701 \\\n"
      "      --country US --customer-name 'Acme Inc' --contact 'Ada Lovelace'\n"
      "  numctl address list\n  numctl emergency set +13125550100 --address HQ");
  return command;
}

CLI::App* register_address_add(CLI::App& parent, Context& context) {
  struct Options {
    Address address;
    bool accept = false;
  };
  auto o = std::make_shared<Options>();
  auto* command = parent.add_subcommand("add", "Add an emergency address (created and validated at the carrier)");
  command->add_option("NAME", o->address.name, "The name numbers and teams use for it, e.g. HQ")->required();
  command->add_option("--street", o->address.postal.street, "Number and street")->required();
  command->add_option("--city", o->address.postal.city, "City")->required();
  command->add_option("--region", o->address.postal.region, "State, province or region, e.g. IL")->required();
  command->add_option("--postal-code", o->address.postal.postal_code, "Postal (ZIP) code")->required();
  command->add_option("--country", o->address.postal.country, "ISO 3166-1 country code, e.g. US")->required();
  command->add_option("--customer-name", o->address.customer_name, "The business at the address (required by carriers)");
  command->add_option("--contact", o->address.contact, "A person there, \"FIRST LAST\" (required by Telnyx)");
  command->add_flag("--accept-suggestion", o->accept, "Take the carrier's corrected address when it suggests one");
  command->callback([&context, o] {
    auto added = EmergencyService(context.service()).add_address(o->address, o->accept, context.run());
    if (is_json(context.format())) return write_json_line(address_record(added.address));
    std::string prefix = context.dry_run ? "would be: " : "";
    if (added.typed)
      context.note("{}the carrier corrected \"{}\" to \"{}\"", prefix, to_string(*added.typed), to_string(added.address.postal));
    Out::print("{}added address {}: {} ({})\n", prefix, added.address.name, to_string(added.address.postal),
               where_kept(added.address));
  });
  return command;
}

CLI::App* register_address_list(CLI::App& parent, Context& context) {
  auto* command = parent.add_subcommand("list", "Every emergency address, by name");
  command->callback([&context] {
    auto all = EmergencyService(context.service()).addresses();
    if (is_json(context.format())) {
      List items;
      for (const auto& a : all) items.emplace_back(address_record(a));
      return write_json_list(context.format(), items);
    }
    for (const auto& a : all) Out::print("{:<16}  {:<60}  {}\n", a.name, to_string(a.postal), where_kept(a));
    if (all.empty()) context.note("no emergency addresses (numctl address add NAME ... adds one)");
  });
  return command;
}

CLI::App* register_address_show(CLI::App& parent, Context& context) {
  auto name = std::make_shared<std::string>();
  auto* command = parent.add_subcommand("show", "An address, where it is kept, and what uses it");
  command->add_option("NAME", *name, "The address's name")->required();
  command->callback([&context, name] {
    auto view = EmergencyService(context.service()).address(*name);
    const auto& a = view.address;
    if (is_json(context.format())) return write_json_line(address_record(a, std::pair(view.numbers, view.teams)));
    Out::print("{}: {}\n", a.name, to_string(a.postal));
    if (!a.customer_name.empty()) Out::print("  customer: {}\n", a.customer_name);
    if (!a.contact.empty()) Out::print("  contact: {}\n", a.contact);
    Out::print("  kept: {}\n  used by: {} numbers, {} teams\n", where_kept(a), view.numbers, view.teams);
  });
  return command;
}

CLI::App* register_address_remove(CLI::App& parent, Context& context) {
  auto name = std::make_shared<std::string>();
  auto* command = parent.add_subcommand("remove", "Remove an address no number or team uses (at the carrier too)");
  command->add_option("NAME", *name, "The address's name")->required();
  command->callback([&context, name] {
    auto removed = EmergencyService(context.service()).remove_address(*name, context.run());
    if (is_json(context.format())) return write_json_line(address_record(removed));
    Out::print("{}removed address {}\n", context.dry_run ? "would be: " : "", removed.name);
  });
  return command;
}

CLI::App* register_emergency(CLI::App& app, Context&) {
  auto* command = app.add_subcommand("emergency", "Emergency registrations: the address each number's emergency calls report");
  command->require_subcommand(1);
  command->footer(
      "A US or Canadian number that makes calls must tell emergency services where its caller is (Kari's Law, RAY\n"
      "BAUM'S Act); carriers charge for an emergency call from a number without a registered address. With a\n"
      "carrier the address is registered there (pending until it confirms: emergency refresh, sync read it);\n"
      "offline, or with --local, the ledger records a registration made by hand.\n\n"
      "Examples:\n  numctl emergency set +13125550100 --address HQ\n"
      "  numctl filter --team Support --format plain | numctl emergency set - --address HQ\n"
      "  numctl emergency gaps\n  numctl emergency refresh     # from cron, hourly");
  return command;
}

namespace {
CLI::App* registration_command(CLI::App& parent, Context& context, bool set) {
  struct Options {
    std::vector<std::string> numbers;
    std::string address;
    bool local = false;
  };
  auto o = std::make_shared<Options>();
  auto* command = parent.add_subcommand(set ? "set" : "clear",
                                        set ? "Register numbers' emergency address" : "Remove numbers' emergency address");
  command->footer(
      "Numbers may be given as arguments, or as - to read one a line from stdin.\n"
      "All or nothing: if any number is refused, nothing changes and every offender is listed.");
  command->add_option("NUMBER", o->numbers, "Numbers, or - to read them from stdin")->required();
  if (set) command->add_option("--address", o->address, "The address's name (numctl address list)")->required();
  command->add_flag("--local", o->local, "Record it in the ledger only (registered by hand), calling no carrier");
  command->callback([&context, o, set] {
    auto changed = EmergencyService(context.service())
                       .set_emergency(context.numbers_from(o->numbers), set ? std::optional(o->address) : std::nullopt, o->local,
                                      context.run());
    context.print_changes(changed.numbers, registration_line, [&](const std::vector<NumberRecord>& records) {
      return fmt::format("{} {} numbers{}", set ? "registered" : "cleared", records.size(),
                         set ? " with address " + o->address : std::string());
    });
    raise_failed(changed.failed, "the registrations");
  });
  return command;
}

CLI::App* cnam_command(CLI::App& parent, Context& context, bool set) {
  struct Options {
    std::vector<std::string> numbers;
    std::string name;
  };
  auto o = std::make_shared<Options>();
  auto* command =
      parent.add_subcommand(set ? "set" : "clear", set ? "Set numbers' caller ID name" : "Remove numbers' caller ID name");
  command->add_option("NUMBER", o->numbers, "Numbers, or - to read them from stdin")->required();
  if (set) command->add_option("--name", o->name, "At most 15 letters, digits and spaces, e.g. 'ACME SUPPORT'")->required();
  command->callback([&context, o, set] {
    auto changed = EmergencyService(context.service())
                       .set_cnam(context.numbers_from(o->numbers), set ? std::optional(o->name) : std::nullopt, context.run());
    context.print_changes(
        changed.numbers,
        [](const NumberRecord& r) {
          return fmt::format("{}: caller ID name {}", r.display, r.cnam ? "'" + *r.cnam + "'" : "none");
        },
        [&](const std::vector<NumberRecord>& records) {
          return fmt::format("caller ID name of {} numbers set", records.size());
        });
    raise_failed(changed.failed, "the caller ID names");
  });
  return command;
}
}  // namespace

CLI::App* register_emergency_set(CLI::App& parent, Context& context) { return registration_command(parent, context, true); }
CLI::App* register_emergency_clear(CLI::App& parent, Context& context) { return registration_command(parent, context, false); }

CLI::App* register_emergency_refresh(CLI::App& parent, Context& context) {
  auto* command = parent.add_subcommand("refresh", "Send owed registrations and read pending ones at the carrier");
  command->callback([&context] {
    auto read = EmergencyService(context.service()).refresh(context.run());
    if (is_json(context.format())) {
      List changed;
      for (const auto& r : read.changed)
        changed.emplace_back(Record{{"number", Value(r.e164)},
                                    {"emergency_address", Value(r.emergency_address)},
                                    {"emergency_status", Value(r.emergency_status)},
                                    {"cnam", Value(r.cnam)}});
      write_json_line(Record{{"sent", Value(static_cast<std::int64_t>(read.sent))}, {"changed", Value(std::move(changed))}});
    } else {
      for (const auto& r : read.changed) Out::print("{}\n", registration_line(r));
      context.note("{} calls sent, {} registrations moved", read.sent, read.changed.size());
    }
    raise_failed(read.failed, "the calls");
  });
  return command;
}

CLI::App* register_emergency_gaps(CLI::App& parent, Context& context) {
  auto* command = parent.add_subcommand("gaps", "Numbers that make calls without a registered emergency address");
  command->footer(
      "Active and high_risk local and mobile numbers in the [emergency] countries (US and CA by default) whose\n"
      "address is missing, not confirmed yet, or refused by the carrier.\n\n"
      "Examples:\n  numctl emergency gaps\n"
      "  numctl emergency gaps --format plain | numctl emergency set - --address HQ");
  command->callback([&context] {
    EmergencyService desk(context.service());
    auto scope = desk.gap_scope({EmergencyStatus::none, EmergencyStatus::pending, EmergencyStatus::failed});
    auto writer = make_number_writer(context.format(), context.writer_options());
    context.inventory().for_each_number(scope, Sort{}, Page{}, [&](const NumberRecord& r) { writer->row(r); });
    writer->finish();
  });
  return command;
}

CLI::App* register_cnam(CLI::App& app, Context&) {
  auto* command = app.add_subcommand("cnam", "Caller ID names (CNAM): the name called parties see");
  command->require_subcommand(1);
  command->footer(
      "Telnyx lists the name on the number (cnam_listing); Twilio lists names through its Trust Hub, so numctl\n"
      "refuses there (exit 4) rather than pretend. Offline providers keep it in the ledger.\n\n"
      "Examples:\n  numctl cnam set +13125550100 --name 'ACME SUPPORT'\n  numctl cnam clear +13125550100");
  return command;
}

CLI::App* register_cnam_set(CLI::App& parent, Context& context) { return cnam_command(parent, context, true); }
CLI::App* register_cnam_clear(CLI::App& parent, Context& context) { return cnam_command(parent, context, false); }

CLI::App* register_team_set(CLI::App& parent, Context& context) {
  struct Options {
    std::string team, address;
    bool none = false;
  };
  auto o = std::make_shared<Options>();
  auto* command = parent.add_subcommand("set", "Edit a team: its default emergency address");
  command->footer(
      "Numbers assigned to the team (and bought for it) that have no emergency address get this one.\n\n"
      "Examples:\n  numctl team set Support --emergency-address HQ\n  numctl team set Support --no-emergency-address");
  command->add_option("TEAM", o->team, "The team")->required();
  auto* address = command->add_option("--emergency-address", o->address, "The default address's name");
  command->add_flag("--no-emergency-address", o->none, "Remove the default")->excludes(address);
  command->callback([&context, o] {
    if (o->address.empty() && !o->none)
      fail(ErrorCategory::invalid_input, "team set needs --emergency-address NAME or --no-emergency-address");
    EmergencyService(context.service())
        .set_team_address(o->team, o->none ? std::nullopt : std::optional(o->address), context.run());
    Out::print("{}team {}: default emergency address {}\n", context.dry_run ? "would be: " : "", o->team,
               o->none ? "none" : o->address);
  });
  return command;
}

}  // namespace numctl::cli
