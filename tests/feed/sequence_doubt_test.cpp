// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The mcnet authors
//
// The loss decided so far (sequence_tracker::lost() less lost_in_doubt()),
// what mcast-recv's interval reports print (issue 16, trial16j: an interval
// report showed a waiting END claim or an open claim as loss, which the
// next report took back). Decided loss shows once it stands; a claim taken
// back never made it up; and what the reports add up to is never more than
// what the run settles at.

#include <gtest/gtest.h>

#include <cstdint>
#include <random>
#include <vector>

#include <mcnet/feed/sequence.hpp>

namespace {

namespace feed = mcnet::feed;

std::uint64_t decided(const feed::sequence_tracker& t) { return t.lost() - t.lost_in_doubt(); }

// A forged number past the live sender, alone: the live sender's 8 numbers
// below it take it back. While it waits, its loss is in doubt, not decided.
TEST(SequenceDoubt, AForgedNumberPastTheLiveSenderIsInDoubtUntilTakenBack) {
  feed::sequence_tracker t;
  for (std::uint64_t n = 0; n <= 298; ++n) (void)t.add(n);
  (void)t.add(599);
  EXPECT_EQ(t.lost(), 300u) << "the claim counts at once";
  EXPECT_EQ(t.lost_in_doubt(), 300u) << "and is all in doubt";
  EXPECT_EQ(decided(t), 0u);
  for (std::uint64_t n = 299; n < 320; ++n) {
    (void)t.add(n);
    EXPECT_EQ(decided(t), 0u) << "never shown, so never taken back: after " << n;
  }
  EXPECT_EQ(t.lost(), 0u) << "taken back";
  EXPECT_EQ(t.lost_in_doubt(), 0u);
}

// A real loss burst: in doubt until the feed went on 8 numbers past it,
// then decided, and it stays.
TEST(SequenceDoubt, ARealBurstIsDecidedOnceTheFeedWentOnPastIt) {
  feed::sequence_tracker t;
  for (std::uint64_t n = 0; n < 100; ++n) (void)t.add(n);
  (void)t.add(130);  // 100 .. 129 lost
  EXPECT_EQ(t.lost(), 30u);
  EXPECT_EQ(decided(t), 0u);
  for (std::uint64_t n = 131; n < 137; ++n) (void)t.add(n);
  EXPECT_EQ(decided(t), 0u) << "7 numbers from the claimed one on: not yet";
  (void)t.add(137);
  EXPECT_EQ(decided(t), 30u) << "8: the feed went on from it";
  for (std::uint64_t n = 138; n < 2000; ++n) (void)t.add(n);
  EXPECT_EQ(decided(t), 30u);
  t.settle();
  EXPECT_EQ(t.lost(), 30u);
}

// A lossy feed (every tenth number lost): each gap is decided once the feed
// went on from it, and the decided loss only grows.
TEST(SequenceDoubt, ALossyFeedsDecidedLossOnlyGrows) {
  feed::sequence_tracker t;
  std::uint64_t last = 0;
  for (std::uint64_t n = 0; n < 20000; ++n) {
    if (n % 10 == 9) continue;
    (void)t.add(n);
    const auto d = decided(t);
    ASSERT_GE(d, last) << "at " << n;
    ASSERT_LE(d, t.lost());
    ASSERT_GE(d + 1, t.lost()) << "at most the last gap waits: at " << n;
    last = d;
  }
  t.end(20000);
  t.settle();
  EXPECT_EQ(t.lost(), 2000u);
}

// trial16j: an END below what the line above a claim proved waits for the
// end of the run (a forged run past the sender's last number, then the
// sender's ENDs): its claim is in doubt until settle() decides.
TEST(SequenceDoubt, AWaitingEndLeavesItsClaimInDoubt) {
  feed::sequence_tracker t;
  for (std::uint64_t n = 0; n < 298; ++n) (void)t.add(n);
  for (std::uint64_t n = 400; n < 410; ++n) (void)t.add(n);  // a forged run past the sender's last number
  for (int i = 0; i < 3; ++i) (void)t.end(298);
  ASSERT_TRUE(t.end_pending());
  const auto shown = decided(t);
  EXPECT_LT(shown, t.lost());
  t.settle();
  EXPECT_LE(shown, t.lost()) << "no report shows more than the run settles at";
  EXPECT_EQ(t.lost(), 0u) << "the END after the forged run: nothing lost";
  EXPECT_EQ(shown, 0u);
}

// What the interval reports add up to (the decided loss at the last report,
// before settle()) is never more than the summary's (after settle()), over
// feeds with loss, reordering, and a forger's numbers, pairs, runs and
// ENDs near the live sender; and for a feed without a forger, the decided
// loss never goes down but by late numbers filling gaps.
TEST(SequenceDoubt, IntervalsNeverAddUpToMoreThanTheSummary) {
  std::mt19937_64 rng(20261216);
  int with_forger = 0;
  for (int run = 0; run < 400; ++run) {
    const bool forger = run % 2 == 1;
    with_forger += forger ? 1 : 0;
    feed::sequence_tracker t;
    const std::uint64_t count = 500 + rng() % 3000;
    const unsigned loss = static_cast<unsigned>(rng() % 30);      // percent
    const unsigned reorder = static_cast<unsigned>(rng() % 10);   // percent of datagrams held back 1-3
    std::vector<std::uint64_t> held;
    std::uint64_t shown = 0;  // the decided loss at the last report
    std::uint64_t went_down = 0;
    for (std::uint64_t n = 0; n < count; ++n) {
      if (rng() % 100 >= loss) {
        if (rng() % 100 < reorder) {
          held.push_back(n);
        } else {
          (void)t.add(n);
          if (held.size() > 0 && rng() % 2 == 0) {
            (void)t.add(held.front());
            held.erase(held.begin());
          }
        }
      }
      if (forger && rng() % 200 == 0) {
        // A forged number, pair or run a little past the live sender.
        const std::uint64_t at = n + 2 + rng() % 900;
        const std::uint64_t many = 1 + rng() % 12;
        for (std::uint64_t i = 0; i < many; ++i) (void)t.add(at + i);
      }
      if (forger && rng() % 1000 == 0) (void)t.end(n + 1 + rng() % 50);
      if (rng() % 50 == 0) {
        const auto d = decided(t);
        if (!forger && d < shown && reorder == 0) ++went_down;
        shown = d;
      }
    }
    for (const auto h : held) (void)t.add(h);
    for (int i = 0; i < 3; ++i) (void)t.end(count);
    shown = decided(t);  // the run's last report
    t.settle();
    EXPECT_LE(shown, t.lost()) << "run " << run << " (loss " << loss << " %, reorder " << reorder << " %, "
                               << (forger ? "a forger" : "no forger") << ")";
    EXPECT_EQ(went_down, 0u) << "run " << run;
  }
  EXPECT_EQ(with_forger, 200);
}

}  // namespace
