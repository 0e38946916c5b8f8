// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The mcnet authors
#include <mcnet/tools/stall_watch.hpp>

#include <algorithm>

namespace mcnet::tools {

namespace {
double seconds(std::chrono::steady_clock::duration d) { return std::chrono::duration<double>(d).count(); }
}  // namespace

stall_watch::clock::duration stall_watch::limit(const state& s) {
  const auto scaled = std::chrono::duration_cast<clock::duration>(s.usual() * factor);
  const auto longest = std::chrono::duration_cast<clock::duration>(s.longest * longest_factor);
  return std::max<clock::duration>({scaled, longest, floor});
}

std::optional<stall_watch::change> stall_watch::arrive(state& s, const flow& f, clock::time_point t, bool end,
                                                      std::optional<kernel_arrival> at, std::uint64_t warm) {
  const auto heard = [&s, at] {
    if (at) {
      s.heard_ns = s.heard ? std::max(s.heard_ns, at->ns) : at->ns;
      s.heard = true;
      s.heard_drops = at->drops;
      s.heard_socket = at->socket;
    }
    s.paused = {};
  };
  if (!s.started) {
    s = state{};
    s.last = t;
    s.ended = end;
    s.started = true;
    heard();
    return std::nullopt;
  }
  std::optional<change> out;
  const auto gap = t - s.last;
  // The wire's own silence since its last datagram (trial t20v M1): the
  // gap between the kernel's arrival times, when its socket dropped
  // nothing between them (no datagram of it can have been lost in a full
  // queue: it sent nothing). Not after untracked datagrams of it.
  std::optional<clock::duration> wire;
  if (at && s.heard && !s.gap_unknown && at->socket == s.heard_socket && at->drops == s.heard_drops &&
      at->ns >= s.heard_ns) {
    wire = std::chrono::duration_cast<clock::duration>(std::chrono::nanoseconds(at->ns - s.heard_ns));
  }
  // A stall it came back from: not the usual interval. But a silence the
  // flow came back from twice is its pattern (a bursty sender's pauses):
  // its first two pauses read as stalls, the later ones do not; one real
  // stall changes nothing.
  const auto came_back_from = [&s](clock::duration silence) {
    if (s.resumed_from.count() > 0) s.longest = std::max(s.longest, std::min(s.resumed_from, silence));
    s.resumed_from = silence;
  };
  if (s.stalled && end) {
    // Only the sender's END after the silence: the flow ended, nothing
    // resumed (its `-d` ran out while it was stopped).
    s.stalled = false;
  } else if (s.stalled) {
    // Its silence by the arrival times where they tell it (the watcher's
    // pauses during it included: the wire was silent then too).
    const auto silence = wire.value_or(gap);
    out = change{f, false, seconds(silence), seconds(s.usual()), seconds(s.longest), seconds(limit(s))};
    s.stalled = false;
    came_back_from(silence);
  } else if (s.gap_unknown) {
    // Its datagrams of the gap were untracked (stream_table: evicted, no
    // room for it): not an interval of its pace.
  } else if (at && s.heard && !s.ended) {
    // Between the datagrams' arrivals, as the rate is (trial t20t H3: a
    // 1 pps feed queued while the receiver was stopped, read in one batch,
    // had a usual interval of 0 and no short feed's spread by its reads).
    // The watcher's own pause since its last datagram is no interval of it
    // when drops may hide what it sent meanwhile (a full queue: as its
    // silence is not, pause()); out of order (another socket's) 0.
    // The part of the gap the pause covered: by its time on the kernel's
    // clock when known (a datagram queued before the queue overflowed may
    // be read after the pause's first), else the pauses since its last read.
    // Its own mark (pause()), else the watcher's latest pause (a stream
    // whose first datagrams came during it).
    const bool own = s.pause_to_ns > s.heard_ns && at->ns > s.pause_from_ns;
    const bool latest = !own && at->pause_to_ns > s.heard_ns && at->ns > at->pause_from_ns;
    const bool overlaps = own || latest;
    const auto from = own ? s.pause_from_ns : at->pause_from_ns;
    const auto to = own ? s.pause_to_ns : at->pause_to_ns;
    const auto left_out =
        overlaps ? std::chrono::duration_cast<clock::duration>(
                       std::chrono::nanoseconds(std::min(at->ns, to) - std::max(s.heard_ns, from)))
        : s.pause_to_ns == 0 && at->pause_to_ns == 0 ? s.paused
                                                     : clock::duration{};
    const auto between = std::chrono::nanoseconds(at->ns - s.heard_ns);
    const auto interval =
        wire ? *wire : std::max(std::chrono::duration_cast<clock::duration>(between) - left_out, clock::duration{});
    if (wire && overlaps && s.gaps + 1 >= warm && interval > limit(s)) {
      // Silent on the wire past its limit while the watcher did not run:
      // a stall it could not see, said now (stalled and resumed).
      out = change{f, false, seconds(interval), seconds(s.usual()), seconds(s.longest), seconds(limit(s)), true};
      came_back_from(interval);
    } else {
      s.sum += interval;
      ++s.gaps;
      s.longest = std::max(s.longest, interval);
    }
  } else if (!s.ended && gap.count() >= 0) {
    // A stall's silence is not the flow's usual interval. Datagrams read
    // together (a burst in one batch) have a gap of 0 and count: the usual
    // interval is the mean interval between the flow's datagrams, not
    // between its reads (which read 8 ms for bursts of 100 at 1000 pps).
    // Without the kernel's times (--timestamp none) the reads are all there
    // is, and the watcher's pauses stay out (pause()).
    s.sum += gap;
    ++s.gaps;
    s.longest = std::max(s.longest, gap);
  }
  heard();
  s.gap_unknown = false;
  s.last = std::max(s.last, t);
  s.ended = end;
  return out;
}

std::optional<stall_watch::change> stall_watch::check_one(state& s, const flow& f, clock::time_point now,
                                                         std::uint64_t warm) {
  if (!s.started || s.stalled || s.ended || s.gaps + 1 < warm) return std::nullopt;
  const auto silent = now - s.last;
  if (silent <= limit(s)) return std::nullopt;
  s.stalled = true;
  return change{f, true, seconds(silent), seconds(s.usual()), seconds(s.longest), seconds(limit(s))};
}

std::optional<double> stall_watch::stalled_for(const state& s, clock::time_point now) {
  if (!s.stalled) return std::nullopt;
  return seconds(now - s.last);
}

void stall_watch::pause(state& s, clock::duration d, std::optional<std::int64_t> ended_ns) {
  if (d.count() <= 0 || !s.started) return;
  if (ended_ns) {
    // A pause since its last arrival widens the window (several pauses
    // before its next datagram are one span to compare with).
    const auto from = *ended_ns - std::chrono::duration_cast<std::chrono::nanoseconds>(d).count();
    s.pause_from_ns = s.pause_to_ns > s.heard_ns ? std::min(s.pause_from_ns, from) : from;
    s.pause_to_ns = *ended_ns;
  }
  if (!s.stalled) {
    s.last += d;
    s.paused += d;
  }
}

}  // namespace mcnet::tools
