// The result model: what a command builds once (a record of named values, or a list of them)
// and the chosen format renders. JSON and NDJSON come straight from it; tables, CSV and plain
// text from the columns a command names for them.
#pragma once

#include "format.hpp"

#include <cstdint>
#include <optional>
#include <string>
#include <utility>
#include <variant>
#include <vector>

namespace numctl::cli {

class Value;
using Record = std::vector<std::pair<std::string, Value>>;  // named values, in order
using List = std::vector<Value>;

class Value {
public:
  Value() = default;  // null
  Value(std::nullopt_t) {}
  Value(std::string text) : data_(std::move(text)) {}
  Value(std::string_view text) : data_(std::string(text)) {}
  Value(const char* text) : data_(std::string(text)) {}
  Value(const std::optional<std::string>& text) {
    if (text) data_ = *text;
  }
  Value(std::int64_t number) : data_(number) {}
  Value(bool flag) : data_(flag) {}
  Value(List list) : data_(std::move(list)) {}
  Value(Record record) : data_(std::move(record)) {}
  Value(const std::vector<std::string>& texts);
  // JSON text written elsewhere (an audit entry's details), embedded as it is.
  static Value json_text(std::string text);

  bool is_null() const { return data_.index() == 0; }
  void append_json(std::string& out) const;
  std::string json() const;
  // The value as a table or CSV cell: text as it is, numbers in decimal, null empty.
  std::string text() const;
  // The named value of a record; null when absent.
  const Value& operator[](std::string_view key) const;

private:
  struct JsonText {
    std::string text;
  };
  std::variant<std::monostate, std::string, std::int64_t, bool, List, Record, JsonText> data_;
};

// JSON: the list as one array; NDJSON: one value a line.
void write_json_list(Format format, const List& items);
// One value as JSON on its own line (json and ndjson alike).
void write_json_line(const Value& value);

}  // namespace numctl::cli
