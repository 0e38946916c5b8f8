// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The mcnet authors
#pragma once

/// @file
/// mcast-send's pacing, as a pure function of the clock: given the time
/// since the run started and what was sent, how many datagrams may go now,
/// or how long to sleep. The schedule is absolute (datagram n is due at
/// n / rate seconds), so it never drifts; after a stall what is due goes
/// out at once, back to back (docs/man/mcast-send.1, FAULT INJECTION AND RATES).

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <limits>

namespace mcnet::tools {

class pacer {
 public:
  /// The longest sleep: the send loop also checks the clock (--duration)
  /// and the signal flag after it.
  static constexpr std::chrono::duration<double> max_sleep{1e-3};
  /// The shortest sleep: a floor that keeps the loop from spinning.
  static constexpr std::chrono::duration<double> min_sleep{1e-5};
  /// `allowed` when nothing limits the rate.
  static constexpr std::uint64_t unlimited = std::numeric_limits<std::uint64_t>::max();

  /// No pacing: every answer is `unlimited`.
  pacer() = default;
  /// `packets_per_second` > 0 over the whole run; `burst` >= 1 datagrams
  /// per step, sent back to back.
  pacer(double packets_per_second, std::size_t burst) noexcept : pps_(packets_per_second), burst_(burst) {}

  /// What the loop may do now.
  struct decision {
    std::uint64_t allowed = 0;                    ///< datagrams that may go now (0: sleep instead)
    std::chrono::duration<double> sleep{0};       ///< when allowed is 0: min_sleep to max_sleep
  };

  /// Asked before each batch, with the steady time since the run started and
  /// the datagrams sent so far. While a step is under way its remaining
  /// datagrams are allowed. Otherwise `floor(elapsed * rate) + 1` datagrams
  /// are due: when `total_sent` has reached that, sleep until the next
  /// datagram (number `total_sent`, counting from 0) is due, at
  /// `total_sent / rate`, clamped to [min_sleep, max_sleep]; else a new step
  /// begins with what is due, at least `burst` datagrams.
  [[nodiscard]] decision next(std::chrono::duration<double> elapsed, std::uint64_t total_sent) noexcept;

  /// `n` datagrams of the current step went out.
  void sent(std::uint64_t n) noexcept;

  [[nodiscard]] bool paced() const noexcept { return pps_ > 0; }

 private:
  double pps_ = 0;
  std::size_t burst_ = 1;
  std::uint64_t step_left_ = 0;  // datagrams of the current step still to send
};

}  // namespace mcnet::tools
