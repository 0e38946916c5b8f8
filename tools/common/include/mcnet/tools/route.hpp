// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The mcnet authors
#pragma once

/// @file
/// Interfaces as the tools name them: what -i and %IFACE resolve to, and the
/// interface the kernel's route to a group goes out of (what both tools show
/// when no interface was given).

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <mcnet/core/interface.hpp>
#include <mcnet/core/ip_address.hpp>
#include <mcnet/netlink/query.hpp>
#include <mcnet/netlink/resolve.hpp>
#include <mcnet/tools/group_spec.hpp>
#include <mcnet/tools/output.hpp>

namespace mcnet::tools {

/// The interface the kernel sends to `group` on when a socket names none,
/// in the calling thread's network namespace: netlink::route_to, the
/// kernel's own route lookup (RTM_GETROUTE). With `source` (mcast-send's
/// `S,GROUP`), for a socket bound to it: IPv4 multicast then leaves from
/// the interface owning `source`. Index 0 (and an empty name) when there is
/// no route, `source` is not local, or the lookup fails: "unknown", which
/// the tools show as `?` in text and null in JSON. Sends nothing.
[[nodiscard]] core::interface_ref route_interface(const core::ip_address& group,
                                                  const std::optional<core::ip_address>& source = std::nullopt);

/// Which broadcast address of this host `a` is, by the IPv4 addresses of
/// `snap` (RTM_GETADDR): "the broadcast address of eth0's subnet
/// 10.77.0.0/24" for an address's IFA_BROADCAST, with " (all host bits
/// set)" for its subnet's all-ones host part when it has no IFA_BROADCAST
/// (the kernel adds a broadcast route for that one too, fib_add_ifaddr); a
/// /31 or /32 has none. Nothing for any other address (IPv6 has no
/// broadcast). Both tools refuse such a source (issue #16, trial t16t: the
/// link's directed broadcast as S was sent from and joined silently).
[[nodiscard]] std::optional<std::string> host_broadcast(const core::ip_address& a, const netlink::snapshot& snap);

/// The error message refusing `spec_text`, whose source `source` is a
/// broadcast address of this host by `snap` (host_broadcast), in the form
/// of the spec parser's source_not_unicast errors; nothing when it is not.
[[nodiscard]] std::optional<std::string> broadcast_source_refusal(std::string_view spec_text,
                                                                  const core::ip_address& source,
                                                                  const netlink::snapshot& snap);

/// broadcast_source_refusal() against this namespace's addresses, read
/// once (at the first IPv4 source) for every spec of a run: a snapshot that
/// fails to be taken refuses nothing (the join or bind says what is wrong).
class broadcast_source_check {
 public:
  [[nodiscard]] std::optional<std::string> operator()(std::string_view spec_text,
                                                      const std::optional<core::ip_address>& source);

 private:
  std::optional<result<netlink::snapshot>> snap_;
};

/// What turns -i / %IFACE text into an interface: netlink::resolve in the
/// tools; tests give their own.
using interface_resolver =
    std::function<tl::expected<netlink::resolved, netlink::resolve_failure>(std::string_view)>;

/// netlink::resolve, as an interface_resolver.
[[nodiscard]] interface_resolver netlink_resolver();

/// Who says that an interface lacks the MULTICAST flag: resolve_interface,
/// or the caller later, once per interface (mcast-send's start, through
/// multicast_flag_warnings, which also counts the groups going out of it).
enum class multicast_flag_warning { at_resolve, by_caller };

/// The interface `text` names (an -i value or a spec's %IFACE / zone),
/// through `resolve`; its warnings (down, no carrier, no MULTICAST unless
/// `flag` is by_caller) go to `out`. When it names none: the error is
/// printed after `context` ("-i eth9", "group spec \"239.1.1.1%eth9\""),
/// and exit 1 is returned; exit 4 when the lookup itself could not run
/// (its netlink socket refused: EMFILE, no descriptor left).
[[nodiscard]] tl::expected<core::interface_ref, int> resolve_interface(
    const interface_resolver& resolve, std::string_view text, std::string_view context, const reporter& out,
    multicast_flag_warning flag = multicast_flag_warning::at_resolve);

/// The interface `spec` names (its zone or %IFACE) as resolve_interface()
/// gives it. A zone and a %IFACE in different forms (a name and an index
/// or an address) must name the same interface: else exit 1, "the zone
/// and %interface name different interfaces" (trial t16x M7: eth0 and %2,
/// eth0's index, were refused unresolved).
[[nodiscard]] tl::expected<core::interface_ref, int> resolve_spec_interface(
    const interface_resolver& resolve, const group_spec& spec, std::string_view context, const reporter& out,
    multicast_flag_warning flag = multicast_flag_warning::at_resolve);

/// A no_multicast_flag warning of mcast-send: the message (stderr and the
/// event's), the interface (the event's `subject`), the command that fixes
/// it (none on the loopback, where the flag changes nothing) and a note.
struct flag_warning {
  std::string message;
  std::string subject;
  std::optional<std::string> fix;
  std::optional<std::string> note;
};

/// mcast-send's warnings for sending out of interfaces without
/// `IFF_MULTICAST` (lo, some tunnels): one per interface of `used` (the
/// interface of each group sent to, index 0 skipped) that lacks the flag in
/// a netlink snapshot of this namespace (RTM_GETLINK); none when the
/// snapshot fails. The kernel sends there anyway; the hosts behind such an
/// interface may not take multicast (netdevice(7)). The loopback, which
/// lacks the flag by default, delivers them to this host's receivers all
/// the same and to no other host: said so, with no fix (trial h16r 5:
/// `GROUP%lo` and `-i lo` went unsaid).
[[nodiscard]] std::vector<flag_warning> multicast_flag_warnings(const std::vector<core::interface_ref>& used);

/// multicast_flag_warnings(used), each to `out` as a warning (stderr, and a
/// JSON `warning` event of code `no_multicast_flag` with `subject`, `fix`
/// and `note`): mcast-send's, after its start event, a replay's too.
void warn_multicast_flags(const std::vector<core::interface_ref>& used, const reporter& out);

}  // namespace mcnet::tools
