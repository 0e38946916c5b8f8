// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The mcnet authors
#include "lan.hpp"

#include <ifaddrs.h>
#include <net/if.h>
#include <netinet/in.h>
#include <signal.h>
#include <unistd.h>

#include <algorithm>
#include <array>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <set>
#include <sstream>
#include <thread>

namespace mcnet::test {
namespace {

constexpr unsigned kMaxLans = 250;
constexpr unsigned kMaxHosts = 250;
constexpr unsigned kRouterHost = 253;  // .254 and ::fe

std::string v4_text(unsigned lan, unsigned host_number) {
  return "10.77." + std::to_string(lan) + "." + std::to_string(host_number);
}

std::string v6_text(unsigned lan, unsigned host_number) {
  std::array<char, 64> buf{};
  std::snprintf(buf.data(), buf.size(), "fd77:0:0:%x::%x", lan, host_number);
  return buf.data();
}

core::ip_address must_parse(const std::string& text) {
  auto a = core::ip_address::parse(text);
  if (!a) throw harness_error("lan: bad address " + text + ": " + a.error().message());
  return *a;
}

// Interface index and IPv6 link-local address of `name`, read inside the host.
std::pair<std::uint32_t, core::ip_address> interface_facts(const host& h, const std::string& name) {
  return h.run([&] {
    const unsigned index = ::if_nametoindex(name.c_str());
    if (index == 0) throw harness_error("lan: " + h.name() + " has no interface " + name);
    core::ip_address link_local;
    ifaddrs* list = nullptr;
    if (::getifaddrs(&list) != 0) throw harness_error("lan: getifaddrs failed in " + h.name());
    for (auto* ifa = list; ifa != nullptr; ifa = ifa->ifa_next) {
      if (ifa->ifa_addr == nullptr || ifa->ifa_addr->sa_family != AF_INET6 || name != ifa->ifa_name) continue;
      sockaddr_in6 sa{};
      std::memcpy(&sa, ifa->ifa_addr, sizeof sa);
      std::array<std::uint8_t, 16> b{};
      std::memcpy(b.data(), &sa.sin6_addr, 16);
      auto a = core::ip_address::v6_bytes(b, index);
      if (a.is_link_local_unicast()) link_local = a;
    }
    ::freeifaddrs(list);
    return std::pair<std::uint32_t, core::ip_address>{index, link_local};
  });
}

void prepare_namespace(const netns& ns, bool forwarding) {
  // Before any link arrives, so that new links inherit "default".
  for (const char* scope : {"all", "default"}) {
    ns.write_sysctl(std::string("net.ipv6.conf.") + scope + ".accept_dad", "0");
    ns.write_sysctl(std::string("net.ipv6.conf.") + scope + ".dad_transmits", "0");
    if (forwarding) ns.write_sysctl(std::string("net.ipv6.conf.") + scope + ".forwarding", "1");
  }
  if (forwarding) ns.write_sysctl("net.ipv4.ip_forward", "1");
}

void validate(const topology& t) {
  if (t.lans == 0 || t.lans > kMaxLans) throw harness_error("lan: 1 to 250 LANs");
  if (t.hosts.size() > kMaxHosts) throw harness_error("lan: at most 250 hosts");
  for (std::size_t h = 0; h < t.hosts.size(); ++h) {
    const auto& lans = t.hosts[h].lans;
    if (lans.empty()) throw harness_error("lan: host " + std::to_string(h) + " is on no LAN");
    std::set<unsigned> seen(lans.begin(), lans.end());
    if (seen.size() != lans.size()) throw harness_error("lan: host " + std::to_string(h) + " lists a LAN twice");
    if (*seen.rbegin() >= t.lans) throw harness_error("lan: host " + std::to_string(h) + " names a LAN that does not exist");
  }
  if (t.routing != multicast_routing::none && !t.router) throw harness_error("lan: multicast routing needs router = true");
  for (const auto& r : t.mroutes) {
    if (r.from_lan >= t.lans || r.to_lans.empty() ||
        std::any_of(r.to_lans.begin(), r.to_lans.end(), [&](unsigned l) { return l >= t.lans || l == r.from_lan; })) {
      throw harness_error("lan: mroute for " + r.group + " names a bad LAN");
    }
  }
}

// Wait until every link but lo in `ns` reports operational state UP. A
// bridge device itself stays UNKNOWN and carries no traffic between its
// ports: bridges (br*) are not waited for.
void wait_until_up(const netns& ns) {
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(5);
  std::string listing;
  while (std::chrono::steady_clock::now() < deadline) {
    listing = run_checked(&ns, {"ip", "-o", "link", "show"});
    bool all_up = true;
    std::istringstream lines(listing);
    std::string line;
    while (std::getline(lines, line)) {
      if (line.find(": lo:") != std::string::npos || line.find(": br") != std::string::npos) continue;
      if (line.find(" state UP ") == std::string::npos) all_up = false;
    }
    if (all_up) return;
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  }
  throw harness_error("lan: links not up after 5 s:\n" + listing);
}

}  // namespace

topology topology::lan(unsigned hosts) {
  topology t;
  t.hosts.assign(hosts, host_spec{});
  return t;
}

const interface_info& host::on_lan(unsigned lan) const {
  for (const auto& i : interfaces_) {
    if (i.lan == lan) return i;
  }
  throw harness_error("lan: " + name_ + " is not on LAN " + std::to_string(lan));
}

core::interface_ref host::iface(std::size_t i) const {
  const auto& info = interfaces_.at(i);
  return core::interface_ref{info.index, core::interface_name::make(info.name).value()};
}

std::unique_ptr<network> network::create(const topology& t) {
  validate(t);
  std::unique_ptr<network> net(new network(netns::create()));
  net->build(t);
  return net;
}

network::~network() {
  daemons_.clear();
  router_.reset();
  hosts_.clear();
  if (!scratch_dir_.empty()) {
    std::error_code ec;
    std::filesystem::remove_all(scratch_dir_, ec);
  }
}

const host& network::router() const {
  if (!router_) throw harness_error("lan: this network has no router");
  return *router_;
}

core::prefix network::lan_v4(unsigned lan) { return core::prefix::parse(v4_text(lan, 0) + "/24").value(); }
core::prefix network::lan_v6(unsigned lan) { return core::prefix::parse(v6_text(lan, 0) + "/64").value(); }

std::vector<unsigned long> network::namespace_inodes() const {
  std::vector<unsigned long> out{switch_.inode()};
  for (const auto& h : hosts_) out.push_back(h->ns().inode());
  if (router_) out.push_back(router_->ns().inode());
  return out;
}

void network::build(const topology& t) {
  // The switch carries frames only: no IPv6 of its own, so no RS/MLD noise.
  switch_.write_sysctl("net.ipv6.conf.all.disable_ipv6", "1");
  switch_.write_sysctl("net.ipv6.conf.default.disable_ipv6", "1");

  for (std::size_t h = 0; h < t.hosts.size(); ++h) {
    // Names built by appending: `"h" + std::to_string(h)` inserts at the front
    // of the temporary, which g++ 12 at -O3 reports as a possible overlap
    // (-Wrestrict, a false positive).
    hosts_.emplace_back(new host(std::string("h").append(std::to_string(h)), netns::create()));
    prepare_namespace(hosts_.back()->ns_, false);
  }
  if (t.router) {
    router_.reset(new host("r", netns::create()));
    prepare_namespace(router_->ns_, true);
  }

  // Bridges and veth pairs, created in the switch namespace with the host
  // end moved straight into its host: no link ever exists in the caller's
  // namespace.
  std::ostringstream sw;
  for (unsigned l = 0; l < t.lans; ++l) {
    sw << "link add br" << l << " type bridge mcast_snooping 0 mcast_querier 0\n";
    sw << "link set dev br" << l << " up\n";
  }
  auto plug = [&](const std::string& port, const host& h, unsigned k, unsigned lan) {
    sw << "link add " << port << " type veth peer name eth" << k << " netns " << h.ns().pid() << "\n";
    sw << "link set dev " << port << " master br" << lan << " up\n";
  };
  for (std::size_t h = 0; h < t.hosts.size(); ++h) {
    for (unsigned k = 0; k < t.hosts[h].lans.size(); ++k) {
      plug(std::string("h").append(std::to_string(h)).append("e").append(std::to_string(k)), *hosts_[h], k,
           t.hosts[h].lans[k]);
    }
  }
  if (router_) {
    for (unsigned l = 0; l < t.lans; ++l) plug("re" + std::to_string(l), *router_, l, l);
  }
  run_checked(&switch_, {"ip", "-batch", "-"}, sw.str());

  auto configure = [&](host& h, const std::vector<unsigned>& lans, unsigned number) {
    std::ostringstream cmd;
    cmd << "link set dev lo up\n";
    for (unsigned k = 0; k < lans.size(); ++k) {
      const std::string dev = "eth" + std::to_string(k);
      cmd << "link set dev " << dev << " up\n";
      cmd << "address add " << v4_text(lans[k], number) << "/24 dev " << dev << "\n";
      cmd << "address add " << v6_text(lans[k], number) << "/64 dev " << dev << " nodad\n";
    }
    cmd << "route add 224.0.0.0/4 dev eth0\n";
    if (router_ && &h != router_.get()) {
      cmd << "route add 10.77.0.0/16 via " << v4_text(lans[0], kRouterHost + 1) << "\n";
      cmd << "route add fd77::/16 via " << v6_text(lans[0], kRouterHost + 1) << "\n";
    }
    run_checked(&h.ns_, {"ip", "-batch", "-"}, cmd.str());
    for (unsigned k = 0; k < lans.size(); ++k) {
      interface_info info;
      info.name = "eth" + std::to_string(k);
      info.lan = lans[k];
      info.v4 = must_parse(v4_text(lans[k], number));
      info.v6 = must_parse(v6_text(lans[k], number));
      auto [index, link_local] = interface_facts(h, info.name);
      info.index = index;
      info.v6_link_local = link_local;
      h.interfaces_.push_back(info);
    }
  };
  for (std::size_t h = 0; h < t.hosts.size(); ++h) {
    configure(*hosts_[h], t.hosts[h].lans, static_cast<unsigned>(h + 1));
  }
  if (router_) {
    std::vector<unsigned> all(t.lans);
    for (unsigned l = 0; l < t.lans; ++l) all[l] = l;
    configure(*router_, all, kRouterHost + 1);
  }
  // A link passes traffic only once the kernel's linkwatch work has run for
  // it (until then its qdisc drops everything): wait until every link we
  // made is operationally up, in every namespace. Bounded: 5 s.
  wait_until_up(switch_);
  for (const auto& h : hosts_) wait_until_up(h->ns_);
  if (router_) wait_until_up(router_->ns_);
  if (t.routing == multicast_routing::smcroute) start_smcroute(t);
}

void network::start_smcroute(const topology& t) {
  // Without the kernel's multicast routing smcrouted starts but can add no
  // VIF; say so at once rather than after 10 s of waiting for it.
  for (bool v6 : {false, true}) {
    const bool asked = std::any_of(t.mroutes.begin(), t.mroutes.end(), [&](const mroute& r) {
      return (r.group.find(':') != std::string::npos) == v6;
    });
    std::string why;
    if ((asked || !v6) && !multicast_routing_available(v6, &why)) {
      throw harness_error("lan: " + why + " (tests that need it start with MCNET_REQUIRE_MULTICAST_ROUTING)");
    }
  }
  std::string dir_template = (std::filesystem::temp_directory_path() / "mcnet-net-XXXXXX").string();
  if (::mkdtemp(dir_template.data()) == nullptr) throw harness_error("lan: mkdtemp failed");
  scratch_dir_ = dir_template;

  std::ostringstream conf;
  for (unsigned l = 0; l < t.lans; ++l) conf << "phyint eth" << l << " enable\n";
  bool any_v6 = false;
  for (const auto& r : t.mroutes) {
    any_v6 = any_v6 || r.group.find(':') != std::string::npos;
    conf << "mroute from eth" << r.from_lan;
    if (!r.source.empty()) conf << " source " << r.source;
    conf << " group " << r.group << " to";
    for (unsigned l : r.to_lans) conf << " eth" << l;
    conf << "\n";
  }
  const std::string conf_path = scratch_dir_ + "/smcroute.conf";
  std::ofstream(conf_path) << conf.str();

  daemons_.push_back(router_->start({"smcrouted", "-n", "-f", conf_path, "-u", scratch_dir_ + "/smcroute.sock", "-P",
                                     scratch_dir_ + "/smcroute.pid", "-i", "mcnet-" + std::to_string(::getpid()),
                                     "-l", "info"}));
  auto& daemon = daemons_.back();

  // Ready when the kernel lists a multicast VIF for every LAN (and MIFs for
  // IPv6 when IPv6 routes were asked for). Bounded: 10 s.
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(10);
  auto count_lines = [&](const char* path) {
    return router_->run([&] {
      std::ifstream f(path);
      std::string line;
      unsigned n = 0;
      while (std::getline(f, line)) {
        for (unsigned l = 0; l < t.lans; ++l) {
          if (line.find(" eth" + std::to_string(l) + " ") != std::string::npos) ++n;
        }
      }
      return n;
    });
  };
  while (true) {
    if (auto st = daemon.wait_for(std::chrono::milliseconds(0))) {
      throw harness_error("lan: smcrouted ended (" + st->describe() + "):\n" + daemon.output());
    }
    bool v4_ready = count_lines("/proc/thread-self/net/ip_mr_vif") >= t.lans;
    bool v6_ready = !any_v6 || count_lines("/proc/thread-self/net/ip6_mr_vif") >= t.lans;
    // smcrouted installs the configured routes right after the VIFs; give it
    // a moment to finish reading its configuration.
    if (v4_ready && v6_ready && daemon.output().find("Ready") != std::string::npos) break;
    if (std::chrono::steady_clock::now() > deadline) {
      throw harness_error("lan: smcrouted did not become ready in 10 s:\n" + daemon.output());
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
}

}  // namespace mcnet::test
