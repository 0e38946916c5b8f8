// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The mcnet authors
#pragma once

// rtnetlink messages to plain values: one pass over the attributes, picking
// what the value needs (faster than a parsed table per message).

#include <linux/netlink.h>

#include <optional>

#include <mcnet/netlink/types.hpp>

namespace mcnet::netlink::detail {

std::optional<link> parse_link(const nlmsghdr& h);
std::optional<address> parse_address(const nlmsghdr& h);
/// The same into an existing value (no move per message); false: not one.
bool parse_link_into(const nlmsghdr& h, link& out);
bool parse_address_into(const nlmsghdr& h, address& out);
bool parse_group_into(const nlmsghdr& h, group& out);
std::optional<group> parse_group(const nlmsghdr& h);

}  // namespace mcnet::netlink::detail
