// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The mcnet authors
//
// route_to: one RTM_GETROUTE (RTA_DST, RTA_SRC, RTA_OIF as given) over the
// thread's lookup transport, then one RTM_GETLINK for the output interface's
// name.

#include <mcnet/netlink/route.hpp>

#include <linux/fib_rules.h>
#include <linux/rtnetlink.h>

#include <algorithm>
#include <cerrno>
#include <optional>
#include <string_view>
#include <vector>

#include <mcnet/core/prefix.hpp>

#include <mcnet/netlink/query.hpp>

#include "parse.hpp"
#include "transport.hpp"

namespace mcnet::netlink {
namespace {

// What is missing, and the command that adds it. Generic: callers that take
// an interface option add their own wording.
std::string_view no_route_hint(const core::ip_address& destination) {
  if (destination.is_multicast()) {
    return destination.is_v4()
               ? "no route to the group: name an interface, or add a multicast route: ip route add 224.0.0.0/4 dev IFACE"
               : "no route to the group: name an interface, or add a multicast route: ip -6 route add ff00::/8 dev IFACE";
  }
  return destination.is_v4()
             ? "no route to the address: add one, or a default route: ip route add default via GATEWAY"
             : "no route to the address: add one, or a default route: ip -6 route add default via GATEWAY";
}

}  // namespace

namespace {

result<route> lookup(const core::ip_address& destination, const std::optional<core::ip_address>& source,
                     bool fib_match) {
  if (!destination.is_valid()) {
    return fail(error(errc::invalid_address, "RTM_GETROUTE", "route").with_hint("give an IPv4 or IPv6 address"));
  }
  if (source && (!source->is_valid() || source->is_v4() != destination.is_v4())) {
    return fail(error(source->is_valid() ? errc::family_mismatch : errc::invalid_address, "RTM_GETROUTE", "route")
                    .with_address(*source)
                    .with_hint("the source and the destination must both be IPv4 or both IPv6"));
  }
  auto s = detail::lookup_transport();
  if (!s) return fail(s.error());

  detail::request req(RTM_GETROUTE, 0);
  rtmsg rtm{};
  rtm.rtm_family = static_cast<std::uint8_t>(destination.is_v4() ? AF_INET : AF_INET6);
  rtm.rtm_dst_len = static_cast<std::uint8_t>(destination.bytes().size() * 8);  // a host route: 32 or 128
  // IPv4 names the table that held the route only when asked; IPv6 always
  // does, and its strict checking refuses this flag.
  if (destination.is_v4()) rtm.rtm_flags = RTM_F_LOOKUP_TABLE;
  // The matched table entry (its prefix) rather than the host route.
  if (fib_match) rtm.rtm_flags |= RTM_F_FIB_MATCH;
  if (source) rtm.rtm_src_len = rtm.rtm_dst_len;
  req.fixed(rtm);
  req.bytes(RTA_DST, destination.bytes().data(), destination.bytes().size());
  if (source) req.bytes(RTA_SRC, source->bytes().data(), source->bytes().size());
  if (destination.scope_id() != 0) req.u32(RTA_OIF, destination.scope_id());

  std::optional<route> found;
  auto t = (*s)->transact(req, [&](const nlmsghdr& h) {
    route r;
    if (detail::parse_route_into(h, r)) found = r;
  });
  if (!t) {
    const error e = t.error();
    const bool unreachable = e.code == std::errc::network_unreachable || e.code == std::errc::host_unreachable;
    // An unknown RTA_OIF is ENODEV for IPv4 but ENETUNREACH for IPv6: ask
    // whether the scope id's interface exists before blaming the routes.
    if ((unreachable || e.code == std::errc::no_such_device) && destination.scope_id() != 0) {
      if (auto l = link_by_index(destination.scope_id()); !l && l.error().code == errc::no_such_interface) {
        return fail(error(errc::no_such_interface, "RTM_GETROUTE", "route")
                        .with_address(destination)
                        .with_interface(destination.scope_id())
                        .with_hint("the scope id names no interface in this network namespace (see `ip link`)"));
      }
    }
    // With a source: when the destination has a route without it, the
    // source is what the kernel refused (not an address of this host).
    if ((unreachable || e.code == std::errc::invalid_argument) && source && route_to(destination)) {
      return fail(error(e.code, "RTM_GETROUTE", "route")
                      .with_address(*source)
                      .with_hint("no route from this source address: it is not an address of this host (see `ip addr`)"));
    }
    if (unreachable) {
      return fail(error(e.code, "RTM_GETROUTE", "route").with_address(destination).with_hint(no_route_hint(destination)));
    }
    error other = e;
    return fail(other.with_address(destination));
  }
  if (!found || found->iface.index == 0) {
    return fail(error::from_errno(ENETUNREACH, "RTM_GETROUTE", "route")
                    .with_address(destination)
                    .with_hint("the kernel's answer names no output interface"));
  }
  auto l = link_by_index(found->iface.index);
  if (!l) return fail(l.error());
  found->iface = l->ref();
  for (auto& hop : found->nexthops) {
    if (auto n = link_by_index(hop.iface.index)) hop.iface = n->ref();
  }
  return *found;
}

}  // namespace

result<route> route_to(const core::ip_address& destination, const std::optional<core::ip_address>& source) {
  return lookup(destination, source, false);
}

result<route> matched_route(const core::ip_address& destination) { return lookup(destination, std::nullopt, true); }

result<std::vector<route>> covering_routes(const core::ip_address& destination) {
  if (!destination.is_valid()) {
    return fail(error(errc::invalid_address, "RTM_GETROUTE", "route").with_hint("give an IPv4 or IPv6 address"));
  }
  auto s = detail::lookup_transport();
  if (!s) return fail(s.error());
  detail::request req(RTM_GETROUTE, NLM_F_DUMP);
  rtmsg rtm{};
  rtm.rtm_family = static_cast<std::uint8_t>(destination.is_v4() ? AF_INET : AF_INET6);
  req.fixed(rtm);
  const auto bare = destination.with_scope_id(0);
  std::vector<route> out;
  auto t = (*s)->transact(req, [&](const nlmsghdr& h) {
    route r;
    if (!detail::parse_route_into(h, r)) return;
    if (r.prefix_length != 0) {
      if (!r.destination || r.destination->is_v4() != bare.is_v4()) return;
      const auto p = core::prefix::make(r.destination->with_scope_id(0), r.prefix_length);
      if (!p || !p->contains(bare)) return;
    }
    out.push_back(r);
  });
  if (!t) {
    error e = t.error();
    return fail(e.with_address(destination));
  }
  std::ranges::stable_sort(out, [](const route& a, const route& b) { return a.prefix_length > b.prefix_length; });
  return out;
}

result<std::vector<rule>> rules(int family) {
  auto s = detail::lookup_transport();
  if (!s) return fail(s.error());
  detail::request req(RTM_GETRULE, NLM_F_DUMP);
  fib_rule_hdr frh{};
  frh.family = static_cast<std::uint8_t>(family);
  req.fixed(frh);
  std::vector<rule> out;
  auto t = (*s)->transact(req, [&](const nlmsghdr& h) {
    rule r;
    if (detail::parse_rule_into(h, r)) out.push_back(r);
  });
  if (!t) return fail(t.error());
  std::ranges::stable_sort(out, [](const rule& a, const rule& b) { return a.priority < b.priority; });
  return out;
}

}  // namespace mcnet::netlink
