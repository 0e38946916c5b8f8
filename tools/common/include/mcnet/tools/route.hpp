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
#include <string_view>

#include <mcnet/core/interface.hpp>
#include <mcnet/core/ip_address.hpp>
#include <mcnet/netlink/resolve.hpp>

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

/// What turns -i / %IFACE text into an interface: netlink::resolve in the
/// tools; tests give their own.
using interface_resolver =
    std::function<tl::expected<netlink::resolved, netlink::resolve_failure>(std::string_view)>;

/// netlink::resolve, as an interface_resolver.
[[nodiscard]] interface_resolver netlink_resolver();

}  // namespace mcnet::tools
