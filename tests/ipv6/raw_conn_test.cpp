// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The mcnet authors
//
// ipv6::raw_conn: the ICMPv6 type filter, and the checksum the kernel
// computes at an offset (IPV6_CHECKSUM), proven by a UDP receiver (UDP over
// IPv6 drops datagrams without a valid checksum).

#include <gtest/gtest.h>

#include <netinet/icmp6.h>

#include <mcnet/core/dial.hpp>
#include <mcnet/core/socket_ops.hpp>
#include <mcnet/ipv6/raw_conn.hpp>

#include "lan.hpp"
#include "privilege.hpp"

namespace core = mcnet::core;
namespace ipv6 = mcnet::ipv6;
namespace test = mcnet::test;
using namespace std::chrono_literals;

namespace {

TEST(NetIpv6RawConn, Icmp6FilterDropsTheTypesAsked) {
  MCNET_REQUIRE_NETNS();
  auto net = test::network::lan(2);
  const auto& h1 = (*net)[1];
  (*net)[0].run([&] {
    auto icmp = ipv6::raw_conn::open(IPPROTO_ICMPV6).value();
    auto echo = [&](std::uint8_t seq) {
      std::array<std::byte, 8> req{};
      req[0] = std::byte{ICMP6_ECHO_REQUEST};
      req[7] = std::byte{seq};  // the kernel fills in the ICMPv6 checksum
      ASSERT_TRUE(icmp.write_to(req, core::endpoint(h1.v6(), 0)));
    };
    auto reply_arrives = [&](std::chrono::milliseconds window) {
      icmp.set_wait(core::wait_policy::deadline(window));
      std::array<std::byte, 1500> buf{};
      while (true) {
        auto r = icmp.read_from(buf);
        if (!r) return false;
        if (r->size > 0 && buf[0] == std::byte{ICMP6_ECHO_REPLY} && r->source.address() == h1.v6()) return true;
      }
    };
    auto f = ipv6::icmp6_type_filter::pass_all();
    f.block(ICMP6_ECHO_REPLY);
    ASSERT_TRUE(icmp.set_icmp_filter(f));
    EXPECT_EQ(icmp.icmp_filter().value(), f);
    echo(1);
    EXPECT_FALSE(reply_arrives(300ms)) << "echo replies are filtered out";
    ASSERT_TRUE(icmp.set_icmp_filter(ipv6::icmp6_type_filter::pass_all()));
    echo(2);
    EXPECT_TRUE(reply_arrives(2s));
  });
}

TEST(NetIpv6RawConn, KernelComputesTheChecksumAtTheOffset) {
  MCNET_REQUIRE_NETNS();
  auto net = test::network::lan(2);
  const auto& h1 = (*net)[1];
  auto rx = h1.run([&] { return core::listen_udp(core::endpoint(h1.v6(), 0)).value(); });
  const auto port = core::local_endpoint(rx).value().port();
  (*net)[0].run([&] {
    auto raw = ipv6::raw_conn::open(IPPROTO_UDP).value();
    auto udp = [&](const char* text) {
      std::array<std::byte, 8 + 4> d{};
      d[0] = std::byte{0x10};  // source port 4096
      d[2] = std::byte(port >> 8);
      d[3] = std::byte(port & 0xff);
      d[5] = std::byte(d.size());
      std::memcpy(d.data() + 8, text, 4);
      ASSERT_TRUE(raw.write_to(d, core::endpoint(h1.v6(), 0)));
    };
    ASSERT_EQ(raw.checksum_offset().value(), -1);
    udp("none");  // checksum 0: invalid for UDP over IPv6, dropped
    ASSERT_TRUE(raw.set_checksum_offset(6));
    EXPECT_EQ(raw.checksum_offset().value(), 6);
    udp("good");
    EXPECT_FALSE(raw.set_checksum_offset(3)) << "odd offsets are refused before the kernel";
  });
  std::array<std::byte, 64> buf{};
  core::message m{.buffer = buf};
  ASSERT_TRUE(core::read_from(rx, m, core::cmsg::none, core::wait_policy::deadline(2s)));
  EXPECT_EQ(std::string(reinterpret_cast<const char*>(buf.data()), m.size), "good")
      << "only the datagram whose checksum the kernel computed arrives";
  EXPECT_FALSE(core::read_from(rx, m, core::cmsg::none, core::wait_policy::deadline(200ms)));
}

}  // namespace
