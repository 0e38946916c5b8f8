// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The mcnet authors
//
// RFC 3550 interarrival jitter (section 6.4.1, Appendix A.8) against values
// computed by hand, in nanoseconds and in RTP timestamp units (wrapping
// 32-bit timestamps and transit times), and the saturating time difference
// it rests on.

#include <gtest/gtest.h>

#include <cstdint>

#include <mcnet/feed/jitter.hpp>
#include <mcnet/feed/saturating.hpp>

namespace {

namespace feed = mcnet::feed;

TEST(SaturatingSub, ClampsInsteadOfOverflowing) {
  EXPECT_EQ(feed::saturating_sub(5, 7), -2);
  EXPECT_EQ(feed::saturating_sub(INT64_MIN, 1), INT64_MIN);
  EXPECT_EQ(feed::saturating_sub(INT64_MAX, -1), INT64_MAX);
  EXPECT_EQ(feed::saturating_sub(0, INT64_MIN), INT64_MAX);
}

TEST(SaturatingMul, StaysAtTheTopInsteadOfWrapping) {
  static_assert(feed::saturating_mul(6, 7) == 42);
  EXPECT_EQ(feed::saturating_mul(0, UINT64_MAX), 0u);
  EXPECT_EQ(feed::saturating_mul(UINT64_MAX, 1), UINT64_MAX);
  EXPECT_EQ(feed::saturating_mul(UINT64_MAX / 2, 2), UINT64_MAX - 1);
  EXPECT_EQ(feed::saturating_mul(UINT64_MAX / 2 + 1, 2), UINT64_MAX);
  // (2^32 - 1)(2^32 + 1) is UINT64_MAX exactly; 2^32 * 2^32 is past it.
  EXPECT_EQ(feed::saturating_mul((std::uint64_t{1} << 32) - 1, (std::uint64_t{1} << 32) + 1), UINT64_MAX);
  EXPECT_EQ(feed::saturating_mul(std::uint64_t{1} << 32, std::uint64_t{1} << 32), UINT64_MAX);
  EXPECT_EQ(feed::saturating_mul(UINT64_MAX, UINT64_MAX), UINT64_MAX);
}

TEST(Jitter, FollowsRfc3550) {
  feed::jitter j;
  // Constant transit: no jitter.
  for (int i = 0; i < 10; ++i) j.add(i * 1000, i * 1000 + 500);
  EXPECT_DOUBLE_EQ(j.value_ns(), 0);
  // One packet 160 ns late: J += (160 - J) / 16 = 10, then decays.
  j.add(10'000, 10'000 + 660);
  EXPECT_DOUBLE_EQ(j.value_ns(), 10);
  j.add(11'000, 11'000 + 500);
  EXPECT_DOUBLE_EQ(j.value_ns(), 10 + (160 - 10) / 16.0);
}

TEST(Jitter, TheFirstDatagramOnlySetsTheTransitAndWireTimesSaturate) {
  feed::jitter j;
  j.add(0, 1'000'000);
  EXPECT_DOUBLE_EQ(j.value_ns(), 0) << "one datagram has no difference";
  feed::jitter hostile;
  hostile.add(INT64_MIN, INT64_MAX);  // transit saturates at INT64_MAX
  hostile.add(INT64_MAX, INT64_MIN);  // and at INT64_MIN
  EXPECT_DOUBLE_EQ(hostile.value_ns(), (static_cast<double>(INT64_MAX) - static_cast<double>(INT64_MIN)) / 16.0);
}

TEST(RtpJitter, A8InTimestampUnitsAndNanoseconds) {
  // 8000 Hz (RFC 3551's PCMU), a datagram every 20 ms = 160 units; the third
  // arrives 1 ms (8 units) late, the fourth on time.
  feed::rtp_jitter j(8000);
  j.add(1000, 0);
  j.add(1160, 20'000'000);  // transit -1000, D = 0: J = 0
  EXPECT_DOUBLE_EQ(j.value(), 0);
  j.add(1320, 41'000'000);  // 328 units: transit -992, D = 8: J = 8 / 16 = 0.5
  EXPECT_DOUBLE_EQ(j.value(), 0.5);
  j.add(1480, 60'000'000);  // transit -1000, |D| = 8: J = 0.5 + (8 - 0.5) / 16
  EXPECT_DOUBLE_EQ(j.value(), 0.96875);
  EXPECT_DOUBLE_EQ(j.value_ns(), 0.96875 * 1e9 / 8000);  // 121093.75 ns
  EXPECT_EQ(j.report_value(), 0u) << "the report field truncates: (u_int32) s->jitter";
  EXPECT_EQ(j.clock_rate(), 8000u);
}

TEST(RtpJitter, TimestampsAndTransitTimesWrapModulo2To32) {
  feed::rtp_jitter j(90000);
  j.add_units(0xFFFFFF00u, 100);  // transit 100 - (2^32 - 256) = 356 (mod 2^32)
  j.add_units(144, 516);          // the timestamp wrapped (0xFFFFFF00 + 400); transit 372, D = 16: J = 1
  EXPECT_DOUBLE_EQ(j.value(), 1);
  j.add_units(544, 900);  // transit 356, |D| = 16: J = 1 + 15 / 16
  EXPECT_DOUBLE_EQ(j.value(), 1.9375);
  j.add_units(944, 0xFFFFFFFFu);  // the arrival wrapped backwards: transit 2^32 - 945, D = -1301 (mod 2^32)
  EXPECT_DOUBLE_EQ(j.value(), 1.9375 + (1301 - 1.9375) / 16);
  EXPECT_EQ(j.report_value(), static_cast<std::uint32_t>(1.9375 + (1301 - 1.9375) / 16));
  EXPECT_DOUBLE_EQ(j.value_ns(), j.value() * 1e9 / 90000);
}

TEST(RtpJitter, ArrivalTimesConvertToTimestampUnitsRoundedDown) {
  const feed::rtp_jitter video(90000);
  EXPECT_EQ(video.to_units(0), 0u);
  EXPECT_EQ(video.to_units(11'111), 0u) << "0.99999 units";
  EXPECT_EQ(video.to_units(11'112), 1u);
  EXPECT_EQ(video.to_units(1'000'000'000), 90000u);
  EXPECT_EQ(video.to_units(1'000'000'000'000'000'000), 3255279616u) << "9e13 units modulo 2^32, no overflow";
  EXPECT_EQ(video.to_units(-1'500'000'000), 4294832296u) << "-135000 modulo 2^32";
  EXPECT_EQ(feed::rtp_jitter(8000).to_units(-1), 0xFFFFFFFFu) << "rounded down, not toward zero";
  EXPECT_EQ(feed::rtp_jitter(UINT32_MAX).to_units(999'999'999), 4294967290u) << "the largest rate: no overflow";
  EXPECT_EQ(feed::rtp_jitter(UINT32_MAX).to_units(INT64_MAX), 3037796691u) << "nor at the largest time";
  const feed::rtp_jitter none(0);
  EXPECT_EQ(none.to_units(123'456'789), 0u);
  EXPECT_DOUBLE_EQ(none.value_ns(), 0);
}

}  // namespace

// A transit time that steps by more than the bound is no jitter: one send
// time 59 s off among steady ones is one step, left out (the next is
// compared with the one before it), J unmoved.
TEST(Jitter, StepsPastTheBoundMoveNothing) {
  feed::jitter plain, bounded;
  std::int64_t send = 1'000'000'000;
  for (int i = 0; i < 50; ++i, send += 1'000'000) {
    const std::int64_t sent = i == 25 ? send + 59'000'000'000 : send;
    const std::int64_t arrival = send + 30'000 + (i % 2) * 1'000;
    plain.add(sent, arrival);
    bounded.add(sent, arrival, 1'000'000'000);
  }
  EXPECT_GT(plain.value_ns(), 1e9) << "RFC 3550 as it is takes the step as jitter";
  EXPECT_EQ(bounded.steps(), 1u);
  EXPECT_EQ(bounded.compared(), 48u) << "49 differences less the one the step's datagram would have made twice";
  EXPECT_NEAR(bounded.value_ns(), 1'000, 700) << "the 1 us alternation only";
  // A clock that steps once and stays: one step, the jitter going on from
  // there (a clock 5 s ahead that steps to 7 s).
  feed::jitter stepped;
  for (int i = 0; i < 20; ++i) {
    stepped.add(i * 1'000'000, i * 1'000'000 + (i < 10 ? 5'000'030'000 : 7'000'030'000), 1'000'000'000);
  }
  EXPECT_EQ(stepped.steps(), 1u);
  EXPECT_EQ(stepped.compared(), 18u);
  EXPECT_EQ(stepped.value_ns(), 0.0);
  // From a transit this host's clock finds plausible (within the bound of
  // 0) to one it does not, the step is never taken for good: each is left
  // out (their send times are clock errors), the jitter is the plausible ones'.
  feed::jitter away;
  for (int i = 0; i < 20; ++i) away.add(i * 1'000'000, i * 1'000'000 + (i < 10 ? 30'000 : 2'000'030'000), 1'000'000'000);
  EXPECT_EQ(away.steps(), 10u);
  EXPECT_EQ(away.compared(), 9u);
}

// trial20q 2: a stream with no two datagrams compared has no jitter:
// compared() is 0, J unknown (not 0). One in between kept ones is compared
// across: 42 us and 47.6 us transit, 5.6 us apart, J = 5.6 us / 16.
TEST(Jitter, NothingComparedIsUnknownAndALoneStepIsComparedAcross) {
  constexpr std::int64_t bound = 1'000'000'000;
  feed::jitter two;
  two.add(0, 48'000, bound);
  two.add(10'000'000 + 30'000'000'000, 10'048'000, bound);
  EXPECT_EQ(two.compared(), 0u);
  EXPECT_EQ(two.steps(), 1u);
  feed::jitter three;
  three.add(0, 42'000, bound);
  three.add(10'000'000 + 30'000'000'000, 10'042'000, bound);
  three.add(20'000'000, 20'047'600, bound);
  EXPECT_EQ(three.compared(), 1u);
  EXPECT_EQ(three.steps(), 1u);
  EXPECT_DOUBLE_EQ(three.value_ns(), 5'600.0 / 16);
  feed::jitter plain;
  plain.add(0, 42'000);
  EXPECT_EQ(plain.compared(), 0u);
  plain.add(10'000'000, 10'043'000);
  EXPECT_EQ(plain.compared(), 1u);
}

// trial20q 3: every other send time 30 s ahead, the first one forged or
// not: the receiver's clock finds a transit within the bound of 0
// plausible, so the jitter is the true ones', compared across the forged.
TEST(Jitter, AStepToATransitThisHostsClockFindsPlausibleIsTakenAtOnce) {
  constexpr std::int64_t bound = 1'000'000'000;
  for (const int forged : {0, 1}) {
    feed::jitter j;
    for (int i = 0; i < 20; ++i) {
      const std::int64_t arrival = i * 10'000'000;
      const std::int64_t transit = 48'000 + (i % 3) * 1'000;
      j.add(arrival - transit + (i % 2 == forged ? 30'000'000'000 : 0), arrival, bound);
    }
    EXPECT_EQ(j.compared(), 9u) << forged;
    EXPECT_GT(j.value_ns(), 100) << forged;
    EXPECT_LT(j.value_ns(), 2'000) << forged;
  }
  // A clock stepping away from this host's for good: the steps are left
  // out, J stays the plausible transits'.
  feed::jitter away;
  for (int i = 0; i < 20; ++i) {
    const std::int64_t arrival = i * 10'000'000;
    away.add(arrival - 30'000 - (i >= 10 ? 5'000'000'000 : 0), arrival, bound);
  }
  EXPECT_EQ(away.compared(), 9u);
  EXPECT_EQ(away.steps(), 10u);
  EXPECT_EQ(away.value_ns(), 0.0);
}

// trial h20x F6: one plausible transit among 100 that are 30 s off,
// first, in the middle or last, does not outweigh them: the receiver's
// clock decides only while its side is at least as many, so the 100 are
// compared with one another and the odd one is the step (one or two).
TEST(Jitter, OnePlausibleTransitDoesNotOutweighAHundredThatAreNot) {
  constexpr std::int64_t bound = 1'000'000'000;
  for (const int odd : {0, 50, 100}) {
    feed::jitter j;
    for (int i = 0; i <= 100; ++i) {
      const std::int64_t arrival = i * 10'000'000;
      const std::int64_t transit = 48'000 + (i % 3) * 1'000 + (i == odd ? 0 : 30'000'000'000);
      j.add(arrival - transit, arrival, bound);
    }
    EXPECT_GE(j.compared(), 98u) << odd;
    EXPECT_LE(j.steps(), 2u) << odd;
    EXPECT_GT(j.value_ns(), 100) << odd;
    EXPECT_LT(j.value_ns(), 2'000) << odd;
  }
}

// trial20q 1: an RTP timestamp moved by 2^31 ticks is a step of 2^31 units
// modulo 2^32 (A.8's int difference): left out, counted, J unmoved; a
// timestamp base that changes for good is one step, J going on from it.
TEST(RtpJitter, TimestampDiscontinuitiesAreStepsNotJitter) {
  constexpr std::int64_t bound = 1'000'000'000;
  const auto run = [](auto stamp) {
    feed::rtp_jitter j(90000);
    for (int i = 0; i < 200; ++i) {
      const auto ts = stamp(i, static_cast<std::uint32_t>(123456 + i * 450));
      j.add(ts, std::int64_t{1'000'000'000} + i * 5'000'000 + (i % 2) * 10'000, bound);
    }
    return j;
  };
  const auto clean = run([](int, std::uint32_t ts) { return ts; });
  EXPECT_EQ(clean.steps(), 0u);
  EXPECT_EQ(clean.compared(), 199u);
  const auto jump = run([](int i, std::uint32_t ts) { return i == 100 ? ts + 0x80000000u : ts; });
  EXPECT_EQ(jump.steps(), 1u);
  EXPECT_EQ(jump.compared(), 198u);
  EXPECT_NEAR(jump.value_ns(), clean.value_ns(), 1'000);
  const auto base = run([](int i, std::uint32_t ts) { return i >= 100 ? ts + 900000 : ts; });
  EXPECT_EQ(base.steps(), 1u);
  EXPECT_EQ(base.compared(), 198u);
  EXPECT_NEAR(base.value_ns(), clean.value_ns(), 1'000);
  // Under the bound (0.5 s): jitter, as RFC 3550 has it.
  const auto late = run([](int i, std::uint32_t ts) { return i == 190 ? ts + 45000 : ts; });
  EXPECT_EQ(late.steps(), 0u);
  EXPECT_GT(late.value_ns(), 1e6);
  // The bound in units is at most 2^31 - 1: any step is within it at a huge clock rate.
  feed::rtp_jitter fast(UINT32_MAX);
  fast.add(0, 0, bound);
  fast.add(0x80000000u, 0, bound);
  EXPECT_EQ(fast.steps(), 1u) << "2^31 units is past 2^31 - 1";
}
