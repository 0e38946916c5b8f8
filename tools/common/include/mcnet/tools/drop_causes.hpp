// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The mcnet authors
#pragma once

/// @file
/// Why the kernel dropped datagrams, by the counters it keeps per network
/// namespace (what `nstat` reads): Udp and Udp6 InErrors, RcvbufErrors
/// (a full receive queue) and InCsumErrors (a bad UDP checksum), and
/// TcpExtIPReversePathFilter (IPv4 reverse-path filtering, ip-sysctl.rst
/// `rp_filter`). mcast-recv reports their change over a run by cause
/// (docs/tools.md, "Checks in every run"), the doctor over --listen. A
/// counter that cannot be read is unmeasured (none), never 0.

#include <compare>
#include <cstdint>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include <mcnet/netlink/watcher.hpp>

namespace mcnet::tools {

/// One change of an IPv4 rp_filter a netconf notification told of
/// (rp_filter_changed()); drop_counters::add_rp_changed() takes those of a
/// span.
struct rp_filter_change {
  /// Whose value changed.
  enum class scope : std::uint8_t {
    interface,  ///< one interface's own (conf/IFACE): `name`
    all,        ///< conf/all's: the kernel applies max(conf/all, conf/IFACE)
    defaults,   ///< conf/default's: also every interface's own value never written
  };
  scope where = scope::interface;
  /// scope::interface: the interface's name (the watcher's for its index;
  /// "index N" when it no longer has it); empty for the others.
  std::string name{};
  /// The new value: 0 off, 1 strict, 2 loose.
  int value = 0;
  /// Ordered (and equal) by scope, name, value.
  friend auto operator<=>(const rp_filter_change&, const rp_filter_change&) = default;
};

/// The counters at one moment, or (since()) their change over a span.
struct drop_counters {
  std::optional<std::uint64_t> reverse_path;    ///< TcpExt IPReversePathFilter (/proc/net/netstat; IPv4 only)
  std::optional<std::uint64_t> udp_in_errors;   ///< Udp InErrors (/proc/net/snmp): every UDP input error
  std::optional<std::uint64_t> udp_rcvbuf;      ///< Udp RcvbufErrors: a full receive queue
  std::optional<std::uint64_t> udp_csum;        ///< Udp InCsumErrors: a bad checksum
  std::optional<std::uint64_t> udp6_in_errors;  ///< Udp6InErrors (/proc/net/snmp6)
  std::optional<std::uint64_t> udp6_rcvbuf;     ///< Udp6RcvbufErrors
  std::optional<std::uint64_t> udp6_csum;       ///< Udp6InCsumErrors
  /// Udp IgnoredMulti: multicast datagrams of a group joined here that no
  /// socket is bound to the port of (no drop of a socket: a wrong port)
  std::optional<std::uint64_t> udp_ignored_multi;
  std::optional<std::uint64_t> udp6_ignored_multi;  ///< Udp6IgnoredMulti
  /// The packets each interface received, by name (/proc/net/dev; since():
  /// those of both readings): a run's reverse-path drops are its joins'
  /// when the other interfaces where the filter is on received fewer
  /// packets than were dropped (trial t15z).
  std::map<std::string, std::uint64_t> rx_packets{};
  /// Of those, the multicast packets each interface counted (/proc/net/dev:
  /// RX multicast; 0 where the driver counts none, as veth). Not taken off
  /// the reverse-path bound: every IPv4 interface has 224.0.0.1 joined, so
  /// the filter checks its multicast too (trial t15q2 H1).
  std::map<std::string, std::uint64_t> rx_multicast{};
  /// Each interface's own receive drops, by name (/proc/net/dev: RX drop; a
  /// veth counts a frame past its MTU there) and receive errors (errs,
  /// fifo and frame: a NIC's length and overrun errors): frames the
  /// interface dropped before IP, which no other counter here sees
  /// (trial t15s H2: a run's verdict left the MTU a suspect).
  std::map<std::string, std::uint64_t> rx_dropped{};
  std::map<std::string, std::uint64_t> rx_errors{};
  /// Each interface's index at the reading (if_nametoindex), by name: a name
  /// whose index differs between two readings is another link, made anew
  /// (deleted and re-created; its counters start again at 0). since()
  /// counts such a link's packets, drops and errors from its creation, not
  /// as the difference with the old link's (trial t15t M1: "RX dropped 18"
  /// when the new link dropped 150, old 132); the old link's last counts,
  /// until it went, are not known here. Absent: not read (then by name).
  std::map<std::string, std::uint32_t> rx_index{};
  /// since(): the interfaces made anew between the two readings, by name.
  std::set<std::string> rx_recreated{};
  /// since(): the interfaces present at the first reading (by name and
  /// index) whose packets over the span are not known: gone at the second
  /// (deleted, or moved to another namespace), made anew (another index:
  /// the old link's last counts are lost), or with RX packets gone back
  /// (trial t15r2 H2: the reverse-path bound lost c0's and mvc's packets,
  /// deleted mid-run, and blamed an innocent join interface definitely).
  /// Interfaces made during the span are not here: counted from 0.
  std::set<std::string> rx_vanished{};
  /// Each interface's effective rp_filter (max(conf/all, conf/IFACE)) at
  /// the reading, by name (since(): the second reading's).
  std::map<std::string, int> rp_filter{};
  /// since(): the interfaces present at both readings (same index) whose
  /// effective rp_filter differs between them (conf/IFACE or conf/all
  /// changed during the span): which drops they took is not known, so they
  /// are in rx_vanished too (trial t15r3 H3: c0 and mvc strict at the start
  /// took every drop, off at the end, and the bound left them out).
  std::set<std::string> rx_rp_changed{};
  /// since(): the interfaces renamed during the span (same index, counters
  /// kept), new name to old: counted as one interface (trial t15r3 L1).
  std::map<std::string, std::string> rx_renamed{};
  /// Add `gone` (interfaces deleted or moved out of the namespace during
  /// the span, by a netlink watcher: also those made within it, which
  /// neither reading sees) to rx_vanished (trial t15r3 H3).
  void add_gone(const std::set<std::string>& gone);
  /// In rx_vanished (add_gone() of a set holding it): the link events of the
  /// span were lost, as the watcher could not be opened or read, or its
  /// queue overflowed (ENOBUFS: it dumped the links again, and a link made
  /// and deleted meanwhile is in neither dump), so an interface may have
  /// come and gone unseen: the bound is not known for any join interface
  /// (unknown_interfaces_clause() says "link events were lost"). No
  /// interface has this name: a name holds no space.
  static constexpr std::string_view link_events_lost = "(link events lost)";
  /// Add the interfaces of `changed` (the rp_filter changes netconf
  /// notifications told of during the span, rp_filter_changed()) to
  /// rx_rp_changed and rx_vanished (one already there keeps its reason:
  /// deleted, moved away, made anew): which drops they took is not known,
  /// even when the value is back at the span's end (trial t15r4 H3b: c0
  /// and mvc turned strict and off again within the run took every drop,
  /// the two readings agreed, and an innocent join interface was blamed).
  /// An interface's own change names it; conf/default's names each
  /// interface this reading knows (its value may be any of theirs that was
  /// never written); conf/all's each one whose own value is below the
  /// largest value conf/all took, or cannot be read (one at least that
  /// large kept max(all, own) all along: trial t15r5 L4).
  void add_rp_changed(const std::set<rp_filter_change>& changed);

  /// Which reading of a span: the first reads the interfaces' RX counters
  /// (/proc/net/dev) before the drop counters, the last one after them, so
  /// that a datagram arriving between the two reads counts in the RX
  /// packets' rise whenever it counts in the drops' (a datagram is counted
  /// in its interface's RX before the kernel drops it).
  enum class reading { first, last };
  /// The calling thread's network namespace's counters now (a single
  /// snapshot: either order).
  [[nodiscard]] static drop_counters read(reading which = reading::last);
  /// The change from `before` to these, per counter: none where either
  /// reading is none; 0 where a counter went back (it never does, short of a
  /// namespace's counters being reset). An interface's: its counts now
  /// where its index changed (rx_index: a link made anew, counted from its
  /// creation; named in rx_recreated).
  [[nodiscard]] drop_counters since(const drop_counters& before) const;
};

/// What the wording of the reverse-path bound says of a span's interfaces,
/// from its drop_counters::since(): those whose rp_filter changed
/// (rx_rp_changed) and those renamed (rx_renamed, new name to old). Passed
/// to the wording with the span, never kept process-wide (a doctor and a
/// run, or two spans, in one process do not mix theirs).
struct span_notes {
  std::set<std::string> rp_changed{};
  std::map<std::string, std::string> renamed{};
  /// `span`'s (a since()).
  [[nodiscard]] static span_notes of(const drop_counters& span) { return {span.rx_rp_changed, span.rx_renamed}; }
  /// The name `name` had at the span's start when it was renamed during it
  /// (trial t15r3 L1: said "mvc (renamed mvz)"); else empty.
  [[nodiscard]] std::string renamed_from(const std::string& name) const;
};
/// The IPv4 rp_filter change event `e` tells of: an interface's (named by
/// `state`'s name for its index; "index N" when the watcher no longer has
/// it), conf/all's or conf/default's, with the new value; nullopt when `e`
/// is no such change: another kind of event, IPv6 (no rp_filter), a
/// notification without rp_filter, or the announcement of an interface that
/// appeared (the kernel's RTM_NEWNETCONF with every setting, forwarding
/// among them: its value is the one it starts with, not a change).
[[nodiscard]] std::optional<rp_filter_change> rp_filter_changed(const netlink::event& e,
                                                                const netlink::snapshot& state);

/// Why the packets of `names` (drop_counters::rx_vanished, those other
/// than the join) over `during` are not known, as a clause: "c0 and mvc
/// were deleted, moved away or re-created during the run: the packets they
/// received are not known"; drop_counters::link_events_lost in `names`:
/// "link events were lost during the run ..."; an interface whose rp_filter changed
/// (`notes`.rp_changed) is said so: "its rp_filter changed during the
/// run" (trial t15r3 H3).
[[nodiscard]] std::string unknown_interfaces_clause(const std::vector<std::string>& names, std::string_view during,
                                                    const span_notes& notes = {});

}  // namespace mcnet::tools
