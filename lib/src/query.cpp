// Parsing of the listing criteria an operator types.
#include "numctl/query.hpp"
#include "numctl/error.hpp"
#include "numctl/lifecycle.hpp"
#include "numctl/phone.hpp"
#include "numctl/suggest.hpp"
#include "numctl/text.hpp"

#include <array>

namespace numctl {

bool Filter::has_criteria() const {
  return !statuses.empty() || !types.empty() || !countries.empty() || assigned || team || member || digits;
}

std::vector<Status> Filter::listed_statuses() const {
  if (!statuses.empty() || include_cancelled) return statuses;
  std::vector<Status> listed;
  for (Status s : all_statuses)
    if (lifecycle::listed_by_default(s)) listed.push_back(s);
  return listed;
}

std::string_view to_string(SortField field) {
  for (const auto& [f, name] : sort_field_table)
    if (f == field) return name;
  return "number";
}

std::string sort_field_names() {
  std::string out;
  for (const auto& [field, name] : sort_field_table) out += (out.empty() ? "" : ", ") + std::string(name);
  return out;
}

Sort parse_sort(std::string_view spec) {
  Sort sort;
  std::string text = text::lower(text::trim(spec));
  if (auto colon = text.find(':'); colon != std::string::npos) {
    std::string direction = text.substr(colon + 1);
    if (direction == "desc") sort.descending = true;
    else if (direction != "asc") fail(ErrorCategory::invalid_input, "sort direction must be asc or desc, got '" + direction + "'");
    text.resize(colon);
  }
  text = text::underscored(text);
  for (const auto& [field, name] : sort_field_table) {
    if (name == text) {
      sort.field = field;
      return sort;
    }
  }
  fail(ErrorCategory::invalid_input, "cannot sort by '" + std::string(spec) + "' (fields: " + sort_field_names() + "; add :desc to reverse)");
}

std::vector<Status> parse_status_list(std::string_view spec) {
  std::vector<Status> out;
  for (const auto& part : text::split(spec, ',')) {
    auto status = parse_status_alias(part);
    if (!status) {
      std::string wrong = text::lower(text::trim(part));
      std::vector<std::string> names{"pending", "active", "high_risk", "to_be_cancelled", "cancelled", "green", "yellow", "red"};
      auto close = closest_match(text::underscored(wrong), names);
      fail(ErrorCategory::invalid_input, "unknown status '" + std::string(text::trim(part)) + "'" +
                                             (close ? "; did you mean '" + *close + "'?" : "") +
                                             " (valid: pending, active, high_risk, to_be_cancelled, cancelled, or green, yellow, red)");
    }
    out.push_back(*status);
  }
  return out;
}

std::vector<NumberType> parse_type_list(std::string_view spec) {
  std::vector<NumberType> out;
  for (const auto& part : text::split(spec, ',')) {
    auto type = parse_number_type_alias(part);
    if (!type) {
      auto close = closest_match(text::underscored(text::lower(text::trim(part))), {"local", "mobile", "toll_free"});
      fail(ErrorCategory::invalid_input, "unknown type '" + std::string(text::trim(part)) + "'" +
                                             (close ? "; did you mean '" + *close + "'?" : "") + " (valid: local, mobile, toll_free)");
    }
    out.push_back(*type);
  }
  return out;
}

std::vector<std::string> parse_country_list(std::string_view spec) {
  std::vector<std::string> out;
  for (const auto& part : text::split(spec, ',')) {
    std::string code = text::upper(text::trim(part));
    bool letters = code.size() == 2 && std::isalpha(static_cast<unsigned char>(code[0])) &&
                   std::isalpha(static_cast<unsigned char>(code[1]));
    if (!letters) {
      // Only on this error path: a country's English name leads to its code.
      std::string hint;
      std::string wanted = text::lower(text::trim(part));
      for (const auto& known : known_countries())
        if (text::lower(country_name(known)) == wanted) hint = "; did you mean " + known + "?";
      fail(ErrorCategory::invalid_input, "unknown country '" + std::string(text::trim(part)) + "'" + hint +
                                             " (use ISO 3166-1 codes such as DE, US, GB)");
    }
    out.push_back(code);
  }
  return out;
}

}  // namespace numctl
