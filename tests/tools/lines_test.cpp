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
  auto lines = tools::parse_lines({"A=239.1.1.1:5000+2", "feed_B-2=239.2.1.1:5001+2", "C=[ff3e::1]:6000+2"}, "");
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
  EXPECT_EQ(m->name(1), "feed_B-2");
  EXPECT_EQ(m->name(7), "");
  // The k-th group of each line is the same feed.
  const auto second_b = m->place_of(core::ip_address::v4(239, 2, 1, 2), 5001);
  ASSERT_TRUE(second_b.has_value());
  EXPECT_EQ(second_b->line, 1u);
  EXPECT_EQ(second_b->position, 1u);
  const auto first_a = m->place_of(group_a, 5000);
  ASSERT_TRUE(first_a.has_value());
  EXPECT_EQ(first_a->line, 0u);
  EXPECT_EQ(first_a->position, 0u);
  EXPECT_FALSE(m->place_of(group_b, 5000).has_value());

  // One line per (group, port): the same group on another port is another line.
  EXPECT_TRUE(tools::parse_lines({"A=239.1.1.1:5000", "B=239.1.1.1:5001"}, "").has_value());
  EXPECT_FALSE(tools::parse_lines({"A=239.1.1.1:5000", "B=239.1.1.1:5000"}, "").has_value());
}

TEST(Lines, EveryLineNeedsAsManyGroups) {
  const auto e = tools::parse_lines({"A=239.1.1.1:5000+2", "B=239.2.1.1:5000+3"}, "");
  ASSERT_FALSE(e.has_value());
  EXPECT_EQ(e.error(),
            "--line B=239.2.1.1:5000+3: 3 (group, port) pairs, but --line A=239.1.1.1:5000+2 has 2: the k-th group of "
            "each line carries the same feed, so every line needs as many");
  EXPECT_FALSE(tools::parse_lines({"A=239.1.1.1:5000", "B=239.2.1.1:5000", "C=239.3.1.1:5000+2"}, "").has_value());
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
                                                       {"duplicates", 0}, {"kernel_drops", 0}, {"unsequenced", 0}}},
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

tools::accounted mcnet_numbered(std::uint32_t session, std::uint64_t seq, bool end = false) {
  auto a = end ? end_marker(tools::payload_kind::mcnet, seq) : numbered(tools::payload_kind::mcnet, seq);
  a.header = feed::test_header{.sender_id = 9, .session = session, .sequence = seq};
  return a;
}

tools::accounted rtp_numbered(std::uint32_t ssrc, std::uint16_t seq) {
  auto a = numbered(tools::payload_kind::rtp, seq);
  a.ssrc = ssrc;
  return a;
}

// What a "lines" object of lines A and B says, summed over its feeds.
struct figures {
  std::uint64_t feeds = 0, delivered = 0, lost = 0, duplicates = 0, a_gaps = 0, b_gaps = 0;
};

void expect_figures(const nlohmann::ordered_json& j, const figures& f) {
  EXPECT_EQ(j["merged"]["feeds"], f.feeds) << j;
  EXPECT_EQ(j["merged"]["delivered"], f.delivered) << j;
  EXPECT_EQ(j["merged"]["lost"], f.lost) << j;
  EXPECT_EQ(j["merged"]["duplicates_dropped"], f.duplicates) << j;
  EXPECT_EQ(j["A"]["gaps"], f.a_gaps) << j;
  EXPECT_EQ(j["B"]["gaps"], f.b_gaps) << j;
}

}  // namespace

// A restarted mcnet sender (a new session): run 1 lost 33 numbers on both
// lines; run 2 lost none. Run 2's copies must not fill run 1's loss.
TEST(Lines, ARestartedMcnetSenderIsANewFeed) {
  auto m = two_lines();
  for (const std::uint32_t session : {1u, 2u}) {
    for (std::uint64_t seq = 0; seq < 1000; ++seq) {
      const auto t = static_cast<std::int64_t>(session * 10'000 + seq) * 1'000'000;
      if (session == 2 || !drops(10, seq)) m.offer(0, mcnet_numbered(session, seq), t);
      if (session == 2 || !drops(15, seq)) m.offer(1, mcnet_numbered(session, seq), t + 500'000);
    }
    m.offer(0, mcnet_numbered(session, 1000, true), static_cast<std::int64_t>(session * 10'000 + 1000) * 1'000'000);
  }
  EXPECT_EQ(m.live_feeds(), 2u);
  m.finish();
  const auto j = m.to_json();
  // Run 1's real loss (33) stays lost.
  expect_figures(j, {.feeds = 2, .delivered = 967 + 1000, .lost = 33, .duplicates = (900 + 934 - 967) + 1000,
                     .a_gaps = 100, .b_gaps = 66});
  EXPECT_EQ(j["A"]["packets"], 1900);
  EXPECT_DOUBLE_EQ(j["A"]["first_share"].get<double>(), (900.0 + 1000.0) / 1967.0);
  EXPECT_DOUBLE_EQ(j["B"]["first_share"].get<double>(), 67.0 / 1967.0);
  EXPECT_EQ(j["merged"]["skew_ns"]["max"], 500'000);
}

// Two runs of an RTP sender, each with its own SSRC and random start: two
// sequence spaces, never merged as one (and nothing was lost).
TEST(Lines, EachRtpSsrcIsItsOwnFeed) {
  auto m = two_lines();
  const std::array<std::pair<std::uint32_t, std::uint16_t>, 2> runs{{{0x1111, 50'000}, {0x2222, 7}}};
  std::int64_t t = 0;
  for (const auto& [ssrc, start] : runs) {
    for (std::uint16_t i = 0; i < 1000; ++i) {
      const auto seq = static_cast<std::uint16_t>(start + i);
      m.offer(0, rtp_numbered(ssrc, seq), t);
      m.offer(1, rtp_numbered(ssrc, seq), t + 100);
      t += 1000;
    }
  }
  m.finish();
  const auto j = m.to_json();
  expect_figures(j, {.feeds = 2, .delivered = 2000, .lost = 0, .duplicates = 2000, .a_gaps = 0, .b_gaps = 0});
}

TEST(Lines, EachMoldUdp64SessionIsItsOwnFeed) {
  auto m = two_lines();
  for (const char* name : {"SESSION001", "SESSION002"}) {
    for (std::uint64_t seq = 1; seq <= 100; ++seq) {
      auto a = numbered(tools::payload_kind::moldudp64, seq);
      std::copy(name, name + 10, a.mold_session.begin());
      // The first session: A misses 50; the second: B misses 50.
      if (!(seq == 50 && name[9] == '1')) m.offer(0, a, static_cast<std::int64_t>(seq));
      if (!(seq == 50 && name[9] == '2')) m.offer(1, a, static_cast<std::int64_t>(seq) + 5);
    }
  }
  m.finish();
  const auto j = m.to_json();
  expect_figures(j, {.feeds = 2, .delivered = 200, .lost = 0, .duplicates = 99 + 99, .a_gaps = 1, .b_gaps = 1});
}

// Two groups per line, each its own feed with the same sender identity:
// the first group's loss is not hidden by the second group's numbers.
TEST(Lines, TheKthGroupOfEachLineIsOneFeed) {
  auto lines = tools::parse_lines({"A=239.1.1.1:5000+2", "B=239.2.1.1:5000+2"}, "");
  ASSERT_TRUE(lines.has_value()) << lines.error();
  auto m = tools::line_merge::make(*lines).value();
  for (std::uint64_t seq = 0; seq < 1000; ++seq) {
    const auto t = static_cast<std::int64_t>(seq) * 1000;
    for (std::size_t position = 0; position < 2; ++position) {
      // Position 0 loses every 10th on both lines; position 1 loses nothing.
      if (position == 1 || !drops(10, seq)) {
        m.offer(0, mcnet_numbered(1, seq), t, position);
        m.offer(1, mcnet_numbered(1, seq), t + 10, position);
      }
    }
  }
  for (std::size_t position = 0; position < 2; ++position) m.offer(0, mcnet_numbered(1, 1000, true), 2'000'000, position);
  m.finish();
  const auto j = m.to_json();
  // Each copy on B is a duplicate once; nothing is merged across the groups.
  expect_figures(j, {.feeds = 2, .delivered = 900 + 1000, .lost = 100, .duplicates = 900 + 1000, .a_gaps = 100,
                     .b_gaps = 100});
}

// More identities than live feeds: the idlest is retired (its counts kept),
// and a late copy of a retired feed is too late, not a new feed.
TEST(Lines, TheIdlestFeedIsRetiredWhenTheTableIsFull) {
  auto m = two_lines();
  constexpr auto feeds = static_cast<std::uint32_t>(tools::line_merge::max_feeds);
  std::int64_t t = 0;
  // Sessions 1 .. max_feeds + 1, 10 numbers each, 9 missing on both lines.
  for (std::uint32_t session = 1; session <= feeds + 1; ++session) {
    for (std::uint64_t seq = 0; seq < 10; ++seq) {
      if (seq == 9) continue;
      m.offer(0, mcnet_numbered(session, seq), t);
      m.offer(1, mcnet_numbered(session, seq), t + 3);
      t += 10;
    }
    m.offer(1, mcnet_numbered(session, 10, true), t);
  }
  EXPECT_EQ(m.live_feeds(), tools::line_merge::max_feeds);
  auto j = m.to_json();
  EXPECT_EQ(j["merged"]["feeds"], feeds + 1);
  EXPECT_EQ(j["merged"]["lost"], 1) << "session 1, retired, is final: its 9 is lost";
  EXPECT_EQ(j["merged"]["delivered"], 9 * (feeds + 1));
  // A late copy of session 1: too late, not a new feed.
  m.offer(0, mcnet_numbered(1, 9), t);
  EXPECT_EQ(m.live_feeds(), tools::line_merge::max_feeds);
  j = m.to_json();
  EXPECT_EQ(j["merged"]["feeds"], feeds + 1);
  EXPECT_EQ(j["merged"]["too_late"], 1);
  EXPECT_EQ(j["merged"]["delivered"], 9 * (feeds + 1));
  m.finish();
  j = m.to_json();
  EXPECT_EQ(j["merged"]["lost"], feeds + 1) << "every session's 9";
  EXPECT_EQ(j["merged"]["duplicates_dropped"], 9 * (feeds + 1));
  EXPECT_EQ(j["A"]["gaps"], feeds + 1);
  EXPECT_DOUBLE_EQ(j["A"]["first_share"].get<double>(), 1.0) << "counted over the retired feed too";
  EXPECT_EQ(j["merged"]["skew_ns"]["max"], 3);
  EXPECT_EQ(j["merged"]["pending"], 0);
}

// The retired identities remembered are bounded: the oldest is forgotten,
// and a copy of it is a new feed again.
TEST(Lines, RetiredIdentitiesAreRememberedUpToTheLimit) {
  auto m = two_lines();
  constexpr auto sessions = static_cast<std::uint32_t>(tools::line_merge::max_feeds + tools::line_merge::max_retired + 1);
  for (std::uint32_t session = 1; session <= sessions; ++session) m.offer(0, mcnet_numbered(session, 0), session);
  EXPECT_EQ(m.merged().feeds, sessions);
  m.offer(1, mcnet_numbered(2, 0), 1000);
  EXPECT_EQ(m.merged().too_late, 1u) << "session 2 is among the last retired";
  EXPECT_EQ(m.merged().feeds, sessions);
  m.offer(1, mcnet_numbered(1, 0), 1001);
  EXPECT_EQ(m.merged().feeds, sessions + 1) << "session 1 was forgotten: a feed again";
  EXPECT_EQ(m.merged().too_late, 1u);
  EXPECT_EQ(m.live_feeds(), tools::line_merge::max_feeds);
  m.finish();
  EXPECT_EQ(m.merged().delivered, sessions + 1);
  EXPECT_EQ(m.merged().lost, 0u);
}

TEST(Lines, PendingShowsInTheText) {
  auto m = two_lines();
  for (std::uint64_t seq : {0u, 1u, 4u}) {
    m.offer(0, mcnet_numbered(1, seq), static_cast<std::int64_t>(seq));
    m.offer(1, mcnet_numbered(1, seq), static_cast<std::int64_t>(seq) + 1);
  }
  EXPECT_EQ(m.to_json()["merged"]["pending"], 2);
  EXPECT_EQ(m.text().back(), "  merged  delivered 3  lost 0  pending 2  duplicates dropped 3  skew p50 0.000 ms p99 "
                             "0.000 ms max 0.000 ms");
  m.finish();
  EXPECT_EQ(m.text().back().find("pending"), std::string::npos) << "nothing is pending after the end";
}

namespace {

// mcnet datagrams as read_batch gives them, to one of the lines' groups.
class batch {
 public:
  batch& add(const core::ip_address& to, std::uint64_t seq, std::int64_t arrival_ns, bool end = false,
             std::uint32_t session = 1) {
    auto& buf = buffers_.emplace_back();
    feed::test_header h{.flags = end ? feed::test_header::flag_end : std::uint8_t{0}, .sender_id = 9, .session = session,
                        .sequence = seq, .send_time_ns = 1'000'000'000,
                        .length = end ? std::uint32_t{feed::test_header::size} : 100};  // as mcast-send's
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

tools::recv_settings settings_of(const std::vector<std::string>& args) {
  auto c = tools::parse_recv_command_line(args);
  EXPECT_TRUE(c.has_value()) << c.error().message;
  return c ? c->settings : tools::recv_settings{};
}

// A started receive session of the mcast-recv arguments `args`, without
// sockets (no kernel drops, the steady clock); what it prints goes to `out`
// and `err`.
struct session_run {
  explicit session_run(const std::vector<std::string>& args)
      : settings(settings_of(args)), rep("mcast-recv", settings.format(), out, err),
        session(settings, rep, table, [] { return tools::socket_drops{}; }) {
    session.start();
  }
  // The datagrams of `b`, as one read on the lines' port.
  void handle(const batch& b) {
    std::uint32_t drops_seen = 0;
    session.handle(b.span(), port, drops_seen);
  }
  [[nodiscard]] std::vector<test::tools::json> events() const { return test::tools::json_lines(out.str()); }

  tools::recv_settings settings;
  std::ostringstream out, err;
  tools::reporter rep;
  tools::stream_table table;
  tools::receive_session session;
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
  tools::receive_session session(s, rep, table, [] { return tools::socket_drops{}; }, [&now] { return now; });
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

// Issue 16: forged far numbers on one line and a forged END of 2^64 - 1
// (twice) inflate no merged figure, and nothing stays pending at the end.
TEST(Lines, AForgerOnOneLineInflatesNothingAndTheEndSettlesPending) {
  const auto kind = tools::payload_kind::mcnet;
  auto m = two_lines();
  for (std::uint64_t seq = 0; seq < 500; ++seq) {
    const auto t = static_cast<std::int64_t>(seq) * 1'000'000;
    if (!drops(10, seq)) m.offer(0, numbered(kind, seq), t);
    m.offer(1, numbered(kind, seq), t + 500'000);
    if (seq == 300) m.offer(0, numbered(kind, seq + 60'000), t + 1);  // inside the window
  }
  // After the live feed's last number: a pair 2^31 ahead and a forged END, twice.
  m.offer(0, numbered(kind, std::uint64_t{1} << 31), 600'000'000);
  m.offer(0, numbered(kind, (std::uint64_t{1} << 31) + 1), 600'000'001);
  m.offer(0, end_marker(kind, UINT64_MAX), 600'000'002);
  m.offer(0, end_marker(kind, UINT64_MAX), 600'000'003);
  const auto during = m.merged();
  EXPECT_EQ(during.delivered, 500u) << "the pair is not proven";
  EXPECT_EQ(during.jumps, 3u);
  m.finish();
  const auto j = m.to_json();
  EXPECT_EQ(j["merged"]["delivered"], 500) << j;
  EXPECT_EQ(j["merged"]["jumps"], 3) << j;
  EXPECT_EQ(j["merged"]["lost"], 0) << j;
  EXPECT_EQ(j["merged"]["pending"], 0) << j;
  EXPECT_EQ(j["A"]["gaps"], 50) << j;
  EXPECT_EQ(j["B"]["gaps"], 0) << j;
  const auto text = m.text().back();
  EXPECT_NE(text.find("delivered 500  jumps 3  lost 0  duplicates dropped"), std::string::npos) << text;
  // With the live END (after the forged ones): the tail it shows counts.
  auto e = two_lines();
  for (std::uint64_t seq = 0; seq < 500; ++seq) {
    e.offer(0, numbered(kind, seq), static_cast<std::int64_t>(seq));
    e.offer(1, numbered(kind, seq), static_cast<std::int64_t>(seq) + 1);
  }
  e.offer(0, numbered(kind, std::uint64_t{1} << 31), 1000);
  e.offer(0, numbered(kind, (std::uint64_t{1} << 31) + 1), 1001);
  e.offer(0, end_marker(kind, 510), 1002);
  e.offer(1, end_marker(kind, 510), 1003);
  e.finish();
  const auto f = e.merged();
  EXPECT_EQ(f.delivered, 500u);
  EXPECT_EQ(f.lost, 10u) << "500 .. 509, the tail the END shows";
  EXPECT_EQ(f.pending, 0u);
  EXPECT_EQ(f.jumps, 2u);
}

TEST(Lines, WithoutLineTheEventsSayNull) {
  session_run r({"--json", "239.1.1.1:5000"});
  r.session.summary();
  const auto events = r.events();
  const auto* summary = test::tools::find_event(events, "summary");
  ASSERT_NE(summary, nullptr);
  ASSERT_TRUE(summary->contains("lines"));
  EXPECT_TRUE((*summary)["lines"].is_null());
}

TEST(Lines, TextReportNamesEachLineAndTheMerge) {
  session_run r({"--line", "A=239.1.1.1:5000", "--line", "B=239.2.1.1:5000"});
  batch b;
  b.add(group_a, 0, 1'000'000).add(group_b, 0, 1'300'000).add(group_b, 1, 2'000'000);
  r.handle(b);
  r.session.summary();
  const auto text = r.out.str();
  EXPECT_NE(text.find("lines:\n  line A (239.1.1.1:5000)  packets 1  gaps 1  first 50.0%\n"
                      "  line B (239.2.1.1:5000)  packets 2  gaps 0  first 50.0%\n"
                      "  merged  delivered 2  lost 0  duplicates dropped 1  skew p50 0.300 ms"),
            std::string::npos)
      << text;
}

// --max-loss with lines compares the merged loss (what both lines dropped)
// for the datagrams on lines, and each other stream's own loss: A and B
// lose 3 and 2 of 30 each (8.3 %), the merge 1 (3.3 %); a stream on no line
// loses 1 of 10 (10 %), which each stream's own check sees.
TEST(Lines, MaxLossComparesTheMergedLossOfTheLines) {
  for (const std::string max_loss : {"10.5", "5.5", "4.5"}) {
    SCOPED_TRACE(max_loss);
    session_run r({"--json", "--max-loss", max_loss, "--line", "A=239.1.1.1:5000", "--line", "B=239.2.1.1:5000",
                   "239.3.1.1:5000"});
    batch b;
    for (std::uint64_t seq = 0; seq < 30; ++seq) {
      const auto t = static_cast<std::int64_t>(seq) * 1'000'000;
      if (!drops(10, seq)) b.add(group_a, seq, t);
      if (!drops(15, seq)) b.add(group_b, seq, t + 200'000);
    }
    b.add(group_a, 30, 40'000'000, true);
    const auto other = core::ip_address::v4(239, 3, 1, 1);
    for (std::uint64_t seq = 0; seq < 10; ++seq) {
      if (seq != 5) b.add(other, seq, 50'000'000 + static_cast<std::int64_t>(seq), false, 7);
    }
    b.add(other, 10, 60'000'000, true, 7);
    r.handle(b);
    r.session.summary();
    // (1 merged + 1 on the other stream) / (29 + 1 + 9 + 1).
    EXPECT_DOUBLE_EQ(r.session.loss_ratio(), 2.0 / 40.0);
    const auto events = r.events();
    const auto* summary = test::tools::find_event(events, "summary");
    ASSERT_NE(summary, nullptr);
    EXPECT_DOUBLE_EQ((*summary)["total"]["loss_percent"].get<double>(), r.session.loss_ratio() * 100)
        << "the summary shows what --max-loss compares";
    const int code = r.session.finish();
    EXPECT_EQ(code, max_loss == "10.5" ? 0 : 3) << r.err.str();
    if (max_loss == "4.5") {
      EXPECT_NE(r.err.str().find("loss 5.00% is above --max-loss 4.5%"), std::string::npos) << r.err.str();
    }
    if (max_loss == "5.5") {
      EXPECT_NE(r.err.str().find("loss 10.00% of the stream 239.3.1.1:5000 from 10.77.0.1 (sender id "),
                std::string::npos)
          << r.err.str();
      EXPECT_NE(r.err.str().find(") is above --max-loss 5.5%"), std::string::npos)
          << "the total is 5 %, the stream on no line 10 %: " << r.err.str();
    }
  }
}

// A sender restart through a session: the second run (a new session) fills
// nothing of the first run's loss.
TEST(Lines, ASessionMergesEachSenderRunApart) {
  session_run r({"--json", "--line", "A=239.1.1.1:5000", "--line", "B=239.2.1.1:5000"});
  batch b;
  for (const std::uint32_t run : {1u, 2u}) {
    for (std::uint64_t seq = 0; seq < 30; ++seq) {
      const auto t = static_cast<std::int64_t>(run * 100 + seq) * 1'000'000;
      if (run == 2 || !drops(10, seq)) b.add(group_a, seq, t, false, run);
      if (run == 2 || !drops(15, seq)) b.add(group_b, seq, t + 200'000, false, run);
    }
    b.add(group_a, 30, static_cast<std::int64_t>(run * 100 + 40) * 1'000'000, true, run);
  }
  r.handle(b);
  r.session.summary();
  const auto events = r.events();
  const auto* summary = test::tools::find_event(events, "summary");
  ASSERT_NE(summary, nullptr);
  const auto& merged = (*summary)["lines"]["merged"];
  EXPECT_EQ(merged["feeds"], 2);
  EXPECT_EQ(merged["lost"], 1) << "run 1's 29, missing on both lines";
  EXPECT_EQ(merged["delivered"], 29 + 30);
  EXPECT_EQ(merged["duplicates_dropped"], (27 + 28 - 29) + 30);
  test::tools::expect_schema_conform(r.out.str());
}

TEST(Lines, ShowPacketsNamesTheLine) {
  for (const bool json_output : {true, false}) {
    SCOPED_TRACE(json_output);
    std::vector<std::string> args{"--show-packets", "--line", "A=239.1.1.1:5000", "--line", "B=239.2.1.1:5000"};
    if (json_output) args.insert(args.begin(), "--json");
    session_run r(args);
    batch b;
    b.add(group_a, 0, 1'000'000).add(group_b, 0, 1'300'000).add(core::ip_address::v4(239, 3, 1, 1), 0, 1'400'000);
    r.handle(b);
    if (json_output) {
      test::tools::expect_schema_conform(r.out.str());
      std::vector<std::string> seen;
      for (const auto& e : r.events()) {
        if (e["event"] == "packet") seen.push_back(e.contains("line") ? e["line"].get<std::string>() : "-");
      }
      EXPECT_EQ(seen, (std::vector<std::string>{"A", "B", "-"})) << r.out.str();
    } else {
      std::istringstream text(r.out.str());
      std::vector<std::string> tails;
      for (std::string line; std::getline(text, line);) {
        if (line.find(" bytes ttl ") == std::string::npos) continue;
        const auto at = line.find(" ns");
        tails.push_back(at == std::string::npos ? line : line.substr(at + 3));
      }
      EXPECT_EQ(tails, (std::vector<std::string>{" line A", " line B", ""})) << r.out.str();
    }
  }
}
