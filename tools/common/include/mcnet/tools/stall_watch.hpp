// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The mcnet authors
#pragma once

/// @file
/// Stalled streams during an mcast-recv run (docs/tools.md, "Checks in every
/// run"): the receive session keeps a state per stream (stream::stall, fed
/// by arrive(), checked by check_one(); trial t20r H1: per flow, a stream
/// that stopped without its END hid behind another of its flow). One
/// silent for more than stall_watch::factor times its usual interval
/// between datagrams, more than stall_watch::longest_factor times its
/// longest gap so far (a bursty sender's pauses after its first two are not
/// stalls), and at least stall_watch::floor, is stalled; a `stalled` warning says so once
/// per stall, and a `resumed` warning when its datagrams come back. A
/// stream that sent its END (or MoldUDP64 end of session) is done, not stalled.

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <tuple>

#include <mcnet/core/ip_address.hpp>

namespace mcnet::tools {

/// The stall rule over one stream's state; fed by the receive session.
class stall_watch {
 public:
  using clock = std::chrono::steady_clock;
  /// (source, group, port)
  using flow = std::tuple<core::ip_address, core::ip_address, std::uint16_t>;

  /// Silent for more than this many usual intervals: stalled.
  static constexpr double factor = 10;
  /// ... and for more than this many times its longest gap so far (the
  /// shorter of its last two stalls' silences included, once it came back
  /// from two): bursts of 100 every 2.5 s have a mean gap of 25 ms; their
  /// first two pauses read as stalls (nothing before tells them from
  /// one), the later ones do not.
  static constexpr double longest_factor = 2;
  /// ... and for at least this long (a 1 kpps stream is not stalled by a 10 ms hiccup).
  static constexpr std::chrono::milliseconds floor{1000};
  /// Datagrams a stream needs before its usual interval is believed.
  static constexpr std::uint64_t warm_up = 5;

  /// A change of a stream's state.
  struct change {
    flow key;
    bool stalled = false;      ///< true: it just stalled; false: it resumed
    double silent_s = 0;       ///< how long it had been silent, seconds
    double usual_interval_s = 0;  ///< its mean interval between datagrams (those read together 0 apart; stalls left out), seconds
    double longest_gap_s = 0;     ///< its longest gap before this silence (a silence it came back from twice included), seconds
    double limit_s = 0;           ///< the silence that counted as a stall, seconds
    /// A `resumed` change of a stall the watcher did not see (it came and
    /// went while the watcher itself did not run: pause()), found by the
    /// kernel's arrival times of the datagrams on either side of it: it
    /// stalled, silent for silent_s, and resumed (trial t20v M1).
    bool while_paused = false;
  };

  /// A datagram's arrival as the kernel gave it: its time (SO_TIMESTAMPNS,
  /// ns since the epoch) and its socket's drop count as it carried it
  /// (SO_RXQ_OVFL, cumulative; 0 before the socket's first drop, which is
  /// when Linux attaches none). Two datagrams of one socket with the same
  /// count had no drop between them: the gap between their times is the
  /// wire's own silence, whatever the watcher did meanwhile.
  struct kernel_arrival {
    std::int64_t ns = 0;
    std::uint32_t drops = 0;
    std::size_t socket = 0;
    /// The watcher's latest pause on the kernel's clock, [from, to] (0 0:
    /// none): a stream whose first datagrams waited in the queue during it
    /// had no state to mark when it came (pause() marks those it had).
    std::int64_t pause_from_ns = 0;
    std::int64_t pause_to_ns = 0;
  };

  /// One stream's arrivals and stall (stream::stall in its record). Its
  /// first arrival starts it.
  struct state {
    clock::time_point last{};
    std::uint64_t gaps = 0;  // intervals counted in `sum` (0 ones included; not those of stalls)
    clock::duration sum{};
    clock::duration longest{};  // the longest of those intervals, and of silences it came back from twice
    clock::duration resumed_from{};  // the silence of the last stall it resumed from
    bool stalled = false;
    bool ended = false;
    bool started = false;  // an arrival came
    /// What came between its last arrival and the next is unknown (its
    /// datagrams were untracked while it was evicted): the next gap is
    /// not one of its intervals.
    bool gap_unknown = false;
    /// The kernel's arrival time of its latest datagram (ns since the
    /// epoch; `heard` false before one came with one), and the watcher's
    /// own pauses since (pause()): its intervals are between its
    /// datagrams' arrivals, not between their reads (trial t20t H3: a feed
    /// of 1 pps read in one batch after a SIGSTOP came together by the
    /// read times).
    std::int64_t heard_ns = 0;
    bool heard = false;
    clock::duration paused{};
    /// Its latest datagram's socket and that socket's drop count as it
    /// carried it (kernel_arrival).
    std::uint32_t heard_drops = 0;
    std::size_t heard_socket = 0;
    /// The watcher's latest pause (pause()) on the kernel's clock (ns since
    /// the epoch; 0 0: none known): a gap between arrivals that overlaps it
    /// was not watched live.
    std::int64_t pause_from_ns = 0;
    std::int64_t pause_to_ns = 0;
    [[nodiscard]] clock::duration usual() const { return gaps == 0 ? clock::duration{} : sum / static_cast<clock::rep>(gaps); }
  };

  /// A datagram of the stream `s` (named `f` in the change) read at `t`;
  /// `end`: its END (the stream is done); `at`: the kernel's arrival
  /// (kernel_arrival), when there is one. Its silence counts from `t` (the
  /// watcher's clock); the interval since its last datagram is between
  /// their arrival times where both have one, else between their reads.
  /// The watcher's own pauses since its last datagram (pause()) are left
  /// out of that interval only when they may hide a silence's datagrams:
  /// without the kernel's times, or when the socket dropped datagrams
  /// between the two (a full queue: the feed may have gone on). Two
  /// arrivals with no drop between tell the wire's own silence (trial t20v
  /// M1: a sender's 3 s silence inside the receiver's SIGSTOP went unsaid):
  /// one that overlaps the watcher's pause (pause()'s `ended_ns` given),
  /// longer than its stall limit, its pace known (`warm` datagrams, as
  /// check_one()), is a stall the watcher did not see, returned as a
  /// `resumed` change with while_paused set. Returns the `resumed` change
  /// when it was stalled and this is a datagram (an END after the silence
  /// ends the stream: nothing resumed); a stall's silence is between the
  /// arrival times too where they tell it.
  [[nodiscard]] static std::optional<change> arrive(state& s, const flow& f, clock::time_point t, bool end,
                                                    std::optional<kernel_arrival> at = std::nullopt,
                                                    std::uint64_t warm = warm_up);
  /// The `stalled` change when `s` stalled as of `now` (once per stall),
  /// once `warm` datagrams came (warm_up; the receive session's rule for a
  /// short feed, short_paced_feed(), fewer).
  [[nodiscard]] static std::optional<change> check_one(state& s, const flow& f, clock::time_point now,
                                                       std::uint64_t warm = warm_up);
  /// Its silence so far in seconds when it is stalled (reported, not
  /// resumed since): at the run's end, what its loss count cannot cover.
  [[nodiscard]] static std::optional<double> stalled_for(const state& s, clock::time_point now);
  /// The watcher itself did not run for `d` (stopped by SIGSTOP, a
  /// suspended machine, starved of CPU): as far as it can tell now, the
  /// stream was not silent for it (its datagrams waited in the receive
  /// queue, or were dropped when it was full): its clock moves on by `d`.
  /// Its next datagram's arrival time tells what the wire did (arrive()).
  /// `ended_ns`: when it ended on the kernel's clock (the system clock,
  /// ns since the epoch), which arrive() compares its arrivals with.
  static void pause(state& s, clock::duration d, std::optional<std::int64_t> ended_ns = std::nullopt);

  stall_watch() = delete;  // the rule only: the state lives in each stream's record

 private:
  [[nodiscard]] static clock::duration limit(const state& s);
};

/// The receive loop's own clock (trial t15q M6): the loop checks it at each
/// of its steps (before the reports, before and after the wait for
/// datagrams), and a step that took a second or more is the loop's own
/// pause (stopped by SIGSTOP, a suspended machine, starved of CPU), wherever
/// in the loop the stop came: the wait, the reads or the reports. (Only the
/// wait was timed before: a stop during a burst's reads went unsaid, 2 runs
/// in 11 at 20,000 pps.) No step of the loop's own takes a second: the wait
/// is 50 ms, a hold under one, the reads a bounded number of batches.
class pause_clock {
 public:
  using clock = std::chrono::steady_clock;
  static constexpr clock::duration limit = std::chrono::seconds(1);
  explicit pause_clock(clock::time_point now) noexcept : mark_(now) {}
  /// A check at `now`: the time since the last check when it is `limit` or
  /// more (a pause), else nothing.
  [[nodiscard]] std::optional<clock::duration> check(clock::time_point now) noexcept {
    const auto step = now - mark_;
    mark_ = now;
    if (step >= limit) return step;
    return std::nullopt;
  }

 private:
  clock::time_point mark_;
};

}  // namespace mcnet::tools
