// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The mcnet authors
#pragma once

// Two private network namespaces joined by a veth pair, for the benchmarks
// that send (gso_bench, latency_bench): NAME-PID-tx and NAME-PID-rx, the
// pair's ends TXDEV and RXDEV addressed NET.1/24 and NET.2/24 (NET in
// 10.77.0.0/16), loopback up, the 224.0.0.0/4 route on each end. Removed
// when the program exits. Nothing touches the host's interfaces. Needs
// root and ip(8) (and ethtool(8) for GRO on the receiving end).

#include <fcntl.h>
#include <sched.h>
#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <string>

namespace mcnet::bench {

namespace detail {
inline std::string& netns_prefix() {
  static std::string prefix;
  return prefix;
}
inline void remove_netns_pair() {
  const auto& p = netns_prefix();
  if (p.empty()) return;
  (void)std::system(("ip netns del " + p + "-tx 2>/dev/null; ip netns del " + p + "-rx 2>/dev/null").c_str());
}
}  // namespace detail

/// Runs `command` with sh; says on stderr which command failed.
inline bool sh(const std::string& command) {
  if (std::system(command.c_str()) == 0) return true;
  std::fprintf(stderr, "failed: %s\n", command.c_str());
  return false;
}

/// Makes the pair (see above); `veth_gro` switches GRO on at RXDEV, which
/// makes veth run NAPI on what it receives.
inline bool make_netns_pair(const std::string& name, const std::string& tx_dev, const std::string& rx_dev,
                            const std::string& net, bool veth_gro) {
  auto& prefix = detail::netns_prefix();
  prefix = name + "-" + std::to_string(::getpid());
  const auto tx = prefix + "-tx", rx = prefix + "-rx";
  std::atexit(detail::remove_netns_pair);
  return sh("ip netns add " + tx) && sh("ip netns add " + rx) &&
         sh("ip -n " + tx + " link add " + tx_dev + " type veth peer name " + rx_dev + " netns " + rx) &&
         sh("ip -n " + tx + " addr add " + net + ".1/24 dev " + tx_dev) &&
         sh("ip -n " + rx + " addr add " + net + ".2/24 dev " + rx_dev) &&
         sh("ip -n " + tx + " link set " + tx_dev + " up") && sh("ip -n " + rx + " link set " + rx_dev + " up") &&
         sh("ip -n " + tx + " link set lo up") && sh("ip -n " + rx + " link set lo up") &&
         sh("ip -n " + tx + " route add 224.0.0.0/4 dev " + tx_dev) &&
         sh("ip -n " + rx + " route add 224.0.0.0/4 dev " + rx_dev) &&
         (!veth_gro || sh("ip netns exec " + rx + " ethtool -K " + rx_dev + " gro on >/dev/null"));
}

/// Moves the calling thread into namespace `which` ("tx" or "rx"): sockets
/// it opens afterwards live there. `cpu` >= 0 also pins it on that CPU.
inline bool enter_netns(const char* which, int cpu = -1) {
  const auto path = "/run/netns/" + detail::netns_prefix() + "-" + which;
  const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0 || ::setns(fd, CLONE_NEWNET) != 0) {
    std::perror(path.c_str());
    if (fd >= 0) ::close(fd);
    return false;
  }
  ::close(fd);
  if (cpu >= 0) {
    cpu_set_t set;
    CPU_ZERO(&set);
    CPU_SET(cpu, &set);
    (void)::sched_setaffinity(0, sizeof set, &set);  // best effort: a machine with one CPU runs both on it
  }
  return true;
}

}  // namespace mcnet::bench
