// The PostgreSQL engine's emergency addresses and the team defaults naming them.
#include "store_impl.hpp"

namespace numctl::postgres {
namespace {

constexpr const char* address_columns =
    "id, name, customer_name, contact, street, city, region, postal_code, country, provider, provider_ref, state, created_at";

std::vector<Address> read_addresses(const pg::Result& r) {
  std::vector<Address> out;
  for (int i = 0; i < r.rows(); ++i) {
    Address a;
    a.id = r.integer(i, 0);
    a.name = r.text(i, 1);
    a.customer_name = r.text(i, 2);
    a.contact = r.text(i, 3);
    a.postal = {r.text(i, 4), r.text(i, 5), r.text(i, 6), r.text(i, 7), r.text(i, 8)};
    a.provider = r.optional(i, 9);
    a.provider_ref = r.optional(i, 10);
    a.state = r.text(i, 11);
    a.created_at = r.text(i, 12);
    out.push_back(std::move(a));
  }
  return out;
}

}  // namespace

std::optional<Address> PostgresStore::find_address(std::string_view name) {
  auto found = read_addresses(
      db_.exec(std::string("SELECT ") + address_columns + " FROM addresses WHERE lower(name) = lower($1 COLLATE \"C\")",
               pg::Params().text(name)));
  if (found.empty()) return std::nullopt;
  return std::move(found.front());
}

std::vector<Address> PostgresStore::addresses() {
  return read_addresses(db_.exec(std::string("SELECT ") + address_columns + " FROM addresses ORDER BY lower(name), name"));
}

bool PostgresStore::save_address(Address& a) {
  if (a.id == 0 && find_address(a.name)) return false;
  auto params = pg::Params()
                    .text(a.name)
                    .text(a.customer_name)
                    .text(a.contact)
                    .text(a.postal.street)
                    .text(a.postal.city)
                    .text(a.postal.region)
                    .text(a.postal.postal_code)
                    .text(a.postal.country)
                    .optional(a.provider)
                    .optional(a.provider_ref)
                    .text(a.state)
                    .text(a.created_at);
  if (a.id == 0) {
    a.id = db_.exec(
                  "INSERT INTO addresses (name, customer_name, contact, street, city, region, postal_code, country, provider,"
                  " provider_ref, state, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12) RETURNING id",
                  params)
               .integer(0, 0);
    return true;
  }
  db_.exec(
      "UPDATE addresses SET name = $1, customer_name = $2, contact = $3, street = $4, city = $5, region = $6,"
      " postal_code = $7, country = $8, provider = $9, provider_ref = $10, state = $11, created_at = $12 WHERE id = $13",
      params.integer(a.id));
  return true;
}

void PostgresStore::remove_address(std::int64_t id) { db_.exec("DELETE FROM addresses WHERE id = $1", pg::Params().integer(id)); }

std::pair<std::int64_t, std::int64_t> PostgresStore::address_users(const std::string& name) {
  auto r = db_.exec(
      "SELECT (SELECT count(*) FROM numbers WHERE emergency_address = $1),"
      " (SELECT count(*) FROM teams WHERE emergency_address = $1)",
      pg::Params().text(name));
  return {r.integer(0, 0), r.integer(0, 1)};
}

void PostgresStore::set_team_address(std::int64_t team_id, const std::optional<std::string>& name) {
  db_.exec("UPDATE teams SET emergency_address = $2 WHERE id = $1", pg::Params().integer(team_id).optional(name));
}

}  // namespace numctl::postgres
