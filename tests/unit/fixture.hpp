// A throw-away database in a temporary directory, with a fixed clock, for library tests.
#pragma once

#include <numctl/clock.hpp>
#include <numctl/config.hpp>
#include <numctl/service.hpp>
#include <numctl/store.hpp>

#include <filesystem>
#include <memory>
#include <random>

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

}  // namespace numctl::testing
