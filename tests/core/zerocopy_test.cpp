// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The mcnet authors
//
// MSG_ZEROCOPY: every send with the flag is completed on the error queue,
// and read_zerocopy_completions counts each one once, for UDP datagrams and
// TCP segments between two hosts of a private LAN.

#include <gtest/gtest.h>

#include <netinet/in.h>
#include <sys/socket.h>

#include <array>
#include <chrono>
#include <cstddef>
#include <set>
#include <span>
#include <thread>
#include <vector>

#include <mcnet/core/dial.hpp>
#include <mcnet/core/socket.hpp>
#include <mcnet/core/socket_ops.hpp>
#include <mcnet/core/socket_options.hpp>
#include <mcnet/core/stream.hpp>
#include <mcnet/core/zerocopy.hpp>

#include "lan.hpp"
#include "privilege.hpp"
#include "tcp_helpers.hpp"

namespace core = mcnet::core;
namespace opt = mcnet::core::opt;
using mcnet::errc;
using namespace std::chrono_literals;

namespace {

TEST(ZerocopyCompletions, RangesCountTheirSendsAcrossTheWrap) {
  core::zerocopy_completions c;
  c.ranges[0] = {0, 9, false};
  c.ranges[1] = {0xffff'fffe, 1, true};  // ids wrap modulo 2^32
  c.size = 2;
  EXPECT_EQ(c.ranges[1].count(), 4u);
  EXPECT_EQ(c.sends(), 14u);
  EXPECT_TRUE(c.any_copied());
  EXPECT_EQ(c.view().size(), 2u);
  EXPECT_EQ((core::zerocopy_range{5, 5, false}.count()), 1u);
}

// The example of zerocopy.hpp as written there, so that it compiles with
// every warning an error ([[nodiscard]] results checked).
mcnet::result<void> header_example(core::socket_ref sock, std::span<const std::byte> payload,
                                   std::uint64_t& released) {
  const auto release = [&](std::uint32_t first, std::uint32_t last) {
    released += core::zerocopy_range{first, last, false}.count();
  };
  // in a function returning mcnet::result<void>
  if (auto on = core::set(sock, core::opt::zerocopy, true); !on) return mcnet::fail(on.error());
  auto sent = core::send_zerocopy(sock, payload);  // keep `payload` until completed
  if (!sent) return mcnet::fail(sent.error());
  core::zerocopy_completions done;
  if (auto n = core::read_zerocopy_completions(sock, done, core::wait_policy::deadline(1s)); n) {
    for (const auto& r : done.view()) release(r.first, r.last);
  } else if (n.error().code != std::errc::timed_out) {
    return mcnet::fail(n.error());
  }
  return {};
}

TEST(ZerocopyCompletions, TheHeadersExampleStopsAtTheFirstError) {
  int fds[2];
  ASSERT_EQ(::socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, fds), 0);
  core::unique_fd a(fds[0]);
  core::unique_fd b(fds[1]);
  const std::array<std::byte, 4> payload{};
  std::uint64_t released = 0;
  auto r = header_example(core::socket_ref(a.get()), payload, released);
  ASSERT_FALSE(r) << "SO_ZEROCOPY does not apply to a Unix socket";
  EXPECT_EQ(r.error().code, std::errc::operation_not_supported);
  EXPECT_EQ(released, 0u);
}

// Read completions until `expected` sends are completed, each id once, or
// until 5 s passed (each read waits at most 1 s).
struct completion_tally {
  std::set<std::uint32_t> ids;
  std::uint64_t sends = 0;
  bool any_copied = false;
};
completion_tally read_completions(core::socket_ref s, std::uint64_t expected) {
  completion_tally t;
  const auto start = std::chrono::steady_clock::now();
  core::zerocopy_completions done;
  while (t.sends < expected && std::chrono::steady_clock::now() - start < 5s) {
    auto n = core::read_zerocopy_completions(s, done, core::wait_policy::deadline(1s));
    if (!n) {
      EXPECT_EQ(n.error().code, errc::timed_out) << n.error().message();
      continue;
    }
    EXPECT_EQ(done.other_messages, 0u);
    for (const auto& r : done.view()) {
      for (std::uint64_t i = 0; i < r.count(); ++i) {
        EXPECT_TRUE(t.ids.insert(static_cast<std::uint32_t>(r.first + i)).second) << "id completed twice";
      }
      t.any_copied = t.any_copied || r.copied;
    }
    t.sends += done.sends();
  }
  return t;
}

TEST(NetZerocopy, EveryUdpDatagramIsCompleted) {
  MCNET_REQUIRE_NETNS();
  auto net = mcnet::test::network::lan(2);
  const auto& sender_host = (*net)[0];
  const auto& receiver_host = (*net)[1];
  auto rx = receiver_host.run([&] { return core::listen_udp(core::endpoint(receiver_host.v4(), 0)).value(); });
  // Room for every datagram unread: the copy the kernel makes on the way in
  // takes whole pages, more than the default buffer holds for 32 of them.
  ASSERT_TRUE(core::set(rx, opt::receive_buffer_force, 4 << 20));
  const auto to = core::local_endpoint(rx).value();
  auto tx = sender_host.run([&] { return core::dial_udp(to).value(); });
  auto on = core::set(tx, opt::zerocopy, true);
  ASSERT_TRUE(on) << on.error().message();

  core::zerocopy_completions none;
  auto empty = core::read_zerocopy_completions(tx, none);
  ASSERT_FALSE(empty);
  EXPECT_EQ(empty.error().code, errc::would_block) << "nothing sent yet";

  constexpr std::uint32_t sent = 32;
  std::array<std::byte, 1000> payload{};
  for (std::uint32_t i = 0; i < sent; ++i) {
    auto n = core::send_zerocopy(tx, payload, core::wait_policy::deadline(1s));
    ASSERT_TRUE(n) << n.error().message();
    EXPECT_EQ(*n, payload.size()) << "a datagram is sent whole";
  }
  const auto t = read_completions(tx, sent);
  EXPECT_EQ(t.sends, sent);
  ASSERT_EQ(t.ids.size(), sent);
  EXPECT_EQ(*t.ids.begin(), 0u) << "ids count the socket's zerocopy sends from 0";
  EXPECT_EQ(*t.ids.rbegin(), sent - 1);
  EXPECT_TRUE(t.any_copied) << "delivered to a socket on this machine: the kernel copies, and says so";
  // A completion can come before its datagram reached the receiving socket
  // (the copy is made on the way in): wait for them, at most 2 s.
  std::size_t received = 0;
  std::array<std::byte, 2048> buffer{};
  for (int i = 0; i < 200 && received < sent; ++i) {
    if (::recv(rx.native_handle(), buffer.data(), buffer.size(), MSG_DONTWAIT) > 0) {
      ++received;
    } else {
      std::this_thread::sleep_for(10ms);
    }
  }
  EXPECT_EQ(received, sent) << "the datagrams arrived as well; dropped: " << core::get(rx, opt::memory_info).value().drops;
}

TEST(NetZerocopy, EveryTcpSendIsCompleted) {
  MCNET_REQUIRE_NETNS();
  auto net = mcnet::test::network::lan(2);
  auto listener = mcnet::test::listen_tcp_on((*net)[1], false);
  auto client = (*net)[0].run([&] { return core::dial_tcp(listener.where, {}, 5s).value(); });
  auto server = core::accept_tcp(listener.socket, 5s).value();
  ASSERT_TRUE(core::set(client, opt::zerocopy, true));

  constexpr std::uint32_t sends = 16;
  std::array<std::byte, 8192> payload{};
  std::array<std::byte, 65536> buffer{};
  std::size_t written = 0;
  std::uint32_t calls = 0;
  for (; calls < sends; ++calls) {
    auto n = core::send_zerocopy(client, payload, core::wait_policy::deadline(2s));
    ASSERT_TRUE(n) << n.error().message();
    ASSERT_GT(*n, 0u);
    written += *n;
    while (::recv(server.native_handle(), buffer.data(), buffer.size(), MSG_DONTWAIT) > 0) {
    }
  }
  // The last segments are completed once acknowledged: keep reading on the
  // server side so nothing waits for window space.
  std::thread drain([&] {
    for (int i = 0; i < 300; ++i) {
      if (::recv(server.native_handle(), buffer.data(), buffer.size(), MSG_DONTWAIT) <= 0) {
        std::this_thread::sleep_for(10ms);
      }
    }
  });
  const auto t = read_completions(client, calls);
  drain.join();
  EXPECT_EQ(t.sends, calls) << "one id per send that sent bytes (" << written << " bytes)";
  EXPECT_EQ(t.ids.size(), calls);
  EXPECT_TRUE(t.any_copied) << "delivered to a socket on this machine: the kernel copies, and says so";
}

TEST(NetZerocopy, WithoutSoZerocopyTheFlagIsIgnored) {
  MCNET_REQUIRE_NETNS();
  auto net = mcnet::test::network::lan(2);
  auto rx = (*net)[1].run([&] { return core::listen_udp(core::endpoint((*net)[1].v4(), 0)).value(); });
  const auto to = core::local_endpoint(rx).value();
  auto tx = (*net)[0].run([&] { return core::dial_udp(to).value(); });
  std::array<std::byte, 100> payload{};
  for (int i = 0; i < 4; ++i) {
    auto n = core::send_zerocopy(tx, payload, core::wait_policy::deadline(1s));
    ASSERT_TRUE(n) << n.error().message();
  }
  core::zerocopy_completions done;
  auto r = core::read_zerocopy_completions(tx, done, core::wait_policy::deadline(200ms));
  ASSERT_FALSE(r) << "the kernel copied as for a plain send: no completion comes";
  EXPECT_EQ(r.error().code, errc::timed_out);
}

// send_zerocopy's errors are named and hinted as write_some's: the peer's
// endpoint, and the hint of the errno. A datagram over 65,535 bytes is
// EMSGSIZE; a datagram to a closed port draws an ICMP port unreachable,
// after which the connected socket's next send fails with ECONNREFUSED.
TEST(NetZerocopy, ErrorsNameThePeerAsWriteSomeDoes) {
  MCNET_REQUIRE_NETNS();
  auto net = mcnet::test::network::lan(2);
  const auto& sender_host = (*net)[0];
  const auto& receiver_host = (*net)[1];
  auto rx = receiver_host.run([&] { return core::listen_udp(core::endpoint(receiver_host.v4(), 0)).value(); });
  const auto to = core::local_endpoint(rx).value();
  auto tx = sender_host.run([&] { return core::dial_udp(to).value(); });
  ASSERT_TRUE(core::set(tx, opt::zerocopy, true));

  const std::vector<std::byte> huge(70000);
  auto big = core::send_zerocopy(tx, huge, core::wait_policy::deadline(1s));
  ASSERT_FALSE(big);
  EXPECT_EQ(big.error().code, std::errc::message_size) << big.error().message();
  EXPECT_EQ(big.error().address(), to.address()) << big.error().message();
  EXPECT_EQ(big.error().port(), to.port());
  auto plain = core::write_some(tx, huge, core::wait_policy::deadline(1s));
  ASSERT_FALSE(plain);
  EXPECT_FALSE(big.error().hint().empty()) << big.error().message();
  EXPECT_EQ(big.error().hint(), plain.error().hint()) << "as write_some says it: " << plain.error().message();

  // The receiver goes: its port is closed, and the host answers with ICMP.
  rx.close();
  std::array<std::byte, 100> payload{};
  mcnet::result<std::size_t> sent;
  for (int i = 0; i < 200; ++i) {
    sent = core::send_zerocopy(tx, payload, core::wait_policy::deadline(1s));
    if (!sent) break;
    std::this_thread::sleep_for(10ms);
  }
  ASSERT_FALSE(sent) << "no ICMP port unreachable came back within 2 s";
  EXPECT_EQ(sent.error().code, std::errc::connection_refused) << sent.error().message();
  EXPECT_EQ(sent.error().address(), to.address()) << sent.error().message();
  EXPECT_EQ(sent.error().port(), to.port());
  EXPECT_NE(sent.error().message().find("the peer's socket is closed"), std::string::npos) << sent.error().message();
}

TEST(NetZerocopy, ReadingWaitsAtMostTheTimeout) {
  MCNET_REQUIRE_NETNS();
  auto net = mcnet::test::network::lan(1);
  (*net)[0].run([] {
    auto s = core::socket::open(AF_INET, SOCK_DGRAM).value();
    ASSERT_TRUE(core::set(s, opt::zerocopy, true));
    core::zerocopy_completions done;
    const auto start = std::chrono::steady_clock::now();
    auto r = core::read_zerocopy_completions(s, done, core::wait_policy::deadline(50ms));
    const auto took = std::chrono::steady_clock::now() - start;
    ASSERT_FALSE(r);
    EXPECT_EQ(r.error().code, errc::timed_out);
    EXPECT_GE(took, 50ms);
    EXPECT_LT(took, 2s);
    auto spun = core::read_zerocopy_completions(s, done, core::wait_policy::adaptive(1ms, 20ms));
    ASSERT_FALSE(spun);
    EXPECT_EQ(spun.error().code, errc::timed_out);
  });
}

}  // namespace
