// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The mcnet authors
#pragma once

/// @file
/// Stalled streams during an mcast-recv run (docs/tools.md, "Checks in every
/// run"): the receive session keeps a state per stream (stream::stall, fed
/// by arrive(), checked by check_one(); trial t20r H1); this class keeps
/// them per flow (source, group, port). One silent for more than
/// stall_watch::factor times its usual interval between datagrams, more
/// than stall_watch::longest_factor times its longest gap so far (a bursty
/// sender's pauses after its first two are not stalls), and at least
/// stall_watch::floor, is stalled; a `stalled` warning says so once
/// per stall, and a `resumed` warning when its datagrams come back. A flow
/// that sent its END (or MoldUDP64 end of session) is done, not stalled.

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <map>
#include <optional>
#include <tuple>
#include <utility>
#include <vector>

#include <mcnet/core/ip_address.hpp>

namespace mcnet::tools {

/// The flows' arrival times and their stalls; fed by the receive session.
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
  /// Datagrams a flow needs before its usual interval is believed.
  static constexpr std::uint64_t warm_up = 5;
  /// Flows followed at most (a flood of sources cannot make it grow further).
  static constexpr std::size_t max_flows = 65536;

  /// A change of a flow's state.
  struct change {
    flow key;
    bool stalled = false;      ///< true: it just stalled; false: it resumed
    double silent_s = 0;       ///< how long it had been silent, seconds
    double usual_interval_s = 0;  ///< its mean interval between datagrams (those read together 0 apart; stalls left out), seconds
    double longest_gap_s = 0;     ///< its longest gap before this silence (a silence it came back from twice included), seconds
    double limit_s = 0;           ///< the silence that counted as a stall, seconds
  };

  /// A datagram of `f` at `t`; `end`: its END (the flow is done). Returns
  /// the `resumed` change when `f` was stalled and this is a datagram (an
  /// END after the silence ends the flow: nothing resumed). Datagrams of one flow in a
  /// row (the common case: a burst read in one batch) cost one comparison,
  /// not a lookup.
  [[nodiscard]] std::optional<change> arrival(const flow& f, clock::time_point t, bool end);

  /// The flows that stalled since the last call, as of `now`.
  [[nodiscard]] std::vector<change> check(clock::time_point now);

  /// The flows stalled as of `now` (reported, not resumed since), each with
  /// its silence so far in seconds: at the run's end, what its loss count
  /// cannot cover (trial15k L1).
  [[nodiscard]] std::vector<std::pair<flow, double>> still_stalled(clock::time_point now) const;

  /// The watcher itself did not run for `d` (stopped by SIGSTOP, a
  /// suspended machine, starved of CPU): no flow was silent for it, its
  /// datagrams waited in the receive queue. Every flow's clock moves on by
  /// `d`, so its silence counts from before the pause plus after it.
  void paused(clock::duration d);

  /// One watched item's arrivals and stall: a flow's here, or a stream's
  /// own (stream::stall, the receive session's per-stream watch: trial
  /// t20r H1, a stream that stopped without its END hid behind another
  /// stream of its flow). Its first arrival starts it.
  struct state {
    clock::time_point last{};
    std::uint64_t gaps = 0;  // intervals counted in `sum` (0 ones included; not those of stalls)
    clock::duration sum{};
    clock::duration longest{};  // the longest of those intervals, and of silences it came back from twice
    clock::duration resumed_from{};  // the silence of the last stall it resumed from
    bool stalled = false;
    bool ended = false;
    bool started = false;  // an arrival came
    [[nodiscard]] clock::duration usual() const { return gaps == 0 ? clock::duration{} : sum / static_cast<clock::rep>(gaps); }
  };

  /// arrival() for one item's state `s` (`f` names it in the change).
  [[nodiscard]] static std::optional<change> arrive(state& s, const flow& f, clock::time_point t, bool end);
  /// check() for one item: the change when it stalled as of `now`, once
  /// `warm` datagrams came (warm_up; the receive session's rule for a short
  /// feed, short_paced_feed(), fewer).
  [[nodiscard]] static std::optional<change> check_one(state& s, const flow& f, clock::time_point now,
                                                       std::uint64_t warm = warm_up);
  /// Its silence so far in seconds when it is stalled (reported, not resumed since).
  [[nodiscard]] static std::optional<double> stalled_for(const state& s, clock::time_point now);
  /// paused() for one item.
  static void pause(state& s, clock::duration d);

 private:
  [[nodiscard]] static clock::duration limit(const state& s);
  std::map<flow, state> flows_;
  // The entry of the previous arrival's flow: a map's nodes stay where they
  // are (flows are never erased, and a move hands the nodes over).
  const flow* last_key_ = nullptr;
  state* last_state_ = nullptr;

 public:
  stall_watch() = default;
  stall_watch(stall_watch&&) noexcept = default;
  stall_watch& operator=(stall_watch&&) noexcept = default;
  // A copy's entries would be the original's.
  stall_watch(const stall_watch&) = delete;
  stall_watch& operator=(const stall_watch&) = delete;
  ~stall_watch() = default;
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
