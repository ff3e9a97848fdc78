// SQLite's allocator (lib/src/store/sqlite/memory.cpp), through SQLite's own functions once a
// store has installed it: sizes, growing and shrinking across classes, blocks that cross
// threads, and a thread's free blocks outliving the thread.
#include "fixture.hpp"

#include <doctest/doctest.h>
#include <sqlite3.h>

#include <algorithm>
#include <cstdint>
#include <cstring>
#include <set>
#include <thread>
#include <vector>

namespace {

// Opening a store installs the allocator (in this process, before SQLite starts or never).
void open_a_store() { numctl::testing::Fixture fixture; }

bool installed() {
  open_a_store();
  void* probe = sqlite3_malloc(9);
  bool ours = sqlite3_msize(probe) == 24;  // a 32-byte block less its header; malloc's would be 16
  sqlite3_free(probe);
  return ours;
}

}  // namespace

TEST_CASE("SQLite's small blocks come in 16-byte classes and are reused once freed") {
#if defined(__SANITIZE_ADDRESS__)
  CHECK_FALSE(installed());  // sanitizer builds keep malloc, so that every block is checked
#else
  REQUIRE(installed());
  CHECK(sqlite3_msize(sqlite3_malloc(1)) == 8);
  void* a = sqlite3_malloc(100);
  CHECK(sqlite3_msize(a) == 104);
  CHECK(reinterpret_cast<std::uintptr_t>(a) % 8 == 0);
  sqlite3_free(a);
  void* b = sqlite3_malloc(97);  // the same class: the block just freed
  CHECK(b == a);
  sqlite3_free(b);
  void* big = sqlite3_malloc(5000);  // beyond the classes: malloc's, its size exact
  CHECK(sqlite3_msize(big) == 5000);
  sqlite3_free(big);
#endif
}

TEST_CASE("SQLite's blocks keep their bytes when they grow and shrink across classes and malloc") {
  open_a_store();
  std::vector<unsigned char> expected(3000);
  for (std::size_t i = 0; i < expected.size(); ++i) expected[i] = static_cast<unsigned char>(i * 7 + 1);
  auto* p = static_cast<unsigned char*>(sqlite3_malloc(10));
  std::memcpy(p, expected.data(), 10);
  std::size_t kept = 10;
  for (int size : {40, 600, 1016, 1017, 3000, 2000, 900, 12, 3000}) {
    p = static_cast<unsigned char*>(sqlite3_realloc(p, size));
    REQUIRE(p != nullptr);
    CHECK(sqlite3_msize(p) >= static_cast<sqlite3_uint64>(size));
    kept = std::min(kept, static_cast<std::size_t>(size));
    CHECK(std::memcmp(p, expected.data(), kept) == 0);
    std::memcpy(p, expected.data(), static_cast<std::size_t>(size));
    kept = static_cast<std::size_t>(size);
  }
  sqlite3_free(p);
}

TEST_CASE("SQLite's blocks freed by another thread, or left by one that ended, are handed out again") {
#if !defined(__SANITIZE_ADDRESS__)
  REQUIRE(installed());
  std::vector<void*> made(200);
  std::thread([&] {
    for (auto& block : made) block = sqlite3_malloc(200);
  }).join();
  std::set<void*> distinct(made.begin(), made.end());
  CHECK(distinct.size() == made.size());
  for (void* block : made) sqlite3_free(block);  // freed here: this thread's to hand out
  std::set<void*> again;
  for (std::size_t i = 0; i < made.size(); ++i) again.insert(sqlite3_malloc(200));
  CHECK(again == distinct);
  // A thread that frees them and ends leaves them to the next chunk this thread needs.
  std::thread([&] {
    std::vector<void*> mine(again.begin(), again.end());
    for (void* block : mine) sqlite3_free(block);
    for (auto block = mine.rbegin(); block != mine.rend(); ++block) CHECK(sqlite3_malloc(200) == *block);
    for (void* block : mine) sqlite3_free(block);
  }).join();
  std::set<void*> adopted;
  std::vector<void*> taken;
  for (int i = 0; i < 20000 && adopted.size() < distinct.size(); ++i) {
    taken.push_back(sqlite3_malloc(200));
    if (distinct.count(taken.back())) adopted.insert(taken.back());
  }
  CHECK(adopted == distinct);
  for (void* block : taken) sqlite3_free(block);
#endif
}
