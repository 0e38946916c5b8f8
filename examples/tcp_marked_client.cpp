// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The mcnet authors
//
// A TCP client whose SYN already carries a DSCP: core::dial_tcp sets IP_TOS
// (IPv4) or IPV6_TCLASS (IPv6) between socket(2) and connect(2), then
// connects without blocking and waits at most the timeout for the
// handshake. The connection's later segments keep the mark.
//
// usage: mcnet-example-tcp_marked_client HOST:PORT DSCP [TIMEOUT_MS]
//   mcnet-example-tcp_marked_client 10.77.0.2:8080 ef 2000
//   mcnet-example-tcp_marked_client [fd77::2]:8080 af41
// Prints "connected to HOST:PORT from LOCAL with dscp DSCP (tos 0xNN)" and
// closes; on failure prints the error (for example "connect socket: timed
// out (address ...)") and exits 1.

#include <charconv>
#include <chrono>
#include <cstdio>
#include <string_view>

#include <mcnet/core.hpp>

namespace core = mcnet::core;

namespace {

int die(const mcnet::error& e) {
  std::fprintf(stderr, "%s\n", e.message().c_str());
  return 1;
}

}  // namespace

int main(int argc, char** argv) {
  if (argc < 3 || argc > 4) {
    std::fprintf(stderr, "usage: %s HOST:PORT DSCP [TIMEOUT_MS]\n", argv[0]);
    return 2;
  }
  auto remote = core::endpoint::parse(argv[1]);
  if (!remote) return die(remote.error());
  auto dscp = core::parse_dscp(argv[2]);
  if (!dscp) return die(dscp.error());
  long timeout_ms = 5000;
  if (argc == 4) {
    const char* end = argv[3] + std::string_view(argv[3]).size();
    if (std::from_chars(argv[3], end, timeout_ms).ptr != end || timeout_ms <= 0) {
      std::fprintf(stderr, "TIMEOUT_MS is a positive number of milliseconds, not %s\n", argv[3]);
      return 2;
    }
  }
  const std::uint8_t tos = core::tos_from_dscp(*dscp);
  auto s = core::dial_tcp(*remote, {.tos = tos}, std::chrono::milliseconds(timeout_ms));
  if (!s) return die(s.error());
  auto local = core::local_endpoint(*s);
  if (!local) return die(local.error());
  std::printf("connected to %s from %s with dscp %s (tos 0x%02x)\n", remote->to_string().c_str(),
              local->to_string().c_str(), core::format_dscp(*dscp).c_str(), tos);
  return 0;
}
