// The PostgreSQL engine's compliance profiles, their documents, and the cached regulations.
#include "store_impl.hpp"

namespace numctl::postgres {
namespace {

constexpr const char* profile_columns =
    "id, name, provider, country, type, end_user_type, state, carrier_status, carrier_ref, reason, body, created_at, "
    "updated_at";

std::vector<ComplianceProfile> read_profiles(const pg::Result& r) {
  std::vector<ComplianceProfile> out;
  for (int i = 0; i < r.rows(); ++i) {
    ComplianceProfile p;
    p.id = r.integer(i, 0);
    p.name = r.text(i, 1);
    p.provider = r.text(i, 2);
    p.country = r.text(i, 3);
    p.type = parse_number_type(r.text(i, 4)).value_or(NumberType::local);
    p.end_user_type = r.text(i, 5);
    auto state = parse_review_state(r.text(i, 6));
    if (!state) fail(ErrorCategory::database, "compliance_profiles holds an unknown state: a newer numctl wrote it?");
    p.state = *state;
    p.carrier_status = r.text(i, 7);
    p.carrier_ref = r.optional(i, 8);
    p.reason = r.optional(i, 9);
    p.body = r.text(i, 10);
    p.created_at = r.text(i, 11);
    p.updated_at = r.text(i, 12);
    out.push_back(std::move(p));
  }
  return out;
}

std::optional<ComplianceProfile> first(std::vector<ComplianceProfile> found) {
  if (found.empty()) return std::nullopt;
  return std::move(found.front());
}

}  // namespace

std::optional<ComplianceProfile> PostgresStore::find_profile(std::string_view name) {
  return first(
      read_profiles(db_.exec(std::string("SELECT ") + profile_columns + " FROM compliance_profiles WHERE lower(name) = lower($1)",
                             pg::Params().text(name))));
}

std::optional<ComplianceProfile> PostgresStore::find_profile(std::int64_t id) {
  return first(read_profiles(
      db_.exec(std::string("SELECT ") + profile_columns + " FROM compliance_profiles WHERE id = $1", pg::Params().integer(id))));
}

std::vector<ComplianceProfile> PostgresStore::profiles() {
  return read_profiles(db_.exec(std::string("SELECT ") + profile_columns + " FROM compliance_profiles ORDER BY name"));
}

bool PostgresStore::save_profile(ComplianceProfile& p) {
  auto params = pg::Params()
                    .text(p.name)
                    .text(p.provider)
                    .text(p.country)
                    .text(to_string(p.type))
                    .text(p.end_user_type)
                    .text(to_string(p.state))
                    .text(p.carrier_status)
                    .optional(p.carrier_ref)
                    .optional(p.reason)
                    .text(p.body)
                    .text(p.created_at)
                    .text(p.updated_at);
  if (p.id == 0) {
    auto r = db_.exec(
        "INSERT INTO compliance_profiles (name, provider, country, type, end_user_type, state, carrier_status,"
        " carrier_ref, reason, body, created_at, updated_at)"
        " VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12) ON CONFLICT DO NOTHING RETURNING id",
        params);
    if (!r.rows()) return false;
    p.id = r.integer(0, 0);
    return true;
  }
  db_.exec(
      "UPDATE compliance_profiles SET name = $1, provider = $2, country = $3, type = $4, end_user_type = $5, state = $6,"
      " carrier_status = $7, carrier_ref = $8, reason = $9, body = $10, created_at = $11, updated_at = $12 WHERE id = $13",
      params.integer(p.id));
  return true;
}

std::int64_t PostgresStore::add_profile_document(std::int64_t profile_id, const ProfileDocument& info,
                                                 const std::string& content) {
  return db_
      .exec(
          "INSERT INTO compliance_documents (profile_id, kind, filename, size, sha256, content, added_at)"
          " VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id",
          pg::Params()
              .integer(profile_id)
              .text(info.kind)
              .text(info.filename)
              .integer(info.size)
              .text(info.sha256)
              .binary(content)
              .text(info.added_at))
      .integer(0, 0);
}

std::vector<ProfileDocument> PostgresStore::profile_documents(std::int64_t profile_id) {
  auto r = db_.exec(
      "SELECT id, kind, filename, size, sha256, added_at FROM compliance_documents WHERE profile_id = $1"
      " ORDER BY id",
      pg::Params().integer(profile_id));
  std::vector<ProfileDocument> out;
  for (int i = 0; i < r.rows(); ++i)
    out.push_back({r.integer(i, 0), r.text(i, 1), r.text(i, 2), r.integer(i, 3), r.text(i, 4), r.text(i, 5)});
  return out;
}

std::optional<std::string> PostgresStore::profile_document_content(std::int64_t document_id) {
  auto r = db_.exec("SELECT content FROM compliance_documents WHERE id = $1", pg::Params().integer(document_id));
  if (!r.rows()) return std::nullopt;
  return r.bytes(0, 0);
}

std::vector<NumberRecord> PostgresStore::numbers_using(const std::string& profile) {
  return records(
      std::string("SELECT ") + number_columns + number_joins + " WHERE lower(n.compliance) = lower($1) ORDER BY n.e164",
      pg::Params().text(profile));
}

std::optional<std::pair<std::string, std::string>> PostgresStore::cached_regulations(const std::string& provider,
                                                                                     const std::string& country,
                                                                                     std::string_view type) {
  auto r = db_.exec("SELECT body, read_at FROM regulations WHERE provider = $1 AND country = $2 AND type = $3",
                    pg::Params().text(provider).text(country).text(type));
  if (!r.rows()) return std::nullopt;
  return std::pair{r.text(0, 0), r.text(0, 1)};
}

void PostgresStore::cache_regulations(const std::string& provider, const std::string& country, std::string_view type,
                                      const std::string& body, const std::string& read_at) {
  db_.exec(
      "INSERT INTO regulations (provider, country, type, body, read_at) VALUES ($1, $2, $3, $4, $5)"
      " ON CONFLICT (provider, country, type) DO UPDATE SET body = EXCLUDED.body, read_at = EXCLUDED.read_at",
      pg::Params().text(provider).text(country).text(type).text(body).text(read_at));
}

}  // namespace numctl::postgres
