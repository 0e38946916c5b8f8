// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The mcnet authors
#pragma once

/// @file
/// Which socket of mcast-recv takes which membership. The kernel limits what
/// one socket may hold: net.ipv4.igmp_max_memberships groups (IPv4), and per
/// group net.ipv4.igmp_max_msf / net.ipv6.mld_max_msf sources; everything
/// is also charged to net.core.optmem_max. mcast-recv opens one socket per
/// (family, port) and another whenever the next membership would not fit.
///
/// Include lists may be split over sockets (each socket passes its own
/// sources, and the union is what arrives); exclude lists may not (a source
/// blocked on one socket would still arrive on another), so an exclude list
/// longer than the msf limit is an error naming the sysctl. Any-source and
/// source-specific memberships of the same group, port and interface are an
/// error too: Linux would turn the any-source join into include mode.

#include <cstddef>
#include <cstdint>
#include <map>
#include <optional>
#include <tuple>
#include <vector>

#include <mcnet/core/error.hpp>
#include <mcnet/core/ip_address.hpp>
#include <mcnet/tools/group_spec.hpp>

namespace mcnet::tools {

struct socket_limits {
  std::size_t groups_v4 = 20;   ///< net.ipv4.igmp_max_memberships
  std::size_t sources_v4 = 10;  ///< net.ipv4.igmp_max_msf
  std::size_t groups_v6 = 0;    ///< no count limit in the kernel (optmem_max only): 0 = unlimited
  std::size_t sources_v6 = 64;  ///< net.ipv6.mld_max_msf

  /// The limits of the calling thread's network namespace, read from its
  /// sysctls (the kernel's defaults for any that cannot be read).
  /// net.ipv6.mld_max_msf is global and its file exists in the initial
  /// namespace only: elsewhere the default (64) is assumed, and when the
  /// real value is lower the kernel's ENOBUFS moves the source to another
  /// socket (socket_planner::refused).
  [[nodiscard]] static socket_limits read_live();
};

/// One membership to place: a group with at most one source (`S,G` and
/// `!S,G` specs give one each; several specs add sources).
struct join_request {
  core::ip_address group{};
  std::uint16_t port = 0;
  std::uint32_t interface_index = 0;  ///< 0: the kernel chooses
  filter mode = filter::any;
  std::optional<core::ip_address> source{};
};

struct placement {
  std::size_t socket = 0;     ///< index into the planner's sockets
  bool new_socket = false;    ///< the caller opens it first
  bool new_group = false;     ///< the group is not yet joined on that socket
  bool duplicate = false;     ///< already placed (same group, source and mode): nothing to do
};

class socket_planner {
 public:
  explicit socket_planner(socket_limits limits) : limits_(limits) {}

  /// Where `r` goes. Errors (nothing is recorded then): mixing any-source
  /// with include/exclude, or include with exclude, for one (group, port,
  /// interface) — std::errc::invalid_argument; an exclude list longer than the
  /// msf limit — errc::membership_limit, naming the sysctl.
  [[nodiscard]] result<placement> place(const join_request& r);

  /// The kernel refused the membership placed at `p` (ENOBUFS: optmem_max).
  /// Forget it; a new group marks that socket full for groups, a source marks
  /// that group's list on that socket full. The next place() of the same
  /// request chooses another socket. Returns false when moving cannot help:
  /// the socket held nothing else, or the list is an exclude list.
  bool refused(const join_request& r, const placement& p);

  struct socket_info {
    int family = 0;  ///< AF_INET or AF_INET6
    std::uint16_t port = 0;
    std::size_t groups = 0;
    bool full = false;
  };
  [[nodiscard]] const std::vector<socket_info>& sockets() const noexcept { return sockets_; }

 private:
  using group_key = std::tuple<core::ip_address, std::uint16_t, std::uint32_t>;  // group, port, interface
  struct list_state {
    std::size_t sources = 0;
    bool full = false;
  };
  struct group_state {
    filter mode = filter::any;
    std::vector<core::ip_address> sources;                // every source placed, for duplicates
    std::map<std::size_t, list_state> on_socket;          // socket -> its part of the list
  };

  [[nodiscard]] std::size_t group_limit(int family) const noexcept;
  [[nodiscard]] std::size_t source_limit(int family) const noexcept;
  // A socket of `family` and `port` with room for one more group; with `r`,
  // not one holding r's IPv6 group on another interface (holds_elsewhere).
  [[nodiscard]] std::optional<std::size_t> socket_with_room(int family, std::uint16_t port,
                                                            const join_request* r = nullptr) const;
  // Whether socket `sock` holds r's IPv6 group on another interface than
  // r's. Linux's IPv6 source filter check (inet6_mc_check) takes a socket's
  // first membership of a group whatever its interface, so a second one on
  // another interface there, with other sources, would pass nothing of its
  // own (trial15o F3: 'S1,[G]:P%a0' 'S2,[G]:P%b0' received S2 only). IPv4
  // matches the interface (ip_mc_sf_allow): never.
  [[nodiscard]] bool holds_elsewhere(std::size_t sock, const join_request& r) const;
  std::size_t open(int family, std::uint16_t port);

  socket_limits limits_;
  std::vector<socket_info> sockets_;
  std::size_t roomy_from_ = 0;  // sockets_ before it have no room for a group (place)
  std::map<group_key, group_state> groups_;
};

}  // namespace mcnet::tools
