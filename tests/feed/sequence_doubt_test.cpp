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

// settle() the run: it reads `lost`, and the loss decided before (what the
// interval reports showed) is no more than that.
void expect_settles_to(feed::sequence_tracker& t, std::uint64_t lost) {
  const auto shown = decided(t);
  t.settle();
  EXPECT_EQ(t.lost(), lost);
  EXPECT_LE(shown, t.lost()) << "decided before settle()";
}

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

// fuzz_sequence (h16c): a far claim that is not proven reads as the state
// before it, and settle() goes back to that state, counting in it the
// numbers that came in its gaps meanwhile: fills, which take loss off. The
// loss an interval showed must leave them out (in doubt), or the summary
// reads less than the reports added up to. The fuzzer's case: a far claim
// proven by one packet's 18 numbers, on probation, then another far number
// followed (not proven) and a number inside the first claim's gap, counted
// since (reordered; at its 64-bit base and at 1).
TEST(SequenceDoubt, AFillWhileAFarClaimIsNotProvenIsInDoubt) {
  for (const std::uint64_t x : {std::uint64_t{1}, std::uint64_t{17'890'304'716'693'020'736u}}) {
    SCOPED_TRACE(x);
    feed::sequence_tracker t;
    (void)t.add_run(x, 64);
    EXPECT_EQ(t.add_run(x + 63622, 18).kind, feed::verdict::jump);
    EXPECT_EQ(t.lost(), 63558u);
    EXPECT_EQ(t.add(x + 66268).kind, feed::verdict::jump);
    EXPECT_EQ(t.add(x + 66267).kind, feed::verdict::confirmed);
    EXPECT_TRUE(t.provisional());
    EXPECT_EQ(t.add(x + 48532).kind, feed::verdict::reordered) << "inside the first claim's gap";
    EXPECT_EQ(t.lost(), 63558u);
    EXPECT_EQ(t.lost_in_doubt(), 1u);
    expect_settles_to(t, 63557u);  // that number counted: a fill
    EXPECT_EQ(t.lost_in_doubt(), 0u);
  }
}

// The same with a claim past the window: a number inside a gap before it is
// held as evidence against it (a jump), and counted, a fill, when settle()
// takes the claim back.
TEST(SequenceDoubt, ANumberHeldAsEvidenceInsideAGapIsInDoubt) {
  feed::sequence_tracker t;
  for (std::uint64_t n = 0; n < 100; ++n) {
    if (n < 50 || n >= 60) (void)t.add(n);
  }
  EXPECT_EQ(t.add(70100).kind, feed::verdict::jump);
  EXPECT_EQ(t.add(70101).kind, feed::verdict::confirmed);
  EXPECT_TRUE(t.provisional());
  EXPECT_EQ(t.add(55).kind, feed::verdict::jump) << "held as evidence";
  EXPECT_EQ(t.lost(), 10u);
  EXPECT_EQ(t.lost_in_doubt(), 1u);
  expect_settles_to(t, 9u);
}

// fuzz_sequence (h16c): the same below an announcement: the gap a
// heartbeat told of (past the highest) is lost too, and a number held in
// it is a fill once counted.
TEST(SequenceDoubt, ANumberHeldInsideAnAnnouncedGapIsInDoubt) {
  feed::sequence_tracker t;
  (void)t.add(2);
  EXPECT_EQ(t.announce(136).count, 133u);
  EXPECT_EQ(t.add(1'048'578).kind, feed::verdict::jump);
  EXPECT_EQ(t.add(1'048'579).kind, feed::verdict::confirmed);
  EXPECT_TRUE(t.provisional());
  EXPECT_EQ(t.add(46).kind, feed::verdict::jump) << "held as evidence";
  EXPECT_EQ(t.lost(), 133u);
  EXPECT_EQ(t.lost_in_doubt(), 1u);
  expect_settles_to(t, 132u);
}

// fuzz_sequence (h16c): a near claim up to the last number of the 64-bit
// space. Counting the numbers above the claim's base up to the highest
// never ended when the highest was 2^64 - 1.
TEST(SequenceDoubt, AClaimUpToTheLastNumberIsInDoubt) {
  feed::sequence_tracker t;
  for (std::uint64_t n = UINT64_MAX - 20; n <= UINT64_MAX - 12; ++n) (void)t.add(n);
  EXPECT_EQ(t.add(UINT64_MAX).kind, feed::verdict::gap);
  EXPECT_EQ(t.lost(), 11u);
  EXPECT_EQ(t.lost_in_doubt(), 11u) << "a gap that came alone";
}

// A heartbeat's announcement showing numbers missing past the highest is
// in doubt until the sender reaches it: 8 new numbers below it take it
// back (a forger's heartbeat). Its gap is not decided loss meanwhile.
TEST(SequenceDoubt, AnAnnouncementIsInDoubtUntilTheSenderReachesIt) {
  feed::sequence_tracker forged;
  for (std::uint64_t n = 0; n < 20; ++n) (void)forged.add(n);
  EXPECT_EQ(forged.announce(1020).count, 1000u);
  EXPECT_EQ(forged.lost(), 1000u);
  EXPECT_EQ(forged.lost_in_doubt(), 1000u);
  const auto shown = decided(forged);
  for (std::uint64_t n = 20; n < 28; ++n) (void)forged.add(n);
  EXPECT_EQ(forged.lost(), 0u) << "taken back by 8 numbers below it";
  EXPECT_LE(shown, forged.lost());
  // The sender's own: it stands once the sender reaches the number.
  feed::sequence_tracker real;
  for (std::uint64_t n = 0; n < 20; ++n) (void)real.add(n);
  (void)real.announce(1020);
  EXPECT_EQ(real.lost_in_doubt(), 1000u);
  for (std::uint64_t n = 1020; n < 1028; ++n) (void)real.add(n);
  EXPECT_EQ(real.lost(), 1000u);
  EXPECT_EQ(real.lost_in_doubt(), 0u) << "reached, and the feed went on 8 numbers from there: decided";
}

// fuzz_sequence (h16c): a lone number's line with a heartbeat showing
// 16,901 missing, then a far claim followed (which closes the start in the
// state it would go back to) and the line's numbers below it: settle()
// takes the claim and the announcement back (lost 58). The announcement
// was in doubt all along, the far claim too: nothing was decided.
TEST(SequenceDoubt, AnAnnouncementBeforeAFarClaimStaysInDoubt) {
  for (const std::uint64_t x : {std::uint64_t{1000}, std::uint64_t{361'700'864'190'383'359u}}) {
    SCOPED_TRACE(x);
    feed::sequence_tracker t;
    (void)t.add(x);
    EXPECT_EQ(t.announce(x + 16902).count, 16901u);
    (void)t.add(x + 1);
    (void)t.add(x + 2);
    EXPECT_EQ(t.add(x + 16256).kind, feed::verdict::jump);
    EXPECT_EQ(t.add(x + 16255).kind, feed::verdict::confirmed);
    for (const std::uint64_t n : {16254u, 16253u, 16252u, 61u, 62u, 63u, 64u}) (void)t.add(x + n);
    EXPECT_EQ(t.lost(), 16899u);
    EXPECT_EQ(t.lost_in_doubt(), 16899u);
    expect_settles_to(t, 58u);
  }
}

// fuzz_sequence (h16c): an END before the first datagram counts the loss
// to its count; a MoldUDP64 packet's further messages, held until a later
// message goes past them, are among that loss until settle() counts them:
// in doubt (the fuzzer's END was 5.2e18 ahead; 200 do the same).
TEST(SequenceDoubt, MessagesAPacketHoldsBelowAnEndAreInDoubt) {
  feed::sequence_tracker t;
  (void)t.end(1200);
  (void)t.add(1000);
  EXPECT_EQ(t.add_run(1071, 18).kind, feed::verdict::gap);
  (void)t.add(1017);
  (void)t.add_run(1017, 18);
  // The packet from 1017 inside the claim's gap is one piece of evidence
  // against it, however many messages it carries (trial20p F3: a
  // reordered packet's messages took a real gap back), so with the number
  // 1017 before it, two: the claim stays open, its numbers counted and the
  // loss above 1000 in doubt, the held messages with it.
  EXPECT_EQ(t.held(), 17u);
  EXPECT_EQ(t.lost(), 180u);
  EXPECT_GE(t.lost_in_doubt(), 17u);
  expect_settles_to(t, 163u);  // the held messages counted
  // Eight packets inside the gap (the live sender going on below it) take
  // the claim back, as eight numbers did: its number a jump, its held
  // messages counted at the end.
  feed::sequence_tracker b;
  (void)b.end(1200);
  (void)b.add(1000);
  EXPECT_EQ(b.add_run(1071, 18).kind, feed::verdict::gap);
  for (std::uint64_t p = 0; p < 8; ++p) (void)b.add_run(1001 + 2 * p, 2);
  EXPECT_EQ(b.retracted(), 1u);
  EXPECT_EQ(b.jumps(), 1u);
  EXPECT_EQ(b.held(), 17u);
  EXPECT_EQ(b.lost(), 200u - 1 - 16);
  EXPECT_EQ(b.lost_in_doubt(), 17u);
  expect_settles_to(b, 200u - 1 - 16 - 17);
}

// fuzz_sequence (h16c): an END below the first number waits while the
// line fills a near claim's gap from below; settle() gives the stream to
// that line (lost 69 -> 7): everything was in doubt, not the claim's
// decided 69 (the take-back starts below the first number counted).
TEST(SequenceDoubt, AnEndBelowTheFirstNumberLeavesTheEpochInDoubt) {
  feed::sequence_tracker t;
  (void)t.add(1000);
  (void)t.add_run(1001, 3);
  (void)t.add(1002);
  EXPECT_EQ(t.add_run(1073, 18).kind, feed::verdict::gap);
  (void)t.add(1091);
  (void)t.add(1092);
  EXPECT_EQ(t.lost_in_doubt(), 0u) << "the line went on past the claim";
  (void)t.end(500);
  EXPECT_TRUE(t.end_pending());
  EXPECT_EQ(t.lost_in_doubt(), 69u);
  for (const std::uint64_t n : {21u, 20u, 19u, 18u, 17u, 16u, 15u, 14u, 15u, 14u, 13u, 12u, 11u, 11u}) {
    (void)t.add(1000 + n);
  }
  EXPECT_EQ(t.lost(), 58u);
  EXPECT_EQ(t.lost_in_doubt(), 58u);
  expect_settles_to(t, 7u);
}

// fuzz_sequence (h16c): a far packet of 16 numbers proves its claim at
// once, then the sender's END below it comes twice: settle() takes the
// claim back (the sender's own END against a tail burst). From the first
// such END the claim's loss is in doubt, not decided.
TEST(SequenceDoubt, AFarClaimTheSendersEndCameAgainstIsInDoubt) {
  feed::sequence_tracker t;
  (void)t.add(11);
  (void)t.add(12);
  EXPECT_EQ(t.add_run(65548, 16).kind, feed::verdict::jump);
  EXPECT_FALSE(t.provisional());
  EXPECT_EQ(t.lost(), 65535u);
  EXPECT_EQ(t.lost_in_doubt(), 0u) << "proven: decided";
  (void)t.end(37);
  EXPECT_EQ(t.lost_in_doubt(), 65535u);
  (void)t.end(37);
  expect_settles_to(t, 24u);
}

}  // namespace
