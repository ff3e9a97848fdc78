// Checks of names, free text and number types.
#include "domain/validation.hpp"
#include "numctl/text.hpp"

#include <utf8proc.h>

#include <algorithm>
#include <cstdlib>
#include <memory>

namespace numctl {
namespace {

struct FreeDeleter {
  void operator()(void* p) const { std::free(p); }
};

std::unique_ptr<utf8proc_uint8_t, FreeDeleter> nfc_of(std::string_view value) {
  utf8proc_uint8_t* out = nullptr;
  auto n = utf8proc_map(reinterpret_cast<const utf8proc_uint8_t*>(value.data()), static_cast<utf8proc_ssize_t>(value.size()),
                        &out, static_cast<utf8proc_option_t>(UTF8PROC_STABLE | UTF8PROC_COMPOSE));
  if (n < 0) return nullptr;
  return std::unique_ptr<utf8proc_uint8_t, FreeDeleter>(out);
}

}  // namespace

Check check_text(std::string_view what, std::string_view value) {
  std::string subject(what);
  const auto* p = reinterpret_cast<const utf8proc_uint8_t*>(value.data());
  auto left = static_cast<utf8proc_ssize_t>(value.size());
  bool ascii = true;
  while (left > 0) {
    utf8proc_int32_t cp = 0;
    auto n = utf8proc_iterate(p, left, &cp);
    if (n < 0) return invalid(subject + " is not valid UTF-8");
    if (cp < 0x20 || (cp >= 0x7f && cp <= 0x9f))
      return invalid(subject + " must not contain control characters (tab, line break, escape)");
    ascii = ascii && cp < 0x80;
    p += n;
    left -= n;
  }
  if (!ascii) {
    auto nfc = nfc_of(value);
    if (!nfc || std::string_view(reinterpret_cast<const char*>(nfc.get())) != value)
      return invalid(subject +
                     " is not in Unicode NFC form (decomposed accents); convert it first, e.g. with "
                     "uconv -x any-nfc");
  }
  return passed();
}

std::string to_nfc(std::string_view value) {
  // ASCII is its own NFC: most names and labels skip the library.
  if (std::all_of(value.begin(), value.end(), [](char c) { return static_cast<unsigned char>(c) < 0x80; }))
    return std::string(value);
  auto nfc = nfc_of(value);
  return nfc ? std::string(reinterpret_cast<const char*>(nfc.get())) : std::string(value);
}

bool storable_text(std::string_view value) {
  const auto* p = reinterpret_cast<const utf8proc_uint8_t*>(value.data());
  auto left = static_cast<utf8proc_ssize_t>(value.size());
  while (left > 0) {
    if (*p < 0x80) {
      if (*p == 0) return false;
      ++p;
      --left;
      continue;
    }
    utf8proc_int32_t cp = -1;
    auto n = utf8proc_iterate(p, left, &cp);
    if (n < 0) return false;
    p += n;
    left -= n;
  }
  return true;
}

std::string repaired_text(std::string_view value) {
  std::string out;
  const auto* p = reinterpret_cast<const utf8proc_uint8_t*>(value.data());
  auto left = static_cast<utf8proc_ssize_t>(value.size());
  while (left > 0) {
    utf8proc_int32_t cp = -1;
    auto n = *p < 0x80 ? 1 : utf8proc_iterate(p, left, &cp);
    if (n < 0 || *p == 0) {
      out += "\xEF\xBF\xBD";  // U+FFFD for the byte
      n = 1;
    } else {
      out.append(reinterpret_cast<const char*>(p), static_cast<std::size_t>(n));
    }
    p += n;
    left -= n;
  }
  return out;
}

std::string case_folded(std::string_view value) {
  if (std::all_of(value.begin(), value.end(), [](char c) { return static_cast<unsigned char>(c) < 0x80; }))
    return text::lower(value);
  utf8proc_uint8_t* out = nullptr;
  auto n = utf8proc_map(reinterpret_cast<const utf8proc_uint8_t*>(value.data()), static_cast<utf8proc_ssize_t>(value.size()),
                        &out, static_cast<utf8proc_option_t>(UTF8PROC_STABLE | UTF8PROC_COMPOSE | UTF8PROC_CASEFOLD));
  if (n < 0) return text::lower(value);
  std::unique_ptr<utf8proc_uint8_t, FreeDeleter> owned(out);
  return std::string(reinterpret_cast<const char*>(owned.get()));
}

std::optional<std::string> to_nfc(const std::optional<std::string>& value) {
  if (!value) return std::nullopt;
  return to_nfc(*value);
}

Check check_name(std::string_view what, std::string_view name) {
  std::string subject(what);
  if (text::trim(name).empty()) return invalid(subject + " name must not be empty");
  if (name.size() > 100) return invalid(subject + " name is longer than 100 characters");
  return check_text(subject + " name", name);
}

Check check_free_text(std::string_view what, const std::optional<std::string>& value) {
  if (!value) return passed();
  std::string subject(what);
  if (value->size() > 500) return invalid(subject + " is longer than 500 characters");
  return check_text(subject, *value);
}

Check check_manageable(const ParsedNumber& parsed) {
  if (parsed.country == "001")
    return invalid(parsed.display +
                   " is a non-geographic number (no country: international freephone, satellite, "
                   "...); numctl manages numbers of a country, so it cannot be bought or imported");
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
