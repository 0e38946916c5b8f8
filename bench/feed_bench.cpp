// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The mcnet authors
//
// The feed layer against minimal hand-written C-style loops doing the same
// job, measured in the same run. Prints ns/datagram, allocations/datagram,
// and at the end the ratio of each feed piece to its hand-written twin.
// Pure computation: no sockets, no namespace, no root.

#include <benchmark/benchmark.h>

#include <cstdint>
#include <cstdio>
#include <cstring>
#include <memory>
#include <random>
#include <utility>
#include <vector>

#include <mcnet/feed/arbiter.hpp>
#include <mcnet/feed/sequence.hpp>

#include "alloc_counter.hpp"
#include "bench_report.hpp"

namespace feed = mcnet::feed;

namespace {

// ------------------------------------------------- sequencing and arbitration
//
// The workload: 2^20 sequence numbers as a feed delivers them, with 0.1 %
// lost, 0.1 % swapped with the next one and 0.05 % repeated; each pass
// continues the numbers of the one before, so the window keeps moving.
// The arbiter gets two lines of it (A, and B 20-60 us later), each losing
// its own 0.1 %.

constexpr std::size_t kNumbers = std::size_t{1} << 20;
constexpr std::uint64_t kWindow = 65536;

const std::vector<std::uint64_t>& one_line() {
  static const std::vector<std::uint64_t> numbers = [] {
    std::mt19937_64 rng(13);
    std::vector<std::uint64_t> v;
    v.reserve(kNumbers + kNumbers / 1000);
    for (std::uint64_t n = 0; n < kNumbers; ++n) {
      const auto r = rng() % 10000;
      if (r < 10) continue;  // lost
      if (r < 20 && n + 1 < kNumbers) {  // swapped with the next
        v.push_back(n + 1);
        v.push_back(n);
        ++n;
        continue;
      }
      v.push_back(n);
      if (r < 25) v.push_back(n);  // repeated
    }
    return v;
  }();
  return numbers;
}

struct copy {
  std::uint8_t line;
  std::uint64_t seq;
  std::int64_t arrival_ns;
};

const std::vector<copy>& two_lines() {
  static const std::vector<copy> copies = [] {
    std::mt19937_64 rng(17);
    std::vector<copy> v;
    v.reserve(2 * kNumbers);
    for (std::uint64_t n = 0; n < kNumbers; ++n) {
      const auto t = static_cast<std::int64_t>(n) * 1000;
      if (rng() % 1000 != 0) v.push_back({0, n, t});
      if (rng() % 1000 != 0) v.push_back({1, n, t + 20'000 + static_cast<std::int64_t>(rng() % 40'000)});
    }
    return v;
  }();
  return copies;
}

// Runs `pass(base)` once per iteration, `base` moving the numbers on by
// kNumbers each time, and reports `items` datagrams a pass and the
// allocations made while passing.
template <class Pass>
void run_passes(benchmark::State& state, std::size_t items, Pass&& pass) {
  std::uint64_t base = 0;
  std::size_t total = 0, allocations = 0;
  for (auto _ : state) {
    mcnet::test::allocation_scope scope;
    pass(base);
    allocations += scope.count();
    base += kNumbers;
    total += items;
  }
  mcnet::bench::report(state, total, allocations);
}

// The hand-written twin of sequence_tracker: a plain bitmap window, cleared
// bit by bit as the highest number moves on; the verdict and a gap's first
// missing number and count out, the same counts kept.
struct raw_tracker {
  std::uint64_t bits[kWindow / 64];
  std::uint64_t first, highest, distinct, reordered, duplicates, late;
  int any;
};

enum { raw_in_order, raw_gap, raw_reordered, raw_duplicate, raw_too_late };

inline int raw_add(raw_tracker* t, std::uint64_t s, std::uint64_t* gap_first, std::uint64_t* gap_count) {
  *gap_count = 0;
  if (!t->any) {
    t->any = 1;
    t->first = t->highest = s;
    t->bits[(s % kWindow) / 64] |= 1ull << (s % 64);
    t->distinct++;
    return raw_in_order;
  }
  if (s > t->highest) {
    const std::uint64_t step = s - t->highest;
    if (step >= kWindow) {
      std::memset(t->bits, 0, sizeof t->bits);
    } else {
      for (std::uint64_t n = t->highest + 1; n < s; ++n) t->bits[(n % kWindow) / 64] &= ~(1ull << (n % 64));
    }
    t->bits[(s % kWindow) / 64] |= 1ull << (s % 64);
    t->distinct++;
    const std::uint64_t before = t->highest;
    t->highest = s;
    if (step == 1) return raw_in_order;
    *gap_first = before + 1;
    *gap_count = step - 1;
    return raw_gap;
  }
  if (t->highest - s >= kWindow) {
    t->late++;
    t->reordered++;
    return raw_too_late;
  }
  std::uint64_t* w = &t->bits[(s % kWindow) / 64];
  const std::uint64_t bit = 1ull << (s % 64);
  if (*w & bit) {
    t->duplicates++;
    return raw_duplicate;
  }
  *w |= bit;
  t->distinct++;
  t->reordered++;
  if (s < t->first) t->first = s;
  return raw_reordered;
}

void BM_feed_sequence_tracker(benchmark::State& state) {
  const auto& numbers = one_line();
  auto t = std::make_unique<feed::sequence_tracker>();
  run_passes(state, numbers.size(), [&](std::uint64_t base) {
    for (const auto n : numbers) {
      const auto a = t->add(base + n);
      benchmark::DoNotOptimize(a.kind);
      benchmark::DoNotOptimize(a.missing);
    }
  });
  benchmark::DoNotOptimize(t->lost());
}

void BM_raw_sequence_bitmap(benchmark::State& state) {
  const auto& numbers = one_line();
  auto t = std::make_unique<raw_tracker>();  // zeroed
  run_passes(state, numbers.size(), [&](std::uint64_t base) {
    for (const auto n : numbers) {
      std::uint64_t first = 0, count = 0;
      benchmark::DoNotOptimize(raw_add(t.get(), base + n, &first, &count));
      benchmark::DoNotOptimize(first);
      benchmark::DoNotOptimize(count);
    }
  });
  benchmark::DoNotOptimize(t->distinct);
}

// The hand-written twin of a two-line arbiter: the merged and per-line
// bitmap windows above, the delivered copies' arrival times, first-arrival
// counts and a power-of-two skew histogram.
struct raw_arbiter {
  raw_tracker merged;
  raw_tracker line[2];
  std::int64_t times[kWindow];
  std::uint64_t first_arrivals[2];
  std::uint64_t too_late[2];
  std::uint64_t skew[64];
};

inline int raw_offer(raw_arbiter* a, int line, std::uint64_t s, std::int64_t t) {
  std::uint64_t first = 0, count = 0;
  const int on_line = raw_add(&a->line[line], s, &first, &count);
  const int merged = raw_add(&a->merged, s, &first, &count);
  std::int64_t* slot = &a->times[s % kWindow];
  if (merged == raw_duplicate) {
    if (on_line == raw_in_order || on_line == raw_gap || on_line == raw_reordered) {
      const std::int64_t d = t > *slot ? t - *slot : *slot - t;
      a->skew[d == 0 ? 0 : 63 - __builtin_clzll(static_cast<std::uint64_t>(d))]++;
    }
    return 1;
  }
  if (merged == raw_too_late) {
    a->too_late[line]++;
    return 2;
  }
  a->first_arrivals[line]++;
  *slot = t;
  return 0;
}

void BM_feed_arbiter_2_lines(benchmark::State& state) {
  const auto& copies = two_lines();
  auto arb = feed::arbiter::make(2).value();
  run_passes(state, copies.size(), [&](std::uint64_t base) {
    for (const auto& c : copies) benchmark::DoNotOptimize(arb.offer(c.line, base + c.seq, c.arrival_ns).what);
  });
  benchmark::DoNotOptimize(arb.lost());
}

void BM_raw_arbiter_bitmap(benchmark::State& state) {
  const auto& copies = two_lines();
  auto a = std::make_unique<raw_arbiter>();  // zeroed
  run_passes(state, copies.size(), [&](std::uint64_t base) {
    for (const auto& c : copies) benchmark::DoNotOptimize(raw_offer(a.get(), c.line, base + c.seq, c.arrival_ns));
  });
  benchmark::DoNotOptimize(a->merged.distinct);
}

BENCHMARK(BM_raw_sequence_bitmap);
BENCHMARK(BM_feed_sequence_tracker);
BENCHMARK(BM_raw_arbiter_bitmap);
BENCHMARK(BM_feed_arbiter_2_lines);

// The pairs whose ratio is printed at the end: {feed, hand-written}.
const std::pair<const char*, const char*> kSequencingPairs[] = {
    {"BM_feed_sequence_tracker", "BM_raw_sequence_bitmap"},
    {"BM_feed_arbiter_2_lines", "BM_raw_arbiter_bitmap"},
};

}  // namespace

int main(int argc, char** argv) {
  benchmark::Initialize(&argc, argv);
  mcnet::bench::ratio_reporter reporter;
  benchmark::RunSpecifiedBenchmarks(&reporter);
  reporter.print_ratios(kSequencingPairs, "feed", "hand-written loop", "feed ns", "loop ns", 2);
  benchmark::Shutdown();
  return 0;
}
