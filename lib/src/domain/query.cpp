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
  return !statuses.empty() || !types.empty() || !countries.empty() || assigned || team || member || digits || e164_prefix ||
         risk || idle_days || min_price || !emergency.empty() || emergency_address;
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
    if (direction == "desc")
      sort.descending = true;
    else if (direction != "asc")
      fail(ErrorCategory::invalid_input, "sort direction must be asc or desc, got '" + direction + "'");
    text.resize(colon);
  }
  text = text::underscored(text);
  for (const auto& [field, name] : sort_field_table) {
    if (name == text) {
      sort.field = field;
      return sort;
    }
  }
  fail(ErrorCategory::invalid_input,
       "cannot sort by '" + std::string(spec) + "' (fields: " + sort_field_names() + "; add :desc to reverse)");
}

std::vector<Status> parse_status_list(std::string_view spec) {
  std::vector<Status> out;
  for (const auto& part : text::split(spec, ',')) {
    auto status = parse_status_alias(part);
    if (!status) {
      std::string wrong = text::lower(text::trim(part));
      std::vector<std::string> names{"pending", "active", "high_risk", "to_be_cancelled", "cancelled", "green", "yellow", "red"};
      auto close = closest_match(text::underscored(wrong), names);
      fail(ErrorCategory::invalid_input,
           "unknown status '" + std::string(text::trim(part)) + "'" + (close ? "; did you mean '" + *close + "'?" : "") +
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
                                             (close ? "; did you mean '" + *close + "'?" : "") +
                                             " (valid: local, mobile, toll_free)");
    }
    out.push_back(*type);
  }
  return out;
}

namespace {
// ISO 3166-1 alpha-2, officially assigned: a filter checks its codes without loading the
// phone module (a listing must start fast).
constexpr std::string_view iso_countries =
    "AD AE AF AG AI AL AM AO AQ AR AS AT AU AW AX AZ BA BB BD BE BF BG BH BI BJ BL BM BN BO BQ BR BS BT BV BW BY BZ "
    "CA CC CD CF CG CH CI CK CL CM CN CO CR CU CV CW CX CY CZ DE DJ DK DM DO DZ EC EE EG EH ER ES ET FI FJ FK FM FO "
    "FR GA GB GD GE GF GG GH GI GL GM GN GP GQ GR GS GT GU GW GY HK HM HN HR HT HU ID IE IL IM IN IO IQ IR IS IT JE "
    "JM JO JP KE KG KH KI KM KN KP KR KW KY KZ LA LB LC LI LK LR LS LT LU LV LY MA MC MD ME MF MG MH MK ML MM MN MO "
    "MP MQ MR MS MT MU MV MW MX MY MZ NA NC NE NF NG NI NL NO NP NR NU NZ OM PA PE PF PG PH PK PL PM PN PR PS PT PW "
    "PY QA RE RO RS RU RW SA SB SC SD SE SG SH SI SJ SK SL SM SN SO SR SS ST SV SX SY SZ TC TD TF TG TH TJ TK TL TM "
    "TN TO TR TT TV TW TZ UA UG UM US UY UZ VA VC VE VG VI VN VU WF WS XK YE YT ZA ZM ZW";
}  // namespace

std::string unknown_country_message(std::string_view typed) {
  std::string code = text::upper(text::trim(typed));
  std::string message = "unknown country '" + std::string(text::trim(typed)) + "'";
  // The codes people reach for that ISO 3166-1 spells otherwise.
  if (code == "UK") return message + "; did you mean GB (United Kingdom)?";
  if (code == "EL") return message + "; did you mean GR (Greece)?";
  std::string wanted = text::lower(text::trim(typed));
  if (code.size() != 2)
    for (const auto& known : text::split(iso_countries, ' '))
      if (text::lower(country_name(known)) == wanted) return message + "; did you mean " + std::string(known) + "?";
  return message + " (use ISO 3166-1 codes such as DE, US, GB)";
}

std::vector<std::string> parse_country_list(std::string_view spec) {
  std::vector<std::string> out;
  for (const auto& part : text::split(spec, ',')) {
    std::string code = text::upper(text::trim(part));
    bool known = code.size() == 2 && iso_countries.find(code) != std::string_view::npos && iso_countries.find(code) % 3 == 0;
    if (!known) fail(ErrorCategory::invalid_input, unknown_country_message(part));
    out.push_back(code);
  }
  return out;
}

}  // namespace numctl
