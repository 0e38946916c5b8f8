// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The mcnet authors
#pragma once

/// @file
/// Differences of times that come from the wire. A header's send time, a
/// kernel timestamp and a caller's arrival time may be anything; their
/// differences (latency, transit, skew between lines) must never overflow.

#include <mcnet/core/cxx20.hpp>  // first: C++20 or one clear error

#include <cstdint>

namespace mcnet::feed {

/// `a - b`, clamped to the int64 range instead of overflowing (which would be
/// undefined): `saturating_sub(INT64_MIN, 1)` is INT64_MIN,
/// `saturating_sub(0, INT64_MIN)` is INT64_MAX. Units are the caller's
/// (nanoseconds everywhere in feed).
[[nodiscard]] constexpr std::int64_t saturating_sub(std::int64_t a, std::int64_t b) noexcept {
  std::int64_t r = 0;
  if (!__builtin_sub_overflow(a, b, &r)) return r;
  return b < 0 ? INT64_MAX : INT64_MIN;
}

/// `a + b` for counts, UINT64_MAX instead of wrapping: totals of what
/// hostile sequence numbers claim stay at the top.
[[nodiscard]] constexpr std::uint64_t saturating_add(std::uint64_t a, std::uint64_t b) noexcept {
  std::uint64_t r = 0;
  return __builtin_add_overflow(a, b, &r) ? UINT64_MAX : r;
}

/// `a * b` for counts, UINT64_MAX instead of wrapping: a count per group
/// times the groups stays at the top.
[[nodiscard]] constexpr std::uint64_t saturating_mul(std::uint64_t a, std::uint64_t b) noexcept {
  std::uint64_t r = 0;
  return __builtin_mul_overflow(a, b, &r) ? UINT64_MAX : r;
}

}  // namespace mcnet::feed
