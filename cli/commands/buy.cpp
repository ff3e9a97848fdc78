// available and buy: find numbers at the provider and buy them.
#include "command_table.hpp"
#include "output/columns.hpp"
#include "output/table.hpp"
#include "output/value.hpp"
#include "output/writers.hpp"

#include <numctl/error.hpp>
#include <numctl/money.hpp>
#include <numctl/query.hpp>
#include <numctl/text.hpp>

namespace numctl::cli {
namespace {

std::optional<NumberType> type_option(const std::string& text) {
  if (text.empty()) return std::nullopt;
  auto types = parse_type_list(text);
  if (types.size() != 1) fail(ErrorCategory::invalid_input, "--type takes one type here: local, mobile or toll_free");
  return types.front();
}

std::optional<Assignee> assignee_option(const std::string& team, const std::string& member) {
  if (!team.empty()) return Assignee{Assignee::Kind::team, team};
  if (!member.empty()) return Assignee{Assignee::Kind::member, member};
  return std::nullopt;
}

// The offers: the list schema for JSON (then what the carrier says of each number), a table of
// what the carrier says beside what a purchase would make of it, else a number listing.
void print_offers(Context& context, const std::vector<Offer>& offers, std::optional<NumberType> type) {
  Format format = context.format();
  if (is_json(format)) {
    // The list schema, then what the carrier says about each number.
    List items;
    for (const auto& offer : offers) {
      Record record = number_record(context.service().purchase_preview(offer.e164, type));
      record.emplace_back("locality", offer.locality.empty() ? Value() : Value(offer.locality));
      record.emplace_back("capabilities", Value(offer.capabilities));
      items.emplace_back(std::move(record));
    }
    write_json_list(format, items);
  } else if (format == Format::table || format == Format::boxes) {
    // What the carrier says about each number, beside what a purchase would make of it.
    List rows;
    for (const auto& offer : offers) {
      auto preview = context.service().purchase_preview(offer.e164, type);
      std::string capabilities;
      for (const auto& c : offer.capabilities) capabilities += (capabilities.empty() ? "" : ",") + c;
      std::optional<std::string> price;
      if (preview.monthly_price && preview.currency) price = format_money({*preview.monthly_price, *preview.currency});
      rows.emplace_back(Record{{"number", Value(preview.e164)},
                               {"display", Value(preview.display)},
                               {"type", Value(to_string(preview.type))},
                               {"status", Value(to_string(preview.status))},
                               {"locality", offer.locality.empty() ? Value() : Value(offer.locality)},
                               {"capabilities", Value(capabilities)},
                               {"monthly_price", Value(price)}});
    }
    write_rows(format,
               {{"display", "NUMBER", 18},
                {"type", "TYPE", 10},
                {"status", "STATUS", 9},
                {"locality", "LOCALITY", 18, {}, "—"},
                {"capabilities", "CAPABILITIES", 14},
                {"monthly_price", "MONTHLY", 10, TextColumn::Align::left, "—"}},
               rows, context.writer_options());
  } else {
    auto writer = make_number_writer(format, context.writer_options());
    for (const auto& offer : offers) writer->row(context.service().purchase_preview(offer.e164, type));
    writer->finish();
  }
}

}  // namespace

CLI::App* register_available(CLI::App& app, Context& context) {
  struct AvailableOptions {
    std::string country, type, contains, area_code, locality, capabilities;
    std::size_t limit = 10;
  };
  auto a = std::make_shared<AvailableOptions>();
  auto* available = app.add_subcommand("available", "Numbers the provider offers now");
  available->footer("Examples:\n  numctl available --country DE --type local\n  numctl available --country US --contains 555 --format plain | head -3 | numctl buy -");
  available->add_option("--country", a->country, "Country code, e.g. DE")->required();
  available->add_option("--type", a->type, "local, mobile or toll_free (default: any)");
  available->add_option("--contains", a->contains, "Digits the number must contain");
  available->add_option("--limit", a->limit, "At most N numbers (default 10)")->check(CLI::Range(1, 1000));
  available->add_option("--area-code", a->area_code, "A carrier's area code filter (e.g. 415)");
  available->add_option("--locality", a->locality, "City or region, as the carrier names it");
  available->add_option("--capability", a->capabilities, "Capabilities the number must have: voice,sms,mms");
  available->callback([&context, a] {
    AvailabilityRequest request;
    request.country = a->country;
    request.type = type_option(a->type);
    request.contains = a->contains;
    request.limit = a->limit;
    request.area_code = a->area_code;
    request.locality = a->locality;
    for (const auto& c : text::split(a->capabilities, ','))
      if (auto name = text::lower(text::trim(c)); !name.empty()) {
        if (name != "voice" && name != "sms" && name != "mms")
          fail(ErrorCategory::invalid_input, "unknown capability '" + name + "' (voice, sms, mms)");
        request.capabilities.push_back(name);
      }
    std::size_t skipped = 0;
    auto offers = context.service().offers(request, &skipped);
    if (skipped > 0)
      context.note("left out {} offer{} of {} that are not valid phone numbers", skipped, skipped == 1 ? "" : "s",
                   to_string(context.config().provider.kind));
    print_offers(context, offers, request.type);
    if (offers.empty()) context.note("no matching numbers are available");
  });
  return available;
}

CLI::App* register_buy(CLI::App& app, Context& context) {
  struct BuyOptionsCli {
    std::vector<std::string> numbers;
    std::string country, type, contains, team, member;
    std::optional<std::string> label, compliance;
    std::size_t count = 1;
    bool force = false, when_approved = false;
    std::optional<std::string> max_price;
  };
  auto b = std::make_shared<BuyOptionsCli>();
  auto* buy = app.add_subcommand("buy", "Buy numbers: by number, or the provider's next ones for a country and type");
  buy->footer(
      "A number becomes pending when its country's regulation asks for documents, else active.\n"
      "Numbers released as high risk (retired as spam) are never picked, and bought by number only with --force.\n"
      "With a carrier, the batch is checked first, then each number is ordered there and enters the inventory\n"
      "when its order completes; a number the carrier refuses is not bought (exit 6), those ordered stay.\n"
      "Where the regulator asks for documents, a carrier decides: Twilio sells such numbers only with an approved\n"
      "bundle (numctl compliance), picked for the country and type or named with --compliance; without one the\n"
      "purchase is refused before any order (exit 4), or --when-approved waits (pending) for the bundle in review.\n"
      "Telnyx takes the order with the requirement group and holds the number (pending) until it approves.\n\n"
      "Each number records its monthly price (the carrier's, or [prices] in the config); --max-price refuses\n"
      "the batch when a number costs more (exit 4).\n\n"
      "Examples:\n  numctl buy +4930123456 --team Support\n  numctl buy --country US --type toll_free --count 2 --label "
      "'Hotline'\n"
      "  numctl available --country GB --format plain | head -1 | numctl buy -");
  buy->add_option("NUMBER", b->numbers, "Numbers to buy, or - to read them from stdin");
  buy->add_option("--country", b->country, "Buy the provider's next numbers in this country");
  buy->add_option("--type", b->type, "local, mobile or toll_free");
  buy->add_option("--count", b->count, "How many (with --country; default 1)")->check(CLI::Range(1, 10000));
  buy->add_option("--contains", b->contains, "Digits the bought numbers must contain (with --country)");
  auto* team = buy->add_option("--team", b->team, "Assign to this team");
  buy->add_option("--member", b->member, "Assign to this member")->excludes(team);
  buy->add_option("--label", b->label, "A label, e.g. 'Berlin office'");
  buy->add_option("--compliance", b->compliance, "The compliance profile (bundle, requirement group) to order with");
  buy->add_flag("--when-approved", b->when_approved,
                "A bundle still in review: record the number now (pending) and order it once the bundle is approved");
  buy->add_option("--max-price", b->max_price,
                  "Refuse any number costing more than AMOUNT a month (in its currency), or whose price is unknown");
  buy->add_flag("--force", b->force,
                "Buy a number that was released as high risk (carriers may still label it spam); never picked by --country");
  buy->callback([&context, b] {
    auto& service = context.service();
    RunOptions run = context.run();
    BuyOptions options{.assignee = assignee_option(b->team, b->member),
                       .label = b->label,
                       .type = type_option(b->type),
                       .region = context.region(),
                       .force = b->force,
                       .compliance = b->compliance,
                       .when_approved = b->when_approved,
                       .max_price = b->max_price};
    std::vector<Bought> bought;
    if (!b->country.empty()) {
      if (!b->numbers.empty()) fail(ErrorCategory::invalid_input, "give either numbers or --country, not both");
      if (b->type.empty()) fail(ErrorCategory::invalid_input, "buy --country needs --type local|mobile|toll_free");
      AvailabilityRequest request;
      request.country = b->country;
      request.type = options.type;
      request.contains = b->contains;
      request.limit = b->count;
      bought = service.buy_from_provider(request, b->count, options, run);
    } else {
      if (b->numbers.empty()) fail(ErrorCategory::invalid_input, "name the numbers to buy, or pass --country CC --type T");
      bought = service.buy(context.numbers_from(b->numbers), options, run);
    }
    std::vector<NumberRecord> records;
    for (const auto& item : bought) records.push_back(item.record);
    context.print_changes(
        records,
        [&](const NumberRecord& r) {
          std::string line = fmt::format("bought {} ({}, {}): {}", r.display, r.country, to_string(r.type), to_string(r.status));
          auto out = std::back_inserter(line);
          if (r.monthly_price && r.currency) fmt::format_to(out, ", {} a month", format_money({*r.monthly_price, *r.currency}));
          for (const auto& item : bought)
            if (item.record.e164 == r.e164 && !item.required_documents.empty())
              fmt::format_to(out, " — documents required: {} (numctl docs submit {} --kind KIND --file PATH)",
                             text::join(item.required_documents, ", "), r.e164);
          if (r.team) fmt::format_to(out, ", team {}", *r.team);
          if (r.member) fmt::format_to(out, ", member {}", *r.member);
          return line;
        },
        [](const std::vector<NumberRecord>& records) {
          std::size_t pending = 0;
          for (const auto& r : records) pending += r.status == Status::pending;
          return fmt::format("bought {} numbers{}", records.size(),
                             pending ? fmt::format("; {} pending until their documents are approved (numctl filter "
                                                   "--status pending)",
                                                   pending)
                                     : "");
        });
  });
  return buy;
}

}  // namespace numctl::cli
