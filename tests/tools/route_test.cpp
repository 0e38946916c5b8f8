// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The mcnet authors
//
// route_interface's contract, inside a namespace LAN: the interface of the
// kernel's route to a group; with a source, the interface owning it; index 0
// when the source is not local (nothing is sent: the kernel is asked over
// rtnetlink).

#include <gtest/gtest.h>

#include <mcnet/tools/route.hpp>

#include "lan.hpp"
#include "privilege.hpp"

namespace core = mcnet::core;
namespace test = mcnet::test;
namespace tools = mcnet::tools;

namespace {

TEST(NetRouteInterface, NamesTheRoutesInterfaceOrNone) {
  MCNET_REQUIRE_NETNS();
  auto net = test::network::lan(1);
  const auto& h = (*net)[0];
  const auto group = core::ip_address::v4(239, 255, 95, 1);
  const auto routed = h.run([&] { return tools::route_interface(group); });
  EXPECT_EQ(routed.index, h.iface().index);
  EXPECT_EQ(routed.name.view(), "eth0");
  const auto from_source = h.run([&] { return tools::route_interface(group, h.v4()); });
  EXPECT_EQ(from_source.index, h.iface().index);
  const auto foreign = h.run([&] { return tools::route_interface(group, core::ip_address::v4(10, 77, 9, 9)); });
  EXPECT_EQ(foreign.index, 0u) << "a source not on the host: unknown";
  EXPECT_TRUE(foreign.name.empty());
}

}  // namespace
