// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The mcnet authors
#include "parse.hpp"
#include "rtnl.hpp"  // constants newer than these headers

#include <linux/if_addr.h>
#include <linux/if_link.h>
#include <linux/rtnetlink.h>
#include <net/if.h>
#include <netlink/attr.h>
#include <netlink/msg.h>

#include <algorithm>
#include <array>
#include <cstring>

namespace mcnet::netlink::detail {
namespace {

nlmsghdr* mutable_header(const nlmsghdr& h) { return const_cast<nlmsghdr*>(&h); }  // libnl takes non-const

std::string string_of(nlattr* a) {
  const auto* s = static_cast<const char*>(nla_data(a));
  return {s, ::strnlen(s, static_cast<std::size_t>(nla_len(a)))};
}

core::ip_address address_of(nlattr* a, int family, std::uint32_t scope_index) {
  std::array<std::uint8_t, 16> b{};
  if (family == AF_INET && nla_len(a) >= 4) {
    std::memcpy(b.data(), nla_data(a), 4);
    return core::ip_address::v4_bytes({b[0], b[1], b[2], b[3]});
  }
  if (family == AF_INET6 && nla_len(a) >= 16) {
    std::memcpy(b.data(), nla_data(a), 16);
    auto v6 = core::ip_address::v6_bytes(b);
    // Link-local addresses and groups need their interface to be usable.
    if (v6.is_link_local_unicast() || v6.is_link_local_multicast() || v6.is_interface_local_multicast()) {
      v6 = v6.with_scope_id(scope_index);
    }
    return v6;
  }
  return {};
}

}  // namespace

std::optional<link> parse_link(const nlmsghdr& h) {
  if (h.nlmsg_type != RTM_NEWLINK) return std::nullopt;
  std::array<nlattr*, IFLA_MAX + 1> tb{};
  if (nlmsg_parse(mutable_header(h), sizeof(ifinfomsg), tb.data(), IFLA_MAX, nullptr) < 0) return std::nullopt;
  ifinfomsg ifi{};
  std::memcpy(&ifi, NLMSG_DATA(&h), sizeof ifi);
  link l;
  l.index = static_cast<std::uint32_t>(ifi.ifi_index);
  l.flags = ifi.ifi_flags;
  l.link_type = ifi.ifi_type;
  if (tb[IFLA_IFNAME]) l.name = string_of(tb[IFLA_IFNAME]);
  if (tb[IFLA_MTU]) l.mtu = nla_get_u32(tb[IFLA_MTU]);
  if (tb[IFLA_OPERSTATE]) l.operstate = static_cast<oper_state>(nla_get_u8(tb[IFLA_OPERSTATE]));
  if (tb[IFLA_MASTER]) l.master = nla_get_u32(tb[IFLA_MASTER]);
  if (tb[IFLA_ADDRESS]) {
    const auto n = std::min<std::size_t>(static_cast<std::size_t>(nla_len(tb[IFLA_ADDRESS])), l.hardware_address.size());
    std::memcpy(l.hardware_address.data(), nla_data(tb[IFLA_ADDRESS]), n);
    l.hardware_address_length = static_cast<std::uint8_t>(n);
  }
  if (tb[IFLA_LINK]) {
    const auto parent = nla_get_u32(tb[IFLA_LINK]);
    if (parent != 0) l.parent = parent;
  }
  if (tb[IFLA_LINK_NETNSID]) l.parent_netns_id = static_cast<std::int32_t>(nla_get_s32(tb[IFLA_LINK_NETNSID]));
  if (tb[IFLA_LINKINFO]) {
    std::array<nlattr*, IFLA_INFO_MAX + 1> info{};
    if (nla_parse_nested(info.data(), IFLA_INFO_MAX, tb[IFLA_LINKINFO], nullptr) == 0 && info[IFLA_INFO_KIND]) {
      l.kind = string_of(info[IFLA_INFO_KIND]);
    }
  }
  if (tb[IFLA_PROP_LIST]) {
    nlattr* a = nullptr;
    int rem = 0;
    nla_for_each_nested(a, tb[IFLA_PROP_LIST], rem) {
      if (nla_type(a) == IFLA_ALT_IFNAME) l.alt_names.push_back(string_of(a));
    }
  }
  return l;
}

std::optional<address> parse_address(const nlmsghdr& h) {
  if (h.nlmsg_type != RTM_NEWADDR) return std::nullopt;
  std::array<nlattr*, IFA_MAX + 1> tb{};
  if (nlmsg_parse(mutable_header(h), sizeof(ifaddrmsg), tb.data(), IFA_MAX, nullptr) < 0) return std::nullopt;
  ifaddrmsg ifa{};
  std::memcpy(&ifa, NLMSG_DATA(&h), sizeof ifa);
  address a;
  a.index = ifa.ifa_index;
  a.prefix_length = ifa.ifa_prefixlen;
  a.scope = ifa.ifa_scope;
  a.flags = tb[IFA_FLAGS] ? nla_get_u32(tb[IFA_FLAGS]) : ifa.ifa_flags;
  // IPv4: IFA_LOCAL is the address, IFA_ADDRESS the peer (equal unless
  // point-to-point). IPv6: IFA_ADDRESS, with IFA_LOCAL only for peers.
  nlattr* local = tb[IFA_LOCAL] ? tb[IFA_LOCAL] : tb[IFA_ADDRESS];
  if (local == nullptr) return std::nullopt;
  a.local = address_of(local, ifa.ifa_family, a.index);
  if (tb[IFA_LOCAL] && tb[IFA_ADDRESS]) {
    auto other = address_of(tb[IFA_ADDRESS], ifa.ifa_family, a.index);
    if (other != a.local) a.peer = other;
  }
  if (tb[IFA_BROADCAST]) a.broadcast = address_of(tb[IFA_BROADCAST], ifa.ifa_family, 0);
  if (tb[IFA_LABEL]) a.label = string_of(tb[IFA_LABEL]);
  if (tb[IFA_CACHEINFO] && nla_len(tb[IFA_CACHEINFO]) >= static_cast<int>(sizeof(ifa_cacheinfo))) {
    ifa_cacheinfo ci{};
    std::memcpy(&ci, nla_data(tb[IFA_CACHEINFO]), sizeof ci);
    a.preferred_lifetime = ci.ifa_prefered;
    a.valid_lifetime = ci.ifa_valid;
  }
  return a;
}

std::optional<group> parse_group(const nlmsghdr& h) {
  // Linux answers RTM_GETMULTICAST dumps with messages of that type (58);
  // notifications since 6.13 are RTM_NEWMULTICAST.
  if (h.nlmsg_type != RTM_GETMULTICAST && h.nlmsg_type != RTM_NEWMULTICAST) return std::nullopt;
  std::array<nlattr*, IFA_MAX + 1> tb{};
  if (nlmsg_parse(mutable_header(h), sizeof(ifaddrmsg), tb.data(), IFA_MAX, nullptr) < 0) return std::nullopt;
  ifaddrmsg ifa{};
  std::memcpy(&ifa, NLMSG_DATA(&h), sizeof ifa);
  if (!tb[IFA_MULTICAST]) return std::nullopt;
  group g;
  g.index = ifa.ifa_index;
  g.address = address_of(tb[IFA_MULTICAST], ifa.ifa_family, 0);
  return g;
}

}  // namespace mcnet::netlink::detail
