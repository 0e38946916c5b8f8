// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The mcnet authors
#include <mcnet/tools/route.hpp>

#include <map>
#include <string>

#include <fmt/format.h>

#include <mcnet/netlink/query.hpp>
#include <mcnet/netlink/route.hpp>
#include <mcnet/tools/cli.hpp>
#include <mcnet/tools/report.hpp>

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
  // Each also a JSON `warning` event (code "interface"): its command, in
  // the message's parentheses, is its fix.
  // The loopback's missing MULTICAST flag changes nothing (measured: an
  // IPv4 sender on lo reaches a receiver on lo without it; trial15i L3):
  // no warning with a fix that fixes nothing.
  const auto link = netlink::link_by_index(r->iface.index);
  const bool loopback = link && link->is_loopback();
  for (const auto& w : r->warnings) {
    if (loopback && w.find(" lacks the MULTICAST flag") != std::string::npos) continue;
    nlohmann::ordered_json fix = nullptr;
    if (const auto at = w.rfind(" (ip "); at != std::string::npos && w.ends_with(")")) {
      fix = w.substr(at + 2, w.size() - at - 3);
    }
    out.warn_event(w, "interface",
                   {{"subject", std::string(r->iface.name.view())}, {"fix", fix}, {"note", nullptr}});
  }
  return r->iface;
}

std::vector<std::string> multicast_flag_warnings(const std::vector<core::interface_ref>& used) {
  std::map<std::uint32_t, std::size_t> groups;  // interface index: groups sent on it
  for (const auto& i : used) {
    if (i.index != 0) ++groups[i.index];
  }
  std::vector<std::string> out;
  if (groups.empty()) return out;
  auto s = netlink::take_snapshot({.groups = false});
  if (!s) return out;
  for (const auto& l : s->links) {
    const auto it = groups.find(l.index);
    // The loopback without the flag delivers to this host's receivers all
    // the same (resolve_interface's note above): no warning.
    if (it == groups.end() || l.is_multicast() || l.is_loopback()) continue;
    out.push_back(fmt::format("{} lacks the MULTICAST flag and {} {} out of it: hosts behind it may not "
                              "take multicast (ip link set dev {} multicast on)",
                              l.name, count_text(it->second, "group", "groups"), it->second == 1 ? "goes" : "go", l.name));
  }
  return out;
}

}  // namespace mcnet::tools
