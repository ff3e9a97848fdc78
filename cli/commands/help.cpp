// help [COMMAND...]: the same text as COMMAND --help, for people who type it the other way round.
#include "command_table.hpp"

#include <numctl/error.hpp>
#include <numctl/suggest.hpp>

namespace numctl::cli {

CLI::App* register_help(CLI::App& app, Context&) {
  auto words = std::make_shared<std::vector<std::string>>();
  auto* help = app.add_subcommand("help", "Show help for a command, e.g. numctl help buy");
  help->add_option("COMMAND", *words, "Command (and subcommand) to explain");
  help->callback([&app, words] {
    CLI::App* node = &app;
    std::string path = "numctl";
    for (const auto& word : *words) {
      CLI::App* next = nullptr;
      try {
        next = node->get_subcommand(word);
      } catch (const CLI::OptionNotFound&) {
      }
      if (next == nullptr || next->get_group().empty()) {
        std::vector<std::string> names;
        for (const auto* sub : node->get_subcommands([](const CLI::App* s) { return !s->get_group().empty(); }))
          names.push_back(sub->get_name());
        std::string message = "no command '" + word + "'";
        if (auto close = closest_match(word, names)) message += "; did you mean '" + *close + "'?";
        fail(ErrorCategory::invalid_input, message);
      }
      node = next;
      path += " " + node->get_name();
    }
    // Straight from the formatter: App::help() would describe `help` itself, the command parsed.
    // With no word, numctl's own help: the list of commands.
    Out::write(node->get_formatter()->make_help(node, path,
                                                CLI::AppFormatMode::Normal));
  });
  return help;
}

}  // namespace numctl::cli
