// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The mcnet authors
#pragma once

/// @file
/// mcast-recv's per-stream statistics (docs/tools.md, "Receiver statistics") in
/// fixed memory: sequence accounting (lost, reordered, duplicates) over a
/// sliding bitmap window, a log-linear latency histogram, RFC 3550 jitter.

#include <array>
#include <bitset>
#include <cstdint>
#include <optional>

namespace mcnet::tools {

/// a - b, clamped to the int64 range: times in headers come from the wire and
/// may be anything; their differences must never overflow.
[[nodiscard]] constexpr std::int64_t saturating_sub(std::int64_t a, std::int64_t b) noexcept {
  std::int64_t r = 0;
  if (!__builtin_sub_overflow(a, b, &r)) return r;
  return b < 0 ? INT64_MAX : INT64_MIN;
}

/// Latency percentiles from a histogram of fixed size: 64 powers of two,
/// each split into 32 linear steps (relative error under 3.2 %).
class latency_histogram {
 public:
  void add(std::int64_t ns) noexcept;
  [[nodiscard]] std::uint64_t count() const noexcept { return count_; }
  [[nodiscard]] std::int64_t min() const noexcept { return min_; }
  [[nodiscard]] std::int64_t max() const noexcept { return max_; }
  /// The value at quantile q (0..1), within the bucket's resolution; 0 when empty.
  [[nodiscard]] std::int64_t percentile(double q) const noexcept;

 private:
  static constexpr int sub_buckets = 32;
  static std::size_t bucket_of(std::uint64_t v) noexcept;
  static std::uint64_t lowest_of(std::size_t bucket) noexcept;

  std::array<std::uint32_t, 64 * sub_buckets> buckets_{};
  std::uint64_t count_ = 0;
  std::uint64_t negative_ = 0;  // clock skew between hosts: counted, reported as 0
  std::int64_t min_ = 0;
  std::int64_t max_ = 0;
};

/// Sequence accounting of one stream. Counting starts at the first number
/// that arrives (a receiver that joins a running sender does not count what
/// was sent before it joined as lost); a lower number arriving later, within
/// the window, moves the start down and counts as reordered.
class sequence_tracker {
 public:
  /// How far behind the highest number a late arrival is still told apart
  /// from a duplicate.
  static constexpr std::uint64_t window = 65536;

  enum class verdict : std::uint8_t { in_order, reordered, duplicate, too_late };
  verdict add(std::uint64_t seq) noexcept;
  /// The run's END marker: the run had `count` sequence numbers.
  void end(std::uint64_t count) noexcept { end_count_ = count; }

  [[nodiscard]] std::uint64_t received() const noexcept { return distinct_; }
  [[nodiscard]] std::uint64_t reordered() const noexcept { return reordered_; }
  [[nodiscard]] std::uint64_t duplicates() const noexcept { return duplicates_; }
  /// Sequence numbers missing from the first seen up to the highest seen,
  /// or up to the END count.
  [[nodiscard]] std::uint64_t lost() const noexcept;
  /// The lowest sequence number seen (0 before any).
  [[nodiscard]] std::uint64_t first() const noexcept { return first_; }
  [[nodiscard]] bool ended() const noexcept { return end_count_.has_value(); }

 private:
  bool any_ = false;
  std::uint64_t first_ = 0;
  std::uint64_t highest_ = 0;
  std::uint64_t distinct_ = 0;
  std::uint64_t reordered_ = 0;
  std::uint64_t duplicates_ = 0;
  std::optional<std::uint64_t> end_count_;
  std::bitset<window> seen_;  // bit (seq % window) for seq in (highest - window, highest]
};

/// RFC 3550 interarrival jitter, in nanoseconds.
class jitter {
 public:
  void add(std::int64_t send_ns, std::int64_t arrival_ns) noexcept;
  [[nodiscard]] double value_ns() const noexcept { return j_; }

 private:
  bool any_ = false;
  std::int64_t last_transit_ = 0;
  double j_ = 0;
};

}  // namespace mcnet::tools
