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
///
/// RFC 3550 leaves out nothing: one timestamp moved by 2^31 ticks makes J
/// seconds (trial20q 1). With a bound (the add() overloads that take one),
/// a transit time more than the bound from the last one compared is a
/// step, not jitter (a clock stepping, a send time or RTP timestamp that is
/// not one): counted in steps(), never moving J. The datagram after it says
/// which it was: back within the bound of the transit before the step, the
/// step was a lone datagram's, left out, and the next is compared with the
/// one before it (as across a lost datagram: RFC 3550 compares each with the
/// one received before it); within the bound of the step's, the transit
/// changed for good, and the stream goes on from there. Either way one
/// step: a lone odd datagram counts one, as a timestamp base that changes
/// once does. value_ns() is known once compared() is not 0.

#include <mcnet/core/cxx20.hpp>  // first: C++20 or one clear error

#include <cstdint>

namespace mcnet::feed {

namespace detail {

/// Which transit time the next one is compared with, past steps (jitter
/// and rtp_jitter with a bound; see the file's comment). `T` is the transit
/// time's type: int64 nanoseconds, or RTP's 32-bit units.
template <class T>
struct transit_steps {
  bool any = false;             ///< a transit time came
  T reference{};                ///< the last transit time compared (or the first)
  bool reference_plausible = false;
  bool pending = false;         ///< a step came: `candidate` waits for the next transit time
  T candidate{};                ///< the step's transit time
  std::uint64_t steps = 0;      ///< steps counted
  std::uint64_t compared = 0;   ///< differences that moved J
  std::uint64_t plausible = 0;   ///< transit times the receiver's clock found plausible
  std::uint64_t implausible = 0; ///< and those it did not
};

}  // namespace detail

/// RFC 3550 interarrival jitter of send and arrival times in nanoseconds.
/// Transit times saturate (saturating_sub), so any times from the wire are safe.
class jitter {
 public:
  /// One datagram: its send time (e.g. test_header::send_time_ns) and its
  /// arrival time (the kernel's receive timestamp), both in ns on clocks
  /// that may differ by a constant offset (it cancels out).
  void add(std::int64_t send_ns, std::int64_t arrival_ns) noexcept;
  /// As add(), but a transit time more than `step_ns` from the last one
  /// compared is a step, not jitter (see the file's comment). A transit
  /// time within `step_ns` of 0 is what the receiver's own clock finds
  /// plausible (sent as it arrived, give or take the bound): while such
  /// transit times are at least as many as the others so far, after a step
  /// from a transit time that is not so to one that is, the stream goes on
  /// from the plausible one at once, and a step from a plausible one to one
  /// that is not is never taken for good (with half the send times forged
  /// 30 s ahead, the jitter is the true half's, whichever came first). When
  /// they are fewer, the majority decides as without the clock: one
  /// plausible transit among 100 that are not is a step like any other.
  void add(std::int64_t send_ns, std::int64_t arrival_ns, std::int64_t step_ns) noexcept;
  /// Steps add(send, arrival, step) left out.
  [[nodiscard]] std::uint64_t steps() const noexcept { return steps_.steps; }
  /// Differences of two transit times that moved J: 0 until two datagrams
  /// were compared (then J is unknown, not 0).
  [[nodiscard]] std::uint64_t compared() const noexcept { return steps_.compared; }
  /// The estimate J, in ns; 0 until two datagrams were compared (compared()).
  [[nodiscard]] double value_ns() const noexcept { return j_; }

 private:
  detail::transit_steps<std::int64_t> steps_;
  double j_ = 0;
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
  /// As add(), but a transit time more than `step_ns` (in timestamp units
  /// at the clock rate, at most 2^31 - 1) from the last one compared is a
  /// step, a timestamp discontinuity, not jitter (see the file's comment;
  /// an RTP timestamp's offset is random, so no transit time is plausible
  /// by the receiver's clock alone).
  void add(std::uint32_t rtp_timestamp, std::int64_t arrival_ns, std::int64_t step_ns) noexcept;
  /// One datagram, with its arrival time already in timestamp units
  /// (A.8's `arrival`), modulo 2^32.
  void add_units(std::uint32_t rtp_timestamp, std::uint32_t arrival_units) noexcept;
  /// `arrival_ns` in timestamp units, rounded down, modulo 2^32.
  [[nodiscard]] std::uint32_t to_units(std::int64_t arrival_ns) const noexcept;

  /// The estimate J in timestamp units (A.8 keeps it in floating point);
  /// 0 until two datagrams were compared.
  [[nodiscard]] double value() const noexcept { return j_; }
  /// J as an RTCP reception report's interarrival jitter field carries it
  /// (RFC 3550 section 6.4.1: `(u_int32) s->jitter`).
  [[nodiscard]] std::uint32_t report_value() const noexcept { return static_cast<std::uint32_t>(j_); }
  /// J in nanoseconds: value() * 1e9 / clock rate.
  [[nodiscard]] double value_ns() const noexcept { return rate_ == 0 ? 0.0 : j_ * 1e9 / static_cast<double>(rate_); }
  /// The clock rate given, in Hz.
  [[nodiscard]] std::uint32_t clock_rate() const noexcept { return rate_; }
  /// Steps add(timestamp, arrival, step) left out: timestamp discontinuities.
  [[nodiscard]] std::uint64_t steps() const noexcept { return steps_.steps; }
  /// Differences of two transit times that moved J (0: J unknown).
  [[nodiscard]] std::uint64_t compared() const noexcept { return steps_.compared; }

 private:
  std::uint32_t rate_;
  detail::transit_steps<std::uint32_t> steps_;
  double j_ = 0;
};

}  // namespace mcnet::feed
