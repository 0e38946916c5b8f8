// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The mcnet authors
#pragma once

/// @file
/// The 40-byte header at the start of every mcast-send datagram (docs/tools.md, "Wire header"),
/// big-endian. A datagram too short for it, or without the magic, is a
/// foreign packet.

#include <array>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>

namespace mcnet::feed {

struct test_header {
  static constexpr std::size_t size = 40;
  static constexpr std::array<std::uint8_t, 4> magic{0x4D, 0x43, 0x4E, 0x31};  // "MCN1"
  static constexpr std::uint8_t version = 1;
  static constexpr std::uint8_t flag_end = 1u << 0;     ///< END: no packet; sequence = count of the run
  static constexpr std::uint8_t flag_feed_b = 1u << 1;  ///< the B copy of an A/B feed

  std::uint8_t flags = 0;
  std::uint32_t sender_id = 0;
  std::uint32_t session = 0;  ///< high bit clear
  std::uint64_t sequence = 0;
  std::uint64_t send_time_ns = 0;  ///< CLOCK_REALTIME
  std::uint32_t length = 0;        ///< bytes of UDP payload

  /// Write the 40 bytes to `out` (at least `size` bytes). The session's high
  /// bit is cleared so that an iperf2 server never reads a negative number.
  void encode(std::span<std::byte> out) const noexcept;
  /// Read a datagram's header; std::nullopt for a foreign packet (too short,
  /// no magic, another version, or a header length that is not 40).
  [[nodiscard]] static std::optional<test_header> decode(std::span<const std::byte> datagram) noexcept;

  [[nodiscard]] bool is_end() const noexcept { return (flags & flag_end) != 0; }
  friend bool operator==(const test_header&, const test_header&) = default;
};

}  // namespace mcnet::feed
