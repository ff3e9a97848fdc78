// A shared library loaded with dlopen on first use, its functions looked up by name: libpq,
// libcurl and libcrypto are loaded this way, so that a start of numctl maps none of them unless
// the command needs it (see docs/architecture.md, Start-up).
#pragma once

#include <dlfcn.h>

#include <string>
#include <type_traits>

namespace numctl {

class DynamicLibrary {
 public:
  // `install` says what to install when the library is missing ("the libpq5 package").
  DynamicLibrary(const char* soname, const char* purpose, const char* install) : soname_(soname) {
    handle_ = ::dlopen(soname, RTLD_NOW | RTLD_LOCAL);
    if (handle_ == nullptr)
      problem_ = std::string("cannot load ") + soname + " " + purpose + " (install " + install + "): " + ::dlerror();
  }
  // Sets `slot` to the function `name`; a missing one becomes the problem.
  template <typename Function>
  void find(Function& slot, const char* name) {
    if (handle_ == nullptr) return;
    slot = reinterpret_cast<std::remove_reference_t<Function>>(::dlsym(handle_, name));
    if (slot == nullptr && problem_.empty()) problem_ = std::string(soname_) + " lacks " + name;
  }
  // Empty when the library loaded and every function asked for was found.
  const std::string& problem() const { return problem_; }

 private:
  const char* soname_;
  void* handle_ = nullptr;
  std::string problem_;
};

}  // namespace numctl

// A table of a library's functions named once: a list macro LIST(X) of X(slot, symbol) entries
// declares the table's slots (NUMCTL_DYNAMIC_SLOTS(LIST) inside a struct) and looks each one up
// (NUMCTL_DYNAMIC_FIND(LIST, library, table)).
#define NUMCTL_DYNAMIC_SLOT(slot, symbol) decltype(&symbol) slot = nullptr;
#define NUMCTL_DYNAMIC_SLOTS(LIST) LIST(NUMCTL_DYNAMIC_SLOT)
#define NUMCTL_DYNAMIC_LOOKUP(slot, symbol) numctl_library_.find(numctl_table_.slot, #symbol);
#define NUMCTL_DYNAMIC_FIND(LIST, library, table) \
  do {                                            \
    auto& numctl_library_ = (library);            \
    auto& numctl_table_ = (table);                \
    LIST(NUMCTL_DYNAMIC_LOOKUP)                   \
  } while (false)
