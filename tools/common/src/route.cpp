// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The mcnet authors
#include <mcnet/tools/route.hpp>

#include <mcnet/netlink/route.hpp>

namespace mcnet::tools {

core::interface_ref route_interface(const core::ip_address& group, const std::optional<core::ip_address>& source) {
  auto r = netlink::route_to(group, source);
  return r ? r->iface : core::interface_ref{};
}

interface_resolver netlink_resolver() {
  return [](std::string_view spec) { return netlink::resolve(spec); };
}

}  // namespace mcnet::tools
