// The names of compliance states and requirement kinds, and regulations as the cache stores them.
#include "numctl/compliance.hpp"
#include "domain/compliance_json.hpp"
#include "util/names.hpp"

#include <nlohmann/json.hpp>

#include <array>

namespace numctl {
namespace {
constexpr std::array<std::string_view, 5> review_state_names{"creating", "draft", "in_review", "approved", "rejected"};
constexpr std::array<std::string_view, 3> requirement_kind_names{"field", "document", "address"};
}  // namespace

std::string_view to_string(ReviewState state) { return name_in(review_state_names, state); }
std::optional<ReviewState> parse_review_state(std::string_view name) {
  return parse_named<ReviewState>(review_state_names, name);
}
std::string_view to_string(Requirement::Kind kind) { return name_in(requirement_kind_names, kind); }

std::string regulations_to_json(const std::vector<RegulationInfo>& regulations) {
  nlohmann::json out = nlohmann::json::array();
  for (const auto& r : regulations) {
    nlohmann::json requirements = nlohmann::json::array();
    for (const auto& q : r.requirements)
      requirements.push_back({{"kind", to_string(q.kind)},
                              {"name", q.name},
                              {"label", q.label},
                              {"description", q.description},
                              {"accepts", q.accepts},
                              {"fields", q.fields},
                              {"carrier_ref", q.carrier_ref}});
    out.push_back({{"provider", r.provider},
                   {"country", r.country},
                   {"type", to_string(r.type)},
                   {"end_user_type", r.end_user_type},
                   {"name", r.name},
                   {"carrier_ref", r.carrier_ref},
                   {"requirements", requirements}});
  }
  return out.dump();
}

std::vector<RegulationInfo> regulations_from_json(std::string_view text) {
  std::vector<RegulationInfo> out;
  auto parsed = nlohmann::json::parse(text, nullptr, false);
  if (!parsed.is_array()) return out;
  for (const auto& item : parsed) {
    if (!item.is_object()) continue;
    RegulationInfo r;
    r.provider = item.value("provider", "");
    r.country = item.value("country", "");
    r.type = parse_number_type(item.value("type", "local")).value_or(NumberType::local);
    r.end_user_type = item.value("end_user_type", "");
    r.name = item.value("name", "");
    r.carrier_ref = item.value("carrier_ref", "");
    for (const auto& q : item.value("requirements", nlohmann::json::array())) {
      Requirement requirement;
      requirement.kind =
          parse_named<Requirement::Kind>(requirement_kind_names, q.value("kind", "field")).value_or(Requirement::Kind::field);
      requirement.name = q.value("name", "");
      requirement.label = q.value("label", "");
      requirement.description = q.value("description", "");
      requirement.accepts = q.value("accepts", std::vector<std::string>{});
      requirement.fields = q.value("fields", std::vector<std::string>{});
      requirement.carrier_ref = q.value("carrier_ref", "");
      r.requirements.push_back(std::move(requirement));
    }
    out.push_back(std::move(r));
  }
  return out;
}

}  // namespace numctl
