// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The mcnet authors
//
// An A/B arbitrating MoldUDP64 receiver: the same feed arrives on two lines
// (two groups, same port); the first copy of each message wins
// (feed::arbiter), and the report says what each line lost on its own, what
// was really lost (on both lines), how often each line was first, and the
// arrival skew between the lines (kernel receive timestamps).
//
//   mcnet-example-ab_moldudp64_receiver INTERFACE PORT TIMEOUT_MS GROUP_A GROUP_B
//   mcnet-example-ab_moldudp64_receiver eth0 26400 5000 239.1.1.1 239.1.2.1
//
// One socket joins both groups; IP_PKTINFO's destination tells the lines
// apart. Each message of each downstream packet is offered to the arbiter
// by its sequence number (packets of another session than the first one
// seen are not); heartbeats are counted; the end of session
// (message count 0xFFFF) on both lines ends the run (exit 0), else
// TIMEOUT_MS does (exit 1).

#include <algorithm>
#include <array>
#include <chrono>
#include <cstdio>
#include <optional>

#include <mcnet/core.hpp>
#include <mcnet/feed.hpp>
#include <mcnet/ipv4/options.hpp>
#include <mcnet/ipv6/options.hpp>

#include "example_args.hpp"

namespace core = mcnet::core;
namespace feed = mcnet::feed;

namespace {

constexpr const char* program = "mcnet-example-ab_moldudp64_receiver";
int die(const mcnet::error& e) { return example::die(program, e); }

}  // namespace

int main(int argc, char** argv) {
  if (argc != 6) {
    std::fprintf(stderr, "usage: %s INTERFACE PORT TIMEOUT_MS GROUP_A GROUP_B\n", argv[0]);
    return 2;
  }
  auto iface = core::interface_ref::by_name(argv[1]);
  if (!iface) return die(iface.error());
  const auto port = example::port(argv[2]);
  const auto timeout = std::chrono::milliseconds(example::number(argv[3], 5000));
  std::array<core::ip_address, 2> groups{};
  for (std::size_t line = 0; line < 2; ++line) {
    auto g = core::ip_address::parse(argv[4 + line]);
    if (!g) return die(g.error());
    groups[line] = example::group_on(*g, *iface, program);
  }
  const bool v4 = groups[0].is_v4();
  if (groups[1].is_v4() != v4) {
    return die(mcnet::error(mcnet::errc::family_mismatch, "parse", "group")
                   .with_address(groups[1])
                   .with_hint("both lines' groups are of one family (one socket joins them)"));
  }
  auto s = core::listen_udp({v4 ? core::ip_address::any_v4() : core::ip_address::any_v6(), port},
                            {.reuse_address = true});
  if (!s) return die(s.error());
  if (auto r = example::receive_destination_and_ttl(*s, v4); !r) return die(r.error());
  if (auto r = core::set(*s, core::opt::timestamp_ns, true); !r) return die(r.error());
  for (const auto& g : groups) {
    if (auto r = core::join_group(*s, g, iface->index); !r) return die(r.error());
  }
  auto ab = feed::arbiter::make(2);
  if (!ab) return die(ab.error());
  std::printf("joined line A %s and line B %s on %s\n", argv[4], argv[5], argv[1]);
  std::fflush(stdout);

  // ---- the receive logic
  auto made = core::receive_batch::make(32, 1500);
  if (!made) return die(made.error());
  auto& batch = *made;
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  std::array<bool, 2> ended{};
  std::uint64_t heartbeats = 0, malformed = 0, next = 0, delivered_bytes = 0;
  std::optional<feed::moldudp64::session_id> session;  // the first packet's
  while (!(ended[0] && ended[1])) {
    auto n = batch.read(*s, core::cmsg::pktinfo | core::cmsg::timestamp_ns,
                        core::wait_policy::deadline(deadline - std::chrono::steady_clock::now()));
    if (!n && n.error().code == std::errc::timed_out) break;
    if (!n) return die(n.error());
    for (const core::message& m : batch) {
      const std::size_t line = m.info.destination == groups[0] ? 0 : 1;
      auto p = feed::moldudp64::packet_view::parse(m.payload());
      if (m.info.destination != groups[line]) continue;  // another group bound to the port
      if (!p || (session && p->session() != *session)) {  // one session: another one's numbers are not ours
        ++malformed;
        continue;
      }
      if (!session) session = p->session();
      heartbeats += p->is_heartbeat();
      ended[line] = ended[line] || p->is_end_of_session();
      next = std::max(next, p->next_sequence());
      const auto at = m.info.software_time ? m.info.software_time->time_since_epoch().count() : 0;
      for (const auto msg : *p) {
        // First copy: hand msg.bytes to the application (here: count them).
        if (ab->offer(line, msg.sequence, at).what == feed::arbiter::decision::deliver)
          delivered_bytes += msg.bytes.size();
      }
    }
  }
  ab->end(next);  // the end of session says how many messages the session had

  for (std::size_t line = 0; line < 2; ++line) {
    const auto& l = ab->line(line);
    std::printf("line %c: %llu messages, lost on this line %llu, first %.1f %%%s\n", "AB"[line],
                static_cast<unsigned long long>(l.datagrams), static_cast<unsigned long long>(ab->line_missed(line)),
                100.0 * ab->first_arrival_share(line), ended[line] ? "" : ", no end of session");
  }
  std::printf("merged: delivered %llu (%llu bytes), lost on both lines %llu, duplicates dropped %llu, heartbeats %llu, "
              "malformed or of another session %llu, skew p50 %.1f us p99 %.1f us\n",
              static_cast<unsigned long long>(ab->delivered()), static_cast<unsigned long long>(delivered_bytes),
              static_cast<unsigned long long>(ab->lost()),
              static_cast<unsigned long long>(ab->duplicates()), static_cast<unsigned long long>(heartbeats),
              static_cast<unsigned long long>(malformed), static_cast<double>(ab->skew().percentile(0.5)) / 1e3,
              static_cast<double>(ab->skew().percentile(0.99)) / 1e3);
  return ended[0] && ended[1] ? 0 : 1;
}
