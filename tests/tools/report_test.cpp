// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The mcnet authors
//
// mcast-recv's report formatting: stream objects, interval deltas, totals and
// packet events conform to docs/mcast-tools.schema.json (nulls where docs/tools.md
// says unknown), CSV rows line up with the header and carry the same values,
// and the text line says what the JSON says.

#include <gtest/gtest.h>

#include <sstream>
#include <vector>

#include <mcnet/tools/report.hpp>
#include <mcnet/tools/send_options.hpp>

#include "tool_run.hpp"

namespace core = mcnet::core;
namespace tools = mcnet::tools;
namespace feed = mcnet::feed;
using json = nlohmann::ordered_json;
using namespace std::chrono_literals;

namespace {

const auto kGroup = core::ip_address::v4(239, 255, 60, 1);
const auto kSource = core::ip_address::v4(10, 77, 0, 1);
const core::kernel_time kT0{std::chrono::seconds(1'700'000'000)};

// An END marker is the header alone, as mcast-send sends it (a longer one is not believed).
std::vector<std::byte> datagram(std::uint64_t seq, core::kernel_time sent, bool end = false) {
  std::vector<std::byte> b(end ? feed::test_header::size : 100);
  feed::test_header h{.flags = static_cast<std::uint8_t>(end ? feed::test_header::flag_end : 0), .sender_id = 9,
                       .session = 4, .sequence = seq,
                       .send_time_ns = static_cast<std::uint64_t>(sent.time_since_epoch().count()),
                       .length = static_cast<std::uint32_t>(b.size())};
  EXPECT_TRUE(h.build(b).has_value());
  return b;
}

std::vector<std::string> errors(const json& j) {
  return mcnet::test::tools::schema_errors(mcnet::test::tools::json::parse(j.dump()));
}

json report(const json& stream) {
  return {{"event", "summary"}, {"time", 1.7e9}, {"streams", json::array({stream})},
          {"total", tools::totals_json({1, 2, 0, 0, 0}, 0)}};
}

std::vector<std::string> split(const std::string& line) {
  std::vector<std::string> cells;
  std::stringstream in(line);
  std::string c;
  while (std::getline(in, c, ',')) cells.push_back(c);
  if (!line.empty() && line.back() == ',') cells.emplace_back();
  return cells;
}

// Every datagram without a sequence number: reordered and duplicates are
// as unknown as lost (null, as each stream has them), not 0; one sequenced
// datagram makes them known again.
TEST(Report, TotalsOfUnsequencedTrafficAreUnknown) {
  tools::totals raw{10, 2000};
  raw.unsequenced = 10;
  const auto j = tools::totals_json(raw, 0);
  EXPECT_TRUE(j["lost"].is_null()) << j;
  EXPECT_TRUE(j["reordered"].is_null()) << j;
  EXPECT_TRUE(j["duplicates"].is_null()) << j;
  EXPECT_TRUE(j["jumps"].is_null()) << j;
  EXPECT_TRUE(j["restarts"].is_null()) << j;
  EXPECT_TRUE(j["too_late"].is_null()) << j;
  EXPECT_EQ(j["unsequenced"], 10) << j;
  auto summary = report(tools::stream_json({kGroup, 5000, kSource, true, 0, 0, tools::payload_kind::raw},
                                          tools::stream{}, tools::interface_json(2, "eth0")));
  summary["total"] = j;
  EXPECT_EQ(errors(summary), std::vector<std::string>{});
  tools::totals mixed{11, 2100, 0, 1, 2};
  mixed.unsequenced = 10;
  const auto k = tools::totals_json(mixed, 0);
  EXPECT_EQ(k["lost"], 0) << k;
  EXPECT_EQ(k["reordered"], 1) << k;
  EXPECT_EQ(k["duplicates"], 2) << k;
  EXPECT_EQ(k["jumps"], 0) << k;
  EXPECT_EQ(k["restarts"], 0) << k;
  EXPECT_EQ(k["too_late"], 0) << k;
}

TEST(Report, StreamWithHeaderConformsAndCarriesItsCounters) {
  tools::stream_table t;
  t.joined(kGroup, 5000, kT0);
  for (std::uint64_t seq : {0u, 1u, 3u, 2u, 3u}) t.add(kGroup, 5000, kSource, datagram(seq, kT0), kT0 + 50us, 7, 0xb8, 2);
  const auto& [key, s] = *t.streams().begin();
  const auto j = tools::stream_json(key, s, tools::interface_json(2, "eth0"));
  EXPECT_EQ(errors(report(j)), std::vector<std::string>{});
  EXPECT_EQ(j["packets"], 5);
  EXPECT_TRUE(j["rate_pps"].is_null()) << "all five at one instant: no span to divide by";
  EXPECT_TRUE(j["rate_bps"].is_null());
  EXPECT_EQ(j["rate_span_s"], 0.0);
  EXPECT_EQ(j["reordered"], 1);
  EXPECT_EQ(j["duplicates"], 1);
  EXPECT_EQ(j["ttl"], 7);
  EXPECT_EQ(j["tos"], 0xb8);
  EXPECT_EQ(j["interface"]["name"], "eth0");
  EXPECT_EQ(j["interface"]["index"], 2);
  EXPECT_EQ(j["sender_id"], 9);
  EXPECT_EQ(j["session"], 4);
  EXPECT_NEAR(j["latency_ns"]["p50"].get<double>(), 50'000, 50'000 * 0.035);
  EXPECT_EQ(j.begin().key(), "group") << "fields in the order of docs/tools.md";
}

// A sender whose clock is 3 s ahead of the receiver's: every latency is
// about -3 s. The percentiles are those values, in order (they read 0 with
// max below p50 before, trial20g 8), JSON counts them in latency_ns.negative
// and the text line says the clocks disagree and by how much at least.
TEST(Report, ASenderClockAheadGivesNegativeLatencyInOrderAndSaysSo) {
  tools::stream_table t;
  t.joined(kGroup, 5000, kT0);
  for (std::uint64_t seq = 0; seq < 200; ++seq) {
    const auto arrival = kT0 + std::chrono::milliseconds(seq);
    const auto jitter = std::chrono::microseconds(40 + (seq * 7) % 60);
    t.add(kGroup, 5000, kSource, datagram(seq, arrival + 3s - jitter), arrival, 1, 0, 2);
  }
  const auto& [key, s] = *t.streams().begin();
  const auto j = tools::stream_json(key, s, tools::interface_json(2, "eth0"));
  EXPECT_EQ(errors(report(j)), std::vector<std::string>{});
  const auto& l = j["latency_ns"];
  EXPECT_EQ(l["negative"], 200);
  EXPECT_LT(l["max"].get<std::int64_t>(), 0);
  EXPECT_LE(l["min"].get<std::int64_t>(), l["p50"].get<std::int64_t>()) << l;
  EXPECT_LE(l["p50"].get<std::int64_t>(), l["p99"].get<std::int64_t>()) << l;
  EXPECT_LE(l["p99"].get<std::int64_t>(), l["max"].get<std::int64_t>()) << l;
  EXPECT_NEAR(l["p50"].get<double>(), -3e9, 3e9 * 0.035) << l;
  const auto line = tools::stream_text(j);
  EXPECT_NE(line.find("(200 below 0: the sender's clock is ahead of this host's by at least 3.00 s"), std::string::npos)
      << line;
  // A stream on one host has none and says nothing of clocks.
  tools::stream_table same;
  const auto at = kT0 + 1s;
  same.add(kGroup, 5000, kSource, datagram(0, at), at + 30us, 1, 0, 2);
  const auto& [k2, s2] = *same.streams().begin();
  const auto j2 = tools::stream_json(k2, s2, tools::interface_json(2, "eth0"));
  EXPECT_EQ(j2["latency_ns"]["negative"], 0);
  EXPECT_EQ(tools::stream_text(j2).find("clock is ahead"), std::string::npos);
  EXPECT_EQ(tools::stream_text(j2).find("clock behind"), std::string::npos) << "30 us: no hint";
  // A sender's clock 3 s behind: 3 s of latency with microseconds of
  // jitter reads as a clock, as one ahead does (trial20k 9).
  tools::stream_table behind;
  behind.joined(kGroup, 5000, kT0);
  for (std::uint64_t seq = 0; seq < 200; ++seq) {
    const auto arrival = kT0 + std::chrono::milliseconds(seq);
    behind.add(kGroup, 5000, kSource, datagram(seq, arrival - 3s - std::chrono::microseconds(40)), arrival, 1, 0, 2);
  }
  const auto& [k3, s3] = *behind.streams().begin();
  const auto line3 = tools::stream_text(tools::stream_json(k3, s3, tools::interface_json(2, "eth0")));
  EXPECT_NE(line3.find(" (every one 1.00 s or more: more likely the sender's clock behind this host's by up to 3.00 s "
                       "than a path that slow;"),
            std::string::npos)
      << line3;
}

// trial20j 7: the numbers before a stream's first arrival, when its session
// began after the join, are said in JSON and text as likely lost, apart from
// lost; when it cannot be told, the first number is shown.
TEST(Report, NumbersBeforeTheFirstArrivalAreShownApartFromLost) {
  // Numbers first..99 at 100 pps, the first arriving `after` the join.
  const auto paced = [](std::uint64_t first, std::chrono::nanoseconds after) {
    tools::stream_table t;
    t.joined(kGroup, 5000, kT0);
    for (std::uint64_t seq = first; seq < 100; ++seq) {
      const auto at = kT0 + after + std::chrono::milliseconds(10 * (seq - first));
      t.add(kGroup, 5000, kSource, datagram(seq, at), at, 1, 0, 2);
    }
    const auto& [key, s] = *t.streams().begin();
    return tools::stream_json(key, s, tools::interface_json(2, "eth0"));
  };
  const auto j = paced(10, 1s);
  EXPECT_EQ(errors(report(j)), std::vector<std::string>{});
  EXPECT_EQ(j["first_sequence"], 10);
  EXPECT_EQ(j["missed_at_start"], 10);
  EXPECT_EQ(j["lost"], 0);
  EXPECT_NEAR(j["began_after_join_s"].get<double>(), 0.9, 0.01);
  const auto line = tools::stream_text(j);
  EXPECT_NE(line.find("lost 0 reordered 0 duplicates 0 (and 10 before its first number 10, likely lost: by its pace "
                      "at the start the session began 0.9"),
            std::string::npos)
      << line;
  // Joined 0.05 s before 0..4 were due: too close to tell.
  const auto j2 = paced(5, 55ms);
  EXPECT_EQ(j2["missed_at_start"], 0);
  EXPECT_EQ(j2["lost"], 0);
  EXPECT_NE(tools::stream_text(j2).find("lost 0 reordered 0 duplicates 0 (its first number 5: those before it were "
                                        "sent about the join or before it, not counted)"),
            std::string::npos)
      << tools::stream_text(j2);
}

// A sender that starts late and stops early shows the rate it sent at: the
// span is its first to its latest datagram, not the receiver's run.
TEST(Report, SummaryRatesAreOverTheStreamsActivePeriod) {
  tools::stream_table t;
  t.joined(kGroup, 5000, kT0);
  // 1,000 pps for 2 s, starting 3 s after the join: 2,001 datagrams over 2 s.
  for (std::uint64_t seq = 0; seq <= 2000; ++seq) {
    const auto at = kT0 + 3s + std::chrono::milliseconds(seq);
    t.add(kGroup, 5000, kSource, datagram(seq, at), at, 1, 0, 2);
  }
  const auto& [key, s] = *t.streams().begin();
  const auto j = tools::stream_json(key, s, tools::interface_json(2, "eth0"));
  EXPECT_EQ(errors(report(j)), std::vector<std::string>{});
  // Each datagram its own clump: the 2,000 before the last over the 2 s
  // from the first to the last.
  EXPECT_NEAR(j["rate_span_s"].get<double>(), 2.0, 1e-12);
  EXPECT_NEAR(j["rate_pps"].get<double>(), 1000.0, 1e-9);
  EXPECT_NEAR(j["rate_bps"].get<double>(), 1000.0 * 100 * 8, 1e-6);
  const auto line = tools::stream_text(j);
  EXPECT_NE(line.find("2001 packets 200100 bytes 1000 pps 800 kbit/s over 2.000 s"), std::string::npos) << line;
  // One datagram has no rate: null in JSON, "-" in text.
  tools::stream_table one;
  one.add(kGroup, 5000, kSource, datagram(0, kT0), kT0, 1, 0, 2);
  const auto& [k1, s1] = *one.streams().begin();
  const auto j1 = tools::stream_json(k1, s1, tools::interface_json(2, "eth0"));
  EXPECT_TRUE(j1["rate_pps"].is_null());
  EXPECT_NE(tools::stream_text(j1).find("1 packet 100 bytes - pps - bit/s (one datagram: no rate)"), std::string::npos)
      << tools::stream_text(j1);
}

namespace {

// The stream of `arrivals` (each one datagram of 100 bytes, numbered in order).
json stream_of(const std::vector<core::kernel_time>& arrivals) {
  tools::stream_table t;
  std::uint64_t seq = 0;
  for (const auto at : arrivals) t.add(kGroup, 5000, kSource, datagram(seq++, at), at, 1, 0, 2);
  const auto& [key, s] = *t.streams().begin();
  return tools::stream_json(key, s, tools::interface_json(2, "eth0"));
}

double seconds(std::chrono::nanoseconds d) { return std::chrono::duration<double>(d).count(); }

}  // namespace

// A bursty sender's rate is the datagrams before its last clump over the
// time from the first to the last clump's start: k bursts of B every T read
// (k-1)B over (k-1)T, B/T, not (kB-1) over (k-1)T plus one burst's length.
TEST(Report, BurstRatesCountTheLastClump) {
  // 5 bursts of 100 every 100 ms, 2 us apart within a burst: 1000 pps.
  std::vector<core::kernel_time> bursts;
  for (int k = 0; k < 5; ++k) {
    for (int i = 0; i < 100; ++i) bursts.push_back(kT0 + k * 100ms + i * 2us);
  }
  const auto b = stream_of(bursts);
  EXPECT_EQ(errors(report(b)), std::vector<std::string>{});
  EXPECT_NEAR(b["rate_span_s"].get<double>(), 0.4, 1e-12) << "0.4 s to the last burst's first";
  EXPECT_NEAR(b["rate_pps"].get<double>(), 1000.0, 1e-9) << "the 400 datagrams before it over 0.4 s";
  EXPECT_NEAR(b["rate_bps"].get<double>(), 1000.0 * 100 * 8, 1e-6);

  // 3 bursts of 1000 every 333 ms (-r 3kpps --burst 1000), the last cut
  // apart on a loaded host as 748, 1, 1, 186 and 64 datagrams, 5.5, 2.8 and
  // 4.3 ms between pieces (trial20i 2: the second lone datagram started a
  // clump, 936 of the last burst counted, 4,271 pps read): still 3000 pps.
  std::vector<core::kernel_time> cut;
  for (int k = 0; k < 2; ++k) {
    for (int i = 0; i < 1000; ++i) cut.push_back(kT0 + k * 333'333us + i * 2us);
  }
  auto at = kT0 + 666'666us;
  const auto piece = [&](int n, std::chrono::microseconds gap_before) {
    at += gap_before;
    for (int i = 0; i < n; ++i) cut.push_back(at + i * 2us);
    at += (n - 1) * 2us;
  };
  piece(748, 0us);
  piece(1, 5500us);
  piece(1, 2800us);
  piece(186, 50us);
  piece(64, 4300us);
  const auto c = stream_of(cut);
  EXPECT_NEAR(c["rate_pps"].get<double>(), 3000.0, 30.0) << c;
  EXPECT_NEAR(c["rate_span_s"].get<double>(), 0.666666, 1e-6) << c;

  // Evenly paced at 1 ms (each datagram its own clump): (N-1)/span, the
  // last datagram the last clump.
  std::vector<core::kernel_time> paced;
  for (int i = 0; i < 101; ++i) paced.push_back(kT0 + i * 1ms);
  const auto p = stream_of(paced);
  EXPECT_NEAR(p["rate_span_s"].get<double>(), 0.100, 1e-12) << "100 datagrams, 100 intervals";
  EXPECT_NEAR(p["rate_pps"].get<double>(), 1000.0, 1e-9);

  // One burst of 5, 10 us apart (the whole stream one clump): (N-1)/span,
  // and a span that short in us, not "0.000 s".
  std::vector<core::kernel_time> one;
  for (int i = 0; i < 5; ++i) one.push_back(kT0 + i * 10us);
  const auto o = stream_of(one);
  EXPECT_DOUBLE_EQ(o["rate_span_s"].get<double>(), seconds(40us));
  EXPECT_NEAR(o["rate_pps"].get<double>(), 4 / seconds(40us), 1e-6);
  EXPECT_NE(tools::stream_text(o).find(" over 40.0 us"), std::string::npos) << tools::stream_text(o);

  // A fast continuous stream (10 us apart, all one clump): (N-1)/span.
  std::vector<core::kernel_time> fast;
  for (int i = 0; i < 1000; ++i) fast.push_back(kT0 + i * 10us);
  const auto f = stream_of(fast);
  EXPECT_DOUBLE_EQ(f["rate_span_s"].get<double>(), seconds(9990us));
  EXPECT_NEAR(f["rate_pps"].get<double>(), 999 / seconds(9990us), 1e-6);
  EXPECT_NE(tools::stream_text(f).find(" over 9.99 ms"), std::string::npos) << tools::stream_text(f);

  // Paced at 1 ms, the last three late and together (a hiccup): the last
  // clump (3) starts at 99 ms: the 97 before it over 99 ms, 980 pps (late
  // datagrams bunched at the very end read a little low).
  std::vector<core::kernel_time> hiccup;
  for (int i = 0; i < 97; ++i) hiccup.push_back(kT0 + i * 1ms);
  for (int i = 0; i < 3; ++i) hiccup.push_back(kT0 + 99ms + i * 5us);
  const auto h = stream_of(hiccup);
  EXPECT_NEAR(h["rate_span_s"].get<double>(), seconds(99ms), 1e-12);
  EXPECT_NEAR(h["rate_pps"].get<double>(), 97 / seconds(99ms), 1e-9);
  EXPECT_NEAR(h["rate_pps"].get<double>(), 1000.0, 1000.0 * 0.03) << "near the paced rate";

  // A gap of exactly 100 us still joins the clump; 101 us does not, after
  // a first clump (no boundary gap before it) and after a boundary gap of
  // 404 us or less (101 us is not under a quarter of it).
  // (Three clumps: the 2 datagrams before the last over the 2 ms to its
  // start; three: 2 over the span to the third's.)
  const auto edge = stream_of({kT0, kT0 + 1ms, kT0 + 2ms, kT0 + 2ms + 100us});
  EXPECT_NEAR(edge["rate_span_s"].get<double>(), 0.002, 1e-12);
  EXPECT_NEAR(edge["rate_pps"].get<double>(), 1000.0, 1e-9);
  const auto apart = stream_of({kT0, kT0 + 101us, kT0 + 202us});
  EXPECT_NEAR(apart["rate_span_s"].get<double>(), seconds(202us), 1e-12);
  EXPECT_NEAR(apart["rate_pps"].get<double>(), 2 / seconds(202us), 1e-6);
  const auto quarter = stream_of({kT0, kT0 + 404us, kT0 + 505us});
  EXPECT_NEAR(quarter["rate_span_s"].get<double>(), seconds(505us), 1e-12);
}

// trial20q 5: 10 bursts of 5 x 100 bytes every 100 ms, then a last burst of
// 5 x 1400 bytes. rate_pps leaves the last clump out (50 pps over 1 s), and
// rate_bps took the mean size of all 55 datagrams (87 kbit/s, neither the
// 40 kbit/s of the datagrams rated nor any other). The bit rate is over
// the same datagrams and span as the packet rate: the stream's, its
// channel's and a clump_clock's alike.
TEST(Report, TheBitRateIsOverTheDatagramsOfThePacketRate) {
  tools::stream_table t;
  t.joined(kGroup, 5000, kT0);
  tools::clump_clock clock;
  std::uint64_t seq = 0;
  for (int k = 0; k < 11; ++k) {
    const std::size_t size = k == 10 ? 1400 : 100;
    for (int i = 0; i < 5; ++i) {
      const auto at = kT0 + k * 100ms + i * 2us;
      auto b = datagram(seq, at);
      b.resize(size);
      feed::test_header h = feed::test_header::parse(b).value();
      h.length = static_cast<std::uint32_t>(size);
      ASSERT_TRUE(h.build(b).has_value());
      t.add(kGroup, 5000, kSource, b, at, 1, 0, 2);
      clock.add(at.time_since_epoch().count(), 1, std::nullopt, size);
      ++seq;
    }
  }
  const auto& [key, s] = *t.streams().begin();
  const auto j = tools::stream_json(key, s, tools::interface_json(2, "eth0"));
  EXPECT_EQ(errors(report(j)), std::vector<std::string>{});
  EXPECT_NEAR(j["rate_span_s"].get<double>(), 1.0, 1e-12) << j;
  EXPECT_NEAR(j["rate_pps"].get<double>(), 50.0, 1e-9) << j;
  EXPECT_NEAR(j["rate_bps"].get<double>(), 5000.0 * 8, 1e-6) << "the 50 datagrams of 100 bytes over 1 s: " << j;
  const auto channels = t.channels();
  ASSERT_EQ(channels.size(), 1u);
  ASSERT_TRUE(channels.begin()->second.rate_bps);
  EXPECT_NEAR(*channels.begin()->second.rate_bps, 5000.0 * 8, 1e-6);
  EXPECT_NEAR(clock.rate().first, 50.0, 1e-12);
  EXPECT_EQ(clock.rated_bytes(), 5000.0);
  // One clump (N-1 over first to last): the bytes of all but the last.
  tools::clump_clock one;
  one.add(0, 1, std::nullopt, 100);
  one.add(10'000, 1, std::nullopt, 200);
  one.add(20'000, 1, std::nullopt, 1400);
  EXPECT_EQ(one.rate().first, 2.0);
  EXPECT_EQ(one.rated_bytes(), 300.0);
}

// A burst the sender's batches (or a preemption) cut apart is still one
// clump: a gap under a quarter of the gap before the clump, while the clump
// is younger than 50 ms and than a quarter of that gap, does not start a
// new one. Bursts of 100 every
// 100 ms whose last one came as 32, then 68 two ms later, read 1000 pps
// (5 clumps: the 400 before the last over 0.4 s; by the 100 us rule alone,
// the 68 would be the last clump: 432 over 0.402 s, 1075 pps).
TEST(Report, ABurstCutApartIsOneClump) {
  std::vector<core::kernel_time> bursts;
  for (int k = 0; k < 5; ++k) {
    const auto cut = k == 4 ? 2ms : 0ms;
    for (int i = 0; i < 100; ++i) bursts.push_back(kT0 + k * 100ms + i * 2us + (i >= 32 ? cut : 0ms));
  }
  const auto b = stream_of(bursts);
  EXPECT_NEAR(b["rate_span_s"].get<double>(), 0.4, 1e-12);
  EXPECT_NEAR(b["rate_pps"].get<double>(), 1000.0, 1e-9);

  // Every burst cut (each 40 + 60 with 5 ms between): the later bursts'
  // cuts are kept, the first burst's is not (no gap before it to measure a
  // cut by: two bursts a second apart are two clumps), so 6 clumps; the
  // extra one is not the last, so still the 400 before the last over 0.4 s.
  std::vector<core::kernel_time> every;
  for (int k = 0; k < 5; ++k) {
    for (int i = 0; i < 100; ++i) every.push_back(kT0 + k * 100ms + i * 2us + (i >= 40 ? 5ms : 0ms));
  }
  EXPECT_NEAR(stream_of(every)["rate_pps"].get<double>(), 400 / 0.4, 1e-9);

  // A burst's first datagram alone, the other 99 in the sender's next batch
  // 3 ms later (the cut trial20c saw most): the lone datagram is a burst so
  // far and keeps the cut, 5 clumps, 1000 pps (by the old two-datagram rule,
  // 9 clumps, the last the 99 at 403 ms: 401 over 0.403 s, 995 pps).
  std::vector<core::kernel_time> lone;
  for (int k = 0; k < 5; ++k) {
    for (int i = 0; i < 100; ++i) lone.push_back(kT0 + k * 100ms + i * 2us + (k > 0 && i >= 1 ? 3ms : 0ms));
  }
  const auto l = stream_of(lone);
  EXPECT_NEAR(l["rate_span_s"].get<double>(), 0.4, 1e-12);
  EXPECT_NEAR(l["rate_pps"].get<double>(), 1000.0, 1e-9);

  // A paced stream (1 ms) with one 50 ms stall and no catch-up: the one
  // after the stall keeps the next (1 ms is under a quarter of the 50 ms
  // before it, and the clump's first piece may be a lone datagram), the
  // others are single pieces and clumps of their own: 199 clumps, the
  // last one datagram at 248 ms: the 199 before it over the stream's life,
  // stall included, 248 ms.
  std::vector<core::kernel_time> stall;
  for (int i = 0; i < 50; ++i) stall.push_back(kT0 + i * 1ms);
  for (int i = 0; i < 150; ++i) stall.push_back(kT0 + 99ms + i * 1ms);
  const auto st = stream_of(stall);
  EXPECT_NEAR(st["rate_span_s"].get<double>(), seconds(248ms), 1e-12);
  EXPECT_NEAR(st["rate_pps"].get<double>(), 199 / seconds(248ms), 1e-9);

  // The same stall with a catch-up burst (the 49 datagrams that fell due,
  // back to back) and 3 paced ones after it: the burst keeps the first
  // paced datagram, the two after it are clumps of their own (a cut piece
  // of one datagram keeps no further cut): 53 clumps, the last one
  // datagram: the 101 before it over
  // 102.096 ms, near the paced rate.
  std::vector<core::kernel_time> catch_up;
  for (int i = 0; i < 50; ++i) catch_up.push_back(kT0 + i * 1ms);
  for (int i = 0; i < 49; ++i) catch_up.push_back(kT0 + 99ms + i * 2us);
  for (int i = 1; i <= 3; ++i) catch_up.push_back(kT0 + 99ms + 96us + i * 1ms);
  const auto c = stream_of(catch_up);
  EXPECT_NEAR(c["rate_span_s"].get<double>(), seconds(102ms + 96us), 1e-12);
  EXPECT_NEAR(c["rate_pps"].get<double>(), 101 / seconds(102ms + 96us), 1e-9);
  EXPECT_NEAR(c["rate_pps"].get<double>(), 1000.0, 1000.0 * 0.03) << "near the paced rate";

  // Evenly paced with jitter (gaps of 0.8 and 1.2 ms): each its own clump,
  // 100 datagrams over the 100 ms to the last.
  std::vector<core::kernel_time> jitter;
  auto at = kT0;
  for (int i = 0; i < 101; ++i) {
    jitter.push_back(at);
    at += i % 2 == 0 ? 800us : 1200us;
  }
  const auto j = stream_of(jitter);
  EXPECT_NEAR(j["rate_span_s"].get<double>(), 0.100, 1e-12);
  EXPECT_NEAR(j["rate_pps"].get<double>(), 1000.0, 1e-9);
}

// The rate ends at the last clump's start and leaves the last clump out,
// so its size does not matter: -r 100pps -c 3 --burst 2 sends 2 at 0 and 1
// at 20 ms, which read 100 pps (2 over 20 ms; stretching 3 over 20 ms by
// c/(c-1) read 75). Extra clumps anywhere before the last change nothing.
TEST(Report, RateIsIndependentOfTheLastBurstAndOfExtraClumps) {
  // The partial last burst, at the receiver: 2 datagrams 2 us apart, then 1
  // 20 ms later.
  const auto partial = stream_of({kT0, kT0 + 2us, kT0 + 20ms});
  EXPECT_NEAR(partial["rate_span_s"].get<double>(), 0.02, 1e-12);
  EXPECT_NEAR(partial["rate_pps"].get<double>(), 100.0, 1e-9) << partial;
  // ... and at the sender (one batch of 2, then 1).
  tools::clump_clock sends;
  sends.add(0, 2, std::chrono::nanoseconds(2us).count());
  sends.add(std::chrono::nanoseconds(20ms).count(), 1);
  const auto [sn, sspan] = sends.rate();
  EXPECT_EQ(sn, 2.0);
  EXPECT_NEAR(sn / sspan, 100.0, 1e-9);

  // 5 bursts of 100 every 100 ms, the last one only 37 (a run cut short):
  // the 400 before it over 0.4 s, 1000 pps, whatever the last one's size.
  std::vector<core::kernel_time> short_last;
  for (int k = 0; k < 5; ++k) {
    for (int i = 0; i < (k == 4 ? 37 : 100); ++i) short_last.push_back(kT0 + k * 100ms + i * 2us);
  }
  EXPECT_NEAR(stream_of(short_last)["rate_pps"].get<double>(), 1000.0, 1e-9);

  // The first burst cut into 10 pieces of 10, 1 ms apart (no gap before
  // it to measure a cut by, so each piece is a clump): 14 clumps, still the
  // 400 datagrams before the last burst over 0.4 s (c/(c-1) read 500 over
  // 0.4 s x 14/13, 1161 pps).
  std::vector<core::kernel_time> cut_first;
  for (int k = 0; k < 5; ++k) {
    for (int i = 0; i < 100; ++i) cut_first.push_back(kT0 + k * 100ms + i * 2us + (k == 0 ? (i / 10) * 1ms : 0ms));
  }
  const auto cf = stream_of(cut_first);
  EXPECT_NEAR(cf["rate_span_s"].get<double>(), 0.4, 1e-12);
  EXPECT_NEAR(cf["rate_pps"].get<double>(), 1000.0, 1e-9) << cf;

  // Bursts of 100 every 100 ms for 2 s whose sender stalls from 0.45 s to
  // 1.75 s and then sends the 13 bursts that fell due back to back; the
  // receive path splits the 1,300 into 26 pieces of 50, 300 us apart (25
  // clumps: the second piece is taken as a cut of the first). The bursts at
  // 1.8 and 1.9 s follow: the 1,900 datagrams before the last burst over
  // the 1.9 s to it, 1000 pps, however the catch-up was split (32 clumps:
  // c/(c-1) read 2000 over 1.9 s x 32/31, 1020 pps).
  std::vector<core::kernel_time> stalled;
  for (int k = 0; k < 5; ++k) {
    for (int i = 0; i < 100; ++i) stalled.push_back(kT0 + k * 100ms + i * 2us);
  }
  for (int piece = 0; piece < 26; ++piece) {
    for (int i = 0; i < 50; ++i) stalled.push_back(kT0 + 1750ms + piece * (100us + 300us) + i * 2us);
  }
  for (int k = 18; k < 20; ++k) {
    for (int i = 0; i < 100; ++i) stalled.push_back(kT0 + k * 100ms + i * 2us);
  }
  ASSERT_EQ(stalled.size(), 2000u);
  const auto sc = stream_of(stalled);
  EXPECT_NEAR(sc["rate_span_s"].get<double>(), 1.9, 1e-12);
  EXPECT_NEAR(sc["rate_pps"].get<double>(), 1000.0, 1000.0 * 0.01) << sc;
}

// A 100 kpps sender sends batches of 8 every 80 us (gaps far under 100 us:
// one clump), with two hiccups: a batch 300 us late, sent with the three
// that fell due meanwhile (32 at once), and the schedule kept. The first
// hiccup gives a gap (372 us) to measure by, and no clump lasts longer than
// a quarter of it: the batches after it are clumps of one or two, the last
// clump is the last batch, and the rate is the 99,992 sends before it over
// the 0.99992 s to it, 100,000 pps, wherever the hiccups were (a
// rule that left out one long last clump read 99,940 and 99,502 pps here,
// and up to 28 % off for a sender that fell behind: see the next test).
TEST(Report, ClumpClockRatesAFastSenderWithHiccups) {
  for (const auto& [first, second] : {std::pair{1250, 6250}, std::pair{625, 750}}) {  // batch numbers
    tools::clump_clock c;
    const auto at = [](int batch) { return std::chrono::nanoseconds(80us * batch).count(); };
    for (int k = 0; k < 12'500; ++k) {  // 100,000 sends
      if (k == first || k == second) {
        const auto late = at(k) + std::chrono::nanoseconds(300us).count();
        c.add(late, 32, late + std::chrono::nanoseconds(32us).count());
        k += 3;
        continue;
      }
      c.add(at(k), 8, at(k) + std::chrono::nanoseconds(8us).count());
    }
    EXPECT_EQ(c.count, 100'000u);
    EXPECT_EQ(c.clump_count, 8u) << "the last batch is the last clump";
    const auto [n, span] = c.rate();
    EXPECT_EQ(n, 99'992.0);
    EXPECT_NEAR(span, static_cast<double>(at(12'499)) / 1e9, 1e-12);
    EXPECT_NEAR(n / span, 100'000.0, 1e-6) << "the hiccups at batches " << first << " and " << second;
  }
}

// trial20e: a sender that falls behind sends without pause to the end. By
// a rule that left the last clump out, the whole catch-up was that clump:
// paced at 1 ms for 100 ms, then 1,000 datagrams 10 us apart read 1000 pps,
// though the stream delivered 1,100 in 110 ms. No clump lasts longer than
// a quarter of the gap before it (a clump that hit that length passes the
// gap on), so the catch-up is clumps of 250 us and the rate within 1 % of
// what the stream delivered over its span (9,902 pps; 9,992 is 1,099 over
// the 109.99 ms).
TEST(Report, ASenderThatFellBehindReadsWhatItDelivered) {
  std::vector<core::kernel_time> behind;
  for (int i = 0; i < 100; ++i) behind.push_back(kT0 + i * 1ms);
  for (int i = 0; i < 1000; ++i) behind.push_back(kT0 + 100ms + i * 10us);
  const auto b = stream_of(behind);
  const double span = seconds(100ms + 999 * 10us);
  EXPECT_NEAR(b["rate_pps"].get<double>(), 1099 / span, 1099 / span * 0.01) << b;
  EXPECT_NEAR(b["rate_span_s"].get<double>(), span, 250e-6) << b;
  // The sender's clock alike (batches of 64 back to back after the pause).
  tools::clump_clock sends;
  for (int i = 0; i < 100; ++i) sends.add(std::chrono::nanoseconds(1ms * i).count());
  for (int k = 0; k < 16; ++k) {
    const auto start = std::chrono::nanoseconds(100ms + k * 640us).count();
    sends.add(start, 64, start + std::chrono::nanoseconds(640us).count());
  }
  const auto [n, sspan] = sends.rate();
  EXPECT_EQ(n, 100.0 + 15 * 64) << "all but the last batch";
  EXPECT_NEAR(sspan, seconds(100ms + 15 * 640us), 1e-12);
}

// trial20e: bursts of 10 at 0, 1, 2 and 2.2 s. A cut comes within 50 ms of
// its burst's start; the burst 0.2 s after the one at 2 s is a burst of its
// own (four clumps: the 30 before the last over 2.2 s), not a piece of the
// one at 2 s (which read 20 over 2 s, 10 pps, as if the 40 had come in 2 s).
TEST(Report, APieceMoreThan50msAfterItsBurstIsABurstOfItsOwn) {
  std::vector<core::kernel_time> bursts;
  for (const auto start : {0ms, 1000ms, 2000ms, 2200ms}) {
    for (int i = 0; i < 10; ++i) bursts.push_back(kT0 + start + i * 2us);
  }
  const auto b = stream_of(bursts);
  EXPECT_NEAR(b["rate_span_s"].get<double>(), 2.2, 1e-12) << b;
  EXPECT_NEAR(b["rate_pps"].get<double>(), 30 / 2.2, 1e-9) << b;
  // 40 ms after the burst's start it is still a cut: 20 over 2 s.
  std::vector<core::kernel_time> cut;
  for (const auto start : {0ms, 1000ms, 2000ms, 2040ms}) {
    for (int i = 0; i < 10; ++i) cut.push_back(kT0 + start + i * 2us);
  }
  EXPECT_NEAR(stream_of(cut)["rate_pps"].get<double>(), 10.0, 1e-9);
}

// trial20f: a 1000 pps sender stopped 0.5 s in for 5 s caught up at once
// and the run ended: the catch-up (1,500 of 2,000) was the last clump, and
// leaving it out read 500 over the 5.5 s to it, 86-91 pps, while the sender
// said 363. A last clump of more than half the datagrams is no last burst:
// (N-1) over the span, the average over the stream's life. Two bursts (the
// last exactly half) still read B/T.
TEST(Report, ACatchUpThatEndedTheRunReadsTheAverage) {
  std::vector<core::kernel_time> stalled;
  for (int i = 0; i < 500; ++i) stalled.push_back(kT0 + i * 1ms);
  for (int i = 0; i < 1500; ++i) stalled.push_back(kT0 + 5500ms + i * 2us);
  const auto s = stream_of(stalled);
  const double span = seconds(5500ms + 1499 * 2us);
  EXPECT_NEAR(s["rate_span_s"].get<double>(), span, 1e-12) << s;
  EXPECT_NEAR(s["rate_pps"].get<double>(), 1999 / span, 1e-9) << s;
  std::vector<core::kernel_time> two;
  for (int k = 0; k < 2; ++k) {
    for (int i = 0; i < 100; ++i) two.push_back(kT0 + k * 100ms + i * 2us);
  }
  EXPECT_NEAR(stream_of(two)["rate_pps"].get<double>(), 1000.0, 1e-9);
}

// A last burst cut twice (or more): each piece of two datagrams or more
// keeps the next cut while the burst is young (under 50 ms and the gap
// before it), so the whole burst is the last clump and the rate ends at its
// start, 400 over 0.4 s (counting its head read 470 over 0.406 s, 1158 pps).
// So does a burst whose first datagram came alone, then two cuts (trial20e:
// 1155 pps in 3 of 7 runs). The sender's clock does the same with its
// batches.
TEST(Report, ALastBurstCutSeveralTimesIsOneClump) {
  for (const auto& pieces : {std::vector<int>{40, 70}, std::vector<int>{1, 41, 70}, std::vector<int>{1, 20, 50, 80}}) {
    std::vector<core::kernel_time> bursts;
    for (int k = 0; k < 5; ++k) {
      for (int i = 0; i < 100; ++i) {
        auto cut = std::chrono::milliseconds(0);
        if (k == 4) {
          for (const auto edge : pieces) cut += i >= edge ? 3ms : 0ms;
        }
        bursts.push_back(kT0 + k * 100ms + i * 2us + cut);
      }
    }
    const auto b = stream_of(bursts);
    EXPECT_NEAR(b["rate_span_s"].get<double>(), 0.4, 1e-12) << pieces.size() << " cuts";
    EXPECT_NEAR(b["rate_pps"].get<double>(), 1000.0, 1e-9) << pieces.size() << " cuts";
  }

  tools::clump_clock sends;
  for (int k = 0; k < 5; ++k) {
    const auto start = std::chrono::nanoseconds(100ms * k).count();
    const auto pause = std::chrono::nanoseconds(k == 4 ? 3ms : 20us).count();
    const auto batch = std::chrono::nanoseconds(50us).count();
    sends.add(start, 40, start + batch);
    sends.add(start + batch + pause, 30, start + 2 * batch + pause);
    sends.add(start + 2 * batch + 2 * pause, 30);
  }
  const auto [n, span] = sends.rate();
  EXPECT_EQ(n, 400.0);
  EXPECT_NEAR(span, 0.4, 1e-12);
}

// The sender's summary counts its sends by the same rule (batches of a
// burst are one clump): -r 100pps -c 3 reads 100 pps (the 2 sends before
// the last over 20 ms), bursts B/T.
TEST(Report, ClumpClockRatesSendsAsTheReceiver) {
  tools::clump_clock paced;
  for (int i = 0; i < 3; ++i) paced.add(std::chrono::nanoseconds(10ms * i).count());
  const auto [n, span] = paced.rate();
  EXPECT_EQ(n, 2.0);
  EXPECT_NEAR(span, 0.02, 1e-12);
  tools::clump_clock bursts;
  // Bursts of 100 every 100 ms, sent as batches of 64 and 36 20 us apart.
  for (int k = 0; k < 5; ++k) {
    bursts.add(std::chrono::nanoseconds(100ms * k).count(), 64);
    bursts.add(std::chrono::nanoseconds(100ms * k + 20us).count(), 36);
  }
  const auto [bn, bspan] = bursts.rate();
  EXPECT_NEAR(bn / bspan, 1000.0, 1e-9);
  // A batch that takes longer than the gap to send: the next one, started
  // right after it ends, is of its clump (the gap is from its end).
  tools::clump_clock slow;
  for (int k = 0; k < 5; ++k) {
    const auto start = std::chrono::nanoseconds(100ms * k).count();
    slow.add(start, 64, start + std::chrono::nanoseconds(300us).count());
    slow.add(start + std::chrono::nanoseconds(310us).count(), 36, start + std::chrono::nanoseconds(480us).count());
  }
  const auto [sn, sspan] = slow.rate();
  EXPECT_EQ(sn, 400.0) << "the sends before the last burst";
  EXPECT_NEAR(sspan, 0.4, 1e-12);
  // The last burst's batches 3 ms apart (the sender preempted): one clump.
  tools::clump_clock cut;
  for (int k = 0; k < 5; ++k) {
    const auto start = std::chrono::nanoseconds(100ms * k).count();
    const auto pause = std::chrono::nanoseconds(k == 4 ? 3ms : 20us).count();
    cut.add(start, 64, start + std::chrono::nanoseconds(50us).count());
    cut.add(start + std::chrono::nanoseconds(50us).count() + pause, 36);
  }
  const auto [cn, cspan] = cut.rate();
  EXPECT_EQ(cn, 400.0);
  EXPECT_NEAR(cspan, 0.4, 1e-12);
  tools::clump_clock single;
  single.add(5, 1);
  EXPECT_EQ(single.rate().second, 0.0) << "one send has no span";
  EXPECT_EQ(tools::clump_clock{}.rate().second, 0.0);
}

// RFC 3550's jitter needs two transit times compared: with none it is
// unknown (null, "jitter -" in text, an empty CSV cell), not 0 (trial20q 2).
TEST(Report, JitterWithoutTwoSamplesIsNull) {
  const auto one = stream_of({kT0});
  EXPECT_TRUE(one["jitter_ns"].is_null()) << one;
  EXPECT_NE(tools::stream_text(one).find("  jitter -"), std::string::npos) << tools::stream_text(one);
  const auto cells = split(tools::csv_row("summary", 1.0, one));
  const auto header = split(tools::csv_header());
  const auto at = std::find(header.begin(), header.end(), "jitter_ns") - header.begin();
  ASSERT_LT(static_cast<std::size_t>(at), cells.size());
  EXPECT_EQ(cells[static_cast<std::size_t>(at)], "");
  // Every send time a clock error (0: the epoch): no transit time at all.
  tools::stream_table t;
  for (int i = 0; i < 5; ++i) {
    t.add(kGroup, 5000, kSource, datagram(static_cast<std::uint64_t>(i), core::kernel_time{}), kT0 + i * 1ms, 1, 0, 2);
  }
  const auto& [key, s] = *t.streams().begin();
  const auto c = tools::stream_json(key, s, tools::interface_json(2, "eth0"));
  EXPECT_EQ(c["clock_errors"], 5);
  EXPECT_TRUE(c["jitter_ns"].is_null()) << c;
  EXPECT_TRUE(c["latency_ns"].is_null()) << c;
  EXPECT_EQ(errors(report(c)), std::vector<std::string>{});
  // Two samples make it known.
  const auto two = stream_of({kT0, kT0 + 1ms});
  EXPECT_TRUE(two["jitter_ns"].is_number()) << two;
}

// trial20q 6: silent channels of consecutive groups are named as runs.
// next_group() carries across bytes (IPv6 too) and stops at the end of the
// address space; a run keeps one port, interface, mode and sources.
TEST(Report, ConsecutiveChannelsMakeRuns) {
  const auto addr = [](const char* a) { return *core::ip_address::parse(a); };
  EXPECT_TRUE(tools::next_group(addr("239.1.1.255"), addr("239.1.2.0")));
  EXPECT_FALSE(tools::next_group(addr("239.1.1.1"), addr("239.1.1.3")));
  EXPECT_FALSE(tools::next_group(addr("255.255.255.255"), addr("0.0.0.0")));
  EXPECT_TRUE(tools::next_group(addr("ff3e::ff"), addr("ff3e::100")));
  EXPECT_TRUE(tools::next_group(addr("ff3e::1:ffff"), addr("ff3e::2:0")));
  EXPECT_FALSE(tools::next_group(addr("ff3e::ff"), addr("ff3e::1:0")));
  EXPECT_FALSE(tools::next_group(addr("239.1.1.1"), addr("ff3e::2")));
  const auto channel = [](const char* g, int port, const char* iface) {
    return json{{"group", g}, {"port", port}, {"mode", "any"}, {"sources", json::array()},
                {"interface", {{"name", iface}, {"index", 2}}}};
  };
  const std::vector<json> channels{channel("239.1.1.2", 5000, "eth0"), channel("239.1.1.3", 5000, "eth0"),
                                   channel("239.1.1.4", 5000, "eth0"), channel("239.1.1.5", 5001, "eth0"),
                                   channel("239.1.1.6", 5001, "eth0"), channel("239.1.1.7", 5001, "eth1"),
                                   channel("ff3e::9", 5000, "eth0")};
  std::vector<const json*> of;
  for (const auto& c : channels) of.push_back(&c);
  const auto runs = tools::channel_runs(of);
  ASSERT_EQ(runs.size(), 4u);
  EXPECT_EQ(runs[0].first, 0u);
  EXPECT_EQ(runs[0].count, 3u);
  EXPECT_EQ(runs[1].count, 2u) << "another port: another run";
  EXPECT_EQ(runs[2].count, 1u) << "another interface";
  EXPECT_EQ(tools::channel_run_name(channels[0], channels[2]), "239.1.1.2:5000 to 239.1.1.4:5000 on eth0");
  EXPECT_EQ(tools::channel_run_name(channels[5], channels[5]), "239.1.1.7:5001 on eth1");
  // `same` splits a run too.
  const auto split_at_4 = tools::channel_runs(of, [](const json&, const json& c) { return c["group"] != "239.1.1.4"; });
  EXPECT_EQ(split_at_4[0].count, 2u);
}

// Trial t20r F6: two SSM sources of the same groups (S1 on 232.1.1.1 to
// .6, S2 on 232.1.1.1 to .3), sorted by group, interleave: ordered by join,
// each source's groups are one run.
TEST(Report, ChannelsOfTwoSourcesSharingGroupsRunPerSource) {
  const auto channel = [](std::string g, const char* source) {
    return json{{"group", g}, {"port", 5000}, {"mode", "include"}, {"sources", json::array({source})},
                {"interface", {{"name", "eth0"}, {"index", 2}}}};
  };
  std::vector<json> channels;
  for (int i = 1; i <= 6; ++i) {
    channels.push_back(channel("232.1.1." + std::to_string(i), "10.77.0.1"));
    if (i <= 3) channels.push_back(channel("232.1.1." + std::to_string(i), "10.77.0.3"));
  }
  std::vector<const json*> of;
  for (const auto& c : channels) of.push_back(&c);
  EXPECT_EQ(tools::channel_runs(of).size(), 7u) << "interleaved, as they come sorted by group";
  tools::order_by_join(of);
  const auto runs = tools::channel_runs(of);
  ASSERT_EQ(runs.size(), 2u);
  EXPECT_EQ(runs[0].count, 6u);
  EXPECT_EQ(runs[1].count, 3u);
  EXPECT_EQ(tools::channel_run_name(*of[0], *of[5]), "232.1.1.1:5000 to 232.1.1.6:5000 on eth0 include 10.77.0.1");
  EXPECT_EQ(tools::channel_run_name(*of[6], *of[8]), "232.1.1.1:5000 to 232.1.1.3:5000 on eth0 include 10.77.0.3");
}

TEST(Report, DurationsForPeople) {
  // A span as stream lines and interval headers say it (trial t20y L3).
  EXPECT_EQ(tools::span_text(1.0394), "1.039 s");
  EXPECT_EQ(tools::span_text(0.9995), "1.000 s");
  EXPECT_EQ(tools::span_text(0.963), "963 ms");
  EXPECT_EQ(tools::span_text(0.00005), "50.0 us");
  EXPECT_EQ(tools::span_text(0), "0.000 s");
  EXPECT_EQ(tools::duration_text(850), "850 ns");
  EXPECT_EQ(tools::duration_text(0), "0 ns");
  EXPECT_EQ(tools::duration_text(12'345), "12.3 us");
  EXPECT_EQ(tools::duration_text(999'999), "1.00 ms") << "the unit is chosen after rounding";
  EXPECT_EQ(tools::duration_text(1.5e6), "1.50 ms");
  EXPECT_EQ(tools::duration_text(2e9), "2.00 s");
  EXPECT_EQ(tools::duration_text(125e9), "125 s");
  EXPECT_EQ(tools::duration_text(-40'000), "-40.0 us") << "a negative latency keeps its sign";
}

TEST(Report, RatesForPeople) {
  EXPECT_EQ(tools::packet_rate_text(json(1000.0)), "1000 pps");
  EXPECT_EQ(tools::packet_rate_text(json(10.0)), "10.0 pps");
  EXPECT_EQ(tools::packet_rate_text(json(99.7)), "99.7 pps") << "three digits, as the bit rate has (trial20g 12)";
  EXPECT_EQ(tools::packet_rate_text(json(99.96)), "100 pps");
  EXPECT_EQ(tools::packet_rate_text(json(998.6)), "999 pps");
  EXPECT_EQ(tools::packet_rate_text(json(9.996)), "10.0 pps");
  EXPECT_EQ(tools::packet_rate_text(json(2.5)), "2.50 pps");
  EXPECT_EQ(tools::packet_rate_text(json(0.25)), "0.250 pps") << "a slow stream is not 0 pps";
  EXPECT_EQ(tools::packet_rate_text(json(0.0014)), "0.00140 pps") << "three significant digits below 1";
  EXPECT_EQ(tools::packet_rate_text(json(0.012345)), "0.0123 pps");
  EXPECT_EQ(tools::packet_rate_text(json(0.99949)), "0.999 pps");
  EXPECT_EQ(tools::packet_rate_text(json(0.0)), "0 pps");
  EXPECT_EQ(tools::packet_rate_text(json(nullptr)), "- pps");
  EXPECT_EQ(tools::bit_rate_text(json(800.0)), "800 bit/s");
  EXPECT_EQ(tools::bit_rate_text(json(64'000.0)), "64.0 kbit/s");
  EXPECT_EQ(tools::bit_rate_text(json(800'000.0)), "800 kbit/s");
  EXPECT_EQ(tools::bit_rate_text(json(1.5e6)), "1.50 Mbit/s");
  EXPECT_EQ(tools::bit_rate_text(json(12.34e9)), "12.3 Gbit/s");
  EXPECT_EQ(tools::bit_rate_text(json(4.2e12)), "4200 Gbit/s");
  // Three significant digits below 1 bit/s too (trial20o L7: "0.80 bit/s").
  EXPECT_EQ(tools::bit_rate_text(json(0.5)), "0.500 bit/s");
  EXPECT_EQ(tools::bit_rate_text(json(0.8)), "0.800 bit/s");
  EXPECT_EQ(tools::bit_rate_text(json(0.01234)), "0.0123 bit/s");
  EXPECT_EQ(tools::bit_rate_text(json(5.0)), "5.00 bit/s");
  EXPECT_EQ(tools::bit_rate_text(json(nullptr)), "- bit/s");
  // The unit is chosen after rounding.
  EXPECT_EQ(tools::bit_rate_text(json(999'999.9)), "1.00 Mbit/s");
  EXPECT_EQ(tools::bit_rate_text(json(999.4)), "999 bit/s");
  EXPECT_EQ(tools::bit_rate_text(json(9'996.0)), "10.0 kbit/s");
  EXPECT_EQ(tools::bit_rate_text(json(99'960.0)), "100 kbit/s");
  EXPECT_EQ(tools::packet_rate_text(json(9.996)), "10.0 pps");
  EXPECT_EQ(tools::packet_rate_text(json(0.9996)), "1.00 pps");
}

// A percentage against a limit: two decimals, three significant digits
// below 1, and more while the figure would read as the limit.
TEST(Report, PercentagesShowWhichSideOfTheLimitTheyAreOn) {
  EXPECT_EQ(tools::percent_text(100.0 / 30'000, 0.001), "0.00333");
  EXPECT_EQ(tools::percent_text(100.0 / 11, 5), "9.09");
  EXPECT_EQ(tools::percent_text(57.28, 1), "57.28");
  EXPECT_EQ(tools::percent_text(5.0004, 5), "5.0004") << "not 5.00 above 5";
  EXPECT_EQ(tools::percent_text(4.9996, 5), "4.9996") << "not 5.00 below 5";
  EXPECT_EQ(tools::percent_text(0.0014, 0.001), "0.00140");
  EXPECT_EQ(tools::percent_text(0.0, 0), "0.00");
  EXPECT_EQ(tools::percent_text(10.0, 9.5), "10.00");
}

TEST(Report, ForeignStreamHasNullsNotAbsences) {
  tools::stream_table t;
  const std::array<std::byte, 12> iperf_like{};
  t.add(kGroup, 5001, kSource, iperf_like, kT0, -1, -1);
  const auto& [key, s] = *t.streams().begin();
  const auto j = tools::stream_json(key, s, tools::interface_json(0, ""));
  EXPECT_EQ(errors(report(j)), std::vector<std::string>{});
  for (const char* k : {"sender_id", "session", "lost", "reordered", "duplicates", "ttl", "tos", "latency_ns",
                        "jitter_ns", "first_packet_ms"}) {
    ASSERT_TRUE(j.contains(k)) << k;
    EXPECT_TRUE(j[k].is_null()) << k;
  }
  EXPECT_TRUE(j["interface"]["name"].is_null());
  EXPECT_TRUE(j["interface"]["index"].is_null());
}

TEST(Report, IntervalDeltasAndBeforeIsAdvanced) {
  tools::stream_table t;
  tools::totals before;
  for (std::uint64_t seq = 0; seq < 10; ++seq) t.add(kGroup, 5000, kSource, datagram(seq, kT0), kT0, 1, 0);
  const auto& [key, s] = *t.streams().begin();
  auto first = tools::stream_delta_json(key, s, before, 1.0, tools::interface_json(2, "eth0"));
  EXPECT_EQ(first["packets"], 10);
  EXPECT_EQ(before.packets, 10u);
  // 12 .. 14: the gap is a claim the stream may take back (issue 16:
  // an interval shows only the loss decided), shown once the feed went on
  // 8 numbers past it.
  for (std::uint64_t seq = 12; seq < 15; ++seq) t.add(kGroup, 5000, kSource, datagram(seq, kT0), kT0, 1, 0);
  auto waiting = tools::stream_delta_json(key, s, before, 0.5, tools::interface_json(2, "eth0"));
  EXPECT_EQ(waiting["lost"], 0) << "10 and 11 missing, the gap in doubt";
  for (std::uint64_t seq = 15; seq < 25; ++seq) t.add(kGroup, 5000, kSource, datagram(seq, kT0), kT0, 1, 0);
  auto second = tools::stream_delta_json(key, s, before, 0.5, tools::interface_json(2, "eth0"));
  EXPECT_EQ(second["packets"], 10);
  EXPECT_EQ(second["rate_pps"], 20.0) << "an interval's rates are over the interval";
  EXPECT_EQ(second["rate_span_s"], 0.5);
  EXPECT_EQ(second["lost"], 2) << "10 and 11 missing so far, decided";
  t.add(kGroup, 5000, kSource, datagram(10, kT0), kT0, 1, 0);
  t.add(kGroup, 5000, kSource, datagram(11, kT0), kT0, 1, 0);
  auto third = tools::stream_delta_json(key, s, before, 1.0, tools::interface_json(2, "eth0"));
  EXPECT_EQ(third["lost"], -2) << "late arrivals fill the gaps counted before";
  EXPECT_EQ(third["reordered"], 2);
  json interval = report(third);
  interval["event"] = "interval";
  EXPECT_EQ(errors(interval), std::vector<std::string>{});
  // A lone number past the provisional gap is a jump until the numbers
  // after it prove it (epoch_proof of them, inside the window too): then it
  // leaves the jumps, and the interval says -1, not 2^64 - 1.
  t.add(kGroup, 5000, kSource, datagram(3000, kT0), kT0, 1, 0);
  auto fourth = tools::stream_delta_json(key, s, before, 1.0, tools::interface_json(2, "eth0"));
  EXPECT_EQ(fourth["jumps"], 1);
  EXPECT_EQ(fourth["lost"], 0) << "not before it is followed";
  for (std::uint64_t seq = 3001; seq < 3000 + feed::sequence_tracker::epoch_proof; ++seq) {
    t.add(kGroup, 5000, kSource, datagram(seq, kT0), kT0, 1, 0);
  }
  auto fifth = tools::stream_delta_json(key, s, before, 1.0, tools::interface_json(2, "eth0"));
  EXPECT_EQ(fifth["jumps"], -1);
  EXPECT_EQ(fifth["lost"], 3000 - 25);
  json followed = report(fifth);
  followed["event"] = "interval";
  EXPECT_EQ(errors(followed), std::vector<std::string>{});
}

// An interval's rate is its datagrams over its length: an interval with
// one datagram has a rate "over" the interval; "(one datagram: no rate)" is
// the summary's, for a stream of one datagram.
TEST(Report, AnIntervalWithOneDatagramHasItsRateOverTheInterval) {
  tools::stream_table t;
  (void)t.add(kGroup, 5000, kSource, datagram(0, kT0), kT0, 1, 0, 2);
  (void)t.add(kGroup, 5000, kSource, datagram(1, kT0), kT0 + 1s, 1, 0, 2);
  const auto& [key, s] = *t.streams().begin();
  tools::totals before;
  before.packets = 1;
  before.bytes = 100;
  const auto j = tools::stream_delta_json(key, s, before, 2.0, tools::interface_json(2, "eth0"));
  EXPECT_EQ(j["packets"], 1);
  EXPECT_DOUBLE_EQ(j["rate_pps"].get<double>(), 0.5);
  const auto line = tools::stream_text(j);
  EXPECT_NE(line.find(": 1 packet 100 bytes 0.500 pps 400 bit/s over 2.000 s"), std::string::npos) << line;
  EXPECT_EQ(line.find("one datagram"), std::string::npos) << line;
}

TEST(Report, PacketEventsConform) {
  tools::stream_table t;
  const tools::packet_view p{1.7e9, kSource, kGroup, 5000, 100, 1, 0, 2};
  const auto a = t.add(kGroup, 5000, kSource, datagram(7, kT0), kT0 + 20us, 1, 0, 2);
  const auto j = tools::packet_json(p, a, tools::interface_json(2, "eth0"));
  EXPECT_EQ(errors(j), std::vector<std::string>{});
  EXPECT_EQ(j["seq"], 7);
  EXPECT_EQ(j["latency_ns"], 20'000);
  EXPECT_FALSE(j.contains("end"));
  const auto e = t.add(kGroup, 5000, kSource, datagram(8, kT0, true), kT0, 1, 0, 2);
  const auto end = tools::packet_json(p, e, tools::interface_json(2, "eth0"));
  EXPECT_EQ(errors(end), std::vector<std::string>{});
  EXPECT_EQ(end["end"], true);
  const std::array<std::byte, 8> foreign{};
  const auto f = t.add(kGroup, 5000, kSource, foreign, kT0, -1, -1, 2);
  const auto fj = tools::packet_json({1.7e9, kSource, kGroup, 5000, 8, -1, -1, 2}, f, tools::interface_json(2, "eth0"));
  EXPECT_EQ(errors(fj), std::vector<std::string>{});
  EXPECT_TRUE(fj["seq"].is_null());
  EXPECT_TRUE(fj["ttl"].is_null());
  EXPECT_NE(tools::packet_text(p, a, "eth0").find("seq 7"), std::string::npos) << tools::packet_text(p, a, "eth0");
  EXPECT_NE(tools::packet_text(p, f, "eth0").find("foreign"), std::string::npos);
}

// A datagram whose header's length field is not its size is counted in its
// mcnet stream's length_errors: the packet event and the text line say so
// and show no number (seq null, "seq -"), and it is not malformed (that is
// a raw stream's count); an END so cut shows no count.
TEST(Report, LengthErrorsAreShownAsCounted) {
  tools::stream_table t;
  (void)t.add(kGroup, 5000, kSource, datagram(1, kT0), kT0 + 20us, 1, 0, 2);
  auto cut = datagram(500, kT0);
  const auto a = t.add(kGroup, 5000, kSource, std::span(cut).first(64), kT0 + 20us, 1, 0, 2);
  const tools::packet_view p{1.7e9, kSource, kGroup, 5000, 64, 1, 0, 2};
  const auto j = tools::packet_json(p, a, tools::interface_json(2, "eth0"));
  EXPECT_EQ(errors(j), std::vector<std::string>{});
  EXPECT_TRUE(j["seq"].is_null()) << j;
  EXPECT_EQ(j["length_error"], true) << j;
  EXPECT_FALSE(j.contains("malformed")) << j;
  const auto text = tools::packet_text(p, a, "eth0");
  EXPECT_NE(text.find("seq - id 9 session 4 (length field 100 of 64 bytes: a length error"), std::string::npos)
      << text;
  EXPECT_EQ(text.find("seq 500"), std::string::npos) << text;
  auto end = datagram(2, kT0, true);  // the header alone, its length field made to lie
  feed::test_header lying = feed::test_header::parse(end).value();
  lying.length = 100;
  ASSERT_TRUE(lying.build(end).has_value());
  const auto e = t.add(kGroup, 5000, kSource, end, kT0, 1, 0, 2);
  const tools::packet_view pe{1.7e9, kSource, kGroup, 5000, 40, 1, 0, 2};
  const auto ej = tools::packet_json(pe, e, tools::interface_json(2, "eth0"));
  EXPECT_EQ(errors(ej), std::vector<std::string>{});
  EXPECT_TRUE(ej["seq"].is_null()) << ej;
  EXPECT_EQ(ej["end"], true) << ej;
  EXPECT_EQ(ej["length_error"], true) << ej;
  EXPECT_NE(tools::packet_text(pe, e, "eth0").find("END after - (length field 100 of 40 bytes"), std::string::npos)
      << tools::packet_text(pe, e, "eth0");
  ASSERT_EQ(t.streams().size(), 1u) << "one mcnet stream, no raw one";
  EXPECT_EQ(t.streams().begin()->second.length_errors, 2u);
  EXPECT_EQ(t.malformed(), 0u);
}

TEST(Report, CsvRowsLineUpWithTheHeader) {
  tools::stream_table t;
  for (std::uint64_t seq = 0; seq < 4; ++seq) t.add(kGroup, 5000, kSource, datagram(seq, kT0), kT0 + 10us, 3, 0x28, 2);
  const std::array<std::byte, 8> foreign{};
  t.add(kGroup, 5001, kSource, foreign, kT0, 3, 0, 2);
  auto header = tools::csv_header();
  ASSERT_EQ(header.back(), '\n');
  header.pop_back();
  const auto names = split(header);
  EXPECT_EQ(names.front(), "event");
  for (const auto& [key, s] : t.streams()) {
    const auto j = tools::stream_json(key, s, tools::interface_json(2, "eth0"));
    auto row = tools::csv_row("summary", 1.7e9, j);
    ASSERT_EQ(row.back(), '\n');
    row.pop_back();
    const auto cells = split(row);
    ASSERT_EQ(cells.size(), names.size()) << row;
    std::map<std::string, std::string> by_name;
    for (std::size_t i = 0; i < names.size(); ++i) by_name[names[i]] = cells[i];
    EXPECT_EQ(by_name["event"], "summary");
    EXPECT_EQ(by_name["group"], "239.255.60.1");
    EXPECT_EQ(by_name["interface_name"], "eth0");
    EXPECT_EQ(by_name["ttl"], "3");
    if (key.foreign) {
      EXPECT_EQ(by_name["sender_id"], "") << "null is an empty cell";
      EXPECT_EQ(by_name["latency_p50_ns"], "");
      EXPECT_EQ(by_name["packets"], "1");
    } else {
      EXPECT_EQ(by_name["sender_id"], "9");
      EXPECT_EQ(by_name["packets"], "4");
      EXPECT_EQ(by_name["lost"], "0");
      EXPECT_FALSE(by_name["latency_p50_ns"].empty());
    }
    EXPECT_EQ(by_name["join_mode"], "") << "a stream row has no join";
  }
  // A joined channel that received nothing: its join's mode and sources,
  // so an exclude join does not read as an any-source one (trial20i 10).
  const json channel{{"group", "239.1.1.9"},
                            {"port", 5000},
                            {"interface", tools::interface_json(2, "eth0")},
                            {"mode", "exclude"},
                            {"sources", {"10.77.120.3", "10.77.120.4"}},
                            {"packets", 0},
                            {"first_packet_ms", nullptr}};
  auto row = tools::channel_csv_row("summary", 1.7e9, channel);
  row.pop_back();
  const auto cells = split(row);
  ASSERT_EQ(cells.size(), names.size()) << row;
  std::map<std::string, std::string> by_name;
  for (std::size_t i = 0; i < names.size(); ++i) by_name[names[i]] = cells[i];
  EXPECT_EQ(by_name["join_mode"], "exclude") << row;
  EXPECT_EQ(by_name["join_sources"], "10.77.120.3 10.77.120.4") << row;
  EXPECT_EQ(by_name["source"], "") << "an exclude join names no source of the channel: " << row;
  EXPECT_EQ(by_name["packets"], "0") << row;
  EXPECT_EQ(by_name["end_markers"], "") << "a channel without the count: " << row;
  // Its END markers of streams never seen, with their senders (trial20k 3):
  // in CSV and on its text line.
  json marked = channel;
  marked["end_markers"] = 3;
  marked["end_marker_sources"] = {"10.77.120.3", "10.77.120.5"};
  row = tools::channel_csv_row("summary", 1.7e9, marked);
  row.pop_back();
  const auto marked_cells = split(row);
  ASSERT_EQ(marked_cells.size(), names.size()) << row;
  for (std::size_t i = 0; i < names.size(); ++i) by_name[names[i]] = marked_cells[i];
  EXPECT_EQ(by_name["end_markers"], "3") << row;
  EXPECT_EQ(by_name["end_marker_sources"], "10.77.120.3 10.77.120.5") << row;
  EXPECT_EQ(tools::channel_text(marked),
            "  239.1.1.9:5000 on eth0 exclude 10.77.120.3,10.77.120.4: 0 packets, first packet none, 3 END markers of "
            "streams never seen from 10.77.120.3, 10.77.120.5");
  marked["end_markers"] = 0;
  EXPECT_EQ(tools::channel_text(marked), "  239.1.1.9:5000 on eth0 exclude 10.77.120.3,10.77.120.4: 0 packets, first "
                                         "packet none");
}

// trial20e: CSV printed numbers with three decimals, so a 40 us span read
// 0.000 and a rate of 0.0014 pps 0.001. Fixed point to nine decimals,
// trailing zeros dropped.
TEST(Report, CsvNumbersKeepTheirDigits) {
  auto header = tools::csv_header();
  header.pop_back();
  const auto names = split(header);
  const auto cell_of = [&](const json& j, const std::string& name) {
    auto row = tools::csv_row("summary", 1.5, j);
    row.pop_back();
    const auto cells = split(row);
    for (std::size_t i = 0; i < names.size() && i < cells.size(); ++i) {
      if (names[i] == name) return cells[i];
    }
    return std::string("(no column)");
  };
  const auto burst = stream_of({kT0, kT0 + 10us, kT0 + 20us, kT0 + 30us, kT0 + 40us});
  EXPECT_EQ(cell_of(burst, "rate_span_s"), "0.00004");
  EXPECT_EQ(cell_of(burst, "rate_pps"), "100000");
  const auto slow = stream_of({kT0, kT0 + 1000s});
  EXPECT_EQ(cell_of(slow, "rate_pps"), "0.001");
  const auto slower = stream_of({kT0, kT0 + 714s + 285714us});
  EXPECT_EQ(cell_of(slower, "rate_pps").substr(0, 6), "0.0014") << cell_of(slower, "rate_pps");
  EXPECT_EQ(cell_of(slower, "rate_span_s"), "714.285714");
}

// TOS bytes as people name them: the byte in hex, the DSCP's name (or its
// number when it has none) and the ECN codepoint when set (RFC 2474, 2597,
// 3246, 3168, 5865, 8622).
TEST(Report, TosTextNamesTheDscpAndEcn) {
  EXPECT_EQ(tools::tos_text(0), "0x00 (cs0)");
  EXPECT_EQ(tools::tos_text(0xb8), "0xb8 (ef)");
  EXPECT_EQ(tools::tos_text(0x88), "0x88 (af41)");
  EXPECT_EQ(tools::tos_text(0x20), "0x20 (cs1)");
  EXPECT_EQ(tools::tos_text(0xb0), "0xb0 (va)");
  EXPECT_EQ(tools::tos_text(0x04), "0x04 (le)");
  EXPECT_EQ(tools::tos_text(0xb9), "0xb9 (ef, ECT(1))");
  EXPECT_EQ(tools::tos_text(0x02), "0x02 (cs0, ECT(0))");
  EXPECT_EQ(tools::tos_text(0xff), "0xff (dscp 63, CE)");
  EXPECT_EQ(tools::tos_text(0x14), "0x14 (dscp 5)");
  EXPECT_EQ(tools::tos_text(-1), "-");
}

// mcast-send's start line and event: the settings of the run.
TEST(Report, SendSettingsAreEchoed) {
  tools::send_settings s;
  s.ttl = 4;
  s.tos = 0x89;
  s.size = 1000;
  s.pace = tools::rate{.what = tools::rate::unit::bits, .per_second = 8e6};
  s.count = 50;
  EXPECT_EQ(tools::send_settings_text(s), "ttl 4, tos 0x89 (af41, ECT(1)), loop on, 1000 pps (8.00 Mbit/s) over all groups, "
                                          "50 datagrams per group");
  const auto j = tools::send_settings_json(s);
  EXPECT_EQ(j["dscp"], "af41");
  EXPECT_EQ(j["ecn"], "ECT(1)");
  EXPECT_EQ(j["rate_pps"], 1000.0);
  EXPECT_EQ(j["rate_bps"], 8e6);
  EXPECT_EQ(j["count"], 50);
  EXPECT_TRUE(j["duration_s"].is_null());
  s.pace.reset();
  s.count.reset();
  s.no_loop = true;
  s.burst = 8;
  s.tos = 0x14;
  EXPECT_EQ(tools::send_settings_text(s), "ttl 4, tos 0x14 (dscp 5), loop off, unpaced, bursts of 8, until a signal");
  EXPECT_EQ(tools::send_settings_json(s)["dscp"], "5");
  s.duration = 2.5;
  EXPECT_EQ(tools::send_settings_text(s), "ttl 4, tos 0x14 (dscp 5), loop off, unpaced, bursts of 8, for 2.5 s");
  s.replay = "run.pcap";
  EXPECT_EQ(tools::send_settings_text(s), "ttl 4, tos 0x14 (dscp 5), loop off");
}

TEST(Report, TextSaysWhatTheJsonSays) {
  tools::stream_table t;
  for (std::uint64_t seq : {0u, 2u}) t.add(kGroup, 5000, kSource, datagram(seq, kT0), kT0 + 10us, 3, 0x28, 2);
  const auto& [key, s] = *t.streams().begin();
  const auto line = tools::stream_text(tools::stream_json(key, s, tools::interface_json(2, "eth0")));
  for (const char* part : {"239.255.60.1:5000", "10.77.0.1", "id 9 session 4", "on eth0", "2 packets", "lost 1",
                           "ttl 3", "tos 0x28 (af11)", "latency"}) {
    EXPECT_NE(line.find(part), std::string::npos) << part << " in: " << line;
  }
}

TEST(Report, TextBracketsIpv6Groups) {
  tools::stream_table t;
  const auto group = core::ip_address::parse("ff1e::77:1").value();
  t.add(group, 5000, core::ip_address::parse("fd77::1").value(), datagram(0, kT0), kT0, 1, 0, 2);
  const auto& [key, s] = *t.streams().begin();
  const auto line = tools::stream_text(tools::stream_json(key, s, tools::interface_json(2, "eth0")));
  EXPECT_NE(line.find("[ff1e::77:1]:5000 from fd77::1"), std::string::npos) << line;
}

TEST(Report, InterfaceNamesByIndex) {
  tools::interface_names names;
  EXPECT_EQ(names.name(1), "lo");
  EXPECT_EQ(names.name(0), "");
  EXPECT_EQ(names.name(999'999), "");
}

}  // namespace

// trial20o L6: CSV carries the DSCP and ECN names text and JSON give; a
// channel row its untracked datagrams (H1), empty in stream rows.
// Trial t15r11 L6: past 8 groups, consecutive ones are ranges, so that a
// line about 3,000 groups says which they are, not the first 8.
TEST(Report, GroupListsPastEightAreRangesOfConsecutiveGroups) {
  EXPECT_EQ(tools::groups_and({"239.1.1.1", "239.1.1.2"}), "239.1.1.1 and 239.1.1.2");
  std::vector<std::string> many;
  for (int i = 1; i <= 3000; ++i) many.push_back(fmt::format("239.4.{}.{}", i / 256, i % 256));
  EXPECT_EQ(tools::groups_and(many), "239.4.0.1 to 239.4.11.184 (3000 consecutive groups)");
  std::vector<std::string> gaps{"239.1.1.1", "239.1.1.2", "239.1.1.3", "239.1.1.9", "ff3e::1", "ff3e::2",
                                "239.1.2.255", "239.1.3.0", "239.9.9.9"};
  EXPECT_EQ(tools::groups_and(gaps),
            "239.1.1.1 to 239.1.1.3 (3 consecutive groups), 239.1.1.9, ff3e::1 to ff3e::2 (2 consecutive groups), "
            "239.1.2.255 to 239.1.3.0 (2 consecutive groups) and 239.9.9.9");
  // Past 8 runs: how many more groups.
  std::vector<std::string> scattered;
  for (int i = 0; i < 12; ++i) scattered.push_back(fmt::format("239.2.{}.1", i));
  EXPECT_EQ(tools::groups_and(scattered), "239.2.0.1, 239.2.1.1, 239.2.2.1, 239.2.3.1, 239.2.4.1, 239.2.5.1, "
                                          "239.2.6.1, 239.2.7.1 and 4 more groups");
  // Not addresses: as names_and() lists them.
  std::vector<std::string> names{"a", "b", "c", "d", "e", "f", "g", "h", "i"};
  EXPECT_EQ(tools::groups_and(names), tools::names_and(names));
}

TEST(Report, CsvHasTheDscpAndEcnNamesAndAChannelsUntracked) {
  auto header = tools::csv_header();
  ASSERT_TRUE(header.ends_with(",tos_values,tos_others,dscp,ecn,untracked,conflict,timestamp_steps,clock_hz,clock_assumed,timestamp_rate_hz,clock_contradicted,stalled_at_end_s,tail_unknown,ended,back,unresumed\n")) << header;
  header.pop_back();
  const auto names = split(header);
  const auto at = [&](const std::string& name) {
    return static_cast<std::size_t>(std::find(names.begin(), names.end(), name) - names.begin());
  };
  tools::stream_table t;
  for (std::uint64_t seq = 0; seq < 3; ++seq) t.add(kGroup, 5000, kSource, datagram(seq, kT0), kT0 + 10us, 3, 0xb9, 2);
  const auto& [key, s] = *t.streams().begin();
  auto row = tools::csv_row("summary", 1.0, tools::stream_json(key, s, tools::interface_json(2, "eth0")));
  row.pop_back();
  const auto cells = split(row);
  ASSERT_EQ(cells.size(), names.size()) << row;
  EXPECT_EQ(cells[at("tos")], "185");
  EXPECT_EQ(cells[at("dscp")], "ef");
  EXPECT_EQ(cells[at("ecn")], "ECT(1)");
  EXPECT_EQ(cells[at("untracked")], "");
  const json channel{{"group", "239.255.60.1"}, {"port", 5000}, {"mode", "any"}, {"sources", json::array()},
                     {"interface", {{"name", "eth0"}, {"index", 2}}}, {"packets", 10}, {"untracked", 10},
                     {"first_packet_ms", 0.5}, {"rate_pps", nullptr}, {"rate_bps", nullptr}, {"end_markers", 0},
                     {"end_marker_sources", json::array()}};
  auto crow = tools::channel_csv_row("summary", 1.0, channel);
  crow.pop_back();
  const auto ccells = split(crow);
  ASSERT_EQ(ccells.size(), names.size()) << crow;
  EXPECT_EQ(ccells[at("packets")], "10");
  EXPECT_EQ(ccells[at("untracked")], "10");
  EXPECT_EQ(ccells[at("join_mode")], "any");
}

// trial20o M3: one unit a figure: the JSON total's lost, reordered and
// duplicates count datagrams, the MoldUDP64 streams' messages apart.
TEST(Report, TheTotalGivesDatagramsAndMoldUdp64MessagesApart) {
  tools::totals t;
  t.packets = 30;
  t.lost = 147;
  t.reordered = 5;
  t.duplicates = 4;
  t.sequenced = 30;
  t.mold_lost = 27;
  t.mold_reordered = 2;
  t.mold_duplicates = 1;
  t.mold_sequenced = 10;
  const auto j = tools::totals_json(t, 0);
  EXPECT_EQ(j["lost"], 120);
  EXPECT_EQ(j["reordered"], 3);
  EXPECT_EQ(j["duplicates"], 3);
  EXPECT_EQ(j["moldudp64"]["lost"], 27);
  EXPECT_EQ(j["moldudp64"]["reordered"], 2);
  EXPECT_EQ(j["moldudp64"]["duplicates"], 1);
  EXPECT_EQ(tools::datagram_counts(t).lost, 120u);
  // Only MoldUDP64 numbers: the datagram figures are unknown.
  t.sequenced = t.mold_sequenced;
  t.lost = t.mold_lost;
  const auto m = tools::totals_json(t, 0);
  EXPECT_TRUE(m["lost"].is_null()) << m;
  EXPECT_EQ(m["moldudp64"]["lost"], 27);
  // None: no moldudp64 object.
  EXPECT_TRUE(tools::totals_json({1, 2, 0, 0, 0}, 0)["moldudp64"].is_null());
}
