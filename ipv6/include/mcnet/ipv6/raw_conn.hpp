// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The mcnet authors
#pragma once

/// @file
/// `ipv6::raw_conn`: a raw IPv6 socket for one protocol (ICMPv6, or any next
/// header). Linux delivers and takes the payload only: source, destination,
/// hop limit and traffic class travel as control messages, as with
/// packet_conn. Adds the kernel-computed checksum (IPV6_CHECKSUM) and the
/// ICMPv6 type filter. Needs CAP_NET_RAW.

#include <mcnet/core/cxx20.hpp>  // first: C++20 or one clear error

#include <mcnet/core/error.hpp>
#include <mcnet/ipv6/options.hpp>
#include <mcnet/ipv6/packet_conn.hpp>

namespace mcnet::ipv6 {

/// A raw IPv6 socket (SOCK_RAW, raw(7), RFC 3542 section 3): the kernel gives and takes
/// the payload without the IPv6 header; a packet_conn for membership and control messages.
class raw_conn : public packet_conn {
 public:
  /// socket(AF_INET6, SOCK_RAW, protocol). Errors: EPERM without CAP_NET_RAW.
  [[nodiscard]] static result<raw_conn> open(int protocol) noexcept;

  /// `IPV6_CHECKSUM`: the kernel computes (on send) and verifies (on
  /// receive) the 16-bit checksum at byte `offset` of the payload; -1 turns
  /// it off. Not for ICMPv6, whose checksum the kernel always handles.
  [[nodiscard]] result<void> set_checksum_offset(int offset) noexcept;
  /// `IPV6_CHECKSUM`'s offset now (-1: off). Errors: getsockopt's errno.
  [[nodiscard]] result<int> checksum_offset() const noexcept;

  /// `ICMP6_FILTER`: which ICMPv6 types this (IPPROTO_ICMPV6) socket drops.
  [[nodiscard]] result<void> set_icmp_filter(const icmp6_type_filter& filter) noexcept;
  /// The `ICMP6_FILTER` now. Errors: getsockopt's errno (ENOPROTOOPT on a socket that is not
  /// IPPROTO_ICMPV6).
  [[nodiscard]] result<icmp6_type_filter> icmp_filter() const noexcept;

 private:
  explicit raw_conn(core::socket&& s) noexcept : packet_conn(std::move(s)) {}
};

}  // namespace mcnet::ipv6
