// Time seam: the library never reads the system clock itself, so tests and backfills can set "now".
#pragma once

#include <chrono>
#include <optional>
#include <string>
#include <string_view>

namespace numctl {

using TimePoint = std::chrono::sys_seconds;

class Clock {
public:
  virtual ~Clock() = default;
  virtual TimePoint now() const = 0;
};

class SystemClock final : public Clock {
public:
  TimePoint now() const override;
};

class FixedClock final : public Clock {
public:
  explicit FixedClock(TimePoint at) : at_(at) {}
  TimePoint now() const override { return at_; }
  void set(TimePoint at) { at_ = at; }

private:
  TimePoint at_;
};

// ISO 8601 in UTC, always "YYYY-MM-DDTHH:MM:SSZ": fixed width, so text order is time order.
std::string format_iso8601(TimePoint at);
// Accepts "YYYY-MM-DD", "YYYY-MM-DDTHH:MM[:SS][Z|+HH:MM|-HH:MM]" (a space may replace the T).
std::optional<TimePoint> parse_iso8601(std::string_view text);

}  // namespace numctl
