// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The mcnet authors
#include <mcnet/feed/histogram.hpp>

#include <algorithm>
#include <cmath>

namespace mcnet::feed {

std::uint64_t histogram::lowest_of(std::size_t bucket) noexcept {
  if (bucket < sub_buckets) return bucket;
  const auto top = bucket / sub_buckets + 4;
  const auto step = bucket % sub_buckets;
  return (std::uint64_t{1} << top) | (static_cast<std::uint64_t>(step) << (top - 5));
}

void histogram::merge(const histogram& other) noexcept {
  if (other.count_ == 0) return;
  if (count_ == 0) {
    min_ = other.min_;
    max_ = other.max_;
  } else {
    min_ = std::min(min_, other.min_);
    max_ = std::max(max_, other.max_);
  }
  for (std::size_t b = 0; b < buckets_.size(); ++b) buckets_[b] += other.buckets_[b];
  count_ += other.count_;
  negative_ += other.negative_;
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
