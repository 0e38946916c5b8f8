// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The mcnet authors
//
// mcast-recv's receive coalescing (read_coalescer) on simulated wake-ups:
// a hold only when wake-ups read a few datagrams each at a rate that fills
// a good part of a batch within --coalesce, sized to three quarters of a
// batch, never past --coalesce or a quarter of the receive buffer, never
// after a drop (for a second) or for datagrams without a kernel time.

#include <gtest/gtest.h>

#include <chrono>
#include <cstddef>

#include <mcnet/tools/coalesce.hpp>

namespace tools = mcnet::tools;
using namespace std::chrono_literals;
using wakeup = tools::read_coalescer::wakeup;

namespace {

double microseconds(std::chrono::nanoseconds d) { return static_cast<double>(d.count()) / 1000; }

constexpr std::int64_t big_buffer = 8 << 20;

// `n` wake-ups of `per` datagrams of `size` bytes, `gap` apart: the last hold asked for.
std::chrono::nanoseconds steady(tools::read_coalescer& c, int n, std::size_t per, std::chrono::nanoseconds gap,
                                std::size_t size = 64) {
  std::chrono::nanoseconds hold{0};
  for (int i = 0; i < n; ++i) hold = c.after(wakeup{.datagrams = per, .bytes = per * size, .elapsed = gap});
  return hold;
}

}  // namespace

TEST(ReadCoalescer, AFastTrickleIsHeldForThreeQuartersOfABatch) {
  // 100,000 datagrams a second read one at a time (10 us apart): hold for
  // 24 of the 32 of a batch, 240 us.
  tools::read_coalescer c(1000us, 32, big_buffer);
  const auto hold = steady(c, 20, 1, 10us);
  EXPECT_NEAR(microseconds(hold), 240.0, 1.0);
  EXPECT_EQ(c.holds(), 20u);
  EXPECT_GT(c.held(), 20 * 200us);
}

TEST(ReadCoalescer, TheHoldNeverPassesItsBound) {
  // 10,000 a second: 24 datagrams take 2.4 ms, the bound is 1 ms.
  tools::read_coalescer c(1000us, 32, big_buffer);
  EXPECT_EQ(steady(c, 20, 1, 100us), 1000us);
  tools::read_coalescer tight(300us, 32, big_buffer);
  EXPECT_EQ(steady(tight, 20, 1, 100us), 0us) << "3 datagrams in 300 us are not worth a sleep";
}

TEST(ReadCoalescer, SlowFeedsAndFullBatchesAreNotHeld) {
  tools::read_coalescer slow(1000us, 32, big_buffer);
  EXPECT_EQ(steady(slow, 20, 1, 1ms), 0us) << "1,000 a second gathers 1 datagram in a millisecond";
  tools::read_coalescer full(1000us, 32, big_buffer);
  EXPECT_EQ(steady(full, 20, 32, 100us), 0us) << "reads that fill the batch are behind, not waiting";
  EXPECT_EQ(full.holds(), 0u);
  tools::read_coalescer nothing(1000us, 32, big_buffer);
  EXPECT_EQ(steady(nothing, 20, 0, 50ms), 0us);
}

TEST(ReadCoalescer, OffWhenTurnedOffOrTheBufferIsUnknown) {
  tools::read_coalescer off(0us, 32, big_buffer);
  EXPECT_EQ(steady(off, 20, 1, 10us), 0us);
  tools::read_coalescer unknown(1000us, 32, 0);
  EXPECT_EQ(steady(unknown, 20, 1, 10us), 0us);
  tools::read_coalescer one(1000us, 1, big_buffer);
  EXPECT_EQ(steady(one, 20, 1, 10us), 0us) << "--batch 1 has no batch to gather";
  tools::read_coalescer none;
  EXPECT_EQ(steady(none, 20, 1, 10us), 0us);
}

TEST(ReadCoalescer, AQuarterOfTheReceiveBufferBoundsTheHold) {
  // 100,000 datagrams of 8,000 bytes a second (read one at a time) into a
  // 4 MiB buffer: a quarter holds 1,048,576 bytes, 61.6 datagrams counted
  // at 2 x 8,000 + 1,024 bytes, 616 us: three quarters of a batch come
  // sooner, 240 us. Into 1 MiB: 15.4 datagrams, 154 us (and 10 Gbit/s
  // would take 210 us to fill it).
  tools::read_coalescer c(1000us, 32, 4 << 20);
  EXPECT_NEAR(microseconds(steady(c, 20, 1, 10us, 8000)), 240.0, 1.0);
  tools::read_coalescer smaller(1000us, 32, 1 << 20);
  EXPECT_NEAR(microseconds(steady(smaller, 20, 1, 10us, 8000)), (1 << 20) / 4.0 / 17024 / 1e5 * 1e6, 1.0);
  // Jumbo datagrams into a small buffer leave room for fewer than min_gain: no hold at all.
  tools::read_coalescer jumbo(1000us, 32, 65536);
  EXPECT_EQ(steady(jumbo, 20, 1, 10us, 9000), 0us);
}

TEST(ReadCoalescer, ABurstAtTenGigabitsFitsInTheQuarterWhateverTheRate) {
  // trial17a H1: a steady 5,000 a second sized its holds on that rate, and
  // a burst on another socket filled a 425,984-byte buffer during one.
  // The hold is at most what 10 Gbit/s of charged bytes takes to fill a
  // quarter of the buffer: 85 us here at 100,000 a second (at 5,000 a
  // second no hold is made: 85 us would gather less than min_gain).
  tools::read_coalescer c(1000us, 32, 425984);
  EXPECT_NEAR(microseconds(steady(c, 20, 1, 10us, 100)), 425984 / 4.0 / 1.25e9 * 1e6, 1.0);
  // With 8 MiB the bound is 1.7 ms: --coalesce's 1 ms holds.
  tools::read_coalescer big(1000us, 32, 8 << 20);
  EXPECT_EQ(steady(big, 20, 1, 100us, 100), 1000us);
}

TEST(ReadCoalescer, ADropStopsCoalescingForTheRestOfTheRun) {
  tools::read_coalescer c(1000us, 32, big_buffer);
  ASSERT_GT(steady(c, 20, 1, 10us), 0us);
  EXPECT_FALSE(c.stopped());
  EXPECT_EQ(c.after(wakeup{.datagrams = 1, .bytes = 64, .elapsed = 10us, .drops = true}), 0us);
  EXPECT_TRUE(c.stopped());
  // A minute of wake-ups later: still none.
  EXPECT_EQ(steady(c, 600'000, 1, 100us), 0us);
  EXPECT_EQ(c.holds(), 20u);
}

TEST(ReadCoalescer, DatagramsWithoutAKernelTimeAreNotHeld) {
  // Their arrival time is read from the clock when handled (--timestamp
  // none): a hold would move it.
  tools::read_coalescer c(1000us, 32, big_buffer);
  std::chrono::nanoseconds hold{1};
  for (int i = 0; i < 20; ++i) {
    hold = c.after(wakeup{.datagrams = 1, .bytes = 64, .elapsed = 10us, .timestamped = false});
  }
  EXPECT_EQ(hold, 0us);
  EXPECT_EQ(c.holds(), 0u);
}

TEST(ReadCoalescer, TheRateIsSmoothedOverWakeups) {
  // One wake-up with a long wait (the first after a pause) does not stop
  // the holds of a fast feed; a feed that slows down stops them.
  tools::read_coalescer c(1000us, 32, big_buffer);
  ASSERT_GT(steady(c, 20, 1, 10us), 0us);
  EXPECT_GT(c.after(wakeup{.datagrams = 8, .bytes = 512, .elapsed = 300us}), 0us);
  EXPECT_EQ(steady(c, 40, 1, 2ms), 0us);
}
