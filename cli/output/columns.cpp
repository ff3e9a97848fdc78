// The number schema and the serialisations that read it.
#include "columns.hpp"
#include "table.hpp"

#include <numctl/json.hpp>
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

std::string status_text(const NumberRecord& r) {
  std::string s(to_string(r.status));
  if (r.status == Status::to_be_cancelled && r.release_at) s += " until " + r.release_at->substr(0, 10);
  return s;
}

using U = NumberColumn::Use;
constexpr unsigned listed = U::listing | U::detail;

constexpr std::array<NumberColumn, 19> columns{{
    {"number", "NUMBER", 20, listed, [](const NumberRecord& r) { return value_of(r.e164); },
     [](const NumberRecord& r) { return r.display; }},
    {"display", "DISPLAY", 20, listed, [](const NumberRecord& r) { return value_of(r.display); }, nullptr},
    {"country", "COUNTRY", 8, listed, [](const NumberRecord& r) { return value_of(r.country); }, nullptr},
    {"type", "TYPE", 10, listed, [](const NumberRecord& r) { return value_of(to_string(r.type)); }, nullptr},
    {"status", "STATUS", 32, listed, [](const NumberRecord& r) { return value_of(to_string(r.status)); }, status_text},
    {"team", "TEAM", 20, listed, [](const NumberRecord& r) { return optional(r.team); }, nullptr},
    {"member", "MEMBER", 20, listed, [](const NumberRecord& r) { return optional(r.member); }, nullptr},
    {"label", "LABEL", 20, listed, [](const NumberRecord& r) { return optional(r.label); }, nullptr},
    {"risk_reason", "RISK REASON", 24, listed, [](const NumberRecord& r) { return optional(r.risk_reason); }, nullptr},
    {"bought_at", "BOUGHT", 20, listed, [](const NumberRecord& r) { return optional(r.bought_at); }, nullptr},
    {"release_at", "RELEASE", 20, listed, [](const NumberRecord& r) { return optional(r.release_at); }, nullptr},
    {"expires_at", "EXPIRES", 20, listed, [](const NumberRecord& r) { return optional(r.expires_at); }, nullptr},
    {"replaced_by", "REPLACED BY", 16, listed, [](const NumberRecord& r) { return optional(r.replaced_by); }, nullptr},
    {"replaces", "REPLACES", 16, listed, [](const NumberRecord& r) { return optional(r.replaces); }, nullptr},
    {"previous_status", "PREVIOUS", 16, U::detail,
     [](const NumberRecord& r) { return r.previous_status ? value_of(to_string(*r.previous_status)) : Cell{}; }, nullptr},
    {"activated_at", "ACTIVATED", 20, U::detail, [](const NumberRecord& r) { return optional(r.activated_at); }, nullptr},
    {"cancel_requested_at", "CANCEL ASKED", 20, U::detail,
     [](const NumberRecord& r) { return optional(r.cancel_requested_at); }, nullptr},
    {"cancel_reason", "CANCEL REASON", 24, U::detail, [](const NumberRecord& r) { return optional(r.cancel_reason); },
     nullptr},
    {"assignee", "ASSIGNEE", 0, U::view, [](const NumberRecord&) { return Cell{}; }, assignee},
}};

constexpr std::array<const NumberColumn*, 5> table{&columns[0], &columns[2], &columns[3], &columns[4], &columns[18]};

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

std::string number_csv_header() {
  std::string out;
  for (const auto& column : columns)
    if (column.use & U::listing) out += (out.empty() ? "" : ",") + std::string(column.key);
  return out + "\r\n";
}

void append_number_csv(std::string& out, const NumberRecord& record, bool raw) {
  bool first = true;
  for (const auto& column : columns) {
    if (!(column.use & U::listing)) continue;
    if (!first) out += ',';
    first = false;
    Cell cell = column.read(record);
    if (!cell.null) text::append_csv_cell(out, cell.text, raw || column.key == "number");
  }
  out += "\r\n";
}

}  // namespace numctl::cli
