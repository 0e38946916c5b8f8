// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The mcnet authors
//
// The netlink layer in a namespace: the snapshot shows exactly what the test
// made; targeted lookups; joined groups through netlink and through the
// forced /proc path; the resolver with every kind of input; in_namespace.

#include <gtest/gtest.h>

#include <linux/if_addr.h>
#include <linux/rtnetlink.h>
#include <net/if.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <sched.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <thread>

#include <mcnet/core/dial.hpp>
#include <mcnet/core/membership.hpp>
#include <mcnet/netlink.hpp>

#include "lan.hpp"
#include "privilege.hpp"

namespace core = mcnet::core;
namespace nl = mcnet::netlink;
namespace test = mcnet::test;

namespace {

// h0 on LAN 0 (eth0) and LAN 1 (eth1); eth1 with MTU 1400 and two alt names.
std::unique_ptr<test::network> two_lan_host() {
  auto net = test::network::create({.lans = 2, .hosts = {{.lans = {0, 1}}}});
  test::run_checked(&(*net)[0].ns(), {"ip", "link", "set", "dev", "eth1", "mtu", "1400"});
  test::run_checked(&(*net)[0].ns(), {"ip", "link", "property", "add", "dev", "eth1", "altname", "uplink-b",
                                      "altname", "a-rather-long-alternative-name"});
  return net;
}

const nl::address* find_address(const std::vector<nl::address>& all, const core::ip_address& a) {
  auto it = std::find_if(all.begin(), all.end(), [&](const nl::address& x) { return x.local.with_scope_id(0) == a.with_scope_id(0); });
  return it == all.end() ? nullptr : &*it;
}

TEST(NetNetlink, SnapshotShowsExactlyWhatTheTestMade) {
  MCNET_REQUIRE_NETNS();
  auto net = two_lan_host();
  const auto& h = (*net)[0];
  auto snap = h.run([] { return nl::take_snapshot(); });
  ASSERT_TRUE(snap) << snap.error().message();
  EXPECT_TRUE(snap->consistent);
  std::vector<std::string> names;
  for (const auto& l : snap->links) names.push_back(l.name);
  EXPECT_EQ(names, (std::vector<std::string>{"lo", "eth0", "eth1"}));

  const auto* eth0 = snap->link_by_name("eth0");
  const auto* eth1 = snap->link_by_name("eth1");
  ASSERT_TRUE(eth0 && eth1);
  EXPECT_EQ(eth0->index, h.iface(0).index);
  EXPECT_EQ(eth1->index, h.iface(1).index);
  EXPECT_EQ(eth0->mtu, 1500u);
  EXPECT_EQ(eth1->mtu, 1400u);
  EXPECT_EQ(eth0->max_mtu, 65535u) << "a veth's IFLA_MAX_MTU (ETH_MAX_MTU)";
  EXPECT_TRUE(eth0->is_up() && eth0->has_carrier() && eth0->is_multicast());
  EXPECT_EQ(eth0->operstate, nl::oper_state::up);
  EXPECT_EQ(eth0->kind, "veth");
  EXPECT_EQ(eth0->hardware_address_length, 6u);
  EXPECT_EQ(eth1->alt_names, (std::vector<std::string>{"uplink-b", "a-rather-long-alternative-name"}));
  EXPECT_EQ(snap->link_by_name("uplink-b"), eth1) << "alt names find the link";
  ASSERT_TRUE(eth0->parent_netns_id.has_value()) << "the veth peer lives in the switch namespace";
  const auto* lo = snap->link_by_name("lo");
  ASSERT_TRUE(lo);
  EXPECT_TRUE(lo->is_loopback());
  EXPECT_FALSE(lo->is_multicast());
  EXPECT_FALSE(lo->parent.has_value());

  const auto* v4 = find_address(snap->addresses, h.v4(0));
  ASSERT_TRUE(v4);
  EXPECT_EQ(v4->index, eth0->index);
  EXPECT_EQ(v4->prefix_length, 24u);
  EXPECT_EQ(v4->label_text(), "eth0") << "IPv4 addresses carry their interface's label";
  EXPECT_EQ(v4->broadcast, core::ip_address());  // `ip address add` without brd
  const auto* v6 = find_address(snap->addresses, h.v6(1));
  ASSERT_TRUE(v6);
  EXPECT_EQ(v6->index, eth1->index);
  EXPECT_EQ(v6->prefix_length, 64u);
  EXPECT_TRUE(v6->usable()) << "nodad: not tentative";
  EXPECT_TRUE((v6->flags & IFA_F_NODAD) != 0);
  const auto* ll = find_address(snap->addresses, h.interfaces()[0].v6_link_local);
  ASSERT_TRUE(ll);
  EXPECT_EQ(ll->local.scope_id(), eth0->index) << "link-local addresses carry their interface";
  EXPECT_EQ(ll->prefix_length, 64u);
  EXPECT_EQ(ll->scope, RT_SCOPE_LINK);
}

TEST(NetNetlink, TargetedLookups) {
  MCNET_REQUIRE_NETNS();
  auto net = two_lan_host();
  const auto& h = (*net)[0];
  h.run([&] {
    auto by_index = nl::link_by_index(h.iface(1).index);
    ASSERT_TRUE(by_index) << by_index.error().message();
    EXPECT_EQ(by_index->name, "eth1");
    auto by_name = nl::link_by_name("eth0");
    ASSERT_TRUE(by_name);
    EXPECT_EQ(by_name->index, h.iface(0).index);
    auto by_short_alt = nl::link_by_name("uplink-b");
    ASSERT_TRUE(by_short_alt) << by_short_alt.error().message();
    EXPECT_EQ(by_short_alt->name, "eth1");
    auto by_long_alt = nl::link_by_name("a-rather-long-alternative-name");  // > 15 bytes: IFLA_ALT_IFNAME
    ASSERT_TRUE(by_long_alt) << by_long_alt.error().message();
    EXPECT_EQ(by_long_alt->name, "eth1");

    auto missing = nl::link_by_name("eth7");
    ASSERT_FALSE(missing);
    EXPECT_EQ(missing.error().code, mcnet::errc::no_such_interface);
    EXPECT_EQ(missing.error().input(), "eth7");
    EXPECT_EQ(nl::link_by_index(999).error().code, mcnet::errc::no_such_interface);
    EXPECT_FALSE(nl::link_by_index(0));

    auto addrs = nl::addresses_of(h.iface(1).index);
    ASSERT_TRUE(addrs) << addrs.error().message();
    EXPECT_TRUE(std::all_of(addrs->begin(), addrs->end(), [&](const nl::address& a) { return a.index == h.iface(1).index; }));
    EXPECT_TRUE(find_address(*addrs, h.v4(1)));
    EXPECT_TRUE(find_address(*addrs, h.v6(1)));
    EXPECT_FALSE(find_address(*addrs, h.v4(0))) << "only eth1's";
  });
}

class NetNetlinkGroups : public ::testing::TestWithParam<nl::group_source> {};

TEST_P(NetNetlinkGroups, JoinsAppearAndDisappear) {
  MCNET_REQUIRE_NETNS();
  auto net = test::network::lan(1);
  const auto& h = (*net)[0];
  const auto index = h.iface().index;
  const auto v4 = core::ip_address::v4(239, 255, 40, 1);
  const auto v6 = core::ip_address::parse("ff1e::40:1").value();
  auto has = [&](const std::vector<nl::group>& gs, const core::ip_address& g) {
    return std::any_of(gs.begin(), gs.end(), [&](const nl::group& x) { return x.address == g && x.index == index; });
  };
  h.run([&] {
    auto s4 = core::listen_udp(core::endpoint::parse("0.0.0.0:0").value()).value();
    auto s6 = core::listen_udp(core::endpoint::parse("[::]:0").value()).value();
    ASSERT_TRUE(core::join_group(s4, v4, index));
    ASSERT_TRUE(core::join_group(s6, v6, index));
    auto joined = nl::groups_of(index, GetParam());
    ASSERT_TRUE(joined) << joined.error().message();
    EXPECT_TRUE(has(*joined, v4));
    EXPECT_TRUE(has(*joined, v6));
    EXPECT_TRUE(has(*joined, core::ip_address::v4(224, 0, 0, 1))) << "all-hosts, joined by the kernel";
    if (GetParam() == nl::group_source::proc) {
      auto it = std::find_if(joined->begin(), joined->end(), [&](const nl::group& g) { return g.address == v4; });
      ASSERT_NE(it, joined->end());
      EXPECT_EQ(it->users, 1u) << "/proc knows how many sockets hold it";
    }
    auto snap = nl::take_snapshot({.groups_from = GetParam()});
    ASSERT_TRUE(snap);
    EXPECT_TRUE(has(snap->groups, v4) && has(snap->groups, v6));

    ASSERT_TRUE(core::leave_group(s4, v4, index));
    ASSERT_TRUE(core::leave_group(s6, v6, index));
    auto left = nl::groups_of(index, GetParam());
    ASSERT_TRUE(left);
    EXPECT_FALSE(has(*left, v4));
    EXPECT_FALSE(has(*left, v6));
  });
}

INSTANTIATE_TEST_SUITE_P(Source, NetNetlinkGroups, ::testing::Values(nl::group_source::automatic, nl::group_source::proc),
                         [](const auto& p) { return p.param == nl::group_source::proc ? "Proc" : "Netlink"; });

TEST(NetNetlink, InNamespaceRunsCallsThere) {
  MCNET_REQUIRE_NETNS();
  auto net = two_lan_host();
  auto snap = nl::in_namespace((*net)[0].ns().fd(), [] { return nl::take_snapshot({.groups = false}); });
  ASSERT_TRUE(snap) << snap.error().message();
  ASSERT_TRUE(*snap);
  EXPECT_TRUE((*snap)->link_by_name("eth1"));
  auto bad = nl::in_namespace(-1, [] { return 1; });
  ASSERT_FALSE(bad);
  EXPECT_EQ(bad.error().op, "setns");
  EXPECT_EQ(bad.error().code, std::errc::bad_file_descriptor);
}

// One thread's cached socket follows the thread: setns back and forth, then
// a fork whose child moves to a namespace of its own, must each be seen by
// the next call (the cache checks the thread's namespace on every call).
TEST(NetNetlink, LookupsFollowTheThreadAcrossSetnsAndFork) {
  MCNET_REQUIRE_NETNS();
  auto net = two_lan_host();
  auto empty = test::netns::create();
  auto names = [] {
    std::vector<std::string> out;
    if (auto snap = nl::take_snapshot({.groups = false})) {
      for (const auto& l : snap->links) out.push_back(l.name);
    }
    return out;
  };
  const std::vector<std::string> host = {"lo", "eth0", "eth1"};
  const std::vector<std::string> only_lo = {"lo"};
  std::vector<std::vector<std::string>> seen;
  int child_status = -1;
  std::thread worker([&] {
    if (::setns((*net)[0].ns().fd(), CLONE_NEWNET) != 0) return;
    seen.push_back(names());
    if (::setns(empty.fd(), CLONE_NEWNET) != 0) return;
    seen.push_back(names());
    if (::setns((*net)[0].ns().fd(), CLONE_NEWNET) != 0) return;
    seen.push_back(names());
    const pid_t child = ::fork();
    if (child == 0) {
      // The child inherits this thread's cache; in a new namespace it must
      // see only that namespace's loopback, and eth0 must be unknown.
      if (::unshare(CLONE_NEWNET) != 0) ::_exit(2);
      std::vector<std::string> mine;
      if (auto snap = nl::take_snapshot({.groups = false})) {
        for (const auto& l : snap->links) mine.push_back(l.name);
      }
      const bool ok = mine == std::vector<std::string>{"lo"} && !nl::link_by_name("eth0");
      ::_exit(ok ? 0 : 1);
    }
    if (child > 0) ::waitpid(child, &child_status, 0);
    seen.push_back(names());  // the parent's cache is untouched by the child
  });
  worker.join();
  ASSERT_EQ(seen.size(), 4u);
  EXPECT_EQ(seen[0], host);
  EXPECT_EQ(seen[1], only_lo);
  EXPECT_EQ(seen[2], host);
  ASSERT_TRUE(WIFEXITED(child_status)) << child_status;
  EXPECT_EQ(WEXITSTATUS(child_status), 0) << "1: the forked child saw its parent's namespace; 2: unshare failed";
  EXPECT_EQ(seen[3], host);
}

TEST(NetNetlink, InNamespaceTakesVoidCallablesAndRethrows) {
  MCNET_REQUIRE_NETNS();
  auto net = test::network::lan(1);
  const int ns = (*net)[0].ns().fd();
  std::uint32_t eth0 = 0;
  auto lookup = [&] { eth0 = nl::link_by_name("eth0").value().index; };  // an lvalue callable
  auto done = nl::in_namespace(ns, lookup);
  ASSERT_TRUE(done) << done.error().message();
  EXPECT_EQ(eth0, (*net)[0].iface().index);
  EXPECT_THROW((void)nl::in_namespace(ns, []() -> int { throw std::runtime_error("inside"); }), std::runtime_error);
  bool ran = false;
  auto refused = nl::in_namespace(-1, [&] { ran = true; });
  EXPECT_FALSE(refused);
  EXPECT_FALSE(ran) << "nothing runs when setns fails";
}

// ---------------------------------------------------------------- resolver

TEST(NetResolver, EveryKindOfInput) {
  MCNET_REQUIRE_NETNS();
  auto net = two_lan_host();
  const auto& h = (*net)[0];
  h.run([&] {
    auto snap = nl::take_snapshot({.groups = false}).value();
    const auto eth0 = h.iface(0);
    const auto eth1 = h.iface(1);
    struct good {
      std::string spec;
      std::uint32_t index;
      core::ip_address first;  // invalid: any
    };
    const std::vector<good> table = {
        {"eth0", eth0.index, {}},
        {"uplink-b", eth1.index, {}},
        {std::to_string(eth1.index), eth1.index, {}},
        {"10.77.0.1", eth0.index, h.v4(0)},
        {"fd77:0:0:1::1", eth1.index, h.v6(1)},
        {h.interfaces()[0].v6_link_local.with_scope_id(0).to_string() + "%eth0", eth0.index,
         h.interfaces()[0].v6_link_local},
        {"10.77.1.0/24", eth1.index, h.v4(1)},
        {"fd77::/64", eth0.index, h.v6(0)},
    };
    for (const auto& t : table) {
      auto r = nl::resolve(t.spec, snap);
      ASSERT_TRUE(r) << t.spec << ": " << r.error().message();
      EXPECT_EQ(r->iface.index, t.index) << t.spec;
      if (t.first.is_valid()) {
        ASSERT_FALSE(r->addresses.empty()) << t.spec;
        EXPECT_EQ(r->addresses.front(), t.first) << t.spec;
      }
      EXPECT_TRUE(r->warnings.empty()) << t.spec;
    }
    auto kernel = nl::resolve("kernel", snap);
    ASSERT_TRUE(kernel);
    EXPECT_TRUE(kernel->iface.is_kernel_choice());

    struct bad {
      std::string spec;
      mcnet::errc code;
      std::size_t candidates;  // how many listed
    };
    const std::vector<bad> bad_table = {
        {"", mcnet::errc::value_out_of_range, 3},
        {"eth9", mcnet::errc::no_such_interface, 3},
        {"999", mcnet::errc::no_such_interface, 3},
        {"0", mcnet::errc::no_such_interface, 3},
        {"10.99.0.1", mcnet::errc::no_such_interface, 3},
        {"10.0.0.0/8", mcnet::errc::value_out_of_range, 2},      // both eth0 and eth1
        {"fd77::/16", mcnet::errc::value_out_of_range, 2},
        {"192.168.77.0/24", mcnet::errc::no_such_interface, 3},
        {"10.77.0.256", mcnet::errc::invalid_address, 3},
        {"10.77.0.0/33", mcnet::errc::invalid_prefix, 3},
        {"fe80::1%eth0", mcnet::errc::no_such_interface, 3},
    };
    for (const auto& t : bad_table) {
      auto r = nl::resolve(t.spec, snap);
      ASSERT_FALSE(r) << t.spec;
      EXPECT_EQ(r.error().reason.code, t.code) << t.spec << ": " << r.error().message();
      EXPECT_EQ(r.error().candidates.size(), t.candidates) << t.spec << ": " << r.error().message();
      EXPECT_NE(r.error().message().find("eth"), std::string::npos) << "candidates are named: " << r.error().message();
    }
  });
}

TEST(NetResolver, WarnsWhenMulticastWillNotWork) {
  MCNET_REQUIRE_NETNS();
  auto net = two_lan_host();
  const auto& h = (*net)[0];
  test::run_checked(&h.ns(), {"ip", "link", "set", "dev", "eth1", "down"});
  test::run_checked(&h.ns(), {"ip", "link", "set", "dev", "eth0", "multicast", "off"});
  h.run([&] {
    auto down = nl::resolve("eth1");
    ASSERT_TRUE(down) << down.error().message();
    ASSERT_EQ(down->warnings.size(), 1u);
    EXPECT_NE(down->warnings[0].find("eth1 is down"), std::string::npos);
    auto no_mc = nl::resolve("eth0");
    ASSERT_TRUE(no_mc);
    ASSERT_EQ(no_mc->warnings.size(), 1u);
    EXPECT_NE(no_mc->warnings[0].find("lacks the MULTICAST flag"), std::string::npos);
  });
}

}  // namespace

namespace {

TEST(LibnlCategory, ConditionsCompareEqualToStdErrc) {
  const auto nodev = nl::make_libnl_error(-31);  // NLE_NODEV
  EXPECT_STREQ(nodev.category().name(), "libnl");
  EXPECT_EQ(nodev.value(), 31);
  EXPECT_EQ(nodev, std::errc::no_such_device);
  EXPECT_EQ(nl::make_libnl_error(5), std::errc::not_enough_memory) << "NLE_NOMEM";
  EXPECT_EQ(nl::make_libnl_error(-33), std::errc::interrupted) << "NLE_DUMP_INTR";
  EXPECT_FALSE(nodev.message().empty());
  EXPECT_NE(nl::make_libnl_error(28), std::errc::no_such_device) << "NLE_PERM is not NODEV";
}

// The interface-level filter worked out from the counts Linux exports
// (users per group, include/exclude sockets per source): RFC 3376 3.2.
TEST(NetlinkGroupFilter, ModeAndSourcesFromTheKernelsCounts) {
  const auto g = core::ip_address::parse("232.1.1.1").value();
  const auto a = core::ip_address::parse("10.77.0.1").value();
  const auto b = core::ip_address::parse("10.77.0.2").value();
  using nl::filter_mode;
  using nl::group_filter;
  // Any-source joins: every user excludes nothing.
  auto f = group_filter::of(2, g, 3, {});
  EXPECT_EQ(f.mode, filter_mode::exclude);
  EXPECT_TRUE(f.sources_known);
  EXPECT_TRUE(f.sources.empty());
  // Two exclude sockets: only what both exclude is excluded.
  f = group_filter::of(2, g, 2, {{a, 0, 2}, {b, 0, 1}});
  EXPECT_EQ(f.mode, filter_mode::exclude);
  EXPECT_EQ(f.sources, std::vector<core::ip_address>{a});
  // One socket including two sources (one user): include both.
  f = group_filter::of(2, g, 1, {{a, 1, 0}, {b, 1, 0}});
  EXPECT_EQ(f.mode, filter_mode::include);
  EXPECT_EQ(f.sources, (std::vector<core::ip_address>{a, b}));
  // Two sockets including the same source: include.
  f = group_filter::of(2, g, 2, {{a, 2, 0}});
  EXPECT_EQ(f.mode, filter_mode::include);
  // An include socket and an any-source join: more users than inclusions.
  f = group_filter::of(2, g, 2, {{a, 1, 0}});
  EXPECT_EQ(f.mode, filter_mode::exclude);
  EXPECT_TRUE(f.sources_known);
  EXPECT_TRUE(f.sources.empty());
  // Two users, two sources included once each: one socket with both and an
  // any-source join, or two include sockets; the counts cannot tell.
  f = group_filter::of(2, g, 2, {{a, 1, 0}, {b, 1, 0}});
  EXPECT_EQ(f.mode, filter_mode::unknown);
  EXPECT_FALSE(f.sources_known);
  EXPECT_EQ(f.counts.size(), 2u) << "the counts are kept whatever the mode";
  // Included and excluded: exclude. Two users, one INCLUDE entry: one
  // INCLUDE socket and one EXCLUDE socket, which excludes b: b is listed.
  f = group_filter::of(2, g, 2, {{a, 1, 0}, {b, 0, 1}});
  EXPECT_EQ(f.mode, filter_mode::exclude);
  EXPECT_TRUE(f.sources_known);
  EXPECT_EQ(f.sources, std::vector<core::ip_address>{b});
  // trial20k 8: S,G beside !S,G (S: INC 1 EXC 1): a source an INCLUDE
  // socket wants is never excluded, so the list is decided, empty.
  f = group_filter::of(2, g, 2, {{a, 1, 1}});
  EXPECT_EQ(f.mode, filter_mode::exclude);
  EXPECT_TRUE(f.sources_known);
  EXPECT_TRUE(f.sources.empty());
  // !a,G + !b,G + b,G: three sockets, one INCLUDE (include_sum 1), so two
  // EXCLUDE sockets: a, excluded by one of them, is not listed.
  f = group_filter::of(2, g, 3, {{a, 0, 1}, {b, 1, 1}});
  EXPECT_EQ(f.mode, filter_mode::exclude);
  EXPECT_TRUE(f.sources_known);
  EXPECT_TRUE(f.sources.empty());
  // Two INCLUDE entries of a, one EXCLUDE of b, four users: one or two
  // INCLUDE sockets, so two or three EXCLUDE ones (an any-source join among
  // them): b, excluded by one, is not listed; by two it might be: unknown.
  f = group_filter::of(2, g, 4, {{a, 2, 0}, {b, 0, 1}});
  EXPECT_TRUE(f.sources_known);
  EXPECT_TRUE(f.sources.empty());
  f = group_filter::of(2, g, 4, {{a, 1, 0}, {core::ip_address::parse("10.77.0.3").value(), 1, 0}, {b, 0, 2}});
  EXPECT_EQ(f.mode, filter_mode::exclude);
  EXPECT_FALSE(f.sources_known);
  EXPECT_TRUE(f.sources.empty());
  EXPECT_STREQ(group_filter::mode_name(filter_mode::unknown), "unknown");
}

// group_filters() against joins made here, in a namespace: the kernel's
// /proc files read back as the sockets asked, and a group that Linux's
// mcfilter listing skips (its interface's latest join has no sources) is
// unknown rather than guessed.
TEST(NetNetlink, GroupFiltersShowTheSocketsSourceFilters) {
  MCNET_REQUIRE_NETNS();
  auto net = test::network::lan(1);
  const auto& h = (*net)[0];
  // The joins and the reads in the host's namespace, in one call: the
  // sockets are closed before it returns.
  const auto done = h.run([&]() -> std::pair<std::string, std::string> {
    const auto describe = [] {
      auto filters = nl::group_filters();
      if (!filters) return filters.error().message();
      std::string out;
      for (const auto& f : *filters) {
        (out += f.group.to_string()) += ' ';
        out += nl::group_filter::mode_name(f.mode);
        for (const auto& a : f.sources) (out += ' ') += a.to_string();
        out += ';';
      }
      return out;
    };
    const auto any_source = [](std::uint32_t group) {
      const int fd = ::socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
      ip_mreqn any{};
      any.imr_multiaddr.s_addr = htonl(group);
      any.imr_ifindex = static_cast<int>(::if_nametoindex("eth0"));
      return ::setsockopt(fd, IPPROTO_IP, IP_ADD_MEMBERSHIP, &any, sizeof any) == 0 ? fd : -1;
    };
    const int asm1 = any_source(0xefff0101);  // 239.255.1.1
    const int ssm = ::socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
    ip_mreq_source src{};
    src.imr_multiaddr.s_addr = htonl(0xe8010101);  // 232.1.1.1
    src.imr_interface.s_addr = htonl(0x0a4d0001);  // 10.77.0.1, eth0's
    src.imr_sourceaddr.s_addr = htonl(0x0a4d0005);  // 10.77.0.5
    if (asm1 < 0 || ::setsockopt(ssm, IPPROTO_IP, IP_ADD_SOURCE_MEMBERSHIP, &src, sizeof src) != 0) {
      return {"join failed", ""};
    }
    const auto listed = describe();
    const int asm2 = any_source(0xefff0102);  // 239.255.1.2, now eth0's latest join
    const auto skipped = describe();
    for (const int fd : {asm1, ssm, asm2}) ::close(fd);
    return {listed, skipped};
  });
  EXPECT_NE(done.first.find("232.1.1.1 include 10.77.0.5;"), std::string::npos) << done.first;
  EXPECT_NE(done.first.find("239.255.1.1 exclude;"), std::string::npos) << done.first;
  EXPECT_NE(done.second.find("239.255.1.2 exclude;"), std::string::npos) << done.second;
  EXPECT_NE(done.second.find("232.1.1.1 unknown;"), std::string::npos) << done.second;
}

}  // namespace
