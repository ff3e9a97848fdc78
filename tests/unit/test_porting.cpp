// Porting's small rules: order references as operators type them, the losing carrier's address
// read from one option, secrets masked, order states named.
#include "numctl/error.hpp"
#include "numctl/porting.hpp"

#include <doctest/doctest.h>

using namespace numctl;

TEST_CASE("an order is port-N to operators; a bare number names it too; anything else names none") {
  CHECK(port_reference(7) == "port-7");
  CHECK(parse_port_reference("port-7") == 7);
  CHECK(parse_port_reference("7") == 7);
  for (const char* bad : {"", "port-", "port-0", "port-x", "-7", "port-7 ", "7a", "P-7"})
    CHECK_MESSAGE(!parse_port_reference(bad), bad);
}

TEST_CASE("the losing carrier's address: four or five parts, the country defaulting to the numbers'") {
  auto us = parse_port_address("1 Main St, Springfield, IL, 62701", "US");
  CHECK(us.street == "1 Main St");
  CHECK(us.city == "Springfield");
  CHECK(us.region == "IL");
  CHECK(us.postal_code == "62701");
  CHECK(us.country == "US");
  CHECK(parse_port_address("10 Rue X, Paris, IDF, 75001, fr", "US").country == "FR");
  for (const char* bad : {"Springfield", "1 Main St, Springfield, 62701", "1 Main St, , IL, 62701", "a, b, c, d, e, f"})
    CHECK_THROWS_AS(parse_port_address(bad, "US"), Error);
}

TEST_CASE("a secret shows at most its last two characters") {
  CHECK(mask_secret("123456") == "****56");
  CHECK(mask_secret("1234") == "****");
  CHECK(mask_secret("") == "");
  CHECK(mask_secret("99-1234") == "*****34");
}

TEST_CASE("order states: named once, and only ported and cancelled orders are closed") {
  for (auto state : {PortState::creating, PortState::submitted, PortState::foc_confirmed, PortState::exception, PortState::ported,
                     PortState::cancelled}) {
    CHECK(parse_port_state(to_string(state)) == state);
    CHECK(port_open(state) == (state != PortState::ported && state != PortState::cancelled));
  }
  CHECK_FALSE(parse_port_state("foc-date-confirmed"));
}
