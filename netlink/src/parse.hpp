// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The mcnet authors
#pragma once

// rtnetlink messages to plain values: one pass over the attributes (each
// bounded by libnl's nla_ok), picking what the value needs; faster than
// nlmsg_parse's table per message (see parse.cpp).

#include <linux/netlink.h>

#include <cstdint>
#include <optional>

#include <mcnet/netlink/route.hpp>
#include <mcnet/netlink/types.hpp>

namespace mcnet::netlink::detail {

std::optional<link> parse_link(const nlmsghdr& h);
std::optional<address> parse_address(const nlmsghdr& h);
/// The same into an existing value (no move per message); false: not one.
/// Notifications of removal (RTM_DELLINK, RTM_DELADDR, RTM_DELMULTICAST)
/// parse as their RTM_NEW* counterparts.
bool parse_link_into(const nlmsghdr& h, link& out);
bool parse_address_into(const nlmsghdr& h, address& out);
bool parse_group_into(const nlmsghdr& h, group& out);
std::optional<group> parse_group(const nlmsghdr& h);

/// Where an RTM_DELLINK says its link went when it moved to another network
/// namespace: IFLA_NEW_NETNSID and IFLA_NEW_IFINDEX (both unset for a deletion).
struct link_move {
  std::optional<std::int32_t> netns_id{};
  std::optional<std::int32_t> index{};
};
link_move parse_link_move(const nlmsghdr& h);

/// An RTM_NEWNETCONF (or RTM_DELNETCONF) notification; nullopt: not one,
/// or one without NETCONFA_IFINDEX.
std::optional<netconf> parse_netconf(const nlmsghdr& h);

/// An RTM_NEWROUTE answer to RTM_GETROUTE; the output interface's name is
/// left to the caller (it needs a lookup of its own).
bool parse_route_into(const nlmsghdr& h, route& out);

/// An RTM_NEWRULE of a RTM_GETRULE dump.
bool parse_rule_into(const nlmsghdr& h, rule& out);

}  // namespace mcnet::netlink::detail
