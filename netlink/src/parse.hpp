// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The mcnet authors
#pragma once

// rtnetlink messages to plain values, with libnl's attribute parser.

#include <linux/netlink.h>

#include <optional>

#include <mcnet/netlink/types.hpp>

namespace mcnet::netlink::detail {

std::optional<link> parse_link(const nlmsghdr& h);
std::optional<address> parse_address(const nlmsghdr& h);
std::optional<group> parse_group(const nlmsghdr& h);

}  // namespace mcnet::netlink::detail
