// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The mcnet authors
#include <mcnet/feed/histogram.hpp>

#include <algorithm>
#include <cmath>
#include <new>

namespace mcnet::feed {

std::uint64_t histogram::lowest_of(std::size_t bucket) noexcept {
  if (bucket < sub_buckets) return bucket;
  const auto top = bucket / sub_buckets + 4;
  const auto step = bucket % sub_buckets;
  return (std::uint64_t{1} << top) | (static_cast<std::uint64_t>(step) << (top - 5));
}

void histogram::add_negative(std::int64_t value) noexcept {
  if (!below_) below_.reset(new (std::nothrow) buckets{});
  if (!below_) {
    ++buckets_[0];
    ++unplaced_;
    return;
  }
  // The magnitude in unsigned arithmetic: -INT64_MIN does not fit in int64.
  const auto magnitude = std::uint64_t{0} - static_cast<std::uint64_t>(value);
  ++(*below_)[index_of(magnitude)];
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
  if (other.below_) {
    if (!below_) below_.reset(new (std::nothrow) buckets{});
    if (below_) {
      for (std::size_t b = 0; b < below_->size(); ++b) (*below_)[b] += (*other.below_)[b];
    } else {
      std::uint64_t all = 0;
      for (const auto n : *other.below_) all += n;
      buckets_[0] += static_cast<std::uint32_t>(all);
      unplaced_ += all;
    }
  }
  count_ += other.count_;
  negative_ += other.negative_;
  unplaced_ += other.unplaced_;
}

std::int64_t histogram::percentile(double q) const noexcept {
  if (count_ == 0) return 0;
  const auto rank = std::max<std::uint64_t>(
      static_cast<std::uint64_t>(std::ceil(std::clamp(q, 0.0, 1.0) * static_cast<double>(count_))), 1);
  std::uint64_t seen = 0;
  // The negative values first, the largest magnitude (the lowest value)
  // first; a bucket reads as its lowest value (its largest magnitude), as a
  // positive one does, so percentile(0) is min() on either side.
  if (below_) {
    for (std::size_t b = below_->size(); b-- > 0;) {
      seen += (*below_)[b];
      if (seen >= rank) {
        const auto magnitude = b + 1 < below_->size() ? lowest_of(b + 1) - 1 : UINT64_MAX;
        const std::int64_t v = magnitude > static_cast<std::uint64_t>(INT64_MAX)
                                   ? INT64_MIN
                                   : -static_cast<std::int64_t>(magnitude);
        return std::clamp(v, min_, max_);
      }
    }
  }
  for (std::size_t b = 0; b < buckets_.size(); ++b) {
    seen += buckets_[b];
    if (seen >= rank) {
      // Negative values that found no room below read as 0 here.
      const std::int64_t lo = b == 0 && unplaced_ > 0 ? std::max<std::int64_t>(min_, 0) : min_;
      const std::int64_t hi = std::max(max_, lo);
      return std::clamp(static_cast<std::int64_t>(lowest_of(b)), lo, hi);
    }
  }
  return max_;
}

}  // namespace mcnet::feed
