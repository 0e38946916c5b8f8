// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The mcnet authors
//
// mcast-send's batches without sockets: which headers a batch holds for an
// order (faults applied), a batch size and what the pacer allows; the END
// of an order; send times read per datagram; the B line's delay queue and
// the warnings --line-b gives before sending.

#include <gtest/gtest.h>

#include <netinet/udp.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <csignal>
#include <cstring>
#include <sstream>
#include <limits>
#include <string>
#include <utility>
#include <vector>

#include <fmt/format.h>

#include <mcnet/core/control.hpp>
#include <mcnet/tools/output.hpp>
#include <mcnet/tools/pacer.hpp>
#include <mcnet/tools/send_options.hpp>
#include <mcnet/tools/sender.hpp>
#include <mcnet/feed/test_header.hpp>

#include "tool_cases.hpp"
#include "tool_run.hpp"

namespace tools = mcnet::tools;
namespace feed = mcnet::feed;

namespace {

std::uint64_t fake_now() {
  static std::uint64_t t = 1000;
  return ++t;
}

tools::send_target target(std::uint64_t count, tools::faults f = {}) {
  tools::send_target t;
  t.order = tools::send_order::make(count, f).value();
  return t;
}

std::vector<feed::test_header> headers(std::span<const mcnet::core::message> batch) {
  std::vector<feed::test_header> out;
  for (const auto& m : batch) {
    auto h = feed::test_header::parse(std::span<const std::byte>(m.buffer.data(), m.size));
    EXPECT_TRUE(h.has_value());
    if (h) out.push_back(*h);
  }
  return out;
}

std::vector<std::uint64_t> sequences(std::span<const mcnet::core::message> batch) {
  std::vector<std::uint64_t> out;
  for (const auto& h : headers(batch)) out.push_back(h.sequence);
  return out;
}

TEST(SendBatch, HeadersCarryTheRunAndItsOrder) {
  tools::batch_builder b(4, 120, 77, 5, fake_now);
  auto t = target(10);
  const auto batch = b.fill(t, tools::pacer::unlimited);
  ASSERT_EQ(batch.size(), 4u) << "a full batch when nothing limits it";
  const auto hs = headers(batch);
  for (std::size_t i = 0; i < hs.size(); ++i) {
    EXPECT_EQ(batch[i].size, 120u);
    EXPECT_EQ(hs[i].sender_id, 77u);
    EXPECT_EQ(hs[i].session, 5u);
    EXPECT_EQ(hs[i].length, 120u);
    EXPECT_EQ(hs[i].sequence, i);
    EXPECT_FALSE(hs[i].is_end());
    if (i > 0) {
      EXPECT_GT(hs[i].send_time_ns, hs[i - 1].send_time_ns) << "a send time per datagram";
    }
  }
  EXPECT_FALSE(t.done);
}

TEST(SendBatch, ThePacerLimitsTheBatch) {
  tools::batch_builder b(32, 40, 1, 1, fake_now);
  auto t = target(100);
  EXPECT_EQ(sequences(b.fill(t, 3)), (std::vector<std::uint64_t>{0, 1, 2}));
  EXPECT_EQ(sequences(b.fill(t, 1)), (std::vector<std::uint64_t>{3}));
  EXPECT_EQ(b.fill(t, 0).size(), 0u);
  EXPECT_EQ(sequences(b.fill(t, 2)), (std::vector<std::uint64_t>{4, 5}));
}

TEST(SendBatch, FaultsShapeTheBatches) {
  tools::batch_builder b(5, 40, 1, 1, fake_now);
  auto dropped = target(12, {.drop_every = 4});
  std::vector<std::uint64_t> all;
  while (!dropped.done) {
    for (auto s : sequences(b.fill(dropped, 5))) all.push_back(s);
  }
  EXPECT_EQ(all, (std::vector<std::uint64_t>{0, 1, 2, 4, 5, 6, 8, 9, 10})) << "3, 7, 11 not sent";
  EXPECT_EQ(dropped.order->issued(), 12u) << "what the END marker carries";
  auto reordered = target(6, {.reorder_every = 3});
  EXPECT_EQ(sequences(b.fill(reordered, 5)), (std::vector<std::uint64_t>{0, 1, 3, 2, 4}));
  auto duplicated = target(4, {.dup_every = 2});
  EXPECT_EQ(sequences(b.fill(duplicated, 5)), (std::vector<std::uint64_t>{0, 1, 1, 2, 3}));
}

TEST(SendBatch, TheEndOfTheOrderEndsTheTarget) {
  tools::batch_builder b(8, 40, 1, 1, fake_now);
  auto t = target(3);
  EXPECT_EQ(sequences(b.fill(t, 8)), (std::vector<std::uint64_t>{0, 1, 2}));
  EXPECT_TRUE(t.done) << "the order ran out inside the batch";
  EXPECT_EQ(b.fill(t, 8).size(), 0u);
}

// The UDP_SEGMENT size an entry carries (0: none).
std::uint16_t segment_of(const mcnet::core::message& m) {
  if (m.control_size == 0) return 0;
  mcnet::core::cmsg_view v(m.control.first(m.control_size));
  auto e = v.next();
  if (!e || !*e || (*e)->level != SOL_UDP || (*e)->type != UDP_SEGMENT || (*e)->data.size() != 2) return 0xffff;
  std::uint16_t size = 0;
  std::memcpy(&size, (*e)->data.data(), sizeof size);
  return size;
}

TEST(SegmentPacker, RunsOfTheBuilderGoWholeWithTheirSegmentSize) {
  tools::batch_builder b(10, 120, 1, 1, fake_now);
  auto t = target(100);
  const auto batch = b.fill(t, tools::pacer::unlimited);
  ASSERT_EQ(batch.size(), 10u);
  tools::segment_packer p(4, 10);
  const auto entries = p.pack(batch);
  ASSERT_EQ(entries.size(), 3u) << "4 + 4 + 2";
  EXPECT_EQ(entries[0].size, 480u);
  EXPECT_EQ(entries[2].size, 240u);
  for (const auto& e : entries) EXPECT_EQ(segment_of(e), 120);
  EXPECT_EQ(entries[1].buffer.data(), batch[4].buffer.data()) << "no copy: the run is the builder's bytes";
  EXPECT_EQ(p.datagrams_in(0), 0u);
  EXPECT_EQ(p.datagrams_in(2), 8u);
  EXPECT_EQ(p.datagrams_in(3), 10u);
  // Every datagram's header is where the kernel will cut: sequence i at 120 * i.
  std::vector<std::uint64_t> seqs;
  for (const auto& e : entries) {
    for (std::size_t at = 0; at < e.size; at += 120) {
      auto h = feed::test_header::parse(std::span<const std::byte>(e.buffer.data() + at, 120));
      ASSERT_TRUE(h);
      seqs.push_back(h->sequence);
    }
  }
  EXPECT_EQ(seqs, (std::vector<std::uint64_t>{0, 1, 2, 3, 4, 5, 6, 7, 8, 9}));
}

TEST(SegmentPacker, SizesAndGapsEndARun) {
  std::vector<std::byte> arena(1000);
  const auto at = [&](std::size_t offset, std::size_t size) {
    return mcnet::core::message{.buffer = std::span<std::byte>(arena).subspan(offset, 100), .size = size};
  };
  // 100, 100, 60 (shorter: ends its run), 100 (alone: the next is not
  // adjacent; no control message), then three adjacent ones.
  const std::vector<mcnet::core::message> d{at(0, 100),   at(100, 100), at(200, 60), at(300, 100),
                                             at(500, 100), at(600, 100), at(700, 100)};
  tools::segment_packer p(64, 8);
  const auto entries = p.pack(d);
  ASSERT_EQ(entries.size(), 3u);
  EXPECT_EQ(entries[0].size, 260u);
  EXPECT_EQ(segment_of(entries[0]), 100);
  EXPECT_EQ(entries[1].size, 100u);
  EXPECT_EQ(segment_of(entries[1]), 0) << "a lone datagram goes without UDP_SEGMENT";
  EXPECT_EQ(entries[2].size, 300u);
  EXPECT_EQ(p.datagrams_in(3), 7u);

  const std::vector<mcnet::core::message> longer{at(0, 60), at(60, 100)};
  const auto split = p.pack(longer);
  ASSERT_EQ(split.size(), 2u) << "a longer datagram cannot follow a shorter one";
  EXPECT_EQ(p.datagrams_in(2), 2u);
}

TEST(SegmentPacker, OneSegmentPerEntryIsPlainSends) {
  tools::batch_builder b(5, 40, 1, 1, fake_now);
  auto t = target(5);
  tools::segment_packer p(1, 5);
  const auto entries = p.pack(b.fill(t, 5));
  ASSERT_EQ(entries.size(), 5u);
  for (const auto& e : entries) EXPECT_EQ(e.control_size, 0u);
}

}  // namespace

TEST(DelayQueue, HoldsCopiesUntilDueInOrderWithinItsCapacity) {
  tools::delay_queue q(100);
  EXPECT_EQ(q.capacity(), tools::delay_queue::max_datagrams);
  EXPECT_EQ(tools::delay_queue::capacity_for(240), tools::delay_queue::max_datagrams) << "256 bytes a copy: 1 Mi";
  EXPECT_EQ(tools::delay_queue::capacity_for(241), tools::delay_queue::max_bytes / 257) << "past 240, the bytes bound";
  EXPECT_EQ(tools::delay_queue(65507).capacity(), 4096u) << "256 MiB of the largest datagrams";
  EXPECT_EQ(tools::delay_queue(1328).capacity(), 199'728u) << "RTP payload type 33";
  EXPECT_EQ(tools::delay_queue(100, 7).capacity(), 7u) << "at most what the caller asks";
  EXPECT_EQ(tools::delay_queue(100, 0).capacity(), 1u);
  EXPECT_FALSE(q.next_due().has_value());
  std::vector<std::byte> bytes(100);
  for (std::size_t i = 0; i < 5; ++i) {
    bytes[0] = static_cast<std::byte>(i);
    q.push(std::span<const std::byte>(bytes.data(), 10 + i), 1000 + static_cast<std::int64_t>(i) * 100);
  }
  EXPECT_EQ(q.size(), 5u);
  EXPECT_EQ(q.next_due(), 1000);
  EXPECT_TRUE(q.due(999, 32).empty()) << "nothing is due before its time";
  auto ready = q.due(1250, 32);
  ASSERT_EQ(ready.size(), 3u);
  EXPECT_EQ(ready[2].size, 12u);
  EXPECT_EQ(ready[2].buffer[0], std::byte{2});
  EXPECT_EQ(q.due(1250, 2).size(), 2u) << "at most the limit";
  q.pop(2);
  EXPECT_EQ(q.next_due(), 1200);
  EXPECT_EQ(q.due(10'000, 32).size(), 3u);
}

TEST(DelayQueue, WrapsAroundWhenFull) {
  // The bytes bound: 30 MB copies, 8 in 256 MiB; here the caller asks for 2.
  EXPECT_EQ(tools::delay_queue(30'000'000).capacity(), 8u);
  tools::delay_queue q(8, 2);
  ASSERT_EQ(q.capacity(), 2u);
  std::vector<std::byte> bytes(8);
  for (std::uint8_t i = 0; i < 6; ++i) {
    if (q.full()) q.pop(1);  // what send_all does: the oldest goes out early
    bytes[0] = std::byte{i};
    q.push(bytes, i);
  }
  const auto ready = q.due(100, 32);
  ASSERT_EQ(ready.size(), 2u);
  EXPECT_EQ(ready[0].buffer[0], std::byte{4});
  EXPECT_EQ(ready[1].buffer[0], std::byte{5});
}

TEST(DelayQueue, WrapsAcrossItsBlocks) {
  // 1 MiB blocks hold 16 copies of 65507 bytes: 40 copies are blocks of 16,
  // 16 and 8, and 100 pushes go round them two and a half times.
  tools::delay_queue q(65507, 40);
  ASSERT_EQ(q.capacity(), 40u);
  std::vector<std::byte> bytes(65507);
  const auto mark = [&bytes](std::size_t i) {
    bytes.front() = static_cast<std::byte>(i);
    bytes.back() = static_cast<std::byte>(i * 7);
  };
  std::size_t oldest = 0;
  for (std::size_t i = 0; i < 100; ++i) {
    if (q.full()) {
      const auto out = q.due(std::numeric_limits<std::int64_t>::max(), 1);
      ASSERT_EQ(out.size(), 1u);
      EXPECT_EQ(out[0].size, oldest % 2 ? 65507u : 1000 + oldest);
      EXPECT_EQ(out[0].buffer[0], static_cast<std::byte>(oldest));
      q.pop(1);
      ++oldest;
    }
    mark(i);
    q.push(std::span<const std::byte>(bytes.data(), i % 2 ? bytes.size() : 1000 + i), static_cast<std::int64_t>(i));
    // Odd copies are whole datagrams, last byte included; even ones 1000 + i bytes.
    if (i % 2) {
      ASSERT_EQ(q.due(std::numeric_limits<std::int64_t>::max(), 64).back().buffer[65506],
                static_cast<std::byte>(i * 7));
    }
  }
  EXPECT_EQ(oldest, 60u);
  const auto rest = q.due(99, 64);
  ASSERT_EQ(rest.size(), 40u) << "all due by the last one's time";
  for (std::size_t k = 0; k < rest.size(); ++k) {
    const auto i = 60 + k;
    EXPECT_EQ(rest[k].buffer[0], static_cast<std::byte>(i));
    EXPECT_EQ(rest[k].size, i % 2 ? 65507u : 1000 + i);
  }
  EXPECT_TRUE(q.due(58, 64).empty()) << "the oldest left is due at 60";
}

namespace {

// The warnings --line-b gives before sending for this command line (the
// spec 239.1.1.1+`groups` and B 239.2.1.1+`groups` added), as code: message.
std::vector<std::pair<std::string, std::string>> line_b_warnings(std::vector<std::string> args,
                                                                 std::size_t groups = 1) {
  // Appended, not `"+" + std::to_string(groups)`: inserting at the front of
  // the temporary is a -Wrestrict false positive for g++ 12 at -O3.
  const auto n = groups > 1 ? std::string("+").append(std::to_string(groups)) : std::string();
  args.insert(args.end(), {"--line-b", "239.2.1.1" + n, "239.1.1.1" + n});
  const auto c = tools::parse_send_command_line(args);
  EXPECT_TRUE(c) << c.error().message;
  std::vector<std::pair<std::string, std::string>> out;
  if (!c) return out;
  for (const auto& w : tools::line_b_warnings(c->settings, groups)) out.emplace_back(w.code, w.message);
  return out;
}

std::vector<std::string> codes(const std::vector<std::pair<std::string, std::string>>& warnings) {
  std::vector<std::string> out;
  for (const auto& w : warnings) out.push_back(w.first);
  return out;
}

using codes_t = std::vector<std::string>;

}  // namespace

TEST(LineBWarnings, ADelayPastTheMergeWindowIsSaid) {
  // The new-user trial: 50,000 pps, every 10th dropped on A, B 2 s late:
  // 55,556 numbers a second, B about 111,111 behind: every copy too late
  // for a 65,536-number window. The queue holds them all (1 Mi of 100 bytes).
  const auto trial = line_b_warnings({"-c", "150000", "-r", "50000pps", "--drop-every", "10", "--delay-b", "2000000"});
  ASSERT_EQ(codes(trial), codes_t{"line_b_too_late"});
  const auto& message = trial[0].second;
  EXPECT_NE(message.find("--delay-b 2000000 at 50000 pps per group"), std::string::npos) << message;
  EXPECT_NE(message.find("about 111111 sequence numbers"), std::string::npos) << message;
  EXPECT_NE(message.find("mcast-recv --line, whose window is 65536 numbers"), std::string::npos) << message;
  EXPECT_NE(message.find("more than 65536 numbers behind the highest as too late"), std::string::npos) << message;
  // Within the window, or a short run: nothing to say.
  EXPECT_TRUE(line_b_warnings({"-r", "10pps", "-c", "3", "--delay-b", "2000000"}).empty());
  EXPECT_TRUE(line_b_warnings({"-r", "30000pps", "--delay-b", "2000000"}).empty()) << "60,000 behind";
  EXPECT_TRUE(line_b_warnings({"-r", "50000pps", "-c", "60000", "--delay-b", "2000000"}).empty()) << "-c bounds it";
  EXPECT_TRUE(line_b_warnings({"-r", "50000pps", "-d", "1", "--delay-b", "2000000"}).empty()) << "so does -d";
  EXPECT_TRUE(line_b_warnings({"-r", "1000000pps"}).empty()) << "no delay, nothing held";
  // The rate is over all groups; the window is per group.
  EXPECT_TRUE(line_b_warnings({"-r", "100000pps", "--delay-b", "1000000"}, 2).empty()) << "50,000 per group";
  EXPECT_EQ(codes(line_b_warnings({"-r", "100000pps", "--delay-b", "1000000"})), codes_t{"line_b_too_late"});
  // A duplicate takes a datagram of the rate, not a number.
  EXPECT_TRUE(line_b_warnings({"-r", "70000pps", "--dup-every", "2", "--delay-b", "1000000"}).empty());
  // MoldUDP64 merges messages: 10,000 packets of 10 are 100,000 numbers.
  const auto mold = line_b_warnings({"--payload", "moldudp64", "--messages", "10", "-r", "10000pps", "--delay-b",
                                     "1000000"});
  ASSERT_EQ(codes(mold), codes_t{"line_b_too_late"});
  EXPECT_NE(mold[0].second.find("about 100000 sequence numbers (MoldUDP64: messages)"), std::string::npos)
      << mold[0].second;
}

TEST(LineBWarnings, AFullQueueIsSaidBeforeSending) {
  // 16,000-byte copies: 16,760 in 256 MiB. 20,000 a second for 1 s fill it.
  const auto full = line_b_warnings({"-s", "16000", "-r", "20000pps", "--delay-b", "1000000"});
  ASSERT_EQ(codes(full), codes_t{"line_b_early"}) << "16,760 behind at most: within the window";
  EXPECT_NE(full[0].second.find("would hold about 20000 copies"), std::string::npos) << full[0].second;
  EXPECT_NE(full[0].second.find("more than its 16760 copies of 16000 bytes (a queue holds at most 1048576 "
                                "datagrams and 256 MiB)"),
            std::string::npos)
      << full[0].second;
  EXPECT_NE(full[0].second.find("the oldest go out early"), std::string::npos) << full[0].second;
  EXPECT_TRUE(line_b_warnings({"-s", "16000", "-r", "20000pps", "--drop-every-b", "2", "--delay-b", "1000000"})
                  .empty())
      << "B drops half: 10,000 copies";
  // Small datagrams: past the queue is past the window too.
  EXPECT_EQ(codes(line_b_warnings({"-r", "1100000pps", "--delay-b", "1000000"})),
            (codes_t{"line_b_early", "line_b_too_late"}));
  // No --rate: as fast as possible, the queue can fill unless -c is small.
  const auto unpaced = line_b_warnings({"--delay-b", "2000000"});
  ASSERT_EQ(codes(unpaced), (codes_t{"line_b_early", "line_b_too_late"}));
  EXPECT_NE(unpaced[0].second.find("--delay-b 2000000 without --rate"), std::string::npos) << unpaced[0].second;
  EXPECT_NE(unpaced[0].second.find("go out early"), std::string::npos) << unpaced[0].second;
  EXPECT_NE(unpaced[1].second.find("65536 numbers behind the highest as too late"), std::string::npos)
      << unpaced[1].second;
  EXPECT_TRUE(line_b_warnings({"-c", "3", "--delay-b", "2000000"}).empty()) << "3 copies fit anywhere";
  EXPECT_EQ(codes(line_b_warnings({"-c", "70000", "--delay-b", "2000000"})), codes_t{"line_b_too_late"})
      << "70,000 fit the queue, not the window";
  EXPECT_EQ(codes(line_b_warnings({"-s", "65507", "-c", "5000", "--delay-b", "2000000"})), codes_t{"line_b_early"})
      << "4,096 fit the queue; early copies stay within the window";
}

TEST(LineBWarnings, PlainMpegTsLinesCannotBeMerged) {
  const auto ts = line_b_warnings({"--payload", "mpegts"});
  ASSERT_EQ(codes(ts), codes_t{"line_b_unsequenced"});
  EXPECT_NE(ts[0].second.find("MPEG-TS datagrams carry no sequence number"), std::string::npos) << ts[0].second;
  EXPECT_NE(ts[0].second.find("--payload rtp --rtp-pt 33 carries MPEG-TS with RTP sequence numbers"),
            std::string::npos)
      << ts[0].second;
  EXPECT_TRUE(line_b_warnings({"--payload", "rtp"}).empty()) << "RTP payload type 33 has sequence numbers";
  const auto c = tools::parse_send_command_line({"--payload", "mpegts", "239.1.1.1"});
  ASSERT_TRUE(c);
  EXPECT_TRUE(tools::line_b_warnings(c->settings, 1).empty()) << "one line: nothing to merge";
}

namespace {

// How group_summary's run went: --burst, the send phase, the total's rate
// span (none: the send phase) and how long each batch took to send.
struct summary_run {
  std::size_t burst = 1;
  double elapsed = 0.003;
  std::optional<double> rate_span;
  std::int64_t batch_ns = 1000;
};

// print_summary over one group that sent `sends` batches (at, datagrams),
// 100 bytes each, as text and as JSON: {text, the group object}.
std::pair<std::string, mcnet::test::tools::json> group_summary(
    const std::vector<std::pair<std::int64_t, std::uint64_t>>& sends, bool json_output, const summary_run& run = {}) {
  tools::send_settings s;
  s.json_output = json_output;
  s.burst = run.burst;
  std::ostringstream out, err;
  const tools::reporter rep("mcast-send", s.format(), out, err);
  std::vector<tools::send_target> targets(1);
  auto& t = targets[0];
  t.group = mcnet::core::ip_address::v4(239, 1, 1, 1);
  t.port = 5000;
  for (const auto& [at, n] : sends) {
    t.sends.add(at, n, at + run.batch_ns, n * 100);  // each batch sent over 1 us unless said
    t.sent += n;
    t.bytes += n * 100;
  }
  tools::print_summary(s, rep, targets, t.sent, run.elapsed, run.rate_span);
  mcnet::test::tools::json group;
  if (json_output) {
    mcnet::test::tools::expect_schema_conform(out.str());
    for (const auto& e : mcnet::test::tools::json_lines(out.str())) {
      if (e["event"] == "summary") group = e["groups"][0];
    }
  }
  return {out.str(), group};
}

}  // namespace

// One datagram has no rate at either end: mcast-send says so as mcast-recv
// does ("- pps - bit/s (one datagram: no rate)", null in JSON), not "0 pps"
// or one datagram over the send phase. Two have a rate, with its bit rate.
// Round-robin shares (trial20j 1): whatever the burst, every group gets
// its share of what is due, none past it; after a stall what fell due goes
// a batch at a time to each in turn.
TEST(SendShares, EveryGroupGetsItsTurnWhateverTheBurst) {
  for (const std::uint64_t burst : {1u, 2u, 3u, 4u, 5u, 6u, 8u, 16u, 33u, 100u, 1000u}) {
    for (const std::size_t groups : {std::size_t{2}, std::size_t{3}, std::size_t{4}, std::size_t{5}}) {
      std::vector<std::uint64_t> sent(groups, 0);
      std::uint64_t total = 0;
      std::size_t cursor = 0;
      for (int step = 0; step < 120; ++step) {
        // The pacer allows `burst` per step; each turn the next group takes its share.
        for (std::uint64_t allowed = burst, turns = 0; allowed > 0; ++turns) {
          ASSERT_LT(turns, 100000u) << "no progress";
          const auto share = tools::round_robin_share(allowed, 32, groups, total, sent[cursor]);
          ASSERT_LE(share, allowed);
          sent[cursor] += share;
          total += share;
          allowed -= share;
          cursor = (cursor + 1) % groups;
        }
        const auto [low, high] = std::minmax_element(sent.begin(), sent.end());
        // Within a step one may lead by its share of the step; never more.
        const auto step_share = std::min<std::uint64_t>((burst + groups - 1) / groups, 32);
        ASSERT_LE(*high - *low, step_share + 1) << "burst " << burst << " over " << groups << " groups, step " << step
                                                << ": " << ::testing::PrintToString(sent);
        ASSERT_LE(*high, (total + groups - 1) / groups) << "none past its share of all that went";
      }
    }
  }
  EXPECT_EQ(tools::round_robin_share(4, 32, 3, 0, 0), 2u) << "its share of 4 over 3, rounded up";
  EXPECT_EQ(tools::round_robin_share(2, 32, 3, 2, 0), 2u);
  EXPECT_EQ(tools::round_robin_share(2, 32, 3, 2, 2), 0u) << "at its share: the next group's turn";
  EXPECT_EQ(tools::round_robin_share(1000, 32, 3, 0, 0), 32u) << "a batch at a time";
  EXPECT_EQ(tools::round_robin_share(64, 64, 1, 0, 0), 64u);
}

// The total's span (trial20i 16): a run that kept up reads the rate asked
// for, whatever its last sleep overshot; one that fell behind, what it
// achieved; a burst ahead of its schedule, its intervals.
TEST(SendSummary, APacedTotalIsOverItsLastSendAndItsInterval) {
  // 2000 at 1000 pps, the last sent at 1.999 s, the phase ended 2.006 s.
  EXPECT_DOUBLE_EQ(2000 / tools::paced_rate_span(2.006, 1.999, 2000, 1000), 1000);
  EXPECT_NEAR(2000 / tools::paced_rate_span(2.006, 1.99905, 2000, 1000), 999.98, 0.01) << "50 us late";
  // Behind: the last went at 2.5 s.
  EXPECT_NEAR(2000 / tools::paced_rate_span(2.6, 2.5, 2000, 1000), 2000 / 2.501, 1e-9);
  // -r 1pps --burst 5 -c 5: all at 0, the phase cut at 1 s: 5 intervals.
  EXPECT_DOUBLE_EQ(tools::paced_rate_span(1.0, 0.0, 5, 1), 5.0);
  // -d cut the phase before the last interval ended: at most the phase.
  EXPECT_DOUBLE_EQ(tools::paced_rate_span(3.0, 2.9995, 3, 1), 3.0);
}

TEST(SendSummary, OneDatagramHasNoRateAsTheReceiverSays) {
  const auto text = group_summary({{0, 1}}, false).first;
  EXPECT_NE(text.find("  239.1.1.1:5000  sent 1  bytes 100  - pps - bit/s (one datagram: no rate)"), std::string::npos)
      << text;
  EXPECT_NE(text.find("mcast-send: 1 datagram in 0.003 s\n"), std::string::npos) << "no total rate either: " << text;
  const auto [json_text, group] = group_summary({{0, 1}}, true);
  EXPECT_TRUE(group["rate_pps"].is_null()) << json_text;
  EXPECT_TRUE(group["rate_bps"].is_null()) << json_text;
  EXPECT_EQ(group["rate_span_s"], 0.0) << "span 0, as mcast-recv's stream of one (trial20i 11): " << json_text;
  // The total too (trial20e: -c 1 unpaced read 16,940 pps, one datagram over
  // a send phase of 59 us).
  const auto total_rate = [](const std::string& lines) {
    for (const auto& e : mcnet::test::tools::json_lines(lines)) {
      if (e["event"] == "summary") return e["total"]["rate_pps"];
    }
    return mcnet::test::tools::json("no summary");
  };
  EXPECT_TRUE(total_rate(json_text).is_null()) << json_text;

  // 3 sends 10 ms apart: the 2 before the last over 20 ms, 100 pps, 80 kbit/s.
  const auto text3 = group_summary({{0, 1}, {10'000'000, 1}, {20'000'000, 1}}, false).first;
  EXPECT_NE(text3.find("  239.1.1.1:5000  sent 3  bytes 300  100 pps 80.0 kbit/s over 20.0 ms"), std::string::npos)
      << "the span the rate is over, as mcast-recv writes it (trial20g 9): " << text3;
  EXPECT_NE(text3.find("mcast-send: 3 datagrams in 0.003 s, 1000 pps in all"), std::string::npos)
      << "the total line has the total's rate (trial20g 10): " << text3;
  EXPECT_EQ(text3.find("one datagram"), std::string::npos) << text3;
  const auto [json3, group3] = group_summary({{0, 1}, {10'000'000, 1}, {20'000'000, 1}}, true);
  EXPECT_NEAR(group3["rate_pps"].get<double>(), 100.0, 1e-9) << json3;
  EXPECT_NEAR(group3["rate_bps"].get<double>(), 80'000.0, 1e-6) << json3;
  EXPECT_NEAR(group3["rate_span_s"].get<double>(), 0.02, 1e-12) << json3;
  EXPECT_NEAR(total_rate(json3).get<double>(), 1000.0, 1e-9) << "3 over the 3 ms send phase: " << json3;
}

// `-r 1pps --burst 5 -d 3`: one burst of 5 in a 3 s send phase. The group's
// rate is the burst's own and says so; the total's 1 pps is the pace's,
// over the 5 s its 5 datagrams take, and says that span (trial20h 10:
// "2771 pps over 1.44 ms" above "5 datagrams in 3.001 s, 1.00 pps in all").
TEST(SendSummary, OneBurstAheadOfThePaceSaysWhatEachRateIsOver) {
  const auto text =
      group_summary({{0, 5}}, false, {.burst = 5, .elapsed = 3.001, .rate_span = 5.0, .batch_ns = 1'440'000}).first;
  EXPECT_NE(text.find("  239.1.1.1:5000  sent 5  bytes 500  2778 pps 2.22 Mbit/s within one burst of 1.44 ms"),
            std::string::npos)
      << text;
  EXPECT_NE(text.find("mcast-send: 5 datagrams in 3.001 s, 1.00 pps in all (the pace's: 5 datagrams at -r take "
                      "5.000 s)\n"),
            std::string::npos)
      << text;

  // Several bursts: a rate over the span, no "one burst"; a total over the
  // send phase names no other span.
  const std::vector<std::pair<std::int64_t, std::uint64_t>> two{{0, 5}, {1'000'000'000, 5}};
  const auto text2 = group_summary(two, false, {.burst = 5, .elapsed = 2.0, .rate_span = {}, .batch_ns = 1'000'000}).first;
  EXPECT_EQ(text2.find("one burst"), std::string::npos) << text2;
  EXPECT_EQ(text2.find("the pace's"), std::string::npos) << text2;
  EXPECT_NE(text2.find("5.00 pps 4.00 kbit/s over 1.000 s"), std::string::npos) << text2;

  // A send phase under half a millisecond in the unit that fits, not
  // "0.000 s" beside a rate (trial20i 15).
  const auto text3 = group_summary(two, false, {.burst = 5, .elapsed = 0.000'200, .rate_span = {}, .batch_ns = 1'000'000}).first;
  EXPECT_NE(text3.find("mcast-send: 10 datagrams in 200 us, 50000 pps in all"), std::string::npos) << text3;
}

// trial t16z MEDIUM: a signal before mcast-send's first socket was opened
// read "sent 0 of 0 datagrams" ("asked": 0; one after some sockets, "0 of
// 150000"): what -c asks was taken from the opened targets' orders. It is
// computed from -c and the faults, times the groups the command line
// named, however many were opened. Run up to open_targets and send_all as
// mcast-send's main does, the signal first: no socket is opened (the stop
// is seen before the first), nothing sent. In a child process: the stop
// flag is process-wide and never cleared.
TEST(SendInterrupted, ASignalBeforeTheFirstSocketSaysWhatMinusCAskedOfEveryGroup) {
  // -c 10 --dup-every 4: each group sends 0 to 9 and 3 and 7 again, 12.
  const std::vector<std::string> args{"--json", "-c", "10", "--dup-every", "4", "-i", "fake0", "[ff1e::1:0]:5000+150"};
  const auto got = mcnet::test::tools::interrupted_in_child([&] {
    std::ostringstream out, err;
    int exit = -1;
    std::size_t left = 99;
    if (const auto c = tools::parse_send_command_line(args)) {
      const tools::reporter r("mcast-send", c->settings.format(), out, err);
      std::vector<tools::send_target> targets;
      exit = tools::resolve_targets(c->settings, r, mcnet::test::tools::fake_resolver(), targets).value_or(-1);
      const auto planned = targets.size();
      if (exit == -1) exit = tools::open_targets(c->settings, r, targets).value_or(-1);
      left = targets.size();
      if (exit == -1) exit = tools::send_all(c->settings, r, targets, planned);
    }
    return std::pair(fmt::format("{} {}\n{}", exit, left, err.str()), out.str());
  });
  ASSERT_TRUE(got) << "the child's run";
  const auto& err = got->first;
  const auto& out = got->second;
  EXPECT_TRUE(err.starts_with(fmt::format("{} 0\n", tools::exit_interrupted))) << "exit 2, no target opened: " << err;
  EXPECT_NE(err.find("mcast-send: warning: interrupted by a signal while opening the sockets: 0 of 150 groups "
                     "opened, nothing sent\n"),
            std::string::npos)
      << err;
  EXPECT_NE(err.find("mcast-send: warning: interrupted by a signal before the run's end: sent 0 of 1800 datagrams\n"),
            std::string::npos)
      << err;
  mcnet::test::tools::expect_schema_conform(out);
  const auto events = mcnet::test::tools::json_lines(out);
  const auto cut = std::find_if(events.begin(), events.end(),
                                [](const nlohmann::json& e) { return e.value("code", std::string()) == "interrupted"; });
  ASSERT_NE(cut, events.end()) << out;
  EXPECT_EQ((*cut)["sent"], 0);
  EXPECT_EQ((*cut)["asked"], 1800) << "12 datagrams for each of the 150 groups named, none opened";
  const auto* summary = mcnet::test::tools::find_event(events, "summary");
  ASSERT_NE(summary, nullptr) << out;
  EXPECT_EQ((*summary)["total"]["sent"], 0);
}
