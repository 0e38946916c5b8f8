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
// time 59 s off among steady ones is a step in and a step out, J unmoved.
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
  EXPECT_EQ(bounded.steps(), 2u);
  EXPECT_NEAR(bounded.value_ns(), 1'000, 700) << "the 1 us alternation only";
  // A clock that steps once and stays: one step.
  feed::jitter stepped;
  for (int i = 0; i < 20; ++i) stepped.add(i * 1'000'000, i * 1'000'000 + (i < 10 ? 30'000 : 2'000'030'000), 1'000'000'000);
  EXPECT_EQ(stepped.steps(), 1u);
  EXPECT_EQ(stepped.value_ns(), 0.0);
}
