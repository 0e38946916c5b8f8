// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The mcnet authors
#pragma once

/// @file
/// `watcher`: change events for links, addresses, interfaces' IP settings
/// (netconf: rp_filter, forwarding, ...) and (where the kernel notifies,
/// Linux 6.13+) joined groups, on a nonblocking descriptor for poll/epoll. It subscribes before its first dump, so nothing falls between
/// them; when notifications are lost (ENOBUFS) it dumps again and reports the
/// difference followed by a `resynced` event: its state is never stale.

#include <mcnet/core/cxx20.hpp>  // first: C++20 or one clear error

#include <cstdint>
#include <memory>
#include <optional>
#include <vector>

#include <mcnet/core/error.hpp>
#include <mcnet/netlink/query.hpp>

namespace mcnet::netlink {

namespace detail {
class transport;
}

/// Which fields of a link changed (bit set).
enum class link_change : std::uint32_t {
  none = 0,
  name = 1u << 0,
  mtu = 1u << 1,
  flags = 1u << 2,  ///< up/down, carrier, multicast, ...
  operstate = 1u << 3,
  hardware_address = 1u << 4,
  master = 1u << 5,
  alt_names = 1u << 6,
};
/// The union of two sets of changes.
[[nodiscard]] constexpr link_change operator|(link_change a, link_change b) noexcept {
  return static_cast<link_change>(static_cast<std::uint32_t>(a) | static_cast<std::uint32_t>(b));
}
/// Whether `set` has any bit of `f`.
[[nodiscard]] constexpr bool has(link_change set, link_change f) noexcept {
  return (static_cast<std::uint32_t>(set) & static_cast<std::uint32_t>(f)) != 0;
}

/// One change watcher::process saw: its kind and the object's new (or last) state.
struct event {
  /// What happened.
  enum class kind : std::uint8_t {
    link_added,
    link_changed,
    link_removed,
    address_added,
    address_changed,  ///< flags or lifetimes (tentative to usable, deprecated, ...)
    address_removed,
    group_joined,
    group_left,
    /// An interface's (or conf/all's, conf/default's) IP settings changed,
    /// or a new interface's were announced: `netconf_value`. Changes only:
    /// the snapshot holds no settings, and a `resynced` means changes of
    /// them may have been lost (the re-dump does not cover them).
    netconf_changed,
    resynced,  ///< notifications were lost; the events before it since the last call came from a fresh dump
  };
  kind what = kind::resynced;               ///< what happened
  link link_value{};                        ///< link events (for link_removed: the last state known)
  link_change changed = link_change::none;  ///< link_changed: which fields changed
  address address_value{};                  ///< address events
  group group_value{};                      ///< group events
  netconf netconf_value{};                  ///< netconf_changed
  /// link_removed of a link that was not deleted but moved to another
  /// network namespace (`ip link set DEV netns NS`): the kernel's
  /// RTM_DELLINK notification (rtnetlink(7)) of a move carries
  /// IFLA_NEW_NETNSID (linux/if_link.h, Linux 4.15+), the id this namespace
  /// has for the one the link went to (the kernel assigns one if there was
  /// none: `ip netns list-id`). Unset for a deletion, on older kernels, and
  /// for a link a re-dump found gone (`resynced`: a dump does not tell).
  std::optional<std::int32_t> moved_to_netns_id{};
  /// With moved_to_netns_id: the link's index in that namespace
  /// (IFLA_NEW_IFINDEX, Linux 4.16+; the same index unless it was taken there).
  std::optional<std::int32_t> moved_to_index{};
};

/// Change events for links, addresses and joined groups in one network namespace
/// (rtnetlink(7) notifications), keeping a snapshot that stays current; see the file comment.
class watcher {
 public:
  /// Take `other`'s sockets and state; `other`'s fd() is then -1.
  watcher(watcher&&) noexcept;
  /// Close this watcher's sockets and take `other`'s; `other`'s fd() is then -1.
  watcher& operator=(watcher&&) noexcept;
  watcher(const watcher&) = delete;
  watcher& operator=(const watcher&) = delete;
  ~watcher();

  /// Subscribe (RTNLGRP_LINK, RTNLGRP_IPV4_IFADDR, RTNLGRP_IPV6_IFADDR,
  /// RTNLGRP_IPV4_NETCONF, RTNLGRP_IPV6_NETCONF, and the group
  /// notifications where the kernel has them), then take the first
  /// snapshot. `receive_buffer` sizes the socket's queue in bytes (SO_RCVBUF,
  /// and SO_RCVBUFFORCE past net.core.rmem_max where permitted; small values
  /// overflow sooner, tests use that). Errors: libnl's NLE_* (opening,
  /// subscribing); those of take_snapshot.
  [[nodiscard]] static result<watcher> open(int receive_buffer = 1 << 20);
  /// As open(receive_buffer), with `groups` false: links and addresses
  /// only, no group notifications subscribed nor groups dumped (state()'s
  /// groups stay empty). A watcher opened before many joins then queues
  /// none of their notifications, which would overflow its queue and lose
  /// link events with them (mcast-recv opens its link watch so).
  [[nodiscard]] static result<watcher> open(int receive_buffer, bool groups);

  /// The descriptor to poll for POLLIN (nonblocking; owned by the watcher;
  /// -1 after the watcher was moved from).
  [[nodiscard]] int fd() const noexcept;
  /// Read every pending notification and return the events, in order.
  /// Never blocks. Lost notifications (ENOBUFS) are not an error: they end
  /// in a re-dump and `resynced`. Re-dumps run over a socket opened with the
  /// watcher, so they read the watcher's namespace whichever thread calls
  /// process(). (The /proc group fallback of kernels before 6.13 reads the
  /// calling thread's namespace.) Errors: a failed read (NLE_* from
  /// nl_recv), or those of the re-dump.
  [[nodiscard]] result<std::vector<event>> process();
  /// The state as of the last process(): what a fresh snapshot would show.
  [[nodiscard]] const snapshot& state() const noexcept { return state_; }
  /// Whether the kernel notifies group joins and leaves (Linux 6.13+).
  [[nodiscard]] bool groups_notified() const noexcept { return groups_notified_; }

 private:
  [[nodiscard]] result<void> resync(std::vector<event>& out);
  void apply_link(const link& l, std::vector<event>& out);
  // `moved`: the RTM_DELLINK's IFLA_NEW_NETNSID and IFLA_NEW_IFINDEX, when it has them.
  void remove_link(std::uint32_t index, std::vector<event>& out, std::optional<std::int32_t> moved_to_netns_id = {},
                   std::optional<std::int32_t> moved_to_index = {});
  void apply_address(const address& a, bool removed, std::vector<event>& out);
  void apply_group(const group& g, bool removed, std::vector<event>& out);

  watcher();

  std::unique_ptr<detail::transport> notices_;  // subscribed, nonblocking
  std::unique_ptr<detail::transport> dumper_;   // for re-dumps, in the watcher's namespace
  snapshot state_;
  bool groups_notified_ = false;
  bool groups_ = true;  // open(receive_buffer, groups)
};

}  // namespace mcnet::netlink
