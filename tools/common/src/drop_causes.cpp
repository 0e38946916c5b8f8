// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The mcnet authors
#include <mcnet/tools/drop_causes.hpp>

#include <mcnet/tools/doctor.hpp>

#include <fstream>
#include <sstream>

#include <mcnet/core/interface.hpp>

namespace mcnet::tools {

namespace {

// Per interface, the packets received, dropped and in error (/proc/net/dev:
// "  eth0: BYTES PACKETS ERRS DROP FIFO FRAME ...").
void read_received(drop_counters& out) {
  // Each interface's index, by name, in the calling thread's network
  // namespace (if_nametoindex); 0: gone meanwhile, not known.
  const auto index_of = [](const std::string& name) -> std::uint32_t {
    const auto r = core::interface_ref::by_name(name);
    return r ? r->index : 0;
  };
  std::ifstream in("/proc/thread-self/net/dev");
  std::string line;
  while (std::getline(in, line)) {
    const auto colon = line.find(':');
    if (colon == std::string::npos) continue;  // the two header lines
    const auto first = line.find_first_not_of(' ');
    if (first == std::string::npos || first >= colon) continue;
    std::istringstream f(line.substr(colon + 1));
    std::uint64_t bytes = 0, packets = 0, errs = 0, drop = 0, fifo = 0, frame = 0;
    if (!(f >> bytes >> packets)) continue;
    const auto name = line.substr(first, colon - first);
    out.rx_packets[name] = packets;
    if (!(f >> errs >> drop >> fifo >> frame)) continue;
    out.rx_dropped[name] = drop;
    out.rx_errors[name] = errs + fifo + frame;
    if (const auto index = index_of(name); index != 0) out.rx_index[name] = index;
    std::uint64_t compressed = 0, multicast = 0;
    if (f >> compressed >> multicast) out.rx_multicast[name] = multicast;
  }
}

}  // namespace

drop_counters drop_counters::read() {
  drop_counters out{net_counters::read("netstat", "TcpExt", "IPReversePathFilter"),
                    net_counters::read("snmp", "Udp", "InErrors"),
                    net_counters::read("snmp", "Udp", "RcvbufErrors"),
                    net_counters::read("snmp", "Udp", "InCsumErrors"),
                    net_counters::read_snmp6("Udp6InErrors"),
                    net_counters::read_snmp6("Udp6RcvbufErrors"),
                    net_counters::read_snmp6("Udp6InCsumErrors"),
                    net_counters::read("snmp", "Udp", "IgnoredMulti"),
                    net_counters::read_snmp6("Udp6IgnoredMulti")};
  read_received(out);
  return out;
}

drop_counters drop_counters::since(const drop_counters& before) const {
  // A name whose index changed is a link made anew: its counters started
  // at 0 with it, so its counts now are its own since then (trial t15t M1).
  std::set<std::string> recreated;
  for (const auto& [name, index] : rx_index) {
    const auto it = before.rx_index.find(name);
    if (it != before.rx_index.end() && it->second != index) recreated.insert(name);
  }
  // Those whose packets over the span are not known (trial t15r2 H2).
  std::set<std::string> vanished = recreated;
  for (const auto& [name, index] : before.rx_index) {
    const auto now = rx_packets.find(name);
    const auto was = before.rx_packets.find(name);
    if (now == rx_packets.end() || (was != before.rx_packets.end() && now->second < was->second)) {
      vanished.insert(name);
    }
  }
  // `fresh`: an interface made during the span counted from 0 (every
  // packet of it is the span's; the reverse-path bound's others).
  const auto rx_delta = [&recreated](const std::map<std::string, std::uint64_t>& a,
                                     const std::map<std::string, std::uint64_t>& b, bool fresh = false) {
    std::map<std::string, std::uint64_t> out;
    for (const auto& [name, n] : b) {
      const auto it = a.find(name);
      if (it == a.end()) continue;
      out[name] = recreated.contains(name) ? n : n >= it->second ? n - it->second : 0;
    }
    for (const auto& [name, n] : b) {
      if (fresh && !a.contains(name)) out[name] = n;
    }
    return out;
  };
  const auto delta = [](const std::optional<std::uint64_t>& a, const std::optional<std::uint64_t>& b) {
    return a && b ? std::optional<std::uint64_t>(*b >= *a ? *b - *a : 0) : std::nullopt;
  };
  return {delta(before.reverse_path, reverse_path), delta(before.udp_in_errors, udp_in_errors),
          delta(before.udp_rcvbuf, udp_rcvbuf),     delta(before.udp_csum, udp_csum),
          delta(before.udp6_in_errors, udp6_in_errors), delta(before.udp6_rcvbuf, udp6_rcvbuf),
          delta(before.udp6_csum, udp6_csum),       delta(before.udp_ignored_multi, udp_ignored_multi),
          delta(before.udp6_ignored_multi, udp6_ignored_multi), rx_delta(before.rx_packets, rx_packets, true),
          rx_delta(before.rx_multicast, rx_multicast), rx_delta(before.rx_dropped, rx_dropped),  rx_delta(before.rx_errors, rx_errors),
          rx_index,                                 std::move(recreated),
          std::move(vanished)};
}

}  // namespace mcnet::tools
