// Operations on the inventory: each asks the lifecycle table, writes in one transaction and
// appends to the audit history.
#include "numctl/service.hpp"
#include "numctl/error.hpp"
#include "numctl/json.hpp"
#include "numctl/phone.hpp"
#include "memory.hpp"
#include "text.hpp"

#include <dlfcn.h>
#include <openssl/evp.h>

#include <algorithm>
#include <atomic>
#include <mutex>
#include <thread>
#include <fstream>
#include <set>
#include <sstream>
#include <unordered_map>
#include <unordered_set>

namespace numctl {
namespace {

// SHA-256 from OpenSSL's libcrypto, loaded when a document is stored: mapping libcrypto costs
// every start of numctl about a millisecond, and only `docs submit` needs it.
std::string sha256_hex(const std::string& data) {
  static const auto digest_function = [] {
    void* handle = ::dlopen("libcrypto.so.3", RTLD_NOW | RTLD_LOCAL);
    if (handle == nullptr) fail(ErrorCategory::internal, "cannot load libcrypto.so.3 to checksum documents; install libssl3");
    auto digest = reinterpret_cast<decltype(&EVP_Digest)>(::dlsym(handle, "EVP_Digest"));
    auto sha256 = reinterpret_cast<decltype(&EVP_sha256)>(::dlsym(handle, "EVP_sha256"));
    if (digest == nullptr || sha256 == nullptr) fail(ErrorCategory::internal, "libcrypto.so.3 lacks EVP_Digest or EVP_sha256");
    return std::pair{digest, sha256};
  }();
  unsigned char digest[EVP_MAX_MD_SIZE];
  unsigned int length = 0;
  digest_function.first(data.data(), data.size(), digest, &length, digest_function.second(), nullptr);
  static constexpr char hex[] = "0123456789abcdef";
  std::string out;
  for (unsigned int i = 0; i < length; ++i) {
    out += hex[digest[i] >> 4];
    out += hex[digest[i] & 0xf];
  }
  return out;
}

// Appends {"key":"value",...} from the pairs whose value is present.
template <typename Value>
void append_details(std::string& out, std::initializer_list<std::pair<std::string_view, Value>> fields) {
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

std::string details(std::initializer_list<std::pair<std::string_view, std::optional<std::string>>> fields) {
  std::string out;
  append_details(out, fields);
  return out;
}

void check_name(std::string_view what, const std::string& name) {
  if (text::trim(name).empty()) fail(ErrorCategory::invalid_input, std::string(what) + " name must not be empty");
  if (name.size() > 100) fail(ErrorCategory::invalid_input, std::string(what) + " name is longer than 100 characters");
  for (char c : name)
    if (static_cast<unsigned char>(c) < 0x20 || c == 0x7f)
      fail(ErrorCategory::invalid_input, std::string(what) + " name must not contain control characters");
}

void check_free_text(std::string_view what, const std::optional<std::string>& value) {
  if (!value) return;
  if (value->size() > 500) fail(ErrorCategory::invalid_input, std::string(what) + " is longer than 500 characters");
  for (char c : *value)
    if ((static_cast<unsigned char>(c) < 0x20 && c != '\t') || c == 0x7f)
      fail(ErrorCategory::invalid_input, std::string(what) + " must not contain control characters");
}

// Raises one error naming every offender; the category of the first decides the exit code.
[[noreturn]] void fail_batch(const std::vector<std::pair<ErrorCategory, std::string>>& offenders, std::size_t total,
                             std::string_view verb) {
  // One line an operator can read: the first offenders, then how many more.
  constexpr std::size_t shown = 20;
  std::vector<std::string> messages;
  for (std::size_t i = 0; i < offenders.size() && i < shown; ++i) messages.push_back(offenders[i].second);
  if (offenders.size() > shown) messages.push_back("and " + std::to_string(offenders.size() - shown) + " more");
  std::string head = total == 1 ? std::string()
                                : std::to_string(offenders.size()) + " of " + std::to_string(total) + " numbers refused, nothing " +
                                      std::string(verb) + ": ";
  fail(offenders.front().first, head + text::join(messages, "; "));
}

}  // namespace

Service::Service(Store& store, Config config, const Clock& clock, std::string actor)
    : store_(store), config_(std::move(config)), clock_(clock), actor_(std::move(actor)) {}

std::string Service::now_iso() const { return format_iso8601(clock_.now()); }

Provider& Service::provider() {
  if (!provider_) provider_ = make_provider(config_.provider);
  return *provider_;
}

template <typename Work>
auto Service::in_transaction(Work&& work) {
  Store::Transaction transaction(store_);
  auto result = work();
  if (!dry_run_) transaction.commit();
  return result;
}

std::string Service::canonical_e164(std::string_view input, const std::optional<std::string>& region) const {
  std::string trimmed(text::trim(input));
  // Canonical input needs no parsing: owned numbers were validated when they were stored.
  if (looks_like_e164(trimmed)) return trimmed;
  return parse_phone_number(trimmed, region ? region : config_.default_region).e164;
}

NumberRecord Service::resolve(std::string_view input, const std::optional<std::string>& region) {
  std::string e164 = canonical_e164(input, region);
  auto record = store_.find_number(e164);
  if (!record) fail(ErrorCategory::not_found, e164 + " is not in the inventory (see numctl list, or numctl buy it)");
  return *record;
}

std::vector<Action> Service::allowed_actions(const NumberRecord& record) const {
  return lifecycle::allowed_actions(record.status);
}

const Transition& Service::require_transition(const NumberRecord& record, Action action) const {
  const Transition* transition = lifecycle::find(action, record.status);
  if (!transition) fail(ErrorCategory::refused, lifecycle::refusal_message(record.display, record.status, action));
  return *transition;
}

void Service::record_audit(const std::string& number, Action action, std::optional<Status> from,
                           std::optional<Status> to, std::string_view details_json) {
  AuditEntry entry{now_iso(), actor_, std::string(to_string(action)), number,
                   from ? std::optional<std::string>(std::string(to_string(*from))) : std::nullopt,
                   to ? std::optional<std::string>(std::string(to_string(*to))) : std::nullopt,
                   std::string(details_json)};
  store_.append_audit(entry);
}

void Service::apply(NumberRecord& record, const Transition& transition, std::string_view details_json) {
  Status from = record.status;
  // Only a purchase depends on regulation; other transitions skip the lookup (batches are hot).
  bool documents_required = transition.target == Target::by_regulation &&
                            !config_.required_documents_for(record.country, record.type).empty();
  record.status = lifecycle::target_status(transition, from, record.previous_status, documents_required);
  store_.update_number(record);
  record_audit(record.e164, transition.action, from, record.status, details_json);
}

std::vector<NumberRecord> Service::for_each_owned(const std::vector<std::string>& inputs, Action action,
                                                  const std::function<void(NumberRecord&)>& step) {
  if (inputs.empty()) fail(ErrorCategory::invalid_input, "no numbers given (pass numbers, or - to read them from stdin)");
  return in_transaction([&] {
    store_.expect_scattered_changes(inputs.size());
    std::vector<NumberRecord> changed;
    std::vector<std::pair<ErrorCategory, std::string>> offenders;
    std::unordered_set<std::string> seen;
    std::size_t done = 0;
    for (const auto& input : inputs) {
      report(to_string(action), ++done, inputs.size());
      try {
        NumberRecord record = resolve(input);
        if (!seen.insert(record.e164).second) continue;
        require_transition(record, action);
        step(record);
        changed.push_back(std::move(record));
      } catch (const Error& error) {
        if (error.category() == ErrorCategory::database || error.category() == ErrorCategory::internal) throw;
        offenders.emplace_back(error.category(), error.what());
      }
    }
    if (!offenders.empty()) fail_batch(offenders, inputs.size(), "changed");
    return changed;
  });
}

std::int64_t Service::require_team(std::string_view name) {
  if (auto id = store_.team_id(name)) return *id;
  std::string message = "no team named '" + std::string(name) + "'";
  if (auto close = closest_match(name, store_.team_names())) message += "; did you mean '" + *close + "'?";
  else message += " (create it with numctl team add)";
  fail(ErrorCategory::not_found, message);
}

std::int64_t Service::require_member(std::string_view name) {
  if (auto id = store_.member_id(name)) return *id;
  std::string message = "no member named '" + std::string(name) + "'";
  if (auto close = closest_match(name, store_.member_names())) message += "; did you mean '" + *close + "'?";
  else message += " (create it with numctl member add)";
  fail(ErrorCategory::not_found, message);
}

void Service::set_assignee(NumberRecord& record, const std::optional<Assignee>& assignee) {
  if (!assignee) {
    store_.set_assignment(record.id, std::nullopt, std::nullopt);
    record.team.reset();
    record.member.reset();
    return;
  }
  if (assignee->kind == Assignee::Kind::team) {
    store_.set_assignment(record.id, require_team(assignee->name), std::nullopt);
  } else {
    store_.set_assignment(record.id, std::nullopt, require_member(assignee->name));
  }
  if (auto fresh = store_.find_number(record.e164)) {
    record.team = fresh->team;
    record.member = fresh->member;
  }
}

// ---- buying ----------------------------------------------------------------------------------

Bought Service::buy_one(const ParsedNumber& parsed, const BuyOptions& options, std::optional<NumberType> type) {
  auto existing = store_.find_number(parsed.e164);
  std::optional<Status> from = existing ? std::optional<Status>(existing->status) : std::nullopt;
  const Transition* transition = lifecycle::find(Action::buy, from);
  if (!transition)
    fail(ErrorCategory::refused, parsed.display + " is already owned (status " + std::string(to_string(*from)) +
                                     "); see numctl show " + parsed.e164);
  NumberRecord record = existing ? *existing : NumberRecord{};
  NumberType number_type = type ? *type : existing ? existing->type : NumberType::local;
  auto required = config_.required_documents_for(parsed.country, number_type);
  std::string now = now_iso();
  NumberRecord fresh;
  fresh.id = record.id;
  fresh.e164 = parsed.e164;
  fresh.display = parsed.display;
  fresh.national_digits = parsed.national_digits;
  fresh.country = parsed.country;
  fresh.type = number_type;
  fresh.status = lifecycle::target_status(*transition, Status::active, std::nullopt, !required.empty());
  fresh.label = options.label;
  fresh.bought_at = now;
  if (fresh.status == Status::active) fresh.activated_at = now;
  if (existing) store_.update_number(fresh);
  else store_.insert_number(fresh);
  set_assignee(fresh, options.assignee);
  record_audit(fresh.e164, Action::buy, from, fresh.status,
               details({{"type", std::string(to_string(number_type))},
                        {"team", fresh.team},
                        {"member", fresh.member},
                        {"label", fresh.label},
                        {"required_documents", required.empty() ? std::nullopt : std::optional(text::join(required, ","))}}));
  return {fresh, required};
}

namespace {
// Our type for a parsed number: libphonenumber's when it is sure, else the one asked for.
std::optional<NumberType> settle_type(const ParsedNumber& parsed, std::optional<NumberType> asked, std::string& problem) {
  if (parsed.type) {
    if (asked && *asked != *parsed.type) {
      problem = parsed.display + " is a " + std::string(to_string(*parsed.type)) + " number, not " +
                std::string(to_string(*asked));
      return std::nullopt;
    }
    return parsed.type;
  }
  if (asked) {
    if (parsed.type_detail == "fixed line or mobile" && *asked == NumberType::toll_free) {
      problem = parsed.display + " is a fixed line or mobile number, not toll_free";
      return std::nullopt;
    }
    return asked;
  }
  problem = parsed.display + " is a " + parsed.type_detail + " number; say which type it is with --type " +
            (parsed.type_detail == "fixed line or mobile" ? "local|mobile" : "local|mobile|toll_free");
  return std::nullopt;
}
}  // namespace

std::vector<Bought> Service::buy(const std::vector<std::string>& inputs, const BuyOptions& options) {
  if (inputs.empty()) fail(ErrorCategory::invalid_input, "no numbers given (pass numbers, or --country and --type)");
  check_free_text("label", options.label);
  return in_transaction([&] {
    if (options.assignee) {
      if (options.assignee->kind == Assignee::Kind::team) require_team(options.assignee->name);
      else require_member(options.assignee->name);
    }
    std::vector<Bought> bought;
    std::vector<std::pair<ErrorCategory, std::string>> offenders;
    std::unordered_set<std::string> seen;
    for (const auto& input : inputs) {
      try {
        ParsedNumber parsed = parse_phone_number(input, options.region ? options.region : config_.default_region);
        if (!seen.insert(parsed.e164).second) {
          offenders.emplace_back(ErrorCategory::invalid_input, parsed.display + " is given twice");
          continue;
        }
        std::string problem;
        auto type = settle_type(parsed, options.type, problem);
        if (!type) fail(ErrorCategory::invalid_input, problem);
        bought.push_back(buy_one(parsed, options, type));
      } catch (const Error& error) {
        if (error.category() == ErrorCategory::database || error.category() == ErrorCategory::internal) throw;
        offenders.emplace_back(error.category(), error.what());
      }
    }
    if (!offenders.empty()) fail_batch(offenders, inputs.size(), "bought");
    return bought;
  });
}

std::vector<std::string> Service::available(const AvailabilityRequest& request) {
  if (!is_known_country(request.country))
    fail(ErrorCategory::invalid_input, "unknown country '" + request.country + "': use an ISO 3166-1 code such as DE or US");
  AvailabilityRequest normalised = request;
  normalised.country = text::upper(request.country);
  for (char c : request.contains)
    if (!std::isdigit(static_cast<unsigned char>(c)))
      fail(ErrorCategory::invalid_input, "--contains takes digits only, got '" + request.contains + "'");
  return provider().available(normalised, [&](const std::string& e164) {
    auto record = store_.find_number(e164);
    return record && record->status != Status::cancelled;
  });
}

std::vector<Bought> Service::buy_from_provider(const AvailabilityRequest& request, std::size_t count,
                                               const BuyOptions& options) {
  if (count == 0 || count > 10000) fail(ErrorCategory::invalid_input, "--count must be from 1 to 10000");
  AvailabilityRequest wanted = request;
  wanted.limit = count;
  auto numbers = available(wanted);
  if (numbers.size() < count)
    fail(ErrorCategory::not_found, "the " + std::string(provider().name()) + " provider offers " +
                                       std::to_string(numbers.size()) + " matching numbers, " + std::to_string(count) +
                                       " were asked for; nothing bought");
  BuyOptions typed = options;
  typed.type = request.type;
  return buy(numbers, typed);
}

// ---- assignment, risk, cancellation ------------------------------------------------------------

std::vector<NumberRecord> Service::assign(const std::vector<std::string>& inputs, const Assignee& assignee) {
  return for_each_owned(inputs, Action::assign, [&](NumberRecord& record) {
    const auto& transition = require_transition(record, Action::assign);
    set_assignee(record, assignee);
    apply(record, transition,
          details({{assignee.kind == Assignee::Kind::team ? "team" : "member", assignee.name}}));
  });
}

std::vector<NumberRecord> Service::unassign(const std::vector<std::string>& inputs) {
  return for_each_owned(inputs, Action::unassign, [&](NumberRecord& record) {
    const auto& transition = require_transition(record, Action::unassign);
    auto before = details({{"team", record.team}, {"member", record.member}});
    set_assignee(record, std::nullopt);
    apply(record, transition, before);
  });
}

std::vector<NumberRecord> Service::flag(const std::vector<std::string>& inputs, const std::optional<std::string>& reason) {
  check_free_text("reason", reason);
  return for_each_owned(inputs, Action::flag, [&](NumberRecord& record) {
    record.risk_reason = reason;
    apply(record, require_transition(record, Action::flag), details({{"reason", reason}}));
  });
}

std::vector<NumberRecord> Service::unflag(const std::vector<std::string>& inputs) {
  return for_each_owned(inputs, Action::unflag, [&](NumberRecord& record) {
    auto before = details({{"reason", record.risk_reason}});
    record.risk_reason.reset();
    apply(record, require_transition(record, Action::unflag), before);
  });
}

std::vector<NumberRecord> Service::cancel(const std::vector<std::string>& inputs, const std::optional<std::string>& reason) {
  check_free_text("reason", reason);
  auto now = clock_.now();
  std::string release = format_iso8601(now + std::chrono::days(config_.cancellation_grace_days));
  return for_each_owned(inputs, Action::cancel, [&](NumberRecord& record) {
    const auto& transition = require_transition(record, Action::cancel);
    record.previous_status = record.status;
    record.cancel_reason = reason;
    record.cancel_requested_at = format_iso8601(now);
    Status target = lifecycle::target_status(transition, record.status, record.previous_status, false);
    // Still reachable during the grace period so customers can call; a withdrawn order is gone now.
    record.release_at = target == Status::to_be_cancelled ? release : format_iso8601(now);
    apply(record, transition, details({{"reason", reason}, {"release_at", record.release_at}}));
    if (record.status == Status::cancelled) set_assignee(record, std::nullopt);
  });
}

std::vector<NumberRecord> Service::restore(const std::vector<std::string>& inputs) {
  return for_each_owned(inputs, Action::restore, [&](NumberRecord& record) {
    const auto& transition = require_transition(record, Action::restore);
    auto before = details({{"release_at", record.release_at}, {"replaced_by", record.replaced_by}});
    apply(record, transition, before);
    record.previous_status.reset();
    record.cancel_reason.reset();
    record.cancel_requested_at.reset();
    record.release_at.reset();
    record.replaced_by.reset();
    store_.update_number(record);
  });
}

std::vector<Replacement> Service::replace(const std::vector<std::string>& inputs, const std::optional<std::string>& with) {
  if (with && inputs.size() != 1) fail(ErrorCategory::invalid_input, "--with names the new number of one replacement; give one number");
  std::vector<Replacement> replacements;
  for_each_owned(inputs, Action::replace, [&](NumberRecord& record) { replacements.push_back(replace_one(record, with)); });
  return replacements;
}

Replacement Service::replace_one(NumberRecord& old_number, const std::optional<std::string>& with) {
  const auto& transition = require_transition(old_number, Action::replace);
  std::string new_e164;
  if (with) {
    ParsedNumber parsed = parse_phone_number(*with, config_.default_region);
    if (parsed.country != old_number.country)
      fail(ErrorCategory::invalid_input, parsed.display + " is in " + parsed.country + ", but " + old_number.display +
                                             " is in " + old_number.country + "; a replacement keeps the country");
    new_e164 = parsed.e164;
  } else {
    std::string nsn = national_significant_digits(old_number.e164);
    AvailabilityRequest request{old_number.country, old_number.type, "", nsn, 1};
    auto offered = available(request);
    if (offered.empty()) {
      request.near_digits.clear();
      offered = available(request);
    }
    if (offered.empty())
      fail(ErrorCategory::not_found, "no " + std::string(to_string(old_number.type)) + " number in " + old_number.country +
                                         " is available to replace " + old_number.display + "; pass one with --with");
    new_e164 = offered.front();
  }
  ParsedNumber parsed = parse_phone_number(new_e164, std::nullopt);
  std::string problem;
  auto type = settle_type(parsed, old_number.type, problem);
  if (!type) fail(ErrorCategory::invalid_input, problem + "; a replacement keeps the type");
  // The new number takes over the assignment and label; its buy entry in the audit says so.
  BuyOptions options;
  options.label = old_number.label;
  if (old_number.member) options.assignee = Assignee{Assignee::Kind::member, *old_number.member};
  else if (old_number.team) options.assignee = Assignee{Assignee::Kind::team, *old_number.team};
  Bought bought = buy_one(parsed, options, type);
  bought.record.replaces = old_number.e164;
  store_.update_number(bought.record);

  auto now = clock_.now();
  old_number.previous_status = old_number.status;
  old_number.cancel_requested_at = format_iso8601(now);
  old_number.release_at = format_iso8601(now + std::chrono::days(config_.cancellation_grace_days));
  old_number.replaced_by = bought.record.e164;
  old_number.cancel_reason = "replaced by " + bought.record.e164;
  // The old number keeps its routing until release so callers still reach the same team.
  apply(old_number, transition,
        details({{"replaced_by", bought.record.e164}, {"release_at", old_number.release_at}}));
  return Replacement{old_number, bought.record, bought.required_documents};
}

// ---- documents -------------------------------------------------------------------------------

DocumentInfo Service::submit_document(std::string_view input, const std::string& kind, const std::filesystem::path& file) {
  check_name("document kind", kind);
  std::error_code ec;
  auto size = std::filesystem::file_size(file, ec);
  if (ec) fail(ErrorCategory::invalid_input, "cannot read " + file.string() + ": " + ec.message());
  if (size > config_.document_max_bytes)
    fail(ErrorCategory::invalid_input, file.string() + " is " + std::to_string(size) + " bytes, over the limit of " +
                                           std::to_string(config_.document_max_bytes) + " ([documents] max_size_mb)");
  if (size == 0) fail(ErrorCategory::invalid_input, file.string() + " is empty");
  std::ifstream in(file, std::ios::binary);
  if (!in) fail(ErrorCategory::invalid_input, "cannot read " + file.string());
  std::string content((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  return in_transaction([&] {
    NumberRecord record = resolve(input);
    const auto& transition = require_transition(record, Action::submit_documents);
    auto required = config_.required_documents_for(record.country, record.type);
    if (!required.empty() && std::find(required.begin(), required.end(), kind) == required.end())
      fail(ErrorCategory::invalid_input, "'" + kind + "' is not a document " + record.country + " asks for " +
                                             std::string(to_string(record.type)) + " numbers (required: " +
                                             text::join(required, ", ") + ")");
    DocumentInfo info;
    info.kind = kind;
    info.filename = file.filename().string();
    info.size = static_cast<std::int64_t>(content.size());
    info.sha256 = sha256_hex(content);
    info.submitted_at = now_iso();
    info.state = "submitted";
    info.id = store_.add_document(record.id, info, content);
    apply(record, transition, details({{"kind", kind}, {"file", info.filename}, {"sha256", info.sha256}}));
    return info;
  });
}

DocumentStatus Service::document_status(std::string_view input) {
  NumberRecord record = resolve(input);
  DocumentStatus status;
  status.required = config_.required_documents_for(record.country, record.type);
  status.documents = store_.documents(record.id);
  for (const auto& kind : status.required) {
    bool submitted = std::any_of(status.documents.begin(), status.documents.end(),
                                 [&](const DocumentInfo& d) { return d.kind == kind && d.state == "submitted"; });
    if (!submitted) status.missing.push_back(kind);
  }
  return status;
}

std::string Service::document_content(std::string_view input, const std::string& kind) {
  NumberRecord record = resolve(input);
  auto documents = store_.documents(record.id);
  for (auto it = documents.rbegin(); it != documents.rend(); ++it)
    if (it->kind == kind) return store_.document_content(it->id).value_or("");
  fail(ErrorCategory::not_found, "no '" + kind + "' document for " + record.display + " (see numctl docs list " + record.e164 + ")");
}

NumberRecord Service::approve(std::string_view input) {
  return in_transaction([&] {
    NumberRecord record = resolve(input);
    const auto& transition = require_transition(record, Action::approve);
    auto status = document_status(record.e164);
    if (!status.missing.empty())
      fail(ErrorCategory::refused, "cannot approve " + record.display + ": missing " + text::join(status.missing, ", ") +
                                       " (" + std::string(lifecycle::describe(transition.guard)) +
                                       "); submit with numctl docs submit " + record.e164 + " --kind KIND --file PATH");
    record.activated_at = now_iso();
    apply(record, transition, details({{"documents", text::join(status.required, ",")}}));
    return record;
  });
}

NumberRecord Service::reject(std::string_view input, const std::string& reason) {
  check_free_text("reason", reason);
  if (text::trim(reason).empty()) fail(ErrorCategory::invalid_input, "reject needs --reason saying what is wrong");
  return in_transaction([&] {
    NumberRecord record = resolve(input);
    const auto& transition = require_transition(record, Action::reject);
    store_.reject_documents(record.id, reason);
    apply(record, transition, details({{"reason", reason}}));
    return record;
  });
}

// ---- sweep and history -------------------------------------------------------------------------

SweepResult Service::sweep(TimePoint now) {
  return in_transaction([&] {
    SweepResult result;
    std::string now_text = format_iso8601(now);
    // Releases are set-based (one UPDATE and one INSERT into the audit for all due numbers):
    // a cron sweep may release tens of thousands at once. The table says where they go.
    const Transition* release = lifecycle::find(Action::release, Status::to_be_cancelled);
    if (release != nullptr) {
      Status to = lifecycle::target_status(*release, Status::to_be_cancelled, std::nullopt, false);
      result.released = store_.release_due(now_text, to, now_iso(), actor_, std::string(to_string(release->action)));
      report("releasing", result.released.size(), result.released.size());
    }
    std::size_t done = 0;
    std::string cutoff = format_iso8601(now - std::chrono::days(config_.pending_expiry_days));
    auto stale = store_.pending_bought_before(cutoff);
    done = 0;
    for (auto& record : stale) {
      report("expiring", ++done, stale.size());
      const Transition* transition = lifecycle::find(Action::expire, record.status);
      if (!transition) continue;
      record.previous_status = record.status;
      record.cancel_reason = "documents not approved within " + std::to_string(config_.pending_expiry_days) + " days";
      record.cancel_requested_at = now_text;
      record.release_at = now_text;
      apply(record, *transition, details({{"reason", record.cancel_reason}, {"bought_at", record.bought_at}}));
      set_assignee(record, std::nullopt);
      result.expired.push_back(record);
    }
    return result;
  });
}

std::vector<AuditEntry> Service::history(std::string_view input) {
  std::string e164 = canonical_e164(input, std::nullopt);
  auto entries = store_.history(e164);
  if (entries.empty() && !store_.find_number(e164))
    fail(ErrorCategory::not_found, e164 + " has no history: it was never in the inventory");
  return entries;
}

// ---- import ---------------------------------------------------------------------------------

namespace {

// Everything about one row that needs no database, written straight into the row to add:
// parsing and validating the number (the expensive part), type, status, date and names. A
// date written in another form than numctl's is kept, normalised, in `bought_at_text`.
void check_row(const ImportRow& row, const std::optional<std::string>& region, bool bulk, Store::NewNumber& out,
               std::string& bought_at_text) {
  ParsedNumber parsed = bulk ? parse_phone_number_in_bulk(row.number, region) : parse_phone_number(row.number, region);
  std::optional<NumberType> asked;
  if (row.type) {
    asked = parse_number_type_alias(*row.type);
    if (!asked) fail(ErrorCategory::invalid_input, "unknown type '" + *row.type + "' (local, mobile, toll_free)");
  }
  std::string problem;
  auto type = settle_type(parsed, asked, problem);
  if (!type) fail(ErrorCategory::invalid_input, problem);
  out.type = *type;
  if (row.status) {
    auto s = parse_status_alias(*row.status);
    if (!s) fail(ErrorCategory::invalid_input, "unknown status '" + *row.status + "' (pending, active, high_risk, to_be_cancelled, cancelled)");
    out.status = *s;
  }
  if (row.bought_at) {
    auto at = parse_iso8601(*row.bought_at);
    if (!at) fail(ErrorCategory::invalid_input, "bought_at '" + *row.bought_at + "' is not an ISO 8601 date (2024-05-01T09:30:00Z)");
    bought_at_text = format_iso8601(*at);
    out.bought_at = bought_at_text;
  }
  if (row.team) check_name("team", *row.team);
  if (row.member) check_name("member", *row.member);
  check_free_text("label", row.label);
  if (row.label) out.label = *row.label;
  out.e164 = std::move(parsed.e164);
  out.display = std::move(parsed.display);
  out.national_digits = std::move(parsed.national_digits);
  out.country = std::move(parsed.country);
}

// A sort key that orders E.164 numbers as their text does: up to 16 digits, each as 1..10 in
// four bits, shorter numbers padded with zeros (which sort first, as a shorter text does).
// Numbers equal in their first 16 digits are told apart by their text.
std::uint64_t e164_sort_key(std::string_view e164) {
  std::uint64_t key = 0;
  std::size_t i = 1;
  for (; i < e164.size() && i <= 16; ++i) key = key << 4 | static_cast<std::uint64_t>(e164[i] - '0' + 1);
  return key << (4 * (17 - i));
}

}  // namespace

ImportResult Service::import_rows(const std::vector<ImportRow>& rows) {
  // Rows are checked on every core, each thread its own slice, straight into the rows to add.
  std::vector<Store::NewNumber> checked;
  memory::reserve_huge(checked, rows.size());
  checked.resize(rows.size());
  std::vector<std::string> bought_at_texts;
  if (std::any_of(rows.begin(), rows.end(), [](const ImportRow& row) { return row.bought_at.has_value(); }))
    bought_at_texts.resize(rows.size());
  std::vector<std::pair<std::size_t, std::string>> problems;  // (row index, what is wrong)
  std::mutex problems_mutex;
  std::atomic<std::size_t> done{0};
  // Compiling the metadata costs a few milliseconds, repaid after a few hundred numbers.
  bool bulk = rows.size() >= 500;
  std::exception_ptr unexpected;
  auto check_slice = [&](std::size_t begin, std::size_t end) {
    std::string unused;
    for (std::size_t i = begin; i < end; ++i) {
      try {
        check_row(rows[i], config_.default_region, bulk, checked[i], bought_at_texts.empty() ? unused : bought_at_texts[i]);
      } catch (const Error& error) {
        std::lock_guard lock(problems_mutex);
        if (error.category() == ErrorCategory::database || error.category() == ErrorCategory::internal) {
          if (!unexpected) unexpected = std::current_exception();
        }
        problems.emplace_back(i, error.what());
        checked[i].e164.clear();  // marks the row as bad
      } catch (...) {
        std::lock_guard lock(problems_mutex);
        if (!unexpected) unexpected = std::current_exception();
      }
      done.fetch_add(1, std::memory_order_relaxed);
    }
  };
  std::size_t threads = rows.size() < 2000 ? 1 : std::max(1u, std::thread::hardware_concurrency());
  std::size_t slice = (rows.size() + threads - 1) / std::max<std::size_t>(threads, 1);
  std::vector<std::thread> workers;
  for (std::size_t t = 1; t < threads; ++t)
    workers.emplace_back(check_slice, std::min(rows.size(), t * slice), std::min(rows.size(), (t + 1) * slice));
  // This thread takes the first slice in steps, reporting progress between them.
  for (std::size_t begin = 0; begin < std::min(rows.size(), slice); begin += 1000) {
    check_slice(begin, std::min({rows.size(), slice, begin + 1000}));
    report("checking", done.load(std::memory_order_relaxed), rows.size());
  }
  for (auto& worker : workers) worker.join();
  report("checking", rows.size(), rows.size());
  if (unexpected) std::rethrow_exception(unexpected);

  // Rows are written in number order: the unique index on numbers and the audit index by
  // number then grow at their ends instead of at a million random places (all rows share one
  // timestamp). The same order finds a number given twice: its rows end up side by side.
  std::vector<std::pair<std::uint64_t, std::uint32_t>> order;  // (sort key, row index)
  order.reserve(rows.size());
  for (std::size_t i = 0; i < rows.size(); ++i)
    if (!checked[i].e164.empty()) order.emplace_back(e164_sort_key(checked[i].e164), static_cast<std::uint32_t>(i));
  std::sort(order.begin(), order.end(), [&](const auto& a, const auto& b) {
    if (a.first != b.first) return a.first < b.first;
    int c = checked[a.second].e164.compare(checked[b.second].e164);
    return c != 0 ? c < 0 : a.second < b.second;
  });
  std::vector<std::size_t> unique;  // row indexes, in number order
  unique.reserve(order.size());
  for (auto [key, i] : order) {
    if (!unique.empty() && checked[unique.back()].e164 == checked[i].e164) {
      problems.emplace_back(i, checked[i].display + " also appears in row " + std::to_string(rows[unique.back()].position));
      continue;
    }
    unique.push_back(i);
  }
  decltype(order)().swap(order);
  auto fail_rows = [&] {
    std::sort(problems.begin(), problems.end(), [](const auto& a, const auto& b) { return a.first < b.first; });
    std::string message = std::to_string(problems.size()) + " of " + std::to_string(rows.size()) +
                          " rows are bad, nothing imported: ";
    std::size_t shown = std::min<std::size_t>(problems.size(), 20);
    for (std::size_t k = 0; k < shown; ++k)
      message += (k ? "; row " : "row ") + std::to_string(rows[problems[k].first].position) + ": " + problems[k].second;
    if (shown < problems.size()) message += "; and " + std::to_string(problems.size() - shown) + " more";
    fail(ErrorCategory::invalid_input, message);
  };
  if (!problems.empty()) fail_rows();
  // Parsing ran without holding the write lock; ownership is checked under it, so a number
  // bought meanwhile by someone else is reported as a bad row, not a database error.
  return in_transaction([&] {
    ImportResult result;
    std::string now = now_iso();
    std::string release = format_iso8601(clock_.now() + std::chrono::days(config_.cancellation_grace_days));
    std::unordered_map<std::string, std::int64_t> team_ids, member_ids;      // by lower-case name
    std::unordered_map<std::string, std::int64_t> team_hits, member_hits;    // as written: no lower()
    auto team = [&](const std::string& name) {
      if (auto it = team_hits.find(name); it != team_hits.end()) return it->second;
      auto key = text::lower(name);
      if (auto it = team_ids.find(key); it != team_ids.end()) return team_hits[name] = it->second;
      auto id = store_.team_id(name);
      if (!id) {
        id = store_.add_team(name, now);
        ++result.teams_created;
        store_.append_audit({now, actor_, "team_add", "", std::nullopt, std::nullopt, details({{"team", name}})});
      }
      return team_hits[name] = team_ids[key] = *id;
    };
    auto member = [&](const ImportRow& row) {
      const std::string& name = *row.member;
      if (auto it = member_hits.find(name); it != member_hits.end()) return it->second;
      auto key = text::lower(name);
      if (auto it = member_ids.find(key); it != member_ids.end()) return member_hits[name] = it->second;
      auto id = store_.member_id(name);
      if (!id) {
        id = store_.add_member(name, row.team ? std::optional(team(*row.team)) : std::nullopt, now);
        ++result.members_created;
      }
      return member_hits[name] = member_ids[key] = *id;
    };
    // Teams and members are created in file order: a new member joins the team of its first row.
    for (const auto& row : rows) {
      if (row.member) member(row);
      else if (row.team) team(*row.team);
    }
    std::vector<const Store::NewNumber*> adds;
    adds.reserve(unique.size());
    std::string audit_details;
    audit_details.reserve(unique.size() * 48);
    memory::prefer_huge_pages(audit_details.data(), audit_details.capacity());
    std::vector<std::size_t> details_ends;
    details_ends.reserve(unique.size());
    for (auto i : unique) {
      auto& add = checked[i];
      const ImportRow& row = rows[i];
      if (add.bought_at.empty()) add.bought_at = now;
      if (add.status == Status::active || add.status == Status::high_risk) add.activated_at = add.bought_at;
      if (add.status == Status::to_be_cancelled || add.status == Status::cancelled) {
        add.previous_status = Status::active;
        add.cancel_requested_at = now;
        add.release_at = add.status == Status::to_be_cancelled ? std::string_view(release) : std::string_view(now);
      }
      if (add.status != Status::cancelled) {
        if (row.member) add.member_id = member(row);
        else if (row.team) add.team_id = team(*row.team);
      }
      // The audit details of all rows go into one buffer: a million small strings cost more.
      auto view = [](const std::optional<std::string>& v) { return v ? std::optional<std::string_view>(*v) : std::nullopt; };
      append_details<std::optional<std::string_view>>(
          audit_details, {{"type", to_string(add.type)}, {"team", view(row.team)}, {"member", view(row.member)},
                          {"label", view(row.label)}});
      details_ends.push_back(audit_details.size());
      adds.push_back(&add);
    }
    for (std::size_t k = 0, begin = 0; k < adds.size(); begin = details_ends[k++])
      checked[unique[k]].audit_details = std::string_view(audit_details).substr(begin, details_ends[k] - begin);
    // The unique index decides ownership: a number owned already (or bought meanwhile) is a bad row.
    auto taken = store_.insert_numbers(adds, now, actor_, "import",
                                       [&](std::size_t done) { report("importing", done, adds.size()); });
    for (auto k : taken) problems.emplace_back(unique[k], adds[k]->display + " is already in the inventory");
    report("importing", adds.size(), adds.size());
    if (!problems.empty()) fail_rows();
    result.imported = adds.size();
    return result;
  });
}

// ---- teams and members -------------------------------------------------------------------------

void Service::add_team(const std::string& name) {
  check_name("team", name);
  in_transaction([&] {
    if (store_.team_id(name)) fail(ErrorCategory::refused, "team '" + name + "' already exists");
    store_.add_team(name, now_iso());
    store_.append_audit({now_iso(), actor_, "team_add", "", std::nullopt, std::nullopt, details({{"team", name}})});
    return 0;
  });
}

void Service::remove_team(const std::string& name) {
  in_transaction([&] {
    auto id = require_team(name);
    if (auto held = store_.numbers_held_by_team(id); held > 0)
      fail(ErrorCategory::refused, "team '" + name + "' still holds " + std::to_string(held) +
                                       " numbers; move them first (numctl filter --team '" + name +
                                       "' --format plain | numctl assign - --team OTHER)");
    if (auto members = store_.members_of_team(id); members > 0)
      fail(ErrorCategory::refused, "team '" + name + "' still has " + std::to_string(members) +
                                       " members; remove them or move them to another team first");
    store_.remove_team(id);
    store_.append_audit({now_iso(), actor_, "team_remove", "", std::nullopt, std::nullopt, details({{"team", name}})});
    return 0;
  });
}

void Service::add_member(const std::string& name, const std::optional<std::string>& team) {
  check_name("member", name);
  in_transaction([&] {
    if (store_.member_id(name)) fail(ErrorCategory::refused, "member '" + name + "' already exists");
    std::optional<std::int64_t> team_id;
    if (team) team_id = require_team(*team);
    store_.add_member(name, team_id, now_iso());
    store_.append_audit({now_iso(), actor_, "member_add", "", std::nullopt, std::nullopt,
                         details({{"member", name}, {"team", team}})});
    return 0;
  });
}

void Service::remove_member(const std::string& name) {
  in_transaction([&] {
    auto id = require_member(name);
    if (auto held = store_.numbers_held_by_member(id); held > 0)
      fail(ErrorCategory::refused, "member '" + name + "' still holds " + std::to_string(held) +
                                       " numbers; move them first (numctl filter --member '" + name +
                                       "' --format plain | numctl unassign -)");
    store_.remove_member(id);
    store_.append_audit({now_iso(), actor_, "member_remove", "", std::nullopt, std::nullopt, details({{"member", name}})});
    return 0;
  });
}

}  // namespace numctl
