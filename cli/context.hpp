// What every command shares: global options, the lazily opened store with the library's write
// side (Service) and read side (Inventory) over it, and output settings.
#pragma once

#include "output/format.hpp"
#include "output/writers.hpp"

#include <numctl/clock.hpp>
#include <numctl/import.hpp>
#include <numctl/config.hpp>
#include <numctl/inventory.hpp>
#include <numctl/service.hpp>
#include <numctl/store.hpp>

#include <CLI/CLI.hpp>

#include <chrono>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace numctl::cli {

// What a command does with the database: nothing, reads it (a read-only file works), writes
// it, or may create it when it is missing (init, buy, import, team add, member add).
// read_or_empty: a missing SQLite file reads as an empty inventory, nothing created (available).
enum class DatabaseUse { none, read, read_or_empty, write, create };

// Thrown when a command has nothing to do (an empty stdin): numctl exits 0.
struct NothingToDo {};
// Thrown when a command has said all there is to say on stdout but must exit non-zero (sync: 4
// when differences remain).
struct ExitWith {
  int code;
};

struct GlobalOptions {
  std::optional<std::string> config_path;
  std::optional<std::string> db_path;
  std::optional<std::string> actor;
  std::optional<std::string> region;
  std::string format = "table";
  bool json = false;
  bool csv_raw = false;
  std::optional<std::string> columns;  // --columns for table, csv, plain
  bool no_header = false;
  std::string color = "auto";
  bool quiet = false;
  bool verbose = false;
  bool primary = false;  // PostgreSQL: read from the primary, not a standby
};

class Context {
public:
  GlobalOptions options;
  DatabaseUse database_use = DatabaseUse::write;  // set from the command table before parsing
  bool dry_run = false;                           // --dry-run, which the command table gives the commands that take it

  // The (sub)command the line runs, from its table row, once its words are parsed: its database
  // rule, and the formats it writes (any other --format is refused here, before it acts).
  void enter(std::string_view command, DatabaseUse use, FormatSet writes);

  // Opened on first use, so --version and --help never touch the disk.
  Service& service();
  Inventory& inventory();
  const Config& config();
  const Clock& clock();
  Format format() const;
  bool color() const;
  bool json_errors() const;
  // How number listings are written: colour, --csv-raw, --columns, --no-header, terminal width.
  WriterOptions writer_options() const;
  std::optional<std::string> region();
  // How a mutating call runs: the command's --dry-run, and a progress bar on a terminal.
  RunOptions run() const;

  // Numbers from the command line, or one a line from stdin when the only argument is "-".
  std::vector<std::string> numbers_from(const std::vector<std::string>& arguments) const;
  // The result of a mutating command: objects of the list schema for json/ndjson, CSV rows,
  // E.164 lines for plain, else one line each from `describe` (prefixed "would be:" under
  // --dry-run). A batch of more than a screenful on a terminal, or any batch under --quiet, gets
  // the one line of `summarize` instead (per-number lines again with --verbose).
  using Summary = std::function<std::string(const std::vector<NumberRecord>&)>;
  void print_changes(const std::vector<NumberRecord>& records, const std::function<std::string(const NumberRecord&)>& describe,
                     const Summary& summarize = {});
  // Who the audit names: --actor, else $NUMCTL_ACTOR, $USER, the account.
  std::string actor_name() const;
  // A line for the operator on stderr, unless --quiet.
  void note(const std::string& line) const;
  template <typename... Args>
  void note(fmt::format_string<Args...> format, Args&&... args) const {
    if (!options.quiet) note(fmt::format(format, std::forward<Args>(args)...));
  }
  // The configured database itself, for commands that move it whole (migrate).
  Store& open_store();
  // Whether a command that succeeded may end without tearing down (context.cpp).
  bool may_exit_at_once() const;

 private:
  std::string_view command_;  // the table row's name, for messages
  FormatSet writes_ = ~FormatSet(0);

  std::optional<Config> config_;
  std::unique_ptr<Clock> clock_;
  std::unique_ptr<Store> store_;
  std::unique_ptr<Service> service_;
  std::unique_ptr<Inventory> inventory_;
};

// Writes `content` to a new file of mode 0600, never through a symbolic link. An existing file
// is refused (exit 4) unless `overwrite`; nothing is left behind when the write fails.
void write_private_file(const std::string& path, std::string_view content, bool overwrite);
// Said on stderr by --verbose and provider check when credentials travel over plain http://.
std::string insecure_warning(const ProviderSettings& provider);

// A file of rows (import, reputation import) and its format: --input-format, else the file's
// extension, else (stdin) its first character.
std::pair<std::string, ImportFormat> read_rows_file(const std::string& file, const std::string& format_option);

// A `prune` subcommand: --older-than AGE (required), `prune` removing what is older than now
// minus AGE and answering how many, reported as {"<key>": N, "before": ..., "dry_run": ...} or
// "removed N <what> before ...". `cut` shortens the time shown (10: the day).
struct PruneCommand {
  std::string_view help, footer, key, what;
  std::size_t cut = 20;
  std::function<std::int64_t(TimePoint before)> prune;
};
CLI::App* add_prune_command(CLI::App& parent, Context& context, PruneCommand command);

// "7d", "36h", "2w", or days: for --within and --since.
std::chrono::seconds parse_duration(const std::string& text, const std::string& option);
// "2026-01-31", "2026-01-31T09:00:00Z", "today", "yesterday" (midnight UTC), or a duration back
// from now ("7d"), as ISO 8601: for --since and --until.
std::string parse_time(const std::string& text, const std::string& option, TimePoint now);

// Options shared by listing commands (list, filter, search, stats) bound into a Filter.
struct CriteriaOptions {
  std::string status, type, country, team, member, risk, emergency, emergency_address;
  std::optional<int> score_above, score_below;
  std::optional<int> idle_days;
  std::optional<std::string> min_price;
  bool assigned = false, unassigned = false, all = false;
  std::optional<std::string> sort;
  std::optional<std::int64_t> limit;
  std::int64_t offset = 0;
};
void add_criteria_options(CLI::App& command, CriteriaOptions& options, bool with_paging);
Filter build_filter(const CriteriaOptions& options);

}  // namespace numctl::cli
