// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The mcnet authors
#pragma once

// What the multicast sender and receiver examples share: reading their
// numeric arguments, the receivers' command line and metadata options, and
// reporting an mcnet error.

#include <charconv>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <system_error>

#include <mcnet/core/endpoint.hpp>
#include <mcnet/core/error.hpp>
#include <mcnet/core/interface.hpp>
#include <mcnet/core/socket.hpp>
#include <mcnet/core/sockopt.hpp>
#include <mcnet/ipv4/options.hpp>
#include <mcnet/ipv6/options.hpp>

namespace example {

/// A non-negative number argument, or `fallback` when absent; anything else
/// ends the program with exit status 2.
inline int number(const char* text, int fallback) {
  if (text == nullptr) return fallback;
  int v = 0;
  auto [p, ec] = std::from_chars(text, text + std::strlen(text), v);
  if (ec != std::errc() || *p != '\0' || v < 0) {
    std::fprintf(stderr, "not a non-negative number: %s\n", text);
    std::exit(2);
  }
  return v;
}

/// Print `e` after the program's name; returns the exit status 1. (Named
/// `die`, not `fail`: mcnet::fail is found by argument-dependent lookup.)
inline int die(const char* program, const mcnet::error& e) {
  std::fprintf(stderr, "%s: %s\n", program, e.message().c_str());
  return 1;
}

/// The receivers' command line: GROUP:PORT INTERFACE [EXPECTED=10] [TIMEOUT_MS=5000].
struct receiver_args {
  mcnet::core::endpoint group;
  mcnet::core::interface_ref iface;
  int expected = 10;
  int timeout_ms = 5000;
};

/// Read the receivers' command line; on bad input print the usage (exit 2)
/// or the error after `program` (exit 1).
inline receiver_args parse_receiver_args(int argc, char** argv, const char* program) {
  if (argc < 3) {
    std::fprintf(stderr, "usage: %s GROUP:PORT INTERFACE [EXPECTED=10] [TIMEOUT_MS=5000]\n", argv[0]);
    std::exit(2);
  }
  auto group = mcnet::core::endpoint::parse(argv[1]);
  if (!group) std::exit(die(program, group.error()));
  auto iface = mcnet::core::interface_ref::by_name(argv[2]);
  if (!iface) std::exit(die(program, iface.error()));
  return {*group, *iface, number(argc > 3 ? argv[3] : nullptr, 10), number(argc > 4 ? argv[4] : nullptr, 5000)};
}

/// Have the kernel report each datagram's destination and interface
/// (IP_PKTINFO / IPV6_RECVPKTINFO) and its TTL or hop limit (IP_RECVTTL /
/// IPV6_RECVHOPLIMIT), with the ipv4 / ipv6 option tables.
[[nodiscard]] inline mcnet::result<void> receive_destination_and_ttl(mcnet::core::socket_ref s, bool v4) {
  const auto& pktinfo = v4 ? mcnet::ipv4::opt::receive_packet_info : mcnet::ipv6::opt::receive_packet_info;
  const auto& ttl = v4 ? mcnet::ipv4::opt::receive_ttl : mcnet::ipv6::opt::receive_hop_limit;
  for (const auto* o : {&pktinfo, &ttl}) {
    if (auto r = mcnet::core::set(s, *o, true); !r) return r;
  }
  return {};
}

}  // namespace example
