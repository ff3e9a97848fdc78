// Compliance at the carrier: what a country requires (read from the carrier and cached), the
// profiles numctl builds there (Twilio's bundles, Telnyx's requirement groups), their submission,
// and the carrier's verdict, which moves numbers from pending to active. Every object made at the
// carrier is made once through the outbox: a call written before it starts, each object's id
// stored as it is made, and a crashed build finished by the next refresh, which finds what the
// crash left unrecorded by the name numctl gave it.
#include "service_impl.hpp"
#include "domain/compliance_json.hpp"
#include "domain/validation.hpp"
#include "numctl/error.hpp"
#include "numctl/phone.hpp"
#include "numctl/text.hpp"
#include "util/checksum.hpp"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <fstream>

namespace numctl {
namespace {

using Json = nlohmann::json;

Json body_of(const ComplianceProfile& profile) {
  auto body = Json::parse(profile.body, nullptr, false);
  if (!body.is_object()) body = Json::object();
  for (const char* key : {"fields", "refs"})
    if (!body.contains(key) || !body[key].is_object()) body[key] = Json::object();
  for (const char* key : {"missing", "history"})
    if (!body.contains(key) || !body[key].is_array()) body[key] = Json::array();
  return body;
}

// The tag the carrier's objects carry: numctl's id of the profile, then its name.
std::string tag_of(const ComplianceProfile& profile) { return "numctl-" + std::to_string(profile.id) + " " + profile.name; }

const Requirement* requirement_named(const RegulationInfo& regulation, std::string_view name, bool document) {
  for (const auto& r : regulation.requirements) {
    bool is_document = r.kind == Requirement::Kind::document;
    if (is_document != document) continue;
    if (r.name == name) return &r;
    if (document && std::find(r.accepts.begin(), r.accepts.end(), name) != r.accepts.end()) return &r;
  }
  return nullptr;
}

}  // namespace

// A file for a carrier: what docs submit checks, and a type carriers accept (PDF, PNG, JPEG).
std::pair<ProfileDocument, std::string> read_upload(const std::filesystem::path& file, std::uint64_t max_bytes) {
  require(check_text("file name " + file.filename().string(), to_nfc(file.filename().string())));
  std::error_code ec;
  auto size = std::filesystem::file_size(file, ec);
  if (ec) fail(ErrorCategory::invalid_input, "cannot read " + file.string() + ": " + ec.message());
  if (size > max_bytes)
    fail(ErrorCategory::invalid_input,
         fmt::format("{} is {} bytes, over the limit of {} ([documents] max_size_mb)", file.string(), size, max_bytes));
  if (size == 0) fail(ErrorCategory::invalid_input, file.string() + " is empty");
  std::ifstream in(file, std::ios::binary);
  if (!in) fail(ErrorCategory::invalid_input, "cannot read " + file.string());
  std::string content((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  if (!(content.starts_with("%PDF") || content.starts_with("\x89PNG") || content.starts_with("\xFF\xD8\xFF")))
    fail(ErrorCategory::invalid_input, file.string() + " is not a PDF, PNG or JPEG file (what carriers accept for review)");
  ProfileDocument info;
  info.filename = to_nfc(file.filename().string());
  info.size = static_cast<std::int64_t>(content.size());
  info.sha256 = sha256_hex(content);
  return {info, std::move(content)};
}

// The regulation of a profile: the one for its end-user type among the carrier's.
const RegulationInfo& regulation_for(const std::vector<RegulationInfo>& regulations, const std::string& end_user,
                                     const std::string& country, NumberType type, const std::string& provider) {
  if (regulations.empty())
    fail(ErrorCategory::refused, fmt::format("{} requires nothing for {} {} numbers: no compliance profile is needed", provider,
                                             country, to_string(type)));
  std::vector<std::string> kinds;
  for (const auto& r : regulations) {
    if (end_user.empty() ? regulations.size() == 1 : r.end_user_type == end_user) return r;
    kinds.push_back(r.end_user_type);
  }
  fail(ErrorCategory::invalid_input, fmt::format("{} {} numbers at {} take an end user of type {}: say which with --end-user",
                                                 country, to_string(type), provider, text::join(kinds, " or ")));
}

ComplianceCarrier& Service::compliance_carrier() {
  if (auto* carrier = provider().compliance()) return *carrier;
  fail(ErrorCategory::config,
       fmt::format("compliance profiles live at a carrier; [provider] kind is {} (the offline providers follow [regulation]: "
                   "numctl docs submit, then numctl approve)",
                   provider().name()));
}

bool Service::reviewed_at_carrier(const NumberRecord& record) const {
  if (record.compliance) return true;
  if (record.status != Status::pending || !record.provider) return false;
  auto kind = parse_provider_kind(*record.provider);
  if (!kind || !(*kind == ProviderKind::twilio || *kind == ProviderKind::telnyx)) return false;
  // The carrier still holds the order (its review): its verdict completes it. A number the
  // carrier sold before numctl mirrored its review keeps numctl's own (docs submit, approve).
  return !record.provider_ref || store_.open_carrier_call(CallKind::order, record.e164).has_value();
}

std::vector<RegulationInfo> Service::carrier_regulations(const std::string& country, NumberType type, bool refresh,
                                                         std::optional<std::string>* read_at) {
  std::string name(provider().name());
  if (!refresh)
    if (auto cached = store_.cached_regulations(name, country, to_string(type))) {
      if (read_at) *read_at = cached->second;
      return regulations_from_json(cached->first);
    }
  auto regulations = compliance_carrier().regulations(country, type);
  std::string now = now_iso();
  Store::Transaction transaction(store_);
  store_.cache_regulations(name, country, to_string(type), regulations_to_json(regulations), now);
  transaction.commit();
  if (read_at) *read_at = now;
  return regulations;
}

RegulationsRead Service::regulations(const std::string& typed_country, std::optional<NumberType> type, bool refresh) {
  std::string country = text::upper(typed_country);
  if (!is_known_country(country)) fail(ErrorCategory::invalid_input, unknown_country_message(typed_country));
  RegulationsRead out;
  std::vector<NumberType> types =
      type ? std::vector<NumberType>{*type} : std::vector<NumberType>(all_number_types.begin(), all_number_types.end());
  if (!provider().compliance()) {
    // The offline providers: [regulation] in the config, as docs submit and approve follow it.
    out.source = "[regulation]";
    for (NumberType t : types) {
      auto kinds = config_.required_documents_for(country, t);
      if (kinds.empty()) continue;
      RegulationInfo info{"", country, t, "", "[regulation] " + country, "", {}};
      for (const auto& kind : kinds) info.requirements.push_back({Requirement::Kind::document, kind, kind, "", {}, {}, {}});
      out.regulations.push_back(std::move(info));
    }
    return out;
  }
  out.source = provider().name();
  out.cached = !refresh;
  for (NumberType t : types) {
    std::optional<std::string> read_at;
    bool had = store_.cached_regulations(out.source, country, to_string(t)).has_value();
    auto found = carrier_regulations(country, t, refresh, &read_at);
    if (!had) out.cached = false;
    if (read_at && (!out.read_at || *read_at < *out.read_at)) out.read_at = read_at;
    for (auto& r : found) out.regulations.push_back(std::move(r));
  }
  return out;
}

ComplianceProfile Service::require_profile(const std::string& name) {
  if (auto profile = store_.find_profile(name)) return *profile;
  fail(ErrorCategory::not_found, "no compliance profile named '" + name + "' (see numctl compliance list)");
}

void Service::add_profile_documents(ComplianceProfile& profile, const RegulationInfo& regulation,
                                    const std::vector<std::pair<std::string, std::filesystem::path>>& documents) {
  for (const auto& [typed_kind, file] : documents) {
    std::string kind = to_nfc(typed_kind);
    require(check_name("document kind", kind));
    const Requirement* requirement = requirement_named(regulation, kind, true);
    if (!requirement) {
      std::vector<std::string> known;
      for (const auto& r : regulation.requirements)
        if (r.kind == Requirement::Kind::document) known.push_back(r.name);
      fail(ErrorCategory::invalid_input,
           fmt::format("'{}' is not a document {} asks for {} {} numbers (documents: {})", kind, profile.provider,
                       profile.country, to_string(profile.type), known.empty() ? "none" : text::join(known, ", ")));
    }
    auto [info, content] = read_upload(file, config_.document_max_bytes);
    info.kind = requirement->name;
    info.added_at = now_iso();
    // Twilio's document type: the one given, else the first its requirement accepts.
    auto body = body_of(profile);
    body["types"][std::to_string(store_.add_profile_document(profile.id, info, content))] =
        requirement->name == kind && !requirement->accepts.empty() ? requirement->accepts.front() : kind;
    profile.body = body.dump();
  }
}

Review Service::build_profile(ComplianceProfile& profile, bool resuming) {
  auto regulations = carrier_regulations(profile.country, profile.type, false);
  const RegulationInfo& regulation =
      regulation_for(regulations, profile.end_user_type, profile.country, profile.type, profile.provider);
  auto body = body_of(profile);
  ComplianceBuild build;
  build.tag = tag_of(profile);
  build.regulation = &regulation;
  build.resuming = resuming;
  build.fields_changed = body.value("fields_changed", false);
  for (const auto& [key, value] : body["fields"].items())
    if (value.is_string()) build.fields[key] = value.get<std::string>();
  for (const auto& [key, value] : body["refs"].items())
    if (value.is_string()) build.refs[key] = value.get<std::string>();
  for (const auto& document : store_.profile_documents(profile.id)) {
    std::string type = body.value("types", Json::object()).value(std::to_string(document.id), document.kind);
    build.documents.push_back(
        {document.id, document.kind, type, document.filename, store_.profile_document_content(document.id).value_or("")});
  }
  build.made = [&](const std::string& key, const std::string& ref) {
    // Each object's id is stored the moment the carrier gives it: a crash loses none.
    Store::Transaction transaction(store_);
    auto current = store_.find_profile(profile.id).value_or(profile);
    auto stored = body_of(current);
    stored["refs"][key] = ref;
    current.body = stored.dump();
    if (key == "profile") current.carrier_ref = ref;
    current.updated_at = now_iso();
    store_.save_profile(current);
    transaction.commit();
    profile = current;
  };
  return compliance_carrier().build(build);
}

void Service::record_review(ComplianceProfile& profile, const Review& review, std::string_view how) {
  auto body = body_of(profile);
  body["missing"] = review.missing;
  bool moved = profile.state != review.state || profile.carrier_status != review.carrier_status;
  std::string now = now_iso();
  if (moved)
    body["history"].push_back(
        {{"at", now}, {"state", to_string(review.state)}, {"carrier_status", review.carrier_status}, {"reason", review.reason}});
  profile.state = review.state;
  profile.carrier_status = review.carrier_status;
  profile.reason = review.reason.empty() ? std::nullopt : std::optional(review.reason);
  profile.body = body.dump();
  profile.updated_at = now;
  store_.save_profile(profile);
  if (moved)
    record_event(how, details({{"profile", profile.name},
                               {"provider", profile.provider},
                               {"carrier_ref", profile.carrier_ref},
                               {"state", std::string(to_string(review.state))},
                               {"carrier_status", review.carrier_status},
                               {"reason", profile.reason}}));
}

ComplianceView Service::view_of(const ComplianceProfile& profile) {
  ComplianceView view;
  view.profile = profile;
  auto body = body_of(profile);
  for (const auto& [key, value] : body["fields"].items()) view.fields.push_back(key);
  for (const auto& item : body["missing"])
    if (item.is_string()) view.missing.push_back(item.get<std::string>());
  for (const auto& item : body["history"])
    if (item.is_object())
      view.history.push_back(
          {item.value("at", ""), item.value("state", ""), item.value("carrier_status", ""), item.value("reason", "")});
  view.documents = store_.profile_documents(profile.id);
  view.numbers = store_.numbers_using(profile.name);
  return view;
}

std::vector<ComplianceProfile> Service::compliance_profiles() { return store_.profiles(); }

std::vector<std::string> Service::document_kinds(const std::string& name) {
  std::vector<std::pair<std::string, NumberType>> wanted;
  if (auto profile = store_.find_profile(name))
    wanted.emplace_back(profile->country, profile->type);
  else
    for (const auto& p : store_.profiles()) wanted.emplace_back(p.country, p.type);
  std::vector<std::string> kinds;
  for (const auto& [country, type] : wanted)
    if (auto cached = store_.cached_regulations(std::string(provider().name()), country, to_string(type)))
      for (const auto& regulation : regulations_from_json(cached->first))
        for (const auto& r : regulation.requirements)
          if (r.kind == Requirement::Kind::document && std::find(kinds.begin(), kinds.end(), r.name) == kinds.end())
            kinds.push_back(r.name);
  return kinds;
}

ComplianceView Service::compliance_view(const std::string& name) { return view_of(require_profile(name)); }

}  // namespace numctl
