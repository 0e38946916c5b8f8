// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The mcnet authors
//
// The feed receiver examples in a test network:
// - examples/ssm_receiver.cpp joins two (S,G) channels of two senders
//   (mcast-send, one dropping every 10th datagram) and reports each
//   channel's gaps and counts exactly; the other sender's datagrams to the
//   first group are kept out by the source filter;
// - examples/ab_moldudp64_receiver.cpp merges a MoldUDP64 feed sent on two
//   lines, each losing its own packets, and reports the per-line gaps, the
//   real loss (on both lines) and the duplicates exactly.
// Both read their ports and channels by the tools' rules.

#include <gtest/gtest.h>

#include <array>
#include <chrono>
#include <cstddef>
#include <regex>
#include <string>
#include <thread>
#include <vector>

#include <mcnet/feed/moldudp64.hpp>
#include <mcnet/ipv4/packet_conn.hpp>

#include "example_run.hpp"
#include "lan.hpp"
#include "privilege.hpp"

namespace core = mcnet::core;
namespace feed = mcnet::feed;
namespace test = mcnet::test;
namespace examples = mcnet::test::examples;
using namespace std::chrono_literals;

namespace {

// The sum of N over the lines "gap on CHANNEL: N missing from F".
std::uint64_t missing_on(const std::string& output, const std::string& channel, std::size_t* lines) {
  const auto gaps = examples::lines_with(output, "gap on " + channel + ": ");
  *lines = gaps.size();
  std::uint64_t sum = 0;
  static const std::regex n(R"(: (\d+) missing from)");
  for (const auto& g : gaps) {
    std::smatch m;
    if (std::regex_search(g, m, n)) sum += std::stoull(m[1]);
  }
  return sum;
}

// param: IPv6
class NetSsmReceiverExample : public ::testing::TestWithParam<bool> {};

TEST_P(NetSsmReceiverExample, EachChannelsGapsAndCountsExactly) {
  MCNET_REQUIRE_NETNS();
  const bool v6 = GetParam();
  auto net = test::network::lan(3);
  const auto& tx1 = (*net)[0];
  const auto& tx2 = (*net)[1];
  const auto& rx = (*net)[2];
  const std::string port = std::to_string(examples::free_port(rx));
  const std::string g1 = v6 ? "ff3e::77:1" : "232.77.1.1";
  const std::string g2 = v6 ? "ff3e::77:2" : "232.77.1.2";
  const auto spec = [&](const std::string& g) { return v6 ? "[" + g + "]:" + port : g + ":" + port; };
  const std::string s1 = (v6 ? tx1.v6() : tx1.v4()).to_string();
  const std::string s2 = (v6 ? tx2.v6() : tx2.v4()).to_string();
  const std::string c1 = s1 + "@" + g1;
  const std::string c2 = s2 + "@" + g2;

  const auto r = examples::run_example_while(rx, "ssm_receiver", {"eth0", port, "10000", c1, c2}, "joined 2 channels", [&] {
    // tx2 also sends to g1: an SSM join of (tx1, g1) must not let it in.
    auto second = tx2.start({MCAST_SEND, "-i", "eth0", "-c", "200", "-r", "2000pps", spec(g2), spec(g1)});
    const auto first =
        tx1.exec({MCAST_SEND, "-i", "eth0", "-c", "200", "-r", "2000pps", "--drop-every", "10", spec(g1)});
    EXPECT_TRUE(first.status.success()) << first.output;
    const auto done = second.wait_for(10s);
    ASSERT_TRUE(done) << "the second sender did not end in 10 s";
    EXPECT_TRUE(done->success()) << done->describe() << "\n" << second.output();
  });
  ASSERT_TRUE(r.status.success()) << r.status.describe() << "\n" << r.output;
  std::size_t lines = 0;
  EXPECT_EQ(missing_on(r.standard_output, c1, &lines), 20u) << r.output;
  EXPECT_EQ(lines, 20u) << "one gap per dropped datagram, the last one shown by the END marker\n" << r.output;
  EXPECT_EQ(missing_on(r.standard_output, c2, &lines), 0u) << r.output;
  EXPECT_EQ(examples::lines_with(r.standard_output, "channel " + c1 + ": received 180, lost 20, reordered 0, duplicates 0")
                .size(),
            1u)
      << r.output;
  EXPECT_EQ(examples::lines_with(r.standard_output, "channel " + c2 + ": received 200, lost 0, reordered 0, duplicates 0")
                .size(),
            1u)
      << "tx2's copies to " << g1 << " are not on this channel\n"
      << r.output;
  EXPECT_TRUE(examples::lines_with(r.standard_output, "timed out").empty()) << r.output;
}

INSTANTIATE_TEST_SUITE_P(Examples, NetSsmReceiverExample, ::testing::Bool(),
                         [](const auto& p) { return std::string(p.param ? "IPv6" : "IPv4"); });

// Send a MoldUDP64 session of `packets` packets of 3 messages (sequence
// numbers from 1) on two groups from `tx`; line A skips packet i when
// i % drop_a == 0, line B when i % drop_b == 0; then the end of session on
// both lines.
void send_ab_session(const test::host& tx, const std::string& group_a, const std::string& group_b, std::uint16_t port,
                     int packets, int drop_a, int drop_b) {
  tx.run([&] {
    auto conn = mcnet::ipv4::packet_conn::listen(core::endpoint::parse("0.0.0.0:0").value()).value();
    ASSERT_TRUE(conn.set_multicast_interface(tx.iface()));
    const std::array<core::endpoint, 2> lines{core::endpoint(core::ip_address::parse(group_a).value(), port),
                                              core::endpoint(core::ip_address::parse(group_b).value(), port)};
    const auto session = feed::moldudp64::session_id::make("TESTSESS01").value();
    std::array<std::byte, 1500> out{};
    std::uint64_t next = 1;
    for (int i = 1; i <= packets; ++i) {
      auto b = feed::moldudp64::packet_builder::start(out, session, next).value();
      for (int k = 0; k < 3; ++k) {
        const std::array<std::byte, 24> message{std::byte{'A'}, static_cast<std::byte>(k)};
        ASSERT_TRUE(b.append(message));
      }
      next += b.count();
      if (i % drop_a != 0) {
        ASSERT_TRUE(conn.write_to(b.bytes(), lines[0]));
      }
      if (i % drop_b != 0) {
        ASSERT_TRUE(conn.write_to(b.bytes(), lines[1]));
      }
      std::this_thread::sleep_for(200us);  // paced: the receiver's default buffer is never the loss
    }
    const auto n = feed::moldudp64::build_end_of_session(out, session, next).value();
    for (const auto& line : lines) ASSERT_TRUE(conn.write_to(std::span(out).first(n), line));
  });
}

TEST(NetAbMoldudp64Example, PerLineGapsRealLossAndDuplicatesExactly) {
  MCNET_REQUIRE_NETNS();
  auto net = test::network::lan(2);
  const auto port = examples::free_port((*net)[1]);
  const auto r = examples::run_example_while(
      (*net)[1], "ab_moldudp64_receiver", {"eth0", std::to_string(port), "10000", "239.77.1.1", "239.77.2.1"},
      "joined line A", [&] { send_ab_session((*net)[0], "239.77.1.1", "239.77.2.1", port, 300, 10, 15); });
  ASSERT_TRUE(r.status.success()) << r.status.describe() << "\n" << r.output;
  // 300 packets of 3 messages: A misses 30 packets, B 20, both 10 (i % 30 == 0).
  EXPECT_EQ(examples::lines_with(r.standard_output, "line A: 810 messages, lost on this line 90, ").size(), 1u)
      << r.output;
  EXPECT_EQ(examples::lines_with(r.standard_output, "line B: 840 messages, lost on this line 60, ").size(), 1u)
      << r.output;
  EXPECT_EQ(examples::lines_with(r.standard_output,
                                 "merged: delivered 870 (20880 bytes), lost on both lines 30, duplicates dropped 780, "
                                 "heartbeats 0, malformed or of another session 0")
                .size(),
            1u)
      << r.output;
}

}  // namespace

namespace {

// The overview of <mcnet/feed.hpp>, compiled as examples/feed_overview.cpp:
// without an argument it runs only its pure sections (no socket), on
// datagrams the builders made.
TEST(FeedOverviewExample, ItsSectionsRunOnBuiltDatagrams) {
  const auto r = test::run(nullptr, {examples::example_path("feed_overview")});
  ASSERT_TRUE(r.status.success()) << r.status.describe() << "\n" << r.output;
  for (const char* line : {"test header 7", "message 1: 3 bytes", "message 2: 3 bytes", "built 30 bytes",
                           "rtp 65535 at 9000: 3 bytes", "mpegts continuity errors 0, sync errors 0",
                           "delivered on line A"}) {
    EXPECT_EQ(examples::lines_with(r.standard_output, line).size(), 1u) << line << "\n" << r.output;
  }
}

}  // namespace

namespace {

TEST(NetAbMoldudp64Example, ADeadLineMissedEveryMessage) {
  MCNET_REQUIRE_NETNS();
  auto net = test::network::lan(2);
  const auto port = examples::free_port((*net)[1]);
  const auto r = examples::run_example_while(
      (*net)[1], "ab_moldudp64_receiver", {"eth0", std::to_string(port), "10000", "239.77.1.1", "239.77.2.1"},
      "joined line A", [&] { send_ab_session((*net)[0], "239.77.1.1", "239.77.2.1", port, 100, 7, 1); });
  ASSERT_TRUE(r.status.success()) << r.status.describe() << "\n" << r.output;
  // Line B carries only the end of session: it missed all 300 messages.
  EXPECT_EQ(examples::lines_with(r.standard_output, "line A: 258 messages, lost on this line 42, first 100.0 %").size(), 1u)
      << r.output;
  EXPECT_EQ(examples::lines_with(r.standard_output, "line B: 0 messages, lost on this line 300, first 0.0 %").size(), 1u)
      << r.output;
  EXPECT_EQ(examples::lines_with(r.standard_output, "merged: delivered 258 (6192 bytes), lost on both lines 42, "
                                                    "duplicates dropped 0")
                .size(),
            1u)
      << r.output;
}

TEST(NetFeedExamples, RefuseWhatTheToolsRefuse) {
  MCNET_REQUIRE_NETNS();
  auto net = test::network::lan(1);
  const struct {
    std::vector<std::string> args;
    int exit;
    const char* needle;
  } bad[] = {
      {{"eth0", "0", "100", "10.77.0.1@232.1.1.1"}, 2, "ssm_receiver: not a port (1 to 65535): 0"},
      {{"eth0", "5000", "-3", "10.77.0.1@232.1.1.1"}, 2, "ssm_receiver: not a non-negative number: -3"},
      {{"eth0", "70000", "100", "10.77.0.1@232.1.1.1"}, 2, "not a port"},
      {{"eth0", "5000", "100", "::ffff:10.77.0.1@ff3e::1"}, 1, "the source is a unicast address of the group's family"},
      {{"eth0", "5000", "100", "232.1.1.9@232.1.1.1"}, 1, "source"},
      {{"eth0", "5000", "100", "10.77.0.1@10.77.0.2"}, 1, "not a multicast address"},
      {{"eth0", "5000", "100", "10.77.0.1@232.1.1.1", "fd77::1@ff3e::1"}, 1, "one family"},
  };
  for (const auto& b : bad) {
    const auto run = examples::run_example((*net)[0], "ssm_receiver", b.args);
    EXPECT_EQ(run.status.code, b.exit) << b.args.back() << ": " << run.output;
    EXPECT_NE(run.output.find(b.needle), std::string::npos) << b.args.back() << ": " << run.output;
  }
}

}  // namespace
