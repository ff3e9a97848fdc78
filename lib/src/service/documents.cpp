// The regulatory review of pending numbers: documents submitted, listed and read back, then
// approval or rejection.
#include "service_impl.hpp"
#include "util/checksum.hpp"
#include "numctl/text.hpp"
#include "domain/validation.hpp"
#include "numctl/error.hpp"

#include <algorithm>
#include <fstream>
#include <set>

namespace numctl {

std::vector<Submitted> Service::submit_document(const std::vector<std::string>& inputs, const std::string& typed_kind,
                                                const std::filesystem::path& file, const RunOptions& run) {
  std::string kind = to_nfc(typed_kind);
  require(check_name("document kind", kind));
  require(check_text("file name " + file.filename().string(), to_nfc(file.filename().string())));
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
  DocumentInfo info;
  info.kind = kind;
  info.filename = to_nfc(file.filename().string());  // file systems may keep names decomposed
  info.size = static_cast<std::int64_t>(content.size());
  info.sha256 = sha256_hex(content);
  std::vector<Submitted> out;
  std::set<std::string> profiles;  // numbers reviewed at a carrier: the document goes to their profile there
  // One document for several numbers (one lease for a batch of orders): each gets its copy.
  for_each_owned(inputs, Action::submit_documents, run, [&](NumberRecord& record) {
    const auto& transition = require_transition(record, Action::submit_documents);
    if (record.compliance) {
      // The carrier reviews it: its profile takes the document while it may still change.
      auto profile = require_profile(*record.compliance);
      if (profile.state == ReviewState::in_review || profile.state == ReviewState::approved)
        fail(ErrorCategory::refused,
             fmt::format("{} {} of {} is {} at {}: a document goes to a profile still in draft or rejected",
                         provider().compliance() ? provider().compliance()->profile_word() : "profile", profile.name,
                         record.display, to_string(profile.state), profile.provider));
      profiles.insert(profile.name);
    }
    auto required = reviewed_at_carrier(record) ? std::vector<std::string>{}  // the carrier's regulation applies
                                                : config_.required_documents_for(record.country, record.type);
    if (!required.empty() && std::find(required.begin(), required.end(), kind) == required.end())
      fail(ErrorCategory::invalid_input, "'" + kind + "' is not a document " + record.country + " asks for " +
                                             std::string(to_string(record.type)) + " numbers (required: " +
                                             text::join(required, ", ") + ")");
    Submitted submitted{record, info, {}};
    submitted.info.submitted_at = now_iso();
    submitted.info.state = "submitted";
    submitted.info.id = store_.add_document(record.id, submitted.info, content);
    // The order's clock restarts with each document: once every one is in, only review is left.
    if (record.status == Status::pending && !reviewed_at_carrier(record)) {
      auto deadline = order_deadline(clock_.now());
      if (!record.expires_at || *record.expires_at < deadline) record.expires_at = deadline;
    }
    apply(record, transition, details({{"kind", kind}, {"file", info.filename}, {"sha256", info.sha256}}));
    submitted.record = record;
    submitted.missing = document_status(record.e164).missing;
    out.push_back(std::move(submitted));
  });
  if (run.dry_run == DryRun::yes) return out;
  // Then to the carrier (never while the write lock is held): added to each profile, which the
  // carrier evaluates again; what it still misses is what each number waits for.
  for (const auto& name : profiles) {
    ComplianceRequest request;
    request.name = name;
    request.documents = {{kind, file}};
    auto view = update_compliance(request, run);
    for (auto& submitted : out)
      if (submitted.record.compliance == name) submitted.missing = view.missing;
  }
  return out;
}

std::optional<TimePoint> Service::order_expires_at(const NumberRecord& record) {
  if (record.status != Status::pending) return std::nullopt;
  if (record.expires_at) return parse_iso8601(*record.expires_at);
  // An order placed before deadlines were stored: the clock runs from the later of the order and
  // the last document submitted (once every document is in, only the review is left).
  TimePoint start{};
  bool known = false;
  auto consider = [&](const std::optional<std::string>& text) {
    if (!text) return;
    if (auto at = parse_iso8601(*text); at && (!known || *at > start)) {
      start = *at;
      known = true;
    }
  };
  consider(record.bought_at);
  for (const auto& document : store_.documents(record.id))
    if (document.state == "submitted") consider(document.submitted_at);
  if (!known) return std::nullopt;
  return start + std::chrono::days(config_.pending_expiry_days);
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
  // A number a carrier reviews: the documents of its compliance profile are its documents too.
  if (record.compliance)
    if (auto profile = store_.find_profile(*record.compliance)) {
      auto held = store_.profile_documents(profile->id);
      for (auto it = held.rbegin(); it != held.rend(); ++it)
        if (it->kind == kind) return store_.profile_document_content(it->id).value_or("");
    }
  fail(ErrorCategory::not_found, "no '" + kind + "' document for " + record.display + " (see numctl docs list " + record.e164 + ")");
}

std::vector<NumberRecord> Service::approve(const std::vector<std::string>& inputs, const RunOptions& run) {
  return for_each_owned(inputs, Action::approve, run, [&](NumberRecord& record) {
    const auto& transition = require_transition(record, Action::approve);
    // With a carrier, its review decides: numctl reads the verdict, it does not give one.
    auto carriers = [&] {
      fail(ErrorCategory::refused,
           fmt::format("cannot approve {}: its regulatory review belongs to {}{}; numctl compliance refresh (or sync) reads "
                       "the carrier's verdict",
                       record.display, record.provider.value_or("the carrier"),
                       record.compliance
                           ? fmt::format(" ({} is {})", *record.compliance, record.compliance_status.value_or("unknown"))
                           : std::string()));
    };
    if (record.compliance) carriers();
    // Never active while the carrier's own order is open.
    if (auto order = store_.open_carrier_call(CallKind::order, record.e164))
      fail(ErrorCategory::refused, "cannot approve " + record.display + ": its order at " + order->provider +
                                       " is not complete yet; numctl sync asks the carrier and settles it (" +
                                       std::string(lifecycle::describe(transition.guard)) + ")");
    if (reviewed_at_carrier(record)) carriers();
    auto status = document_status(record.e164);
    if (!status.missing.empty())
      fail(ErrorCategory::refused, "cannot approve " + record.display + ": missing " + text::join(status.missing, ", ") +
                                       " (" + std::string(lifecycle::describe(transition.guard)) +
                                       "); submit with numctl docs submit " + record.e164 + " --kind KIND --file PATH");
    record.activated_at = now_iso();
    apply(record, transition, details({{"documents", text::join(status.required, ",")}}));
  });
}

std::vector<NumberRecord> Service::reject(const std::vector<std::string>& inputs, const std::string& typed,
                                          const RunOptions& run) {
  std::string reason = to_nfc(typed);
  require(check_free_text("reason", reason));
  if (text::trim(reason).empty()) fail(ErrorCategory::invalid_input, "reject needs --reason saying what is wrong");
  return for_each_owned(inputs, Action::reject, run, [&](NumberRecord& record) {
    const auto& transition = require_transition(record, Action::reject);
    if (reviewed_at_carrier(record))
      fail(ErrorCategory::refused, fmt::format("cannot reject {}: its regulatory review belongs to {}; numctl compliance "
                                               "refresh reads the carrier's verdict",
                                               record.display, record.provider.value_or("the carrier")));
    store_.reject_documents(record.id, reason);
    apply(record, transition, details({{"reason", reason}}));
  });
}

}  // namespace numctl
