// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The mcnet authors
//
// Join a multicast group on one interface and report what arrives.
//
//   mcnet-example-multicast_receiver GROUP:PORT INTERFACE [EXPECTED] [TIMEOUT_MS]
//
// Prints one line per datagram (source, size, sequence number, TTL) and a
// summary; exits 0 when EXPECTED datagrams arrived, 1 when the timeout
// passed first. The sequence number is multicast_sender's "seq=N" or
// mcast-send's header's; mcast-send's END markers are said as such and not
// counted (example_numbering.hpp).

#include <chrono>
#include <cstdio>
#include <set>
#include <string>
#include <string_view>

#include <mcnet/core.hpp>

#include "example_args.hpp"
#include "example_numbering.hpp"

namespace core = mcnet::core;

namespace {

constexpr const char* program = "mcnet-example-multicast_receiver";
int die(const mcnet::error& e) { return example::die(program, e); }

}  // namespace

int main(int argc, char** argv) {
  const auto [group, iface, expected, timeout_ms] = example::parse_receiver_args(argc, argv, program);
  const bool v4 = group.address().is_v4();

  // Bound to the group itself: only this group's datagrams reach the socket.
  auto s = core::listen_udp(group, {.reuse_address = true});
  if (!s) return die(s.error());
  // Destination and interface (IP_PKTINFO / IPV6_RECVPKTINFO), TTL or hop limit.
  if (auto r = example::receive_destination_and_ttl(*s, v4); !r) return die(r.error());
  if (auto r = core::set(*s, core::opt::timestamp_ns, true); !r) return die(r.error());
  if (auto r = core::set(*s, core::opt::receive_queue_overflow, true); !r) return die(r.error());
  if (auto r = core::join_group(*s, group.address(), iface.index); !r) return die(r.error());
  std::printf("joined %s on %s (index %u); waiting for %d datagrams, at most %d ms\n",
              group.address().to_string().c_str(), std::string(iface.name.view()).c_str(), iface.index, expected,
              timeout_ms);
  std::fflush(stdout);

  constexpr auto wanted = core::cmsg::pktinfo | core::cmsg::hop_limit | core::cmsg::timestamp_ns | core::cmsg::drops;
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::milliseconds(timeout_ms);
  auto made = core::receive_batch::make(16, 2048);  // up to 16 datagrams a read, buffers allocated once
  if (!made) return die(made.error());
  auto& batch = *made;
  int received = 0;
  int ends = 0;
  std::uint32_t drops = 0;
  std::set<long long> seen;
  while (received < expected) {
    const auto left = deadline - std::chrono::steady_clock::now();
    if (left <= std::chrono::nanoseconds::zero()) break;
    auto n = batch.read(*s, wanted, core::wait_policy::deadline(left));
    if (!n) {
      if (n.error().code == std::errc::timed_out) break;
      return die(n.error());
    }
    for (const core::message& m : batch) {
      if (received == expected) break;
      const auto [seq, end] = example::number_of(m.payload());
      if (end) {
        ++ends;
        std::printf("  %-22s END marker: the sender's run ended after %lld datagrams (not counted)\n",
                    m.peer.to_string().c_str(), seq);
        continue;
      }
      seen.insert(seq);
      ++received;
      if (m.info.drops) drops = *m.info.drops;
      const auto stamp = m.info.software_time ? m.info.software_time->time_since_epoch().count() : 0;
      std::printf("  %-22s -> %-14s if %u  %4zu bytes  seq %-4lld ttl %-3d kernel time %lld.%09lld\n",
                  m.peer.to_string().c_str(), m.info.destination.to_string().c_str(), m.info.interface_index, m.size,
                  seq, m.info.hop_limit, static_cast<long long>(stamp / 1000000000),
                  static_cast<long long>(stamp % 1000000000));
    }
    std::fflush(stdout);
  }
  std::printf("received %d of %d datagrams (%zu distinct sequence numbers, %u dropped by the kernel, %d END markers)%s\n",
              received, expected, seen.size(), drops, ends, received < expected ? ": timed out" : "");
  return received >= expected ? 0 : 1;
}
