// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The mcnet authors
//
// mcnet on a real Boost.Asio socket: socket_ref takes it (asio's
// native_handle() is not const), options and membership work through it,
// and asio's event loop (async_wait on readable) drives core::receive_batch.

#include <gtest/gtest.h>

#include <chrono>
#include <functional>
#include <string>
#include <type_traits>
#include <utility>  // before asio: Boost 1.74's awaitable.hpp uses std::exchange without it

#include <boost/asio.hpp>

#include <mcnet/core/dial.hpp>
#include <mcnet/core/membership.hpp>
#include <mcnet/core/receive_batch.hpp>
#include <mcnet/core/socket_ops.hpp>
#include <mcnet/core/socket_options.hpp>

#include "datagram_helpers.hpp"
#include "lan.hpp"
#include "privilege.hpp"

namespace asio = boost::asio;
namespace core = mcnet::core;
namespace test = mcnet::test;
using namespace std::chrono_literals;

namespace {

// The stand-in the earlier test used had a const native_handle(); asio's is not.
static_assert(std::is_convertible_v<asio::ip::udp::socket&, core::socket_ref>, "a mutable asio socket converts");
static_assert(!std::is_convertible_v<const asio::ip::udp::socket&, core::socket_ref>,
              "asio gives no descriptor out of a const socket, so neither does socket_ref");
static_assert(std::is_convertible_v<const core::socket&, core::socket_ref>);
static_assert(!std::is_convertible_v<int, core::socket_ref>);

TEST(Asio, SocketRefAndOptionsOnARealAsioSocket) {
  asio::io_context io;
  asio::ip::udp::socket s(io, asio::ip::udp::v4());  // opened, never bound: nothing is sent
  core::socket_ref ref = s;
  EXPECT_EQ(ref.native_handle(), s.native_handle());
  ASSERT_TRUE(core::set(s, core::opt::reuse_address, true));
  EXPECT_TRUE(core::get(s, core::opt::reuse_address).value());
  asio::socket_base::reuse_address seen;
  s.get_option(seen);
  EXPECT_TRUE(seen.value()) << "asio sees what mcnet set";
}

TEST(NetAsio, EventLoopWakesAndBatchesReceive) {
  MCNET_REQUIRE_NETNS();
  auto net = test::network::lan(2);
  const auto& rx_host = (*net)[1];
  const auto group = core::ip_address::v4(239, 255, 32, 1);
  asio::io_context io;
  asio::ip::udp::socket rx(io);
  test::run_in(rx_host, [&] {  // the socket belongs to the namespace it is opened in
    rx.open(asio::ip::udp::v4());
    rx.bind({asio::ip::address_v4::any(), 0});
  });
  ASSERT_TRUE(core::join_group(rx, group, rx_host.iface().index));
  test::enable_metadata(rx, false);
  const core::endpoint dest(group, rx.local_endpoint().port());
  auto tx = test::run_in((*net)[0], [&] {
    auto s = core::dial_udp(dest).value();
    test::multicast_out(s, false, (*net)[0].iface().index, 2);
    return s;
  });

  // Three bursts, sent from timers on the loop itself; each wake-up takes a
  // burst with recvmmsg, without blocking the loop.
  constexpr int kBursts = 3;
  constexpr int kPerBurst = 7;
  auto batch = core::receive_batch::make(4, 256).value();
  std::vector<std::string> got;
  int wakeups = 0;
  int reads = 0;
  asio::steady_timer sender(io);
  int bursts = 0;
  std::function<void()> send_burst = [&] {
    for (int i = 0; i < kPerBurst; ++i) test::send_text(tx, {}, "burst" + std::to_string(bursts) + "." + std::to_string(i));
    if (++bursts == kBursts) return;
    sender.expires_after(50ms);
    sender.async_wait([&](const boost::system::error_code& ec) { if (!ec) send_burst(); });
  };
  std::function<void()> arm = [&] {
    rx.async_wait(asio::socket_base::wait_read, [&](const boost::system::error_code& ec) {
      if (ec) return;
      ++wakeups;
      while (auto n = batch.read(rx, core::cmsg::pktinfo | core::cmsg::hop_limit, core::wait_policy::nonblocking())) {
        ++reads;
        for (const auto& m : batch) {
          EXPECT_EQ(m.info.destination, group);
          EXPECT_EQ(m.info.hop_limit, 2);
          got.emplace_back(reinterpret_cast<const char*>(m.payload().data()), m.size);
        }
      }
      if (got.size() < static_cast<std::size_t>(kBursts * kPerBurst)) arm();
    });
  };
  arm();
  asio::post(io, send_burst);
  io.run_for(5s);

  ASSERT_EQ(got.size(), static_cast<std::size_t>(kBursts * kPerBurst));
  for (int b = 0; b < kBursts; ++b) {
    for (int i = 0; i < kPerBurst; ++i) {
      EXPECT_EQ(got[static_cast<std::size_t>(b * kPerBurst + i)], "burst" + std::to_string(b) + "." + std::to_string(i));
    }
  }
  EXPECT_GE(wakeups, kBursts) << "one wake-up a burst at least";
  EXPECT_GE(reads, kBursts * 2) << "seven datagrams need two reads of four";
}

}  // namespace
