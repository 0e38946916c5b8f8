// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The mcnet authors
//
// The namespace harness itself: hosts reach each other over IPv4 and IPv6,
// multicast crosses the bridge, two-LAN hosts and routers work, processes
// and namespaces die with their objects, and nothing is left behind. These
// tests use raw socket calls on purpose: they check the ground the library's
// own tests stand on.

#include <gtest/gtest.h>

#include <arpa/inet.h>
#include <dirent.h>
#include <net/if.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <unistd.h>

#include <csignal>
#include <cstring>
#include <sstream>
#include <thread>
#include <filesystem>
#include <fstream>
#include <optional>
#include <string>

#include <mcnet/core/endpoint.hpp>
#include <mcnet/core/socket.hpp>
#include <mcnet/core/socket_ops.hpp>

#include "leftovers.hpp"
#include "lan.hpp"
#include "privilege.hpp"

namespace core = mcnet::core;
namespace test = mcnet::test;

namespace {

struct datagram {
  std::string payload;
  core::endpoint source;
  int ttl = -1;  // from IP_RECVTTL / IPV6_RECVHOPLIMIT when asked for
};

core::socket open_bound(const core::endpoint& local) {
  auto s = core::socket::open(local.address().af(), SOCK_DGRAM).value();
  int one = 1;
  ::setsockopt(s.native_handle(), SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
  auto r = core::bind(s, local);
  if (!r) throw test::harness_error(r.error().message());
  return s;
}

std::optional<datagram> receive(const core::socket& s, int timeout_ms = 1000) {
  pollfd pfd{s.native_handle(), POLLIN, 0};
  if (::poll(&pfd, 1, timeout_ms) != 1) return std::nullopt;
  char buf[2048];
  alignas(cmsghdr) char control[256];
  sockaddr_storage from{};
  iovec iov{buf, sizeof buf};
  msghdr msg{};
  msg.msg_name = &from;
  msg.msg_namelen = sizeof from;
  msg.msg_iov = &iov;
  msg.msg_iovlen = 1;
  msg.msg_control = control;
  msg.msg_controllen = sizeof control;
  ssize_t n = ::recvmsg(s.native_handle(), &msg, 0);
  if (n < 0) return std::nullopt;
  datagram d;
  d.payload.assign(buf, static_cast<std::size_t>(n));
  d.source = core::endpoint::from_sockaddr(reinterpret_cast<sockaddr*>(&from), msg.msg_namelen).value();
  for (cmsghdr* c = CMSG_FIRSTHDR(&msg); c != nullptr; c = CMSG_NXTHDR(&msg, c)) {
    if ((c->cmsg_level == IPPROTO_IP && c->cmsg_type == IP_TTL) ||
        (c->cmsg_level == IPPROTO_IPV6 && c->cmsg_type == IPV6_HOPLIMIT)) {
      std::memcpy(&d.ttl, CMSG_DATA(c), sizeof d.ttl);
    }
  }
  return d;
}

void send_to(const core::endpoint& to, const std::string& payload, std::uint32_t ifindex = 0, int ttl = -1) {
  auto s = core::socket::open(to.address().af(), SOCK_DGRAM).value();
  if (to.address().is_v4()) {
    if (ifindex != 0) {
      ip_mreqn mreq{};
      mreq.imr_ifindex = static_cast<int>(ifindex);
      ::setsockopt(s.native_handle(), IPPROTO_IP, IP_MULTICAST_IF, &mreq, sizeof mreq);
    }
    if (ttl >= 0) ::setsockopt(s.native_handle(), IPPROTO_IP, IP_MULTICAST_TTL, &ttl, sizeof ttl);
  } else {
    if (ifindex != 0) ::setsockopt(s.native_handle(), IPPROTO_IPV6, IPV6_MULTICAST_IF, &ifindex, sizeof ifindex);
    if (ttl >= 0) ::setsockopt(s.native_handle(), IPPROTO_IPV6, IPV6_MULTICAST_HOPS, &ttl, sizeof ttl);
  }
  sockaddr_storage sa{};
  auto len = to.to_sockaddr(sa);
  if (::sendto(s.native_handle(), payload.data(), payload.size(), 0, reinterpret_cast<sockaddr*>(&sa), len) !=
      static_cast<ssize_t>(payload.size())) {
    throw test::harness_error("sendto " + to.to_string() + ": " + std::strerror(errno));
  }
}

void join(const core::socket& s, const core::ip_address& group, std::uint32_t ifindex) {
  group_req req{};
  req.gr_interface = ifindex;
  core::endpoint(group, 0).to_sockaddr(req.gr_group);
  const int level = group.is_v4() ? IPPROTO_IP : IPPROTO_IPV6;
  if (::setsockopt(s.native_handle(), level, MCAST_JOIN_GROUP, &req, sizeof req) != 0) {
    throw test::harness_error("join " + group.to_string() + ": " + std::strerror(errno));
  }
}

void ask_for_ttl(const core::socket& s) {
  int one = 1;
  if (s.family() == AF_INET) {
    ::setsockopt(s.native_handle(), IPPROTO_IP, IP_RECVTTL, &one, sizeof one);
  } else {
    ::setsockopt(s.native_handle(), IPPROTO_IPV6, IPV6_RECVHOPLIMIT, &one, sizeof one);
  }
}

std::set<std::string> links_of(const test::host& h) {
  return h.run([] {
    std::set<std::string> names;
    auto* list = ::if_nameindex();
    for (auto* n = list; n->if_index != 0; ++n) names.insert(n->if_name);
    ::if_freenameindex(list);
    return names;
  });
}

TEST(NetHarness, HostsReachEachOtherOverIpv4AndIpv6) {
  MCNET_REQUIRE_NETNS();
  auto net = test::network::lan(3);
  ASSERT_EQ(net->size(), 3u);
  for (bool v6 : {false, true}) {
    for (std::size_t to = 1; to < 3; ++to) {
      const auto& rx_host = (*net)[to];
      const auto dest_addr = v6 ? rx_host.v6() : rx_host.v4();
      auto rx = rx_host.run([&] { return open_bound(core::endpoint(dest_addr, 0)); });
      const auto dest = core::local_endpoint(rx).value();
      (*net)[0].run([&] { send_to(dest, "hello " + std::to_string(to)); });
      auto got = receive(rx);
      ASSERT_TRUE(got) << "nothing reached " << dest;
      EXPECT_EQ(got->payload, "hello " + std::to_string(to));
      EXPECT_EQ(got->source.address(), v6 ? (*net)[0].v6() : (*net)[0].v4());
    }
  }
}

TEST(NetHarness, AddressingFollowsTheDocumentedPlan) {
  MCNET_REQUIRE_NETNS();
  auto net = test::network::lan(2);
  EXPECT_EQ((*net)[0].name(), "h0");
  EXPECT_EQ((*net)[0].v4().to_string(), "10.77.0.1");
  EXPECT_EQ((*net)[1].v4().to_string(), "10.77.0.2");
  EXPECT_EQ((*net)[1].v6().to_string(), "fd77::2");
  EXPECT_EQ((*net)[0].iface().name.view(), "eth0");
  EXPECT_TRUE((*net)[0].interfaces()[0].v6_link_local.is_link_local_unicast());
  EXPECT_EQ((*net)[0].interfaces()[0].v6_link_local.scope_id(), (*net)[0].iface().index);
  EXPECT_EQ(test::network::lan_v4(1).to_string(), "10.77.1.0/24");
  EXPECT_EQ(test::network::lan_v6(1).to_string(), "fd77:0:0:1::/64");
  EXPECT_EQ(links_of((*net)[0]), (std::set<std::string>{"lo", "eth0"}));
}

TEST(NetHarness, Ipv6IsUsableAtOnceWithoutDad) {
  MCNET_REQUIRE_NETNS();
  auto net = test::network::lan(2);
  const auto& h = (*net)[0];
  auto tentative = h.exec({"ip", "-6", "address", "show", "tentative"});
  ASSERT_TRUE(tentative.status.success()) << tentative.output;
  EXPECT_EQ(tentative.output, "") << "no address may be tentative";
  // Binding to a tentative address would fail with EADDRNOTAVAIL.
  test::run_in(h, [&] {
    open_bound(core::endpoint(h.v6(), 0));
    open_bound(core::endpoint(h.interfaces()[0].v6_link_local, 0));
  });
}

TEST(NetHarness, MulticastCrossesTheBridgeToEveryMember) {
  MCNET_REQUIRE_NETNS();
  auto net = test::network::lan(3);
  // RFC 2365 administratively scoped (239.255/16) and ff1e:: (global, test use).
  for (const char* group_text : {"239.255.77.1", "ff1e::77:1"}) {
    const auto group = core::ip_address::parse(group_text).value();
    std::vector<core::socket> receivers;
    for (std::size_t i = 1; i < 3; ++i) {
      const auto& h = (*net)[i];
      receivers.push_back(h.run([&] {
        auto s = open_bound(core::endpoint(group.is_v4() ? core::ip_address::any_v4() : core::ip_address::any_v6(), 0));
        join(s, group, h.iface().index);
        return s;
      }));
    }
    const auto port = core::local_endpoint(receivers[0]).value().port();
    // Both receivers need the same port: rebind the second on the first's.
    receivers[1] = (*net)[2].run([&] {
      auto s = open_bound(core::endpoint(group.is_v4() ? core::ip_address::any_v4() : core::ip_address::any_v6(), port));
      join(s, group, (*net)[2].iface().index);
      return s;
    });
    (*net)[0].run([&] { send_to(core::endpoint(group, port), group_text, (*net)[0].iface().index); });
    for (const auto& rx : receivers) {
      auto got = receive(rx);
      ASSERT_TRUE(got) << group_text << " did not arrive";
      EXPECT_EQ(got->payload, group_text);
      EXPECT_EQ(got->source.address(), group.is_v4() ? (*net)[0].v4() : (*net)[0].v6());
    }
  }
}

TEST(NetHarness, Ipv4MulticastRouteMakesThePlainSendWork) {
  MCNET_REQUIRE_NETNS();
  auto net = test::network::lan(2);
  const auto group = core::ip_address::v4(239, 255, 77, 2);
  auto rx = (*net)[1].run([&] {
    auto s = open_bound(core::endpoint(core::ip_address::any_v4(), 0));
    join(s, group, (*net)[1].iface().index);
    return s;
  });
  const auto port = core::local_endpoint(rx).value().port();
  (*net)[0].run([&] { send_to(core::endpoint(group, port), "no IP_MULTICAST_IF"); });
  auto got = receive(rx);
  ASSERT_TRUE(got) << "the 224.0.0.0/4 route should carry it out of eth0";
  EXPECT_EQ(got->payload, "no IP_MULTICAST_IF");
}

TEST(NetHarness, HostOnTwoLans) {
  MCNET_REQUIRE_NETNS();
  auto net = test::network::create({.lans = 2, .hosts = {{.lans = {0, 1}}, {.lans = {0}}, {.lans = {1}}}});
  const auto& multi = (*net)[0];
  ASSERT_EQ(multi.interfaces().size(), 2u);
  EXPECT_EQ(multi.interfaces()[1].name, "eth1");
  EXPECT_EQ(multi.v4(1).to_string(), "10.77.1.1");
  EXPECT_EQ(multi.on_lan(1).name, "eth1");
  EXPECT_EQ((*net)[2].v4().to_string(), "10.77.1.3");
  EXPECT_THROW((void)(*net)[1].on_lan(1), test::harness_error);

  // A group sent out of eth1 reaches LAN 1 only.
  const auto group = core::ip_address::v4(239, 255, 77, 3);
  auto on_lan0 = (*net)[1].run([&] {
    auto s = open_bound(core::endpoint(core::ip_address::any_v4(), 0));
    join(s, group, (*net)[1].iface().index);
    return s;
  });
  const auto port = core::local_endpoint(on_lan0).value().port();
  auto on_lan1 = (*net)[2].run([&] {
    auto s = open_bound(core::endpoint(core::ip_address::any_v4(), port));
    join(s, group, (*net)[2].iface().index);
    return s;
  });
  multi.run([&] { send_to(core::endpoint(group, port), "via eth1", multi.interfaces()[1].index); });
  auto got = receive(on_lan1);
  ASSERT_TRUE(got);
  EXPECT_EQ(got->source.address(), multi.v4(1));
  EXPECT_FALSE(receive(on_lan0, 200)) << "LAN 0 must not see what left through eth1";
}

TEST(NetHarness, RouterForwardsUnicastBetweenLans) {
  MCNET_REQUIRE_NETNS();
  auto net = test::network::create({.lans = 2, .hosts = {{.lans = {0}}, {.lans = {1}}}, .router = true});
  EXPECT_EQ(net->router().v4(1).to_string(), "10.77.1.254");
  for (bool v6 : {false, true}) {
    const auto& far = (*net)[1];
    auto rx = far.run([&] { return open_bound(core::endpoint(v6 ? far.v6() : far.v4(), 0)); });
    const auto dest = core::local_endpoint(rx).value();
    (*net)[0].run([&] { send_to(dest, "routed"); });
    auto got = receive(rx);
    ASSERT_TRUE(got) << "nothing crossed the router to " << dest;
    EXPECT_EQ(got->source.address(), v6 ? (*net)[0].v6() : (*net)[0].v4());
  }
}

TEST(NetHarness, SmcrouteForwardsMulticastAndDecrementsTtl) {
  MCNET_REQUIRE_NETNS();
  MCNET_REQUIRE_MULTICAST_ROUTING(false);
  MCNET_REQUIRE_MULTICAST_ROUTING(true);
  test::topology t{.lans = 2, .hosts = {{.lans = {0}}, {.lans = {1}}}, .router = true,
                   .routing = test::multicast_routing::smcroute};
  t.mroutes.push_back({.from_lan = 0, .group = "239.255.0.0/16", .to_lans = {1}});
  t.mroutes.push_back({.from_lan = 0, .group = "ff1e::/16", .to_lans = {1}});
  auto net = test::network::create(t);

  for (const char* group_text : {"239.255.77.4", "ff1e::77:4"}) {
    const auto group = core::ip_address::parse(group_text).value();
    const auto any = group.is_v4() ? core::ip_address::any_v4() : core::ip_address::any_v6();
    auto rx = (*net)[1].run([&] {
      auto s = open_bound(core::endpoint(any, 0));
      join(s, group, (*net)[1].iface().index);
      ask_for_ttl(s);
      return s;
    });
    const auto port = core::local_endpoint(rx).value().port();
    const core::endpoint dest(group, port);
    const auto ifindex = (*net)[0].iface().index;

    // TTL 1 stays on the sender's LAN.
    (*net)[0].run([&] { send_to(dest, "ttl 1", ifindex, 1); });
    EXPECT_FALSE(receive(rx, 300)) << group_text << " with TTL 1 must not be routed";

    // TTL 2 crosses and arrives with TTL 1. The first packet of a (*,G) may
    // wait for smcrouted to install the route; send a few, bounded.
    std::optional<datagram> got;
    for (int i = 0; i < 20 && !got; ++i) {
      (*net)[0].run([&] { send_to(dest, "ttl 2", ifindex, 2); });
      got = receive(rx, 250);
    }
    ASSERT_TRUE(got) << group_text << " with TTL 2 never crossed the router";
    EXPECT_EQ(got->payload, "ttl 2");
    EXPECT_EQ(got->ttl, 1);
    EXPECT_EQ(got->source.address(), group.is_v4() ? (*net)[0].v4() : (*net)[0].v6());
  }
}

TEST(NetHarness, ProcessesRunInsideTheHostAndDieWithTheirObject) {
  MCNET_REQUIRE_NETNS();
  auto net = test::network::lan(1);
  auto out = (*net)[0].exec({"ip", "-o", "-4", "address", "show", "dev", "eth0"});
  ASSERT_TRUE(out.status.success()) << out.output;
  EXPECT_NE(out.output.find("10.77.0.1/24"), std::string::npos) << out.output;

  pid_t pid = 0;
  {
    auto sleeper = (*net)[0].start({"sleep", "30"});
    pid = sleeper.pid();
    EXPECT_FALSE(sleeper.wait_for(std::chrono::milliseconds(50))) << "still running";
    struct stat st {};
    EXPECT_EQ(::stat(("/proc/" + std::to_string(pid)).c_str(), &st), 0);
  }
  struct stat st {};
  EXPECT_NE(::stat(("/proc/" + std::to_string(pid)).c_str(), &st), 0) << "killed and reaped with its object";

  auto missing = [&] { (void)(*net)[0].start({"mcnet-no-such-program"}); };
  EXPECT_THROW(missing(), test::harness_error);
  auto failing = (*net)[0].exec({"sh", "-c", "echo oops; exit 3"});
  EXPECT_EQ(failing.status.code, 3);
  EXPECT_EQ(failing.output, "oops\n");
  EXPECT_THROW(test::run_checked(&(*net)[0].ns(), {"false"}), test::harness_error);
  auto slow = (*net)[0].exec({"sleep", "30"}, {}, std::chrono::milliseconds(100));
  EXPECT_FALSE(slow.status.exited) << "killed at the time limit";
}

TEST(NetHarness, NothingIsLeftBehind) {
  MCNET_REQUIRE_NETNS();
  const auto before = test::take_inventory();
  std::vector<unsigned long> inodes;
  std::vector<pid_t> holders;
  {
    // With smcrouted where the kernel can route multicast: its daemon must
    // go too. Without, the router and the sleeper below still must.
    const bool routing = test::multicast_routing_available(false);
    test::topology t{.lans = 2, .hosts = {{.lans = {0, 1}}, {.lans = {0}}, {.lans = {1}}}, .router = true,
                     .routing = routing ? test::multicast_routing::smcroute : test::multicast_routing::none};
    if (routing) t.mroutes.push_back({.from_lan = 0, .group = "239.255.0.0/16", .to_lans = {1}});
    auto net = test::network::create(t);
    inodes = net->namespace_inodes();
    for (std::size_t i = 0; i < net->size(); ++i) holders.push_back((*net)[i].ns().pid());
    auto sleeper = (*net)[1].start({"sleep", "30"});
    const auto during = test::take_inventory();
    EXPECT_GT(during.namespaces.size(), before.namespaces.size());
    EXPECT_EQ(during.links, before.links) << "no link may appear in the caller's namespace";
  }
  const auto after = test::take_inventory();
  EXPECT_EQ(after.links, before.links);
  EXPECT_EQ(after.namespaces, before.namespaces);
  EXPECT_EQ(after.children, before.children);
  for (pid_t pid : holders) {
    struct stat st {};
    EXPECT_NE(::stat(("/proc/" + std::to_string(pid)).c_str(), &st), 0) << "holder " << pid << " still exists";
  }
  // No process on the machine is in one of those namespaces any more.
  std::error_code ec;
  for (const auto& entry : std::filesystem::directory_iterator("/proc", ec)) {
    auto target = std::filesystem::read_symlink(entry.path() / "ns" / "net", ec);
    if (ec) continue;
    for (auto inode : inodes) {
      EXPECT_NE(target.string(), "net:[" + std::to_string(inode) + "]") << entry.path();
    }
  }
}

// Whether `pid` runs: a zombie waiting for init to reap it counts as gone.
bool alive(pid_t pid) {
  std::ifstream stat("/proc/" + std::to_string(pid) + "/stat");
  std::string line;
  if (!std::getline(stat, line)) return false;
  const auto close = line.rfind(')');
  return close == std::string::npos || close + 2 >= line.size() || line[close + 2] != 'Z';
}

// A test process that dies by SIGKILL runs no destructor: its namespace
// holders and processes must still go (PR_SET_PDEATHSIG and the hold pipe).
TEST(NetHarness, KilledTestProcessLeavesNothing) {
  MCNET_REQUIRE_NETNS();
  auto helper = test::process::start(nullptr, {MCNET_HOLD_NETWORK});
  std::string out;
  for (int i = 0; i < 500 && out.find("ready") == std::string::npos; ++i) {  // at most 10 s
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
    out = helper.output();
  }
  ASSERT_NE(out.find("ready"), std::string::npos) << out;
  std::vector<pid_t> holders;
  std::istringstream lines(out);
  std::string word;
  pid_t pid = 0;
  while (lines >> word) {
    if ((word == "switch" || word == "host") && lines >> pid) holders.push_back(pid);
  }
  ASSERT_EQ(holders.size(), 3u) << out;
  helper.stop(SIGKILL);
  for (pid_t holder : holders) {
    bool gone = false;
    for (int i = 0; i < 250 && !gone; ++i) {  // at most 5 s
      gone = !alive(holder);
      if (!gone) std::this_thread::sleep_for(std::chrono::milliseconds(20));
    }
    EXPECT_TRUE(gone) << "holder " << holder << " outlived its killed owner";
  }
}

TEST(NetHarness, TwoNetworksAtOnceDoNotCollide) {
  MCNET_REQUIRE_NETNS();
  auto a = test::network::lan(2);
  auto b = test::network::lan(2);
  // Same names and addresses, different namespaces.
  EXPECT_EQ((*a)[1].v4(), (*b)[1].v4());
  EXPECT_NE((*a)[1].ns().inode(), (*b)[1].ns().inode());
  auto rx_a = (*a)[1].run([&] { return open_bound(core::endpoint((*a)[1].v4(), 0)); });
  auto rx_b = (*b)[1].run([&] { return open_bound(core::endpoint((*b)[1].v4(), 0)); });
  (*a)[0].run([&] { send_to(core::local_endpoint(rx_a).value(), "to a"); });
  auto got = receive(rx_a);
  ASSERT_TRUE(got);
  EXPECT_EQ(got->payload, "to a");
  EXPECT_FALSE(receive(rx_b, 100)) << "network b is a different wire";
}

TEST(NetHarness, BadTopologiesAreRefused) {
  MCNET_REQUIRE_NETNS();
  EXPECT_THROW(test::network::create({.lans = 0}), test::harness_error);
  EXPECT_THROW(test::network::create({.lans = 1, .hosts = {{.lans = {1}}}}), test::harness_error);
  EXPECT_THROW(test::network::create({.lans = 2, .hosts = {{.lans = {0, 0}}}}), test::harness_error);
  EXPECT_THROW(test::network::create({.lans = 1, .hosts = {{.lans = {}}}}), test::harness_error);
  EXPECT_THROW(test::network::create({.lans = 2, .routing = test::multicast_routing::smcroute}), test::harness_error);
}

// Without privilege a namespace test skips with its reason, and with
// MCNET_REQUIRE_PRIVILEGED=1 it fails. Checked by running this very binary as
// the unprivileged user "nobody" (in the caller's namespace: it sends nothing,
// it only fails to create a namespace).
TEST(NetHarness, UnprivilegedRunSkipsOrFailsWhenRequired) {
  MCNET_REQUIRE_NETNS();
  const auto self = std::filesystem::read_symlink("/proc/self/exe").string();
  const std::vector<std::string> drop = {"setpriv", "--reuid=65534", "--regid=65534", "--clear-groups", "--"};
  auto as_nobody = [&](bool required) {
    std::vector<std::string> argv = {"env", "-u", "MCNET_REQUIRE_PRIVILEGED"};
    if (required) argv.push_back("MCNET_REQUIRE_PRIVILEGED=1");
    argv.insert(argv.end(), drop.begin(), drop.end());
    argv.push_back(self);
    argv.push_back("--gtest_filter=NetHarness.AddressingFollowsTheDocumentedPlan");
    return test::run(nullptr, argv, {}, std::chrono::seconds(60));
  };
  auto skipped = as_nobody(false);
  EXPECT_TRUE(skipped.status.success()) << skipped.output;
  EXPECT_NE(skipped.output.find("[  SKIPPED ]"), std::string::npos) << skipped.output;
  EXPECT_NE(skipped.output.find("not falling back to the host network"), std::string::npos) << skipped.output;

  auto failed = as_nobody(true);
  EXPECT_FALSE(failed.status.success()) << failed.output;
  EXPECT_NE(failed.output.find("MCNET_REQUIRE_PRIVILEGED is set"), std::string::npos) << failed.output;
}

}  // namespace
