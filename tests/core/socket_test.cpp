// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The mcnet authors
//
// Descriptors: unique_fd, socket, socket_ref; bind/connect with family
// mapping; nonblocking mode.

#include <gtest/gtest.h>

#include <fcntl.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <mcnet/core/socket.hpp>
#include <mcnet/core/socket_ops.hpp>
#include <mcnet/core/socket_options.hpp>

#include "lan.hpp"
#include "privilege.hpp"

namespace core = mcnet::core;
namespace opt = mcnet::core::opt;

namespace {

bool is_open_fd(int fd) { return ::fcntl(fd, F_GETFD) != -1; }

TEST(UniqueFd, ClosesOnDestructionAndMoves) {
  int raw = ::open("/dev/null", O_RDONLY | O_CLOEXEC);
  ASSERT_GE(raw, 0);
  {
    core::unique_fd a(raw);
    EXPECT_TRUE(a);
    core::unique_fd b(std::move(a));
    EXPECT_FALSE(a);  // NOLINT(bugprone-use-after-move): moved-from state is part of the contract
    EXPECT_EQ(b.get(), raw);
    core::unique_fd c;
    c = std::move(b);
    EXPECT_EQ(c.get(), raw);
    EXPECT_TRUE(is_open_fd(raw));
  }
  EXPECT_FALSE(is_open_fd(raw));
}

TEST(UniqueFd, ReleaseAndReset) {
  int raw = ::open("/dev/null", O_RDONLY | O_CLOEXEC);
  core::unique_fd a(raw);
  int released = a.release();
  EXPECT_EQ(released, raw);
  EXPECT_FALSE(a);
  EXPECT_TRUE(is_open_fd(raw));
  a.reset(released);
  a.reset();
  EXPECT_FALSE(is_open_fd(raw));
}

TEST(Socket, OpenSetsCloexecAndRemembersKind) {
  auto s = core::socket::open(AF_INET6, SOCK_DGRAM);
  ASSERT_TRUE(s) << s.error().message();
  EXPECT_TRUE(s->is_open());
  EXPECT_EQ(s->family(), AF_INET6);
  EXPECT_EQ(s->type(), SOCK_DGRAM);
  EXPECT_NE(::fcntl(s->native_handle(), F_GETFD) & FD_CLOEXEC, 0) << "SOCK_CLOEXEC is always on";

  auto nb = core::socket::open(AF_INET, SOCK_DGRAM | SOCK_NONBLOCK);
  ASSERT_TRUE(nb);
  EXPECT_EQ(nb->type(), SOCK_DGRAM) << "flags are not part of the type";
  EXPECT_TRUE(core::nonblocking(*nb).value());
}

TEST(Socket, OpenReportsKernelErrors) {
  auto s = core::socket::open(AF_INET, SOCK_DGRAM, IPPROTO_TCP);
  ASSERT_FALSE(s);
  EXPECT_EQ(s.error().code, std::errc::protocol_not_supported);
  EXPECT_EQ(s.error().op, "socket");
}

TEST(Socket, AdoptAsksTheKernel) {
  int raw = ::socket(AF_INET6, SOCK_STREAM | SOCK_CLOEXEC, 0);
  ASSERT_GE(raw, 0);
  auto s = core::socket::adopt(core::unique_fd(raw));
  ASSERT_TRUE(s) << s.error().message();
  EXPECT_EQ(s->family(), AF_INET6);
  EXPECT_EQ(s->type(), SOCK_STREAM);
  EXPECT_EQ(s->protocol(), IPPROTO_TCP);
  EXPECT_EQ(s->native_handle(), raw);

  int not_socket = ::open("/dev/null", O_RDONLY | O_CLOEXEC);
  auto bad = core::socket::adopt(core::unique_fd(not_socket));
  ASSERT_FALSE(bad);
  EXPECT_EQ(bad.error().code, std::errc::not_a_socket);
  EXPECT_NE(bad.error().message().find("not a socket"), std::string::npos) << bad.error().message();
  EXPECT_FALSE(is_open_fd(not_socket)) << "the descriptor is closed either way";
}

TEST(Socket, ReleaseAndClose) {
  auto s = core::socket::open(AF_INET, SOCK_DGRAM).value();
  int raw = s.native_handle();
  core::unique_fd fd = s.release();
  EXPECT_FALSE(s.is_open());
  EXPECT_EQ(fd.get(), raw);
  auto t = core::socket::open(AF_INET, SOCK_DGRAM).value();
  int traw = t.native_handle();
  t.close();
  EXPECT_FALSE(is_open_fd(traw));
}

// Something that is not an mcnet socket but exposes native_handle(), like asio's.
struct foreign_socket {
  int fd;
  [[nodiscard]] int native_handle() const { return fd; }
};

TEST(SocketRef, FromSocketIntAndAnythingWithNativeHandle) {
  auto s = core::socket::open(AF_INET, SOCK_DGRAM).value();
  core::socket_ref from_socket = s;
  core::socket_ref from_int(s.native_handle());
  core::socket_ref from_foreign = foreign_socket{s.native_handle()};
  EXPECT_EQ(from_socket.native_handle(), s.native_handle());
  EXPECT_EQ(from_int.native_handle(), s.native_handle());
  EXPECT_EQ(from_foreign.native_handle(), s.native_handle());
  // Options work through any of them.
  ASSERT_TRUE(core::set(foreign_socket{s.native_handle()}, opt::reuse_address, true));
  EXPECT_TRUE(core::get(from_int, opt::reuse_address).value());
  static_assert(!std::is_convertible_v<int, core::socket_ref>, "an int must be wrapped explicitly");
  static_assert(std::is_trivially_copyable_v<core::socket_ref>);
}

TEST(SocketOps, NonblockingToggles) {
  auto s = core::socket::open(AF_INET, SOCK_DGRAM).value();
  EXPECT_FALSE(core::nonblocking(s).value());
  ASSERT_TRUE(core::set_nonblocking(s, true));
  EXPECT_TRUE(core::nonblocking(s).value());
  ASSERT_TRUE(core::set_nonblocking(s, false));
  EXPECT_FALSE(core::nonblocking(s).value());
  EXPECT_FALSE(core::set_nonblocking(core::socket_ref(-1), true));
}

TEST(NetSocketOps, BindMapsFamiliesBothWays) {
  MCNET_REQUIRE_NETNS();
  auto net = mcnet::test::network::lan(1);
  const auto& h = (*net)[0];
  h.run([&] {
    // IPv4 endpoint on a dual-stack socket: bound as ::ffff:a.b.c.d.
    auto v6 = core::socket::open(AF_INET6, SOCK_DGRAM).value();
    auto r = core::bind(v6, core::endpoint(h.v4(), 0));
    ASSERT_TRUE(r) << r.error().message();
    auto local = core::local_endpoint(v6).value();
    EXPECT_EQ(local.address(), h.v4().map_v6());
    EXPECT_NE(local.port(), 0) << "port 0 is replaced by the kernel's choice";

    // IPv4-mapped endpoint on an AF_INET socket: bound as plain IPv4.
    auto v4 = core::socket::open(AF_INET, SOCK_DGRAM).value();
    r = core::bind(v4, core::endpoint(h.v4().map_v6(), 0));
    ASSERT_TRUE(r) << r.error().message();
    EXPECT_EQ(core::local_endpoint(v4).value().address(), h.v4());

    // IPv6 on AF_INET: refused with a reason.
    auto v4b = core::socket::open(AF_INET, SOCK_DGRAM).value();
    r = core::bind(v4b, core::endpoint(h.v6(), 0));
    ASSERT_FALSE(r);
    EXPECT_EQ(r.error().code, mcnet::errc::family_mismatch);
    EXPECT_NE(r.error().message().find("AF_INET6"), std::string::npos) << r.error().message();
  });
}

TEST(NetSocketOps, BindErrorsSayWhatToDo) {
  MCNET_REQUIRE_NETNS();
  auto net = mcnet::test::network::lan(1);
  const auto& h = (*net)[0];
  h.run([&] {
    auto a = core::socket::open(AF_INET, SOCK_DGRAM).value();
    ASSERT_TRUE(core::bind(a, core::endpoint(h.v4(), 0)));
    const auto taken = core::local_endpoint(a).value();
    auto b = core::socket::open(AF_INET, SOCK_DGRAM).value();
    auto r = core::bind(b, taken);
    ASSERT_FALSE(r);
    EXPECT_EQ(r.error().code, std::errc::address_in_use);
    EXPECT_EQ(r.error().address(), h.v4());
    EXPECT_EQ(r.error().port(), taken.port());
    EXPECT_NE(r.error().message().find("SO_REUSEADDR"), std::string::npos) << r.error().message();

    auto c = core::socket::open(AF_INET, SOCK_DGRAM).value();
    r = core::bind(c, core::endpoint::parse("10.77.9.9:0").value());
    ASSERT_FALSE(r);
    EXPECT_EQ(r.error().code, std::errc::address_not_available);
    EXPECT_NE(r.error().message().find("10.77.9.9"), std::string::npos) << r.error().message();
  });
}

TEST(NetSocketOps, ConnectAndPeer) {
  MCNET_REQUIRE_NETNS();
  auto net = mcnet::test::network::lan(2);
  const auto& h0 = (*net)[0];
  const auto& h1 = (*net)[1];
  h0.run([&] {
    auto s = core::socket::open(AF_INET6, SOCK_DGRAM).value();
    EXPECT_EQ(core::peer_endpoint(s).error().code, std::errc::not_connected);
    const core::endpoint peer(h1.v6(), 9);
    auto r = core::connect(s, peer);
    ASSERT_TRUE(r) << r.error().message();
    EXPECT_EQ(core::peer_endpoint(s).value(), peer);
    EXPECT_EQ(core::local_endpoint(s).value().address(), h0.v6()) << "the kernel chose the source on eth0";
  });
}

}  // namespace
