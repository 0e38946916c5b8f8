// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The mcnet authors
#include <mcnet/tools/route.hpp>

#include <string>

#include <mcnet/netlink/route.hpp>
#include <mcnet/tools/cli.hpp>

namespace mcnet::tools {

core::interface_ref route_interface(const core::ip_address& group, const std::optional<core::ip_address>& source) {
  auto r = netlink::route_to(group, source);
  return r ? r->iface : core::interface_ref{};
}

interface_resolver netlink_resolver() {
  return [](std::string_view spec) { return netlink::resolve(spec); };
}

tl::expected<core::interface_ref, int> resolve_interface(const interface_resolver& resolve, std::string_view text,
                                                         std::string_view context, const reporter& out) {
  auto r = resolve(text);
  if (!r) {
    return tl::unexpected(out.fail(exit_usage, std::string(context) + ": " + r.error().message(),
                                   code_name(r.error().reason)));
  }
  for (const auto& w : r->warnings) out.warn(w);
  return r->iface;
}

}  // namespace mcnet::tools
