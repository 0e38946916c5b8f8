// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The mcnet authors
//
// A/B lines end to end, inside a private namespace LAN: mcast-send --line-b
// with its own drops into mcast-recv --line A=... --line B=..., checked
// against docs/tools.md ("Lines") exactly for mcnet, MoldUDP64 and RTP;
// --delay-b seen as skew (IPv6); a dead line B; a restarted sender and
// lines of two groups, each a feed of its own; a full delay queue said
// before sending and counted; the rate over the main line, B's drain apart.
// Every JSON line of both tools is validated against docs/mcast-tools.schema.json.

#include <gtest/gtest.h>

#include <algorithm>
#include <chrono>
#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "e2e_run.hpp"
#include "lan.hpp"
#include "privilege.hpp"
#include "tool_run.hpp"

namespace test = mcnet::test;
using json = nlohmann::json;

namespace {

using test::tools::field;
using test::tools::find_event;
using test::tools::free_port;
using test::tools::json_lines;
using test::tools::receiver;
using test::tools::send;
using test::tools::summary_streams;

// The "lines" object of the summary in `standard_output`.
json summary_lines(const std::string& standard_output) {
  const auto events = json_lines(standard_output);
  const json* summary = find_event(events, "summary");
  return summary != nullptr ? field(*summary, "lines") : json("<no summary>");
}

// A run of mcast-recv --line A=a --line B=b (after `recv_extra`; `count`,
// such as "+2", after each spec) in host 1 of `net` while host 0 runs
// mcast-send with what `send_args` makes of the two specs (a free port on
// each group).
struct line_run {
  test::run_result received, sent;
  json lines;
};
line_run run_lines(const test::network& net, const std::string& a_group, const std::string& b_group,
                   std::vector<std::string> recv_extra,
                   const std::function<std::vector<std::string>(const std::string&, const std::string&)>& send_args,
                   std::chrono::milliseconds quiet = std::chrono::milliseconds(300), const std::string& count = "") {
  const auto port = std::to_string(free_port(net[1]));
  const auto a = a_group + ":" + port, b = b_group + ":" + port;
  recv_extra.insert(recv_extra.end(), {"--line", "A=" + a + count, "--line", "B=" + b + count});
  receiver r(net[1], recv_extra);
  line_run out;
  EXPECT_TRUE(r.joined()) << r.output();
  if (!r.joined()) return out;
  out.sent = send(net[0], send_args(a, b));
  out.received = r.finish_clean(quiet);
  out.lines = summary_lines(out.received.standard_output);
  return out;
}

}  // namespace

TEST(NetLinesE2e, MergedLossIsWhatBothLinesDrop) {
  MCNET_REQUIRE_NETNS();
  auto net = test::network::lan(2);
  for (const std::string payload : {"mcnet", "moldudp64", "rtp"}) {
    SCOPED_TRACE(payload);
    // Room for the whole run in the receive buffer: nothing lost but what the sender drops.
    const auto run = run_lines(*net, "239.255.81.1", "239.255.82.1",
                               {"-i", "eth0", "--rcvbuf", "8388608", "--force", "--payload", payload},
                               [&payload](const auto& a, const auto& b) {
                                 return std::vector<std::string>{"-i", "eth0", "--payload", payload, "-c", "1000", "-r",
                                                                 "5000pps", "--drop-every", "10", "--drop-every-b",
                                                                 "15", "--line-b", b, a};
                               });
    const auto& got = run.received;
    const auto& sent = run.sent;
    const auto& lines = run.lines;
    ASSERT_TRUE(lines.is_object()) << got.output;
    const auto events_rx = json_lines(got.standard_output);
    const json* summary_rx = find_event(events_rx, "summary");
    ASSERT_NE(summary_rx, nullptr);
    EXPECT_EQ(field(field(*summary_rx, "total"), "kernel_drops"), 0) << "the receive buffer overflowed";
    EXPECT_EQ(field(field(lines, "merged"), "lost"), 33) << got.output << sent.output;
    EXPECT_EQ(field(field(lines, "merged"), "delivered"), 967) << lines;
    EXPECT_EQ(field(field(lines, "A"), "gaps"), 100) << lines;
    EXPECT_EQ(field(field(lines, "B"), "gaps"), 66) << lines;
    EXPECT_EQ(field(field(lines, "A"), "packets"), 900) << lines;
    EXPECT_EQ(field(field(lines, "B"), "packets"), 934) << lines;
    EXPECT_EQ(field(field(lines, "merged"), "duplicates_dropped"), 900 + 934 - 967) << lines;
    EXPECT_EQ(field(field(lines, "merged"), "feeds"), 1) << lines;
    // B is first exactly where A dropped (67 numbers): mcast-send never
    // sends B's copy of a number before A's, also after B's own drops.
    EXPECT_DOUBLE_EQ(field(field(lines, "A"), "first_share").get<double>(), 900.0 / 967.0) << lines;
    EXPECT_DOUBLE_EQ(field(field(lines, "B"), "first_share").get<double>(), 67.0 / 967.0) << lines;
    // Each line is still its own stream, with its own loss.
    const auto streams = summary_streams(got.standard_output);
    ASSERT_EQ(streams.size(), 2u) << got.output;
    for (const auto& s : streams) {
      const bool on_a = field(s, "group") == "239.255.81.1";
      EXPECT_EQ(field(s, "payload"), payload) << s;
      // MoldUDP64 counts messages (one per packet here). RTP has no end
      // marker: A's stream cannot know it lost its last datagram (999),
      // which the merge counts because B carried it.
      EXPECT_EQ(field(s, "lost"), on_a ? (payload == "rtp" ? 99 : 100) : 66) << s;
    }
    // The sender's own account of line B.
    const auto events = json_lines(sent.standard_output);
    const json* summary = find_event(events, "summary");
    ASSERT_NE(summary, nullptr) << sent.output;
    const auto& g = (*summary)["groups"][0];
    EXPECT_EQ(field(g, "sent"), 900) << g;
    EXPECT_EQ(field(field(g, "line_b"), "sent"), 934) << g;
    EXPECT_EQ(field(field(g, "line_b"), "early"), 0) << g;
  }
}

TEST(NetLinesE2e, DelayOfLineBShowsAsSkew) {
  MCNET_REQUIRE_NETNS();
  auto net = test::network::lan(2);
  // 200 datagrams 1 ms apart, B 20 ms later: every copy of B is second.
  const auto run = run_lines(*net, "[ff3e::84]", "[ff3e::83]", {"-i", "eth0"}, [](const auto& a, const auto& b) {
    return std::vector<std::string>{"-i", "eth0", "-c", "200", "-r", "1000pps", "--delay-b", "20000", "--line-b", b, a};
  }, std::chrono::milliseconds(400));
  const auto& lines = run.lines;
  ASSERT_TRUE(lines.is_object()) << run.received.output;
  EXPECT_EQ(field(field(lines, "merged"), "delivered"), 200) << lines;
  EXPECT_EQ(field(field(lines, "merged"), "lost"), 0) << lines;
  EXPECT_DOUBLE_EQ(field(field(lines, "A"), "first_share").get<double>(), 1.0) << lines;
  const auto skew = field(field(lines, "merged"), "skew_ns");
  ASSERT_TRUE(field(skew, "p50").is_number()) << lines;
  // At least the delay (the histogram's bucket may round down by a few
  // percent); the upper bound only guards against a stalled B line.
  EXPECT_GE(field(skew, "p50").get<double>(), 19e6) << lines;
  EXPECT_LT(field(skew, "p50").get<double>(), 60e6) << lines;
  EXPECT_GE(field(skew, "max").get<double>(), 20e6) << lines;
}

// First arrival by receive time: with B 2 ms late, A is first wherever it
// carried the number (900), B only where A dropped it and B did not (67).
TEST(NetLinesE2e, TheFirstShareIsWhereEachLineArrivedFirst) {
  MCNET_REQUIRE_NETNS();
  auto net = test::network::lan(2);
  const auto run = run_lines(*net, "239.255.93.1", "239.255.94.1", {"-i", "eth0", "--rcvbuf", "8388608", "--force"},
                             [](const auto& a, const auto& b) {
                               return std::vector<std::string>{"-i", "eth0", "-c", "1000", "-r", "5000pps",
                                                               "--drop-every", "10", "--drop-every-b", "15",
                                                               "--delay-b", "2000", "--line-b", b, a};
                             });
  const auto& lines = run.lines;
  ASSERT_TRUE(lines.is_object()) << run.received.output;
  EXPECT_EQ(field(field(lines, "merged"), "delivered"), 967) << lines;
  EXPECT_EQ(field(field(lines, "merged"), "lost"), 33) << lines;
  EXPECT_DOUBLE_EQ(field(field(lines, "A"), "first_share").get<double>(), 900.0 / 967.0) << lines;
  EXPECT_DOUBLE_EQ(field(field(lines, "B"), "first_share").get<double>(), 67.0 / 967.0) << lines;
}

TEST(NetLinesE2e, ADeadLineBMissedEverything) {
  MCNET_REQUIRE_NETNS();
  auto net = test::network::lan(2);
  const auto run = run_lines(*net, "239.255.85.1", "239.255.86.1", {"-i", "eth0"}, [](const auto& a, const auto&) {
    // 2000 pps: a loaded machine (CI) drops nothing at the default receive buffer.
    return std::vector<std::string>{"-i", "eth0", "-c", "300", "-r", "2000pps", a};
  });
  const auto& lines = run.lines;
  ASSERT_TRUE(lines.is_object()) << run.received.output;
  EXPECT_DOUBLE_EQ(field(field(lines, "A"), "first_share").get<double>(), 1.0) << lines;
  EXPECT_DOUBLE_EQ(field(field(lines, "B"), "first_share").get<double>(), 0.0) << lines;
  EXPECT_EQ(field(field(lines, "B"), "packets"), 0) << lines;
  EXPECT_EQ(field(field(lines, "B"), "gaps"), 300) << lines;
  EXPECT_EQ(field(field(lines, "A"), "gaps"), 0) << lines;
  EXPECT_EQ(field(field(lines, "merged"), "lost"), 0) << lines;
}

// Two runs of the sender into one receiver: each run is a feed of its own
// (mcnet: a new session; RTP: a new SSRC and random start). Run 1 of mcnet
// drops on both lines, run 2 drops nothing: run 2 fills none of run 1's
// loss. RTP's two sequence spaces are never merged as one.
TEST(NetLinesE2e, ARestartedSenderIsANewFeed) {
  MCNET_REQUIRE_NETNS();
  auto net = test::network::lan(2);
  for (const std::string payload : {"mcnet", "rtp"}) {
    SCOPED_TRACE(payload);
    const auto port = std::to_string(free_port((*net)[1]));
    const auto a = "239.255.89.1:" + port, b = "239.255.90.1:" + port;
    receiver r((*net)[1], {"-i", "eth0", "--rcvbuf", "8388608", "--force", "--payload", payload, "--line", "A=" + a,
                           "--line", "B=" + b});
    ASSERT_TRUE(r.joined()) << r.output();
    const bool drop_first = payload == "mcnet";
    for (int run = 0; run < 2; ++run) {
      std::vector<std::string> args{"-i", "eth0", "--payload", payload, "-c", "1000", "-r", "5000pps", "--line-b", b};
      if (run == 0 && drop_first) args.insert(args.end(), {"--drop-every", "10", "--drop-every-b", "15"});
      args.push_back(a);
      (void)send((*net)[0], args);
    }
    const auto got = r.finish_clean();
    const auto lines = summary_lines(got.standard_output);
    ASSERT_TRUE(lines.is_object()) << got.output;
    const auto& merged = field(lines, "merged");
    EXPECT_EQ(field(merged, "feeds"), 2) << lines;
    EXPECT_EQ(field(merged, "lost"), drop_first ? 33 : 0) << lines;
    EXPECT_EQ(field(merged, "delivered"), drop_first ? 967 + 1000 : 2000) << lines;
    EXPECT_EQ(field(merged, "duplicates_dropped"), drop_first ? 867 + 1000 : 2000) << lines;
    EXPECT_EQ(field(field(lines, "A"), "gaps"), drop_first ? 100 : 0) << lines;
    EXPECT_EQ(field(field(lines, "B"), "gaps"), drop_first ? 66 : 0) << lines;
  }
}

// Lines of two groups each: the k-th group of A and of B carry the same
// feed, and the two groups' sequence spaces are merged apart.
TEST(NetLinesE2e, TheKthGroupOfEachLineIsOneFeed) {
  MCNET_REQUIRE_NETNS();
  auto net = test::network::lan(2);
  const auto run = run_lines(*net, "239.255.91.1", "239.255.92.1", {"-i", "eth0", "--rcvbuf", "8388608", "--force"},
                             [](const auto& a, const auto& b) {
                               return std::vector<std::string>{"-i", "eth0", "-c", "1000", "-r", "5000pps",
                                                               "--drop-every", "10", "--drop-every-b", "15",
                                                               "--line-b", b + "+2", a + "+2"};
                             },
                             std::chrono::milliseconds(300), "+2");
  const auto& lines = run.lines;
  ASSERT_TRUE(lines.is_object()) << run.received.output;
  const auto& merged = field(lines, "merged");
  EXPECT_EQ(field(merged, "feeds"), 2) << lines;
  EXPECT_EQ(field(merged, "lost"), 2 * 33) << lines;
  EXPECT_EQ(field(merged, "delivered"), 2 * 967) << lines;
  EXPECT_EQ(field(merged, "duplicates_dropped"), 2 * (900 + 934 - 967)) << lines;
  EXPECT_EQ(field(field(lines, "A"), "gaps"), 2 * 100) << lines;
  EXPECT_EQ(field(field(lines, "B"), "gaps"), 2 * 66) << lines;
}

// A delay longer than the queue holds: 18,000 datagrams of 16,000 bytes sent
// as fast as possible with B 10 s late (the most --delay-b takes) fill the
// queue (256 MiB: 16,760 such copies) before the first copy is due, so B's
// oldest copies go out early, counted, and none is lost. mcast-send said so
// before sending. Nothing listens: the datagrams go out of the sender's
// loopback (multicast on), unfragmented and through no bridge, which under
// load took most of A's time (over eth0 A took 10.3 s, past an 8 s delay:
// no copy went early; 4 s over lo). Whether the queue filled first is A's
// own send phase: the count is exact when it is shorter than the delay.
TEST(NetLinesE2e, AFullDelayQueueSendsTheOldestEarly) {
  MCNET_REQUIRE_NETNS();
  auto net = test::network::lan(1);
  const auto& tx = (*net)[0];
  const auto multicast = tx.exec({"ip", "link", "set", "dev", "lo", "multicast", "on"});
  ASSERT_TRUE(multicast.status.success()) << multicast.output;
  const auto port = std::to_string(free_port(tx));
  const auto sent = send(tx,
                         {"-i", "lo", "-c", "18000", "--size", "16000", "--delay-b", "10000000", "--line-b",
                          "239.255.88.1:" + port, "239.255.87.1:" + port},
                         std::chrono::seconds(60));
  const auto events = json_lines(sent.standard_output);
  const json* summary = find_event(events, "summary");
  ASSERT_NE(summary, nullptr) << sent.output;
  const auto& a = (*summary)["groups"][0];
  const auto b = field(a, "line_b");
  EXPECT_EQ(field(b, "sent"), 18000) << b;
  const auto early = field(b, "early");
  if (field(a, "elapsed_s").get<double>() < 10.0) {
    // Every copy was queued before the first came due: each past the
    // queue's 16,760 sent the oldest early.
    EXPECT_EQ(early, 18000 - 16760) << "A's send phase was shorter than the delay: " << *summary;
  } else {
    // Copies came due (and went on time) while A sent: fewer went early,
    // none if A never got 16,760 ahead of them.
    EXPECT_LE(early.get<std::uint64_t>(), 18000u - 16760u) << *summary;
  }
  const json* warning = find_event(events, "warning");
  ASSERT_NE(warning, nullptr) << sent.output;
  EXPECT_EQ(field(*warning, "code"), "line_b_early") << *warning;
  EXPECT_NE(sent.output.find("mcast-send: warning: --delay-b 10000000 without --rate"), std::string::npos)
      << "on stderr too: " << sent.output;
  // 16,760 copies behind at most: within the merge window, no second warning.
  EXPECT_EQ(std::count_if(events.begin(), events.end(), [](const json& e) { return e["event"] == "warning"; }), 1)
      << sent.standard_output;
}

// The rate is over the main line's run; B's drain is said apart: 20
// datagrams at 100 pps take 0.2 s, and B's last copy goes 0.5 s after A's.
TEST(NetLinesE2e, TheRateIsTheMainLinesAndTheDrainIsApart) {
  MCNET_REQUIRE_NETNS();
  auto net = test::network::lan(2);
  const auto port = std::to_string(free_port((*net)[0]));
  const std::vector<std::string> args{"-i", "eth0", "-r", "100pps", "-c", "20", "--delay-b", "500000", "--line-b",
                                      "239.255.88.3:" + port, "239.255.87.3:" + port};
  const auto sent = send((*net)[0], args);
  const auto events = json_lines(sent.standard_output);
  EXPECT_EQ(find_event(events, "warning"), nullptr) << "50 copies behind: " << sent.standard_output;
  const json* summary = find_event(events, "summary");
  ASSERT_NE(summary, nullptr) << sent.output;
  const auto& g = (*summary)["groups"][0];
  const auto b = field(g, "line_b");
  EXPECT_EQ(field(b, "sent"), 20) << b;
  const double elapsed = field(g, "elapsed_s").get<double>();
  EXPECT_GE(elapsed, 0.18) << g;
  EXPECT_LT(elapsed, 0.45) << "the drain is not in the send phase: " << g;
  EXPECT_GT(field(g, "rate_pps").get<double>(), 60.0) << g;
  EXPECT_LT(field(g, "rate_pps").get<double>(), 120.0) << g;
  EXPECT_EQ(field(field(*summary, "total"), "elapsed_s"), field(g, "elapsed_s")) << *summary;
  const double drain = field(b, "drain_s").get<double>();
  EXPECT_GE(drain, 0.5) << "the last copy is due 0.5 s after A's last datagram, counted from it: " << b;
  EXPECT_LT(drain, 1.0) << b;
  // The text report says both.
  std::vector<std::string> text_args{MCAST_SEND};
  text_args.insert(text_args.end(), args.begin(), args.end());
  const auto text = (*net)[0].exec(text_args, {}, std::chrono::seconds(10));
  EXPECT_TRUE(text.status.success()) << text.output;
  EXPECT_NE(text.standard_output.find("drained 0."), std::string::npos) << text.standard_output;
  EXPECT_NE(text.standard_output.find("s after the main line"), std::string::npos) << text.standard_output;
  EXPECT_NE(text.standard_output.find(" in all (line B drained 0."), std::string::npos) << text.standard_output;
}
