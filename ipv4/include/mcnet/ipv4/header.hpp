// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The mcnet authors
#pragma once

/// @file
/// The IPv4 header (RFC 791): parse what a raw socket receives, marshal what
/// an IP_HDRINCL socket sends. No allocation: options live inline.

#include <mcnet/core/cxx20.hpp>  // first: C++20 or one clear error

#include <array>
#include <cstddef>
#include <cstdint>
#include <span>

#include <mcnet/core/error.hpp>
#include <mcnet/core/ip_address.hpp>

namespace mcnet::ipv4 {

/// Flags of the fragmentation field.
enum class header_flags : std::uint8_t {
  none = 0,
  more_fragments = 1,  ///< MF
  dont_fragment = 2,   ///< DF
  reserved = 4,        ///< the reserved bit (must be 0, RFC 791); kept so that nothing is lost
};
/// The union of two flag sets.
[[nodiscard]] constexpr header_flags operator|(header_flags a, header_flags b) noexcept {
  return static_cast<header_flags>(static_cast<std::uint8_t>(a) | static_cast<std::uint8_t>(b));
}
/// Whether `set` has any bit of `f`.
[[nodiscard]] constexpr bool has(header_flags set, header_flags f) noexcept {
  return (static_cast<std::uint8_t>(set) & static_cast<std::uint8_t>(f)) != 0;
}

/// An IPv4 header, as x/net's ipv4.Header.
struct header {
  static constexpr std::size_t min_length = 20;   ///< bytes of a header without options (RFC 791 3.1)
  static constexpr std::size_t max_options = 40;  ///< most option bytes: IHL's 15 words less the 20-byte base

  int version = 4;                               ///< the version field; 4
  std::size_t length = min_length;               ///< header length in bytes (IHL x 4), options included
  int tos = 0;                                   ///< the TOS byte: DSCP << 2 | ECN (RFC 2474, RFC 3168)
  std::size_t total_length = 0;                  ///< header + payload; marshal fills it when 0
  std::uint16_t id = 0;                          ///< identification, for reassembly (RFC 791, RFC 6864)
  header_flags flags = header_flags::none;       ///< DF, MF and the reserved bit
  std::uint16_t fragment_offset = 0;             ///< in 8-byte units, 0 to 8191
  int ttl = 64;                                  ///< time to live, 0 to 255
  int protocol = 0;                              ///< the payload's protocol (IPPROTO_UDP 17, IPPROTO_ICMP 1, ...)
  std::uint16_t checksum = 0;                    ///< as received; marshal computes it
  core::ip_address source{};                     ///< the source address
  core::ip_address destination{};                ///< the destination address (a group, for multicast)
  std::array<std::byte, max_options> options{};  ///< the option bytes, options_length of them
  std::size_t options_length = 0;                ///< 0 to 40, a multiple of 4

  /// Parse the header at the start of `packet` (network byte order, as a
  /// raw socket delivers it). Errors: errc::value_out_of_range naming the
  /// field: shorter than 20 bytes, version not 4, IHL below 5 or past the
  /// data, total length below the header length.
  [[nodiscard]] static result<header> parse(std::span<const std::byte> packet) noexcept;

  /// Write the header to `out` (at least `length` bytes) with its checksum,
  /// filling total_length with `length + payload_size` when it is 0.
  /// Returns the bytes written. Errors: errc::value_out_of_range for a field
  /// that does not fit (TTL, TOS, offset, options not a multiple of 4, ...),
  /// errc::family_mismatch for non-IPv4 addresses.
  [[nodiscard]] result<std::size_t> marshal(std::span<std::byte> out, std::size_t payload_size = 0) const noexcept;

  /// The options as bytes.
  [[nodiscard]] std::span<const std::byte> option_bytes() const noexcept { return {options.data(), options_length}; }

  /// Whether the checksum of the header bytes `raw` is right.
  [[nodiscard]] static bool checksum_ok(std::span<const std::byte> raw) noexcept;
};

/// The Internet checksum (RFC 1071) of `data`.
[[nodiscard]] std::uint16_t internet_checksum(std::span<const std::byte> data) noexcept;

}  // namespace mcnet::ipv4
