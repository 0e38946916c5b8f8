// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The mcnet authors
#include "parse.hpp"
#include "rtnl.hpp"  // constants newer than these headers

#include <linux/if_addr.h>
#include <linux/if_link.h>
#include <linux/netlink.h>
#include <linux/rtnetlink.h>
#include <net/if.h>

#include <algorithm>
#include <array>
#include <cstring>

namespace mcnet::netlink::detail {
namespace {

// A walk over the attributes that picks only what a value needs: one pass,
// no table to clear per message (the snapshot parses thousands of them).
template <class F>
void for_each_attribute(const void* first, std::size_t length, F&& f) {
  auto* a = static_cast<const rtattr*>(first);
  auto left = static_cast<unsigned>(length);
  for (; RTA_OK(a, left); a = RTA_NEXT(a, left)) f(*a);
}

std::span<const std::byte> payload(const rtattr& a) {
  return {static_cast<const std::byte*>(RTA_DATA(&a)), RTA_PAYLOAD(&a)};
}

std::string text(const rtattr& a) {
  const auto p = payload(a);
  const auto* c = reinterpret_cast<const char*>(p.data());
  return {c, ::strnlen(c, p.size())};
}

template <class T>
T scalar(const rtattr& a) {
  T v{};
  std::memcpy(&v, RTA_DATA(&a), std::min<std::size_t>(sizeof v, RTA_PAYLOAD(&a)));
  return v;
}

core::ip_address address_from(const rtattr& a, int family, std::uint32_t scope_index) {
  const auto p = payload(a);
  std::array<std::uint8_t, 16> b{};
  if (family == AF_INET && p.size() >= 4) {
    std::memcpy(b.data(), p.data(), 4);
    return core::ip_address::v4_bytes({b[0], b[1], b[2], b[3]});
  }
  if (family == AF_INET6 && p.size() >= 16) {
    std::memcpy(b.data(), p.data(), 16);
    auto v6 = core::ip_address::v6_bytes(b);
    if (v6.is_link_local_unicast() || v6.is_link_local_multicast() || v6.is_interface_local_multicast()) {
      v6 = v6.with_scope_id(scope_index);
    }
    return v6;
  }
  return {};
}

}  // namespace

std::optional<link> parse_link(const nlmsghdr& h) {
  std::optional<link> l(std::in_place);
  if (!parse_link_into(h, *l)) return std::nullopt;
  return l;
}

bool parse_link_into(const nlmsghdr& h, link& l) {
  if (h.nlmsg_type != RTM_NEWLINK || h.nlmsg_len < NLMSG_LENGTH(sizeof(ifinfomsg))) return false;
  ifinfomsg ifi{};
  std::memcpy(&ifi, NLMSG_DATA(&h), sizeof ifi);
  l.index = static_cast<std::uint32_t>(ifi.ifi_index);
  l.flags = ifi.ifi_flags;
  l.link_type = ifi.ifi_type;
  for_each_attribute(IFLA_RTA(NLMSG_DATA(&h)), IFLA_PAYLOAD(&h), [&](const rtattr& a) {
    switch (a.rta_type & NLA_TYPE_MASK) {  // nested attributes carry NLA_F_NESTED
      case IFLA_IFNAME: l.name = text(a); break;
      case IFLA_MTU: l.mtu = scalar<std::uint32_t>(a); break;
      case IFLA_OPERSTATE: l.operstate = static_cast<oper_state>(scalar<std::uint8_t>(a)); break;
      case IFLA_MASTER: l.master = scalar<std::uint32_t>(a); break;
      case IFLA_ADDRESS: {
        const auto n = std::min<std::size_t>(RTA_PAYLOAD(&a), l.hardware_address.size());
        std::memcpy(l.hardware_address.data(), RTA_DATA(&a), n);
        l.hardware_address_length = static_cast<std::uint8_t>(n);
        break;
      }
      case IFLA_LINK:
        if (auto parent = scalar<std::uint32_t>(a); parent != 0) l.parent = parent;
        break;
      case IFLA_LINK_NETNSID: l.parent_netns_id = scalar<std::int32_t>(a); break;
      case IFLA_LINKINFO:
        for_each_attribute(RTA_DATA(&a), RTA_PAYLOAD(&a), [&](const rtattr& info) {
          if ((info.rta_type & NLA_TYPE_MASK) == IFLA_INFO_KIND) l.kind = text(info);
        });
        break;
      case IFLA_PROP_LIST:
        for_each_attribute(RTA_DATA(&a), RTA_PAYLOAD(&a), [&](const rtattr& prop) {
          if ((prop.rta_type & NLA_TYPE_MASK) == IFLA_ALT_IFNAME) l.alt_names.push_back(text(prop));
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
  if (h.nlmsg_type != RTM_NEWADDR || h.nlmsg_len < NLMSG_LENGTH(sizeof(ifaddrmsg))) return false;
  ifaddrmsg ifa{};
  std::memcpy(&ifa, NLMSG_DATA(&h), sizeof ifa);
  a.index = ifa.ifa_index;
  a.prefix_length = ifa.ifa_prefixlen;  // 0 to 128
  a.scope = ifa.ifa_scope;
  a.flags = ifa.ifa_flags;
  const rtattr* local = nullptr;
  const rtattr* addr = nullptr;
  for_each_attribute(IFA_RTA(NLMSG_DATA(&h)), IFA_PAYLOAD(&h), [&](const rtattr& at) {
    switch (at.rta_type & NLA_TYPE_MASK) {
      case IFA_LOCAL: local = &at; break;
      case IFA_ADDRESS: addr = &at; break;
      case IFA_BROADCAST: a.broadcast = address_from(at, ifa.ifa_family, 0); break;
      case IFA_LABEL: {
        const auto n = std::min<std::size_t>(::strnlen(static_cast<const char*>(RTA_DATA(&at)), RTA_PAYLOAD(&at)),
                                             a.label.size() - 1);
        std::memcpy(a.label.data(), RTA_DATA(&at), n);
        break;
      }
      case IFA_FLAGS: a.flags = scalar<std::uint32_t>(at); break;
      case IFA_CACHEINFO:
        if (RTA_PAYLOAD(&at) >= sizeof(ifa_cacheinfo)) {
          ifa_cacheinfo ci{};
          std::memcpy(&ci, RTA_DATA(&at), sizeof ci);
          a.preferred_lifetime = ci.ifa_prefered;
          a.valid_lifetime = ci.ifa_valid;
        }
        break;
      default: break;
    }
  });
  // IPv4: IFA_LOCAL is the address, IFA_ADDRESS the peer (equal unless
  // point-to-point). IPv6: IFA_ADDRESS, with IFA_LOCAL only for peers.
  const rtattr* mine = local != nullptr ? local : addr;
  if (mine == nullptr) return false;
  a.local = address_from(*mine, ifa.ifa_family, a.index);
  if (local != nullptr && addr != nullptr) {
    auto other = address_from(*addr, ifa.ifa_family, a.index);
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
  // notifications since 6.13 are RTM_NEWMULTICAST.
  if ((h.nlmsg_type != RTM_GETMULTICAST && h.nlmsg_type != RTM_NEWMULTICAST) ||
      h.nlmsg_len < NLMSG_LENGTH(sizeof(ifaddrmsg))) {
    return false;
  }
  ifaddrmsg ifa{};
  std::memcpy(&ifa, NLMSG_DATA(&h), sizeof ifa);
  bool found = false;
  for_each_attribute(IFA_RTA(NLMSG_DATA(&h)), IFA_PAYLOAD(&h), [&](const rtattr& a) {
    if ((a.rta_type & NLA_TYPE_MASK) == IFA_MULTICAST) {
      g.index = ifa.ifa_index;
      g.address = address_from(a, ifa.ifa_family, ifa.ifa_index);
      found = true;
    }
  });
  return found;
}

}  // namespace mcnet::netlink::detail
