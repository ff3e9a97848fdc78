// A compliance profile's course at the carrier: created (built, evaluated), updated, submitted,
// and reviewed; the verdict moves the numbers that use it; a purchase in a regulated country
// picks the profile it orders with, or is refused before the carrier hears of it.
#include "service_impl.hpp"
#include "domain/validation.hpp"
#include "numctl/error.hpp"
#include "numctl/phone.hpp"
#include "numctl/text.hpp"

#include <nlohmann/json.hpp>

#include <algorithm>

namespace numctl {
namespace {

using Json = nlohmann::json;

std::string call_key(const ComplianceProfile& profile) { return "profile:" + std::to_string(profile.id); }

// The fields given, checked against what the regulation names (its fields, its documents'
// attributes); an unknown one is refused with the names it takes.
void merge_fields(Json& into, const std::vector<std::pair<std::string, std::string>>& fields, const RegulationInfo& regulation) {
  for (const auto& [typed_name, typed_value] : fields) {
    std::string name = to_nfc(typed_name), value = to_nfc(typed_value);
    require(check_name("field name", name));
    require(check_free_text("field " + name, value));
    bool known = false;
    std::vector<std::string> names;
    for (const auto& r : regulation.requirements) {
      if (r.kind != Requirement::Kind::document) names.push_back(r.name);
      if (r.kind != Requirement::Kind::document && r.name == name) known = true;
      for (const auto& f : r.fields) {
        if (f == name) known = true;
        if (std::find(names.begin(), names.end(), f) == names.end()) names.push_back(f);
      }
    }
    if (!known)
      fail(ErrorCategory::invalid_input,
           fmt::format("'{}' is not a field {} asks for {} {} numbers (fields: {})", name, regulation.provider,
                       regulation.country, to_string(regulation.type), text::join(names, ", ")));
    into[name] = value;
  }
}

}  // namespace

ComplianceView Service::create_compliance(const ComplianceRequest& request, const RunOptions& run) {
  std::string name = to_nfc(request.name);
  require(check_name("profile name", name));
  if (name.starts_with("-")) fail(ErrorCategory::invalid_input, "a profile name cannot start with '-'");
  std::string country = text::upper(request.country);
  if (!is_known_country(country)) fail(ErrorCategory::invalid_input, unknown_country_message(request.country));
  compliance_carrier();
  if (store_.find_profile(name))
    fail(ErrorCategory::refused, "a compliance profile named '" + name + "' exists already (numctl compliance show " + name +
                                     "; add to it with numctl compliance update)");
  auto regulations = carrier_regulations(country, request.type, false);
  const RegulationInfo& regulation =
      regulation_for(regulations, request.end_user, country, request.type, std::string(provider().name()));
  ComplianceProfile profile;
  profile.name = name;
  profile.provider = provider().name();
  profile.country = country;
  profile.type = request.type;
  profile.end_user_type = regulation.end_user_type;
  profile.state = ReviewState::creating;
  profile.created_at = profile.updated_at = now_iso();
  Json body = {{"fields", Json::object()}, {"refs", Json::object()}, {"missing", Json::array()}, {"history", Json::array()}};
  merge_fields(body["fields"], request.fields, regulation);
  profile.body = body.dump();
  {
    Store::Transaction transaction(store_);
    if (!store_.save_profile(profile)) fail(ErrorCategory::refused, "a compliance profile named '" + name + "' exists already");
    add_profile_documents(profile, regulation, request.documents);
    store_.save_profile(profile);
    record_event("compliance_create", details({{"profile", name},
                                               {"provider", profile.provider},
                                               {"country", country},
                                               {"type", std::string(to_string(request.type))},
                                               {"end_user", profile.end_user_type}}));
    if (run.dry_run == DryRun::yes) return view_of(profile);  // rolled back: nothing reaches the carrier
    transaction.commit();
  }
  return build_at_carrier(profile, "compliance create", false);
}

ComplianceView Service::update_compliance(const ComplianceRequest& request, const RunOptions& run) {
  ComplianceProfile profile = require_profile(to_nfc(request.name));
  compliance_carrier();
  if (profile.provider != provider().name())
    fail(ErrorCategory::refused,
         fmt::format("profile {} lives at {}, not at the configured {}", profile.name, profile.provider, provider().name()));
  if (profile.state == ReviewState::in_review || profile.state == ReviewState::approved)
    fail(ErrorCategory::refused,
         fmt::format("profile {} is {} at {}: it cannot change now", profile.name, to_string(profile.state), profile.provider));
  auto regulations = carrier_regulations(profile.country, profile.type, false);
  const RegulationInfo* regulation = nullptr;
  for (const auto& r : regulations)
    if (r.end_user_type == profile.end_user_type) regulation = &r;
  if (!regulation) fail(ErrorCategory::refused, profile.provider + " no longer lists the regulation of profile " + profile.name);
  {
    Store::Transaction transaction(store_);
    auto body = Json::parse(profile.body, nullptr, false);
    if (!body.is_object()) body = Json::object();
    merge_fields(body["fields"], request.fields, *regulation);
    // Changed fields are written to the carrier's end user again.
    if (!request.fields.empty()) body["fields_changed"] = true;
    profile.body = body.dump();
    add_profile_documents(profile, *regulation, request.documents);
    store_.save_profile(profile);
    record_event("compliance_update", details({{"profile", profile.name}}));
    if (run.dry_run == DryRun::yes) return view_of(profile);
    transaction.commit();
  }
  return build_at_carrier(profile, "compliance update", true);
}

ComplianceView Service::build_at_carrier(ComplianceProfile& profile, std::string_view action, bool resuming) {
  CarrierCall call;
  call.kind = CallKind::compliance;
  call.number = call_key(profile);
  call.provider = profile.provider;
  call.action = std::string(action);
  call.details = details({{"profile", profile.name}});
  if (!outbox().start(call)) fail(ErrorCategory::refused, "profile " + profile.name + " is being built by another numctl");
  try {
    bool rejected = profile.state == ReviewState::rejected;
    auto was = std::pair(profile.carrier_status, profile.reason);
    Review review = build_profile(profile, resuming);
    if (rejected) {
      // Rejected it stays, with the carrier's reason, until it is submitted again.
      review.state = ReviewState::rejected;
      review.carrier_status = was.first;
      review.reason = was.second.value_or("");
    }
    Store::Transaction transaction(store_);
    auto body = Json::parse(profile.body, nullptr, false);
    if (body.is_object() && body.erase("fields_changed")) profile.body = body.dump();
    record_review(profile, review, "compliance_build");
    outbox().settle(call, CallState::done);
    transaction.commit();
  } catch (const Error& error) {
    // Left owed: the next numctl compliance refresh finishes it, finding what was made.
    if (error.category() == ErrorCategory::carrier) outbox().settle_alone(call, CallState::owed, error.what());
    throw;
  }
  return view_of(profile);
}

ComplianceView Service::submit_compliance(const std::string& name, const RunOptions& run) {
  ComplianceProfile profile = require_profile(to_nfc(name));
  auto& carrier = compliance_carrier();
  if (profile.state == ReviewState::creating || !profile.carrier_ref)
    fail(ErrorCategory::refused, "profile " + profile.name + " is not built at " + profile.provider +
                                     " yet; numctl compliance refresh finishes building it");
  if (profile.state == ReviewState::in_review || profile.state == ReviewState::approved)
    fail(ErrorCategory::refused,
         fmt::format("profile {} is {} at {} already", profile.name, to_string(profile.state), profile.provider));
  auto view = view_of(profile);
  if (!view.missing.empty())
    fail(ErrorCategory::refused,
         fmt::format("{} {} still misses {}: add it with numctl compliance update {} --field NAME=VALUE or --document KIND=FILE",
                     carrier.profile_word(), profile.name, text::join(view.missing, ", "), profile.name));
  if (run.dry_run == DryRun::yes) return view;
  Review review = carrier.submit(*profile.carrier_ref);
  Store::Transaction transaction(store_);
  record_review(profile, review, "compliance_submit");
  transaction.commit();
  return view_of(profile);
}

std::optional<ComplianceProfile> Service::profile_for_order(const NumberRecord& planned, const BuyOptions& options) {
  auto* carrier = provider().compliance();
  if (!carrier) return std::nullopt;
  auto regulations = carrier_regulations(planned.country, planned.type, false);
  if (regulations.empty() && !options.compliance) return std::nullopt;
  std::string type(to_string(planned.type));
  std::optional<ComplianceProfile> chosen;
  if (options.compliance) {
    chosen = require_profile(*options.compliance);
    if (chosen->state == ReviewState::creating)
      fail(ErrorCategory::refused, "profile " + chosen->name + " is not built at " + chosen->provider +
                                       " yet; numctl compliance refresh finishes building it");
    if (chosen->provider != provider().name() || chosen->country != planned.country || chosen->type != planned.type)
      fail(ErrorCategory::refused,
           fmt::format("profile {} is for {} {} numbers at {}, not {} {} at {}", chosen->name, chosen->country,
                       to_string(chosen->type), chosen->provider, planned.country, type, provider().name()));
  } else {
    // The approved one first; at an order-first carrier, any not rejected.
    for (auto& profile : store_.profiles()) {
      if (profile.provider != provider().name() || profile.country != planned.country || profile.type != planned.type ||
          profile.state == ReviewState::creating)
        continue;
      if (profile.state == ReviewState::approved) return profile;
      if (!chosen && profile.state != ReviewState::rejected) chosen = profile;
    }
  }
  std::string word(carrier->profile_word());
  if (!chosen) {
    // A profile the operator manages by hand ([provider.countries] bundle_sid, requirement_group_id).
    auto configured = config_.provider.order_settings(planned.country, type);
    if (configured.bundle_sid || configured.requirement_group_id) return std::nullopt;
    std::vector<std::string> needs;
    for (const auto& r : regulations) {
      std::vector<std::string> items;
      for (const auto& q : r.requirements) items.push_back(q.name);
      needs.push_back((r.end_user_type.empty() ? "" : r.end_user_type + ": ") + text::join(items, ", "));
    }
    fail(ErrorCategory::refused,
         fmt::format("{} {} numbers at {} need an approved {} ({}); create one with numctl compliance create NAME --country {} "
                     "--type {} --field NAME=VALUE --document KIND=FILE (numctl regulations --country {} lists what is asked)",
                     planned.country, type, provider().name(), word, text::join(needs, "; "), planned.country, type,
                     planned.country));
  }
  if (chosen->state == ReviewState::approved || !carrier->approval_before_order()) {
    if (chosen->state == ReviewState::rejected)
      fail(ErrorCategory::refused,
           fmt::format("{} {} was rejected by {}: {}; fix it with numctl compliance update {}", word, chosen->name,
                       chosen->provider, chosen->reason.value_or("no reason given"), chosen->name));
    return chosen;
  }
  if (options.when_approved && chosen->state != ReviewState::rejected) return chosen;
  fail(ErrorCategory::refused,
       fmt::format("{} {} is {} at {} ({}): buy once it is approved (numctl compliance refresh reads the verdict), or buy "
                   "--when-approved to have the order placed then",
                   word, chosen->name, to_string(chosen->state), chosen->provider,
                   chosen->reason ? *chosen->reason : chosen->carrier_status));
}

}  // namespace numctl
