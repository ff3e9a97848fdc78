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
