// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The mcnet authors
#pragma once

/// @file
/// mcast-recv's receive coalescing (--coalesce), as a pure function of what
/// each wake-up read: when wake-ups keep finding only a few datagrams at a
/// high rate, the receive loop sleeps between them so that the next read
/// takes a batch. Each wake-up costs a wait and a read (two system calls and
/// a context switch, a few microseconds on a VM) whatever it finds, so at
/// 100,000 datagrams a second a loop that reads each datagram as it comes
/// spends most of its CPU on waking. What a hold never changes: the
/// datagrams' arrival times (the kernel stamps them on arrival,
/// SO_TIMESTAMPNS, and the statistics use those stamps) and what is counted.
/// It is the receive side's interrupt coalescing (ethtool's rx-usecs), done
/// in user space.

#include <chrono>
#include <cstddef>
#include <cstdint>

namespace mcnet::tools {

class read_coalescer {
 public:
  /// What one wake-up of the receive loop read.
  struct wakeup {
    std::size_t datagrams = 0;  ///< datagrams read (every socket, END markers included)
    std::size_t bytes = 0;      ///< their payload bytes
    /// Since the previous wake-up's reads ended: the wait, the reads and any hold.
    std::chrono::nanoseconds elapsed{0};
    bool drops = false;        ///< a socket's SO_RXQ_OVFL count grew in these reads (coalescing stops for good)
    bool timestamped = true;   ///< every datagram read carried a kernel receive time
  };

  /// The most a wake-up's hold lets queue, as a share of the receive
  /// buffer: a quarter, so a burst on top of a hold still fits.
  static constexpr std::size_t buffer_share = 4;
  /// What one datagram is assumed to take of the receive buffer: the
  /// kernel charges the socket buffer's truesize (the sk_buff, its headers
  /// and the allocation's rounding: ~700-900 bytes for a small datagram on a
  /// veth, up to 1.84 times the size for 8,000 bytes and more), so twice
  /// the size and 1,024 bytes more.
  static constexpr std::size_t overhead_bytes = 1024;
  static constexpr std::size_t size_factor = 2;
  /// The fastest a burst is assumed to arrive, in bytes of receive buffer a
  /// second: 10 Gbit/s of datagrams as the kernel charges them. A hold is
  /// never longer than this rate takes to fill the quarter of the buffer,
  /// whatever the measured rate was: a burst that comes during a hold
  /// finds room (trial17a H1: a steady feed's holds sized on its average
  /// rate let a burst on another socket fill a 425,984-byte buffer).
  static constexpr double burst_bytes_per_second = 1.25e9;
  /// A hold that would gather fewer datagrams than this is not worth its
  /// own sleep (a nanosleep is a system call and a context switch too).
  static constexpr double min_gain = 4;

  /// No coalescing: every answer is 0.
  read_coalescer() = default;
  /// Holds of up to `max_hold` (0: none) aiming at batches of `batch`
  /// datagrams (the recvmmsg size, 1 to 64), without letting the queue grow
  /// past a quarter of `receive_buffer` bytes (SO_RCVBUF as read back, the
  /// smallest of the sockets'; 0 or less: unknown, no hold).
  read_coalescer(std::chrono::microseconds max_hold, std::size_t batch, std::int64_t receive_buffer) noexcept;

  /// How long to sleep before the next wait, given what this wake-up read:
  /// 0 when the wake-up read nothing or a whole batch or more, when a
  /// datagram came without a kernel time (the hold would shift its
  /// arrival), once any socket reported a drop (for the rest of the run:
  /// stopped()), when the rate (smoothed over the last wake-ups) would
  /// gather fewer than min_gain datagrams in the hold. Else the time the
  /// rate takes to fill three quarters of a batch, at most max_hold, at
  /// most what a quarter of the receive buffer holds at that rate, and at
  /// most what it holds at burst_bytes_per_second.
  [[nodiscard]] std::chrono::nanoseconds after(const wakeup& w) noexcept;

  /// Holds decided so far, and their total length.
  [[nodiscard]] std::uint64_t holds() const noexcept { return holds_; }
  [[nodiscard]] std::chrono::nanoseconds held() const noexcept { return held_; }
  /// Whether a socket's drop stopped coalescing for the rest of the run.
  [[nodiscard]] bool stopped() const noexcept { return stopped_; }

 private:
  std::chrono::nanoseconds max_hold_{0};
  double batch_ = 0;
  double buffer_ = 0;
  double datagrams_ = 0, seconds_ = 0, bytes_ = 0;  // smoothed over wake-ups
  bool stopped_ = false;
  std::uint64_t holds_ = 0;
  std::chrono::nanoseconds held_{0};
};

}  // namespace mcnet::tools
