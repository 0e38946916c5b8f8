// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The mcnet authors
//
// The netlink layer at scale: take_snapshot against a plain rtnetlink dump
// of the same content written here (links + addresses; and with groups,
// against raw dumps that include the group dumps), targeted lookups, and the
// memory a snapshot holds. Runs in a private network namespace of its own
// with 10, 100 and 1000 veth pairs (2000 with MCNET_BENCH_LARGE=1), each end
// with one IPv4 and one IPv6 address. Needs root; nothing leaves the namespace.

#include <benchmark/benchmark.h>

#include <linux/netlink.h>
#include <linux/rtnetlink.h>
#include <malloc.h>
#include <sched.h>
#include <sys/socket.h>
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <map>
#include <sstream>
#include <string>
#include <vector>

#include <mcnet/netlink.hpp>

#include "process.hpp"

namespace nl = mcnet::netlink;

namespace {

// The namespace holds `pairs` veth pairs; a new namespace per scale.
int current_pairs = -1;

void ensure_scale(int pairs) {
  if (pairs == current_pairs) return;
  if (::unshare(CLONE_NEWNET) != 0) {
    std::perror("unshare(CLONE_NEWNET) (needs root)");
    std::exit(1);
  }
  std::ostringstream batch;
  batch << "link set dev lo up\n";
  for (int i = 0; i < pairs; ++i) {
    batch << "link add dev va" << i << " type veth peer name vb" << i << "\n";
    batch << "address add 10." << 100 + i / 250 << "." << i % 250 << ".1/24 dev va" << i << "\n";
    batch << "address add 10." << 100 + i / 250 << "." << i % 250 << ".2/24 dev vb" << i << "\n";
    batch << "address add fd77:" << std::hex << i << std::dec << "::1/64 dev va" << i << " nodad\n";
    batch << "address add fd77:" << std::hex << i << std::dec << "::2/64 dev vb" << i << " nodad\n";
  }
  mcnet::test::run_checked(nullptr, {"ip", "-batch", "-"}, batch.str(), std::chrono::minutes(5));
  current_pairs = pairs;
}

// The baseline: one socket, the same dumps, messages walked and counted.
struct raw_dumper {
  int fd = -1;
  std::vector<char> buf = std::vector<char>(64 * 1024);
  std::uint32_t seq = 0;
  raw_dumper() {
    fd = ::socket(AF_NETLINK, SOCK_RAW | SOCK_CLOEXEC, NETLINK_ROUTE);
    sockaddr_nl sa{};
    sa.nl_family = AF_NETLINK;
    ::bind(fd, reinterpret_cast<sockaddr*>(&sa), sizeof sa);
  }
  ~raw_dumper() { ::close(fd); }
  std::size_t dump(std::uint16_t type, std::uint8_t family, std::size_t fixed, bool skip_stats) {
    struct {
      nlmsghdr h;
      char body[64];
    } req{};
    req.h.nlmsg_type = type;
    req.h.nlmsg_flags = NLM_F_REQUEST | NLM_F_DUMP;
    req.h.nlmsg_seq = ++seq;
    req.body[0] = static_cast<char>(family);  // ifinfomsg / ifaddrmsg both start with the family
    std::size_t len = NLMSG_LENGTH(fixed);
    if (skip_stats) {
      auto* a = reinterpret_cast<nlattr*>(reinterpret_cast<char*>(&req) + NLMSG_ALIGN(len));
      a->nla_type = IFLA_EXT_MASK;
      a->nla_len = NLA_HDRLEN + 4;
      std::uint32_t mask = RTEXT_FILTER_VF | (1 << 3);
      std::memcpy(reinterpret_cast<char*>(a) + NLA_HDRLEN, &mask, 4);
      len = NLMSG_ALIGN(len) + NLA_HDRLEN + 4;
    }
    req.h.nlmsg_len = static_cast<std::uint32_t>(len);
    ::send(fd, &req, len, 0);
    std::size_t messages = 0;
    while (true) {
      const ssize_t n = ::recv(fd, buf.data(), buf.size(), 0);
      if (n <= 0) return messages;
      // The NLMSG_OK/NLMSG_NEXT walk with unsigned offsets (clang flags the macros' mixed signs).
      std::size_t offset = 0;
      const auto total = static_cast<std::size_t>(n);
      while (total - offset >= sizeof(nlmsghdr)) {
        const auto* m = reinterpret_cast<const nlmsghdr*>(buf.data() + offset);
        if (m->nlmsg_len < sizeof(nlmsghdr) || m->nlmsg_len > total - offset) break;
        if (m->nlmsg_type == NLMSG_DONE || m->nlmsg_type == NLMSG_ERROR) return messages;
        ++messages;
        offset += NLMSG_ALIGN(m->nlmsg_len);
      }
    }
  }
};

std::vector<std::int64_t> scales() {
  std::vector<std::int64_t> s = {10, 100, 1000};
  if (const char* large = std::getenv("MCNET_BENCH_LARGE"); large != nullptr && *large == '1') s.push_back(2000);
  return s;
}

void BM_raw_dump(benchmark::State& state) {
  ensure_scale(static_cast<int>(state.range(0)));
  raw_dumper d;
  std::size_t messages = 0;
  for (auto _ : state) {
    messages = d.dump(RTM_GETLINK, AF_UNSPEC, sizeof(ifinfomsg), true) + d.dump(RTM_GETADDR, AF_UNSPEC, sizeof(ifaddrmsg), false);
  }
  state.counters["messages"] = static_cast<double>(messages);
}

void BM_snapshot(benchmark::State& state) {
  ensure_scale(static_cast<int>(state.range(0)));
  std::size_t links = 0;
  for (auto _ : state) {
    auto s = nl::take_snapshot({.groups = false});
    links = s ? s->links.size() : 0;
    benchmark::DoNotOptimize(s);
  }
  state.counters["links"] = static_cast<double>(links);
}

void BM_raw_dump_with_groups(benchmark::State& state) {
  ensure_scale(static_cast<int>(state.range(0)));
  raw_dumper d;
  for (auto _ : state) {
    benchmark::DoNotOptimize(d.dump(RTM_GETLINK, AF_UNSPEC, sizeof(ifinfomsg), true) +
                             d.dump(RTM_GETADDR, AF_UNSPEC, sizeof(ifaddrmsg), false) +
                             d.dump(RTM_GETMULTICAST, AF_INET, sizeof(ifaddrmsg), false) +
                             d.dump(RTM_GETMULTICAST, AF_INET6, sizeof(ifaddrmsg), false));
  }
}

void BM_snapshot_with_groups(benchmark::State& state) {
  ensure_scale(static_cast<int>(state.range(0)));
  for (auto _ : state) {
    auto s = nl::take_snapshot();
    benchmark::DoNotOptimize(s);
  }
}

// Raw dump and snapshot alternately in one loop, each timed on its own, so
// that both see the same machine at the same moment; the ratio of the sums
// is the figure (separate benchmarks drift by +-10 % on this VM).
template <bool Groups>
void BM_interleaved(benchmark::State& state) {
  ensure_scale(static_cast<int>(state.range(0)));
  raw_dumper d;
  using clock = std::chrono::steady_clock;
  clock::duration raw{}, lib{};
  for (auto _ : state) {
    auto t0 = clock::now();
    auto m = d.dump(RTM_GETLINK, AF_UNSPEC, sizeof(ifinfomsg), true) + d.dump(RTM_GETADDR, AF_UNSPEC, sizeof(ifaddrmsg), false);
    if (Groups) {
      m += d.dump(RTM_GETMULTICAST, AF_INET, sizeof(ifaddrmsg), false) +
           d.dump(RTM_GETMULTICAST, AF_INET6, sizeof(ifaddrmsg), false);
    }
    benchmark::DoNotOptimize(m);
    auto t1 = clock::now();
    auto s = nl::take_snapshot({.groups = Groups});
    benchmark::DoNotOptimize(s);
    auto t2 = clock::now();
    raw += t1 - t0;
    lib += t2 - t1;
  }
  const auto n = static_cast<double>(state.iterations());
  state.counters["raw_ms"] = std::chrono::duration<double, std::milli>(raw).count() / n;
  state.counters["mcnet_ms"] = std::chrono::duration<double, std::milli>(lib).count() / n;
  state.counters["ratio"] = std::chrono::duration<double>(lib).count() / std::chrono::duration<double>(raw).count();
}

void BM_link_by_index(benchmark::State& state) {
  ensure_scale(static_cast<int>(state.range(0)));
  const auto index = nl::link_by_name("vb0").value().index;
  for (auto _ : state) benchmark::DoNotOptimize(nl::link_by_index(index));
}

void BM_link_by_name(benchmark::State& state) {
  ensure_scale(static_cast<int>(state.range(0)));
  for (auto _ : state) benchmark::DoNotOptimize(nl::link_by_name("vb0"));
}

// Heap held by one snapshot (mallinfo2: bytes in use before and after).
void BM_snapshot_memory(benchmark::State& state) {
  ensure_scale(static_cast<int>(state.range(0)));
  double held = 0;
  for (auto _ : state) {
    const auto before = ::mallinfo2().uordblks;
    auto s = nl::take_snapshot();
    const auto after = ::mallinfo2().uordblks;
    held = static_cast<double>(after - before);
    benchmark::DoNotOptimize(s);
  }
  state.counters["MB_held"] = held / (1024.0 * 1024.0);
}

void register_all() {
  for (auto n : scales()) {
    benchmark::RegisterBenchmark("raw_dump", BM_raw_dump)->Arg(n)->Unit(benchmark::kMillisecond);
    benchmark::RegisterBenchmark("snapshot", BM_snapshot)->Arg(n)->Unit(benchmark::kMillisecond);
    benchmark::RegisterBenchmark("raw_dump_with_groups", BM_raw_dump_with_groups)->Arg(n)->Unit(benchmark::kMillisecond);
    benchmark::RegisterBenchmark("snapshot_with_groups", BM_snapshot_with_groups)->Arg(n)->Unit(benchmark::kMillisecond);
    benchmark::RegisterBenchmark("interleaved", BM_interleaved<false>)->Arg(n)->Unit(benchmark::kMillisecond);
    benchmark::RegisterBenchmark("interleaved_with_groups", BM_interleaved<true>)->Arg(n)->Unit(benchmark::kMillisecond);
    benchmark::RegisterBenchmark("link_by_index", BM_link_by_index)->Arg(n)->Unit(benchmark::kMicrosecond);
    benchmark::RegisterBenchmark("link_by_name", BM_link_by_name)->Arg(n)->Unit(benchmark::kMicrosecond);
    benchmark::RegisterBenchmark("snapshot_memory", BM_snapshot_memory)->Arg(n)->Iterations(3);
  }
}

class ratio_reporter : public benchmark::ConsoleReporter {
 public:
  void ReportRuns(const std::vector<Run>& runs) override {
    ConsoleReporter::ReportRuns(runs);
    for (const auto& r : runs) {
      if (r.run_type != Run::RT_Iteration) continue;
      ms_[r.benchmark_name()] = r.GetAdjustedRealTime();
      if (auto it = r.counters.find("ratio"); it != r.counters.end()) ratio_[r.benchmark_name()] = it->second.value;
    }
  }
  void print() const {
    std::printf("\nInterleaved (the figure to quote): take_snapshot / raw dump, same loop\n");
    for (const auto& [name, ratio] : ratio_) std::printf("  %-32s %6.3f\n", name.c_str(), ratio);
    std::printf("\nSeparate benchmarks (drift between runs):\n");
    std::printf("%-8s %-22s %10s %10s %8s\n", "pairs", "mcnet / raw", "mcnet", "raw", "ratio");
    for (auto n : scales()) {
      const auto suffix = "/" + std::to_string(n);
      for (auto [lib, raw] : {std::pair{"snapshot", "raw_dump"}, std::pair{"snapshot_with_groups", "raw_dump_with_groups"}}) {
        auto a = ms_.find(std::string(lib) + suffix);
        auto b = ms_.find(std::string(raw) + suffix);
        if (a == ms_.end() || b == ms_.end()) continue;
        std::printf("%-8lld %-22s %8.3fms %8.3fms %8.3f\n", static_cast<long long>(n), lib, a->second, b->second,
                    a->second / b->second);
      }
    }
  }

 private:
  std::map<std::string, double> ms_;
  std::map<std::string, double> ratio_;
};

}  // namespace

int main(int argc, char** argv) {
  benchmark::Initialize(&argc, argv);
  register_all();
  ratio_reporter reporter;
  benchmark::RunSpecifiedBenchmarks(&reporter);
  reporter.print();
  benchmark::Shutdown();
  return 0;
}
