// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The mcnet authors
//
// The three ways to wait, on a stream at a steady message rate: how long a
// message waits between its send and the receiver having it (wake-up
// latency), and how much CPU the receiving thread spends per message.
// Receivers: a raw blocking recv(2) loop (the baseline), and read_exact under
// wait_policy::blocking(), a nonblocking() retry loop (spinning), and
// adaptive() with two spin times. Each prints its figures and their ratios
// to the raw loop measured in the same run; modes take turns in rounds so
// that drift on a shared machine spreads over all of them.
//
// A Unix stream pair (socketpair(2)): nothing reaches any network, so this
// needs no privilege and no namespace. Asserts nothing; prints.
//
//   mcnet_stream_wait_bench [--rate MSG_PER_S] [--seconds PER_ROUND] [--rounds N]

#include <sys/socket.h>
#include <time.h>

#include <algorithm>
#include <array>
#include <atomic>
#include <chrono>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string_view>
#include <thread>
#include <vector>

#include <mcnet/core/socket.hpp>
#include <mcnet/core/socket_ops.hpp>
#include <mcnet/core/stream.hpp>

namespace core = mcnet::core;
using namespace std::chrono_literals;

namespace {

constexpr std::size_t kMessage = 64;

std::int64_t now_ns() {
  return std::chrono::duration_cast<std::chrono::nanoseconds>(std::chrono::steady_clock::now().time_since_epoch())
      .count();
}

std::int64_t thread_cpu_ns() {
  timespec ts{};
  ::clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
  return static_cast<std::int64_t>(ts.tv_sec) * 1'000'000'000 + ts.tv_nsec;
}

enum class mode { raw_blocking, blocking, spinning, adaptive_short, adaptive_long };

struct mode_info {
  mode m;
  const char* name;
};
constexpr std::array<mode_info, 5> kModes{{{mode::raw_blocking, "raw blocking recv"},
                                           {mode::blocking, "blocking()"},
                                           {mode::spinning, "nonblocking() loop"},
                                           {mode::adaptive_short, "adaptive(20us, 1s)"},
                                           {mode::adaptive_long, "adaptive(200us, 1s)"}}};

struct totals {
  std::vector<std::int64_t> latency;  // ns, one per message
  std::int64_t cpu_ns = 0;
  std::size_t messages = 0;
  std::vector<double> round_p50;      // ns, the median of each round: the spread between rounds
  std::vector<double> round_cpu;      // ns per message, each round
};

std::int64_t percentile(std::vector<std::int64_t>& v, double p);

// Read one 64-byte message as `m` says; false when the stream ended.
bool receive(mode m, int fd, std::array<std::byte, kMessage>& buffer) {
  switch (m) {
    case mode::raw_blocking: {
      std::size_t got = 0;
      while (got < buffer.size()) {
        const auto n = ::recv(fd, buffer.data() + got, buffer.size() - got, 0);
        if (n <= 0) return false;
        got += static_cast<std::size_t>(n);
      }
      return true;
    }
    case mode::blocking:
      return core::read_exact(core::socket_ref(fd), buffer, core::wait_policy::blocking()).has_value();
    case mode::spinning: {
      std::size_t got = 0;
      while (true) {
        auto r =
            core::read_exact(core::socket_ref(fd), std::span(buffer).subspan(got), core::wait_policy::nonblocking());
        if (r) return true;
        if (r.error().code != mcnet::errc::would_block) return false;
        got += static_cast<std::size_t>(r.error().number().value_or(0));
      }
    }
    case mode::adaptive_short:
      return core::read_exact(core::socket_ref(fd), buffer, core::wait_policy::adaptive(20us, 1s)).has_value();
    case mode::adaptive_long:
      return core::read_exact(core::socket_ref(fd), buffer, core::wait_policy::adaptive(200us, 1s)).has_value();
  }
  return false;
}

// One round of one mode: `count` messages at `rate`, the sender pacing on
// absolute times (clock_nanosleep), each message carrying its send time.
void run_round(mode m, std::size_t count, double rate, totals& out) {
  int fds[2];
  if (::socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, fds) != 0) {
    std::perror("socketpair");
    std::exit(1);
  }
  auto tx = core::socket::adopt(core::unique_fd(fds[0])).value();
  auto rx = core::socket::adopt(core::unique_fd(fds[1])).value();
  const auto interval = static_cast<std::int64_t>(1e9 / rate);

  std::thread sender([&] {
    timespec next{};
    ::clock_gettime(CLOCK_MONOTONIC, &next);
    std::array<std::byte, kMessage> message{};
    for (std::size_t i = 0; i < count; ++i) {
      next.tv_nsec += interval;
      while (next.tv_nsec >= 1'000'000'000) {
        next.tv_nsec -= 1'000'000'000;
        ++next.tv_sec;
      }
      ::clock_nanosleep(CLOCK_MONOTONIC, TIMER_ABSTIME, &next, nullptr);
      const auto sent_at = now_ns();
      std::memcpy(message.data(), &sent_at, sizeof sent_at);
      if (!core::write_all(tx, message, core::wait_policy::deadline(1s))) break;
    }
    (void)core::shutdown(tx, core::shutdown_side::write);
  });

  std::array<std::byte, kMessage> buffer{};
  const auto first = out.latency.size();
  const auto cpu_before = thread_cpu_ns();
  std::size_t received = 0;
  while (received < count && receive(m, rx.native_handle(), buffer)) {
    const auto arrived = now_ns();
    std::int64_t sent_at = 0;
    std::memcpy(&sent_at, buffer.data(), sizeof sent_at);
    out.latency.push_back(arrived - sent_at);
    ++received;
  }
  const auto cpu = thread_cpu_ns() - cpu_before;
  out.cpu_ns += cpu;
  out.messages += received;
  sender.join();
  std::vector<std::int64_t> round(out.latency.begin() + static_cast<std::ptrdiff_t>(first), out.latency.end());
  out.round_p50.push_back(static_cast<double>(percentile(round, 0.5)));
  out.round_cpu.push_back(received ? static_cast<double>(cpu) / static_cast<double>(received) : 0);
}

std::int64_t percentile(std::vector<std::int64_t>& v, double p) {
  if (v.empty()) return 0;
  const auto at = static_cast<std::size_t>(p * static_cast<double>(v.size() - 1));
  std::nth_element(v.begin(), v.begin() + static_cast<std::ptrdiff_t>(at), v.end());
  return v[at];
}

double arg(int argc, char** argv, std::string_view name, double fallback) {
  for (int i = 1; i + 1 < argc; ++i) {
    if (name == argv[i]) return std::atof(argv[i + 1]);
  }
  return fallback;
}

}  // namespace

int main(int argc, char** argv) {
  const double rate = arg(argc, argv, "--rate", 10000);
  const double seconds = arg(argc, argv, "--seconds", 1);
  const int rounds = static_cast<int>(arg(argc, argv, "--rounds", 3));
  if (rate < 1 || rate > 1e6 || seconds <= 0 || seconds > 60 || rounds < 1 || rounds > 20) {
    std::fprintf(stderr, "usage: %s [--rate 1..1000000] [--seconds 0..60] [--rounds 1..20]\n", argv[0]);
    return 2;
  }
  const auto count = static_cast<std::size_t>(rate * seconds);
  std::array<totals, kModes.size()> all;
  for (auto& t : all) t.latency.reserve(count * static_cast<std::size_t>(rounds));
  for (int r = 0; r < rounds; ++r) {
    for (std::size_t k = 0; k < kModes.size(); ++k) {
      // Alternate the order each round: no mode always runs first or last.
      const auto i = r % 2 == 0 ? k : kModes.size() - 1 - k;
      run_round(kModes[i].m, count, rate, all[i]);
    }
  }

  std::printf("%.0f messages/s of %zu bytes over a Unix stream pair, %d rounds of %.1f s per mode\n\n", rate,
              kMessage, rounds, seconds);
  std::printf("%-22s %9s %9s %9s %9s %12s %10s %10s   %s\n", "receiver", "messages", "p50 us", "p99 us", "max us",
              "CPU ns/msg", "p50 ratio", "CPU ratio", "per round: p50 us, CPU ns/msg (min-max)");
  double base_p50 = 0;
  double base_cpu = 0;
  for (std::size_t i = 0; i < kModes.size(); ++i) {
    auto& t = all[i];
    const double p50 = static_cast<double>(percentile(t.latency, 0.50));
    const double p99 = static_cast<double>(percentile(t.latency, 0.99));
    const double max = static_cast<double>(percentile(t.latency, 1.0));
    const double cpu = t.messages ? static_cast<double>(t.cpu_ns) / static_cast<double>(t.messages) : 0;
    if (i == 0) {
      base_p50 = p50;
      base_cpu = cpu;
    }
    const auto [p50_lo, p50_hi] = std::minmax_element(t.round_p50.begin(), t.round_p50.end());
    const auto [cpu_lo, cpu_hi] = std::minmax_element(t.round_cpu.begin(), t.round_cpu.end());
    std::printf("%-22s %9zu %9.1f %9.1f %9.1f %12.0f %10.3f %10.3f   %.1f-%.1f, %.0f-%.0f\n", kModes[i].name,
                t.messages, p50 / 1e3, p99 / 1e3, max / 1e3, cpu, base_p50 > 0 ? p50 / base_p50 : 0,
                base_cpu > 0 ? cpu / base_cpu : 0, *p50_lo / 1e3, *p50_hi / 1e3, *cpu_lo, *cpu_hi);
  }
  return 0;
}
