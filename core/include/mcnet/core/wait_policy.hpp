// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The mcnet authors
#pragma once

/// @file
/// How a call waits when its socket is not ready: `wait_policy`, shared by
/// the datagram path (<mcnet/core/message.hpp>), stream I/O
/// (<mcnet/core/stream.hpp>), `accept` and `connect_finish`
/// (<mcnet/core/socket_ops.hpp>); and `wait_readable` / `wait_writable` for
/// callers that run their own system calls.

#include <mcnet/core/cxx20.hpp>  // first: C++20 or one clear error

#include <chrono>
#include <cstdint>

#include <mcnet/core/error.hpp>
#include <mcnet/core/socket.hpp>

namespace mcnet::core {

/// How a read or write waits when the socket is not ready. Every timeout is
/// per call: it is counted from the moment that call starts, so a loop of
/// reads under `deadline(1s)` may run for far longer than a second in all, as
/// long as each call finds something within a second. (It is not a point in
/// time shared by calls; a caller that wants one computes what is left before
/// each call.) A call that loops over several system calls (`read_exact`,
/// `write_all`, `writev_all`) counts its timeout once, from its own start,
/// over all of them.
class wait_policy {
 public:
  /// How a call waits: return at once, poll with a timeout, or spin then poll.
  enum class mode : std::uint8_t { nonblocking, deadline, adaptive };

  /// Return at once: "nothing there" is errc::would_block, a normal outcome.
  [[nodiscard]] static constexpr wait_policy nonblocking() noexcept { return {mode::nonblocking, {}, {}}; }
  /// Block in poll(2) until ready or until `timeout` has passed since this
  /// call started (errc::timed_out). A per-call timeout, despite the name:
  /// each call that uses the policy waits up to `timeout` again. For the
  /// batch calls it bounds the wait for the first datagram only. A zero or
  /// negative `timeout` (down to `nanoseconds::min()`) has passed already:
  /// the call tries once, then says errc::timed_out without waiting
  /// (`timeout()` reads 0).
  [[nodiscard]] static constexpr wait_policy deadline(std::chrono::nanoseconds timeout) noexcept {
    return {mode::deadline, timeout, {}};
  }
  /// Block without a time limit. On a descriptor in blocking mode (the
  /// default of mcnet's sockets) the system call itself sleeps until it can
  /// go on: one system call per wake-up, as a plain blocking recvmsg(2)
  /// loop makes; a batch read sleeps for its first datagram only
  /// (MSG_WAITFORONE). On a nonblocking descriptor it polls as deadline()
  /// does. The outcome is the same either way; a signal does not end the
  /// wait (EINTR is retried).
  [[nodiscard]] static constexpr wait_policy blocking() noexcept { return deadline(std::chrono::nanoseconds::max()); }
  /// Try the system call, spin (retrying) for at most `spin`, then block in
  /// poll until `timeout` (counted from the start of the call, as for
  /// `deadline`) has passed: the lowest latency at a bounded cost in CPU.
  /// A call that waits several times (`write_all`) spins up to `spin` at
  /// each wait, within the one `timeout`. A negative `spin` or `timeout`
  /// counts as 0, as for `deadline`.
  [[nodiscard]] static constexpr wait_policy adaptive(std::chrono::nanoseconds spin,
                                                      std::chrono::nanoseconds timeout) noexcept {
    return {mode::adaptive, timeout, spin};
  }

  /// Which of the three ways this is.
  [[nodiscard]] constexpr mode kind() const noexcept { return mode_; }
  /// The per-call limit of deadline() and adaptive(); 0 for nonblocking().
  [[nodiscard]] constexpr std::chrono::nanoseconds timeout() const noexcept { return timeout_; }
  /// How long adaptive() retries before it polls; 0 otherwise.
  [[nodiscard]] constexpr std::chrono::nanoseconds spin() const noexcept { return spin_; }

 private:
  constexpr wait_policy(mode m, std::chrono::nanoseconds timeout, std::chrono::nanoseconds spin) noexcept
      : mode_(m), timeout_(at_least_0(timeout)), spin_(at_least_0(spin)) {}
  // A negative limit would overflow the waits' arithmetic (the start time
  // minus nanoseconds::min()) into one that never passes.
  static constexpr std::chrono::nanoseconds at_least_0(std::chrono::nanoseconds d) noexcept {
    return d < std::chrono::nanoseconds::zero() ? std::chrono::nanoseconds::zero() : d;
  }
  mode mode_;
  std::chrono::nanoseconds timeout_;
  std::chrono::nanoseconds spin_;
};

/// Wait until `s` is readable (or writable) under `wait`: for callers that
/// run their own system calls. Errors: errc::would_block, errc::timed_out,
/// poll's errno.
[[nodiscard]] result<void> wait_readable(socket_ref s, wait_policy wait) noexcept;
/// Wait until `s` is writable under `wait` (its send buffer has room).
/// Errors: errc::would_block, errc::timed_out, poll's errno.
[[nodiscard]] result<void> wait_writable(socket_ref s, wait_policy wait) noexcept;

}  // namespace mcnet::core
