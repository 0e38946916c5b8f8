// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The mcnet authors
//
// Unix sockets for real: stream, datagram and seqpacket echo over path and
// abstract names, socketpair, stale socket files, the dial timeout, and
// descriptor and credential passing with no descriptor leaked (the entries
// of /proc/self/fd are counted before and after). No network namespace is
// needed: nothing here touches the network. Paths live in a fresh mkdtemp
// directory removed at the end; abstract names carry the process id.

#include <gtest/gtest.h>

#include <fcntl.h>
#include <signal.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/time.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <array>
#include <chrono>
#include <climits>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <string>
#include <string_view>
#include <thread>
#include <vector>

#include <mcnet/core/socket_ops.hpp>
#include <mcnet/core/socket_options.hpp>
#include <mcnet/core/stream.hpp>
#include <mcnet/core/unix_socket.hpp>

#include "alloc_counter.hpp"
#include "descriptor_modes.hpp"
#include "interrupter.hpp"

namespace core = mcnet::core;
namespace fs = std::filesystem;
namespace test = mcnet::test;
using core::unix_address;
using mcnet::errc;
using namespace std::chrono_literals;

namespace {

std::size_t open_descriptors() {
  std::size_t n = 0;
  for ([[maybe_unused]] const auto& e : fs::directory_iterator("/proc/self/fd")) ++n;
  return n;  // the iterator's own descriptor is counted every time alike
}

std::span<const std::byte> bytes_from(std::string_view s) { return std::as_bytes(std::span(s.data(), s.size())); }
std::string_view text_from(std::span<const std::byte> b) { return {reinterpret_cast<const char*>(b.data()), b.size()}; }

// An abstract name no other test process uses.
unix_address fresh_abstract(std::string_view tag) {
  static int counter = 0;
  return unix_address::abstract("mcnet-test-" + std::to_string(::getpid()) + "-" + std::string(tag) + "-" +
                                std::to_string(++counter))
      .value();
}

struct pipe_pair {
  core::unique_fd read;
  core::unique_fd write;
  pipe_pair() {
    int fds[2];
    EXPECT_EQ(::pipe2(fds, O_CLOEXEC), 0);
    read.reset(fds[0]);
    write.reset(fds[1]);
  }
};

// Turn SO_PASSCRED on directly (the option table's entry is not this suite's).
void pass_credentials(core::socket_ref s) {
  const int on = 1;
  ASSERT_EQ(::setsockopt(s.native_handle(), SOL_SOCKET, SO_PASSCRED, &on, sizeof on), 0);
}

class UnixSocket : public ::testing::Test {
 protected:
  void SetUp() override {
    std::string tmpl = (fs::temp_directory_path() / "mcnet-unix-XXXXXX").string();
    ASSERT_NE(::mkdtemp(tmpl.data()), nullptr);
    dir_ = tmpl;
    fds_before_ = open_descriptors();
  }
  void TearDown() override {
    std::error_code ec;
    fs::remove_all(dir_, ec);
    EXPECT_FALSE(fs::exists(dir_));
  }
  unix_address path(std::string_view name) const { return unix_address::path((dir_ / name).string()).value(); }

  fs::path dir_;
  std::size_t fds_before_ = 0;
};

void echo_stream(const unix_address& where, int type) {
  auto server = core::listen_unix(where, {.type = type});
  ASSERT_TRUE(server) << server.error().message();
  auto local = core::local_unix_address(*server);
  ASSERT_TRUE(local);
  EXPECT_EQ(*local, where);
  auto client = core::dial_unix(where, {.type = type}, 1s);
  ASSERT_TRUE(client) << client.error().message();
  unix_address peer = unix_address::abstract("not yet").value();
  auto conn = core::accept_unix(*server, core::wait_policy::deadline(1s), &peer);
  ASSERT_TRUE(conn) << conn.error().message();
  EXPECT_TRUE(peer.is_unnamed());  // the client never bound
  EXPECT_EQ(core::peer_unix_address(*client).value(), where);
  EXPECT_TRUE(core::peer_unix_address(*conn).value().is_unnamed());

  auto sent = core::send_with_fds(*client, bytes_from("ping"), {});
  ASSERT_TRUE(sent) << sent.error().message();
  EXPECT_EQ(*sent, 4u);
  std::array<std::byte, 64> buf;
  auto got = core::receive_from(*conn, buf, core::wait_policy::deadline(1s));
  ASSERT_TRUE(got) << got.error().message();
  EXPECT_EQ(text_from(std::span(buf).first(got->size)), "ping");
  ASSERT_TRUE(core::send_with_fds(*conn, bytes_from("pong"), {}));
  got = core::receive_from(*client, buf, core::wait_policy::deadline(1s));
  ASSERT_TRUE(got);
  EXPECT_EQ(text_from(std::span(buf).first(got->size)), "pong");
  // The end of the stream reads as 0 bytes.
  conn->close();
  got = core::receive_from(*client, buf, core::wait_policy::deadline(1s));
  ASSERT_TRUE(got);
  EXPECT_EQ(got->size, 0u);
}

TEST_F(UnixSocket, StreamEchoOverPathAndAbstractNames) {
  echo_stream(path("stream.sock"), SOCK_STREAM);
  EXPECT_TRUE(fs::exists(dir_ / "stream.sock"));  // the file stays after close: the caller's to remove
  echo_stream(fresh_abstract("stream"), SOCK_STREAM);
  EXPECT_EQ(open_descriptors(), fds_before_);
}

TEST_F(UnixSocket, SeqpacketKeepsMessageBoundaries) {
  const auto where = fresh_abstract("seqpacket");
  echo_stream(where, SOCK_SEQPACKET);
  auto server = core::listen_unix(where, {.type = SOCK_SEQPACKET});
  ASSERT_TRUE(server);
  auto client = core::dial_unix(where, {.type = SOCK_SEQPACKET}, 1s);
  ASSERT_TRUE(client);
  auto conn = core::accept_unix(*server, core::wait_policy::deadline(1s));
  ASSERT_TRUE(conn);
  ASSERT_TRUE(core::send_with_fds(*client, bytes_from("one"), {}));
  ASSERT_TRUE(core::send_with_fds(*client, bytes_from("two"), {}));
  std::array<std::byte, 64> buf;
  for (std::string_view want : {"one", "two"}) {
    auto got = core::receive_from(*conn, buf, core::wait_policy::deadline(1s));
    ASSERT_TRUE(got);
    EXPECT_EQ(text_from(std::span(buf).first(got->size)), want);
  }
}

void echo_datagrams(const unix_address& server_name, const unix_address& client_name) {
  auto server = core::listen_unix(server_name, {.type = SOCK_DGRAM});
  ASSERT_TRUE(server) << server.error().message();
  auto client = core::dial_unix(server_name, {.type = SOCK_DGRAM, .local = client_name});
  ASSERT_TRUE(client) << client.error().message();
  ASSERT_TRUE(core::send_with_fds(*client, bytes_from("hello"), {}));
  std::array<std::byte, 64> buf;
  auto got = core::receive_from(*server, buf, core::wait_policy::deadline(1s));
  ASSERT_TRUE(got) << got.error().message();
  EXPECT_EQ(text_from(std::span(buf).first(got->size)), "hello");
  EXPECT_EQ(got->peer, client_name);
  EXPECT_FALSE(got->truncated);
  auto sent = core::send_to(*server, bytes_from("hello back"), got->peer);
  ASSERT_TRUE(sent) << sent.error().message();
  EXPECT_EQ(*sent, 10u);
  // A buffer shorter than the datagram: cut and said so.
  std::array<std::byte, 5> small;
  got = core::receive_from(*client, small, core::wait_policy::deadline(1s));
  ASSERT_TRUE(got);
  EXPECT_TRUE(got->truncated);
  EXPECT_EQ(got->size, 5u);
  EXPECT_EQ(got->peer, server_name);
}

TEST_F(UnixSocket, DatagramEchoOverPathAndAbstractNames) {
  echo_datagrams(path("server.dgram"), path("client.dgram"));
  echo_datagrams(fresh_abstract("dgram-server"), fresh_abstract("dgram-client"));
  EXPECT_EQ(open_descriptors(), fds_before_);
}

TEST_F(UnixSocket, SendToAPathNobodyHasNamesIt) {
  auto s = core::socket::open(AF_UNIX, SOCK_DGRAM);
  ASSERT_TRUE(s);
  const auto nowhere = path("nobody.dgram");
  auto r = core::send_to(*s, bytes_from("x"), nowhere, core::wait_policy::nonblocking());
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().code, std::errc::no_such_file_or_directory);
  EXPECT_EQ(r.error().input(), nowhere.to_string().substr(0, mcnet::error::input_capacity));
}

TEST_F(UnixSocket, AutobindGivesAnAbstractName) {
  auto s = core::socket::open(AF_UNIX, SOCK_DGRAM);
  ASSERT_TRUE(s);
  EXPECT_TRUE(core::local_unix_address(*s).value().is_unnamed());
  ASSERT_TRUE(core::bind(*s, unix_address()));
  auto name = core::local_unix_address(*s);
  ASSERT_TRUE(name);
  EXPECT_TRUE(name->is_abstract());
  EXPECT_EQ(name->name().size(), 5u);  // five hex digits (unix(7))
}

TEST_F(UnixSocket, SocketpairOfEveryType) {
  for (int type : {SOCK_STREAM, SOCK_DGRAM, SOCK_SEQPACKET}) {
    auto pair = core::socketpair(type);
    ASSERT_TRUE(pair) << type;
    auto& [a, b] = *pair;
    EXPECT_EQ(a.family(), AF_UNIX);
    EXPECT_EQ(a.type(), type);
    EXPECT_FALSE(core::nonblocking(a).value());
    EXPECT_TRUE(core::local_unix_address(a).value().is_unnamed());
    EXPECT_TRUE(core::peer_unix_address(b).value().is_unnamed());
    EXPECT_TRUE(::fcntl(a.native_handle(), F_GETFD) & FD_CLOEXEC);
    ASSERT_TRUE(core::send_with_fds(a, bytes_from("ab"), {}));
    std::array<std::byte, 8> buf;
    auto got = core::receive_from(b, buf, core::wait_policy::deadline(1s));
    ASSERT_TRUE(got);
    EXPECT_EQ(text_from(std::span(buf).first(got->size)), "ab");
  }
  {
    auto nb = core::socketpair(SOCK_STREAM, true);
    ASSERT_TRUE(nb);
    EXPECT_TRUE(core::nonblocking(nb->first).value());
  }
  EXPECT_EQ(open_descriptors(), fds_before_);
}

TEST_F(UnixSocket, WaitPoliciesOnAQuietSocket) {
  auto pair = core::socketpair(SOCK_DGRAM);
  ASSERT_TRUE(pair);
  std::array<std::byte, 8> buf;
  auto r = core::receive_from(pair->first, buf, core::wait_policy::nonblocking());
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().code, errc::would_block);
  const auto start = std::chrono::steady_clock::now();
  r = core::receive_from(pair->first, buf, core::wait_policy::deadline(50ms));
  const auto took = std::chrono::steady_clock::now() - start;
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().code, errc::timed_out);
  EXPECT_GE(took, 50ms);
  EXPECT_LT(took, 2s);
  auto listener = core::listen_unix(fresh_abstract("quiet"));
  ASSERT_TRUE(listener);
  auto a = core::accept_unix(*listener, core::wait_policy::nonblocking());
  ASSERT_FALSE(a);
  EXPECT_EQ(a.error().code, errc::would_block);
  a = core::accept_unix(*listener, core::wait_policy::deadline(20ms));
  ASSERT_FALSE(a);
  EXPECT_EQ(a.error().code, errc::timed_out);
}

TEST_F(UnixSocket, StaleSocketFileIsNamedAndRemovedOnlyWhenAsked) {
  const auto where = path("stale.sock");
  {
    auto first = core::listen_unix(where);
    ASSERT_TRUE(first);
  }  // closed: the file stays, nothing accepts on it
  ASSERT_TRUE(fs::exists(dir_ / "stale.sock"));
  auto again = core::listen_unix(where);
  ASSERT_FALSE(again);
  EXPECT_EQ(again.error().code, std::errc::address_in_use);
  EXPECT_EQ(again.error().input(), where.to_string().substr(0, mcnet::error::input_capacity));
  EXPECT_NE(again.error().message().find("stale_socket::unlink"), std::string::npos) << again.error().message();
  EXPECT_TRUE(fs::exists(dir_ / "stale.sock"));  // never removed by default

  auto replaced = core::listen_unix(where, {.stale = core::stale_socket::unlink});
  ASSERT_TRUE(replaced) << replaced.error().message();
  // A live socket is not removed, even when asked.
  auto live = core::listen_unix(where, {.stale = core::stale_socket::unlink});
  ASSERT_FALSE(live);
  EXPECT_EQ(live.error().code, std::errc::address_in_use);
  EXPECT_NE(live.error().message().find("not removed"), std::string::npos) << live.error().message();
  auto client = core::dial_unix(where, {}, 1s);
  EXPECT_TRUE(client) << client.error().message();  // the live server still has its name

  // Nor is a socket bound but not listening, which refuses a connection
  // (ECONNREFUSED) as a stale one does: a client bound to a name, a server
  // between bind and listen.
  for (int type : {SOCK_STREAM, SOCK_SEQPACKET}) {
    const auto name = path("bound-" + std::to_string(type) + ".sock");
    auto bound = core::socket::open(AF_UNIX, type);
    ASSERT_TRUE(bound);
    ASSERT_TRUE(core::bind(*bound, name));
    auto taken = core::listen_unix(name, {.type = type, .stale = core::stale_socket::unlink});
    ASSERT_FALSE(taken);
    EXPECT_EQ(taken.error().code, std::errc::address_in_use);
    EXPECT_NE(taken.error().message().find("not removed"), std::string::npos) << taken.error().message();
    ASSERT_EQ(::listen(bound->native_handle(), 1), 0);
    auto reaches = core::dial_unix(name, {.type = type}, 1s);
    EXPECT_TRUE(reaches) << reaches.error().message() << ": the socket kept its name";
  }

  // Nor is a file that is not a socket.
  std::ofstream(dir_ / "plain").put('x');
  auto on_file = core::listen_unix(path("plain"), {.stale = core::stale_socket::unlink});
  ASSERT_FALSE(on_file);
  EXPECT_EQ(on_file.error().code, std::errc::address_in_use);
  EXPECT_TRUE(fs::exists(dir_ / "plain"));
}

TEST_F(UnixSocket, TakenAbstractNameSaysSo) {
  const auto where = fresh_abstract("taken");
  auto first = core::listen_unix(where);
  ASSERT_TRUE(first);
  auto second = core::listen_unix(where, {.stale = core::stale_socket::unlink});
  ASSERT_FALSE(second);
  EXPECT_EQ(second.error().code, std::errc::address_in_use);
  EXPECT_NE(second.error().message().find("abstract"), std::string::npos);
}

// The kernel looks an abstract name up together with the socket type: a
// listener of another type is not found (ECONNREFUSED), where a path gives
// EPROTOTYPE. The hint says so, and speaks of no file.
TEST_F(UnixSocket, RefusedAbstractNameNamesTheSocketTypeAsACause) {
  const auto where = fresh_abstract("seqpacket-only");
  auto server = core::listen_unix(where, {.type = SOCK_SEQPACKET});
  ASSERT_TRUE(server) << server.error().message();
  auto wrong = core::dial_unix(where, {.type = SOCK_STREAM}, 1s);
  ASSERT_FALSE(wrong);
  EXPECT_EQ(wrong.error().code, std::errc::connection_refused);
  const auto text = wrong.error().message();
  EXPECT_NE(text.find("another type"), std::string::npos) << text;
  EXPECT_EQ(text.find("file"), std::string::npos) << text;

  const auto at_path = path("seqpacket.sock");
  auto path_server = core::listen_unix(at_path, {.type = SOCK_SEQPACKET});
  ASSERT_TRUE(path_server) << path_server.error().message();
  auto wrong_path = core::dial_unix(at_path, {.type = SOCK_STREAM}, 1s);
  ASSERT_FALSE(wrong_path);
  EXPECT_EQ(wrong_path.error().code, std::errc::wrong_protocol_type);
  EXPECT_NE(wrong_path.error().message().find("another type"), std::string::npos) << wrong_path.error().message();
}

TEST_F(UnixSocket, SocketpairOfAnotherTypeIsRefusedBeforeTheCall) {
  const auto before = open_descriptors();
  auto raw = core::socketpair(SOCK_RAW);
  ASSERT_FALSE(raw) << "the kernel would make a SOCK_DGRAM pair of it";
  EXPECT_EQ(raw.error().code, mcnet::errc::value_out_of_range);
  EXPECT_EQ(raw.error().code, std::errc::invalid_argument);
  EXPECT_EQ(raw.error().number(), SOCK_RAW);
  EXPECT_EQ(raw.error().op, "socketpair");
  EXPECT_EQ(open_descriptors(), before);
  auto listener = core::listen_unix(fresh_abstract("raw"), {.type = SOCK_RAW});
  ASSERT_FALSE(listener);
  EXPECT_EQ(listener.error().code, mcnet::errc::value_out_of_range);
}

// The type is one of the three alone: the flag bits socket(2) takes in it
// are refused, since the mode has its own setting.
TEST_F(UnixSocket, FlagBitsInTheTypeAreRefused) {
  const auto before = open_descriptors();
  for (int flags : {int{SOCK_NONBLOCK}, int{SOCK_CLOEXEC}, SOCK_NONBLOCK | SOCK_CLOEXEC}) {
    auto pair = core::socketpair(SOCK_STREAM | flags);
    ASSERT_FALSE(pair);
    EXPECT_EQ(pair.error().code, mcnet::errc::value_out_of_range);
    EXPECT_EQ(pair.error().number(), SOCK_STREAM | flags);
    EXPECT_NE(pair.error().message().find("nonblocking"), std::string::npos) << pair.error().message();
    auto listener = core::listen_unix(fresh_abstract("flags"), {.type = SOCK_DGRAM | flags});
    ASSERT_FALSE(listener);
    EXPECT_EQ(listener.error().code, mcnet::errc::value_out_of_range);
    EXPECT_NE(listener.error().message().find("nonblocking field"), std::string::npos)
        << listener.error().message();
  }
  EXPECT_EQ(open_descriptors(), before);
}

TEST_F(UnixSocket, CredentialsOfAPidNoProcessHasAreEsrch) {
  auto pair = core::socketpair(SOCK_DGRAM);
  ASSERT_TRUE(pair);
  // The highest pid no process has (bounded: pid_max is at most 2^22).
  pid_t nobody = 4194303;
  while (nobody > 1 && (::kill(nobody, 0) == 0 || errno != ESRCH)) --nobody;
  auto creds = core::unix_credentials::of_this_process();
  creds.pid = nobody;
  auto sent = core::send_unix(pair->first, bytes_from("c"), unix_address(), {.credentials = creds});
  ASSERT_FALSE(sent);
  if (sent.error().code == std::errc::operation_not_permitted) GTEST_SKIP() << "not privileged: EPERM comes first";
  EXPECT_EQ(sent.error().code, std::errc::no_such_process) << sent.error().message();
  EXPECT_EQ(sent.error().number(), nobody);
  EXPECT_NE(sent.error().message().find("no process has"), std::string::npos) << sent.error().message();
}

namespace {

// A stream listener at a fresh abstract name with a full backlog: a backlog
// of 0 has room for one pending connection, and `first` takes it.
struct full_backlog {
  unix_address where;
  core::socket server;
  core::socket first;
};

full_backlog listen_with_full_backlog(std::string_view tag) {
  const auto where = fresh_abstract(tag);
  auto server = core::listen_unix(where, {}, 0).value();
  auto first = core::dial_unix(where, {}, 1s).value();
  return {where, std::move(server), std::move(first)};
}

}  // namespace

TEST_F(UnixSocket, DialWaitsForBacklogRoomAtMostItsTimeout) {
  auto full = listen_with_full_backlog("backlog");
  const auto& where = full.where;
  auto& server = full.server;
  const auto start = std::chrono::steady_clock::now();
  auto second = core::dial_unix(where, {.nonblocking = true}, 100ms);
  const auto took = std::chrono::steady_clock::now() - start;
  ASSERT_FALSE(second);
  EXPECT_EQ(second.error().code, errc::timed_out) << second.error().message();
  EXPECT_GE(took, 90ms);
  EXPECT_LT(took, 2s);
  // Once the first is accepted there is room again; the mode asked for is kept.
  auto conn = core::accept_unix(server, core::wait_policy::deadline(1s), nullptr, true);
  ASSERT_TRUE(conn);
  EXPECT_TRUE(core::nonblocking(*conn).value());
  auto third = core::dial_unix(where, {.nonblocking = true}, 1s);
  ASSERT_TRUE(third) << third.error().message();
  EXPECT_TRUE(core::nonblocking(*third).value());

  // A plain connect on a nonblocking socket fails at once on a full backlog, and says how to wait.
  auto full_again = listen_with_full_backlog("backlog-again");
  auto eager = core::socket::open(AF_UNIX, SOCK_STREAM | SOCK_NONBLOCK).value();
  auto at_once = core::connect(eager, full_again.where);
  ASSERT_FALSE(at_once);
  EXPECT_EQ(at_once.error().code, std::errc::resource_unavailable_try_again) << at_once.error().message();
  EXPECT_NE(at_once.error().message().find("nonblocking: connect with a timeout"), std::string::npos)
      << at_once.error().message();

  auto refused = core::dial_unix(path("nobody.sock"), {}, 1s);
  ASSERT_FALSE(refused);
  EXPECT_EQ(refused.error().code, std::errc::no_such_file_or_directory);
  EXPECT_FALSE(refused.error().hint().empty());
}

// A signal ends the kernel's wait for backlog room with EINTR and abandons
// the attempt (unix_stream_connect): the connect is made again, so it ends
// connected once there is room, or at its timeout (dial_unix: timed_out;
// the socket's own SO_SNDTIMEO: the kernel's EAGAIN), never with EINTR.
// With SO_SNDTIMEO set the kernel says EINTR whatever the handler's flags.
TEST_F(UnixSocket, ASignalDoesNotEndAConnectWaitingForBacklogRoom) {
  auto full = listen_with_full_backlog("signals");
  const auto& where = full.where;
  auto& server = full.server;
  const auto elapsed = [](auto&& call) {
    const auto start = std::chrono::steady_clock::now();
    call();
    return std::chrono::steady_clock::now() - start;
  };
  // Accepts one pending connection after 200 ms; should that fail, closes
  // the listener, which ends a connect waiting on it (ECONNREFUSED).
  const auto room_later = [&] {
    return std::thread([&] {
      std::this_thread::sleep_for(200ms);
      if (!core::accept_unix(server, core::wait_policy::deadline(2s))) server.close();
    });
  };

  {
    mcnet::result<core::socket> timed_out;
    test::interrupter signals(::pthread_self());
    const auto took = elapsed([&] { timed_out = core::dial_unix(where, {}, 200ms); });
    EXPECT_GE(signals.caught(), 3) << "the signals came while dial_unix waited";
    ASSERT_FALSE(timed_out);
    EXPECT_EQ(timed_out.error().code, errc::timed_out) << timed_out.error().message();
    EXPECT_GE(took, 190ms);
    EXPECT_LT(took, 2s);
  }
  // `call` (which returns why it did not connect, empty when it did)
  // under signals, while room_later makes room.
  const auto connects_once_there_is_room = [&](auto&& call, std::string_view what) {
    test::interrupter signals(::pthread_self());
    auto room = room_later();
    std::string failure;
    const auto took = elapsed([&] { failure = call(); });
    room.join();
    EXPECT_GE(signals.caught(), 3) << "the signals came while " << what << " waited";
    EXPECT_EQ(failure, "") << what;
    EXPECT_GE(took, 190ms) << what << " connected only once there was room";
  };
  connects_once_there_is_room(
      [&] {
        auto dialled = core::dial_unix(where, {}, 5s);
        return dialled ? std::string() : dialled.error().message();
      },
      "dial_unix");
  // A blocking connect with no SO_SNDTIMEO: it waits as long as it takes.
  auto blocking = core::socket::open(AF_UNIX, SOCK_STREAM);
  ASSERT_TRUE(blocking);
  connects_once_there_is_room(
      [&] {
        auto connected = core::connect(*blocking, where);
        return connected ? std::string() : connected.error().message();
      },
      "connect");
  {
    // The socket's own SO_SNDTIMEO bounds the wait, signals or not, and is left as it was.
    auto s = core::socket::open(AF_UNIX, SOCK_STREAM);
    ASSERT_TRUE(s);
    const timeval limit{0, 200'000};
    ASSERT_EQ(::setsockopt(s->native_handle(), SOL_SOCKET, SO_SNDTIMEO, &limit, sizeof limit), 0);
    mcnet::result<void> refused;
    test::interrupter signals(::pthread_self());
    const auto took = elapsed([&] { refused = core::connect(*s, where); });
    EXPECT_GE(signals.caught(), 3) << "the signals came while connect waited";
    ASSERT_FALSE(refused);
    EXPECT_EQ(refused.error().code, std::errc::resource_unavailable_try_again) << refused.error().message();
    EXPECT_NE(refused.error().message().find("for the socket's SO_SNDTIMEO"), std::string::npos)
        << refused.error().message() << ": the caller had a timeout";
    EXPECT_GE(took, 190ms);
    EXPECT_LT(took, 2s);
    timeval now{};
    socklen_t length = sizeof now;
    ASSERT_EQ(::getsockopt(s->native_handle(), SOL_SOCKET, SO_SNDTIMEO, &now, &length), 0);
    EXPECT_EQ(now.tv_sec, 0);
    EXPECT_EQ(now.tv_usec, 200'000);
  }
}

TEST_F(UnixSocket, ConnectWithTimeoutPutsTheSocketBackAsItWas) {
  const auto where = fresh_abstract("restore");
  auto server = core::listen_unix(where);
  ASSERT_TRUE(server);
  auto s = core::socket::open(AF_UNIX, SOCK_STREAM | SOCK_NONBLOCK);
  ASSERT_TRUE(s);
  const timeval five{5, 0};
  ASSERT_EQ(::setsockopt(s->native_handle(), SOL_SOCKET, SO_SNDTIMEO, &five, sizeof five), 0);
  auto r = core::connect(*s, where, 1s);
  ASSERT_TRUE(r) << r.error().message();
  EXPECT_TRUE(core::nonblocking(*s).value());
  timeval now{};
  socklen_t length = sizeof now;
  ASSERT_EQ(::getsockopt(s->native_handle(), SOL_SOCKET, SO_SNDTIMEO, &now, &length), 0);
  EXPECT_EQ(now.tv_sec, 5);
  EXPECT_EQ(now.tv_usec, 0);
}

// The longest SO_SNDTIMEO, through the option layer or raw: it reads back
// (as microseconds::max(): the kernel rounds it up past what microseconds
// hold), and connect, which saves and puts it back, neither fails nor
// changes it; nor does an error of an mcnet errc get the hint of the errno
// of the same number (errc::value_out_of_range is 13, EACCES).
TEST_F(UnixSocket, TheLongestSendTimeoutReadsBackAndLeavesConnectAlone) {
  const auto where = fresh_abstract("longest");
  auto server = core::listen_unix(where, {}, 8);
  ASSERT_TRUE(server);
  const auto raw_timeout = [](core::socket_ref s) {
    timeval tv{};
    socklen_t length = sizeof tv;
    EXPECT_EQ(::getsockopt(s.native_handle(), SOL_SOCKET, SO_SNDTIMEO, &tv, &length), 0);
    return std::pair(tv.tv_sec, tv.tv_usec);
  };
  for (bool raw : {false, true}) {
    SCOPED_TRACE(raw ? "raw setsockopt" : "core::set");
    auto s = core::socket::open(AF_UNIX, SOCK_STREAM);
    ASSERT_TRUE(s);
    if (raw) {
      const timeval huge{LONG_MAX / 1000, 0};
      ASSERT_EQ(::setsockopt(s->native_handle(), SOL_SOCKET, SO_SNDTIMEO, &huge, sizeof huge), 0);
    } else {
      ASSERT_TRUE(core::set(*s, core::opt::send_timeout, std::chrono::microseconds::max()));
    }
    const auto before = raw_timeout(*s);
    auto read = core::get(*s, core::opt::send_timeout);
    ASSERT_TRUE(read) << read.error().message();
    EXPECT_TRUE(*read == std::chrono::microseconds::max() || *read == std::chrono::microseconds(0))
        << read->count() << " (0: past the kernel's own limit it keeps no limit)";
    auto connected = core::connect(*s, where, 1s);
    ASSERT_TRUE(connected) << connected.error().message();
    EXPECT_EQ(raw_timeout(*s), before) << "put back as it was";
    auto again = core::socket::open(AF_UNIX, SOCK_STREAM);
    ASSERT_TRUE(again);
    const timeval same{before.first, before.second};
    ASSERT_EQ(::setsockopt(again->native_handle(), SOL_SOCKET, SO_SNDTIMEO, &same, sizeof same), 0);
    auto plain = core::connect(*again, where);
    ASSERT_TRUE(plain) << plain.error().message();
  }
}

// Pass a pipe's write end from `from` to `to`, write through the received
// descriptor, read on the pipe's other end.
void pass_pipe_end(core::socket_ref from, core::socket_ref to) {
  pipe_pair p;
  const int fds[] = {p.write.get()};
  auto sent = core::send_with_fds(from, bytes_from("F"), fds);
  ASSERT_TRUE(sent) << sent.error().message();
  p.write.reset();  // only the passed copy is left
  std::array<std::byte, 8> buf;
  std::array<core::unique_fd, 1> got;
  auto r = core::receive_with_fds(to, buf, got, core::wait_policy::deadline(1s));
  ASSERT_TRUE(r) << r.error().message();
  EXPECT_EQ(r->size, 1u);
  ASSERT_EQ(r->fds, 1u);
  EXPECT_EQ(r->fds_closed, 0u);
  EXPECT_TRUE(::fcntl(got[0].get(), F_GETFD) & FD_CLOEXEC);  // MSG_CMSG_CLOEXEC
  ASSERT_EQ(::write(got[0].get(), "through", 7), 7);
  got[0].reset();
  char out[16] = {};
  ASSERT_EQ(::read(p.read.get(), out, sizeof out), 7);
  EXPECT_EQ(std::string_view(out, 7), "through");
  EXPECT_EQ(::read(p.read.get(), out, sizeof out), 0);  // every write end is closed
}

TEST_F(UnixSocket, ScmRightsBothWaysLeaksNothing) {
  {
    auto pair = core::socketpair(SOCK_STREAM);
    ASSERT_TRUE(pair);
    pass_pipe_end(pair->first, pair->second);
    pass_pipe_end(pair->second, pair->first);
    auto dgram = core::socketpair(SOCK_DGRAM);
    ASSERT_TRUE(dgram);
    pass_pipe_end(dgram->first, dgram->second);
    pass_pipe_end(dgram->second, dgram->first);
  }
  EXPECT_EQ(open_descriptors(), fds_before_);
}

// A socketpair of `type` whose first end has sent `payload` with three
// descriptors (ends of `p`), queued on the second end.
std::pair<core::socket, core::socket> three_descriptors_queued(int type, const pipe_pair& p, std::string_view payload) {
  auto pair = core::socketpair(type);
  EXPECT_TRUE(pair);
  if (!pair) return {};
  const int fds[] = {p.write.get(), p.read.get(), p.write.get()};
  EXPECT_TRUE(core::send_with_fds(pair->first, bytes_from(payload), fds));
  return std::move(*pair);
}

TEST_F(UnixSocket, DescriptorsBeyondTheCallersRoomAreClosedAndCounted) {
  {
    pipe_pair p;
    auto pair = three_descriptors_queued(SOCK_DGRAM, p, "3");
    std::array<std::byte, 8> buf;
    std::array<core::unique_fd, 1> got;
    auto r = core::receive_with_fds(pair.second, buf, got, core::wait_policy::deadline(1s));
    ASSERT_TRUE(r) << r.error().message();
    EXPECT_EQ(r->fds, 1u);
    EXPECT_EQ(r->fds_closed, 2u);
    EXPECT_TRUE(got[0]);
    // A receive with no room at all (receive_from) closes them all.
    const int fds[] = {p.write.get(), p.read.get(), p.write.get()};
    ASSERT_TRUE(core::send_with_fds(pair.first, bytes_from("3"), fds));
    r = core::receive_from(pair.second, buf, core::wait_policy::deadline(1s));
    ASSERT_TRUE(r);
    EXPECT_EQ(r->fds, 0u);
    EXPECT_EQ(r->fds_closed, 3u);
  }
  EXPECT_EQ(open_descriptors(), fds_before_);
}

// A receiver out of descriptors: the kernel cannot install them and says
// MSG_CTRUNC although the default buffer has room for all; the hint names
// the descriptor limit, not the buffer the caller did not give.
TEST_F(UnixSocket, OutOfDescriptorsIsNotCalledATooSmallBuffer) {
  {
    pipe_pair p;
    auto pair = core::socketpair(SOCK_DGRAM);
    ASSERT_TRUE(pair);
    // The limit: one past the highest descriptor open now. New descriptors
    // fill the free numbers below it first, so send more than there are.
    int highest = 0;
    std::size_t open = 0;
    for (const auto& e : fs::directory_iterator("/proc/self/fd")) {
      highest = std::max(highest, std::stoi(e.path().filename().string()));
      ++open;
    }
    const auto free_below = static_cast<std::size_t>(highest + 1) - open + 1;  // the iterator's own closes too
    const std::size_t count = free_below + 5;
    if (count > core::max_fds_per_message) GTEST_SKIP() << free_below << " free descriptor numbers: too many to fill";
    std::vector<int> fds(count, p.write.get());
    ASSERT_TRUE(core::send_with_fds(pair->first, bytes_from("20"), fds));
    rlimit old{};
    ASSERT_EQ(::getrlimit(RLIMIT_NOFILE, &old), 0);
    rlimit tight = old;
    tight.rlim_cur = static_cast<rlim_t>(highest + 1);
    ASSERT_EQ(::setrlimit(RLIMIT_NOFILE, &tight), 0);
    std::array<std::byte, 8> buf;
    std::array<core::unique_fd, core::max_fds_per_message> got;
    auto r = core::receive_with_fds(pair->second, buf, got, core::wait_policy::deadline(1s));
    ASSERT_EQ(::setrlimit(RLIMIT_NOFILE, &old), 0);
    ASSERT_FALSE(r) << count << " descriptors arrived under a limit of " << highest + 1;
    EXPECT_EQ(r.error().code, errc::truncated_control_message);
    EXPECT_EQ(r.error().number(), 2);
    const auto message = r.error().message();
    EXPECT_NE(message.find("RLIMIT_NOFILE"), std::string::npos) << message;
    EXPECT_EQ(message.find("give max_unix_control_size"), std::string::npos) << message;
    for (const auto& fd : got) EXPECT_FALSE(fd);
  }
  EXPECT_EQ(open_descriptors(), fds_before_);
}

// CPU time this thread used, in microseconds.
long long thread_cpu_us() {
  rusage u{};
  EXPECT_EQ(::getrusage(RUSAGE_THREAD, &u), 0);
  return (u.ru_utime.tv_sec + u.ru_stime.tv_sec) * 1'000'000LL + u.ru_utime.tv_usec + u.ru_stime.tv_usec;
}

// poll(2) finds an unconnected datagram socket writable while the queue of
// the receiver it sends to is full: the wait must not spin on it. Each
// policy's wait for a receiver that never reads is measured in CPU time
// (polling, before the backoff: 220 to 280 ms of CPU in 300 ms here).
TEST_F(UnixSocket, SendToAFullReceiverWaitsWithoutSpinning) {
  const auto where = fresh_abstract("full");
  auto rx = core::listen_unix(where, {.type = SOCK_DGRAM});
  ASSERT_TRUE(rx);
  auto tx = core::socket::open(AF_UNIX, SOCK_DGRAM);
  ASSERT_TRUE(tx);
  int queued = 0;
  for (; queued < 100'000; ++queued) {
    auto r = core::send_to(*tx, bytes_from("q"), where, core::wait_policy::nonblocking());
    if (!r) {
      EXPECT_EQ(r.error().code, errc::would_block) << r.error().message();
      const auto message = r.error().message();
      EXPECT_NE(message.find("receiver's queue is full"), std::string::npos) << message;
      EXPECT_EQ(message.find("backlog"), std::string::npos) << message;
      break;
    }
  }
  ASSERT_LT(queued, 100'000) << "the receiver's queue never filled";
  for (const auto& [policy, name] : {std::pair(core::wait_policy::deadline(300ms), "deadline(300ms)"),
                                     std::pair(core::wait_policy::adaptive(50us, 300ms), "adaptive(50us, 300ms)")}) {
    const auto cpu_from = thread_cpu_us();
    const auto from = std::chrono::steady_clock::now();
    auto r = core::send_to(*tx, bytes_from("q"), where, policy);
    const auto took = std::chrono::steady_clock::now() - from;
    const auto cpu = thread_cpu_us() - cpu_from;
    ASSERT_FALSE(r) << name;
    EXPECT_EQ(r.error().code, errc::timed_out) << r.error().message();
    EXPECT_NE(r.error().message().find("receiver's queue is full"), std::string::npos) << r.error().message();
    EXPECT_GE(took, 290ms) << name;
    EXPECT_LT(took, 2s) << name;
    EXPECT_LT(cpu, 30'000) << name << " used " << cpu << " us of CPU in "
                           << std::chrono::duration_cast<std::chrono::milliseconds>(took).count() << " ms";
    std::printf("send_to a full receiver, %s: %lld us of CPU in %lld ms\n", name, cpu,
                static_cast<long long>(std::chrono::duration_cast<std::chrono::milliseconds>(took).count()));
  }
  // Room again: a waiting send goes through once the receiver reads.
  std::thread reader([&] {
    std::this_thread::sleep_for(50ms);
    std::array<std::byte, 4> buf;
    (void)core::receive_from(*rx, buf, core::wait_policy::deadline(1s));
  });
  auto r = core::send_to(*tx, bytes_from("q"), where, core::wait_policy::deadline(2s));
  reader.join();
  EXPECT_TRUE(r) << r.error().message();
}

TEST_F(UnixSocket, TruncatedControlClosesWhatArrivedAndFails) {
  {
    pipe_pair p;
    auto pair = three_descriptors_queued(SOCK_STREAM, p, "xyz");
    std::array<std::byte, 8> buf;
    std::array<core::unique_fd, 4> got;
    // Room for two descriptors (CMSG_SPACE rounds 4 bytes up to 8): the
    // kernel installs two of the three, drops the third and sets MSG_CTRUNC.
    alignas(cmsghdr) std::array<std::byte, CMSG_SPACE(sizeof(int))> small;
    auto r = core::receive_with_fds(pair.second, buf, got, core::wait_policy::deadline(1s), small);
    ASSERT_FALSE(r);
    EXPECT_EQ(r.error().code, errc::truncated_control_message);
    EXPECT_EQ(r.error().number(), 3);  // the payload bytes that came with them
    for (const auto& fd : got) EXPECT_FALSE(fd);
  }
  EXPECT_EQ(open_descriptors(), fds_before_);
}

TEST_F(UnixSocket, CredentialsCarryThisProcess) {
  auto pair = core::socketpair(SOCK_DGRAM);
  ASSERT_TRUE(pair);
  pass_credentials(pair->second);
  const auto me = core::unix_credentials::of_this_process();
  EXPECT_EQ(me.pid, ::getpid());
  EXPECT_EQ(me.uid, ::getuid());
  EXPECT_EQ(me.gid, ::getgid());
  auto sent = core::send_unix(pair->first, bytes_from("c"), unix_address(), {.credentials = me});
  ASSERT_TRUE(sent) << sent.error().message();
  std::array<std::byte, 8> buf;
  auto r = core::receive_from(pair->second, buf, core::wait_policy::deadline(1s));
  ASSERT_TRUE(r) << r.error().message();
  ASSERT_TRUE(r->credentials);
  EXPECT_EQ(*r->credentials, me);
  // With SO_PASSCRED on the kernel attaches them even when none were sent,
  // and alongside descriptors.
  pipe_pair p;
  const int fds[] = {p.read.get()};
  ASSERT_TRUE(core::send_with_fds(pair->first, bytes_from("d"), fds));
  std::array<core::unique_fd, 1> got;
  r = core::receive_with_fds(pair->second, buf, got, core::wait_policy::deadline(1s));
  ASSERT_TRUE(r);
  ASSERT_TRUE(r->credentials);
  EXPECT_EQ(*r->credentials, me);
  EXPECT_EQ(r->fds, 1u);
  // Without SO_PASSCRED, none.
  ASSERT_TRUE(core::send_unix(pair->second, bytes_from("e"), unix_address(), {.credentials = me}));
  r = core::receive_from(pair->first, buf, core::wait_policy::deadline(1s));
  ASSERT_TRUE(r);
  EXPECT_FALSE(r->credentials);
}

TEST_F(UnixSocket, ListenSetupPassesCredentials) {
  const auto where = fresh_abstract("passcred");
  auto server = core::listen_unix(where, {.type = SOCK_DGRAM, .pass_credentials = true});
  ASSERT_TRUE(server);
  auto client = core::dial_unix(where, {.type = SOCK_DGRAM});
  ASSERT_TRUE(client);
  ASSERT_TRUE(core::send_with_fds(*client, bytes_from("c"), {}));
  std::array<std::byte, 8> buf;
  auto r = core::receive_from(*server, buf, core::wait_policy::deadline(1s));
  ASSERT_TRUE(r);
  ASSERT_TRUE(r->credentials);
  EXPECT_EQ(r->credentials->pid, ::getpid());
  // A stream listener's accepted sockets inherit SO_PASSCRED.
  const auto stream_name = fresh_abstract("passcred-stream");
  auto listener = core::listen_unix(stream_name, {.pass_credentials = true});
  ASSERT_TRUE(listener);
  auto dialed = core::dial_unix(stream_name, {}, 1s);
  ASSERT_TRUE(dialed);
  auto accepted = core::accept_unix(*listener, core::wait_policy::deadline(1s));
  ASSERT_TRUE(accepted);
  ASSERT_TRUE(core::send_with_fds(*dialed, bytes_from("s"), {}));
  r = core::receive_from(*accepted, buf, core::wait_policy::deadline(1s));
  ASSERT_TRUE(r);
  ASSERT_TRUE(r->credentials);
  EXPECT_EQ(*r->credentials, core::unix_credentials::of_this_process());
}

TEST_F(UnixSocket, SendRefusesWhatTheKernelWouldMisread) {
  auto pair = core::socketpair(SOCK_STREAM);
  ASSERT_TRUE(pair);
  const int one[] = {0};
  auto empty = core::send_with_fds(pair->first, {}, one);
  ASSERT_FALSE(empty);
  EXPECT_EQ(empty.error().code, std::errc::invalid_argument);
  std::vector<int> many(core::max_fds_per_message + 1, 0);
  auto too_many = core::send_with_fds(pair->first, bytes_from("x"), many);
  ASSERT_FALSE(too_many);
  EXPECT_EQ(too_many.error().code, errc::value_out_of_range);
  EXPECT_EQ(too_many.error().number(), 254);
  // The kernel's own limit agrees: 253 go through.
  pipe_pair p;
  std::vector<int> most(core::max_fds_per_message, p.read.get());
  auto sent = core::send_with_fds(pair->first, bytes_from("y"), most);
  ASSERT_TRUE(sent) << sent.error().message();
  std::array<std::byte, 8> buf;
  std::array<core::unique_fd, 2> got;
  auto r = core::receive_with_fds(pair->second, buf, got, core::wait_policy::deadline(1s));
  ASSERT_TRUE(r) << r.error().message();
  EXPECT_EQ(r->fds, 2u);
  EXPECT_EQ(r->fds_closed, 251u);
}

// Run `check` in a child process that became nobody (uid and gid 65534,
// no capabilities): what only an unprivileged process meets. Returns the
// child's exit code: 0 when `check` said true, 1 when false, 2 when the
// child could not drop its privileges, -1 when it did not exit.
template <class Check>
int as_nobody(Check&& check) {
  const pid_t child = ::fork();
  if (child < 0) return -1;
  if (child == 0) {
    if (::setgid(65534) != 0 || ::setuid(65534) != 0) ::_exit(2);
    ::_exit(check() ? 0 : 1);
  }
  int status = 0;
  if (::waitpid(child, &status, 0) != child || !WIFEXITED(status)) return -1;
  return WEXITSTATUS(status);
}

// Descriptors and credentials pass only over AF_UNIX: on another socket
// the kernel would drop them silently and send the bytes, so the call is
// refused before it with errc::family_mismatch.
TEST_F(UnixSocket, AttachmentsOnANonUnixSocketAreRefused) {
  auto tcp = core::socket::open(AF_INET, SOCK_STREAM).value();
  const int one[] = {0};
  auto fds = core::send_with_fds(tcp, bytes_from("x"), one);
  ASSERT_FALSE(fds);
  EXPECT_EQ(fds.error().code, errc::family_mismatch) << fds.error().message();
  EXPECT_EQ(fds.error().number(), AF_INET);
  EXPECT_NE(fds.error().message().find("only an AF_UNIX socket passes descriptors"), std::string::npos)
      << fds.error().message();
  auto creds = core::send_unix(tcp, bytes_from("x"), unix_address(),
                               {.credentials = core::unix_credentials::of_this_process()});
  ASSERT_FALSE(creds);
  EXPECT_EQ(creds.error().code, errc::family_mismatch) << creds.error().message();
  EXPECT_NE(creds.error().message().find("only an AF_UNIX socket passes credentials"), std::string::npos)
      << creds.error().message();
}

// A unix_address given to an IP socket is refused before the call, as an
// IP endpoint on an AF_UNIX socket is: the kernel would say EINVAL (a name
// shorter than a sockaddr_in, "@x") or EAFNOSUPPORT (a longer path), and
// nothing of why. No system call is made with the name, so nothing is sent.
TEST_F(UnixSocket, UnixAddressOnAnIpSocketIsRefusedBeforeTheCall) {
  const unix_address names[] = {unix_address::abstract("x").value(),
                                path("family-check.sock")};
  for (const int family : {AF_INET, AF_INET6}) {
    for (const auto& name : names) {
      const auto where = std::string(family == AF_INET ? "AF_INET " : "AF_INET6 ") + name.to_string();
      const auto refused = [&](const mcnet::result<void>& r, const char* call) {
        ASSERT_FALSE(r) << call << " " << where;
        EXPECT_EQ(r.error().code, errc::family_mismatch) << call << " " << where << ": " << r.error().message();
        EXPECT_EQ(r.error().number(), family) << call;
        EXPECT_EQ(r.error().input(), name.to_string()) << call << ": the address given";
        EXPECT_NE(r.error().message().find("a unix_address needs an AF_UNIX socket"), std::string::npos)
            << call << ": " << r.error().message();
      };
      auto stream = core::socket::open(family, SOCK_STREAM);
      if (!stream && family == AF_INET6) GTEST_SKIP() << "no IPv6: " << stream.error().message();
      ASSERT_TRUE(stream) << stream.error().message();
      refused(core::bind(*stream, name), "bind");
      refused(core::connect(*stream, name), "connect");
      const auto timeout_before = core::get(*stream, core::opt::send_timeout).value();
      refused(core::connect(*stream, name, 100ms), "connect with a timeout");
      EXPECT_EQ(core::get(*stream, core::opt::send_timeout).value(), timeout_before) << "untouched";
      EXPECT_FALSE(core::nonblocking(*stream).value()) << "untouched";
      auto dgram = core::socket::open(family, SOCK_DGRAM).value();
      auto sent = core::send_to(dgram, bytes_from("x"), name, core::wait_policy::deadline(100ms));
      ASSERT_FALSE(sent) << where;
      EXPECT_EQ(sent.error().code, errc::family_mismatch) << where << ": " << sent.error().message();
      EXPECT_EQ(sent.error().number(), family);
      EXPECT_EQ(sent.error().input(), name.to_string());
      EXPECT_NE(sent.error().message().find("a unix_address needs an AF_UNIX socket"), std::string::npos)
          << sent.error().message();
    }
  }
}

// Errors on Unix sockets name the Unix address (its text form) where the
// socket has one: a listener's own for accept; for reads and writes the
// peer's, or the socket's own when the peer has none (an accepted socket
// has the listener's name).
TEST_F(UnixSocket, ErrorsNameTheUnixAddress) {
  for (const auto& where : {path("named.sock"), fresh_abstract("named")}) {
    const auto text = where.to_string();
    auto server = core::listen_unix(where).value();
    auto waited = core::accept_unix(server, core::wait_policy::deadline(20ms));
    ASSERT_FALSE(waited);
    EXPECT_EQ(waited.error().code, errc::timed_out);
    EXPECT_EQ(waited.error().input(), text) << waited.error().message();

    auto client = core::dial_unix(where, {}, 1s).value();
    auto conn = core::accept_unix(server, core::wait_policy::deadline(1s)).value();
    std::array<std::byte, 8> buf{};
    for (auto* end : {&client, &conn}) {
      auto read = core::read_some(*end, buf, core::wait_policy::deadline(20ms));
      ASSERT_FALSE(read);
      EXPECT_EQ(read.error().code, errc::timed_out);
      EXPECT_EQ(read.error().input(), text) << read.error().message();
      EXPECT_NE(read.error().message().find('"' + text + '"'), std::string::npos) << read.error().message();
    }
    conn.close();
    auto write = core::write_all(client, bytes_from("gone"), core::wait_policy::deadline(1s));
    ASSERT_FALSE(write);
    EXPECT_EQ(write.error().code, std::errc::broken_pipe) << write.error().message();
    EXPECT_EQ(write.error().input(), text) << write.error().message();
    EXPECT_NE(write.error().message().find("closed for writing"), std::string::npos) << write.error().message();
  }
  // An unnamed pair names nothing, and says so by an empty input.
  auto pair = core::socketpair(SOCK_STREAM).value();
  std::array<std::byte, 8> buf{};
  auto quiet = core::read_some(pair.first, buf, core::wait_policy::nonblocking());
  ASSERT_FALSE(quiet);
  EXPECT_EQ(quiet.error().code, errc::would_block);
  auto timed = core::read_some(pair.first, buf, core::wait_policy::deadline(10ms));
  ASSERT_FALSE(timed);
  EXPECT_TRUE(timed.error().input().empty()) << timed.error().message();
}

// A Unix stream socket that is not connected says EINVAL to recv where TCP
// and a seqpacket socket say ENOTCONN: reported as ENOTCONN, with the fix.
TEST_F(UnixSocket, ReadingAnUnconnectedStreamIsNotConnected) {
  for (const int type : {SOCK_STREAM, SOCK_SEQPACKET}) {
    auto lone = core::socket::open(AF_UNIX, type).value();
    std::array<std::byte, 8> buf{};
    for (const auto& wait : {core::wait_policy::nonblocking(), core::wait_policy::deadline(1s)}) {
      auto r = core::read_some(lone, buf, wait);
      ASSERT_FALSE(r) << type;
      EXPECT_EQ(r.error().code, std::errc::not_connected) << type << ": " << r.error().message();
      EXPECT_NE(r.error().message().find("connect it first"), std::string::npos) << r.error().message();
      auto exact = core::read_exact(lone, buf, wait);
      ASSERT_FALSE(exact);
      EXPECT_EQ(exact.error().code, std::errc::not_connected) << type << ": " << exact.error().message();
    }
  }
  // So is a listener's, which is never connected.
  auto server = core::listen_unix(fresh_abstract("listener")).value();
  std::array<std::byte, 8> buf{};
  auto r = core::read_some(server, buf, core::wait_policy::deadline(1s));
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().code, std::errc::not_connected) << r.error().message();
}

// A Unix listener shut down for reading still listens (SO_ACCEPTCONN is 1)
// and refuses every accept with EINVAL: the hint says it was shut down,
// not to call listen, whether the shutdown came before the accept or while
// it waited (another thread).
TEST_F(UnixSocket, AcceptOnAShutDownListenerSaysSo) {
  {
    auto server = core::listen_unix(fresh_abstract("shut")).value();
    ASSERT_TRUE(core::shutdown(server, core::shutdown_side::read));
    auto r = core::accept_unix(server, core::wait_policy::deadline(1s));
    ASSERT_FALSE(r);
    EXPECT_EQ(r.error().code, std::errc::invalid_argument) << r.error().message();
    EXPECT_NE(r.error().message().find("was shut down"), std::string::npos) << r.error().message();
    EXPECT_EQ(r.error().message().find("call listen first"), std::string::npos) << r.error().message();
  }
  for (const auto& wait : {core::wait_policy::blocking(), core::wait_policy::deadline(5s)}) {
    auto server = core::listen_unix(fresh_abstract("shut-later")).value();
    std::thread closer([&] {
      std::this_thread::sleep_for(50ms);
      (void)core::shutdown(server, core::shutdown_side::both);
    });
    const auto start = std::chrono::steady_clock::now();
    auto r = core::accept_unix(server, wait);
    closer.join();
    EXPECT_LT(std::chrono::steady_clock::now() - start, 4s) << "the shutdown ended the wait";
    ASSERT_FALSE(r);
    EXPECT_EQ(r.error().code, std::errc::invalid_argument) << r.error().message();
    EXPECT_NE(r.error().message().find("was shut down"), std::string::npos) << r.error().message();
  }
  // One that never listened is told to.
  auto lone = core::socket::open(AF_UNIX, SOCK_STREAM).value();
  auto never = core::accept_unix(lone, core::wait_policy::deadline(1s));
  ASSERT_FALSE(never);
  EXPECT_NE(never.error().message().find("call listen first"), std::string::npos) << never.error().message();
}

// Accepted sockets are close-on-exec, blocking or nonblocking as asked.
TEST_F(UnixSocket, AcceptedSocketsAreCloseOnExec) {
  const auto where = fresh_abstract("cloexec");
  auto server = core::listen_unix(where).value();
  for (const bool nonblocking : {false, true}) {
    auto client = core::dial_unix(where, {}, 1s).value();
    auto conn = core::accept_unix(server, core::wait_policy::deadline(1s), nullptr, nonblocking);
    ASSERT_TRUE(conn) << conn.error().message();
    test::expect_accepted_modes(conn->native_handle(), nonblocking);
  }
}

// A descriptor that is not open is named by its index, before the call.
TEST_F(UnixSocket, ADescriptorNotOpenIsNamedByIndex) {
  auto pair = core::socketpair(SOCK_STREAM).value();
  pipe_pair p;
  const int closed = ::dup(p.read.get());
  ASSERT_GE(closed, 0);
  ASSERT_EQ(::close(closed), 0);
  const int fds[] = {p.read.get(), closed};
  auto r = core::send_with_fds(pair.first, bytes_from("x"), fds);
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().code, std::error_code(EBADF, std::system_category())) << r.error().message();
  EXPECT_EQ(r.error().number(), 1);
  EXPECT_NE(r.error().message().find("a descriptor passed is not open: the one at index 1"), std::string::npos)
      << r.error().message();
}

// Binding to a path creates a file in its directory: a directory that does
// not exist, or one this process may not write, is said in so many words.
TEST_F(UnixSocket, BindSaysWhatIsWrongWithTheDirectory) {
  auto missing = core::listen_unix(path("no-such-directory/server.sock"));
  ASSERT_FALSE(missing);
  EXPECT_EQ(missing.error().code, std::errc::no_such_file_or_directory) << missing.error().message();
  EXPECT_NE(missing.error().message().find("the directory does not exist"), std::string::npos)
      << missing.error().message();

  // Unprivileged (root passes every permission check): the directory is root's, mode 0700.
  const auto where = path("server.sock");
  EXPECT_EQ(as_nobody([&] {
              auto denied = core::listen_unix(where);
              return !denied && denied.error().code == std::errc::permission_denied &&
                     denied.error().message().find("write and search permission on the directory") !=
                         std::string::npos;
            }),
            0)
      << "1: EACCES without the directory's hint; 2: could not become nobody";
}

// Credentials that are not the sender's, sent unprivileged: EPERM, with
// what it would take.
TEST_F(UnixSocket, SomeoneElsesCredentialsUnprivilegedAreEperm) {
  auto pair = core::socketpair(SOCK_DGRAM).value();
  EXPECT_EQ(as_nobody([&] {
              auto creds = core::unix_credentials::of_this_process();
              creds.uid = 0;
              auto sent = core::send_unix(pair.first, bytes_from("c"), unix_address(), {.credentials = creds});
              return !sent && sent.error().code == std::errc::operation_not_permitted &&
                     sent.error().message().find("the credentials are not this process's own") !=
                         std::string::npos;
            }),
            0)
      << "1: no EPERM with its hint; 2: could not become nobody";
}

// The usual errnos of sends on Unix sockets get a hint: a name given on a
// connected stream (EISCONN), a datagram peer that closed (ECONNREFUSED),
// a datagram larger than the send buffer (EMSGSIZE), and a datagram to an
// abstract name nothing is bound to (a datagram server binds; it never
// listens).
TEST_F(UnixSocket, SendErrorsSayWhatToDo) {
  auto stream = core::socketpair(SOCK_STREAM).value();
  auto named = core::send_to(stream.first, bytes_from("x"), fresh_abstract("anyone"), core::wait_policy::deadline(1s));
  ASSERT_FALSE(named);
  EXPECT_EQ(named.error().code, std::errc::already_connected) << named.error().message();
  EXPECT_NE(named.error().message().find("the socket is connected"), std::string::npos) << named.error().message();

  for (bool through_send_unix : {false, true}) {
    auto pair = core::socketpair(SOCK_DGRAM).value();
    { [[maybe_unused]] auto gone = std::move(pair.second); }
    auto w = through_send_unix
                 ? core::send_unix(pair.first, bytes_from("x"), unix_address(), {}, core::wait_policy::deadline(1s))
                 : core::write_some(pair.first, bytes_from("x"), core::wait_policy::deadline(1s));
    ASSERT_FALSE(w);
    EXPECT_EQ(w.error().code, std::errc::connection_refused) << w.error().message();
    EXPECT_NE(w.error().message().find("the peer's socket is closed"), std::string::npos) << w.error().message();
  }

  auto dgram = core::socketpair(SOCK_DGRAM).value();
  const std::vector<std::byte> huge(4 << 20);
  auto big = core::send_unix(dgram.first, huge, unix_address(), {}, core::wait_policy::deadline(1s));
  ASSERT_FALSE(big);
  EXPECT_EQ(big.error().code, std::errc::message_size) << big.error().message();
  EXPECT_NE(big.error().message().find("net.core.wmem_max"), std::string::npos) << big.error().message();

  auto nobody = core::send_to(dgram.first, bytes_from("x"), fresh_abstract("unbound"), core::wait_policy::deadline(1s));
  ASSERT_FALSE(nobody);
  EXPECT_EQ(nobody.error().code, std::errc::connection_refused) << nobody.error().message();
  EXPECT_NE(nobody.error().message().find("nothing is bound to that name"), std::string::npos)
      << nobody.error().message();
  EXPECT_EQ(nobody.error().message().find("listen"), std::string::npos) << nobody.error().message();
}

// Out of descriptors (RLIMIT_NOFILE at 0 for the two calls): socket and
// socketpair say EMFILE with the limit to raise, naming the call once.
TEST_F(UnixSocket, OutOfDescriptorsWhenOpeningSaysWhichLimit) {
  rlimit saved{};
  ASSERT_EQ(::getrlimit(RLIMIT_NOFILE, &saved), 0);
  rlimit none = saved;
  none.rlim_cur = 0;
  // UBSan's vptr check opens a pipe the first time it meets a dynamic type
  // (to test that the vtable is readable); with no descriptor left it would
  // report the error category's vtable as invalid. A call on the category
  // before the limit lets it see the type while it still can.
  ASSERT_EQ(std::error_code(EMFILE, std::system_category()).category(), std::system_category());
  ASSERT_EQ(::setrlimit(RLIMIT_NOFILE, &none), 0);
  auto one = core::socket::open(AF_UNIX, SOCK_STREAM);
  auto two = core::socketpair(SOCK_STREAM);
  ASSERT_EQ(::setrlimit(RLIMIT_NOFILE, &saved), 0);
  ASSERT_FALSE(one);
  ASSERT_FALSE(two);
  for (const auto& e : {one.error(), two.error()}) {
    EXPECT_EQ(e.code, std::errc::too_many_files_open) << e.message();
    EXPECT_NE(e.message().find("this process has no descriptor left (ulimit -n"), std::string::npos) << e.message();
    EXPECT_EQ(e.message().find("socket socket"), std::string::npos) << e.message();
  }
  EXPECT_EQ(one.error().message().rfind("socket: ", 0), 0u) << one.error().message();
  EXPECT_EQ(two.error().message().rfind("socketpair: ", 0), 0u) << two.error().message();
}

TEST_F(UnixSocket, PassingDescriptorsAllocatesNothing) {
  auto pair = core::socketpair(SOCK_DGRAM);
  ASSERT_TRUE(pair);
  pass_credentials(pair->second);
  pipe_pair p;
  const int fds[] = {p.read.get(), p.write.get()};
  std::array<std::byte, 8> buf;
  std::array<core::unique_fd, 2> got;
  mcnet::test::allocation_scope scope;
  for (int i = 0; i < 10; ++i) {
    ASSERT_TRUE(core::send_with_fds(pair->first, bytes_from("a"), fds));
    auto r = core::receive_with_fds(pair->second, buf, got, core::wait_policy::deadline(1s));
    ASSERT_TRUE(r);
    EXPECT_EQ(r->fds, 2u);
  }
  EXPECT_EQ(scope.count(), 0u);
}

}  // namespace
