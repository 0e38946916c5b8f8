// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The mcnet authors
#pragma once

// What every benchmark program here prints: ns/datagram and
// allocations/datagram per run, and at the end the ratio of each mcnet
// piece to its raw or hand-written twin measured in the same run.

#include <benchmark/benchmark.h>

#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <map>
#include <span>
#include <string>
#include <utility>
#include <vector>

namespace mcnet::bench {

/// Counters of a run: `datagrams` handled, `allocations` made while timed.
inline void report(benchmark::State& state, std::size_t datagrams, std::size_t allocations) {
  state.SetItemsProcessed(static_cast<std::int64_t>(datagrams));
  state.counters["allocs/dgram"] =
      benchmark::Counter(datagrams ? static_cast<double>(allocations) / static_cast<double>(datagrams) : 0.0);
  // Rates use the run's time (the manual time where a benchmark sets it):
  // seconds per datagram, shown as ns.
  state.counters["ns/dgram"] = benchmark::Counter(static_cast<double>(datagrams),
                                                  benchmark::Counter::kIsRate | benchmark::Counter::kInvert);
}

/// Keeps each run's time per datagram so that the ratios can be printed.
class ratio_reporter : public benchmark::ConsoleReporter {
 public:
  void ReportRuns(const std::vector<Run>& runs) override {
    ConsoleReporter::ReportRuns(runs);
    for (const auto& r : runs) {
      // With --benchmark_repetitions the median stands for the run (it is
      // reported after the repetitions, so it replaces the last one).
      const bool median = r.run_type == Run::RT_Aggregate && r.aggregate_name == "median";
      if (r.run_type != Run::RT_Iteration && !median) continue;
      std::string name = r.benchmark_name();
      if (auto at = name.find("/manual_time"); at != std::string::npos) name.erase(at);
      if (median) {
        if (auto at = name.rfind("_median"); at != std::string::npos) name.erase(at);
      }
      // A benchmark that alternates the mcnet call and its raw twin in one
      // loop reports both times and their ratio itself.
      if (auto q = r.counters.find("ratio"); q != r.counters.end()) {
        const auto counter = [&](const char* key) {
          auto c = r.counters.find(key);
          return c != r.counters.end() ? c->second.value : 0.0;
        };
        alternating_[name] = {counter("mcnet ns/dgram"), counter("raw ns/dgram"), q->second.value,
                              counter("mcnet median ns"), counter("raw median ns"), counter("median ratio")};
      }
      // kIsRate | kInvert: seconds per datagram. A benchmark without the
      // counter does one datagram per iteration and is judged by CPU time.
      auto it = r.counters.find("ns/dgram");
      ns_[name] = it != r.counters.end()
                      ? it->second.value * 1e9
                      : r.GetAdjustedCPUTime() * 1e9 / benchmark::GetTimeUnitMultiplier(r.time_unit);
    }
  }

  /// One line per {piece, twin} pair measured: both times and their ratio,
  /// under the column titles given, with `decimals` digits for the times.
  void print_ratios(std::span<const std::pair<const char*, const char*>> pairs, const char* piece_title,
                    const char* twin_title, const char* piece_ns_title, const char* twin_ns_title,
                    int decimals) const {
    std::printf("\n%-28s %-28s %10s %10s %8s\n", piece_title, twin_title, piece_ns_title, twin_ns_title, "ratio");
    for (const auto& [piece, twin] : pairs) {
      auto a = ns_.find(piece);
      auto b = ns_.find(twin);
      if (a == ns_.end() || b == ns_.end() || b->second <= 0) continue;
      std::printf("%-28s %-28s %10.*f %10.*f %8.3f\n", piece, twin, decimals, a->second, decimals, b->second,
                  a->second / b->second);
    }
  }

  /// One line per benchmark that alternated mcnet and raw calls in one loop:
  /// the means (sums over the run) and their ratio, then the medians of the
  /// iterations and theirs (what a preempted iteration does not move).
  void print_alternating() const {
    if (alternating_.empty()) return;
    std::printf("\n%-40s %-16s %10s %10s %8s %10s %10s %8s\n", "alternating (ns/datagram)", "twin", "mcnet",
                "raw", "ratio", "mcnet p50", "raw p50", "ratio");
    for (const auto& [name, v] : alternating_) {
      std::printf("%-40s %-16s %10.1f %10.1f %8.3f %10.1f %10.1f %8.3f\n", name.c_str(), "raw, alternating",
                  v.mcnet, v.raw, v.ratio, v.mcnet_median, v.raw_median, v.median_ratio);
    }
  }

 private:
  struct alternating {
    double mcnet, raw, ratio, mcnet_median, raw_median, median_ratio;
  };
  std::map<std::string, double> ns_;
  std::map<std::string, alternating> alternating_;
};

}  // namespace mcnet::bench
