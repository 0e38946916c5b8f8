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
    bool drops = false;        ///< a socket's SO_RXQ_OVFL count grew in these reads
    bool timestamped = true;   ///< every datagram read carried a kernel receive time
  };

  /// The most a wake-up's hold lets queue, as a share of the receive
  /// buffer: a quarter, so a burst on top of a hold still fits.
  static constexpr std::size_t buffer_share = 4;
  /// What one datagram is assumed to take of the receive buffer beyond its
  /// payload (the kernel charges the socket buffer's truesize: the sk_buff,
  /// its headers and the slab rounding; ~700-900 bytes for a small datagram
  /// on a veth), rounded up.
  static constexpr std::size_t overhead_bytes = 1024;
  /// A hold that would gather fewer datagrams than this is not worth its
  /// own sleep (a nanosleep is a system call and a context switch too).
  static constexpr double min_gain = 4;
  /// After a socket reported drops, no hold for this long.
  static constexpr std::chrono::seconds drop_backoff{1};

  /// No coalescing: every answer is 0.
  read_coalescer() = default;
  /// Holds of up to `max_hold` (0: none) aiming at batches of `batch`
  /// datagrams (the recvmmsg size, 1 to 64), without letting the queue grow
  /// past a quarter of `receive_buffer` bytes (SO_RCVBUF as read back, the
  /// smallest of the sockets'; 0 or less: unknown, no hold).
  read_coalescer(std::chrono::microseconds max_hold, std::size_t batch, std::int64_t receive_buffer) noexcept;

  /// How long to sleep before the next wait, given what this wake-up read:
  /// 0 when the wake-up read nothing or already a half batch or more, when
  /// a datagram came without a kernel time (the hold would shift its
  /// arrival), within drop_backoff of a drop, when the rate (smoothed over
  /// wake-ups) would gather fewer than min_gain datagrams in max_hold.
  /// Else the time the rate takes to fill three quarters of a batch, at
  /// most max_hold and at most what a quarter of the receive buffer holds.
  [[nodiscard]] std::chrono::nanoseconds after(const wakeup& w) noexcept;

  /// Holds decided so far, and their total length.
  [[nodiscard]] std::uint64_t holds() const noexcept { return holds_; }
  [[nodiscard]] std::chrono::nanoseconds held() const noexcept { return held_; }

 private:
  std::chrono::nanoseconds max_hold_{0};
  double batch_ = 0;
  double buffer_ = 0;
  double datagrams_ = 0, seconds_ = 0, bytes_ = 0;  // smoothed over wake-ups
  std::chrono::nanoseconds backoff_{0};
  std::uint64_t holds_ = 0;
  std::chrono::nanoseconds held_{0};
};

}  // namespace mcnet::tools
