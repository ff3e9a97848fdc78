// Reading the rows of an import file (CSV, JSON array, NDJSON).
#include "numctl/import.hpp"
#include "validation.hpp"
#include "numctl/error.hpp"
#include "csv.hpp"
#include "batch.hpp"
#include "memory.hpp"
#include "numctl/text.hpp"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <array>
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <memory>

namespace numctl {
namespace {

using Field = ImportField;

// Columns a listing can show that are views, not data (list --columns).
constexpr std::array<std::string_view, 2> view_columns{"due", "assignee"};

std::optional<Field> field_named(std::string_view name) {
  auto it = std::find(import_columns.begin(), import_columns.end(), name);
  if (it == import_columns.end()) return std::nullopt;
  return static_cast<Field>(it - import_columns.begin());
}

std::string column_list() {
  std::string out;
  for (auto name : import_columns) out += (out.empty() ? "" : ", ") + std::string(name);
  return out;
}

std::string unknown_column(const std::string& name) {
  if (std::find(view_columns.begin(), view_columns.end(), name) != view_columns.end())
    return "'" + name + "' is a column of the view, not data (export with the default columns, or drop it)";
  return "unknown column '" + name + "' (columns: " + column_list() + ")";
}

void set_field(ImportRow& row, Field field, std::string_view value) {
  row.given |= 1u << static_cast<unsigned>(field);
  if (field == Field::number) {
    row.number = value;
    return;
  }
  std::optional<std::string> v = value.empty() ? std::nullopt : std::optional<std::string>(value);
  switch (field) {
    case Field::number: break;
    case Field::display: row.display = std::move(v); break;
    case Field::country: row.country = std::move(v); break;
    case Field::type: row.type = std::move(v); break;
    case Field::status: row.status = std::move(v); break;
    // Names and free text in NFC, as typed ones are: one team however its accents were written.
    case Field::team: row.team = to_nfc(v); break;
    case Field::member: row.member = to_nfc(v); break;
    case Field::label: row.label = to_nfc(v); break;
    case Field::risk_reason: row.risk_reason = to_nfc(v); break;
    case Field::bought_at: row.bought_at = std::move(v); break;
    case Field::release_at: row.release_at = std::move(v); break;
    case Field::expires_at: row.expires_at = std::move(v); break;
    case Field::replaced_by: row.replaced_by = std::move(v); break;
    case Field::replaces: row.replaces = std::move(v); break;
    case Field::provider: row.provider = std::move(v); break;
    case Field::provider_ref: row.provider_ref = std::move(v); break;
  }
}

// numctl's CSV export writes a ' before a cell starting with = + - @ (so that spreadsheets do
// not run it); reading it back takes that mark off.
std::string_view unmark_csv_cell(std::string_view cell) {
  if (cell.size() >= 2 && cell[0] == '\'' && std::string_view("=+-@").find(cell[1]) != std::string_view::npos)
    cell.remove_prefix(1);
  return cell;
}

[[noreturn]] void report(Batch& problems) {
  problems.raise(std::to_string(problems.size()) + " bad rows, nothing imported");
}

std::vector<ImportRow> from_csv(std::string_view content) {
  std::vector<Field> columns;
  bool header_read = false;
  std::vector<ImportRow> out;
  memory::reserve_huge(out, static_cast<std::size_t>(std::count(content.begin(), content.end(), '\n')));
  Batch problems;
  csv::for_each_record(content, [&](std::size_t line, std::span<const std::string_view> fields) {
    if (!header_read) {
      header_read = true;
      std::vector<std::string> header;
      for (auto name : fields) header.push_back(text::lower(text::trim(name)));
      if (std::find(header.begin(), header.end(), "number") == header.end())
        fail(ErrorCategory::invalid_input, "line 1: the header has no 'number' column (columns: " + column_list() + ")");
      for (const auto& name : header) {
        auto field = field_named(name);
        if (!field) fail(ErrorCategory::invalid_input, "line 1: " + unknown_column(name));
        if (std::find(columns.begin(), columns.end(), *field) != columns.end())
          fail(ErrorCategory::invalid_input, "line 1: the column '" + name + "' is named twice");
        columns.push_back(*field);
      }
      return;
    }
    if (fields.size() != columns.size()) {
      problems.add(invalid("line " + std::to_string(line) + ": " + std::to_string(fields.size()) + " fields, the header has " +
                         std::to_string(columns.size())));
      return;
    }
    ImportRow row;
    row.position = line;
    for (std::size_t i = 0; i < fields.size(); ++i) set_field(row, columns[i], unmark_csv_cell(text::trim(fields[i])));
    if (row.number.empty()) {
      problems.add(invalid("line " + std::to_string(line) + ": 'number' is empty"));
      return;
    }
    out.push_back(std::move(row));
  });
  if (!header_read) fail(ErrorCategory::invalid_input, "the import file is empty (expected a header row with 'number')");
  if (!problems.empty()) report(problems);
  return out;
}

std::optional<std::string> json_field(const nlohmann::json& object, const std::string& key, std::string& problem) {
  auto it = object.find(key);
  if (it == object.end() || it->is_null()) return std::nullopt;
  if (!it->is_string()) {
    problem = "'" + key + "' must be a string";
    return std::nullopt;
  }
  return it->get<std::string>();
}

std::optional<ImportRow> from_json_object(const nlohmann::json& object, std::size_t position, const std::string& where,
                                          Batch& problems) {
  if (!object.is_object()) {
    problems.add(invalid(where + ": expected an object like {\"number\": \"+49 30 123456\"}"));
    return std::nullopt;
  }
  ImportRow row;
  row.position = position;
  for (const auto& [key, value] : object.items()) {
    auto field = field_named(key);
    if (!field) {
      problems.add(invalid(where + ": " + unknown_column(key)));
      return std::nullopt;
    }
    std::string problem;
    auto v = json_field(object, key, problem);
    if (!problem.empty()) {
      problems.add(invalid(where + ": " + problem));
      return std::nullopt;
    }
    set_field(row, *field, v ? std::string_view(*v) : std::string_view());
  }
  if (row.number.empty()) {
    problems.add(invalid(where + ": 'number' is missing"));
    return std::nullopt;
  }
  return row;
}

}  // namespace

std::optional<ImportFormat> parse_import_format(std::string_view name) {
  std::string n = text::lower(name);
  if (n == "csv") return ImportFormat::csv;
  if (n == "json") return ImportFormat::json;
  if (n == "ndjson" || n == "jsonl") return ImportFormat::ndjson;
  return std::nullopt;
}

ImportFormat sniff_import_format(std::string_view content) {
  if (content.starts_with("\xEF\xBB\xBF")) content.remove_prefix(3);
  auto first = content.find_first_not_of(" \t\r\n");
  if (first == std::string_view::npos) return ImportFormat::csv;
  if (content[first] == '[') return ImportFormat::json;
  if (content[first] == '{') return ImportFormat::ndjson;
  return ImportFormat::csv;
}

std::string read_import_file(const std::string& file) {
  // Read in large blocks straight into the result: an import may be hundreds of megabytes.
  std::unique_ptr<std::FILE, int (*)(std::FILE*)> opened(file == "-" ? nullptr : std::fopen(file.c_str(), "rb"), std::fclose);
  if (file != "-" && !opened) fail(ErrorCategory::invalid_input, "cannot read " + file + ": " + std::strerror(errno));
  std::FILE* in = opened ? opened.get() : stdin;
  std::string content;
  constexpr std::size_t block = 1 << 20;
  if (opened) {
    std::fseek(in, 0, SEEK_END);
    long size = std::ftell(in);
    std::rewind(in);
    if (size > 0) content.reserve(static_cast<std::size_t>(size) + block);
    memory::prefer_huge_pages(content.data(), content.capacity());
  }
  for (;;) {
    std::size_t had = content.size();
    content.resize(had + block);
    std::size_t got = std::fread(content.data() + had, 1, block, in);
    content.resize(had + got);
    if (got < block) break;
  }
  if (std::ferror(in)) fail(ErrorCategory::invalid_input, "cannot read " + (file == "-" ? std::string("stdin") : file) + ": " + std::strerror(errno));
  return content;
}

std::vector<ImportRow> parse_import(std::string_view content, ImportFormat format) {
  if (content.starts_with("\xEF\xBB\xBF")) content.remove_prefix(3);
  if (format == ImportFormat::csv) return from_csv(content);
  std::vector<ImportRow> out;
  Batch problems;
  if (format == ImportFormat::json) {
    nlohmann::json document;
    try {
      document = nlohmann::json::parse(content);
    } catch (const nlohmann::json::exception& error) {  // parse_error, and out_of_range for huge numbers
      fail(ErrorCategory::invalid_input, std::string("invalid JSON: ") + error.what());
    }
    if (!document.is_array()) fail(ErrorCategory::invalid_input, "a JSON import must be an array of objects");
    for (std::size_t i = 0; i < document.size(); ++i)
      if (auto row = from_json_object(document[i], i, "index " + std::to_string(i), problems)) out.push_back(std::move(*row));
  } else {
    std::size_t line = 0;
    for (const auto& text_line : text::split(content, '\n')) {
      ++line;
      std::string_view l = text::trim(text_line);
      if (l.empty()) continue;
      nlohmann::json object;
      try {
        object = nlohmann::json::parse(l);
      } catch (const nlohmann::json::exception&) {
        problems.add(invalid("line " + std::to_string(line) + ": invalid JSON"));
        continue;
      }
      if (auto row = from_json_object(object, line, "line " + std::to_string(line), problems)) out.push_back(std::move(*row));
    }
  }
  if (!problems.empty()) report(problems);
  return out;
}

}  // namespace numctl
