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
  EXPECT_GE(small.percentile(0.01), 0);
  EXPECT_EQ(sizeof(feed::histogram) < 9000, true) << "fixed memory per stream";
  feed::histogram skewed;
  skewed.add(-100);
  skewed.add(-50);
  EXPECT_EQ(skewed.percentile(0.5), 0) << "all negative: reported as 0, no undefined clamp";
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
