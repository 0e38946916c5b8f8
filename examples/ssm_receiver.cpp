// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The mcnet authors
//
// A source-specific multicast (SSM) feed receiver: joins one or more (S,G)
// channels on one socket, reads them in recvmmsg batches
// (core::receive_batch) with kernel receive timestamps, and tracks each
// channel's sequence numbers (feed::sequence_tracker over the header that
// mcast-send writes, feed::test_header): every gap is printed as it is seen,
// with the numbers to ask for again, and each channel ends with its counts and
// its one-way latency (kernel arrival time minus the header's send time).
//
//   mcnet-example-ssm_receiver INTERFACE PORT TIMEOUT_MS SOURCE@GROUP...
//   mcnet-example-ssm_receiver eth0 5000 5000 10.77.0.1@232.1.1.1 10.77.0.2@232.1.1.2
//   mcast-send -i eth0 -c 1000 -r 1000pps 232.1.1.1:5000     (on 10.77.0.1)
//
// Ends when every channel has sent its END marker (exit 0), or when
// TIMEOUT_MS passed first (exit 1). All groups are of one family.

#include <chrono>
#include <cstdio>
#include <string>
#include <string_view>
#include <vector>

#include <mcnet/core.hpp>
#include <mcnet/feed.hpp>
#include <mcnet/ipv4/options.hpp>
#include <mcnet/ipv6/options.hpp>

#include "example_args.hpp"

namespace core = mcnet::core;
namespace feed = mcnet::feed;

namespace {

constexpr const char* program = "mcnet-example-ssm_receiver";
int die(const mcnet::error& e) { return example::die(program, e); }

// One (S,G) channel and what arrived on it.
struct channel {
  core::ip_address source, group;
  std::string name;  // "S@G"
  feed::sequence_tracker sequence;
  feed::histogram latency_ns;
  bool ended = false;
};

// "SOURCE@GROUP" to a channel on `iface`; exits 2 on bad syntax, 1 on a
// source or group the tools refuse (mcast-recv's S,G rules: a multicast
// group, a unicast source of its family, no v4-mapped source).
channel parse_channel(std::string_view text, const core::interface_ref& iface) {
  const auto at = text.find('@');
  auto source = core::ip_address::parse(text.substr(0, at == std::string_view::npos ? 0 : at));
  auto group = core::ip_address::parse(at == std::string_view::npos ? text : text.substr(at + 1));
  if (!source || !group) {
    std::fprintf(stderr, "%s: a channel is SOURCE@GROUP, not \"%.*s\"\n", program, static_cast<int>(text.size()),
                 text.data());
    std::exit(2);
  }
  const auto g = example::group_on(*group, iface, program);
  if (!source->is_unicast() || source->family() != g.family() || source->is_v4_mapped()) {
    std::exit(die(mcnet::error(source->is_unicast() ? mcnet::errc::family_mismatch : mcnet::errc::source_not_unicast,
                               "parse", "channel")
                      .with_input(text)
                      .with_hint("the source is a unicast address of the group's family")));
  }
  return {*source, g, std::string(text), {}, {}, false};
}

}  // namespace

int main(int argc, char** argv) {
  if (argc < 5) {
    std::fprintf(stderr, "usage: %s INTERFACE PORT TIMEOUT_MS SOURCE@GROUP...\n", argv[0]);
    return 2;
  }
  auto iface = core::interface_ref::by_name(argv[1]);
  if (!iface) return die(iface.error());
  const auto port = example::port(argv[2]);
  const auto timeout = std::chrono::milliseconds(example::number(argv[3], 5000));
  std::vector<channel> channels;
  for (int i = 4; i < argc; ++i) channels.push_back(parse_channel(argv[i], *iface));
  const bool v4 = channels.front().group.is_v4();
  for (const auto& c : channels) {
    if (c.group.is_v4() != v4) {
      return die(mcnet::error(mcnet::errc::family_mismatch, "parse", "channel")
                     .with_input(c.name)
                     .with_hint("one socket takes channels of one family"));
    }
  }

  // One socket for every channel, bound to the port; the kernel gives it
  // only what the (S,G) joins let in.
  auto s = core::listen_udp({v4 ? core::ip_address::any_v4() : core::ip_address::any_v6(), port},
                            {.reuse_address = true});
  if (!s) return die(s.error());
  if (auto r = example::receive_destination_and_ttl(*s, v4); !r) return die(r.error());
  if (auto r = core::set(*s, core::opt::timestamp_ns, true); !r) return die(r.error());
  for (const auto& c : channels) {
    if (auto r = core::join_source_group(*s, c.group, c.source, iface->index); !r) return die(r.error());
  }
  std::printf("joined %zu channels on %s\n", channels.size(), argv[1]);
  std::fflush(stdout);

  // ---- the receive logic
  auto made = core::receive_batch::make(32, 2048);  // all the memory the loop uses
  if (!made) return die(made.error());
  auto& batch = *made;
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  std::size_t ended = 0;
  while (ended < channels.size()) {
    auto n = batch.read(*s, core::cmsg::pktinfo | core::cmsg::timestamp_ns,
                        core::wait_policy::deadline(deadline - std::chrono::steady_clock::now()));
    if (!n && n.error().code == std::errc::timed_out) break;
    if (!n) return die(n.error());
    for (const core::message& m : batch) {
      auto h = feed::test_header::parse(m.payload());
      if (!h) continue;  // not mcast-send's header
      for (auto& c : channels) {
        if (c.ended || c.group != m.info.destination || c.source != m.peer.address()) continue;
        const auto a = h->is_end() ? feed::arrival{.kind = feed::verdict::gap, .missing = c.sequence.end(h->sequence)}
                                   : c.sequence.add(h->sequence);
        // A gap, or a late number below the first, shows numbers to ask for again.
        if (a.missing.count > 0)
          std::printf("gap on %s: %llu missing from %llu\n", c.name.c_str(),
                      static_cast<unsigned long long>(a.missing.count),
                      static_cast<unsigned long long>(a.missing.first));
        if (h->is_end()) {
          c.ended = true;
          ++ended;
        } else if (m.info.software_time) {
          c.latency_ns.add(m.info.software_time->time_since_epoch().count() - static_cast<std::int64_t>(h->send_time_ns));
        }
      }
    }
    std::fflush(stdout);
  }

  for (const auto& c : channels) {
    std::printf("channel %s: received %llu, lost %llu, reordered %llu, duplicates %llu, latency p50 %.1f us, "
                "max %.1f us%s\n",
                c.name.c_str(), static_cast<unsigned long long>(c.sequence.received()),
                static_cast<unsigned long long>(c.sequence.lost()),
                static_cast<unsigned long long>(c.sequence.reordered()),
                static_cast<unsigned long long>(c.sequence.duplicates()),
                static_cast<double>(c.latency_ns.percentile(0.5)) / 1e3,
                static_cast<double>(c.latency_ns.max()) / 1e3, c.ended ? "" : " (no END: timed out)");
  }
  return ended == channels.size() ? 0 : 1;
}
