// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The mcnet authors
#pragma once

/// @file
/// Network byte order (big-endian, RFC 1700 "Data Notations") reads and
/// writes of unsigned integers at a byte pointer, for the payload codecs.
/// They do no bounds check: the codecs check the span first.

#include <concepts>
#include <cstddef>
#include <cstdint>

namespace mcnet::feed {

/// The `sizeof(T)` bytes at `p`, most significant first. `p` need not be aligned.
template <std::unsigned_integral T>
[[nodiscard]] constexpr T load_be(const std::byte* p) noexcept {
  T v = 0;
  for (std::size_t i = 0; i < sizeof(T); ++i) v = static_cast<T>(static_cast<T>(v << 8) | std::to_integer<T>(p[i]));
  return v;
}

/// Write `v` to the `sizeof(T)` bytes at `p`, most significant first.
template <std::unsigned_integral T>
constexpr void store_be(std::byte* p, T v) noexcept {
  for (std::size_t i = 0; i < sizeof(T); ++i) p[i] = static_cast<std::byte>(v >> (8 * (sizeof(T) - 1 - i)));
}

}  // namespace mcnet::feed
