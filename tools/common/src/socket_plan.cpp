// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The mcnet authors
#include <mcnet/tools/socket_plan.hpp>

#include <sys/socket.h>

#include <algorithm>

#include <mcnet/core/sysctl.hpp>

namespace mcnet::tools {

namespace {

std::size_t sysctl_or(const char* name, std::size_t fallback) {
  auto v = core::read_sysctl(name);
  return v && *v >= 0 ? static_cast<std::size_t>(*v) : fallback;
}

}  // namespace

socket_limits socket_limits::read_live() {
  socket_limits l;
  l.groups_v4 = sysctl_or("net.ipv4.igmp_max_memberships", l.groups_v4);
  l.sources_v4 = sysctl_or("net.ipv4.igmp_max_msf", l.sources_v4);
  l.sources_v6 = sysctl_or("net.ipv6.mld_max_msf", l.sources_v6);
  return l;
}

std::size_t socket_planner::group_limit(int family) const noexcept {
  const auto l = family == AF_INET ? limits_.groups_v4 : limits_.groups_v6;
  return family == AF_INET6 && l == 0 ? SIZE_MAX : l;
}

std::size_t socket_planner::source_limit(int family) const noexcept {
  return family == AF_INET ? limits_.sources_v4 : limits_.sources_v6;
}

bool socket_planner::holds_elsewhere(std::size_t sock, const join_request& r) const {
  if (r.group.is_v4()) return false;
  for (auto it = groups_.lower_bound(group_key{r.group, r.port, 0});
       it != groups_.end() && std::get<0>(it->first) == r.group && std::get<1>(it->first) == r.port; ++it) {
    if (std::get<2>(it->first) != r.interface_index && it->second.on_socket.contains(sock)) return true;
  }
  return false;
}

std::optional<std::size_t> socket_planner::socket_with_room(int family, std::uint16_t port,
                                                            const join_request* r) const {
  for (std::size_t i = roomy_from_; i < sockets_.size(); ++i) {
    const auto& s = sockets_[i];
    if (s.family == family && s.port == port && !s.full && s.groups < group_limit(family) &&
        (r == nullptr || !holds_elsewhere(i, *r))) {
      return i;
    }
  }
  return std::nullopt;
}

std::size_t socket_planner::open(int family, std::uint16_t port) {
  sockets_.push_back({family, port, 0, false});
  return sockets_.size() - 1;
}

result<placement> socket_planner::place(const join_request& r) {
  const int family = r.group.is_v4() ? AF_INET : AF_INET6;
  if (r.source && source_limit(family) == 0) {
    return fail(error(errc::membership_limit, "plan", "source filter")
                    .with_address(r.group)
                    .with_number(0)
                    .with_hint(family == AF_INET
                                   ? "net.ipv4.igmp_max_msf is 0: no source filter fits: raise it (sysctl -w "
                                     "net.ipv4.igmp_max_msf=N)"
                                   : "net.ipv6.mld_max_msf is 0: no source filter fits: raise it (sysctl -w "
                                     "net.ipv6.mld_max_msf=N)"));
  }
  // The sockets before roomy_from_ have no room for any group: full, or at
  // their family's limit. Neither comes undone (refused() lowers a count
  // only with full set), so the searches below start there: a thousand
  // groups are not each checked against every socket filled before.
  while (roomy_from_ < sockets_.size() &&
         (sockets_[roomy_from_].full || sockets_[roomy_from_].groups >= group_limit(sockets_[roomy_from_].family))) {
    ++roomy_from_;
  }
  const group_key key{r.group, r.port, r.interface_index};
  // Where the group is or goes: one search for both (emplace_hint below).
  auto it = groups_.lower_bound(key);
  if (it != groups_.end() && it->first == key) {
    auto& g = it->second;
    if (g.mode != r.mode) {
      const bool any = g.mode == filter::any || r.mode == filter::any;
      // The source-specific one's mode: an exclude spec would leave the
      // socket in exclude mode, not include (trial20k 12).
      const bool exclude = g.mode == filter::exclude || r.mode == filter::exclude;
      // Specs that conflict, each valid alone: an invalid argument (EINVAL).
      return fail(error(std::make_error_code(std::errc::invalid_argument), "plan", "membership")
                      .with_address(r.group)
                      .with_port(r.port)
                      .with_hint(!any ? "include and exclude for the same group, port and interface in one run"
                                 : exclude
                                     ? "any-source and source-specific specs for the same group, port and interface "
                                       "(Linux would make the any-source join an exclude of the sources named): use "
                                       "one or the other"
                                     : "any-source and source-specific specs for the same group, port and interface "
                                       "(Linux would switch the any-source join to include mode): use one or the "
                                       "other"));
    }
    const std::size_t first = g.on_socket.begin()->first;
    if (r.mode == filter::any || std::find(g.sources.begin(), g.sources.end(), *r.source) != g.sources.end()) {
      return placement{first, false, false, true};
    }
    const std::size_t limit = source_limit(family);
    if (r.mode == filter::exclude) {
      auto& list = g.on_socket.begin()->second;
      if (list.full || list.sources >= limit) {
        return fail(error(errc::membership_limit, "plan", "exclude list")
                        .with_address(r.group)
                        .with_number(static_cast<std::int64_t>(limit))
                        .with_hint(family == AF_INET
                                       ? "an exclude list cannot be split over sockets and net.ipv4.igmp_max_msf "
                                         "allows {number} sources per group and socket: raise it"
                                       : "an exclude list cannot be split over sockets and net.ipv6.mld_max_msf "
                                         "allows {number} sources per group and socket: raise it"));
      }
      ++list.sources;
      g.sources.push_back(*r.source);
      return placement{first, false, false, false};
    }
    // Include: the first part of the list with room, else the group on one more socket.
    for (auto& [sock, list] : g.on_socket) {
      if (!list.full && list.sources < limit) {
        ++list.sources;
        g.sources.push_back(*r.source);
        return placement{sock, false, false, false};
      }
    }
    std::optional<std::size_t> target;
    for (std::size_t i = roomy_from_; i < sockets_.size() && !target; ++i) {
      const auto& s = sockets_[i];
      if (s.family == family && s.port == r.port && !s.full && s.groups < group_limit(family) && !g.on_socket.contains(i) &&
          !holds_elsewhere(i, r)) {
        target = i;
      }
    }
    const bool fresh = !target;
    if (fresh) target = open(family, r.port);
    ++sockets_[*target].groups;
    g.on_socket[*target] = list_state{1, false};
    g.sources.push_back(*r.source);
    return placement{*target, fresh, true, false};
  }
  auto target = socket_with_room(family, r.port, &r);
  const bool fresh = !target;
  if (fresh) target = open(family, r.port);
  ++sockets_[*target].groups;
  group_state g;
  g.mode = r.mode;
  if (r.source) g.sources.push_back(*r.source);
  g.on_socket[*target] = list_state{r.source ? 1u : 0u, false};
  groups_.emplace_hint(it, key, std::move(g));
  return placement{*target, fresh, true, false};
}

bool socket_planner::refused(const join_request& r, const placement& p) {
  if (p.duplicate) return false;
  const group_key key{r.group, r.port, r.interface_index};
  auto it = groups_.find(key);
  if (it == groups_.end()) return false;
  auto& g = it->second;
  if (r.source) {
    auto s = std::find(g.sources.begin(), g.sources.end(), *r.source);
    if (s != g.sources.end()) g.sources.erase(s);
  }
  auto& sock = sockets_[p.socket];
  if (p.new_group) {
    g.on_socket.erase(p.socket);
    if (g.on_socket.empty()) groups_.erase(it);
    --sock.groups;
    sock.full = true;
    return sock.groups > 0;  // a socket that held nothing else: another would refuse too
  }
  auto& list = g.on_socket[p.socket];
  --list.sources;
  list.full = true;
  return r.mode == filter::include;
}

}  // namespace mcnet::tools
