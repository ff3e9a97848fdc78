// list, filter and search: stream matching numbers in the chosen format.
#include "command_table.hpp"
#include "output/writers.hpp"

#include <numctl/error.hpp>
#include <numctl/phone.hpp>

namespace numctl::cli {
namespace {

void run_listing(Context& context, const Filter& filter, const CriteriaOptions& o) {
  Sort sort = o.sort ? parse_sort(*o.sort) : Sort{};
  Page page{o.limit, o.offset};
  auto& inventory = context.inventory();  // opened first: a bad config or database prints no header
  auto writer = make_number_writer(context.format(), context.writer_options());
  inventory.for_each_number(filter, sort, page, [&](const NumberRecord& r) { writer->row(r); });
  writer->finish();
}

}  // namespace

CLI::App* register_list(CLI::App& app, Context& context) {
  auto options = std::make_shared<CriteriaOptions>();
  auto* list = app.add_subcommand("list", "List numbers not yet cancelled (--all includes them)");
  list->footer("Examples:\n  numctl list\n  numctl list --status red --format boxes\n  numctl list --sort release_at --format json | jq '.[].number'");
  add_criteria_options(*list, *options, true);
  list->callback([&context, options] { run_listing(context, build_filter(*options), *options); });
  return list;
}

CLI::App* register_filter(CLI::App& app, Context& context) {
  auto filter_options = std::make_shared<CriteriaOptions>();
  auto* filter = app.add_subcommand("filter", "Numbers matching every criterion given (values in one flag are OR-ed)");
  filter->footer("Examples:\n  numctl filter --country DE --type mobile --status active\n  numctl filter --team Sales --format plain | numctl cancel -");
  add_criteria_options(*filter, *filter_options, true);
  filter->callback([&context, filter_options] {
    Filter f = build_filter(*filter_options);
    if (!f.has_criteria())
      fail(ErrorCategory::invalid_input, "filter needs at least one criterion, e.g. --status active or --country DE (or use numctl list)");
    run_listing(context, f, *filter_options);
  });
  return filter;
}

CLI::App* register_search(CLI::App& app, Context& context) {
  auto search_options = std::make_shared<CriteriaOptions>();
  auto query = std::make_shared<std::string>();
  auto* search = app.add_subcommand("search", "Numbers whose digits contain QUERY (international or national form)");
  search->footer("A query in international form (leading + or 00) is anchored at the country code: +1 finds only\n"
                 "+1 numbers, '+1 8' those starting +18; a trunk prefix written (0) is left out ('+44 (0)20 7940').\n"
                 "Any other query matches anywhere in the international or national digits.\n\n"
                 "Examples:\n  numctl search 555\n  numctl search '030 1234' --country DE\n  numctl search +1-201 --format plain\n"
                 "  numctl search '+44 (0)20 7940'");
  search->add_option("QUERY", *query, "Digits to look for; spaces, dashes, dots and parentheses are ignored")->required();
  add_criteria_options(*search, *search_options, true);
  search->callback([&context, search_options, query] {
    Filter f = build_filter(*search_options);
    std::string digits = query_digits(*query);
    if (digits.empty()) fail(ErrorCategory::invalid_input, "search query '" + *query + "' has no digits");
    if (auto prefix = query_e164_prefix(*query); !prefix.empty()) f.e164_prefix = prefix;
    else f.digits = digits;
    run_listing(context, f, *search_options);
  });
  return search;
}

}  // namespace numctl::cli
