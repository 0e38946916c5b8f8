// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The mcnet authors
//
// mcast-recv's lines without sockets: --line values parsed, and the merge
// of scripted arrivals on a fake clock (the arrival times given): mcnet,
// MoldUDP64 and RTP numbers, the per-line gaps, real loss, first shares and
// skew; then a receive session with two lines, whose summary carries
// "lines" conforming to docs/mcast-tools.schema.json.

#include <gtest/gtest.h>

#include <array>
#include <chrono>
#include <deque>
#include <sstream>
#include <vector>

#include <mcnet/core/message.hpp>
#include <mcnet/feed/test_header.hpp>
#include <mcnet/tools/lines.hpp>
#include <mcnet/tools/receiver.hpp>

#include "tool_run.hpp"

namespace core = mcnet::core;
namespace tools = mcnet::tools;
namespace feed = mcnet::feed;
namespace test = mcnet::test;

namespace {

const auto group_a = core::ip_address::v4(239, 1, 1, 1);
const auto group_b = core::ip_address::v4(239, 2, 1, 1);
constexpr std::uint16_t port = 5000;

tools::line_merge two_lines() {
  auto lines = tools::parse_lines({"A=239.1.1.1:5000", "B=239.2.1.1:5000"}, "");
  EXPECT_TRUE(lines.has_value());
  auto m = tools::line_merge::make(*lines);
  EXPECT_TRUE(m.has_value());
  return std::move(*m);
}

tools::accounted numbered(tools::payload_kind kind, std::uint64_t seq, std::uint64_t numbers = 1) {
  tools::accounted a;
  a.payload = kind;
  a.sequence = seq;
  a.numbers = numbers;
  return a;
}

tools::accounted end_marker(tools::payload_kind kind, std::uint64_t count) {
  auto a = numbered(kind, count, 0);
  a.end = true;
  return a;
}

// Whether datagram `seq` is dropped by --drop-every K (m*K-1).
bool drops(std::uint64_t k, std::uint64_t seq) { return k != 0 && (seq + 1) % k == 0; }

}  // namespace

TEST(Lines, ParseNamesSpecsAndGroups) {
  auto lines = tools::parse_lines({"A=239.1.1.1:5000", "feed_B-2=239.2.1.1:5001+2", "C=[ff3e::1]:6000"}, "");
  ASSERT_TRUE(lines.has_value()) << lines.error();
  ASSERT_EQ(lines->size(), 3u);
  EXPECT_EQ((*lines)[1].name, "feed_B-2");
  EXPECT_EQ((*lines)[1].spec, "239.2.1.1:5001+2");
  ASSERT_EQ((*lines)[1].groups.size(), 2u);
  EXPECT_EQ((*lines)[1].groups[1].first, core::ip_address::v4(239, 2, 1, 2));
  EXPECT_EQ((*lines)[1].groups[1].second, 5001);
  auto m = tools::line_merge::make(*lines);
  ASSERT_TRUE(m.has_value());
  EXPECT_EQ(m->line_of(core::ip_address::v4(239, 2, 1, 2), 5001), 1u);
  EXPECT_EQ(m->line_of(core::ip_address::v4(239, 2, 1, 2), 5000), std::nullopt) << "the port is part of the line";
  EXPECT_EQ(m->line_of(group_a, 5000), 0u);

  // One line per (group, port): the same group on another port is another line.
  EXPECT_TRUE(tools::parse_lines({"A=239.1.1.1:5000", "B=239.1.1.1:5001"}, "").has_value());
  EXPECT_FALSE(tools::parse_lines({"A=239.1.1.1:5000", "B=239.1.1.1:5000"}, "").has_value());
}

// The contract's figures: 1000 numbers, A drops every 10th, B every 15th:
// A missed 100, B 66, both 33. B's copies come 500 us after A's.
TEST(Lines, MergeCountsEachLinesGapsAndRealLoss) {
  for (const auto kind : {tools::payload_kind::mcnet, tools::payload_kind::moldudp64}) {
    SCOPED_TRACE(tools::payload_name(kind));
    auto m = two_lines();
    // MoldUDP64 numbers messages from 1, and its end of session carries the next.
    const std::uint64_t base = kind == tools::payload_kind::moldudp64 ? 1 : 0;
    for (std::uint64_t seq = 0; seq < 1000; ++seq) {
      const auto t = static_cast<std::int64_t>(seq) * 1'000'000;
      if (!drops(10, seq)) m.offer(0, numbered(kind, base + seq), t);
      if (!drops(15, seq)) m.offer(1, numbered(kind, base + seq), t + 500'000);
    }
    m.offer(0, end_marker(kind, base + 1000), 1'000'000'000);
    m.offer(1, end_marker(kind, base + 1000), 1'000'500'000);
    m.finish();
    const auto j = m.to_json();
    EXPECT_EQ(j["A"]["packets"], 900);
    EXPECT_EQ(j["B"]["packets"], 934);
    EXPECT_EQ(j["A"]["gaps"], 100);
    EXPECT_EQ(j["B"]["gaps"], 66);
    EXPECT_EQ(j["merged"]["lost"], 33);
    EXPECT_EQ(j["merged"]["delivered"], 967);
    EXPECT_EQ(j["merged"]["duplicates_dropped"], 900 + 934 - 967);
    EXPECT_EQ(j["merged"]["pending"], 0);
    // B is first only where A dropped and B did not: 100 - 33.
    EXPECT_DOUBLE_EQ(j["B"]["first_share"].get<double>(), 67.0 / 967.0);
    EXPECT_DOUBLE_EQ(j["A"]["first_share"].get<double>(), 900.0 / 967.0);
    EXPECT_EQ(j["merged"]["skew_ns"]["max"], 500'000);
    EXPECT_NEAR(j["merged"]["skew_ns"]["p50"].get<double>(), 500'000, 500'000 * 0.05);
    EXPECT_TRUE(test::tools::schema_errors({{"event", "summary"}, {"time", 1.0}, {"streams", test::tools::json::array()},
                                            {"total", {{"packets", 0}, {"bytes", 0}, {"lost", 0}, {"reordered", 0},
                                                       {"duplicates", 0}, {"kernel_drops", 0}}},
                                            {"lines", test::tools::json::parse(j.dump())}})
                    .empty());
  }
}

TEST(Lines, MoldUdp64PacketsOfSeveralMessagesOfferEachMessage) {
  auto m = two_lines();
  // 3 messages per packet: packet i holds messages 1 + 3i .. 3 + 3i; A loses packet 2, B packet 5.
  for (std::uint64_t i = 0; i < 10; ++i) {
    const auto t = static_cast<std::int64_t>(i) * 1000;
    if (i != 2) m.offer(0, numbered(tools::payload_kind::moldudp64, 1 + 3 * i, 3), t);
    if (i != 5) m.offer(1, numbered(tools::payload_kind::moldudp64, 1 + 3 * i, 3), t + 10);
  }
  m.offer(0, end_marker(tools::payload_kind::moldudp64, 31), 20'000);
  m.finish();
  const auto j = m.to_json();
  EXPECT_EQ(j["A"]["packets"], 9);
  EXPECT_EQ(j["A"]["gaps"], 3);
  EXPECT_EQ(j["B"]["gaps"], 3);
  EXPECT_EQ(j["merged"]["delivered"], 30);
  EXPECT_EQ(j["merged"]["lost"], 0);
}

TEST(Lines, AMoldUdp64HeartbeatBoundsTheMergedTail) {
  auto m = two_lines();
  // Messages 1-10 on A, 1-8 on B; then both lines carry heartbeats saying
  // 13 is next: 11 and 12 were lost on both, 9-12 on B.
  for (std::uint64_t seq = 1; seq <= 10; ++seq) {
    const auto t = static_cast<std::int64_t>(seq) * 1000;
    m.offer(0, numbered(tools::payload_kind::moldudp64, seq), t);
    if (seq <= 8) m.offer(1, numbered(tools::payload_kind::moldudp64, seq), t + 10);
  }
  EXPECT_TRUE(m.offer(0, numbered(tools::payload_kind::moldudp64, 13, 0), 20'000)) << "a heartbeat is sequenced";
  EXPECT_TRUE(m.offer(1, numbered(tools::payload_kind::moldudp64, 13, 0), 20'010));
  m.finish();
  const auto j = m.to_json();
  EXPECT_EQ(j["A"]["packets"], 11) << "the heartbeat is a datagram on its line";
  EXPECT_EQ(j["A"]["gaps"], 2);
  EXPECT_EQ(j["B"]["gaps"], 4);
  EXPECT_EQ(j["merged"]["delivered"], 10);
  EXPECT_EQ(j["merged"]["lost"], 2);
}

TEST(Lines, RtpNumbersAreExtendedAcrossTheWrap) {
  auto m = two_lines();
  // 20 datagrams from 65530: the 16-bit number wraps after 6. A loses the
  // wrap's first (0) and B the last before it (65535); B reorders two.
  std::vector<std::uint16_t> a, b;
  for (std::uint16_t i = 0; i < 20; ++i) {
    const auto seq = static_cast<std::uint16_t>(65530 + i);
    if (seq != 0) a.push_back(seq);
    if (seq != 65535) b.push_back(seq);
  }
  std::swap(b[8], b[9]);
  for (std::size_t i = 0; i < a.size(); ++i) m.offer(0, numbered(tools::payload_kind::rtp, a[i]), static_cast<std::int64_t>(i) * 100);
  for (std::size_t i = 0; i < b.size(); ++i) m.offer(1, numbered(tools::payload_kind::rtp, b[i]), static_cast<std::int64_t>(i) * 100 + 7);
  m.finish();
  const auto j = m.to_json();
  EXPECT_EQ(j["merged"]["delivered"], 20) << "the wrap is no gap";
  EXPECT_EQ(j["merged"]["lost"], 0);
  EXPECT_EQ(j["A"]["gaps"], 1);
  EXPECT_EQ(j["B"]["gaps"], 1);
}

TEST(Lines, ADeadLineMissedEverythingAndTheOtherIsFirst) {
  auto m = two_lines();
  for (std::uint64_t seq = 0; seq < 100; ++seq) {
    if (!drops(10, seq)) m.offer(0, numbered(tools::payload_kind::mcnet, seq), static_cast<std::int64_t>(seq));
  }
  m.offer(0, end_marker(tools::payload_kind::mcnet, 100), 1000);
  m.finish();
  const auto j = m.to_json();
  EXPECT_DOUBLE_EQ(j["A"]["first_share"].get<double>(), 1.0);
  EXPECT_DOUBLE_EQ(j["B"]["first_share"].get<double>(), 0.0);
  EXPECT_EQ(j["B"]["packets"], 0);
  EXPECT_EQ(j["B"]["gaps"], 100) << "a dead line missed every number of the feed";
  EXPECT_EQ(j["A"]["gaps"], 10);
  EXPECT_EQ(j["merged"]["lost"], 10);
  EXPECT_TRUE(j["merged"]["skew_ns"]["p50"].is_null()) << "no number came twice";
}

TEST(Lines, UnsequencedDatagramsAreCountedNotMerged) {
  auto m = two_lines();
  tools::accounted raw;
  raw.payload = tools::payload_kind::mpegts;
  EXPECT_FALSE(m.offer(0, raw, 0));
  EXPECT_TRUE(m.offer(1, numbered(tools::payload_kind::mcnet, 0), 1));
  EXPECT_EQ(m.unsequenced(), 1u);
  m.finish();
  EXPECT_EQ(m.to_json()["merged"]["unsequenced"], 1);
  EXPECT_EQ(m.to_json()["A"]["packets"], 1);
}

namespace {

// mcnet datagrams as read_batch gives them, to one of the lines' groups.
class batch {
 public:
  batch& add(const core::ip_address& to, std::uint64_t seq, std::int64_t arrival_ns, bool end = false) {
    auto& buf = buffers_.emplace_back();
    feed::test_header h{.flags = end ? feed::test_header::flag_end : std::uint8_t{0}, .sender_id = 9, .session = 1,
                        .sequence = seq, .send_time_ns = 1'000'000'000, .length = 100};
    EXPECT_TRUE(h.build(buf).has_value());
    core::message m{.buffer = buf, .size = end ? feed::test_header::size : 100};
    m.peer = core::endpoint(core::ip_address::v4(10, 77, 0, 1), 4000);
    m.info.destination = to;
    m.info.software_time = core::kernel_time(std::chrono::nanoseconds(arrival_ns));
    messages_.push_back(m);
    return *this;
  }
  [[nodiscard]] std::span<const core::message> span() const { return messages_; }

 private:
  std::deque<std::array<std::byte, 100>> buffers_;
  std::vector<core::message> messages_;
};

}  // namespace

TEST(Lines, ReceiveSessionReportsLinesAndKeepsStreams) {
  auto c = tools::parse_recv_command_line({"--json", "--interval", "1", "--line", "A=239.1.1.1:5000", "--line",
                                           "B=239.2.1.1:5000"});
  ASSERT_TRUE(c.has_value()) << c.error().message;
  const auto& s = c->settings;
  ASSERT_EQ(s.specs.size(), 2u) << "the lines' specs are joined like any other";
  std::ostringstream out, err;
  const tools::reporter rep("mcast-recv", s.format(), out, err);
  tools::stream_table table;
  std::chrono::steady_clock::time_point now{};
  tools::receive_session session(s, rep, table, [] { return std::uint64_t{0}; }, [&now] { return now; });
  session.start();
  batch b;
  for (std::uint64_t seq = 0; seq < 30; ++seq) {
    const auto t = 2'000'000'000 + static_cast<std::int64_t>(seq) * 1'000'000;
    if (!drops(10, seq)) b.add(group_a, seq, t);
    if (!drops(15, seq)) b.add(group_b, seq, t + 200'000);
  }
  b.add(group_a, 30, 2'100'000'000, true).add(group_b, 30, 2'100'000'000, true);
  std::uint32_t drops_seen = 0;
  session.handle(b.span(), port, drops_seen);
  now += std::chrono::milliseconds(1500);
  EXPECT_FALSE(session.tick());
  session.summary();
  EXPECT_EQ(session.finish(), 0);
  test::tools::expect_schema_conform(out.str());
  const auto events = test::tools::json_lines(out.str());
  const auto* interval = test::tools::find_event(events, "interval");
  ASSERT_NE(interval, nullptr) << out.str();
  EXPECT_EQ((*interval)["lines"]["A"]["packets"], 27);
  const auto* summary = test::tools::find_event(events, "summary");
  ASSERT_NE(summary, nullptr);
  const auto& lines = (*summary)["lines"];
  EXPECT_EQ(lines["A"]["gaps"], 3);
  EXPECT_EQ(lines["B"]["gaps"], 2);
  EXPECT_EQ(lines["merged"]["lost"], 1);
  EXPECT_EQ(lines["merged"]["delivered"], 29);
  EXPECT_EQ(lines["merged"]["skew_ns"]["max"], 200'000);
  // Each line is still its own stream, with its own loss.
  ASSERT_EQ((*summary)["streams"].size(), 2u);
  EXPECT_EQ((*summary)["streams"][0]["lost"], 3);
  EXPECT_EQ((*summary)["streams"][1]["lost"], 2);
}

TEST(Lines, WithoutLineTheEventsSayNull) {
  auto c = tools::parse_recv_command_line({"--json", "239.1.1.1:5000"});
  ASSERT_TRUE(c.has_value());
  std::ostringstream out, err;
  const tools::reporter rep("mcast-recv", c->settings.format(), out, err);
  tools::stream_table table;
  tools::receive_session session(c->settings, rep, table, [] { return std::uint64_t{0}; });
  session.start();
  session.summary();
  const auto events = test::tools::json_lines(out.str());
  const auto* summary = test::tools::find_event(events, "summary");
  ASSERT_NE(summary, nullptr);
  ASSERT_TRUE(summary->contains("lines"));
  EXPECT_TRUE((*summary)["lines"].is_null());
}

TEST(Lines, TextReportNamesEachLineAndTheMerge) {
  auto c = tools::parse_recv_command_line({"--line", "A=239.1.1.1:5000", "--line", "B=239.2.1.1:5000"});
  ASSERT_TRUE(c.has_value()) << c.error().message;
  std::ostringstream out, err;
  const tools::reporter rep("mcast-recv", c->settings.format(), out, err);
  tools::stream_table table;
  tools::receive_session session(c->settings, rep, table, [] { return std::uint64_t{0}; });
  session.start();
  batch b;
  b.add(group_a, 0, 1'000'000).add(group_b, 0, 1'300'000).add(group_b, 1, 2'000'000);
  std::uint32_t drops_seen = 0;
  session.handle(b.span(), port, drops_seen);
  session.summary();
  const auto text = out.str();
  EXPECT_NE(text.find("lines:\n  line A (239.1.1.1:5000)  packets 1  gaps 1  first 50.0%\n"
                      "  line B (239.2.1.1:5000)  packets 2  gaps 0  first 50.0%\n"
                      "  merged  delivered 2  lost 0  duplicates dropped 1  skew p50 0.300 ms"),
            std::string::npos)
      << text;
}
