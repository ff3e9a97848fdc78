// Formatting and parsing of the UTC timestamps numctl stores and prints.
#include "numctl/clock.hpp"

#include <fmt/compile.h>
#include <fmt/format.h>

#include <cctype>

namespace numctl {

TimePoint SystemClock::now() const { return std::chrono::floor<std::chrono::seconds>(std::chrono::system_clock::now()); }

std::string format_iso8601(TimePoint at) {
  using namespace std::chrono;
  auto day = floor<days>(at);
  year_month_day ymd{day};
  hh_mm_ss<seconds> time{at - day};
  int year = int(ymd.year());
  if (year < 0 || year > 9999)
    return fmt::format(FMT_COMPILE("{:04}-{:02}-{:02}T{:02}:{:02}:{:02}Z"), year, unsigned(ymd.month()), unsigned(ymd.day()),
                       time.hours().count(), time.minutes().count(), time.seconds().count());
  // Written digit by digit: a batch stamps every number it changes several times, and fmt's
  // padded fields cost about a thousand instructions a time (a 50,000-number cancel: 250,000).
  char text[] = "0000-00-00T00:00:00Z";
  auto two = [&text](std::size_t at, unsigned value) {
    text[at] = static_cast<char>('0' + value / 10);
    text[at + 1] = static_cast<char>('0' + value % 10);
  };
  two(0, static_cast<unsigned>(year / 100));
  two(2, static_cast<unsigned>(year % 100));
  two(5, unsigned(ymd.month()));
  two(8, unsigned(ymd.day()));
  two(11, static_cast<unsigned>(time.hours().count()));
  two(14, static_cast<unsigned>(time.minutes().count()));
  two(17, static_cast<unsigned>(time.seconds().count()));
  return std::string(text, sizeof text - 1);
}

namespace {
bool read_number(std::string_view& s, std::size_t width, int& out) {
  if (s.size() < width) return false;
  out = 0;
  for (std::size_t i = 0; i < width; ++i) {
    if (!std::isdigit(static_cast<unsigned char>(s[i]))) return false;
    out = out * 10 + (s[i] - '0');
  }
  s.remove_prefix(width);
  return true;
}
bool expect(std::string_view& s, char c) {
  if (s.empty() || s.front() != c) return false;
  s.remove_prefix(1);
  return true;
}
}  // namespace

std::optional<TimePoint> parse_iso8601(std::string_view s) {
  using namespace std::chrono;
  int y, mo, d, h = 0, mi = 0, sec = 0;
  if (!read_number(s, 4, y) || !expect(s, '-') || !read_number(s, 2, mo) || !expect(s, '-') || !read_number(s, 2, d))
    return std::nullopt;
  year_month_day ymd{year{y}, month{unsigned(mo)}, day{unsigned(d)}};
  if (!ymd.ok() || y < 1970 || y > 9999) return std::nullopt;
  int offset_minutes = 0;
  if (!s.empty()) {
    if (s.front() != 'T' && s.front() != 't' && s.front() != ' ') return std::nullopt;
    s.remove_prefix(1);
    if (!read_number(s, 2, h) || !expect(s, ':') || !read_number(s, 2, mi)) return std::nullopt;
    if (!s.empty() && s.front() == ':' && (s.remove_prefix(1), !read_number(s, 2, sec))) return std::nullopt;
    if (h > 23 || mi > 59 || sec > 60) return std::nullopt;
    if (!s.empty() && (s.front() == 'Z' || s.front() == 'z')) {
      s.remove_prefix(1);
    } else if (!s.empty() && (s.front() == '+' || s.front() == '-')) {
      int sign = s.front() == '-' ? -1 : 1;
      s.remove_prefix(1);
      int oh, om = 0;
      if (!read_number(s, 2, oh)) return std::nullopt;
      if (!s.empty() && s.front() == ':') s.remove_prefix(1);
      if (!s.empty() && !read_number(s, 2, om)) return std::nullopt;
      // Real offsets run from -12:00 to +14:00, in whole minutes of an hour.
      if (oh > 14 || om > 59) return std::nullopt;
      offset_minutes = sign * (oh * 60 + om);
    }
    if (!s.empty()) return std::nullopt;
  }
  return sys_days{ymd} + hours{h} + minutes{mi} + seconds{sec} - minutes{offset_minutes};
}

}  // namespace numctl
