// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The mcnet authors
#pragma once

/// @file
/// The fixed IPv6 header (RFC 8200): parse and marshal its 40 bytes. Linux
/// raw IPv6 sockets deliver the payload only (the header's fields arrive as
/// control messages); this is for packets captured elsewhere (pcap) and for
/// IPV6_HDRINCL senders.

#include <mcnet/core/cxx20.hpp>  // first: C++20 or one clear error

#include <cstddef>
#include <cstdint>
#include <span>

#include <mcnet/core/error.hpp>
#include <mcnet/core/ip_address.hpp>

namespace mcnet::ipv6 {

/// An IPv6 fixed header (RFC 8200 section 3), as x/net's ipv6.Header.
struct header {
  static constexpr std::size_t length = 40;  ///< the fixed header's size in bytes

  int version = 6;                 ///< the version field; 6
  int traffic_class = 0;           ///< 0 to 255
  std::uint32_t flow_label = 0;    ///< 20 bits
  std::size_t payload_length = 0;  ///< bytes after the fixed header, extension headers included
  int next_header = 0;             ///< 58 ICMPv6, 17 UDP, 0 hop-by-hop, ...
  int hop_limit = 64;              ///< hop limit, 0 to 255
  core::ip_address source{};       ///< the source address
  core::ip_address destination{};  ///< the destination address (a group, for multicast)

  /// Parse the 40 bytes at the start of `packet`. Errors:
  /// errc::value_out_of_range naming the field (fewer than 40 bytes,
  /// version not 6).
  [[nodiscard]] static result<header> parse(std::span<const std::byte> packet) noexcept;

  /// Write the 40 bytes to `out`. Errors: errc::value_out_of_range for a
  /// field that does not fit, errc::family_mismatch for non-IPv6 addresses.
  [[nodiscard]] result<std::size_t> marshal(std::span<std::byte> out) const noexcept;
};

}  // namespace mcnet::ipv6
