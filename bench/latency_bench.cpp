// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The mcnet authors
//
// Receive latency at a steady 10,000 datagrams a second: how long from the
// sender's sendto(2) to the receiving thread holding the datagram, and what
// the receiving thread's CPU costs, for each way of waiting, in one run:
//
// - raw: a blocking recvmsg(2) loop on a blocking socket (the baseline);
// - read_from: core::read_from with wait_policy::blocking();
// - read_batch: core::read_batch of 32 with wait_policy::blocking();
// - adaptive: core::read_from with wait_policy::adaptive(50 us) (spins
//   that long with nonblocking reads before it polls);
// - busy_poll: the raw loop with SO_BUSY_POLL 50 us (and
//   SO_PREFER_BUSY_POLL): the kernel polls the device's NAPI context
//   instead of sleeping, when the device has one (a veth has one only
//   with GRO or XDP on: --veth-gro).
//
// The sender (CPU 0) writes its CLOCK_MONOTONIC time into each datagram;
// the receiver (CPU 1) subtracts it from the time it read the datagram:
// both in one process, one clock. Everything goes to a multicast group
// from one private namespace to another over a veth pair the program
// makes (mcnet-lat-PID-*, removed at the end; 10.77.172.0/24); nothing
// touches the host's interfaces. Needs root and ip(8).
//
//   mcnet_latency_bench [--quick] [--seconds S] [--rate PPS] [--veth-gro]

#include <netinet/in.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <functional>
#include <string>
#include <thread>
#include <vector>

#include <mcnet/core.hpp>

#include "bench_netns.hpp"

namespace core = mcnet::core;

namespace {

constexpr std::uint16_t kPort = 5600;
const auto kGroup = core::ip_address::v4(239, 255, 172, 1);
std::int64_t now_ns() {
  timespec ts{};
  ::clock_gettime(CLOCK_MONOTONIC, &ts);
  return static_cast<std::int64_t>(ts.tv_sec) * 1'000'000'000 + ts.tv_nsec;
}

double thread_cpu_s() {
  timespec ts{};
  ::clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
  return static_cast<double>(ts.tv_sec) + static_cast<double>(ts.tv_nsec) * 1e-9;
}

struct figures {
  std::vector<std::int64_t> latency_ns;
  double cpu_s = 0;
  std::size_t sent = 0;
};

// The receiving side of one mode: `read` blocks for one datagram into `buf`
// and returns its size, or a negative number when the run is over (its
// socket's deadline passed).
using reader = std::function<long(std::byte* buf, std::size_t size)>;

// Sends `count` datagrams at `rate` per second (an absolute schedule), each
// carrying its send time, then a few end markers (send time 0).
void send_steady(std::size_t count, double rate, std::size_t& sent) {
  if (!mcnet::bench::enter_netns("tx", 0)) std::exit(1);
  auto tx = core::dial_udp(core::endpoint(kGroup, kPort), {.ttl = 1}).value();
  const auto step = static_cast<std::int64_t>(1e9 / rate);
  std::int64_t due = now_ns() + 50'000'000;  // the receiver is waiting by then
  std::array<std::byte, 64> payload{};
  for (std::size_t i = 0; i < count; ++i) {
    while (now_ns() < due) {
      const auto left = due - now_ns();
      if (left > 200'000) std::this_thread::sleep_for(std::chrono::nanoseconds(left - 100'000));
    }
    const auto t = now_ns();
    std::memcpy(payload.data(), &t, sizeof t);
    if (::send(tx.native_handle(), payload.data(), payload.size(), 0) == static_cast<long>(payload.size())) ++sent;
    due += step;
  }
  const std::int64_t end = 0;
  std::memcpy(payload.data(), &end, sizeof end);
  for (int i = 0; i < 5; ++i) (void)::send(tx.native_handle(), payload.data(), payload.size(), 0);
}

figures run_mode(std::size_t count, double rate, const std::function<reader(core::socket&)>& make,
                 bool busy_poll) {
  figures f;
  f.latency_ns.reserve(count);
  std::atomic<bool> ready{false};
  std::thread receiver([&] {
    if (!mcnet::bench::enter_netns("rx", 1)) std::exit(1);
    auto rx = core::listen_udp(core::endpoint(core::ip_address::any_v4(), kPort), {.reuse_address = true}).value();
    if (!core::join_group(rx, kGroup, 0)) std::exit(1);
    // A bound on every wait: a lost end marker cannot hang the run.
    (void)core::set(rx, core::opt::receive_timeout, std::chrono::microseconds(500'000));
    if (busy_poll) {
      if (!core::set(rx, core::opt::busy_poll, 50) || !core::set(rx, core::opt::prefer_busy_poll, true)) {
        std::fprintf(stderr, "mcnet_latency_bench: SO_BUSY_POLL refused\n");
      }
    }
    auto read = make(rx);
    std::array<std::byte, 2048> buf{};
    ready = true;
    const double cpu0 = thread_cpu_s();
    while (true) {
      const long n = read(buf.data(), buf.size());
      const auto at = now_ns();
      if (n < 8) break;
      std::int64_t sent = 0;
      std::memcpy(&sent, buf.data(), sizeof sent);
      if (sent == 0) break;  // the end marker
      f.latency_ns.push_back(at - sent);
    }
    f.cpu_s = thread_cpu_s() - cpu0;
  });
  while (!ready) std::this_thread::sleep_for(std::chrono::milliseconds(1));
  std::thread sender([&] { send_steady(count, rate, f.sent); });
  sender.join();
  receiver.join();
  return f;
}

std::int64_t percentile(std::vector<std::int64_t> v, double p) {
  if (v.empty()) return 0;
  std::sort(v.begin(), v.end());
  return v[std::min(v.size() - 1, static_cast<std::size_t>(p * static_cast<double>(v.size())))];
}

}  // namespace

int main(int argc, char** argv) {
  double seconds = 3;
  double rate = 10'000;
  bool veth_gro = false;
  for (int i = 1; i < argc; ++i) {
    const std::string a = argv[i];
    if (a == "--quick") {
      seconds = 0.3;
    } else if (a == "--seconds" && i + 1 < argc) {
      seconds = std::atof(argv[++i]);
    } else if (a == "--rate" && i + 1 < argc) {
      rate = std::atof(argv[++i]);
    } else if (a == "--veth-gro") {
      veth_gro = true;
    } else {
      std::fprintf(stderr, "usage: mcnet_latency_bench [--quick] [--seconds S] [--rate PPS] [--veth-gro]\n");
      return 2;
    }
  }
  if (!(seconds > 0 && seconds <= 60) || !(rate >= 10 && rate <= 200'000)) {
    std::fprintf(stderr, "mcnet_latency_bench: --seconds 0 to 60, --rate 10 to 200000\n");
    return 2;
  }
  if (!mcnet::bench::make_netns_pair("mcnet-lat", "l0", "l1", "10.77.172", veth_gro)) return 1;
  const auto count = static_cast<std::size_t>(seconds * rate);

  const auto raw = [](core::socket& s) -> reader {
    const int fd = s.native_handle();
    return [fd](std::byte* buf, std::size_t size) {
      iovec iov{buf, size};
      msghdr h{};
      h.msg_iov = &iov;
      h.msg_iovlen = 1;
      return static_cast<long>(::recvmsg(fd, &h, 0));
    };
  };
  const auto library = [](core::wait_policy wait) {
    return [wait](core::socket& s) -> reader {
      return [&s, wait](std::byte* buf, std::size_t size) -> long {
        core::message m{.buffer = std::span<std::byte>(buf, size)};
        if (!core::read_from(s, m, core::cmsg::none, wait)) return -1;
        return static_cast<long>(m.size);
      };
    };
  };
  const auto batch = [](core::socket& s) -> reader {
    // A batch of one: at this rate each wake-up finds one datagram.
    return [&s](std::byte* buf, std::size_t size) -> long {
      std::array<core::message, 1> msgs{};
      msgs[0].buffer = std::span<std::byte>(buf, size);
      auto n = core::read_batch(s, msgs, core::cmsg::none, core::wait_policy::blocking());
      if (!n || *n == 0) return -1;
      return static_cast<long>(msgs[0].size);
    };
  };

  struct mode {
    const char* name;
    std::function<reader(core::socket&)> make;
    bool busy_poll;
  };
  const std::vector<mode> modes{
      {"raw recvmsg (blocking)", raw, false},
      {"read_from blocking()", library(core::wait_policy::blocking()), false},
      {"read_batch blocking()", batch, false},
      {"read_from adaptive(50us)",
       library(core::wait_policy::adaptive(std::chrono::microseconds(50), std::chrono::seconds(1))), false},
      {"raw + SO_BUSY_POLL 50us", raw, true},
  };
  std::printf("latency: %.0f datagrams/s for %.1f s per mode (%zu datagrams), sender CPU 0, receiver CPU 1%s\n", rate,
              seconds, count, veth_gro ? ", veth GRO on (NAPI)" : "");
  std::printf("  %-26s %9s %9s %9s %11s %9s %8s\n", "mode", "p50 us", "p99 us", "max us", "CPU/dgram", "received",
              "p50-raw");
  double raw_p50 = 0;
  for (const auto& m : modes) {
    const auto f = run_mode(count, rate, m.make, m.busy_poll);
    const double p50 = static_cast<double>(percentile(f.latency_ns, 0.5)) / 1e3;
    const double p99 = static_cast<double>(percentile(f.latency_ns, 0.99)) / 1e3;
    const double mx = static_cast<double>(percentile(f.latency_ns, 1.0)) / 1e3;
    if (&m == &modes.front()) raw_p50 = p50;
    const double per = f.latency_ns.empty() ? 0 : f.cpu_s * 1e9 / static_cast<double>(f.latency_ns.size());
    std::printf("  %-26s %9.1f %9.1f %9.1f %9.0f ns %9zu %+8.1f\n", m.name, p50, p99, mx, per, f.latency_ns.size(),
                p50 - raw_p50);
  }
  return 0;
}
