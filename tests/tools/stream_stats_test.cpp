// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The mcnet authors

#include <gtest/gtest.h>

#include <algorithm>
#include <random>
#include <vector>

#include <mcnet/tools/send_plan.hpp>
#include <mcnet/tools/stream_stats.hpp>

namespace tools = mcnet::tools;
using verdict = tools::sequence_tracker::verdict;

namespace {

TEST(SequenceTracker, CountsWhatTheSenderFaultsInjected) {
  for (auto [f, lost, dups, reordered] :
       {std::tuple{tools::faults{.drop_every = 10}, 100u, 0u, 0u}, std::tuple{tools::faults{.dup_every = 10}, 0u, 100u, 0u},
        std::tuple{tools::faults{.reorder_every = 10}, 0u, 0u, 99u}}) {
    auto order = tools::send_order::make(1000, f).value();
    tools::sequence_tracker t;
    while (auto s = order.next()) t.add(*s);
    t.end(1000);  // the END marker exposes a lost tail
    EXPECT_EQ(t.lost(), lost);
    EXPECT_EQ(t.duplicates(), dups);
    EXPECT_EQ(t.reordered(), reordered);
  }
}

TEST(SequenceTracker, VerdictsAndTheTail) {
  tools::sequence_tracker t;
  EXPECT_EQ(t.add(0), verdict::in_order);
  EXPECT_EQ(t.add(2), verdict::in_order);
  EXPECT_EQ(t.lost(), 1u) << "1 missing so far";
  EXPECT_EQ(t.add(1), verdict::reordered);
  EXPECT_EQ(t.lost(), 0u);
  EXPECT_EQ(t.add(1), verdict::duplicate);
  EXPECT_EQ(t.add(2), verdict::duplicate);
  t.end(5);
  EXPECT_EQ(t.lost(), 2u) << "3 and 4 never came";
  EXPECT_TRUE(t.ended());
}

TEST(SequenceTracker, AReceiverJoiningARunningSenderCountsFromItsFirstArrival) {
  tools::sequence_tracker t;
  for (std::uint64_t s = 1'000'000; s < 1'000'100; ++s) {
    if (s != 1'000'050) t.add(s);
  }
  EXPECT_EQ(t.first(), 1'000'000u);
  EXPECT_EQ(t.lost(), 1u) << "only the gap after the first arrival, not the million before it";
  t.end(1'000'200);
  EXPECT_EQ(t.lost(), 101u) << "the gap and the tail the END marker exposes";
}

TEST(SequenceTracker, AnEarlierNumberArrivingLateMovesTheStart) {
  tools::sequence_tracker t;
  EXPECT_EQ(t.add(2), verdict::in_order);
  EXPECT_EQ(t.add(0), verdict::reordered);
  EXPECT_EQ(t.first(), 0u);
  EXPECT_EQ(t.lost(), 1u) << "1 is missing between the new start and 2";
  EXPECT_EQ(t.add(1), verdict::reordered);
  EXPECT_EQ(t.lost(), 0u);
  EXPECT_EQ(t.reordered(), 2u);
}

TEST(SaturatingSub, ClampsInsteadOfOverflowing) {
  EXPECT_EQ(tools::saturating_sub(5, 7), -2);
  EXPECT_EQ(tools::saturating_sub(INT64_MIN, 1), INT64_MIN);
  EXPECT_EQ(tools::saturating_sub(INT64_MAX, -1), INT64_MAX);
  EXPECT_EQ(tools::saturating_sub(0, INT64_MIN), INT64_MAX);
}

TEST(SequenceTracker, AHostileHighestNumberDoesNotWrapTheCount) {
  tools::sequence_tracker t;
  t.add(UINT64_MAX - 1);
  t.add(UINT64_MAX);
  EXPECT_EQ(t.lost(), 0u);
}

TEST(SequenceTracker, OldArrivalsBeyondTheWindowAreLateNotNew) {
  tools::sequence_tracker t;
  t.add(0);
  t.add(tools::sequence_tracker::window + 10);
  EXPECT_EQ(t.add(0), verdict::too_late);
  EXPECT_EQ(t.add(5), verdict::too_late);
  EXPECT_EQ(t.received(), 2u);
  // Within the window the bitmap tells duplicates from late arrivals.
  EXPECT_EQ(t.add(tools::sequence_tracker::window + 9), verdict::reordered);
  EXPECT_EQ(t.add(tools::sequence_tracker::window + 9), verdict::duplicate);
}

TEST(LatencyHistogram, PercentilesWithinTheResolution) {
  tools::latency_histogram h;
  EXPECT_EQ(h.percentile(0.5), 0);
  std::vector<std::int64_t> values;
  std::mt19937_64 rng(7);
  for (int i = 0; i < 100000; ++i) {
    values.push_back(static_cast<std::int64_t>(1000 + rng() % 1'000'000));
    h.add(values.back());
  }
  std::sort(values.begin(), values.end());
  for (double q : {0.5, 0.99}) {
    const auto exact = values[static_cast<std::size_t>(q * static_cast<double>(values.size())) - 1];
    const auto got = h.percentile(q);
    EXPECT_LE(std::abs(static_cast<double>(got - exact)) / static_cast<double>(exact), 0.035) << q;
  }
  EXPECT_EQ(h.min(), values.front());
  EXPECT_EQ(h.max(), values.back());
  EXPECT_EQ(h.count(), 100000u);
  tools::latency_histogram small;
  for (int v : {3, 7, 11}) small.add(v);
  EXPECT_EQ(small.percentile(0.5), 7) << "exact below 32 ns";
  small.add(-5);  // clock skew between hosts
  EXPECT_EQ(small.min(), -5);
  EXPECT_GE(small.percentile(0.01), 0);
  EXPECT_EQ(sizeof(tools::latency_histogram) < 9000, true) << "fixed memory per stream";
  tools::latency_histogram skewed;
  skewed.add(-100);
  skewed.add(-50);
  EXPECT_EQ(skewed.percentile(0.5), 0) << "all negative: reported as 0, no undefined clamp";
}

TEST(Jitter, FollowsRfc3550) {
  tools::jitter j;
  // Constant transit: no jitter.
  for (int i = 0; i < 10; ++i) j.add(i * 1000, i * 1000 + 500);
  EXPECT_DOUBLE_EQ(j.value_ns(), 0);
  // One packet 160 ns late: J += (160 - J) / 16 = 10, then decays.
  j.add(10'000, 10'000 + 660);
  EXPECT_DOUBLE_EQ(j.value_ns(), 10);
  j.add(11'000, 11'000 + 500);
  EXPECT_DOUBLE_EQ(j.value_ns(), 10 + (160 - 10) / 16.0);
}

}  // namespace
