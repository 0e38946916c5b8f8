// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The mcnet authors
#pragma once

/// @file
/// Plain values for what rtnetlink reports: links, addresses and joined
/// multicast groups. Copies, not views: they stay valid after the socket
/// that produced them is gone.

#include <mcnet/core/cxx20.hpp>  // first: C++20 or one clear error

#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <mcnet/core/interface.hpp>
#include <mcnet/core/ip_address.hpp>

namespace mcnet::netlink {

/// RFC 2863 operational state (IF_OPER_*).
enum class oper_state : std::uint8_t { unknown = 0, not_present, down, lower_layer_down, testing, dormant, up };

/// A network interface (RTM_NEWLINK).
struct link {
  std::uint32_t index = 0;                     ///< ifi_index, 1 or more
  std::string name{};                          ///< IFLA_IFNAME
  std::vector<std::string> alt_names{};        ///< IFLA_PROP_LIST / IFLA_ALT_IFNAME
  std::uint32_t mtu = 0;                       ///< IFLA_MTU, in bytes
  /// IFLA_MAX_MTU: the largest MTU the device takes (a veth 65535, most
  /// NICs 9000 to 9216); 0 when the kernel does not say (before Linux 4.19).
  std::uint32_t max_mtu = 0;
  std::uint32_t flags = 0;                     ///< IFF_UP, IFF_RUNNING, IFF_MULTICAST, IFF_LOWER_UP, ...
  oper_state operstate = oper_state::unknown;  ///< IFLA_OPERSTATE
  std::uint16_t link_type = 0;                 ///< ARPHRD_ETHER, ARPHRD_LOOPBACK, ...
  /// The link-layer address (IFLA_ADDRESS): `hardware_address_length` bytes.
  std::array<std::uint8_t, 32> hardware_address{};
  std::uint8_t hardware_address_length = 0;  ///< bytes of hardware_address in use (6 for Ethernet, 0 for none)
  std::uint32_t master = 0;                  ///< index of the bridge/bond it is enslaved to; 0: none
  /// The parent (IFLA_LINK): its index, in this namespace unless
  /// `parent_netns_id` says another (IFLA_LINK_NETNSID): then the index means
  /// nothing here. Never set for links without a parent.
  std::optional<std::uint32_t> parent{};
  std::optional<std::int32_t> parent_netns_id{};  ///< IFLA_LINK_NETNSID: the parent's namespace id, when another
  std::string kind{};                             ///< IFLA_INFO_KIND: "veth", "bridge", ...

  [[nodiscard]] bool is_up() const noexcept;          ///< IFF_UP
  [[nodiscard]] bool has_carrier() const noexcept;    ///< IFF_LOWER_UP
  [[nodiscard]] bool is_multicast() const noexcept;   ///< IFF_MULTICAST
  [[nodiscard]] bool is_loopback() const noexcept;    ///< IFF_LOOPBACK
  /// {index, name} for the socket layer.
  [[nodiscard]] core::interface_ref ref() const noexcept;
};

/// An address on an interface (RTM_NEWADDR).
struct address {
  std::uint32_t index = 0;  ///< ifa_index: the interface's index
  core::ip_address local{};  ///< IFA_LOCAL (IPv4) or IFA_ADDRESS (IPv6), scope id set for link-local
  std::uint8_t prefix_length = 0;  ///< ifa_prefixlen, in bits
  std::uint8_t scope = 0;    ///< RT_SCOPE_UNIVERSE, RT_SCOPE_LINK, RT_SCOPE_HOST
  core::ip_address broadcast{};  ///< IFA_BROADCAST (IPv4); invalid when absent
  core::ip_address peer{};   ///< point-to-point peer, when different from local
  std::uint32_t flags = 0;   ///< IFA_F_*: tentative, deprecated, dadfailed, permanent, ...
  std::uint32_t preferred_lifetime = 0xffffffffu;  ///< seconds; 0xffffffff: forever
  std::uint32_t valid_lifetime = 0xffffffffu;  ///< seconds; 0xffffffff: forever (IFA_CACHEINFO)
  /// IFA_LABEL ("eth0", "eth0:1"), NUL-terminated; inline (at most 15 bytes)
  /// so that thousands of addresses cost no allocations.
  std::array<char, 16> label{};

  /// The label as text, without its NUL.
  [[nodiscard]] std::string_view label_text() const noexcept;
  /// IFA_F_TENTATIVE: duplicate address detection still runs (RFC 4862 5.4); not yet usable.
  [[nodiscard]] bool tentative() const noexcept;
  /// IFA_F_DEPRECATED: the preferred lifetime ran out; kept for existing traffic only.
  [[nodiscard]] bool deprecated() const noexcept;
  /// IFA_F_DADFAILED: duplicate address detection found the address in use.
  [[nodiscard]] bool dad_failed() const noexcept;
  /// Usable as a source: not tentative and DAD did not fail.
  [[nodiscard]] bool usable() const noexcept;
};

/// A multicast group joined on an interface (RTM_GETMULTICAST or /proc).
struct group {
  std::uint32_t index = 0;     ///< the interface's index
  core::ip_address address{};  ///< the group address (IPv4 or IPv6)
  /// How many sockets (and kernel users) hold it: known only from /proc.
  std::optional<std::uint32_t> users{};
  /// Equal when index, address and users are.
  friend bool operator==(const group&, const group&) = default;
};

/// An interface's IP settings as the kernel announces them when one changes
/// (RTM_NEWNETCONF on RTNLGRP_IPV4_NETCONF / RTNLGRP_IPV6_NETCONF,
/// rtnetlink(7); linux/netconf.h): the same values as the sysctls
/// net.ipv4.conf.IFACE.* and net.ipv6.conf.IFACE.* (ip-sysctl.rst). A
/// message carries the setting that changed, or every setting when an
/// interface appears; a field the message did not carry is unset.
struct netconf {
  /// `index` of conf/all (NETCONFA_IFINDEX_ALL): the value of every interface's
  /// setting where the kernel takes the larger of all's and the interface's
  /// (rp_filter) or all's alone (forwarding, when written).
  static constexpr std::int32_t all = -1;
  /// `index` of conf/default (NETCONFA_IFINDEX_DEFAULT): what interfaces made
  /// from now on start with, and, as the kernel copies a write of it
  /// (devinet_copy_dflt_conf), the value of every existing interface whose
  /// own value was never written, for which no message of its own comes.
  static constexpr std::int32_t defaults = -2;

  int family = 0;          ///< AF_INET or AF_INET6
  std::int32_t index = 0;  ///< the interface's index, or `all` / `defaults`
  /// net.ipv4.conf.*.rp_filter (IPv4 only): 0 off, 1 strict, 2 loose.
  std::optional<std::int32_t> rp_filter{};
  std::optional<std::int32_t> forwarding{};     ///< conf.*.forwarding
  std::optional<std::int32_t> mc_forwarding{};  ///< conf.*.mc_forwarding (a multicast router holds it)
  std::optional<std::int32_t> proxy_neighbour{};  ///< proxy_arp (IPv4) or proxy_ndp (IPv6)
  std::optional<std::int32_t> ignore_routes_with_linkdown{};  ///< conf.*.ignore_routes_with_linkdown
  /// Equal when every field is.
  friend bool operator==(const netconf&, const netconf&) = default;
};

/// One source in the kernel's filter of a group on an interface, as
/// /proc/net/mcfilter and /proc/net/mcfilter6 count it: the sockets whose
/// filter for the group includes it and those whose filter excludes it.
struct filter_source {
  core::ip_address address{};        ///< the source
  std::uint32_t include_sockets = 0;  ///< sockets in INCLUDE mode that list it
  std::uint32_t exclude_sockets = 0;  ///< sockets in EXCLUDE mode that list it
  /// Equal when every field is.
  friend bool operator==(const filter_source&, const filter_source&) = default;
};

/// The interface-level filter mode of a group (RFC 3376 section 3.2, RFC
/// 3810 section 4.2): EXCLUDE as soon as one socket is in EXCLUDE mode (an
/// any-source join is EXCLUDE with no sources), else INCLUDE.
enum class filter_mode : std::uint8_t {
  include,  ///< every socket lists the sources it wants
  exclude,  ///< at least one socket takes every source but those it lists
  unknown,  ///< the kernel's counts do not tell (see group_filter::of)
};

/// A group's source filter on one interface: the interface-level state the
/// kernel reports to routers (IGMPv3/MLDv2), worked out from the counts
/// Linux exports, and those counts.
struct group_filter {
  std::uint32_t index = 0;         ///< the interface's index
  core::ip_address group{};        ///< the group
  filter_mode mode = filter_mode::unknown;  ///< the interface's mode
  /// The interface-level source list of `mode`: for INCLUDE the union of
  /// the sockets' lists, for EXCLUDE the sources every EXCLUDE socket lists
  /// and no INCLUDE socket wants. Empty with `sources_known` false when the
  /// counts do not tell.
  std::vector<core::ip_address> sources{};
  bool sources_known = false;  ///< whether `sources` is the kernel's list
  std::vector<filter_source> counts{};  ///< every source the kernel lists for the group
  /// Whether /proc/net/mcfilter(6) could list the group's sources. Linux
  /// skips, in that listing, the groups of every interface before the first
  /// one whose latest-joined group has sources (but for each interface's
  /// latest-joined group): for those, `mode` is unknown and `counts` empty.
  bool listed = true;

  /// The state from the group's `users` (the sockets and kernel users that
  /// joined it, from /proc/net/igmp or igmp6) and its sources' counts. Linux
  /// does not export how many sockets are in each mode, so this reasons from
  /// what it does export: an INCLUDE socket lists at least one source, and
  /// each joining socket is one user.
  /// - No source included anywhere: every user is in EXCLUDE mode; the
  ///   sources are those all `users` exclude (none for any-source joins).
  /// - Sources included, none excluded: INCLUDE when `users` is at most the
  ///   largest include count (every user includes something), EXCLUDE {}
  ///   when `users` is above the sum of the include counts (some user lists
  ///   nothing: an any-source join); otherwise unknown.
  /// - Sources both included and excluded: EXCLUDE, its source list
  ///   unknown.
  [[nodiscard]] static group_filter of(std::uint32_t index, const core::ip_address& group, std::uint32_t users,
                                       std::vector<filter_source> counts);
  /// "include", "exclude" or "unknown".
  [[nodiscard]] static const char* mode_name(filter_mode m) noexcept;
  /// Equal when every field is.
  friend bool operator==(const group_filter&, const group_filter&) = default;
};

}  // namespace mcnet::netlink
