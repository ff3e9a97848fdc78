// The one error type the library raises; the CLI maps its category to an exit code.
#pragma once

#include <stdexcept>
#include <string>
#include <string_view>

namespace numctl {

enum class ErrorCategory { invalid_input, not_found, refused, config, database, internal };

std::string_view to_string(ErrorCategory category);

class Error : public std::runtime_error {
public:
  Error(ErrorCategory category, const std::string& message)
      : std::runtime_error(message), category_(category) {}
  ErrorCategory category() const { return category_; }

private:
  ErrorCategory category_;
};

[[noreturn]] inline void fail(ErrorCategory category, const std::string& message) {
  throw Error(category, message);
}

}  // namespace numctl
