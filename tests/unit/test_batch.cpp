#include "util/batch.hpp"

#include <doctest/doctest.h>
#include <numctl/result.hpp>

using namespace numctl;

TEST_CASE("a batch names its first 20 problems in order, then how many more, with the first one's category") {
  Batch batch;
  for (std::size_t i = 25; i-- > 0;)
    batch.add(Problem{i == 0 ? ErrorCategory::not_found : ErrorCategory::refused, "p" + std::to_string(i)}, i,
              i % 2 ? "row " + std::to_string(i) : "");
  CHECK(batch.size() == 25);
  try {
    batch.raise("25 of 30 numbers refused, nothing changed");
    FAIL("expected an error");
  } catch (const Error& e) {
    std::string message = e.what();
    CHECK(e.category() == ErrorCategory::not_found);
    CHECK(message.rfind("25 of 30 numbers refused, nothing changed: p0; row 1: p1; p2;", 0) == 0);
    CHECK(message.find("row 19: p19; and 5 more") != std::string::npos);
    CHECK(message.find("p20") == std::string::npos);
  }
}

TEST_CASE("attempt turns an item's error into a problem but lets database errors through") {
  Batch batch;
  CHECK(batch.attempt([] {}, 0));
  CHECK_FALSE(batch.attempt([] { fail(ErrorCategory::refused, "no"); }, 1));
  CHECK(batch.size() == 1);
  CHECK_THROWS_AS(batch.attempt([] { fail(ErrorCategory::database, "disk"); }, 2), Error);
  CHECK_THROWS_WITH(batch.raise(""), "no");
}

TEST_CASE("a result holds a value or a problem") {
  Result<int> good = 3;
  Result<int> bad = invalid("not a number");
  CHECK(good.ok());
  CHECK(good.value() == 3);
  CHECK_FALSE(bad.ok());
  CHECK(bad.problem().message == "not a number");
  CHECK_THROWS_AS(bad.value_or_raise(), Error);
}
