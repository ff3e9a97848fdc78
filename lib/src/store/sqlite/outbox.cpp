// The SQLite engine's carrier outbox: calls owed to a carrier, claimed, settled.
#include "store_impl.hpp"

namespace numctl::sqlite {

namespace {

constexpr const char* call_columns =
    "id, kind, number, provider, provider_ref, action, details, state, attempts, last_error, claimed_by, claimed_at,"
    " created_at, settled_at";

CarrierCall read_call(const SQLite::Statement& row) {
  CarrierCall c;
  c.id = row.getColumn(0).getInt64();
  c.kind = stored_call_kind(row.getColumn(1).getText());
  c.number = row.getColumn(2).getString();
  c.provider = row.getColumn(3).getString();
  c.provider_ref = optional_text(row, 4);
  c.action = row.getColumn(5).getString();
  c.details = row.getColumn(6).getString();
  c.state = stored_call_state(row.getColumn(7).getText());
  c.attempts = row.getColumn(8).getInt64();
  c.last_error = optional_text(row, 9);
  c.claimed_by = optional_text(row, 10);
  c.claimed_at = optional_text(row, 11);
  c.created_at = row.getColumn(12).getString();
  c.settled_at = optional_text(row, 13);
  return c;
}

}  // namespace

bool SqliteStore::add_carrier_call(CarrierCall& call) {
  return guarded([&] {
    SQLite::Statement q(db_,
        "INSERT INTO carrier_calls (kind, number, provider, provider_ref, action, details, state, attempts, last_error,"
        " claimed_by, claimed_at, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING");
    q.bind(1, std::string(to_string(call.kind)));
    q.bind(2, call.number);
    q.bind(3, call.provider);
    bind_optional(q, 4, call.provider_ref);
    q.bind(5, call.action);
    q.bind(6, call.details);
    q.bind(7, std::string(to_string(call.state)));
    q.bind(8, static_cast<int64_t>(call.attempts));
    bind_optional(q, 9, call.last_error);
    bind_optional(q, 10, call.claimed_by);
    bind_optional(q, 11, call.claimed_at);
    q.bind(12, call.created_at);
    if (q.exec() == 0) return false;
    call.id = db_.getLastInsertRowid();
    return true;
  });
}

std::vector<CarrierCall> SqliteStore::open_carrier_calls(CallKind kind) {
  return guarded([&] {
    SQLite::Statement q(db_, std::string("SELECT ") + call_columns +
                                 " FROM carrier_calls WHERE state IN ('owed', 'calling') AND kind = ? ORDER BY id");
    q.bind(1, std::string(to_string(kind)));
    std::vector<CarrierCall> out;
    while (q.executeStep()) out.push_back(read_call(q));
    return out;
  });
}

std::optional<CarrierCall> SqliteStore::open_carrier_call(CallKind kind, std::string_view number) {
  return guarded([&]() -> std::optional<CarrierCall> {
    SQLite::Statement q(db_, std::string("SELECT ") + call_columns +
                                 " FROM carrier_calls WHERE state IN ('owed', 'calling') AND kind = ? AND number = ?");
    q.bind(1, std::string(to_string(kind)));
    q.bind(2, std::string(number));
    if (!q.executeStep()) return std::nullopt;
    return read_call(q);
  });
}

void SqliteStore::update_carrier_call(const CarrierCall& call) {
  guarded([&] {
    SQLite::Statement q(db_,
        "UPDATE carrier_calls SET provider_ref = ?, state = ?, attempts = ?, last_error = ?, claimed_by = ?,"
        " claimed_at = ?, settled_at = ?, details = ? WHERE id = ?");
    bind_optional(q, 1, call.provider_ref);
    q.bind(2, std::string(to_string(call.state)));
    q.bind(3, static_cast<int64_t>(call.attempts));
    bind_optional(q, 4, call.last_error);
    bind_optional(q, 5, call.claimed_by);
    bind_optional(q, 6, call.claimed_at);
    bind_optional(q, 7, call.settled_at);
    q.bind(8, call.details);
    q.bind(9, static_cast<int64_t>(call.id));
    q.exec();
  });
}

}  // namespace numctl::sqlite
