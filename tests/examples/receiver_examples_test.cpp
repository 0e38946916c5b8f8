// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The mcnet authors
//
// The receiver examples in a test network: examples/asio_receiver.cpp (on
// Boost.Asio's event loop) and examples/multicast_receiver.cpp receive what
// examples/multicast_sender.cpp sends from another host, IPv4 and IPv6, and
// say so line by line. Both take the same arguments and print the same
// kinds of lines. examples/exclude_receiver.cpp joins any source but one, and
// only the other sender's datagrams arrive. The examples read groups and
// ports by the tools' rules.

#include <gtest/gtest.h>

#include <string>
#include <tuple>
#include <vector>

#include "example_run.hpp"
#include "lan.hpp"
#include "privilege.hpp"

namespace test = mcnet::test;
namespace examples = mcnet::test::examples;

namespace {

// param: the receiver example, IPv6
class NetReceiverExample : public ::testing::TestWithParam<std::tuple<const char*, bool>> {};

TEST_P(NetReceiverExample, ReceivesWhatTheSenderSends) {
  MCNET_REQUIRE_NETNS();
  const auto [example, v6] = GetParam();
  auto net = test::network::lan(2);
  const std::string group = v6 ? "ff1e::31:1" : "239.255.31.1";
  const std::string spec = examples::group_spec(group, std::to_string(examples::free_port((*net)[1])));
  const auto r = examples::run_example_while((*net)[1], example, {spec, "eth0", "5", "10000"}, "joined", [&] {
    const auto s = examples::run_example((*net)[0], "multicast_sender", {spec, "eth0", "5", "20", "3"});
    EXPECT_TRUE(s.status.success()) << s.status.describe() << "\n" << s.output;
  });
  ASSERT_TRUE(r.status.success()) << r.status.describe() << "\n" << r.output;
  EXPECT_EQ(examples::lines_with(r.standard_output, "joined " + group + " on eth0").size(), 1u) << r.output;
  const auto datagrams = examples::lines_with(r.standard_output, "-> " + group);
  ASSERT_EQ(datagrams.size(), 5u) << r.output;
  const std::string from = v6 ? (*net)[0].v6().to_string() : (*net)[0].v4().to_string();
  const std::string ifindex = " if " + std::to_string((*net)[1].iface().index) + " ";
  for (const auto& line : datagrams) {
    EXPECT_NE(line.find(from), std::string::npos) << "the sender's address: " << line;
    EXPECT_NE(line.find(ifindex), std::string::npos) << "the receiver's interface: " << line;
    EXPECT_NE(line.find("ttl 3"), std::string::npos) << "the sender's TTL / hop limit: " << line;
  }
  EXPECT_EQ(examples::lines_with(r.standard_output, "received 5 of 5 datagrams").size(), 1u) << r.output;
}

TEST(NetReceiverExamples, TakeGroupsByTheToolsRules) {
  // A link-local IPv6 group without a zone is scoped to the interface
  // argument, as mcast-recv's [ff02::1]:5000 with -i.
  MCNET_REQUIRE_NETNS();
  auto net = test::network::lan(2);
  const std::string spec = "[ff02::77]:5032";
  const auto r = examples::run_example_while((*net)[1], "multicast_receiver", {spec, "eth0", "3", "10000"}, "joined", [&] {
    const auto s = examples::run_example((*net)[0], "multicast_sender", {spec, "eth0", "3", "20", "1"});
    EXPECT_TRUE(s.status.success()) << s.status.describe() << "\n" << s.output;
  });
  ASSERT_TRUE(r.status.success()) << r.status.describe() << "\n" << r.output;
  EXPECT_EQ(examples::lines_with(r.standard_output, "received 3 of 3 datagrams").size(), 1u) << r.output;

  // Refused before any socket, exit 1 with the reason (exit 2 for a bad
  // number, as their other numeric arguments).
  const auto& h = (*net)[0];
  const struct {
    const char* example;
    std::vector<std::string> args;
    int exit;
    const char* needle;
  } bad[] = {
      {"multicast_receiver", {"239.255.31.1:0", "eth0"}, 1, "port 0: the port is 1 to 65535"},
      {"asio_receiver", {"[ff1e::31:1]:0", "eth0"}, 1, "port 0"},
      {"multicast_sender", {"239.255.31.1:0", "eth0"}, 1, "port 0"},
      {"multicast_receiver", {"10.77.0.1:5000", "eth0"}, 1, "not a multicast address"},
      {"multicast_receiver", {"239.255.31.1:70000", "eth0"}, 1, "port"},
      {"multicast_receiver", {"[ff02::77%lo]:5000", "eth0"}, 1, "name different interfaces"},
      {"interface_sender", {"239.255.31.1:0", "ef", "1", "eth0"}, 1, "port 0"},
      {"ab_moldudp64_receiver", {"eth0", "0", "100", "239.1.1.1", "239.1.1.2"}, 2, "not a port"},
      {"ab_moldudp64_receiver", {"eth0", "5000", "100", "239.1.1.1", "ff1e::1"}, 1, "family"},
  };
  for (const auto& b : bad) {
    const auto run = examples::run_example(h, b.example, b.args);
    EXPECT_EQ(run.status.code, b.exit) << b.example << " " << b.args[0] << ": " << run.output;
    EXPECT_NE(run.output.find(b.needle), std::string::npos) << b.example << ": " << run.output;
  }
}

INSTANTIATE_TEST_SUITE_P(Examples, NetReceiverExample,
                         ::testing::Combine(::testing::Values("asio_receiver", "multicast_receiver"),
                                            ::testing::Bool()),
                         [](const auto& p) { return examples::example_and_family(p.param); });

// param: IPv6
class NetExcludeReceiverExample : public ::testing::TestWithParam<bool> {};

TEST_P(NetExcludeReceiverExample, ReceivesEverySourceButTheBlockedOne) {
  MCNET_REQUIRE_NETNS();
  const auto lan = examples::exclude_lan::make(GetParam() ? "ff1e::32:1" : "239.255.32.1", GetParam());
  const auto r = examples::run_example_while(lan.rx(), "exclude_receiver",
                                             {lan.spec, "eth0", "5", "10000", lan.blocked_address}, "joined", [&] {
    // The blocked sender first: were its datagrams let in, they would be the
    // five the receiver waits for, and it would end before the other sends.
    for (const auto* tx : {&lan.blocked(), &lan.allowed()}) {
      const auto s = examples::run_example(*tx, "multicast_sender", {lan.spec, "eth0", "5", "20", "1"});
      EXPECT_TRUE(s.status.success()) << s.status.describe() << "\n" << s.output;
    }
  });
  ASSERT_TRUE(r.status.success()) << r.status.describe() << "\n" << r.output;
  EXPECT_EQ(
      examples::lines_with(r.standard_output, "joined " + lan.group + " on eth0: exclude mode, 1 in the source list").size(),
      1u)
      << r.output;
  EXPECT_EQ(examples::lines_with(r.standard_output, "from " + lan.allowed_address + ": 5 datagrams").size(), 1u)
      << r.output;
  EXPECT_TRUE(examples::lines_with(r.standard_output, lan.blocked_address).empty()) << r.output;
  EXPECT_EQ(examples::lines_with(r.standard_output, "received 5 of 5 datagrams").size(), 1u) << r.output;
}

INSTANTIATE_TEST_SUITE_P(Examples, NetExcludeReceiverExample, ::testing::Bool(),
                         [](const auto& p) { return std::string(p.param ? "IPv6" : "IPv4"); });

}  // namespace
