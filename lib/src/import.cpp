// Reading the rows of an import file (CSV, JSON array, NDJSON).
#include "numctl/import.hpp"
#include "numctl/error.hpp"
#include "csv.hpp"
#include "text.hpp"

#include <nlohmann/json.hpp>

#include <array>

namespace numctl {
namespace {

constexpr std::array known_fields{"number", "type", "status", "team", "member", "label", "bought_at"};

bool known_field(std::string_view name) {
  return std::find(known_fields.begin(), known_fields.end(), name) != known_fields.end();
}

void set_field(ImportRow& row, std::string_view name, std::string value) {
  std::optional<std::string> v = value.empty() ? std::nullopt : std::optional(std::move(value));
  if (name == "number") row.number = v.value_or("");
  else if (name == "type") row.type = v;
  else if (name == "status") row.status = v;
  else if (name == "team") row.team = v;
  else if (name == "member") row.member = v;
  else if (name == "label") row.label = v;
  else if (name == "bought_at") row.bought_at = v;
}

[[noreturn]] void report(const std::vector<std::string>& problems) {
  std::vector<std::string> shown(problems.begin(), problems.begin() + static_cast<long>(std::min<std::size_t>(problems.size(), 20)));
  std::string message = std::to_string(problems.size()) + " bad rows, nothing imported: " + text::join(shown, "; ");
  if (shown.size() < problems.size()) message += "; and " + std::to_string(problems.size() - shown.size()) + " more";
  fail(ErrorCategory::invalid_input, message);
}

std::vector<ImportRow> from_csv(std::string_view content) {
  auto rows = csv::parse_rows(content);
  if (rows.empty()) fail(ErrorCategory::invalid_input, "the import file is empty (expected a header row with 'number')");
  std::vector<std::string> header;
  for (const auto& name : rows[0].fields) header.push_back(text::lower(text::trim(name)));
  if (std::find(header.begin(), header.end(), "number") == header.end())
    fail(ErrorCategory::invalid_input, "line 1: the header has no 'number' column (columns: number, type, status, team, member, label, bought_at)");
  for (const auto& name : header)
    if (!known_field(name))
      fail(ErrorCategory::invalid_input, "line 1: unknown column '" + name + "' (columns: number, type, status, team, member, label, bought_at)");
  std::vector<ImportRow> out;
  std::vector<std::string> problems;
  for (std::size_t r = 1; r < rows.size(); ++r) {
    const auto& fields = rows[r].fields;
    if (fields.size() != header.size()) {
      problems.push_back("line " + std::to_string(rows[r].line) + ": " + std::to_string(fields.size()) + " fields, the header has " +
                         std::to_string(header.size()));
      continue;
    }
    ImportRow row;
    row.position = rows[r].line;
    for (std::size_t i = 0; i < fields.size(); ++i) set_field(row, header[i], std::string(text::trim(fields[i])));
    if (row.number.empty()) {
      problems.push_back("line " + std::to_string(rows[r].line) + ": 'number' is empty");
      continue;
    }
    out.push_back(std::move(row));
  }
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
                                          std::vector<std::string>& problems) {
  if (!object.is_object()) {
    problems.push_back(where + ": expected an object like {\"number\": \"+49 30 123456\"}");
    return std::nullopt;
  }
  ImportRow row;
  row.position = position;
  for (const auto& [key, value] : object.items()) {
    if (!known_field(key)) {
      problems.push_back(where + ": unknown field '" + key + "'");
      return std::nullopt;
    }
    std::string problem;
    auto v = json_field(object, key, problem);
    if (!problem.empty()) {
      problems.push_back(where + ": " + problem);
      return std::nullopt;
    }
    if (v) set_field(row, key, *v);
  }
  if (row.number.empty()) {
    problems.push_back(where + ": 'number' is missing");
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

std::vector<ImportRow> parse_import(std::string_view content, ImportFormat format) {
  if (content.starts_with("\xEF\xBB\xBF")) content.remove_prefix(3);
  if (format == ImportFormat::csv) return from_csv(content);
  std::vector<ImportRow> out;
  std::vector<std::string> problems;
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
        problems.push_back("line " + std::to_string(line) + ": invalid JSON");
        continue;
      }
      if (auto row = from_json_object(object, line, "line " + std::to_string(line), problems)) out.push_back(std::move(*row));
    }
  }
  if (!problems.empty()) report(problems);
  return out;
}

}  // namespace numctl
