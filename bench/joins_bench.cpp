// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The mcnet authors
//
// How long joining many groups takes: N IPv4 groups (default 1,000) on one
// port and interface, the sockets sharded at net.ipv4.igmp_max_memberships
// groups each, three ways in the same run:
//
// - raw: a C-style loop of what a careful receiver does: per socket,
//   socket(2), SO_REUSEADDR, bind, IP_MULTICAST_ALL off, IP_PKTINFO,
//   IP_RECVTTL, IP_RECVTOS, SO_RXQ_OVFL and SO_RCVBUF, then one
//   IP_ADD_MEMBERSHIP (struct ip_mreqn, by interface index) per group;
// - library: the same sockets through core::listen_udp's options and
//   core::join_group;
// - mcast-recv: tools::resolve_memberships and tools::open_and_join, the
//   tool's own code from its group specs to the start event (planning,
//   descriptor limit, receive buffer, interface names, the report).
//
// Each is repeated (default 20 times) on a fresh veth pair, every socket
// closed between runs; medians and ratios to raw are printed.
// Everything happens in a private network namespace the program makes with
// unshare(CLONE_NEWNET) and a veth pair inside it: no packet reaches the
// host's interfaces. Needs root (CAP_NET_ADMIN, CAP_SYS_ADMIN).
//
//   mcnet_joins_bench [--groups N] [--runs R] [--quick] [--only raw|library|mcast-recv]

#include <arpa/inet.h>
#include <net/if.h>
#include <netinet/in.h>
#include <sched.h>
#include <time.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <functional>
#include <sstream>
#include <string>
#include <vector>

#include <mcnet/core.hpp>
#include <mcnet/core/sysctl.hpp>
#include <mcnet/ipv4.hpp>
#include <mcnet/tools/output.hpp>
#include <mcnet/tools/receiver.hpp>
#include <mcnet/tools/recv_options.hpp>
#include <mcnet/tools/route.hpp>

#include "bench_netns.hpp"

namespace core = mcnet::core;
namespace tools = mcnet::tools;

namespace {

constexpr std::uint16_t kPort = 5400;
constexpr const char* kIface = "j1";

using mcnet::bench::sh;

// A private network namespace for this process, its loopback up.
bool private_network() {
  if (::unshare(CLONE_NEWNET) != 0) {
    std::perror("mcnet_joins_bench: unshare(CLONE_NEWNET) (needs root)");
    return false;
  }
  return sh("ip link set lo up");
}

// A fresh veth pair j0/j1 for each measurement, addressed in the test space,
// with the multicast route on j1: leaving groups leaves IGMPv3 records of
// the change on the interface for a few seconds, which the next joins on it
// would search through. Returns j1's index, 0 on failure.
unsigned fresh_interface() {
  (void)std::system("ip link del j0 2>/dev/null");
  if (!sh("ip link add j0 type veth peer name j1") || !sh("ip addr add 10.77.171.1/24 dev j0") ||
      !sh("ip addr add 10.77.171.2/24 dev j1") || !sh("ip link set j0 up") || !sh("ip link set j1 up") ||
      !sh("ip route add 224.0.0.0/4 dev j1")) {
    return 0;
  }
  return ::if_nametoindex(kIface);
}

in_addr group_address(std::size_t i) {
  in_addr a{};
  a.s_addr = htonl((239u << 24) | (77u << 16) | static_cast<std::uint32_t>(i + 1));
  return a;
}

std::size_t per_socket() {
  const auto v = core::read_sysctl("net.ipv4.igmp_max_memberships");
  return v && *v > 0 ? static_cast<std::size_t>(*v) : 20;
}

double thread_cpu_s() {
  timespec ts{};
  ::clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
  return static_cast<double>(ts.tv_sec) + static_cast<double>(ts.tv_nsec) * 1e-9;
}

// Wall and CPU seconds of one measurement (wall < 0: it failed). The CPU
// time (user + system of this thread) barely moves with the machine's load,
// the wall time does.
struct timing {
  double wall = -1;
  double cpu = 0;
};

class stopwatch {
 public:
  [[nodiscard]] timing read() const {
    return {std::chrono::duration<double>(std::chrono::steady_clock::now() - t0_).count(), thread_cpu_s() - c0_};
  }

 private:
  std::chrono::steady_clock::time_point t0_ = std::chrono::steady_clock::now();
  double c0_ = thread_cpu_s();
};

// The raw loop; returns the seconds taken, or a negative number on failure.
timing raw_joins(std::size_t groups, unsigned ifindex, std::size_t shard) {
  std::vector<int> fds;
  const stopwatch clock;
  int fd = -1;
  bool ok = true;
  for (std::size_t i = 0; i < groups && ok; ++i) {
    if (i % shard == 0) {
      fd = ::socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
      if (fd < 0) {
        ok = false;
        break;
      }
      fds.push_back(fd);
      const int on = 1, off = 0, rcvbuf = 8 << 20;
      sockaddr_in local{};
      local.sin_family = AF_INET;
      local.sin_port = htons(kPort);
      ok = ::setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &on, sizeof on) == 0 &&
           ::bind(fd, reinterpret_cast<const sockaddr*>(&local), sizeof local) == 0 &&
           ::setsockopt(fd, IPPROTO_IP, IP_MULTICAST_ALL, &off, sizeof off) == 0 &&
           ::setsockopt(fd, IPPROTO_IP, IP_PKTINFO, &on, sizeof on) == 0 &&
           ::setsockopt(fd, IPPROTO_IP, IP_RECVTTL, &on, sizeof on) == 0 &&
           ::setsockopt(fd, IPPROTO_IP, IP_RECVTOS, &on, sizeof on) == 0 &&
           ::setsockopt(fd, SOL_SOCKET, SO_RXQ_OVFL, &on, sizeof on) == 0 &&
           ::setsockopt(fd, SOL_SOCKET, SO_RCVBUF, &rcvbuf, sizeof rcvbuf) == 0;
    }
    ip_mreqn m{};
    m.imr_multiaddr = group_address(i);
    m.imr_ifindex = static_cast<int>(ifindex);
    ok = ok && ::setsockopt(fd, IPPROTO_IP, IP_ADD_MEMBERSHIP, &m, sizeof m) == 0;
  }
  const auto t = clock.read();
  if (!ok) std::perror("mcnet_joins_bench: raw join");
  for (int f : fds) ::close(f);
  return ok ? t : timing{};
}

// The library: listen_udp with the same options, then join_group.
timing library_joins(std::size_t groups, unsigned ifindex, std::size_t shard) {
  std::vector<core::socket> socks;
  const auto local = core::endpoint(core::ip_address::v4(0, 0, 0, 0), kPort);
  const stopwatch clock;
  for (std::size_t i = 0; i < groups; ++i) {
    if (i % shard == 0) {
      auto s = core::listen_udp(local, {.reuse_address = true, .receive_buffer = 8 << 20});
      if (!s) {
        std::fprintf(stderr, "mcnet_joins_bench: listen_udp: %s\n", s.error().message().c_str());
        return {};
      }
      mcnet::ipv4::packet_conn c(*s);
      using cf = mcnet::ipv4::control_flags;
      auto on = c.set_multicast_all(false).and_then(
          [&] { return c.set_control_message(cf::destination | cf::interface | cf::ttl | cf::tos | cf::drops, true); });
      if (!on) {
        std::fprintf(stderr, "mcnet_joins_bench: options: %s\n", on.error().message().c_str());
        return {};
      }
      socks.push_back(std::move(*s));
    }
    const auto a = ntohl(group_address(i).s_addr);
    const auto g = core::ip_address::v4(static_cast<std::uint8_t>(a >> 24), static_cast<std::uint8_t>(a >> 16),
                                        static_cast<std::uint8_t>(a >> 8), static_cast<std::uint8_t>(a));
    if (auto j = core::join_group(socks.back(), g, ifindex); !j) {
      std::fprintf(stderr, "mcnet_joins_bench: join_group: %s\n", j.error().message().c_str());
      return {};
    }
  }
  return clock.read();
}

// mcast-recv's own set-up from its specs: resolve, plan, open, join.
timing tool_joins(std::size_t groups, double& resolve_s) {
  std::vector<std::string> args{"-i", kIface, "--json"};
  for (std::size_t i = 0; i < groups; ++i) {
    char text[INET_ADDRSTRLEN];
    const auto a = group_address(i);
    ::inet_ntop(AF_INET, &a, text, sizeof text);
    args.push_back(std::string(text) + ":" + std::to_string(kPort));
  }
  auto c = tools::parse_recv_command_line(args);
  if (!c) {
    std::fprintf(stderr, "mcnet_joins_bench: %s\n", c.error().message.c_str());
    return {};
  }
  std::ostringstream out, err;
  tools::reporter rep("mcast-recv", c->settings.format(), out, err);
  std::vector<tools::membership> members;
  std::vector<tools::shard> shards;
  tools::stream_table table;
  const auto resolver = tools::netlink_resolver();
  const stopwatch clock;
  if (tools::resolve_memberships(c->settings, rep, resolver, members)) {
    std::fprintf(stderr, "mcnet_joins_bench: mcast-recv specs: %s\n", err.str().c_str());
    return {};
  }
  resolve_s = clock.read().cpu;
  if (tools::open_and_join(c->settings, rep, members, shards, table)) {
    std::fprintf(stderr, "mcnet_joins_bench: mcast-recv set-up failed: %s\n", err.str().c_str());
    return {};
  }
  return clock.read();
}

double median(std::vector<double> v) {
  std::sort(v.begin(), v.end());
  return v.empty() ? 0 : v[v.size() / 2];
}

}  // namespace

int main(int argc, char** argv) {
  std::size_t groups = 1000;
  int runs = 20;
  std::string only_name;
  for (int i = 1; i < argc; ++i) {
    const std::string a = argv[i];
    if (a == "--quick") {
      runs = 3;
    } else if (a == "--groups" && i + 1 < argc) {
      groups = std::strtoul(argv[++i], nullptr, 10);
    } else if (a == "--runs" && i + 1 < argc) {
      runs = std::atoi(argv[++i]);
    } else if (a == "--only" && i + 1 < argc) {
      only_name = argv[++i];  // one way alone, for a profiler
    } else {
      std::fprintf(stderr, "usage: mcnet_joins_bench [--groups N] [--runs R] [--quick] [--only raw|library|mcast-recv]\n");
      return 2;
    }
  }
  if (groups < 1 || groups > 60000 || runs < 1 || runs > 1000 ||
      (!only_name.empty() && only_name != "raw" && only_name != "library" && only_name != "mcast-recv")) {
    std::fprintf(stderr, "mcnet_joins_bench: --groups 1..60000, --runs 1..1000\n");
    return 2;
  }
  if (!private_network()) return 1;
  std::vector<timing> raw, lib, tool;
  std::vector<double> resolve;
  std::vector<timing>* const only = only_name == "raw"       ? &raw
                                    : only_name == "library" ? &lib
                                    : only_name.empty()      ? nullptr
                                                             : &tool;
  const std::size_t shard = per_socket();
  // Alternate the three so that drift in the machine's load hits each alike.
  for (int r = 0; r < runs; ++r) {
    for (auto* times : {&raw, &lib, &tool}) {
      if (only != nullptr && times != only) continue;
      const unsigned ifindex = fresh_interface();
      if (ifindex == 0) return 1;
      double resolve_s = 0;
      const timing t = times == &raw ? raw_joins(groups, ifindex, shard)
                       : times == &lib ? library_joins(groups, ifindex, shard)
                                       : tool_joins(groups, resolve_s);
      if (t.wall < 0) return 1;
      times->push_back(t);
      if (times == &tool) resolve.push_back(resolve_s);
    }
  }
  const auto wall = [](const std::vector<timing>& v) {
    std::vector<double> w;
    for (const auto& t : v) w.push_back(t.wall);
    return median(w);
  };
  const auto cpu = [](const std::vector<timing>& v) {
    std::vector<double> c;
    for (const auto& t : v) c.push_back(t.cpu);
    return median(c);
  };
  if (only != nullptr) {
    std::printf("joins: %zu groups, %s only: %.3f ms wall, %.3f ms CPU (medians of %d)\n", groups, only_name.c_str(),
                wall(*only) * 1e3, cpu(*only) * 1e3, runs);
    return 0;
  }
  std::printf("joins: %zu groups, %zu per socket (%zu sockets), %d runs, medians (CPU: this thread's user + system)\n",
              groups, shard, (groups + shard - 1) / shard, runs);
  std::printf("  %-22s %10s %10s %8s\n", "", "wall ms", "CPU ms", "CPU/raw");
  std::printf("  %-22s %10.3f %10.3f %8.2f\n", "raw setsockopt loop", wall(raw) * 1e3, cpu(raw) * 1e3, 1.0);
  std::printf("  %-22s %10.3f %10.3f %8.2f\n", "library join_group", wall(lib) * 1e3, cpu(lib) * 1e3,
              cpu(lib) / cpu(raw));
  std::printf("  %-22s %10.3f %10.3f %8.2f  (the specs resolved: %.3f ms CPU)\n", "mcast-recv set-up",
              wall(tool) * 1e3, cpu(tool) * 1e3, cpu(tool) / cpu(raw), median(resolve) * 1e3);
  return 0;
}
