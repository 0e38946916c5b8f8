// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The mcnet authors
#include <mcnet/tools/route.hpp>

#include <sys/socket.h>

#include <mcnet/core/dial.hpp>
#include <mcnet/core/socket.hpp>
#include <mcnet/core/socket_ops.hpp>

namespace mcnet::tools {

core::interface_ref route_interface(const core::ip_address& group, std::uint16_t port,
                                    const std::optional<core::ip_address>& source) {
  auto s = core::socket::open(group.is_v4() ? AF_INET : AF_INET6, SOCK_DGRAM);
  if (!s) return {};
  if (source && !core::bind(*s, core::endpoint(*source, 0))) return {};
  if (!core::connect(*s, core::endpoint(group, port))) return {};
  auto local = core::local_endpoint(*s);
  if (!local) return {};
  auto r = netlink::resolve(local->address().with_scope_id(0).to_string());
  return r ? r->iface : core::interface_ref{};
}

interface_resolver netlink_resolver() {
  return [](std::string_view spec) { return netlink::resolve(spec); };
}

}  // namespace mcnet::tools
