// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The mcnet authors
//
// Fuzz line arbitration with any copies on any of up to four lines: numbers
// near the last one, far from it or anywhere, dead lines, any arrival times,
// bad line indexes, END. Never undefined behaviour (UBSan), and the counts
// hold: every copy on a line is delivered, a jump, a duplicate or too late;
// deliveries and jumps are the lines' first arrivals; real loss and pending
// make up what the merged stream misses; and so once the run is settled.

#include <cstdint>

#include <mcnet/feed/arbiter.hpp>

#include "fuzz_input.hpp"

namespace {

namespace feed = mcnet::feed;
using mcnet::fuzz::check;
using mcnet::fuzz::take;
using decision = feed::arbiter::decision;

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::size_t lines = 1 + take<std::uint8_t>(data, size) % feed::arbiter::max_lines;
  auto made = feed::arbiter::make(lines);
  check(made.has_value());
  auto& arb = *made;
  std::uint64_t offered = 0;
  std::uint64_t last = take<std::uint64_t>(data, size);
  for (int i = 0; i < 4096 && size > 0; ++i) {
    const auto op = take<std::uint8_t>(data, size);
    if ((op & 7) == 5) {
      arb.end(take<std::uint64_t>(data, size));
      continue;
    }
    const std::size_t line = (op >> 4) % 5;  // 4 is past the last line
    // Kinds 6 and 7: the same number again, maybe on another line.
    const auto kind = static_cast<std::uint8_t>(op & 7);
    const std::uint64_t seq =
        kind < mcnet::fuzz::number_kinds ? mcnet::fuzz::number_near(kind, last, data, size) : last;
    const auto r = arb.offer(line, seq, take<std::int64_t>(data, size));
    if (line >= lines) {
      check(r.what == decision::bad_line);
      continue;
    }
    ++offered;
    check(r.what != decision::bad_line);
    check((r.what == decision::deliver) ==
          (r.merged.kind == feed::verdict::in_order || r.merged.kind == feed::verdict::gap ||
           r.merged.kind == feed::verdict::reordered || r.merged.kind == feed::verdict::jump ||
           r.merged.kind == feed::verdict::confirmed || r.merged.kind == feed::verdict::restart));
    last = seq;
  }
  const auto counts_hold = [&] {
    std::uint64_t datagrams = 0, firsts = 0, late = 0;
    for (std::size_t l = 0; l < lines; ++l) {
      const auto& s = arb.line(l);
      datagrams += s.datagrams;
      firsts += s.first_arrivals;
      late += s.too_late;
      check(s.sequence.received() + s.sequence.duplicates() + s.sequence.too_late() + s.sequence.jumps() == s.datagrams);
      // A first arrival is one of the line's copies. (Its own tracker may call
      // it anything: the merged stream and the line follow far jumps apart, so
      // a number the merged stream delivers can be too late on the line.)
      check(s.first_arrivals <= s.datagrams);
      const double share = arb.first_arrival_share(l);
      check(share >= 0.0 && share <= 1.0);
    }
    check(datagrams == offered);
    check(firsts == arb.delivered() + arb.jumps());
    check(late == arb.too_late());
    check(arb.delivered() + arb.jumps() + arb.duplicates() + arb.too_late() == offered);
    check(arb.skew().count() <= arb.duplicates());
    check(arb.skew().count() == 0 || arb.skew().min() >= 0);
    if (!arb.merged().ended() && arb.merged().highest() != UINT64_MAX) {
      check(arb.lost() + arb.pending() == arb.merged().lost());
    }
  };
  counts_hold();
  arb.settle();
  check(!arb.merged().provisional());
  counts_hold();
  return 0;
}
