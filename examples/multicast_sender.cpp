// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The mcnet authors
//
// Send numbered datagrams to a multicast group out of one interface.
//
//   mcnet-example-multicast_sender GROUP:PORT INTERFACE [COUNT] [INTERVAL_MS] [TTL]
//   mcnet-example-multicast_sender 239.255.0.1:5000 eth0 10 100 1
//
// Every datagram carries "mcnet seq=N of=COUNT". Everything goes through
// mcnet: the outgoing interface and TTL are the ipv4 / ipv6 option tables'
// descriptors (`ipv4::opt`, `ipv6::opt`) set with core::set.

#include <sys/socket.h>

#include <chrono>
#include <cstdio>
#include <span>
#include <string>
#include <thread>

#include <mcnet/core.hpp>
#include <mcnet/ipv4/options.hpp>
#include <mcnet/ipv6/options.hpp>

#include "example_args.hpp"

namespace core = mcnet::core;
namespace ipv4 = mcnet::ipv4;
namespace ipv6 = mcnet::ipv6;
using example::number;

namespace {

int die(const mcnet::error& e) { return example::die("mcnet-example-multicast_sender", e); }

}  // namespace

int main(int argc, char** argv) {
  if (argc < 3) {
    std::fprintf(stderr, "usage: %s GROUP:PORT INTERFACE [COUNT=10] [INTERVAL_MS=100] [TTL=1]\n", argv[0]);
    return 2;
  }
  auto iface = core::interface_ref::by_name(argv[2]);
  if (!iface) return die(iface.error());
  // As mcast-send reads a group: port 1 to 65535, multicast, scoped to the
  // interface where it needs one ([ff02::1]:5000).
  const auto group = example::group_endpoint(argv[1], *iface, "mcnet-example-multicast_sender");
  const int count = number(argc > 3 ? argv[3] : nullptr, 10);
  const int interval_ms = number(argc > 4 ? argv[4] : nullptr, 100);
  const int ttl = number(argc > 5 ? argv[5] : nullptr, 1);

  auto s = core::socket::open(group.address().af(), SOCK_DGRAM);
  if (!s) return die(s.error());
  if (group.address().is_v4()) {
    if (auto r = core::set(*s, ipv4::opt::multicast_interface, {iface->index, {}}); !r) return die(r.error());
    if (auto r = core::set(*s, ipv4::opt::multicast_ttl, ttl); !r) return die(r.error());
  } else {
    const int index = static_cast<int>(iface->index);
    if (auto r = core::set(*s, ipv6::opt::multicast_interface, index); !r) return die(r.error());
    if (auto r = core::set(*s, ipv6::opt::multicast_hops, ttl); !r) return die(r.error());
  }
  // Connect after choosing the interface: the kernel picks the route (and the
  // source address) at connect time, from IP_MULTICAST_IF for a group.
  if (auto r = core::connect(*s, group); !r) return die(r.error());
  auto local = core::local_endpoint(*s);
  if (!local) return die(local.error());
  std::printf("sending %d datagrams to %s from %s on %s (index %u), TTL %d\n", count, group.to_string().c_str(),
              local->to_string().c_str(), std::string(iface->name.view()).c_str(), iface->index, ttl);
  std::fflush(stdout);

  for (int seq = 1; seq <= count; ++seq) {
    std::string payload = "mcnet seq=" + std::to_string(seq) + " of=" + std::to_string(count);
    core::message m{.buffer = std::as_writable_bytes(std::span(payload)), .size = payload.size()};
    if (auto r = core::write_to(*s, m); !r) return die(r.error());
    if (seq < count) std::this_thread::sleep_for(std::chrono::milliseconds(interval_ms));
  }
  std::printf("sent %d datagrams\n", count);
  return 0;
}
