// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The mcnet authors
#pragma once

/// @file
/// Network byte order (big-endian, RFC 1700 "Data Notations") reads and
/// writes of unsigned integers at a byte pointer, for the payload codecs.
/// They do no bounds check: the codecs check the span first.

#include <mcnet/core/cxx20.hpp>  // first: C++20 or one clear error

#include <bit>
#include <concepts>
#include <cstddef>
#include <cstdint>
#include <cstring>

namespace mcnet::feed {

/// `v` with its bytes in reverse order (std::byteswap is C++23).
template <std::unsigned_integral T>
[[nodiscard]] constexpr T byte_swap(T v) noexcept {
  if constexpr (sizeof(T) == 2) return __builtin_bswap16(v);
  else if constexpr (sizeof(T) == 4) return __builtin_bswap32(v);
  else if constexpr (sizeof(T) == 8) return __builtin_bswap64(v);
  else return v;
}

/// The `sizeof(T)` bytes at `p`, most significant first. `p` need not be aligned.
/// One unaligned load and a byte swap where the host is little-endian (a
/// byte loop is not always folded into one by the compiler).
template <std::unsigned_integral T>
[[nodiscard]] inline T load_be(const std::byte* p) noexcept {
  T v;
  std::memcpy(&v, p, sizeof v);
  if constexpr (std::endian::native == std::endian::little && sizeof(T) > 1) v = byte_swap(v);
  return v;
}

/// Write `v` to the `sizeof(T)` bytes at `p`, most significant first.
template <std::unsigned_integral T>
inline void store_be(std::byte* p, T v) noexcept {
  if constexpr (std::endian::native == std::endian::little && sizeof(T) > 1) v = byte_swap(v);
  std::memcpy(p, &v, sizeof v);
}

}  // namespace mcnet::feed
