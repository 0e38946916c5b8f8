// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The mcnet authors
#pragma once

/// @file
/// The 40-byte header at the start of every mcast-send datagram
/// (docs/tools.md, "Wire header"), big-endian:
///
/// | offset | size | field |
/// |---|---|---|
/// | 0 | 4 | magic "MCN1" |
/// | 4 | 1 | version, 1 |
/// | 5 | 1 | flags (`flag_end`, `flag_feed_b`) |
/// | 6 | 2 | header length, 40 |
/// | 8 | 4 | sender id |
/// | 12 | 4 | session (high bit clear) |
/// | 16 | 8 | sequence |
/// | 24 | 8 | send time, ns since the epoch (CLOCK_REALTIME) |
/// | 32 | 4 | datagram length (bytes of UDP payload) |
/// | 36 | 4 | reserved, zero |
///
/// A datagram too short for it, without the magic, of another version or
/// header length is a foreign packet: `parse` says which.

#include <mcnet/core/cxx20.hpp>  // first: C++20 or one clear error

#include <array>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>

#include <mcnet/core/error.hpp>

namespace mcnet::feed {

/// The header's fields, decoded; `parse` reads them, `build` writes them.
struct test_header {
  static constexpr std::size_t size = 40;  ///< bytes on the wire
  static constexpr std::array<std::uint8_t, 4> magic{0x4D, 0x43, 0x4E, 0x31};  ///< "MCN1"
  static constexpr std::uint8_t version = 1;  ///< the header version this code reads and writes
  static constexpr std::uint8_t flag_end = 1u << 0;     ///< END: no packet; sequence = count of the run
  static constexpr std::uint8_t flag_feed_b = 1u << 1;  ///< the B copy of an A/B feed

  std::uint8_t flags = 0;          ///< `flag_end`, `flag_feed_b`
  std::uint32_t sender_id = 0;     ///< `--id`; by default from the process id and the host id
  std::uint32_t session = 0;       ///< high bit clear
  std::uint64_t sequence = 0;      ///< the datagram's number, from 0; for END, how many the run had
  std::uint64_t send_time_ns = 0;  ///< CLOCK_REALTIME
  std::uint32_t length = 0;        ///< bytes of UDP payload

  /// Write the 40 bytes to the start of `out` and return 40. The session's
  /// high bit is cleared so that an iperf2 server never reads a negative
  /// number; the reserved bytes are zero. Error (errc::value_out_of_range,
  /// op "test header"): "buffer" when `out` has fewer than 40 bytes (nothing
  /// is written).
  [[nodiscard]] result<std::size_t> build(std::span<std::byte> out) const noexcept;

  /// Read the header at the start of a datagram; the bytes after the 40 are
  /// the sender's padding and are not looked at. Errors
  /// (errc::value_out_of_range, op "test header", `what` the field, the
  /// value as the number): "length" shorter than 40 bytes, "magic" not
  /// "MCN1", "version" not 1, "header length" not 40.
  [[nodiscard]] static result<test_header> parse(std::span<const std::byte> datagram) noexcept;
  /// As parse(), without the error: empty when parse() would fail (a foreign packet). For a
  /// classifier that tries several protocols on each datagram (mcast-recv's
  /// `--payload auto`), where a refusal is the common case and building an
  /// `error` (~200 bytes, copied into the result) costs more than the
  /// checks themselves.
  [[nodiscard]] static std::optional<test_header> try_parse(std::span<const std::byte> datagram) noexcept;

  /// An END marker rather than a packet.
  [[nodiscard]] bool is_end() const noexcept { return (flags & flag_end) != 0; }
  /// Field by field.
  friend bool operator==(const test_header&, const test_header&) = default;
};

}  // namespace mcnet::feed
