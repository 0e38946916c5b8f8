// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The mcnet authors
#pragma once

/// @file
/// Percentiles of a stream of values in fixed memory: a log-linear histogram
/// (mcast-recv's latency, the arbiter's skew between lines).

#include <mcnet/core/cxx20.hpp>  // first: C++20 or one clear error

#include <array>
#include <bit>
#include <cstddef>
#include <cstdint>

namespace mcnet::feed {

/// A histogram of int64 values (nanoseconds in feed) with 64 powers of two,
/// each split into 32 linear steps: values below 32 are exact, larger ones
/// are kept within a relative error under 3.2 %. 8 KiB, fixed; `add` never
/// allocates. Negative values (a latency under clock skew between hosts)
/// are counted and take part in min() and max(), but read as 0 in
/// percentile().
class histogram {
 public:
  /// Count one value.
  void add(std::int64_t value) noexcept {
    if (count_ == 0) {
      min_ = max_ = value;
    } else {
      min_ = value < min_ ? value : min_;
      max_ = value > max_ ? value : max_;
    }
    if (value < 0) {
      ++negative_;
      ++buckets_[0];
    } else {
      const std::size_t b = bucket_of(static_cast<std::uint64_t>(value));
      ++buckets_[b < buckets_.size() ? b : buckets_.size() - 1];
    }
    ++count_;
  }
  /// Count every value `other` counted, as if each had been add()ed here:
  /// the percentiles of the union (for sums over several histograms, such
  /// as the skew of several feeds), min() and max() of both.
  void merge(const histogram& other) noexcept;
  /// Values added, negative ones included.
  [[nodiscard]] std::uint64_t count() const noexcept { return count_; }
  /// The smallest value added (exact); 0 when empty.
  [[nodiscard]] std::int64_t min() const noexcept { return min_; }
  /// The largest value added (exact); 0 when empty.
  [[nodiscard]] std::int64_t max() const noexcept { return max_; }
  /// The value at quantile `q` (0..1, clamped; 0.5 is the median, 0.99 the
  /// 99th percentile: the smallest value with at least q of the count at or
  /// below it), within the bucket's resolution and never outside
  /// [max(min(), 0), max()]; 0 when empty.
  [[nodiscard]] std::int64_t percentile(double q) const noexcept;

 private:
  static constexpr int sub_buckets = 32;
  static std::size_t bucket_of(std::uint64_t v) noexcept {
    if (v < sub_buckets) return static_cast<std::size_t>(v);  // exact below 32
    const int top = 63 - std::countl_zero(v);                  // the highest set bit, >= 5
    const int shift = top - 5;                                  // keep 5 bits below the top one
    const auto step = static_cast<std::size_t>((v >> shift) & (sub_buckets - 1));
    return static_cast<std::size_t>(top - 4) * sub_buckets + step;
  }
  static std::uint64_t lowest_of(std::size_t bucket) noexcept;

  std::array<std::uint32_t, 64 * sub_buckets> buckets_{};
  std::uint64_t count_ = 0;
  std::uint64_t negative_ = 0;  // clock skew between hosts: counted, reported as 0
  std::int64_t min_ = 0;
  std::int64_t max_ = 0;
};

}  // namespace mcnet::feed
