// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The mcnet authors
//
// mcast-send's pacer on a simulated clock: datagram n is due at n / rate
// seconds (floor(t * rate) + 1 by t), a step sends at least --burst back to
// back, a stall is caught up at once, sleeps stay between the floor and
// 1 ms, and the count never drifts from the schedule.

#include <gtest/gtest.h>

#include <chrono>
#include <cmath>
#include <cstdint>

#include <mcnet/tools/pacer.hpp>

namespace tools = mcnet::tools;
using seconds = std::chrono::duration<double>;

namespace {

// A send loop on a simulated clock: at `t`, send what the pacer allows
// (at most `batch` per call, as the loop does) until it says sleep.
struct simulation {
  tools::pacer pace;
  std::size_t batch;
  std::uint64_t sent = 0;

  // Returns the sleep the pacer asked for at the end.
  seconds run_at(double t) {
    for (int calls = 0; calls < 1'000'000; ++calls) {
      const auto d = pace.next(seconds(t), sent);
      if (d.allowed == 0) return d.sleep;
      const auto n = std::min<std::uint64_t>(d.allowed, batch);
      sent += n;
      pace.sent(n);
    }
    ADD_FAILURE() << "the pacer never asked to sleep at t = " << t;
    return {};
  }
};

TEST(Pacer, UnpacedAllowsEverything) {
  tools::pacer p;
  EXPECT_FALSE(p.paced());
  EXPECT_EQ(p.next(seconds(0), 0).allowed, tools::pacer::unlimited);
  EXPECT_EQ(p.next(seconds(5), 1'000'000).allowed, tools::pacer::unlimited);
}

TEST(Pacer, ExactDueCountsForBurstOne) {
  for (double rate : {1000.0, 1.0, 37.5, 200'000.0}) {
    simulation sim{tools::pacer(rate, 1), 32};
    for (double t : {0.0, 0.25 / rate, 1.0 / rate, 1.5 / rate, 10.0 / rate, 123.4 / rate, 1000.0 / rate}) {
      sim.run_at(t);
      EXPECT_EQ(sim.sent, static_cast<std::uint64_t>(t * rate) + 1) << "rate " << rate << ", t " << t;
    }
  }
}

TEST(Pacer, BurstsGoOutWholeAndBackToBack) {
  for (std::size_t burst : {2u, 10u, 64u}) {
    for (double rate : {1000.0, 50'000.0}) {
      simulation sim{tools::pacer(rate, burst), 8};  // batches smaller than a burst: the step spans calls
      for (int k = 0; k <= 5000; ++k) {
        const double t = k * 0.1 / rate;
        sim.run_at(t);
        // Each step sends `burst` datagrams once the first of them is due.
        const auto due = static_cast<std::uint64_t>(t * rate) + 1;
        const auto expected = (due + burst - 1) / burst * burst;
        ASSERT_EQ(sim.sent, expected) << "burst " << burst << ", rate " << rate << ", t " << t;
      }
    }
  }
}

TEST(Pacer, CatchesUpAfterAStall) {
  simulation sim{tools::pacer(1000, 1), 64};
  sim.run_at(0);
  EXPECT_EQ(sim.sent, 1u);
  // A 50 ms stall: the 50 datagrams due since go out at once.
  sim.run_at(0.0505);
  EXPECT_EQ(sim.sent, 51u);
  // With --burst larger than the backlog, the step is the burst.
  simulation bursty{tools::pacer(1000, 100), 64};
  bursty.run_at(0);
  EXPECT_EQ(bursty.sent, 100u);
  bursty.run_at(0.2505);  // 251 due: 151 more than sent, and the rest of 251's burst
  EXPECT_EQ(bursty.sent, 300u) << "what is due and the rest of its burst";
  // And on the grid after it: the next burst at 0.3 s, 100 datagrams, so a
  // run of 0.4 s sends 400 whatever stalled, not up to 99 more.
  bursty.run_at(0.2999);
  EXPECT_EQ(bursty.sent, 300u);
  bursty.run_at(0.3001);
  EXPECT_EQ(bursty.sent, 400u);
  bursty.run_at(0.3999);
  EXPECT_EQ(bursty.sent, 400u);
}

TEST(Pacer, AStepInProgressIsNotCutShort) {
  tools::pacer p(1000, 10);
  auto d = p.next(seconds(0), 0);
  EXPECT_EQ(d.allowed, 10u);
  p.sent(4);
  d = p.next(seconds(0), 4);
  EXPECT_EQ(d.allowed, 6u) << "the rest of the step, although 4 > due";
  p.sent(6);
  EXPECT_EQ(p.next(seconds(0), 10).allowed, 0u);
}

TEST(Pacer, SleepsBetweenTheFloorAndOneMillisecond) {
  // Slow: the next datagram is far away, the sleep is capped.
  tools::pacer slow(10, 1);
  (void)slow.next(seconds(0), 0);
  slow.sent(1);
  auto d = slow.next(seconds(0), 1);
  EXPECT_EQ(d.allowed, 0u);
  EXPECT_DOUBLE_EQ(d.sleep.count(), 1e-3);
  // Above 100 kpps the wait falls under the floor: the floor.
  tools::pacer fast(1e6, 1);
  (void)fast.next(seconds(0), 0);
  fast.sent(1);
  d = fast.next(seconds(0), 1);
  EXPECT_EQ(d.allowed, 0u);
  EXPECT_DOUBLE_EQ(d.sleep.count(), tools::pacer::min_sleep.count());
  // In between: exactly until the next datagram (number `total_sent`,
  // counting from 0) is due, so the step that follows sends one, not two.
  tools::pacer mid(10'000, 1);
  (void)mid.next(seconds(0), 0);
  mid.sent(1);
  d = mid.next(seconds(0.00005), 1);
  EXPECT_EQ(d.allowed, 0u);
  EXPECT_NEAR(d.sleep.count(), 5e-5, 1e-12);
  EXPECT_EQ(mid.next(seconds(0.00005) + d.sleep, 1).allowed, 1u) << "woken when the next one is due: one";
  // Whatever the rate and the instant.
  for (double rate : {1.0, 333.0, 1e5, 1e7}) {
    simulation sim{tools::pacer(rate, 1), 64};
    for (int k = 0; k < 2000; ++k) {
      const auto s = sim.run_at(k * 0.37 / rate);
      EXPECT_GE(s.count(), tools::pacer::min_sleep.count()) << rate;
      EXPECT_LE(s.count(), tools::pacer::max_sleep.count()) << rate;
    }
  }
}

TEST(Pacer, NoDriftOverAMillionSteps) {
  // 100 kpps, the clock advanced by what the pacer asks to sleep plus a
  // jitter of 0 to 3 us: the count follows the absolute schedule.
  constexpr double rate = 100'000;
  simulation sim{tools::pacer(rate, 1), 32};
  double t = 0;
  for (int step = 0; step < 1'000'000; ++step) {
    const auto s = sim.run_at(t);
    ASSERT_EQ(sim.sent, static_cast<std::uint64_t>(t * rate) + 1) << "step " << step << ", t " << t;
    t += s.count() + static_cast<double>(step % 4) * 1e-6;
  }
  EXPECT_GT(t, 10.0) << "a million steps cover a long run";
}

}  // namespace
