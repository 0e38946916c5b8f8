// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The mcnet authors
#pragma once

// TCP in a host's namespace: a listener on the host's address, and tcpdump
// catching the first SYN (SYN alone, not SYN-ACK) sent to a port, printed
// with -v so that its IP header shows: "tos 0xb8, ttl 7," for IPv4,
// "class 0xb8, ... hlim 7," for IPv6.

#include <chrono>
#include <string>
#include <thread>
#include <utility>

#include <mcnet/core/dial.hpp>
#include <mcnet/core/endpoint.hpp>
#include <mcnet/core/socket.hpp>
#include <mcnet/core/socket_ops.hpp>

#include "lan.hpp"

namespace mcnet::test {

/// A listening TCP socket made inside a host, and where it listens.
struct tcp_listener {
  core::socket socket;
  core::endpoint where;
};

/// Listen on `h`'s eth0 address (IPv6 when `v6`), on a port the kernel picks.
inline tcp_listener listen_tcp_on(const host& h, bool v6) {
  const auto address = v6 ? h.v6() : h.v4();
  auto s = h.run([&] { return core::listen_tcp(core::endpoint(address, 0)).value(); });
  auto where = core::local_endpoint(s).value();
  return {std::move(s), where};
}

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
