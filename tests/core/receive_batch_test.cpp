// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The mcnet authors
//
// core::receive_batch: its shape, reads on a real wire (multicast with
// metadata, truncation, more datagrams than it holds), zero allocations per
// datagram after construction; and the refusal of a decode without a control
// buffer by read_from and read_batch.

#include <gtest/gtest.h>

#include <algorithm>
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

TEST(ReceiveBatch, ShapeAndEveryMessageHasItsOwnRoom) {
  auto b = core::receive_batch::make(4, 100).value();
  EXPECT_EQ(b.capacity(), 4u);
  EXPECT_EQ(b.payload_size(), 100u);
  EXPECT_TRUE(b.empty());
  EXPECT_EQ(b.begin(), b.end()) << "nothing read yet";
  auto none_room = core::receive_batch::make(0, 100);
  ASSERT_FALSE(none_room) << "room for no datagram";
  EXPECT_EQ(none_room.error().code, std::errc::invalid_argument);
  auto overflow = core::receive_batch::make(std::size_t{1} << 40, std::size_t{1} << 40);
  ASSERT_FALSE(overflow);
  EXPECT_EQ(overflow.error().code, std::errc::value_too_large);
  // Counts whose control or message arrays alone overflow: an error, not
  // std::bad_array_new_length escaping a noexcept call.
  for (std::size_t count : {SIZE_MAX, std::size_t{INT64_MAX}, std::size_t{1} << 58}) {
    for (std::size_t size : {std::size_t{0}, std::size_t{1}, std::size_t{2}}) {
      auto r = core::receive_batch::make(count, size);
      ASSERT_FALSE(r) << count << " x " << size;
      EXPECT_EQ(r.error().code, std::errc::value_too_large) << count << " x " << size;
      EXPECT_EQ(r.error().number(), static_cast<std::int64_t>(std::min<std::size_t>(count, INT64_MAX)));
    }
  }
#if !defined(__SANITIZE_ADDRESS__)  // AddressSanitizer stops the program on an allocation this big
  auto huge = core::receive_batch::make(std::size_t{1} << 20, std::size_t{1} << 30);  // 2^50 bytes: no memory has that
  ASSERT_FALSE(huge);
  EXPECT_EQ(huge.error().code, std::errc::not_enough_memory) << huge.error().message();
#endif
  core::receive_batch empty;
  EXPECT_EQ(empty.capacity(), 0u);

  core::receive_batch moved(std::move(b));
  EXPECT_EQ(moved.capacity(), 4u);
  EXPECT_EQ(b.capacity(), 0u);  // NOLINT(bugprone-use-after-move): a moved-from batch is empty, and safe
  auto none = b.read(core::socket_ref(-1), cmsg::all, core::wait_policy::nonblocking());
  ASSERT_FALSE(none) << "a moved-from batch has no room: 0 would make a read loop spin";
  EXPECT_EQ(none.error().code, std::errc::invalid_argument);
  EXPECT_NE(none.error().message().find("receive_batch::make"), std::string::npos) << none.error().message();
  auto from_empty = empty.read(core::socket_ref(-1));
  ASSERT_FALSE(from_empty) << "nor a default-constructed one";
  EXPECT_EQ(from_empty.error().code, std::errc::invalid_argument);
  EXPECT_TRUE(empty.empty());
}

// Control messages asked for, nowhere for the kernel to put them: EINVAL
// before any system call, saying which message has no control buffer.
TEST(ReadWithoutControl, IsRefusedNotSilentlyEmpty) {
  auto s = core::socket::open(AF_INET, SOCK_DGRAM).value();  // unbound: nothing can arrive, nothing is sent
  std::array<std::byte, 16> payload{};
  core::message m{.buffer = payload};
  auto one = core::read_from(s, m, cmsg::pktinfo, core::wait_policy::nonblocking());
  ASSERT_FALSE(one);
  EXPECT_EQ(one.error().code, std::errc::invalid_argument);
  EXPECT_EQ(one.error().what, "message::control");
  EXPECT_NE(one.error().message().find("no control buffer"), std::string::npos) << one.error().message();

  core::control_buffer control;
  std::array<core::message, 3> batch{};
  for (auto& x : batch) x = core::message{.buffer = payload, .control = control.span()};
  batch[2].control = {};
  auto many = core::read_batch(s, batch, cmsg::timestamp_ns, core::wait_policy::nonblocking());
  ASSERT_FALSE(many);
  EXPECT_EQ(many.error().code, std::errc::invalid_argument);
  EXPECT_EQ(many.error().number(), 2) << "names the message without control space";

  // Without decoding, no control buffer is needed: the socket is simply empty.
  auto plain = core::read_batch(s, batch, cmsg::none, core::wait_policy::nonblocking());
  ASSERT_FALSE(plain);
  EXPECT_EQ(plain.error().code, mcnet::errc::would_block);
}

class NetReceiveBatch : public ::testing::TestWithParam<bool> {};  // param: IPv6

TEST_P(NetReceiveBatch, MulticastWithMetadataInAFewLines) {
  MCNET_REQUIRE_NETNS();
  const bool v6 = GetParam();
  auto net = test::network::lan(2);
  const auto& rx_host = (*net)[1];
  const auto group = core::ip_address::parse(v6 ? "ff1e::4:7" : "239.255.4.7").value();
  auto rx = test::run_in(rx_host, [&] {
    auto s = core::listen_udp(core::endpoint(v6 ? core::ip_address::any_v6() : core::ip_address::any_v4(), 0))
                 .value();
    EXPECT_TRUE(core::join_group(s, group, rx_host.iface().index));
    test::enable_metadata(s, v6);
    return s;
  });
  const core::endpoint dest(group, core::local_endpoint(rx).value().port());
  auto tx = test::run_in((*net)[0], [&] {
    auto s = core::dial_udp(dest).value();
    test::multicast_out(s, v6, (*net)[0].iface().index, 4);
    return s;
  });
  // Eleven datagrams into a batch of four: three reads; the last one cut.
  for (std::size_t i = 0; i < 10; ++i) test::send_text(tx, {}, test::numbered("b", i));
  test::send_text(tx, {}, std::string(40, 'x'));

  auto b = core::receive_batch::make(4, 32).value();
  std::vector<std::string> got;
  std::size_t reads = 0;
  while (auto n = b.read(rx, test::metadata_kinds, core::wait_policy::deadline(500ms))) {
    ++reads;
    EXPECT_EQ(b.size(), *n);
    for (const auto& m : b) {
      got.push_back(text_of(m));
      EXPECT_EQ(m.peer.address(), v6 ? (*net)[0].v6() : (*net)[0].v4());
      EXPECT_EQ(m.info.destination, group);
      EXPECT_EQ(m.info.interface_index, rx_host.iface().index);
      EXPECT_EQ(m.info.hop_limit, 4);
      EXPECT_TRUE(m.info.software_time);
      EXPECT_FALSE(m.info.drops) << "nothing dropped: no SO_RXQ_OVFL yet";
    }
    if (got.size() >= 11) break;
  }
  ASSERT_EQ(got.size(), 11u);
  EXPECT_GE(reads, 3u) << "four at most per read";
  for (std::size_t i = 0; i < 10; ++i) EXPECT_EQ(got[i], test::numbered("b", i));
  EXPECT_EQ(got[10], std::string(32, 'x'));
  const auto& last = b[b.size() - 1];
  EXPECT_TRUE(last.truncated);
  EXPECT_EQ(last.wire_size, 40u);

  // A quiet socket: the read fails and the batch is empty.
  auto quiet = b.read(rx, test::metadata_kinds, core::wait_policy::nonblocking());
  ASSERT_FALSE(quiet);
  EXPECT_EQ(quiet.error().code, mcnet::errc::would_block);
  EXPECT_TRUE(b.empty());
}

INSTANTIATE_TEST_SUITE_P(Family, NetReceiveBatch, ::testing::Values(false, true),
                         [](const auto& p) { return p.param ? "IPv6" : "IPv4"; });

// After construction, reading allocates nothing, whatever the number of datagrams.
TEST(NetHotPath, ReceiveBatchAllocatesNothingPerDatagram) {
  MCNET_REQUIRE_NETNS();
  auto net = test::network::lan(1);
  test::run_in((*net)[0], [&] {
    auto rx = core::listen_udp(core::endpoint::parse("127.0.0.1:0").value()).value();
    test::enable_metadata(rx, false);
    auto tx = core::dial_udp(core::local_endpoint(rx).value()).value();
    test::owned_message out;
    out.set_text("zero");
    std::array<core::message, 16> out_batch;
    out_batch.fill(out.m);
    auto b = core::receive_batch::make(16, 1500).value();
    test::expect_reads_allocate_nothing(tx, out_batch, b,
                                        [&](core::wait_policy wait) { return b.read(rx, test::metadata_kinds, wait); });
  });
}

}  // namespace
