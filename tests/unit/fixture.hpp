// Throw-away databases with a fixed clock, for library tests: Fixture is always a SQLite file in
// a temporary directory (for tests of the file itself); AnyFixture is the engine under test,
// chosen as the end-to-end suites choose it: NUMCTL_TEST_ENGINE=postgres and
// NUMCTL_TEST_PG_URL (tests/pg/with-cluster sets both) give each test a fresh PostgreSQL
// database of that cluster, else a SQLite file.
#pragma once

#include <numctl/clock.hpp>
#include <numctl/config.hpp>
#include <numctl/service.hpp>
#include <numctl/store.hpp>

#include "store/postgres/pq.hpp"

#include <cstdlib>
#include <filesystem>
#include <memory>
#include <random>
#include <string>

namespace numctl::testing {

inline std::filesystem::path temp_dir() {
  static std::mt19937_64 random{std::random_device{}()};
  auto dir = std::filesystem::temp_directory_path() / ("numctl-test-" + std::to_string(random()));
  std::filesystem::create_directories(dir);
  return dir;
}

struct Fixture {
  std::filesystem::path dir = temp_dir();
  std::filesystem::path db = dir / "numbers.db";
  FixedClock clock{*parse_iso8601("2026-01-10T12:00:00Z")};
  std::unique_ptr<Store> store = Store::open(db);
  Service service{*store, default_config(), clock, "tester"};

  ~Fixture() {
    std::error_code ignored;
    std::filesystem::remove_all(dir, ignored);
  }
};

inline bool on_postgres() {
  const char* engine = std::getenv("NUMCTL_TEST_ENGINE");
  return engine != nullptr && std::string(engine) == "postgres";
}

// A new empty database on the test cluster; dropped (with its connections) when destroyed.
class PostgresDatabase {
public:
  PostgresDatabase() {
    const char* base = std::getenv("NUMCTL_TEST_PG_URL");
    if (base == nullptr) throw std::runtime_error("NUMCTL_TEST_ENGINE=postgres needs NUMCTL_TEST_PG_URL (tests/pg/with-cluster)");
    base_ = base;
    static std::mt19937_64 random{std::random_device{}()};
    name_ = "unit_" + std::to_string(random() % 1000000000000ULL);
    pg::Connection(base_).exec("CREATE DATABASE " + name_);
    // postgresql:///numctl?host=... -> postgresql:///NAME?host=...
    auto slash = base_.find('/', base_.find("://") + 3);
    auto end = base_.find('?', slash);
    url_ = base_.substr(0, slash + 1) + name_ + (end == std::string::npos ? "" : base_.substr(end));
  }
  ~PostgresDatabase() {
    try {
      pg::Connection(base_).exec("DROP DATABASE IF EXISTS " + name_ + " WITH (FORCE)");
    } catch (...) {
    }
  }
  const std::string& url() const { return url_; }

private:
  std::string base_, name_, url_;
};

inline DatabaseLocation postgres_at(const std::string& url) { return {Engine::postgres, url}; }

// The engine under test (see the top of this file).
struct AnyFixture {
  std::filesystem::path dir = temp_dir();
  std::unique_ptr<PostgresDatabase> database = on_postgres() ? std::make_unique<PostgresDatabase>() : nullptr;
  FixedClock clock{*parse_iso8601("2026-01-10T12:00:00Z")};
  std::unique_ptr<Store> store = database ? Store::open(postgres_at(database->url()), {}) : Store::open(dir / "numbers.db");
  Service service{*store, default_config(), clock, "tester"};

  ~AnyFixture() {
    std::error_code ignored;
    std::filesystem::remove_all(dir, ignored);
  }
};

}  // namespace numctl::testing
