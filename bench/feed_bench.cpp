// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The mcnet authors
//
// The feed layer against minimal hand-written C-style loops doing the same
// job, measured in the same run: sequencing and arbitration (ns/datagram,
// allocations/datagram) and the payload codecs (CPU time per datagram), and
// at the end the ratio of each feed piece to its hand-written twin.
// Pure computation: no sockets, no namespace, no root.

#include <benchmark/benchmark.h>

#include <array>
#include <cstdint>
#include <map>
#include <string>
#include <cstdio>
#include <cstring>
#include <memory>
#include <random>
#include <utility>
#include <vector>

#include <mcnet/feed.hpp>

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

// The common case alone: a feed that loses, swaps and repeats nothing (no
// near claim is ever open).
const std::vector<std::uint64_t>& in_order_line() {
  static const std::vector<std::uint64_t> numbers = [] {
    std::vector<std::uint64_t> v(kNumbers);
    for (std::uint64_t n = 0; n < kNumbers; ++n) v[n] = n;
    return v;
  }();
  return numbers;
}

void feed_sequence(benchmark::State& state, const std::vector<std::uint64_t>& numbers) {
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

void raw_sequence(benchmark::State& state, const std::vector<std::uint64_t>& numbers) {
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

void BM_feed_sequence_tracker(benchmark::State& state) { feed_sequence(state, one_line()); }
void BM_raw_sequence_bitmap(benchmark::State& state) { raw_sequence(state, one_line()); }
void BM_feed_sequence_in_order(benchmark::State& state) { feed_sequence(state, in_order_line()); }
void BM_raw_sequence_in_order(benchmark::State& state) { raw_sequence(state, in_order_line()); }

// The hand-written twin of a two-line arbiter: the merged and per-line
// bitmap windows above, the delivered copies' arrival times, first-arrival
// counts and a power-of-two skew histogram.
struct raw_arbiter {
  raw_tracker merged;
  raw_tracker line[2];
  std::int64_t times[kWindow];
  std::uint8_t lines[kWindow];  // the line the slot's time came on
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
      // An earlier copy read later: the first arrival is its line's.
      std::uint8_t* owner = &a->lines[s % kWindow];
      if (t < *slot && *owner != line) {
        a->first_arrivals[*owner]--;
        a->first_arrivals[line]++;
        *owner = static_cast<std::uint8_t>(line);
        *slot = t;
      }
    }
    return 1;
  }
  if (merged == raw_too_late) {
    a->too_late[line]++;
    return 2;
  }
  a->first_arrivals[line]++;
  *slot = t;
  a->lines[s % kWindow] = static_cast<std::uint8_t>(line);
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
BENCHMARK(BM_raw_sequence_in_order);
BENCHMARK(BM_feed_sequence_in_order);
BENCHMARK(BM_raw_arbiter_bitmap);
BENCHMARK(BM_feed_arbiter_2_lines);

// ------------------------------------------------- payload codecs
//
// MoldUDP64, RTP, MPEG-TS: each BM_<what>_mcnet against BM_<what>_raw, the
// same checks and fields written as C. One iteration is one datagram; the
// ratio uses CPU time (other processes on a shared machine inflate wall
// time). The packet pointer is hidden from the optimizer on every iteration
// (DoNotOptimize), so that neither side's parse is hoisted out of the loop.

// A MoldUDP64 packet of 10 messages of 30 bytes (an ITCH-like size).
std::vector<std::byte> mold_packet() {
  std::vector<std::byte> out(20 + 10 * 32);
  auto b = feed::moldudp64::packet_builder::start(out, feed::moldudp64::session_id::make("BENCH").value(), 1000)
               .value();
  const std::array<std::byte, 30> message{};
  for (int i = 0; i < 10; ++i) (void)b.append(message);
  return out;
}

// The packet's bytes, hidden from the optimizer anew on every call.
const std::byte* hidden(const std::vector<std::byte>& packet) {
  const std::byte* data = packet.data();
  benchmark::DoNotOptimize(data);
  return data;
}

std::uint16_t be16(const unsigned char* p) { return static_cast<std::uint16_t>(p[0] << 8 | p[1]); }
std::uint32_t be32(const unsigned char* p) {
  return static_cast<std::uint32_t>(p[0]) << 24 | static_cast<std::uint32_t>(p[1]) << 16 |
         static_cast<std::uint32_t>(p[2]) << 8 | p[3];
}
std::uint64_t be64(const unsigned char* p) { return static_cast<std::uint64_t>(be32(p)) << 32 | be32(p + 4); }

void BM_moldudp64_mcnet(benchmark::State& state) {
  const auto packet = mold_packet();
  for (auto _ : state) {
    auto p = feed::moldudp64::packet_view::parse({hidden(packet), packet.size()});
    std::uint64_t sum = 0;
    if (p) {
      for (const auto m : *p) sum += m.sequence + m.bytes.size() + std::to_integer<unsigned>(m.bytes[0]);
    }
    benchmark::DoNotOptimize(sum);
  }
}

// The same checks and fields, written as C: session printable, each length
// within the packet, no trailing bytes; then the messages walked again.
void BM_moldudp64_raw(benchmark::State& state) {
  const auto packet = mold_packet();
  for (auto _ : state) {
    const auto* p = reinterpret_cast<const unsigned char*>(hidden(packet));
    const std::size_t n = packet.size();
    std::uint64_t sum = 0;
    bool ok = n >= 20;
    for (std::size_t i = 0; ok && i < 10; ++i) ok = p[i] >= 0x20 && p[i] <= 0x7e;
    if (ok) {
      const std::uint64_t seq = be64(p + 10);
      const unsigned count = be16(p + 18);
      const unsigned messages = count == 0xffff ? 0 : count;
      std::size_t at = 20;
      for (unsigned i = 0; ok && i < messages; ++i) {
        ok = n - at >= 2 && n - at - 2 >= be16(p + at);
        if (ok) at += 2u + be16(p + at);
      }
      ok = ok && at == n;
      at = 20;
      for (unsigned i = 0; ok && i < messages; ++i) {
        const unsigned length = be16(p + at);
        sum += seq + i + length + p[at + 2];
        at += 2u + length;
      }
    }
    benchmark::DoNotOptimize(sum);
  }
}

// RTP: 12-byte header, one CSRC, a one-word extension, 1316 bytes of payload.
std::vector<std::byte> rtp_packet() {
  std::vector<std::byte> out(12 + 4 + 8 + 1316);
  const std::array<std::uint32_t, 1> csrcs{7};
  const std::array<std::byte, 4> data{};
  std::vector<std::byte> payload(1316, std::byte{1});
  (void)feed::rtp::build(out,
                         {.marker = true, .payload_type = 33, .sequence = 1, .timestamp = 90000, .ssrc = 5,
                          .csrcs = csrcs, .header_extension = feed::rtp::extension{0xbede, data}},
                         payload);
  return out;
}

void BM_rtp_mcnet(benchmark::State& state) {
  const auto packet = rtp_packet();
  for (auto _ : state) {
    auto p = feed::rtp::packet_view::parse({hidden(packet), packet.size()});
    std::uint64_t sum = 0;
    if (p) {
      sum = p->marker() + p->payload_type() + p->sequence() + p->timestamp() + p->ssrc() + p->payload().size() +
            std::to_integer<unsigned>(p->payload()[0]);
      if (auto x = p->header_extension()) sum += x->profile + x->data.size();
    }
    benchmark::DoNotOptimize(sum);
  }
}

void BM_rtp_raw(benchmark::State& state) {
  const auto packet = rtp_packet();
  for (auto _ : state) {
    const auto* p = reinterpret_cast<const unsigned char*>(hidden(packet));
    const std::size_t n = packet.size();
    std::uint64_t sum = 0;
    if (n >= 12 && p[0] >> 6 == 2) {
      std::size_t at = 12 + 4u * (p[0] & 0x0f);
      bool ok = at <= n;
      unsigned profile = 0, words = 0;
      if (ok && (p[0] & 0x10) != 0) {
        ok = n - at >= 4 && n - at - 4 >= 4u * be16(p + at + 2);
        if (ok) {
          profile = be16(p + at);
          words = be16(p + at + 2);
          at += 4 + 4u * words;
        }
      }
      std::size_t pad = 0;
      if (ok && (p[0] & 0x20) != 0) {
        pad = n > at ? p[n - 1] : 0;
        ok = pad != 0 && pad <= n - at;
      }
      if (ok) {
        sum = (p[1] >> 7) + (p[1] & 0x7fu) + be16(p + 2) + be32(p + 4) + be32(p + 8) + (n - at - pad) + p[at] +
              profile + 4u * words;
      }
    }
    benchmark::DoNotOptimize(sum);
  }
}

// 16 datagrams of 7 packets (5 of PID 0x100, 1 of 0x101, 1 null) whose
// counters run on across them, so cycling through them stays in order.
std::vector<std::vector<std::byte>> ts_datagrams() {
  std::vector<std::vector<std::byte>> out;
  feed::mpegts::continuity_counters counters;
  const std::array<std::byte, 184> payload{};
  const std::array<std::uint16_t, 7> pids{0x100, 0x100, 0x101, 0x100, 0x100, feed::mpegts::null_pid, 0x100};
  for (int d = 0; d < 16; ++d) {
    auto& buf = out.emplace_back(7 * 188);
    feed::mpegts::datagram_builder b(buf);
    for (auto pid : pids) (void)b.append({.pid = pid}, payload, counters);
  }
  return out;
}

void BM_mpegts_cc_mcnet(benchmark::State& state) {
  const auto datagrams = ts_datagrams();
  auto checker = std::make_unique<feed::mpegts::continuity_checker>();
  std::size_t i = 0;
  for (auto _ : state) {
    const auto& datagram = datagrams[i++ & 15];
    std::uint64_t sum = 0;
    if (auto d = feed::mpegts::datagram_view::parse(datagram)) {
      for (auto p : *d) {
        if (!p) continue;
        sum += static_cast<unsigned>(checker->check(*p)) + p->payload().size() + p->payload_unit_start();
      }
    }
    benchmark::DoNotOptimize(sum);
  }
  if (checker->totals().cc_errors != 0) state.SkipWithError("continuity errors in an in-order stream");
}

// The same as C: per packet sync, adaptation field control and length, PCR
// bounds, then TR 101 290 1.4 counting in arrays of all 8192 PIDs.
struct raw_cc {
  std::uint8_t state[8192];
  std::uint64_t packets[8192], errors[8192], duplicates[8192], discontinuities[8192];
};

void BM_mpegts_cc_raw(benchmark::State& state) {
  const auto datagrams = ts_datagrams();
  auto cc = std::make_unique<raw_cc>();
  std::memset(cc.get(), 0, sizeof(raw_cc));
  std::size_t i = 0;
  for (auto _ : state) {
    const auto& datagram = datagrams[i++ & 15];
    const auto* d = reinterpret_cast<const unsigned char*>(datagram.data());
    const std::size_t n = datagram.size();
    std::uint64_t sum = 0;
    if (n != 0 && n % 188 == 0) {
      for (std::size_t at = 0; at < n; at += 188) {
        const unsigned char* p = d + at;
        const unsigned afc = (p[3] >> 4) & 3;
        if (p[0] != 0x47 || afc == 0) continue;
        unsigned af = 0, flags = 0;
        if (afc & 2) {
          af = p[4];
          if ((afc == 2 && af != 183) || (afc == 3 && af > 182)) continue;
          flags = af != 0 ? p[5] : 0;
          const unsigned need = 1 + ((flags & 0x10) ? 6 : 0) + ((flags & 0x08) ? 6 : 0);
          if (af != 0 && af < need) continue;
        }
        const unsigned pid = be16(p + 1) & 0x1fff;
        const unsigned c = p[3] & 0x0f;
        const bool payload = (afc & 1) != 0;
        unsigned verdict = 5;  // unchecked
        ++cc->packets[pid];
        std::uint8_t& s = cc->state[pid];
        if (pid != 0x1fff) {
          if (flags & 0x80) {
            ++cc->discontinuities[pid];
            s = payload ? static_cast<std::uint8_t>(0x10 | c) : 0;
            verdict = 4;
          } else if (payload) {
            const unsigned last = s & 0x0f;
            if ((s & 0x10) == 0) {
              s = static_cast<std::uint8_t>(0x10 | c);
              verdict = 1;
            } else if (c == ((last + 1) & 0x0f)) {
              s = static_cast<std::uint8_t>(0x10 | c);
              verdict = 0;
            } else if (c == last && (s & 0x20) == 0) {
              ++cc->duplicates[pid];
              s |= 0x20;
              verdict = 2;
            } else {
              ++cc->errors[pid];
              if (c != last) s = static_cast<std::uint8_t>(0x10 | c);
              verdict = 3;
            }
          }
        }
        const std::size_t payload_size = payload ? 184 - ((afc & 2) ? 1 + af : 0) : 0;
        sum += verdict + payload_size + ((p[1] >> 6) & 1);
      }
    }
    benchmark::DoNotOptimize(sum);
  }
}

BENCHMARK(BM_moldudp64_mcnet);
BENCHMARK(BM_moldudp64_raw);
BENCHMARK(BM_rtp_mcnet);
BENCHMARK(BM_rtp_raw);
BENCHMARK(BM_mpegts_cc_mcnet);
BENCHMARK(BM_mpegts_cc_raw);

// The pairs whose ratio is printed at the end: {feed, hand-written}.
const std::pair<const char*, const char*> kSequencingPairs[] = {
    {"BM_feed_sequence_tracker", "BM_raw_sequence_bitmap"},
    {"BM_feed_sequence_in_order", "BM_raw_sequence_in_order"},
    {"BM_feed_arbiter_2_lines", "BM_raw_arbiter_bitmap"},
};
const std::pair<const char*, const char*> kCodecPairs[] = {
    {"BM_moldudp64_mcnet", "BM_moldudp64_raw"},
    {"BM_rtp_mcnet", "BM_rtp_raw"},
    {"BM_mpegts_cc_mcnet", "BM_mpegts_cc_raw"},
};

}  // namespace

int main(int argc, char** argv) {
  benchmark::Initialize(&argc, argv);
  mcnet::bench::ratio_reporter reporter;
  benchmark::RunSpecifiedBenchmarks(&reporter);
  reporter.print_ratios(kSequencingPairs, "feed", "hand-written loop", "feed ns", "loop ns", 2);
  reporter.print_ratios(kCodecPairs, "mcnet codec", "hand-written C", "mcnet ns", "C ns", 1);
  benchmark::Shutdown();
  return 0;
}
