// SQLite's small allocations from per-thread size classes instead of the C library's malloc.
// Opening a database parses its whole schema into some 1,500 small objects and closing frees
// them; through glibc that was an eighth of a short command's instructions.
#pragma once

namespace numctl::sqlite::memory {

// Hands SQLite the allocator; must run before SQLite starts (returns false when it already had,
// or in a sanitizer build, which keeps SQLite on malloc so that its checks see every block).
bool install();

}  // namespace numctl::sqlite::memory
