// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The mcnet authors
//
// rtnetlink messages to plain values. libnl validates (nlmsg_valid_hdr for
// the fixed part, nla_ok for every attribute); the values are picked in one
// pass with a switch, filling the value in place. libnl's nlmsg_parse (a
// table of every attribute type cleared and filled per message) made a
// snapshot 1.19-1.26x a raw dump; this walk keeps it near 1.1x
// (docs/performance.md).
#include "parse.hpp"
#include "transport.hpp"  // constants newer than these headers

#include <linux/if_addr.h>
#include <linux/fib_rules.h>
#include <linux/if_link.h>
#include <linux/netconf.h>
#include <linux/netlink.h>
#include <linux/rtnetlink.h>
#include <net/if.h>

#include <netlink/attr.h>
#include <netlink/msg.h>

#include <algorithm>
#include <array>
#include <cstring>

namespace mcnet::netlink::detail {
namespace {

// Every attribute in `length` bytes at `head`: libnl's nla_ok checks each
// one's bounds before it is read. The step to the next is nla_next's
// arithmetic written inline: calling nla_next too (nla_for_each_attr) cost
// 1-4 % of a snapshot at 10-2000 veth pairs (bench/netlink_bench.cpp; see
// docs/performance.md).
inline const nlattr* next_attribute(const nlattr* a, int& left) {
  const int step = NLA_ALIGN(a->nla_len);
  left -= step;
  return reinterpret_cast<const nlattr*>(reinterpret_cast<const std::byte*>(a) + step);
}

template <class F>
void for_each_attribute(const nlattr* head, int length, F&& f) {
  for (const nlattr* a = head; nla_ok(a, length); a = next_attribute(a, length)) f(*a);
}

// A message's payload and the attributes after its fixed header `Fixed`:
// libnl's nlmsg_data/nlmsg_attrdata/nlmsg_attrlen arithmetic written inline
// (three calls per message otherwise). Callers have checked the message
// with nlmsg_valid_hdr, so its length covers the fixed header.
const void* payload_of(const nlmsghdr& h) { return reinterpret_cast<const std::byte*>(&h) + NLMSG_HDRLEN; }

template <class Fixed, class F>
void for_each_attribute(const nlmsghdr& h, F&& f) {
  constexpr int fixed = NLMSG_ALIGN(sizeof(Fixed));
  const auto* head = reinterpret_cast<const nlattr*>(static_cast<const std::byte*>(payload_of(h)) + fixed);
  for_each_attribute(head, static_cast<int>(h.nlmsg_len) - NLMSG_HDRLEN - fixed, std::forward<F>(f));
}

// libnl's nla_type/nla_data/nla_len written inline, for the same reason: as
// calls into libnl they would add three more calls per attribute.
int type_of(const nlattr& a) { return a.nla_type & NLA_TYPE_MASK; }  // nested attributes carry NLA_F_NESTED
const void* data_of(const nlattr& a) { return reinterpret_cast<const std::byte*>(&a) + NLA_HDRLEN; }
std::size_t length_of(const nlattr& a) { return a.nla_len - NLA_HDRLEN; }  // nla_ok checked nla_len >= NLA_HDRLEN

std::span<const std::byte> payload(const nlattr& a) { return {static_cast<const std::byte*>(data_of(a)), length_of(a)}; }

const nlattr* nested(const nlattr& a) { return static_cast<const nlattr*>(data_of(a)); }
int nested_length(const nlattr& a) { return static_cast<int>(length_of(a)); }

std::string text(const nlattr& a) {
  const auto p = payload(a);
  const auto* c = reinterpret_cast<const char*>(p.data());
  return {c, ::strnlen(c, p.size())};
}

template <class T>
T scalar(const nlattr& a) {
  T v{};
  std::memcpy(&v, data_of(a), std::min<std::size_t>(sizeof v, length_of(a)));
  return v;
}

template <class T>
T fixed_part(const nlmsghdr& h) {
  T v{};
  std::memcpy(&v, payload_of(h), sizeof v);
  return v;
}

// An address attribute's value, written into `out`; link-local unicast and
// link- or interface-local multicast IPv6 addresses take `scope_index` as
// their scope id. The value is built once, in place: copying a first value
// with another scope id (with_scope_id), then the returned one into the
// caller's field, made narrow stores followed by wider loads of the same
// bytes, store-forwarding stalls that cost about 2 % of a 10-pair snapshot
// with groups (perf annotate).
void address_into(core::ip_address& out, const nlattr& a, int family, std::uint32_t scope_index) {
  const auto p = payload(a);
  if (family == AF_INET && p.size() >= 4) {
    std::array<std::uint8_t, 4> b;
    std::memcpy(b.data(), p.data(), b.size());
    out = core::ip_address::v4_bytes(b);
    return;
  }
  if (family == AF_INET6 && p.size() >= 16) {
    std::array<std::uint8_t, 16> b;
    std::memcpy(b.data(), p.data(), b.size());
    const auto plain = core::ip_address::v6_bytes(b);  // only classified
    const bool scoped =
        plain.is_link_local_unicast() || plain.is_link_local_multicast() || plain.is_interface_local_multicast();
    out = core::ip_address::v6_bytes(b, scoped ? scope_index : 0);
    return;
  }
  out = {};
}

}  // namespace

std::optional<link> parse_link(const nlmsghdr& h) {
  std::optional<link> l(std::in_place);
  if (!parse_link_into(h, *l)) return std::nullopt;
  return l;
}

link_move parse_link_move(const nlmsghdr& h) {
  link_move m;
  if (h.nlmsg_type != RTM_DELLINK || !nlmsg_valid_hdr(&h, sizeof(ifinfomsg))) return m;
  for_each_attribute<ifinfomsg>(h, [&](const nlattr& a) {
    switch (type_of(a)) {
      case IFLA_NEW_NETNSID: m.netns_id = scalar<std::int32_t>(a); break;
      case IFLA_NEW_IFINDEX: m.index = scalar<std::int32_t>(a); break;
      default: break;
    }
  });
  // An index without a namespace id tells nothing of a move.
  if (!m.netns_id) m.index.reset();
  return m;
}

std::optional<netconf> parse_netconf(const nlmsghdr& h) {
  if ((h.nlmsg_type != RTM_NEWNETCONF && h.nlmsg_type != RTM_DELNETCONF) || !nlmsg_valid_hdr(&h, sizeof(netconfmsg))) {
    return std::nullopt;
  }
  netconf c;
  c.family = fixed_part<netconfmsg>(h).ncm_family;
  bool indexed = false;
  for_each_attribute<netconfmsg>(h, [&](const nlattr& a) {
    switch (type_of(a)) {
      case NETCONFA_IFINDEX:
        c.index = scalar<std::int32_t>(a);
        indexed = true;
        break;
      case NETCONFA_RP_FILTER: c.rp_filter = scalar<std::int32_t>(a); break;
      case NETCONFA_FORWARDING: c.forwarding = scalar<std::int32_t>(a); break;
      case NETCONFA_MC_FORWARDING: c.mc_forwarding = scalar<std::int32_t>(a); break;
      case NETCONFA_PROXY_NEIGH: c.proxy_neighbour = scalar<std::int32_t>(a); break;
      case NETCONFA_IGNORE_ROUTES_WITH_LINKDOWN: c.ignore_routes_with_linkdown = scalar<std::int32_t>(a); break;
      default: break;
    }
  });
  if (!indexed) return std::nullopt;
  return c;
}

bool parse_link_into(const nlmsghdr& h, link& l) {
  if ((h.nlmsg_type != RTM_NEWLINK && h.nlmsg_type != RTM_DELLINK) || !nlmsg_valid_hdr(&h, sizeof(ifinfomsg))) {
    return false;
  }
  const auto ifi = fixed_part<ifinfomsg>(h);
  l.index = static_cast<std::uint32_t>(ifi.ifi_index);
  l.flags = ifi.ifi_flags;
  l.link_type = ifi.ifi_type;
  for_each_attribute<ifinfomsg>(h, [&](const nlattr& a) {
    switch (type_of(a)) {
      case IFLA_IFNAME: l.name = text(a); break;
      case IFLA_MTU: l.mtu = scalar<std::uint32_t>(a); break;
      case IFLA_MAX_MTU: l.max_mtu = scalar<std::uint32_t>(a); break;
      case IFLA_OPERSTATE: l.operstate = static_cast<oper_state>(scalar<std::uint8_t>(a)); break;
      case IFLA_MASTER: l.master = scalar<std::uint32_t>(a); break;
      case IFLA_ADDRESS: {
        const auto n = std::min<std::size_t>(length_of(a), l.hardware_address.size());
        std::memcpy(l.hardware_address.data(), data_of(a), n);
        l.hardware_address_length = static_cast<std::uint8_t>(n);
        break;
      }
      case IFLA_LINK:
        if (auto parent = scalar<std::uint32_t>(a); parent != 0) l.parent = parent;
        break;
      case IFLA_LINK_NETNSID: l.parent_netns_id = scalar<std::int32_t>(a); break;
      case IFLA_LINKINFO:
        for_each_attribute(nested(a), nested_length(a), [&](const nlattr& info) {
          if (type_of(info) == IFLA_INFO_KIND) l.kind = text(info);
        });
        break;
      case IFLA_PROP_LIST:
        for_each_attribute(nested(a), nested_length(a), [&](const nlattr& prop) {
          if (type_of(prop) == IFLA_ALT_IFNAME) l.alt_names.push_back(text(prop));
        });
        break;
      default: break;
    }
  });
  return true;
}

std::optional<address> parse_address(const nlmsghdr& h) {
  std::optional<address> a(std::in_place);
  if (!parse_address_into(h, *a)) return std::nullopt;
  return a;
}

bool parse_address_into(const nlmsghdr& h, address& a) {
  if ((h.nlmsg_type != RTM_NEWADDR && h.nlmsg_type != RTM_DELADDR) || !nlmsg_valid_hdr(&h, sizeof(ifaddrmsg))) {
    return false;
  }
  const auto ifa = fixed_part<ifaddrmsg>(h);
  a.index = ifa.ifa_index;
  a.prefix_length = ifa.ifa_prefixlen;  // 0 to 128
  a.scope = ifa.ifa_scope;
  a.flags = ifa.ifa_flags;
  const nlattr* local = nullptr;
  const nlattr* addr = nullptr;
  for_each_attribute<ifaddrmsg>(h, [&](const nlattr& at) {
    switch (type_of(at)) {
      case IFA_LOCAL: local = &at; break;
      case IFA_ADDRESS: addr = &at; break;
      case IFA_BROADCAST: address_into(a.broadcast, at, ifa.ifa_family, 0); break;
      case IFA_LABEL: {
        const auto n = std::min<std::size_t>(::strnlen(static_cast<const char*>(data_of(at)), length_of(at)),
                                             a.label.size() - 1);
        std::memcpy(a.label.data(), data_of(at), n);
        break;
      }
      case IFA_FLAGS: a.flags = scalar<std::uint32_t>(at); break;
      case IFA_CACHEINFO:
        if (length_of(at) >= sizeof(ifa_cacheinfo)) {
          ifa_cacheinfo ci{};
          std::memcpy(&ci, data_of(at), sizeof ci);
          a.preferred_lifetime = ci.ifa_prefered;
          a.valid_lifetime = ci.ifa_valid;
        }
        break;
      default: break;
    }
  });
  // IPv4: IFA_LOCAL is the address, IFA_ADDRESS the peer (equal unless
  // point-to-point). IPv6: IFA_ADDRESS, with IFA_LOCAL only for peers.
  const nlattr* mine = local != nullptr ? local : addr;
  if (mine == nullptr) return false;
  address_into(a.local, *mine, ifa.ifa_family, a.index);
  if (local != nullptr && addr != nullptr) {
    core::ip_address other;
    address_into(other, *addr, ifa.ifa_family, a.index);
    if (other != a.local) a.peer = other;
  }
  return true;
}

std::optional<group> parse_group(const nlmsghdr& h) {
  std::optional<group> g(std::in_place);
  if (!parse_group_into(h, *g)) return std::nullopt;
  return g;
}

bool parse_group_into(const nlmsghdr& h, group& g) {
  // Linux answers RTM_GETMULTICAST dumps with messages of that type (58);
  // notifications since 6.13 are RTM_NEWMULTICAST and RTM_DELMULTICAST.
  if ((h.nlmsg_type != RTM_GETMULTICAST && h.nlmsg_type != RTM_NEWMULTICAST && h.nlmsg_type != RTM_DELMULTICAST) ||
      !nlmsg_valid_hdr(&h, sizeof(ifaddrmsg))) {
    return false;
  }
  const auto ifa = fixed_part<ifaddrmsg>(h);
  bool found = false;
  for_each_attribute<ifaddrmsg>(h, [&](const nlattr& a) {
    if (type_of(a) == IFA_MULTICAST) {
      g.index = ifa.ifa_index;
      address_into(g.address, a, ifa.ifa_family, ifa.ifa_index);
      found = true;
    }
  });
  return found;
}

bool parse_route_into(const nlmsghdr& h, route& r) {
  if (h.nlmsg_type != RTM_NEWROUTE || !nlmsg_valid_hdr(&h, sizeof(rtmsg))) return false;
  const auto rtm = fixed_part<rtmsg>(h);
  r.type = rtm.rtm_type;
  r.table = rtm.rtm_table;
  const nlattr* source = nullptr;
  const nlattr* gateway = nullptr;
  for_each_attribute<rtmsg>(h, [&](const nlattr& a) {
    switch (type_of(a)) {
      case RTA_OIF: r.iface.index = scalar<std::uint32_t>(a); break;
      case RTA_PREFSRC: source = &a; break;
      case RTA_GATEWAY: gateway = &a; break;
      case RTA_TABLE: r.table = scalar<std::uint32_t>(a); break;  // tables above 255 are only here
      case RTA_DST: address_into(r.destination.emplace(), a, rtm.rtm_family, 0); break;
      case RTA_MULTIPATH: {
        // A run of struct rtnexthop, each followed by its own attributes
        // (RTA_GATEWAY), rtnh_len covering both (rtnetlink(7)).
        const auto* at = static_cast<const std::byte*>(data_of(a));
        std::size_t left = length_of(a);
        while (left >= sizeof(rtnexthop)) {
          rtnexthop nh{};
          std::memcpy(&nh, at, sizeof nh);
          if (nh.rtnh_len < sizeof(rtnexthop) || nh.rtnh_len > left) break;
          route::nexthop hop;
          hop.iface.index = static_cast<std::uint32_t>(nh.rtnh_ifindex);
          hop.weight = static_cast<std::uint32_t>(nh.rtnh_hops) + 1;
          const int inner = static_cast<int>(nh.rtnh_len) - static_cast<int>(RTNH_ALIGN(sizeof(rtnexthop)));
          if (inner > 0) {
            for_each_attribute(reinterpret_cast<const nlattr*>(at + RTNH_ALIGN(sizeof(rtnexthop))), inner,
                               [&](const nlattr& g) {
                                 if (type_of(g) == RTA_GATEWAY) {
                                   address_into(hop.gateway.emplace(), g, rtm.rtm_family, hop.iface.index);
                                 }
                               });
          }
          r.nexthops.push_back(std::move(hop));
          const auto step = std::min<std::size_t>(RTNH_ALIGN(nh.rtnh_len), left);
          at += step;
          left -= step;
        }
        break;
      }
      default: break;
    }
  });
  r.prefix_length = rtm.rtm_dst_len;
  // A multipath entry (a fibmatch answer, a dump) has no RTA_OIF: its first path's.
  if (r.iface.index == 0 && !r.nexthops.empty()) {
    r.iface.index = r.nexthops.front().iface.index;
    if (gateway == nullptr && r.nexthops.front().gateway) r.gateway = r.nexthops.front().gateway;
  }
  // After the walk: a link-local gateway or source takes the output interface as its scope.
  if (source != nullptr) address_into(r.preferred_source.emplace(), *source, rtm.rtm_family, r.iface.index);
  if (gateway != nullptr) address_into(r.gateway.emplace(), *gateway, rtm.rtm_family, r.iface.index);
  return true;
}

bool parse_rule_into(const nlmsghdr& h, rule& r) {
  if (h.nlmsg_type != RTM_NEWRULE || !nlmsg_valid_hdr(&h, sizeof(fib_rule_hdr))) return false;
  const auto frh = fixed_part<fib_rule_hdr>(h);
  r = rule{};
  r.action = frh.action;
  r.table = frh.table;
  r.destination_length = frh.dst_len;
  r.source_length = frh.src_len;
  r.invert = (frh.flags & FIB_RULE_INVERT) != 0;
  r.other_selectors = frh.tos != 0;
  for_each_attribute<fib_rule_hdr>(h, [&](const nlattr& a) {
    switch (type_of(a)) {
      case FRA_PRIORITY: r.priority = scalar<std::uint32_t>(a); break;
      case FRA_TABLE: r.table = scalar<std::uint32_t>(a); break;
      case FRA_DST: address_into(r.destination.emplace(), a, frh.family, 0); break;
      case FRA_SRC: address_into(r.source.emplace(), a, frh.family, 0); break;
      case FRA_IIFNAME:
        r.input_interface = true;
        r.input_interface_name = text(a);
        break;
      case FRA_OIFNAME:
        r.output_interface = true;
        r.output_interface_name = text(a);
        break;
      case FRA_GOTO: r.goto_priority = scalar<std::uint32_t>(a); break;
      case FRA_FWMARK: r.mark = scalar<std::uint32_t>(a); break;
      case FRA_FWMASK: r.mark_mask = scalar<std::uint32_t>(a); break;
      case FRA_SUPPRESS_PREFIXLEN: r.suppress_prefix_length = scalar<std::int32_t>(a); break;
      case FRA_UID_RANGE:
      case FRA_IP_PROTO:
      case FRA_SPORT_RANGE:
      case FRA_DPORT_RANGE:
      case FRA_L3MDEV:
      case FRA_TUN_ID: r.other_selectors = true; break;
      default: break;
    }
  });
  // A mark without a mask matches it exactly.
  if (r.mark != 0 && r.mark_mask == 0) r.mark_mask = 0xffffffff;
  return true;
}

}  // namespace mcnet::netlink::detail
