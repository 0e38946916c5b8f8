// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The mcnet authors
#pragma once

/// @file
/// The kernel's route to a destination, asked over rtnetlink (RTM_GETROUTE,
/// rtnetlink(7)): the interface a socket that names none would send on, the
/// source address the kernel would pick, and the gateway. `ip route get`
/// answers the same question.

#include <mcnet/core/cxx20.hpp>  // first: C++20 or one clear error

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include <mcnet/core/error.hpp>
#include <mcnet/core/interface.hpp>
#include <mcnet/core/ip_address.hpp>

namespace mcnet::netlink {

/// The kernel's answer to RTM_GETROUTE for one destination.
struct route {
  /// The output interface (RTA_OIF) with its name, in the namespace asked.
  core::interface_ref iface{};
  /// The source address the kernel would use (RTA_PREFSRC), when it says;
  /// link-local addresses carry `iface` as scope id.
  std::optional<core::ip_address> preferred_source{};
  /// The next hop (RTA_GATEWAY); empty when the destination is on the link
  /// (always for multicast).
  std::optional<core::ip_address> gateway{};
  /// The routing table that held the route (RTA_TABLE: RT_TABLE_MAIN 254,
  /// RT_TABLE_LOCAL 255, ...).
  std::uint32_t table = 0;
  /// The route's type (rtm_type): RTN_UNICAST 1, RTN_LOCAL 2, RTN_BROADCAST
  /// 3, RTN_MULTICAST 5, ... (linux/rtnetlink.h).
  std::uint8_t type = 0;
  /// The route's destination (RTA_DST): the destination itself from
  /// route_to, the routing table entry that matched from matched_route
  /// ("239.77.0.0" of 239.77.0.0/16). Empty for a default route (no
  /// RTA_DST).
  std::optional<core::ip_address> destination{};
  /// The destination's prefix length in bits (rtm_dst_len): 32 or 128 from
  /// route_to, the matched entry's (16 of 239.77.0.0/16) from
  /// matched_route, 0 for a default route.
  std::uint8_t prefix_length = 0;
  /// One path of a multipath (ECMP) route.
  struct nexthop {
    core::interface_ref iface{};  ///< rtnh_ifindex with its name
    std::optional<core::ip_address> gateway{};  ///< its RTA_GATEWAY, when it has one
    std::uint32_t weight = 1;  ///< rtnh_hops + 1: `ip route`'s weight (1 to 256)
  };
  /// Every path of a multipath route (RTA_MULTIPATH), in the kernel's
  /// order; empty for a route of one path. Only matched_route's answer and
  /// covering_routes' entries carry them: route_to's (a lookup) names the
  /// one path the kernel's hash picked for that flow, in `iface` and
  /// `gateway`. From matched_route, `iface` and `gateway` are the first
  /// path's then (the entry itself has no RTA_OIF). IPv4's reverse-path
  /// filter accepts a datagram that comes in on any of these paths'
  /// interfaces (fib_info_nh_uses_dev), strict mode too.
  std::vector<nexthop> nexthops{};
};

/// Ask the kernel which route it would use to send to `destination` from
/// the calling thread's network namespace: one RTM_GETROUTE with RTA_DST,
/// and RTA_OIF when `destination` carries a scope id (link-local unicast,
/// link- and interface-local IPv6 groups: "ff02::1%eth0"), so the answer
/// is the route on that interface. With `source` (RTA_SRC) the answer is
/// for a socket bound to that local address, as `ip route get DST from SRC`
/// says: Linux sends IPv4 multicast and broadcast from a bound source out of
/// the interface that owns it, whatever the routes say. A second request
/// (RTM_GETLINK) names the interface. Nothing is sent to the destination.
///
/// Errors:
/// - errc::invalid_address: `destination` is not an address;
/// - errc::family_mismatch: `source` is of the other family;
/// - ENETUNREACH or EINVAL (the kernel's errno, by version) with
///   `error::address()` the source: `source` is not an address of this host;
/// - ENETUNREACH or EHOSTUNREACH (the kernel's errno; `error::address()` is
///   the destination): no route, with a hint naming the missing route and
///   the `ip route` command that adds it;
/// - errc::no_such_interface: the scope id names no interface;
/// - other kernel errnos, and libnl's failures in the libnl category.
[[nodiscard]] result<route> route_to(const core::ip_address& destination,
                                     const std::optional<core::ip_address>& source = std::nullopt);

/// The routing table entry the kernel matched for `destination` (RTM_GETROUTE
/// with RTM_F_FIB_MATCH, Linux 4.13+; `ip route get fibmatch DST`): its
/// prefix in `destination` and `prefix_length` (239.77.0.0/16 for a hand
/// route `239.77.0.0/16 dev a0`, 224.0.0.0/4, ...), its interface and
/// table, so that a message can name the route a lookup followed and the
/// command that adds it back. Errors as route_to's (no source).
[[nodiscard]] result<route> matched_route(const core::ip_address& destination);

/// Every route of `destination`'s family that covers it, from a dump of the
/// routing tables (RTM_GETROUTE with NLM_F_DUMP, `ip route show table all`),
/// the most specific first (equal prefixes in the dump's order): a lookup
/// that meets a route refusing the destination (type RTN_BLACKHOLE 6,
/// RTN_UNREACHABLE 7, RTN_PROHIBIT 8) fails with EINVAL, EHOSTUNREACH or
/// EACCES and says nothing of the route, nor does `matched_route`; this
/// names it (`destination`, `prefix_length`, `type`, `table`; `iface` has
/// the index only, 0 for a route without an interface). A default route
/// has prefix length 0 and no destination. Errors: errc::invalid_address;
/// the kernel's and libnl's failures as route_to's.
[[nodiscard]] result<std::vector<route>> covering_routes(const core::ip_address& destination);

/// One policy-routing rule (`ip rule`, RTM_GETRULE): what it matches and
/// what it does. Selectors this struct does not carry (ip proto, ports, uid
/// range, l3mdev, tun id) are summed up by `other_selectors`.
struct rule {
  std::uint32_t priority = 0;  ///< FRA_PRIORITY: the order of the lookup ("pref")
  /// fib_rule_hdr.action: FR_ACT_TO_TBL 1 (lookup TABLE), FR_ACT_GOTO 2,
  /// FR_ACT_NOP 3, FR_ACT_BLACKHOLE 6, FR_ACT_UNREACHABLE 7, FR_ACT_PROHIBIT 8.
  std::uint8_t action = 0;
  std::uint32_t table = 0;  ///< FRA_TABLE (or the header's table) for FR_ACT_TO_TBL
  std::optional<core::ip_address> destination{};  ///< FRA_DST ("to"), with `destination_length`
  std::uint8_t destination_length = 0;  ///< the prefix length of `destination` (rtm_dst_len)
  std::uint8_t source_length = 0;  ///< "from": a length above 0 names a source prefix
  std::optional<core::ip_address> source{};  ///< FRA_SRC ("from"), with `source_length`
  bool invert = false;             ///< FIB_RULE_INVERT ("not")
  bool input_interface = false;    ///< FRA_IIFNAME ("iif")
  bool output_interface = false;   ///< FRA_OIFNAME ("oif")
  /// The interface name of FRA_IIFNAME ("iif NAME"), empty when not set. The
  /// kernel's output lookups (a socket's, RTM_GETROUTE without an input
  /// interface) and IPv4's reverse-path lookup carry the loopback ("lo")
  /// as their input interface; an input lookup of a received packet (IPv6's
  /// for every datagram, multicast too) carries the interface it came in on.
  std::string input_interface_name{};
  std::string output_interface_name{};  ///< FRA_OIFNAME ("oif NAME"), empty when not set
  /// FRA_GOTO ("goto PRIORITY") of an FR_ACT_GOTO rule: the lookup goes on
  /// at the first rule of that priority (a goto with no such rule does
  /// nothing); none for other rules.
  std::optional<std::uint32_t> goto_priority{};
  std::uint32_t mark = 0;       ///< FRA_FWMARK ("fwmark"), 0 when not set
  std::uint32_t mark_mask = 0;  ///< FRA_FWMASK ("fwmark MARK/MASK"), 0 when not set
  std::int32_t suppress_prefix_length = -1;  ///< FRA_SUPPRESS_PREFIXLEN, -1 when not set
  bool other_selectors = false;  ///< tos, dscp, uid range, ip proto, ports, l3mdev, tun id
};

/// The policy-routing rules of `family` (AF_INET or AF_INET6) in the order
/// the kernel walks them (by priority; `ip rule show`): RTM_GETRULE with
/// NLM_F_DUMP. Errors: the kernel's and libnl's failures.
[[nodiscard]] result<std::vector<rule>> rules(int family);

}  // namespace mcnet::netlink
