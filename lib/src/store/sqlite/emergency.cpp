// The SQLite engine's emergency addresses and the team defaults naming them.
#include "store_impl.hpp"

namespace numctl::sqlite {
namespace {

constexpr const char* address_columns =
    "id, name, customer_name, contact, street, city, region, postal_code, country, provider, provider_ref, state, created_at";

Address read_address(const SQLite::Statement& q) {
  Address a;
  a.id = q.getColumn(0).getInt64();
  a.name = q.getColumn(1).getString();
  a.customer_name = q.getColumn(2).getString();
  a.contact = q.getColumn(3).getString();
  a.postal = {q.getColumn(4).getString(), q.getColumn(5).getString(), q.getColumn(6).getString(), q.getColumn(7).getString(),
              q.getColumn(8).getString()};
  a.provider = optional_text(q, 9);
  a.provider_ref = optional_text(q, 10);
  a.state = q.getColumn(11).getString();
  a.created_at = q.getColumn(12).getString();
  return a;
}

}  // namespace

std::optional<Address> SqliteStore::find_address(std::string_view name) {
  return guarded([&]() -> std::optional<Address> {
    SQLite::Statement q(db_, std::string("SELECT ") + address_columns + " FROM addresses WHERE name = ?1");
    q.bind(1, std::string(name));
    if (!q.executeStep()) return std::nullopt;
    return read_address(q);
  });
}

std::vector<Address> SqliteStore::addresses() {
  return guarded([&] {
    SQLite::Statement q(db_, std::string("SELECT ") + address_columns + " FROM addresses ORDER BY name");
    std::vector<Address> out;
    while (q.executeStep()) out.push_back(read_address(q));
    return out;
  });
}

bool SqliteStore::save_address(Address& a) {
  return guarded([&] {
    if (a.id == 0) {
      SQLite::Statement taken(db_, "SELECT 1 FROM addresses WHERE name = ?1");
      taken.bind(1, a.name);
      if (taken.executeStep()) return false;
    }
    SQLite::Statement q(db_, a.id == 0 ? "INSERT INTO addresses (name, customer_name, contact, street, city, region, postal_code,"
                                         " country, provider, provider_ref, state, created_at)"
                                         " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12)"
                                       : "UPDATE addresses SET name = ?1, customer_name = ?2, contact = ?3, street = ?4,"
                                         " city = ?5, region = ?6, postal_code = ?7, country = ?8, provider = ?9,"
                                         " provider_ref = ?10, state = ?11, created_at = ?12 WHERE id = ?13");
    q.bind(1, a.name);
    q.bind(2, a.customer_name);
    q.bind(3, a.contact);
    q.bind(4, a.postal.street);
    q.bind(5, a.postal.city);
    q.bind(6, a.postal.region);
    q.bind(7, a.postal.postal_code);
    q.bind(8, a.postal.country);
    bind_optional(q, 9, a.provider);
    bind_optional(q, 10, a.provider_ref);
    q.bind(11, a.state);
    q.bind(12, a.created_at);
    if (a.id != 0) q.bind(13, static_cast<int64_t>(a.id));
    q.exec();
    if (a.id == 0) a.id = db_.getLastInsertRowid();
    return true;
  });
}

void SqliteStore::remove_address(std::int64_t id) {
  guarded([&] {
    SQLite::Statement q(db_, "DELETE FROM addresses WHERE id = ?1");
    q.bind(1, static_cast<int64_t>(id));
    q.exec();
  });
}

std::pair<std::int64_t, std::int64_t> SqliteStore::address_users(const std::string& name) {
  return guarded([&] {
    SQLite::Statement q(db_,
                        "SELECT (SELECT count(*) FROM numbers WHERE emergency_address = ?1),"
                        " (SELECT count(*) FROM teams WHERE emergency_address = ?1)");
    q.bind(1, name);
    q.executeStep();
    return std::pair<std::int64_t, std::int64_t>(q.getColumn(0).getInt64(), q.getColumn(1).getInt64());
  });
}

std::optional<std::string> SqliteStore::team_address(std::int64_t team_id) {
  return guarded([&]() -> std::optional<std::string> {
    SQLite::Statement q(db_, "SELECT emergency_address FROM teams WHERE id = ?1");
    q.bind(1, static_cast<int64_t>(team_id));
    if (!q.executeStep()) return std::nullopt;
    return optional_text(q, 0);
  });
}

void SqliteStore::set_team_address(std::int64_t team_id, const std::optional<std::string>& name) {
  guarded([&] {
    SQLite::Statement q(db_, "UPDATE teams SET emergency_address = ?2 WHERE id = ?1");
    q.bind(1, static_cast<int64_t>(team_id));
    bind_optional(q, 2, name);
    q.exec();
  });
}

}  // namespace numctl::sqlite
