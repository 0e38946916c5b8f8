// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The mcnet authors
//
// IPv6 link-local and interface-local destinations need an interface
// (ipv6(7)). The kernel refuses connect without one (a bare EINVAL) but
// sends a datagram by whatever route comes first; core answers both with
// errc::interface_required, as join_group does, and lets every way of
// naming an interface through.

#include <gtest/gtest.h>

#include <netinet/in.h>

#include <array>
#include <cstring>
#include <set>
#include <string>
#include <vector>

#include <mcnet/core/control.hpp>
#include <mcnet/core/dial.hpp>
#include <mcnet/core/message.hpp>
#include <mcnet/core/socket_ops.hpp>
#include <mcnet/core/socket_options.hpp>

#include "addr.hpp"
#include "datagram_helpers.hpp"
#include "lan.hpp"
#include "privilege.hpp"

namespace core = mcnet::core;
namespace test = mcnet::test;
using namespace std::chrono_literals;

namespace {

using test::addr;

void expect_interface_required(const mcnet::error& e, const char* what) {
  EXPECT_EQ(e.code, mcnet::errc::interface_required) << what << ": " << e.message();
  EXPECT_NE(e.message().find("needs an interface"), std::string::npos) << e.message();
  EXPECT_NE(e.message().find("fe80::1%eth0"), std::string::npos) << "says how to name one: " << e.message();
}

TEST(InterfaceRequired, TheKernelsScopesAreTheOnesThatNeedOne) {
  EXPECT_TRUE(addr("fe80::1").needs_interface());
  EXPECT_TRUE(addr("ff02::1").needs_interface());
  EXPECT_TRUE(addr("ff12::1").needs_interface());
  EXPECT_TRUE(addr("ff01::1").needs_interface());
  EXPECT_TRUE(addr("ff32::8000:1").needs_interface());
  EXPECT_FALSE(addr("ff1e::1").needs_interface());
  EXPECT_FALSE(addr("ff05::1").needs_interface());
  EXPECT_FALSE(addr("fd77::1").needs_interface());
  EXPECT_FALSE(addr("::1").needs_interface());
  EXPECT_FALSE(addr("169.254.0.1").needs_interface()) << "IPv4 link-local is routed by the table";
  EXPECT_FALSE(addr("224.0.0.1").needs_interface());
  EXPECT_FALSE(core::ip_address().needs_interface());
}

TEST(NetInterfaceRequired, WritesToLinkLocalNeedAnInterface) {
  MCNET_REQUIRE_NETNS();
  auto net = test::network::lan(2);
  const auto& tx_host = (*net)[0];
  const auto& rx_host = (*net)[1];
  auto rx = test::run_in(rx_host, [&] { return core::listen_udp(core::endpoint::parse("[::]:0").value()).value(); });
  const auto port = core::local_endpoint(rx).value().port();
  const auto ifindex = tx_host.iface().index;
  const auto peer = rx_host.interfaces()[0].v6_link_local.with_scope_id(0);

  test::run_in(tx_host, [&] {
    auto s = core::listen_udp(core::endpoint::parse("[::]:0").value()).value();
    test::owned_message out;
    out.set_text("bare");
    out.m.peer = core::endpoint(peer, port);
    auto r = core::write_to(s, out.m, core::wait_policy::deadline(1s));
    ASSERT_FALSE(r) << "sent by the first route";
    expect_interface_required(r.error(), "write_to fe80:: without scope");
    EXPECT_EQ(r.error().address(), peer);
    EXPECT_EQ(r.error().op, "sendmsg");

    for (const char* group : {"ff02::1", "ff01::1"}) {
      out.m.peer = core::endpoint(addr(group), port);
      r = core::write_to(s, out.m, core::wait_policy::deadline(1s));
      ASSERT_FALSE(r) << group;
      expect_interface_required(r.error(), group);
    }

    std::array<core::message, 2> batch{out.m, out.m};
    batch[0].peer = core::endpoint(peer, port);
    auto n = core::write_batch(s, batch, core::wait_policy::deadline(1s));
    ASSERT_FALSE(n);
    expect_interface_required(n.error(), "write_batch");
    EXPECT_EQ(n.error().op, "sendmmsg");

    // Each way of naming the interface lets the datagram through.
    test::send_text(s, core::endpoint(peer.with_scope_id(ifindex), port), "zone");

    alignas(cmsghdr) std::array<std::byte, 64> space{};
    core::cmsg_writer w(space);
    in6_pktinfo pi{};
    pi.ipi6_ifindex = ifindex;
    ASSERT_TRUE(w.append(IPPROTO_IPV6, IPV6_PKTINFO, pi));
    out.set_text("pktinfo");
    out.m.peer = core::endpoint(peer, port);
    out.m.control = w.written();
    out.m.control_size = w.size();
    ASSERT_TRUE(core::write_to(s, out.m, core::wait_policy::deadline(1s)));

    // The whole batch is checked before anything goes: the fine message
    // before the bare one is not sent either, and the error names the index.
    std::array<core::message, 3> fine_then_bare{out.m, out.m, out.m};
    fine_then_bare[1].control_size = 0;
    auto sent = core::write_batch(s, fine_then_bare, core::wait_policy::deadline(1s));
    ASSERT_FALSE(sent) << "sent " << *sent;
    expect_interface_required(sent.error(), "write_batch, second message bare");
    EXPECT_EQ(sent.error().number(), 1);
    EXPECT_NE(sent.error().message().find("nothing was sent: the message at index 1 of the batch"), std::string::npos)
        << sent.error().message();

    auto bound = core::listen_udp(core::endpoint::parse("[::]:0").value(),
                                  {.device = core::interface_name::make("eth0").value()})
                     .value();
    test::send_text(bound, core::endpoint(peer, port), "device");

    test::raw_set(s, IPPROTO_IPV6, IPV6_MULTICAST_IF, static_cast<int>(ifindex));
    test::send_text(s, core::endpoint(addr("ff02::1"), port), "multicast_if");
  });
  std::multiset<std::string> got;
  for (int i = 0; i < 4; ++i) got.insert(test::receive_text(rx));
  EXPECT_EQ(got, (std::multiset<std::string>{"zone", "pktinfo", "device", "multicast_if"}));
}

TEST(NetInterfaceRequired, ConnectToLinkLocalNeedsAnInterface) {
  MCNET_REQUIRE_NETNS();
  auto net = test::network::lan(2);
  const auto& h = (*net)[0];
  const auto peer = (*net)[1].interfaces()[0].v6_link_local.with_scope_id(0);
  test::run_in(h, [&] {
    auto s = core::listen_udp(core::endpoint::parse("[::]:0").value()).value();
    auto r = core::connect(s, core::endpoint(peer, 9));
    ASSERT_FALSE(r);
    expect_interface_required(r.error(), "connect");
    EXPECT_EQ(r.error().port(), 9);

    auto u = core::dial_udp(core::endpoint(peer, 9));
    ASSERT_FALSE(u);
    expect_interface_required(u.error(), "dial_udp");
    auto m = core::dial_udp(core::endpoint(addr("ff02::1"), 9));
    ASSERT_FALSE(m);
    expect_interface_required(m.error(), "dial_udp to ff02::1");
    auto t = core::dial_tcp(core::endpoint(peer, 9), {}, 1s);
    ASSERT_FALSE(t);
    expect_interface_required(t.error(), "dial_tcp");

    EXPECT_TRUE(core::dial_udp(core::endpoint(peer.with_scope_id(h.iface().index), 9)));
    EXPECT_TRUE(core::dial_udp(core::endpoint(peer, 9), {.device = core::interface_name::make("eth0").value()}));
    EXPECT_TRUE(core::connect(s, core::endpoint((*net)[1].v6(), 9))) << "only scoped destinations need one";
  });
}

// Without a multicast route (and no default route) the kernel answers a send
// or connect to a group with ENETUNREACH; the error says what is missing. For
// IPv4 setting the multicast interface is enough; IPv6 needs the route back.
TEST(NetNoMulticastRoute, SendAndConnectToAGroupSayWhatIsMissing) {
  MCNET_REQUIRE_NETNS();
  auto net = test::network::lan(1);
  const auto& h = (*net)[0];
  for (const auto& argv : {std::vector<std::string>{"ip", "route", "del", "224.0.0.0/4", "dev", "eth0"},
                            std::vector<std::string>{"ip", "-6", "route", "del", "multicast", "ff00::/8", "dev", "eth0",
                                                     "table", "local"}}) {
    const auto deleted = h.exec(argv);
    ASSERT_TRUE(deleted.status.success()) << deleted.output;
  }
  for (const char* group : {"239.77.1.1", "ff0e::77:1"}) {
    SCOPED_TRACE(group);
    const bool v6 = addr(group).is_v6();
    const auto to = core::endpoint(addr(group), 9);
    test::run_in(h, [&] {
      auto s = core::listen_udp(core::endpoint::parse(v6 ? "[::]:0" : "0.0.0.0:0").value()).value();
      test::owned_message out;
      out.set_text("unrouted");
      out.m.peer = to;
      const auto expect_hint = [&](const mcnet::error& e, const char* what) {
        EXPECT_EQ(e.code, std::errc::network_unreachable) << what << ": " << e.message();
        EXPECT_EQ(e.address(), addr(group)) << what;
        EXPECT_NE(e.message().find("no route to the group"), std::string::npos) << what << ": " << e.message();
        EXPECT_NE(e.message().find(v6 ? "ip -6 route add multicast ff00::/8 dev IFACE table local"
                                      : "ip route add 224.0.0.0/4 dev IFACE"),
                  std::string::npos)
            << what << ": " << e.message();
      };
      auto w = core::write_to(s, out.m, core::wait_policy::deadline(1s));
      ASSERT_FALSE(w);
      expect_hint(w.error(), "write_to");
      std::array<core::message, 2> batch{out.m, out.m};
      auto n = core::write_batch(s, batch, core::wait_policy::deadline(1s));
      ASSERT_FALSE(n);
      expect_hint(n.error(), "write_batch");
      auto c = core::dial_udp(to);
      ASSERT_FALSE(c);
      expect_hint(c.error(), "dial_udp");

      // A unicast destination off every route keeps the kernel's bare answer
      // (another /24 and /64 of the test space: this host has no route there).
      out.m.peer = core::endpoint(addr(v6 ? "fd77:0:0:fa::1" : "10.77.250.1"), 9);
      w = core::write_to(s, out.m, core::wait_policy::deadline(1s));
      ASSERT_FALSE(w);
      EXPECT_EQ(w.error().message().find("no route to the group"), std::string::npos) << w.error().message();

      if (v6) {
        // A group written as v4-mapped is sent as IPv4, and gets its hint.
        out.m.peer = core::endpoint(addr("::ffff:239.77.1.1"), 9);
        w = core::write_to(s, out.m, core::wait_policy::deadline(1s));
        ASSERT_FALSE(w);
        EXPECT_NE(w.error().message().find("ip route add 224.0.0.0/4 dev IFACE"), std::string::npos)
            << w.error().message();
        // A zone naming an interface this namespace has not: that is the
        // problem, not the route table.
        for (const char* zoned : {"ff02::1", "fe80::1"}) {
          out.m.peer = core::endpoint(addr(zoned).with_scope_id(99), 9);
          w = core::write_to(s, out.m, core::wait_policy::deadline(1s));
          ASSERT_FALSE(w) << zoned;
          EXPECT_EQ(w.error().code, std::errc::network_unreachable) << zoned;
          EXPECT_EQ(w.error().interface_index(), 99u) << zoned;
          EXPECT_NE(w.error().message().find("the zone names interface index 99, which this network namespace "
                                             "does not have"),
                    std::string::npos)
              << w.error().message();
        }
        // A zone naming a real interface leaves the route as the problem.
        out.m.peer = core::endpoint(addr(group).with_scope_id(h.iface().index), 9);
        w = core::write_to(s, out.m, core::wait_policy::deadline(1s));
        ASSERT_FALSE(w);
        EXPECT_NE(w.error().message().find("ip -6 route add multicast ff00::/8 dev IFACE table local"),
                  std::string::npos)
            << w.error().message();
      }

      test::multicast_out(s, v6, h.iface().index, 1);
      out.m.peer = to;
      if (v6) {
        w = core::write_to(s, out.m, core::wait_policy::deadline(1s));
        ASSERT_FALSE(w) << "IPV6_MULTICAST_IF alone: the kernel still looks for a route";
        expect_hint(w.error(), "write_to with IPV6_MULTICAST_IF");
        const auto added = h.exec({"ip", "-6", "route", "add", "multicast", "ff00::/8", "dev", "eth0", "table", "local"});
        ASSERT_TRUE(added.status.success()) << added.output;
      }
      auto sent = core::write_to(s, out.m, core::wait_policy::deadline(1s));
      EXPECT_TRUE(sent) << "the multicast interface suffices: " << sent.error().message();
    });
  }
}

}  // namespace
