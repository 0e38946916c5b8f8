// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The mcnet authors
//
// The sender examples, run in namespaces and held to what they print and
// what goes on the wire:
// - interface_sender, on a host with two LANs, sends one datagram out of
//   each interface with one socket: each LAN's receiver gets exactly the
//   datagram naming its interface, with the TTL and DSCP asked for;
// - tcp_marked_client's SYN carries its DSCP, and its deadline ends a
//   connect that nobody answers.

#include <gtest/gtest.h>

#include <array>
#include <string>

#include <mcnet/core.hpp>
#include <mcnet/ipv4.hpp>
#include <mcnet/ipv6.hpp>

#include "addr.hpp"
#include "lan.hpp"
#include "privilege.hpp"
#include "tcp_helpers.hpp"

namespace core = mcnet::core;
namespace test = mcnet::test;
using namespace std::chrono_literals;

namespace {

// h0 on LANs 0 and 1 (eth0, eth1); h1 on LAN 0; h2 on LAN 1.
std::unique_ptr<test::network> two_lans() {
  return test::network::create({.lans = 2, .hosts = {{.lans = {0, 1}}, {.lans = {0}}, {.lans = {1}}}});
}

struct received {
  std::string text;
  int ttl = -1;
  int tos = -1;
};

// A receiver of `group` on host `h`'s only interface, seeing TTL and TOS.
template <class PacketConn>
PacketConn receiver(const test::host& h, const core::ip_address& group, std::uint16_t port) {
  const auto any = group.is_v4() ? core::ip_address::any_v4() : core::ip_address::any_v6();
  auto c = test::run_in(h, [&] { return PacketConn::listen(core::endpoint(any, port)).value(); });
  EXPECT_TRUE(c.join_group(group, h.iface()));
  using cf = typename PacketConn::control_flags;
  if constexpr (requires { cf::ttl; }) {
    EXPECT_TRUE(c.set_control_message(cf::ttl | cf::tos, true));
  } else {
    EXPECT_TRUE(c.set_control_message(cf::hop_limit | cf::traffic_class, true));
  }
  c.set_wait(core::wait_policy::deadline(2s));
  return c;
}

template <class PacketConn>
received receive(PacketConn& c, std::chrono::milliseconds within) {
  c.set_wait(core::wait_policy::deadline(within));
  std::array<std::byte, 512> buf{};
  auto r = c.read_from(buf);
  if (!r) return {};
  received out{std::string(reinterpret_cast<const char*>(buf.data()), r->size)};
  if constexpr (requires { r->control.ttl; }) {
    out.ttl = r->control.ttl;
    out.tos = r->control.tos;
  } else {
    out.ttl = r->control.hop_limit;
    out.tos = r->control.traffic_class;
  }
  return out;
}

template <class PacketConn>
void interface_per_datagram(const char* group_text) {
  auto net = two_lans();
  const auto group = test::addr(group_text);
  auto on_lan0 = receiver<PacketConn>((*net)[1], group, 0);
  const auto port = core::local_endpoint(on_lan0.socket()).value().port();
  auto on_lan1 = receiver<PacketConn>((*net)[2], group, port);
  const auto to = core::endpoint(group, port).to_string();

  auto run = (*net)[0].exec({MCNET_EXAMPLE_INTERFACE_SENDER, to, "ef", "4", "eth0", "eth1"});
  ASSERT_TRUE(run.status.success()) << run.status.describe() << "\n" << run.output;
  const auto& h0 = (*net)[0];
  EXPECT_EQ(run.standard_output, "sent to " + to + " on eth0 (index " + std::to_string(h0.iface(0).index) + ")\n" +
                                     "sent to " + to + " on eth1 (index " + std::to_string(h0.iface(1).index) + ")\n");

  const auto a = receive(on_lan0, 2000ms);
  EXPECT_EQ(a.text, "eth0 dscp ef ttl 4");
  EXPECT_EQ(a.ttl, 4);
  EXPECT_EQ(a.tos, 0xb8);
  const auto b = receive(on_lan1, 2000ms);
  EXPECT_EQ(b.text, "eth1 dscp ef ttl 4") << "the second datagram left by eth1, not by the route to the group";
  EXPECT_EQ(b.ttl, 4);
  EXPECT_EQ(b.tos, 0xb8);
  EXPECT_EQ(receive(on_lan0, 200ms).text, "") << "one datagram per interface";
  EXPECT_EQ(receive(on_lan1, 200ms).text, "");
}

TEST(NetSenderExamples, InterfaceSenderChoosesTheInterfaceOfEachDatagramV4) {
  MCNET_REQUIRE_NETNS();
  interface_per_datagram<mcnet::ipv4::packet_conn>("239.255.50.1");
}

TEST(NetSenderExamples, InterfaceSenderChoosesTheInterfaceOfEachDatagramV6) {
  MCNET_REQUIRE_NETNS();
  interface_per_datagram<mcnet::ipv6::packet_conn>("ff1e::50:1");
}

TEST(NetSenderExamples, InterfaceSenderRefusesBadInput) {
  MCNET_REQUIRE_NETNS();
  auto net = test::network::lan(1);
  const auto& h = (*net)[0];
  auto bad_dscp = h.exec({MCNET_EXAMPLE_INTERFACE_SENDER, "239.255.50.1:9", "ef46", "4", "eth0"});
  EXPECT_EQ(bad_dscp.status.code, 1);
  EXPECT_NE(bad_dscp.output.find("a DSCP is 0 to 63 or a name"), std::string::npos) << bad_dscp.output;
  auto bad_ttl = h.exec({MCNET_EXAMPLE_INTERFACE_SENDER, "239.255.50.1:9", "ef", "0", "eth0"});
  EXPECT_EQ(bad_ttl.status.code, 2);
  auto no_iface = h.exec({MCNET_EXAMPLE_INTERFACE_SENDER, "239.255.50.1:9", "ef", "4", "eth7"});
  EXPECT_EQ(no_iface.status.code, 1);
  EXPECT_NE(no_iface.output.find("eth7"), std::string::npos) << no_iface.output;
  EXPECT_EQ(h.exec({MCNET_EXAMPLE_INTERFACE_SENDER}).status.code, 2) << "usage";
}

TEST(NetSenderExamples, TcpMarkedClientsSynCarriesItsDscp) {
  MCNET_REQUIRE_NETNS();
  auto net = test::network::lan(2);
  const auto& server_host = (*net)[1];
  for (bool v6 : {false, true}) {
    auto server = test::listen_tcp_on(server_host, v6);
    auto& listener = server.socket;
    const auto where = server.where;
    auto capture = test::start_syn_capture(server_host, where.port(), v6);
    auto run = (*net)[0].exec({MCNET_EXAMPLE_TCP_MARKED_CLIENT, where.to_string(), "AF41", "2000"});
    ASSERT_TRUE(run.status.success()) << run.status.describe() << "\n" << run.output;
    EXPECT_TRUE(run.standard_output.starts_with("connected to " + where.to_string() + " from "))
        << run.standard_output;
    EXPECT_TRUE(run.standard_output.ends_with(" with dscp af41 (tos 0x88)\n")) << run.standard_output;
    const auto syn = test::syn_seen(capture);
    ASSERT_FALSE(syn.empty()) << "no SYN seen: " << capture.output();
    EXPECT_NE(syn.find(v6 ? "class 0x88," : "tos 0x88,"), std::string::npos) << syn;
    EXPECT_TRUE(core::accept_tcp(listener, 1s)) << "the handshake completed";
  }
}

TEST(NetSenderExamples, TcpMarkedClientsDeadlineEndsASilentConnect) {
  MCNET_REQUIRE_NETNS();
  auto net = test::network::lan(1);
  const auto started = std::chrono::steady_clock::now();
  // No such host on the LAN: ARP never answers.
  auto run = (*net)[0].exec({MCNET_EXAMPLE_TCP_MARKED_CLIENT, "10.77.0.99:80", "ef", "300"});
  const auto took = std::chrono::steady_clock::now() - started;
  EXPECT_EQ(run.status.code, 1) << run.output;
  EXPECT_NE(run.output.find("timed out"), std::string::npos) << run.output;
  EXPECT_NE(run.output.find("10.77.0.99"), std::string::npos) << run.output;
  // 300 ms against the kernel's SYN retries (over a minute): a bound far from
  // both, as a loaded machine took 3.9 s for the run's process set-up.
  EXPECT_LT(took, 20s) << "the deadline, not the kernel's SYN retries (over a minute), ended it";
}

}  // namespace
