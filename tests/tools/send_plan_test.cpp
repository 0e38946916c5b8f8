// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The mcnet authors
//
// mcast-send's plan: fault injection exactly as docs/tools.md counts it (and as
// mcast-recv's sequence tracker counts it), rates, TOS and DSCP names.

#include <gtest/gtest.h>

#include <map>
#include <set>
#include <system_error>
#include <tuple>
#include <vector>

#include <mcnet/feed/sequence.hpp>
#include <mcnet/tools/send_plan.hpp>

namespace feed = mcnet::feed;
namespace tools = mcnet::tools;
using mcnet::errc;

namespace {

std::vector<std::uint64_t> run(std::uint64_t count, tools::faults f) {
  auto order = tools::send_order::make(count, f).value();
  std::vector<std::uint64_t> out;
  while (auto s = order.next()) out.push_back(*s);
  EXPECT_EQ(out.size(), order.datagrams());
  return out;
}

// What a receiver would count: packets, lost, duplicates, reordered.
struct tally {
  std::size_t packets = 0, lost = 0, duplicates = 0, reordered = 0;
};
tally receive(const std::vector<std::uint64_t>& sent, std::uint64_t count) {
  tally t;
  std::set<std::uint64_t> seen;
  std::uint64_t highest = 0;
  bool any = false;
  for (auto s : sent) {
    if (!seen.insert(s).second) {
      ++t.duplicates;
      continue;
    }
    ++t.packets;
    if (any && s < highest) ++t.reordered;
    if (!any || s > highest) highest = s;
    any = true;
  }
  t.lost = count - seen.size();
  return t;
}

TEST(SendOrder, PlainRunIsInOrder) {
  EXPECT_EQ(run(5, {}), (std::vector<std::uint64_t>{0, 1, 2, 3, 4}));
}

TEST(SendOrder, TheContractsCounts) {
  // -c 1000, K = 10: drop -> 900 packets, 100 lost; dup -> 100 duplicates;
  // reorder -> 99 reordered, 0 lost.
  auto drop = receive(run(1000, {.drop_every = 10}), 1000);
  EXPECT_EQ(drop.packets, 900u);
  EXPECT_EQ(drop.lost, 100u);
  auto dup = receive(run(1000, {.dup_every = 10}), 1000);
  EXPECT_EQ(dup.duplicates, 100u);
  EXPECT_EQ(dup.lost, 0u);
  auto reorder = receive(run(1000, {.reorder_every = 10}), 1000);
  EXPECT_EQ(reorder.reordered, 99u);
  EXPECT_EQ(reorder.lost, 0u);
  EXPECT_EQ(reorder.duplicates, 0u);
}

// mcast-recv's tracker (feed::sequence_tracker) counts what the send plan
// injected, the tail included once END gives the run's count.
TEST(SendOrder, TheReceiversTrackerCountsWhatTheSenderFaultsInjected) {
  for (auto [f, lost, dups, reordered] :
       {std::tuple{tools::faults{.drop_every = 10}, 100u, 0u, 0u}, std::tuple{tools::faults{.dup_every = 10}, 0u, 100u, 0u},
        std::tuple{tools::faults{.reorder_every = 10}, 0u, 0u, 99u}}) {
    auto order = tools::send_order::make(1000, f).value();
    feed::sequence_tracker t;
    while (auto s = order.next()) t.add(*s);
    t.end(1000);  // the END marker exposes a lost tail
    EXPECT_EQ(t.lost(), lost);
    EXPECT_EQ(t.duplicates(), dups);
    EXPECT_EQ(t.reordered(), reordered);
  }
}

TEST(SendOrder, WhichNumbers) {
  EXPECT_EQ(run(10, {.drop_every = 3}), (std::vector<std::uint64_t>{0, 1, 3, 4, 6, 7, 9})) << "2, 5, 8 dropped";
  EXPECT_EQ(run(6, {.dup_every = 3}), (std::vector<std::uint64_t>{0, 1, 2, 2, 3, 4, 5, 5}));
  EXPECT_EQ(run(7, {.reorder_every = 3}), (std::vector<std::uint64_t>{0, 1, 3, 2, 4, 6, 5}));
  EXPECT_EQ(run(6, {.reorder_every = 3}), (std::vector<std::uint64_t>{0, 1, 3, 2, 4, 5})) << "6 would be past the end";
}

TEST(SendOrder, IssuedCountsDroppedNumbersToo) {
  auto order = tools::send_order::make(10, {.drop_every = 5}).value();
  while (order.next()) {
  }
  EXPECT_EQ(order.issued(), 10u) << "END carries the run's count even when its last number was dropped";
}

// trial h16r HIGH 2: `-c 4000000000` took seconds to stop after SIGINT, and
// `-c 9223372036854775807` never did: the summary's "sent N of M" counted
// M by walking every sequence number of the run. datagrams() is a formula:
// exact against the walk for every mix of faults, and as quick for any count.
TEST(SendOrder, DatagramsAreCountedWithoutWalkingTheRun) {
  for (std::uint64_t count : {1u, 2u, 3u, 5u, 6u, 7u, 12u, 30u, 31u, 97u, 1000u}) {
    for (std::uint64_t drop : {0u, 2u, 3u, 4u, 6u, 7u}) {
      for (std::uint64_t dup : {0u, 2u, 3u, 4u, 6u, 9u}) {
        for (std::uint64_t reorder : {0u, 2u, 5u}) {
          const tools::faults f{drop, dup, reorder};
          auto order = tools::send_order::make(count, f).value();
          std::uint64_t walked = 0;
          while (order.next()) ++walked;
          EXPECT_EQ(tools::send_order::make(count, f).value().datagrams(), walked)
              << count << " drop " << drop << " dup " << dup << " reorder " << reorder;
        }
      }
    }
  }
  constexpr std::uint64_t most = 9223372036854775807ULL;  // -c's largest
  EXPECT_EQ(tools::send_order::make(most, {}).value().datagrams(), most);
  EXPECT_EQ(tools::send_order::make(most, {0, 2, 0}).value().datagrams(), most + most / 2);
  EXPECT_EQ(tools::send_order::make(most, {2, 0, 0}).value().datagrams(), most - most / 2);
  // Drop and dup on one number: it is not sent, so not twice either.
  EXPECT_EQ(tools::send_order::make(most, {2, 3, 0}).value().datagrams(), most - most / 2 + (most / 3 - most / 6));
  EXPECT_EQ(tools::send_order::make(4000000000ULL, {0, 0, 7}).value().datagrams(), 4000000000ULL);
  // Drop and dup whose common multiple is past any count.
  EXPECT_EQ(tools::send_order::make(most, {4294967311ULL, 4294967291ULL, 0}).value().datagrams(),
            most - most / 4294967311ULL + most / 4294967291ULL);
}

TEST(SendOrder, RefusesKOfOneAndAnEmptyRun) {
  EXPECT_FALSE(tools::send_order::make(10, {.drop_every = 1}));
  EXPECT_FALSE(tools::send_order::make(0, {}));
}

TEST(Rate, ParsesPacketsAndBits) {
  auto pps = tools::parse_rate("10000pps").value();
  EXPECT_EQ(pps.what, tools::rate::unit::packets);
  EXPECT_DOUBLE_EQ(pps.packets_per_second(1000), 10000);
  auto mbps = tools::parse_rate("8mbps").value();
  EXPECT_DOUBLE_EQ(mbps.per_second, 8e6);
  EXPECT_DOUBLE_EQ(mbps.packets_per_second(1000), 1000) << "8 Mbit/s of 1000-byte payloads";
  EXPECT_DOUBLE_EQ(tools::parse_rate("1.5Gbps").value().per_second, 1.5e9);
  EXPECT_DOUBLE_EQ(tools::parse_rate("800kbps").value().per_second, 8e5);
  EXPECT_DOUBLE_EQ(tools::parse_rate("64000bps").value().per_second, 64000);
  for (const char* bad : {"", "10", "pps", "-5pps", "0pps", "5xbps", "fastpps"}) {
    auto r = tools::parse_rate(bad);
    ASSERT_FALSE(r) << bad;
    EXPECT_EQ(r.error().code, std::errc::invalid_argument) << bad << ": not a rate";
    EXPECT_EQ(r.error().input(), bad);
  }
  const auto fast = tools::parse_rate("2Gpps");
  ASSERT_FALSE(fast);
  EXPECT_EQ(fast.error().code, errc::value_out_of_range) << "a rate, past any link";
  // A number in the right form past a double is out of range too, at its end.
  const auto huge = tools::parse_rate("1e999pps");
  ASSERT_FALSE(huge);
  EXPECT_EQ(huge.error().code, errc::value_out_of_range);
  EXPECT_NE(huge.error().message().find("at most"), std::string::npos) << huge.error().message();
}

// trial t16s 5: "5.kpps" was taken but ".5kpps" refused, though both are
// the positive decimal number the docs name; words that only look like
// numbers stay refused.
TEST(Rate, TakesEveryDecimalNumberTheDocsName) {
  for (const auto& [text, value] : std::vector<std::pair<const char*, double>>{
           {".5kpps", 500}, {"5.kpps", 5000}, {"5.5kpps", 5500}, {".5e3pps", 500}, {"5.E1pps", 50}, {"1e+2pps", 100}}) {
    const auto r = tools::parse_rate(text);
    ASSERT_TRUE(r) << text << ": " << r.error().message();
    EXPECT_DOUBLE_EQ(r->per_second, value) << text;
  }
  for (const char* bad : {".pps", "..5pps", "5..pps", "1.2.3pps", "e3pps", ".e3pps", "5epps", "5e+pps", "5e3.5pps",
                          "1e+-3pps", "0x10pps", "infpps", "nanpps", "+5pps", " 5pps"}) {
    const auto r = tools::parse_rate(bad);
    ASSERT_FALSE(r) << bad;
    EXPECT_EQ(r.error().code, std::errc::invalid_argument) << bad;
  }
}

TEST(Rate, HasALowerBound) {
  // 0.001 datagrams (one in 1000 s) or 1 bit of payload a second at least:
  // below, a run's pacing interval (and its wait for the END) is endless.
  EXPECT_DOUBLE_EQ(tools::parse_rate("0.001pps").value().per_second, 0.001);
  EXPECT_DOUBLE_EQ(tools::parse_rate("1e-3pps").value().per_second, 0.001);
  EXPECT_DOUBLE_EQ(tools::parse_rate("1bps").value().per_second, 1);
  EXPECT_DOUBLE_EQ(tools::parse_rate("0.125Bps").value().per_second, 1);
  EXPECT_DOUBLE_EQ(tools::parse_rate("0.001kbps").value().per_second, 1);
  for (const char* slow : {"0.0009pps", "1e-300pps", "1e-400pps", "0.5bps", "0.1B/s", "0.0000001Mbps"}) {
    const auto r = tools::parse_rate(slow);
    ASSERT_FALSE(r) << slow;
    EXPECT_EQ(r.error().code, errc::value_out_of_range) << slow;
    EXPECT_EQ(r.error().input(), slow);
    EXPECT_NE(r.error().message().find("at least 0.001pps (a datagram every 1000 s), 1bps or 0.125Bps"),
              std::string::npos)
        << r.error().message();
  }
}

TEST(Tos, NumbersAndDscpNames) {
  EXPECT_EQ(tools::parse_tos("0").value(), 0);
  EXPECT_EQ(tools::parse_tos("184").value(), 184);
  EXPECT_EQ(tools::parse_tos("0xb8").value(), 0xb8);
  EXPECT_EQ(tools::parse_tos("ef").value(), 0xb8) << "DSCP 46 << 2";
  EXPECT_EQ(tools::parse_tos("EF").value(), 0xb8);
  EXPECT_EQ(tools::parse_tos("af11").value(), 0x28);
  EXPECT_EQ(tools::parse_tos("af43").value(), 38 << 2);
  EXPECT_EQ(tools::parse_tos("cs7").value(), 0xe0);
  EXPECT_EQ(tools::parse_tos("cs0").value(), 0);
  EXPECT_EQ(tools::parse_tos("va").value(), 44 << 2);
  // RFC 8622's lower effort, which both tools print as "(le)" for 0x04.
  EXPECT_EQ(tools::parse_tos("le").value(), 0x04);
  EXPECT_EQ(tools::parse_tos("LE").value(), 0x04);
  for (const char* bad : {"", "256", "-1", "af44", "0x100", "ef1"}) {
    auto r = tools::parse_tos(bad);
    ASSERT_FALSE(r) << bad;
    EXPECT_NE(r.error().message().find("DSCP name"), std::string::npos);
  }
}

}  // namespace

// A second line follows the main one: next_before stops at the main line's
// position, also when the numbers before it are ones this order drops.
TEST(SendOrder, NextBeforeStopsAtTheLimitWithoutEndingTheRun) {
  auto b = tools::send_order::make(10, {.drop_every = 3}).value();  // drops 2, 5, 8
  EXPECT_EQ(b.next_before(2), 0u);
  EXPECT_EQ(b.next_before(2), 1u);
  EXPECT_EQ(b.next_before(2), std::nullopt) << "2 is not passed yet";
  EXPECT_FALSE(b.finished());
  EXPECT_EQ(b.next_before(3), std::nullopt) << "2 is dropped: nothing below 3 to send";
  EXPECT_EQ(b.issued(), 3u) << "but passed";
  EXPECT_EQ(b.next_before(4), 3u);
  std::vector<std::uint64_t> rest;
  while (auto s = b.next()) rest.push_back(*s);
  EXPECT_EQ(rest, (std::vector<std::uint64_t>{4, 6, 7, 9}));
  EXPECT_TRUE(b.finished());
}
