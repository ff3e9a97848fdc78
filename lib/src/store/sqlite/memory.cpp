// SQLite's allocator (see memory.hpp). Blocks up to 1 KiB come in 64 classes, 16 bytes apart,
// carved from 64 KiB chunks; a freed block goes on its class's list in the freeing thread and is
// the next one that class hands out. Larger blocks (pages of the cache, big statements) go to
// malloc. Every block carries its size in the 8 bytes before it, so SQLite's alignment (8) holds.
// Memory is reused, not given back: a thread that ends leaves its free blocks to the others.
#include "memory.hpp"

#include <sqlite3.h>

#include <algorithm>
#include <array>
#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <mutex>
#include <utility>

namespace numctl::sqlite::memory {
namespace {

constexpr std::size_t grain = 16;
constexpr std::size_t classes = 64;
constexpr std::size_t largest = grain * classes;  // a block's whole size, its header included
constexpr std::size_t header = sizeof(std::uint64_t);
constexpr std::size_t chunk = 64 * 1024;
constexpr std::uint64_t from_malloc = std::uint64_t{1} << 63;

using Lists = std::array<void*, classes>;

struct Arena {
  Lists free{};
  char* next = nullptr;  // the current chunk's unused part
  char* end = nullptr;
};
thread_local Arena arena;

// The free blocks of threads that have ended, for the next chunk any thread needs.
std::mutex left_mutex;
Lists left{};

void*& link(void* block) { return *static_cast<void**>(block); }

// Puts list `from` in front of list `into`.
void join(void*& into, void* from) {
  if (!from) return;
  void* last = from;
  while (link(last)) last = link(last);
  link(last) = into;
  into = from;
}

// When a thread ends: its free blocks, and what is left of its chunk cut into blocks, go to
// `left`.
struct Leaver {
  ~Leaver() {
    Arena& a = arena;
    while (static_cast<std::size_t>(a.end - a.next) >= grain) {
      std::size_t size = std::min(largest, static_cast<std::size_t>(a.end - a.next) / grain * grain);
      *reinterpret_cast<std::uint64_t*>(a.next) = size - header;
      void* block = a.next + header;
      link(block) = a.free[size / grain - 1];
      a.free[size / grain - 1] = block;
      a.next += size;
    }
    std::lock_guard lock(left_mutex);
    for (std::size_t c = 0; c < classes; ++c) join(left[c], std::exchange(a.free[c], nullptr));
    a.next = a.end = nullptr;
  }
};
thread_local Leaver leaver;

std::size_t whole_size(int n) { return (static_cast<std::size_t>(n) + header + grain - 1) / grain * grain; }

// The current chunk has no room for `size`: take what ended threads left, then a new chunk.
bool refill(Arena& a, std::size_t size) {
  (void)&leaver;  // registers the hand-over when this thread ends
  {
    std::lock_guard lock(left_mutex);
    for (std::size_t c = 0; c < classes; ++c) join(a.free[c], std::exchange(left[c], nullptr));
  }
  if (a.free[size / grain - 1]) return true;
  auto* fresh = static_cast<char*>(std::malloc(chunk));
  if (!fresh) return false;
  a.next = fresh;
  a.end = fresh + chunk;
  return true;
}

void* take(int n) {
  if (n <= 0) return nullptr;
  std::size_t size = whole_size(n);
  if (size > largest) {
    auto* block = static_cast<std::uint64_t*>(std::malloc(static_cast<std::size_t>(n) + header));
    if (!block) return nullptr;
    *block = static_cast<std::uint64_t>(n) | from_malloc;
    return block + 1;
  }
  Arena& a = arena;
  void*& list = a.free[size / grain - 1];
  if (void* block = list) {
    list = link(block);
    return block;
  }
  if (static_cast<std::size_t>(a.end - a.next) < size) {
    if (!refill(a, size)) return nullptr;
    if (void* block = list) {
      list = link(block);
      return block;
    }
  }
  auto* block = reinterpret_cast<std::uint64_t*>(a.next);
  a.next += size;
  *block = size - header;
  return block + 1;
}

std::uint64_t& size_of(void* p) { return *(static_cast<std::uint64_t*>(p) - 1); }

void give(void* p) {
  if (!p) return;
  std::uint64_t size = size_of(p);
  if (size & from_malloc) return std::free(&size_of(p));
  void*& list = arena.free[(size + header) / grain - 1];
  if (!list) (void)&leaver;  // a thread that only frees hands its blocks over too
  link(p) = list;
  list = p;
}

int usable(void* p) { return static_cast<int>(size_of(p) & ~from_malloc); }

void* resize(void* p, int n) {
  if (n <= 0) return nullptr;
  std::uint64_t size = size_of(p);
  if (size & from_malloc && whole_size(n) > largest) {
    auto* block = static_cast<std::uint64_t*>(std::realloc(&size_of(p), static_cast<std::size_t>(n) + header));
    if (!block) return nullptr;
    *block = static_cast<std::uint64_t>(n) | from_malloc;
    return block + 1;
  }
  if (!(size & from_malloc) && static_cast<std::size_t>(n) <= size) return p;
  void* moved = take(n);
  if (!moved) return nullptr;
  std::memcpy(moved, p, std::min(static_cast<std::size_t>(n), static_cast<std::size_t>(usable(p))));
  give(p);
  return moved;
}

int roundup(int n) {
  std::size_t size = whole_size(n);
  return size > largest ? (n + 7) / 8 * 8 : static_cast<int>(size - header);
}

int start(void*) { return SQLITE_OK; }
void stop(void*) {}

const sqlite3_mem_methods methods{take, give, resize, usable, roundup, start, stop, nullptr};

}  // namespace

bool install() {
#if defined(__SANITIZE_ADDRESS__)
  return false;
#else
  return sqlite3_config(SQLITE_CONFIG_MALLOC, &methods) == SQLITE_OK;
#endif
}

}  // namespace numctl::sqlite::memory
