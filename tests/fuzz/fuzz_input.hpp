// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The mcnet authors
#pragma once

// Reading a fuzz target's input as values, and its invariants.

#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <cstring>

namespace mcnet::fuzz {

/// The next sizeof(T) bytes of the input as a T (zero-filled past its end),
/// consumed.
template <class T>
T take(const std::uint8_t*& data, std::size_t& size) {
  T v{};
  const std::size_t n = sizeof(T) < size ? sizeof(T) : size;
  std::memcpy(&v, data, n);
  data += n;
  size -= n;
  return v;
}

/// Kinds of sequence numbers number_near() makes.
inline constexpr std::uint8_t number_kinds = 5;

/// A sequence number of kind `kind` (below number_kinds) from the input:
/// the next after `last`, up to 64 Ki ahead of it, up to 64 Ki behind it,
/// up to 2^24 ahead in steps of 2^16, or any 64-bit value.
inline std::uint64_t number_near(std::uint8_t kind, std::uint64_t last, const std::uint8_t*& data, std::size_t& size) {
  switch (kind) {
    case 0: return last + 1;
    case 1: return last + take<std::uint16_t>(data, size);
    case 2: return last - take<std::uint16_t>(data, size);
    case 3: return last + (std::uint64_t{take<std::uint8_t>(data, size)} << 16);
    default: return take<std::uint64_t>(data, size);
  }
}

/// An invariant: a finding when it does not hold.
inline void check(bool ok) {
  if (!ok) std::abort();
}

}  // namespace mcnet::fuzz
