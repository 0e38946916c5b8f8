// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The mcnet authors
//
// listen_udp / dial_udp / listen_tcp / dial_tcp / accept_tcp.

#include <gtest/gtest.h>

#include <sys/socket.h>
#include <netinet/in.h>
#include <unistd.h>


#include <mcnet/core/dial.hpp>
#include <mcnet/core/dscp.hpp>
#include <mcnet/core/membership.hpp>
#include <mcnet/core/socket_ops.hpp>
#include <mcnet/core/socket_options.hpp>

#include "datagram_helpers.hpp"
#include "lan.hpp"
#include "privilege.hpp"
#include "tcp_helpers.hpp"

namespace core = mcnet::core;
namespace test = mcnet::test;
using namespace std::chrono_literals;

namespace {

TEST(NetDial, UdpOptionsComeBeforeBind) {
  MCNET_REQUIRE_NETNS();
  auto net = test::network::lan(1);
  test::run_in((*net)[0], [&] {
    const core::socket_setup shared{.reuse_address = true, .reuse_port = true,
                                    .device = core::interface_name::make("eth0").value()};
    auto a = core::listen_udp(core::endpoint::parse("0.0.0.0:0").value(), shared);
    ASSERT_TRUE(a) << a.error().message();
    const auto port = core::local_endpoint(*a).value().port();
    auto b = core::listen_udp(core::endpoint(core::ip_address::any_v4(), port), shared);
    ASSERT_TRUE(b) << "SO_REUSEPORT was set before bind: " << b.error().message();
    EXPECT_TRUE(core::get(*b, core::opt::reuse_port).value());
    EXPECT_EQ(core::get(*b, core::opt::bind_to_device).value().view(), "eth0");

    auto c = core::listen_udp(core::endpoint(core::ip_address::any_v4(), port));
    ASSERT_FALSE(c) << "without the options the port is taken";
    EXPECT_EQ(c.error().code, std::errc::address_in_use);

    auto d = core::listen_udp(core::endpoint::parse("0.0.0.0:0").value(),
                              {.device = core::interface_name::make("eth9").value()});
    ASSERT_FALSE(d);
    EXPECT_EQ(d.error().what, "SO_BINDTODEVICE");
    EXPECT_EQ(d.error().input(), "eth9") << "the name the kernel did not find";
    EXPECT_NE(d.error().message().find("SO_BINDTODEVICE \"eth9\""), std::string::npos) << d.error().message();

    auto nb = core::listen_udp(core::endpoint::parse("0.0.0.0:0").value(), {.nonblocking = true});
    ASSERT_TRUE(nb);
    EXPECT_TRUE(core::nonblocking(*nb).value());

    EXPECT_FALSE(core::listen_udp(core::endpoint()));
  });
}

TEST(NetDial, DialUdpToAGroupAndFromAChosenSource) {
  MCNET_REQUIRE_NETNS();
  auto net = test::network::lan(2);
  const auto group = core::ip_address::v4(239, 255, 12, 1);
  auto rx = test::run_in((*net)[1], [&] {
    auto s = core::listen_udp(core::endpoint::parse("0.0.0.0:0").value()).value();
    EXPECT_TRUE(core::join_group(s, group, (*net)[1].iface().index));
    return s;
  });
  const core::endpoint dest(group, core::local_endpoint(rx).value().port());
  const core::endpoint source((*net)[0].v4(), 0);
  test::run_in((*net)[0], [&] {
    auto tx = core::dial_udp(dest, {.local = source});
    ASSERT_TRUE(tx) << tx.error().message();
    EXPECT_EQ(core::peer_endpoint(*tx).value(), dest);
    test::send_text(*tx, {}, "to the group");
  });
  test::owned_message in;
  ASSERT_TRUE(core::read_from(rx, in.m, core::cmsg::none, core::wait_policy::deadline(2s)));
  EXPECT_EQ(in.text(), "to the group");
  EXPECT_EQ(in.m.peer.address(), (*net)[0].v4());
}

TEST(NetDial, TcpConnectAcceptAndErrors) {
  MCNET_REQUIRE_NETNS();
  auto net = test::network::lan(2);
  const auto& server_host = (*net)[1];
  for (bool v6 : {false, true}) {
    auto server = test::listen_tcp_on(server_host, v6);
    auto& listener = server.socket;
    const auto where = server.where;
    auto client = test::run_in((*net)[0], [&] { return core::dial_tcp(where, {}, 2s); });
    ASSERT_TRUE(client) << client.error().message();
    EXPECT_FALSE(core::nonblocking(*client).value()) << "blocking unless asked";
    core::endpoint peer;
    auto conn = core::accept_tcp(listener, 2s, &peer);
    ASSERT_TRUE(conn) << conn.error().message();
    EXPECT_EQ(peer, core::local_endpoint(*client).value());
    EXPECT_EQ(conn->type(), SOCK_STREAM);
    ASSERT_EQ(::send(client->native_handle(), "tcp", 3, 0), 3);
    char buf[8] = {};
    ASSERT_EQ(::recv(conn->native_handle(), buf, sizeof buf, 0), 3);
    EXPECT_STREQ(buf, "tcp");

    auto again = core::accept_tcp(listener, 50ms);
    ASSERT_FALSE(again);
    EXPECT_EQ(again.error().code, mcnet::errc::timed_out);
    EXPECT_EQ(again.error().op, "accept");
  }

  // Nobody listens: refused, naming the endpoint.
  auto closed = test::run_in(server_host, [&] { return core::listen_tcp(core::endpoint(server_host.v4(), 0)).value(); });
  const auto closed_at = core::local_endpoint(closed).value();
  closed.close();
  auto refused = test::run_in((*net)[0], [&] { return core::dial_tcp(closed_at, {}, 2s); });
  ASSERT_FALSE(refused);
  EXPECT_EQ(refused.error().code, std::errc::connection_refused);
  EXPECT_EQ(refused.error().port(), closed_at.port());

  // No such host on the LAN: ARP never answers, the deadline ends it.
  auto silent = test::run_in((*net)[0], [&] {
    return core::dial_tcp(core::endpoint::parse("10.77.0.99:80").value(), {}, 200ms);
  });
  ASSERT_FALSE(silent);
  EXPECT_EQ(silent.error().code, mcnet::errc::timed_out);
  EXPECT_NE(silent.error().message().find("10.77.0.99"), std::string::npos) << silent.error().message();
}

TEST(NetDial, PacketOptionsComeBeforeConnect) {
  MCNET_REQUIRE_NETNS();
  auto net = test::network::lan(2);
  const auto& server_host = (*net)[1];
  for (bool v6 : {false, true}) {
    auto server = test::listen_tcp_on(server_host, v6);
    const auto where = server.where;
    const core::socket_setup setup{.nonblocking = true,
                                   .send_buffer = 65536,
                                   .receive_buffer = 32768,
                                   .mark = 7,
                                   .tos = core::tos_from_dscp(core::dscp::af41),
                                   .ttl = 9,
                                   .priority = 3};
    auto client = test::run_in((*net)[0], [&] { return core::dial_tcp(where, setup, 2s); });
    ASSERT_TRUE(client) << client.error().message();
    EXPECT_TRUE(core::nonblocking(*client).value()) << "the mode asked for";
    EXPECT_EQ(core::get(*client, core::opt::send_buffer).value(), 2 * 65536);
    EXPECT_EQ(core::get(*client, core::opt::receive_buffer).value(), 2 * 32768);
    EXPECT_EQ(core::get(*client, core::opt::priority).value(), 3);
    EXPECT_EQ(core::get(*client, core::opt::mark).value(), 7u);
    int tos = 0;
    int ttl = 0;
    socklen_t length = sizeof tos;
    ASSERT_EQ(::getsockopt(client->native_handle(), v6 ? IPPROTO_IPV6 : IPPROTO_IP, v6 ? IPV6_TCLASS : IP_TOS, &tos,
                           &length), 0);
    length = sizeof ttl;
    ASSERT_EQ(::getsockopt(client->native_handle(), v6 ? IPPROTO_IPV6 : IPPROTO_IP, v6 ? IPV6_UNICAST_HOPS : IP_TTL,
                           &ttl, &length), 0);
    EXPECT_EQ(tos, 0x88);
    EXPECT_EQ(ttl, 9);
  }

  // A group's TTL is the multicast one too.
  test::run_in((*net)[0], [&] {
    auto tx = core::dial_udp(core::endpoint::parse("239.255.12.2:9").value(), {.ttl = 5});
    ASSERT_TRUE(tx) << tx.error().message();
    int ttl = 0;
    socklen_t length = sizeof ttl;
    ASSERT_EQ(::getsockopt(tx->native_handle(), IPPROTO_IP, IP_MULTICAST_TTL, &ttl, &length), 0);
    EXPECT_EQ(ttl, 5);

    auto bad = core::dial_udp(core::endpoint::parse("239.255.12.2:9").value(), {.ttl = 0});
    ASSERT_FALSE(bad);
    EXPECT_EQ(bad.error().code, mcnet::errc::value_out_of_range);
    EXPECT_EQ(bad.error().what, "IP_TTL");
    bad = core::dial_udp(core::endpoint::parse("[fd77::2]:9").value(), {.ttl = 256});
    ASSERT_FALSE(bad);
    EXPECT_EQ(bad.error().what, "IPV6_UNICAST_HOPS");
  });
}

TEST(NetDial, ConnectWithATimeoutKeepsTheCallersMode) {
  MCNET_REQUIRE_NETNS();
  auto net = test::network::lan(2);
  const auto server = test::listen_tcp_on((*net)[1], false);
  const auto where = server.where;
  test::run_in((*net)[0], [&] {
    for (bool nonblocking : {false, true}) {
      auto s = core::socket::open(AF_INET, SOCK_STREAM | (nonblocking ? SOCK_NONBLOCK : 0)).value();
      auto r = core::connect(s, where, 2s);
      ASSERT_TRUE(r) << r.error().message();
      EXPECT_EQ(core::nonblocking(s).value(), nonblocking);
      EXPECT_EQ(core::peer_endpoint(s).value(), where);
    }
    auto silent = core::socket::open(AF_INET, SOCK_STREAM).value();
    auto r = core::connect(silent, core::endpoint::parse("10.77.0.99:80").value(), 100ms);
    ASSERT_FALSE(r);
    EXPECT_EQ(r.error().code, mcnet::errc::timed_out);
    EXPECT_EQ(r.error().op, "connect");
    EXPECT_FALSE(core::nonblocking(silent).value()) << "blocking as before, also after a failure";
  });
}

// The SYN itself carries the DSCP and the TTL: tcpdump in the server's
// namespace sees the first packet of the handshake (SYN alone) marked.
TEST(NetDial, TheSynLeavesMarked) {
  MCNET_REQUIRE_NETNS();
  auto net = test::network::lan(2);
  const auto& server_host = (*net)[1];
  for (bool v6 : {false, true}) {
    auto server = test::listen_tcp_on(server_host, v6);
    const auto where = server.where;
    auto capture = test::start_syn_capture(server_host, where.port(), v6);
    auto client = test::run_in((*net)[0], [&] {
      return core::dial_tcp(where, {.tos = core::tos_from_dscp(core::dscp::ef), .ttl = 7}, 2s);
    });
    ASSERT_TRUE(client) << client.error().message();
    const auto text = test::syn_seen(capture);
    ASSERT_FALSE(text.empty()) << "no SYN seen: " << capture.output();
    EXPECT_NE(text.find("Flags [S],"), std::string::npos) << text;
    if (v6) {
      EXPECT_NE(text.find("class 0xb8,"), std::string::npos) << text;
      EXPECT_NE(text.find("hlim 7,"), std::string::npos) << text;
    } else {
      EXPECT_NE(text.find("tos 0xb8,"), std::string::npos) << text;
      EXPECT_NE(text.find("ttl 7,"), std::string::npos) << text;
    }
  }
}

}  // namespace
