// What the units of Service share: its transaction wrapper, progress reports, and the JSON
// details of audit entries.
#pragma once

#include "numctl/json.hpp"
#include "service/outbox.hpp"
#include "numctl/service.hpp"
#include "numctl/phone.hpp"

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

// The regulation a compliance profile follows among a carrier's for its country and type: the
// one for its end-user type (or the only one); refused when the carrier requires nothing.
const RegulationInfo& regulation_for(const std::vector<RegulationInfo>& regulations, const std::string& end_user,
                                     const std::string& country, NumberType type, const std::string& provider);

// A number as it first enters the ledger: its forms and country from libphonenumber, its type.
inline NumberRecord record_of(const ParsedNumber& parsed, NumberType type) {
  NumberRecord fresh;
  fresh.e164 = parsed.e164;
  fresh.display = parsed.display;
  fresh.national_digits = parsed.national_digits;
  fresh.country = parsed.country;
  fresh.type = type;
  return fresh;
}

// A file for a carrier: what docs submit checks, and a type carriers accept (PDF, PNG, JPEG).
std::pair<ProfileDocument, std::string> read_upload(const std::filesystem::path& file, std::uint64_t max_bytes);

inline Outbox Service::outbox() { return Outbox(store_, clock_); }

// A carrier's refusal for good (it answered 4xx, not 408 or 429; or numctl refused), as opposed
// to a carrier not reached or failing for now, which a later run retries.
inline bool carrier_refused(const Error& error) {
  if (error.category() == ErrorCategory::refused) return true;
  for (const auto& [key, value] : error.fields())
    if (key == "carrier_status") return value.size() == 3 && value[0] == '4' && value != "408" && value != "429";
  return false;
}

// Acts as someone else for a scope (the reputation policy, the carrier whose verdict moves a
// number): the audit rows written meanwhile name them, not the operator.
struct ActingAs {
  ActingAs(std::string& actor, std::string who) : actor_(actor), saved_(std::exchange(actor, std::move(who))) {}
  ~ActingAs() { actor_ = std::move(saved_); }
  ActingAs(const ActingAs&) = delete;
  ActingAs& operator=(const ActingAs&) = delete;

 private:
  std::string& actor_;
  std::string saved_;
};

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
