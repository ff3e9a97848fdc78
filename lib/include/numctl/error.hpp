// The one error type the library raises; the CLI maps its category to an exit code.
#pragma once

#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

namespace numctl {

enum class ErrorCategory { invalid_input, not_found, refused, config, database, internal };

std::string_view to_string(ErrorCategory category);

// One item of a batch that was refused: the number (or row) and why, for scripts that read the
// JSON error rather than the message.
struct Offender {
  std::string number;  // as the operator typed it, or the display form once resolved
  std::string where;   // "row 12" for a file's rows, else empty
  std::string reason;
};

class Error : public std::runtime_error {
public:
  Error(ErrorCategory category, const std::string& message, std::vector<Offender> offenders = {})
      : std::runtime_error(message), category_(category), offenders_(std::move(offenders)) {}
  ErrorCategory category() const { return category_; }
  const std::vector<Offender>& offenders() const { return offenders_; }

private:
  ErrorCategory category_;
  std::vector<Offender> offenders_;
};

[[noreturn]] inline void fail(ErrorCategory category, const std::string& message) {
  throw Error(category, message);
}

}  // namespace numctl
