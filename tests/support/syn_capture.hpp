// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The mcnet authors
#pragma once

// tcpdump in a host's namespace, catching the first SYN (SYN alone, not
// SYN-ACK) sent to a TCP port, printed with -v so that its IP header shows:
// "tos 0xb8, ttl 7," for IPv4, "class 0xb8, ... hlim 7," for IPv6.

#include <chrono>
#include <string>
#include <thread>

#include "lan.hpp"

namespace mcnet::test {

/// Start the capture on `iface` of `h` and wait (bounded) until tcpdump
/// listens. Throws harness_error when it does not start.
inline process start_syn_capture(const host& h, std::uint16_t port, bool v6, const std::string& iface = "eth0") {
  const auto p = std::to_string(port);
  // TCP flags are byte 13 of the TCP header; for IPv6 after the 40-byte header.
  const std::string filter = v6 ? "ip6 and tcp and dst port " + p + " and ip6[53] == 2"
                                : "tcp and dst port " + p + " and tcp[tcpflags] == tcp-syn";
  auto capture = h.start({"tcpdump", "-i", iface, "-n", "-l", "-v", "-c", "1", filter});
  for (int i = 0; i < 250 && capture.output().find("listening on") == std::string::npos; ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  if (capture.output().find("listening on") == std::string::npos) {
    throw harness_error("tcpdump did not start: " + capture.output());
  }
  return capture;
}

/// What the capture printed once it caught the SYN ("" when none came within `timeout`).
inline std::string syn_seen(process& capture, std::chrono::milliseconds timeout = std::chrono::seconds(5)) {
  if (!capture.wait_for(timeout)) return {};
  return capture.standard_output();
}

}  // namespace mcnet::test
