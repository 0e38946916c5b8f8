// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The mcnet authors
//
// A behaviour test per IPPROTO_IPV6 / IPPROTO_ICMPV6 table entry, inside a
// private namespace, following what the table records.

#include <gtest/gtest.h>

#include <netinet/icmp6.h>
#include <netinet/in.h>

#include <mcnet/core/dial.hpp>
#include <mcnet/core/socket_ops.hpp>
#include <mcnet/ipv6/options.hpp>

#include "option_test.hpp"
#include "privilege.hpp"

namespace core = mcnet::core;
namespace ipv6 = mcnet::ipv6;
namespace opt = mcnet::ipv6::opt;
namespace test = mcnet::test;
using test::expect_round_trip;
using test::in_host;

namespace {

core::socket udp6() { return core::socket::open(AF_INET6, SOCK_DGRAM).value(); }

TEST(Ipv6Table, EveryEntryHasABehaviourTest) { test::expect_every_entry_tested(opt::ipv6_table); }

TEST(Ipv6Table, Icmp6FilterBits) {
  auto f = ipv6::icmp6_type_filter::pass_all();
  EXPECT_FALSE(f.blocks(ICMP6_ECHO_REPLY));
  f.block(ICMP6_ECHO_REPLY);
  EXPECT_TRUE(f.blocks(ICMP6_ECHO_REPLY));
  EXPECT_FALSE(f.blocks(ICMP6_ECHO_REQUEST));
  // The same bit the libc macro tests.
  icmp6_filter libc{};
  std::memcpy(&libc, f.bits.data(), sizeof libc);
  EXPECT_TRUE(ICMP6_FILTER_WILLBLOCK(ICMP6_ECHO_REPLY, &libc));
  auto all = ipv6::icmp6_type_filter::block_all();
  all.pass(255);
  EXPECT_FALSE(all.blocks(255));
  EXPECT_TRUE(all.blocks(0));
}

MCNET_OPTION_TEST(NetIpv6Option, opt::traffic_class, TrafficClass) {
  MCNET_REQUIRE_NETNS();
  in_host([] {
    auto s = udp6();
    expect_round_trip(s, opt::traffic_class, 0xb8);
    ASSERT_TRUE(core::set(s, opt::traffic_class, -1));
    EXPECT_EQ(core::get(s, opt::traffic_class).value(), 0) << "-1 restores the default";
    EXPECT_FALSE(core::set(s, opt::traffic_class, 256));
  });
}

MCNET_OPTION_TEST(NetIpv6Option, opt::unicast_hops, UnicastHops) {
  MCNET_REQUIRE_NETNS();
  in_host([] {
    auto s = udp6();
    expect_round_trip(s, opt::unicast_hops, 7);
    ASSERT_TRUE(core::set(s, opt::unicast_hops, -1));
    EXPECT_EQ(core::get(s, opt::unicast_hops).value(), 64);
  });
}

MCNET_OPTION_TEST(NetIpv6Option, opt::multicast_interface, MulticastInterfaceReadsBackTheIndex) {
  MCNET_REQUIRE_NETNS();
  auto net = test::network::lan(1);
  (*net)[0].run([&] {
    auto s = udp6();
    expect_round_trip(s, opt::multicast_interface, static_cast<int>((*net)[0].iface().index));
    EXPECT_FALSE(core::set(s, opt::multicast_interface, 999)) << "no such index";
  });
}

MCNET_OPTION_TEST(NetIpv6Option, opt::multicast_hops, MulticastHops) {
  MCNET_REQUIRE_NETNS();
  in_host([] {
    auto s = udp6();
    EXPECT_EQ(core::get(s, opt::multicast_hops).value(), 1) << "kernel default";
    expect_round_trip(s, opt::multicast_hops, 32);
  });
}

MCNET_OPTION_TEST(NetIpv6Option, opt::multicast_loopback, MulticastLoopback) {
  MCNET_REQUIRE_NETNS();
  in_host([] {
    auto s = udp6();
    EXPECT_TRUE(core::get(s, opt::multicast_loopback).value());
    expect_round_trip(s, opt::multicast_loopback, false);
  });
}

MCNET_OPTION_TEST(NetIpv6Option, opt::multicast_all, MulticastAll) {
  MCNET_REQUIRE_NETNS();
  in_host([] {
    auto s = udp6();
    EXPECT_TRUE(core::get(s, opt::multicast_all).value());
    expect_round_trip(s, opt::multicast_all, false);
  });
}

MCNET_OPTION_TEST(NetIpv6Option, opt::unicast_interface, UnicastInterface) {
  MCNET_REQUIRE_NETNS();
  auto net = test::network::lan(1);
  (*net)[0].run([&] { expect_round_trip(udp6(), opt::unicast_interface, (*net)[0].iface().index); });
}

MCNET_OPTION_TEST(NetIpv6Option, opt::v6_only, V6Only) {
  MCNET_REQUIRE_NETNS();
  in_host([] {
    auto s = udp6();
    EXPECT_FALSE(core::get(s, opt::v6_only).value()) << "dual-stack by default (bindv6only=0)";
    expect_round_trip(s, opt::v6_only, true);
    auto mapped = core::bind(s, core::endpoint::parse("127.0.0.1:0").value());
    ASSERT_FALSE(mapped) << "an IPv6-only socket takes no IPv4 address";
  });
}

MCNET_OPTION_TEST(NetIpv6Option, opt::receive_packet_info, ReceivePacketInfo) {
  MCNET_REQUIRE_NETNS();
  in_host([] { expect_round_trip(udp6(), opt::receive_packet_info, true); });
}

MCNET_OPTION_TEST(NetIpv6Option, opt::receive_hop_limit, ReceiveHopLimit) {
  MCNET_REQUIRE_NETNS();
  in_host([] { expect_round_trip(udp6(), opt::receive_hop_limit, true); });
}

MCNET_OPTION_TEST(NetIpv6Option, opt::receive_traffic_class, ReceiveTrafficClass) {
  MCNET_REQUIRE_NETNS();
  in_host([] { expect_round_trip(udp6(), opt::receive_traffic_class, true); });
}

MCNET_OPTION_TEST(NetIpv6Option, opt::receive_original_destination, ReceiveOriginalDestination) {
  MCNET_REQUIRE_NETNS();
  in_host([] { expect_round_trip(udp6(), opt::receive_original_destination, true); });
}

MCNET_OPTION_TEST(NetIpv6Option, opt::receive_path_mtu, ReceivePathMtu) {
  MCNET_REQUIRE_NETNS();
  in_host([] { expect_round_trip(udp6(), opt::receive_path_mtu, true); });
}

MCNET_OPTION_TEST(NetIpv6Option, opt::dont_fragment, DontFragment) {
  MCNET_REQUIRE_NETNS();
  in_host([] { expect_round_trip(udp6(), opt::dont_fragment, true); });
}

MCNET_OPTION_TEST(NetIpv6Option, opt::path_mtu, PathMtuOnAConnectedSocket) {
  MCNET_REQUIRE_NETNS();
  auto net = test::network::lan(2);
  (*net)[0].run([&] {
    auto s = udp6();
    auto unconnected = core::get(s, opt::path_mtu);
    ASSERT_FALSE(unconnected);
    EXPECT_EQ(unconnected.error().code, std::errc::not_connected);
    ASSERT_TRUE(core::connect(s, core::endpoint((*net)[1].v6(), 9)));
    EXPECT_EQ(core::get(s, opt::path_mtu).value(), 1500u);
  });
}

MCNET_OPTION_TEST(NetIpv6Option, opt::mtu_discover, MtuDiscover) {
  MCNET_REQUIRE_NETNS();
  in_host([] { expect_round_trip(udp6(), opt::mtu_discover, int{IPV6_PMTUDISC_DO}); });
}

MCNET_OPTION_TEST(NetIpv6Option, opt::mtu, MtuSetsFragmentSizeButReadsThePathMtu) {
  MCNET_REQUIRE_NETNS();
  auto net = test::network::lan(2);
  (*net)[0].run([&] {
    auto s = udp6();
    ASSERT_TRUE(core::set(s, opt::mtu, 1300));
    ASSERT_TRUE(core::connect(s, core::endpoint((*net)[1].v6(), 9)));
    EXPECT_EQ(core::get(s, opt::mtu).value(), 1500) << "Linux reads back the path MTU (the table records partial)";
  });
}

MCNET_OPTION_TEST(NetIpv6Option, opt::checksum_offset, ChecksumOffsetOnRawSockets) {
  MCNET_REQUIRE_NETNS();
  in_host([] {
    auto raw = core::socket::open(AF_INET6, SOCK_RAW, IPPROTO_UDP).value();
    expect_round_trip(raw, opt::checksum_offset, 6);
    expect_round_trip(raw, opt::checksum_offset, -1);
    auto icmp = core::socket::open(AF_INET6, SOCK_RAW, IPPROTO_ICMPV6).value();
    EXPECT_FALSE(core::set(icmp, opt::checksum_offset, 2)) << "ICMPv6 sockets always checksum at offset 2";
  });
}

MCNET_OPTION_TEST(NetIpv6Option, opt::receive_errors, ReceiveErrors) {
  MCNET_REQUIRE_NETNS();
  in_host([] { expect_round_trip(udp6(), opt::receive_errors, true); });
}

MCNET_OPTION_TEST(NetIpv6Option, opt::free_bind, FreeBind) {
  MCNET_REQUIRE_NETNS();
  in_host([] {
    auto s = udp6();
    expect_round_trip(s, opt::free_bind, true);
    auto r = core::bind(s, core::endpoint::parse("[fd77:99::1]:0").value());
    EXPECT_TRUE(r) << r.error().message();
  });
}

MCNET_OPTION_TEST(NetIpv6Option, opt::transparent, Transparent) {
  MCNET_REQUIRE_NETNS();
  in_host([] { expect_round_trip(udp6(), opt::transparent, true); });
}

MCNET_OPTION_TEST(NetIpv6Option, opt::icmp6_type_filter_option, Icmp6FilterOnRawIcmpv6Sockets) {
  MCNET_REQUIRE_NETNS();
  in_host([] {
    auto icmp = core::socket::open(AF_INET6, SOCK_RAW, IPPROTO_ICMPV6).value();
    auto f = ipv6::icmp6_type_filter::block_all();
    f.pass(ICMP6_ECHO_REPLY);
    expect_round_trip(icmp, opt::icmp6_type_filter_option, f);
  });
}

}  // namespace
