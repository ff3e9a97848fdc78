// provider check: which provider numctl buys from and releases to, and whether it answers.
#include "command_table.hpp"
#include "output/value.hpp"

#include <numctl/provider.hpp>

namespace numctl::cli {

CLI::App* register_provider(CLI::App& app, Context&) {
  auto* provider = app.add_subcommand("provider", "The provider numbers are bought from and released to");
  provider->require_subcommand(1);
  return provider;
}

CLI::App* register_provider_check(CLI::App& provider, Context& context) {
  auto* check = provider.add_subcommand("check", "Which provider and credentials (masked); one cheap authenticated call");
  check->footer(
      "Credentials come from the environment (TWILIO_ACCOUNT_SID with TWILIO_AUTH_TOKEN, or TWILIO_API_KEY and\n"
      "TWILIO_API_SECRET) or from [provider] credentials_file (mode 0600), never from the config file.\n"
      "Exit 0 when the carrier accepts them, 5 when it refuses them, 6 when it cannot be reached.\n\n"
      "Examples:\n  numctl provider check\n  numctl --config /etc/numctl/config.toml provider check --json");
  check->callback([&context] {
    auto format = context.format();
    const auto& settings = context.config().provider;
    if (settings.remote() && settings.insecure()) std::cerr << insecure_warning(settings) << '\n';
    std::string answer = make_provider(settings)->check();
    if (is_json(format)) {
      write_json_line(Record{{"provider", Value(std::string(to_string(settings.kind)))},
                             {"remote", Value(settings.remote())},
                             {"check", Value(answer)}});
      return;
    }
    Out::write(answer + "\n");
  });
  return check;
}

}  // namespace numctl::cli
