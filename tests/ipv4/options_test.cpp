// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The mcnet authors
//
// A behaviour test per IPPROTO_IP / SOL_RAW table entry, inside a private
// namespace, following what the table records.

#include <gtest/gtest.h>

#include <netinet/in.h>
#include <netinet/ip_icmp.h>

#include <mcnet/core/dial.hpp>
#include <mcnet/core/socket_ops.hpp>
#include <mcnet/ipv4/options.hpp>

#include "option_test.hpp"
#include "privilege.hpp"

namespace core = mcnet::core;
namespace opt = mcnet::ipv4::opt;
namespace test = mcnet::test;
using test::expect_round_trip;
using test::in_host;

namespace {

core::socket udp() { return core::socket::open(AF_INET, SOCK_DGRAM).value(); }

TEST(IpTable, EveryEntryHasABehaviourTest) { test::expect_every_entry_tested(opt::ip_table); }

TEST(IpTable, ValuesAreCheckedBeforeTheKernel) {
  auto s = udp();
  auto tos = core::set(s, opt::tos, 256);
  ASSERT_FALSE(tos);
  EXPECT_EQ(tos.error().code, mcnet::errc::value_out_of_range);
  EXPECT_EQ(tos.error().what, "IP_TOS");
  EXPECT_EQ(tos.error().number(), 256);
  EXPECT_FALSE(core::set(s, opt::multicast_ttl, 256));
  EXPECT_FALSE(core::set(s, opt::ttl, -2));
  EXPECT_FALSE(core::set(s, opt::mtu_discover, 9));
  auto v6 = core::set(s, opt::multicast_interface, {0, core::ip_address::parse("fd77::1").value()});
  ASSERT_FALSE(v6);
  EXPECT_EQ(v6.error().code, mcnet::errc::family_mismatch);
}

MCNET_OPTION_TEST(NetIpOption, opt::tos, Tos) {
  MCNET_REQUIRE_NETNS();
  in_host([] {
    auto s = udp();
    expect_round_trip(s, opt::tos, 0xb8);
    expect_round_trip(s, opt::tos, 0);
  });
}

MCNET_OPTION_TEST(NetIpOption, opt::ttl, Ttl) {
  MCNET_REQUIRE_NETNS();
  in_host([] {
    auto s = udp();
    expect_round_trip(s, opt::ttl, 5);
    ASSERT_TRUE(core::set(s, opt::ttl, -1));
    EXPECT_EQ(core::get(s, opt::ttl).value(), 64) << "-1 restores the default";
    auto zero = core::set(s, opt::ttl, 0);
    ASSERT_FALSE(zero);
    EXPECT_EQ(zero.error().code, std::errc::invalid_argument);
  });
}

MCNET_OPTION_TEST(NetIpOption, opt::multicast_interface, MulticastInterfaceReadsBackTheAddressOnly) {
  MCNET_REQUIRE_NETNS();
  auto net = test::network::lan(1);
  const auto& h = (*net)[0];
  h.run([&] {
    auto s = udp();
    ASSERT_TRUE(core::set(s, opt::multicast_interface, {h.iface().index, {}}));
    auto back = core::get(s, opt::multicast_interface);
    ASSERT_TRUE(back) << back.error().message();
    EXPECT_EQ(back->index, 0u) << "Linux cannot report the index";
    EXPECT_EQ(back->address, core::ip_address::any_v4());
    ASSERT_TRUE(core::set(s, opt::multicast_interface, {0, h.v4()}));
    EXPECT_EQ(core::get(s, opt::multicast_interface).value().address, h.v4());
    auto missing = core::set(s, opt::multicast_interface, {999, {}});
    ASSERT_FALSE(missing);
    EXPECT_EQ(missing.error().code, std::errc::address_not_available) << "Linux: no such index";
  });
}

MCNET_OPTION_TEST(NetIpOption, opt::multicast_ttl, MulticastTtl) {
  MCNET_REQUIRE_NETNS();
  in_host([] {
    auto s = udp();
    EXPECT_EQ(core::get(s, opt::multicast_ttl).value(), 1) << "kernel default";
    expect_round_trip(s, opt::multicast_ttl, 32);
  });
}

MCNET_OPTION_TEST(NetIpOption, opt::multicast_loopback, MulticastLoopback) {
  MCNET_REQUIRE_NETNS();
  in_host([] {
    auto s = udp();
    EXPECT_TRUE(core::get(s, opt::multicast_loopback).value()) << "kernel default";
    expect_round_trip(s, opt::multicast_loopback, false);
  });
}

MCNET_OPTION_TEST(NetIpOption, opt::multicast_all, MulticastAll) {
  MCNET_REQUIRE_NETNS();
  in_host([] {
    auto s = udp();
    EXPECT_TRUE(core::get(s, opt::multicast_all).value()) << "kernel default";
    expect_round_trip(s, opt::multicast_all, false);
  });
}

MCNET_OPTION_TEST(NetIpOption, opt::unicast_interface, UnicastInterface) {
  MCNET_REQUIRE_NETNS();
  auto net = test::network::lan(1);
  const auto& h = (*net)[0];
  h.run([&] {
    auto s = udp();
    expect_round_trip(s, opt::unicast_interface, h.iface().index);
    expect_round_trip(s, opt::unicast_interface, std::uint32_t{0});
  });
}

MCNET_OPTION_TEST(NetIpOption, opt::receive_packet_info, ReceivePacketInfo) {
  MCNET_REQUIRE_NETNS();
  in_host([] { expect_round_trip(udp(), opt::receive_packet_info, true); });
}

MCNET_OPTION_TEST(NetIpOption, opt::receive_ttl, ReceiveTtl) {
  MCNET_REQUIRE_NETNS();
  in_host([] { expect_round_trip(udp(), opt::receive_ttl, true); });
}

MCNET_OPTION_TEST(NetIpOption, opt::receive_tos, ReceiveTos) {
  MCNET_REQUIRE_NETNS();
  in_host([] { expect_round_trip(udp(), opt::receive_tos, true); });
}

MCNET_OPTION_TEST(NetIpOption, opt::receive_original_destination, ReceiveOriginalDestination) {
  MCNET_REQUIRE_NETNS();
  in_host([] { expect_round_trip(udp(), opt::receive_original_destination, true); });
}

MCNET_OPTION_TEST(NetIpOption, opt::receive_errors, ReceiveErrors) {
  MCNET_REQUIRE_NETNS();
  in_host([] { expect_round_trip(udp(), opt::receive_errors, true); });
}

MCNET_OPTION_TEST(NetIpOption, opt::mtu_discover, MtuDiscover) {
  MCNET_REQUIRE_NETNS();
  in_host([] {
    auto s = udp();
    expect_round_trip(s, opt::mtu_discover, int{IP_PMTUDISC_DO});
    expect_round_trip(s, opt::mtu_discover, int{IP_PMTUDISC_DONT});
  });
}

MCNET_OPTION_TEST(NetIpOption, opt::mtu, MtuOnAConnectedSocket) {
  MCNET_REQUIRE_NETNS();
  auto net = test::network::lan(2);
  (*net)[0].run([&] {
    auto s = udp();
    auto unconnected = core::get(s, opt::mtu);
    ASSERT_FALSE(unconnected);
    EXPECT_EQ(unconnected.error().code, std::errc::not_connected);
    EXPECT_NE(unconnected.error().message().find("connected socket"), std::string::npos)
        << unconnected.error().message();
    ASSERT_TRUE(core::connect(s, core::endpoint((*net)[1].v4(), 9)));
    EXPECT_EQ(core::get(s, opt::mtu).value(), 1500) << "the veth MTU";
  });
}

MCNET_OPTION_TEST(NetIpOption, opt::header_included, HeaderIncludedOnRawSockets) {
  MCNET_REQUIRE_NETNS();
  in_host([] {
    auto raw = core::socket::open(AF_INET, SOCK_RAW, IPPROTO_UDP).value();
    EXPECT_FALSE(core::get(raw, opt::header_included).value());
    expect_round_trip(raw, opt::header_included, true);
    auto on_udp = core::set(udp(), opt::header_included, true);
    ASSERT_FALSE(on_udp) << "only raw sockets";
  });
}

MCNET_OPTION_TEST(NetIpOption, opt::free_bind, FreeBindAllowsAForeignAddress) {
  MCNET_REQUIRE_NETNS();
  in_host([] {
    auto s = udp();
    const auto foreign = core::endpoint::parse("10.77.200.1:0").value();
    EXPECT_FALSE(core::bind(udp(), foreign)) << "not on this host";
    expect_round_trip(s, opt::free_bind, true);
    auto r = core::bind(s, foreign);
    EXPECT_TRUE(r) << r.error().message();
  });
}

MCNET_OPTION_TEST(NetIpOption, opt::transparent, Transparent) {
  MCNET_REQUIRE_NETNS();
  in_host([] { expect_round_trip(udp(), opt::transparent, true); });
}

MCNET_OPTION_TEST(NetIpOption, opt::bind_address_no_port, BindAddressNoPort) {
  MCNET_REQUIRE_NETNS();
  in_host([] {
    auto tcp = core::socket::open(AF_INET, SOCK_STREAM).value();
    expect_round_trip(tcp, opt::bind_address_no_port, true);
  });
}

MCNET_OPTION_TEST(NetIpOption, opt::icmp_type_filter, IcmpFilterOnRawIcmpSockets) {
  MCNET_REQUIRE_NETNS();
  in_host([] {
    auto raw = core::socket::open(AF_INET, SOCK_RAW, IPPROTO_ICMP).value();
    expect_round_trip(raw, opt::icmp_type_filter, std::uint32_t{~(1u << ICMP_ECHOREPLY)});
    auto on_udp = core::get(udp(), opt::icmp_type_filter);
    ASSERT_FALSE(on_udp) << "only raw ICMP sockets";
  });
}

}  // namespace
