// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The mcnet authors
#pragma once

/// @file
/// Group membership with the protocol-independent options of RFC 3678
/// (MCAST_JOIN_GROUP, MCAST_JOIN_SOURCE_GROUP, MCAST_BLOCK_SOURCE, ...,
/// MCAST_MSFILTER), by interface index, shared by IPv4 (IGMP) and IPv6 (MLD).
///
/// The option level follows the group's family: an IPv4 group (or its
/// IPv4-mapped form) is joined at IPPROTO_IP, also on a dual-stack AF_INET6
/// socket; an IPv6 group at IPPROTO_IPV6. Arguments are checked before the
/// kernel sees them (multicast group, unicast source of the same family, an
/// IPv6 group on an AF_INET socket; a bad source is named as the source),
/// and kernel errors keep their errno with a hint, and the source of a
/// source call: ENOBUFS names the limit really hit, with its current value
/// (net.ipv4.igmp_max_memberships, igmp_max_msf, net.ipv6.mld_max_msf, or
/// net.core.optmem_max when the socket's option memory ran out first);
/// ENOMEM names net.core.optmem_max; EADDRINUSE on a join, and EADDRNOTAVAIL
/// on an include join of a source already included, say "already joined";
/// EADDRNOTAVAIL on a leave means "not joined"; EINVAL on a source call means
/// the join it needs is missing; ENODEV names the index.
///
/// Interface index 0 lets the kernel choose (by route), as ip(7) and ipv6(7)
/// describe. The option descriptors themselves are in membership_options.hpp
/// (`core::opt::join_group`, ...). @see RFC 3678, RFC 3376 (IGMPv3),
/// RFC 3810 (MLDv2), ip(7).

#include <mcnet/core/cxx20.hpp>  // first: C++20 or one clear error

#include <cstddef>
#include <cstdint>
#include <span>

#include <mcnet/core/error.hpp>
#include <mcnet/core/ip_address.hpp>
#include <mcnet/core/membership_options.hpp>
#include <mcnet/core/socket.hpp>

namespace mcnet::core {

/// `MCAST_JOIN_GROUP`: any-source membership (ASM) of `group` on interface
/// `ifindex`. Errors: errc::not_multicast, errc::family_mismatch; EADDRINUSE
/// (already joined), ENOBUFS (IPv4: igmp_max_memberships, or optmem_max when
/// the socket's option memory is what ran out), ENOMEM (IPv6: optmem_max), ENODEV.
[[nodiscard]] result<void> join_group(socket_ref s, const ip_address& group, std::uint32_t ifindex) noexcept;

/// `MCAST_LEAVE_GROUP`. Errors: EADDRNOTAVAIL when not joined there.
[[nodiscard]] result<void> leave_group(socket_ref s, const ip_address& group, std::uint32_t ifindex) noexcept;

/// `MCAST_JOIN_SOURCE_GROUP`: receive `group` from `source` only (SSM,
/// include mode); call again to add sources. Errors: as join_group, plus
/// errc::source_not_unicast; EADDRNOTAVAIL when `source` is already included
/// ("already joined"); ENOBUFS also for igmp_max_msf / mld_max_msf sources
/// per group; EINVAL when the group is joined in exclude mode with
/// blocked sources. (On an any-source join with nothing blocked, Linux
/// switches the membership to include mode instead.)
[[nodiscard]] result<void> join_source_group(socket_ref s, const ip_address& group, const ip_address& source,
                                             std::uint32_t ifindex) noexcept;

/// `MCAST_LEAVE_SOURCE_GROUP`: drop one included source; the last one leaves
/// the group. Errors: EADDRNOTAVAIL when that source is not included; EINVAL
/// without an SSM join.
[[nodiscard]] result<void> leave_source_group(socket_ref s, const ip_address& group, const ip_address& source,
                                              std::uint32_t ifindex) noexcept;

/// `MCAST_BLOCK_SOURCE`: on an ASM join, stop receiving from `source`
/// (exclude mode). Errors: EINVAL without an ASM join; ENOBUFS past the
/// source limit.
[[nodiscard]] result<void> block_source(socket_ref s, const ip_address& group, const ip_address& source,
                                        std::uint32_t ifindex) noexcept;

/// `MCAST_UNBLOCK_SOURCE`: undo block_source. Errors: EADDRNOTAVAIL when not
/// blocked; EINVAL without an ASM join.
[[nodiscard]] result<void> unblock_source(socket_ref s, const ip_address& group, const ip_address& source,
                                          std::uint32_t ifindex) noexcept;

/// `MCAST_MSFILTER` (set): replace the whole source filter of `group` on
/// `ifindex` in one call, switching mode if asked. Needs a prior join
/// (EINVAL otherwise); include with no sources is a leave. At most
/// `max_filter_sources` sources. Errors: as block_source.
[[nodiscard]] result<void> set_source_filter(socket_ref s, const ip_address& group, std::uint32_t ifindex, filter_mode mode,
                                             std::span<const ip_address> sources) noexcept;

/// `MCAST_MSFILTER` (get): the filter of `group` on `ifindex`; up to
/// `out.size()` sources are written to `out`. Errors: EADDRNOTAVAIL when not
/// joined; errc::value_out_of_range when `out` exceeds max_filter_sources.
[[nodiscard]] result<filter_state> source_filter(socket_ref s, const ip_address& group, std::uint32_t ifindex,
                                                 std::span<ip_address> out) noexcept;

/// The largest filter set_source_filter and source_filter handle (well above
/// the kernel defaults of 10 for IPv4 and 64 for IPv6).
inline constexpr std::size_t max_filter_sources = 1024;

}  // namespace mcnet::core
