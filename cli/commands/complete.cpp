// __complete: the hidden helper shell completions call, answering from the command tree and
// the database. One word a line on stdout; never an error message (a completion stays quiet).
#include "command_table.hpp"

#include <numctl/emergency_service.hpp>

#include <numctl/domain.hpp>
#include <numctl/lifecycle.hpp>
#include <numctl/phone.hpp>
#include <numctl/query.hpp>
#include <numctl/text.hpp>

#include <algorithm>
#include <iostream>

namespace numctl::cli {
namespace {

void print_matching(const std::vector<std::string>& words, const std::string& prefix) {
  for (const auto& word : words)
    if (word.compare(0, prefix.size(), prefix) == 0) Out::write(word + "\n");
}

std::vector<std::string> visible_subcommands(const CLI::App& app) {
  std::vector<std::string> names;
  for (const auto* sub : app.get_subcommands([](const CLI::App* s) { return !s->get_group().empty(); }))
    names.push_back(sub->get_name());
  return names;
}

// Long and short flags of a command and of the commands above it (global options fall through).
std::vector<std::string> flags_of(const CLI::App* command) {
  std::vector<std::string> flags;
  auto add = [&](std::string flag) {
    if (std::find(flags.begin(), flags.end(), flag) == flags.end()) flags.push_back(std::move(flag));
  };
  for (const CLI::App* app = command; app != nullptr; app = app->get_parent()) {
    for (const auto* option : app->get_options()) {
      for (const auto& name : option->get_lnames()) add("--" + name);
      for (const auto& name : option->get_snames()) add("-" + name);
    }
  }
  return flags;
}

}  // namespace

CLI::App* register_complete(CLI::App& app, Context& context) {
  struct Options {
    std::string kind;
    std::vector<std::string> words;
  };
  auto o = std::make_shared<Options>();
  auto* complete = app.add_subcommand("__complete", "Answers shell completion (used by completions/)");
  complete->group("");  // hidden from --help
  complete->add_option("KIND", o->kind)->required();
  complete->add_option("WORDS", o->words);
  complete->allow_extras();
  complete->callback([&app, &context, o] {
    std::string prefix = o->words.empty() ? std::string() : o->words.back();
    const std::string& kind = o->kind;
    try {
      if (kind == "commands") {
        // __complete commands [COMMAND...] PREFIX: subcommands below the named path.
        const CLI::App* node = &app;
        for (std::size_t i = 0; i + 1 < o->words.size(); ++i) node = node->get_subcommand(o->words[i]);
        print_matching(visible_subcommands(*node), prefix);
      } else if (kind == "flags") {
        const CLI::App* node = &app;
        for (std::size_t i = 0; i + 1 < o->words.size(); ++i) node = node->get_subcommand(o->words[i]);
        print_matching(flags_of(node), prefix);
      } else if (kind == "statuses") {
        std::vector<std::string> names;
        for (Status s : all_statuses) names.emplace_back(to_string(s));
        print_matching(names, prefix);
      } else if (kind == "types") {
        std::vector<std::string> names;
        for (NumberType t : all_number_types) names.emplace_back(to_string(t));
        print_matching(names, prefix);
      } else if (kind == "formats") {
        std::vector<std::string> names;
        for (const auto& [format, name] : format_table) names.emplace_back(name);
        print_matching(names, prefix);
      } else if (kind == "colors") {
        print_matching({"auto", "always", "never"}, prefix);
      } else if (kind == "sorts") {
        std::vector<std::string> names;
        for (const auto& [field, name] : sort_field_table) names.emplace_back(name);
        print_matching(names, prefix);
      } else if (kind == "countries") {
        print_matching(known_countries(), text::upper(prefix));
      } else if (kind == "operands") {
        // __complete operands COMMAND [SUBCOMMAND] PREFIX: what the command's positional arguments
        // take, from the command table (files are left to the shell); numbers only in a status
        // the lifecycle table lets the command act on (restore offers to_be_cancelled ones).
        std::vector<std::string> path_words(o->words.begin(), o->words.end() - (o->words.empty() ? 0 : 1));
        const Command* command = find_command(path_words);
        if (command && command->operands == Operands::numbers) {
          std::string path;
          for (std::size_t i = 0; i + 1 < o->words.size(); ++i) path += (i ? " " : "") + o->words[i];
          auto action = action_of_command(path);
          auto numbers = action ? context.inventory().numbers_allowing(*action, prefix, 200)
                                : context.inventory().numbers_starting_with(prefix, 200);
          for (const auto& e164 : numbers) Out::write(e164 + "\n");
        } else if (command && command->operands == Operands::profiles) {
          std::vector<std::string> names;
          for (const auto& profile : context.service().compliance_profiles()) names.push_back(profile.name);
          print_matching(names, prefix);
        } else if (command && command->operands == Operands::addresses) {
          std::vector<std::string> names;
          for (const auto& a : EmergencyService(context.service()).addresses()) names.push_back(a.name);
          print_matching(names, prefix);
        } else if (command && command->operands == Operands::ports) {
          std::vector<std::string> names;
          for (const auto& order : context.service().port_orders(false)) names.push_back(order.reference);
          print_matching(names, prefix);
        }
      } else if (kind == "kinds") {
        // __complete kinds NUMBER PREFIX: the documents that number still needs (else all it needs).
        if (o->words.size() >= 2) {
          auto status = context.service().document_status(o->words.front());
          print_matching(status.missing.empty() ? status.required : status.missing, prefix);
        }
      } else if (kind == "numbers") {
        for (const auto& e164 : context.inventory().numbers_starting_with(prefix, 200)) Out::write(e164 + "\n");
      } else if (kind == "document_kinds") {
        // __complete document_kinds PROFILE PREFIX: KIND= for each document the profile's carrier
        // asks for, from the cached regulations (any profile's when PROFILE is not one yet).
        std::vector<std::string> kinds;
        for (const auto& name : context.service().document_kinds(o->words.size() >= 2 ? o->words.front() : ""))
          kinds.push_back(name + "=");
        print_matching(kinds, prefix);
      } else if (kind == "profiles") {
        std::vector<std::string> names;
        for (const auto& profile : context.service().compliance_profiles()) names.push_back(profile.name);
        print_matching(names, prefix);
      } else if (kind == "addresses") {
        std::vector<std::string> names;
        for (const auto& a : EmergencyService(context.service()).addresses()) names.push_back(a.name);
        print_matching(names, prefix);
      } else if (kind == "teams") {
        print_matching(context.inventory().team_names(), prefix);
      } else if (kind == "members") {
        print_matching(context.inventory().member_names(), prefix);
      }
    } catch (const std::exception&) {
      // No answer rather than noise in the operator's prompt.
    }
  });
  return complete;
}

}  // namespace numctl::cli
