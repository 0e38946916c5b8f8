// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The mcnet authors
//
// The consumer test's program (tests/consumer/run.sh), built out of the tree
// against an installed mcnet: find_package with one component, or pkg-config
// with its module. It joins GROUP on INTERFACE, prints the port it bound
// ("joined GROUP port N"), and waits up to TIMEOUT_MS for one datagram
// (run.sh sends an RTP packet from the other end of a veth pair in a private
// namespace). MCNET_CONSUMER_<COMPONENT> says which component it was built
// against; each adds a use of that library's code:
//   core     the library's version equals the header's (mcnet::version())
//   ipv4     an IPv4 header marshalled and parsed back (ipv4::header)
//   ipv6     an IPv6 header marshalled and parsed back (ipv6::header)
//   netlink  the interface index asked of rtnetlink (netlink::link_by_name)
//   feed     the datagram read as RTP (feed::rtp::packet_view)
//
//   receive_one GROUP INTERFACE TIMEOUT_MS
//
// Exits 0 when the datagram arrived and every check held, 1 otherwise.

#include <array>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <span>
#include <string>
#include <string_view>

#include <mcnet/core.hpp>
#include <mcnet/version.hpp>
#if defined(MCNET_CONSUMER_IPV4)
#include <mcnet/ipv4.hpp>
#endif
#if defined(MCNET_CONSUMER_IPV6)
#include <mcnet/ipv6.hpp>
#endif
#if defined(MCNET_CONSUMER_NETLINK)
#include <mcnet/netlink.hpp>
#endif
#if defined(MCNET_CONSUMER_FEED)
#include <mcnet/feed.hpp>
#endif

namespace core = mcnet::core;

namespace {

int fail(std::string_view what, const mcnet::error& e) {
  std::fprintf(stderr, "receive_one: %.*s: %s\n", static_cast<int>(what.size()), what.data(), e.message().c_str());
  return 1;
}

int fail(std::string_view what) {
  std::fprintf(stderr, "receive_one: %.*s\n", static_cast<int>(what.size()), what.data());
  return 1;
}

// The header marshalled and parsed back: the library's code, not the header's.
template <typename Header>
bool round_trips(Header h, std::string_view source, std::string_view destination) {
  h.source = core::ip_address::parse(source).value();
  h.destination = core::ip_address::parse(destination).value();
  std::array<std::byte, 64> bytes{};
  auto n = h.marshal(bytes);
  if (!n) return false;
  auto back = Header::parse(std::span<const std::byte>(bytes.data(), *n));
  return back && back->source == h.source && back->destination == h.destination;
}

}  // namespace

int main(int argc, char** argv) {
  if (argc != 4) return fail("usage: receive_one GROUP INTERFACE TIMEOUT_MS");
  auto group = core::ip_address::parse(argv[1]);
  if (!group) return fail("GROUP", group.error());
  const std::string_view name = argv[2];
  const auto timeout = std::chrono::milliseconds(std::atoi(argv[3]));

  const auto v = mcnet::version();
  if (v.text != MCNET_VERSION_STRING) return fail("the library's version differs from <mcnet/version.hpp>'s");
#if defined(MCNET_CONSUMER_IPV4)
  if (!round_trips(mcnet::ipv4::header{}, "10.77.250.2", "239.77.250.1")) return fail("ipv4::header round trip");
#endif
#if defined(MCNET_CONSUMER_IPV6)
  if (!round_trips(mcnet::ipv6::header{}, "fd77::2", "ff15::77")) return fail("ipv6::header round trip");
#endif

#if defined(MCNET_CONSUMER_NETLINK)
  auto link = mcnet::netlink::link_by_name(name);
  if (!link) return fail("netlink::link_by_name", link.error());
  const std::uint32_t index = link->index;
#else
  auto iface = core::interface_ref::by_name(name);
  if (!iface) return fail("interface", iface.error());
  const std::uint32_t index = iface->index;
#endif

  auto s = core::listen_udp(core::endpoint(*group, 0), {.reuse_address = true});
  if (!s) return fail("listen_udp", s.error());
  auto local = core::local_endpoint(*s);
  if (!local) return fail("local_endpoint", local.error());
  if (auto r = core::join_group(*s, *group, index); !r) return fail("join_group", r.error());
  std::printf("joined %s port %u\n", group->to_string().c_str(), unsigned{local->port()});
  std::fflush(stdout);

  std::array<std::byte, 2048> payload{};
  core::message m{.buffer = payload};
  if (auto r = core::read_from(*s, m, core::cmsg::none, core::wait_policy::deadline(timeout)); !r)
    return fail("read_from", r.error());
  std::printf("received %zu bytes from %s\n", m.size, m.peer.to_string().c_str());
#if defined(MCNET_CONSUMER_FEED)
  auto rtp = mcnet::feed::rtp::packet_view::parse(std::span<const std::byte>(payload.data(), m.size));
  if (!rtp) return fail("feed::rtp::packet_view::parse", rtp.error());
  std::printf("rtp sequence %u ssrc %#x\n", unsigned{rtp->sequence()}, rtp->ssrc());
#endif
  return 0;
}
