// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The mcnet authors
//
// The watcher in a namespace: every kind of change is reported, and a forced
// overflow ends in `resynced` with a state equal to a fresh snapshot.

#include <gtest/gtest.h>

#include <poll.h>
#include <sys/socket.h>

#include <algorithm>
#include <chrono>
#include <set>
#include <sstream>

#include <mcnet/core/dial.hpp>
#include <mcnet/core/membership.hpp>
#include <mcnet/netlink.hpp>

#include "lan.hpp"
#include "netns.hpp"
#include "privilege.hpp"

namespace core = mcnet::core;
namespace nl = mcnet::netlink;
namespace test = mcnet::test;
using kind = nl::event::kind;

namespace {

std::vector<nl::event> changes(nl::watcher& w) {
  auto e = w.process();
  if (!e) throw test::harness_error(e.error().message());
  return *e;
}

const nl::event* find(const std::vector<nl::event>& events, kind k) {
  auto it = std::find_if(events.begin(), events.end(), [&](const nl::event& e) { return e.what == k; });
  return it == events.end() ? nullptr : &*it;
}

// The address event of kind `k` for `local`: the link-local IPv6 address
// that the kernel adds after a link comes up may be told in the same batch.
const nl::event* find_address(const std::vector<nl::event>& events, kind k, const core::ip_address& local) {
  auto it = std::find_if(events.begin(), events.end(),
                         [&](const nl::event& e) { return e.what == k && e.address_value.local == local; });
  return it == events.end() ? nullptr : &*it;
}

TEST(NetWatcher, ReportsEveryKindOfChange) {
  MCNET_REQUIRE_NETNS();
  auto net = test::network::create({.lans = 2, .hosts = {{.lans = {0, 1}}}});
  const auto& h = (*net)[0];
  auto ip = [&](std::vector<std::string> args) {
    args.insert(args.begin(), "ip");
    test::run_checked(&h.ns(), args);
  };
  auto w = h.run([] { return nl::watcher::open(); });
  ASSERT_TRUE(w) << w.error().message();
  const auto eth1 = h.iface(1).index;
  EXPECT_TRUE(w->state().link_by_name("eth1")) << "the first snapshot";
  EXPECT_TRUE(changes(*w).empty()) << "nothing happened yet";

  ip({"link", "set", "dev", "eth1", "down"});
  auto ev = changes(*w);
  auto* down = find(ev, kind::link_changed);
  ASSERT_TRUE(down);
  EXPECT_EQ(down->link_value.index, eth1);
  EXPECT_TRUE(nl::has(down->changed, nl::link_change::flags));
  EXPECT_FALSE(w->state().link_by_index(eth1)->is_up());

  ip({"link", "set", "dev", "eth1", "up"});
  ev = changes(*w);
  ASSERT_TRUE(find(ev, kind::link_changed));
  EXPECT_TRUE(w->state().link_by_index(eth1)->is_up());

  ip({"link", "set", "dev", "eth1", "mtu", "1280"});
  ev = changes(*w);
  // (An operational-state change of the earlier "up" may come first: linkwatch runs later.)
  auto mtu = std::find_if(ev.begin(), ev.end(), [](const nl::event& e) {
    return e.what == kind::link_changed && nl::has(e.changed, nl::link_change::mtu);
  });
  ASSERT_NE(mtu, ev.end());
  EXPECT_EQ(mtu->link_value.mtu, 1280u);

  ip({"address", "add", "10.77.9.1/24", "dev", "eth1"});
  ev = changes(*w);
  auto* added = find_address(ev, kind::address_added, core::ip_address::v4(10, 77, 9, 1));
  ASSERT_TRUE(added);
  EXPECT_EQ(added->address_value.index, eth1);
  ip({"address", "del", "10.77.9.1/24", "dev", "eth1"});
  ev = changes(*w);
  auto* removed = find_address(ev, kind::address_removed, core::ip_address::v4(10, 77, 9, 1));
  ASSERT_TRUE(removed);

  ip({"link", "set", "dev", "eth1", "down"});
  ip({"link", "set", "dev", "eth1", "name", "uplink"});
  ev = changes(*w);
  auto renamed = std::find_if(ev.begin(), ev.end(), [](const nl::event& e) {
    return e.what == kind::link_changed && nl::has(e.changed, nl::link_change::name);
  });
  ASSERT_NE(renamed, ev.end());
  EXPECT_EQ(renamed->link_value.name, "uplink");

  ip({"link", "delete", "dev", "uplink"});
  ev = changes(*w);
  auto* gone = find(ev, kind::link_removed);
  ASSERT_TRUE(gone);
  EXPECT_EQ(gone->link_value.index, eth1);
  EXPECT_EQ(w->state().link_by_index(eth1), nullptr);
  EXPECT_TRUE(std::none_of(w->state().addresses.begin(), w->state().addresses.end(),
                           [&](const nl::address& a) { return a.index == eth1; }));

  if (w->groups_notified()) {
    h.run([&] {
      auto s = core::listen_udp(core::endpoint::parse("0.0.0.0:0").value()).value();
      ASSERT_TRUE(core::join_group(s, core::ip_address::v4(239, 255, 41, 1), h.iface(0).index));
      auto joined = changes(*w);
      auto* j = find(joined, kind::group_joined);
      ASSERT_TRUE(j) << "Linux 6.13+ notifies joins";
      EXPECT_EQ(j->group_value.address, core::ip_address::v4(239, 255, 41, 1));
    });
  }
}

// An IPv6 address added with DAD on starts tentative and becomes usable:
// reported as address_changed.
TEST(NetWatcher, TentativeToUsableIsReported) {
  MCNET_REQUIRE_NETNS();
  auto net = test::network::lan(2);
  const auto& h = (*net)[0];
  h.ns().write_sysctl("net.ipv6.conf.eth0.accept_dad", "1");
  h.ns().write_sysctl("net.ipv6.conf.eth0.dad_transmits", "1");
  auto w = h.run([] { return nl::watcher::open(); });
  ASSERT_TRUE(w) << w.error().message();
  test::run_checked(&h.ns(), {"ip", "address", "add", "fd77:0:0:9::1/64", "dev", "eth0"});
  const auto wanted = core::ip_address::parse("fd77:0:0:9::1").value();
  auto ev = changes(*w);
  auto* added = find(ev, kind::address_added);
  ASSERT_TRUE(added);
  EXPECT_EQ(added->address_value.local, wanted);
  EXPECT_TRUE(added->address_value.tentative()) << "DAD has not run yet";
  // DAD takes about a second (one probe, RetransTimer); poll the watcher's fd, at most 10 s.
  bool usable = false;
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(10);
  while (!usable && std::chrono::steady_clock::now() < deadline) {
    pollfd pfd{w->fd(), POLLIN, 0};
    ::poll(&pfd, 1, 200);
    for (const auto& e : changes(*w)) {
      if (e.what == kind::address_changed && e.address_value.local == wanted && e.address_value.usable()) usable = true;
    }
  }
  EXPECT_TRUE(usable) << "tentative to usable was not reported";
}

// #15: a link moved to another namespace and a link deleted both end in
// link_removed; the move carries where it went (RTM_DELLINK's
// IFLA_NEW_NETNSID and IFLA_NEW_IFINDEX), the deletion nothing.
TEST(NetWatcher, AMoveToAnotherNamespaceIsToldFromADeletion) {
  MCNET_REQUIRE_NETNS();
  auto net = test::network::create({.lans = 2, .hosts = {{.lans = {0, 1}}}});
  const auto& h = (*net)[0];
  auto w = h.run([] { return nl::watcher::open(); });
  ASSERT_TRUE(w) << w.error().message();
  const auto eth0 = h.iface(0).index;
  const auto eth1 = h.iface(1).index;
  auto aside = test::netns::create();  // empty: the index is free there, so the kernel keeps it
  test::run_checked(&h.ns(), {"ip", "link", "set", "dev", "eth0", "netns", std::to_string(aside.pid())});
  auto ev = changes(*w);
  auto* moved = find(ev, kind::link_removed);
  ASSERT_TRUE(moved);
  EXPECT_EQ(moved->link_value.index, eth0);
  EXPECT_EQ(moved->link_value.name, "eth0");
  ASSERT_TRUE(moved->moved_to_netns_id.has_value()) << "IFLA_NEW_NETNSID";
  EXPECT_GE(*moved->moved_to_netns_id, 0);
  // The id is the one this namespace has for the other (`ip netns list-id`).
  const auto ids = test::run(&h.ns(), {"ip", "netns", "list-id"});
  EXPECT_NE(ids.output.find("nsid " + std::to_string(*moved->moved_to_netns_id)), std::string::npos) << ids.output;
  ASSERT_TRUE(moved->moved_to_index.has_value()) << "IFLA_NEW_IFINDEX";
  EXPECT_EQ(static_cast<std::uint32_t>(*moved->moved_to_index), eth0);
  EXPECT_EQ(w->state().link_by_index(eth0), nullptr);

  test::run_checked(&h.ns(), {"ip", "link", "del", "dev", "eth1"});
  ev = changes(*w);
  auto* deleted = find(ev, kind::link_removed);
  ASSERT_TRUE(deleted);
  EXPECT_EQ(deleted->link_value.index, eth1);
  EXPECT_FALSE(deleted->moved_to_netns_id.has_value());
  EXPECT_FALSE(deleted->moved_to_index.has_value());
}

// #15: rp_filter changed and changed back between two looks at the sysctls
// is seen only in the kernel's netconf notifications (RTM_NEWNETCONF), one
// per change of an interface, of conf/all and of conf/default; IPv6 settings
// come with their family.
TEST(NetWatcher, NetconfChangesAreReportedPerInterfaceAllAndDefault) {
  MCNET_REQUIRE_NETNS();
  auto net = test::network::lan(1);
  const auto& h = (*net)[0];
  // Known values first: the kernel tells a change only.
  h.ns().write_sysctl("net.ipv4.conf.eth0.rp_filter", "0");
  h.ns().write_sysctl("net.ipv4.conf.all.rp_filter", "0");
  h.ns().write_sysctl("net.ipv4.conf.default.rp_filter", "0");
  h.ns().write_sysctl("net.ipv6.conf.eth0.forwarding", "0");
  auto w = h.run([] { return nl::watcher::open(); });
  ASSERT_TRUE(w) << w.error().message();
  const auto eth0 = static_cast<std::int32_t>(h.iface(0).index);
  h.ns().write_sysctl("net.ipv4.conf.eth0.rp_filter", "1");
  h.ns().write_sysctl("net.ipv4.conf.eth0.rp_filter", "0");
  h.ns().write_sysctl("net.ipv4.conf.all.rp_filter", "2");
  h.ns().write_sysctl("net.ipv4.conf.default.rp_filter", "1");
  h.ns().write_sysctl("net.ipv4.conf.default.rp_filter", "1");  // the same value: no message
  h.ns().write_sysctl("net.ipv6.conf.eth0.forwarding", "1");
  std::vector<std::string> seen;
  for (const auto& e : changes(*w)) {
    if (e.what != kind::netconf_changed) continue;
    const auto& c = e.netconf_value;
    const std::string where = c.index == eth0                ? "eth0"
                              : c.index == nl::netconf::all      ? "all"
                              : c.index == nl::netconf::defaults ? "default"
                                                                 : std::to_string(c.index);
    if (c.family == AF_INET && c.rp_filter) seen.push_back("inet " + where + " rp_filter " + std::to_string(*c.rp_filter));
    if (c.family == AF_INET6 && c.forwarding) seen.push_back("inet6 " + where + " forwarding " + std::to_string(*c.forwarding));
  }
  EXPECT_EQ(seen, (std::vector<std::string>{"inet eth0 rp_filter 1", "inet eth0 rp_filter 0", "inet all rp_filter 2",
                                            "inet default rp_filter 1", "inet6 eth0 forwarding 1"}));
}

TEST(NetWatcher, OverflowEndsInResyncAndAFreshState) {
  MCNET_REQUIRE_NETNS();
  auto net = test::network::lan(1);
  const auto& h = (*net)[0];
  auto w = h.run([] { return nl::watcher::open(4096); });  // tiny queue: overflows fast
  ASSERT_TRUE(w) << w.error().message();
  // Thousands of changes while the watcher does not read.
  std::ostringstream batch;
  for (int i = 0; i < 1500; ++i) {
    batch << "address add 10.77." << 100 + i / 250 << '.' << i % 250 + 1 << "/32 dev eth0\n";
  }
  for (int i = 0; i < 1500; i += 2) {
    batch << "address del 10.77." << 100 + i / 250 << '.' << i % 250 + 1 << "/32 dev eth0\n";
  }
  test::run_checked(&h.ns(), {"ip", "-batch", "-"}, batch.str(), std::chrono::seconds(60));

  auto ev = changes(*w);
  ASSERT_TRUE(find(ev, kind::resynced)) << "the queue overflowed and the watcher noticed";
  auto fresh = h.run([] { return nl::take_snapshot({.groups = false}); });
  ASSERT_TRUE(fresh);
  auto key = [](const std::vector<nl::address>& as) {
    std::set<std::string> out;
    for (const auto& a : as) out.insert(std::to_string(a.index) + " " + a.local.to_string() + "/" + std::to_string(unsigned{a.prefix_length}));
    return out;
  };
  EXPECT_EQ(key(w->state().addresses), key(fresh->addresses)) << "never stale";
  EXPECT_EQ(key(w->state().addresses).size(), key(fresh->addresses).size());
  std::set<std::string> names_w, names_f;
  for (const auto& l : w->state().links) names_w.insert(l.name);
  for (const auto& l : fresh->links) names_f.insert(l.name);
  EXPECT_EQ(names_w, names_f);
  EXPECT_TRUE(changes(*w).empty()) << "caught up";
}

}  // namespace
