// Twilio's Regulatory Compliance API v2 (numbers.twilio.com): Regulations say what a country and
// number type require; a Bundle gathers an EndUser and SupportingDocuments (their files uploaded
// to numbers-upload.twilio.com) through ItemAssignments; an Evaluation says what is missing;
// POST Bundles/{Sid} Status=pending-review submits it; Twilio's review ends twilio-approved or
// twilio-rejected. Bundle first: a regulated number is sold only with an approved bundle.
#include "carriers.hpp"
#include "numctl/text.hpp"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <set>

namespace numctl::carrier {
namespace {

using nlohmann::json;

constexpr std::string_view v2 = "/v2/RegulatoryCompliance";

std::string_view twilio_type(NumberType type) {
  switch (type) {
    case NumberType::local: return "local";
    case NumberType::mobile: return "mobile";
    case NumberType::toll_free: return "toll-free";
  }
  return "local";
}

ReviewState state_of(std::string_view status) {
  if (status == "twilio-approved" || status == "provisionally-approved") return ReviewState::approved;
  if (status == "twilio-rejected") return ReviewState::rejected;
  if (status == "pending-review" || status == "in-review") return ReviewState::in_review;
  return ReviewState::draft;
}

// The path of a next_page_url Twilio gives in full ("https://numbers.twilio.com/v2/...").
std::string path_of(const std::string& url) {
  auto scheme = url.find("://");
  if (scheme == std::string::npos) return url;
  auto slash = url.find('/', scheme + 3);
  return slash == std::string::npos ? "/" : url.substr(slash);
}

// The value of a field as Twilio's attributes hold it: *_sids are lists.
json attribute_value(const std::string& name, const std::string& value) {
  if (!name.ends_with("_sids")) return value;
  json list = json::array();
  for (const auto& part : text::split(value, ',')) list.push_back(std::string(text::trim(part)));
  return list;
}

class TwilioCompliance final : public ComplianceCarrier {
 public:
  TwilioCompliance(RestCarrier& rest, const ProviderSettings& settings)
      : rest_(rest),
        numbers_(settings.numbers_base_url.value_or(settings.base_url.value_or("https://numbers.twilio.com"))),
        upload_(settings.numbers_upload_base_url.value_or(settings.base_url.value_or("https://numbers-upload.twilio.com"))) {}

  std::string_view profile_word() const override { return "bundle"; }
  bool approval_before_order() const override { return true; }

  std::vector<RegulationInfo> regulations(const std::string& country, NumberType type) override {
    std::vector<RegulationInfo> out;
    std::string path = std::string(v2) + "/Regulations?" +
                       form({{"IsoCountry", country},
                             {"NumberType", std::string(twilio_type(type))},
                             {"IncludeConstraints", "true"},
                             {"PageSize", "50"}});
    pages(path, "results", "reading " + country + " regulations", [&](const json& item) {
      out.push_back(regulation_of(item, country, type));
      return false;
    });
    return out;
  }

  Review build(ComplianceBuild& b) override {
    const std::string doing = "building bundle " + b.tag;
    const RegulationInfo& regulation = *b.regulation;
    // The end user, with the fields the regulation names for it.
    json attributes = json::object();
    for (const auto& requirement : regulation.requirements)
      if (requirement.kind == Requirement::Kind::field)
        if (auto it = b.fields.find(requirement.name); it != b.fields.end() && requirement.name != "email")
          attributes[requirement.name] = attribute_value(it->first, it->second);
    if (b.refs.contains("end_user") && b.fields_changed)
      numbers("POST", "/EndUsers/" + url_encode(b.refs.at("end_user")), form({{"Attributes", attributes.dump()}}), doing);
    if (!b.refs.contains("end_user")) {
      made(b, "end_user", make("EndUsers", b.tag, b.resuming, [&] {
             return numbers(
                 "POST", "/EndUsers",
                 form({{"FriendlyName", b.tag}, {"Type", regulation.end_user_type}, {"Attributes", attributes.dump()}}), doing);
           }));
    }
    for (const auto& document : b.documents) {
      std::string key = "document:" + std::to_string(document.id);
      if (b.refs.contains(key)) continue;
      std::string name = b.tag + " " + document.kind + " #" + std::to_string(document.id);
      made(b, key, make("SupportingDocuments", name, b.resuming, [&] { return upload(b, document, name, doing); }));
    }
    if (!b.refs.contains("profile") && b.resuming)
      if (auto found = bundle_named(b.tag)) made(b, "profile", *found);
    if (!b.refs.contains("profile")) {
      auto email = b.fields.find("email");
      made(b, "profile",
           rest_.create_once(
               [&] {
                 return text_of(numbers("POST", "/Bundles",
                                        form({{"FriendlyName", b.tag},
                                              {"Email", email == b.fields.end() ? "" : email->second},
                                              {"RegulationSid", regulation.carrier_ref},
                                              {"IsoCountry", regulation.country},
                                              {"NumberType", std::string(twilio_type(regulation.type))},
                                              {"EndUserType", regulation.end_user_type}}),
                                        doing, true),
                                "sid");
               },
               [&] { return bundle_named(b.tag); }));
    }
    const std::string bundle = b.refs.at("profile");
    assign_items(b, bundle, doing);
    auto evaluation = numbers("POST", "/Bundles/" + url_encode(bundle) + "/Evaluations", {}, doing);
    Review review;
    review.state = ReviewState::draft;
    review.carrier_status = "draft";
    review.missing = missing_of(evaluation);
    return review;
  }

  Review submit(const std::string& bundle) override {
    auto body =
        numbers("POST", "/Bundles/" + url_encode(bundle), form({{"Status", "pending-review"}}), "submitting bundle " + bundle);
    return review_of(body, bundle);
  }

  Review review(const std::string& bundle, const RegulationInfo*) override {
    auto body = rest_.send({.method = "GET",
                            .path = std::string(v2) + "/Bundles/" + url_encode(bundle),
                            .doing = "reading bundle " + bundle,
                            .absent = {404},
                            .base = numbers_});
    if (body.is_null()) return {ReviewState::rejected, "deleted", "the bundle is gone at Twilio", {}};
    return review_of(body, bundle);
  }

 private:
  json numbers(const std::string& method, const std::string& path, const std::string& body, const std::string& doing,
               bool once = false) {
    return rest_.send(
        {.method = method, .path = std::string(v2) + path, .body = body, .doing = doing, .base = numbers_, .once = once});
  }

  void made(ComplianceBuild& b, const std::string& key, const std::string& ref) {
    if (ref.empty()) raise_fault("Twilio", "building bundle " + b.tag, CarrierFault{200, "", "the answer carried no sid"});
    b.refs[key] = ref;
    if (b.made) b.made(key, ref);
  }

  // Creates one object exactly once; on a resumed build, an object an earlier run made under this
  // friendly name is taken instead.
  std::string make(const std::string& resource, const std::string& name, bool resuming, const std::function<json()>& create) {
    auto find = [&]() { return named(resource, name); };
    if (resuming)
      if (auto found = find()) return *found;
    return rest_.create_once([&] { return text_of(create(), "sid"); }, find);
  }

  // Calls `visit` on every item of a listing, page by page, until it answers true.
  void pages(std::string path, const char* key, const std::string& doing, const std::function<bool(const json&)>& visit) {
    while (!path.empty()) {
      auto body = rest_.send({.method = "GET", .path = path, .doing = doing, .base = numbers_});
      for (const auto& item : body.value(key, json::array()))
        if (visit(item)) return;
      auto next = body.value("meta", json::object()).value("next_page_url", json());
      path = next.is_string() ? path_of(next.get<std::string>()) : std::string();
    }
  }

  std::optional<std::string> named(const std::string& resource, const std::string& name) {
    std::optional<std::string> found;
    pages(std::string(v2) + "/" + resource + "?PageSize=100", "results", "looking for " + name, [&](const json& item) {
      if (text_of(item, "friendly_name") == name) found = text_of(item, "sid");
      return found.has_value();
    });
    return found;
  }

  std::optional<std::string> bundle_named(const std::string& name) {
    std::optional<std::string> found;
    pages(std::string(v2) + "/Bundles?" + form({{"FriendlyName", name}, {"PageSize", "20"}}), "results",
          "looking for bundle " + name, [&](const json& item) {
            if (text_of(item, "friendly_name") == name) found = text_of(item, "sid");
            return found.has_value();
          });
    return found;
  }

  // A supporting document and its file, in one multipart request to the upload host.
  json upload(const ComplianceBuild& b, const ComplianceBuild::Document& document, const std::string& name,
              const std::string& doing) {
    json attributes = json::object();
    for (const auto& requirement : b.regulation->requirements)
      if (requirement.kind != Requirement::Kind::field && requirement.name == document.kind)
        for (const auto& field : requirement.fields)
          if (auto it = b.fields.find(field); it != b.fields.end()) attributes[field] = attribute_value(field, it->second);
    std::string content_type;
    std::string body = multipart({{"FriendlyName", name, ""},
                                  {"Type", document.type, ""},
                                  {"Attributes", attributes.dump(), ""},
                                  {"File", document.content, document.filename}},
                                 content_type);
    return rest_.send({.method = "POST",
                       .path = std::string(v2) + "/SupportingDocuments",
                       .body = body,
                       .doing = doing,
                       .base = upload_,
                       .content_type = content_type,
                       .once = true});
  }

  void assign_items(ComplianceBuild& b, const std::string& bundle, const std::string& doing) {
    std::string path = "/Bundles/" + url_encode(bundle) + "/ItemAssignments";
    auto assigned = [&] {
      std::set<std::string> sids;
      pages(std::string(v2) + path + "?PageSize=100", "results", doing, [&](const json& item) {
        sids.insert(text_of(item, "object_sid"));
        return false;
      });
      return sids;
    };
    auto already = assigned();
    for (const auto& entry : b.refs) {
      // Named, not bound: a lambda below captures it (clang 14 captures no structured binding).
      const std::string& key = entry.first;
      const std::string& ref = entry.second;
      if (key == "profile" || key.starts_with("assigned:") || already.contains(ref)) continue;
      rest_.create_once(
          [&] {
            return text_of(numbers("POST", path, form({{"ObjectSid", ref}}), doing, true), "sid");
          },
          [&]() -> std::optional<std::string> {
            if (assigned().contains(ref)) return ref;
            return std::nullopt;
          });
    }
  }

  // What an evaluation found missing: each failed requirement's invalid fields, else its name.
  static std::vector<std::string> missing_of(const json& evaluation) {
    std::vector<std::string> missing;
    for (const auto& result : evaluation.value("results", json::array())) {
      if (!result.is_object() || result.value("passed", false)) continue;
      bool named = false;
      for (const auto& invalid : result.value("invalid", json::array())) {
        std::string field = text_of(invalid, "object_field");
        if (field.empty()) field = machine_name(text_of(invalid, "friendly_name"));
        if (field.empty()) continue;
        missing.push_back(text_of(result, "requirement_name") + "." + field);
        named = true;
      }
      if (!named) missing.push_back(text_of(result, "requirement_name"));
    }
    return missing;
  }

  Review review_of(const json& bundle, const std::string& sid) {
    Review review;
    review.carrier_status = text_of(bundle, "status");
    review.state = state_of(review.carrier_status);
    if (review.state == ReviewState::rejected) {
      review.reason = text_of(bundle, "failure_reason");
      if (review.reason.empty()) {
        // The latest evaluation says why.
        auto evaluations = numbers("GET", "/Bundles/" + url_encode(sid) + "/Evaluations?PageSize=1", {},
                                   "reading why bundle " + sid + " was rejected");
        for (const auto& evaluation : evaluations.value("results", json::array()))
          for (const auto& result : evaluation.value("results", json::array()))
            if (result.is_object() && !result.value("passed", true))
              review.reason += (review.reason.empty() ? "" : "; ") + text_of(result, "failure_reason");
      }
      if (review.reason.empty()) review.reason = "rejected by Twilio (no reason given)";
      review.reason = text::one_line(review.reason);
    }
    return review;
  }

  static RegulationInfo regulation_of(const json& item, const std::string& country, NumberType type) {
    RegulationInfo info;
    info.provider = "twilio";
    info.country = country;
    info.type = type;
    info.end_user_type = text_of(item, "end_user_type");
    info.name = text_of(item, "friendly_name");
    info.carrier_ref = text_of(item, "sid");
    auto requirements = item.value("requirements", json::object());
    for (const auto& end_user : requirements.value("end_user", json::array())) {
      auto detailed = end_user.value("detailed_fields", json::array());
      for (const auto& field : end_user.value("fields", json::array())) {
        if (!field.is_string()) continue;
        Requirement r;
        r.kind = Requirement::Kind::field;
        r.name = field.get<std::string>();
        r.label = r.name;
        for (const auto& d : detailed)
          if (text_of(d, "machine_name") == r.name) {
            r.label = text_of(d, "friendly_name");
            r.description = text_of(d, "description");
          }
        info.requirements.push_back(std::move(r));
      }
    }
    // The bundle's notification address: a field of the profile, as Twilio requires it.
    info.requirements.push_back(
        {Requirement::Kind::field, "email", "Email", "where Twilio writes about the bundle's review", {}, {}, {}});
    for (const auto& group : requirements.value("supporting_document", json::array()))
      for (const auto& document : group.is_array() ? group : json::array({group})) {
        Requirement r;
        r.name = text_of(document, "requirement_name");
        r.label = text_of(document, "name");
        r.description = text_of(document, "description");
        r.kind = Requirement::Kind::document;
        for (const auto& accepted : document.value("accepted_documents", json::array())) {
          r.accepts.push_back(text_of(accepted, "type"));
          for (const auto& field : accepted.value("fields", json::array()))
            if (field.is_string() && std::find(r.fields.begin(), r.fields.end(), field.get<std::string>()) == r.fields.end())
              r.fields.push_back(field.get<std::string>());
        }
        info.requirements.push_back(std::move(r));
      }
    return info;
  }

  RestCarrier& rest_;
  std::string numbers_, upload_;
};

}  // namespace

std::unique_ptr<ComplianceCarrier> make_twilio_compliance(RestCarrier& rest, const ProviderSettings& settings) {
  return std::make_unique<TwilioCompliance>(rest, settings);
}

}  // namespace numctl::carrier
