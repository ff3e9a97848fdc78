#include <doctest/doctest.h>
#include <numctl/config.hpp>
#include <numctl/error.hpp>

using namespace numctl;

TEST_CASE("an empty file keeps the built-in defaults") {
  Config c = parse_config("", "/etc/numctl/config.toml");
  CHECK(c.cancellation_grace_days == 30);
  CHECK(c.pending_expiry_days == 30);
  CHECK(c.provider.kind == "catalog");
  CHECK(c.required_documents_for("DE", NumberType::local) == std::vector<std::string>{"proof_of_address"});
  CHECK(c.required_documents_for("DE", NumberType::mobile).empty());
  CHECK(c.required_documents_for("US", NumberType::local).empty());
}

TEST_CASE("keys override defaults; relative database paths follow the config file") {
  Config c = parse_config(R"(
default_region = "de"
[database]
path = "data/numbers.db"
[lifecycle]
cancellation_grace_days = 7
pending_expiry_days = 14
[regulation.FR]
all = ["kbis"]
mobile = ["id", "kbis"]
)", "/srv/numctl/config.toml");
  CHECK(c.default_region == "DE");
  CHECK(c.database_path == "/srv/numctl/data/numbers.db");
  CHECK(c.cancellation_grace_days == 7);
  CHECK(c.pending_expiry_days == 14);
  CHECK(c.required_documents_for("fr", NumberType::mobile) == std::vector<std::string>{"kbis", "id"});
  CHECK(c.required_documents_for("FR", NumberType::local) == std::vector<std::string>{"kbis"});
}

TEST_CASE("malformed TOML is refused with file, line and column") {
  try {
    parse_config("[lifecycle]\ncancellation_grace_days = = 3\n", "/tmp/bad.toml");
    FAIL("expected an error");
  } catch (const Error& e) {
    CHECK(e.category() == ErrorCategory::config);
    CHECK(std::string(e.what()).starts_with("/tmp/bad.toml:2:"));
  }
}

TEST_CASE("unknown keys and wrong types are refused rather than ignored") {
  CHECK_THROWS_WITH_AS(parse_config("[lifecycle]\ngrace = 3\n", "c.toml"), doctest::Contains("unknown key 'grace'"), Error);
  CHECK_THROWS_WITH_AS(parse_config("[lifecycle]\ncancellation_grace_days = \"x\"\n", "c.toml"),
                       doctest::Contains("whole number"), Error);
  CHECK_THROWS_WITH_AS(parse_config("[provider]\nkind = \"inventory\"\n", "c.toml"), doctest::Contains("needs file"), Error);
}
