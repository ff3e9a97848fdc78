// What the units of Service share: its transaction wrapper, progress reports, and the JSON
// details of audit entries.
#pragma once

#include "numctl/json.hpp"
#include "service/outbox.hpp"
#include "numctl/service.hpp"

#include <initializer_list>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace numctl {

template <typename Work>
auto Service::in_transaction(const RunOptions& run, Work&& work) {
  Store::Transaction transaction(store_);
  auto result = work();
  if (run.dry_run == DryRun::no) transaction.commit();
  return result;
}

inline Outbox Service::outbox() { return Outbox(store_, clock_); }

inline void report(const RunOptions& run, std::string_view activity, std::size_t done, std::size_t total) {
  if (run.progress) run.progress(activity, done, total);
}

// Appends {"key":"value",...} from the (key, optional value) pairs whose value is present: the
// one writer of audit details and outbox payloads.
template <typename Fields>
void append_fields(std::string& out, const Fields& fields) {
  out += '{';
  bool first = true;
  for (const auto& [key, value] : fields) {
    if (!value) continue;
    if (!first) out += ',';
    first = false;
    json::append_string(out, key);
    out += ':';
    json::append_string(out, *value);
  }
  out += '}';
}

template <typename Value>
void append_details(std::string& out, std::initializer_list<std::pair<std::string_view, Value>> fields) {
  append_fields(out, fields);
}

inline std::string details(std::initializer_list<std::pair<std::string_view, std::optional<std::string>>> fields) {
  std::string out;
  append_details(out, fields);
  return out;
}

// Details built in parts (an action's own fields, then what the carrier said), written once.
struct AuditDetails {
  std::vector<std::pair<std::string_view, std::optional<std::string>>> fields;

  AuditDetails& operator+=(const AuditDetails& more) {
    fields.insert(fields.end(), more.fields.begin(), more.fields.end());
    return *this;
  }
  std::string json() const {
    std::string out;
    append_fields(out, fields);
    return out;
  }
};

}  // namespace numctl
