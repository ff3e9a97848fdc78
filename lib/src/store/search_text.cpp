// See search_text.hpp.
#include "search_text.hpp"

#include <algorithm>

namespace numctl::store {

// The text the trigram index holds for a number: its international digits, then what of its
// national form they do not already hold. A national form is mostly a trunk prefix ("0")
// before the national significant number, which also ends the international digits: only the
// trigrams starting in that prefix are new, so the prefix and the two digits after it suffice
// (a third fewer index entries to write). A national form that is the significant number
// adds nothing; one that shares no ending is kept whole.
std::string search_text(std::string_view e164, std::string_view national) {
  std::string_view digits = e164.substr(1);
  std::size_t shared_from = 0;  // where the longest ending shared with the digits begins
  while (shared_from < national.size() && !digits.ends_with(national.substr(shared_from))) ++shared_from;
  std::string out(digits);
  if (shared_from == 0) return out;
  out += ' ';
  out += national.substr(0, shared_from + 2);
  return out;
}

std::vector<std::string> covering_trigrams(std::string_view digits) {
  std::vector<std::string> trigrams;
  if (digits.size() < 3) return trigrams;
  for (std::size_t i = 0;; i = std::min(i + 3, digits.size() - 3)) {
    trigrams.emplace_back(digits.substr(i, 3));
    if (i + 3 == digits.size()) return trigrams;
  }
}

}  // namespace numctl::store
