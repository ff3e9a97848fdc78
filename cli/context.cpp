// Lazily opened configuration, store and service shared by the commands.
#include "context.hpp"

#include "output/writers.hpp"

#include <numctl/error.hpp>
#include <numctl/import.hpp>
#include <numctl/text.hpp>

#include <cctype>
#include <cerrno>
#include <cstring>
#include <fcntl.h>
#include <cstdio>
#include <cstdlib>
#include <iostream>
#include <pwd.h>
#include <unistd.h>

namespace numctl::cli {

using text::env;

namespace {
// The account of the effective uid: cron and systemd services run without $USER.
std::string account_name() {
  if (const passwd* entry = ::getpwuid(::geteuid()); entry != nullptr && entry->pw_name != nullptr) return entry->pw_name;
  return "uid " + std::to_string(::geteuid());
}
}  // namespace

const Config& Context::config() {
  if (!config_) {
    std::optional<std::filesystem::path> flag;
    if (options.config_path) flag = *options.config_path;
    auto located = locate_config(flag);
    // A file named by --config or $NUMCTL_CONFIG that is not there yet: say how to make one.
    std::error_code ec;
    if (located && !std::filesystem::exists(*located, ec) && !ec)
      fail(ErrorCategory::config, "no config file at " + located->string() + " (named by " +
                                      (flag ? std::string("--config") : std::string("$NUMCTL_CONFIG")) +
                                      "): create it with numctl init, or " +
                                      (flag ? "leave out --config" : "unset NUMCTL_CONFIG") + " to use the defaults");
    config_ = located ? load_config(*located) : default_config();
    // --region applies to every number typed in national form, like default_region.
    if (options.region) config_->default_region = text::upper(*options.region);
    // --db names a SQLite file and wins; else the environment, then the config file.
    auto url = env("NUMCTL_DATABASE_URL");
    // A server's URL there would otherwise become a SQLite file at a path like "postgresql:/...".
    auto sqlite_file = [](const std::string& text, const char* named_by) {
      if (DatabaseLocation::parse(text).is_server())
        fail(ErrorCategory::invalid_input, std::string(named_by) +
                                               " names a SQLite file, not a PostgreSQL server: give the server's URL in "
                                               "NUMCTL_DATABASE_URL or the config's [database] url");
      return DatabaseLocation::file(text);
    };
    if (options.db_path) {
      config_->database = sqlite_file(*options.db_path, "--db");
    } else if (auto db = env("NUMCTL_DB")) {
      if (url)
        fail(ErrorCategory::config, "both NUMCTL_DB (a SQLite file) and NUMCTL_DATABASE_URL (PostgreSQL) are set: unset one");
      config_->database = sqlite_file(*db, "NUMCTL_DB");
    } else if (url) {
      auto server = DatabaseLocation::server(*url);
      if (!server)
        fail(ErrorCategory::config,
             "NUMCTL_DATABASE_URL must be a PostgreSQL URL (postgresql://user@host/dbname) or a "
             "libpq keyword string (host=... dbname=...); a SQLite file goes in NUMCTL_DB");
      config_->database = *server;
    }
  }
  return *config_;
}

const Clock& Context::clock() {
  if (!clock_) {
    if (auto now = env("NUMCTL_NOW")) {
      auto at = parse_iso8601(*now);
      if (!at) fail(ErrorCategory::invalid_input, "NUMCTL_NOW='" + *now + "' is not an ISO 8601 time such as 2026-01-31T09:00:00Z");
      clock_ = std::make_unique<FixedClock>(*at);
    } else {
      clock_ = std::make_unique<SystemClock>();
    }
  }
  return *clock_;
}

Store& Context::open_store() {
  if (!store_) {
    const Config& cfg = config();
    if (options.verbose) {
      note("config: " + (cfg.source ? cfg.source->string() : std::string("built-in defaults (no config file)")));
      note("database: " + cfg.database.shown());
    }
    Store::OpenOptions open;
    open.create = database_use == DatabaseUse::create;
    open.read_only = database_use == DatabaseUse::read || database_use == DatabaseUse::read_or_empty;
    open.empty_if_missing = database_use == DatabaseUse::read_or_empty;
    open.primary = options.primary;
    open.read_url = cfg.database_read_url;
    store_ = Store::open(cfg.database, open);
    if (options.verbose && cfg.database.is_server()) note("database: connected to " + store_->connected_to());
  }
  return *store_;
}

// A read of a SQLite file that succeeded has nothing left to write: the operating system releases
// the file and its locks, so the teardown (closing the store, freeing what the command built, the
// exit handlers: 150,000 of a short listing's 3.1 M instructions) is skipped. Not a server's
// connection, closed properly so that the server logs no client lost, and not under the
// sanitizers, whose leak check runs at exit.
bool Context::may_exit_at_once() const {
#if defined(__SANITIZE_ADDRESS__)
  return false;
#else
  bool reads = database_use == DatabaseUse::read || database_use == DatabaseUse::read_or_empty;
  return reads && store_ && config_ && !config_->database.is_server();
#endif
}

std::string Context::actor_name() const {
  return options.actor ? *options.actor : env("NUMCTL_ACTOR").value_or(env("USER").value_or(account_name()));
}

Service& Context::service() {
  if (!service_) {
    const Clock& clk = clock();  // a bad NUMCTL_NOW is reported before the database is touched
    Store& opened = open_store();
    std::string actor = actor_name();
    if (options.verbose) {
      note("actor: " + actor);
      // The carrier and where it is reached; its credentials only ever masked (provider check).
      const auto& provider = config().provider;
      note("provider: " + std::string(to_string(provider.kind)) +
           (provider.base_url ? " at " + *provider.shown_base_url() : std::string()) +
           (provider.credentials_file ? ", credentials from " + provider.credentials_file->string()
            : provider.remote()       ? ", credentials from the environment"
                                      : std::string()));
      if (provider.remote() && provider.insecure()) note(insecure_warning(provider));
    }
    service_ = std::make_unique<Service>(opened, config(), clk, actor);
  }
  return *service_;
}

Inventory& Context::inventory() {
  if (!inventory_) inventory_ = std::make_unique<Inventory>(open_store(), config().reputation, clock());
  return *inventory_;
}

RunOptions Context::run() const {
  RunOptions run{dry_run ? DryRun::yes : DryRun::no, {}};
  // Progress only for an operator watching a terminal, and only when it is worth a bar.
  if (!options.quiet && ::isatty(STDERR_FILENO) == 1) {
    run.progress = [last = std::string(), shown = std::size_t(101)](std::string_view activity, std::size_t done,
                                                                     std::size_t total) mutable {
      if (total < 1000) return;
      std::size_t percent = done * 100 / total;
      if (percent == shown && activity == last && done != total) return;
      shown = percent;
      last = activity;
      std::string bar(percent / 4, '#');
      bar.resize(25, ' ');
      std::fprintf(stderr, "\r%-10.*s [%s] %zu/%zu", static_cast<int>(activity.size()), activity.data(), bar.c_str(), done, total);
      if (done == total) std::fputc('\n', stderr);
      std::fflush(stderr);
    };
  }
  return run;
}

std::optional<std::string> Context::region() {
  if (options.region) return options.region;
  return config().default_region;
}

Format Context::format() const {
  if (options.json && text::lower(options.format) != "table" && text::lower(options.format) != "json")
    fail(ErrorCategory::invalid_input, "--json and --format " + options.format + " ask for two formats; give one");
  Format chosen = options.json ? Format::json : parse_format(text::lower(options.format));
  if ((writes_ & format_bit(chosen)) != 0) return chosen;
  std::vector<std::string> names;
  for (const auto& [known, name] : format_table)
    if ((writes_ & format_bit(known)) != 0) names.emplace_back(name);
  fail(ErrorCategory::invalid_input, "numctl " + std::string(command_) + " does not write " + std::string(format_name(chosen)) +
                                         " (it writes " + text::join(names, ", ") + ")");
}

void Context::enter(std::string_view command, DatabaseUse use, FormatSet writes) {
  command_ = command;
  database_use = use;
  writes_ = writes;
  // lifecycle's --format dot is its own; every other format is checked before the command acts.
  if ((writes & dot_graph) != 0 && !options.json && text::lower(options.format) == "dot") return;
  format();
}

bool Context::json_errors() const {
  if (options.json) return true;
  auto f = try_parse_format(options.format);
  return f && (*f == Format::json || *f == Format::ndjson);
}

WriterOptions Context::writer_options() const {
  WriterOptions out;
  out.color = color();
  out.csv_raw = options.csv_raw;
  if (options.columns) out.columns = parse_columns(*options.columns);
  out.header = !options.no_header;
  // Cut to the terminal only for a person looking at one (or when COLUMNS says how wide).
  if (::isatty(STDOUT_FILENO) == 1 || env("COLUMNS")) out.width = static_cast<std::size_t>(terminal_width());
  return out;
}

bool Context::color() const {
  if (options.color == "always") return true;
  if (options.color == "never") return false;
  if (env("NO_COLOR")) return false;
  if (auto term = env("TERM"); term && *term == "dumb") return false;
  return ::isatty(STDOUT_FILENO) == 1;
}

std::vector<std::string> Context::numbers_from(const std::vector<std::string>& arguments) const {
  if (arguments.size() == 1 && arguments[0] == "-") {
    // Read whole, as import reads a file, then split: std::getline on std::cin took 2,000
    // instructions a line.
    std::string text = read_import_file("-");
    std::vector<std::string> numbers;
    for (std::string_view rest = text; !rest.empty();) {
      auto end = rest.find('\n');
      std::string_view line = rest.substr(0, end);
      rest = end == std::string_view::npos ? std::string_view() : rest.substr(end + 1);
      if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
      auto start = line.find_first_not_of(" \t");
      if (start == std::string_view::npos || line[start] == '#') continue;
      numbers.emplace_back(line.substr(start));
    }
    // An empty pipe (a filter that matched nothing) is nothing to do, not an error: so
    // `numctl filter ... | numctl cancel -` works under `set -o pipefail`.
    if (numbers.empty()) {
      note("nothing to do: no numbers on stdin");
      throw NothingToDo{};
    }
    return numbers;
  }
  for (const auto& a : arguments)
    if (a == "-") fail(ErrorCategory::invalid_input, "'-' (read numbers from stdin) must be the only number argument");
  // `numctl buy +49 30 901820`: the shell split one number into three. A country code alone is
  // never a number, so say what happened rather than refuse three numbers.
  auto is_group = [](const std::string& a) {
    return !a.empty() && a.find_first_not_of("0123456789-().") == std::string::npos;
  };
  for (std::size_t i = 0; i + 1 < arguments.size(); ++i) {
    const auto& a = arguments[i];
    if (a.size() < 2 || a.size() > 4 || a[0] != '+' || a.find_first_not_of("0123456789", 1) != std::string::npos) continue;
    std::string joined = a;
    for (std::size_t j = i + 1; j < arguments.size() && is_group(arguments[j]); ++j) joined += " " + arguments[j];
    if (joined != a)
      fail(ErrorCategory::invalid_input, "'" + joined + "' looks like one number split by the shell at its spaces: quote it ('" +
                                             joined + "'), or write it without spaces");
  }
  return arguments;
}

void Context::print_changes(const std::vector<NumberRecord>& records,
                            const std::function<std::string(const NumberRecord&)>& describe, const Summary& summarize) {
  Format f = format();
  if (f != Format::table && f != Format::boxes) {
    WriterOptions plain = writer_options();
    plain.color = false;
    auto writer = make_number_writer(f, plain);
    for (const auto& record : records) writer->row(record);
    writer->finish();
    return;
  }
  Style style{color()};
  // A thousand lines scroll away what matters: on a terminal a long batch is one line.
  constexpr std::size_t screenful = 10;
  bool per_number = options.verbose || (!options.quiet && !(records.size() > screenful && ::isatty(STDOUT_FILENO) == 1));
  if (per_number) {
    for (const auto& record : records)
      Out::print("{} {}{}\n", style.dot(record.status), dry_run ? "would be: " : "", describe(record));
  } else if (!records.empty()) {
    std::string line = summarize ? summarize(records) : "changed " + std::to_string(records.size()) + " numbers";
    Out::print("{}{}{}\n", dry_run ? "would be: " : "", line, options.quiet ? "" : " (--verbose lists each)");
  }
  if (dry_run) note("dry run: nothing was changed");
}

std::string insecure_warning(const ProviderSettings& provider) {
  return "warning: credentials go to " + text::url_host(provider.base_url.value_or("")) +
         " in clear text (http://, allow_insecure_http = true): use https:// outside a trusted network";
}

void Context::note(const std::string& line) const {
  if (!options.quiet) std::cerr << line << '\n';
}

void write_private_file(const std::string& path, std::string_view content, bool overwrite) {
  int flags = O_WRONLY | O_CREAT | O_NOFOLLOW | O_CLOEXEC | (overwrite ? O_TRUNC : O_EXCL);
  int fd = ::open(path.c_str(), flags, 0600);
  if (fd < 0) {
    int error = errno;
    if (error == EEXIST)
      fail(ErrorCategory::refused, path + " already exists; pass --force to overwrite it, or choose another name");
    if (error == ELOOP)
      fail(ErrorCategory::refused, path + " is a symbolic link; numctl does not write through links");
    fail(ErrorCategory::invalid_input, "cannot create " + path + ": " + std::strerror(error));
  }
  std::size_t done = 0;
  while (done < content.size()) {
    ssize_t n = ::write(fd, content.data() + done, content.size() - done);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) {
      int error = errno;
      ::close(fd);
      ::unlink(path.c_str());
      fail(ErrorCategory::invalid_input, "cannot write " + path + ": " + std::strerror(error));
    }
    done += static_cast<std::size_t>(n);
  }
  if (::close(fd) != 0) {
    int error = errno;
    ::unlink(path.c_str());
    fail(ErrorCategory::invalid_input, "cannot write " + path + ": " + std::strerror(error));
  }
}

}  // namespace numctl::cli
