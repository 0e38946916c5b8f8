// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The mcnet authors
#pragma once

// The waiting every I/O call shares (io.cpp's datagrams, stream.cpp's
// streams, accept and connect_finish): the system call runs with
// MSG_DONTWAIT (or on a call that cannot block), and `with_wait` polls
// between attempts as the wait_policy says; under blocking() the call may
// sleep in the kernel instead (in_kernel).

#include <poll.h>
#include <time.h>

#include <algorithm>
#include <cerrno>
#include <chrono>
#include <climits>
#include <string_view>
#include <utility>

#include <mcnet/core/error.hpp>
#include <mcnet/core/wait_policy.hpp>

#include "sys/calls.hpp"

namespace mcnet::core::detail {

using clock = std::chrono::steady_clock;

inline void cpu_relax() noexcept {
#if defined(__x86_64__) || defined(__i386__)
  __builtin_ia32_pause();
#elif defined(__aarch64__)
  asm volatile("yield");
#endif
}

/// Whether the system call itself may sleep under `wait`: only for
/// wait_policy::blocking() (a deadline with no end). On a descriptor in
/// blocking mode the kernel then wakes the caller once, where MSG_DONTWAIT,
/// EAGAIN, poll and the call again take three system calls per wake-up
/// (docs/performance.md, "Stream waits" and "Blocking datagram reads"). On a
/// nonblocking descriptor the call says EAGAIN and with_wait polls as usual,
/// so the outcome is the same either way. A wait with an end never sleeps in
/// the call: only poll can keep the deadline.
inline bool in_kernel(wait_policy wait) noexcept {
  return wait.kind() == wait_policy::mode::deadline && wait.timeout() == std::chrono::nanoseconds::max();
}

inline constexpr long kWouldBlock = -EAGAIN;
inline constexpr long kTimedOut = LONG_MIN;  // no errno is this

/// When a call's timeout started: taken at the first wait, so that a call
/// that never waits never reads the clock; a call that loops over several
/// system calls keeps one for all of them (its timeout bounds the whole
/// call).
class call_start {
 public:
  clock::time_point get() noexcept {
    if (!taken_) {
      at_ = clock::now();
      taken_ = true;
    }
    return at_;
  }
  /// Start counting now (a looping call does so on entry).
  void take() noexcept { (void)get(); }
  /// Whether the clock was read already.
  [[nodiscard]] bool taken() const noexcept { return taken_; }

 private:
  clock::time_point at_{};
  bool taken_ = false;
};

/// Run `attempt` (a count, or -errno) until it does something other than
/// would-block, waiting for `events` on `fd` as the policy says; the
/// timeout is counted from `start`. Returns the count, -errno, kWouldBlock
/// (nonblocking) or kTimedOut.
template <class Attempt>
long with_wait(int fd, short events, wait_policy wait, call_start& start, Attempt&& attempt) noexcept {
  long r = attempt();
  if (r != kWouldBlock || wait.kind() == wait_policy::mode::nonblocking) return r;

  const bool fresh = !start.taken();
  const auto from = start.get();
  const bool forever = wait.timeout() == std::chrono::nanoseconds::max();
  if (wait.kind() == wait_policy::mode::adaptive) {
    const auto spin_from = fresh ? from : clock::now();
    const auto spin = std::min(wait.spin(), wait.timeout() - (spin_from - from));
    while (clock::now() - spin_from < spin) {
      r = attempt();
      if (r != kWouldBlock) return r;
      cpu_relax();
    }
  }
  while (true) {
    long long left = -1;
    if (!forever) {
      left = (wait.timeout() - (clock::now() - from)).count();
      if (left <= 0) return kTimedOut;
    }
    auto ready = sys::poll_one(fd, events, left);
    if (!ready) return -ready.error().code.value();
    r = attempt();
    if (r != kWouldBlock) return r;
    // Spurious wake-up, or another reader took the data: wait again.
  }
}

/// The same for a call that waits once: the timeout starts with the call.
template <class Attempt>
long with_wait(int fd, short events, wait_policy wait, Attempt&& attempt) noexcept {
  call_start start;
  return with_wait(fd, events, wait, start, std::forward<Attempt>(attempt));
}

/// `with_wait` for a socket whose poll(2) cannot say when the call would
/// succeed: an unconnected AF_UNIX datagram socket is always writable to
/// poll, whatever the queue of the receiver it sends to (unix_dgram_poll
/// looks at a peer's queue only on a connected socket), so polling would
/// spin. Between attempts this sleeps instead, 50 us at first, doubling up
/// to 4 ms: a few hundred system calls a second at most while the
/// receiver's queue stays full, at the cost of noticing room up to 4 ms
/// late. `adaptive` spins first as with_wait does. Returns as with_wait.
template <class Attempt>
long with_backoff(wait_policy wait, Attempt&& attempt) noexcept {
  long r = attempt();
  if (r != kWouldBlock || wait.kind() == wait_policy::mode::nonblocking) return r;
  const auto from = clock::now();
  const bool forever = wait.timeout() == std::chrono::nanoseconds::max();
  if (wait.kind() == wait_policy::mode::adaptive) {
    const auto spin = std::min(wait.spin(), wait.timeout());
    while (clock::now() - from < spin) {
      r = attempt();
      if (r != kWouldBlock) return r;
      cpu_relax();
    }
  }
  constexpr std::chrono::nanoseconds longest_pause = std::chrono::milliseconds(4);
  std::chrono::nanoseconds pause = std::chrono::microseconds(50);
  while (true) {
    auto nap = pause;
    if (!forever) {
      const auto left = wait.timeout() - (clock::now() - from);
      if (left.count() <= 0) return kTimedOut;
      nap = std::min(nap, left);
    }
    // A signal cuts the nap short (EINTR): the next attempt comes sooner, the deadline stays.
    const timespec ts{static_cast<time_t>(nap.count() / 1'000'000'000), static_cast<long>(nap.count() % 1'000'000'000)};
    (void)::nanosleep(&ts, nullptr);
    r = attempt();
    if (r != kWouldBlock) return r;
    pause = std::min(pause * 2, longest_pause);
  }
}

/// The error for a failed call (`r` < 0): errc::would_block, errc::timed_out
/// or the errno.
inline error io_error(long r, std::string_view op) noexcept {
  if (r == kWouldBlock) return error(errc::would_block, op, "socket");
  if (r == kTimedOut) return error(errc::timed_out, op, "socket");
  return error::from_errno(static_cast<int>(-r), op, "socket");
}

}  // namespace mcnet::core::detail
