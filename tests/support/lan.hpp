// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The mcnet authors
#pragma once

// A private test network: hosts in network namespaces, joined by veth pairs
// to Linux bridges that live in a namespace of their own. Nothing is ever
// created in the caller's namespace and nothing is named under /run/netns,
// so parallel test runs cannot collide, and everything disappears when the
// `network` object is destroyed (or the test process dies).
//
// Addressing (only ever inside the namespaces):
//   LAN l            10.77.l.0/24          fd77:0:0:l::/64
//   host h on LAN l  10.77.l.(h+1)         fd77:0:0:l::(h+1)
//   router on LAN l  10.77.l.254           fd77:0:0:l::fe
// A host's interfaces are eth0, eth1, ... in the order of its LANs. Every
// host has a 224.0.0.0/4 route on eth0 (the kernel adds ff00::/8 per link),
// IPv6 DAD off, lo up. Bridges have IGMP/MLD snooping off.

#include <chrono>
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include <mcnet/core/interface.hpp>
#include <mcnet/core/ip_address.hpp>
#include <mcnet/core/prefix.hpp>

#include "netns.hpp"
#include "process.hpp"

namespace mcnet::test {

/// How a router namespace forwards multicast between its LANs.
enum class multicast_routing {
  none,      ///< unicast forwarding only
  smcroute,  ///< smcrouted runs inside the router with the routes given
};

/// One multicast route for smcrouted: (*, group) from one LAN to others.
struct mroute {
  unsigned from_lan = 0;
  std::string group{};  ///< "239.0.0.0/8", "ff1e::/16", or one group
  std::vector<unsigned> to_lans{};
  std::string source = {};  ///< empty: any source
};

struct host_spec {
  std::vector<unsigned> lans = {0};  ///< LANs this host is on: eth0, eth1, ...
};

struct topology {
  unsigned lans = 1;
  std::vector<host_spec> hosts{};
  bool router = false;  ///< a router namespace on every LAN, forwarding unicast
  multicast_routing routing = multicast_routing::none;
  std::vector<mroute> mroutes{};  ///< with multicast_routing::smcroute

  /// N hosts on one LAN.
  static topology lan(unsigned hosts);
};

struct interface_info {
  std::string name;  ///< eth0, eth1, ...
  std::uint32_t index = 0;
  unsigned lan = 0;
  core::ip_address v4;
  core::ip_address v6;
  core::ip_address v6_link_local;  ///< fe80::... with the scope id set
};

class host {
 public:
  [[nodiscard]] const std::string& name() const noexcept { return name_; }
  [[nodiscard]] const netns& ns() const noexcept { return ns_; }
  [[nodiscard]] const std::vector<interface_info>& interfaces() const noexcept { return interfaces_; }
  /// The interface on LAN `lan` (throws harness_error when not on it).
  [[nodiscard]] const interface_info& on_lan(unsigned lan) const;
  /// Address of interface `i` (0: eth0).
  [[nodiscard]] core::ip_address v4(std::size_t i = 0) const { return interfaces_.at(i).v4; }
  [[nodiscard]] core::ip_address v6(std::size_t i = 0) const { return interfaces_.at(i).v6; }
  [[nodiscard]] core::interface_ref iface(std::size_t i = 0) const;

  /// Run `fn` inside this host (see netns::run).
  template <class F>
  auto run(F&& fn) const {
    return ns_.run(std::forward<F>(fn));
  }
  /// Start a process inside this host; it dies with the test.
  [[nodiscard]] process start(const std::vector<std::string>& argv, const std::string& input = {}) const {
    return process::start(&ns_, argv, input);
  }
  /// Run a command inside this host to completion.
  run_result exec(const std::vector<std::string>& argv, const std::string& input = {},
                  std::chrono::milliseconds timeout = std::chrono::seconds(20)) const {
    return test::run(&ns_, argv, input, timeout);
  }

 private:
  friend class network;
  host(std::string name, netns ns) : name_(std::move(name)), ns_(std::move(ns)) {}

  std::string name_;
  netns ns_;
  std::vector<interface_info> interfaces_;
};

/// Run `fn` inside `h`: sockets it creates live in h's namespace.
template <class F>
auto run_in(const host& h, F&& fn) {
  return h.run(std::forward<F>(fn));
}

class network {
 public:
  /// Build the topology. Throws harness_error naming the step that failed.
  static std::unique_ptr<network> create(const topology& t);
  /// N hosts on one LAN.
  static std::unique_ptr<network> lan(unsigned hosts) { return create(topology::lan(hosts)); }

  network(const network&) = delete;
  network& operator=(const network&) = delete;
  ~network();

  [[nodiscard]] std::size_t size() const noexcept { return hosts_.size(); }
  [[nodiscard]] const host& operator[](std::size_t i) const { return *hosts_.at(i); }
  [[nodiscard]] const host& router() const;
  [[nodiscard]] bool has_router() const noexcept { return router_ != nullptr; }
  /// The namespace that holds the bridges (br0, br1, ...).
  [[nodiscard]] const netns& switch_ns() const noexcept { return switch_; }
  /// The network's LAN prefixes.
  [[nodiscard]] static core::prefix lan_v4(unsigned lan);
  [[nodiscard]] static core::prefix lan_v6(unsigned lan);
  /// Every namespace inode this network holds (switch, hosts, router).
  [[nodiscard]] std::vector<unsigned long> namespace_inodes() const;

 private:
  explicit network(netns sw) : switch_(std::move(sw)) {}
  void build(const topology& t);
  void start_smcroute(const topology& t);

  netns switch_;
  std::vector<std::unique_ptr<host>> hosts_;
  std::unique_ptr<host> router_;
  std::vector<process> daemons_;
  std::string scratch_dir_;
};

}  // namespace mcnet::test
