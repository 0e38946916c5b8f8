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
#include <memory>

namespace mcnet::feed {

/// A histogram of int64 values (nanoseconds in feed) with 64 powers of two,
/// each split into 32 linear steps: values below 32 are exact, larger ones
/// are kept within a relative error under 3.2 %. 8 KiB for values of 0 and
/// above. Negative values (a latency between hosts whose clocks disagree:
/// the sender's ahead of the receiver's) are kept alike by their magnitude,
/// in 8 KiB more that the first negative value allocates (`add` allocates
/// nothing else, ever; if that allocation fails, negatives read as 0 in
/// percentile() as they did before, still in min(), max() and negative()).
/// Percentiles run over both: a stream whose every value is negative has
/// min <= p50 <= p99 <= max, all negative.
class histogram {
 public:
  /// Empty: count() 0, no value.
  histogram() = default;
  /// A copy of `other`'s counts (its negative values' buckets too).
  histogram(const histogram& other) : histogram() { *this = other; }
  /// Take a copy of `other`'s counts.
  histogram& operator=(const histogram& other) {
    if (this == &other) return *this;
    buckets_ = other.buckets_;
    below_.reset();
    if (other.below_) below_ = std::make_unique<buckets>(*other.below_);
    count_ = other.count_;
    negative_ = other.negative_;
    unplaced_ = other.unplaced_;
    min_ = other.min_;
    max_ = other.max_;
    keeping_ = other.keeping_;
    exact_.reset();
    exact_below_.reset();
    if (other.exact_) exact_ = std::make_unique<extremes>(*other.exact_);
    if (other.exact_below_) exact_below_ = std::make_unique<extremes>(*other.exact_below_);
    return *this;
  }
  /// Take `other`'s counts (it is left valid but unspecified).
  histogram(histogram&&) noexcept = default;
  /// Take `other`'s counts (it is left valid but unspecified).
  histogram& operator=(histogram&&) noexcept = default;
  ~histogram() = default;

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
      add_negative(value);
    } else {
      const std::size_t b = index_of(static_cast<std::uint64_t>(value));
      ++buckets_[b];
      if (keeping_) [[unlikely]] note(exact_.get(), b, static_cast<std::uint64_t>(value), buckets_[b] == 1);
    }
    ++count_;
  }
  /// Count every value `other` counted, as if each had been add()ed here:
  /// the percentiles of the union (for sums over several histograms, such
  /// as the skew of several feeds), min() and max() of both.
  void merge(const histogram& other) noexcept;
  /// Values added, negative ones included.
  [[nodiscard]] std::uint64_t count() const noexcept { return count_; }
  /// Values added that were below 0 (for a latency: send times later than
  /// the arrival by this host's clock, so the clocks disagree by at least
  /// -min()).
  [[nodiscard]] std::uint64_t negative() const noexcept { return negative_; }
  /// The smallest value added (exact); 0 when empty.
  [[nodiscard]] std::int64_t min() const noexcept { return min_; }
  /// The largest value added (exact); 0 when empty.
  [[nodiscard]] std::int64_t max() const noexcept { return max_; }
  /// The value at quantile `q` (0..1, clamped; 0.5 is the median, 0.99 the
  /// 99th percentile: the smallest value with at least q of the count at or
  /// below it), within the bucket's resolution (a bucket reads as its
  /// lowest value, on either side of 0) and never outside [min(), max()];
  /// 0 when empty.
  [[nodiscard]] std::int64_t percentile(double q) const noexcept;
  /// The values from `lo` to `hi` (lo <= hi): a copy with only the buckets
  /// that reach into that range (within the resolution: a bucket that
  /// straddles an end is kept whole), count() and negative() theirs; min()
  /// and max() exact where the whole histogram's lie in the range, else
  /// the kept buckets' ends clamped to it. Empty when none is there. To
  /// leave outliers out of the percentiles, e.g. latencies far from the
  /// median (mcast-recv's clock errors). Allocates the negative buckets'
  /// copy when some are kept (a failed allocation leaves them out).
  [[nodiscard]] histogram within(std::int64_t lo, std::int64_t hi) const;
  /// From now on, keep each bucket's smallest and largest value exactly
  /// (for values of magnitude below 2^36, 68.7 s in ns: 8 KiB, and 8 KiB
  /// more for negative values once there are some), so that within()'s
  /// min() and max() are values that were added, not a bucket's bound
  /// (trial20p F9: latencies of 30.00005 s kept apart from clock errors
  /// read a minimum of 29.5 s, below every one of them). The values added
  /// before are known only by their buckets and [min(), max()]: each such
  /// bucket starts from its part of that range (within() may read that
  /// bound for it), which later values only widen. mcast-recv calls it
  /// once a stream's latencies span more than its outlier bound. Allocates;
  /// when that fails, nothing is kept (within() reads as before).
  void keep_extremes() noexcept;
  /// Whether keep_extremes() was called (and its allocation succeeded).
  [[nodiscard]] bool keeps_extremes() const noexcept { return keeping_; }

 private:
  static constexpr int sub_buckets = 32;
  using buckets = std::array<std::uint32_t, 64 * sub_buckets>;
  static std::size_t bucket_of(std::uint64_t v) noexcept {
    if (v < sub_buckets) return static_cast<std::size_t>(v);  // exact below 32
    const int top = 63 - std::countl_zero(v);                  // the highest set bit, >= 5
    const int shift = top - 5;                                  // keep 5 bits below the top one
    const auto step = static_cast<std::size_t>((v >> shift) & (sub_buckets - 1));
    return static_cast<std::size_t>(top - 4) * sub_buckets + step;
  }
  static std::size_t index_of(std::uint64_t v) noexcept {
    const std::size_t b = bucket_of(v);
    return b < std::tuple_size_v<buckets> ? b : std::tuple_size_v<buckets> - 1;
  }
  static std::uint64_t lowest_of(std::size_t bucket) noexcept;
  void add_negative(std::int64_t value) noexcept;
  // keep_extremes(): buckets below `extreme_buckets` (magnitudes below
  // 2^36, each bucket at most 2^31 wide) keep their smallest and largest
  // magnitude as offsets from the bucket's lowest value.
  static constexpr std::size_t extreme_buckets = (36 - 4) * sub_buckets;
  struct extremes {
    std::array<std::uint32_t, extreme_buckets> low{}, high{};
  };
  // Note magnitude `m` in bucket `b` of `e` (the bucket's first value
  // when `first`); nothing past extreme_buckets or without `e`.
  static void note(extremes* e, std::size_t b, std::uint64_t m, bool first) noexcept {
    if (e == nullptr || b >= extreme_buckets) return;
    const auto off = static_cast<std::uint32_t>(m - lowest_of(b));
    if (first) {
      e->low[b] = e->high[b] = off;
    } else {
      e->low[b] = off < e->low[b] ? off : e->low[b];
      e->high[b] = off > e->high[b] ? off : e->high[b];
    }
  }

  buckets buckets_{};
  std::unique_ptr<buckets> below_;  // negative values by magnitude; allocated by the first one
  std::uint64_t count_ = 0;
  std::uint64_t negative_ = 0;
  std::uint64_t unplaced_ = 0;  // negatives counted in buckets_[0]: below_ could not be allocated
  std::int64_t min_ = 0;
  std::int64_t max_ = 0;
  bool keeping_ = false;                   // keep_extremes() was called
  std::unique_ptr<extremes> exact_;        // its extremes of buckets_
  std::unique_ptr<extremes> exact_below_;  // and of below_'s (by magnitude), once a negative value came
};

}  // namespace mcnet::feed
