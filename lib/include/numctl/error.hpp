// The one error type the library raises; the CLI maps its category to an exit code.
#pragma once

#include <fmt/format.h>

#include <stdexcept>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace numctl {

// In the order a batch with several kinds of problem reports them (the first wins).
enum class ErrorCategory { invalid_input, not_found, refused, carrier, config, database, internal };

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
  Error(ErrorCategory category, const std::string& message, std::vector<Offender> offenders = {},
        std::vector<std::pair<std::string, std::string>> fields = {})
      : std::runtime_error(message), category_(category), offenders_(std::move(offenders)), fields_(std::move(fields)) {}
  ErrorCategory category() const { return category_; }
  const std::vector<Offender>& offenders() const { return offenders_; }
  // Named facts for scripts beside the message (a carrier's status, code and words).
  const std::vector<std::pair<std::string, std::string>>& fields() const { return fields_; }

private:
  ErrorCategory category_;
  std::vector<Offender> offenders_;
  std::vector<std::pair<std::string, std::string>> fields_;
};

[[noreturn]] inline void fail(ErrorCategory category, const std::string& message) {
  throw Error(category, message);
}

// The same with the message formatted by fmt (the format string checked at compile time):
// fail(ErrorCategory::refused, "{} is {}", display, status).
template <typename... Args>
[[noreturn]] void fail(ErrorCategory category, fmt::format_string<Args...> format, Args&&... args) {
  fail(category, fmt::format(format, std::forward<Args>(args)...));
}

}  // namespace numctl
