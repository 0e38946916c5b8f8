// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The mcnet authors
//
// mcast-recv's accounting of one datagram (tools::stream_table::add, with
// --payload auto, the default) against the feed pieces called directly on
// the same datagrams, measured in the same run: what classifying, keying
// the stream and keeping its counters costs over parsing and sequencing
// alone. Per protocol: mcnet (the test header, its latency and jitter),
// MoldUDP64 (3 messages a packet), RTP (payload type 96, jitter), MPEG-TS
// (7 transport packets, continuity) and raw. Pure computation: no sockets,
// no namespace, no root.

#include <benchmark/benchmark.h>

#include <array>
#include <chrono>
#include <cstdint>
#include <cstdio>
#include <cstring>
#include <memory>
#include <utility>
#include <vector>

#include <mcnet/feed.hpp>
#include <mcnet/feed/big_endian.hpp>
#include <mcnet/tools/stream_table.hpp>

#include "alloc_counter.hpp"
#include "bench_report.hpp"

namespace core = mcnet::core;
namespace feed = mcnet::feed;
namespace tools = mcnet::tools;

namespace {

// A pass: 4096 datagrams of one stream, every 1000th number missing, so
// that the gap path is taken now and then. The sequence numbers (and RTP
// timestamps) are rewritten before each pass so that passes continue the
// stream rather than repeat it.
constexpr std::size_t kDatagrams = 4096;
const auto kGroup = core::ip_address::v4(239, 77, 1, 1);
const auto kSource = core::ip_address::v4(10, 77, 0, 1);
constexpr std::uint16_t kPort = 5000;

enum class kind { mcnet, moldudp64, rtp, mpegts, raw };

using bytes = std::vector<std::byte>;

// 7 transport packets on PIDs 0x100 and 0x101 in turn, continuing `counters`.
void fill_mpegts(bytes& b, feed::mpegts::continuity_counters& counters) {
  feed::mpegts::datagram_builder builder(b);
  const std::array<std::byte, 184> payload{};
  for (std::uint16_t i = 0; !builder.full(); ++i) {
    (void)builder.append({.pid = static_cast<std::uint16_t>(0x100 + i % 2)}, payload, counters);
  }
}

// One datagram of `k`, built with the feed builders; renumber() sets its
// numbers for a pass.
bytes make(kind k, feed::mpegts::continuity_counters& counters) {
  switch (k) {
    case kind::mcnet: {
      bytes b(100);
      (void)feed::test_header{.sender_id = 7, .session = 1, .length = 100}.build(b);
      return b;
    }
    case kind::moldudp64: {
      bytes b(200);
      auto p = feed::moldudp64::packet_builder::start(b, feed::moldudp64::session_id::make("BENCH").value(), 1).value();
      const std::array<std::byte, 32> message{};
      for (int i = 0; i < 3; ++i) (void)p.append(message);
      b.resize(p.size());
      return b;
    }
    case kind::rtp: {
      bytes b(1328);
      const std::array<std::byte, 1316> payload{};
      (void)feed::rtp::build(b, {.payload_type = 96, .sequence = 0, .timestamp = 0, .ssrc = 0xBE7C4}, payload);
      return b;
    }
    case kind::mpegts: {
      bytes b(feed::mpegts::packet_size * feed::mpegts::packets_per_datagram);
      fill_mpegts(b, counters);
      return b;
    }
    case kind::raw:
      return bytes(100, std::byte{0x5a});
  }
  return {};
}

struct workload {
  std::vector<bytes> datagrams;
  std::vector<bool> sent;  // false: this one is "lost" and not offered
  std::uint64_t pass = 0;
  feed::mpegts::continuity_counters counters;

  explicit workload(kind k) {
    for (std::size_t i = 0; i < kDatagrams; ++i) {
      datagrams.push_back(make(k, counters));
      sent.push_back(i % 1000 != 999);
    }
  }
  // Number the datagrams for the next pass (not timed). MPEG-TS datagrams
  // are rebuilt in place so that the counters continue.
  void renumber(kind k) {
    for (std::size_t i = 0; i < kDatagrams; ++i) {
      const std::uint64_t n = pass * kDatagrams + i;
      auto* p = datagrams[i].data();
      switch (k) {
        case kind::mcnet:
          feed::store_be<std::uint64_t>(p + 16, n);
          feed::store_be<std::uint64_t>(p + 24, 1'000'000'000 + n * 10'000);
          break;
        case kind::moldudp64:
          feed::store_be<std::uint64_t>(p + 10, 1 + 3 * n);
          break;
        case kind::rtp:
          feed::store_be<std::uint16_t>(p + 2, static_cast<std::uint16_t>(n));
          feed::store_be<std::uint32_t>(p + 4, static_cast<std::uint32_t>(n * 900));
          break;
        case kind::mpegts:
          fill_mpegts(datagrams[i], counters);
          break;
        case kind::raw:
          break;
      }
    }
    ++pass;
  }
};

core::kernel_time arrival(std::uint64_t pass, std::size_t i) {
  return core::kernel_time(std::chrono::nanoseconds(1'000'000'500 + (pass * kDatagrams + i) * 10'000));
}

void run(benchmark::State& state, kind k, bool through_table) {
  workload w(k);
  auto table = std::make_unique<tools::stream_table>();
  // The direct twin: what a receiver of one known stream written on the
  // feed layer keeps.
  feed::sequence_tracker sequence;
  feed::rtp_sequence_tracker rtp_sequence;
  feed::rtp_jitter rtp_jitter(90000);
  feed::jitter jitter;
  feed::histogram latency;
  auto checker = std::make_unique<feed::mpegts::continuity_checker>();
  std::uint64_t packets = 0, byte_count = 0;
  std::size_t datagrams = 0;
  const auto before = mcnet::test::allocations_on_this_thread();
  for (auto _ : state) {
    state.PauseTiming();
    w.renumber(k);
    state.ResumeTiming();
    for (std::size_t i = 0; i < kDatagrams; ++i) {
      if (!w.sent[i]) continue;
      const std::span<const std::byte> d = w.datagrams[i];
      const auto at = arrival(w.pass, i);
      ++datagrams;
      if (through_table) {
        benchmark::DoNotOptimize(table->add(kGroup, kPort, kSource, d, at, 1, 0, 2));
        continue;
      }
      ++packets;
      byte_count += d.size();
      const auto at_ns = at.time_since_epoch().count();
      switch (k) {
        case kind::mcnet:
          if (const auto h = feed::test_header::parse(d)) {
            sequence.add(h->sequence);
            latency.add(at_ns - static_cast<std::int64_t>(h->send_time_ns));
            jitter.add(static_cast<std::int64_t>(h->send_time_ns), at_ns);
          }
          break;
        case kind::moldudp64:
          if (const auto v = feed::moldudp64::packet_view::parse(d)) {
            for (std::size_t m = 0; m < v->size(); ++m) sequence.add(v->sequence() + m);
          }
          break;
        case kind::rtp:
          if (const auto v = feed::rtp::packet_view::parse(d)) {
            rtp_sequence.add(v->sequence());
            rtp_jitter.add(v->timestamp(), at_ns);
          }
          break;
        case kind::mpegts:
          if (const auto v = feed::mpegts::datagram_view::parse(d)) {
            for (const auto& p : *v) {
              if (p) (void)checker->check(*p);
            }
          }
          break;
        case kind::raw:
          break;
      }
    }
  }
  benchmark::DoNotOptimize(packets);
  benchmark::DoNotOptimize(byte_count);
  benchmark::DoNotOptimize(sequence.lost());
  benchmark::DoNotOptimize(rtp_sequence.lost());
  benchmark::DoNotOptimize(latency.count());
  if (through_table) {
    const auto sum = table->sum();
    // The table must have seen one stream with the twin's loss.
    if (table->streams().size() != 1 || (k != kind::mpegts && k != kind::raw && sum.lost == 0)) {
      state.SkipWithError("the stream table did not account the workload as one stream");
    }
  }
  mcnet::bench::report(state, datagrams, mcnet::test::allocations_on_this_thread() - before);
}

void BM_table_mcnet(benchmark::State& s) { run(s, kind::mcnet, true); }
void BM_direct_mcnet(benchmark::State& s) { run(s, kind::mcnet, false); }
void BM_table_moldudp64(benchmark::State& s) { run(s, kind::moldudp64, true); }
void BM_direct_moldudp64(benchmark::State& s) { run(s, kind::moldudp64, false); }
void BM_table_rtp(benchmark::State& s) { run(s, kind::rtp, true); }
void BM_direct_rtp(benchmark::State& s) { run(s, kind::rtp, false); }
void BM_table_mpegts(benchmark::State& s) { run(s, kind::mpegts, true); }
void BM_direct_mpegts(benchmark::State& s) { run(s, kind::mpegts, false); }
void BM_table_raw(benchmark::State& s) { run(s, kind::raw, true); }
void BM_direct_raw(benchmark::State& s) { run(s, kind::raw, false); }

BENCHMARK(BM_table_mcnet);
BENCHMARK(BM_direct_mcnet);
BENCHMARK(BM_table_moldudp64);
BENCHMARK(BM_direct_moldudp64);
BENCHMARK(BM_table_rtp);
BENCHMARK(BM_direct_rtp);
BENCHMARK(BM_table_mpegts);
BENCHMARK(BM_direct_mpegts);
BENCHMARK(BM_table_raw);
BENCHMARK(BM_direct_raw);

const std::pair<const char*, const char*> kPairs[] = {
    {"BM_table_mcnet", "BM_direct_mcnet"},   {"BM_table_moldudp64", "BM_direct_moldudp64"},
    {"BM_table_rtp", "BM_direct_rtp"},       {"BM_table_mpegts", "BM_direct_mpegts"},
    {"BM_table_raw", "BM_direct_raw"},
};

}  // namespace

int main(int argc, char** argv) {
  benchmark::Initialize(&argc, argv);
  mcnet::bench::ratio_reporter reporter;
  benchmark::RunSpecifiedBenchmarks(&reporter);
  reporter.print_ratios(kPairs, "stream_table (auto)", "feed pieces directly", "table ns", "direct ns", 1);
  return 0;
}
