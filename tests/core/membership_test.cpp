// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The mcnet authors
//
// RFC 3678 membership on a real wire: SSM include and exclude with two real
// senders, a whole-filter change with MCAST_MSFILTER checked against the
// kernel's /proc/thread-self/net/mcfilter, limits that name their sysctl,
// and every argument and kernel error explained.

#include <gtest/gtest.h>

#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include <mcnet/core/dial.hpp>
#include <mcnet/core/membership.hpp>
#include <mcnet/core/socket_ops.hpp>

#include "addr.hpp"
#include "datagram_helpers.hpp"
#include "lan.hpp"
#include "option_test.hpp"
#include "privilege.hpp"
#include "procnet.hpp"

namespace core = mcnet::core;
namespace test = mcnet::test;
using namespace std::chrono_literals;

namespace {

using test::addr;
using test::mcfilter_row;
using test::read_mcfilter;

// Everything `s` receives within `window`, as text.
std::multiset<std::string> drain(core::socket_ref s, std::chrono::milliseconds window = 300ms) {
  std::multiset<std::string> got;
  const auto end = std::chrono::steady_clock::now() + window;
  while (true) {
    auto left = std::chrono::duration_cast<std::chrono::milliseconds>(end - std::chrono::steady_clock::now());
    if (left.count() <= 0) break;
    auto text = test::receive_text(s, left);
    if (text.empty()) break;
    got.insert(text);
  }
  return got;
}

class NetSsm : public ::testing::Test {
 protected:
  void SetUp() override {
    MCNET_REQUIRE_NETNS();
    net_ = test::network::lan(3);
    for (std::size_t i : {0u, 1u}) {
      senders_.push_back(test::run_in((*net_)[i], [&] {
        auto s = core::listen_udp(core::endpoint((*net_)[i].v4(), 0)).value();
        test::multicast_out(s, false, (*net_)[i].iface().index, 1);
        return s;
      }));
    }
  }
  const test::host& receiver() const { return (*net_)[2]; }
  std::uint32_t rx_index() const { return receiver().iface().index; }
  core::ip_address sender_addr(std::size_t i) const { return (*net_)[i].v4(); }
  // Both senders send "from hN" to `to`.
  void send_from_both(const core::endpoint& to) {
    for (std::size_t i = 0; i < senders_.size(); ++i) test::send_text(senders_[i], to, "from h" + std::to_string(i));
  }
  core::socket listen_on_any() const {
    return test::run_in(receiver(), [] {
      auto s = core::listen_udp(core::endpoint::parse("0.0.0.0:0").value()).value();
      test::raw_set(s, IPPROTO_IP, IP_MULTICAST_ALL, 0);
      return s;
    });
  }

  std::unique_ptr<test::network> net_;
  std::vector<core::socket> senders_;
};

TEST_F(NetSsm, IncludeThenWholeFilterChange) {
  const auto group = addr("232.1.1.1");  // SSM range (RFC 4607)
  auto rx = listen_on_any();
  const core::endpoint dest(group, core::local_endpoint(rx).value().port());

  auto r = core::join_source_group(rx, group, sender_addr(0), rx_index());
  ASSERT_TRUE(r) << r.error().message();
  send_from_both(dest);
  EXPECT_EQ(drain(rx), (std::multiset<std::string>{"from h0"})) << "only the included source";
  auto rows = test::run_in(receiver(), read_mcfilter);
  EXPECT_EQ(rows, (std::vector<mcfilter_row>{{rx_index(), group, sender_addr(0), 1, 0}}));

  // Switch to the other sender in one call, without leaving.
  const std::array<core::ip_address, 1> only_h1{sender_addr(1)};
  r = core::set_source_filter(rx, group, rx_index(), core::filter_mode::include, only_h1);
  ASSERT_TRUE(r) << r.error().message();
  send_from_both(dest);
  EXPECT_EQ(drain(rx), (std::multiset<std::string>{"from h1"}));
  rows = test::run_in(receiver(), read_mcfilter);
  EXPECT_EQ(rows, (std::vector<mcfilter_row>{{rx_index(), group, sender_addr(1), 1, 0}}));

  std::array<core::ip_address, 4> out{};
  auto state = core::source_filter(rx, group, rx_index(), out);
  ASSERT_TRUE(state) << state.error().message();
  EXPECT_EQ(state->mode, core::filter_mode::include);
  ASSERT_EQ(state->count, 1u);
  EXPECT_EQ(out[0], sender_addr(1));

  // Add the first back as a second source, then drop the second.
  ASSERT_TRUE(core::join_source_group(rx, group, sender_addr(0), rx_index()));
  send_from_both(dest);
  EXPECT_EQ(drain(rx), (std::multiset<std::string>{"from h0", "from h1"}));
  ASSERT_TRUE(core::leave_source_group(rx, group, sender_addr(1), rx_index()));
  send_from_both(dest);
  EXPECT_EQ(drain(rx), (std::multiset<std::string>{"from h0"}));

  // Include with no sources is a leave.
  ASSERT_TRUE(core::set_source_filter(rx, group, rx_index(), core::filter_mode::include, {}));
  send_from_both(dest);
  EXPECT_TRUE(drain(rx).empty());
  EXPECT_TRUE(test::run_in(receiver(), read_mcfilter).empty());
}

MCNET_OPTION_COVERED_BY(join_source_group, NetSsm, IncludeThenWholeFilterChange);
MCNET_OPTION_COVERED_BY(leave_source_group, NetSsm, IncludeThenWholeFilterChange);
MCNET_OPTION_COVERED_BY(source_filter, NetSsm, IncludeThenWholeFilterChange);

TEST_F(NetSsm, ExcludeBlocksOneSender) {
  const auto group = addr("239.255.6.1");
  auto rx = listen_on_any();
  const core::endpoint dest(group, core::local_endpoint(rx).value().port());
  ASSERT_TRUE(core::join_group(rx, group, rx_index()));
  send_from_both(dest);
  EXPECT_EQ(drain(rx), (std::multiset<std::string>{"from h0", "from h1"}));

  auto r = core::block_source(rx, group, sender_addr(1), rx_index());
  ASSERT_TRUE(r) << r.error().message();
  send_from_both(dest);
  EXPECT_EQ(drain(rx), (std::multiset<std::string>{"from h0"})) << "all but the blocked source";
  auto rows = test::run_in(receiver(), read_mcfilter);
  EXPECT_EQ(rows, (std::vector<mcfilter_row>{{rx_index(), group, sender_addr(1), 0, 1}}));

  std::array<core::ip_address, 4> out{};
  auto state = core::source_filter(rx, group, rx_index(), out);
  ASSERT_TRUE(state);
  EXPECT_EQ(state->mode, core::filter_mode::exclude);
  ASSERT_EQ(state->count, 1u);
  EXPECT_EQ(out[0], sender_addr(1));

  // Whole-filter change in exclude mode: block the other one instead.
  const std::array<core::ip_address, 1> block_h0{sender_addr(0)};
  ASSERT_TRUE(core::set_source_filter(rx, group, rx_index(), core::filter_mode::exclude, block_h0));
  send_from_both(dest);
  EXPECT_EQ(drain(rx), (std::multiset<std::string>{"from h1"}));

  ASSERT_TRUE(core::unblock_source(rx, group, sender_addr(0), rx_index()));
  send_from_both(dest);
  EXPECT_EQ(drain(rx), (std::multiset<std::string>{"from h0", "from h1"}));
  EXPECT_TRUE(test::run_in(receiver(), read_mcfilter).empty());
}

MCNET_OPTION_COVERED_BY(join_group, NetSsm, ExcludeBlocksOneSender);
MCNET_OPTION_COVERED_BY(block_source, NetSsm, ExcludeBlocksOneSender);
MCNET_OPTION_COVERED_BY(unblock_source, NetSsm, ExcludeBlocksOneSender);

TEST(NetMembership, Ipv6SourceSpecific) {
  MCNET_REQUIRE_NETNS();
  auto net = test::network::lan(3);
  const auto group = addr("ff3e::8000:1");  // IPv6 SSM range ff3x::/32
  auto rx = test::run_in((*net)[2], [&] {
    auto s = core::listen_udp(core::endpoint::parse("[::]:0").value()).value();
    EXPECT_TRUE(core::join_source_group(s, group, (*net)[0].v6(), (*net)[2].iface().index));
    return s;
  });
  const core::endpoint dest(group, core::local_endpoint(rx).value().port());
  for (std::size_t i : {0u, 1u}) {
    test::run_in((*net)[i], [&] {
      auto s = core::listen_udp(core::endpoint((*net)[i].v6(), 0)).value();
      test::multicast_out(s, true, (*net)[i].iface().index, 1);
      test::send_text(s, dest, "from h" + std::to_string(i));
    });
  }
  EXPECT_EQ(drain(rx), (std::multiset<std::string>{"from h0"}));
  std::array<core::ip_address, 2> out{};
  auto state = core::source_filter(rx, group, (*net)[2].iface().index, out);
  ASSERT_TRUE(state) << state.error().message();
  EXPECT_EQ(state->mode, core::filter_mode::include);
  EXPECT_EQ(out[0], (*net)[0].v6());
}

// An IPv4 group on a dual-stack IPv6 socket is joined at IPPROTO_IP.
TEST(NetMembership, Ipv4GroupOnDualStackSocket) {
  MCNET_REQUIRE_NETNS();
  auto net = test::network::lan(2);
  const auto group = addr("239.255.8.1");
  auto rx = test::run_in((*net)[1], [&] {
    auto s = core::listen_udp(core::endpoint::parse("[::]:0").value()).value();
    auto r = core::join_group(s, group.map_v6(), (*net)[1].iface().index);  // mapped form accepted too
    EXPECT_TRUE(r) << r.error().message();
    return s;
  });
  const core::endpoint dest(group, core::local_endpoint(rx).value().port());
  test::run_in((*net)[0], [&] {
    auto s = core::dial_udp(dest).value();
    test::multicast_out(s, false, (*net)[0].iface().index, 1);
    test::send_text(s, {}, "v4 on v6");
  });
  test::owned_message in;
  ASSERT_TRUE(core::read_from(rx, in.m, core::cmsg::none, core::wait_policy::deadline(2s)));
  EXPECT_EQ(in.text(), "v4 on v6");
  EXPECT_EQ(in.m.peer.address(), (*net)[0].v4().map_v6()) << "a dual-stack socket sees IPv4 peers mapped";
  EXPECT_TRUE(core::leave_group(rx, group, (*net)[1].iface().index));
}

MCNET_OPTION_COVERED_BY(leave_group, NetMembership, Ipv4GroupOnDualStackSocket);

TEST(NetMembership, LimitsNameTheirSysctlWithItsValue) {
  MCNET_REQUIRE_NETNS();
  auto net = test::network::lan(1);
  const auto& h = (*net)[0];
  const auto ifindex = h.iface().index;
  test::run_in(h, [&] {
    // 21st group on one socket (net.ipv4.igmp_max_memberships = 20).
    auto s = core::listen_udp(core::endpoint::parse("0.0.0.0:0").value()).value();
    for (std::uint8_t i = 1; i <= 20; ++i) {
      ASSERT_TRUE(core::join_group(s, core::ip_address::v4(239, 255, 9, i), ifindex)) << int{i};
    }
    auto r = core::join_group(s, core::ip_address::v4(239, 255, 9, 21), ifindex);
    ASSERT_FALSE(r);
    EXPECT_EQ(r.error().code, std::errc::no_buffer_space);
    EXPECT_EQ(r.error().number(), 20);
    EXPECT_NE(r.error().message().find("net.ipv4.igmp_max_memberships is 20"), std::string::npos)
        << r.error().message();

    // 11th source for one group (net.ipv4.igmp_max_msf = 10).
    auto ssm = core::listen_udp(core::endpoint::parse("0.0.0.0:0").value()).value();
    const auto group = core::ip_address::v4(232, 9, 9, 9);
    for (std::uint8_t i = 1; i <= 10; ++i) {
      ASSERT_TRUE(core::join_source_group(ssm, group, core::ip_address::v4(10, 77, 9, i), ifindex)) << int{i};
    }
    r = core::join_source_group(ssm, group, core::ip_address::v4(10, 77, 9, 11), ifindex);
    ASSERT_FALSE(r);
    EXPECT_EQ(r.error().code, std::errc::no_buffer_space);
    EXPECT_NE(r.error().message().find("net.ipv4.igmp_max_msf is 10"), std::string::npos) << r.error().message();

    // Blocking counts against the same source limit.
    auto asm_socket = core::listen_udp(core::endpoint::parse("0.0.0.0:0").value()).value();
    const auto asm_group = core::ip_address::v4(239, 255, 9, 99);
    ASSERT_TRUE(core::join_group(asm_socket, asm_group, ifindex));
    for (std::uint8_t i = 1; i <= 10; ++i) {
      ASSERT_TRUE(core::block_source(asm_socket, asm_group, core::ip_address::v4(10, 77, 9, i), ifindex));
    }
    r = core::block_source(asm_socket, asm_group, core::ip_address::v4(10, 77, 9, 11), ifindex);
    ASSERT_FALSE(r);
    EXPECT_NE(r.error().message().find("igmp_max_msf"), std::string::npos) << r.error().message();
  });

  // The value is read live from the namespace.
  h.ns().write_sysctl("net.ipv4.igmp_max_memberships", "3");
  test::run_in(h, [&] {
    auto s = core::listen_udp(core::endpoint::parse("0.0.0.0:0").value()).value();
    for (std::uint8_t i = 1; i <= 3; ++i) ASSERT_TRUE(core::join_group(s, core::ip_address::v4(239, 255, 10, i), ifindex));
    auto r = core::join_group(s, core::ip_address::v4(239, 255, 10, 4), ifindex);
    ASSERT_FALSE(r);
    EXPECT_NE(r.error().message().find("igmp_max_memberships is 3"), std::string::npos) << r.error().message();
  });
}

TEST(NetMembership, ArgumentsAreCheckedBeforeTheKernel) {
  MCNET_REQUIRE_NETNS();
  auto net = test::network::lan(1);
  const auto ifindex = (*net)[0].iface().index;
  test::run_in((*net)[0], [&] {
    auto v4 = core::listen_udp(core::endpoint::parse("0.0.0.0:0").value()).value();
    auto r = core::join_group(v4, addr("10.77.0.1"), ifindex);
    ASSERT_FALSE(r);
    EXPECT_EQ(r.error().code, mcnet::errc::not_multicast);
    EXPECT_NE(r.error().message().find("10.77.0.1"), std::string::npos) << r.error().message();

    for (const char* bad_source : {"239.1.1.1", "0.0.0.0", "255.255.255.255"}) {
      r = core::join_source_group(v4, addr("232.1.1.1"), addr(bad_source), ifindex);
      ASSERT_FALSE(r) << bad_source;
      EXPECT_EQ(r.error().code, mcnet::errc::source_not_unicast) << bad_source;
      EXPECT_NE(r.error().message().find(bad_source), std::string::npos) << r.error().message();
    }
    r = core::join_source_group(v4, addr("232.1.1.1"), addr("fd77::1"), ifindex);
    ASSERT_FALSE(r);
    EXPECT_EQ(r.error().code, mcnet::errc::family_mismatch);

    r = core::join_group(v4, addr("ff1e::1"), ifindex);
    ASSERT_FALSE(r);
    EXPECT_EQ(r.error().code, mcnet::errc::family_mismatch);
    EXPECT_NE(r.error().message().find("AF_INET6"), std::string::npos) << r.error().message();

    const std::vector<core::ip_address> too_many(core::max_filter_sources + 1, addr("10.77.0.1"));
    r = core::set_source_filter(v4, addr("239.1.1.1"), ifindex, core::filter_mode::exclude, too_many);
    ASSERT_FALSE(r);
    EXPECT_EQ(r.error().code, mcnet::errc::value_out_of_range);
  });
}

TEST(NetMembership, KernelErrorsAreExplained) {
  MCNET_REQUIRE_NETNS();
  auto net = test::network::lan(1);
  const auto ifindex = (*net)[0].iface().index;
  test::run_in((*net)[0], [&] {
    auto s = core::listen_udp(core::endpoint::parse("0.0.0.0:0").value()).value();
    const auto group = addr("239.255.11.1");

    auto r = core::leave_group(s, group, ifindex);
    ASSERT_FALSE(r);
    EXPECT_EQ(r.error().code, std::errc::address_not_available);
    EXPECT_NE(r.error().message().find("not joined"), std::string::npos) << r.error().message();

    r = core::block_source(s, group, addr("10.77.0.5"), ifindex);
    ASSERT_FALSE(r);
    EXPECT_EQ(r.error().code, std::errc::invalid_argument);
    EXPECT_NE(r.error().message().find("need an any-source join"), std::string::npos) << r.error().message();

    r = core::leave_source_group(s, addr("232.1.1.1"), addr("10.77.0.5"), ifindex);
    ASSERT_FALSE(r);
    EXPECT_NE(r.error().message().find("source-specific join"), std::string::npos) << r.error().message();

    r = core::set_source_filter(s, group, ifindex, core::filter_mode::exclude, {});
    ASSERT_FALSE(r);
    EXPECT_EQ(r.error().code, std::errc::invalid_argument);
    EXPECT_NE(r.error().message().find("needs a join"), std::string::npos) << r.error().message();

    std::array<core::ip_address, 1> out;
    auto state = core::source_filter(s, group, ifindex, out);
    ASSERT_FALSE(state);
    EXPECT_EQ(state.error().code, std::errc::address_not_available);
    EXPECT_EQ(state.error().op, "getsockopt");

    r = core::join_group(s, group, 999);
    ASSERT_FALSE(r);
    EXPECT_EQ(r.error().code, std::errc::no_such_device);
    EXPECT_EQ(r.error().interface_index(), 999u);
    EXPECT_NE(r.error().message().find("no interface with index 999"), std::string::npos) << r.error().message();

    ASSERT_TRUE(core::join_group(s, group, ifindex));
    r = core::join_group(s, group, ifindex);
    ASSERT_FALSE(r);
    EXPECT_EQ(r.error().code, std::errc::address_in_use);
    EXPECT_NE(r.error().message().find("already joined"), std::string::npos) << r.error().message();

    // With a blocked source the membership is in exclude mode: no include join.
    // (On a plain any-source join with nothing blocked, Linux switches the
    // membership to include mode instead.)
    ASSERT_TRUE(core::block_source(s, group, addr("10.77.0.6"), ifindex));
    r = core::join_source_group(s, group, addr("10.77.0.5"), ifindex);
    ASSERT_FALSE(r);
    EXPECT_EQ(r.error().code, std::errc::invalid_argument);
    EXPECT_NE(r.error().message().find("any-source (exclude) mode"), std::string::npos) << r.error().message();

    r = core::unblock_source(s, group, addr("10.77.0.5"), ifindex);
    ASSERT_FALSE(r);
    EXPECT_EQ(r.error().code, std::errc::address_not_available);
    EXPECT_NE(r.error().message().find("not blocked"), std::string::npos) << r.error().message();
  });
}

TEST(NetMembership, SourcesAreNamedAsSources) {
  MCNET_REQUIRE_NETNS();
  auto net = test::network::lan(1);
  const auto ifindex = (*net)[0].iface().index;
  test::run_in((*net)[0], [&] {
    auto v4 = core::listen_udp(core::endpoint::parse("0.0.0.0:0").value()).value();
    auto r = core::join_source_group(v4, addr("232.1.1.1"), addr("239.1.1.1"), ifindex);
    ASSERT_FALSE(r);
    EXPECT_EQ(r.error().code, mcnet::errc::source_not_unicast);
    EXPECT_EQ(r.error().source(), addr("239.1.1.1"));
    EXPECT_EQ(r.error().address(), addr("232.1.1.1"));
    const auto text = r.error().message();
    EXPECT_NE(text.find("source 239.1.1.1 is a multicast address"), std::string::npos) << text;
    EXPECT_EQ(text.find("group 239.1.1.1"), std::string::npos) << "the source is not called a group: " << text;

    r = core::join_source_group(v4, addr("232.1.1.1"), addr("0.0.0.0"), ifindex);
    ASSERT_FALSE(r);
    EXPECT_NE(r.error().message().find("source 0.0.0.0 is the unspecified address"), std::string::npos)
        << r.error().message();

    r = core::block_source(v4, addr("239.255.1.1"), addr("fd77::1"), ifindex);
    ASSERT_FALSE(r);
    EXPECT_EQ(r.error().code, mcnet::errc::family_mismatch);
    EXPECT_NE(r.error().message().find("source fd77::1"), std::string::npos) << r.error().message();

    auto v6 = core::listen_udp(core::endpoint::parse("[::]:0").value()).value();
    r = core::join_source_group(v6, addr("ff3e::8000:1"), addr("ff1e::5"), ifindex);
    ASSERT_FALSE(r);
    EXPECT_NE(r.error().message().find("source ff1e::5 is a multicast address"), std::string::npos)
        << r.error().message();

    // Kernel errors of source calls name the source as well as the group.
    r = core::leave_source_group(v4, addr("232.1.1.1"), addr("10.77.0.5"), ifindex);
    ASSERT_FALSE(r);
    EXPECT_EQ(r.error().source(), addr("10.77.0.5"));
    EXPECT_NE(r.error().message().find("(group 232.1.1.1, source 10.77.0.5"), std::string::npos)
        << r.error().message();
  });
}

TEST(NetMembership, ASecondJoinSaysAlreadyJoined) {
  MCNET_REQUIRE_NETNS();
  auto net = test::network::lan(1);
  const auto ifindex = (*net)[0].iface().index;
  test::run_in((*net)[0], [&] {
    struct family_case {
      const char* any;
      const char* asm_group;
      const char* ssm_group;
      const char* source;
    };
    for (const auto& c : {family_case{"0.0.0.0:0", "239.255.12.1", "232.12.1.1", "10.77.0.5"},
                          family_case{"[::]:0", "ff1e::12:1", "ff3e::8000:12", "fd77::5"}}) {
      auto s = core::listen_udp(core::endpoint::parse(c.any).value()).value();
      ASSERT_TRUE(core::join_group(s, addr(c.asm_group), ifindex));
      auto r = core::join_group(s, addr(c.asm_group), ifindex);
      ASSERT_FALSE(r) << c.asm_group;
      EXPECT_EQ(r.error().code, std::errc::address_in_use) << "the kernel's code is kept";
      EXPECT_NE(r.error().message().find("already joined"), std::string::npos) << r.error().message();

      ASSERT_TRUE(core::join_source_group(s, addr(c.ssm_group), addr(c.source), ifindex));
      r = core::join_source_group(s, addr(c.ssm_group), addr(c.source), ifindex);
      ASSERT_FALSE(r) << c.ssm_group;
      // Linux answers the same (S,G) again with EADDRNOTAVAIL, which alone
      // would read "no usable address"; the filter says it is a duplicate.
      EXPECT_EQ(r.error().code, std::errc::address_not_available) << "the kernel's code is kept";
      EXPECT_NE(r.error().message().find("already joined"), std::string::npos) << r.error().message();
      EXPECT_NE(r.error().message().find(std::string("from ") + c.source), std::string::npos) << r.error().message();
      EXPECT_EQ(r.error().message().find("no usable address"), std::string::npos) << r.error().message();
    }
  });
}

// Both limits of an IPv4 join answer ENOBUFS: the membership count
// (igmp_max_memberships) and the socket's option memory (optmem_max, per
// namespace since Linux 6.9). With the defaults of a 6.x kernel
// (optmem_max 131072) memory runs out at the 2731st group, whatever
// igmp_max_memberships says; the error names the limit really hit.
TEST(NetMembership, NoBufferSpaceNamesTheLimitReallyHit) {
  MCNET_REQUIRE_NETNS();
  auto net = test::network::lan(1);
  const auto& h = (*net)[0];
  const auto ifindex = h.iface().index;
  h.ns().write_sysctl("net.ipv4.igmp_max_memberships", "5000");
  h.ns().write_sysctl("net.core.optmem_max", "4800");  // about a hundred memberships
  const auto join_until_refused = [&](core::socket_ref s, std::uint8_t third, int& joined) {
    mcnet::result<void> r;
    for (joined = 0; joined < 5000; ++joined) {  // bounded; refused long before
      r = core::join_group(s, core::ip_address::v4(239, third, static_cast<std::uint8_t>(joined / 250),
                                                   static_cast<std::uint8_t>(joined % 250 + 1)),
                           ifindex);
      if (!r) break;
    }
    return r;
  };
  test::run_in(h, [&] {
    auto s = core::listen_udp(core::endpoint::parse("0.0.0.0:0").value()).value();
    int joined = 0;
    auto r = join_until_refused(s, 21, joined);
    ASSERT_FALSE(r);
    EXPECT_LT(joined, 5000);
    EXPECT_EQ(r.error().code, std::errc::no_buffer_space) << "the kernel's code is kept";
    EXPECT_EQ(r.error().number(), 4800);
    EXPECT_NE(r.error().message().find("net.core.optmem_max is 4800"), std::string::npos) << r.error().message();
    EXPECT_EQ(r.error().message().find("igmp_max_memberships"), std::string::npos) << r.error().message();
    RecordProperty("groups_joined_at_optmem_max_4800", joined);
  });

  h.ns().write_sysctl("net.core.optmem_max", "131072");
  h.ns().write_sysctl("net.ipv4.igmp_max_memberships", "50");
  test::run_in(h, [&] {
    auto s = core::listen_udp(core::endpoint::parse("0.0.0.0:0").value()).value();
    int joined = 0;
    auto r = join_until_refused(s, 22, joined);
    ASSERT_FALSE(r);
    EXPECT_EQ(joined, 50);
    EXPECT_NE(r.error().message().find("net.ipv4.igmp_max_memberships is 50"), std::string::npos)
        << r.error().message();
  });

  // Sources: below igmp_max_msf, growing the source list is what failed.
  h.ns().write_sysctl("net.ipv4.igmp_max_msf", "100");
  h.ns().write_sysctl("net.core.optmem_max", "200");
  test::run_in(h, [&] {
    auto s = core::listen_udp(core::endpoint::parse("0.0.0.0:0").value()).value();
    const auto group = core::ip_address::v4(232, 21, 0, 1);
    mcnet::result<void> r;
    for (std::uint8_t i = 1; i <= 100 && r; ++i) {
      r = core::join_source_group(s, group, core::ip_address::v4(10, 77, 21, i), ifindex);
    }
    ASSERT_FALSE(r);
    EXPECT_EQ(r.error().code, std::errc::no_buffer_space);
    EXPECT_NE(r.error().message().find("net.core.optmem_max is 200"), std::string::npos) << r.error().message();
    EXPECT_EQ(r.error().message().find("igmp_max_msf"), std::string::npos) << r.error().message();
  });
}

}  // namespace
