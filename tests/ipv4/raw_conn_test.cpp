// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The mcnet authors
//
// ipv4::raw_conn on a real wire: a hand-built header's TTL and TOS reach a
// UDP receiver; a raw receiver parses what arrives; the ICMP type filter.

#include <gtest/gtest.h>

#include <linux/capability.h>
#include <netinet/ip_icmp.h>

#include <cstring>

#include <mcnet/core/socket_ops.hpp>
#include <mcnet/ipv4/raw_conn.hpp>

#include "capabilities.hpp"
#include "lan.hpp"
#include "privilege.hpp"

namespace core = mcnet::core;
namespace ipv4 = mcnet::ipv4;
namespace test = mcnet::test;
using namespace std::chrono_literals;

namespace {

TEST(NetRawConn, HandBuiltHeaderReachesUdpAndRawReceivers) {
  MCNET_REQUIRE_NETNS();
  auto net = test::network::lan(2);
  const auto& h0 = (*net)[0];
  const auto& h1 = (*net)[1];
  auto udp = h1.run([&] {
    auto c = ipv4::packet_conn::listen(core::endpoint(h1.v4(), 0)).value();
    EXPECT_TRUE(c.set_control_message(ipv4::control_flags::ttl | ipv4::control_flags::tos, true));
    c.set_wait(core::wait_policy::deadline(2s));
    return c;
  });
  auto raw_rx = h1.run([&] {
    auto c = ipv4::raw_conn::open(IPPROTO_UDP).value();
    c.set_wait(core::wait_policy::deadline(2s));
    return c;
  });
  const auto port = core::local_endpoint(udp.socket()).value().port();

  h0.run([&] {
    auto raw = ipv4::raw_conn::open(IPPROTO_UDP);
    ASSERT_TRUE(raw) << raw.error().message();
    ipv4::header h;
    h.tos = 0x20;
    h.ttl = 7;
    h.protocol = IPPROTO_UDP;
    h.source = h0.v4();
    h.destination = h1.v4();
    const char text[] = "raw";
    std::array<std::byte, 8 + 3> udp_packet{};
    const unsigned src_port = 4242;
    udp_packet[0] = std::byte(src_port >> 8);
    udp_packet[1] = std::byte(src_port & 0xff);
    udp_packet[2] = std::byte(port >> 8);
    udp_packet[3] = std::byte(port & 0xff);
    udp_packet[5] = std::byte(udp_packet.size());  // length; checksum 0: none (IPv4)
    std::memcpy(udp_packet.data() + 8, text, 3);
    auto w = raw->write_to(h, udp_packet);
    ASSERT_TRUE(w) << w.error().message();
  });

  std::array<std::byte, 1500> buf{};
  auto got = udp.read_from(buf);
  ASSERT_TRUE(got) << got.error().message();
  EXPECT_EQ(std::string(reinterpret_cast<const char*>(buf.data()), got->size), "raw");
  EXPECT_EQ(got->source, core::endpoint(h0.v4(), 4242));
  EXPECT_EQ(got->control.ttl, 7);
  EXPECT_EQ(got->control.tos, 0x20);

  auto seen = raw_rx.read_from(buf);
  ASSERT_TRUE(seen) << seen.error().message();
  EXPECT_EQ(seen->ip.source, h0.v4());
  EXPECT_EQ(seen->ip.destination, h1.v4());
  EXPECT_EQ(seen->ip.ttl, 7);
  EXPECT_EQ(seen->ip.protocol, IPPROTO_UDP);
  EXPECT_EQ(seen->ip.total_length, 20u + 11u) << "filled in by the kernel";
  EXPECT_TRUE(ipv4::header::checksum_ok(std::span(buf).first(seen->ip.length))) << "filled in by the kernel";
  ASSERT_EQ(seen->payload.size(), 11u);
  EXPECT_EQ(std::memcmp(seen->payload.data() + 8, "raw", 3), 0);
}

TEST(NetRawConn, IcmpFilterDropsTheTypesAsked) {
  MCNET_REQUIRE_NETNS();
  auto net = test::network::lan(2);
  const auto& h0 = (*net)[0];
  const auto& h1 = (*net)[1];
  h0.run([&] {
    auto icmp = ipv4::raw_conn::open(IPPROTO_ICMP).value();
    auto echo = [&](std::uint16_t seq) {
      std::array<std::byte, 8> req{};
      req[0] = std::byte{ICMP_ECHO};
      req[7] = std::byte(seq);
      const auto sum = ipv4::internet_checksum(req);
      req[2] = std::byte(sum >> 8);
      req[3] = std::byte(sum & 0xff);
      ipv4::header h;
      h.protocol = IPPROTO_ICMP;
      h.destination = h1.v4();
      ASSERT_TRUE(icmp.write_to(h, req));
    };
    auto reply_arrives = [&](std::chrono::milliseconds window) {
      icmp.set_wait(core::wait_policy::deadline(window));
      std::array<std::byte, 1500> buf{};
      while (true) {
        auto r = icmp.read_from(buf);
        if (!r) return false;
        if (!r->payload.empty() && r->payload[0] == std::byte{ICMP_ECHOREPLY} && r->ip.source == h1.v4()) return true;
      }
    };
    ASSERT_TRUE(icmp.set_icmp_filter(1u << ICMP_ECHOREPLY));
    EXPECT_EQ(icmp.icmp_filter().value(), 1u << ICMP_ECHOREPLY);
    echo(1);
    EXPECT_FALSE(reply_arrives(300ms)) << "echo replies are filtered out";
    ASSERT_TRUE(icmp.set_icmp_filter(0));
    echo(2);
    EXPECT_TRUE(reply_arrives(2s)) << "no filter: the reply arrives";
  });
}

TEST(NetRawConn, NeedsCapNetRaw) {
  MCNET_REQUIRE_NETNS();
  auto net = test::network::lan(1);
  (*net)[0].run([] {
    mcnet::test::drop_capabilities_on_this_thread({CAP_NET_RAW});
    auto r = ipv4::raw_conn::open(IPPROTO_UDP);
    ASSERT_FALSE(r);
    EXPECT_EQ(r.error().code, std::errc::operation_not_permitted);
    EXPECT_NE(r.error().message().find("CAP_NET_RAW"), std::string::npos) << r.error().message();
  });
}

}  // namespace
