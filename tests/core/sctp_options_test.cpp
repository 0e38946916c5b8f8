// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The mcnet authors
//
// The IPPROTO_SCTP table and SCTP sockets. A kernel without SCTP (no sctp
// module) cannot open the socket: each test then skips, saying so. The
// codecs are tested without a kernel in sockopt_test.cpp.

#include <gtest/gtest.h>

#include <netinet/in.h>
#include <sys/socket.h>

#include <cerrno>
#include <chrono>
#include <optional>
#include <string>

#include <mcnet/core/sctp_options.hpp>
#include <mcnet/core/socket.hpp>
#include <mcnet/core/socket_options.hpp>

#include "lan.hpp"
#include "option_test.hpp"
#include "privilege.hpp"

namespace core = mcnet::core;
namespace opt = mcnet::core::opt;
using namespace std::chrono_literals;

namespace {

TEST(SctpTable, EveryEntryHasABehaviourTest) { mcnet::test::expect_every_entry_tested(opt::sctp_table); }

TEST(SctpSocket, OnlyIpFamilies) {
  auto r = core::open_sctp(AF_UNIX, core::sctp_style::one_to_one);
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().code, mcnet::errc::family_mismatch);
}

// The codecs' checks need no SCTP in the kernel: they come first.
TEST(SctpTable, OutOfRangeIsRefusedBeforeTheCall) {
  using mcnet::test::expect_refused_before_the_call;
  expect_refused_before_the_call(opt::sctp_init_message, core::sctp_init_parameters{1, 1, 1, 65536ms}, 65536);
  expect_refused_before_the_call(opt::sctp_rto_info, core::sctp_rto{-1ms, 1000ms, 500ms}, -1);
  expect_refused_before_the_call(opt::sctp_rto_info, core::sctp_rto{1000ms, std::chrono::milliseconds(1LL << 32), 500ms},
                                 1LL << 32);
  expect_refused_before_the_call(opt::sctp_autoclose, -1s, -1);
  expect_refused_before_the_call(opt::sctp_event, core::sctp_event_switch{1, true}, 1);
}

// Whether `e` is open_sctp's "this kernel has no SCTP": EPROTONOSUPPORT for
// SOCK_STREAM, ESOCKTNOSUPPORT for SOCK_SEQPACKET, with the hint.
bool no_sctp_here(const mcnet::error& e) {
  return (e.code == std::errc::protocol_not_supported ||
          e.code == std::error_code(ESOCKTNOSUPPORT, std::system_category())) &&
         e.what == "IPPROTO_SCTP" && e.message().find("sctp module") != std::string::npos;
}

// Open an SCTP socket in the current thread's namespace, or say why not:
// the error's message when this kernel has no SCTP, and a failure for any
// other error.
std::optional<core::socket> open_or_reason(core::sctp_style style, std::string& reason, int family = AF_INET) {
  auto s = core::open_sctp(family, style);
  if (s) return std::move(*s);
  if (no_sctp_here(s.error())) {
    reason = s.error().message();
    return std::nullopt;
  }
  throw std::runtime_error(s.error().message());
}

// Run `body` on an SCTP socket of `style` inside a one-host LAN. Returns
// why not when the kernel has no SCTP (the caller skips with it).
template <class Body>
std::optional<std::string> with_sctp_socket(core::sctp_style style, Body body) {
  std::string no_sctp;
  auto net = mcnet::test::network::lan(1);
  auto sock = (*net)[0].run([&] { return open_or_reason(style, no_sctp); });
  if (!sock) return "this kernel has no SCTP: " + no_sctp;
  (*net)[0].run([&] { body(*sock); });
  return std::nullopt;
}

TEST(NetSctpSocket, OneToOneAndOneToMany) {
  MCNET_REQUIRE_NETNS();
  if (auto no_sctp = with_sctp_socket(core::sctp_style::one_to_one, [](core::socket& s) {
    EXPECT_EQ(core::get(s, opt::socket_type).value(), SOCK_STREAM);
    EXPECT_EQ(core::get(s, opt::socket_protocol).value(), IPPROTO_SCTP);
    auto many = core::open_sctp(AF_INET6, core::sctp_style::one_to_many);
    ASSERT_TRUE(many) << many.error().message();
    EXPECT_EQ(core::get(*many, opt::socket_type).value(), SOCK_SEQPACKET);
    EXPECT_EQ(core::get(*many, opt::socket_domain).value(), AF_INET6);
  })) {
    GTEST_SKIP() << *no_sctp;
  }
}

// The kernel's answer when it has no SCTP, for both styles: its errno, with
// a hint. Checked on kernels that lack it; the other kind opens the socket.
TEST(NetSctpSocket, MissingSctpSaysSo) {
  MCNET_REQUIRE_NETNS();
  auto net = mcnet::test::network::lan(1);
  auto one = (*net)[0].run([] { return core::open_sctp(AF_INET, core::sctp_style::one_to_one); });
  if (one) GTEST_SKIP() << "this kernel has SCTP: nothing to report";
  EXPECT_EQ(one.error().code, std::errc::protocol_not_supported) << one.error().message();
  EXPECT_TRUE(no_sctp_here(one.error())) << one.error().message();
  auto many = (*net)[0].run([] { return core::open_sctp(AF_INET6, core::sctp_style::one_to_many); });
  ASSERT_FALSE(many);
  EXPECT_EQ(many.error().code, std::error_code(ESOCKTNOSUPPORT, std::system_category())) << many.error().message();
  EXPECT_TRUE(no_sctp_here(many.error())) << many.error().message();
}

using mcnet::test::expect_round_trip;

MCNET_OPTION_TEST(NetSctpOptions, opt::sctp_no_delay, NoDelay) {
  MCNET_REQUIRE_NETNS();
  if (auto no_sctp = with_sctp_socket(core::sctp_style::one_to_one, [](core::socket& s) {
    expect_round_trip(s, opt::sctp_no_delay, true);
    expect_round_trip(s, opt::sctp_no_delay, false);
  })) {
    GTEST_SKIP() << *no_sctp;
  }
}

MCNET_OPTION_TEST(NetSctpOptions, opt::sctp_init_message, InitMessage) {
  MCNET_REQUIRE_NETNS();
  if (auto no_sctp = with_sctp_socket(core::sctp_style::one_to_one, [](core::socket& s) {
    expect_round_trip(s, opt::sctp_init_message, core::sctp_init_parameters{8, 8, 4, 30000ms});
  })) {
    GTEST_SKIP() << *no_sctp;
  }
}

MCNET_OPTION_TEST(NetSctpOptions, opt::sctp_rto_info, RtoInfo) {
  MCNET_REQUIRE_NETNS();
  if (auto no_sctp = with_sctp_socket(core::sctp_style::one_to_one, [](core::socket& s) {
    expect_round_trip(s, opt::sctp_rto_info, core::sctp_rto{2000ms, 30000ms, 500ms});
    auto inverted = core::set(s, opt::sctp_rto_info, core::sctp_rto{2000ms, 500ms, 1000ms});
    ASSERT_FALSE(inverted) << "min above max";
    EXPECT_EQ(inverted.error().code, std::errc::invalid_argument);
  })) {
    GTEST_SKIP() << *no_sctp;
  }
}

MCNET_OPTION_TEST(NetSctpOptions, opt::sctp_max_segment, MaxSegment) {
  MCNET_REQUIRE_NETNS();
  if (auto no_sctp = with_sctp_socket(core::sctp_style::one_to_one, [](core::socket& s) {
    expect_round_trip(s, opt::sctp_max_segment, std::uint32_t{1200});
  })) {
    GTEST_SKIP() << *no_sctp;
  }
}

MCNET_OPTION_TEST(NetSctpOptions, opt::sctp_autoclose, AutocloseOnOneToManyOnly) {
  MCNET_REQUIRE_NETNS();
  if (auto no_sctp = with_sctp_socket(core::sctp_style::one_to_many, [](core::socket& s) {
    expect_round_trip(s, opt::sctp_autoclose, 30s);
    auto one = core::open_sctp(AF_INET, core::sctp_style::one_to_one).value();
    auto r = core::set(one, opt::sctp_autoclose, 30s);
    ASSERT_FALSE(r);
    EXPECT_EQ(r.error().code, std::errc::operation_not_supported);
  })) {
    GTEST_SKIP() << *no_sctp;
  }
}

MCNET_OPTION_TEST(NetSctpOptions, opt::sctp_disable_fragments, DisableFragments) {
  MCNET_REQUIRE_NETNS();
  if (auto no_sctp = with_sctp_socket(core::sctp_style::one_to_one, [](core::socket& s) {
    expect_round_trip(s, opt::sctp_disable_fragments, true);
    expect_round_trip(s, opt::sctp_disable_fragments, false);
  })) {
    GTEST_SKIP() << *no_sctp;
  }
}

MCNET_OPTION_TEST(NetSctpOptions, opt::sctp_default_send_info, DefaultSendInfo) {
  MCNET_REQUIRE_NETNS();
  if (auto no_sctp = with_sctp_socket(core::sctp_style::one_to_many, [](core::socket& s) {
    expect_round_trip(s, opt::sctp_default_send_info, core::sctp_send_info{0, SCTP_UNORDERED, 0x2a000000, 9});
  })) {
    GTEST_SKIP() << *no_sctp;
  }
}

MCNET_OPTION_TEST(NetSctpOptions, opt::sctp_events, Events) {
  MCNET_REQUIRE_NETNS();
  if (auto no_sctp = with_sctp_socket(core::sctp_style::one_to_many, [](core::socket& s) {
    core::sctp_event_mask m;
    m.data_io = true;
    m.association = true;
    m.shutdown = true;
    expect_round_trip(s, opt::sctp_events, m);
  })) {
    GTEST_SKIP() << *no_sctp;
  }
}

MCNET_OPTION_TEST(NetSctpOptions, opt::sctp_event, OneEventReadsBackThroughEvents) {
  MCNET_REQUIRE_NETNS();
  if (auto no_sctp = with_sctp_socket(core::sctp_style::one_to_many, [](core::socket& s) {
    ASSERT_TRUE(core::set(s, opt::sctp_events, core::sctp_event_mask{}));
    auto r = core::set(s, opt::sctp_event, core::sctp_event_switch{SCTP_SHUTDOWN_EVENT, true});
    ASSERT_TRUE(r) << r.error().message();
    const auto events = core::get(s, opt::sctp_events).value();
    EXPECT_TRUE(events.shutdown);
    EXPECT_FALSE(events.association);
  })) {
    GTEST_SKIP() << *no_sctp;
  }
}

}  // namespace
