// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The mcnet authors
//
// The IPPROTO_TCP table: a behaviour test per entry inside a private
// namespace, values outside the kernel's ranges refused before the call,
// and TCP_INFO read on a live connection between two hosts.

#include <gtest/gtest.h>

#include <linux/capability.h>
#include <netinet/in.h>
#include <sys/socket.h>

#include <algorithm>
#include <array>
#include <chrono>
#include <climits>
#include <cstddef>
#include <fstream>
#include <iterator>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include <mcnet/core/dial.hpp>
#include <mcnet/core/socket.hpp>
#include <mcnet/core/socket_ops.hpp>
#include <mcnet/core/sysctl.hpp>
#include <mcnet/core/tcp_options.hpp>

#include "capabilities.hpp"
#include "lan.hpp"
#include "option_test.hpp"
#include "privilege.hpp"
#include "tcp_helpers.hpp"

namespace core = mcnet::core;
namespace opt = mcnet::core::opt;
using mcnet::errc;
using namespace std::chrono_literals;

namespace {

TEST(TcpTable, EveryEntryHasABehaviourTest) { mcnet::test::expect_every_entry_tested(opt::tcp_table); }

using mcnet::test::expect_refused_before_the_call;

// The refusal names the range, as SO_RCVTIMEO's and SO_LINGER's do.
TEST(TcpTable, OutOfRangeNamesTheRange) {
  const auto hint_of = [](const mcnet::result<void>& r) { return r ? std::string() : std::string(r.error().hint()); };
  EXPECT_EQ(hint_of(core::set(core::socket_ref(-1), opt::tcp_keep_idle, 0s)), "the kernel takes 1 to 32767 seconds");
  EXPECT_EQ(hint_of(core::set(core::socket_ref(-1), opt::tcp_user_timeout, -1ms)),
            "the kernel takes 0 to 2147483647 milliseconds");
  EXPECT_EQ(hint_of(core::set(core::socket_ref(-1), opt::tcp_keep_count, 128)), "the kernel takes 1 to 127");
  EXPECT_EQ(hint_of(core::set(core::socket_ref(-1), opt::tcp_max_segment, 87)), "the kernel takes 0 or 88 to 32767");
  EXPECT_EQ(hint_of(core::set(core::socket_ref(-1), opt::tcp_linger2, -2s)), "the kernel takes -1 to 120 seconds");
}

TEST(TcpTable, OutOfRangeIsRefusedBeforeTheCall) {
  expect_refused_before_the_call(opt::tcp_keep_idle, 0s, 0);
  expect_refused_before_the_call(opt::tcp_keep_idle, 32768s, 32768);
  expect_refused_before_the_call(opt::tcp_keep_interval, 0s, 0);
  expect_refused_before_the_call(opt::tcp_keep_interval, 32768s, 32768);
  expect_refused_before_the_call(opt::tcp_keep_count, 0, 0);
  expect_refused_before_the_call(opt::tcp_keep_count, 128, 128);
  expect_refused_before_the_call(opt::tcp_user_timeout, -1ms, -1);
  expect_refused_before_the_call(opt::tcp_user_timeout, std::chrono::milliseconds(std::int64_t{INT_MAX} + 1),
                                 std::int64_t{INT_MAX} + 1);
  expect_refused_before_the_call(opt::tcp_fastopen, -1, -1);
  expect_refused_before_the_call(opt::tcp_defer_accept, -1s, -1);
  expect_refused_before_the_call(opt::tcp_max_segment, 87, 87);
  expect_refused_before_the_call(opt::tcp_max_segment, 32768, 32768);
  expect_refused_before_the_call(opt::tcp_window_clamp, -1, -1);
  expect_refused_before_the_call(opt::tcp_syn_count, 0, 0);
  expect_refused_before_the_call(opt::tcp_syn_count, 128, 128);
  expect_refused_before_the_call(opt::tcp_linger2, -2s, -2);
  expect_refused_before_the_call(opt::tcp_linger2, 121s, 121);
  // Beyond the table: the kernel's own checks stay the kernel's.
  auto bad_fd = core::set(core::socket_ref(-1), opt::tcp_keep_idle, 30s);
  ASSERT_FALSE(bad_fd);
  EXPECT_EQ(bad_fd.error().code, std::errc::bad_file_descriptor) << "in range: the call was made";
}

core::socket tcp(int family = AF_INET) {
  auto s = core::socket::open(family, SOCK_STREAM);
  if (!s) throw std::runtime_error(s.error().message());
  return std::move(*s);
}

using mcnet::test::expect_round_trip;
using mcnet::test::in_host;

// Each boolean option: off on a fresh socket, then on and off again.
template <class Opt>
void expect_switch(const Opt& o) {
  auto s = tcp();
  EXPECT_FALSE(core::get(s, o).value()) << o.spelling;
  expect_round_trip(s, o, true);
  expect_round_trip(s, o, false);
}

MCNET_OPTION_TEST(NetTcpOptions, opt::tcp_no_delay, NoDelay) {
  MCNET_REQUIRE_NETNS();
  in_host([] { expect_switch(opt::tcp_no_delay); });
}

MCNET_OPTION_TEST(NetTcpOptions, opt::tcp_cork, Cork) {
  MCNET_REQUIRE_NETNS();
  in_host([] { expect_switch(opt::tcp_cork); });
}

MCNET_OPTION_TEST(NetTcpOptions, opt::tcp_quick_ack, QuickAck) {
  MCNET_REQUIRE_NETNS();
  in_host([] {
    auto s = tcp();
    EXPECT_TRUE(core::get(s, opt::tcp_quick_ack).value()) << "a fresh socket is not in delayed-ACK (pingpong) mode";
    expect_round_trip(s, opt::tcp_quick_ack, false);
    expect_round_trip(s, opt::tcp_quick_ack, true);
  });
}

MCNET_OPTION_TEST(NetTcpOptions, opt::tcp_keep_idle, KeepIdleInSeconds) {
  MCNET_REQUIRE_NETNS();
  in_host([] {
    auto s = tcp();
    const auto sysctl = core::read_sysctl("net.ipv4.tcp_keepalive_time");
    ASSERT_TRUE(sysctl) << sysctl.error().message();
    EXPECT_EQ(core::get(s, opt::tcp_keep_idle).value(), std::chrono::seconds(*sysctl)) << "the sysctl until set";
    expect_round_trip(s, opt::tcp_keep_idle, std::chrono::seconds(30));
    expect_round_trip(s, opt::tcp_keep_idle, std::chrono::seconds(32767));
    expect_round_trip(s, opt::tcp_keep_idle, std::chrono::seconds(1));
  });
}

MCNET_OPTION_TEST(NetTcpOptions, opt::tcp_keep_interval, KeepIntervalInSeconds) {
  MCNET_REQUIRE_NETNS();
  in_host([] {
    auto s = tcp();
    expect_round_trip(s, opt::tcp_keep_interval, std::chrono::seconds(5));
    expect_round_trip(s, opt::tcp_keep_interval, std::chrono::seconds(32767));
  });
}

MCNET_OPTION_TEST(NetTcpOptions, opt::tcp_keep_count, KeepCount) {
  MCNET_REQUIRE_NETNS();
  in_host([] {
    auto s = tcp();
    expect_round_trip(s, opt::tcp_keep_count, 3);
    expect_round_trip(s, opt::tcp_keep_count, 127);
  });
}

MCNET_OPTION_TEST(NetTcpOptions, opt::tcp_user_timeout, UserTimeoutInMilliseconds) {
  MCNET_REQUIRE_NETNS();
  in_host([] {
    auto s = tcp();
    EXPECT_EQ(core::get(s, opt::tcp_user_timeout).value(), 0ms) << "0: the kernel's default";
    expect_round_trip(s, opt::tcp_user_timeout, std::chrono::milliseconds(2500));
    expect_round_trip(s, opt::tcp_user_timeout, std::chrono::milliseconds(0));
  });
}

MCNET_OPTION_TEST(NetTcpOptions, opt::tcp_fastopen, FastOpenQueueLength) {
  MCNET_REQUIRE_NETNS();
  in_host([] {
    auto s = tcp();
    EXPECT_EQ(core::get(s, opt::tcp_fastopen).value(), 0);
    expect_round_trip(s, opt::tcp_fastopen, 16);
  });
}

// TCP_FASTOPEN belongs to listeners: on a connection it reads 0 (an
// accepted socket does not inherit its listener's queue length) and
// setting it is the kernel's EINVAL, whose hint names TCP_FASTOPEN itself.
TEST(NetTcpOptions, FastOpenOnAConnectionReadsZeroAndIsRefusedByName) {
  MCNET_REQUIRE_NETNS();
  auto net = mcnet::test::network::lan(2);
  auto listener = mcnet::test::listen_tcp_on((*net)[1], false);
  ASSERT_TRUE(core::set(listener.socket, opt::tcp_fastopen, 16));
  auto client = (*net)[0].run([&] { return core::dial_tcp(listener.where, {}, 5s).value(); });
  auto server = core::accept_tcp(listener.socket, 5s).value();
  for (auto* s : {&client, &server}) {
    EXPECT_EQ(core::get(*s, opt::tcp_fastopen).value(), 0);
    auto r = core::set(*s, opt::tcp_fastopen, 16);
    ASSERT_FALSE(r);
    EXPECT_EQ(r.error().code, std::errc::invalid_argument) << r.error().message();
    EXPECT_NE(r.error().message().find("TCP_FASTOPEN is set on a listener"), std::string::npos)
        << r.error().message();
  }
}

MCNET_OPTION_TEST(NetTcpOptions, opt::tcp_fastopen_connect, FastOpenConnect) {
  MCNET_REQUIRE_NETNS();
  in_host([] { expect_switch(opt::tcp_fastopen_connect); });
}

MCNET_OPTION_TEST(NetTcpOptions, opt::tcp_defer_accept, DeferAcceptReadsBackWholeRetransmissionPeriods) {
  MCNET_REQUIRE_NETNS();
  in_host([] {
    auto s = tcp();
    EXPECT_EQ(core::get(s, opt::tcp_defer_accept).value(), 0s);
    // Kept as SYN-ACK retransmissions (1 s, then doubling): 5 s needs three,
    // which cover 1 + 2 + 4 = 7 s.
    ASSERT_TRUE(core::set(s, opt::tcp_defer_accept, 5s));
    EXPECT_EQ(core::get(s, opt::tcp_defer_accept).value(), 7s);
    ASSERT_TRUE(core::set(s, opt::tcp_defer_accept, 7s));
    EXPECT_EQ(core::get(s, opt::tcp_defer_accept).value(), 7s);
    ASSERT_TRUE(core::set(s, opt::tcp_defer_accept, 0s));
    EXPECT_EQ(core::get(s, opt::tcp_defer_accept).value(), 0s);
  });
}

MCNET_OPTION_TEST(NetTcpOptions, opt::tcp_max_segment, MaxSegmentBeforeConnect) {
  MCNET_REQUIRE_NETNS();
  in_host([] {
    auto s = tcp();
    EXPECT_EQ(core::get(s, opt::tcp_max_segment).value(), 536) << "TCP_MSS_DEFAULT until connected";
    expect_round_trip(s, opt::tcp_max_segment, 1000);
    expect_round_trip(s, opt::tcp_max_segment, 88);
  });
}

MCNET_OPTION_TEST(NetTcpOptions, opt::tcp_window_clamp, WindowClamp) {
  MCNET_REQUIRE_NETNS();
  in_host([] {
    auto s = tcp();
    EXPECT_EQ(core::get(s, opt::tcp_window_clamp).value(), 0);
    expect_round_trip(s, opt::tcp_window_clamp, 65536);
    expect_round_trip(s, opt::tcp_window_clamp, 0);
    ASSERT_TRUE(core::set(s, opt::tcp_window_clamp, 100));
    EXPECT_GT(core::get(s, opt::tcp_window_clamp).value(), 100) << "raised to half of SOCK_MIN_RCVBUF";
  });
}

// The kernel's EINVAL for a value the socket's state refuses (a clamp of 0
// on a connection) gets a hint, as every usual setsockopt errno does.
TEST(NetTcpOptionsState, WindowClampZeroOnAConnectionIsEinvalWithAHint) {
  MCNET_REQUIRE_NETNS();
  auto net = mcnet::test::network::lan(2);
  auto listener = mcnet::test::listen_tcp_on((*net)[1], false);
  auto client = (*net)[0].run([&] { return core::dial_tcp(listener.where, {}, 5s).value(); });
  auto r = core::set(client, opt::tcp_window_clamp, 0);
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().code, std::errc::invalid_argument) << r.error().message();
  EXPECT_NE(r.error().message().find("before connect or listen"), std::string::npos) << r.error().message();
}

MCNET_OPTION_TEST(NetTcpOptions, opt::tcp_syn_count, SynCount) {
  MCNET_REQUIRE_NETNS();
  in_host([] {
    auto s = tcp();
    const auto sysctl = core::read_sysctl("net.ipv4.tcp_syn_retries");
    ASSERT_TRUE(sysctl) << sysctl.error().message();
    EXPECT_EQ(core::get(s, opt::tcp_syn_count).value(), *sysctl) << "the sysctl until set";
    expect_round_trip(s, opt::tcp_syn_count, 2);
    expect_round_trip(s, opt::tcp_syn_count, 127);
  });
}

MCNET_OPTION_TEST(NetTcpOptions, opt::tcp_linger2, Linger2) {
  MCNET_REQUIRE_NETNS();
  in_host([] {
    auto s = tcp();
    expect_round_trip(s, opt::tcp_linger2, 30s);
    expect_round_trip(s, opt::tcp_linger2, 120s);
    expect_round_trip(s, opt::tcp_linger2, -1s);
    ASSERT_TRUE(core::set(s, opt::tcp_linger2, 0s));
    const auto fin_timeout = core::read_sysctl("net.ipv4.tcp_fin_timeout");
    ASSERT_TRUE(fin_timeout) << fin_timeout.error().message();
    EXPECT_EQ(core::get(s, opt::tcp_linger2).value(), std::chrono::seconds(*fin_timeout)) << "0 reads the sysctl";
  });
}

MCNET_OPTION_TEST(NetTcpOptions, opt::tcp_not_sent_low_water, NotSentLowWater) {
  MCNET_REQUIRE_NETNS();
  in_host([] {
    auto s = tcp();
    EXPECT_EQ(core::get(s, opt::tcp_not_sent_low_water).value(), 0u);
    expect_round_trip(s, opt::tcp_not_sent_low_water, std::uint32_t{16384});
  });
}

MCNET_OPTION_TEST(NetTcpOptions, opt::tcp_congestion, CongestionControlByNameAndUnknownIsEnoent) {
  MCNET_REQUIRE_NETNS();
  in_host([] {
    auto s = tcp();
    auto current = core::get(s, opt::tcp_congestion);
    ASSERT_TRUE(current) << current.error().message();
    EXPECT_FALSE(current->empty());
    // reno is built into every kernel; cubic is the usual default.
    expect_round_trip(s, opt::tcp_congestion, core::congestion_control_name::make("reno").value());
    expect_round_trip(s, opt::tcp_congestion, *current);
    auto unknown = core::set(s, opt::tcp_congestion, core::congestion_control_name::make("no_such_cc").value());
    ASSERT_FALSE(unknown);
    EXPECT_EQ(unknown.error().code, std::errc::no_such_file_or_directory) << unknown.error().message();
    EXPECT_EQ(unknown.error().what, "TCP_CONGESTION");
    EXPECT_EQ(unknown.error().input(), "no_such_cc") << "the name the kernel did not find";
    EXPECT_NE(unknown.error().message().find("tcp_available_congestion_control"), std::string::npos)
        << unknown.error().message();
    EXPECT_NE(unknown.error().message().find("TCP_CONGESTION"), std::string::npos);
    EXPECT_EQ(core::get(s, opt::tcp_congestion).value(), *current) << "unchanged";
  });
}

// The names a congestion-control sysctl lists (space-separated), in order.
std::vector<std::string> congestion_controls(const char* sysctl_file) {
  std::ifstream in(sysctl_file);
  std::istringstream line(std::string(std::istreambuf_iterator<char>(in), {}));
  return {std::istream_iterator<std::string>(line), {}};
}

// An algorithm the kernel has (net.ipv4.tcp_available_congestion_control)
// but outside net.ipv4.tcp_allowed_congestion_control is EPERM without
// CAP_NET_ADMIN: the message names the algorithm, the sysctl and the
// capability. The allowed list is global (not per network namespace), so
// it is read, never changed: with no such algorithm the test skips.
TEST(NetTcpOptions, CongestionControlNotAllowedNamesTheSysctlAndTheCapability) {
  MCNET_REQUIRE_NETNS();
  const auto available = congestion_controls("/proc/sys/net/ipv4/tcp_available_congestion_control");
  const auto allowed = congestion_controls("/proc/sys/net/ipv4/tcp_allowed_congestion_control");
  std::string restricted;
  for (const auto& name : available) {
    if (std::find(allowed.begin(), allowed.end(), name) == allowed.end()) {
      restricted = name;
      break;
    }
  }
  if (restricted.empty()) {
    GTEST_SKIP() << "every algorithm this kernel has loaded is in net.ipv4.tcp_allowed_congestion_control (a "
                    "global sysctl this test does not change), so none is refused without CAP_NET_ADMIN";
  }
  in_host([&] {
    mcnet::test::drop_capabilities_on_this_thread({CAP_NET_ADMIN});
    auto s = tcp();
    auto r = core::set(s, opt::tcp_congestion, core::congestion_control_name::make(restricted).value());
    ASSERT_FALSE(r) << restricted << " was set without CAP_NET_ADMIN";
    EXPECT_EQ(r.error().code, std::errc::operation_not_permitted) << r.error().message();
    EXPECT_EQ(r.error().what, "TCP_CONGESTION");
    EXPECT_EQ(r.error().input(), restricted) << "the algorithm refused: " << r.error().message();
    const auto text = r.error().message();
    EXPECT_NE(text.find("net.ipv4.tcp_allowed_congestion_control"), std::string::npos) << text;
    EXPECT_NE(text.find("CAP_NET_ADMIN"), std::string::npos) << text;
    EXPECT_NE(text.find('"' + restricted + '"'), std::string::npos) << text;
  });
}

// Read TCP_INFO until `done` says so (at most 2 s): counters follow ACKs
// that are still on their way when a write returns.
template <class Done>
core::tcp_connection_info info_when(core::socket_ref s, Done done) {
  core::tcp_connection_info info;
  for (int i = 0; i < 200; ++i) {
    auto r = core::read_tcp_info(s, info);
    if (!r) throw std::runtime_error(r.error().message());
    if (done(info)) break;
    std::this_thread::sleep_for(10ms);
  }
  return info;
}

// A connection between two hosts of a LAN: h0 dials h1. The connecting side
// counts its SYN in bytes_acked (the SYN-ACK acknowledges ISN + 1 and the
// counter is advanced by snd_una's moves); the accepting side counts neither
// SYN in bytes_received nor its SYN-ACK in bytes_acked. Measured on Linux 6.18.
MCNET_OPTION_TEST(NetTcpInfo, opt::tcp_info, LiveConnectionCountsWhatWasSent) {
  MCNET_REQUIRE_NETNS();
  auto net = mcnet::test::network::lan(2);
  const auto& client_host = (*net)[0];
  const auto& server_host = (*net)[1];
  auto listener = mcnet::test::listen_tcp_on(server_host, false);
  auto client = client_host.run([&] { return core::dial_tcp(listener.where, {}, 5s).value(); });
  auto server = core::accept_tcp(listener.socket, 5s).value();

  core::tcp_connection_info fresh;
  ASSERT_TRUE(core::read_tcp_info(client, fresh));
  EXPECT_EQ(fresh.state, core::tcp_state::established);
  EXPECT_EQ(fresh.bytes_acked, 1u) << "the SYN, acknowledged";
  EXPECT_EQ(fresh.bytes_received, 0u);
  EXPECT_EQ(core::read_tcp_info(server, fresh).has_value(), true);
  EXPECT_EQ(fresh.bytes_acked, 0u);
  EXPECT_EQ(fresh.bytes_received, 0u);

  constexpr std::size_t sent = 100'000;
  constexpr std::size_t answer = 3'000;
  std::array<std::byte, 16384> buffer{};
  std::size_t written = 0;
  while (written < sent) {
    const auto n = ::send(client.native_handle(), buffer.data(), std::min(buffer.size(), sent - written), MSG_NOSIGNAL);
    ASSERT_GT(n, 0);
    written += static_cast<std::size_t>(n);
    // Drain as we go: the server's receive buffer is not asked to hold it all.
    while (::recv(server.native_handle(), buffer.data(), buffer.size(), MSG_DONTWAIT) > 0) {
    }
  }
  std::size_t read = 0;
  for (int i = 0; i < 500 && read < sent; ++i) {  // whatever is still in flight, at most 5 s
    const auto n = ::recv(server.native_handle(), buffer.data(), buffer.size(), MSG_DONTWAIT);
    if (n > 0) {
      read += static_cast<std::size_t>(n);
    } else {
      std::this_thread::sleep_for(10ms);
    }
  }
  ASSERT_EQ(::send(server.native_handle(), buffer.data(), answer, MSG_NOSIGNAL), static_cast<ssize_t>(answer));

  const auto client_info = info_when(client, [&](const core::tcp_connection_info& i) {
    return i.unacked == 0 && i.bytes_received == answer;
  });
  EXPECT_EQ(client_info.state, core::tcp_state::established);
  EXPECT_EQ(client_info.ca_state, core::tcp_ca_state::open);
  EXPECT_GT(client_info.rtt, 0us) << "sampled by the traffic";
  EXPECT_GT(client_info.rto, client_info.rtt);
  EXPECT_EQ(client_info.bytes_acked, sent + 1) << "every byte sent, and the SYN";
  EXPECT_EQ(client_info.bytes_received, answer);
  EXPECT_EQ(client_info.unacked, 0u);
  EXPECT_EQ(client_info.lost, 0u);
  EXPECT_EQ(client_info.total_retransmits, 0u) << "a private veth loses nothing";
  EXPECT_GT(client_info.send_mss, 0u);
  EXPECT_LE(client_info.send_mss, 1500u - 40u);
  EXPECT_GT(client_info.receive_mss, 0u);
  EXPECT_GT(client_info.send_congestion_window, 0u);
  EXPECT_TRUE(client_info.options.sack) << "Linux offers and accepts SACK by default";
  EXPECT_TRUE(client_info.options.timestamps);
  EXPECT_TRUE(client_info.options.window_scaling);
  EXPECT_GT(client_info.kernel_length, 104u);
  ASSERT_TRUE(client_info.segments_out && client_info.segments_in);
  EXPECT_GE(*client_info.segments_out, sent / client_info.send_mss) << "at least one segment per MSS sent";
  EXPECT_GT(*client_info.segments_in, 0u);
  ASSERT_TRUE(client_info.delivery_rate);
  EXPECT_GT(*client_info.delivery_rate, 0u) << "bytes per second";
  EXPECT_TRUE(client_info.delivery_rate_app_limited.has_value());
  EXPECT_EQ(client_info.bytes_sent, sent) << "payload only, no SYN";

  const auto server_info = info_when(server, [&](const core::tcp_connection_info& i) { return i.unacked == 0; });
  EXPECT_EQ(server_info.state, core::tcp_state::established);
  EXPECT_EQ(server_info.bytes_received, sent) << "exactly what the client sent";
  EXPECT_EQ(server_info.bytes_acked, answer) << "the accepting side does not count its SYN-ACK";
  EXPECT_GT(server_info.rtt, 0us);

  // The same through the table's descriptor.
  auto by_get = core::get(server, opt::tcp_info);
  ASSERT_TRUE(by_get) << by_get.error().message();
  EXPECT_EQ(by_get->bytes_received, sent);

  core::tcp_connection_info listening;
  ASSERT_TRUE(core::read_tcp_info(listener.socket, listening));
  EXPECT_EQ(listening.state, core::tcp_state::listen);
}

TEST(NetTcpInfo, NotATcpSocket) {
  MCNET_REQUIRE_NETNS();
  in_host([] {
    auto udp = core::socket::open(AF_INET, SOCK_DGRAM).value();
    core::tcp_connection_info info;
    auto r = core::read_tcp_info(udp, info);
    ASSERT_FALSE(r);
    EXPECT_TRUE(r.error().code == std::errc::no_protocol_option || r.error().code == std::errc::operation_not_supported)
        << r.error().message();
    EXPECT_EQ(r.error().what, "TCP_INFO");
  });
}

}  // namespace
