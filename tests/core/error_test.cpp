// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The mcnet authors
//
// The error model: codes and conditions, payload, messages, and that making an
// error allocates nothing.

#include <gtest/gtest.h>

#include <algorithm>
#include <cerrno>
#include <set>
#include <string>

#include <mcnet/core/error.hpp>
#include <mcnet/core/ip_address.hpp>

#include "alloc_counter.hpp"

namespace core = mcnet::core;
using mcnet::errc;
using mcnet::error;

namespace {

TEST(Error, CategoryAndConditions) {
  std::error_code ec = errc::not_multicast;
  EXPECT_STREQ(ec.category().name(), "mcnet");
  EXPECT_EQ(ec.message(), "not a multicast address");
  EXPECT_EQ(ec, errc::not_multicast);
  EXPECT_EQ(ec, std::errc::invalid_argument) << "each mcnet code compares equal to the nearest std::errc";
  EXPECT_EQ(std::error_code(errc::would_block), std::errc::operation_would_block);
  EXPECT_EQ(std::error_code(errc::timed_out), std::errc::timed_out);
  EXPECT_EQ(std::error_code(errc::no_such_interface), std::errc::no_such_device);
  EXPECT_EQ(std::error_code(errc::membership_limit), std::errc::no_buffer_space);
  EXPECT_EQ(std::error_code(errc::family_mismatch), std::errc::address_family_not_supported);
  EXPECT_NE(std::error_code(errc::timed_out), std::errc::invalid_argument);
  EXPECT_EQ(std::error_code(errc::in_progress), std::errc::operation_in_progress);
  EXPECT_EQ(std::error_code(errc::in_progress), std::error_code(EINPROGRESS, std::system_category()).default_error_condition())
      << "mcnet's in_progress and the kernel's EINPROGRESS are one condition";
  EXPECT_NE(std::error_code(errc::end_of_stream), std::errc::connection_reset) << "no errno means an early close";
  EXPECT_NE(std::error_code(errc::end_of_stream), std::errc::timed_out);
}

TEST(Error, TheLastCodesKeepTheirNumbers) {
  EXPECT_EQ(static_cast<int>(errc::interface_required), 15) << "codes are appended, never renumbered";
  EXPECT_EQ(static_cast<int>(errc::in_progress), 16);
  EXPECT_EQ(static_cast<int>(errc::end_of_stream), 17);
  EXPECT_EQ(mcnet::name(errc::in_progress), "in_progress");
  EXPECT_EQ(mcnet::name(errc::end_of_stream), "end_of_stream");
  // The source refusals the tools' own category held before (one error
  // model): appended, their JSON names as they were.
  EXPECT_EQ(static_cast<int>(errc::source_loopback), 18);
  EXPECT_EQ(static_cast<int>(errc::source_v4_compatible), 19);
  EXPECT_EQ(mcnet::name(errc::source_loopback), "source_loopback");
  EXPECT_EQ(mcnet::name(errc::source_v4_compatible), "source_v4_compatible");
  EXPECT_EQ(std::error_code(errc::source_loopback).message(), "a loopback source never sends multicast on a link");
  EXPECT_EQ(std::error_code(errc::source_loopback), std::errc::invalid_argument);
  EXPECT_EQ(std::error_code(errc::source_v4_compatible), std::errc::invalid_argument);
  EXPECT_EQ(mcnet::name(static_cast<errc>(20)), "");
}

// Each class of outcome, testable by its std::errc condition, and the two
// predicates over them.
TEST(Error, TransientAndDisconnectClassification) {
  const auto sys = [](int e) { return error::from_errno(e, "op", "socket"); };
  const auto own = [](errc c) { return error(c, "op", "socket"); };
  EXPECT_EQ(own(errc::would_block).code, std::errc::operation_would_block);
  EXPECT_EQ(own(errc::timed_out).code, std::errc::timed_out);
  EXPECT_EQ(own(errc::in_progress).code, std::errc::operation_in_progress);
  EXPECT_EQ(sys(ECONNREFUSED).code, std::errc::connection_refused);
  EXPECT_EQ(sys(ECONNRESET).code, std::errc::connection_reset);
  EXPECT_EQ(sys(ENETUNREACH).code, std::errc::network_unreachable);
  EXPECT_EQ(sys(EMSGSIZE).code, std::errc::message_size);
  EXPECT_EQ(sys(EADDRINUSE).code, std::errc::address_in_use);
  EXPECT_EQ(sys(EPIPE).code, std::errc::broken_pipe);

  for (auto c : {errc::would_block, errc::timed_out, errc::in_progress}) {
    EXPECT_TRUE(mcnet::is_transient(own(c))) << mcnet::name(c);
    EXPECT_FALSE(mcnet::is_disconnect(own(c))) << mcnet::name(c);
  }
  for (int e : {EAGAIN, EINTR, EINPROGRESS, EALREADY, ENOBUFS, ENOMEM}) {
    EXPECT_TRUE(mcnet::is_transient(sys(e))) << e;
    EXPECT_FALSE(mcnet::is_disconnect(sys(e))) << e;
  }
  for (int e : {ECONNRESET, EPIPE, ECONNABORTED, ENOTCONN, ESHUTDOWN, ETIMEDOUT}) {
    EXPECT_TRUE(mcnet::is_disconnect(sys(e))) << e;
    EXPECT_FALSE(mcnet::is_transient(sys(e))) << e;
  }
  EXPECT_TRUE(mcnet::is_disconnect(own(errc::end_of_stream)));
  EXPECT_FALSE(mcnet::is_transient(own(errc::end_of_stream)));
  for (int e : {ECONNREFUSED, ENETUNREACH, EHOSTUNREACH, EMSGSIZE, EADDRINUSE, EINVAL}) {
    EXPECT_FALSE(mcnet::is_transient(sys(e))) << e;
    EXPECT_FALSE(mcnet::is_disconnect(sys(e))) << e;
  }
  EXPECT_FALSE(mcnet::is_transient(own(errc::not_multicast)));
  EXPECT_FALSE(mcnet::is_disconnect(own(errc::not_multicast)));
  EXPECT_FALSE(mcnet::is_disconnect(own(errc::timed_out))) << "a caller's deadline is not a lost connection";
  EXPECT_FALSE(mcnet::is_transient(error(std::error_code(EAGAIN, std::generic_category()), "op", "x")))
      << "only the system category holds errno values here";
  EXPECT_FALSE(mcnet::is_transient(error{}));
  EXPECT_FALSE(mcnet::is_disconnect(error{}));
}

TEST(Error, EveryCodeHasItsOwnName) {
  EXPECT_EQ(mcnet::name(errc::not_multicast), "not_multicast");
  EXPECT_EQ(mcnet::name(errc::family_mismatch), "family_mismatch");
  std::set<std::string_view> seen;
  for (int v = static_cast<int>(errc::invalid_address); v <= static_cast<int>(errc::source_v4_compatible); ++v) {
    const auto n = mcnet::name(static_cast<errc>(v));
    EXPECT_FALSE(n.empty()) << v;
    // Lower case, '_' and digits after the first letter (source_v4_compatible).
    EXPECT_TRUE(n.front() >= 'a' && n.front() <= 'z') << n;
    EXPECT_TRUE(std::all_of(n.begin(), n.end(),
                            [](char c) { return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_'; }))
        << n;
    EXPECT_TRUE(seen.insert(n).second) << n << " names two codes";
  }
  EXPECT_EQ(mcnet::name(static_cast<errc>(0)), "");
}

TEST(Error, EveryCodeHasItsOwnMessage) {
  std::set<std::string> seen;
  for (int v = static_cast<int>(errc::invalid_address); v <= static_cast<int>(errc::source_v4_compatible); ++v) {
    const auto text = mcnet::error_category().message(v);
    EXPECT_EQ(text.find("unknown"), std::string::npos) << v;
    EXPECT_TRUE(seen.insert(text).second) << "duplicate message: " << text;
  }
  EXPECT_NE(mcnet::error_category().message(999).find("unknown mcnet error 999"), std::string::npos);
}

TEST(Error, KernelErrorsKeepErrnoInSystemCategory) {
  auto e = error::from_errno(ENOBUFS, "setsockopt", "MCAST_JOIN_GROUP");
  EXPECT_EQ(e.code, std::errc::no_buffer_space);
  EXPECT_EQ(&e.code.category(), &std::system_category());
  EXPECT_EQ(e.code.value(), ENOBUFS);
  EXPECT_EQ(e.op, "setsockopt");
  EXPECT_EQ(e.what, "MCAST_JOIN_GROUP");
}

TEST(Error, MessageTellsTheWholeStory) {
  auto e = error::from_errno(ENOBUFS, "setsockopt", "MCAST_JOIN_GROUP")
               .with_address(core::ip_address::v4(239, 255, 0, 21))
               .with_interface(3)
               .with_number(20)
               .with_hint("21st group on one socket: net.ipv4.igmp_max_memberships is {number}; raise it or use another socket");
  EXPECT_EQ(e.message(),
            "setsockopt MCAST_JOIN_GROUP: " + std::error_code(ENOBUFS, std::system_category()).message() +
                " (group 239.255.0.21, interface index 3): 21st group on one socket: "
                "net.ipv4.igmp_max_memberships is 20; raise it or use another socket");
}

TEST(Error, MessageWithInputPortAndInterfaceInHint) {
  auto e = error(errc::invalid_port, "parse", "endpoint").with_input("10.77.0.1:70000").with_hint("0 to 65535");
  EXPECT_EQ(e.message(), "parse endpoint \"10.77.0.1:70000\": not a valid port: 0 to 65535");

  auto b = error::from_errno(EADDRINUSE, "bind", "socket").with_address(core::ip_address::v4(10, 77, 0, 1)).with_port(5000);
  EXPECT_NE(b.message().find("(address 10.77.0.1 port 5000)"), std::string::npos) << b.message();

  auto i = error(errc::no_such_interface, "join", "group").with_interface(42).with_hint("interface {interface} is gone");
  EXPECT_EQ(i.message(), "join group: no such interface: interface 42 is gone") << "no repetition of the index";

  auto plain = error(errc::timed_out, "poll", "");
  EXPECT_EQ(plain.message(), "poll: timed out");

  auto braces = error(errc::value_out_of_range, "set", "x").with_hint("use {braces} freely");
  EXPECT_EQ(braces.message(), "set x: value out of range: use {braces} freely");
}

TEST(Error, OneOfAUnitReadsSingular) {
  const auto hint = [](std::int64_t n, const char* h) {
    return error(errc::value_out_of_range, "parse", "x").with_number(n).with_hint(h).message();
  };
  EXPECT_EQ(hint(1, "{number} bytes after the end"), "parse x: value out of range: 1 byte after the end");
  EXPECT_EQ(hint(2, "{number} bytes after the end"), "parse x: value out of range: 2 bytes after the end");
  EXPECT_EQ(hint(0, "{number} bytes"), "parse x: value out of range: 0 bytes");
  EXPECT_EQ(hint(1, "the CSRC list ({number} CSRCs) runs past"),
            "parse x: value out of range: the CSRC list (1 CSRC) runs past");
  EXPECT_EQ(hint(1, "{number} has no buffer"), "parse x: value out of range: 1 has no buffer") << "not a unit";
  EXPECT_EQ(hint(1, "{number} bytesize"), "parse x: value out of range: 1 bytesize") << "a whole word only";
}

TEST(Error, LongInputIsCutAndMarked) {
  const std::string input(200, 'x');
  auto e = error(errc::invalid_address, "parse", "ip_address").with_input(input);
  EXPECT_EQ(e.input().size(), error::input_capacity);
  EXPECT_TRUE(e.input_truncated());
  // Appended rather than `string(n, 'x') + "..."`: at -O1 g++ 12 takes that
  // temporary for a short (in-place) string and warns, falsely, with
  // -Warray-bounds.
  std::string cut(error::input_capacity, 'x');
  cut.append("...\"");
  EXPECT_NE(e.message().find(cut), std::string::npos);
}

TEST(Error, PayloadAccessors) {
  auto e = error(errc::not_multicast, "join", "group");
  EXPECT_FALSE(e.address());
  EXPECT_FALSE(e.port());
  EXPECT_FALSE(e.interface_index());
  EXPECT_FALSE(e.number());
  EXPECT_TRUE(e.hint().empty());
  auto scoped = core::ip_address::parse("ff02::1%7").value();
  e.with_address(scoped).with_port(9).with_interface(7).with_number(-5).with_hint("h");
  EXPECT_EQ(e.address(), scoped) << "the scope id survives";
  EXPECT_EQ(e.port(), 9);
  EXPECT_EQ(e.interface_index(), 7u);
  EXPECT_EQ(e.number(), -5);
  EXPECT_EQ(e.hint(), "h");
}

TEST(Error, TheSourceIsNamedApartFromTheGroup) {
  auto e = error(errc::source_not_unicast, "setsockopt", "MCAST_JOIN_SOURCE_GROUP")
               .with_address(core::ip_address::v4(232, 1, 1, 1))
               .with_source(core::ip_address::v4(239, 1, 1, 1));
  EXPECT_EQ(e.source(), core::ip_address::v4(239, 1, 1, 1));
  EXPECT_EQ(e.address(), core::ip_address::v4(232, 1, 1, 1));
  EXPECT_EQ(e.message(),
            "setsockopt MCAST_JOIN_SOURCE_GROUP: source is not a unicast address (group 232.1.1.1, source 239.1.1.1)");
  e.with_hint("source {source} is a multicast address");
  EXPECT_EQ(e.message(),
            "setsockopt MCAST_JOIN_SOURCE_GROUP: source is not a unicast address (group 232.1.1.1): "
            "source 239.1.1.1 is a multicast address")
      << "a source the hint names is not repeated";
  auto scoped = core::ip_address::parse("fe80::1%7").value();
  EXPECT_EQ(error(errc::family_mismatch, "x", "y").with_source(scoped).source(), scoped) << "the scope id survives";
  EXPECT_FALSE(error(errc::family_mismatch, "x", "y").source());
  EXPECT_EQ(error(errc::family_mismatch, "x", "y").with_hint("from {source}").message(),
            "x y: address families differ: from {source}")
      << "a placeholder without its payload stays as written";
}

TEST(Error, MakingAnErrorAllocatesNothing) {
  const std::string input(100, 'y');
  mcnet::test::allocation_scope scope;
  auto e = error::from_errno(ENOBUFS, "setsockopt", "MCAST_JOIN_GROUP")
               .with_address(core::ip_address::v4(239, 1, 1, 1))
               .with_source(core::ip_address::v4(10, 77, 0, 1))
               .with_interface(2)
               .with_number(20)
               .with_input(input)
               .with_hint("static");
  mcnet::result<int> r = mcnet::fail(e);
  mcnet::result<int> copy = r;
  EXPECT_EQ(scope.count(), 0u);
  EXPECT_FALSE(copy);
}

}  // namespace
