// Hints to the kernel about large buffers that bulk operations fill once.
#pragma once

#include <cstddef>
#include <vector>

namespace numctl::memory {

// Asks for transparent huge pages over the whole 2 MiB pages inside [data, data + bytes), before
// the buffer is first written. A million-row import fills close to a gigabyte; with 4 KiB pages
// each first touch is a page fault, which on virtual machines costs about 3 ms a MiB (measured
// on a 2-core VM: 512 MiB touched in 1.4 s, in 0.5 s with huge pages). Only a hint: where the
// kernel offers none (THP off, other systems), nothing changes.
void prefer_huge_pages(const void* data, std::size_t bytes);

// Reserves room for `count` elements and gives it huge pages before anything is written.
template <typename T>
void reserve_huge(std::vector<T>& v, std::size_t count) {
  v.reserve(count);
  prefer_huge_pages(v.data(), v.capacity() * sizeof(T));
}

}  // namespace numctl::memory
