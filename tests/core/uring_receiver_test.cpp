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

#include <linux/net_tstamp.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <array>
#include <chrono>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <thread>
#include <tuple>
#include <utility>
#include <vector>

#include <mcnet/core/control.hpp>
#include <mcnet/core/datagrams.hpp>
#include <mcnet/core/dial.hpp>
#include <mcnet/core/membership.hpp>
#include <mcnet/core/message.hpp>
#include <mcnet/core/receive_batch.hpp>
#include <mcnet/core/socket_ops.hpp>
#include <mcnet/core/socket_options.hpp>
#include <mcnet/core/udp_options.hpp>
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

// A pipe's two descriptors, closed at the end of the scope.
struct uring_test_pipe {
  std::array<int, 2> fd{-1, -1};
  uring_test_pipe() { EXPECT_EQ(::pipe(fd.data()), 0); }
  uring_test_pipe(const uring_test_pipe&) = delete;
  uring_test_pipe& operator=(const uring_test_pipe&) = delete;
  ~uring_test_pipe() {
    for (const int f : fd) {
      if (f >= 0) ::close(f);
    }
  }
};

// A request ended by an error is not armed again: with no other socket
// left, the next read answers EINVAL at once instead of waiting on an
// empty ring (trial t17c L1: a deadline read waited out its 2 s, a blocking
// one never returned).
TEST(UringReceiver, AReadWithNoSocketLeftAfterARequestErrorAnswersAtOnce) {
  MCNET_REQUIRE_IO_URING();
  uring_test_pipe p;
  auto r = core::uring_receiver::make(4, 256).value();
  ASSERT_EQ(r.add(core::socket_ref(p.fd[0])).value(), 0u);  // not a socket: its request fails
  auto first = r.read(core::wait_policy::deadline(1s));
  ASSERT_FALSE(first);
  EXPECT_NE(first.error().code, std::errc::timed_out) << first.error().message();
  EXPECT_EQ(first.error().number(), 0) << "socket 0's request";
  const auto start = std::chrono::steady_clock::now();
  auto second = r.read(core::wait_policy::deadline(2s));
  ASSERT_FALSE(second);
  EXPECT_EQ(second.error().code, std::errc::invalid_argument) << second.error().message();
  EXPECT_LT(std::chrono::steady_clock::now() - start, 500ms) << "no wait on a ring with nothing armed";
  EXPECT_NE(second.error().message().find("ended with an error"), std::string::npos) << second.error().message();
  auto blocking = r.read(core::wait_policy::blocking());
  ASSERT_FALSE(blocking);
  EXPECT_EQ(blocking.error().code, std::errc::invalid_argument) << blocking.error().message();
}

// The ring is single issuer (IORING_SETUP_SINGLE_ISSUER): a read from
// another thread than make()'s is refused by the kernel with EEXIST, and
// the error says what that means (trial t17c L3: "io_uring_enter io_uring:
// File exists", no hint).
TEST(UringReceiver, AReadFromAnotherThreadSaysToReadFromTheMakersThread) {
  MCNET_REQUIRE_IO_URING();
  uring_test_pipe p;
  auto r = core::uring_receiver::make(4, 256).value();
  ASSERT_TRUE(r.add(core::socket_ref(p.fd[0])));
  std::optional<mcnet::error> failed;
  std::thread([&] {
    auto n = r.read(core::wait_policy::nonblocking());
    if (!n) failed = n.error();
  }).join();
  ASSERT_TRUE(failed) << "a read of an unarmed pipe's request cannot succeed";
  if (failed->code != std::errc::file_exists) GTEST_SKIP() << "not a single-issuer ring here: " << failed->message();
  EXPECT_NE(failed->message().find("the thread that called make()"), std::string::npos) << failed->message();
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
  // datagram carries one time to both sockets (bounded: 200 probes 20 ms apart,
  // 1 s each at most: on a loaded machine the work queue ran only after 50
  // probes sent back to back, 0.3 s).
  {
    auto probe = core::receive_batch::make(1, 32).value();
    bool stamped_on_arrival = false;
    for (int attempt = 0; attempt < 200 && !stamped_on_arrival; ++attempt) {
      if (attempt > 0) std::this_thread::sleep_for(std::chrono::milliseconds(20));
      test::send_text(tx, {}, "probe");
      auto first = probe.read(by_batch, test::metadata_kinds, core::wait_policy::deadline(1s));
      ASSERT_TRUE(first && *first == 1) << (first ? "no probe" : first.error().message());
      const auto time_a = probe[0].info.software_time;
      auto second = probe.read(by_uring, test::metadata_kinds, core::wait_policy::deadline(1s));
      ASSERT_TRUE(second && *second == 1) << (second ? "no probe" : second.error().message());
      stamped_on_arrival = time_a && time_a == probe[0].info.software_time;
    }
    ASSERT_TRUE(stamped_on_arrival) << "200 probes over 4 s, and the two sockets' copies never carried one receive time";
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
    auto r = core::uring_receiver::make(4, 100).value();  // nothing decoded but UDP_GRO (never sent here)
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

// On the loopback of a namespace of its own: sockets `rx` (the first with
// UDP_GRO and IP_RECVTTL on when `gro`) and a sender, `tx`.
struct loopback_sockets {
  std::unique_ptr<test::network> net = test::network::lan(1);
  std::vector<core::socket> rx;
  core::socket tx;

  explicit loopback_sockets(std::size_t count, bool gro = false) {
    std::tie(rx, tx) = test::run_in((*net)[0], [&] {
      std::vector<core::socket> made;
      for (std::size_t i = 0; i < count; ++i) {
        made.push_back(core::listen_udp(core::endpoint::parse("127.0.0.1:0").value()).value());
      }
      if (gro) {
        EXPECT_TRUE(core::set(made.front(), core::opt::udp_gro, true));
        test::raw_set(made.front(), IPPROTO_IP, IP_RECVTTL, 1);
      }
      return std::pair(std::move(made), core::socket::open(AF_INET, SOCK_DGRAM).value());
    });
  }
  [[nodiscard]] core::endpoint at(std::size_t i) const { return core::local_endpoint(rx[i]).value(); }
  // `count` datagrams of `segment` bytes to rx[0] in one UDP_SEGMENT send.
  void run(std::size_t segment, std::size_t count) {
    std::vector<std::byte> payload(segment * count, std::byte{'r'});
    core::control_buffer control;
    core::cmsg_writer w(control.span());
    ASSERT_TRUE(w.append_segment_size(static_cast<std::uint16_t>(segment)));
    auto r = core::write_to(tx, core::message{.buffer = payload, .size = payload.size(), .peer = at(0),
                                              .control = control.span(), .control_size = w.size()});
    ASSERT_TRUE(r) << r.error().message();
  }
  // Whether a new socket can bind `port` on the namespace's loopback.
  [[nodiscard]] bool can_bind(std::uint16_t port) const {
    return test::run_in((*net)[0], [&] {
      return core::listen_udp(core::endpoint(core::ip_address::v4(127, 0, 0, 1), port)).has_value();
    });
  }
};

// A coalesced read is split whatever the receiver decodes (it always has
// room for the UDP_GRO message), and a buffer read again says only what its
// new datagram said (t17b 1 and 2: without cmsg::segment_size an 11-datagram
// run came back as one message, nothing flagged).
TEST(NetUringReceiver, SplitsACoalescedReadWhateverItDecodesAndSaysOnlyEachReadsOwn) {
  MCNET_REQUIRE_NETNS();
  MCNET_REQUIRE_IO_URING();
  loopback_sockets lo(2, /*gro=*/true);
  for (const cmsg decode : {cmsg::none, cmsg::hop_limit, cmsg::hop_limit | cmsg::segment_size}) {
    SCOPED_TRACE("decode " + std::to_string(static_cast<unsigned>(decode)));
    auto r = core::uring_receiver::make(1, 65535, decode).value();  // one buffer: every read reuses it
    ASSERT_EQ(r.add(lo.rx[0]).value(), 0u);
    ASSERT_EQ(r.add(lo.rx[1]).value(), 1u);
    lo.run(100, 11);
    ASSERT_EQ(r.read(core::wait_policy::deadline(1s)).value(), 1u);
    EXPECT_EQ(r[0].size, 1100u);
    EXPECT_EQ(r[0].info.segment_size, 100u);
    EXPECT_EQ(core::datagrams(r.received()).size(), 11u);
    EXPECT_EQ(r[0].info.hop_limit, decode == cmsg::none ? -1 : 64);
    test::send_text(lo.tx, lo.at(1), std::string(1000, 'p'));
    ASSERT_EQ(r.read(core::wait_policy::deadline(1s)).value(), 1u);
    EXPECT_EQ(r.socket_of(0), 1u);
    EXPECT_EQ(r[0].size, 1000u);
    EXPECT_EQ(r[0].info.segment_size, 0u) << "not the earlier read's";
    EXPECT_EQ(core::datagrams(r.received()).size(), 1u);
    EXPECT_EQ(r[0].info.hop_limit, -1) << "the plain socket sends no TTL";
  }
}

// The socket-level messages (SO_TIMESTAMPNS, SO_TIMESTAMPING, SO_RXQ_OVFL
// after a drop) come before UDP_GRO's: a receiver that decodes nothing
// still has room for them and the segment size (trial t17c M2: 24 bytes of
// room took SO_TIMESTAMPNS, and an 11-datagram run read as one, flagged
// only by control_truncated).
TEST(NetUringReceiver, SplitsACoalescedReadWithSocketLevelMessagesOnAndNothingDecoded) {
  MCNET_REQUIRE_NETNS();
  MCNET_REQUIRE_IO_URING();
  loopback_sockets lo(1, /*gro=*/true);
  auto& rx = lo.rx[0];
  test::raw_set(rx, SOL_SOCKET, SO_TIMESTAMPNS, 1);
  ASSERT_TRUE(core::set(rx, core::opt::timestamping,
                        std::uint32_t{SOF_TIMESTAMPING_RX_SOFTWARE | SOF_TIMESTAMPING_SOFTWARE}));
  test::raw_set(rx, SOL_SOCKET, SO_RXQ_OVFL, 1);
  // A drop first, so that every datagram after it carries SO_RXQ_OVFL: a
  // burst into the kernel's least receive buffer, read away.
  test::raw_set(rx, SOL_SOCKET, SO_RCVBUF, 1);
  for (int i = 0; i < 50; ++i) test::send_text(lo.tx, lo.at(0), std::string(200, 'd'));
  std::array<char, 2048> sink{};
  while (::recv(rx.native_handle(), sink.data(), sink.size(), MSG_DONTWAIT) > 0) {
  }
  ASSERT_GT(core::get(rx, core::opt::memory_info).value().drops, 0u) << "the burst overflowed the buffer";
  test::raw_set(rx, SOL_SOCKET, SO_RCVBUF, 1 << 20);
  auto r = core::uring_receiver::make(4, 65535).value();  // cmsg::none
  ASSERT_TRUE(r.add(rx));
  lo.run(100, 11);
  ASSERT_EQ(r.read(core::wait_policy::deadline(1s)).value(), 1u);
  EXPECT_EQ(r[0].size, 1100u);
  EXPECT_FALSE(r[0].control_truncated) << "room for every message the socket sends";
  EXPECT_EQ(r[0].info.segment_size, 100u);
  EXPECT_EQ(core::datagrams(r.received()).size(), 11u);
  EXPECT_FALSE(r[0].info.software_time) << "not asked for";
  EXPECT_FALSE(r[0].info.drops) << "not asked for";
}

// A coalesced read longer than a buffer: the whole pieces are whole, and the
// datagrams past the room are counted (t17b 10: room 500, segment 100: the
// 5th, complete, piece was marked truncated and the 6 others counted nowhere).
TEST(NetUringReceiver, ACutCoalescedReadSaysWhichPiecesAreWholeAndHowManyWereCutAway) {
  MCNET_REQUIRE_NETNS();
  MCNET_REQUIRE_IO_URING();
  loopback_sockets lo(1, /*gro=*/true);
  auto r = core::uring_receiver::make(4, 500).value();
  ASSERT_TRUE(r.add(lo.rx[0]));
  lo.run(100, 11);
  ASSERT_EQ(r.read(core::wait_policy::deadline(1s)).value(), 1u);
  EXPECT_TRUE(r[0].truncated);
  EXPECT_EQ(r[0].wire_size, 1100u);
  std::size_t whole = 0;
  for (const core::datagram& d : core::datagrams(r.received())) {
    EXPECT_FALSE(d.truncated) << "every piece is a whole 100-byte datagram";
    EXPECT_EQ(d.payload.size(), 100u);
    ++whole;
  }
  EXPECT_EQ(whole, 5u);
  EXPECT_EQ(core::datagrams_cut_away(r[0]), 6u);
}

// Closing an added socket's descriptor does not end its request: the ring
// holds the socket, which stays bound and keeps receiving (t17b 3: the
// header promised EBADF). remove() ends it: its port is free again, its
// datagrams are no longer delivered, the other sockets are still served.
TEST(NetUringReceiver, ClosingAnAddedSocketLeavesItOpenUntilItIsRemoved) {
  MCNET_REQUIRE_NETNS();
  MCNET_REQUIRE_IO_URING();
  loopback_sockets lo(2);
  auto r = core::uring_receiver::make(8, 256).value();
  ASSERT_EQ(r.add(lo.rx[0]).value(), 0u);
  ASSERT_EQ(r.add(lo.rx[1]).value(), 1u);
  const auto first = lo.at(0);
  test::send_text(lo.tx, first, "one");
  ASSERT_EQ(r.read(core::wait_policy::deadline(1s)).value(), 1u);
  EXPECT_EQ(text_of(r[0]), "one");
  lo.rx[0].close();
  test::send_text(lo.tx, first, "two");
  auto after_close = r.read(core::wait_policy::deadline(1s));
  ASSERT_TRUE(after_close) << "closing alone does not stop the request: " << after_close.error().message();
  EXPECT_EQ(text_of(r[0]), "two");
  EXPECT_EQ(r.socket_of(0), 0u);
  EXPECT_FALSE(lo.can_bind(first.port())) << "the ring holds the closed socket, and its port";

  // A datagram queued for it before the removal is not delivered after it.
  test::send_text(lo.tx, first, "three");
  test::send_text(lo.tx, lo.at(1), "four");
  auto removed = r.remove(0);
  ASSERT_TRUE(removed) << removed.error().message();
  EXPECT_TRUE(lo.can_bind(first.port())) << "removed: the ring let the socket go";
  auto n = r.read(core::wait_policy::deadline(1s));
  ASSERT_TRUE(n) << n.error().message();
  ASSERT_EQ(*n, 1u);
  EXPECT_EQ(text_of(r[0]), "four");
  EXPECT_EQ(r.socket_of(0), 1u);
  auto quiet = r.read(core::wait_policy::deadline(50ms));
  ASSERT_FALSE(quiet);
  EXPECT_EQ(quiet.error().code, mcnet::errc::timed_out) << quiet.error().message();
  EXPECT_EQ(r.sockets(), 2u) << "indices are never reused";

  for (const std::size_t bad : {std::size_t{0}, std::size_t{2}}) {
    auto again = r.remove(bad);
    ASSERT_FALSE(again) << bad;
    EXPECT_EQ(again.error().code, std::errc::invalid_argument);
    EXPECT_EQ(again.error().number(), static_cast<std::int64_t>(bad));
  }
  // A socket removed before any read was never armed; the next added one is.
  loopback_sockets more(2);
  ASSERT_EQ(r.add(more.rx[0]).value(), 2u);
  ASSERT_TRUE(r.remove(2));
  ASSERT_EQ(r.add(more.rx[1]).value(), 3u);
  test::send_text(more.tx, more.at(0), "never");
  test::send_text(more.tx, more.at(1), "five");
  ASSERT_EQ(r.read(core::wait_policy::deadline(1s)).value(), 1u);
  EXPECT_EQ(text_of(r[0]), "five");
  EXPECT_EQ(r.socket_of(0), 3u);
  core::uring_receiver empty;
  EXPECT_FALSE(empty.remove(0));
}

// stop() ends a socket's request as remove() does, but keeps what the
// request took: the next reads give it, then the socket's own queue holds
// the rest, so every datagram is read once, in order (mcast-recv's tail
// read, trial t16u M1). With every socket stopped and its datagrams given,
// a read answers EINVAL at once.
TEST(NetUringReceiver, AStoppedSocketsDatagramsAreReadOnceInOrderThroughTheRingThenTheSocket) {
  MCNET_REQUIRE_NETNS();
  MCNET_REQUIRE_IO_URING();
  loopback_sockets lo(2);
  auto r = core::uring_receiver::make(16, 64).value();
  ASSERT_EQ(r.add(lo.rx[0]).value(), 0u);
  ASSERT_EQ(r.add(lo.rx[1]).value(), 1u);
  constexpr std::size_t kCount = 60;
  std::vector<std::string> got;
  for (std::size_t i = 0; i < 4; ++i) test::send_text(lo.tx, lo.at(0), test::numbered("s", i));
  auto first = r.read(core::wait_policy::deadline(1s));
  ASSERT_TRUE(first) << first.error().message();
  for (const auto& m : r) got.push_back(text_of(m));
  // More than the 16 buffers, queued while the request is armed.
  for (std::size_t i = 4; i < kCount; ++i) test::send_text(lo.tx, lo.at(0), test::numbered("s", i));
  auto stopped = r.stop(0);
  ASSERT_TRUE(stopped) << stopped.error().message();
  auto again = r.stop(0);
  ASSERT_FALSE(again);
  EXPECT_EQ(again.error().code, std::errc::invalid_argument);
  // Another socket is still read.
  test::send_text(lo.tx, lo.at(1), "other");
  std::size_t other = 0;
  for (int reads = 0; reads < 100; ++reads) {
    auto n = r.read(core::wait_policy::deadline(200ms));
    if (!n) break;
    for (std::size_t i = 0; i < *n; ++i) {
      if (r.socket_of(i) == 1) {
        ++other;
      } else {
        got.push_back(text_of(r[i]));
      }
    }
    if (other > 0) break;
  }
  EXPECT_EQ(other, 1u);
  ASSERT_TRUE(r.stop(1));
  for (int reads = 0; reads < 100; ++reads) {
    auto n = r.read(core::wait_policy::nonblocking());
    if (!n) {
      EXPECT_EQ(n.error().code, std::errc::invalid_argument) << n.error().message();
      break;
    }
    for (const auto& m : r) got.push_back(text_of(m));
  }
  auto none = r.read(core::wait_policy::deadline(5s));
  ASSERT_FALSE(none);
  EXPECT_EQ(none.error().code, std::errc::invalid_argument) << "at once, not after the wait";
  // The rest from the socket itself.
  auto batch = core::receive_batch::make(32, 64).value();
  for (int reads = 0; reads < 100; ++reads) {
    auto n = batch.read(lo.rx[0], cmsg::none, core::wait_policy::nonblocking());
    if (!n) break;
    for (const auto& m : batch.received()) got.push_back(text_of(m));
  }
  ASSERT_EQ(got.size(), kCount);
  for (std::size_t i = 0; i < kCount; ++i) EXPECT_EQ(got[i], test::numbered("s", i));
  core::uring_receiver empty;
  EXPECT_FALSE(empty.stop(0));
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
