// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The mcnet authors
//
// Stream I/O (read_some ... writev_all), accept, connect_start /
// connect_finish, shutdown and the errors they give: Unix stream pairs
// (::socketpair, nothing on any network) and TCP/UDP between two hosts in
// namespaces.

#include <gtest/gtest.h>

#include <fcntl.h>
#include <pthread.h>
#include <signal.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <array>
#include <atomic>
#include <chrono>
#include <cstring>
#include <fstream>
#include <numeric>
#include <stdexcept>
#include <string>
#include <thread>
#include <utility>
#include <vector>

#include <mcnet/core/dial.hpp>
#include <mcnet/core/message.hpp>
#include <mcnet/core/socket_ops.hpp>
#include <mcnet/core/socket_options.hpp>
#include <mcnet/core/stream.hpp>
#include <mcnet/core/tcp_options.hpp>
#include <mcnet/core/unix_socket.hpp>
#include <mcnet/core/zerocopy.hpp>

#include "alloc_counter.hpp"
#include "descriptor_modes.hpp"
#include "interrupter.hpp"
#include "lan.hpp"
#include "privilege.hpp"
#include "tcp_helpers.hpp"

namespace core = mcnet::core;
namespace test = mcnet::test;
using namespace std::chrono_literals;
using clock_type = std::chrono::steady_clock;

namespace {

// A connected pair of Unix stream sockets.
std::pair<core::socket, core::socket> stream_pair() {
  int fds[2];
  if (::socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, fds) != 0) throw std::runtime_error("socketpair");
  return {core::socket::adopt(core::unique_fd(fds[0])).value(), core::socket::adopt(core::unique_fd(fds[1])).value()};
}

std::span<const std::byte> bytes_of(std::string_view text) { return std::as_bytes(std::span(text)); }
std::string text_of(std::span<const std::byte> b) { return {reinterpret_cast<const char*>(b.data()), b.size()}; }

// Byte i of the test pattern: long-period, so that a shifted or repeated
// chunk never matches.
std::byte pattern(std::size_t i) { return static_cast<std::byte>((i * 131 + i / 251) & 0xff); }

std::vector<std::byte> pattern_bytes(std::size_t n) {
  std::vector<std::byte> v(n);
  for (std::size_t i = 0; i < n; ++i) v[i] = pattern(i);
  return v;
}

// The wait policies every echo runs with; nonblocking retries in a bounded loop.
struct named_policy {
  const char* name;
  core::wait_policy wait;
};
const std::array<named_policy, 3> kPolicies{{{"nonblocking", core::wait_policy::nonblocking()},
                                             {"deadline", core::wait_policy::deadline(2s)},
                                             {"adaptive", core::wait_policy::adaptive(50us, 2s)}}};

// Under nonblocking(), repeat `step` (which returns a result) while it says
// would_block, at most for two seconds; under the others, call it once.
template <class Step>
auto with_retries(core::wait_policy wait, Step&& step) {
  auto r = step();
  const auto until = clock_type::now() + 2s;
  while (wait.kind() == core::wait_policy::mode::nonblocking && !r &&
         r.error().code == mcnet::errc::would_block && clock_type::now() < until) {
    std::this_thread::sleep_for(100us);
    r = step();
  }
  return r;
}

// write_all / read_exact under `wait`; under nonblocking() each call that
// says would_block is called again on the rest (the error's number says how
// far it got), for at most ten seconds in all.
template <class Span, class Call>
mcnet::result<std::size_t> until_done(Span data, Call&& call) {
  std::size_t done = 0;
  const auto until = clock_type::now() + 10s;
  while (true) {
    auto r = call(data.subspan(done));
    if (r) return done + *r;
    if (r.error().code != mcnet::errc::would_block || clock_type::now() > until) return r;
    done += static_cast<std::size_t>(r.error().number().value());
    std::this_thread::sleep_for(100us);
  }
}

mcnet::result<std::size_t> send_all(core::socket_ref s, std::span<const std::byte> data, core::wait_policy wait) {
  return until_done(data, [&](auto rest) { return core::write_all(s, rest, wait); });
}

mcnet::result<std::size_t> receive_all(core::socket_ref s, std::span<std::byte> buffer, core::wait_policy wait) {
  return until_done(buffer, [&](auto rest) { return core::read_exact(s, rest, wait); });
}

// Send `text` and read its echo back under `wait`, with the one-call
// functions (write_some, read_some).
std::string echo_once(core::socket_ref s, std::string_view text, core::wait_policy wait) {
  std::size_t sent = 0;
  while (sent < text.size()) {
    auto n = with_retries(wait, [&] { return core::write_some(s, bytes_of(text.substr(sent)), wait); });
    if (!n) return "write: " + n.error().message();
    sent += *n;
  }
  std::string back(text.size(), '\0');
  auto buffer = std::as_writable_bytes(std::span(back));
  std::size_t got = 0;
  while (got < back.size()) {
    auto n = with_retries(wait, [&] { return core::read_some(s, buffer.subspan(got), wait); });
    if (!n) return "read: " + n.error().message();
    if (*n == 0) return "read: end of stream after " + std::to_string(got);
    got += *n;
  }
  return back;
}

// `size` bytes through the echo with the looping functions (write_all on a
// thread of its own, read_exact here), both under `wait`: larger than the
// buffers of both ends together, which one thread alone could not move.
bool echo_large(core::socket_ref s, std::size_t size, core::wait_policy wait, std::string& why) {
  const auto data = pattern_bytes(size);
  std::vector<std::byte> back(size);
  mcnet::result<std::size_t> sent;
  std::thread writer([&] { sent = send_all(s, data, wait); });
  auto got = receive_all(s, back, wait);
  writer.join();
  if (!sent) why = "write_all: " + sent.error().message();
  if (!got) why = "read_exact: " + got.error().message();
  return sent && got && *sent == size && *got == size && back == data;
}

// Echo everything read on `s` until the peer shuts down, then shut down
// this side too (blocking calls, bounded by a 10 s deadline each).
void echo_until_end(core::socket_ref s) {
  std::array<std::byte, 4096> buffer{};
  for (int i = 0; i < 1000000; ++i) {
    auto n = core::read_some(s, buffer, core::wait_policy::deadline(10s));
    if (!n || *n == 0) break;
    if (!core::write_all(s, std::span(buffer).first(*n), core::wait_policy::deadline(10s))) break;
  }
  (void)core::shutdown(s, core::shutdown_side::write);
}

template <class F>
std::chrono::milliseconds elapsed_ms(F&& fn) {
  const auto start = clock_type::now();
  fn();
  return std::chrono::duration_cast<std::chrono::milliseconds>(clock_type::now() - start);
}

// ------------------------------------------------------------------ Unix pairs

TEST(Stream, UnixEchoWithEachWaitPolicy) {
  auto pair = stream_pair();
  auto& client = pair.first;
  auto& server = pair.second;
  std::thread echo([&] { echo_until_end(server); });
  for (const auto& p : kPolicies) {
    const std::string text = std::string("over a socketpair with ") + p.name;
    EXPECT_EQ(echo_once(client, text, p.wait), text) << p.name;
    std::string why;
    EXPECT_TRUE(echo_large(client, 1 << 20, p.wait, why)) << p.name << ": " << why;
  }
  ASSERT_TRUE(core::shutdown(client, core::shutdown_side::write));
  echo.join();
  std::array<std::byte, 8> rest{};
  auto end = core::read_some(client, rest, core::wait_policy::deadline(2s));
  ASSERT_TRUE(end) << end.error().message();
  EXPECT_EQ(*end, 0u) << "the echo shut down its side after ours: end of stream";
}

TEST(Stream, EndOfStreamIsZeroAndAnEmptyBufferIsRefused) {
  auto pair_a = stream_pair();
  auto& a = pair_a.first;
  auto& b = pair_a.second;
  ASSERT_EQ(core::write_all(a, bytes_of("abc")).value(), 3u);
  ASSERT_TRUE(core::shutdown(a, core::shutdown_side::write));
  std::array<std::byte, 16> buffer{};
  EXPECT_EQ(core::read_some(b, buffer, core::wait_policy::deadline(1s)).value(), 3u);
  EXPECT_EQ(core::read_some(b, buffer, core::wait_policy::deadline(1s)).value(), 0u) << "orderly shutdown";
  EXPECT_EQ(core::read_some(b, buffer, core::wait_policy::nonblocking()).value(), 0u) << "and it stays so";

  auto empty = core::read_some(b, std::span<std::byte>(), core::wait_policy::nonblocking());
  ASSERT_FALSE(empty);
  EXPECT_EQ(empty.error().code, std::errc::invalid_argument) << "0 would read as end of stream";
  EXPECT_EQ(core::write_some(b, std::span<const std::byte>()).value(), 0u);
  EXPECT_EQ(core::read_exact(b, std::span<std::byte>()).value(), 0u);
  const std::array<iovec, 2> none{};
  EXPECT_EQ(core::readv(b, none).error().code, std::errc::invalid_argument);
  EXPECT_EQ(core::writev(b, none).value(), 0u);
}

TEST(Stream, ReadExactWhenThePeerClosesEarlyNamesTheBytesThatArrived) {
  auto pair_a = stream_pair();
  auto& a = pair_a.first;
  auto& b = pair_a.second;
  ASSERT_TRUE(core::write_all(a, bytes_of("0123456789")));
  a.close();
  std::array<std::byte, 100> buffer{};
  auto r = core::read_exact(b, buffer, core::wait_policy::deadline(2s));
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().code, mcnet::errc::end_of_stream);
  EXPECT_EQ(r.error().number(), 10);
  EXPECT_EQ(text_of(std::span(buffer).first(10)), "0123456789") << "the bytes that came are in the buffer";
  EXPECT_TRUE(mcnet::is_disconnect(r.error()));
  EXPECT_FALSE(mcnet::is_transient(r.error()));
  EXPECT_EQ(r.error().message(),
            "recv socket: the peer closed the stream: the peer shut down its side after 10 bytes, before the "
            "buffer was full");
}

// On a socket that keeps message boundaries each recv takes one message and
// the kernel drops what does not fit: read_exact says so rather than lose
// the bytes in silence.
TEST(Stream, ReadExactOnAMessageSocketFailsWhenAMessageIsCut) {
  for (int type : {SOCK_SEQPACKET, SOCK_DGRAM}) {
    SCOPED_TRACE(type == SOCK_SEQPACKET ? "seqpacket" : "datagram");
    auto pair = core::socketpair(type).value();
    for (std::string_view m : {"0123456789", "abcdefghij", "KLMNOPQRST"}) {
      ASSERT_EQ(core::write_some(pair.first, bytes_of(m)).value(), 10u);
    }
    std::array<std::byte, 15> buffer{};
    auto r = core::read_exact(pair.second, buffer, core::wait_policy::deadline(1s));
    ASSERT_FALSE(r);
    EXPECT_EQ(r.error().code, std::errc::message_size) << r.error().message();
    EXPECT_EQ(r.error().number(), 15) << "bytes in the buffer";
    EXPECT_EQ(text_of(buffer), "0123456789abcde");
    EXPECT_NE(r.error().message().find("MSG_TRUNC"), std::string::npos) << r.error().message();
    std::array<std::byte, 32> next{};
    EXPECT_EQ(core::read_some(pair.second, next, core::wait_policy::deadline(1s)).value(), 10u);
    EXPECT_EQ(text_of(std::span(next).first(10)), "KLMNOPQRST") << "the cut message's end is gone";
    // Messages that fit are read whole, as many as it takes.
    for (std::string_view m : {"01234", "56789"}) ASSERT_EQ(core::write_some(pair.first, bytes_of(m)).value(), 5u);
    std::array<std::byte, 10> exact{};
    EXPECT_EQ(core::read_exact(pair.second, exact, core::wait_policy::deadline(1s)).value(), 10u);
    EXPECT_EQ(text_of(exact), "0123456789");
  }
}

// accept on a socket that never accepts (datagram) or does not listen
// fails at once, whatever the descriptor's mode and the wait policy.
TEST(Stream, AcceptOnASocketThatCannotAcceptFailsAtOnce) {
  const std::pair<core::wait_policy, const char*> policies[] = {
      {core::wait_policy::nonblocking(), "nonblocking"},
      {core::wait_policy::deadline(2s), "deadline(2s)"},
      {core::wait_policy::adaptive(50us, 2s), "adaptive"},
      {core::wait_policy::blocking(), "blocking"},
  };
  for (int type : {SOCK_DGRAM, SOCK_STREAM, SOCK_SEQPACKET}) {
    const auto expected = type == SOCK_DGRAM ? std::errc::operation_not_supported : std::errc::invalid_argument;
    for (bool nonblocking_fd : {false, true}) {
      for (const auto& [policy, name] : policies) {
        SCOPED_TRACE(std::string(name) + (nonblocking_fd ? ", O_NONBLOCK" : ", blocking fd") + ", type " +
                     std::to_string(type));
        auto s = core::socket::open(AF_UNIX, type | (nonblocking_fd ? SOCK_NONBLOCK : 0)).value();
        const auto from = clock_type::now();
        auto a = core::accept(s, policy);
        auto u = core::accept_unix(s, policy);
        EXPECT_LT(clock_type::now() - from, 1s) << "at once";
        ASSERT_FALSE(a);
        ASSERT_FALSE(u);
        EXPECT_EQ(a.error().code, expected) << a.error().message();
        EXPECT_EQ(u.error().code, expected) << u.error().message();
        EXPECT_NE(a.error().message().find("call listen first"), std::string::npos) << a.error().message();
        EXPECT_NE(u.error().message().find("call listen first"), std::string::npos) << u.error().message();
      }
    }
  }
}

// connect_finish on a listening socket fails at once with EINVAL and says
// why, whatever the policy: poll never finds a listener writable, so
// blocking() would otherwise wait for ever.
TEST(Stream, ConnectFinishOnAListeningSocketFailsAtOnce) {
  auto s = core::listen_unix(
                core::unix_address::abstract("mcnet-test-" + std::to_string(::getpid()) + "-listening").value())
               .value();
  for (const auto& policy : {core::wait_policy::blocking(), core::wait_policy::deadline(2s),
                             core::wait_policy::adaptive(50us, 2s), core::wait_policy::nonblocking()}) {
    const auto from = clock_type::now();
    auto r = core::connect_finish(s, core::endpoint{}, policy);
    EXPECT_LT(clock_type::now() - from, 1s) << "at once";
    ASSERT_FALSE(r);
    EXPECT_EQ(r.error().code, std::error_code(EINVAL, std::system_category())) << r.error().message();
    EXPECT_NE(r.error().message().find("the socket is listening"), std::string::npos) << r.error().message();
  }
}

// A negative deadline has passed already: from nanoseconds::min() (whose
// sum with the start time once overflowed into a wait without end) to
// -1 s, a read with nothing to read and a wait say timed_out at once.
TEST(Stream, ANegativeDeadlineHasPassedAlready) {
  constexpr auto min = std::chrono::nanoseconds::min();
  const std::pair<core::wait_policy, const char*> policies[] = {
      {core::wait_policy::deadline(min), "deadline(min)"},
      {core::wait_policy::deadline(min + 1ns), "deadline(min + 1ns)"},
      {core::wait_policy::deadline(-1s), "deadline(-1s)"},
      {core::wait_policy::adaptive(1ms, min), "adaptive(1ms, min)"},
      {core::wait_policy::adaptive(min, min + 1ns), "adaptive(min, min + 1ns)"},
      {core::wait_policy::adaptive(-1s, -1s), "adaptive(-1s, -1s)"},
  };
  auto [a, b] = stream_pair();
  for (const auto& [policy, name] : policies) {
    SCOPED_TRACE(name);
    EXPECT_EQ(policy.timeout(), 0ns);
    EXPECT_GE(policy.spin(), 0ns);
    std::array<std::byte, 4> buffer{};
    const auto from = clock_type::now();
    auto r = core::read_some(a, buffer, policy);
    auto w = core::wait_readable(a, policy);
    EXPECT_LT(clock_type::now() - from, 1s) << "at once";
    ASSERT_FALSE(r);
    EXPECT_EQ(r.error().code, mcnet::errc::timed_out) << r.error().message();
    ASSERT_FALSE(w);
    EXPECT_EQ(w.error().code, mcnet::errc::timed_out) << w.error().message();
  }
}

// An IP endpoint given to a socket of another family: the kernel would say
// only EINVAL; mcnet says which families differ before the call.
TEST(Stream, AnIpEndpointOnAUnixSocketIsAFamilyMismatch) {
  auto s = core::socket::open(AF_UNIX, SOCK_STREAM).value();
  const auto where = core::endpoint::parse("10.77.0.1:4000").value();
  for (auto r : {core::bind(s, where), core::connect(s, where)}) {
    ASSERT_FALSE(r);
    EXPECT_EQ(r.error().code, mcnet::errc::family_mismatch) << r.error().message();
    EXPECT_NE(r.error().message().find("AF_UNIX"), std::string::npos) << r.error().message();
  }
}

TEST(Stream, ReadExactKeepsPartialProgressOnTimeoutAndWouldBlock) {
  auto pair_a = stream_pair();
  auto& a = pair_a.first;
  auto& b = pair_a.second;
  ASSERT_TRUE(core::write_all(a, bytes_of("partial")));
  std::array<std::byte, 64> buffer{};
  mcnet::result<std::size_t> r;
  const auto took = elapsed_ms([&] { r = core::read_exact(b, buffer, core::wait_policy::deadline(50ms)); });
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().code, std::errc::timed_out);
  EXPECT_EQ(r.error().number(), 7) << r.error().message();
  EXPECT_EQ(text_of(std::span(buffer).first(7)), "partial");
  EXPECT_GE(took, 50ms);
  EXPECT_LT(took, 500ms);
  EXPECT_TRUE(mcnet::is_transient(r.error()));

  ASSERT_TRUE(core::write_all(a, bytes_of("more")));
  auto nb = core::read_exact(b, buffer, core::wait_policy::nonblocking());
  ASSERT_FALSE(nb);
  EXPECT_EQ(nb.error().code, std::errc::operation_would_block);
  EXPECT_EQ(nb.error().number(), 4);
  EXPECT_EQ(text_of(std::span(buffer).first(4)), "more");
  // The count is labelled as for timed_out and end_of_stream.
  EXPECT_NE(nb.error().message().find("4 bytes were read before this"), std::string::npos) << nb.error().message();
  EXPECT_EQ(nb.error().message().find("(value"), std::string::npos) << nb.error().message();
  EXPECT_FALSE(nb.error().address()) << "would_block names no peer";

  // And a nonblocking write_all that fills the buffer says how much it sent.
  const auto big = pattern_bytes(8 << 20);
  auto w = core::write_all(a, big, core::wait_policy::nonblocking());
  ASSERT_FALSE(w);
  EXPECT_EQ(w.error().code, std::errc::operation_would_block);
  const auto sent = w.error().number().value();
  EXPECT_GT(sent, 0);
  EXPECT_NE(w.error().message().find(std::to_string(sent) + " bytes were sent before this"), std::string::npos)
      << w.error().message();
}

// The deadline of a looping call bounds the whole call: data trickling in
// faster than the deadline does not extend it.
TEST(Stream, ALoopingCallsDeadlineCountsFromItsStart) {
  auto pair_a = stream_pair();
  auto& a = pair_a.first;
  auto& b = pair_a.second;
  std::atomic<bool> stop{false};
  std::thread trickle([&] {
    for (int i = 0; i < 100 && !stop; ++i) {
      (void)core::write_all(a, bytes_of("x"));
      std::this_thread::sleep_for(10ms);
    }
  });
  std::array<std::byte, 1000> buffer{};
  mcnet::result<std::size_t> r;
  const auto took = elapsed_ms([&] { r = core::read_exact(b, buffer, core::wait_policy::deadline(100ms)); });
  stop = true;
  trickle.join();
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().code, mcnet::errc::timed_out);
  EXPECT_GT(r.error().number().value(), 0);
  EXPECT_GE(took, 100ms);
  EXPECT_LT(took, 500ms) << "each byte arriving within 10 ms must not restart the 100 ms";
}

TEST(Stream, WriteToAClosedPeerIsEpipeWithoutSigpipe) {
  static std::atomic<int> sigpipes{0};
  struct sigaction counting{};
  counting.sa_handler = [](int) { sigpipes.fetch_add(1); };
  struct sigaction before{};
  ASSERT_EQ(::sigaction(SIGPIPE, &counting, &before), 0);

  auto pair_a = stream_pair();
  auto& a = pair_a.first;
  auto& b = pair_a.second;
  b.close();
  auto one = core::write_some(a, bytes_of("anyone?"), core::wait_policy::deadline(1s));
  ASSERT_FALSE(one);
  EXPECT_EQ(one.error().code, std::errc::broken_pipe);
  EXPECT_TRUE(mcnet::is_disconnect(one.error()));
  auto all = core::write_all(a, bytes_of("anyone?"), core::wait_policy::deadline(1s));
  ASSERT_FALSE(all);
  EXPECT_EQ(all.error().code, std::errc::broken_pipe);
  EXPECT_EQ(all.error().number(), 0);
  const std::array<iovec, 1> v{{{const_cast<char*>("x"), 1}}};
  EXPECT_EQ(core::writev_all(a, v).error().code, std::errc::broken_pipe);

  // Our own shutdown of the writing side: EPIPE as well.
  auto pair_c = stream_pair();  // the peer stays open: the shutdown is ours
  auto& c = pair_c.first;
  ASSERT_TRUE(core::shutdown(c, core::shutdown_side::write));
  auto shut = core::write_some(c, bytes_of("late"));
  ASSERT_FALSE(shut);
  EXPECT_EQ(shut.error().code, std::errc::broken_pipe);
  EXPECT_NE(shut.error().message().find("closed for writing"), std::string::npos) << shut.error().message();
  EXPECT_NE(one.error().message().find("the peer closed"), std::string::npos) << one.error().message();
  EXPECT_NE(one.error().message().find("it is gone"), std::string::npos) << one.error().message();

  EXPECT_EQ(sigpipes.load(), 0) << "MSG_NOSIGNAL: no SIGPIPE";
  ::sigaction(SIGPIPE, &before, nullptr);
}

// blocking() lets the system call itself wait on a descriptor in blocking
// mode, and polls on a nonblocking one: either way it waits for the data.
TEST(Stream, BlockingPolicyWaitsWhateverTheDescriptorsMode) {
  for (bool nonblocking : {false, true}) {
    auto pair_a = stream_pair();
    auto& a = pair_a.first;
    auto& b = pair_a.second;
    ASSERT_TRUE(core::set_nonblocking(b, nonblocking));
    std::thread late([&] {
      std::this_thread::sleep_for(50ms);
      (void)core::write_all(a, bytes_of("late"));
    });
    std::array<std::byte, 4> buffer{};
    mcnet::result<std::size_t> r;
    const auto took = elapsed_ms([&] { r = core::read_exact(b, buffer); });
    late.join();
    ASSERT_TRUE(r) << r.error().message();
    EXPECT_EQ(text_of(buffer), "late");
    EXPECT_GE(took, 40ms) << "nonblocking descriptor: " << nonblocking;
    EXPECT_EQ(core::nonblocking(b).value(), nonblocking) << "the descriptor's mode is left alone";
  }
}

// accept under blocking() on a listener in blocking mode waits in accept4
// itself: a signal (EINTR) does not end the wait, as it ends no other.
TEST(Stream, BlockingAcceptIsNotEndedByASignal) {
  const auto name = core::unix_address::abstract("mcnet-test-" + std::to_string(::getpid()) + "-accept-eintr").value();
  auto listener = core::listen_unix(name).value();
  ASSERT_FALSE(core::nonblocking(listener).value());
  mcnet::result<core::socket> accepted;
  {
    test::interrupter signals(::pthread_self());
    std::thread late([&] {
      for (int i = 0; i < 100 && signals.caught() < 3; ++i) std::this_thread::sleep_for(10ms);
      (void)core::dial_unix(name, {}, 2s);
    });
    accepted = core::accept(listener, core::wait_policy::blocking());
    late.join();
    EXPECT_GE(signals.caught(), 3) << "the signals came while accept waited";
  }
  ASSERT_TRUE(accepted) << accepted.error().message();
}

TEST(Stream, ShutdownOfAnUnconnectedSocketNamesWhy) {
  auto s = core::socket::open(AF_INET, SOCK_STREAM).value();
  auto r = core::shutdown(s, core::shutdown_side::both);
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().code, std::errc::not_connected);
  EXPECT_EQ(r.error().op, "shutdown");
}

// writev_all over more iovecs than one sendmsg takes (IOV_MAX), of odd
// sizes, against a small send buffer and a slow reader: every byte arrives
// once and in order; readv scatters.
TEST(Stream, WritevAllResumesInsideAndBetweenIovecs) {
  auto pair_a = stream_pair();
  auto& a = pair_a.first;
  auto& b = pair_a.second;
  ASSERT_TRUE(core::set(a, core::opt::send_buffer, 4096));
  const auto data = pattern_bytes(3 << 20);
  std::vector<iovec> iov;
  for (std::size_t at = 0, k = 0; at < data.size(); ++k) {
    const std::size_t len = std::min<std::size_t>(k % 7 == 3 ? 0 : 1 + (k * 97) % 3000, data.size() - at);
    iov.push_back({const_cast<std::byte*>(data.data() + at), len});
    at += len;
  }
  ASSERT_GT(iov.size(), 1024u) << "more than IOV_MAX iovecs";
  const auto copy = iov;

  std::vector<std::byte> got;
  got.reserve(data.size());
  std::thread reader([&] {
    std::array<std::byte, 5000> first{};
    std::array<std::byte, 3000> second{};
    const std::array<iovec, 2> scatter{{{first.data(), first.size()}, {second.data(), second.size()}}};
    for (int i = 0; i < 100000 && got.size() < data.size(); ++i) {
      auto n = core::readv(b, scatter, core::wait_policy::deadline(5s));
      if (!n || *n == 0) break;
      const auto from_first = std::min(*n, first.size());
      got.insert(got.end(), first.begin(), first.begin() + static_cast<std::ptrdiff_t>(from_first));
      got.insert(got.end(), second.begin(), second.begin() + static_cast<std::ptrdiff_t>(*n - from_first));
      if (i % 16 == 0) std::this_thread::sleep_for(1ms);
    }
  });
  auto r = core::writev_all(a, iov, core::wait_policy::deadline(20s));
  reader.join();
  ASSERT_TRUE(r) << r.error().message();
  EXPECT_EQ(*r, data.size());
  EXPECT_EQ(got.size(), data.size());
  EXPECT_TRUE(got == data) << "every byte once and in order";
  EXPECT_TRUE(std::equal(iov.begin(), iov.end(), copy.begin(), [](const iovec& x, const iovec& y) {
    return x.iov_base == y.iov_base && x.iov_len == y.iov_len;
  })) << "the caller's iovecs are not changed";
}

TEST(Stream, WritevTakesAtMostIovMaxBuffers) {
  auto pair_a = stream_pair();
  auto& a = pair_a.first;
  std::array<char, 2000> one_each{};
  std::vector<iovec> iov(2000);
  for (std::size_t i = 0; i < iov.size(); ++i) iov[i] = {&one_each[i], 1};
  auto n = core::writev(a, iov, core::wait_policy::deadline(1s));
  ASSERT_TRUE(n) << n.error().message() << ": more than IOV_MAX buffers must not be EINVAL";
  EXPECT_EQ(*n, 1024u);
}

TEST(Stream, ReadsAndWritesAllocateNothing) {
  auto pair_a = stream_pair();
  auto& a = pair_a.first;
  auto& b = pair_a.second;
  std::array<std::byte, 256> out{};
  std::array<std::byte, 256> in{};
  const std::array<iovec, 2> halves{{{out.data(), 128}, {out.data() + 128, 128}}};
  const std::array<iovec, 2> in_halves{{{in.data(), 100}, {in.data() + 100, 156}}};
  test::allocation_scope scope;
  std::size_t moved = 0;
  for (int i = 0; i < 200; ++i) {
    moved += core::write_all(a, out, core::wait_policy::deadline(1s)).value_or(0);
    moved += core::read_exact(b, in, core::wait_policy::adaptive(10us, 1s)).value_or(0);
    moved += core::writev_all(a, halves, core::wait_policy::nonblocking()).value_or(0);
    moved += core::read_some(b, in, core::wait_policy::deadline(1s)).value_or(0);
    moved += core::writev(a, halves).value_or(0);
    moved += core::readv(b, in_halves).value_or(0);
    (void)core::read_some(b, in, core::wait_policy::nonblocking());  // would block: control flow, no allocation
  }
  EXPECT_EQ(scope.count(), 0u);
  EXPECT_EQ(moved, 200u * 6u * 256u);
}

// ------------------------------------------------------------------- TCP, UDP

class NetStream : public ::testing::TestWithParam<bool> {};  // param: IPv6

// An address on the LAN's link that no host has: ARP and neighbour
// discovery go unanswered, so a connect to it waits for seconds.
core::endpoint silent_neighbour(bool v6) {
  return core::endpoint::parse(v6 ? "[fd77::99]:80" : "10.77.0.99:80").value();
}

// A TCP connection from h0 to h1: the client and the accepted socket.
struct tcp_connection {
  core::socket client;
  core::socket server;
  core::endpoint server_at;
  core::endpoint peer_seen;
};

tcp_connection connect_tcp(const test::network& net, bool v6, const core::socket_setup& setup = {}) {
  auto listener = test::listen_tcp_on(net[1], v6);
  tcp_connection c;
  c.server_at = listener.where;
  c.client = test::run_in(net[0], [&] { return core::dial_tcp(c.server_at, setup, 2s).value(); });
  // The handshake is complete: blocking() accepts at once (accept4 waits in
  // the kernel on this blocking listener).
  c.server = core::accept(listener.socket, core::wait_policy::blocking(), &c.peer_seen).value();
  return c;
}

// A UDP socket never accepts: EOPNOTSUPP at once under every policy, in
// blocking mode as with O_NONBLOCK.
TEST_P(NetStream, AcceptOnAUdpSocketFailsAtOnce) {
  MCNET_REQUIRE_NETNS();
  const bool v6 = GetParam();
  auto net = test::network::lan(1);
  test::run_in((*net)[0], [&] {
    for (bool nonblocking_fd : {false, true}) {
      for (auto policy : {core::wait_policy::nonblocking(), core::wait_policy::deadline(2s),
                          core::wait_policy::blocking()}) {
        auto s = core::socket::open(v6 ? AF_INET6 : AF_INET, SOCK_DGRAM | (nonblocking_fd ? SOCK_NONBLOCK : 0)).value();
        const auto from = clock_type::now();
        auto a = core::accept(s, policy);
        EXPECT_LT(clock_type::now() - from, 1s) << "at once";
        ASSERT_FALSE(a);
        EXPECT_EQ(a.error().code, std::errc::operation_not_supported) << a.error().message();
        EXPECT_NE(a.error().message().find("listening stream or seqpacket socket"), std::string::npos)
            << a.error().message();
      }
    }
  });
}

// accept on a TCP socket that is neither bound nor listening says so, and
// names no address: its name would be the wildcard and port 0.
TEST_P(NetStream, AcceptOnAnUnboundTcpSocketNamesNoAddress) {
  MCNET_REQUIRE_NETNS();
  const bool v6 = GetParam();
  auto net = test::network::lan(1);
  test::run_in((*net)[0], [&] {
    auto s = core::socket::open(v6 ? AF_INET6 : AF_INET, SOCK_STREAM).value();
    auto a = core::accept(s, core::wait_policy::deadline(2s));
    ASSERT_FALSE(a);
    EXPECT_EQ(a.error().code, std::errc::invalid_argument) << a.error().message();
    EXPECT_FALSE(a.error().address()) << a.error().message();
    EXPECT_NE(a.error().message().find("not listening: call listen first"), std::string::npos)
        << a.error().message();
    EXPECT_EQ(a.error().message().find("port 0"), std::string::npos) << a.error().message();
  });
}

// A TCP socket that never connected: every write says EPIPE, as for a
// connection that is gone, and every hint says what it is, in one wording:
// the socket is not connected.
TEST_P(NetStream, WritesOnANeverConnectedSocketSaySo) {
  MCNET_REQUIRE_NETNS();
  const bool v6 = GetParam();
  auto net = test::network::lan(1);
  test::run_in((*net)[0], [&] {
    auto s = core::socket::open(v6 ? AF_INET6 : AF_INET, SOCK_STREAM).value();
    ASSERT_TRUE(core::set(s, core::opt::zerocopy, true));
    const std::array<iovec, 1> v{{{const_cast<char*>("x"), 1}}};
    const mcnet::error errors[] = {
        core::write_some(s, bytes_of("x"), core::wait_policy::deadline(1s)).error(),
        core::write_all(s, bytes_of("x"), core::wait_policy::deadline(1s)).error(),
        core::writev_all(s, v, core::wait_policy::deadline(1s)).error(),
        core::send_zerocopy(s, bytes_of("x"), core::wait_policy::deadline(1s)).error(),
    };
    for (const auto& e : errors) {
      EXPECT_EQ(e.code, std::errc::broken_pipe) << e.message();
      EXPECT_NE(e.message().find("the socket is not connected: connect it first"), std::string::npos) << e.message();
      EXPECT_EQ(e.message().find("gone"), std::string::npos) << e.message();
    }
  });
}

// The kernel's ETIMEDOUT on an established connection (TCP_USER_TIMEOUT
// passed while the peer's link was down) is named as the kernel giving up
// on the connection, not as the caller's deadline.
TEST_P(NetStream, TheKernelGivingUpOnAConnectionIsNamed) {
  MCNET_REQUIRE_NETNS();
  auto net = test::network::lan(2);
  auto c = connect_tcp(*net, GetParam());
  ASSERT_TRUE(core::set(c.client, core::opt::tcp_user_timeout, 300ms));
  ASSERT_TRUE((*net)[1].exec({"ip", "link", "set", "eth0", "down"}).status.success());
  ASSERT_TRUE(core::write_some(c.client, bytes_of("unacknowledged"), core::wait_policy::deadline(1s)));
  std::array<std::byte, 16> buffer{};
  auto r = core::read_some(c.client, buffer, core::wait_policy::deadline(10s));
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().code, std::error_code(ETIMEDOUT, std::system_category())) << r.error().message();
  EXPECT_NE(r.error().message().find("the kernel gave up on the connection: TCP_USER_TIMEOUT"), std::string::npos)
      << r.error().message();
}

TEST_P(NetStream, TcpEchoWithEachWaitPolicy) {
  MCNET_REQUIRE_NETNS();
  const bool v6 = GetParam();
  auto net = test::network::lan(2);
  auto c = connect_tcp(*net, v6);
  // local_endpoint / peer_endpoint on the accepted socket.
  EXPECT_EQ(c.peer_seen, core::local_endpoint(c.client).value());
  EXPECT_EQ(core::peer_endpoint(c.server).value(), c.peer_seen);
  EXPECT_EQ(core::local_endpoint(c.server).value(), c.server_at);
  EXPECT_EQ(c.server.type(), SOCK_STREAM);
  EXPECT_EQ(c.server.family(), v6 ? AF_INET6 : AF_INET);

  std::thread echo([&] { echo_until_end(c.server); });
  for (const auto& p : kPolicies) {
    for (std::size_t size : {std::size_t{1}, std::size_t{1400}, std::size_t{20000}}) {
      std::string text(size, 'a');
      for (std::size_t i = 0; i < size; ++i) text[i] = static_cast<char>(pattern(i));
      EXPECT_EQ(echo_once(c.client, text, p.wait), text) << p.name << ", " << size << " bytes";
    }
    std::string why;
    EXPECT_TRUE(echo_large(c.client, 4 << 20, p.wait, why)) << p.name << ": " << why;
  }
  ASSERT_TRUE(core::shutdown(c.client, core::shutdown_side::write));
  echo.join();
  std::array<std::byte, 8> rest{};
  EXPECT_EQ(core::read_some(c.client, rest, core::wait_policy::deadline(2s)).value(), 0u) << "end of stream";
}

TEST_P(NetStream, UdpEchoWithEachWaitPolicy) {
  MCNET_REQUIRE_NETNS();
  const bool v6 = GetParam();
  auto net = test::network::lan(2);
  auto server = test::run_in((*net)[1], [&] {
    return core::listen_udp(core::endpoint(v6 ? (*net)[1].v6() : (*net)[1].v4(), 0)).value();
  });
  const auto server_at = core::local_endpoint(server).value();
  auto client = test::run_in((*net)[0], [&] { return core::dial_udp(server_at).value(); });
  std::atomic<bool> stop{false};
  std::thread echo([&] {
    std::array<std::byte, 2048> buffer{};
    core::message m{.buffer = buffer};
    while (!stop) {
      if (!core::read_from(server, m, core::cmsg::none, core::wait_policy::deadline(20ms))) continue;
      // Back whole, to its source: `size` and `peer` are what was read.
      (void)core::write_to(server, m, core::wait_policy::deadline(1s));
    }
  });
  for (const auto& p : kPolicies) {
    const std::string text = std::string("datagram echo with ") + p.name;
    auto sent = with_retries(p.wait, [&] { return core::write_some(client, bytes_of(text), p.wait); });
    ASSERT_TRUE(sent) << p.name << ": " << sent.error().message();
    EXPECT_EQ(*sent, text.size()) << "a datagram goes whole";
    std::array<std::byte, 2048> back{};
    auto n = with_retries(p.wait, [&] { return core::read_some(client, back, p.wait); });
    ASSERT_TRUE(n) << p.name << ": " << n.error().message();
    EXPECT_EQ(text_of(std::span(back).first(*n)), text) << p.name;
  }
  // A datagram larger than UDP carries: EMSGSIZE, naming the peer.
  std::vector<std::byte> huge(70000);
  auto too_big = core::write_some(client, huge);
  ASSERT_FALSE(too_big);
  EXPECT_EQ(too_big.error().code, std::errc::message_size);
  EXPECT_EQ(too_big.error().address(), server_at.address());
  EXPECT_EQ(too_big.error().port(), server_at.port());
  stop = true;
  echo.join();
}

// Several MB through write_all against a reader that takes small pieces
// slowly: the kernel takes partial writes, and every byte arrives in order.
TEST_P(NetStream, WriteAllOfSeveralMegabytesToASlowReader) {
  MCNET_REQUIRE_NETNS();
  auto net = test::network::lan(2);
  auto c = connect_tcp(*net, GetParam(), {.send_buffer = 16384});
  ASSERT_TRUE(core::set(c.server, core::opt::receive_buffer, 16384));
  const auto data = pattern_bytes(6 << 20);

  // A partial write, seen directly: one send of it all takes only what the buffers hold.
  auto partial = core::write_some(c.client, data, core::wait_policy::nonblocking());
  ASSERT_TRUE(partial) << partial.error().message();
  EXPECT_LT(*partial, data.size()) << "the kernel took a part";

  std::vector<std::byte> got;
  got.reserve(data.size());
  std::thread reader([&] {
    std::array<std::byte, 32768> piece{};
    for (int i = 0; i < 1000000 && got.size() < data.size(); ++i) {
      auto n = core::read_some(c.server, piece, core::wait_policy::deadline(5s));
      if (!n || *n == 0) break;
      got.insert(got.end(), piece.begin(), piece.begin() + static_cast<std::ptrdiff_t>(*n));
      if (i % 8 == 0) std::this_thread::sleep_for(1ms);
    }
  });
  auto r = core::write_all(c.client, std::span(data).subspan(*partial), core::wait_policy::deadline(30s));
  reader.join();
  ASSERT_TRUE(r) << r.error().message();
  EXPECT_EQ(*partial + *r, data.size());
  ASSERT_EQ(got.size(), data.size());
  EXPECT_TRUE(got == data);
}

// The deadlines of read, write, accept and connect expire as timed_out
// within a bound; a write that fills the send buffer reports what it sent,
// and exactly that much reaches the peer.
TEST_P(NetStream, DeadlinesExpireAsTimedOutWithinABound) {
  MCNET_REQUIRE_NETNS();
  const bool v6 = GetParam();
  auto net = test::network::lan(2);
  auto c = connect_tcp(*net, v6, {.send_buffer = 65536});
  const auto client_at = core::local_endpoint(c.client).value();
  const auto expect_bounded = [](std::chrono::milliseconds took, const char* what) {
    EXPECT_GE(took, 50ms) << what;
    EXPECT_LT(took, 500ms) << what;
  };

  std::array<std::byte, 16> small{};
  mcnet::result<std::size_t> read;
  expect_bounded(elapsed_ms([&] { read = core::read_some(c.server, small, core::wait_policy::deadline(50ms)); }),
                 "read");
  ASSERT_FALSE(read);
  EXPECT_EQ(read.error().code, std::errc::timed_out);
  EXPECT_EQ(read.error().code, mcnet::errc::timed_out)
      << "the deadline's own, not the kernel's ETIMEDOUT: " << read.error().message();
  EXPECT_EQ(read.error().address(), client_at.address()) << read.error().message();
  EXPECT_EQ(read.error().port(), client_at.port());

  // Nobody reads: the buffers of both ends fill, then the deadline ends it.
  const auto data = pattern_bytes(64 << 20);
  mcnet::result<std::size_t> write;
  expect_bounded(elapsed_ms([&] { write = core::write_all(c.client, data, core::wait_policy::deadline(50ms)); }),
                 "write");
  ASSERT_FALSE(write);
  EXPECT_EQ(write.error().code, std::errc::timed_out);
  EXPECT_EQ(write.error().code, mcnet::errc::timed_out)
      << "the deadline's own, not the kernel's ETIMEDOUT: " << write.error().message();
  const auto sent = static_cast<std::size_t>(write.error().number().value());
  EXPECT_GT(sent, 0u);
  EXPECT_LT(sent, data.size());
  EXPECT_NE(write.error().message().find(std::to_string(sent) + " bytes were sent"), std::string::npos)
      << write.error().message();
  // What it reported sent is what the peer gets: nothing more, nothing lost.
  std::vector<std::byte> got(sent + 1);
  auto all = core::read_exact(c.server, std::span(got).first(sent), core::wait_policy::deadline(5s));
  ASSERT_TRUE(all) << all.error().message();
  EXPECT_TRUE(std::equal(got.begin(), got.begin() + static_cast<std::ptrdiff_t>(sent), data.begin()));
  auto more = core::read_some(c.server, std::span(got).subspan(sent), core::wait_policy::deadline(100ms));
  ASSERT_FALSE(more) << "nothing beyond what write_all reported";
  EXPECT_EQ(more.error().code, std::errc::timed_out);

  auto listener = test::listen_tcp_on((*net)[1], v6);
  mcnet::result<core::socket> accepted;
  expect_bounded(elapsed_ms([&] { accepted = core::accept(listener.socket, core::wait_policy::deadline(50ms)); }),
                 "accept");
  ASSERT_FALSE(accepted);
  EXPECT_EQ(accepted.error().code, std::errc::timed_out);
  EXPECT_EQ(accepted.error().code, mcnet::errc::timed_out)
      << "the deadline's own, not the kernel's ETIMEDOUT: " << accepted.error().message();
  EXPECT_EQ(accepted.error().address(), listener.where.address()) << "names the listener";
  EXPECT_EQ(accepted.error().port(), listener.where.port());
  auto nothing = core::accept(listener.socket, core::wait_policy::nonblocking());
  ASSERT_FALSE(nothing);
  EXPECT_EQ(nothing.error().code, std::errc::operation_would_block);

  // No such host: ARP never answers.
  const auto silent = silent_neighbour(v6);
  test::run_in((*net)[0], [&] {
    auto s = core::socket::open(v6 ? AF_INET6 : AF_INET, SOCK_STREAM | SOCK_NONBLOCK).value();
    ASSERT_EQ(core::connect_start(s, silent).value(), core::connect_status::in_progress);
    mcnet::result<void> done;
    expect_bounded(elapsed_ms([&] { done = core::connect_finish(s, silent, core::wait_policy::deadline(50ms)); }),
                   "connect");
    ASSERT_FALSE(done);
    EXPECT_EQ(done.error().code, std::errc::timed_out);
    EXPECT_EQ(done.error().code, mcnet::errc::timed_out)
        << "the deadline's own, not the kernel's ETIMEDOUT: " << done.error().message();
    EXPECT_EQ(done.error().op, "connect");
    EXPECT_EQ(done.error().address(), silent.address());
    EXPECT_EQ(done.error().port(), silent.port());
    EXPECT_NE(done.error().message().find("call connect_finish again, or close the socket"), std::string::npos)
        << "the header's advice, in the message: " << done.error().message();
  });
}

// Accepted sockets are close-on-exec (accept4's SOCK_CLOEXEC), blocking or
// nonblocking as asked.
TEST_P(NetStream, AcceptedSocketsAreCloseOnExec) {
  MCNET_REQUIRE_NETNS();
  const bool v6 = GetParam();
  auto net = test::network::lan(2);
  auto listener = test::listen_tcp_on((*net)[1], v6);
  for (const bool nonblocking : {false, true}) {
    auto client = (*net)[0].run([&] { return core::dial_tcp(listener.where, {}, 5s).value(); });
    auto conn = core::accept(listener.socket, core::wait_policy::deadline(5s), nullptr, nonblocking);
    ASSERT_TRUE(conn) << conn.error().message();
    test::expect_accepted_modes(conn->native_handle(), nonblocking);
  }
}

TEST_P(NetStream, NonblockingConnectCompletesThroughSoError) {
  MCNET_REQUIRE_NETNS();
  const bool v6 = GetParam();
  auto net = test::network::lan(2);
  auto listener = test::listen_tcp_on((*net)[1], v6);
  test::run_in((*net)[0], [&] {
    auto s = core::socket::open(v6 ? AF_INET6 : AF_INET, SOCK_STREAM | SOCK_NONBLOCK).value();
    auto started = core::connect_start(s, listener.where);
    ASSERT_TRUE(started) << started.error().message();
    EXPECT_EQ(*started, core::connect_status::in_progress) << "a handshake over a wire takes a round trip";
    // Without waiting: done already, or still in progress (a normal outcome).
    auto now = core::connect_finish(s, listener.where, core::wait_policy::nonblocking());
    if (!now) {
      EXPECT_EQ(now.error().code, mcnet::errc::in_progress);
      EXPECT_EQ(now.error().code, std::errc::operation_in_progress);
      EXPECT_TRUE(mcnet::is_transient(now.error()));
      auto done = core::connect_finish(s, listener.where, core::wait_policy::deadline(2s));
      ASSERT_TRUE(done) << done.error().message();
    }
    EXPECT_EQ(core::peer_endpoint(s).value(), listener.where);
    EXPECT_TRUE(core::nonblocking(s).value()) << "the socket's mode is untouched";
  });
  core::endpoint peer;
  auto conn = core::accept(listener.socket, core::wait_policy::adaptive(100us, 2s), &peer, true);
  ASSERT_TRUE(conn) << conn.error().message();
  EXPECT_TRUE(core::nonblocking(*conn).value()) << "SOCK_NONBLOCK as asked";
  EXPECT_EQ(core::peer_endpoint(*conn).value(), peer);

  // A socket on which no connect was started is not "connected".
  test::run_in((*net)[0], [&] {
    auto idle = core::socket::open(v6 ? AF_INET6 : AF_INET, SOCK_STREAM).value();
    auto r = core::connect_finish(idle, listener.where, core::wait_policy::deadline(1s));
    ASSERT_FALSE(r);
    EXPECT_EQ(r.error().code, std::errc::not_connected);
  });
}

// A signal whose handler has no SA_RESTART interrupts a blocking connect
// (EINTR), and the kernel goes on with the handshake: in_progress, as on a
// nonblocking socket. The address is on the link but nobody answers ARP or
// neighbour discovery, so the connect would wait seconds.
TEST_P(NetStream, ASignalDuringABlockingConnectLeavesItInProgress) {
  MCNET_REQUIRE_NETNS();
  const bool v6 = GetParam();
  auto net = test::network::lan(2);
  const auto silent = silent_neighbour(v6);
  test::run_in((*net)[0], [&] {
    auto s = core::socket::open(v6 ? AF_INET6 : AF_INET, SOCK_STREAM).value();
    mcnet::result<core::connect_status> first;
    mcnet::result<core::connect_status> second;
    {
      test::interrupter signals(::pthread_self());
      first = core::connect_start(s, silent);
      // Blocking still: it waits for the same handshake, until the next signal.
      second = core::connect_start(s, silent);
      EXPECT_GE(signals.caught(), 2);
    }
    ASSERT_TRUE(first) << first.error().message();
    EXPECT_EQ(*first, core::connect_status::in_progress);
    ASSERT_TRUE(second) << second.error().message();
    EXPECT_EQ(*second, core::connect_status::in_progress);
    ASSERT_TRUE(core::set_nonblocking(s, true));
    auto third = core::connect_start(s, silent);
    ASSERT_TRUE(third) << "EALREADY: " << third.error().message();
    EXPECT_EQ(*third, core::connect_status::in_progress);
    auto now = core::connect_finish(s, silent, core::wait_policy::nonblocking());
    ASSERT_FALSE(now);
    EXPECT_EQ(now.error().code, mcnet::errc::in_progress) << now.error().message();
  });
}

// Connections to `where` from `h` until the listener's accept queue is
// full: then the kernel drops the SYNs that come (tcp_conn_request counts
// them as ListenOverflows) and a connect waits for its SYN to be sent again,
// 1 s later (the initial retransmission timeout, RFC 6298). The first
// connect that times out says the queue is full; at most eight are made.
std::vector<core::socket> fill_accept_queue(const test::host& h, const core::endpoint& where) {
  std::vector<core::socket> held;
  for (int i = 0; i < 8; ++i) {
    auto c = test::run_in(h, [&] { return core::dial_tcp(where, {}, 300ms); });
    if (!c && c.error().code == std::errc::timed_out) return held;
    if (!c) throw std::runtime_error("filling the accept queue: " + c.error().message());
    held.push_back(std::move(*c));
  }
  throw std::runtime_error("the accept queue never filled");
}

// A TCP listener on h1 with a backlog of 0: one pending connection fills its accept queue.
struct small_listener {
  core::socket socket;
  core::endpoint where;
};

small_listener listen_with_backlog_0(const test::network& net, bool v6) {
  const auto address = v6 ? net[1].v6() : net[1].v4();
  auto listener = test::run_in(net[1], [&] { return core::listen_tcp(core::endpoint(address, 0), {}, 0).value(); });
  const auto where = core::local_endpoint(listener).value();
  return {std::move(listener), where};
}

// A plain connect on a nonblocking socket returns the kernel's EINPROGRESS
// with what to do; a SYN that is never answered (a full accept queue drops
// it; one retry) ends in the kernel's ETIMEDOUT, which says so and is not
// the caller's errc::timed_out.
TEST_P(NetStream, PlainConnectErrorsSayWhatToDo) {
  MCNET_REQUIRE_NETNS();
  const bool v6 = GetParam();
  const int family = v6 ? AF_INET6 : AF_INET;
  auto net = test::network::lan(2);
  auto [listener, where] = listen_with_backlog_0(*net, v6);
  // Kept open until its connection is accepted.
  auto eager = test::run_in((*net)[0], [&] {
    auto s = core::socket::open(family, SOCK_STREAM | SOCK_NONBLOCK).value();
    auto r = core::connect(s, where);
    EXPECT_FALSE(r) << "a handshake over a wire takes a round trip";
    if (!r) {
      EXPECT_EQ(r.error().code, std::error_code(EINPROGRESS, std::system_category())) << r.error().message();
      EXPECT_NE(r.error().message().find("connect_finish"), std::string::npos) << r.error().message();
    }
    return s;
  });
  auto first = core::accept(listener, core::wait_policy::deadline(2s));
  ASSERT_TRUE(first) << first.error().message();
  auto held = fill_accept_queue((*net)[0], where);
  ASSERT_FALSE(held.empty());
  test::run_in((*net)[0], [&] {
    auto s = core::socket::open(family, SOCK_STREAM).value();
    ASSERT_TRUE(core::set(s, core::opt::tcp_syn_count, 1));  // gives up after 1 + 2 s
    auto r = core::connect(s, where);
    ASSERT_FALSE(r);
    EXPECT_EQ(r.error().code, std::error_code(ETIMEDOUT, std::system_category())) << r.error().message();
    EXPECT_NE(r.error().code, mcnet::errc::timed_out) << "not the caller's deadline";
    EXPECT_TRUE(mcnet::is_disconnect(r.error()));
    EXPECT_NE(r.error().message().find("no answer to the SYN"), std::string::npos) << r.error().message();
  });
}

// A signal interrupts a blocking connect (EINTR: the handler has no
// SA_RESTART) while the listener's full accept queue drops its SYN, and the
// connect goes on to the real outcome (connect(2): the kernel keeps the
// handshake going): connected once the listener accepted and the SYN went
// again; EINPROGRESS when the socket's SO_SNDTIMEO passes first (what the
// kernel says then, socket(7)); never EINTR. Through the calls with a
// timeout the outcome is timed_out at the timeout.
TEST_P(NetStream, ASignalDoesNotEndABlockingConnect) {
  MCNET_REQUIRE_NETNS();
  const bool v6 = GetParam();
  const int family = v6 ? AF_INET6 : AF_INET;
  auto net = test::network::lan(2);
  auto [listener, where] = listen_with_backlog_0(*net, v6);
  auto held = fill_accept_queue((*net)[0], where);
  ASSERT_FALSE(held.empty());

  test::run_in((*net)[0], [&] {
    auto s = core::socket::open(family, SOCK_STREAM).value();
    // Should the SYNs all go unanswered, connect gives up after 1 + 2 s.
    ASSERT_TRUE(core::set(s, core::opt::tcp_syn_count, 1));
    mcnet::result<void> r;
    std::chrono::milliseconds took{};
    {
      test::interrupter signals(::pthread_self());
      // Room in the queue after 300 ms: the SYN sent again at 1 s is answered.
      std::thread room([&] {
        std::this_thread::sleep_for(300ms);
        (void)core::accept(listener, core::wait_policy::deadline(2s));
      });
      took = elapsed_ms([&] { r = core::connect(s, where); });
      room.join();
      EXPECT_GE(signals.caught(), 5) << "the signals came while connect waited";
    }
    ASSERT_TRUE(r) << r.error().message();
    EXPECT_EQ(core::peer_endpoint(s).value(), where);
    EXPECT_GE(took, 300ms) << "connected only once there was room";
    EXPECT_LT(took, 5s);
  });

  // The new connection fills the queue again: SYNs are dropped.
  test::run_in((*net)[0], [&] {
    auto s = core::socket::open(family, SOCK_STREAM).value();
    ASSERT_TRUE(core::set(s, core::opt::send_timeout, std::chrono::microseconds(300ms)));
    mcnet::result<void> r;
    std::chrono::milliseconds took{};
    {
      test::interrupter signals(::pthread_self());
      took = elapsed_ms([&] { r = core::connect(s, where); });
      EXPECT_GE(signals.caught(), 5) << "the signals came while connect waited";
    }
    ASSERT_FALSE(r);
    EXPECT_EQ(r.error().code, std::errc::operation_in_progress) << r.error().message();
    EXPECT_EQ(r.error().address(), where.address());
    EXPECT_GE(took, 290ms) << "SO_SNDTIMEO bounds the wait, signals or not";
    EXPECT_LT(took, 2s);
    EXPECT_EQ(core::get(s, core::opt::send_timeout).value(), 300ms) << "the socket's option is left alone";

    auto bounded = core::socket::open(family, SOCK_STREAM).value();
    mcnet::result<core::socket> dialled;
    {
      test::interrupter signals(::pthread_self());
      took = elapsed_ms([&] { r = core::connect(bounded, where, 200ms); });
      const auto dial_took = elapsed_ms([&] { dialled = core::dial_tcp(where, {}, 200ms); });
      EXPECT_GE(dial_took, 190ms);
      EXPECT_LT(dial_took, 2s);
      EXPECT_GE(signals.caught(), 10) << "the signals came while both waited";
    }
    ASSERT_FALSE(r);
    EXPECT_EQ(r.error().code, std::errc::timed_out) << r.error().message();
    EXPECT_GE(took, 190ms);
    EXPECT_LT(took, 2s);
    ASSERT_FALSE(dialled);
    EXPECT_EQ(dialled.error().code, std::errc::timed_out) << dialled.error().message();
  });

  // The longest SO_SNDTIMEO, which reads back past what microseconds hold:
  // the wait after a signal is for ever, and reading the option never ends it.
  test::run_in((*net)[0], [&] {
    auto s = core::socket::open(family, SOCK_STREAM).value();
    ASSERT_TRUE(core::set(s, core::opt::tcp_syn_count, 1));
    ASSERT_TRUE(core::set(s, core::opt::send_timeout, std::chrono::microseconds::max()));
    mcnet::result<void> r;
    {
      test::interrupter signals(::pthread_self());
      std::thread room([&] {
        std::this_thread::sleep_for(300ms);
        (void)core::accept(listener, core::wait_policy::deadline(2s));
      });
      r = core::connect(s, where);
      room.join();
      EXPECT_GE(signals.caught(), 5) << "the signals came while connect waited";
    }
    ASSERT_TRUE(r) << r.error().message();
  });
}

// connect with a timeout abandons the attempt when the timeout passes
// (connect(2) to AF_UNSPEC): the SYN that the full accept queue dropped is
// not sent again, so once the listener makes room no connection from the
// abandoned socket appears, and the socket stays unconnected, free to
// connect again. dial_tcp's timeout (the one that ends fill_accept_queue)
// abandons its attempt the same way. Without the abandonment the SYN goes
// again at 1 s and 3 s (RFC 6298) and the server accepts a phantom client.
TEST_P(NetStream, AConnectTimeoutAbandonsTheAttempt) {
  MCNET_REQUIRE_NETNS();
  const bool v6 = GetParam();
  const int family = v6 ? AF_INET6 : AF_INET;
  auto net = test::network::lan(2);
  auto [listener, where] = listen_with_backlog_0(*net, v6);
  auto held = fill_accept_queue((*net)[0], where);
  ASSERT_FALSE(held.empty());
  std::vector<core::endpoint> known;
  for (const auto& h : held) known.push_back(core::local_endpoint(h).value());

  auto s = test::run_in((*net)[0], [&] { return core::socket::open(family, SOCK_STREAM).value(); });
  auto r = test::run_in((*net)[0], [&] { return core::connect(s, where, 200ms); });
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().code, mcnet::errc::timed_out) << r.error().message();
  EXPECT_NE(r.error().message().find("abandoned"), std::string::npos) << r.error().message();
  EXPECT_FALSE(core::nonblocking(s).value()) << "the mode is put back";

  // Drain the queue for longer than the retransmissions at 1 s and 3 s:
  // only the held connections may come.
  for (int i = 0; i < 16; ++i) {
    core::endpoint peer;
    auto a = core::accept(listener, core::wait_policy::deadline(3500ms), &peer);
    if (!a) {
      EXPECT_EQ(a.error().code, mcnet::errc::timed_out) << a.error().message();
      break;
    }
    EXPECT_NE(std::find(known.begin(), known.end(), peer), known.end())
        << "a connection from " << peer.to_string() << ", which no held socket made: a phantom";
  }
  auto peer = core::peer_endpoint(s);
  ASSERT_FALSE(peer) << "connected after the timeout to " << peer->to_string();
  EXPECT_EQ(peer.error().code, std::errc::not_connected);
  EXPECT_EQ(core::get(s, core::opt::pending_error).value(), std::error_code()) << "SO_ERROR is left clear";

  // The queue has room now: the same socket connects.
  auto again = test::run_in((*net)[0], [&] { return core::connect(s, where, 2s); });
  ASSERT_TRUE(again) << again.error().message();
  EXPECT_EQ(core::peer_endpoint(s).value(), where);
}

// An on-link address nobody answers ARP or neighbour discovery for: the
// kernel gives up (one probe of 100 ms here instead of three of 1 s) and
// the connect fails with EHOSTUNREACH, whose hint says what it means.
TEST_P(NetStream, AnUnansweredNeighbourIsHostUnreachableWithAHint) {
  MCNET_REQUIRE_NETNS();
  const bool v6 = GetParam();
  auto net = test::network::lan(2);
  const auto silent = silent_neighbour(v6);
  test::run_in((*net)[0], [&] {
    std::string neigh = "/proc/sys/net/";  // appended, not `+`: see tests/CMakeLists.txt on -O1
    neigh += v6 ? "ipv6" : "ipv4";
    neigh += "/neigh/eth0/";
    for (const auto& [name, value] : {std::pair{"mcast_solicit", "1"}, std::pair{"retrans_time_ms", "100"}}) {
      std::ofstream(neigh + name) << value;
    }
    auto s = core::socket::open(v6 ? AF_INET6 : AF_INET, SOCK_STREAM | SOCK_NONBLOCK).value();
    ASSERT_EQ(core::connect_start(s, silent).value(), core::connect_status::in_progress);
    auto r = core::connect_finish(s, silent, core::wait_policy::deadline(10s));
    ASSERT_FALSE(r);
    EXPECT_EQ(r.error().code, std::errc::host_unreachable) << r.error().message();
    EXPECT_EQ(r.error().address(), silent.address());
    EXPECT_NE(r.error().message().find("does not answer"), std::string::npos) << r.error().message();
  });
}

TEST_P(NetStream, RefusedConnectNamesTheEndpoint) {
  MCNET_REQUIRE_NETNS();
  const bool v6 = GetParam();
  auto net = test::network::lan(2);
  const auto& server_host = (*net)[1];
  auto closed = test::listen_tcp_on(server_host, v6);
  const auto closed_at = closed.where;
  closed.socket.close();
  test::run_in((*net)[0], [&] {
    auto s = core::socket::open(v6 ? AF_INET6 : AF_INET, SOCK_STREAM | SOCK_NONBLOCK).value();
    auto started = core::connect_start(s, closed_at);
    ASSERT_TRUE(started) << "the refusal comes back over the wire: " << started.error().message();
    auto r = core::connect_finish(s, closed_at, core::wait_policy::deadline(2s));
    ASSERT_FALSE(r);
    EXPECT_EQ(r.error().code, std::errc::connection_refused);
    EXPECT_EQ(r.error().op, "connect");
    EXPECT_EQ(r.error().address(), closed_at.address());
    EXPECT_EQ(r.error().port(), closed_at.port());
    const auto text = r.error().message();
    EXPECT_NE(text.find(closed_at.address().to_string()), std::string::npos) << text;
    EXPECT_NE(text.find("port " + std::to_string(closed_at.port())), std::string::npos) << text;
    EXPECT_NE(text.find("nothing listens"), std::string::npos) << text;
    EXPECT_FALSE(mcnet::is_transient(r.error()));

    // The outcome was read: a second connect_finish says so.
    auto again = core::connect_finish(s, closed_at, core::wait_policy::deadline(1s));
    ASSERT_FALSE(again);
    EXPECT_EQ(again.error().code, std::errc::not_connected);
    EXPECT_NE(again.error().message().find("outcome was read already"), std::string::npos)
        << again.error().message();

    // On a blocking socket connect_start meets the refusal itself: the same hint.
    auto blocking = core::socket::open(v6 ? AF_INET6 : AF_INET, SOCK_STREAM).value();
    auto refused = core::connect_start(blocking, closed_at);
    ASSERT_FALSE(refused);
    EXPECT_EQ(refused.error().code, std::errc::connection_refused);
    EXPECT_EQ(refused.error().address(), closed_at.address());
    EXPECT_NE(refused.error().message().find("nothing listens"), std::string::npos) << refused.error().message();
  });
}

// The failures a connection meets, each testable by its std::errc and each
// naming the endpoint it is about.
TEST_P(NetStream, FailuresAreClassifiedAndNameTheirEndpoint) {
  MCNET_REQUIRE_NETNS();
  const bool v6 = GetParam();
  auto net = test::network::lan(2);

  // Unreachable: no route in the namespace.
  test::run_in((*net)[0], [&] {
    const auto nowhere = core::endpoint::parse(v6 ? "[fd99::1]:80" : "10.99.0.1:80").value();
    auto s = core::socket::open(v6 ? AF_INET6 : AF_INET, SOCK_STREAM | SOCK_NONBLOCK).value();
    auto r = core::connect_start(s, nowhere);
    ASSERT_FALSE(r);
    EXPECT_EQ(r.error().code, std::errc::network_unreachable);
    EXPECT_EQ(r.error().address(), nowhere.address());
    EXPECT_NE(r.error().message().find("no route"), std::string::npos) << r.error().message();
    EXPECT_FALSE(mcnet::is_transient(r.error()));
  });

  // Address in use: a second listener on the same port.
  auto first = test::listen_tcp_on((*net)[1], v6);
  test::run_in((*net)[1], [&] {
    auto second = core::listen_tcp(first.where);
    ASSERT_FALSE(second);
    EXPECT_EQ(second.error().code, std::errc::address_in_use);
    EXPECT_EQ(second.error().address(), first.where.address());
    EXPECT_EQ(second.error().port(), first.where.port());
  });

  // Reset: the peer closes with SO_LINGER 0, which sends a RST.
  auto c = connect_tcp(*net, v6);
  const ::linger hard{1, 0};
  ASSERT_EQ(::setsockopt(c.server.native_handle(), SOL_SOCKET, SO_LINGER, &hard, sizeof hard), 0);
  c.server.close();
  std::array<std::byte, 16> buffer{};
  auto r = core::read_some(c.client, buffer, core::wait_policy::deadline(2s));
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().code, std::errc::connection_reset);
  EXPECT_TRUE(mcnet::is_disconnect(r.error()));
  EXPECT_NE(r.error().message().find("reset the connection"), std::string::npos) << r.error().message();

  // Broken pipe on TCP: the peer closed; our first write draws its RST,
  // a later one is EPIPE (MSG_NOSIGNAL: no SIGPIPE, or this test would die).
  auto d = connect_tcp(*net, v6);
  d.server.close();
  mcnet::result<std::size_t> w;
  for (int i = 0; i < 100; ++i) {
    w = core::write_some(d.client, bytes_of("hello?"), core::wait_policy::deadline(1s));
    if (!w) break;
    std::this_thread::sleep_for(10ms);
  }
  ASSERT_FALSE(w);
  EXPECT_EQ(w.error().code, std::errc::broken_pipe) << w.error().message();
  EXPECT_TRUE(mcnet::is_disconnect(w.error()));
}

INSTANTIATE_TEST_SUITE_P(Family, NetStream, ::testing::Values(false, true),
                         [](const auto& p) { return p.param ? "IPv6" : "IPv4"; });

}  // namespace
