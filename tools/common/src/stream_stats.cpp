// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The mcnet authors
#include <mcnet/tools/stream_stats.hpp>

#include <algorithm>
#include <bit>
#include <cmath>

namespace mcnet::tools {

std::size_t latency_histogram::bucket_of(std::uint64_t v) noexcept {
  if (v < sub_buckets) return static_cast<std::size_t>(v);  // exact below 32 ns
  const int top = 63 - std::countl_zero(v);                  // the highest set bit, >= 5
  const int shift = top - 5;                                  // keep 5 bits below the top one
  const auto step = static_cast<std::size_t>((v >> shift) & (sub_buckets - 1));
  return static_cast<std::size_t>(top - 4) * sub_buckets + step;
}

std::uint64_t latency_histogram::lowest_of(std::size_t bucket) noexcept {
  if (bucket < sub_buckets) return bucket;
  const auto top = bucket / sub_buckets + 4;
  const auto step = bucket % sub_buckets;
  return (std::uint64_t{1} << top) | (static_cast<std::uint64_t>(step) << (top - 5));
}

void latency_histogram::add(std::int64_t ns) noexcept {
  if (count_ + negative_ == 0) {
    min_ = max_ = ns;
  } else {
    min_ = std::min(min_, ns);
    max_ = std::max(max_, ns);
  }
  if (ns < 0) {
    ++negative_;
    ++buckets_[0];
  } else {
    ++buckets_[std::min(bucket_of(static_cast<std::uint64_t>(ns)), buckets_.size() - 1)];
  }
  ++count_;
}

std::int64_t latency_histogram::percentile(double q) const noexcept {
  if (count_ == 0) return 0;
  const auto rank = static_cast<std::uint64_t>(std::ceil(std::clamp(q, 0.0, 1.0) * static_cast<double>(count_)));
  std::uint64_t seen = 0;
  for (std::size_t b = 0; b < buckets_.size(); ++b) {
    seen += buckets_[b];
    if (seen >= std::max<std::uint64_t>(rank, 1)) {
      // Negative latencies (clock skew) sit in bucket 0 and read as 0.
      const std::int64_t lo = std::max<std::int64_t>(min_, 0);
      const std::int64_t hi = std::max(max_, lo);
      return std::clamp(static_cast<std::int64_t>(lowest_of(b)), lo, hi);
    }
  }
  return max_;
}

sequence_tracker::verdict sequence_tracker::add(std::uint64_t seq) noexcept {
  if (!any_ || seq > highest_) {
    // Clear the bits of the numbers the window now leaves behind.
    if (any_) {
      const std::uint64_t gap = seq - highest_;
      if (gap >= window) {
        seen_.reset();
      } else {
        for (std::uint64_t s = highest_ + 1; s < seq; ++s) seen_.reset(s % window);
      }
    }
    if (!any_) first_ = seq;
    any_ = true;
    highest_ = seq;
    seen_.set(seq % window);
    ++distinct_;
    return verdict::in_order;
  }
  if (highest_ - seq >= window) {
    ++reordered_;  // too old to tell: counted as late, never as new
    return verdict::too_late;
  }
  if (seen_.test(seq % window)) {
    ++duplicates_;
    return verdict::duplicate;
  }
  seen_.set(seq % window);
  if (seq < first_) first_ = seq;  // earlier than the first arrival: the run started lower
  ++distinct_;
  ++reordered_;
  return verdict::reordered;
}

std::uint64_t sequence_tracker::lost() const noexcept {
  if (!any_) return 0;
  const std::uint64_t past_highest = highest_ == UINT64_MAX ? highest_ : highest_ + 1;  // a hostile sender's maximum
  const std::uint64_t end = end_count_ ? std::max(*end_count_, past_highest) : past_highest;
  const std::uint64_t expected = end - first_;
  return expected > distinct_ ? expected - distinct_ : 0;
}

void jitter::add(std::int64_t send_ns, std::int64_t arrival_ns) noexcept {
  const std::int64_t transit = saturating_sub(arrival_ns, send_ns);
  if (any_) {
    const double d = std::abs(static_cast<double>(transit) - static_cast<double>(last_transit_));
    j_ += (d - j_) / 16.0;
  }
  last_transit_ = transit;
  any_ = true;
}

}  // namespace mcnet::tools
