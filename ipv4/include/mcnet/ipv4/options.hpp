// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The mcnet authors
#pragma once

/// @file
/// Level IPPROTO_IP, and SOL_RAW's ICMP_FILTER: one line per option. ip(7),
/// raw(7). Use with `mcnet::core::get` / `mcnet::core::set`, or through
/// `ipv4::conn` and `ipv4::packet_conn`, which add the checks and memory the
/// kernel lacks.

#include <mcnet/core/cxx20.hpp>  // first: C++20 or one clear error

#include <netinet/in.h>

#include <tuple>

#include <mcnet/core/codecs.hpp>
#include <mcnet/core/ip_address.hpp>
#include <mcnet/core/sockopt.hpp>

// linux/icmp.h would clash with net/if.h (both define IFF_*): the two
// constants of raw(7) ICMP filtering, as the kernel defines them.
#ifndef ICMP_FILTER
/// ICMP_FILTER's number (linux/icmp.h, raw(7)), defined here because linux/icmp.h clashes with
/// net/if.h.
#define ICMP_FILTER 1
#endif

#ifndef IP_BIND_ADDRESS_NO_PORT
/// IP_BIND_ADDRESS_NO_PORT's number (linux/in.h, Linux 4.2), for C libraries whose headers lack it.
#define IP_BIND_ADDRESS_NO_PORT 24
#endif

namespace mcnet::ipv4 {

/// What IP_MULTICAST_IF carries: set by index (struct ip_mreqn) and/or
/// address; Linux reads back only the address (0.0.0.0 when set by index).
struct multicast_if {
  std::uint32_t index = 0;     ///< imr_ifindex: the interface by index; 0 when set by address
  core::ip_address address{};  ///< imr_address: the interface by one of its addresses; what Linux reads back
  /// Equal when index and address are.
  friend bool operator==(const multicast_if&, const multicast_if&) = default;
};

/// Codec for IP_MULTICAST_IF: writes struct ip_mreqn; decodes the 4-byte
/// in_addr Linux returns (index 0) or a full ip_mreqn.
struct multicast_if_codec {
  using value_type = multicast_if;  ///< ipv4::multicast_if, as callers pass it.
  using storage_type = ip_mreqn;    ///< struct ip_mreqn (ip(7)).
  /// Fill an ip_mreqn with the index and address; returns its size.
  /// Errors: errc::family_mismatch for an address that is not IPv4.
  [[nodiscard]] static result<socklen_t> encode(const multicast_if& v, ip_mreqn& s) noexcept;
  /// The address the kernel returns: 4 bytes (struct in_addr, index 0) or a whole ip_mreqn.
  /// Errors: errc::unexpected_option_size for any other length.
  [[nodiscard]] static result<multicast_if> decode(const ip_mreqn& s, socklen_t n) noexcept;
};

/// Codec for ICMP_FILTER: the bit mask of ICMP types to drop (bit N: type N).
struct icmp_filter_codec {
  using value_type = std::uint32_t;  ///< the drop mask: bit N set drops ICMP type N (types 0 to 31).
  /// struct icmp_filter of linux/icmp.h.
  struct storage_type {  // struct icmp_filter of linux/icmp.h
    std::uint32_t data;  ///< the mask
  };
  /// Store the mask; returns the option length, 4 bytes. Never fails.
  [[nodiscard]] static result<socklen_t> encode(const std::uint32_t& v, storage_type& s) noexcept {
    s.data = v;
    return socklen_t{sizeof(storage_type)};
  }
  /// The mask. Errors: errc::unexpected_option_size unless `n` is 4 bytes.
  [[nodiscard]] static result<std::uint32_t> decode(const storage_type& s, socklen_t n) noexcept {
    if (n != sizeof(storage_type)) return fail(core::detail::bad_size(n));
    return s.data;
  }
};

namespace opt {

using core::access;
using core::needs;
using core::read_back;
using core::sockopt;

/// `IP_TOS`: type of service byte of outgoing packets (DSCP << 2 | ECN). ip(7).
inline constexpr sockopt<core::ranged_int_codec<0, 255>> tos{IPPROTO_IP, IP_TOS, "IP_TOS"};
/// `IP_TTL`: TTL of outgoing unicast packets, 1 to 255 (-1: the default, 64).
inline constexpr sockopt<core::ranged_int_codec<-1, 255>> ttl{IPPROTO_IP, IP_TTL, "IP_TTL"};
/// `IP_MULTICAST_IF`: interface (by index) or local address for outgoing
/// multicast. Reads back only the address: `packet_conn` remembers the index.
inline constexpr sockopt<multicast_if_codec> multicast_interface{IPPROTO_IP, IP_MULTICAST_IF, "IP_MULTICAST_IF",
                                                                 read_back::partial, needs::interface};
/// `IP_MULTICAST_TTL`: TTL of outgoing multicast; kernel default 1 (stays on the link).
inline constexpr sockopt<core::byte_or_int_codec<0, 255>> multicast_ttl{IPPROTO_IP, IP_MULTICAST_TTL,
                                                                        "IP_MULTICAST_TTL"};
/// `IP_MULTICAST_LOOP`: deliver own multicast to local listeners; default on.
inline constexpr sockopt<core::bool_byte_or_int_codec> multicast_loopback{IPPROTO_IP, IP_MULTICAST_LOOP,
                                                                          "IP_MULTICAST_LOOP"};
/// `IP_MULTICAST_ALL`: a wildcard-bound socket receives groups joined by any
/// socket on its port (default on); off: only its own joins.
inline constexpr sockopt<core::bool_codec> multicast_all{IPPROTO_IP, IP_MULTICAST_ALL, "IP_MULTICAST_ALL"};
/// `IP_UNICAST_IF`: send unicast out of this interface index (network byte
/// order on the wire; the codec converts).
inline constexpr sockopt<core::be32_index_codec> unicast_interface{IPPROTO_IP, IP_UNICAST_IF, "IP_UNICAST_IF",
                                                                   read_back::equal, needs::interface};
/// `IP_PKTINFO`: receive destination address and ingress interface (in_pktinfo).
inline constexpr sockopt<core::bool_codec> receive_packet_info{IPPROTO_IP, IP_PKTINFO, "IP_PKTINFO"};
/// `IP_RECVTTL`: receive the TTL of each datagram.
inline constexpr sockopt<core::bool_codec> receive_ttl{IPPROTO_IP, IP_RECVTTL, "IP_RECVTTL"};
/// `IP_RECVTOS`: receive the TOS byte of each datagram.
inline constexpr sockopt<core::bool_codec> receive_tos{IPPROTO_IP, IP_RECVTOS, "IP_RECVTOS"};
/// `IP_RECVORIGDSTADDR`: receive the original destination address and port
/// (for transparent proxies).
inline constexpr sockopt<core::bool_codec> receive_original_destination{IPPROTO_IP, IP_RECVORIGDSTADDR,
                                                                        "IP_RECVORIGDSTADDR"};
/// `IP_RECVERR`: queue ICMP errors on the socket's error queue (MSG_ERRQUEUE).
inline constexpr sockopt<core::bool_codec> receive_errors{IPPROTO_IP, IP_RECVERR, "IP_RECVERR"};
/// `IP_MTU_DISCOVER`: path MTU discovery mode (IP_PMTUDISC_DONT, _WANT, _DO, _PROBE, _INTERFACE, _OMIT).
inline constexpr sockopt<core::ranged_int_codec<0, 5>> mtu_discover{IPPROTO_IP, IP_MTU_DISCOVER, "IP_MTU_DISCOVER"};
/// `IP_MTU`: the path MTU known for a connected socket. Read-only; ENOTCONN
/// when not connected.
inline constexpr sockopt<core::int_codec, access::read_only> mtu{IPPROTO_IP, IP_MTU, "IP_MTU", read_back::not_writable,
                                                                 needs::connected};
/// `IP_HDRINCL`: on a raw socket, the application writes the IP header itself.
inline constexpr sockopt<core::bool_codec> header_included{IPPROTO_IP, IP_HDRINCL, "IP_HDRINCL", read_back::equal,
                                                           needs::raw_socket | needs::privilege};
/// `IP_FREEBIND`: bind to an address not (yet) on this host.
inline constexpr sockopt<core::bool_codec> free_bind{IPPROTO_IP, IP_FREEBIND, "IP_FREEBIND"};
/// `IP_TRANSPARENT`: bind to and send from foreign addresses (TPROXY). Needs
/// CAP_NET_ADMIN or CAP_NET_RAW.
inline constexpr sockopt<core::bool_codec> transparent{IPPROTO_IP, IP_TRANSPARENT, "IP_TRANSPARENT", read_back::equal,
                                                       needs::privilege};
/// `IP_BIND_ADDRESS_NO_PORT`: defer port choice to connect (saves ports on
/// many outgoing connections from one address).
inline constexpr sockopt<core::bool_codec> bind_address_no_port{IPPROTO_IP, IP_BIND_ADDRESS_NO_PORT,
                                                                "IP_BIND_ADDRESS_NO_PORT"};
/// `ICMP_FILTER` (SOL_RAW): on a raw ICMP socket, drop the ICMP types whose
/// bit is set. raw(7).
inline constexpr sockopt<icmp_filter_codec> icmp_type_filter{SOL_RAW, ICMP_FILTER, "ICMP_FILTER", read_back::equal,
                                                             needs::raw_socket | needs::privilege};

/// Every descriptor of this layer, for tools and the tests that walk the table.
inline constexpr auto ip_table =
    std::tie(tos, ttl, multicast_interface, multicast_ttl, multicast_loopback, multicast_all, unicast_interface,
             receive_packet_info, receive_ttl, receive_tos, receive_original_destination, receive_errors,
             mtu_discover, mtu, header_included, free_bind, transparent, bind_address_no_port, icmp_type_filter);

}  // namespace opt
}  // namespace mcnet::ipv4
