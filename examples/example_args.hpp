// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The mcnet authors
#pragma once

// What the multicast sender and receiver examples share: reading their
// numeric arguments, ports and groups by the rules of mcast-send and
// mcast-recv, the receivers' command line and metadata options, and
// reporting an mcnet error.

#include <errno.h>  // program_invocation_short_name (GNU)

#include <charconv>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string_view>
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
    std::fprintf(stderr, "%s: not a non-negative number: %s (run it without arguments for its usage)\n",
                 program_invocation_short_name, text);
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

/// A UDP port argument as mcast-send and mcast-recv read one (docs/tools.md,
/// "Group specs"): decimal 1 to 65535 without a leading zero. Port 0 is the
/// kernel's "any port", nothing to join or send to. Anything else ends the
/// program with exit status 2.
inline std::uint16_t port(const char* text) {
  const std::string_view t(text);
  unsigned v = 0;
  auto [p, ec] = std::from_chars(t.data(), t.data() + t.size(), v);
  if (t.empty() || t.front() == '0' || ec != std::errc() || p != t.data() + t.size() || v > 65535) {
    std::fprintf(stderr, "%s: not a port (1 to 65535): %s (run it without arguments for its usage)\n",
                 program_invocation_short_name, text);
    std::exit(2);
  }
  return static_cast<std::uint16_t>(v);
}

/// `group` as the tools take a group: a multicast address; an IPv6
/// link-local or interface-local one (ff02::/16, ff01::/16) gets `iface` as
/// its scope, and a zone naming another interface is an error. Errors end
/// the program after `program` with exit status 1.
inline mcnet::core::ip_address group_on(const mcnet::core::ip_address& group, const mcnet::core::interface_ref& iface,
                                        const char* program) {
  if (!group.is_multicast()) {
    std::exit(die(program, mcnet::error(mcnet::errc::not_multicast, "parse", "group").with_address(group)));
  }
  if (!group.needs_interface()) return group;
  if (group.scope_id() != 0 && group.scope_id() != iface.index) {
    std::exit(die(program, mcnet::error(mcnet::errc::value_out_of_range, "parse", "group")
                               .with_address(group)
                               .with_hint("the zone and the interface argument name different interfaces")));
  }
  return group.with_scope_id(iface.index);
}

/// A GROUP:PORT argument ("239.255.0.1:5000", "[ff3e::1]:5000",
/// "[ff02::1%eth0]:5000"): core's endpoint syntax, with the tools' rules
/// (port 1 to 65535, a multicast group). Errors end the program after
/// `program` with exit status 1.
inline mcnet::core::endpoint group_endpoint(const char* text, const char* program) {
  auto e = mcnet::core::endpoint::parse(text);
  if (!e) std::exit(die(program, e.error()));
  if (e->port() == 0) {
    std::exit(die(program, mcnet::error(mcnet::errc::value_out_of_range, "parse", "group")
                               .with_input(text)
                               .with_hint("port 0: the port is 1 to 65535")));
  }
  if (!e->address().is_multicast()) {
    std::exit(die(program, mcnet::error(mcnet::errc::not_multicast, "parse", "group").with_input(text)));
  }
  return *e;
}

/// group_endpoint() for sending or joining on `iface`: a group that needs
/// an interface is scoped to it (group_on).
inline mcnet::core::endpoint group_endpoint(const char* text, const mcnet::core::interface_ref& iface,
                                            const char* program) {
  const auto e = group_endpoint(text, program);
  return {group_on(e.address(), iface, program), e.port()};
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
  auto iface = mcnet::core::interface_ref::by_name(argv[2]);
  if (!iface) std::exit(die(program, iface.error()));
  return {group_endpoint(argv[1], *iface, program), *iface, number(argc > 3 ? argv[3] : nullptr, 10),
          number(argc > 4 ? argv[4] : nullptr, 5000)};
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
