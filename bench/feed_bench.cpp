// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The mcnet authors
//
// The feed layer against minimal hand-written C-style code doing the same
// work, measured in the same run. Each benchmark named BM_<what>_mcnet has a
// twin BM_<what>_raw; one iteration is one datagram, and at the end the
// ratio of each pair is printed. Pure computation: no socket, no system call.
// The packet pointer is hidden from the optimizer on every iteration
// (DoNotOptimize), so that neither side's parse is hoisted out of the loop.

#include <benchmark/benchmark.h>

#include <array>
#include <cstdint>
#include <cstdio>
#include <cstring>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include <mcnet/feed.hpp>

namespace feed = mcnet::feed;

namespace {

// ---- Payload codecs: MoldUDP64, RTP, MPEG-TS ----

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

// ---- Ratios ----

// Keeps each run's CPU time per iteration (one datagram; CPU rather than
// wall time, which other processes on a shared machine inflate) so that each
// BM_<what>_mcnet can be printed against its BM_<what>_raw.
class ratio_reporter : public benchmark::ConsoleReporter {
 public:
  void ReportRuns(const std::vector<Run>& runs) override {
    ConsoleReporter::ReportRuns(runs);
    for (const auto& r : runs) {
      if (r.run_type != Run::RT_Iteration) continue;
      ns_[r.benchmark_name()] = r.GetAdjustedCPUTime() * 1e9 / benchmark::GetTimeUnitMultiplier(r.time_unit);
    }
  }
  void print_ratios() const {
    std::printf("\n%-28s %-28s %10s %10s %8s\n", "mcnet", "hand-written C", "mcnet ns", "raw ns", "ratio");
    for (const auto& [name, ns] : ns_) {
      const auto at = name.rfind("_mcnet");
      if (at == std::string::npos) continue;
      const auto raw_name = std::string(name).replace(at, 6, "_raw");
      const auto raw = ns_.find(raw_name);
      if (raw == ns_.end() || raw->second <= 0) continue;
      std::printf("%-28s %-28s %10.1f %10.1f %8.3f\n", name.c_str(), raw_name.c_str(), ns, raw->second,
                  ns / raw->second);
    }
  }

 private:
  std::map<std::string, double> ns_;
};

}  // namespace

int main(int argc, char** argv) {
  benchmark::Initialize(&argc, argv);
  ratio_reporter reporter;
  benchmark::RunSpecifiedBenchmarks(&reporter);
  reporter.print_ratios();
  benchmark::Shutdown();
  return 0;
}
