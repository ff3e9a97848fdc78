// Checks of names, free text and number types.
#include "validation.hpp"
#include "numctl/text.hpp"

namespace numctl {

Check check_name(std::string_view what, std::string_view name) {
  std::string subject(what);
  if (text::trim(name).empty()) return invalid(subject + " name must not be empty");
  if (name.size() > 100) return invalid(subject + " name is longer than 100 characters");
  for (char c : name)
    if (static_cast<unsigned char>(c) < 0x20 || c == 0x7f) return invalid(subject + " name must not contain control characters");
  return passed();
}

Check check_free_text(std::string_view what, const std::optional<std::string>& value) {
  if (!value) return passed();
  std::string subject(what);
  if (value->size() > 500) return invalid(subject + " is longer than 500 characters");
  for (char c : *value)
    if ((static_cast<unsigned char>(c) < 0x20 && c != '\t') || c == 0x7f)
      return invalid(subject + " must not contain control characters");
  return passed();
}

Result<NumberType> settle_type(const ParsedNumber& parsed, std::optional<NumberType> asked) {
  if (parsed.type) {
    if (asked && *asked != *parsed.type)
      return invalid(parsed.display + " is a " + std::string(to_string(*parsed.type)) + " number, not " +
                     std::string(to_string(*asked)));
    return *parsed.type;
  }
  if (asked) {
    if (parsed.type_detail == "fixed line or mobile" && *asked == NumberType::toll_free)
      return invalid(parsed.display + " is a fixed line or mobile number, not toll_free");
    return *asked;
  }
  return invalid(parsed.display + " is a " + parsed.type_detail + " number; say which type it is with --type " +
                 (parsed.type_detail == "fixed line or mobile" ? "local|mobile" : "local|mobile|toll_free"));
}

}  // namespace numctl
