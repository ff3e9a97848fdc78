// The SQLite engine's compliance profiles, their documents, and the cached regulations.
#include "store_impl.hpp"

namespace numctl::sqlite {
namespace {

constexpr const char* profile_columns =
    "id, name, provider, country, type, end_user_type, state, carrier_status, carrier_ref, reason, body, created_at, "
    "updated_at";

ComplianceProfile read_profile(const SQLite::Statement& q) {
  ComplianceProfile p;
  p.id = q.getColumn(0).getInt64();
  p.name = q.getColumn(1).getString();
  p.provider = q.getColumn(2).getString();
  p.country = q.getColumn(3).getString();
  p.type = parse_number_type(q.getColumn(4).getString()).value_or(NumberType::local);
  p.end_user_type = q.getColumn(5).getString();
  auto state = parse_review_state(q.getColumn(6).getString());
  if (!state) fail(ErrorCategory::database, "compliance_profiles holds an unknown state: a newer numctl wrote it?");
  p.state = *state;
  p.carrier_status = q.getColumn(7).getString();
  p.carrier_ref = optional_text(q, 8);
  p.reason = optional_text(q, 9);
  p.body = q.getColumn(10).getString();
  p.created_at = q.getColumn(11).getString();
  p.updated_at = q.getColumn(12).getString();
  return p;
}

}  // namespace

std::optional<ComplianceProfile> SqliteStore::find_profile(std::string_view name) {
  return guarded([&]() -> std::optional<ComplianceProfile> {
    SQLite::Statement q(db_, std::string("SELECT ") + profile_columns + " FROM compliance_profiles WHERE name = ?");
    q.bind(1, std::string(name));
    if (!q.executeStep()) return std::nullopt;
    return read_profile(q);
  });
}

std::optional<ComplianceProfile> SqliteStore::find_profile(std::int64_t id) {
  return guarded([&]() -> std::optional<ComplianceProfile> {
    SQLite::Statement q(db_, std::string("SELECT ") + profile_columns + " FROM compliance_profiles WHERE id = ?");
    q.bind(1, static_cast<int64_t>(id));
    if (!q.executeStep()) return std::nullopt;
    return read_profile(q);
  });
}

std::vector<ComplianceProfile> SqliteStore::profiles() {
  return guarded([&] {
    SQLite::Statement q(db_, std::string("SELECT ") + profile_columns + " FROM compliance_profiles ORDER BY name");
    std::vector<ComplianceProfile> out;
    while (q.executeStep()) out.push_back(read_profile(q));
    return out;
  });
}

bool SqliteStore::save_profile(ComplianceProfile& p) {
  return guarded([&] {
    SQLite::Statement q(db_, p.id == 0 ? "INSERT OR IGNORE INTO compliance_profiles (name, provider, country, type, "
                                         "end_user_type, state, carrier_status, carrier_ref, reason, body, created_at, "
                                         "updated_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12)"
                                       : "UPDATE compliance_profiles SET name = ?1, provider = ?2, country = ?3, type = ?4, "
                                         "end_user_type = ?5, state = ?6, carrier_status = ?7, carrier_ref = ?8, reason = ?9, "
                                         "body = ?10, created_at = ?11, updated_at = ?12 WHERE id = ?13");
    q.bind(1, p.name);
    q.bind(2, p.provider);
    q.bind(3, p.country);
    q.bind(4, std::string(to_string(p.type)));
    q.bind(5, p.end_user_type);
    q.bind(6, std::string(to_string(p.state)));
    q.bind(7, p.carrier_status);
    bind_optional(q, 8, p.carrier_ref);
    bind_optional(q, 9, p.reason);
    q.bind(10, p.body);
    q.bind(11, p.created_at);
    q.bind(12, p.updated_at);
    if (p.id != 0) q.bind(13, static_cast<int64_t>(p.id));
    if (q.exec() == 0) return false;
    if (p.id == 0) p.id = db_.getLastInsertRowid();
    return true;
  });
}

std::int64_t SqliteStore::add_profile_document(std::int64_t profile_id, const ProfileDocument& info, const std::string& content) {
  return guarded([&] {
    SQLite::Statement q(db_,
                        "INSERT INTO compliance_documents (profile_id, kind, filename, size, sha256, content, added_at)"
                        " VALUES (?, ?, ?, ?, ?, ?, ?)");
    q.bind(1, static_cast<int64_t>(profile_id));
    q.bind(2, info.kind);
    q.bind(3, info.filename);
    q.bind(4, static_cast<int64_t>(info.size));
    q.bind(5, info.sha256);
    q.bind(6, content.data(), static_cast<int>(content.size()));
    q.bind(7, info.added_at);
    q.exec();
    return static_cast<std::int64_t>(db_.getLastInsertRowid());
  });
}

std::vector<ProfileDocument> SqliteStore::profile_documents(std::int64_t profile_id) {
  return guarded([&] {
    SQLite::Statement q(db_,
                        "SELECT id, kind, filename, size, sha256, added_at FROM compliance_documents"
                        " WHERE profile_id = ? ORDER BY id");
    q.bind(1, static_cast<int64_t>(profile_id));
    std::vector<ProfileDocument> out;
    while (q.executeStep())
      out.push_back({q.getColumn(0).getInt64(), q.getColumn(1).getString(), q.getColumn(2).getString(), q.getColumn(3).getInt64(),
                     q.getColumn(4).getString(), q.getColumn(5).getString()});
    return out;
  });
}

std::optional<std::string> SqliteStore::profile_document_content(std::int64_t document_id) {
  return guarded([&]() -> std::optional<std::string> {
    SQLite::Statement q(db_, "SELECT content FROM compliance_documents WHERE id = ?");
    q.bind(1, static_cast<int64_t>(document_id));
    if (!q.executeStep()) return std::nullopt;
    auto column = q.getColumn(0);
    return std::string(static_cast<const char*>(column.getBlob()), static_cast<std::size_t>(column.getBytes()));
  });
}

std::vector<NumberRecord> SqliteStore::numbers_using(const std::string& profile) {
  return guarded([&] {
    SQLite::Statement q(
        db_, std::string("SELECT ") + number_columns + number_joins + " WHERE n.compliance = ? COLLATE NOCASE ORDER BY n.e164");
    q.bind(1, profile);
    return collect(q);
  });
}

std::optional<std::pair<std::string, std::string>> SqliteStore::cached_regulations(const std::string& provider,
                                                                                   const std::string& country,
                                                                                   std::string_view type) {
  return guarded([&]() -> std::optional<std::pair<std::string, std::string>> {
    SQLite::Statement q(db_, "SELECT body, read_at FROM regulations WHERE provider = ? AND country = ? AND type = ?");
    q.bind(1, provider);
    q.bind(2, country);
    q.bind(3, std::string(type));
    if (!q.executeStep()) return std::nullopt;
    return std::pair{q.getColumn(0).getString(), q.getColumn(1).getString()};
  });
}

void SqliteStore::cache_regulations(const std::string& provider, const std::string& country, std::string_view type,
                                    const std::string& body, const std::string& read_at) {
  guarded([&] {
    SQLite::Statement q(db_,
                        "INSERT OR REPLACE INTO regulations (provider, country, type, body, read_at) VALUES (?, ?, ?, ?, ?)");
    q.bind(1, provider);
    q.bind(2, country);
    q.bind(3, std::string(type));
    q.bind(4, body);
    q.bind(5, read_at);
    q.exec();
    return 0;
  });
}

}  // namespace numctl::sqlite
