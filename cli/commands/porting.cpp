// port-in create/list/show/update/refresh/cancel/complete and port-out list/approve/reject/
// record: numbers that arrive from another carrier, and numbers that leave to one.
#include "command_table.hpp"
#include "output/value.hpp"

#include <numctl/error.hpp>
#include <numctl/text.hpp>

#include <iostream>

namespace numctl::cli {
namespace {

Value optional_text(const std::string& text) { return text.empty() ? Value() : Value(text); }

Record port_record(const PortView& view) {
  const auto& o = view.order;
  List numbers, carrier_orders, history;
  for (const auto& n : view.numbers)
    numbers.emplace_back(Record{{"number", Value(n.e164)},
                                {"status", Value(to_string(n.status))},
                                {"team", Value(n.team)},
                                {"member", Value(n.member)},
                                {"provider_ref", Value(n.provider_ref)}});
  for (const auto& c : view.carrier_orders)
    carrier_orders.emplace_back(Record{{"ref", optional_text(c.ref)},
                                       {"status", Value(to_string(c.state))},
                                       {"carrier_status", optional_text(c.carrier_status)},
                                       {"foc_date", optional_text(c.foc_date)},
                                       {"reason", optional_text(c.reason)},
                                       {"numbers", Value(c.numbers)},
                                       {"ported", Value(c.ported)}});
  for (const auto& h : view.history) history.emplace_back(Value(h));
  return Record{{"order", Value(view.reference)},
                {"provider", Value(o.provider)},
                {"status", Value(to_string(o.state))},
                {"carrier_status", optional_text(o.carrier_status)},
                {"foc_date", Value(o.foc_date)},
                {"reason", Value(o.reason)},
                {"numbers", Value(std::move(numbers))},
                {"carrier_orders", Value(std::move(carrier_orders))},
                {"name", optional_text(view.name)},
                {"address", optional_text(view.address)},
                {"email", optional_text(view.email)},
                {"requested_date", optional_text(view.requested_date)},
                {"pin", optional_text(view.pin)},
                {"account_number", optional_text(view.account_number)},
                {"loa", Value(o.loa_name)},
                {"invoice", Value(o.invoice_name)},
                {"history", Value(std::move(history))},
                {"created_at", Value(o.created_at)},
                {"updated_at", Value(o.updated_at)}};
}

void print_port(Context& context, const PortView& view, std::string_view did) {
  if (is_json(context.format())) return write_json_line(port_record(view));
  const auto& o = view.order;
  Out::print("{}{} at {}: {}{}\n", did, view.reference, o.provider, to_string(o.state),
             o.carrier_status.empty() ? "" : fmt::format(" ({})", printable(o.carrier_status)));
  if (o.foc_date) Out::print("  cut-over (FOC): {}\n", *o.foc_date);
  if (o.reason) Out::print("  reason: {}\n", printable(*o.reason));
  Out::print("  customer: {}{}\n", printable(view.name), view.address.empty() ? "" : ", " + printable(view.address));
  if (!view.pin.empty() || !view.account_number.empty())
    Out::print("  pin {}, account {}\n", view.pin.empty() ? "-" : view.pin,
               view.account_number.empty() ? "-" : view.account_number);
  for (const auto& n : view.numbers)
    Out::print("  {} {:<16} {}{}\n", Style{context.color()}.dot(n.status), n.display, to_string(n.status),
               n.member ? "  " + printable(*n.member)
               : n.team ? "  " + printable(*n.team)
                        : "");
  if (view.carrier_orders.size() > 1 || (view.carrier_orders.size() == 1 && !view.carrier_orders[0].ref.empty()))
    for (const auto& c : view.carrier_orders)
      Out::print("  order {}: {} ({}){}{} — {}\n", printable(c.ref), to_string(c.state), printable(c.carrier_status),
                 c.foc_date.empty() ? "" : ", FOC " + c.foc_date, c.reason.empty() ? "" : ", " + printable(c.reason),
                 text::join(c.numbers, " "));
  for (const auto& h : view.history) Out::print("  {}\n", printable(h));
}

struct PortOptions {
  std::vector<std::string> numbers;
  std::string loa, invoice, team, member;
  PortInRequest request;
};

void add_details(CLI::App* command, PortOptions& o) {
  command->add_option("--loa", o.loa, "The signed letter of authorization (PDF, PNG or JPEG)");
  command->add_option("--invoice", o.invoice, "A recent invoice or utility bill of the losing carrier");
  command->add_option("--name", o.request.name, "The customer exactly as the losing carrier has them");
  command->add_option("--address", o.request.address,
                      "\"STREET, CITY, REGION, POSTAL CODE[, COUNTRY]\" as the losing carrier has it");
  command->add_option("--email", o.request.email, "Who signs the LOA and hears of the port (required at Twilio)");
  command->add_option("--pin", o.request.pin, "The losing carrier's port-out PIN (sent to the carrier, never shown)");
  command->add_option("--account-number", o.request.account_number, "The account number at the losing carrier (never shown)");
  command->add_option("--requested-date", o.request.requested_date, "The cut-over date asked for, YYYY-MM-DD");
}

PortInRequest request_of(Context& context, PortOptions& o) {
  PortInRequest request = o.request;
  if (!o.numbers.empty()) request.numbers = context.numbers_from(o.numbers);
  if (!o.loa.empty()) request.loa = o.loa;
  if (!o.invoice.empty()) request.invoice = o.invoice;
  if (!o.team.empty()) request.assignee = Assignee{Assignee::Kind::team, o.team};
  if (!o.member.empty()) request.assignee = Assignee{Assignee::Kind::member, o.member};
  return request;
}

Record port_out_record(const PortOut& p) {
  return Record{{"id", Value(p.id)},
                {"provider", Value(p.provider)},
                {"status", Value(p.status)},
                {"numbers", Value(p.numbers)},
                {"carrier", optional_text(p.carrier_name)},
                {"foc_date", optional_text(p.foc_date)},
                {"reason", optional_text(p.reason)},
                {"read_at", Value(p.read_at)},
                {"answered_at", Value(p.answered_at)}};
}

void print_port_out(Context& context, const PortOut& p, std::string_view did) {
  if (is_json(context.format())) return write_json_line(port_out_record(p));
  Out::print("{}{} ({}): {} to {}{}{}\n", did, printable(p.id), p.provider, p.status,
             p.carrier_name.empty() ? "another carrier" : printable(p.carrier_name),
             p.foc_date.empty() ? "" : ", FOC " + p.foc_date, " — " + text::join(p.numbers, " "));
}

}  // namespace

CLI::App* register_port_in(CLI::App& app, Context&) {
  auto* command = app.add_subcommand("port-in", "Bring numbers from another carrier: port-in orders and their course");
  command->require_subcommand(1);
  command->footer(
      "A number on a port-in order is porting_in: it does not ring here yet, but it can be assigned ahead of the\n"
      "cut-over (the FOC date) so that it rings for the right team from the first minute. It turns active when the\n"
      "port completes (pending where the country still asks for documents), cancelled if the order fails for good.\n"
      "With a carrier the order is made there (Telnyx porting orders, Twilio Porting API) and read back by\n"
      "port-in refresh and sync; offline providers keep the order here and port-in complete finishes it.\n\n"
      "Examples:\n"
      "  numctl port-in create +13125550100 +13125550101 --loa loa.pdf --name 'Acme Inc' \\\n"
      "      --address '1 Main St, Springfield, IL, 62701' --email ops@acme.example --team Support\n"
      "  numctl port-in list\n  numctl port-in refresh     # from cron, hourly\n  numctl due");
  return command;
}

CLI::App* register_port_in_create(CLI::App& parent, Context& context) {
  auto o = std::make_shared<PortOptions>();
  auto* command = parent.add_subcommand("create", "Order numbers in from their current carrier");
  command->footer(
      "Every number is checked first (valid, not held; the carrier's portability check where it has one) and the\n"
      "whole order is refused, naming each offender, if one fails. The LOA (and invoice) are kept in the database;\n"
      "the PIN and account number only until the carrier has them, and are masked in every output.\n"
      "A crash after the carrier made the order is repaired by port-in refresh, which finds it by its reference.\n\n"
      "Examples:\n"
      "  numctl port-in create +13125550100 --loa loa.pdf --name 'Acme Inc' --address '1 Main St, Springfield, IL, 62701' \\\n"
      "      --email ops@acme.example --pin 1234 --account-number 99-1 --requested-date 2027-01-15 --team Support\n"
      "  numctl port-in create - --loa loa.pdf --name 'Acme Inc' --address '...' --format json < numbers.txt");
  command->add_option("NUMBER", o->numbers, "Numbers, or - to read them from stdin")->required();
  add_details(command, *o);
  auto* team = command->add_option("--team", o->team, "Route the numbers to this team from the first minute");
  command->add_option("--member", o->member, "Route the numbers to this member")->excludes(team);
  command->callback([&context, o] {
    auto view = context.service().create_port_in(request_of(context, *o), context.run());
    print_port(context, view, context.dry_run ? "would create " : "created ");
    if (!context.dry_run && !is_json(context.format()))
      context.note(view.order.state == PortState::creating
                       ? fmt::format("not made at {} yet: numctl port-in refresh finishes it", view.order.provider)
                       : fmt::format("numctl port-in show {} follows it; numctl due lists its cut-over", view.reference));
  });
  return command;
}

CLI::App* register_port_in_list(CLI::App& parent, Context& context) {
  auto all = std::make_shared<bool>(false);
  auto* command = parent.add_subcommand("list", "Port-in orders still moving (--all: every one)");
  command->add_flag("--all", *all, "Ported and cancelled orders too");
  command->callback([&context, all] {
    auto orders = context.service().port_orders(*all);
    if (is_json(context.format())) {
      List items;
      for (const auto& v : orders) items.emplace_back(port_record(v));
      return write_json_list(context.format(), items);
    }
    for (const auto& v : orders)
      Out::print("{:<8}  {:<7}  {:<13}  {:>3} numbers  {:<20}  {}\n", v.reference, v.order.provider, to_string(v.order.state),
                 v.numbers.size(), v.order.foc_date.value_or("-"), printable(v.order.reason.value_or(v.order.carrier_status)));
    if (orders.empty()) context.note(*all ? "no port-in orders" : "no port-in order is open (--all shows every one)");
  });
  return command;
}

CLI::App* register_port_in_show(CLI::App& parent, Context& context) {
  auto reference = std::make_shared<std::string>();
  auto* command = parent.add_subcommand("show", "An order: its numbers, cut-over date, the carrier's reason and history");
  command->add_option("ORDER", *reference, "port-N, as port-in list names it")->required();
  command->callback([&context, reference] { print_port(context, context.service().port_view(*reference), ""); });
  return command;
}

CLI::App* register_port_in_update(CLI::App& parent, Context& context) {
  auto o = std::make_shared<PortOptions>();
  auto reference = std::make_shared<std::string>();
  auto* command = parent.add_subcommand("update", "Correct an order's details (after an exception) and send them again");
  command->footer(
      "An exception usually names a detail that does not match the losing carrier's record (the name, the address,\n"
      "the PIN): correct it here. Telnyx takes the change on its orders; Twilio changes no request once made (cancel it\n"
      "and create it again).\n\n"
      "Examples:\n  numctl port-in update port-7 --address '1 Main Street, Springfield, IL, 62701'\n"
      "  numctl port-in update port-7 --pin 4321");
  command->add_option("ORDER", *reference, "port-N")->required();
  add_details(command, *o);
  command->callback([&context, o, reference] {
    print_port(context, context.service().update_port_in(*reference, request_of(context, *o), context.run()),
               context.dry_run ? "would update " : "updated ");
  });
  return command;
}

CLI::App* register_port_in_refresh(CLI::App& parent, Context& context) {
  auto* command = parent.add_subcommand("refresh", "Read every open order and the carrier's port-outs; move what they decide");
  command->footer(
      "Ported numbers turn active with their team and the carrier's id; numbers of a cancelled order turn\n"
      "cancelled; an order a crash left half-made is found by its reference and finished (never made twice);\n"
      "numbers another carrier ported away turn ported_out. numctl sync does the same before it compares.\n\n"
      "Examples:\n  numctl port-in refresh\n  numctl port-in refresh --json | jq '.completed'");
  command->callback([&context] {
    auto result = context.service().refresh_ports(context.run());
    if (is_json(context.format())) {
      List orders, completed, failed, ported_out, requests, errors;
      for (const auto& v : result.orders) orders.emplace_back(port_record(v));
      for (const auto& n : result.completed) completed.emplace_back(Value(n.e164));
      for (const auto& n : result.failed) failed.emplace_back(Value(n.e164));
      for (const auto& n : result.ported_out) ported_out.emplace_back(Value(n.e164));
      for (const auto& p : result.port_out_requests) requests.emplace_back(port_out_record(p));
      for (const auto& e : result.errors) errors.emplace_back(Record{{"order", Value(e.number)}, {"reason", Value(e.reason)}});
      write_json_line(Record{{"orders", Value(std::move(orders))},
                             {"completed", Value(std::move(completed))},
                             {"failed", Value(std::move(failed))},
                             {"ported_out", Value(std::move(ported_out))},
                             {"port_out_requests", Value(std::move(requests))},
                             {"errors", Value(std::move(errors))},
                             {"dry_run", Value(context.dry_run)}});
    } else {
      for (const auto& v : result.orders) print_port(context, v, "");
      for (const auto& n : result.completed) Out::print("ported in {}: {}\n", n.display, to_string(n.status));
      for (const auto& n : result.failed) Out::print("port failed {}: cancelled\n", n.display);
      for (const auto& n : result.ported_out) Out::print("ported out {}\n", n.display);
      for (const auto& p : result.port_out_requests) print_port_out(context, p, "waiting for an answer: ");
      for (const auto& e : result.errors) std::cerr << "numctl: " << e.number << ": " << printable(e.reason) << '\n';
      context.note("read {} open order{}; {} number{} ported in, {} failed, {} ported out", result.orders.size(),
                   result.orders.size() == 1 ? "" : "s", result.completed.size(), result.completed.size() == 1 ? "" : "s",
                   result.failed.size(), result.ported_out.size());
    }
    if (!result.errors.empty())
      throw Error(ErrorCategory::carrier, fmt::format("{} order{} could not be read at the carrier; run it again",
                                                      result.errors.size(), result.errors.size() == 1 ? "" : "s"));
  });
  return command;
}

CLI::App* register_port_in_cancel(CLI::App& parent, Context& context) {
  auto reference = std::make_shared<std::string>();
  auto* command = parent.add_subcommand("cancel", "Withdraw an order: its numbers that have not arrived turn cancelled");
  command->add_option("ORDER", *reference, "port-N")->required();
  command->callback([&context, reference] {
    print_port(context, context.service().cancel_port_in(*reference, context.run()),
               context.dry_run ? "would cancel " : "cancelled ");
  });
  return command;
}

CLI::App* register_port_in_complete(CLI::App& parent, Context& context) {
  auto reference = std::make_shared<std::string>();
  auto numbers = std::make_shared<std::vector<std::string>>();
  auto* command = parent.add_subcommand("complete", "Offline providers: the port happened (every number, or those given)");
  command->footer(
      "With a carrier the carrier decides when a port completes (numctl port-in refresh reads it).\n\n"
      "Examples:\n  numctl port-in complete port-3\n  numctl port-in complete port-3 --number +13125550100");
  command->add_option("ORDER", *reference, "port-N")->required();
  command->add_option("--number", *numbers, "Only these numbers of the order arrived");
  command->callback([&context, reference, numbers] {
    print_port(context, context.service().complete_port_in(*reference, *numbers, context.run()),
               context.dry_run ? "would complete " : "completed ");
  });
  return command;
}

CLI::App* register_port_out(CLI::App& app, Context&) {
  auto* command = app.add_subcommand("port-out", "Numbers leaving to another carrier: requests to answer, departures to record");
  command->require_subcommand(1);
  command->footer(
      "Telnyx lists port-out requests (port-in refresh and sync read them): one waiting for the account's answer is\n"
      "in numctl due, and is answered with approve or reject. A number ported away turns ported_out: not billed,\n"
      "kept with its history. Twilio tells of a port-out only by webhook: record it with port-out record.\n\n"
      "Examples:\n  numctl port-out list\n  numctl port-out reject 0f1e... --reason 'PIN does not match'\n"
      "  numctl port-out record +13125550100 --date 2026-12-01 --carrier 'Other Telco'");
  return command;
}

CLI::App* register_port_out_list(CLI::App& parent, Context& context) {
  auto* command = parent.add_subcommand("list", "Port-out requests as last read from the carrier");
  command->callback([&context] {
    auto requests = context.service().port_out_requests();
    if (is_json(context.format())) {
      List items;
      for (const auto& p : requests) items.emplace_back(port_out_record(p));
      return write_json_list(context.format(), items);
    }
    for (const auto& p : requests) print_port_out(context, p, "");
    if (requests.empty()) context.note("no port-out requests read (numctl port-in refresh reads them at Telnyx)");
  });
  return command;
}

namespace {
CLI::App* answer_command(CLI::App& parent, Context& context, const char* name, bool approve) {
  auto id = std::make_shared<std::string>();
  auto reason = std::make_shared<std::string>();
  auto* command = parent.add_subcommand(
      name, approve ? "Authorize a port-out request waiting for the account" : "Refuse a port-out request, with the reason");
  command->add_option("REQUEST", *id, "The request's id, as port-out list and due show it")->required();
  command->add_option("--reason", *reason, "Why (the carrier passes it on)")->required();
  command->callback([&context, id, reason, approve] {
    print_port_out(context, context.service().answer_port_out(*id, approve, *reason, context.run()),
                   context.dry_run ? "would answer " : "answered ");
  });
  return command;
}
}  // namespace

CLI::App* register_port_out_approve(CLI::App& parent, Context& context) {
  return answer_command(parent, context, "approve", true);
}
CLI::App* register_port_out_reject(CLI::App& parent, Context& context) {
  return answer_command(parent, context, "reject", false);
}

CLI::App* register_port_out_record(CLI::App& parent, Context& context) {
  struct Options {
    std::vector<std::string> numbers;
    std::string date, carrier;
  };
  auto o = std::make_shared<Options>();
  auto* command = parent.add_subcommand("record", "Numbers that left by port, as you learnt it: ported_out");
  command->footer(
      "For carriers that tell of a port-out only by webhook or letter (Twilio), and for the offline providers.\n"
      "All or nothing, as every batch action.\n\n"
      "Examples:\n  numctl port-out record +13125550100 --date 2026-12-01 --carrier 'Other Telco'");
  command->add_option("NUMBER", o->numbers, "Numbers, or - to read them from stdin")->required();
  command->add_option("--date", o->date, "When it left, YYYY-MM-DD (default: now)");
  command->add_option("--carrier", o->carrier, "The carrier it went to");
  command->callback([&context, o] {
    auto changed = context.service().record_port_out(
        context.numbers_from(o->numbers), o->date.empty() ? std::nullopt : std::optional(o->date),
        o->carrier.empty() ? std::nullopt : std::optional(o->carrier), context.run());
    context.print_changes(
        changed, [](const NumberRecord& r) { return fmt::format("ported out {}", r.display); },
        [](const std::vector<NumberRecord>& records) { return fmt::format("ported out {} numbers", records.size()); });
  });
  return command;
}

}  // namespace numctl::cli
