// The number schema and the serialisations that read it.
#include "columns.hpp"
#include "table.hpp"

#include <numctl/json.hpp>
#include <numctl/money.hpp>
#include <numctl/suggest.hpp>
#include <numctl/error.hpp>
#include <numctl/text.hpp>

#include <array>

namespace numctl::cli {

namespace {

Cell value_of(std::string_view value) { return {value, false}; }
Cell optional(const std::optional<std::string>& value) { return value ? Cell{*value, false} : Cell{}; }

std::string assignee(const NumberRecord& r) {
  if (r.member) return printable(*r.member) + (r.team ? " (" + printable(*r.team) + ")" : "");
  if (r.team) return printable(*r.team);
  return "—";
}

// What happens next without anyone acting: a pending order expires, a cancelled number releases.
Cell due_of(const NumberRecord& r) {
  if (r.status == Status::pending && r.expires_at) return Cell{*r.expires_at, false};
  if (r.status == Status::to_be_cancelled && r.release_at) return Cell{*r.release_at, false};
  return Cell{};
}

// Why a number stands where it does: the carrier's reason for rejecting its documents (or the
// bundle its order waits for), the risk reason of a red number, the reason it is being cancelled.
Cell reason_of(const NumberRecord& r) {
  switch (r.status) {
    case Status::pending: return optional(r.compliance_reason);
    case Status::high_risk: return optional(r.risk_reason);
    case Status::to_be_cancelled: return optional(r.cancel_reason);
    default: return Cell{};
  }
}

std::string reason_text(const NumberRecord& r) {
  Cell cell = reason_of(r);
  if (!cell.null) return printable(cell.text);
  if (r.status == Status::pending && r.compliance && !r.provider_ref && r.compliance_status)
    return "waiting for " + printable(*r.compliance) + " (" + *r.compliance_status + ")";
  return "—";
}

// The monthly price as a decimal string in major units ("1.20", "500"): read into a buffer the
// caller uses before the next row is read.
Cell price_of(const NumberRecord& r) {
  thread_local std::string text;
  if (!r.monthly_price || !r.currency) return Cell{};
  text = format_amount(*r.monthly_price, *r.currency);
  return Cell{text, false};
}

std::string price_text(const NumberRecord& r) {
  if (!r.monthly_price || !r.currency) return "—";
  return format_money({*r.monthly_price, *r.currency});
}

// Since when a number has been silent: its last inbound call, or its purchase if never called.
Cell silent_since(const NumberRecord& r) {
  if (r.last_inbound_at) return Cell{*r.last_inbound_at, false};
  return optional(r.bought_at);
}

std::string silent_text(const NumberRecord& r) {
  Cell since = silent_since(r);
  if (since.null) return "—";
  return std::string(since.text.substr(0, 10)) + (r.last_inbound_at ? "" : " (never)");
}

std::string due_text(const NumberRecord& r) {
  Cell due = due_of(r);
  return due.null ? std::string("—") : std::string(due.text.substr(0, 10));
}

using U = NumberColumn::Use;
constexpr unsigned listed = U::listing | U::detail;

constexpr std::array<NumberColumn, 34> columns{{
    {"number", "NUMBER", 18, listed, [](const NumberRecord& r) { return value_of(r.e164); },
     [](const NumberRecord& r) { return r.display; }},
    {"display", "DISPLAY", 20, listed, [](const NumberRecord& r) { return value_of(r.display); }, nullptr},
    {"country", "CC", 3, listed, [](const NumberRecord& r) { return value_of(r.country); }, nullptr},
    {"type", "TYPE", 9, listed, [](const NumberRecord& r) { return value_of(to_string(r.type)); }, nullptr},
    {"status", "STATUS", 15, listed, [](const NumberRecord& r) { return value_of(to_string(r.status)); }, nullptr},
    {"team", "TEAM", 20, listed, [](const NumberRecord& r) { return optional(r.team); }, nullptr},
    {"member", "MEMBER", 20, listed, [](const NumberRecord& r) { return optional(r.member); }, nullptr},
    {"label", "LABEL", 20, listed, [](const NumberRecord& r) { return optional(r.label); }, nullptr},
    {"risk_reason", "RISK REASON", 24, listed, [](const NumberRecord& r) { return optional(r.risk_reason); }, nullptr},
    {"bought_at", "BOUGHT", 20, listed, [](const NumberRecord& r) { return optional(r.bought_at); }, nullptr},
    {"release_at", "RELEASE", 20, listed, [](const NumberRecord& r) { return optional(r.release_at); }, nullptr},
    {"expires_at", "EXPIRES", 20, listed, [](const NumberRecord& r) { return optional(r.expires_at); }, nullptr},
    {"replaced_by", "REPLACED BY", 16, listed, [](const NumberRecord& r) { return optional(r.replaced_by); }, nullptr},
    {"replaces", "REPLACES", 16, listed, [](const NumberRecord& r) { return optional(r.replaces); }, nullptr},
    {"provider", "PROVIDER", 10, listed, [](const NumberRecord& r) { return optional(r.provider); }, nullptr},
    {"provider_ref", "PROVIDER REF", 36, listed, [](const NumberRecord& r) { return optional(r.provider_ref); }, nullptr},
    {"compliance", "COMPLIANCE", 20, listed, [](const NumberRecord& r) { return optional(r.compliance); }, nullptr},
    {"compliance_status", "COMPLIANCE STATUS", 12, listed, [](const NumberRecord& r) { return optional(r.compliance_status); },
     nullptr},
    {"compliance_reason", "COMPLIANCE REASON", 30, listed, [](const NumberRecord& r) { return optional(r.compliance_reason); },
     nullptr},
    {"monthly_price", "PRICE", 10, listed, price_of, price_text},
    {"currency", "CUR", 4, listed, [](const NumberRecord& r) { return optional(r.currency); }, nullptr},
    {"last_inbound_at", "LAST IN", 20, listed, [](const NumberRecord& r) { return optional(r.last_inbound_at); }, nullptr},
    {"last_outbound_at", "LAST OUT", 20, listed, [](const NumberRecord& r) { return optional(r.last_outbound_at); }, nullptr},
    {"emergency_address", "EMERGENCY ADDRESS", 16, listed, [](const NumberRecord& r) { return optional(r.emergency_address); },
     nullptr},
    {"emergency_status", "EMERGENCY", 10, listed, [](const NumberRecord& r) { return optional(r.emergency_status); }, nullptr},
    {"cnam", "CALLER ID NAME", 15, listed, [](const NumberRecord& r) { return optional(r.cnam); }, nullptr},
    {"previous_status", "PREVIOUS", 16, U::detail,
     [](const NumberRecord& r) { return r.previous_status ? value_of(to_string(*r.previous_status)) : Cell{}; }, nullptr},
    {"activated_at", "ACTIVATED", 20, U::detail, [](const NumberRecord& r) { return optional(r.activated_at); }, nullptr},
    {"cancel_requested_at", "CANCEL ASKED", 20, U::detail, [](const NumberRecord& r) { return optional(r.cancel_requested_at); },
     nullptr},
    {"cancel_reason", "CANCEL REASON", 24, U::detail, [](const NumberRecord& r) { return optional(r.cancel_reason); }, nullptr},
    {"due", "DUE", 10, U::view, due_of, due_text},
    {"assignee", "ASSIGNEE", 11, U::view, [](const NumberRecord&) { return Cell{}; }, assignee},
    {"reason", "REASON", 0, U::view, reason_of, reason_text},
    {"silent_since", "SILENT SINCE", 18, U::view, silent_since, silent_text},
}};

static_assert(columns.back().read != nullptr, "every column of the schema is initialised");
constexpr std::array<const NumberColumn*, 7> table{&columns[0],  &columns[2],  &columns[3], &columns[4],
                                                   &columns[30], &columns[31], &columns[32]};

bool wanted(const NumberColumn& column, bool detail) {
  return (column.use & U::listing) || (detail && (column.use & U::detail));
}

}  // namespace

std::span<const NumberColumn> number_columns() { return columns; }
std::span<const NumberColumn* const> table_columns() { return table; }

const NumberColumn* find_number_column(std::string_view key) {
  for (const auto& column : columns)
    if (column.key == key) return &column;
  return nullptr;
}

std::string human_text(const NumberColumn& column, const NumberRecord& record) {
  if (column.human) return column.human(record);
  Cell cell = column.read(record);
  return cell.null ? std::string("—") : printable(cell.text);
}

void append_number_json(std::string& out, const NumberRecord& record, bool detail) {
  char separator = '{';
  for (const auto& column : columns) {
    if (!wanted(column, detail)) continue;
    out += separator;
    separator = ',';
    out += '"';
    out += column.key;
    out += "\":";
    Cell cell = column.read(record);
    if (cell.null) out += "null";
    else json::append_string(out, cell.text);
  }
  out += '}';
}

Record number_record(const NumberRecord& record, bool detail) {
  Record fields;
  for (const auto& column : columns) {
    if (!wanted(column, detail)) continue;
    Cell cell = column.read(record);
    fields.emplace_back(std::string(column.key), cell.null ? Value() : Value(cell.text));
  }
  return fields;
}

ColumnList listing_columns() {
  ColumnList out;
  for (const auto& column : columns)
    if (column.use & U::listing) out.push_back(&column);
  return out;
}

ColumnList parse_columns(std::string_view spec) {
  ColumnList out;
  std::vector<std::string> keys;
  for (const auto& column : columns) keys.emplace_back(column.key);
  for (const auto& part : text::split(spec, ',')) {
    std::string key = text::lower(text::trim(part));
    const NumberColumn* column = find_number_column(key);
    if (!column) {
      auto close = closest_match(key, keys);
      fail(ErrorCategory::invalid_input, "unknown column '" + std::string(text::trim(part)) + "'" +
                                             (close ? "; did you mean '" + *close + "'?" : "") + " (columns: " +
                                             text::join(keys, ",") + ")");
    }
    out.push_back(column);
  }
  if (out.empty()) fail(ErrorCategory::invalid_input, "--columns needs at least one column (e.g. number,status,team)");
  return out;
}

Cell cell_of(const NumberColumn& column, const NumberRecord& record, std::string& scratch) {
  Cell cell = column.read(record);
  if (cell.null && (column.use == U::view) && column.human) {
    scratch = column.human(record);  // a view column without a machine value (assignee)
    return Cell{scratch, false};
  }
  return cell;
}

std::string number_csv_header(const ColumnList& chosen) {
  std::string out;
  for (const auto* column : chosen) out += (out.empty() ? "" : ",") + std::string(column->key);
  return out + "\r\n";
}

void append_number_csv(std::string& out, const NumberRecord& record, bool raw, const ColumnList& chosen) {
  bool first = true;
  std::string scratch;
  for (const auto* column : chosen) {
    if (!first) out += ',';
    first = false;
    Cell cell = cell_of(*column, record, scratch);
    if (!cell.null) text::append_csv_cell(out, cell.text, raw || column->key == "number");
  }
  out += "\r\n";
}

}  // namespace numctl::cli
