// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The mcnet authors
//
// ipv6::packet_conn over veth in namespaces (IPv6 multicast does not work
// over lo): ASM in ff1e::/16, SSM in ff3e::/32 with two senders and the
// MLDv2 reports, link-local groups by scope id, per-packet interface,
// hop limit and traffic class, path MTU notifications, bad input.

#include <gtest/gtest.h>

#include <chrono>
#include <csignal>
#include <set>
#include <string>
#include <thread>

#include <mcnet/core/socket_ops.hpp>
#include <mcnet/ipv6/options.hpp>
#include <mcnet/ipv6/packet_conn.hpp>

#include "addr.hpp"
#include "lan.hpp"
#include "packet_conn_helpers.hpp"
#include "privilege.hpp"
#include "procnet.hpp"

namespace core = mcnet::core;
namespace ipv6 = mcnet::ipv6;
namespace test = mcnet::test;
using namespace std::chrono_literals;

namespace {

using test::addr;
using test::bytes_of;
using test::drain;
using test::port_of;
using test::texts;

// A receiving packet_conn on [::]:port inside `h`: metadata on, only its own groups.
ipv6::packet_conn receiver(const test::host& h, std::uint16_t port = 0) {
  using cf = ipv6::control_flags;
  const core::endpoint any(core::ip_address::any_v6(), port);
  return test::listen_in<ipv6::packet_conn>(h, any, {.reuse_address = true}, [](auto& c) {
    EXPECT_TRUE(c.set_control_message(cf::traffic_class | cf::hop_limit | cf::destination | cf::interface, true));
    EXPECT_TRUE(c.set_multicast_all(false));
  });
}

ipv6::packet_conn sender(const test::host& h, std::size_t iface = 0) {
  auto configure = [&](auto& c) { EXPECT_TRUE(c.set_multicast_interface(h.iface(iface))); };
  return test::listen_in<ipv6::packet_conn>(h, {h.v6(iface), 0}, {}, configure);
}

TEST(NetIpv6PacketConn, AnySourceToTwoReceiversThenLeave) {
  MCNET_REQUIRE_NETNS();
  auto net = test::network::lan(3);
  const auto group = addr("ff1e::30:1");
  auto a = receiver((*net)[1]);
  auto b = receiver((*net)[2], port_of(a));
  ASSERT_TRUE(a.join_group(group, (*net)[1].iface()));
  ASSERT_TRUE(b.join_group(group, (*net)[2].iface()));
  auto tx = sender((*net)[0]);
  const core::endpoint dest(group, port_of(a));
  for (int i = 0; i < 3; ++i) ASSERT_TRUE(tx.write_to(bytes_of("mld" + std::to_string(i)), dest));
  for (auto* rx : {&a, &b}) {
    auto all = drain(*rx);
    EXPECT_EQ(texts(all), (std::multiset<std::string>{"mld0", "mld1", "mld2"}));
    for (const auto& g : all) {
      EXPECT_EQ(g.r.source.address(), (*net)[0].v6());
      EXPECT_EQ(g.r.control.destination, group);
      EXPECT_EQ(g.r.control.hop_limit, 1) << "multicast hop limit defaults to 1";
    }
  }
  ASSERT_TRUE(a.leave_group(group, (*net)[1].iface()));
  ASSERT_TRUE(tx.write_to(bytes_of("after"), dest));
  EXPECT_TRUE(drain(a).empty());
  EXPECT_EQ(texts(drain(b)), (std::multiset<std::string>{"after"}));
}

TEST(NetIpv6PacketConn, SourceSpecificWithTwoSendersFilterChangeAndReports) {
  MCNET_REQUIRE_NETNS();
  auto net = test::network::lan(3);
  const auto& rx_host = (*net)[2];
  // "ip6", not "icmp6": MLD reports carry a hop-by-hop header before ICMPv6.
  auto capture = rx_host.start({"tcpdump", "-i", "eth0", "-n", "-l", "-vv", "ip6"});
  std::this_thread::sleep_for(500ms);

  const auto ssm = addr("ff3e::8000:30");
  const auto asm_group = addr("ff3e::8000:32");  // exclude mode in the SSM range: Linux allows it
  auto rx = receiver(rx_host);
  auto s0 = sender((*net)[0]);
  auto s1 = sender((*net)[1]);
  auto both = [&](const core::ip_address& g) {
    const core::endpoint to(g, port_of(rx));
    ASSERT_TRUE(s0.write_to(bytes_of("h0"), to));
    ASSERT_TRUE(s1.write_to(bytes_of("h1"), to));
  };

  ASSERT_TRUE(rx.join_source_specific_group(ssm, (*net)[0].v6(), rx_host.iface()));
  both(ssm);
  EXPECT_EQ(texts(drain(rx)), (std::multiset<std::string>{"h0"}));
  const std::array<core::ip_address, 1> only_h1{(*net)[1].v6()};
  ASSERT_TRUE(rx.set_source_filter(ssm, rx_host.iface(), core::filter_mode::include, only_h1));
  both(ssm);
  EXPECT_EQ(texts(drain(rx)), (std::multiset<std::string>{"h1"})) << "switched without rejoining";
  EXPECT_EQ(rx_host.run(test::read_mcfilter6),
            (std::vector<test::mcfilter_row>{{rx_host.iface().index, ssm, (*net)[1].v6(), 1, 0}}));
  std::array<core::ip_address, 2> out{};
  auto state = rx.source_filter(ssm, rx_host.iface(), out);
  ASSERT_TRUE(state) << state.error().message();
  EXPECT_EQ(state->mode, core::filter_mode::include);
  EXPECT_EQ(state->count, 1u);
  EXPECT_EQ(out[0], (*net)[1].v6());

  ASSERT_TRUE(rx.join_group(asm_group, rx_host.iface()));
  ASSERT_TRUE(rx.exclude_source_specific_group(asm_group, (*net)[1].v6(), rx_host.iface()));
  both(asm_group);
  EXPECT_EQ(texts(drain(rx)), (std::multiset<std::string>{"h0"})) << "exclude: all but the blocked source";

  std::this_thread::sleep_for(300ms);
  capture.stop(SIGINT);
  const auto wire = capture.output();
  auto reported = [&](std::initializer_list<const char*> any_of) {
    for (const char* p : any_of) {
      if (wire.find(p) != std::string::npos) return true;
    }
    return false;
  };
  EXPECT_NE(wire.find("multicast listener report v2"), std::string::npos) << wire;
  EXPECT_TRUE(reported({"[gaddr ff3e::8000:30 allow { fd77::1 }]", "[gaddr ff3e::8000:30 to_in { fd77::1 }]"}))
      << wire;
  EXPECT_TRUE(reported({"[gaddr ff3e::8000:30 allow { fd77::2 }]", "[gaddr ff3e::8000:30 to_in { fd77::2 }]"}))
      << wire;
  EXPECT_TRUE(reported({"[gaddr ff3e::8000:32 to_ex { fd77::2 }]", "[gaddr ff3e::8000:32 block { fd77::2 }]"}))
      << wire;
}

// ff12:: is link-local (scope 2): joined on one of two interfaces by scope id.
TEST(NetIpv6PacketConn, LinkLocalGroupByScopeIdAndPerPacketInterface) {
  MCNET_REQUIRE_NETNS();
  auto net = test::network::create({.lans = 2, .hosts = {{.lans = {0, 1}}, {.lans = {0}}, {.lans = {1}}}});
  const auto& multi = (*net)[0];
  auto rx = receiver(multi);
  const auto scoped = addr(("ff12::30:3%" + std::to_string(multi.iface(1).index)).c_str());
  ASSERT_TRUE(rx.join_group(scoped)) << "the scope id names eth1";
  const core::endpoint dest(addr("ff12::30:3"), port_of(rx));
  auto on_lan0 = sender((*net)[1]);
  auto on_lan1 = sender((*net)[2]);
  ASSERT_TRUE(on_lan0.write_to(bytes_of("lan0"), dest));
  ASSERT_TRUE(on_lan1.write_to(bytes_of("lan1"), dest));
  auto all = drain(rx);
  ASSERT_EQ(texts(all), (std::multiset<std::string>{"lan1"}));
  EXPECT_EQ(all[0].r.control.interface_index, multi.iface(1).index);

  // Per packet, the interface chosen with IPV6_PKTINFO.
  auto l0 = receiver((*net)[1], port_of(rx));
  auto l1 = receiver((*net)[2], port_of(rx));
  ASSERT_TRUE(l0.join_group(addr("ff12::30:3"), (*net)[1].iface()));
  ASSERT_TRUE(l1.join_group(addr("ff12::30:3"), (*net)[2].iface()));
  auto tx = multi.run([&] {
    auto c = ipv6::packet_conn::listen(core::endpoint::parse("[::]:0").value()).value();
    EXPECT_TRUE(c.set_multicast_loopback(false));
    return c;
  });
  ipv6::control_message via;
  via.interface_index = multi.iface(0).index;
  ASSERT_TRUE(tx.write_to(bytes_of("eth0"), dest, &via));
  via.interface_index = multi.iface(1).index;
  ASSERT_TRUE(tx.write_to(bytes_of("eth1"), dest, &via));
  EXPECT_EQ(texts(drain(l0)), (std::multiset<std::string>{"eth0"}));
  EXPECT_EQ(texts(drain(l1)), (std::multiset<std::string>{"eth1"}));
}

TEST(NetIpv6PacketConn, HopLimitAndTrafficClassAreSeen) {
  MCNET_REQUIRE_NETNS();
  auto net = test::network::lan(2);
  const auto group = addr("ff1e::30:4");
  auto rx = receiver((*net)[1]);
  ASSERT_TRUE(rx.join_group(group, (*net)[1].iface()));
  auto tx = sender((*net)[0]);
  ASSERT_TRUE(tx.set_multicast_hop_limit(6));
  ASSERT_TRUE(tx.set_traffic_class(0x28));
  const core::endpoint dest(group, port_of(rx));
  ASSERT_TRUE(tx.write_to(bytes_of("socket"), dest));
  ipv6::control_message per_packet;
  per_packet.hop_limit = 9;
  per_packet.traffic_class = 0xb8;
  ASSERT_TRUE(tx.write_to(bytes_of("packet"), dest, &per_packet));
  auto all = drain(rx);
  ASSERT_EQ(all.size(), 2u);
  EXPECT_EQ(all[0].r.control.hop_limit, 6);
  EXPECT_EQ(all[0].r.control.traffic_class, 0x28);
  EXPECT_EQ(all[1].r.control.hop_limit, 9);
  EXPECT_EQ(all[1].r.control.traffic_class, 0xb8);
  EXPECT_EQ(tx.multicast_interface().value(), (*net)[0].iface()) << "Linux reports the IPv6 index back";
}

// SO_TIMESTAMPING through the flags: software stamp present, hardware absent on veth.
TEST(NetIpv6PacketConn, TimestampsThroughTheControlFlags) {
  MCNET_REQUIRE_NETNS();
  auto net = test::network::lan(2);
  const auto group = addr("ff1e::30:5");
  auto rx = test::listen_in<ipv6::packet_conn>((*net)[1], {core::ip_address::any_v6(), 0}, {}, [](auto&) {});
  ASSERT_TRUE(rx.join_group(group, (*net)[1].iface()));
  auto tx = sender((*net)[0]);
  test::expect_timestamps_through_flags(rx, tx, core::endpoint(group, port_of(rx)));
}

TEST(NetIpv6PacketConn, ReadsIntoAReceiveBatch) {
  MCNET_REQUIRE_NETNS();
  auto net = test::network::lan(2);
  const auto group = addr("ff1e::30:6");
  auto rx = test::listen_in<ipv6::packet_conn>((*net)[1], {core::ip_address::any_v6(), 0}, {}, [](auto&) {});
  ASSERT_TRUE(rx.join_group(group, (*net)[1].iface()));
  auto tx = sender((*net)[0]);
  test::expect_receive_batch_through_facade(rx, tx, group, (*net)[1].iface().index);
}

// A datagram past the link MTU with IPV6_DONTFRAG fails with EMSGSIZE, and
// with IPV6_RECVPATHMTU a notification arrives: reported, not a datagram.
TEST(NetIpv6PacketConn, PathMtuNotificationIsReportedNotCounted) {
  MCNET_REQUIRE_NETNS();
  auto net = test::network::lan(2);
  (*net)[0].run([&] {
    auto c = ipv6::packet_conn::listen(core::endpoint((*net)[0].v6(), 0)).value();
    ASSERT_TRUE(core::set(c.socket(), mcnet::ipv6::opt::dont_fragment, true));
    ASSERT_TRUE(c.set_control_message(ipv6::control_flags::path_mtu, true));
    ASSERT_TRUE(c.connect(core::endpoint((*net)[1].v6(), 9)));
    EXPECT_EQ(c.path_mtu().value(), 1500u);
    const std::string big(2000, 'x');
    auto w = c.write_to(bytes_of(big), {});
    ASSERT_FALSE(w);
    EXPECT_EQ(w.error().code, std::errc::message_size);

    c.set_wait(core::wait_policy::deadline(1s));
    std::array<std::byte, 64> buf{};
    auto r = c.read_from(buf);
    ASSERT_TRUE(r) << r.error().message();
    EXPECT_TRUE(r->path_mtu_notification);
    EXPECT_EQ(r->size, 0u);
    EXPECT_EQ(r->control.path_mtu, 1500u);
  });
}

TEST(NetIpv6PacketConn, Ipv4GroupsOnDualStackAndIpv6OnlySockets) {
  MCNET_REQUIRE_NETNS();
  auto net = test::network::lan(2);
  const auto group = addr("239.255.30.5");
  auto rx = receiver((*net)[1]);
  ASSERT_TRUE(rx.join_group(group, (*net)[1].iface())) << "dual-stack: joined at IPPROTO_IP";
  (*net)[0].run([&] {
    auto s = core::listen_udp(core::endpoint((*net)[0].v4(), 0)).value();
    ip_mreqn mreq{};
    mreq.imr_ifindex = static_cast<int>((*net)[0].iface().index);
    ::setsockopt(s.native_handle(), IPPROTO_IP, IP_MULTICAST_IF, &mreq, sizeof mreq);
    std::string text = "v4 to a v6 socket";
    core::message m{.buffer = std::as_writable_bytes(std::span(text)), .size = text.size(),
                    .peer = core::endpoint(group, port_of(rx))};
    ASSERT_TRUE(core::write_to(s, m));
  });
  auto all = drain(rx);
  ASSERT_EQ(texts(all), (std::multiset<std::string>{"v4 to a v6 socket"}));
  EXPECT_EQ(all[0].r.source.address(), (*net)[0].v4()) << "reported as IPv4, not ::ffff:";
  EXPECT_EQ(all[0].r.control.destination, group);

  auto only6 = (*net)[1].run([&] {
    auto s = core::socket::open(AF_INET6, SOCK_DGRAM).value();
    EXPECT_TRUE(core::set(s, mcnet::ipv6::opt::v6_only, true)) << "before bind";
    EXPECT_TRUE(core::bind(s, core::endpoint::parse("[::]:0").value()));
    return ipv6::packet_conn(std::move(s));
  });
  auto r = only6.join_group(group, (*net)[1].iface());
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().code, mcnet::errc::family_mismatch);
  EXPECT_NE(r.error().message().find("IPV6_V6ONLY"), std::string::npos) << r.error().message();
}

TEST(NetIpv6PacketConn, BadInputGetsSpecificErrors) {
  MCNET_REQUIRE_NETNS();
  auto net = test::network::lan(1);
  const auto& h = (*net)[0];
  auto c = receiver(h);
  h.run([&] {
    auto r = c.join_group(addr("ff02::30:6"));
    ASSERT_FALSE(r);
    EXPECT_EQ(r.error().code, mcnet::errc::interface_required);
    EXPECT_NE(r.error().message().find("ff02::1%eth0"), std::string::npos) << r.error().message();
    EXPECT_EQ(c.join_group(addr("ff01::30:6")).error().code, mcnet::errc::interface_required) << "interface-local";
    EXPECT_TRUE(c.join_group(addr("ff1e::30:6"))) << "a global group may use the route";

    r = c.join_group(addr("ff02::30:6%99"));
    ASSERT_FALSE(r);
    EXPECT_EQ(r.error().code, std::errc::no_such_device);
    EXPECT_NE(r.error().message().find("no interface with index 99"), std::string::npos) << r.error().message();

    r = c.join_group(addr(("ff02::30:6%" + std::to_string(h.iface().index)).c_str()), {h.iface().index + 1, {}});
    ASSERT_FALSE(r);
    EXPECT_NE(r.error().message().find("differ"), std::string::npos) << r.error().message();

    r = c.leave_group(addr("ff1e::30:7"), h.iface());
    ASSERT_FALSE(r);
    EXPECT_EQ(r.error().code, std::errc::address_not_available);
    EXPECT_NE(r.error().message().find("not joined"), std::string::npos);

    EXPECT_EQ(c.join_group(addr("fd77::1"), h.iface()).error().code, mcnet::errc::not_multicast);
    EXPECT_EQ(c.join_source_specific_group(addr("ff3e::1"), addr("ff1e::1"), h.iface()).error().code,
              mcnet::errc::source_not_unicast);
    EXPECT_FALSE(c.set_traffic_class(256));
    EXPECT_FALSE(c.set_hop_limit(0));
  });
}

TEST(NetIpv6PacketConn, MldSourceLimitNamesTheSysctl) {
  MCNET_REQUIRE_NETNS();
  auto net = test::network::lan(1);
  const auto& h = (*net)[0];
  auto c = receiver(h);
  h.run([&] {
    const auto group = addr("ff3e::8000:31");
    std::array<std::uint8_t, 16> b{0xfd, 0x77, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0x30, 0};
    mcnet::result<void> r;
    int joined = 0;
    for (int i = 1; i <= 200; ++i) {  // bounded: the default limit is 64
      b[15] = static_cast<std::uint8_t>(i);
      r = c.join_source_specific_group(group, core::ip_address::v6_bytes(b), h.iface());
      if (!r) break;
      ++joined;
    }
    ASSERT_FALSE(r) << "no source limit hit after 200 sources";
    EXPECT_EQ(r.error().code, std::errc::no_buffer_space);
    EXPECT_NE(r.error().message().find("net.ipv6.mld_max_msf"), std::string::npos) << r.error().message();
    RecordProperty("sources_joined", joined);
  });
}

// IPv6 any-source joins have no count limit; socket option memory does:
// past net.core.optmem_max the kernel says ENOMEM, and the error names it.
TEST(NetIpv6PacketConn, OptionMemoryLimitNamesTheSysctl) {
  MCNET_REQUIRE_NETNS();
  auto net = test::network::lan(1);
  const auto& h = (*net)[0];
  h.ns().write_sysctl("net.core.optmem_max", "4096");  // per namespace: a few dozen groups
  auto c = receiver(h);
  h.run([&] {
    std::array<std::uint8_t, 16> b{0xff, 0x1e, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0x31, 0, 0};
    mcnet::result<void> r;
    for (int i = 1; i <= 1000; ++i) {  // bounded; fails long before
      b[14] = static_cast<std::uint8_t>(i >> 8);
      b[15] = static_cast<std::uint8_t>(i);
      r = c.join_group(core::ip_address::v6_bytes(b), h.iface());
      if (!r) break;
    }
    ASSERT_FALSE(r);
    EXPECT_EQ(r.error().code, std::errc::not_enough_memory);
    EXPECT_NE(r.error().message().find("net.core.optmem_max is 4096"), std::string::npos) << r.error().message();
  });
}

TEST(NetIpv6PacketConn, ErrorsNameTheSourceAndASecondJoin) {
  MCNET_REQUIRE_NETNS();
  auto net = test::network::lan(1);
  const auto& h = (*net)[0];
  auto c = receiver(h);
  test::expect_truthful_membership_errors(h, c, "ff3e::8000:40", "fd77::7", "ff1e::40", "ff1e::40:1");
  h.run([&] {
    // Sending to a link-local group without zone or interface: refused
    // before the kernel picks a route.
    const std::array<std::byte, 4> payload{};
    auto w = c.write_to(payload, core::endpoint(addr("ff02::40"), 9));
    ASSERT_FALSE(w);
    EXPECT_EQ(w.error().code, mcnet::errc::interface_required) << w.error().message();
    w = c.connect(core::endpoint(addr("fe80::40"), 9));
    ASSERT_FALSE(w);
    EXPECT_EQ(w.error().code, mcnet::errc::interface_required) << w.error().message();
  });
}

}  // namespace
