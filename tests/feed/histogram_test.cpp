// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The mcnet authors
//
// The log-linear histogram: percentiles within its resolution, exact min and
// max, negative values, fixed size.

#include <gtest/gtest.h>

#include <algorithm>
#include <cstdint>
#include <random>
#include <vector>

#include <mcnet/feed/histogram.hpp>

namespace {

namespace feed = mcnet::feed;

TEST(Histogram, PercentilesWithinTheResolution) {
  feed::histogram h;
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
  feed::histogram small;
  for (int v : {3, 7, 11}) small.add(v);
  EXPECT_EQ(small.percentile(0.5), 7) << "exact below 32 ns";
  small.add(-5);  // clock skew between hosts
  EXPECT_EQ(small.min(), -5);
  EXPECT_EQ(small.negative(), 1u);
  EXPECT_EQ(small.percentile(0.01), -5) << "the lowest value is the negative one";
  EXPECT_EQ(small.percentile(0.5), 3);
  EXPECT_EQ(sizeof(feed::histogram) < 9000, true) << "fixed memory per stream for values of 0 and above";
  feed::histogram skewed;
  skewed.add(-100);
  skewed.add(-50);
  EXPECT_EQ(skewed.percentile(0.5), -100) << "all negative: percentiles below 0, in order";
  EXPECT_EQ(skewed.percentile(1.0), -50);
}

// A sender whose clock is ahead of the receiver's by 3 s: every latency is
// about -3 s. The percentiles are the values', in order, within the
// resolution (they read 0 before, and max was then below p50).
TEST(Histogram, NegativeValuesHavePercentilesInOrder) {
  feed::histogram h;
  std::vector<std::int64_t> values;
  std::mt19937_64 rng(11);
  for (int i = 0; i < 20000; ++i) {
    values.push_back(-3'000'000'000 + static_cast<std::int64_t>(rng() % 2'000'000));
    h.add(values.back());
  }
  std::sort(values.begin(), values.end());
  EXPECT_EQ(h.negative(), values.size());
  EXPECT_EQ(h.min(), values.front());
  EXPECT_EQ(h.max(), values.back());
  std::int64_t previous = h.min();
  for (double q : {0.0, 0.01, 0.5, 0.99, 1.0}) {
    const auto got = h.percentile(q);
    EXPECT_LE(previous, got) << q;
    EXPECT_LE(got, h.max()) << q;
    const auto exact = values[std::max<std::size_t>(static_cast<std::size_t>(q * static_cast<double>(values.size())), 1) - 1];
    EXPECT_LE(std::abs(static_cast<double>(got - exact)) / std::abs(static_cast<double>(exact)), 0.035) << q;
    previous = got;
  }
  // Mixed: a third negative, the rest positive; the median is positive.
  feed::histogram mixed;
  for (int i = 0; i < 300; ++i) mixed.add(i % 3 == 0 ? -1000 - i : 1000 + i);
  EXPECT_LT(mixed.percentile(0.2), 0);
  EXPECT_GT(mixed.percentile(0.5), 0);
  EXPECT_EQ(mixed.percentile(0.0), mixed.min());
  // A copy keeps the negative values; the extremes stay in range.
  const feed::histogram copy = mixed;  // NOLINT(performance-unnecessary-copy-initialization)
  for (double q : {0.0, 0.2, 0.5, 1.0}) EXPECT_EQ(copy.percentile(q), mixed.percentile(q)) << q;
  feed::histogram extreme;
  extreme.add(INT64_MIN);
  extreme.add(-1);
  EXPECT_EQ(extreme.percentile(0.5), INT64_MIN);
  EXPECT_EQ(extreme.percentile(1.0), -1);
}

TEST(Histogram, ExtremeValuesStayInTheirBuckets) {
  feed::histogram h;
  h.add(INT64_MAX);
  h.add(0);
  EXPECT_GE(h.percentile(1.0), INT64_MAX - INT64_MAX / 32) << "the top bucket, within 3.2 %";
  EXPECT_EQ(h.percentile(0.5), 0);
  EXPECT_EQ(h.percentile(-3), 0) << "q is clamped";
  EXPECT_EQ(h.percentile(7), h.percentile(1.0));
}

}  // namespace

TEST(Histogram, MergeCountsBothAsOne) {
  feed::histogram a, b, both;
  for (int i = 0; i < 1000; ++i) {
    const std::int64_t v = 1000 + i * 37;
    (i % 3 == 0 ? a : b).add(v);
    both.add(v);
  }
  b.add(-7);
  both.add(-7);
  feed::histogram merged = a;
  merged.merge(b);
  EXPECT_EQ(merged.count(), both.count());
  EXPECT_EQ(merged.min(), -7);
  EXPECT_EQ(merged.max(), both.max());
  for (double q : {0.0, 0.01, 0.5, 0.99, 1.0}) EXPECT_EQ(merged.percentile(q), both.percentile(q)) << q;
  feed::histogram empty;
  empty.merge(feed::histogram{});
  EXPECT_EQ(empty.count(), 0u);
  EXPECT_EQ(empty.max(), 0);
  empty.merge(a);
  EXPECT_EQ(empty.min(), a.min()) << "an empty histogram takes the other's min and max";
  EXPECT_EQ(empty.max(), a.max());
  EXPECT_EQ(empty.percentile(0.5), a.percentile(0.5));
}

// within(): outliers left out of the percentiles, min and max exact where
// the whole histogram's lie in the range.
TEST(Histogram, WithinKeepsTheRangeAndLeavesOutliersOut) {
  feed::histogram h;
  for (int i = 0; i < 49; ++i) h.add(30'000 + i * 100);  // 30.0 to 34.8 us
  h.add(-59'000'000'000);                                // one send time 59 s off
  h.add(20'000'000'000);                                 // and one 20 s off
  EXPECT_EQ(h.count(), 51u);
  const auto m = h.percentile(0.5);
  const auto in = h.within(m - 1'000'000'000, m + 1'000'000'000);
  EXPECT_EQ(in.count(), 49u);
  EXPECT_EQ(in.negative(), 0u);
  EXPECT_NEAR(static_cast<double>(in.min()), 30'000, 30'000 * 0.033) << "the kept bucket's end: within the resolution";
  EXPECT_GE(in.max(), 34'800 - 34'800 * 32 / 1000);
  EXPECT_LE(in.max(), 1'000'000'000 + m);
  EXPECT_NEAR(static_cast<double>(in.percentile(0.99)), 34'800, 34'800 * 0.033);
  // Everything in range: a copy, min and max exact.
  const auto all = h.within(INT64_MIN, INT64_MAX);
  EXPECT_EQ(all.count(), 51u);
  EXPECT_EQ(all.negative(), 1u);
  EXPECT_EQ(all.min(), -59'000'000'000);
  EXPECT_EQ(all.max(), 20'000'000'000);
  // Only the negative one.
  const auto below = h.within(-60'000'000'000, -1);
  EXPECT_EQ(below.count(), 1u);
  EXPECT_EQ(below.min(), -59'000'000'000);
  EXPECT_NEAR(static_cast<double>(below.max()), -59e9, 59e9 * 0.033) << "the bucket's end, within the resolution";
  // Nothing there: empty.
  EXPECT_EQ(h.within(1'000'000, 2'000'000).count(), 0u);
  EXPECT_EQ(h.within(5, 4).count(), 0u);
  EXPECT_EQ(feed::histogram().within(0, 10).count(), 0u);
  // The extremes: their buckets are the last that hold values (UBSan
  // checks that no bucket past them is read).
  feed::histogram e;
  e.add(INT64_MAX);
  e.add(INT64_MIN);
  e.add(0);
  const auto whole = e.within(INT64_MIN, INT64_MAX);
  EXPECT_EQ(whole.count(), 3u);
  EXPECT_EQ(whole.min(), INT64_MIN);
  EXPECT_EQ(whole.max(), INT64_MAX);
  EXPECT_EQ(e.within(-5, 5).count(), 1u);
}

// keep_extremes(): within() reads the kept buckets' own smallest and
// largest values, so no figure is below every value kept (trial20p F9: 50
// latencies of 30.00005 s, 10 of 56 us left out, read a minimum of 29.5 s,
// the bucket's bound, and so did p50 and p99).
TEST(Histogram, KeptExtremesMakeWithinsMinAndMaxExact) {
  const auto run = [](bool keep) {
    feed::histogram h;
    for (int i = 0; i < 50; ++i) h.add(30'000'050'000 + i);
    if (keep) h.keep_extremes();  // as mcast-recv does before the first value 1 s away
    for (int i = 0; i < 10; ++i) h.add(56'000 + i);
    return h;
  };
  for (const bool keep : {false, true}) {
    SCOPED_TRACE(keep ? "extremes kept" : "not kept");
    const auto h = run(keep);
    EXPECT_EQ(h.keeps_extremes(), keep);
    const auto m = h.percentile(0.5);
    const auto in = h.within(m - 1'000'000'000, m + 1'000'000'000);
    ASSERT_EQ(in.count(), 50u);
    if (keep) {
      EXPECT_EQ(in.min(), 30'000'050'000);
      EXPECT_EQ(in.max(), 30'000'050'049);
      EXPECT_GE(in.percentile(0.5), in.min()) << "percentiles within [min, max]";
      EXPECT_LE(in.percentile(0.99), in.max());
    } else {
      EXPECT_LT(in.min(), 30'000'050'000) << "the bucket's bound, below every value kept";
    }
  }
  // Kept from the start, values on both sides of 0 and outliers both ways.
  feed::histogram h;
  h.keep_extremes();
  for (const std::int64_t v : {std::int64_t{-2'500'000'123}, std::int64_t{-2'400'000'456},
                               std::int64_t{-2'300'000'789}, std::int64_t{-9'000'000'000},
                               std::int64_t{40'000'000'000}}) {
    h.add(v);
  }
  const auto in = h.within(-3'400'000'000, -1'400'000'000);
  EXPECT_EQ(in.count(), 3u);
  EXPECT_EQ(in.min(), -2'500'000'123);
  EXPECT_EQ(in.max(), -2'300'000'789);
  EXPECT_EQ(in.negative(), 3u);
  // Values before keep_extremes() read within their range and bucket; a
  // merge and a copy keep what is kept.
  feed::histogram a;
  a.add(1'000'000'007);
  a.add(1'000'000'009);
  a.keep_extremes();
  a.add(5'000'000'000);
  feed::histogram b;
  b.add(1'000'000'003);
  a.merge(b);
  const feed::histogram c = a;
  const auto near = c.within(0, 2'000'000'000);
  EXPECT_EQ(near.count(), 3u);
  EXPECT_EQ(near.min(), 1'000'000'003);
  EXPECT_EQ(near.max(), 1'000'000'009);
}
