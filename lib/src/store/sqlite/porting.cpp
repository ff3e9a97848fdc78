// The SQLite engine's port-in orders, their numbers and files, and port-out requests.
#include "store_impl.hpp"
#include "numctl/text.hpp"

namespace numctl::sqlite {
namespace {

constexpr const char* port_columns =
    "id, provider, state, carrier_status, foc_date, reason, body, secrets, loa_name, invoice_name, created_at, updated_at";

PortOrder read_port(const SQLite::Statement& q) {
  PortOrder o;
  o.id = q.getColumn(0).getInt64();
  o.provider = q.getColumn(1).getString();
  auto state = parse_port_state(q.getColumn(2).getString());
  if (!state) fail(ErrorCategory::database, "port_orders holds an unknown state: a newer numctl wrote it?");
  o.state = *state;
  o.carrier_status = q.getColumn(3).getString();
  o.foc_date = optional_text(q, 4);
  o.reason = optional_text(q, 5);
  o.body = q.getColumn(6).getString();
  o.secrets = optional_text(q, 7);
  o.loa_name = optional_text(q, 8);
  o.invoice_name = optional_text(q, 9);
  o.created_at = q.getColumn(10).getString();
  o.updated_at = q.getColumn(11).getString();
  return o;
}

std::string file_column(std::string_view kind) {
  if (kind == "loa") return "loa";
  if (kind == "invoice") return "invoice";
  fail(ErrorCategory::internal, "not a port file: " + std::string(kind));
}

}  // namespace

std::vector<PortOrder> SqliteStore::port_orders(bool open_only) {
  return guarded([&] {
    SQLite::Statement q(db_, std::string("SELECT ") + port_columns + " FROM port_orders" +
                                 (open_only ? " WHERE state NOT IN ('ported', 'cancelled')" : "") + " ORDER BY id");
    std::vector<PortOrder> out;
    while (q.executeStep()) out.push_back(read_port(q));
    SQLite::Statement n(db_, "SELECT number, carrier_order FROM port_numbers WHERE order_id = ? ORDER BY number");
    for (auto& order : out) {
      n.reset();
      n.bind(1, static_cast<int64_t>(order.id));
      while (n.executeStep()) order.numbers.push_back({n.getColumn(0).getString(), optional_text(n, 1)});
    }
    return out;
  });
}

std::optional<PortOrder> SqliteStore::find_port(std::int64_t id) {
  for (auto& order : port_orders(false))
    if (order.id == id) return std::move(order);
  return std::nullopt;
}

void SqliteStore::save_port(PortOrder& o) {
  guarded([&] {
    SQLite::Statement q(db_, o.id == 0
                                 ? "INSERT INTO port_orders (provider, state, carrier_status, foc_date, reason, body, secrets,"
                                   " loa_name, invoice_name, created_at, updated_at)"
                                   " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11)"
                                 : "UPDATE port_orders SET provider = ?1, state = ?2, carrier_status = ?3, foc_date = ?4,"
                                   " reason = ?5, body = ?6, secrets = ?7, loa_name = ?8, invoice_name = ?9,"
                                   " created_at = ?10, updated_at = ?11 WHERE id = ?12");
    q.bind(1, o.provider);
    q.bind(2, std::string(to_string(o.state)));
    q.bind(3, o.carrier_status);
    bind_optional(q, 4, o.foc_date);
    bind_optional(q, 5, o.reason);
    q.bind(6, o.body);
    bind_optional(q, 7, o.secrets);
    bind_optional(q, 8, o.loa_name);
    bind_optional(q, 9, o.invoice_name);
    q.bind(10, o.created_at);
    q.bind(11, o.updated_at);
    if (o.id != 0) q.bind(12, static_cast<int64_t>(o.id));
    q.exec();
    if (o.id == 0) o.id = db_.getLastInsertRowid();
    SQLite::Statement clear(db_, "DELETE FROM port_numbers WHERE order_id = ?");
    clear.bind(1, static_cast<int64_t>(o.id));
    clear.exec();
    SQLite::Statement add(db_, "INSERT INTO port_numbers (order_id, number, carrier_order) VALUES (?, ?, ?)");
    for (const auto& number : o.numbers) {
      add.reset();
      add.bind(1, static_cast<int64_t>(o.id));
      add.bind(2, number.e164);
      bind_optional(add, 3, number.carrier_order);
      add.exec();
    }
    return 0;
  });
}

std::optional<std::string> SqliteStore::port_file(std::int64_t id, std::string_view kind) {
  return guarded([&]() -> std::optional<std::string> {
    SQLite::Statement q(db_, "SELECT " + file_column(kind) + " FROM port_orders WHERE id = ?");
    q.bind(1, static_cast<int64_t>(id));
    if (!q.executeStep() || q.getColumn(0).isNull()) return std::nullopt;
    auto column = q.getColumn(0);
    return std::string(static_cast<const char*>(column.getBlob()), static_cast<std::size_t>(column.getBytes()));
  });
}

void SqliteStore::set_port_file(std::int64_t id, std::string_view kind, const std::string& filename, const std::string& content) {
  guarded([&] {
    std::string column = file_column(kind);
    SQLite::Statement q(db_, "UPDATE port_orders SET " + column + "_name = ?, " + column + " = ? WHERE id = ?");
    q.bind(1, filename);
    q.bind(2, content.data(), static_cast<int>(content.size()));
    q.bind(3, static_cast<int64_t>(id));
    q.exec();
    return 0;
  });
}

std::optional<std::int64_t> SqliteStore::port_of(const std::string& e164) {
  return guarded([&]() -> std::optional<std::int64_t> {
    SQLite::Statement q(db_, "SELECT max(order_id) FROM port_numbers WHERE number = ?");
    q.bind(1, e164);
    if (!q.executeStep() || q.getColumn(0).isNull()) return std::nullopt;
    return q.getColumn(0).getInt64();
  });
}

std::vector<PortOut> SqliteStore::port_outs() {
  return guarded([&] {
    SQLite::Statement q(db_,
                        "SELECT id, provider, status, numbers, carrier_name, foc_date, reason, read_at, answered_at"
                        " FROM port_outs ORDER BY id");
    std::vector<PortOut> out;
    while (q.executeStep()) {
      PortOut p;
      p.id = q.getColumn(0).getString();
      p.provider = q.getColumn(1).getString();
      p.status = q.getColumn(2).getString();
      p.numbers = text::split(q.getColumn(3).getString(), ' ');
      p.carrier_name = q.getColumn(4).getString();
      p.foc_date = q.getColumn(5).getString();
      p.reason = q.getColumn(6).getString();
      p.read_at = q.getColumn(7).getString();
      p.answered_at = optional_text(q, 8);
      out.push_back(std::move(p));
    }
    return out;
  });
}

void SqliteStore::save_port_out(const PortOut& p) {
  guarded([&] {
    SQLite::Statement q(db_,
                        "INSERT OR REPLACE INTO port_outs (id, provider, status, numbers, carrier_name, foc_date, reason,"
                        " read_at, answered_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)");
    q.bind(1, p.id);
    q.bind(2, p.provider);
    q.bind(3, p.status);
    q.bind(4, text::join(p.numbers, " "));
    q.bind(5, p.carrier_name);
    q.bind(6, p.foc_date);
    q.bind(7, p.reason);
    q.bind(8, p.read_at);
    bind_optional(q, 9, p.answered_at);
    q.exec();
    return 0;
  });
}

}  // namespace numctl::sqlite
