// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The mcnet authors
#pragma once

/// @file
/// Reading the kernel's interface state over rtnetlink: one consistent
/// snapshot, or targeted lookups that never walk everything. Calls work in
/// the calling thread's network namespace (see `in_namespace` for another
/// one), over a NETLINK_ROUTE socket kept per thread and reopened when the
/// thread has moved to another namespace.

#include <mcnet/core/cxx20.hpp>  // first: C++20 or one clear error

#include <cstdint>
#include <string_view>
#include <vector>

#include <mcnet/core/error.hpp>
#include <mcnet/netlink/types.hpp>

namespace mcnet::netlink {

/// Where joined groups come from.
enum class group_source : std::uint8_t {
  automatic,  ///< RTM_GETMULTICAST where the kernel answers (probed), else /proc
  proc,       ///< /proc/thread-self/net/igmp and igmp6 (gives `users`)
};

/// What take_snapshot reads besides links and addresses, and how.
struct snapshot_options {
  bool groups = true;  ///< read the joined groups of both families (false: links and addresses only)
  group_source groups_from = group_source::automatic;  ///< where the groups come from
  unsigned retries = 3;  ///< NLM_F_DUMP_INTR: redo the dumps this many times
};

/// Links, addresses and joined groups of both families.
struct snapshot {
  std::vector<link> links{};         ///< every interface (RTM_GETLINK dump)
  std::vector<address> addresses{};  ///< every address of both families (RTM_GETADDR dump)
  std::vector<group> groups{};       ///< joined groups of both families, when snapshot_options::groups
  /// False when the tables kept changing during every retry (NLM_F_DUMP_INTR).
  bool consistent = true;
  /// Whether the IPv4 groups came from RTM_GETMULTICAST (false: /proc).
  bool ipv4_groups_from_netlink = false;

  /// The link with index `index`; null when none has it.
  [[nodiscard]] const link* link_by_index(std::uint32_t index) const noexcept;
  /// The link named `name` (its name or one of its alternative names); null when none.
  [[nodiscard]] const link* link_by_name(std::string_view name) const noexcept;
};

/// One picture of everything: RTM_GETLINK and RTM_GETADDR dumps, and the
/// groups (`options.groups`). Errors: the kernel's errno from an NLMSG_ERROR
/// (system category); libnl's failures as NLE_* in the libnl category.
[[nodiscard]] result<snapshot> take_snapshot(const snapshot_options& options = {});

/// RTM_GETLINK for one index. Errors: errc::no_such_interface.
[[nodiscard]] result<link> link_by_index(std::uint32_t index);
/// RTM_GETLINK by name or alternative name (IFLA_ALT_IFNAME for names
/// longer than 15 bytes). Errors: errc::no_such_interface.
[[nodiscard]] result<link> link_by_name(std::string_view name);
/// The addresses of one interface (a strict-check filtered dump where the
/// kernel supports it, else a full dump filtered here).
[[nodiscard]] result<std::vector<address>> addresses_of(std::uint32_t index);
/// The groups joined on one interface, both families.
[[nodiscard]] result<std::vector<group>> groups_of(std::uint32_t index, group_source from = group_source::automatic);

/// The source filter of every group joined on any interface (both
/// families), from /proc/thread-self/net/igmp, igmp6 (users), mcfilter and
/// mcfilter6 (per-source counts) of the calling thread's network namespace;
/// see group_filter::of for what the counts tell, and group_filter::listed
/// for what Linux leaves out of mcfilter (those groups come with mode
/// unknown). The order is /proc/net/igmp's, then igmp6's. Groups the kernel joined
/// for itself (224.0.0.1, ff02::1) are in it as any-source joins. Errors:
/// ENOENT (system category, op "open") when /proc/thread-self/net/igmp cannot
/// be read (no /proc mounted).
[[nodiscard]] result<std::vector<group_filter>> group_filters();

}  // namespace mcnet::netlink
