// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The mcnet authors
#pragma once

/// @file
/// mcnet netlink: interfaces, addresses and joined multicast groups from
/// rtnetlink, the kernel's route to a destination, and the interface
/// resolver. rtnetlink(7).
///
/// @code
///   auto snap = mcnet::netlink::take_snapshot();     // links, addresses, groups
///   for (const auto& l : snap->links) std::cout << l.name << ' ' << l.mtu << '\n';
///   auto eth0 = mcnet::netlink::link_by_name("eth0"); // one RTM_GETLINK, at any scale
///   auto r = mcnet::netlink::resolve("10.77.0.0/24");  // interface + addresses, or the candidates
///   if (!r) std::cerr << r.error().message() << '\n';
///   auto via = mcnet::netlink::route_to(mcnet::core::ip_address::v4(239, 1, 2, 3));
///   if (via) std::cout << via->iface.name.view() << '\n';  // where the kernel would send it
/// @endcode
/// libnl is used inside only: no libnl header is included from here.

#include <mcnet/core/cxx20.hpp>  // first: C++20 or one clear error

#include <mcnet/core.hpp>
#include <mcnet/netlink/error.hpp>
#include <mcnet/netlink/namespace.hpp>
#include <mcnet/netlink/query.hpp>
#include <mcnet/netlink/resolve.hpp>
#include <mcnet/netlink/route.hpp>
#include <mcnet/netlink/types.hpp>
#include <mcnet/netlink/watcher.hpp>
