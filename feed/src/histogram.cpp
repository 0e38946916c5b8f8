// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The mcnet authors
#include <mcnet/feed/histogram.hpp>

#include <algorithm>
#include <cmath>
#include <new>
#include <optional>

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

histogram histogram::within(std::int64_t lo, std::int64_t hi) const {
  histogram out;
  if (count_ == 0 || lo > hi) return out;
  // Each bucket's values as [first, last]; kept when that meets [lo, hi].
  std::optional<std::int64_t> low, high;
  const auto keep = [&](std::int64_t first, std::int64_t last, std::uint64_t n) {
    if (n == 0 || last < lo || first > hi) return false;
    low = low ? std::min(*low, first) : first;
    high = high ? std::max(*high, last) : last;
    out.count_ += n;
    return true;
  };
  const auto last_of = [](std::size_t b) {
    // Buckets from (64 - 4) * sub_buckets on would start past bit 63.
    const auto next = b + 1 < (64 - 4) * sub_buckets ? lowest_of(b + 1) - 1 : UINT64_MAX;
    return static_cast<std::int64_t>(std::min<std::uint64_t>(next, INT64_MAX));
  };
  if (below_) {
    for (std::size_t b = 0; b < below_->size(); ++b) {
      const auto n = (*below_)[b];
      if (n == 0) continue;  // (the top buckets hold no value: lowest_of has no top bit past 63 for them)
      // Magnitudes [lowest_of(b), last_of(b)]: values [-last, -lowest].
      const auto first = -last_of(b);
      const auto last = -static_cast<std::int64_t>(std::min<std::uint64_t>(lowest_of(b), INT64_MAX));
      if (!keep(first, last, n)) continue;
      if (!out.below_) out.below_.reset(new (std::nothrow) buckets{});
      if (!out.below_) {
        out.count_ -= n;  // no room: left out, as add() would leave them unplaced
        continue;
      }
      (*out.below_)[b] = n;
      out.negative_ += n;
    }
  }
  for (std::size_t b = 0; b < buckets_.size(); ++b) {
    const auto n = buckets_[b];
    if (n == 0) continue;
    if (keep(static_cast<std::int64_t>(std::min<std::uint64_t>(lowest_of(b), INT64_MAX)), last_of(b), n)) {
      out.buckets_[b] = n;
    }
  }
  if (out.count_ == 0) return histogram();
  out.min_ = min_ >= lo && min_ <= hi ? min_ : std::clamp(*low, lo, hi);
  out.max_ = max_ >= lo && max_ <= hi ? max_ : std::clamp(*high, lo, hi);
  return out;
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
