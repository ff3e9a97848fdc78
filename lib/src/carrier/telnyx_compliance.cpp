// Telnyx's regulatory requirements (API v2): /requirements says what a country, number type and
// action (ordering) require; /documents takes the files; a requirement group holds the answers
// and document ids (/requirement_groups, submit_for_approval), reusable across orders. Order
// first: a number order placed with the group waits at Telnyx until it approves.
#include "carriers.hpp"
#include "numctl/text.hpp"

#include <nlohmann/json.hpp>

#include <random>

namespace numctl::carrier {
namespace {

using nlohmann::json;

ReviewState state_of(std::string_view status) {
  if (status == "approved") return ReviewState::approved;
  if (status == "declined" || status == "expired") return ReviewState::rejected;
  if (status == "pending-approval") return ReviewState::in_review;
  return ReviewState::draft;
}

// A requirement group as Telnyx answers it: the object itself, or wrapped in data.
json group_of(const json& body) {
  if (auto data = body.find("data"); data != body.end() && data->is_object()) return *data;
  return body;
}

class TelnyxCompliance final : public ComplianceCarrier {
 public:
  explicit TelnyxCompliance(RestCarrier& rest) : rest_(rest) {}

  std::string_view profile_word() const override { return "requirement group"; }
  bool approval_before_order() const override { return false; }

  std::vector<RegulationInfo> regulations(const std::string& country, NumberType type) override {
    std::vector<std::pair<std::string, std::string>> query{
        {"filter[country_code]", country}, {"filter[action]", "ordering"}, {"page[size]", "250"}};
    // Telnyx filters by local, national and toll_free; a mobile regulation is told apart below.
    if (type != NumberType::mobile) query.emplace_back("filter[phone_number_type]", std::string(to_string(type)));
    auto body =
        rest_.send({.method = "GET", .path = "/v2/requirements?" + form(query), .doing = "reading " + country + " requirements"});
    std::vector<RegulationInfo> out;
    for (const auto& item : body.value("data", json::array())) {
      std::string kind = text_of(item, "phone_number_type");
      if (type == NumberType::mobile ? !(kind == "mobile" || kind == "national") : kind != to_string(type)) continue;
      RegulationInfo info;
      info.provider = "telnyx";
      info.country = country;
      info.type = type;
      info.carrier_ref = text_of(item, "id");
      info.name = country + " " + kind + " ordering";
      for (const auto& requirement : item.value("requirement_types", json::array())) {
        Requirement r;
        std::string what = text_of(requirement, "type");
        r.kind = what == "document"  ? Requirement::Kind::document
                 : what == "address" ? Requirement::Kind::address
                                     : Requirement::Kind::field;
        r.label = text_of(requirement, "name");
        r.name = machine_name(r.label);
        r.description = text_of(requirement, "description");
        r.carrier_ref = text_of(requirement, "id");
        info.requirements.push_back(std::move(r));
      }
      out.push_back(std::move(info));
    }
    return out;
  }

  Review build(ComplianceBuild& b) override {
    const std::string doing = "building requirement group " + b.tag;
    for (const auto& document : b.documents) {
      std::string key = "document:" + std::to_string(document.id);
      if (b.refs.contains(key)) continue;
      std::string reference = b.tag + " " + document.kind + " #" + std::to_string(document.id);
      made(b, key, telnyx_document(rest_, reference, document.filename, document.content, doing, b.resuming));
    }
    // The answers: a field's value, a document's id, an address's id (given as a field).
    json answers = json::array();
    std::vector<std::string> missing;
    for (const auto& requirement : b.regulation->requirements) {
      std::string value;
      if (requirement.kind == Requirement::Kind::document) {
        for (const auto& document : b.documents)
          if (document.kind == requirement.name) value = b.refs["document:" + std::to_string(document.id)];
      } else if (auto it = b.fields.find(requirement.name); it != b.fields.end()) {
        value = it->second;
      }
      if (value.empty())
        missing.push_back(requirement.name);
      else
        answers.push_back({{"requirement_id", requirement.carrier_ref}, {"field_value", value}});
    }
    auto find_group = [&]() -> std::optional<std::string> {
      auto body = rest_.send({.method = "GET",
                              .path = "/v2/requirement_groups?" + form({{"filter[customer_reference]", b.tag}}),
                              .doing = "looking for requirement group " + b.tag});
      const json& list = body.is_array() ? body : body.value("data", json::array());
      for (const auto& item : list)
        if (text_of(item, "customer_reference") == b.tag) return text_of(item, "id");
      return std::nullopt;
    };
    json group;
    if (!b.refs.contains("profile")) {
      std::optional<std::string> found = b.resuming ? find_group() : std::nullopt;
      if (!found) {
        json request = {{"country_code", b.regulation->country},
                        {"phone_number_type", std::string(to_string(b.regulation->type))},
                        {"action", "ordering"},
                        {"customer_reference", b.tag},
                        {"regulatory_requirements", answers}};
        found = rest_.create_once(
            [&] {
              group = group_of(rest_.send(
                  {.method = "POST", .path = "/v2/requirement_groups", .body = request.dump(), .doing = doing, .once = true}));
              return text_of(group, "id");
            },
            find_group);
      }
      made(b, "profile", *found);
    }
    if (group.is_null()) {
      // Made earlier (or found): its answers brought up to date.
      group = group_of(rest_.send({.method = "PATCH",
                                   .path = "/v2/requirement_groups/" + url_encode(b.refs.at("profile")),
                                   .body = json{{"regulatory_requirements", answers}}.dump(),
                                   .doing = doing}));
    }
    Review review;
    review.carrier_status = text_of(group, "status");
    review.state = state_of(review.carrier_status);
    review.missing = std::move(missing);
    return review;
  }

  Review submit(const std::string& group) override {
    auto body = rest_.send({.method = "POST",
                            .path = "/v2/requirement_groups/" + url_encode(group) + "/submit_for_approval",
                            .doing = "submitting requirement group " + group});
    return review_of(group_of(body), nullptr);
  }

  Review review(const std::string& group, const RegulationInfo* regulation) override {
    auto body = rest_.send({.method = "GET",
                            .path = "/v2/requirement_groups/" + url_encode(group),
                            .doing = "reading requirement group " + group,
                            .absent = {404}});
    if (body.is_null()) return {ReviewState::rejected, "deleted", "the requirement group is gone at Telnyx", {}};
    return review_of(group_of(body), regulation);
  }

 private:
  void made(ComplianceBuild& b, const std::string& key, const std::string& ref) {
    if (ref.empty())
      raise_fault("Telnyx", "building requirement group " + b.tag, CarrierFault{200, "", "the answer carried no id"});
    b.refs[key] = ref;
    if (b.made) b.made(key, ref);
  }

  // A declined group's reason: the requirements Telnyx declined, by the names the regulation gives.
  static Review review_of(const json& group, const RegulationInfo* regulation) {
    Review review;
    review.carrier_status = text_of(group, "status");
    review.state = state_of(review.carrier_status);
    if (review.state != ReviewState::rejected) return review;
    std::vector<std::string> declined;
    for (const auto& item : group.value("regulatory_requirements", json::array())) {
      std::string status = text_of(item, "status");
      if (status != "declined" && status != "expired") continue;
      std::string id = text_of(item, "requirement_id"), name = id;
      if (regulation)
        for (const auto& requirement : regulation->requirements)
          if (requirement.carrier_ref == id) name = requirement.name;
      declined.push_back(name + " " + status);
    }
    review.reason = review.carrier_status == "expired" ? "the requirement group expired at Telnyx"
                    : declined.empty()                 ? "declined by Telnyx"
                                                       : "declined by Telnyx: " + text::join(declined, ", ");
    return review;
  }

  RestCarrier& rest_;
};

}  // namespace

std::unique_ptr<ComplianceCarrier> make_telnyx_compliance(RestCarrier& rest) { return std::make_unique<TelnyxCompliance>(rest); }

std::string telnyx_document(RestCarrier& rest, const std::string& reference, const std::string& filename,
                            const std::string& content, const std::string& doing, bool look_first) {
  auto find = [&]() -> std::optional<std::string> {
    auto body = rest.send(
        {.method = "GET", .path = "/v2/documents?" + form({{"filter[customer_reference][eq]", reference}}), .doing = doing});
    for (const auto& item : body.value("data", json::array()))
      if (text_of(item, "customer_reference") == reference) return text_of(item, "id");
    return std::nullopt;
  };
  if (look_first)
    if (auto found = find()) return *found;
  return rest.create_once(
      [&] {
        json request = {{"file", base64(content)}, {"filename", filename}, {"customer_reference", reference}};
        auto body = rest.send({.method = "POST", .path = "/v2/documents", .body = request.dump(), .doing = doing, .once = true});
        return text_of(body.value("data", json::object()), "id");
      },
      find);
}

std::string machine_name(std::string_view label) {
  std::string out;
  for (char c : label) {
    if (std::isalnum(static_cast<unsigned char>(c)))
      out += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    else if (!out.empty() && out.back() != '_')
      out += '_';
  }
  while (!out.empty() && out.back() == '_') out.pop_back();
  return out;
}

std::string base64(std::string_view bytes) {
  static constexpr char alphabet[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
  std::string out;
  out.reserve((bytes.size() + 2) / 3 * 4);
  std::size_t i = 0;
  for (; i + 2 < bytes.size(); i += 3) {
    auto n =
        std::uint32_t(std::uint8_t(bytes[i])) << 16 | std::uint32_t(std::uint8_t(bytes[i + 1])) << 8 | std::uint8_t(bytes[i + 2]);
    for (int shift : {18, 12, 6, 0}) out += alphabet[(n >> shift) & 63];
  }
  if (i < bytes.size()) {
    auto n = std::uint32_t(std::uint8_t(bytes[i])) << 16;
    if (i + 1 < bytes.size()) n |= std::uint32_t(std::uint8_t(bytes[i + 1])) << 8;
    out += alphabet[(n >> 18) & 63];
    out += alphabet[(n >> 12) & 63];
    out += i + 1 < bytes.size() ? alphabet[(n >> 6) & 63] : '=';
    out += '=';
  }
  return out;
}

std::string mime_of(std::string_view content) {
  if (content.starts_with("%PDF")) return "application/pdf";
  if (content.starts_with("\x89PNG")) return "image/png";
  if (content.starts_with("\xFF\xD8\xFF")) return "image/jpeg";
  return "application/octet-stream";
}

std::string multipart(const std::vector<FormPart>& parts, std::string& content_type) {
  std::string boundary;
  std::mt19937_64 random(std::random_device{}());
  auto in_a_value = [&] {
    for (const auto& part : parts)
      if (part.value.find(boundary) != std::string::npos) return true;
    return false;
  };
  do boundary = "numctl-" + std::to_string(random());
  while (in_a_value());
  std::string body;
  for (const auto& part : parts) {
    body += "--" + boundary + "\r\nContent-Disposition: form-data; name=\"" + part.name + "\"";
    if (!part.filename.empty()) {
      std::string filename = part.filename;
      std::erase_if(filename, [](char c) { return c == '"' || c == '\\' || c == '\r' || c == '\n'; });
      body += "; filename=\"" + filename + "\"\r\nContent-Type: " + mime_of(part.value);
    }
    body += "\r\n\r\n" + part.value + "\r\n";
  }
  body += "--" + boundary + "--\r\n";
  content_type = "multipart/form-data; boundary=" + boundary;
  return body;
}

}  // namespace numctl::carrier
