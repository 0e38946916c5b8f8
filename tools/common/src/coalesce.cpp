// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The mcnet authors
#include <mcnet/tools/coalesce.hpp>

#include <algorithm>
#include <cmath>

namespace mcnet::tools {

read_coalescer::read_coalescer(std::chrono::microseconds max_hold, std::size_t batch,
                               std::int64_t receive_buffer) noexcept
    : max_hold_(std::max(max_hold, std::chrono::microseconds{0})),
      batch_(static_cast<double>(batch)),
      buffer_(receive_buffer > 0 ? static_cast<double>(receive_buffer) : 0) {}

std::chrono::nanoseconds read_coalescer::after(const wakeup& w) noexcept {
  using std::chrono::nanoseconds;
  if (max_hold_ <= nanoseconds{0} || buffer_ <= 0 || batch_ < 2) return nanoseconds{0};
  // A drop, whatever its cause, ends coalescing: a diagnostic receiver
  // must not lose a datagram that reading at once would have kept.
  if (w.drops) stopped_ = true;
  if (stopped_ || w.datagrams == 0) return nanoseconds{0};
  // The rate over the last few wake-ups (each weighs 3/4 of the one after
  // it): one wake-up alone is too noisy to size a hold on.
  constexpr double keep = 0.75;
  datagrams_ = datagrams_ * keep + static_cast<double>(w.datagrams);
  bytes_ = bytes_ * keep + static_cast<double>(w.bytes);
  seconds_ = seconds_ * keep + std::chrono::duration<double>(std::max(w.elapsed, nanoseconds{0})).count();
  if (!w.timestamped) return nanoseconds{0};
  if (static_cast<double>(w.datagrams) >= batch_) return nanoseconds{0};
  if (seconds_ <= 0) return nanoseconds{0};
  const double rate = datagrams_ / seconds_;  // datagrams per second
  const double cap = std::chrono::duration<double>(max_hold_).count();
  if (rate * cap < min_gain) return nanoseconds{0};
  double hold = batch_ * 0.75 / rate;
  const double per_datagram = bytes_ / datagrams_ * static_cast<double>(size_factor) +
                              static_cast<double>(overhead_bytes);
  const double room = buffer_ / static_cast<double>(buffer_share);  // bytes a hold may let queue
  hold = std::min({hold, cap, room / per_datagram / rate, room / burst_bytes_per_second});
  if (rate * hold < min_gain) return nanoseconds{0};
  const auto d = nanoseconds(static_cast<std::int64_t>(std::llround(hold * 1e9)));
  ++holds_;
  held_ += d;
  return d;
}

}  // namespace mcnet::tools
