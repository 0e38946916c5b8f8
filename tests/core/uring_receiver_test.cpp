// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The mcnet authors
//
// core::uring_receiver (multishot recvmsg on io_uring with provided
// buffers): its refusals; on a real wire, the same payloads and metadata as
// read_batch for the same multicast traffic; more datagrams queued than it
// has buffers (nothing the socket holds is lost, the request is armed
// again); a datagram longer than a buffer flagged as cut; two sockets on one
// ring; no allocation per datagram. Skipped, with the reason, in a build
// without liburing and where io_uring is refused (kernel.io_uring_disabled,
// seccomp).

#include <gtest/gtest.h>

#include <mcnet/features.hpp>

#if MCNET_HAS_IO_URING

#include <algorithm>
#include <array>
#include <chrono>
#include <cstdint>
#include <string>
#include <utility>
#include <vector>

#include <mcnet/core/dial.hpp>
#include <mcnet/core/membership.hpp>
#include <mcnet/core/message.hpp>
#include <mcnet/core/receive_batch.hpp>
#include <mcnet/core/socket_ops.hpp>
#include <mcnet/core/uring_receiver.hpp>

#include "alloc_counter.hpp"
#include "datagram_helpers.hpp"
#include "lan.hpp"
#include "privilege.hpp"

namespace core = mcnet::core;
namespace test = mcnet::test;
using core::cmsg;
using namespace std::chrono_literals;

namespace {

std::string text_of(const core::message& m) {
  return {reinterpret_cast<const char*>(m.payload().data()), m.payload().size()};
}

// Skips the test, with the reason, where this process may not use io_uring.
#define MCNET_REQUIRE_IO_URING()                                                                    \
  do {                                                                                              \
    auto mcnet_probe_ = core::uring_receiver::make(1, 64);                                          \
    if (!mcnet_probe_) GTEST_SKIP() << "io_uring is not available: " << mcnet_probe_.error().message(); \
  } while (false)

TEST(UringReceiver, RefusesShapesTheKernelCannotTake) {
  for (const std::size_t count : {std::size_t{0}, std::size_t{3}, std::size_t{65536}}) {
    auto r = core::uring_receiver::make(count, 1500);
    ASSERT_FALSE(r) << count;
    EXPECT_EQ(r.error().code, std::errc::invalid_argument);
    EXPECT_EQ(r.error().number(), static_cast<std::int64_t>(count));
    EXPECT_NE(r.error().message().find("power of two"), std::string::npos) << r.error().message();
  }
  for (const std::size_t size : {std::size_t{0}, std::size_t{65536}}) {
    auto r = core::uring_receiver::make(8, size);
    ASSERT_FALSE(r) << size;
    EXPECT_EQ(r.error().code, std::errc::invalid_argument);
    EXPECT_EQ(r.error().number(), static_cast<std::int64_t>(size));
  }
  // An empty receiver refuses to read or add rather than answering 0.
  core::uring_receiver empty;
  EXPECT_EQ(empty.buffer_count(), 0u);
  auto read = empty.read(core::wait_policy::nonblocking());
  ASSERT_FALSE(read);
  EXPECT_EQ(read.error().code, std::errc::invalid_argument);
  EXPECT_NE(read.error().message().find("uring_receiver::make"), std::string::npos) << read.error().message();
  auto added = empty.add(core::socket_ref(0));
  ASSERT_FALSE(added);
  EXPECT_EQ(added.error().code, std::errc::invalid_argument);
}

TEST(UringReceiver, WaitsAsThePolicySays) {
  MCNET_REQUIRE_IO_URING();
  auto r = core::uring_receiver::make(4, 256).value();
  EXPECT_EQ(r.buffer_count(), 4u);
  EXPECT_EQ(r.payload_size(), 256u);
  auto none = r.read(core::wait_policy::nonblocking());
  ASSERT_FALSE(none);
  EXPECT_EQ(none.error().code, std::errc::invalid_argument) << "no socket added: " << none.error().message();

  // A UDP socket nobody sends to (loopback of this namespace; nothing leaves it).
  auto s = core::listen_udp(core::endpoint::parse("127.0.0.1:0").value()).value();
  EXPECT_EQ(r.add(s).value(), 0u);
  auto quiet = r.read(core::wait_policy::nonblocking());
  ASSERT_FALSE(quiet);
  EXPECT_EQ(quiet.error().code, mcnet::errc::would_block);
  const auto before = std::chrono::steady_clock::now();
  auto late = r.read(core::wait_policy::deadline(50ms));
  ASSERT_FALSE(late);
  EXPECT_EQ(late.error().code, mcnet::errc::timed_out);
  EXPECT_GE(std::chrono::steady_clock::now() - before, 50ms);
  EXPECT_TRUE(r.empty());
}

// The fields read_batch fills, compared one by one (the payloads apart:
// `batch`'s buffer was overwritten by the batch's later reads).
void expect_same_datagram(const core::message& batch, const core::message& uring, std::size_t i) {
  SCOPED_TRACE("datagram " + std::to_string(i));
  EXPECT_EQ(uring.size, batch.size);
  EXPECT_EQ(uring.wire_size, batch.wire_size);
  EXPECT_EQ(uring.truncated, batch.truncated);
  EXPECT_EQ(uring.control_truncated, batch.control_truncated);
  EXPECT_EQ(uring.control_error, batch.control_error);
  EXPECT_EQ(uring.peer, batch.peer);
  EXPECT_EQ(uring.info.destination, batch.info.destination);
  EXPECT_EQ(uring.info.interface_index, batch.info.interface_index);
  EXPECT_EQ(uring.info.hop_limit, batch.info.hop_limit);
  // One skb, cloned to each socket of the group: one receive timestamp.
  EXPECT_EQ(uring.info.software_time, batch.info.software_time);
  EXPECT_EQ(uring.info.drops, batch.info.drops);
}

class NetUringReceiver : public ::testing::TestWithParam<bool> {};  // param: IPv6

TEST_P(NetUringReceiver, GivesTheMetadataReadBatchGives) {
  MCNET_REQUIRE_NETNS();
  MCNET_REQUIRE_IO_URING();
  const bool v6 = GetParam();
  auto net = test::network::lan(2);
  const auto& rx_host = (*net)[1];
  const auto group = core::ip_address::parse(v6 ? "ff1e::4:9" : "239.255.4.9").value();
  // Two sockets on the group's port: each gets every datagram.
  auto open_rx = [&](std::uint16_t port) {
    return test::run_in(rx_host, [&] {
      auto s = core::listen_udp(core::endpoint(v6 ? core::ip_address::any_v6() : core::ip_address::any_v4(), port),
                                {.reuse_address = true})
                   .value();
      EXPECT_TRUE(core::join_group(s, group, rx_host.iface().index));
      test::enable_metadata(s, v6);
      return s;
    });
  };
  auto by_batch = open_rx(0);
  const auto port = core::local_endpoint(by_batch).value().port();
  auto by_uring = open_rx(port);
  auto tx = test::run_in((*net)[0], [&] {
    auto s = core::dial_udp(core::endpoint(group, port)).value();
    test::multicast_out(s, v6, (*net)[0].iface().index, 5);
    return s;
  });
  // The kernel stamps a datagram on arrival only once its timestamp static key
  // is on, and the first socket that asks for timestamps switches it on from a
  // work queue (net_enable_timestamp): until that ran, each socket's copy is
  // stamped when it is read, and the two copies' times differ. Probes until one
  // datagram carries one time to both sockets (bounded: 50 probes, 1 s each).
  {
    auto probe = core::receive_batch::make(1, 32).value();
    bool stamped_on_arrival = false;
    for (int attempt = 0; attempt < 50 && !stamped_on_arrival; ++attempt) {
      test::send_text(tx, {}, "probe");
      auto first = probe.read(by_batch, test::metadata_kinds, core::wait_policy::deadline(1s));
      ASSERT_TRUE(first && *first == 1) << (first ? "no probe" : first.error().message());
      const auto time_a = probe[0].info.software_time;
      auto second = probe.read(by_uring, test::metadata_kinds, core::wait_policy::deadline(1s));
      ASSERT_TRUE(second && *second == 1) << (second ? "no probe" : second.error().message());
      stamped_on_arrival = time_a && time_a == probe[0].info.software_time;
    }
    ASSERT_TRUE(stamped_on_arrival) << "50 probes, and the two sockets' copies never carried one receive time";
  }
  constexpr std::size_t kCount = 24;
  for (std::size_t i = 0; i + 1 < kCount; ++i) test::send_text(tx, {}, test::numbered("u", i));
  test::send_text(tx, {}, std::string(40, 'y'));  // longer than the 32-byte room: cut by both

  auto b = core::receive_batch::make(8, 32).value();
  std::vector<core::message> from_batch;
  std::vector<std::string> batch_texts;
  while (from_batch.size() < kCount) {
    auto n = b.read(by_batch, test::metadata_kinds, core::wait_policy::deadline(1s));
    ASSERT_TRUE(n) << n.error().message();
    for (const auto& m : b) {
      from_batch.push_back(m);
      batch_texts.push_back(text_of(m));  // the batch's buffers are overwritten by its next read
    }
  }

  auto r = core::uring_receiver::make(8, 32, test::metadata_kinds).value();
  ASSERT_EQ(r.add(by_uring).value(), 0u);
  std::size_t got = 0;
  while (got < kCount) {
    auto n = r.read(core::wait_policy::deadline(1s));
    ASSERT_TRUE(n) << n.error().message();
    EXPECT_EQ(*n, r.size());
    EXPECT_LE(*n, 8u);
    for (std::size_t i = 0; i < r.size(); ++i) {
      ASSERT_LT(got, kCount) << "more datagrams than were sent";
      EXPECT_EQ(r.socket_of(i), 0u);
      EXPECT_EQ(text_of(r[i]), batch_texts[got]);
      const auto& m = r[i];
      EXPECT_EQ(m.peer.address(), v6 ? (*net)[0].v6() : (*net)[0].v4());
      EXPECT_EQ(m.info.destination, group);
      EXPECT_EQ(m.info.interface_index, rx_host.iface().index);
      EXPECT_EQ(m.info.hop_limit, 5);
      EXPECT_TRUE(m.info.software_time);
      expect_same_datagram(from_batch[got], m, got);
      ++got;
    }
  }
  EXPECT_EQ(got, kCount);
  const auto& last = r[r.size() - 1];
  EXPECT_TRUE(last.truncated);
  EXPECT_EQ(last.wire_size, 40u);
  EXPECT_EQ(text_of(last), std::string(32, 'y'));
  EXPECT_EQ(r.stats().datagrams, kCount);
  EXPECT_EQ(r.stats().truncated, 1u);
  auto quiet = r.read(core::wait_policy::nonblocking());
  ASSERT_FALSE(quiet);
  EXPECT_EQ(quiet.error().code, mcnet::errc::would_block);
}

INSTANTIATE_TEST_SUITE_P(Family, NetUringReceiver, ::testing::Values(false, true),
                         [](const auto& p) { return p.param ? "IPv6" : "IPv4"; });

// A loopback pair in a namespace of its own: `fn(rx, tx)`.
template <class F>
void on_loopback(F&& fn) {
  auto net = test::network::lan(1);
  auto [rx, tx] = test::run_in((*net)[0], [&] {
    auto r = core::listen_udp(core::endpoint::parse("127.0.0.1:0").value()).value();
    test::enable_metadata(r, false);
    auto t = core::dial_udp(core::local_endpoint(r).value()).value();
    return std::pair(std::move(r), std::move(t));
  });
  fn(rx, tx);
}

TEST(NetUringReceiver, MoreDatagramsThanBuffersLosesNothingAndArmsAgain) {
  MCNET_REQUIRE_NETNS();
  MCNET_REQUIRE_IO_URING();
  on_loopback([](core::socket& rx, core::socket& tx) {
    // 100 datagrams queued before the first read; 8 buffers.
    constexpr std::size_t kCount = 100;
    for (std::size_t i = 0; i < kCount; ++i) test::send_text(tx, {}, test::numbered("q", i));
    auto r = core::uring_receiver::make(8, 64, test::metadata_kinds).value();
    ASSERT_TRUE(r.add(rx));
    std::vector<std::string> got;
    for (int reads = 0; got.size() < kCount && reads < 1000; ++reads) {
      auto n = r.read(core::wait_policy::deadline(1s));
      ASSERT_TRUE(n) << "after " << got.size() << ": " << n.error().message();
      EXPECT_LE(*n, 8u) << "no more datagrams than buffers in one read";
      for (const auto& m : r) {
        got.push_back(text_of(m));
        EXPECT_FALSE(m.info.drops) << "the socket dropped nothing";
        EXPECT_EQ(m.info.destination, core::ip_address::parse("127.0.0.1").value());
      }
    }
    ASSERT_EQ(got.size(), kCount);
    for (std::size_t i = 0; i < kCount; ++i) EXPECT_EQ(got[i], test::numbered("q", i));
    const auto st = r.stats();
    EXPECT_EQ(st.datagrams, kCount);
    EXPECT_GE(st.buffers_exhausted, 1u) << "8 buffers for 100 queued datagrams";
    EXPECT_GE(st.rearms, st.buffers_exhausted) << "each exhausted request was armed again";
    EXPECT_FALSE(r.read(core::wait_policy::nonblocking()));
  });
}

TEST(NetUringReceiver, GivesTheSocketsDropCount) {
  MCNET_REQUIRE_NETNS();
  MCNET_REQUIRE_IO_URING();
  on_loopback([](core::socket& rx, core::socket& tx) {
    test::raw_set(rx, SOL_SOCKET, SO_RCVBUF, 1);  // the kernel's least: a few datagrams
    constexpr std::size_t kBurst = 50;
    for (std::size_t i = 0; i < kBurst; ++i) test::send_text(tx, {}, test::numbered("d", i));
    auto r = core::uring_receiver::make(64, 64, test::metadata_kinds).value();
    ASSERT_TRUE(r.add(rx));
    std::size_t kept = 0;
    while (auto n = r.read(core::wait_policy::deadline(100ms))) kept += *n;
    ASSERT_GT(kept, 0u);
    ASSERT_LT(kept, kBurst) << "a receive buffer of the kernel's least holds fewer than " << kBurst;
    // SO_RXQ_OVFL comes with the next datagram queued after the drops.
    test::send_text(tx, {}, "after");
    auto n = r.read(core::wait_policy::deadline(1s));
    ASSERT_TRUE(n) << n.error().message();
    ASSERT_EQ(*n, 1u);
    EXPECT_EQ(text_of(r[0]), "after");
    ASSERT_TRUE(r[0].info.drops);
    EXPECT_EQ(*r[0].info.drops, kBurst - kept) << "every datagram of the burst was kept or counted";
  });
}

TEST(NetUringReceiver, FlagsADatagramLongerThanItsBuffer) {
  MCNET_REQUIRE_NETNS();
  MCNET_REQUIRE_IO_URING();
  on_loopback([](core::socket& rx, core::socket& tx) {
    auto r = core::uring_receiver::make(4, 100).value();  // no metadata: no control room
    ASSERT_TRUE(r.add(rx));
    test::send_text(tx, {}, std::string(100, 'a'));
    test::send_text(tx, {}, std::string(1000, 'b'));
    test::send_text(tx, {}, "after");
    std::vector<core::message> got;
    std::vector<std::string> texts;
    while (got.size() < 3) {
      auto n = r.read(core::wait_policy::deadline(1s));
      ASSERT_TRUE(n) << n.error().message();
      for (const auto& m : r) {
        got.push_back(m);
        texts.push_back(text_of(m));
      }
    }
    ASSERT_EQ(got.size(), 3u);
    EXPECT_FALSE(got[0].truncated) << "exactly the room";
    EXPECT_EQ(texts[0], std::string(100, 'a'));
    EXPECT_TRUE(got[1].truncated);
    EXPECT_EQ(got[1].size, 100u);
    EXPECT_EQ(got[1].wire_size, 1000u) << "MSG_TRUNC: the datagram's own length";
    EXPECT_EQ(texts[1], std::string(100, 'b'));
    EXPECT_FALSE(got[2].truncated);
    EXPECT_EQ(texts[2], "after");
    EXPECT_EQ(r.stats().truncated, 1u);
  });
}

TEST(NetUringReceiver, TwoSocketsOnOneRing) {
  MCNET_REQUIRE_NETNS();
  MCNET_REQUIRE_IO_URING();
  auto net = test::network::lan(1);
  auto sockets = test::run_in((*net)[0], [&] {
    std::vector<core::socket> s;
    for (int i = 0; i < 2; ++i) {
      s.push_back(core::listen_udp(core::endpoint::parse("127.0.0.1:0").value()).value());
      test::enable_metadata(s.back(), false);
    }
    for (std::size_t i = 0; i < 2; ++i) s.push_back(core::dial_udp(core::local_endpoint(s[i]).value()).value());
    return s;
  });
  auto r = core::uring_receiver::make(16, 64, test::metadata_kinds).value();
  ASSERT_EQ(r.add(sockets[0]).value(), 0u);
  ASSERT_EQ(r.add(sockets[1]).value(), 1u);
  EXPECT_EQ(r.sockets(), 2u);
  constexpr std::size_t kEach = 40;
  for (std::size_t i = 0; i < kEach; ++i) {
    test::send_text(sockets[2], {}, test::numbered("a", i));
    test::send_text(sockets[3], {}, test::numbered("b", i));
  }
  std::array<std::vector<std::string>, 2> got;
  for (int reads = 0; got[0].size() + got[1].size() < 2 * kEach && reads < 1000; ++reads) {
    auto n = r.read(core::wait_policy::deadline(1s));
    ASSERT_TRUE(n) << n.error().message();
    for (std::size_t i = 0; i < r.size(); ++i) {
      const auto which = r.socket_of(i);
      ASSERT_LT(which, 2u);
      got[which].push_back(text_of(r[i]));
      // The sender of socket k's datagrams is the socket dialled to it.
      EXPECT_EQ(r[i].peer, core::local_endpoint(sockets[2 + which]).value());
      EXPECT_EQ(r[i].info.destination, core::ip_address::parse("127.0.0.1").value());
    }
  }
  ASSERT_EQ(got[0].size(), kEach);
  ASSERT_EQ(got[1].size(), kEach);
  for (std::size_t i = 0; i < kEach; ++i) {
    EXPECT_EQ(got[0][i], test::numbered("a", i));
    EXPECT_EQ(got[1][i], test::numbered("b", i));
  }
}

TEST(NetHotPath, UringReceiverAllocatesNothingPerDatagram) {
  MCNET_REQUIRE_NETNS();
  MCNET_REQUIRE_IO_URING();
  on_loopback([](core::socket& rx, core::socket& tx) {
    test::owned_message out;
    out.set_text("zero");
    std::array<core::message, 16> out_batch;
    out_batch.fill(out.m);
    auto r = core::uring_receiver::make(64, 1500, test::metadata_kinds).value();
    ASSERT_TRUE(r.add(rx));
    test::expect_reads_allocate_nothing(tx, out_batch, r, [&](core::wait_policy wait) { return r.read(wait); });
  });
}

}  // namespace

#else  // !MCNET_HAS_IO_URING

TEST(UringReceiver, NeedsLiburing) {
  GTEST_SKIP() << "this build has no core::uring_receiver: libmcnet_core was configured without liburing "
                  "(install liburing-dev and configure with MCNET_WITH_IO_URING=AUTO or ON)";
}

#endif  // MCNET_HAS_IO_URING
