// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The mcnet authors
#include <mcnet/feed/histogram.hpp>

#include <algorithm>
#include <bit>
#include <cmath>

namespace mcnet::feed {

std::size_t histogram::bucket_of(std::uint64_t v) noexcept {
  if (v < sub_buckets) return static_cast<std::size_t>(v);  // exact below 32
  const int top = 63 - std::countl_zero(v);                  // the highest set bit, >= 5
  const int shift = top - 5;                                  // keep 5 bits below the top one
  const auto step = static_cast<std::size_t>((v >> shift) & (sub_buckets - 1));
  return static_cast<std::size_t>(top - 4) * sub_buckets + step;
}

std::uint64_t histogram::lowest_of(std::size_t bucket) noexcept {
  if (bucket < sub_buckets) return bucket;
  const auto top = bucket / sub_buckets + 4;
  const auto step = bucket % sub_buckets;
  return (std::uint64_t{1} << top) | (static_cast<std::uint64_t>(step) << (top - 5));
}

void histogram::add(std::int64_t value) noexcept {
  if (count_ + negative_ == 0) {
    min_ = max_ = value;
  } else {
    min_ = std::min(min_, value);
    max_ = std::max(max_, value);
  }
  if (value < 0) {
    ++negative_;
    ++buckets_[0];
  } else {
    ++buckets_[std::min(bucket_of(static_cast<std::uint64_t>(value)), buckets_.size() - 1)];
  }
  ++count_;
}

std::int64_t histogram::percentile(double q) const noexcept {
  if (count_ == 0) return 0;
  const auto rank = static_cast<std::uint64_t>(std::ceil(std::clamp(q, 0.0, 1.0) * static_cast<double>(count_)));
  std::uint64_t seen = 0;
  for (std::size_t b = 0; b < buckets_.size(); ++b) {
    seen += buckets_[b];
    if (seen >= std::max<std::uint64_t>(rank, 1)) {
      // Negative values sit in bucket 0 and read as 0.
      const std::int64_t lo = std::max<std::int64_t>(min_, 0);
      const std::int64_t hi = std::max(max_, lo);
      return std::clamp(static_cast<std::int64_t>(lowest_of(b)), lo, hi);
    }
  }
  return max_;
}

}  // namespace mcnet::feed
