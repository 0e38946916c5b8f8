// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The mcnet authors
#include <mcnet/tools/pacer.hpp>

#include <algorithm>

namespace mcnet::tools {

pacer::decision pacer::next(std::chrono::duration<double> elapsed, std::uint64_t total_sent) noexcept {
  if (pps_ <= 0) return {unlimited, {}};
  if (step_left_ == 0) {
    const double scheduled = elapsed.count() * pps_;
    const auto due = static_cast<std::uint64_t>(scheduled) + 1;
    if (total_sent >= due) {
      // Ahead of schedule: sleep until datagram `total_sent` (from 0) is
      // due, at t = total_sent / rate; at most max_sleep.
      const double wait = std::min(max_sleep.count(), (static_cast<double>(total_sent) - scheduled) / pps_);
      return {0, std::chrono::duration<double>(std::max(wait, min_sleep.count()))};
    }
    // A step: what is due (more after a stall), at least --burst back to back.
    step_left_ = std::max<std::uint64_t>(due - total_sent, burst_);
  }
  return {step_left_, {}};
}

void pacer::sent(std::uint64_t n) noexcept { step_left_ -= std::min(step_left_, n); }

}  // namespace mcnet::tools
