// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The mcnet authors
//
// Send numbered datagrams to a multicast group out of one interface.
//
//   mcnet-example-multicast_sender GROUP:PORT INTERFACE [COUNT] [INTERVAL_MS] [TTL]
//   mcnet-example-multicast_sender 239.255.0.1:5000 eth0 10 100 1
//
// Every datagram carries "mcnet seq=N of=COUNT". Everything goes through
// mcnet; IPPROTO_IP / IPPROTO_IPV6 options are written as user descriptors
// here, which is all a new option ever needs.

#include <net/if.h>
#include <netinet/in.h>
#include <sys/socket.h>

#include <charconv>
#include <chrono>
#include <cstdio>
#include <cstring>
#include <string>
#include <string_view>
#include <thread>

#include <mcnet/core.hpp>

namespace core = mcnet::core;

namespace {

// IP_MULTICAST_IF by index (struct ip_mreqn) and IPV6_MULTICAST_IF (an int).
struct mreqn_codec {
  using value_type = ip_mreqn;
  using storage_type = ip_mreqn;
  static mcnet::result<socklen_t> encode(const ip_mreqn& v, ip_mreqn& s) noexcept {
    s = v;
    return socklen_t{sizeof(ip_mreqn)};
  }
  static mcnet::result<ip_mreqn> decode(const ip_mreqn& s, socklen_t) noexcept { return s; }
};
constexpr core::sockopt<mreqn_codec, core::access::write_only> v4_multicast_if{IPPROTO_IP, IP_MULTICAST_IF,
                                                                                "IP_MULTICAST_IF"};
constexpr core::sockopt<core::int_codec> v4_multicast_ttl{IPPROTO_IP, IP_MULTICAST_TTL, "IP_MULTICAST_TTL"};
constexpr core::sockopt<core::int_codec> v6_multicast_if{IPPROTO_IPV6, IPV6_MULTICAST_IF, "IPV6_MULTICAST_IF"};
constexpr core::sockopt<core::int_codec> v6_multicast_hops{IPPROTO_IPV6, IPV6_MULTICAST_HOPS, "IPV6_MULTICAST_HOPS"};

int number(const char* text, int fallback) {
  if (text == nullptr) return fallback;
  int v = 0;
  auto [p, ec] = std::from_chars(text, text + std::strlen(text), v);
  if (ec != std::errc() || *p != '\0' || v < 0) {
    std::fprintf(stderr, "not a non-negative number: %s\n", text);
    std::exit(2);
  }
  return v;
}

int die(const mcnet::error& e) {
  std::fprintf(stderr, "mcnet-example-multicast_sender: %s\n", e.message().c_str());
  return 1;
}

}  // namespace

int main(int argc, char** argv) {
  if (argc < 3) {
    std::fprintf(stderr, "usage: %s GROUP:PORT INTERFACE [COUNT=10] [INTERVAL_MS=100] [TTL=1]\n", argv[0]);
    return 2;
  }
  auto group = core::endpoint::parse(argv[1]);
  if (!group) return die(group.error());
  if (!group->address().is_multicast()) {
    return die(mcnet::error(mcnet::errc::not_multicast, "send", "group").with_address(group->address()));
  }
  auto iface = core::interface_ref::by_name(argv[2]);
  if (!iface) return die(iface.error());
  const int count = number(argc > 3 ? argv[3] : nullptr, 10);
  const int interval_ms = number(argc > 4 ? argv[4] : nullptr, 100);
  const int ttl = number(argc > 5 ? argv[5] : nullptr, 1);

  auto s = core::socket::open(group->address().af(), SOCK_DGRAM);
  if (!s) return die(s.error());
  if (group->address().is_v4()) {
    ip_mreqn mreq{};
    mreq.imr_ifindex = static_cast<int>(iface->index);
    if (auto r = core::set(*s, v4_multicast_if, mreq); !r) return die(r.error());
    if (auto r = core::set(*s, v4_multicast_ttl, ttl); !r) return die(r.error());
  } else {
    if (auto r = core::set(*s, v6_multicast_if, static_cast<int>(iface->index)); !r) return die(r.error());
    if (auto r = core::set(*s, v6_multicast_hops, ttl); !r) return die(r.error());
  }
  // Connect after choosing the interface: the kernel picks the route (and the
  // source address) at connect time, from IP_MULTICAST_IF for a group.
  if (auto r = core::connect(*s, *group); !r) return die(r.error());
  auto local = core::local_endpoint(*s);
  if (!local) return die(local.error());
  std::printf("sending %d datagrams to %s from %s on %s (index %u), TTL %d\n", count, group->to_string().c_str(),
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
