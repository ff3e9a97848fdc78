// One name per value of an enum, kept in a constexpr table in the enum's order: the value's
// name, and the value a name stands for.
#pragma once

#include <array>
#include <cstddef>
#include <optional>
#include <string_view>

namespace numctl {

template <typename Enum, std::size_t N>
std::string_view name_in(const std::array<std::string_view, N>& names, Enum value) {
  return names.at(static_cast<std::size_t>(value));
}

template <typename Enum, std::size_t N>
std::optional<Enum> parse_named(const std::array<std::string_view, N>& names, std::string_view name) {
  for (std::size_t i = 0; i < N; ++i)
    if (names[i] == name) return static_cast<Enum>(i);
  return std::nullopt;
}

}  // namespace numctl
