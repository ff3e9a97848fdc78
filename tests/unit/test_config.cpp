#include <doctest/doctest.h>
#include <numctl/config.hpp>
#include <numctl/error.hpp>
#include <numctl/store.hpp>

using namespace numctl;

TEST_CASE("an empty file keeps the built-in defaults") {
  Config c = parse_config("", "/etc/numctl/config.toml");
  CHECK(c.cancellation_grace_days == 30);
  CHECK(c.pending_expiry_days == 30);
  CHECK(c.provider.kind == ProviderKind::catalog);
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
  CHECK(c.database.path() == "/srv/numctl/data/numbers.db");
  CHECK(c.cancellation_grace_days == 7);
  CHECK(c.pending_expiry_days == 14);
  CHECK(c.required_documents_for("fr", NumberType::mobile) == std::vector<std::string>{"kbis", "id"});
  CHECK(c.required_documents_for("FR", NumberType::local) == std::vector<std::string>{"kbis"});
}

TEST_CASE("whether a country asks for documents agrees with the documents it asks for") {
  Config c = parse_config(R"(
[regulation.FR]
mobile = ["id"]
[regulation.IT]
all = ["fiscal_code"]
)",
                          "/srv/numctl/config.toml");
  for (const char* country : {"DE", "de", "FR", "fr", "IT", "US", "", "XYZ"})
    for (NumberType type : {NumberType::local, NumberType::mobile, NumberType::toll_free}) {
      CAPTURE(country);
      CHECK(c.requires_documents(country, type) == !c.required_documents_for(country, type).empty());
    }
  CHECK(c.requires_documents("fr", NumberType::mobile));
  CHECK_FALSE(c.requires_documents("FR", NumberType::local));
  CHECK(c.requires_documents("IT", NumberType::toll_free));
  c.regulation.clear();
  CHECK_FALSE(c.requires_documents("DE", NumberType::local));
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

TEST_CASE("non-ASCII text is read in strings and comments, and refused with its line anywhere else") {
  Config c = parse_config("# Zürich office, ä ö ü\n[provider]\nkind = \"catalog\" # ¥ ☎\n"
                          "[regulation.FR]\nall = [\"kbis\", 'pièce', \"\"\"multi\nligne é\"\"\"\"]\n",
                          "/etc/numctl/config.toml");
  CHECK(c.required_documents_for("FR", NumberType::local) ==
        std::vector<std::string>{"kbis", "pièce", "multi\nligne é\""});
  for (const char* bad : {"[lifecycle]\ncancellation_grace_days = 3 ¥\n", "\xEF\xBB\xA5[lifecycle]\n",
                          "a = \"x\"\nb = 'y'\n\xC2\xA1 = 1\n"}) {
    try {
      parse_config(bad, "/tmp/bad.toml");
      FAIL("expected an error");
    } catch (const Error& e) {
      CHECK(e.category() == ErrorCategory::config);
      CHECK(std::string(e.what()).find("outside a string or comment") != std::string::npos);
      CHECK(std::string(e.what()).starts_with("/tmp/bad.toml:"));
    }
  }
}

TEST_CASE("literal strings keep backslashes and quotes as written; what TOML refuses stays refused") {
  Config literal = parse_config("[regulation.FR]\nall = ['C:\\dossier \"é\"', '''deux\nlignes ''''']\n", "/c.toml");
  CHECK(literal.required_documents_for("FR", NumberType::local) ==
        std::vector<std::string>{"C:\\dossier \"é\"", "deux\nlignes ''"});
  CHECK_THROWS_AS(parse_config(std::string("[lifecycle]\ncancellation_grace_days = 3\0\n", 40), "/c.toml"), Error);
  CHECK_THROWS_AS(parse_config("a = \"\xC3\"\n", "/c.toml"), Error);  // not UTF-8
}

TEST_CASE("an overlong UTF-8 form or an escaped non-ASCII character is not made valid on the way to toml++") {
  CHECK_THROWS_AS(parse_config("a = \"\xC0\x80\"\n", "/c.toml"), Error);
  CHECK_THROWS_AS(parse_config("a = \"\\\xC3\xA9\"\n", "/c.toml"), Error);
  CHECK_THROWS_AS(parse_config("a = \"\xED\xA0\x80\"\n", "/c.toml"), Error);  // a surrogate
}

TEST_CASE("[database] read_url names the server reads go to, beside url; a file or no url is refused") {
  Config c = parse_config(
      "[database]\nurl = \"postgresql://numctl@db1,db2/numbers\"\n"
      "read_url = \"postgresql://numctl@reports/numbers\"\n",
      "c.toml");
  CHECK(c.database_read_url == "postgresql://numctl@reports/numbers");
  CHECK_FALSE(parse_config("[database]\nurl = \"postgresql:///numbers\"\n", "c.toml").database_read_url);
  CHECK_THROWS_WITH_AS(parse_config("[database]\nread_url = \"postgresql:///numbers\"\n", "c.toml"),
                       doctest::Contains("read_url names a PostgreSQL server to read from"), Error);
  CHECK_THROWS_WITH_AS(parse_config("[database]\nurl = \"postgresql:///numbers\"\nread_url = \"reports.db\"\n", "c.toml"),
                       doctest::Contains("read_url names a PostgreSQL server to read from"), Error);
}

TEST_CASE("[database] url names a PostgreSQL inventory; with path it is refused, and it must be a PostgreSQL URL") {
  Config c = parse_config("[database]\nurl = \"postgresql://numctl@db/numbers\"\n", "c.toml");
  CHECK(c.database.is_server());
  CHECK(c.database.text == "postgresql://numctl@db/numbers");
  CHECK_THROWS_WITH_AS(parse_config("[database]\npath = \"a.db\"\nurl = \"postgresql:///x\"\n", "c.toml"),
                       doctest::Contains("both path (a SQLite file) and url (PostgreSQL)"), Error);
  CHECK_THROWS_WITH_AS(parse_config("[database]\nurl = \"mysql://x\"\n", "c.toml"),
                       doctest::Contains("must be a PostgreSQL URL"), Error);
  CHECK(DatabaseLocation::parse("postgresql://u:s3cret@h/db").shown() == "PostgreSQL at postgresql://u:***@h/db");
  CHECK(DatabaseLocation::parse("postgresql:///db?user=u&password=s3cret&host=/tmp").shown() ==
        "PostgreSQL at postgresql:///db?user=u&password=***&host=/tmp");
  // A libpq keyword string, also in [database] url.
  Config keywords = parse_config("[database]\nurl = \"host=/run/pg dbname=numctl\"\n", "c.toml");
  CHECK(keywords.database.engine == Engine::postgres);
}

TEST_CASE("[provider] base_url: http:// only for loopback; allow_insecure_http must be a boolean") {
  CHECK_THROWS_WITH_AS(parse_config("[provider]\nkind = \"twilio\"\nbase_url = \"http://api.example.net\"\n", "c.toml"),
                       doctest::Contains("clear text over http:// to api.example.net"), Error);
  Config local = parse_config("[provider]\nkind = \"twilio\"\nbase_url = \"http://127.0.0.1:8080/\"\n", "c.toml");
  CHECK_FALSE(local.provider.insecure());
  CHECK(local.provider.base_url == "http://127.0.0.1:8080");
  Config allowed = parse_config(
      "[provider]\nkind = \"twilio\"\nbase_url = \"http://u:pw@api.example.net\"\nallow_insecure_http = true\n", "c.toml");
  CHECK(allowed.provider.insecure());
  CHECK(allowed.provider.shown_base_url() == "http://u:***@api.example.net");
  CHECK_THROWS_WITH_AS(
      parse_config("[provider]\nkind = \"twilio\"\nbase_url = \"http://x.example\"\nallow_insecure_http = \"yes\"\n", "c.toml"),
      doctest::Contains("allow_insecure_http must be true or false"), Error);
}

TEST_CASE("a database location is a path, a PostgreSQL URI or a libpq keyword string; passwords are masked in each") {
  CHECK(DatabaseLocation::parse("numbers.db").engine == Engine::sqlite);
  CHECK(DatabaseLocation::parse("/srv/a=b.db").engine == Engine::sqlite);
  CHECK(DatabaseLocation::parse("host=/run/pg dbname=x").engine == Engine::postgres);
  CHECK(DatabaseLocation::parse("  dbname = x").engine == Engine::postgres);
  // Another scheme is neither: refused, and only the scheme is quoted back.
  CHECK_THROWS_WITH_AS(DatabaseLocation::parse("sqlite:///srv/x.db"), doctest::Contains("'sqlite://...' is not a database"),
                       Error);
  try {
    DatabaseLocation::parse("mysql://u:Sekr3t@h/db");
    FAIL("a mysql:// location was accepted");
  } catch (const Error& error) {
    CHECK(std::string(error.what()).find("Sekr3t") == std::string::npos);
    CHECK(error.category() == ErrorCategory::invalid_input);
  }
  // Spaces around '=', quoted values, and a password in both the userinfo and the query string.
  std::string shown = DatabaseLocation::parse("host=/run/pg dbname=x user=u password = Sekr3t").shown();
  CHECK(shown.find("Sekr3t") == std::string::npos);
  CHECK(shown == "PostgreSQL at user=u password=*** dbname=x host=/run/pg");  // in libpq's order
  CHECK(DatabaseLocation::parse("password='a b\\'c' dbname=x").shown() == "PostgreSQL at password=*** dbname=x");
  CHECK(DatabaseLocation::parse("postgresql://u:Sekr3t@h/db?password=Sekr3t").shown().find("Sekr3t") == std::string::npos);
  // A string libpq cannot read is not shown at all: its message would quote it whole.
  CHECK(DatabaseLocation::parse("postgresql://u:Sekr3t@h/db?bogus=1").shown().find("Sekr3t") == std::string::npos);
  CHECK(DatabaseLocation::parse("host=/run/pg password=Sekr3t dbname='unterminated").shown().find("Sekr3t") == std::string::npos);
}
