// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The mcnet authors
#pragma once

/// @file
/// The protocol-independent membership options of RFC 3678 (section 5.1 and
/// 5.2): one descriptor per option, like every other table, and the codecs of
/// `struct group_req`, `struct group_source_req` and `struct group_filter`.
///
/// One option name serves both families, but the level follows the group:
/// IPPROTO_IP for an IPv4 group (also on a dual-stack AF_INET6 socket),
/// IPPROTO_IPV6 for an IPv6 group. A `membership_option` therefore records
/// name, spelling, access and codec once and gives the `sockopt` of a level
/// per call: `core::set(s, opt::join_group.at(group), {group, ifindex})`.
/// The checked calls with errors that name the sysctl are in membership.hpp.
/// ip(7), ipv6(7), RFC 3678.

#include <mcnet/core/cxx20.hpp>  // first: C++20 or one clear error

#include <netinet/in.h>
#include <sys/socket.h>

#include <cstddef>
#include <cstdint>
#include <span>
#include <string_view>
#include <tuple>

#include <mcnet/core/codecs.hpp>
#include <mcnet/core/error.hpp>
#include <mcnet/core/ip_address.hpp>
#include <mcnet/core/sockopt.hpp>

namespace mcnet::core {

/// Source-filter mode of RFC 3376/3810.
enum class filter_mode : std::uint8_t {
  include,  ///< receive only from the listed sources (SSM)
  exclude,  ///< receive from all but the listed sources (ASM; empty list: plain join)
};

/// What `source_filter` found: the mode and how many sources the kernel
/// holds (which may exceed the space given; the rest were not copied).
struct filter_state {
  filter_mode mode = filter_mode::exclude;  ///< MCAST_INCLUDE or MCAST_EXCLUDE (RFC 3678 5.2)
  std::size_t count = 0;                    ///< sources the kernel holds for the group on the interface
};

/// The level of the membership options for `group`: IPPROTO_IP for an IPv4
/// group or its IPv4-mapped form, IPPROTO_IPV6 otherwise.
[[nodiscard]] inline int membership_level(const ip_address& group) noexcept {
  return group.unmap().is_v4() ? IPPROTO_IP : IPPROTO_IPV6;
}

/// `struct group_req`: a group on an interface (0: the kernel's choice by route).
struct group_request {
  ip_address group{};                 ///< the multicast group (IPv4, IPv4-mapped or IPv6)
  std::uint32_t interface_index = 0;  ///< gr_interface: interface index; 0 lets the kernel choose by route
};

/// `struct group_source_req`: a group, one of its sources, an interface.
struct group_source_request {
  ip_address group{};                 ///< the multicast group
  ip_address source{};                ///< the source: the S of (S,G)
  std::uint32_t interface_index = 0;  ///< gsr_interface: interface index; 0 lets the kernel choose by route
};

/// A whole source filter (`struct group_filter`) to set.
struct source_filter_request {
  ip_address group{};                       ///< the multicast group
  std::uint32_t interface_index = 0;        ///< gf_interface: interface index
  filter_mode mode = filter_mode::exclude;  ///< gf_fmode: include or exclude
  /// Gf_slist: the sources (borrowed; at most igmp_max_msf / mld_max_msf of them).
  std::span<const ip_address> sources{};
};

namespace detail {
/// `a` as the kernel wants it in a membership struct: unmapped, no scope id.
void to_group_storage(const ip_address& a, sockaddr_storage& out) noexcept;
/// The address in a membership struct (invalid when not AF_INET/AF_INET6).
ip_address from_group_storage(const sockaddr_storage& in) noexcept;
}  // namespace detail

/// Codec of `struct group_req` (MCAST_JOIN_GROUP, MCAST_LEAVE_GROUP).
struct group_req_codec {
  using value_type = group_request;  ///< core::group_request, as callers pass it.
  using storage_type = group_req;    ///< struct group_req (RFC 3678 5.2.1).
  /// Fill the interface and the group (unmapped, scope id dropped); returns sizeof(group_req).
  /// Never fails.
  [[nodiscard]] static result<socklen_t> encode(const group_request& v, group_req& s) noexcept {
    s.gr_interface = v.interface_index;
    detail::to_group_storage(v.group, s.gr_group);
    return socklen_t{sizeof(group_req)};
  }
  /// The group and interface. Errors: errc::unexpected_option_size unless `n` is sizeof(group_req).
  [[nodiscard]] static result<group_request> decode(const group_req& s, socklen_t n) noexcept {
    if (n != sizeof(group_req)) return fail(detail::bad_size(n));
    return group_request{detail::from_group_storage(s.gr_group), s.gr_interface};
  }
};

/// Codec of `struct group_source_req` (MCAST_JOIN_SOURCE_GROUP,
/// MCAST_LEAVE_SOURCE_GROUP, MCAST_BLOCK_SOURCE, MCAST_UNBLOCK_SOURCE).
struct group_source_req_codec {
  using value_type = group_source_request;  ///< core::group_source_request, as callers pass it.
  using storage_type = group_source_req;    ///< struct group_source_req (RFC 3678 5.2.1).
  /// Fill interface, group and source (unmapped, scope ids dropped); returns
  /// sizeof(group_source_req). Never fails.
  [[nodiscard]] static result<socklen_t> encode(const group_source_request& v, group_source_req& s) noexcept {
    s.gsr_interface = v.interface_index;
    detail::to_group_storage(v.group, s.gsr_group);
    detail::to_group_storage(v.source, s.gsr_source);
    return socklen_t{sizeof(group_source_req)};
  }
  /// The group, source and interface.
  /// Errors: errc::unexpected_option_size unless `n` is sizeof(group_source_req).
  [[nodiscard]] static result<group_source_request> decode(const group_source_req& s, socklen_t n) noexcept {
    if (n != sizeof(group_source_req)) return fail(detail::bad_size(n));
    return group_source_request{detail::from_group_storage(s.gsr_group), detail::from_group_storage(s.gsr_source),
                                s.gsr_interface};
  }
};

/// Codec of `struct group_filter` (MCAST_MSFILTER): a head and as many
/// sources as the call says, laid out in the caller's buffer (aligned for
/// group_filter, `size(n)` bytes). getsockopt reads the group and interface
/// from that buffer before it writes the filter back, so the option has no
/// plain `get`/`set`: core::set_source_filter and core::source_filter own it.
struct group_filter_codec {
  static constexpr bool variable_length = true;  ///< marks a buffer_codec: no plain get/set
  using value_type = source_filter_request;      ///< core::source_filter_request, as callers pass it.
  /// Bytes of a group_filter with room for `sources` (at least one slot).
  [[nodiscard]] static constexpr std::size_t size(std::size_t sources) noexcept {
    return GROUP_FILTER_SIZE(sources == 0 ? 1 : sources);
  }
  /// Set: lay out `v` in `buffer` (size(v.sources.size()) bytes); returns the option length.
  static socklen_t encode(const source_filter_request& v, std::span<std::byte> buffer) noexcept;
  /// Get, before the call: the group, the interface and room for `capacity`
  /// sources; returns the length to pass.
  static socklen_t prepare(const group_request& query, std::size_t capacity, std::span<std::byte> buffer) noexcept;
  /// Get, after the call: mode and count; the first `out.size()` sources are copied to `out`.
  static filter_state decode(std::span<const std::byte> buffer, std::span<ip_address> out) noexcept;
};

/// One RFC 3678 option: name, kernel spelling, access and codec, recorded
/// once; the level comes per call from the group's family.
template <class Codec, access Mode>
struct membership_option {
  int name;                             ///< the option's number (MCAST_JOIN_GROUP, ...), same at both levels
  std::string_view spelling;            ///< the kernel's name, "MCAST_JOIN_GROUP"
  needs requirements = needs::nothing;  ///< what the kernel needs first (needs::nothing for all of RFC 3678's)

  /// The descriptor at `level` (IPPROTO_IP or IPPROTO_IPV6).
  [[nodiscard]] constexpr sockopt<Codec, Mode> at(int level) const noexcept {
    return sockopt<Codec, Mode>(level, name, spelling, default_read_back(), requirements);
  }
  /// The descriptor at the level of `group` (see membership_level).
  [[nodiscard]] sockopt<Codec, Mode> at(const ip_address& group) const noexcept {
    return at(membership_level(group));
  }

 private:
  static constexpr read_back default_read_back() noexcept {
    return Mode == access::write_only ? read_back::not_readable : read_back::equal;
  }
};

namespace opt {

/// `MCAST_JOIN_GROUP`: any-source membership (ASM) of a group on an
/// interface. Write-only. Errors: EADDRINUSE (already joined), ENOBUFS
/// (net.ipv4.igmp_max_memberships), ENOMEM (net.core.optmem_max), ENODEV.
/// RFC 3678 5.1, ip(7), ipv6(7).
inline constexpr membership_option<group_req_codec, access::write_only> join_group{MCAST_JOIN_GROUP,
                                                                                  "MCAST_JOIN_GROUP"};
/// `MCAST_LEAVE_GROUP`: leave an any-source or source-specific membership.
/// Write-only. Errors: EADDRNOTAVAIL (not joined). RFC 3678 5.1.
inline constexpr membership_option<group_req_codec, access::write_only> leave_group{MCAST_LEAVE_GROUP,
                                                                                   "MCAST_LEAVE_GROUP"};
/// `MCAST_JOIN_SOURCE_GROUP`: receive a group from one more source (SSM,
/// include mode). Write-only. Errors: ENOBUFS (igmp_max_memberships, or
/// igmp_max_msf / mld_max_msf sources per group), EINVAL (the group is in
/// exclude mode with blocked sources). RFC 3678 5.1.
inline constexpr membership_option<group_source_req_codec, access::write_only> join_source_group{
    MCAST_JOIN_SOURCE_GROUP, "MCAST_JOIN_SOURCE_GROUP"};
/// `MCAST_LEAVE_SOURCE_GROUP`: drop one included source; the last one leaves
/// the group. Write-only. Errors: EADDRNOTAVAIL, EINVAL (no SSM join). RFC 3678 5.1.
inline constexpr membership_option<group_source_req_codec, access::write_only> leave_source_group{
    MCAST_LEAVE_SOURCE_GROUP, "MCAST_LEAVE_SOURCE_GROUP"};
/// `MCAST_BLOCK_SOURCE`: on an any-source join, stop receiving from one
/// source (exclude mode). Write-only. Errors: EINVAL (no ASM join), ENOBUFS
/// (source limit), EADDRINUSE (already blocked). RFC 3678 5.1.
inline constexpr membership_option<group_source_req_codec, access::write_only> block_source{MCAST_BLOCK_SOURCE,
                                                                                           "MCAST_BLOCK_SOURCE"};
/// `MCAST_UNBLOCK_SOURCE`: undo a block. Write-only. Errors: EADDRNOTAVAIL
/// (not blocked), EINVAL (no ASM join). RFC 3678 5.1.
inline constexpr membership_option<group_source_req_codec, access::write_only> unblock_source{
    MCAST_UNBLOCK_SOURCE, "MCAST_UNBLOCK_SOURCE"};
/// `MCAST_MSFILTER`: the whole source filter of a joined group (mode and
/// sources), set and read in one call. Read-write, through a caller's buffer
/// (see group_filter_codec). Errors: EINVAL (no join, set), EADDRNOTAVAIL
/// (not joined, get), ENOBUFS (source limit). RFC 3678 5.2.
inline constexpr membership_option<group_filter_codec, access::read_write> source_filter{MCAST_MSFILTER,
                                                                                        "MCAST_MSFILTER"};

/// Every RFC 3678 descriptor, for tools and the tests that walk the table.
inline constexpr auto membership_table = std::tie(join_group, leave_group, join_source_group, leave_source_group,
                                                  block_source, unblock_source, source_filter);

}  // namespace opt
}  // namespace mcnet::core
