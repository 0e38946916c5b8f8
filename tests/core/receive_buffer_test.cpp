// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The mcnet authors
//
// set_receive_buffer: the size granted and, when net.core.rmem_max clamps
// it, how to raise it. rmem_max is read-only inside a namespace (it is the
// host's), so the test reads it and asks for more.

#include <gtest/gtest.h>

#include <linux/capability.h>

#include <mcnet/core/receive_buffer.hpp>
#include <mcnet/core/socket.hpp>
#include <mcnet/core/sysctl.hpp>

#include "capabilities.hpp"
#include "lan.hpp"
#include "privilege.hpp"

namespace core = mcnet::core;

namespace {

core::socket udp_socket() { return core::socket::open(AF_INET, SOCK_DGRAM).value(); }

TEST(ReceiveBuffer, RejectsImpossibleSizesBeforeTheKernel) {
  auto s = udp_socket();
  for (std::int64_t bad : {std::int64_t{-1}, std::int64_t{1} << 40}) {
    auto r = core::set_receive_buffer(s, bad);
    ASSERT_FALSE(r) << bad;
    EXPECT_EQ(r.error().code, mcnet::errc::value_out_of_range);
    EXPECT_EQ(r.error().number(), bad);
  }
}

TEST(ReceiveBuffer, GrantHint) {
  core::buffer_grant fine{.requested = 1000, .granted = 2000, .rmem_max = 212992, .forced = false};
  EXPECT_FALSE(fine.clamped());
  EXPECT_EQ(fine.hint(), "");
  core::buffer_grant clamped{.requested = 8388608, .granted = 425984, .rmem_max = 212992, .forced = false};
  EXPECT_TRUE(clamped.clamped());
  EXPECT_EQ(clamped.effective(), 212992);
  EXPECT_EQ(clamped.hint(),
            "SO_RCVBUF 8388608 was clamped to 212992 by net.core.rmem_max=212992; raise it with `sysctl -w "
            "net.core.rmem_max=8388608` (on the host: it is read-only inside a network namespace) or use "
            "SO_RCVBUFFORCE (CAP_NET_ADMIN)");
}

TEST(NetReceiveBuffer, ReportsTheClampAndHowToRaiseIt) {
  MCNET_REQUIRE_NETNS();
  auto net = mcnet::test::network::lan(1);
  (*net)[0].run([] {
    auto limit = core::read_sysctl("net.core.rmem_max");
    ASSERT_TRUE(limit) << limit.error().message();
    auto s = udp_socket();

    auto small = core::set_receive_buffer(s, 4096);
    ASSERT_TRUE(small) << small.error().message();
    EXPECT_FALSE(small->clamped());
    EXPECT_EQ(small->granted, 8192) << "the kernel doubles what it accepts";
    EXPECT_EQ(small->rmem_max, *limit);

    const std::int64_t want = *limit * 4;
    auto big = core::set_receive_buffer(s, want);
    ASSERT_TRUE(big) << big.error().message();
    EXPECT_TRUE(big->clamped());
    EXPECT_FALSE(big->forced);
    EXPECT_EQ(big->granted, 2 * *limit);
    EXPECT_NE(big->hint().find("net.core.rmem_max=" + std::to_string(want)), std::string::npos) << big->hint();

    auto forced = core::set_receive_buffer(s, want, core::buffer_request::force);
    ASSERT_TRUE(forced) << forced.error().message();
    EXPECT_TRUE(forced->forced);
    EXPECT_FALSE(forced->clamped());
    EXPECT_EQ(forced->granted, 2 * want);
  });
}

TEST(NetReceiveBuffer, ForceWithoutPrivilege) {
  MCNET_REQUIRE_NETNS();
  auto net = mcnet::test::network::lan(1);
  (*net)[0].run([] {
    mcnet::test::drop_capabilities_on_this_thread({CAP_NET_ADMIN});
    auto s = udp_socket();
    const std::int64_t want = core::read_sysctl("net.core.rmem_max").value() * 2;
    auto refused = core::set_receive_buffer(s, want, core::buffer_request::force);
    ASSERT_FALSE(refused);
    EXPECT_EQ(refused.error().code, std::errc::operation_not_permitted);
    EXPECT_NE(refused.error().message().find("CAP_NET_ADMIN"), std::string::npos) << refused.error().message();

    auto fallback = core::set_receive_buffer(s, want, core::buffer_request::force_if_permitted);
    ASSERT_TRUE(fallback) << fallback.error().message();
    EXPECT_FALSE(fallback->forced);
    EXPECT_TRUE(fallback->clamped());
  });
}

TEST(NetSysctl, ReadsTheCallersNamespace) {
  MCNET_REQUIRE_NETNS();
  auto net = mcnet::test::network::lan(1);
  const auto& h = (*net)[0];
  h.ns().write_sysctl("net.ipv4.igmp_max_memberships", "33");
  h.run([] {
    EXPECT_EQ(core::read_sysctl("net.ipv4.igmp_max_memberships").value(), 33);
    auto missing = core::read_sysctl("net.ipv4.no_such_knob");
    ASSERT_FALSE(missing);
    EXPECT_EQ(missing.error().code, std::errc::no_such_file_or_directory);
    EXPECT_EQ(missing.error().input(), "net.ipv4.no_such_knob");
    auto not_number = core::read_sysctl("net.ipv4.tcp_congestion_control");
    ASSERT_FALSE(not_number);
    EXPECT_EQ(not_number.error().code, mcnet::errc::value_out_of_range);
  });
  EXPECT_NE(core::read_sysctl("net.ipv4.igmp_max_memberships").value_or(33), 33)
      << "the caller's own namespace is untouched";
}

}  // namespace
