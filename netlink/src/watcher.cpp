// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The mcnet authors
#include <mcnet/netlink/watcher.hpp>

#include <linux/if_addr.h>

#include <algorithm>
#include <map>
#include <set>
#include <tuple>
#include <cstring>

#include "parse.hpp"
#include "transport.hpp"

namespace mcnet::netlink {
namespace {

bool same_address(const address& a, const address& b) {
  return a.index == b.index && a.local == b.local && a.prefix_length == b.prefix_length;
}

link_change diff(const link& before, const link& after) {
  link_change c = link_change::none;
  if (before.name != after.name) c = c | link_change::name;
  if (before.mtu != after.mtu) c = c | link_change::mtu;
  if (before.flags != after.flags) c = c | link_change::flags;
  if (before.operstate != after.operstate) c = c | link_change::operstate;
  if (before.hardware_address != after.hardware_address || before.hardware_address_length != after.hardware_address_length) {
    c = c | link_change::hardware_address;
  }
  if (before.master != after.master) c = c | link_change::master;
  if (before.alt_names != after.alt_names) c = c | link_change::alt_names;
  return c;
}

}  // namespace

watcher::watcher() = default;
watcher::watcher(watcher&&) noexcept = default;
watcher& watcher::operator=(watcher&&) noexcept = default;
watcher::~watcher() = default;

result<watcher> watcher::open(int receive_buffer) { return open(receive_buffer, true); }

result<watcher> watcher::open(int receive_buffer, bool groups) {
  watcher w;
  w.groups_ = groups;
  // A queue of `receive_buffer` bytes, so that a busy host does not overflow a small default.
  auto notices = detail::transport::open(receive_buffer);
  if (!notices) return fail(notices.error());
  w.notices_ = std::make_unique<detail::transport>(std::move(*notices));
  if (auto r = w.notices_->set_nonblocking(); !r) return fail(r.error());
  if (auto r = w.notices_->subscribe(
          {RTNLGRP_LINK, RTNLGRP_IPV4_IFADDR, RTNLGRP_IPV6_IFADDR, RTNLGRP_IPV4_NETCONF, RTNLGRP_IPV6_NETCONF});
      !r) {
    return fail(r.error());
  }
  // Group notifications exist since Linux 6.13; older kernels refuse the groups.
  w.groups_notified_ = groups && w.notices_->subscribe({RTNLGRP_IPV4_MCADDR, RTNLGRP_IPV6_MCADDR}).has_value();
  // Subscribed first, dumped second: a change during the dump is queued on notices_.
  auto dumper = detail::transport::open();
  if (!dumper) return fail(dumper.error());
  w.dumper_ = std::make_unique<detail::transport>(std::move(*dumper));
  auto snap = detail::snapshot_with(*w.dumper_, {.groups = groups});
  if (!snap) return fail(snap.error());
  w.state_ = std::move(*snap);
  return w;
}

int watcher::fd() const noexcept { return notices_ ? notices_->fd() : -1; }  // -1: moved from

void watcher::apply_link(const link& l, std::vector<event>& out) {
  auto it = std::find_if(state_.links.begin(), state_.links.end(), [&](const link& x) { return x.index == l.index; });
  if (it == state_.links.end()) {
    state_.links.push_back(l);
    out.push_back({event::kind::link_added, l, link_change::none, {}, {}});
    return;
  }
  const auto c = diff(*it, l);
  *it = l;
  if (c != link_change::none) out.push_back({event::kind::link_changed, l, c, {}, {}});
}

void watcher::remove_link(std::uint32_t index, std::vector<event>& out, std::optional<std::int32_t> moved_to_netns_id,
                          std::optional<std::int32_t> moved_to_index) {
  auto it = std::find_if(state_.links.begin(), state_.links.end(), [&](const link& x) { return x.index == index; });
  if (it == state_.links.end()) return;
  auto& e = out.emplace_back();
  e.what = event::kind::link_removed;
  e.link_value = *it;
  e.moved_to_netns_id = moved_to_netns_id;
  e.moved_to_index = moved_to_index;
  state_.links.erase(it);
  // The kernel removes the link's addresses and groups with it.
  std::erase_if(state_.addresses, [&](const address& a) { return a.index == index; });
  std::erase_if(state_.groups, [&](const group& g) { return g.index == index; });
}

void watcher::apply_address(const address& a, bool removed, std::vector<event>& out) {
  auto it = std::find_if(state_.addresses.begin(), state_.addresses.end(), [&](const address& x) { return same_address(x, a); });
  if (removed) {
    if (it == state_.addresses.end()) return;
    state_.addresses.erase(it);
    out.push_back({event::kind::address_removed, {}, link_change::none, a, {}});
    return;
  }
  if (it == state_.addresses.end()) {
    state_.addresses.push_back(a);
    out.push_back({event::kind::address_added, {}, link_change::none, a, {}});
    return;
  }
  const bool changed = it->flags != a.flags || it->preferred_lifetime != a.preferred_lifetime ||
                       it->valid_lifetime != a.valid_lifetime || it->label != a.label;
  // Lifetimes tick down on every refresh; report real changes of state only.
  const bool state_changed = it->flags != a.flags || it->label != a.label;
  *it = a;
  if (changed && state_changed) out.push_back({event::kind::address_changed, {}, link_change::none, a, {}});
}

void watcher::apply_group(const group& g, bool removed, std::vector<event>& out) {
  auto it = std::find_if(state_.groups.begin(), state_.groups.end(),
                         [&](const group& x) { return x.index == g.index && x.address == g.address; });
  if (removed) {
    if (it == state_.groups.end()) return;
    state_.groups.erase(it);
    out.push_back({event::kind::group_left, {}, link_change::none, {}, g});
  } else if (it == state_.groups.end()) {
    state_.groups.push_back(g);
    out.push_back({event::kind::group_joined, {}, link_change::none, {}, g});
  }
}

result<void> watcher::resync(std::vector<event>& out) {
  auto fresh = detail::snapshot_with(*dumper_, {.groups = groups_});
  if (!fresh) return fail(fresh.error());
  // The difference between the old and the fresh picture, by key lookups:
  // O(N log N) even with thousands of links.
  std::map<std::uint32_t, const link*> old_links;
  for (const auto& l : state_.links) old_links.emplace(l.index, &l);
  std::set<std::uint32_t> fresh_links;
  for (const auto& l : fresh->links) {
    fresh_links.insert(l.index);
    auto it = old_links.find(l.index);
    if (it == old_links.end()) {
      out.push_back({event::kind::link_added, l, link_change::none, {}, {}});
    } else if (auto c = diff(*it->second, l); c != link_change::none) {
      out.push_back({event::kind::link_changed, l, c, {}, {}});
    }
  }
  for (const auto& [index, l] : old_links) {
    if (!fresh_links.contains(index)) out.push_back({event::kind::link_removed, *l, link_change::none, {}, {}});
  }

  using address_key = std::tuple<std::uint32_t, core::ip_address, unsigned>;
  auto key = [](const address& a) { return address_key{a.index, a.local, a.prefix_length}; };
  std::map<address_key, const address*> old_addresses;
  for (const auto& a : state_.addresses) old_addresses.emplace(key(a), &a);
  std::set<address_key> fresh_addresses;
  for (const auto& a : fresh->addresses) {
    fresh_addresses.insert(key(a));
    auto it = old_addresses.find(key(a));
    if (it == old_addresses.end()) {
      out.push_back({event::kind::address_added, {}, link_change::none, a, {}});
    } else if (it->second->flags != a.flags || it->second->label != a.label) {
      out.push_back({event::kind::address_changed, {}, link_change::none, a, {}});
    }
  }
  for (const auto& [k, a] : old_addresses) {
    if (!fresh_addresses.contains(k)) out.push_back({event::kind::address_removed, {}, link_change::none, *a, {}});
  }

  using group_key = std::pair<std::uint32_t, core::ip_address>;
  std::set<group_key> old_groups, new_groups;
  for (const auto& g : state_.groups) old_groups.emplace(g.index, g.address);
  for (const auto& g : fresh->groups) {
    new_groups.emplace(g.index, g.address);
    if (!old_groups.contains({g.index, g.address})) out.push_back({event::kind::group_joined, {}, link_change::none, {}, g});
  }
  for (const auto& g : state_.groups) {
    if (!new_groups.contains({g.index, g.address})) out.push_back({event::kind::group_left, {}, link_change::none, {}, g});
  }

  state_ = std::move(*fresh);
  out.push_back({event::kind::resynced, {}, link_change::none, {}, {}});
  return {};
}

result<std::vector<event>> watcher::process() {
  std::vector<event> out;
  auto apply = [&](const nlmsghdr& m) {
    switch (m.nlmsg_type) {
      case RTM_NEWLINK:
        if (auto l = detail::parse_link(m)) apply_link(*l, out);
        break;
      case RTM_DELLINK:
        if (auto l = detail::parse_link(m)) {
          const auto moved = detail::parse_link_move(m);
          remove_link(l->index, out, moved.netns_id, moved.index);
        }
        break;
      case RTM_NEWADDR:
      case RTM_DELADDR:
        if (auto a = detail::parse_address(m)) apply_address(*a, m.nlmsg_type == RTM_DELADDR, out);
        break;
      case RTM_NEWNETCONF:
        if (auto c = detail::parse_netconf(m)) {
          auto& e = out.emplace_back();
          e.what = event::kind::netconf_changed;
          e.netconf_value = *c;
        }
        break;
      case RTM_NEWMULTICAST:
      case RTM_DELMULTICAST:
        if (auto g = detail::parse_group(m)) apply_group(*g, m.nlmsg_type == RTM_DELMULTICAST, out);
        break;
      default: break;
    }
  };
  while (true) {
    auto n = notices_->receive(apply);
    if (!n) return fail(n.error());
    if (*n == detail::notice::none) break;
    if (*n == detail::notice::lost) {
      // Notifications were lost: drop what is still queued (the fresh dump
      // covers it), then dump again.
      auto drop = [](const nlmsghdr&) {};
      for (auto d = notices_->receive(drop); d && *d != detail::notice::none; d = notices_->receive(drop)) {
      }
      if (auto r = resync(out); !r) return fail(r.error());
    }
  }
  return out;
}

}  // namespace mcnet::netlink
