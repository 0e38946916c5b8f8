// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The mcnet authors

#include <gtest/gtest.h>

#include <mcnet/core/interface.hpp>

#include "lan.hpp"
#include "privilege.hpp"

namespace core = mcnet::core;

namespace {

TEST(InterfaceRef, KernelChoiceIsIndexZero) {
  auto k = core::interface_ref::kernel_choice();
  EXPECT_TRUE(k.is_kernel_choice());
  EXPECT_EQ(k.index, 0u);
  EXPECT_TRUE(k.name.empty());
}

TEST(NetInterfaceRef, LooksUpByNameAndIndexInsideTheHost) {
  MCNET_REQUIRE_NETNS();
  auto net = mcnet::test::network::create({.lans = 2, .hosts = {{.lans = {0, 1}}}});
  const auto& h = (*net)[0];
  h.run([&] {
    auto by_name = core::interface_ref::by_name("eth1");
    ASSERT_TRUE(by_name) << by_name.error().message();
    EXPECT_EQ(by_name->index, h.interfaces()[1].index);
    EXPECT_EQ(by_name->name.view(), "eth1");
    auto by_index = core::interface_ref::by_index(h.interfaces()[0].index);
    ASSERT_TRUE(by_index) << by_index.error().message();
    EXPECT_EQ(by_index->name.view(), "eth0");
    EXPECT_EQ(*by_index, h.iface(0));

    auto missing = core::interface_ref::by_name("eth5");
    ASSERT_FALSE(missing);
    EXPECT_EQ(missing.error().code, mcnet::errc::no_such_interface);
    EXPECT_EQ(missing.error().input(), "eth5");
    auto bad_index = core::interface_ref::by_index(9999);
    ASSERT_FALSE(bad_index);
    EXPECT_EQ(bad_index.error().code, mcnet::errc::no_such_interface);
    EXPECT_EQ(bad_index.error().interface_index(), 9999u);
    EXPECT_NE(bad_index.error().message().find("9999"), std::string::npos);
    auto s = core::socket::open(AF_INET, SOCK_DGRAM).value();
    auto via_socket = core::interface_ref::by_index(s, h.interfaces()[1].index);
    ASSERT_TRUE(via_socket) << via_socket.error().message();
    EXPECT_EQ(via_socket->name.view(), "eth1");
    auto too_long = core::interface_ref::by_name("a-very-long-interface-name");
    ASSERT_FALSE(too_long);
    EXPECT_EQ(too_long.error().code, mcnet::errc::value_out_of_range);
  });
}

// A socket made in a host answers for the host's interfaces even when asked
// from a thread in another namespace.
TEST(NetInterfaceRef, ByIndexThroughASocketUsesTheSocketsNamespace) {
  MCNET_REQUIRE_NETNS();
  auto net = mcnet::test::network::lan(1);
  const auto& h = (*net)[0];
  auto s = h.run([] { return core::socket::open(AF_INET, SOCK_DGRAM).value(); });
  auto r = core::interface_ref::by_index(s, h.iface().index);  // this thread is not in h
  ASSERT_TRUE(r) << r.error().message();
  EXPECT_EQ(r->name.view(), "eth0");
  auto missing = core::interface_ref::by_index(s, 777);
  ASSERT_FALSE(missing);
  EXPECT_EQ(missing.error().code, mcnet::errc::no_such_interface);
}

}  // namespace
