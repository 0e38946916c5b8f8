// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The mcnet authors
//
// Fuzz sequence accounting with any arrivals: 64-bit numbers near the last
// one, far from it or anywhere (hostile), END counts, and RTP's 16-bit
// numbers. Never undefined behaviour (UBSan), and the counts hold: every
// datagram is received, a duplicate, too late or a jump; one datagram
// claims a gap of at most provisional_gap ahead (or below a start of more
// than epoch_proof numbers), and an open start or a near claim taken back
// leaves the counts whole; a followed jump (inside the
// window too) is on probation; a gap skips exactly what lies between the
// highest and it; received + lost is what the run spans (when no claim is
// provisional); what expired is part of what is lost; an END tail shown is
// the END believed; no more ENDs (and heartbeats) are unconfirmed than
// were given; and all of it still holds once the run is settled.

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
  std::uint64_t datagrams = 0, rtp_datagrams = 0, ends = 0;
  bool announced = false;  // a heartbeat's count: lost() may reach past the highest
  std::uint64_t last = take<std::uint64_t>(data, size);
  for (int i = 0; i < 4096 && size > 0; ++i) {
    const auto kind = static_cast<std::uint8_t>(take<std::uint8_t>(data, size) % 8);
    if (kind == 5) {
      const auto flags = take<std::uint8_t>(data, size);
      if ((flags & 2) != 0) {
        // A packet of 1 to 64 numbers (a MoldUDP64 packet's messages), or
        // (flag 1) of 1 to 4,033 in steps of 64: one that overtook a
        // neighbour of as many is more than provisional_gap past (set aside).
        const std::uint64_t count = (flags & 1) != 0 ? 1 + (flags >> 2) % 64 * 64 : 1 + (flags >> 2) % 64;
        const std::uint64_t from = mcnet::fuzz::number_near(flags % mcnet::fuzz::number_kinds, last, data, size);
        if (count - 1 > UINT64_MAX - from) continue;
        (void)t.add_run(from, count);
        datagrams += count;
        last = from + count - 1;
        continue;
      }
      const bool heartbeat = (flags & 1) != 0;
      const auto count = take<std::uint64_t>(data, size);
      ++ends;
      if (heartbeat) {
        const std::uint64_t highest = t.highest();
        const std::uint64_t retracted = t.retracted();
        const auto shown = t.announce(count);
        announced = true;
        // A heartbeat below a start nothing proved takes the start back
        // (retracted() moves): what it shows is then past the new highest.
        const std::uint64_t before = t.retracted() == retracted ? highest : t.highest();
        check(shown.count == 0 || (shown.first > before && shown.first + shown.count == count));
        continue;
      }
      const auto tail = t.end(count);
      check(tail.count == 0 || (tail.first == t.highest() + 1 && t.ended()));
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
    const bool was_on_probation = t.on_probation();
    const bool was_start_open = t.start_open();
    const std::uint64_t held = t.held();
    // A climb of near gaps (a claim open, so not trusted) holds its next
    // step like a far jump however near it is: a jump, its copy a
    // duplicate, and the number that follows it `confirmed`, all less than
    // provisional_gap ahead.
    const bool climbing = !t.trusted();
    const auto a = t.add(seq);
    ++datagrams;
    check(a.sequence == seq);
    // The loss in doubt is a part of the loss (what interval reports leave out).
    check(t.lost_in_doubt() <= t.lost());
    constexpr std::uint64_t W = feed::sequence_tracker::window;
    constexpr std::uint64_t B = feed::sequence_tracker::provisional_gap;
    // Taken back to before a burst (or an open start, or a near gap): the
    // verdict is against that state.
    // Numbers a packet held were counted (or dropped) first: likewise.
    // Numbers held past a repeated END's count were counted first when
    // this one forgot the END (the stream went on past it), in arrival
    // order: its verdict is against them.
    if (t.retracted() != retracted || t.held() != held || (was_ended && !t.ended())) {
      last = seq;
      continue;
    }
    switch (a.kind) {
      case feed::verdict::in_order: check(!started || seq == highest + 1); break;
      case feed::verdict::gap:
        check(started && seq > highest + 1 && seq - highest <= B && a.missing.first == highest + 1 &&
              a.missing.count == seq - highest - 1);
        break;
      case feed::verdict::reordered:
        check(seq < highest && highest - seq < W);
        check(a.missing.count == 0 ||
              (seq < first && a.missing.first == seq + 1 && a.missing.count == first - seq - 1));
        break;
      case feed::verdict::duplicate:
        // Within the window, a copy of a jump that waits to be followed, of
        // a number held as evidence against a claim on probation, of one
        // held past a repeated END's count, or of one kept below an open
        // start's first number (counted, above the lowest counted too when
        // a packet brought several, or a jump further below), or of a jump
        // kept from far below the first (however far behind the highest).
        check((seq <= highest && highest - seq < W) || (started && seq > highest && seq - highest > B) ||
              (was_on_probation && seq < highest) || (was_ended && seq > highest) ||
              (was_start_open && highest - seq >= W) || (started && seq < first && first - seq > B) ||
              (climbing && seq > highest));
        break;
      case feed::verdict::too_late: check(highest - seq >= W); break;
      case feed::verdict::jump:
        // More than provisional_gap ahead, past a believed END's count, more
        // than provisional_gap below the first number (of a start of more
        // than epoch_proof numbers), held as evidence against a claim on
        // probation, or further than the window below an open start.
        check(started && ((seq > highest && (seq - highest > B || was_ended)) || (seq < first && first - seq > B) ||
                          (was_on_probation && seq < highest) || (was_start_open && highest - seq >= W) ||
                          (climbing && seq > highest)));
        break;
      case feed::verdict::confirmed:
        // The numbers it follows were more than provisional_gap ahead: so
        // is the gap before the lowest of them. A climb's step held like a
        // far jump may be nearer, down to the next number itself (a sparse
        // chain reaching past claim_span: no gap at all, missing empty).
        check(started && seq > highest && t.highest() >= seq);
        check(a.missing.count == 0 ? climbing
                                   : a.missing.first == highest + 1 && (a.missing.count >= B || climbing) &&
                                         a.missing.count - 1 <= feed::sequence_tracker::max_gap);
        // Believed only once proven, inside the window as past it.
        check(t.on_probation());
        break;
      case feed::verdict::restart: check(started && seq > highest + W && t.highest() == seq); break;
      default: check(false);
    }
    last = seq;
  }
  const auto counts_hold = [&] {
    check(t.received() + t.duplicates() + t.too_late() + t.jumps() + t.held() == datagrams);
    check(t.too_late() <= t.reordered());
    check(t.unconfirmed_ends() <= ends);
    if (t.started() && t.highest() != UINT64_MAX && t.restarts() == 0 && !t.provisional()) {
      const std::uint64_t span = t.highest() + 1 - t.first();
      check(t.received() <= span);
      if (!t.ended() && !announced) check(t.received() + t.lost() == span);
      check(t.expired() <= t.lost());
    }
  };
  counts_hold();
  // The end of the run: nothing provisional is left, and the counts still hold.
  // Only a claim still open (on probation, or provisional: not proven yet)
  // may change the counts when the run settles.
  // (An END below what the line above a claim proved waits for settle()
  // too.)
  const bool was_open =
      t.on_probation() || t.provisional() || t.start_open() || t.held() > 0 || t.contested() || t.end_pending();
  const std::uint64_t lost_before = t.lost(), received_before = t.received();
  // What the interval reports showed (the loss decided) is never more than
  // the run settles at.
  const std::uint64_t decided = t.lost() - t.lost_in_doubt();
  t.settle();
  check(decided <= t.lost());
  check(!t.on_probation() && !t.provisional() && t.held() == 0);
  check(was_open || (t.lost() == lost_before && t.received() == received_before));
  counts_hold();
  check(r.received() + r.duplicates() + r.too_late() + r.jumps() == rtp_datagrams);
  return 0;
}
