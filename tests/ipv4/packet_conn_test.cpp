// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The mcnet authors
//
// ipv4::packet_conn on a real wire: ASM, SSM include/exclude with two
// senders (and the IGMPv3 reports on the wire), per-interface joins and
// sends, TTL/TOS in control messages, routing across a router namespace,
// IP_MULTICAST_ALL, and what multicast_interface() can know.

#include <gtest/gtest.h>

#include <chrono>
#include <csignal>
#include <set>
#include <string>
#include <thread>

#include <mcnet/core/socket_ops.hpp>
#include <mcnet/ipv4/packet_conn.hpp>

#include "addr.hpp"
#include "lan.hpp"
#include "packet_conn_helpers.hpp"
#include "privilege.hpp"
#include "procnet.hpp"

namespace core = mcnet::core;
namespace ipv4 = mcnet::ipv4;
namespace test = mcnet::test;
using namespace std::chrono_literals;

namespace {

using test::addr;
using test::bytes_of;
using test::drain;
using test::port_of;
using test::texts;

// A receiving packet_conn on 0.0.0.0:port inside `h`, with metadata on.
ipv4::packet_conn receiver(const test::host& h, std::uint16_t port = 0) {
  using cf = ipv4::control_flags;
  return test::listen_in<ipv4::packet_conn>(h, {core::ip_address::any_v4(), port}, {.reuse_address = true}, [](auto& c) {
    EXPECT_TRUE(c.set_control_message(cf::ttl | cf::tos | cf::destination | cf::interface | cf::timestamp, true));
    c.set_wait(core::wait_policy::deadline(1s));
  });
}

ipv4::packet_conn sender(const test::host& h, std::size_t iface = 0) {
  return test::listen_in<ipv4::packet_conn>(h, {h.v4(iface), 0}, {}, [&](auto& c) {
    EXPECT_TRUE(c.set_multicast_interface(h.iface(iface)));
    c.set_wait(core::wait_policy::deadline(1s));
  });
}

TEST(NetPacketConn, AnySourceToTwoReceiversThenLeave) {
  MCNET_REQUIRE_NETNS();
  auto net = test::network::lan(3);
  const auto group = addr("239.255.20.1");
  auto a = receiver((*net)[1]);
  auto b = receiver((*net)[2], port_of(a));
  ASSERT_TRUE(a.join_group(group, (*net)[1].iface()));
  ASSERT_TRUE(b.join_group(group, (*net)[2].iface()));
  auto tx = sender((*net)[0]);
  const core::endpoint dest(group, port_of(a));
  for (int i = 0; i < 3; ++i) ASSERT_TRUE(tx.write_to(bytes_of("asm" + std::to_string(i)), dest));
  for (auto* rx : {&a, &b}) {
    auto all = drain(*rx);
    EXPECT_EQ(texts(all), (std::multiset<std::string>{"asm0", "asm1", "asm2"}));
    for (const auto& g : all) {
      EXPECT_EQ(g.r.source.address(), (*net)[0].v4());
      EXPECT_EQ(g.r.control.destination, group);
      EXPECT_EQ(g.r.control.ttl, 1) << "multicast TTL defaults to 1";
      EXPECT_TRUE(g.r.control.timestamp);
    }
  }
  ASSERT_TRUE(a.leave_group(group, (*net)[1].iface()));
  ASSERT_TRUE(tx.write_to(bytes_of("after"), dest));
  EXPECT_TRUE(drain(a).empty()) << "a receiver that left gets nothing";
  EXPECT_EQ(texts(drain(b)), (std::multiset<std::string>{"after"}));
}

// SSM with two real senders, the filter switched in one call, and the
// IGMPv3 reports the receiver's kernel sent, captured inside its namespace.
TEST(NetPacketConn, SourceSpecificIncludeExcludeAndReportsOnTheWire) {
  MCNET_REQUIRE_NETNS();
  auto net = test::network::lan(3);
  const auto& rx_host = (*net)[2];
  auto capture = rx_host.start({"tcpdump", "-i", "eth0", "-n", "-l", "-vv", "igmp"});  // -vv lists sources
  std::this_thread::sleep_for(500ms);  // tcpdump opens its socket

  const auto ssm = addr("232.1.2.3");
  const auto asm_group = addr("239.255.21.1");
  auto rx = receiver(rx_host);
  ASSERT_TRUE(rx.set_multicast_all(false));
  auto s0 = sender((*net)[0]);
  auto s1 = sender((*net)[1]);
  const core::endpoint to_ssm(ssm, port_of(rx));
  const core::endpoint to_asm(asm_group, port_of(rx));
  auto both = [&](const core::endpoint& to) {
    ASSERT_TRUE(s0.write_to(bytes_of("h0"), to));
    ASSERT_TRUE(s1.write_to(bytes_of("h1"), to));
  };

  ASSERT_TRUE(rx.join_source_specific_group(ssm, (*net)[0].v4(), rx_host.iface()));
  both(to_ssm);
  EXPECT_EQ(texts(drain(rx)), (std::multiset<std::string>{"h0"})) << "include: only the joined source";

  const std::array<core::ip_address, 1> only_h1{(*net)[1].v4()};
  ASSERT_TRUE(rx.set_source_filter(ssm, rx_host.iface(), core::filter_mode::include, only_h1));
  both(to_ssm);
  EXPECT_EQ(texts(drain(rx)), (std::multiset<std::string>{"h1"})) << "switched without rejoining";
  // The kernel's own filter state agrees.
  EXPECT_EQ(rx_host.run(test::read_mcfilter),
            (std::vector<test::mcfilter_row>{{rx_host.iface().index, ssm, (*net)[1].v4(), 1, 0}}));

  ASSERT_TRUE(rx.join_group(asm_group, rx_host.iface()));
  ASSERT_TRUE(rx.exclude_source_specific_group(asm_group, (*net)[1].v4(), rx_host.iface()));
  both(to_asm);
  EXPECT_EQ(texts(drain(rx)), (std::multiset<std::string>{"h0"})) << "exclude: all but the blocked source";
  // Newest group first. (Linux lists /proc/net/mcfilter only while the
  // newest group of an interface has sources: check it while it does.)
  EXPECT_EQ(rx_host.run(test::read_mcfilter),
            (std::vector<test::mcfilter_row>{{rx_host.iface().index, asm_group, (*net)[1].v4(), 0, 1},
                                             {rx_host.iface().index, ssm, (*net)[1].v4(), 1, 0}}));
  ASSERT_TRUE(rx.include_source_specific_group(asm_group, (*net)[1].v4(), rx_host.iface()));
  both(to_asm);
  EXPECT_EQ(texts(drain(rx)), (std::multiset<std::string>{"h0", "h1"}));

  std::this_thread::sleep_for(300ms);
  capture.stop(SIGINT);
  const auto wire = capture.output();
  // The kernel merges changes that fall within one report interval, so each
  // step may show as its own records or as a change of mode (RFC 3376, 5.1).
  auto reported = [&](std::initializer_list<const char*> any_of) {
    for (const char* p : any_of) {
      if (wire.find(p) != std::string::npos) return true;
    }
    return false;
  };
  EXPECT_NE(wire.find("igmp v3 report"), std::string::npos) << wire;
  EXPECT_TRUE(reported({"[gaddr 232.1.2.3 allow { 10.77.0.1 }]", "[gaddr 232.1.2.3 to_in { 10.77.0.1 }]"})) << wire;
  EXPECT_TRUE(reported({"[gaddr 232.1.2.3 block { 10.77.0.1 }]", "[gaddr 232.1.2.3 to_in { 10.77.0.2 }]"}))
      << "the filter switch dropped 10.77.0.1\n" << wire;
  EXPECT_TRUE(reported({"[gaddr 232.1.2.3 allow { 10.77.0.2 }]", "[gaddr 232.1.2.3 to_in { 10.77.0.2 }]"})) << wire;
  EXPECT_TRUE(reported({"[gaddr 239.255.21.1 to_ex { 10.77.0.2 }]", "[gaddr 239.255.21.1 block { 10.77.0.2 }]"}))
      << "exclude mode with 10.77.0.2 blocked\n" << wire;
  EXPECT_TRUE(reported({"[gaddr 239.255.21.1 allow { 10.77.0.2 }]", "[gaddr 239.255.21.1 to_ex { }]"}))
      << "10.77.0.2 unblocked\n" << wire;
}

// A host on two LANs: joins on one receive only there; sends leave where asked,
// by option and per packet (IP_PKTINFO).
TEST(NetPacketConn, PerInterfaceJoinsAndSends) {
  MCNET_REQUIRE_NETNS();
  // h0 on LAN 0 and 1; h1 on LAN 0; h2 on LAN 1.
  auto net = test::network::create({.lans = 2, .hosts = {{.lans = {0, 1}}, {.lans = {0}}, {.lans = {1}}}});
  const auto& multi = (*net)[0];
  const auto group = addr("239.255.22.1");

  // Receiving on eth1 only.
  auto rx = receiver(multi);
  ASSERT_TRUE(rx.join_group(group, multi.iface(1)));
  const core::endpoint dest(group, port_of(rx));
  auto on_lan0 = sender((*net)[1]);
  auto on_lan1 = sender((*net)[2]);
  ASSERT_TRUE(on_lan0.write_to(bytes_of("lan0"), dest));
  ASSERT_TRUE(on_lan1.write_to(bytes_of("lan1"), dest));
  auto all = drain(rx);
  ASSERT_EQ(texts(all), (std::multiset<std::string>{"lan1"})) << "joined on eth1 only";
  EXPECT_EQ(all[0].r.control.interface_index, multi.iface(1).index);

  // Sending: by option out of eth1, then per packet out of eth0.
  auto listen0 = receiver((*net)[1], port_of(rx));
  auto listen1 = receiver((*net)[2], port_of(rx));
  ASSERT_TRUE(listen0.join_group(group, (*net)[1].iface()));
  ASSERT_TRUE(listen1.join_group(group, (*net)[2].iface()));
  auto tx = multi.run([&] {
    auto c = ipv4::packet_conn::listen(core::endpoint(core::ip_address::any_v4(), 0)).value();
    EXPECT_TRUE(c.set_multicast_interface(multi.iface(1)));
    EXPECT_TRUE(c.set_multicast_loopback(false));
    return c;
  });
  ASSERT_TRUE(tx.write_to(bytes_of("by option"), dest));
  ipv4::control_message via_eth0;
  via_eth0.interface_index = multi.iface(0).index;
  via_eth0.source = multi.v4(0);
  ASSERT_TRUE(tx.write_to(bytes_of("per packet"), dest, &via_eth0));
  auto got0 = drain(listen0);
  auto got1 = drain(listen1);
  EXPECT_EQ(texts(got1), (std::multiset<std::string>{"by option"}));
  EXPECT_EQ(texts(got0), (std::multiset<std::string>{"per packet"}));
  ASSERT_EQ(got1.size(), 1u);
  ASSERT_EQ(got0.size(), 1u);
  EXPECT_EQ(got1[0].r.source.address(), multi.v4(1)) << "source address of eth1";
  EXPECT_EQ(got0[0].r.source.address(), multi.v4(0)) << "source chosen per packet";
}

TEST(NetPacketConn, TtlAndTosAsSentAreSeenInControlMessages) {
  MCNET_REQUIRE_NETNS();
  auto net = test::network::lan(2);
  const auto group = addr("239.255.23.1");
  auto rx = receiver((*net)[1]);
  ASSERT_TRUE(rx.join_group(group, (*net)[1].iface()));
  auto tx = sender((*net)[0]);
  ASSERT_TRUE(tx.set_multicast_ttl(5));
  ASSERT_TRUE(tx.set_tos(0x28));  // DSCP AF11
  const core::endpoint dest(group, port_of(rx));
  ASSERT_TRUE(tx.write_to(bytes_of("socket options"), dest));
  ipv4::control_message per_packet;
  per_packet.ttl = 9;
  per_packet.tos = 0xb8;  // DSCP EF
  ASSERT_TRUE(tx.write_to(bytes_of("per packet"), dest, &per_packet));
  auto all = drain(rx);
  ASSERT_EQ(all.size(), 2u);
  EXPECT_EQ(all[0].r.control.ttl, 5);
  EXPECT_EQ(all[0].r.control.tos, 0x28);
  EXPECT_EQ(all[1].r.control.ttl, 9);
  EXPECT_EQ(all[1].r.control.tos, 0xb8);
  EXPECT_EQ(tx.multicast_ttl().value(), 5);
  EXPECT_EQ(tx.tos().value(), 0x28);
}

TEST(NetPacketConn, RouterForwardsTtlTwoAndStopsTtlOne) {
  MCNET_REQUIRE_NETNS();
  MCNET_REQUIRE_MULTICAST_ROUTING(false);
  test::topology t{.lans = 2, .hosts = {{.lans = {0}}, {.lans = {1}}}, .router = true,
                   .routing = test::multicast_routing::smcroute};
  t.mroutes.push_back({.from_lan = 0, .group = "239.255.24.0/24", .to_lans = {1}});
  auto net = test::network::create(t);
  const auto group = addr("239.255.24.1");
  auto rx = receiver((*net)[1]);
  ASSERT_TRUE(rx.join_group(group, (*net)[1].iface()));
  auto tx = sender((*net)[0]);
  const core::endpoint dest(group, port_of(rx));

  ASSERT_TRUE(tx.set_multicast_ttl(1));
  ASSERT_TRUE(tx.write_to(bytes_of("ttl1"), dest));
  EXPECT_TRUE(drain(rx, 300ms).empty()) << "TTL 1 stays on the sender's LAN";

  ASSERT_TRUE(tx.set_multicast_ttl(2));
  std::vector<test::got<ipv4::packet_conn>> all;
  for (int i = 0; i < 20 && all.empty(); ++i) {  // the first may wait for smcrouted's (*,G) route
    ASSERT_TRUE(tx.write_to(bytes_of("ttl2"), dest));
    all = drain(rx, 250ms);
  }
  ASSERT_FALSE(all.empty()) << "TTL 2 never crossed the router";
  EXPECT_EQ(all[0].text, "ttl2");
  EXPECT_EQ(all[0].r.control.ttl, 1) << "the router decremented it";
  EXPECT_EQ(all[0].r.control.interface_index, (*net)[1].iface().index);
}

// IP_MULTICAST_ALL off: a wildcard-bound socket gets only its own groups even
// when another socket on the same port joins others.
TEST(NetPacketConn, MulticastAllOffIsolatesSockets) {
  MCNET_REQUIRE_NETNS();
  auto net = test::network::lan(2);
  const auto& h = (*net)[1];
  const auto mine = addr("239.255.25.1");
  const auto theirs = addr("239.255.25.2");
  auto a = receiver(h);
  auto b = receiver(h, port_of(a));
  ASSERT_TRUE(a.join_group(mine, h.iface()));
  ASSERT_TRUE(b.join_group(theirs, h.iface()));
  auto tx = sender((*net)[0]);
  ASSERT_TRUE(tx.write_to(bytes_of("theirs"), core::endpoint(theirs, port_of(a))));
  EXPECT_EQ(texts(drain(a)), (std::multiset<std::string>{"theirs"})) << "default: every group on the port";
  drain(b);

  ASSERT_TRUE(a.set_multicast_all(false));
  EXPECT_FALSE(a.multicast_all().value());
  ASSERT_TRUE(tx.write_to(bytes_of("theirs"), core::endpoint(theirs, port_of(a))));
  ASSERT_TRUE(tx.write_to(bytes_of("mine"), core::endpoint(mine, port_of(a))));
  EXPECT_EQ(texts(drain(a)), (std::multiset<std::string>{"mine"})) << "only its own join";
  EXPECT_EQ(texts(drain(b)), (std::multiset<std::string>{"theirs", "mine"})) << "b still has multicast_all on";
}

TEST(NetPacketConn, MulticastInterfaceSaysWhatItKnows) {
  MCNET_REQUIRE_NETNS();
  auto net = test::network::lan(1);
  const auto& h = (*net)[0];
  h.run([&] {
    auto s = core::listen_udp(core::endpoint::parse("0.0.0.0:0").value()).value();
    ipv4::packet_conn fresh(s);
    auto state = fresh.multicast_interface().value();
    EXPECT_FALSE(state.known);
    EXPECT_EQ(state.address, core::ip_address::any_v4()) << "kernel's choice (or unknown)";

    ASSERT_TRUE(fresh.set_multicast_interface(h.iface()));
    state = fresh.multicast_interface().value();
    EXPECT_TRUE(state.known) << "set here: remembered";
    EXPECT_EQ(state.iface, h.iface());

    ipv4::packet_conn other_view(s);  // a second view of the same socket cannot know
    EXPECT_FALSE(other_view.multicast_interface().value().known);

    auto bad = fresh.set_multicast_interface({999, {}});
    ASSERT_FALSE(bad);
    EXPECT_NE(bad.error().message().find("no interface with index 999"), std::string::npos) << bad.error().message();
    EXPECT_TRUE(fresh.multicast_interface().value().known) << "a failed set keeps what was known";
  });
}

TEST(NetPacketConn, BatchesAndAConnectedGroup) {
  MCNET_REQUIRE_NETNS();
  auto net = test::network::lan(2);
  const auto group = addr("239.255.27.1");
  auto rx = receiver((*net)[1]);
  ASSERT_TRUE(rx.join_group(group, (*net)[1].iface()));
  auto tx = sender((*net)[0]);
  ASSERT_TRUE(tx.set_multicast_ttl(3));
  ASSERT_TRUE(tx.connect(core::endpoint(group, port_of(rx)))) << "after the interface: the route is picked here";

  std::array<std::array<std::byte, 16>, 5> out_payload{};
  std::array<core::message, 5> out{};
  for (std::size_t i = 0; i < out.size(); ++i) {
    out_payload[i][0] = static_cast<std::byte>('a' + i);
    out[i] = core::message{.buffer = out_payload[i], .size = 1};  // no peer: connected
  }
  auto sent = tx.write_batch(out);
  ASSERT_TRUE(sent) << sent.error().message();
  EXPECT_EQ(*sent, 5u);

  std::array<std::array<std::byte, 64>, 8> in_payload{};
  std::array<core::control_buffer, 8> in_control;
  std::array<core::message, 8> in{};
  for (std::size_t i = 0; i < in.size(); ++i) in[i] = core::message{.buffer = in_payload[i], .control = in_control[i].span()};
  std::size_t got = 0;
  for (int tries = 0; tries < 10 && got < 5; ++tries) {
    auto n = rx.read_batch(std::span(in).subspan(got));
    ASSERT_TRUE(n) << n.error().message();
    got += *n;
  }
  ASSERT_EQ(got, 5u);
  for (std::size_t i = 0; i < 5; ++i) {
    const auto cm = ipv4::to_control_message(in[i].info);
    EXPECT_EQ(in[i].buffer[0], static_cast<std::byte>('a' + i));
    EXPECT_EQ(cm.destination, group);
    EXPECT_EQ(cm.ttl, 3);
    EXPECT_EQ(cm.interface_index, (*net)[1].iface().index);
  }
}

// SO_TIMESTAMPING through the flags: software stamp present, hardware absent on veth.
TEST(NetPacketConn, TimestampsThroughTheControlFlags) {
  MCNET_REQUIRE_NETNS();
  auto net = test::network::lan(2);
  const auto group = addr("239.255.28.1");
  auto rx = test::listen_in<ipv4::packet_conn>((*net)[1], {core::ip_address::any_v4(), 0}, {}, [](auto&) {});
  ASSERT_TRUE(rx.join_group(group, (*net)[1].iface()));
  auto tx = sender((*net)[0]);
  test::expect_timestamps_through_flags(rx, tx, core::endpoint(group, port_of(rx)));
}

TEST(NetPacketConn, ReadsIntoAReceiveBatch) {
  MCNET_REQUIRE_NETNS();
  auto net = test::network::lan(2);
  const auto group = addr("239.255.29.1");
  auto rx = test::listen_in<ipv4::packet_conn>((*net)[1], {core::ip_address::any_v4(), 0}, {}, [](auto&) {});
  ASSERT_TRUE(rx.join_group(group, (*net)[1].iface()));
  auto tx = sender((*net)[0]);
  test::expect_receive_batch_through_facade(rx, tx, group, (*net)[1].iface().index);
}

TEST(NetPacketConn, MembershipLimitNamesTheSysctl) {
  MCNET_REQUIRE_NETNS();
  auto net = test::network::lan(1);
  auto c = receiver((*net)[0]);
  (*net)[0].run([&] {
    for (std::uint8_t i = 1; i <= 20; ++i) ASSERT_TRUE(c.join_group(core::ip_address::v4(239, 255, 28, i), (*net)[0].iface()));
    auto r = c.join_group(core::ip_address::v4(239, 255, 28, 21), (*net)[0].iface());
    ASSERT_FALSE(r);
    EXPECT_NE(r.error().message().find("net.ipv4.igmp_max_memberships is 20"), std::string::npos) << r.error().message();
    // Another socket: the first is full, and an SSM group is a membership too.
    auto ssm = ipv4::packet_conn::listen(core::endpoint::parse("0.0.0.0:0").value()).value();
    const auto group = addr("232.0.28.1");
    for (std::uint8_t i = 1; i <= 10; ++i) {
      ASSERT_TRUE(ssm.join_source_specific_group(group, core::ip_address::v4(10, 77, 28, i), (*net)[0].iface()));
    }
    r = ssm.join_source_specific_group(group, core::ip_address::v4(10, 77, 28, 11), (*net)[0].iface());
    ASSERT_FALSE(r);
    EXPECT_NE(r.error().message().find("net.ipv4.igmp_max_msf is 10"), std::string::npos) << r.error().message();
  });
}

TEST(NetPacketConn, WrongFamilyIsRefused) {
  MCNET_REQUIRE_NETNS();
  auto net = test::network::lan(1);
  (*net)[0].run([&] {
    auto c = ipv4::packet_conn::listen(core::endpoint::parse("0.0.0.0:0").value()).value();
    auto r = c.join_group(addr("ff1e::1"));
    ASSERT_FALSE(r);
    EXPECT_EQ(r.error().code, mcnet::errc::family_mismatch);
    EXPECT_NE(r.error().message().find("ipv6::packet_conn"), std::string::npos) << r.error().message();
    EXPECT_FALSE(c.write_to(bytes_of("x"), core::endpoint::parse("[ff1e::1]:5000").value()));
    EXPECT_FALSE(ipv4::packet_conn::listen(core::endpoint::parse("[::]:0").value()));
    EXPECT_FALSE(c.set_ttl(0));
    EXPECT_FALSE(c.set_ttl(256));
    ipv4::control_message v6_source;
    v6_source.source = addr("fd77::1");
    auto w = c.write_to(bytes_of("x"), core::endpoint::parse("239.255.26.1:5000").value(), &v6_source);
    ASSERT_FALSE(w);
    EXPECT_EQ(w.error().code, mcnet::errc::family_mismatch);
  });
}

TEST(NetPacketConn, ErrorsNameTheSourceAndASecondJoin) {
  MCNET_REQUIRE_NETNS();
  auto net = test::network::lan(1);
  const auto& h = (*net)[0];
  auto c = receiver(h);
  test::expect_truthful_membership_errors(h, c, "232.40.0.1", "10.77.0.7", "239.40.0.1", "239.255.40.1");
}

}  // namespace
