#include <doctest/doctest.h>

#include "util/memory.hpp"

#include <cstdint>
#include <numeric>

using namespace numctl;

TEST_CASE("huge-page hints leave buffers of every size and alignment usable") {
  memory::prefer_huge_pages(nullptr, 0);
  std::vector<int> small;
  memory::reserve_huge(small, 3);
  CHECK(small.capacity() >= 3);
  std::vector<std::uint64_t> large;
  memory::reserve_huge(large, 3'000'000);  // 24 MB: several whole 2 MiB pages inside
  REQUIRE(large.capacity() >= 3'000'000);
  large.resize(3'000'000);
  std::iota(large.begin(), large.end(), std::uint64_t{0});
  CHECK(std::accumulate(large.begin(), large.end(), std::uint64_t{0}) == std::uint64_t{2'999'999} * 3'000'000 / 2);
  memory::prefer_huge_pages(large.data() + 1, 1000);  // inside one page: nothing to advise
}
