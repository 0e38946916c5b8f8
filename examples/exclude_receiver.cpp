// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The mcnet authors
//
// An any-source join with sources kept out (exclude mode, RFC 3376 / RFC
// 3810 source filtering): joins GROUP on INTERFACE, blocks each SOURCE
// (MCAST_BLOCK_SOURCE), reads the filter back (MCAST_MSFILTER) and reports
// who the datagrams that arrive came from.
//
//   mcnet-example-exclude_receiver GROUP:PORT INTERFACE EXPECTED TIMEOUT_MS SOURCE...
//   mcnet-example-exclude_receiver 239.255.32.1:5032 eth0 5 5000 10.77.0.2
//
// Prints one line per datagram and, at the end, the count per sender; exits 0
// when EXPECTED datagrams arrived, 1 when TIMEOUT_MS passed first. The END
// markers mcast-send sends after its run are said as such and not counted
// as datagrams (example_numbering.hpp).

#include <array>
#include <chrono>
#include <cstdio>
#include <map>
#include <string>
#include <vector>

#include <mcnet/core.hpp>

#include "example_args.hpp"
#include "example_numbering.hpp"

namespace core = mcnet::core;

namespace {

constexpr const char* program = "mcnet-example-exclude_receiver";
int die(const mcnet::error& e) { return example::die(program, e); }

}  // namespace

int main(int argc, char** argv) {
  if (argc < 6) {
    std::fprintf(stderr, "usage: %s GROUP:PORT INTERFACE EXPECTED TIMEOUT_MS SOURCE...\n", argv[0]);
    return 2;
  }
  const auto [group, iface, expected, timeout_ms] = example::parse_receiver_args(argc, argv, program);
  std::vector<core::ip_address> blocked;
  for (int i = 5; i < argc; ++i) {
    auto source = core::ip_address::parse(argv[i]);
    if (!source) return die(source.error());
    blocked.push_back(*source);
  }

  auto s = core::listen_udp(group, {.reuse_address = true});
  if (!s) return die(s.error());
  // ---- the membership: any source, then the exceptions
  if (auto r = core::join_group(*s, group.address(), iface.index); !r) return die(r.error());
  for (const auto& source : blocked) {
    // ENOBUFS past net.ipv4.igmp_max_msf / net.ipv6.mld_max_msf: the error names the sysctl.
    if (auto r = core::block_source(*s, group.address(), source, iface.index); !r) return die(r.error());
  }
  // What the kernel now holds for this socket: exclude mode and the sources.
  std::array<core::ip_address, 16> held{};
  auto filter = core::source_filter(*s, group.address(), iface.index, held);
  if (!filter) return die(filter.error());
  std::printf("joined %s on %s: %s mode, %zu in the source list\n", group.address().to_string().c_str(),
              std::string(iface.name.view()).c_str(),
              filter->mode == core::filter_mode::exclude ? "exclude" : "include", filter->count);
  std::fflush(stdout);

  // ---- the receive loop
  auto made = core::receive_batch::make(16, 2048);
  if (!made) return die(made.error());
  auto& batch = *made;
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::milliseconds(timeout_ms);
  std::map<std::string, int> per_sender;
  std::map<std::string, int> ends_per_sender;
  int received = 0;
  while (received < expected) {
    auto n = batch.read(*s, core::cmsg::none, core::wait_policy::deadline(deadline - std::chrono::steady_clock::now()));
    if (!n && n.error().code == std::errc::timed_out) break;
    if (!n) return die(n.error());
    for (const core::message& m : batch) {
      if (const auto number = example::number_of(m.payload()); number.end) {
        ++ends_per_sender[m.peer.address().to_string()];
        std::printf("  END marker from %s: its run ended after %lld datagrams (not counted)\n",
                    m.peer.to_string().c_str(), number.sequence);
        continue;
      }
      ++received;
      ++per_sender[m.peer.address().to_string()];
      std::printf("  %zu bytes from %s\n", m.size, m.peer.to_string().c_str());
    }
    std::fflush(stdout);
  }
  for (const auto& [sender, count] : per_sender) std::printf("from %s: %d datagrams\n", sender.c_str(), count);
  for (const auto& [sender, count] : ends_per_sender) {
    std::printf("from %s: %d END marker%s\n", sender.c_str(), count, count == 1 ? "" : "s");
  }
  std::printf("received %d of %d datagrams%s\n", received, expected, received < expected ? ": timed out" : "");
  return received >= expected ? 0 : 1;
}
