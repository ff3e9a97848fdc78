// The PostgreSQL engine's port-in orders, their numbers and files, and port-out requests.
#include "store_impl.hpp"
#include "numctl/text.hpp"

namespace numctl::postgres {
namespace {

constexpr const char* port_columns =
    "id, provider, state, carrier_status, foc_date, reason, body, secrets, loa_name, invoice_name, created_at, updated_at";

std::vector<PortOrder> read_ports(const pg::Result& r) {
  std::vector<PortOrder> out;
  for (int i = 0; i < r.rows(); ++i) {
    PortOrder o;
    o.id = r.integer(i, 0);
    o.provider = r.text(i, 1);
    auto state = parse_port_state(r.text(i, 2));
    if (!state) fail(ErrorCategory::database, "port_orders holds an unknown state: a newer numctl wrote it?");
    o.state = *state;
    o.carrier_status = r.text(i, 3);
    o.foc_date = r.optional(i, 4);
    o.reason = r.optional(i, 5);
    o.body = r.text(i, 6);
    o.secrets = r.optional(i, 7);
    o.loa_name = r.optional(i, 8);
    o.invoice_name = r.optional(i, 9);
    o.created_at = r.text(i, 10);
    o.updated_at = r.text(i, 11);
    out.push_back(std::move(o));
  }
  return out;
}

std::string file_column(std::string_view kind) {
  if (kind == "loa") return "loa";
  if (kind == "invoice") return "invoice";
  fail(ErrorCategory::internal, "not a port file: " + std::string(kind));
}

}  // namespace

std::vector<PortOrder> PostgresStore::port_orders(bool open_only) {
  auto out = read_ports(db_.exec(std::string("SELECT ") + port_columns + " FROM port_orders" +
                                 (open_only ? " WHERE state NOT IN ('ported', 'cancelled')" : "") + " ORDER BY id"));
  for (auto& order : out) {
    auto n = db_.exec("SELECT number, carrier_order FROM port_numbers WHERE order_id = $1 ORDER BY number",
                      pg::Params().integer(order.id));
    for (int i = 0; i < n.rows(); ++i) order.numbers.push_back({n.text(i, 0), n.optional(i, 1)});
  }
  return out;
}

std::optional<PortOrder> PostgresStore::find_port(std::int64_t id) {
  for (auto& order : port_orders(false))
    if (order.id == id) return std::move(order);
  return std::nullopt;
}

void PostgresStore::save_port(PortOrder& o) {
  auto params = pg::Params()
                    .text(o.provider)
                    .text(to_string(o.state))
                    .text(o.carrier_status)
                    .optional(o.foc_date)
                    .optional(o.reason)
                    .text(o.body)
                    .optional(o.secrets)
                    .optional(o.loa_name)
                    .optional(o.invoice_name)
                    .text(o.created_at)
                    .text(o.updated_at);
  if (o.id == 0) {
    o.id = db_.exec(
                  "INSERT INTO port_orders (provider, state, carrier_status, foc_date, reason, body, secrets, loa_name,"
                  " invoice_name, created_at, updated_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11) RETURNING id",
                  params)
               .integer(0, 0);
  } else {
    db_.exec(
        "UPDATE port_orders SET provider = $1, state = $2, carrier_status = $3, foc_date = $4, reason = $5, body = $6,"
        " secrets = $7, loa_name = $8, invoice_name = $9, created_at = $10, updated_at = $11 WHERE id = $12",
        params.integer(o.id));
  }
  db_.exec("DELETE FROM port_numbers WHERE order_id = $1", pg::Params().integer(o.id));
  for (const auto& number : o.numbers)
    db_.exec("INSERT INTO port_numbers (order_id, number, carrier_order) VALUES ($1, $2, $3)",
             pg::Params().integer(o.id).text(number.e164).optional(number.carrier_order));
}

std::optional<std::string> PostgresStore::port_file(std::int64_t id, std::string_view kind) {
  auto r = db_.exec("SELECT " + file_column(kind) + " FROM port_orders WHERE id = $1 AND " + file_column(kind) + " IS NOT NULL",
                    pg::Params().integer(id));
  if (!r.rows()) return std::nullopt;
  return r.bytes(0, 0);
}

void PostgresStore::set_port_file(std::int64_t id, std::string_view kind, const std::string& filename,
                                  const std::string& content) {
  std::string column = file_column(kind);
  db_.exec("UPDATE port_orders SET " + column + "_name = $1, " + column + " = $2 WHERE id = $3",
           pg::Params().text(filename).binary(content).integer(id));
}

std::optional<std::int64_t> PostgresStore::port_of(const std::string& e164) {
  auto r = db_.exec("SELECT max(order_id) FROM port_numbers WHERE number = $1", pg::Params().text(e164));
  auto id = r.optional(0, 0);
  if (!id) return std::nullopt;
  return std::stoll(*id);
}

std::vector<PortOut> PostgresStore::port_outs() {
  auto r = db_.exec(
      "SELECT id, provider, status, numbers, carrier_name, foc_date, reason, read_at, answered_at FROM port_outs ORDER BY id");
  std::vector<PortOut> out;
  for (int i = 0; i < r.rows(); ++i) {
    PortOut p;
    p.id = r.text(i, 0);
    p.provider = r.text(i, 1);
    p.status = r.text(i, 2);
    p.numbers = text::split(r.text(i, 3), ' ');
    p.carrier_name = r.text(i, 4);
    p.foc_date = r.text(i, 5);
    p.reason = r.text(i, 6);
    p.read_at = r.text(i, 7);
    p.answered_at = r.optional(i, 8);
    out.push_back(std::move(p));
  }
  return out;
}

void PostgresStore::save_port_out(const PortOut& p) {
  db_.exec(
      "INSERT INTO port_outs (id, provider, status, numbers, carrier_name, foc_date, reason, read_at, answered_at)"
      " VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) ON CONFLICT (id) DO UPDATE SET provider = EXCLUDED.provider,"
      " status = EXCLUDED.status, numbers = EXCLUDED.numbers, carrier_name = EXCLUDED.carrier_name,"
      " foc_date = EXCLUDED.foc_date, reason = EXCLUDED.reason, read_at = EXCLUDED.read_at, answered_at = EXCLUDED.answered_at",
      pg::Params()
          .text(p.id)
          .text(p.provider)
          .text(p.status)
          .text(text::join(p.numbers, " "))
          .text(p.carrier_name)
          .text(p.foc_date)
          .text(p.reason)
          .text(p.read_at)
          .optional(p.answered_at));
}

}  // namespace numctl::postgres
