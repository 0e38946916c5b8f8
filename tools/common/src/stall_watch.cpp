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
                                                      std::optional<std::int64_t> arrival_ns) {
  const auto heard = [&s, arrival_ns] {
    if (arrival_ns) {
      s.heard_ns = s.heard ? std::max(s.heard_ns, *arrival_ns) : *arrival_ns;
      s.heard = true;
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
  if (s.stalled && end) {
    // Only the sender's END after the silence: the flow ended, nothing
    // resumed (its `-d` ran out while it was stopped).
    s.stalled = false;
  } else if (s.stalled) {
    out = change{f, false, seconds(gap), seconds(s.usual()), seconds(s.longest), seconds(limit(s))};
    s.stalled = false;
    // Not the usual interval. But a silence the flow came back from twice
    // is its pattern (a bursty sender's pauses): its first two pauses read
    // as stalls, the later ones do not; one real stall changes nothing.
    if (s.resumed_from.count() > 0) s.longest = std::max(s.longest, std::min(s.resumed_from, gap));
    s.resumed_from = gap;
  } else if (s.gap_unknown) {
    // Its datagrams of the gap were untracked (stream_table: evicted, no
    // room for it): not an interval of its pace.
  } else if (arrival_ns && s.heard && !s.ended) {
    // Between the datagrams' arrivals, as the rate is (trial t20t H3: a
    // 1 pps feed queued while the receiver was stopped, read in one batch,
    // had a usual interval of 0 and no short feed's spread by its reads).
    // The watcher's own pause since its last datagram is no interval of it
    // (as its silence is not: pause()); out of order (another socket's) 0.
    const auto between = std::chrono::nanoseconds(*arrival_ns - s.heard_ns);
    const auto interval = std::max(std::chrono::duration_cast<clock::duration>(between) - s.paused, clock::duration{});
    s.sum += interval;
    ++s.gaps;
    s.longest = std::max(s.longest, interval);
  } else if (!s.ended && gap.count() >= 0) {
    // A stall's silence is not the flow's usual interval. Datagrams read
    // together (a burst in one batch) have a gap of 0 and count: the usual
    // interval is the mean interval between the flow's datagrams, not
    // between its reads (which read 8 ms for bursts of 100 at 1000 pps).
    // Without the kernel's times (--timestamp none) the reads are all there is.
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

void stall_watch::pause(state& s, clock::duration d) {
  if (d.count() > 0 && s.started && !s.stalled) {
    s.last += d;
    s.paused += d;
  }
}

}  // namespace mcnet::tools
