// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The mcnet authors
//
// A behaviour test per SOL_SOCKET table entry, inside a private namespace,
// following what the table records: read back equal or doubled for
// read-write options, the effect through a companion option for write-only
// ones, a known value for read-only ones. A unit test checks that every
// table entry has its behaviour test here.

#include <gtest/gtest.h>

#include <linux/capability.h>
#include <linux/filter.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>

#include <algorithm>
#include <array>
#include <climits>
#include <fstream>
#include <set>
#include <string_view>
#include <thread>

#include <unistd.h>

#include <mcnet/core/membership_options.hpp>
#include <mcnet/core/socket.hpp>
#include <mcnet/core/socket_ops.hpp>
#include <mcnet/core/socket_options.hpp>

#include "capabilities.hpp"
#include "lan.hpp"
#include "option_test.hpp"
#include "privilege.hpp"

namespace core = mcnet::core;
namespace opt = mcnet::core::opt;

namespace {

TEST(SolSocketTable, EveryEntryHasABehaviourTest) { mcnet::test::expect_every_entry_tested(opt::sol_socket_table); }

// The RFC 3678 options' behaviour tests are core's membership tests
// (membership_test.cpp registers them).
TEST(MembershipTable, EveryEntryHasABehaviourTest) {
  mcnet::test::expect_every_entry_tested(opt::membership_table);
}

// One name, two levels: the level follows the group's family, also for an
// IPv4 group in its IPv4-mapped form; access and codec come with the name.
TEST(MembershipTable, LevelFollowsTheGroupsFamily) {
  const auto v4 = core::ip_address::parse("239.1.1.1").value();
  const auto v6 = core::ip_address::parse("ff1e::1").value();
  EXPECT_EQ(opt::join_group.at(v4).level, IPPROTO_IP);
  EXPECT_EQ(opt::join_group.at(v4.map_v6()).level, IPPROTO_IP);
  EXPECT_EQ(opt::join_group.at(v6).level, IPPROTO_IPV6);
  const auto msfilter = opt::source_filter.at(IPPROTO_IPV6);
  EXPECT_EQ(msfilter.name, MCAST_MSFILTER);
  EXPECT_EQ(msfilter.spelling, "MCAST_MSFILTER");
  EXPECT_EQ(msfilter.mode, core::access::read_write) << "source_filter reads it back with getsockopt";
  auto expect_write_only = [](const auto& o) {
    EXPECT_EQ(o.at(IPPROTO_IP).mode, core::access::write_only) << o.spelling;
  };
  std::apply([&](const auto&... o) { (expect_write_only(o), ...); },
             std::tie(opt::join_group, opt::leave_group, opt::join_source_group, opt::leave_source_group,
                      opt::block_source, opt::unblock_source));
  ::group_source_req req{};
  auto length = core::group_source_req_codec::encode({v4, core::ip_address::parse("10.77.0.1").value(), 3}, req);
  ASSERT_TRUE(length);
  EXPECT_EQ(*length, sizeof req);
  auto back = core::group_source_req_codec::decode(req, *length);
  ASSERT_TRUE(back);
  EXPECT_EQ(back->group, v4);
  EXPECT_EQ(back->source, core::ip_address::parse("10.77.0.1").value());
  EXPECT_EQ(back->interface_index, 3u);
}

core::socket udp(int family = AF_INET) {
  auto s = core::socket::open(family, SOCK_DGRAM);
  if (!s) throw std::runtime_error(s.error().message());
  return std::move(*s);
}

using mcnet::test::expect_round_trip;
using mcnet::test::in_host;

MCNET_OPTION_TEST(NetSolSocket, opt::reuse_address, ReuseAddress) {
  MCNET_REQUIRE_NETNS();
  in_host([] {
    auto s = udp();
    EXPECT_FALSE(core::get(s, opt::reuse_address).value());
    expect_round_trip(s, opt::reuse_address, true);
    expect_round_trip(s, opt::reuse_address, false);
  });
}

MCNET_OPTION_TEST(NetSolSocket, opt::reuse_port, ReusePortLetsTwoSocketsBindOnePort) {
  MCNET_REQUIRE_NETNS();
  in_host([] {
    auto a = udp();
    auto b = udp();
    expect_round_trip(a, opt::reuse_port, true);
    expect_round_trip(b, opt::reuse_port, true);
    ASSERT_TRUE(core::bind(a, core::endpoint::parse("0.0.0.0:0").value()));
    auto port = core::local_endpoint(a).value().port();
    auto r = core::bind(b, core::endpoint(core::ip_address::any_v4(), port));
    EXPECT_TRUE(r) << r.error().message();
  });
}

MCNET_OPTION_TEST(NetSolSocket, opt::receive_buffer, ReceiveBufferIsDoubled) {
  MCNET_REQUIRE_NETNS();
  in_host([] {
    auto s = udp();
    expect_round_trip(s, opt::receive_buffer, 65536);
  });
}

MCNET_OPTION_TEST(NetSolSocket, opt::send_buffer, SendBufferIsDoubled) {
  MCNET_REQUIRE_NETNS();
  in_host([] {
    auto s = udp();
    expect_round_trip(s, opt::send_buffer, 65536);
  });
}

// A negative size would reach the kernel as a huge one (clamped to the
// maximum): refused before the call, for the four buffer options. 0 is a
// size below the kernel's minimum, which it raises to the minimum.
TEST(NetSolSocketErrors, NegativeBufferSizesAreRefusedBeforeTheCall) {
  MCNET_REQUIRE_NETNS();
  in_host([] {
    auto s = udp();
    const int before = core::get(s, opt::receive_buffer).value();
    const auto refused = [](const mcnet::result<void>& r, std::string_view what) {
      ASSERT_FALSE(r) << what;
      EXPECT_EQ(r.error().code, mcnet::errc::value_out_of_range) << what;
      EXPECT_EQ(r.error().number(), -1) << what;
      EXPECT_EQ(r.error().what, what);
    };
    refused(core::set(s, opt::receive_buffer, -1), "SO_RCVBUF");
    refused(core::set(s, opt::send_buffer, -1), "SO_SNDBUF");
    refused(core::set(s, opt::receive_buffer_force, -1), "SO_RCVBUFFORCE");
    refused(core::set(s, opt::send_buffer_force, -1), "SO_SNDBUFFORCE");
    EXPECT_EQ(core::get(s, opt::receive_buffer).value(), before) << "nothing reached the kernel";
    ASSERT_TRUE(core::set(s, opt::receive_buffer, 0));
    const int minimum = core::get(s, opt::receive_buffer).value();
    EXPECT_GT(minimum, 0) << "0 is raised to the kernel's minimum";
    ASSERT_TRUE(core::set(s, opt::receive_buffer, 1));
    EXPECT_EQ(core::get(s, opt::receive_buffer).value(), minimum) << "as any size below it";
  });
}

MCNET_OPTION_TEST(NetSolSocket, opt::receive_buffer_force, ReceiveBufferForceIgnoresRmemMax) {
  MCNET_REQUIRE_NETNS();
  in_host([] {
    auto s = udp();
    const int big = 64 << 20;  // far above any default net.core.rmem_max
    auto r = core::set(s, opt::receive_buffer_force, big);
    ASSERT_TRUE(r) << r.error().message();
    EXPECT_EQ(core::get(s, opt::receive_buffer).value(), 2 * big) << "read back through SO_RCVBUF";
  });
}

MCNET_OPTION_TEST(NetSolSocket, opt::send_buffer_force, SendBufferForceIgnoresWmemMax) {
  MCNET_REQUIRE_NETNS();
  in_host([] {
    auto s = udp();
    const int big = 64 << 20;
    auto r = core::set(s, opt::send_buffer_force, big);
    ASSERT_TRUE(r) << r.error().message();
    EXPECT_EQ(core::get(s, opt::send_buffer).value(), 2 * big) << "read back through SO_SNDBUF";
  });
}

MCNET_OPTION_TEST(NetSolSocket, opt::bind_to_device, BindToDeviceNamesAnInterface) {
  MCNET_REQUIRE_NETNS();
  in_host([] {
    auto s = udp();
    EXPECT_TRUE(core::get(s, opt::bind_to_device).value().empty());
    expect_round_trip(s, opt::bind_to_device, core::interface_name::make("eth0").value());
    expect_round_trip(s, opt::bind_to_device, core::interface_name{});
    auto missing = core::set(s, opt::bind_to_device, core::interface_name::make("eth9").value());
    ASSERT_FALSE(missing);
    EXPECT_EQ(missing.error().code, std::errc::no_such_device);
    EXPECT_NE(missing.error().message().find("SO_BINDTODEVICE"), std::string::npos);
    EXPECT_NE(missing.error().message().find("no interface of that name"), std::string::npos);
    EXPECT_EQ(missing.error().input(), "eth9");
  });
}

MCNET_OPTION_TEST(NetSolSocket, opt::broadcast, Broadcast) {
  MCNET_REQUIRE_NETNS();
  in_host([] {
    auto s = udp();
    expect_round_trip(s, opt::broadcast, true);
    expect_round_trip(s, opt::broadcast, false);
  });
}

MCNET_OPTION_TEST(NetSolSocket, opt::priority, Priority) {
  MCNET_REQUIRE_NETNS();
  in_host([] {
    auto s = udp();
    expect_round_trip(s, opt::priority, 6);
    expect_round_trip(s, opt::priority, 0);
  });
}

MCNET_OPTION_TEST(NetSolSocket, opt::mark, Mark) {
  MCNET_REQUIRE_NETNS();
  in_host([] {
    auto s = udp();
    expect_round_trip(s, opt::mark, std::uint32_t{0x77});
  });
}

MCNET_OPTION_TEST(NetSolSocket, opt::timestamp_ns, TimestampNs) {
  MCNET_REQUIRE_NETNS();
  in_host([] {
    auto s = udp();
    expect_round_trip(s, opt::timestamp_ns, true);
    expect_round_trip(s, opt::timestamp_ns, false);
  });
}

MCNET_OPTION_TEST(NetSolSocket, opt::timestamping, TimestampingFlags) {
  MCNET_REQUIRE_NETNS();
  in_host([] {
    auto s = udp();
    expect_round_trip(s, opt::timestamping, std::uint32_t{SOF_TIMESTAMPING_RX_SOFTWARE | SOF_TIMESTAMPING_SOFTWARE});
    expect_round_trip(s, opt::timestamping, std::uint32_t{0});
  });
}

MCNET_OPTION_TEST(NetSolSocket, opt::receive_queue_overflow, ReceiveQueueOverflow) {
  MCNET_REQUIRE_NETNS();
  in_host([] {
    auto s = udp();
    expect_round_trip(s, opt::receive_queue_overflow, true);
  });
}

MCNET_OPTION_TEST(NetSolSocket, opt::busy_poll, BusyPoll) {
  MCNET_REQUIRE_NETNS();
  in_host([] {
    auto s = udp();
    expect_round_trip(s, opt::busy_poll, 50);
    expect_round_trip(s, opt::busy_poll, 0);
  });
}

MCNET_OPTION_TEST(NetSolSocket, opt::prefer_busy_poll, PreferBusyPoll) {
  MCNET_REQUIRE_NETNS();
  in_host([] {
    auto s = udp();
    expect_round_trip(s, opt::prefer_busy_poll, true);
  });
}

MCNET_OPTION_TEST(NetSolSocket, opt::busy_poll_budget, BusyPollBudgetIsWriteOnlyAndChecked) {
  MCNET_REQUIRE_NETNS();
  in_host([] {
    auto s = udp();
    // The kernel has no getsockopt for it: the table records it write-only.
    auto r = core::set(s, opt::busy_poll_budget, 16);
    ASSERT_TRUE(r) << r.error().message();
    auto bad = core::set(s, opt::busy_poll_budget, 70000);
    ASSERT_FALSE(bad) << "the kernel takes 0 to 65535";
    EXPECT_EQ(bad.error().code, std::errc::invalid_argument);
    EXPECT_EQ(bad.error().code, mcnet::errc::value_out_of_range) << "refused before the call";
    EXPECT_EQ(bad.error().number(), 70000);
    EXPECT_EQ(bad.error().what, "SO_BUSY_POLL_BUDGET");
    EXPECT_EQ(core::set(s, opt::busy_poll_budget, -1).error().code, mcnet::errc::value_out_of_range);
    EXPECT_TRUE(core::set(s, opt::busy_poll_budget, 0)) << "0 is in the kernel's range";
  });
}

MCNET_OPTION_TEST(NetSolSocket, opt::incoming_napi_id, IncomingNapiIdIsZeroOnAFreshSocket) {
  MCNET_REQUIRE_NETNS();
  in_host([] {
    auto s = udp();
    auto id = core::get(s, opt::incoming_napi_id);
    ASSERT_TRUE(id) << id.error().message();
    EXPECT_EQ(*id, 0u) << "no packet has arrived yet";
  });
}

MCNET_OPTION_TEST(NetSolSocket, opt::incoming_cpu, IncomingCpu) {
  MCNET_REQUIRE_NETNS();
  in_host([] {
    auto s = udp();
    EXPECT_EQ(core::get(s, opt::incoming_cpu).value(), -1) << "no packet has arrived yet";
    expect_round_trip(s, opt::incoming_cpu, 0);
  });
}

MCNET_OPTION_TEST(NetSolSocket, opt::pending_error, PendingErrorReportsRefusalOnceThenClears) {
  MCNET_REQUIRE_NETNS();
  in_host([] {
    // A connected UDP socket learns of ICMP port unreachable through SO_ERROR.
    // Everything stays on this namespace's own loopback.
    auto closed = udp();
    ASSERT_TRUE(core::bind(closed, core::endpoint::parse("127.0.0.1:0").value()));
    auto port = core::local_endpoint(closed).value().port();
    closed.close();  // nobody listens on `port` now

    auto s = udp();
    EXPECT_FALSE(core::get(s, opt::pending_error).value()) << "no error on a fresh socket";
    ASSERT_TRUE(core::connect(s, core::endpoint(core::ip_address::v4(127, 0, 0, 1), port)));
    ASSERT_EQ(::send(s.native_handle(), "x", 1, 0), 1);
    std::error_code pending;
    for (int i = 0; i < 200 && !pending; ++i) {  // the ICMP error arrives asynchronously; at most 1 s
      pending = core::get(s, opt::pending_error).value();
      if (!pending) std::this_thread::sleep_for(std::chrono::milliseconds(5));
    }
    EXPECT_EQ(pending, std::errc::connection_refused);
    EXPECT_FALSE(core::get(s, opt::pending_error).value()) << "reading SO_ERROR clears it";
  });
}

MCNET_OPTION_TEST(NetSolSocket, opt::memory_info, MemoryInfoCountsQueuedBytesAndDrops) {
  MCNET_REQUIRE_NETNS();
  in_host([] {
    // A small receive buffer on this namespace's loopback, flooded: the
    // datagrams that do not fit are counted in `drops`, exactly as the
    // sender's count minus what can be read.
    auto rx = udp();
    ASSERT_TRUE(core::set(rx, opt::receive_buffer, 4096));
    ASSERT_TRUE(core::bind(rx, core::endpoint::parse("127.0.0.1:0").value()));
    const auto to = core::local_endpoint(rx).value();
    auto fresh = core::get(rx, opt::memory_info);
    ASSERT_TRUE(fresh) << fresh.error().message();
    EXPECT_EQ(fresh->drops, 0u);
    EXPECT_EQ(fresh->receive_allocated, 0u);
    EXPECT_EQ(static_cast<int>(fresh->receive_buffer), core::get(rx, opt::receive_buffer).value());

    auto tx = udp();
    ASSERT_TRUE(core::connect(tx, to));
    constexpr int sent = 200;
    const char payload[100] = {};
    for (int i = 0; i < sent; ++i) ASSERT_EQ(::send(tx.native_handle(), payload, sizeof payload, 0), 100);
    auto full = core::get(rx, opt::memory_info).value();
    EXPECT_GT(full.receive_allocated, 0u);
    EXPECT_GT(full.drops, 0u);
    int read = 0;
    char buf[200];
    while (::recv(rx.native_handle(), buf, sizeof buf, MSG_DONTWAIT) > 0) ++read;
    EXPECT_EQ(static_cast<int>(full.drops) + read, sent) << "every datagram was either queued or counted as dropped";
    EXPECT_EQ(core::get(rx, opt::memory_info).value().receive_allocated, 0u) << "all read";
  });
}

MCNET_OPTION_TEST(NetSolSocket, opt::socket_type, SocketType) {
  MCNET_REQUIRE_NETNS();
  in_host([] {
    EXPECT_EQ(core::get(udp(), opt::socket_type).value(), SOCK_DGRAM);
    auto tcp = core::socket::open(AF_INET, SOCK_STREAM).value();
    EXPECT_EQ(core::get(tcp, opt::socket_type).value(), SOCK_STREAM);
  });
}

MCNET_OPTION_TEST(NetSolSocket, opt::socket_domain, SocketDomain) {
  MCNET_REQUIRE_NETNS();
  in_host([] {
    EXPECT_EQ(core::get(udp(AF_INET), opt::socket_domain).value(), AF_INET);
    EXPECT_EQ(core::get(udp(AF_INET6), opt::socket_domain).value(), AF_INET6);
  });
}

MCNET_OPTION_TEST(NetSolSocket, opt::socket_protocol, SocketProtocol) {
  MCNET_REQUIRE_NETNS();
  in_host([] {
    EXPECT_EQ(core::get(udp(), opt::socket_protocol).value(), IPPROTO_UDP);
    auto tcp = core::socket::open(AF_INET6, SOCK_STREAM).value();
    EXPECT_EQ(core::get(tcp, opt::socket_protocol).value(), IPPROTO_TCP);
  });
}

// Send one datagram to `to` over this namespace's loopback and say whether
// `receiver` got it within 200 ms.
bool delivered(core::socket_ref receiver, const core::endpoint& to) {
  auto sender = udp();
  sockaddr_storage sa{};
  auto len = to.to_sockaddr(sa);
  if (::sendto(sender.native_handle(), "ping", 4, 0, reinterpret_cast<sockaddr*>(&sa), len) != 4) return false;
  pollfd pfd{receiver.native_handle(), POLLIN, 0};
  if (::poll(&pfd, 1, 200) != 1) return false;
  char buf[16];
  return ::recv(receiver.native_handle(), buf, sizeof buf, 0) == 4;
}

MCNET_OPTION_TEST(NetSolSocket, opt::attach_filter, AttachFilterDropsWhatItRejects) {
  MCNET_REQUIRE_NETNS();
  in_host([] {
    auto s = udp();
    ASSERT_TRUE(core::bind(s, core::endpoint::parse("127.0.0.1:0").value()));
    auto local = core::local_endpoint(s).value();
    ASSERT_TRUE(delivered(s, local)) << "without a filter the datagram arrives";

    const sock_filter drop_all[] = {{BPF_RET | BPF_K, 0, 0, 0}};
    auto r = core::set(s, opt::attach_filter, std::span<const sock_filter>(drop_all));
    ASSERT_TRUE(r) << r.error().message();
    EXPECT_FALSE(delivered(s, local)) << "the filter returned 0: dropped";
    // mcast-recv(1), kernel_drops: "Datagrams a socket filter refuses are
    // counted too", in the socket's drop counter that SO_MEMINFO reads.
    EXPECT_EQ(core::get(s, opt::memory_info).value().drops, 1u) << "the refused datagram is a socket drop";

    auto empty = core::set(s, opt::attach_filter, std::span<const sock_filter>());
    ASSERT_FALSE(empty);
    EXPECT_EQ(empty.error().code, mcnet::errc::value_out_of_range);
    EXPECT_NE(empty.error().message().find("SO_ATTACH_FILTER"), std::string::npos) << empty.error().message();
  });
}

MCNET_OPTION_TEST(NetSolSocket, opt::detach_filter, DetachFilterRestoresDelivery) {
  MCNET_REQUIRE_NETNS();
  in_host([] {
    auto s = udp();
    ASSERT_TRUE(core::bind(s, core::endpoint::parse("127.0.0.1:0").value()));
    auto local = core::local_endpoint(s).value();
    auto none = core::set(s, opt::detach_filter);
    ASSERT_FALSE(none) << "nothing attached yet";
    EXPECT_EQ(none.error().code, std::errc::no_such_file_or_directory);

    const sock_filter drop_all[] = {{BPF_RET | BPF_K, 0, 0, 0}};
    ASSERT_TRUE(core::set(s, opt::attach_filter, std::span<const sock_filter>(drop_all)));
    EXPECT_FALSE(delivered(s, local));
    auto r = core::set(s, opt::detach_filter);
    ASSERT_TRUE(r) << r.error().message();
    EXPECT_TRUE(delivered(s, local)) << "filter gone: delivered again";
  });
}

TEST(SolSocketTable, OutOfRangeIsRefusedBeforeTheCall) {
  using mcnet::test::expect_refused_before_the_call;
  expect_refused_before_the_call(opt::linger, core::linger{true, std::chrono::seconds(-1)}, -1);
  expect_refused_before_the_call(opt::linger, core::linger{true, std::chrono::seconds(std::int64_t{INT_MAX} + 1)},
                                 std::int64_t{INT_MAX} + 1);
  expect_refused_before_the_call(opt::receive_timeout, std::chrono::microseconds(-1), -1);
  expect_refused_before_the_call(opt::send_timeout, std::chrono::microseconds(-1), -1);
  expect_refused_before_the_call(opt::receive_low_water, 0, 0);
  expect_refused_before_the_call(opt::receive_low_water, -1, -1);
}

core::socket tcp(int family = AF_INET) {
  auto s = core::socket::open(family, SOCK_STREAM);
  if (!s) throw std::runtime_error(s.error().message());
  return std::move(*s);
}

MCNET_OPTION_TEST(NetSolSocket, opt::keep_alive, KeepAlive) {
  MCNET_REQUIRE_NETNS();
  in_host([] {
    auto s = tcp();
    EXPECT_FALSE(core::get(s, opt::keep_alive).value());
    expect_round_trip(s, opt::keep_alive, true);
    expect_round_trip(s, opt::keep_alive, false);
  });
}

MCNET_OPTION_TEST(NetSolSocket, opt::linger, LingerOnWithSecondsAndOff) {
  MCNET_REQUIRE_NETNS();
  in_host([] {
    auto s = tcp();
    EXPECT_EQ(core::get(s, opt::linger).value(), core::linger{}) << "off, 0 s on a fresh socket";
    expect_round_trip(s, opt::linger, core::linger{true, std::chrono::seconds(5)});
    expect_round_trip(s, opt::linger, core::linger{true, std::chrono::seconds(0)});
    expect_round_trip(s, opt::linger, core::linger{false, std::chrono::seconds(0)});
    // Off keeps the last time set: the kernel stores it only when lingering is on.
    ASSERT_TRUE(core::set(s, opt::linger, core::linger{true, std::chrono::seconds(9)}));
    ASSERT_TRUE(core::set(s, opt::linger, core::linger{false, std::chrono::seconds(0)}));
    EXPECT_EQ(core::get(s, opt::linger).value(), (core::linger{false, std::chrono::seconds(9)}));
    auto negative = core::set(s, opt::linger, core::linger{true, std::chrono::seconds(-1)});
    ASSERT_FALSE(negative);
    EXPECT_EQ(negative.error().code, mcnet::errc::value_out_of_range);
    EXPECT_EQ(negative.error().what, "SO_LINGER");
    EXPECT_EQ(negative.error().number(), -1);
    EXPECT_EQ(core::get(s, opt::linger).value(), (core::linger{false, std::chrono::seconds(9)})) << "nothing set";
  });
}

// The kernel keeps these timeouts in clock ticks (1/HZ s, HZ 100 to 1000):
// 1.5 s and 0 are whole ticks at every HZ, so they read back exactly.
template <class Opt>
void expect_timeout_round_trips(const Opt& o) {
  auto s = udp();
  EXPECT_EQ(core::get(s, o).value(), std::chrono::microseconds(0)) << "no timeout on a fresh socket";
  expect_round_trip(s, o, std::chrono::microseconds(std::chrono::milliseconds(1500)));
  expect_round_trip(s, o, std::chrono::microseconds(std::chrono::seconds(3)));
  expect_round_trip(s, o, std::chrono::microseconds(0));
  auto negative = core::set(s, o, std::chrono::microseconds(-1));
  ASSERT_FALSE(negative) << "the kernel would take a negative time as no timeout at all";
  EXPECT_EQ(negative.error().code, mcnet::errc::value_out_of_range);
  EXPECT_EQ(negative.error().what, o.spelling);
}

MCNET_OPTION_TEST(NetSolSocket, opt::receive_timeout, ReceiveTimeoutIsADuration) {
  MCNET_REQUIRE_NETNS();
  in_host([] { expect_timeout_round_trips(opt::receive_timeout); });
}

MCNET_OPTION_TEST(NetSolSocket, opt::send_timeout, SendTimeoutIsADuration) {
  MCNET_REQUIRE_NETNS();
  in_host([] { expect_timeout_round_trips(opt::send_timeout); });
}

MCNET_OPTION_TEST(NetSolSocket, opt::out_of_band_inline, OutOfBandInline) {
  MCNET_REQUIRE_NETNS();
  in_host([] {
    auto s = tcp();
    expect_round_trip(s, opt::out_of_band_inline, true);
    expect_round_trip(s, opt::out_of_band_inline, false);
  });
}

MCNET_OPTION_TEST(NetSolSocket, opt::dont_route, DontRoute) {
  MCNET_REQUIRE_NETNS();
  in_host([] {
    auto s = udp();
    expect_round_trip(s, opt::dont_route, true);
    expect_round_trip(s, opt::dont_route, false);
  });
}

MCNET_OPTION_TEST(NetSolSocket, opt::receive_low_water, ReceiveLowWaterRefusesZeroAndNegative) {
  MCNET_REQUIRE_NETNS();
  in_host([] {
    auto s = tcp();
    EXPECT_EQ(core::get(s, opt::receive_low_water).value(), 1);
    expect_round_trip(s, opt::receive_low_water, 4096);
    for (int bad : {0, -1}) {
      auto r = core::set(s, opt::receive_low_water, bad);
      ASSERT_FALSE(r) << bad;
      EXPECT_EQ(r.error().code, mcnet::errc::value_out_of_range);
      EXPECT_EQ(r.error().number(), bad);
    }
    EXPECT_EQ(core::get(s, opt::receive_low_water).value(), 4096) << "refused before the kernel saw it";
  });
}

// SO_RCVLOWAT as the kernel takes it (tcp_set_rcvlowat): on TCP it clamps
// the value to half the largest receive buffer the socket may have
// (net.ipv4.tcp_rmem's maximum, or SO_RCVBUF's value once that is set,
// which locks it), and, SO_RCVBUF not set, raises the receive buffer so
// that the mark can be reached; on a Unix socket the value stays as set.
// Pinned as docs/sockets.md and the option's comment say.
TEST(NetSolSocket, ReceiveLowWaterOnTcpIsClampedToHalfTheLargestReceiveBuffer) {
  MCNET_REQUIRE_NETNS();
  in_host([] {
    std::array<long long, 3> rmem{};
    std::ifstream("/proc/sys/net/ipv4/tcp_rmem") >> rmem[0] >> rmem[1] >> rmem[2];
    ASSERT_GT(rmem[2], 0) << "net.ipv4.tcp_rmem of this namespace unreadable";
    const auto half_max = static_cast<int>(std::min<long long>(INT_MAX, rmem[2] / 2));

    auto s = tcp();
    const int before = core::get(s, opt::receive_buffer).value();
    ASSERT_TRUE(core::set(s, opt::receive_low_water, INT_MAX));
    const int mark = core::get(s, opt::receive_low_water).value();
    EXPECT_EQ(mark, half_max) << "INT_MAX clamped to half of tcp_rmem's maximum " << rmem[2];
    const int after = core::get(s, opt::receive_buffer).value();
    EXPECT_GT(after, before) << "the receive buffer grows so that the mark can be reached";
    EXPECT_GE(after, mark);

    // SO_RCVBUF set (locked): the clamp is half of it, and it stays.
    auto locked = tcp();
    ASSERT_TRUE(core::set(locked, opt::receive_buffer, 65536));
    const int granted = core::get(locked, opt::receive_buffer).value();  // doubled by the kernel
    ASSERT_TRUE(core::set(locked, opt::receive_low_water, INT_MAX));
    EXPECT_EQ(core::get(locked, opt::receive_low_water).value(), granted / 2);
    EXPECT_EQ(core::get(locked, opt::receive_buffer).value(), granted) << "a buffer the caller set is not raised";
    // Below the clamp the value is as set.
    ASSERT_TRUE(core::set(locked, opt::receive_low_water, 1000));
    EXPECT_EQ(core::get(locked, opt::receive_low_water).value(), 1000);
  });
}

// A connected pair of Unix sockets (closed with the object).
struct unix_pair {
  core::unique_fd a, b;
  explicit unix_pair(int type) {
    int fds[2];
    if (::socketpair(AF_UNIX, type | SOCK_CLOEXEC, 0, fds) != 0) throw std::runtime_error("socketpair failed");
    a.reset(fds[0]);
    b.reset(fds[1]);
  }
  [[nodiscard]] core::socket_ref first() const { return core::socket_ref(a.get()); }
  [[nodiscard]] core::socket_ref second() const { return core::socket_ref(b.get()); }
};

// A Unix socket pair sends nothing on any interface: no namespace needed.
TEST(SolSocketUnix, ReceiveLowWaterOnUnixStaysAsSet) {
  unix_pair pair(SOCK_STREAM);
  const int before = core::get(pair.first(), opt::receive_buffer).value();
  ASSERT_TRUE(core::set(pair.first(), opt::receive_low_water, INT_MAX));
  EXPECT_EQ(core::get(pair.first(), opt::receive_low_water).value(), INT_MAX) << "no clamp outside TCP";
  EXPECT_EQ(core::get(pair.first(), opt::receive_buffer).value(), before) << "nor a bigger buffer";
}

MCNET_OPTION_TEST(SolSocketUnix, opt::peer_credentials, PeerCredentialsAreThisProcess) {
  unix_pair pair(SOCK_STREAM);
  const core::peer_credentials me{::getpid(), ::getuid(), ::getgid()};
  EXPECT_EQ(core::get(pair.first(), opt::peer_credentials).value(), me);
  EXPECT_EQ(core::get(pair.second(), opt::peer_credentials).value(), me);
  // No peer: the kernel answers pid 0, uid and gid (uid_t)-1, which no process has.
  const int lone = ::socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
  ASSERT_GE(lone, 0);
  auto none = core::get(core::socket_ref(lone), opt::peer_credentials);
  ::close(lone);
  ASSERT_FALSE(none);
  EXPECT_EQ(none.error().code, std::errc::not_connected) << none.error().message();
  EXPECT_EQ(none.error().what, "SO_PEERCRED");
  EXPECT_NE(none.error().message().find("connected Unix socket"), std::string::npos) << none.error().message();
}

MCNET_OPTION_TEST(SolSocketUnix, opt::pass_credentials, PassCredentials) {
  unix_pair pair(SOCK_DGRAM);
  EXPECT_FALSE(core::get(pair.first(), opt::pass_credentials).value());
  expect_round_trip(pair.first(), opt::pass_credentials, true);
  expect_round_trip(pair.first(), opt::pass_credentials, false);
}

MCNET_OPTION_TEST(NetSolSocket, opt::zerocopy, ZerocopyOnTcpAndUdpOnly) {
  MCNET_REQUIRE_NETNS();
  in_host([] {
    auto u = udp();
    EXPECT_FALSE(core::get(u, opt::zerocopy).value());
    expect_round_trip(u, opt::zerocopy, true);
    expect_round_trip(u, opt::zerocopy, false);
    auto t = tcp(AF_INET6);
    expect_round_trip(t, opt::zerocopy, true);
    unix_pair pair(SOCK_STREAM);
    auto unix_socket = core::set(pair.first(), opt::zerocopy, true);
    ASSERT_FALSE(unix_socket);
    EXPECT_EQ(unix_socket.error().code, std::errc::operation_not_supported);
    EXPECT_EQ(unix_socket.error().what, "SO_ZEROCOPY");
    // The kernel knows the option: the hint blames the socket type, not its age.
    const auto text = unix_socket.error().message();
    EXPECT_NE(text.find("does not apply to this socket's type"), std::string::npos) << text;
    EXPECT_EQ(text.find("too old"), std::string::npos) << text;
  });
}

// Errors name the option and, for the usual errnos, say what to do.
TEST(NetSolSocketErrors, WrongLevelAndBadDescriptor) {
  MCNET_REQUIRE_NETNS();
  in_host([] {
    auto s = udp();
    // A user descriptor for a TCP-level option, asked of a UDP socket.
    constexpr core::sockopt<core::int_codec> tcp_nodelay{IPPROTO_TCP, 1 /* TCP_NODELAY */, "TCP_NODELAY"};
    auto r = core::get(s, tcp_nodelay);
    ASSERT_FALSE(r);
    // ENOPROTOOPT on older kernels, EOPNOTSUPP on newer ones.
    EXPECT_TRUE(r.error().code == std::errc::no_protocol_option || r.error().code == std::errc::operation_not_supported)
        << r.error().message();
    EXPECT_EQ(r.error().what, "TCP_NODELAY");
    EXPECT_NE(r.error().message().find("does not apply to this socket"), std::string::npos) << r.error().message();

    auto bad = core::get(core::socket_ref(-1), opt::reuse_address);
    ASSERT_FALSE(bad);
    EXPECT_EQ(bad.error().code, std::errc::bad_file_descriptor);
    EXPECT_EQ(bad.error().message().find("getsockopt SO_REUSEADDR:"), 0u) << bad.error().message();
  });
}

TEST(NetSolSocketErrors, PrivilegedOptionsNameTheCapability) {
  MCNET_REQUIRE_NETNS();
  in_host([] {
    mcnet::test::drop_capabilities_on_this_thread({CAP_NET_ADMIN, CAP_NET_RAW});
    auto s = udp();
    auto mark = core::set(s, opt::mark, std::uint32_t{1});
    ASSERT_FALSE(mark) << "SO_MARK without CAP_NET_ADMIN";
    EXPECT_EQ(mark.error().code, std::errc::operation_not_permitted);
    EXPECT_NE(mark.error().message().find("needs CAP_NET_ADMIN"), std::string::npos) << mark.error().message();
    auto force = core::set(s, opt::receive_buffer_force, 1 << 20);
    ASSERT_FALSE(force);
    EXPECT_EQ(force.error().code, std::errc::operation_not_permitted);
    EXPECT_EQ(force.error().what, "SO_RCVBUFFORCE");
  });
}

}  // namespace
