// libphonenumber's validation and formatting rules over its own metadata, with the patterns
// compiled by RE2 (see phone_compiled.hpp). Each function names the libphonenumber function
// it mirrors; where this code is unsure to agree, it declines.
#include "phone/phone_compiled.hpp"

#include <phonenumbers/phonemetadata.pb.h>
#include <re2/re2.h>

#include <algorithm>
#include <array>
#include <cctype>
#include <list>
#include <memory>
#include <unordered_map>
#include <vector>

// The compiled-in metadata, exported by libphonenumber (declared in its uninstalled metadata.h).
namespace i18n::phonenumbers {
int metadata_size();
const void* metadata_get();
}  // namespace i18n::phonenumbers

namespace numctl::compiled {
namespace {

using i18n::phonenumbers::NumberFormat;
using i18n::phonenumbers::PhoneMetadata;
using i18n::phonenumbers::PhoneMetadataCollection;
using i18n::phonenumbers::PhoneNumberDesc;
using i18n::phonenumbers::PhoneNumberUtil;
using Type = PhoneNumberUtil::PhoneNumberType;

constexpr std::size_t min_nsn_length = 2;   // PhoneNumberUtil::kMinLengthForNsn
constexpr std::size_t max_nsn_length = 17;  // PhoneNumberUtil::kMaxLengthForNsn

// A pattern compiled once; `ok` is false when RE2 refused it, and the region then declines.
std::unique_ptr<RE2> compile(const std::string& pattern, bool& ok) {
  RE2::Options options;
  options.set_log_errors(false);
  auto re = std::make_unique<RE2>(pattern, options);
  if (!re->ok()) ok = false;
  return re;
}

// RegExp::Consume: does a prefix of the text match?
bool prefix_matches(const RE2& re, std::string_view text) {
  return re.Match(text, 0, text.size(), RE2::ANCHOR_START, nullptr, 0);
}

// A "$1 $2" replacement as RE2 writes it ("\1 \2"); empty when it holds anything else.
std::optional<std::string> rewrite_of(const std::string& format) {
  std::string out;
  for (std::size_t i = 0; i < format.size(); ++i) {
    char c = format[i];
    if (c == '\\') return std::nullopt;
    if (c == '$') {
      if (i + 1 >= format.size() || !std::isdigit(static_cast<unsigned char>(format[i + 1]))) return std::nullopt;
      out += '\\';
      continue;
    }
    out += c;
  }
  return out;
}

// FormatNsnUsingPatternWithCarrier's first step for NATIONAL: the first "$N" of the format
// replaced by the national prefix formatting rule, whose "$1" stands for that "$N".
std::optional<std::string> with_national_prefix_rule(const std::string& format, const std::string& rule) {
  if (rule.empty()) return format;
  std::size_t at = 0;
  while (at + 1 < format.size() && !(format[at] == '$' && std::isdigit(static_cast<unsigned char>(format[at + 1])))) ++at;
  if (at + 1 >= format.size()) return format;
  std::string token = format.substr(at, 2), expanded;
  for (std::size_t i = 0; i < rule.size(); ++i) {
    if (rule[i] == '\\') return std::nullopt;
    if (rule[i] == '$') {
      if (i + 1 < rule.size() && (rule[i + 1] == '1' || rule[i + 1] == '0')) {
        expanded += token;
        ++i;
        continue;
      }
      return std::nullopt;
    }
    expanded += rule[i];
  }
  return format.substr(0, at) + expanded + format.substr(at + 2);
}

struct Desc {
  std::unique_ptr<RE2> pattern;  // none: matches nothing
  std::vector<int> lengths;      // none: any length

  void load(const PhoneNumberDesc& desc, bool& ok) {
    if (!desc.national_number_pattern().empty()) pattern = compile(desc.national_number_pattern(), ok);
    lengths.assign(desc.possible_length().begin(), desc.possible_length().end());
  }
  // IsNumberMatchingDesc
  bool matches(std::string_view nsn) const {
    if (!lengths.empty() && std::find(lengths.begin(), lengths.end(), static_cast<int>(nsn.size())) == lengths.end())
      return false;
    return pattern && RE2::FullMatch(nsn, *pattern);
  }
};

struct Format {
  std::unique_ptr<RE2> leading;  // the last leading_digits_pattern, if any
  std::unique_ptr<RE2> pattern;
  std::optional<std::string> rewrite;  // none: this code cannot apply it, so it declines
};

struct Region {
  std::string id;
  bool ok = true;
  std::unique_ptr<RE2> leading_digits, national_prefix_for_parsing;
  bool same_mobile_and_fixed_line = false;
  bool international_is_national = false;  // no intl_number_format: the national patterns, in order
  Desc general, premium_rate, toll_free, shared_cost, voip, personal_number, pager, uan, voicemail, fixed_line, mobile;
  std::vector<Format> national_formats, international_formats;

  explicit Region(const PhoneMetadata& m) : id(m.id()), same_mobile_and_fixed_line(m.same_mobile_and_fixed_line_pattern()) {
    if (m.has_leading_digits()) leading_digits = compile(m.leading_digits(), ok);
    if (!m.national_prefix_for_parsing().empty()) national_prefix_for_parsing = compile(m.national_prefix_for_parsing(), ok);
    general.load(m.general_desc(), ok);
    premium_rate.load(m.premium_rate(), ok);
    toll_free.load(m.toll_free(), ok);
    shared_cost.load(m.shared_cost(), ok);
    voip.load(m.voip(), ok);
    personal_number.load(m.personal_number(), ok);
    pager.load(m.pager(), ok);
    uan.load(m.uan(), ok);
    voicemail.load(m.voicemail(), ok);
    fixed_line.load(m.fixed_line(), ok);
    mobile.load(m.mobile(), ok);
    for (const auto& f : m.number_format()) national_formats.push_back(load(f, true));
    international_is_national = m.intl_number_format_size() == 0;
    const auto& international = international_is_national ? m.number_format() : m.intl_number_format();
    for (const auto& f : international) international_formats.push_back(load(f, false));
  }

  Format load(const NumberFormat& f, bool national) {
    Format out;
    if (f.leading_digits_pattern_size() > 0)
      out.leading = compile(f.leading_digits_pattern(f.leading_digits_pattern_size() - 1), ok);
    out.pattern = compile(f.pattern(), ok);
    std::optional<std::string> format = f.format();
    if (national) format = with_national_prefix_rule(f.format(), f.national_prefix_formatting_rule());
    if (format && *format != "NA") out.rewrite = rewrite_of(*format);
    if (out.rewrite && out.pattern->ok() && !out.pattern->CheckRewriteString(*out.rewrite, nullptr)) out.rewrite.reset();
    return out;
  }

  // GetNumberTypeHelper
  Type type_of(std::string_view nsn) const {
    if (!general.matches(nsn)) return PhoneNumberUtil::UNKNOWN;
    if (premium_rate.matches(nsn)) return PhoneNumberUtil::PREMIUM_RATE;
    if (toll_free.matches(nsn)) return PhoneNumberUtil::TOLL_FREE;
    if (shared_cost.matches(nsn)) return PhoneNumberUtil::SHARED_COST;
    if (voip.matches(nsn)) return PhoneNumberUtil::VOIP;
    if (personal_number.matches(nsn)) return PhoneNumberUtil::PERSONAL_NUMBER;
    if (pager.matches(nsn)) return PhoneNumberUtil::PAGER;
    if (uan.matches(nsn)) return PhoneNumberUtil::UAN;
    if (voicemail.matches(nsn)) return PhoneNumberUtil::VOICEMAIL;
    if (fixed_line.matches(nsn)) {
      if (same_mobile_and_fixed_line || mobile.matches(nsn)) return PhoneNumberUtil::FIXED_LINE_OR_MOBILE;
      return PhoneNumberUtil::FIXED_LINE;
    }
    if (!same_mobile_and_fixed_line && mobile.matches(nsn)) return PhoneNumberUtil::MOBILE;
    return PhoneNumberUtil::UNKNOWN;
  }
};

// ChooseFormattingPatternForNumber: the index of the format that applies, or formats.size().
std::size_t choose_format(const std::vector<Format>& formats, std::string_view nsn) {
  for (std::size_t i = 0; i < formats.size(); ++i) {
    const Format& f = formats[i];
    if (f.leading && !prefix_matches(*f.leading, nsn)) continue;
    if (RE2::FullMatch(nsn, *f.pattern)) return i;
  }
  return formats.size();
}

// The groups of a pattern's first match in a number (RE2::GlobalReplace's first step), kept when
// that match is the whole number: GlobalReplace then writes exactly what Rewrite writes from them.
struct Groups {
  std::array<re2::StringPiece, 10> at;
  int count = 0;
  bool whole = false;

  Groups(const RE2& pattern, std::string_view nsn) : count(1 + pattern.NumberOfCapturingGroups()) {
    if (count > static_cast<int>(at.size())) return;
    whole = pattern.Match(nsn, 0, nsn.size(), RE2::UNANCHORED, at.data(), count) && at[0].data() == nsn.data() &&
            at[0].size() == nsn.size();
  }
};

// FormatNsn with the chosen format; nothing when this code cannot apply it.
std::optional<std::string> format_nsn(const Format& f, const Groups& groups, std::string_view nsn) {
  if (!f.rewrite) return std::nullopt;
  std::string out;
  if (groups.whole) {
    if (!f.pattern->Rewrite(&out, *f.rewrite, groups.at.data(), groups.count)) return std::nullopt;
    return out;
  }
  out = std::string(nsn);
  RE2::GlobalReplace(&out, *f.pattern, *f.rewrite);
  return out;
}

// FormatNsn with ChooseFormattingPatternForNumber; nothing when the chosen format cannot be applied.
std::optional<std::string> format_nsn(const std::vector<Format>& formats, std::string_view nsn) {
  std::size_t chosen = choose_format(formats, nsn);
  if (chosen == formats.size()) return std::string(nsn);
  return format_nsn(formats[chosen], Groups(*formats[chosen].pattern, nsn), nsn);
}

// The regions of one country calling code, in libphonenumber's order (main country first).
struct Code {
  std::vector<std::unique_ptr<Region>> regions;
  bool known = false;  // a calling code libphonenumber knows
  bool ok = true;      // every region loaded and its patterns compiled
};

// libphonenumber's metadata, parsed once per process and read-only afterwards.
class Metadata {
 public:
  Metadata() {
    collection_.ParseFromArray(i18n::phonenumbers::metadata_get(), i18n::phonenumbers::metadata_size());
    for (const auto& m : collection_.metadata()) by_id_.emplace(m.id(), &m);
  }
  const PhoneMetadata* region(const std::string& id) const {
    auto it = by_id_.find(id);
    return it == by_id_.end() ? nullptr : it->second;
  }

 private:
  PhoneMetadataCollection collection_;
  std::unordered_map<std::string, const PhoneMetadata*> by_id_;
};

const Metadata& metadata() {
  static const Metadata instance;
  return instance;
}

// The compiled patterns of each calling code, one set per thread: RE2 guards its lazily built
// automata with a reader-writer lock, and threads sharing one RE2 spend their time passing
// that lock's cache line between cores (measured: a quarter of a bulk check on two cores).
class CompiledCodes {
 public:
  // Compiled on first use of each code, so a small import compiles only what it meets.
  const Code* code(int cc) {
    if (cc <= 0 || cc >= static_cast<int>(codes_.size())) return nullptr;
    auto& slot = codes_[static_cast<std::size_t>(cc)];
    if (!slot) slot = compile_code(cc);
    return slot.get();
  }

 private:
  static std::unique_ptr<Code> compile_code(int cc) {
    auto entry = std::make_unique<Code>();
    std::list<std::string> ids;
    PhoneNumberUtil::GetInstance()->GetRegionCodesForCountryCallingCode(cc, &ids);
    entry->known = !ids.empty();
    for (const auto& id : ids) {
      const PhoneMetadata* region = metadata().region(id);
      // "001" (non-geographic codes) is kept in a separate map by libphonenumber: decline.
      if (id == "001" || region == nullptr) {
        entry->ok = false;
        break;
      }
      entry->regions.push_back(std::make_unique<Region>(*region));
      entry->ok = entry->ok && entry->regions.back()->ok;
    }
    return entry;
  }

  std::array<std::unique_ptr<Code>, 1000> codes_;
};

CompiledCodes& tables() {
  thread_local CompiledCodes instance;
  return instance;
}

}  // namespace

std::optional<Description> describe_e164(std::string_view e164) {
  // Parse: only the plain "+digits" form, whose parsing needs no normalisation.
  if (e164.size() < 2 || e164.front() != '+' || e164[1] == '0') return std::nullopt;
  std::string_view digits = e164.substr(1);
  if (digits.size() > 3 + max_nsn_length ||
      !std::all_of(digits.begin(), digits.end(), [](char c) { return c >= '0' && c <= '9'; }))
    return std::nullopt;
  // ExtractCountryCode: the first of 1, 2 or 3 digits that is a known calling code.
  const Code* code = nullptr;
  int cc = 0;
  std::size_t cc_length = 1;
  for (; cc_length <= 3 && cc_length < digits.size(); ++cc_length) {
    cc = cc * 10 + (digits[cc_length - 1] - '0');
    code = tables().code(cc);
    if (code != nullptr && code->known) break;
  }
  // Unknown codes, non-geographic ones and metadata RE2 could not compile: libphonenumber answers.
  if (code == nullptr || !code->known || !code->ok || code->regions.empty()) return std::nullopt;
  std::string_view nsn = digits.substr(cc_length);
  if (nsn.size() < min_nsn_length || nsn.size() > max_nsn_length) return std::nullopt;
  const Region& main = *code->regions.front();
  // MaybeStripNationalPrefixAndCarrierCode might shorten the number: leave that to libphonenumber.
  if (main.national_prefix_for_parsing && prefix_matches(*main.national_prefix_for_parsing, nsn)) return std::nullopt;

  // GetRegionCodeForNumber (GetRegionCodeForNumberFromRegionList), then GetNumberTypeHelper.
  const Region* region = nullptr;
  if (code->regions.size() == 1) {
    region = &main;
  } else {
    for (const auto& r : code->regions) {
      if (r->leading_digits ? prefix_matches(*r->leading_digits, nsn) : r->type_of(nsn) != PhoneNumberUtil::UNKNOWN) {
        region = r.get();
        break;
      }
    }
  }
  if (region == nullptr) return std::nullopt;
  Type type = region->type_of(nsn);
  if (type == PhoneNumberUtil::UNKNOWN) return std::nullopt;  // invalid: libphonenumber words why

  // Format: INTERNATIONAL and NATIONAL use the main region of the calling code. A region without
  // international formats of its own uses its national patterns for both, so one choice and one
  // match serve the two (each with its own rewrite).
  std::optional<std::string> international, national;
  if (main.international_is_national) {
    std::size_t chosen = choose_format(main.national_formats, nsn);
    if (chosen == main.national_formats.size()) {
      international = national = std::string(nsn);
    } else {
      Groups groups(*main.national_formats[chosen].pattern, nsn);
      international = format_nsn(main.international_formats[chosen], groups, nsn);
      national = format_nsn(main.national_formats[chosen], groups, nsn);
    }
  } else {
    international = format_nsn(main.international_formats, nsn);
    national = format_nsn(main.national_formats, nsn);
  }
  if (!international || !national) return std::nullopt;
  Description d;
  d.e164 = std::string(e164);
  d.international = "+" + std::to_string(cc) + " " + *international;
  d.national = std::move(*national);
  d.region = region->id;
  d.type = type;
  return d;
}

}  // namespace numctl::compiled
