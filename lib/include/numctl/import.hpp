// Reading the rows of an import file (CSV, JSON array, NDJSON) into ImportRow values.
#pragma once

#include <array>
#include <cstddef>
#include <optional>

#include <string>
#include <string_view>
#include <vector>

namespace numctl {

// One row of an import file, as written: the service checks it.
struct ImportRow {
  std::size_t position = 0;  // line (CSV, NDJSON) or index (JSON) for messages
  std::string number;
  std::optional<std::string> type, status, team, member, label, bought_at;
};

// The columns (CSV) or keys (JSON, NDJSON) an import reads; `number` is required.
inline constexpr std::array<std::string_view, 7> import_columns{"number", "type",  "status",   "team",
                                                                "member", "label", "bought_at"};

enum class ImportFormat { csv, json, ndjson };

std::optional<ImportFormat> parse_import_format(std::string_view name);
// The whole content of `file`, or of stdin for "-"; invalid_input when it cannot be read.
std::string read_import_file(const std::string& file);
// Every malformed row is reported (invalid_input, with line or index) before anything is read
// further by the service; an unknown column is refused so that a typo is not silently dropped.
std::vector<ImportRow> parse_import(std::string_view content, ImportFormat format);

}  // namespace numctl
