// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The mcnet authors
#pragma once

/// @file
/// Level IPPROTO_IPV6, and IPPROTO_ICMPV6's ICMP6_FILTER: one line per
/// option. ipv6(7), icmp6 filtering of RFC 3542. Use with `core::get` /
/// `core::set`, or through `ipv6::conn` and `ipv6::packet_conn`.

#include <mcnet/core/cxx20.hpp>  // first: C++20 or one clear error

#include <netinet/in.h>

#include <array>
#include <cstdint>
#include <tuple>

#include <mcnet/core/codecs.hpp>
#include <mcnet/core/sockopt.hpp>

#ifndef IPV6_FREEBIND
/// IPV6_FREEBIND's number (linux/in6.h, Linux 4.15), for C libraries whose headers lack it.
#define IPV6_FREEBIND 78
#endif
#ifndef IPV6_UNICAST_IF
/// IPV6_UNICAST_IF's number (linux/in6.h, Linux 3.4), for C libraries whose headers lack it.
#define IPV6_UNICAST_IF 76
#endif
// netinet/icmp6.h has ICMP6_FILTER; this header stays free of it.
#ifndef ICMP6_FILTER
/// ICMP6_FILTER's number (linux/icmpv6.h, RFC 3542 3.2).
#define ICMP6_FILTER 1
#endif

namespace mcnet::ipv6 {

/// ICMPv6 types a raw ICMPv6 socket blocks (RFC 3542 struct icmp6_filter:
/// on Linux a set bit blocks the type).
struct icmp6_type_filter {
  std::array<std::uint32_t, 8> bits{};  ///< 256 bits, one per ICMPv6 type: bit N of word N/32

  /// Pass every type (the kernel default).
  [[nodiscard]] static constexpr icmp6_type_filter pass_all() noexcept { return {}; }
  /// Block every type.
  [[nodiscard]] static constexpr icmp6_type_filter block_all() noexcept {
    icmp6_type_filter f;
    f.bits.fill(0xffffffffu);
    return f;
  }
  /// Block ICMPv6 type `type`.
  constexpr void block(std::uint8_t type) noexcept { bits[type >> 5] |= 1u << (type & 31); }
  /// Pass ICMPv6 type `type`.
  constexpr void pass(std::uint8_t type) noexcept { bits[type >> 5] &= ~(1u << (type & 31)); }
  /// Whether type `type` is blocked.
  [[nodiscard]] constexpr bool blocks(std::uint8_t type) const noexcept { return (bits[type >> 5] >> (type & 31)) & 1u; }
  /// Equal when the same types are blocked.
  friend constexpr bool operator==(const icmp6_type_filter&, const icmp6_type_filter&) = default;
};

/// Codec of ICMP6_FILTER's struct icmp6_filter (RFC 3542 3.2).
struct icmp6_filter_codec {
  using value_type = icmp6_type_filter;               ///< ipv6::icmp6_type_filter, as callers pass it.
  using storage_type = std::array<std::uint32_t, 8>;  ///< the 8 words of struct icmp6_filter.
  /// Copy the bits; returns the option length, 32 bytes. Never fails.
  [[nodiscard]] static result<socklen_t> encode(const icmp6_type_filter& v, storage_type& s) noexcept {
    s = v.bits;
    return socklen_t{sizeof(storage_type)};
  }
  /// The filter. Errors: errc::unexpected_option_size unless `n` is 32 bytes.
  [[nodiscard]] static result<icmp6_type_filter> decode(const storage_type& s, socklen_t n) noexcept {
    if (n != sizeof(storage_type)) return fail(core::detail::bad_size(n));
    return icmp6_type_filter{s};
  }
};

/// IPV6_PATHMTU answers with struct ip6_mtuinfo; the value is its MTU.
struct path_mtu_codec {
  using value_type = std::uint32_t;  ///< the path MTU in bytes.
  using storage_type = ip6_mtuinfo;  ///< struct ip6_mtuinfo (RFC 3542 11.2).
  /// Always fails with errc::value_out_of_range: IPV6_PATHMTU is read only.
  [[nodiscard]] static result<socklen_t> encode(const std::uint32_t&, ip6_mtuinfo&) noexcept {
    return fail(error(errc::value_out_of_range, "", "").with_hint("IPV6_PATHMTU is read-only"));
  }
  /// ip6m_mtu. Errors: errc::unexpected_option_size unless `n` is sizeof(ip6_mtuinfo).
  [[nodiscard]] static result<std::uint32_t> decode(const ip6_mtuinfo& s, socklen_t n) noexcept {
    if (n != sizeof(ip6_mtuinfo)) return fail(core::detail::bad_size(n));
    return s.ip6m_mtu;
  }
};

namespace opt {

using core::access;
using core::needs;
using core::read_back;
using core::sockopt;

/// `IPV6_TCLASS`: traffic class of outgoing packets (DSCP << 2 | ECN); -1: default (0).
inline constexpr sockopt<core::ranged_int_codec<-1, 255>> traffic_class{IPPROTO_IPV6, IPV6_TCLASS, "IPV6_TCLASS"};
/// `IPV6_UNICAST_HOPS`: hop limit of outgoing unicast, 1 to 255; -1: the route's default (64).
inline constexpr sockopt<core::ranged_int_codec<-1, 255>> unicast_hops{IPPROTO_IPV6, IPV6_UNICAST_HOPS,
                                                                       "IPV6_UNICAST_HOPS"};
/// `IPV6_MULTICAST_IF`: interface index for outgoing multicast (0: by route).
/// Unlike IPv4, Linux reads the index back.
inline constexpr sockopt<core::int_codec> multicast_interface{IPPROTO_IPV6, IPV6_MULTICAST_IF, "IPV6_MULTICAST_IF",
                                                              read_back::equal, needs::interface};
/// `IPV6_MULTICAST_HOPS`: hop limit of outgoing multicast; default 1; -1: default.
inline constexpr sockopt<core::ranged_int_codec<-1, 255>> multicast_hops{IPPROTO_IPV6, IPV6_MULTICAST_HOPS,
                                                                         "IPV6_MULTICAST_HOPS"};
/// `IPV6_MULTICAST_LOOP`: deliver own multicast to local listeners; default on.
inline constexpr sockopt<core::bool_codec> multicast_loopback{IPPROTO_IPV6, IPV6_MULTICAST_LOOP,
                                                              "IPV6_MULTICAST_LOOP"};
/// `IPV6_MULTICAST_ALL`: a wildcard-bound socket receives groups joined by
/// any socket on its port (default on); off: only its own.
inline constexpr sockopt<core::bool_codec> multicast_all{IPPROTO_IPV6, IPV6_MULTICAST_ALL, "IPV6_MULTICAST_ALL"};
/// `IPV6_UNICAST_IF`: send unicast out of this interface index (network
/// byte order on the wire; the codec converts).
inline constexpr sockopt<core::be32_index_codec> unicast_interface{IPPROTO_IPV6, IPV6_UNICAST_IF, "IPV6_UNICAST_IF",
                                                                   read_back::equal, needs::interface};
/// `IPV6_V6ONLY`: IPv6 only, no IPv4-mapped traffic; set before bind.
inline constexpr sockopt<core::bool_codec> v6_only{IPPROTO_IPV6, IPV6_V6ONLY, "IPV6_V6ONLY"};
/// `IPV6_RECVPKTINFO`: receive destination address and ingress interface (in6_pktinfo).
inline constexpr sockopt<core::bool_codec> receive_packet_info{IPPROTO_IPV6, IPV6_RECVPKTINFO, "IPV6_RECVPKTINFO"};
/// `IPV6_RECVHOPLIMIT`: receive each datagram's hop limit.
inline constexpr sockopt<core::bool_codec> receive_hop_limit{IPPROTO_IPV6, IPV6_RECVHOPLIMIT, "IPV6_RECVHOPLIMIT"};
/// `IPV6_RECVTCLASS`: receive each datagram's traffic class.
inline constexpr sockopt<core::bool_codec> receive_traffic_class{IPPROTO_IPV6, IPV6_RECVTCLASS, "IPV6_RECVTCLASS"};
/// `IPV6_RECVORIGDSTADDR`: receive the original destination (transparent proxies).
inline constexpr sockopt<core::bool_codec> receive_original_destination{IPPROTO_IPV6, IPV6_RECVORIGDSTADDR,
                                                                        "IPV6_RECVORIGDSTADDR"};
/// `IPV6_RECVPATHMTU`: with IPV6_DONTFRAG, a too-big send brings a
/// zero-length read carrying the path MTU (IPV6_PATHMTU control message).
inline constexpr sockopt<core::bool_codec> receive_path_mtu{IPPROTO_IPV6, IPV6_RECVPATHMTU, "IPV6_RECVPATHMTU"};
/// `IPV6_DONTFRAG`: do not fragment; a too-large datagram fails with EMSGSIZE.
inline constexpr sockopt<core::bool_codec> dont_fragment{IPPROTO_IPV6, IPV6_DONTFRAG, "IPV6_DONTFRAG"};
/// `IPV6_PATHMTU`: the path MTU of a connected socket. Read-only; ENOTCONN otherwise.
inline constexpr sockopt<path_mtu_codec, access::read_only> path_mtu{IPPROTO_IPV6, IPV6_PATHMTU, "IPV6_PATHMTU",
                                                                     read_back::not_writable, needs::connected};
/// `IPV6_MTU_DISCOVER`: path MTU discovery mode (IPV6_PMTUDISC_DONT ... _OMIT, 0 to 5).
inline constexpr sockopt<core::ranged_int_codec<0, 5>> mtu_discover{IPPROTO_IPV6, IPV6_MTU_DISCOVER,
                                                                    "IPV6_MTU_DISCOVER"};
/// `IPV6_MTU`: set: the fragment size for outgoing packets; get (connected
/// socket): the path MTU, not what was set.
inline constexpr sockopt<core::int_codec> mtu{IPPROTO_IPV6, IPV6_MTU, "IPV6_MTU", read_back::partial,
                                              needs::connected};
/// `IPV6_CHECKSUM`: on a raw socket (not ICMPv6), the offset of the 16-bit
/// checksum the kernel computes and verifies; -1 disables.
inline constexpr sockopt<core::int_codec> checksum_offset{IPPROTO_IPV6, IPV6_CHECKSUM, "IPV6_CHECKSUM",
                                                          read_back::equal, needs::raw_socket | needs::privilege};
/// `IPV6_RECVERR`: queue ICMPv6 errors on the socket's error queue.
inline constexpr sockopt<core::bool_codec> receive_errors{IPPROTO_IPV6, IPV6_RECVERR, "IPV6_RECVERR"};
/// `IPV6_FREEBIND`: bind to an address not (yet) on this host.
inline constexpr sockopt<core::bool_codec> free_bind{IPPROTO_IPV6, IPV6_FREEBIND, "IPV6_FREEBIND"};
/// `IPV6_TRANSPARENT`: bind to and send from foreign addresses (TPROXY); needs CAP_NET_ADMIN or CAP_NET_RAW.
inline constexpr sockopt<core::bool_codec> transparent{IPPROTO_IPV6, IPV6_TRANSPARENT, "IPV6_TRANSPARENT",
                                                       read_back::equal, needs::privilege};
/// `ICMP6_FILTER` (IPPROTO_ICMPV6): ICMPv6 types a raw ICMPv6 socket blocks.
inline constexpr sockopt<icmp6_filter_codec> icmp6_type_filter_option{IPPROTO_ICMPV6, ICMP6_FILTER, "ICMP6_FILTER",
                                                                      read_back::equal,
                                                                      needs::raw_socket | needs::privilege};

/// Every descriptor of this layer.
inline constexpr auto ipv6_table = std::tie(
    traffic_class, unicast_hops, multicast_interface, multicast_hops, multicast_loopback, multicast_all,
    unicast_interface, v6_only, receive_packet_info, receive_hop_limit, receive_traffic_class,
    receive_original_destination, receive_path_mtu, dont_fragment, path_mtu, mtu_discover, mtu, checksum_offset,
    receive_errors, free_bind, transparent, icmp6_type_filter_option);

}  // namespace opt
}  // namespace mcnet::ipv6
