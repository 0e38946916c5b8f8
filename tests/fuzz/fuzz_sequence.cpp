// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The mcnet authors
//
// Fuzz sequence accounting with any arrivals: 64-bit numbers near the last
// one, far from it or anywhere (hostile), END counts, and RTP's 16-bit
// numbers. Never undefined behaviour (UBSan), and the counts hold: every
// datagram is received, a duplicate or too late; a gap skips exactly what
// lies between the highest and it; received + lost is what the run spans;
// what expired is part of what is lost.

#include <cstdint>

#include <mcnet/feed/sequence.hpp>

#include "fuzz_input.hpp"

namespace {

namespace feed = mcnet::feed;
using mcnet::fuzz::check;
using mcnet::fuzz::take;

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  static feed::sequence_tracker t;  // 8 KiB each: kept, reset per input
  static feed::rtp_sequence_tracker r;
  t.reset();
  r = feed::rtp_sequence_tracker{};
  std::uint64_t datagrams = 0, rtp_datagrams = 0;
  std::uint64_t last = take<std::uint64_t>(data, size);
  for (int i = 0; i < 4096 && size > 0; ++i) {
    const auto kind = static_cast<std::uint8_t>(take<std::uint8_t>(data, size) % 8);
    if (kind == 5) {
      const auto tail = t.end(take<std::uint64_t>(data, size));
      check(tail.count == 0 || tail.first == t.highest() + 1);
      continue;
    }
    if (kind == 6) {
      const auto a = r.add(take<std::uint16_t>(data, size));
      ++rtp_datagrams;
      check(a.kind != feed::verdict::gap || a.missing.count > 0);
      continue;
    }
    // Kind 7: the number before the last one.
    const std::uint64_t seq =
        kind < mcnet::fuzz::number_kinds ? mcnet::fuzz::number_near(kind, last, data, size) : last - 1;
    const bool started = t.started();
    const bool was_ended = t.ended();
    const std::uint64_t highest = t.highest();
    const std::uint64_t first = t.first();
    const std::uint64_t retracted = t.retracted();
    const auto a = t.add(seq);
    ++datagrams;
    check(a.sequence == seq);
    constexpr std::uint64_t W = feed::sequence_tracker::window;
    // Taken back to before a burst: the verdict is against that state.
    if (t.retracted() != retracted) {
      last = seq;
      continue;
    }
    switch (a.kind) {
      case feed::verdict::in_order: check(!started || seq == highest + 1); break;
      case feed::verdict::gap:
        check(started && seq > highest + 1 && seq - highest <= W && a.missing.first == highest + 1 &&
              a.missing.count == seq - highest - 1);
        break;
      case feed::verdict::reordered:
        check(seq < highest && highest - seq < W);
        check(a.missing.count == 0 ||
              (seq < first && a.missing.first == seq + 1 && a.missing.count == first - seq - 1));
        break;
      case feed::verdict::duplicate:
        // Within the window, or a copy of a jump that waits to be followed.
        check((seq <= highest && highest - seq < W) || (started && seq > highest && seq - highest > W));
        break;
      case feed::verdict::too_late: check(highest - seq >= W); break;
      case feed::verdict::jump:
        // More than the window ahead, or past a believed END's count.
        check(started && seq > highest && (seq - highest > W || was_ended));
        break;
      case feed::verdict::confirmed:
        // The jump it follows was more than the window ahead: so is the gap before it.
        check(started && seq > highest + W && a.missing.first == highest + 1 && a.missing.count >= W &&
              a.missing.count - 1 <= feed::sequence_tracker::max_gap && t.highest() == seq);
        break;
      case feed::verdict::restart: check(started && seq > highest + W && t.highest() == seq); break;
      default: check(false);
    }
    last = seq;
  }
  check(t.received() + t.duplicates() + t.too_late() + t.jumps() == datagrams);
  check(t.too_late() <= t.reordered());
  if (t.started() && t.highest() != UINT64_MAX && t.restarts() == 0) {
    const std::uint64_t span = t.highest() + 1 - t.first();
    check(t.received() <= span);
    if (!t.ended()) check(t.received() + t.lost() == span);
    check(t.expired() <= t.lost());
  }
  check(r.received() + r.duplicates() + r.too_late() + r.jumps() == rtp_datagrams);
  return 0;
}
