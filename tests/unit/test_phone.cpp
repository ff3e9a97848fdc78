#include <doctest/doctest.h>
#include <numctl/error.hpp>
#include <numctl/phone.hpp>

using namespace numctl;

TEST_CASE("numbers are accepted as people type them") {
  for (const char* input : {"+49 30 123456", "0049-30-123456", "+49 (30) 123456", "+4930123456"}) {
    CAPTURE(input);
    auto p = parse_phone_number(input, std::nullopt);
    CHECK(p.e164 == "+4930123456");
    CHECK(p.display == "+49 30 123456");
    CHECK(p.country == "DE");
    CHECK(p.type == NumberType::local);
    CHECK(p.national_digits == "030123456");
  }
  auto us = parse_phone_number("+1 (201) 555-0123", std::nullopt);
  CHECK(us.e164 == "+12015550123");
  CHECK(us.country == "US");
  CHECK_FALSE(us.type);  // fixed line or mobile: the operator must say
}

TEST_CASE("national form needs a region") {
  CHECK_THROWS_WITH_AS(parse_phone_number("030 123456", std::nullopt), doctest::Contains("--region"), Error);
  CHECK(parse_phone_number("030 123456", std::string("DE")).e164 == "+4930123456");
}

TEST_CASE("invalid numbers are refused with a reason") {
  CHECK_THROWS_AS(parse_phone_number("+49 1", std::nullopt), Error);
  CHECK_THROWS_AS(parse_phone_number("+999 123456", std::nullopt), Error);
  CHECK_THROWS_AS(parse_phone_number("hello", std::nullopt), Error);
  CHECK_THROWS_AS(parse_phone_number("+1 201 555 0123'; DROP TABLE numbers;--", std::nullopt), Error);
  CHECK_THROWS_AS(parse_phone_number(std::string(200, '1'), std::nullopt), Error);
}

TEST_CASE("query digits ignore punctuation and the international prefix") {
  CHECK(query_digits("+49 (30) 12-34") == "49301234");
  CHECK(query_digits("0049 30") == "4930");
  CHECK(query_digits("030") == "030");
  CHECK(query_digits("abc").empty());
}

TEST_CASE("generated numbers are valid, of the asked type, and deterministic") {
  auto accept = [](const std::string&) { return true; };
  auto first = generate_numbers("GB", NumberType::mobile, "", "", accept, 5, 5000);
  auto again = generate_numbers("GB", NumberType::mobile, "", "", accept, 5, 5000);
  REQUIRE(first.size() == 5);
  CHECK(first == again);
  for (const auto& e164 : first) {
    auto p = parse_phone_number(e164, std::nullopt);
    CHECK(p.type == NumberType::mobile);
    CHECK(p.country == "GB");
  }
  auto with = generate_numbers("US", NumberType::toll_free, "", "555", accept, 3, 5000);
  REQUIRE_FALSE(with.empty());
  for (const auto& e164 : with) CHECK(e164.find("555") != std::string::npos);
}

TEST_CASE("country names come in English") {
  CHECK(country_name("DE") == "Germany");
  CHECK(is_known_country("fr"));
  CHECK_FALSE(is_known_country("XX"));
}

TEST_CASE("numbers libphonenumber accepts beyond 15 digits still count as canonical (fuzzing regression)") {
  auto p = parse_phone_number("030030342834248", std::string("DE"));
  CHECK(p.e164 == "+4930030342834248");
  CHECK(looks_like_e164(p.e164));
}

TEST_CASE("short numbers libphonenumber accepts are canonical too (fuzzing regression)") {
  auto p = parse_phone_number("1645", std::string("DE"));
  CHECK(looks_like_e164(p.e164));
}

namespace {

// What parse_phone_number says of an input: its description, or its error message.
std::string verdict(std::string_view input, bool bulk) {
  try {
    auto p = bulk ? parse_phone_number_in_bulk(input, std::nullopt) : parse_phone_number(input, std::nullopt);
    return p.e164 + "|" + p.display + "|" + p.national_digits + "|" + p.country + "|" + p.type_detail;
  } catch (const Error& error) {
    return std::string("error: ") + error.what();
  }
}

// Valid numbers of every country and type, and their neighbours: one digit changed, dropped
// or added, and every possible first digit after the calling code (national prefixes).
std::vector<std::string> numbers_and_neighbours() {
  std::vector<std::string> out;
  auto accept = [](const std::string&) { return true; };
  for (const auto& country : known_countries()) {
    for (auto type : {NumberType::local, NumberType::mobile, NumberType::toll_free}) {
      for (const auto& e164 : generate_numbers(country, type, "", "", accept, 4, 400)) {
        out.push_back(e164);
        out.push_back(e164.substr(0, e164.size() - 1));
        out.push_back(e164 + "7");
        std::string changed = e164;
        changed.back() = changed.back() == '9' ? '0' : static_cast<char>(changed.back() + 1);
        out.push_back(changed);
      }
    }
  }
  std::vector<std::string> prefixed;
  for (std::size_t i = 0; i < out.size(); i += 4)
    for (char d = '0'; d <= '9'; ++d)
      for (std::size_t at : {2, 3, 4}) {
        if (at >= out[i].size()) continue;
        std::string v = out[i];
        v[at] = d;
        prefixed.push_back(v);
      }
  out.insert(out.end(), prefixed.begin(), prefixed.end());
  return out;
}

}  // namespace

TEST_CASE("bulk checks give libphonenumber's answers, and answer most numbers themselves") {
  auto inputs = numbers_and_neighbours();
  REQUIRE(inputs.size() > 10000);
  std::size_t answered = 0, valid = 0, mismatches = 0;
  for (const auto& input : inputs) {
    auto expected = verdict(input, false);
    auto actual = verdict(input, true);
    if (actual != expected && ++mismatches <= 20) {
      CAPTURE(input);
      CHECK(actual == expected);
    }
    if (!expected.starts_with("error:")) {
      ++valid;
      if (answered_by_compiled_metadata(input)) ++answered;
    }
  }
  CHECK(mismatches == 0);
  // Declining is always safe but slow; most valid E.164 numbers must be answered directly.
  CHECK(answered * 10 >= valid * 9);
  MESSAGE(inputs.size() << " inputs, " << valid << " valid, " << answered << " answered by the compiled metadata");
  for (const char* e164 : {"+4930123456", "+12015550123", "+16135550123", "+447400123456", "+74951234567"})
    CHECK(answered_by_compiled_metadata(e164));
  for (const char* input : {"+49 30 123456", "+800 1234 5678", "+4903012345678"})
    CHECK_FALSE(answered_by_compiled_metadata(input));
}
