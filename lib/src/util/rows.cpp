// The row reader of rows.hpp: CSV by header, JSON arrays and NDJSON by key.
#include "util/rows.hpp"
#include "util/csv.hpp"
#include "numctl/error.hpp"
#include "numctl/text.hpp"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <cerrno>
#include <cstring>

namespace numctl::rows {
namespace {

std::string column_list(const Schema& schema) {
  std::string out;
  for (auto name : schema.columns) out += (out.empty() ? "" : ", ") + std::string(name);
  return out;
}

std::optional<std::size_t> column_named(const Schema& schema, std::string_view name) {
  auto it = std::find(schema.columns.begin(), schema.columns.end(), name);
  if (it == schema.columns.end()) return std::nullopt;
  return static_cast<std::size_t>(it - schema.columns.begin());
}

// Problems are ordered by their row's position, so that those a sink adds itself (checks of
// what the row says) fall in line with these.
void finish(Sink& sink, Batch& problems, std::size_t position, const std::string& where) {
  if (auto problem = sink.end()) problems.add(invalid(where + ": " + *problem), position);
}

// Where a CSV file stands between the blocks of a stream: its header read or not, the columns it named.
struct CsvState {
  std::vector<std::size_t> columns;
  bool header_read = false;
};

void read_csv_block(std::string_view content, std::size_t line_offset, const Schema& schema, Sink& sink, Batch& problems,
                    CsvState& state) {
  auto& columns = state.columns;
  const std::string required(schema.required);
  csv::for_each_record(content, [&](std::size_t block_line, std::span<const std::string_view> fields) {
    const std::size_t line = block_line + line_offset;
    if (!state.header_read) {
      state.header_read = true;
      std::vector<std::string> header;
      for (auto name : fields) header.push_back(text::lower(text::trim(name)));
      if (std::find(header.begin(), header.end(), required) == header.end() &&
          (schema.or_required.empty() || std::find(header.begin(), header.end(), schema.or_required) == header.end()))
        fail(ErrorCategory::invalid_input,
             "line " + std::to_string(line) + ": the header has no '" + required + "' column" +
                 (schema.or_required.empty() ? std::string() : " (or '" + std::string(schema.or_required) + "')") +
                 " (columns: " + column_list(schema) + ")");
      for (const auto& name : header) {
        auto column = column_named(schema, name);
        if (!column) fail(ErrorCategory::invalid_input, "line " + std::to_string(line) + ": " + schema.unknown_column(name));
        if (std::find(columns.begin(), columns.end(), *column) != columns.end())
          fail(ErrorCategory::invalid_input, "line " + std::to_string(line) + ": the column '" + name + "' is named twice");
        columns.push_back(*column);
      }
      return;
    }
    if (fields.size() != columns.size()) {
      problems.add(invalid("line " + std::to_string(line) + ": " + std::to_string(fields.size()) + " fields, the header has " +
                           std::to_string(columns.size())),
                   line);
      return;
    }
    sink.begin(line);
    for (std::size_t i = 0; i < fields.size(); ++i) sink.cell(columns[i], unmark_csv_cell(text::trim(fields[i])));
    finish(sink, problems, line, "line " + std::to_string(line));
  });
}

void csv_done(const CsvState& state, const Schema& schema) {
  if (!state.header_read)
    fail(ErrorCategory::invalid_input, "the " + std::string(schema.noun) + " file is empty (expected a header row with '" +
                                           std::string(schema.required) + "')");
}

void read_csv(std::string_view content, const Schema& schema, Sink& sink, Batch& problems) {
  CsvState state;
  read_csv_block(content, 0, schema, sink, problems, state);
  csv_done(state, schema);
}

void read_object(const nlohmann::json& object, std::size_t position, const std::string& where, const Schema& schema, Sink& sink,
                 Batch& problems) {
  if (!object.is_object()) {
    problems.add(invalid(where + ": expected an object like {\"" + std::string(schema.required) + "\": \"+49 30 123456\"}"),
                 position);
    return;
  }
  // Every key is checked before the row is handed on: a row is taken whole or not at all.
  for (const auto& [key, value] : object.items()) {
    if (!column_named(schema, key)) {
      problems.add(invalid(where + ": " + schema.unknown_column(key)), position);
      return;
    }
    if (!value.is_null() && !value.is_string() && !(schema.numbers_as_text && value.is_number())) {
      problems.add(invalid(where + ": '" + key + "' must be a " + (schema.numbers_as_text ? "string or a number" : "string")),
                   position);
      return;
    }
  }
  sink.begin(position);
  std::string text;
  for (const auto& [key, value] : object.items()) {
    if (value.is_string())
      text = value.get_ref<const std::string&>();
    else if (value.is_number())
      text = value.dump();
    else
      text.clear();
    sink.cell(*column_named(schema, key), text);
  }
  finish(sink, problems, position, where);
}

void read_ndjson_block(std::string_view content, std::size_t line_offset, const Schema& schema, Sink& sink, Batch& problems) {
  std::size_t line = line_offset;
  std::size_t start = 0;
  while (start < content.size()) {
    std::size_t end = content.find('\n', start);
    if (end == std::string_view::npos) end = content.size();
    ++line;
    std::string_view l = text::trim(content.substr(start, end - start));
    start = end + 1;
    if (l.empty()) continue;
    nlohmann::json object;
    try {
      object = nlohmann::json::parse(l);
    } catch (const nlohmann::json::exception&) {
      problems.add(invalid("line " + std::to_string(line) + ": invalid JSON"), line);
      continue;
    }
    read_object(object, line, "line " + std::to_string(line), schema, sink, problems);
  }
}

}  // namespace

std::string_view unmark_csv_cell(std::string_view cell) {
  if (cell.size() >= 2 && cell[0] == '\'' && std::string_view("=+-@").find(cell[1]) != std::string_view::npos)
    cell.remove_prefix(1);
  return cell;
}

void read(std::string_view content, ImportFormat format, const Schema& schema, Sink& sink, Batch& problems) {
  if (content.starts_with("\xEF\xBB\xBF")) content.remove_prefix(3);
  if (format == ImportFormat::csv) return read_csv(content, schema, sink, problems);
  if (format == ImportFormat::json) {
    nlohmann::json document;
    try {
      document = nlohmann::json::parse(content);
    } catch (const nlohmann::json::exception& error) {  // parse_error, and out_of_range for huge numbers
      fail(ErrorCategory::invalid_input, std::string("invalid JSON: ") + error.what());
    }
    if (!document.is_array())
      fail(ErrorCategory::invalid_input, "a JSON " + std::string(schema.noun) + " must be an array of objects");
    for (std::size_t i = 0; i < document.size(); ++i)
      read_object(document[i], i, "index " + std::to_string(i), schema, sink, problems);
    return;
  }
  read_ndjson_block(content, 0, schema, sink, problems);
}

void read_stream(std::FILE* in, ImportFormat format, const Schema& schema, Sink& sink, Batch& problems) {
  std::string buffer;
  if (format == ImportFormat::json) {  // an array is one value: read whole
    char block[1 << 16];
    for (std::size_t n; (n = std::fread(block, 1, sizeof block, in)) > 0;) buffer.append(block, n);
    if (std::ferror(in)) fail(ErrorCategory::invalid_input, std::string("cannot read the file: ") + std::strerror(errno));
    return read(buffer, format, schema, sink, problems);
  }
  // Blocks of whole lines (a CSV line break inside quotes does not end a record), each read
  // as it comes: memory holds one block, whatever the file's size.
  constexpr std::size_t block_size = 1 << 22;
  CsvState state;
  std::size_t line_offset = 0, scanned = 0;
  bool in_quotes = false, first = true;
  auto process = [&](std::string_view complete) {
    if (first && complete.starts_with("\xEF\xBB\xBF")) complete.remove_prefix(3);
    first = false;
    if (format == ImportFormat::csv)
      read_csv_block(complete, line_offset, schema, sink, problems, state);
    else
      read_ndjson_block(complete, line_offset, schema, sink, problems);
    line_offset += static_cast<std::size_t>(std::count(complete.begin(), complete.end(), '\n'));
  };
  std::vector<char> block(block_size);
  for (;;) {
    std::size_t n = std::fread(block.data(), 1, block.size(), in);
    if (n == 0) break;
    buffer.append(block.data(), n);
    std::size_t cut = std::string::npos;
    for (std::size_t i = scanned; i < buffer.size(); ++i) {
      char c = buffer[i];
      if (c == '"' && format == ImportFormat::csv)
        in_quotes = !in_quotes;
      else if (c == '\n' && !in_quotes)
        cut = i;
    }
    scanned = buffer.size();
    if (cut == std::string::npos) continue;
    process(std::string_view(buffer).substr(0, cut + 1));
    buffer.erase(0, cut + 1);
    scanned = buffer.size();
  }
  if (std::ferror(in)) fail(ErrorCategory::invalid_input, std::string("cannot read the file: ") + std::strerror(errno));
  if (!buffer.empty()) process(buffer);
  if (format == ImportFormat::csv) csv_done(state, schema);
}

}  // namespace numctl::rows
