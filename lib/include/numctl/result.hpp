// A value or the problem that prevented it: what per-item checks return, so a batch can collect
// every problem without throwing and catching for each one.
#pragma once

#include "numctl/error.hpp"

#include <string>
#include <utility>
#include <variant>

namespace numctl {

struct Problem {
  ErrorCategory category = ErrorCategory::invalid_input;
  std::string message;
};

inline Problem invalid(std::string message) { return {ErrorCategory::invalid_input, std::move(message)}; }

template <typename T>
class Result {
public:
  Result(T value) : state_(std::move(value)) {}
  Result(Problem problem) : state_(std::move(problem)) {}

  bool ok() const { return state_.index() == 0; }
  explicit operator bool() const { return ok(); }
  T& value() { return std::get<0>(state_); }
  const T& value() const { return std::get<0>(state_); }
  const Problem& problem() const { return std::get<1>(state_); }
  // The value, or the problem raised as numctl's error (at a boundary that throws).
  T& value_or_raise() {
    if (!ok()) fail(problem().category, problem().message);
    return value();
  }

private:
  std::variant<T, Problem> state_;
};

// A check that produces nothing but may find a problem.
using Check = Result<std::monostate>;
inline Check passed() { return Check(std::monostate{}); }

}  // namespace numctl
