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
    // A step: through the end of the burst that the latest datagram due
    // belongs to (bursts are datagrams k*burst .. (k+1)*burst-1, due at
    // k*burst/rate): one burst on schedule, what is due and the rest of its
    // burst after a stall. The sender stays on the bursts' grid: it never
    // runs up to burst-1 datagrams ahead for the rest of the run after a
    // catch-up, and `-d` ends on a burst.
    const std::uint64_t burst_end = (due + burst_ - 1) / burst_ * burst_;
    step_left_ = burst_end - total_sent;
  }
  return {step_left_, {}};
}

void pacer::sent(std::uint64_t n) noexcept { step_left_ -= std::min(step_left_, n); }

}  // namespace mcnet::tools
