// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The mcnet authors
#pragma once

/// @file
/// Interarrival jitter as RFC 3550 defines it (section 6.4.1; the code of
/// Appendix A.8): the mean deviation of the difference in transit time
/// (arrival minus send time) between consecutive datagrams, smoothed with a
/// gain of 1/16: `J += (|D| - J) / 16`. `jitter` takes send and arrival
/// times in nanoseconds (the test header's send time, what mcast-recv
/// reports); `rtp_jitter` takes RTP timestamps and converts arrival times
/// into their units. The first datagram only sets the transit time.

#include <mcnet/core/cxx20.hpp>  // first: C++20 or one clear error

#include <cstdint>

namespace mcnet::feed {

/// RFC 3550 interarrival jitter of send and arrival times in nanoseconds.
/// Transit times saturate (saturating_sub), so any times from the wire are safe.
class jitter {
 public:
  /// One datagram: its send time (e.g. test_header::send_time_ns) and its
  /// arrival time (the kernel's receive timestamp), both in ns on clocks
  /// that may differ by a constant offset (it cancels out).
  void add(std::int64_t send_ns, std::int64_t arrival_ns) noexcept;
  /// As add(), but a transit time more than `step_ns` from the last one is
  /// a step (a clock stepping, a send time that is not one), not jitter: it
  /// becomes the transit time the next is compared with and moves J not
  /// at all. One such datagram among steady ones is two steps, in and out.
  void add(std::int64_t send_ns, std::int64_t arrival_ns, std::int64_t step_ns) noexcept;
  /// Steps add(send, arrival, step) left out.
  [[nodiscard]] std::uint64_t steps() const noexcept { return steps_; }
  /// The estimate J, in ns; 0 until two datagrams arrived.
  [[nodiscard]] double value_ns() const noexcept { return j_; }

 private:
  void add_transit(std::int64_t transit) noexcept;

  bool any_ = false;
  std::int64_t last_transit_ = 0;
  double j_ = 0;
  std::uint64_t steps_ = 0;
};

/// RFC 3550 interarrival jitter of an RTP stream, in its timestamp units, as
/// Appendix A.8 computes it: arrival times are converted into timestamp
/// units at the payload format's clock rate, transit times are 32-bit and
/// their differences taken modulo 2^32 (`int d = transit - s->transit`), so
/// timestamps wrap freely.
class rtp_jitter {
 public:
  /// `clock_rate_hz`: the RTP clock rate of the payload format (RFC 3551:
  /// 8000 for PCMU, 90000 for video). 0 is no clock: every arrival converts
  /// to 0 and value_ns() is 0.
  explicit rtp_jitter(std::uint32_t clock_rate_hz) noexcept : rate_(clock_rate_hz) {}

  /// One datagram: its RTP timestamp and its arrival time in ns (any epoch;
  /// converted with to_units()).
  void add(std::uint32_t rtp_timestamp, std::int64_t arrival_ns) noexcept {
    add_units(rtp_timestamp, to_units(arrival_ns));
  }
  /// One datagram, with its arrival time already in timestamp units
  /// (A.8's `arrival`), modulo 2^32.
  void add_units(std::uint32_t rtp_timestamp, std::uint32_t arrival_units) noexcept;
  /// `arrival_ns` in timestamp units, rounded down, modulo 2^32.
  [[nodiscard]] std::uint32_t to_units(std::int64_t arrival_ns) const noexcept;

  /// The estimate J in timestamp units (A.8 keeps it in floating point);
  /// 0 until two datagrams arrived.
  [[nodiscard]] double value() const noexcept { return j_; }
  /// J as an RTCP reception report's interarrival jitter field carries it
  /// (RFC 3550 section 6.4.1: `(u_int32) s->jitter`).
  [[nodiscard]] std::uint32_t report_value() const noexcept { return static_cast<std::uint32_t>(j_); }
  /// J in nanoseconds: value() * 1e9 / clock rate.
  [[nodiscard]] double value_ns() const noexcept { return rate_ == 0 ? 0.0 : j_ * 1e9 / static_cast<double>(rate_); }
  /// The clock rate given, in Hz.
  [[nodiscard]] std::uint32_t clock_rate() const noexcept { return rate_; }

 private:
  std::uint32_t rate_;
  bool any_ = false;
  std::uint32_t last_transit_ = 0;
  double j_ = 0;
};

}  // namespace mcnet::feed
