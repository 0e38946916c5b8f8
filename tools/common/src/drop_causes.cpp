// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The mcnet authors
#include <mcnet/tools/drop_causes.hpp>

#include <mcnet/tools/doctor.hpp>
#include <mcnet/tools/report.hpp>

#include <sys/socket.h>

#include <algorithm>
#include <fstream>
#include <sstream>

#include <fmt/format.h>

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

// conf/NAME's own rp_filter (the calling thread's namespace); none when
// it cannot be read.
std::optional<int> own_rp_filter(const std::string& name) {
  std::ifstream in("/proc/sys/net/ipv4/conf/" + name + "/rp_filter");
  int v = 0;
  if (!(in >> v)) return std::nullopt;
  return v;
}

// Each interface's effective rp_filter, max(conf/all, conf/IFACE), by
// name (those whose value cannot be read are left out).
void read_rp_filter(drop_counters& out) {
  const auto all = own_rp_filter("all").value_or(0);
  for (const auto& [name, packets] : out.rx_packets) {
    (void)packets;
    if (name == "lo") continue;
    if (const auto v = own_rp_filter(name)) out.rp_filter[name] = std::max(all, *v);
  }
}

}  // namespace

void drop_counters::add_rp_changed(const std::set<rp_filter_change>& changed) {
  // One already unknown (deleted, moved away, made anew) keeps that
  // reason: an interface made within the span, its rp_filter written, then
  // deleted is said deleted.
  const auto add = [this](const std::string& name) {
    if (rx_vanished.insert(name).second) rx_rp_changed.insert(name);
  };
  // conf/all's values the notifications gave: an interface whose own
  // value is at least the largest kept its effective value, max(all, own),
  // all along (trial t15r5 L4: b0, strict itself, was named when conf/all
  // went 0, 1, 0). A start value of conf/all that differs from its end one
  // is since()'s to see.
  using scope = rp_filter_change::scope;
  std::optional<int> all_max;
  bool every = false;  // conf/default's: any interface's own value never written
  for (const auto& c : changed) {
    if (c.where == scope::all) all_max = std::max(all_max.value_or(c.value), c.value);
    if (c.where == scope::defaults) every = true;
  }
  if (every || all_max) {
    std::set<std::string> names;
    for (const auto& [name, value] : rp_filter) names.insert(name);
    for (const auto& [name, index] : rx_index) {
      if (name != "lo") names.insert(name);
    }
    for (const auto& name : names) {
      const auto own = own_rp_filter(name);
      if (every || !own || *own < *all_max) add(name);
    }
  }
  for (const auto& c : changed) {
    if (c.where == scope::interface && !c.name.empty()) add(c.name);
  }
}

std::optional<rp_filter_change> rp_filter_changed(const netlink::event& e, const netlink::snapshot& state) {
  if (e.what != netlink::event::kind::netconf_changed) return std::nullopt;
  const auto& c = e.netconf_value;
  // An appearing interface's announcement carries every setting
  // (NETCONFA_ALL); a sysctl write, the one it changed.
  if (c.family != AF_INET || !c.rp_filter || c.forwarding) return std::nullopt;
  using scope = rp_filter_change::scope;
  if (c.index == netlink::netconf::all) return rp_filter_change{scope::all, {}, *c.rp_filter};
  if (c.index == netlink::netconf::defaults) return rp_filter_change{scope::defaults, {}, *c.rp_filter};
  if (c.index <= 0) return std::nullopt;
  const auto* l = state.link_by_index(static_cast<std::uint32_t>(c.index));
  return rp_filter_change{scope::interface, l != nullptr && !l->name.empty() ? l->name : fmt::format("index {}", c.index),
                          *c.rp_filter};
}

void drop_counters::add_gone(const std::set<std::string>& gone) {
  for (const auto& g : gone) {
    if (!g.empty()) rx_vanished.insert(g);
  }
}

drop_counters drop_counters::read(reading which) {
  // A datagram counts in its interface's RX packets before the kernel
  // drops it by reverse-path filtering: the first reading takes the RX
  // packets first, the last one the drop counters first, so that one
  // coming in between counts in the RX packets' rise whenever it counts in
  // the drops' (trial t15r10 N2-A: the other order made the drops outrun
  // the packets of the interface that had them all).
  drop_counters out{};
  if (which == reading::first) read_received(out);
  out.reverse_path = net_counters::read("netstat", "TcpExt", "IPReversePathFilter");
  out.udp_in_errors = net_counters::read("snmp", "Udp", "InErrors");
  out.udp_rcvbuf = net_counters::read("snmp", "Udp", "RcvbufErrors");
  out.udp_csum = net_counters::read("snmp", "Udp", "InCsumErrors");
  out.udp6_in_errors = net_counters::read_snmp6("Udp6InErrors");
  out.udp6_rcvbuf = net_counters::read_snmp6("Udp6RcvbufErrors");
  out.udp6_csum = net_counters::read_snmp6("Udp6InCsumErrors");
  out.udp_ignored_multi = net_counters::read("snmp", "Udp", "IgnoredMulti");
  out.udp6_ignored_multi = net_counters::read_snmp6("Udp6IgnoredMulti");
  if (which == reading::last) read_received(out);
  read_rp_filter(out);
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
  // Renamed (trial t15r3 L1): a name gone whose index is there under a
  // name the first reading did not have: the same link, its counters kept.
  std::map<std::string, std::string> renamed;  // new name -> old
  for (const auto& [name, index] : before.rx_index) {
    if (rx_index.contains(name)) continue;
    const auto it = std::ranges::find_if(rx_index, [idx = index](const auto& kv) { return kv.second == idx; });
    if (it != rx_index.end() && !before.rx_index.contains(it->first)) renamed[it->first] = name;
  }
  const auto old_name = [&renamed](const std::string& name) {
    const auto it = renamed.find(name);
    return it != renamed.end() ? it->second : name;
  };
  // Those whose packets over the span are not known (trial t15r2 H2).
  std::set<std::string> vanished = recreated;
  for (const auto& [name, index] : before.rx_index) {
    const auto now = std::ranges::find_if(renamed, [&was_name = name](const auto& kv) { return kv.second == was_name; });
    const auto now_name = now != renamed.end() ? now->first : name;
    const auto n = rx_packets.find(now_name);
    const auto was = before.rx_packets.find(name);
    if (n == rx_packets.end() || (was != before.rx_packets.end() && n->second < was->second)) {
      vanished.insert(now_name);
    }
  }
  // Their effective rp_filter changed (trial t15r3 H3): which drops they
  // took is not known.
  std::set<std::string> rp_changed;
  for (const auto& [name, eff] : rp_filter) {
    if (recreated.contains(name)) continue;
    const auto it = before.rp_filter.find(old_name(name));
    if (it != before.rp_filter.end() && it->second != eff) {
      rp_changed.insert(name);
      vanished.insert(name);
    }
  }
  // `fresh`: an interface made during the span counted from 0 (every
  // packet of it is the span's; the reverse-path bound's others).
  const auto rx_delta = [&recreated, &old_name, &renamed](const std::map<std::string, std::uint64_t>& a,
                                                          const std::map<std::string, std::uint64_t>& b,
                                                          bool fresh = false) {
    std::map<std::string, std::uint64_t> out;
    for (const auto& [name, n] : b) {
      const auto it = a.find(old_name(name));
      if (it == a.end()) continue;
      out[name] = recreated.contains(name) ? n : n >= it->second ? n - it->second : 0;
    }
    for (const auto& [name, n] : b) {
      if (fresh && !a.contains(old_name(name)) && !renamed.contains(name)) out[name] = n;
    }
    return out;
  };
  const auto delta = [](const std::optional<std::uint64_t>& a, const std::optional<std::uint64_t>& b) {
    return a && b ? std::optional<std::uint64_t>(*b >= *a ? *b - *a : 0) : std::nullopt;
  };
  drop_counters out{delta(before.reverse_path, reverse_path), delta(before.udp_in_errors, udp_in_errors),
          delta(before.udp_rcvbuf, udp_rcvbuf),     delta(before.udp_csum, udp_csum),
          delta(before.udp6_in_errors, udp6_in_errors), delta(before.udp6_rcvbuf, udp6_rcvbuf),
          delta(before.udp6_csum, udp6_csum),       delta(before.udp_ignored_multi, udp_ignored_multi),
          delta(before.udp6_ignored_multi, udp6_ignored_multi), rx_delta(before.rx_packets, rx_packets, true),
          rx_delta(before.rx_multicast, rx_multicast), rx_delta(before.rx_dropped, rx_dropped),  rx_delta(before.rx_errors, rx_errors),
          rx_index,                                 std::move(recreated),
          std::move(vanished)};
  out.rp_filter = rp_filter;
  out.rx_rp_changed = std::move(rp_changed);
  out.rx_renamed = std::move(renamed);
  return out;
}

std::string span_notes::renamed_from(const std::string& name) const {
  const auto it = renamed.find(name);
  return it == renamed.end() ? std::string() : it->second;
}

std::string unknown_interfaces_clause(const std::vector<std::string>& names, std::string_view during,
                                      const span_notes& notes) {
  std::vector<std::string> gone, changed;
  bool lost = false;
  for (const auto& name : names) {
    if (name == drop_counters::link_events_lost) {
      lost = true;
      continue;
    }
    (notes.rp_changed.contains(name) ? changed : gone).push_back(name);
  }
  std::string out;
  if (!gone.empty()) {
    out = names_and(gone) + (gone.size() == 1 ? " was" : " were") + " deleted, moved away or re-created during " +
          std::string(during) + ": the packets " + (gone.size() == 1 ? "it" : "they") + " received are not known";
  }
  if (!changed.empty()) {
    if (!out.empty()) out += ", and ";
    out += names_and(changed) + (changed.size() == 1 ? ": its" : ": their") + " rp_filter changed during " +
           std::string(during) + " (which of " + (changed.size() == 1 ? "its" : "their") +
           " packets the filter checked is not known)";
  }
  if (lost) {
    if (!out.empty()) out += ", and ";
    out += "link events were lost during " + std::string(during) +
           " (the interface-event watcher could not be opened or read, or its queue overflowed): an interface made "
           "and deleted then, and the packets it received, are not known";
  }
  return out;
}

}  // namespace mcnet::tools
