// Regulatory compliance at a carrier: what a country's regulator requires (as the carrier
// publishes it), the profiles numctl builds there (Twilio's bundles, Telnyx's requirement
// groups) and the carrier's verdict on them. With a carrier configured the verdict is the guard
// of pending -> active; the offline providers keep [regulation] and numctl approve.
#pragma once

#include "numctl/domain.hpp"

#include <cstdint>
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace numctl {

// One thing a regulation asks for, named as the carrier names it: a field of the end user
// (business_name), or a document (proof_of_address) with the document types it accepts and
// their fields; Telnyx's requirements are folded the same way ("Business Name" -> business_name).
struct Requirement {
  enum class Kind : std::uint8_t { field, document, address };
  Kind kind = Kind::field;
  std::string name;   // machine name
  std::string label;  // as the carrier shows it
  std::string description;
  std::vector<std::string> accepts;  // document: the document types it accepts (Twilio)
  std::vector<std::string> fields;   // document: the fields its attributes carry (Twilio)
  std::string carrier_ref;           // Telnyx: the requirement type's id
};
std::string_view to_string(Requirement::Kind kind);

// What a carrier requires for numbers of one country and type (one per end-user type at Twilio).
struct RegulationInfo {
  std::string provider;
  std::string country;
  NumberType type = NumberType::local;
  std::string end_user_type;  // business | individual (Twilio); "" at Telnyx
  std::string name;           // the carrier's name of it
  std::string carrier_ref;    // Twilio's RN… sid
  std::vector<Requirement> requirements;
};

// numctl's words for where a profile stands; the carrier's own status is kept beside it.
enum class ReviewState : std::uint8_t { creating, draft, in_review, approved, rejected };
std::string_view to_string(ReviewState state);
std::optional<ReviewState> parse_review_state(std::string_view name);

// A carrier's answer about a profile.
struct Review {
  ReviewState state = ReviewState::draft;
  std::string carrier_status;        // twilio-approved, pending-approval, ...
  std::string reason;                // the carrier's words when it rejected
  std::vector<std::string> missing;  // what its evaluation says is still missing
};

// A compliance profile as numctl stores it. `body` is JSON numctl owns: the fields given, the
// carrier's ids of the objects built, what its evaluation found missing, the review history.
struct ComplianceProfile {
  std::int64_t id = 0;
  std::string name;
  std::string provider;
  std::string country;
  NumberType type = NumberType::local;
  std::string end_user_type;
  ReviewState state = ReviewState::creating;
  std::string carrier_status;
  std::optional<std::string> carrier_ref;
  std::optional<std::string> reason;
  std::string body = "{}";
  std::string created_at, updated_at;
};

// A document of a profile as the store keeps it (bytes apart).
struct ProfileDocument {
  std::int64_t id = 0;
  std::string kind;
  std::string filename;
  std::int64_t size = 0;
  std::string sha256;
  std::string added_at;
};

// What a carrier is asked to build (or to finish building) for a profile.
struct ComplianceBuild {
  std::string tag;  // "numctl-7 acme-de": the objects' friendly name / customer reference
  const RegulationInfo* regulation = nullptr;
  std::map<std::string, std::string> fields;
  struct Document {
    std::int64_t id = 0;
    std::string kind, type, filename;
    std::string content;
  };
  std::vector<Document> documents;
  // The carrier's ids of what exists already ("profile", "end_user", "document:<id>",
  // "assigned:<ref>"), filled in as objects are made; `made` is told each one at once so that a
  // crash loses none.
  std::map<std::string, std::string> refs;
  std::function<void(const std::string& key, const std::string& ref)> made;
  // An earlier run may have made objects it did not record: look them up by tag before making.
  bool resuming = false;
  // The fields changed since the objects were made: written to the carrier again.
  bool fields_changed = false;
};

}  // namespace numctl
