// The number columns, written once for every engine: the SELECT list and joins that read a
// NumberRecord, and the mapping from a result row to the record. An engine gives a small row
// view (null, text, integer by column index); adding a number field is its schema migration,
// the field in NumberRecord, and one entry here.
#pragma once

#include "numctl/domain.hpp"
#include "numctl/records.hpp"

#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace numctl::store {

// The columns of a NumberRecord in the order read_number reads them, and the joins naming the
// team (the number's own, or its member's) and the member.
inline constexpr const char* number_columns =
    "n.id, n.e164, n.display, n.country, n.type, n.status, n.previous_status, "
    "COALESCE(t.name, mt.name), m.name, n.label, n.risk_reason, n.cancel_reason, n.bought_at, "
    "n.activated_at, n.cancel_requested_at, n.release_at, n.replaced_by, n.replaces, n.expires_at, "
    "n.provider, n.provider_ref, n.compliance, "
    // A profile's state and reason, looked up only for the few numbers that name one (a join
    // would probe the profiles for every number listed).
    "CASE WHEN n.compliance IS NULL THEN NULL ELSE (SELECT cp.state FROM compliance_profiles cp WHERE cp.name = n.compliance) "
    "END, "
    "CASE WHEN n.compliance IS NULL THEN NULL ELSE (SELECT cp.reason FROM compliance_profiles cp WHERE cp.name = n.compliance) "
    "END, n.currency, n.last_inbound_at, n.last_outbound_at, n.emergency_address, n.emergency_status, n.cnam, "
    "n.monthly_price";
// The joins after a FROM that names numbers n (a query joining numbers to another table first),
// and the whole FROM clause.
#define NUMCTL_NUMBER_SIDE_JOINS                                                     \
  " LEFT JOIN teams t ON t.id = n.team_id LEFT JOIN members m ON m.id = n.member_id" \
  " LEFT JOIN teams mt ON mt.id = m.team_id"
inline constexpr const char* number_side_joins = NUMCTL_NUMBER_SIDE_JOINS;
inline constexpr const char* number_joins = " FROM numbers n" NUMCTL_NUMBER_SIDE_JOINS;
#undef NUMCTL_NUMBER_SIDE_JOINS

// The optional text fields, read from column 7 on in this order (after id, e164, display,
// country, type, status and previous_status); the monthly price (an integer) follows them.
inline constexpr std::array<std::optional<std::string> NumberRecord::*, 23> optional_number_fields{
    &NumberRecord::team,
    &NumberRecord::member,
    &NumberRecord::label,
    &NumberRecord::risk_reason,
    &NumberRecord::cancel_reason,
    &NumberRecord::bought_at,
    &NumberRecord::activated_at,
    &NumberRecord::cancel_requested_at,
    &NumberRecord::release_at,
    &NumberRecord::replaced_by,
    &NumberRecord::replaces,
    &NumberRecord::expires_at,
    &NumberRecord::provider,
    &NumberRecord::provider_ref,
    &NumberRecord::compliance,
    &NumberRecord::compliance_status,
    &NumberRecord::compliance_reason,
    &NumberRecord::currency,
    &NumberRecord::last_inbound_at,
    &NumberRecord::last_outbound_at,
    &NumberRecord::emergency_address,
    &NumberRecord::emergency_status,
    &NumberRecord::cnam};
inline constexpr int number_column_count = 8 + static_cast<int>(optional_number_fields.size());

// Row: bool null(int column), std::string_view text(int column), std::int64_t integer(int column).
template <typename Row>
void read_number(const Row& row, NumberRecord& r) {
  r.id = row.integer(0);
  r.e164 = row.text(1);
  r.display = row.text(2);
  r.country = row.text(3);
  r.type = parse_number_type(row.text(4)).value_or(NumberType::local);
  r.status = parse_status(row.text(5)).value_or(Status::active);
  r.previous_status = row.null(6) ? std::nullopt : parse_status(row.text(6));
  int column = 7;
  for (auto field : optional_number_fields) {
    if (row.null(column))
      (r.*field).reset();
    else
      r.*field = std::string(row.text(column));
    ++column;
  }
  if (row.null(column))
    r.monthly_price.reset();
  else
    r.monthly_price = row.integer(column);
}

// The fields a change writes (an update, and an insert after its identity columns), in the order
// both engines bind them: status, previous_status, these, then the monthly price. When a call
// was last seen is written by usage imports only (set-based), never by a change.
inline constexpr std::array<std::optional<std::string> NumberRecord::*, 17> mutable_text_fields{
    &NumberRecord::label,
    &NumberRecord::risk_reason,
    &NumberRecord::cancel_reason,
    &NumberRecord::bought_at,
    &NumberRecord::activated_at,
    &NumberRecord::cancel_requested_at,
    &NumberRecord::release_at,
    &NumberRecord::replaced_by,
    &NumberRecord::replaces,
    &NumberRecord::expires_at,
    &NumberRecord::provider,
    &NumberRecord::provider_ref,
    &NumberRecord::compliance,
    &NumberRecord::currency,
    &NumberRecord::emergency_address,
    &NumberRecord::emergency_status,
    &NumberRecord::cnam};
inline constexpr std::array<std::string_view, 3 + mutable_text_fields.size()> mutable_number_columns{
    "status",       "previous_status",     "label",      "risk_reason", "cancel_reason",     "bought_at",
    "activated_at", "cancel_requested_at", "release_at", "replaced_by", "replaces",          "expires_at",
    "provider",     "provider_ref",        "compliance", "currency",    "emergency_address", "emergency_status",
    "cnam",         "monthly_price"};

// Binder: text(std::string_view), optional(const std::optional<std::string>&),
// optional(const std::optional<std::int64_t>&), each taking the next parameter.
template <typename Binder>
void bind_mutable(Binder& bind, const NumberRecord& r) {
  bind.text(to_string(r.status));
  bind.optional(r.previous_status ? std::optional<std::string>(std::string(to_string(*r.previous_status))) : std::nullopt);
  for (auto field : mutable_text_fields) bind.optional(r.*field);
  bind.optional(r.monthly_price);
}

// An engine's parameter mark for the n-th parameter, from 1: "?5" (SQLite), "$5" (PostgreSQL).
using ParameterMark = std::string (*)(int n);

// "col, col, ..." of mutable_number_columns.
std::string mutable_column_list();
// INSERT INTO numbers (leading..., mutable_number_columns) VALUES (marks...) `tail`: the leading
// columns bound first, then bind_mutable's.
std::string insert_number_sql(std::string_view leading, int leading_count, ParameterMark mark, std::string_view tail);
// `verb` numbers SET type, display, country, then mutable_number_columns, WHERE id: bound in
// that order (id first, as parameter 1). SQLite's verb is UPDATE OR FAIL (migrations_emergency.cpp).
std::string update_number_sql(ParameterMark mark, std::string_view verb = "UPDATE");

}  // namespace numctl::store
