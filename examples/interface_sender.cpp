// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The mcnet authors
//
// A multicast sender that chooses the outgoing interface of each datagram
// (IP_PKTINFO / IPV6_PKTINFO, through the control message of the ipv4 and
// ipv6 facades) and gives it a TTL / hop limit and a DSCP of its own
// (IP_TTL and IP_TOS, IPV6_HOPLIMIT and IPV6_TCLASS per datagram). One
// socket serves every interface; no IP_MULTICAST_IF is set.
//
// usage: mcnet-example-interface_sender GROUP:PORT DSCP TTL IFACE...
//   mcnet-example-interface_sender 239.255.0.1:5000 ef 4 eth0 eth1
//   mcnet-example-interface_sender [ff1e::1]:5000 af41 4 eth0 eth1
// Sends "IFACE dscp DSCP ttl TTL" once out of each interface, in order, and
// prints "sent to GROUP:PORT on IFACE (index N)" for each.

#include <charconv>
#include <cstdio>
#include <span>
#include <string>
#include <string_view>

#include <mcnet/core.hpp>
#include <mcnet/ipv4.hpp>
#include <mcnet/ipv6.hpp>

#include "example_args.hpp"

namespace core = mcnet::core;

namespace {

int die(const mcnet::error& e) {
  std::fprintf(stderr, "%s\n", e.message().c_str());
  return 1;
}

template <class PacketConn>
int send_each(mcnet::result<PacketConn> conn, const core::endpoint& group, std::uint8_t dscp, int ttl,
              std::span<char*> interfaces) {
  if (!conn) return die(conn.error());
  for (const char* name : interfaces) {
    auto iface = core::interface_ref::by_name(name);
    if (!iface) return die(iface.error());
    typename PacketConn::control_message cm;  // this datagram's interface, hop limit and DSCP
    cm.interface_index = iface->index;
    if constexpr (requires { cm.ttl; }) {
      cm.ttl = ttl;
      cm.tos = core::tos_from_dscp(dscp);
    } else {
      cm.hop_limit = ttl;
      cm.traffic_class = core::tos_from_dscp(dscp);
    }
    const std::string text = std::string(name) + " dscp " + core::format_dscp(dscp) + " ttl " + std::to_string(ttl);
    if (auto r = conn->write_to(std::as_bytes(std::span(text)), group, &cm); !r) return die(r.error());
    std::printf("sent to %s on %s (index %u)\n", group.to_string().c_str(), name, iface->index);
  }
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  if (argc < 5) {
    std::fprintf(stderr, "usage: %s GROUP:PORT DSCP TTL IFACE...\n", argv[0]);
    return 2;
  }
  // As mcast-send reads a group: port 1 to 65535, multicast.
  const auto group = example::group_endpoint(argv[1], "mcnet-example-interface_sender");
  auto dscp = core::parse_dscp(argv[2]);
  if (!dscp) return die(dscp.error());
  int ttl = 0;
  const char* ttl_end = argv[3] + std::string_view(argv[3]).size();
  if (std::from_chars(argv[3], ttl_end, ttl).ptr != ttl_end || ttl < 1 || ttl > 255) {
    std::fprintf(stderr, "TTL is 1 to 255, not %s\n", argv[3]);
    return 2;
  }
  const std::span<char*> interfaces(argv + 4, static_cast<std::size_t>(argc - 4));
  if (group.address().is_v4()) {
    return send_each(mcnet::ipv4::packet_conn::listen({core::ip_address::any_v4(), 0}), group, *dscp, ttl, interfaces);
  }
  return send_each(mcnet::ipv6::packet_conn::listen({core::ip_address::any_v6(), 0}), group, *dscp, ttl, interfaces);
}
