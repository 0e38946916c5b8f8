// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The mcnet authors
//
// route_to in a namespace: multicast follows the route to whichever of two
// interfaces holds it, for both families; a bound IPv4 source chooses the
// interface that owns it; a unicast destination behind a
// router gives the gateway; no route is an error whose hint names the route
// to add; a link-local group with a scope id answers that interface.

#include <gtest/gtest.h>

#include <linux/fib_rules.h>
#include <linux/rtnetlink.h>
#include <sys/socket.h>

#include <algorithm>

#include <utility>
#include <vector>

#include <mcnet/netlink.hpp>

#include "lan.hpp"
#include "privilege.hpp"

namespace core = mcnet::core;
namespace nl = mcnet::netlink;
namespace test = mcnet::test;

namespace {

const auto group4 = core::ip_address::v4(239, 255, 42, 1);
const auto group6 = core::ip_address::parse("ff1e::42:1").value();

void ip(const test::host& h, std::vector<std::string> args) {
  args.insert(args.begin(), "ip");
  test::run_checked(&h.ns(), args);
}

TEST(Route, RefusesAnInvalidDestination) {
  auto r = nl::route_to(core::ip_address{});
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().code, mcnet::errc::invalid_address);
}

TEST(NetRoute, MulticastFollowsTheRouteToEitherInterface) {
  MCNET_REQUIRE_NETNS();
  auto net = test::network::create({.lans = 2, .hosts = {{.lans = {0, 1}}}});
  const auto& h = (*net)[0];
  const auto eth0 = h.iface(0);
  const auto eth1 = h.iface(1);

  // The harness's 224.0.0.0/4 is on eth0.
  auto first = h.run([] { return nl::route_to(group4); });
  ASSERT_TRUE(first) << first.error().message();
  EXPECT_EQ(first->iface, eth0);

  // Both families' multicast routes on eth1 only.
  ip(h, {"route", "replace", "224.0.0.0/4", "dev", "eth1"});
  ip(h, {"-6", "route", "del", "ff00::/8", "dev", "eth0", "table", "local"});
  h.run([&] {
    auto v4 = nl::route_to(group4);
    ASSERT_TRUE(v4) << v4.error().message();
    EXPECT_EQ(v4->iface, eth1);
    EXPECT_EQ(v4->iface.name.view(), "eth1");
    EXPECT_EQ(v4->preferred_source, h.v4(1));
    EXPECT_FALSE(v4->gateway) << "multicast has no next hop";
    EXPECT_EQ(v4->type, RTN_MULTICAST);
    EXPECT_EQ(v4->table, static_cast<std::uint32_t>(RT_TABLE_MAIN));

    auto v6 = nl::route_to(group6);
    ASSERT_TRUE(v6) << v6.error().message();
    EXPECT_EQ(v6->iface, eth1);
    EXPECT_EQ(v6->preferred_source, h.v6(1));
    EXPECT_FALSE(v6->gateway);
    EXPECT_EQ(v6->type, RTN_MULTICAST);
    EXPECT_EQ(v6->table, static_cast<std::uint32_t>(RT_TABLE_LOCAL)) << "the kernel keeps ff00::/8 per link there";
  });
}

TEST(NetRoute, ABoundSourceChoosesTheInterfaceOfIPv4Multicast) {
  MCNET_REQUIRE_NETNS();
  auto net = test::network::create({.lans = 2, .hosts = {{.lans = {0, 1}}}});
  const auto& h = (*net)[0];
  ip(h, {"route", "replace", "224.0.0.0/4", "dev", "eth1"});
  h.run([&] {
    // Linux sends IPv4 multicast from a bound source out of the interface
    // that owns it (ip_route_output_key_hash), whatever the route says.
    auto from0 = nl::route_to(group4, h.v4(0));
    ASSERT_TRUE(from0) << from0.error().message();
    EXPECT_EQ(from0->iface, h.iface(0));
    auto from1 = nl::route_to(group4, h.v4(1));
    ASSERT_TRUE(from1) << from1.error().message();
    EXPECT_EQ(from1->iface, h.iface(1));

    auto foreign = nl::route_to(group4, core::ip_address::v4(10, 77, 9, 9));
    ASSERT_FALSE(foreign) << "a source this host does not own";
    EXPECT_TRUE(foreign.error().code == std::errc::network_unreachable ||
                foreign.error().code == std::errc::invalid_argument)
        << foreign.error().message();
    EXPECT_EQ(foreign.error().address(), core::ip_address::v4(10, 77, 9, 9)) << "the source is to blame";
    EXPECT_NE(foreign.error().message().find("not an address of this host"), std::string::npos)
        << foreign.error().message();

    auto mixed = nl::route_to(group4, h.v6(0));
    ASSERT_FALSE(mixed);
    EXPECT_EQ(mixed.error().code, mcnet::errc::family_mismatch);

    auto v6 = nl::route_to(group6, h.v6(1));
    ASSERT_TRUE(v6) << v6.error().message();
    EXPECT_NE(v6->iface.index, 0u);
  });
}

TEST(NetRoute, UnicastBehindARouterGivesTheGateway) {
  MCNET_REQUIRE_NETNS();
  auto net = test::network::create({.lans = 2, .hosts = {{.lans = {0}}, {.lans = {1}}}, .router = true});
  const auto& h = (*net)[0];
  const auto& far = (*net)[1];
  h.run([&] {
    auto v4 = nl::route_to(far.v4());
    ASSERT_TRUE(v4) << v4.error().message();
    EXPECT_EQ(v4->iface, h.iface());
    ASSERT_TRUE(v4->gateway);
    EXPECT_EQ(*v4->gateway, core::ip_address::v4(10, 77, 0, 254));
    EXPECT_EQ(v4->preferred_source, h.v4());
    EXPECT_EQ(v4->type, RTN_UNICAST);
    EXPECT_EQ(v4->table, static_cast<std::uint32_t>(RT_TABLE_MAIN));

    auto v6 = nl::route_to(far.v6());
    ASSERT_TRUE(v6) << v6.error().message();
    EXPECT_EQ(v6->iface, h.iface());
    ASSERT_TRUE(v6->gateway);
    EXPECT_EQ(*v6->gateway, core::ip_address::parse("fd77::fe").value());
    EXPECT_EQ(v6->preferred_source, h.v6());

    auto neighbour = nl::route_to(core::ip_address::v4(10, 77, 0, 254));
    ASSERT_TRUE(neighbour) << neighbour.error().message();
    EXPECT_FALSE(neighbour->gateway) << "on the link: no next hop";
  });
}

// matched_route gives the routing table entry the lookup matched: a hand
// route for the group's /24 before the wider 224.0.0.0/4, and 224.0.0.0/4
// once it is gone; route_to gives the destination itself (a /32).
TEST(NetRoute, MatchedRouteGivesTheEntrysPrefix) {
  MCNET_REQUIRE_NETNS();
  auto net = test::network::lan(1);
  const auto& h = (*net)[0];
  ip(h, {"route", "add", "239.255.42.0/24", "dev", "eth0"});
  h.run([&] {
    auto m = nl::matched_route(group4);
    ASSERT_TRUE(m) << m.error().message();
    ASSERT_TRUE(m->destination);
    EXPECT_EQ(*m->destination, core::ip_address::v4(239, 255, 42, 0));
    EXPECT_EQ(m->prefix_length, 24);
    EXPECT_EQ(m->iface.name.view(), "eth0");
    auto r = nl::route_to(group4);
    ASSERT_TRUE(r);
    EXPECT_EQ(r->prefix_length, 32);
  });
  ip(h, {"route", "del", "239.255.42.0/24", "dev", "eth0"});
  h.run([&] {
    auto m = nl::matched_route(group4);
    ASSERT_TRUE(m) << m.error().message();
    ASSERT_TRUE(m->destination);
    EXPECT_EQ(*m->destination, core::ip_address::v4(224, 0, 0, 0));
    EXPECT_EQ(m->prefix_length, 4);
  });
}

// A multipath (ECMP) route: matched_route gives every path (RTA_MULTIPATH)
// with its interface and gateway, the first path's in `iface` (the entry
// has no RTA_OIF); route_to gives the one path its lookup picked, no list.
TEST(NetRoute, MatchedRouteOfAMultipathRouteGivesEveryPath) {
  MCNET_REQUIRE_NETNS();
  auto net = test::network::create({.lans = 2, .hosts = {{.lans = {0, 1}}}});
  const auto& h = (*net)[0];
  ip(h, {"route", "add", "10.77.9.0/24", "nexthop", "via", "10.77.0.254", "dev", "eth0", "nexthop", "via",
         "10.77.1.254", "dev", "eth1"});
  h.run([&] {
    const auto dest = core::ip_address::v4(10, 77, 9, 1);
    auto m = nl::matched_route(dest);
    ASSERT_TRUE(m) << m.error().message();
    ASSERT_EQ(m->nexthops.size(), 2u);
    EXPECT_EQ(m->nexthops[0].iface.name.view(), "eth0");
    EXPECT_EQ(m->nexthops[1].iface.name.view(), "eth1");
    ASSERT_TRUE(m->nexthops[0].gateway);
    ASSERT_TRUE(m->nexthops[1].gateway);
    EXPECT_EQ(*m->nexthops[0].gateway, core::ip_address::v4(10, 77, 0, 254));
    EXPECT_EQ(*m->nexthops[1].gateway, core::ip_address::v4(10, 77, 1, 254));
    EXPECT_EQ(m->iface.name.view(), "eth0");
    EXPECT_EQ(m->prefix_length, 24);
    auto r = nl::route_to(dest);
    ASSERT_TRUE(r) << r.error().message();
    EXPECT_TRUE(r->nexthops.empty());
    EXPECT_TRUE(r->iface.name.view() == "eth0" || r->iface.name.view() == "eth1") << r->iface.name.view();
  });
}

// covering_routes names what a failed lookup does not: a blackhole and an
// unreachable route narrower than 224.0.0.0/4 (the lookup answers EHOSTUNREACH
// for the narrowest), the most specific first, with their types; a route
// that does not cover the group is left out.
TEST(NetRoute, CoveringRoutesNameTheRoutesThatRefuseTheGroupMostSpecificFirst) {
  MCNET_REQUIRE_NETNS();
  auto net = test::network::lan(1);
  const auto& h = (*net)[0];
  ip(h, {"route", "add", "blackhole", "239.255.0.0/16"});
  ip(h, {"route", "add", "unreachable", "239.255.42.0/24"});
  ip(h, {"route", "add", "prohibit", "239.254.0.0/16"});
  h.run([&] {
    EXPECT_EQ(nl::route_to(group4).error().code, std::errc::host_unreachable);
    auto all = nl::covering_routes(group4);
    ASSERT_TRUE(all) << all.error().message();
    std::vector<std::pair<int, int>> seen;  // type, prefix length (main table)
    for (const auto& r : *all) {
      if (r.table == 254) seen.emplace_back(r.type, r.prefix_length);
      if (r.prefix_length > 0) {
        ASSERT_TRUE(r.destination);
        EXPECT_NE(*r.destination, core::ip_address::v4(239, 254, 0, 0)) << "does not cover 239.255.42.1";
      }
    }
    // unreachable /24, blackhole /16, then the LAN's multicast route 224.0.0.0/4 (RTN_UNICAST).
    ASSERT_GE(seen.size(), 3u);
    EXPECT_EQ(seen[0], (std::pair<int, int>{7, 24}));
    EXPECT_EQ(seen[1], (std::pair<int, int>{6, 16}));
    EXPECT_EQ(seen[2].second, 4);
  });
}

TEST(NetRoute, NoRouteIsAnErrorNamingTheRouteToAdd) {
  MCNET_REQUIRE_NETNS();
  auto net = test::network::lan(1);
  const auto& h = (*net)[0];
  ip(h, {"route", "del", "224.0.0.0/4", "dev", "eth0"});
  ip(h, {"-6", "route", "del", "ff00::/8", "dev", "eth0", "table", "local"});
  h.run([&] {
    auto v4 = nl::route_to(group4);
    ASSERT_FALSE(v4);
    EXPECT_EQ(v4.error().code, std::errc::network_unreachable);
    EXPECT_EQ(v4.error().address(), group4);
    EXPECT_NE(v4.error().hint().find("ip route add 224.0.0.0/4 dev IFACE"), std::string_view::npos) << v4.error().message();
    EXPECT_NE(v4.error().message().find("239.255.42.1"), std::string::npos) << v4.error().message();

    auto v6 = nl::route_to(group6);
    ASSERT_FALSE(v6);
    EXPECT_EQ(v6.error().code, std::errc::network_unreachable) << v6.error().message();
    EXPECT_EQ(v6.error().address(), group6);
    EXPECT_NE(v6.error().hint().find("ip -6 route add ff00::/8 dev IFACE"), std::string_view::npos) << v6.error().message();

    auto unicast = nl::route_to(core::ip_address::v4(10, 77, 200, 1));  // no default route in the namespace
    ASSERT_FALSE(unicast);
    EXPECT_EQ(unicast.error().code, std::errc::network_unreachable);
    EXPECT_NE(unicast.error().hint().find("default route"), std::string_view::npos) << unicast.error().message();
  });
}

TEST(NetRoute, LinkLocalGroupWithScopeIdAnswersThatInterface) {
  MCNET_REQUIRE_NETNS();
  auto net = test::network::create({.lans = 2, .hosts = {{.lans = {0, 1}}}});
  const auto& h = (*net)[0];
  h.run([&] {
    const auto all_nodes = core::ip_address::parse("ff02::1").value();
    for (std::size_t i = 0; i < 2; ++i) {
      auto r = nl::route_to(all_nodes.with_scope_id(h.iface(i).index));
      ASSERT_TRUE(r) << r.error().message();
      EXPECT_EQ(r->iface, h.iface(i)) << "scope id " << h.iface(i).index;
      ASSERT_TRUE(r->preferred_source);
      EXPECT_EQ(*r->preferred_source, h.interfaces()[i].v6_link_local) << "a link-local source, scoped to the interface";
    }
    auto nowhere = nl::route_to(all_nodes.with_scope_id(999));
    ASSERT_FALSE(nowhere);
    EXPECT_EQ(nowhere.error().code, mcnet::errc::no_such_interface) << nowhere.error().message();
    EXPECT_EQ(nowhere.error().interface_index(), 999u);
  });
}

// rules() reads `ip rule` as the kernel walks it: by priority, with what
// each matches (to PREFIX, fwmark, iif with its name, not) and does (lookup
// TABLE, unreachable, prohibit, blackhole, goto with its target), for each
// family apart.
TEST(NetRoute, RulesAreReadInTheKernelsOrderWithTheirSelectorsAndActions) {
  MCNET_REQUIRE_NETNS();
  auto net = test::network::lan(1);
  const auto& h = (*net)[0];
  ip(h, {"rule", "add", "to", "239.255.42.0/24", "lookup", "100", "pref", "100"});
  ip(h, {"rule", "add", "to", "239.255.43.0/24", "prohibit", "pref", "90"});
  ip(h, {"rule", "add", "fwmark", "0x5/0xf", "iif", "eth0", "unreachable", "pref", "95"});
  ip(h, {"rule", "add", "not", "to", "239.255.44.0/24", "blackhole", "pref", "32000"});
  ip(h, {"rule", "add", "to", "239.255.45.0/24", "goto", "100", "pref", "80"});
  ip(h, {"rule", "add", "from", "10.77.9.0/24", "iif", "lo", "prohibit", "pref", "85"});
  h.run([&] {
    auto rules = nl::rules(AF_INET);
    ASSERT_TRUE(rules) << rules.error().message();
    std::vector<std::uint32_t> order;
    for (const auto& r : *rules) order.push_back(r.priority);
    EXPECT_TRUE(std::ranges::is_sorted(order));
    const auto by = [&](std::uint32_t pref) -> const nl::rule* {
      const auto it = std::ranges::find(*rules, pref, &nl::rule::priority);
      return it == rules->end() ? nullptr : &*it;
    };
    const auto* lookup = by(100);
    ASSERT_NE(lookup, nullptr);
    EXPECT_EQ(lookup->action, FR_ACT_TO_TBL);
    EXPECT_EQ(lookup->table, 100u);
    ASSERT_TRUE(lookup->destination);
    EXPECT_EQ(*lookup->destination, core::ip_address::v4(239, 255, 42, 0));
    EXPECT_EQ(lookup->destination_length, 24);
    EXPECT_FALSE(lookup->invert);
    const auto* prohibit = by(90);
    ASSERT_NE(prohibit, nullptr);
    EXPECT_EQ(prohibit->action, FR_ACT_PROHIBIT);
    const auto* marked = by(95);
    ASSERT_NE(marked, nullptr);
    EXPECT_EQ(marked->action, FR_ACT_UNREACHABLE);
    EXPECT_EQ(marked->mark, 5u);
    EXPECT_EQ(marked->mark_mask, 0xfu);
    EXPECT_TRUE(marked->input_interface);
    EXPECT_EQ(marked->input_interface_name, "eth0");
    EXPECT_TRUE(marked->output_interface_name.empty());
    EXPECT_FALSE(marked->goto_priority);
    const auto* jump = by(80);
    ASSERT_NE(jump, nullptr);
    EXPECT_EQ(jump->action, FR_ACT_GOTO);
    ASSERT_TRUE(jump->goto_priority);
    EXPECT_EQ(*jump->goto_priority, 100u);
    EXPECT_FALSE(jump->other_selectors) << "a goto is an action, not a selector";
    const auto* from = by(85);
    ASSERT_NE(from, nullptr);
    ASSERT_TRUE(from->source);
    EXPECT_EQ(*from->source, core::ip_address::v4(10, 77, 9, 0));
    EXPECT_EQ(from->source_length, 24);
    EXPECT_EQ(from->input_interface_name, "lo");
    const auto* inverted = by(32000);
    ASSERT_NE(inverted, nullptr);
    EXPECT_EQ(inverted->action, FR_ACT_BLACKHOLE);
    EXPECT_TRUE(inverted->invert);
    // The kernel's own: local (0), main (32766), default (32767).
    const auto* main_rule = by(32766);
    ASSERT_NE(main_rule, nullptr);
    EXPECT_EQ(main_rule->table, 254u);
    // IPv6 has its own list, without these.
    auto six = nl::rules(AF_INET6);
    ASSERT_TRUE(six) << six.error().message();
    EXPECT_EQ(std::ranges::count(*six, 100u, &nl::rule::priority), 0);
  });
}

}  // namespace
