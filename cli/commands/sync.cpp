// sync: where the ledger and the carrier disagree, and (as asked) making them agree.
#include "command_table.hpp"
#include "output/value.hpp"

#include <numctl/error.hpp>

namespace numctl::cli {
namespace {
Value numbers_of(const std::vector<NumberRecord>& records) {
  List out;
  for (const auto& r : records) out.emplace_back(Value(r.e164));
  return Value(std::move(out));
}
}  // namespace

CLI::App* register_sync(CLI::App& app, Context& context) {
  struct Options {
    bool adopt = false, release_orphans = false;
  };
  auto o = std::make_shared<Options>();
  auto* sync = app.add_subcommand("sync", "Compare the ledger with the carrier's list of numbers");
  sync->footer(
      "Three lists: numbers the carrier holds that the ledger lacks (--adopt imports them, active,\n"
      "unassigned, audited); numbers in service in the ledger the carrier does not hold (reported:\n"
      "they no longer ring); numbers released in the ledger the carrier still holds and bills\n"
      "(--release-orphans releases them at the carrier). Orders interrupted by a crash are settled first.\n"
      "Exit 0 when ledger and carrier agree, 4 when differences remain, 6 when the carrier fails.\n\n"
      "Examples:\n  numctl sync\n  numctl sync --adopt --release-orphans\n  numctl sync --json | jq '.missing | length'");
  sync->add_flag("--adopt", o->adopt, "Import numbers only the carrier holds");
  sync->add_flag("--release-orphans", o->release_orphans, "Release at the carrier numbers the ledger released");
  sync->callback([&context, o] {
    auto format = context.format();
    SyncOptions options{o->adopt, o->release_orphans};
    auto result = context.service().sync(options, context.run());
    if (is_json(format)) {
      List unknown, missing, orphans;
      for (const auto& h : result.unknown)
        unknown.emplace_back(Record{{"number", Value(h.e164)}, {"provider_ref", Value(h.provider_ref)}});
      for (const auto& r : result.missing)
        missing.emplace_back(Record{{"number", Value(r.e164)}, {"status", Value(to_string(r.status))}});
      for (const auto& r : result.orphans)
        orphans.emplace_back(Record{{"number", Value(r.e164)}, {"provider_ref", Value(r.provider_ref)}});
      write_json_line(Record{
          {"unknown", Value(std::move(unknown))},
          {"missing", Value(std::move(missing))},
          {"orphans", Value(std::move(orphans))},
          {"adopted", Value(static_cast<std::int64_t>(result.adopted))},
          {"released", Value(static_cast<std::int64_t>(result.released))},
          {"owed_released", Value(static_cast<std::int64_t>(result.retried.released.size() + result.retried.expired.size()))},
          {"in_sync", Value(result.in_sync())},
          {"prices_changed", Value([&] {
             std::int64_t changed = 0;
             for (const auto& line : result.prices.lines) changed += line.changed;
             return changed;
           }())},
          {"ported_in", numbers_of(result.ports.completed)},
          {"port_failed", numbers_of(result.ports.failed)},
          {"ported_out", numbers_of(result.ports.ported_out)},
          {"emergency_changed", numbers_of(result.emergency)},
          {"port_out_requests", Value(static_cast<std::int64_t>(result.ports.port_out_requests.size()))},
          {"dry_run", Value(context.dry_run)}});
    } else {
      const char* adopt = o->adopt ? (context.dry_run ? " (would adopt)" : " (adopted)") : " (numctl sync --adopt)";
      Out::print("held at the carrier, not in the ledger{}: {}\n", adopt, result.unknown.size());
      for (const auto& h : result.unknown) Out::print("  {}  {}\n", h.e164, h.provider_ref);
      Out::print("in service in the ledger, not held at the carrier (they no longer ring): {}\n", result.missing.size());
      for (const auto& r : result.missing) Out::print("  {}  {}\n", r.e164, to_string(r.status));
      if (!result.missing.empty())
        context.note("a number that left by port is not drift: numctl port-out record NUMBER --date DATE marks it ported_out");
      const char* release =
          o->release_orphans ? (context.dry_run ? " (would release)" : " (released)") : " (numctl sync --release-orphans)";
      Out::print("released in the ledger, still billed at the carrier{}: {}\n", release, result.orphans.size());
      for (const auto& r : result.orphans) Out::print("  {}  {}\n", r.e164, r.provider_ref.value_or(""));
      if (auto owed = result.retried.released.size() + result.retried.expired.size())
        Out::print("released {} numbers an earlier sweep still owed\n", owed);
      std::int64_t repriced = 0;
      for (const auto& line : result.prices.lines) repriced += line.changed;
      if (repriced) Out::print("prices changed at the carrier: {} numbers repriced (numctl cost)\n", repriced);
      const auto& ports = result.ports;
      if (!ports.completed.empty() || !ports.failed.empty() || !ports.ported_out.empty() || !ports.port_out_requests.empty())
        Out::print(
            "ports: {} ported in, {} failed, {} ported out to another carrier, {} port-out requests waiting (numctl due)\n",
            ports.completed.size(), ports.failed.size(), ports.ported_out.size(), ports.port_out_requests.size());
      if (!result.emergency.empty())
        Out::print("emergency registrations moved at the carrier: {} (numctl emergency gaps)\n", result.emergency.size());
      for (const auto& failed : result.prices.failed) context.note("prices of {} not read: {}", failed.number, failed.reason);
      Out::write(result.in_sync() ? "in sync\n" : "differences remain\n");
    }
    if (!result.failed.empty())
      throw Error(ErrorCategory::carrier,
                  fmt::format("{} numbers could not be settled at the carrier: {}: {}", result.failed.size(),
                              result.failed.front().number, result.failed.front().reason),
                  result.failed);
    if (!result.in_sync()) throw ExitWith{4};  // the report is the message
  });
  return sync;
}

}  // namespace numctl::cli
