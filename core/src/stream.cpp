// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The mcnet authors
//
// Stream I/O (read_some ... writev_all), and the connection calls around it:
// connect_start / connect_finish, accept, shutdown. The waiting is
// wait.hpp's, as for datagrams; nothing here allocates. An error names the
// peer (or, for accept, the listener) by asking the kernel on the failure
// path only, and never for would-block, which is control flow.

#include <mcnet/core/socket_ops.hpp>
#include <mcnet/core/stream.hpp>

#include <poll.h>

#include <algorithm>
#include <array>
#include <cerrno>
#include <climits>

#include <mcnet/core/socket_options.hpp>
#include <mcnet/core/tcp_info.hpp>
#include <mcnet/core/tcp_options.hpp>
#include <mcnet/core/unix_address.hpp>

#include "accept.hpp"
#include "connect.hpp"
#include "send_hint.hpp"
#include "sys/calls.hpp"
#include "sys/unix_calls.hpp"
#include "wait.hpp"

namespace mcnet::core {
namespace {

using detail::call_start;
using detail::kWouldBlock;
using detail::with_wait;

#ifdef IOV_MAX
constexpr std::size_t kIovMax = IOV_MAX;
#else
constexpr std::size_t kIovMax = 1024;  // Linux's UIO_MAXIOV
#endif

using detail::in_kernel;

// Attach an IP endpoint (the peer's or the listener's) to `e`.
error& with_endpoint(error& e, const result<endpoint>& where) noexcept {
  if (where && where->address().is_valid()) e.with_address(where->address()).with_port(where->port());
  return e;
}

// The Unix address in `sa` as the input of `e` (its text form: a path, or
// @ and an abstract name), when it names something; false otherwise (not
// AF_UNIX, or unnamed).
bool with_unix_name(error& e, const sockaddr_storage& sa, socklen_t length) noexcept {
  if (sa.ss_family != AF_UNIX) return false;
  auto a = unix_address::from_sockaddr(reinterpret_cast<const sockaddr*>(&sa), length);
  if (!a || a->is_unnamed()) return false;
  std::array<char, unix_address::max_text_length> text;
  e.with_input(std::string_view(text.data(), a->to_chars(text)));
  return true;
}

// Name the socket of a failed call in `e` (failure paths only: one or two
// system calls). An IP socket: its peer's endpoint. A Unix socket: its
// peer's address when the peer has one (a client's peer is the server's
// name), else its own (an accepted socket has the listener's name); an
// unnamed pair (socketpair) is named nothing.
error& name_peer(error& e, int fd) noexcept {
  sockaddr_storage sa{};
  if (auto n = sys::peer_name(fd, sa)) {
    if (sa.ss_family == AF_INET || sa.ss_family == AF_INET6) {
      return with_endpoint(e, endpoint::from_sockaddr(reinterpret_cast<const sockaddr*>(&sa), *n));
    }
    if (with_unix_name(e, sa, *n)) return e;
  }
  sa = {};
  if (auto n = sys::socket_name(fd, sa)) with_unix_name(e, sa, *n);
  return e;
}

// Whether a TCP socket never had a connection: the kernel says EPIPE for a
// write on one as for one whose peer went, and getpeername says ENOTCONN
// for both, but only a socket that never sent a segment (no SYN; an
// abandoned connect, tcp_disconnect, counts its segments from 0 again) is
// closed with tcpi_segs_out 0. Not TCP, or no TCP_INFO: false.
bool never_connected(int fd) noexcept {
  auto info = get(socket_ref(fd), opt::tcp_info);
  return info && info->state == tcp_state::close && info->segments_out && *info->segments_out == 0;
}

}  // namespace

std::string_view detail::broken_pipe_hint(int fd, bool counted) noexcept {
  if (never_connected(fd)) return "the socket is not connected: connect it first";
  return counted ? "the connection is closed for writing: it is gone (the peer closed or reset it, or the kernel "
                   "timed it out), or this side shut it down; {number} bytes were sent before this"
                 : "the connection is closed for writing: it is gone (the peer closed or reset it, or the kernel "
                   "timed it out), or this side shut it down";
}

namespace {

using detail::broken_pipe_hint;

// The kernel's ETIMEDOUT on an established connection, not the caller's
// errc::timed_out (which compares equal to std::errc::timed_out too).
bool kernel_timed_out(const error& e) noexcept {
  return e.code.category() == std::system_category() && e.code.value() == ETIMEDOUT;
}

// The hints a single call and a looping one share: failures that move no
// byte whatever came before. A kernel errno only (an mcnet errc may share
// its number).
std::string_view other_hint(const error& e) noexcept {
  if (e.code.category() != std::system_category()) return {};
  if (e.code.value() == ENOTCONN) {
    return "the socket is not connected: connect it first (a listener is never connected: read and write on the "
           "sockets accept returns)";
  }
  if (e.code.value() == EMSGSIZE) {
    return "the socket sends each write as one datagram, and this one is larger than it can be (UDP: 65,507 bytes "
           "of payload over IPv4, 65,527 over IPv6, less with IP_MTU_DISCOVER's do and the path MTU; a Unix "
           "datagram: the send buffer, SO_SNDBUF): send less per call";
  }
  return {};
}

// What to do about the failures a stream call meets, when the count of
// bytes a looping call moved is not part of the story.
std::string_view stream_hint(const error& e, int fd) noexcept {
  if (e.code == std::errc::broken_pipe) return broken_pipe_hint(fd, false);
  if (e.code == std::errc::connection_reset) {
    return "the peer reset the connection (it closed with data unread, or its host dropped the connection)";
  }
  if (kernel_timed_out(e)) {
    return "the kernel gave up on the connection: TCP_USER_TIMEOUT passed, or retransmissions or keepalive probes "
           "went unanswered";
  }
  if (e.code.category() == std::system_category() && e.code.value() == ECONNREFUSED) {
    return "the peer's socket is closed: nothing receives there any more";
  }
  return other_hint(e);
}

// The same for a looping call: the hint says how much was moved ({number}).
std::string_view loop_hint(const error& e, bool writing, int fd) noexcept {
  if (e.code == errc::end_of_stream) {
    return "the peer shut down its side after {number} bytes, before the buffer was full";
  }
  if (e.code == std::errc::broken_pipe) return broken_pipe_hint(fd, true);
  if (e.code == std::errc::connection_reset) {
    return writing ? "the peer reset the connection after {number} bytes were sent"
                   : "the peer reset the connection after {number} bytes were read";
  }
  if (kernel_timed_out(e)) {
    return writing ? "the kernel gave up on the connection (TCP_USER_TIMEOUT passed, or retransmissions or "
                     "keepalive probes went unanswered) after {number} bytes were sent"
                   : "the kernel gave up on the connection (TCP_USER_TIMEOUT passed, or retransmissions or "
                     "keepalive probes went unanswered) after {number} bytes were read";
  }
  if (auto other = other_hint(e); !other.empty()) return other;
  return writing ? "{number} bytes were sent before this, the first ones of the data"
                 : "{number} bytes were read before this, into the start of the buffer";
}

// A Unix stream socket that is not connected (never connected, or a
// listener) says EINVAL to a read (unix_stream_read_generic) where TCP and
// a Unix seqpacket socket say ENOTCONN: reported as ENOTCONN, which it is.
// Checked on the failure path only: getpeername says ENOTCONN too.
error unix_not_connected(error e, int fd) noexcept {
  if (e.code.category() != std::system_category() || e.code.value() != EINVAL) return e;
  auto domain = get(socket_ref(fd), opt::socket_domain);
  auto type = get(socket_ref(fd), opt::socket_type);
  if (!domain || *domain != AF_UNIX || !type || *type != SOCK_STREAM) return e;
  sockaddr_storage sa{};
  auto peer = sys::peer_name(fd, sa);
  if (peer || peer.error().code != std::errc::not_connected) return e;
  return error::from_errno(ENOTCONN, e.op, e.what);
}

}  // namespace

error& detail::describe_stream_error(error& e, int fd) noexcept {
  name_peer(e, fd);
  if (auto hint = stream_hint(e, fd); !hint.empty()) e.with_hint(hint);
  return e;
}

namespace {

// The error for a failed single stream call (`r` < 0).
error stream_error(long r, std::string_view op, int fd) noexcept {
  auto e = unix_not_connected(detail::io_error(r, op), fd);
  if (r == kWouldBlock) return e;
  return detail::describe_stream_error(e, fd);
}

// The error that ends a looping call after `done` bytes. would_block gets
// the count's hint too, but names no peer: it is control flow, and a
// nonblocking loop must not pay a system call for it.
error loop_error(error e, std::size_t done, bool writing, int fd) noexcept {
  if (e.code != errc::would_block) {
    e = unix_not_connected(e, fd);
    if (!e.address() && e.input().empty()) name_peer(e, fd);
  }
  return e.with_number(static_cast<std::int64_t>(done)).with_hint(loop_hint(e, writing, fd));
}

error empty_buffer(std::string_view op) noexcept {
  return error::from_errno(EINVAL, op, "buffer")
      .with_hint("a read into an empty buffer could not tell data from the end of the stream: give it room");
}

// The timeout of a looping call bounds the whole call: count it from the
// start.
call_start loop_start(wait_policy wait) noexcept {
  call_start start;
  if (wait.kind() != wait_policy::mode::nonblocking && wait.timeout() != std::chrono::nanoseconds::max()) {
    start.take();
  }
  return start;
}

// One system call, `call(fd, may_block)`, waiting for `events` as `wait` says.
template <class Call>
result<std::size_t> move_once(socket_ref s, short events, wait_policy wait, std::string_view op,
                              Call&& call) noexcept {
  const int fd = s.native_handle();
  const bool may_block = in_kernel(wait);
  const long r = with_wait(fd, events, wait, [&]() noexcept { return call(fd, may_block); });
  if (r < 0) return fail(stream_error(r, op, fd));
  return static_cast<std::size_t>(r);
}

// Call `once(done)`, one system call for the bytes from `done` on, until
// `size` bytes moved (POLLIN: read, where 0 is the end of the stream;
// POLLOUT: write), waiting as `wait` says within one timeout for the loop.
template <class Once>
result<std::size_t> move_all(int fd, short events, wait_policy wait, std::size_t size, std::string_view op,
                             Once&& once) noexcept {
  const bool writing = events == POLLOUT;
  auto start = loop_start(wait);
  std::size_t done = 0;
  while (done < size) {
    const long r = with_wait(fd, events, wait, start, [&]() noexcept { return once(done); });
    if (r == 0 && !writing) return fail(loop_error(error(errc::end_of_stream, op, "socket"), done, false, fd));
    if (r < 0) return fail(loop_error(detail::io_error(r, op), done, writing, fd));
    done += static_cast<std::size_t>(r);
  }
  return done;
}

std::size_t total_size(std::span<const iovec> buffers) noexcept {
  std::size_t total = 0;
  for (const auto& b : buffers) total += b.iov_len;
  return total;
}

}  // namespace

result<std::size_t> read_some(socket_ref s, std::span<std::byte> buffer, wait_policy wait) noexcept {
  if (buffer.empty()) return fail(empty_buffer("recv"));
  return move_once(s, POLLIN, wait, "recv", [&](int fd, bool may_block) noexcept {
    return sys::recv(fd, buffer.data(), buffer.size(), may_block);
  });
}

result<std::size_t> read_exact(socket_ref s, std::span<std::byte> buffer, wait_policy wait) noexcept {
  const int fd = s.native_handle();
  const bool may_block = in_kernel(wait);
  // On a socket that keeps message boundaries (datagram, seqpacket) each
  // recv takes one message and the kernel discards what does not fit
  // (MSG_TRUNC): bytes gone without a word, which a loop meant to fill a
  // buffer from a byte stream must not hide.
  long cut = 0;
  auto r = move_all(fd, POLLIN, wait, buffer.size(), "recv", [&](std::size_t done) noexcept {
    bool was_cut = false;
    const long n = sys::recv_cut(fd, buffer.data() + done, buffer.size() - done, may_block, was_cut);
    if (!was_cut) return n;
    cut = n;
    return static_cast<long>(-EMSGSIZE);
  });
  if (r || cut == 0) return r;
  auto e = r.error();
  e.with_number(*e.number() + cut)
      .with_hint("a message was longer than the room left in the buffer and the kernel discarded its end "
                 "(MSG_TRUNC; the socket keeps message boundaries: datagram or seqpacket): {number} bytes are in "
                 "the buffer, the last of them the cut message's start; read_exact is for byte streams: read each "
                 "message whole with read_some into a buffer as large as the largest");
  return fail(e);
}

result<std::size_t> write_some(socket_ref s, std::span<const std::byte> data, wait_policy wait) noexcept {
  if (data.empty()) return std::size_t{0};
  return move_once(s, POLLOUT, wait, "send", [&](int fd, bool may_block) noexcept {
    return sys::send(fd, data.data(), data.size(), may_block);
  });
}

result<std::size_t> write_all(socket_ref s, std::span<const std::byte> data, wait_policy wait) noexcept {
  const int fd = s.native_handle();
  const bool may_block = in_kernel(wait);
  return move_all(fd, POLLOUT, wait, data.size(), "send", [&](std::size_t done) noexcept {
    return sys::send(fd, data.data() + done, data.size() - done, may_block);
  });
}

result<std::size_t> readv(socket_ref s, std::span<const iovec> buffers, wait_policy wait) noexcept {
  const auto count = std::min(buffers.size(), kIovMax);
  if (total_size(buffers.first(count)) == 0) return fail(empty_buffer("recvmsg"));
  return move_once(s, POLLIN, wait, "recvmsg", [&](int fd, bool may_block) noexcept {
    return sys::recv_iov(fd, buffers.data(), count, may_block);
  });
}

result<std::size_t> writev(socket_ref s, std::span<const iovec> buffers, wait_policy wait) noexcept {
  const auto count = std::min(buffers.size(), kIovMax);
  if (total_size(buffers.first(count)) == 0) return std::size_t{0};
  return move_once(s, POLLOUT, wait, "sendmsg", [&](int fd, bool may_block) noexcept {
    return sys::send_iov(fd, buffers.data(), count, may_block);
  });
}

result<std::size_t> writev_all(socket_ref s, std::span<const iovec> buffers, wait_policy wait) noexcept {
  const int fd = s.native_handle();
  const bool may_block = in_kernel(wait);
  auto start = loop_start(wait);
  std::size_t done = 0;
  std::size_t index = 0;   // the first iovec not sent whole
  std::size_t offset = 0;  // bytes of it sent already
  while (true) {
    while (index < buffers.size() && offset == buffers[index].iov_len) {
      ++index;
      offset = 0;
    }
    if (index == buffers.size()) return done;
    long r;
    if (offset == 0) {
      const auto count = std::min(buffers.size() - index, kIovMax);
      r = with_wait(fd, POLLOUT, wait, start,
                    [&]() noexcept { return sys::send_iov(fd, &buffers[index], count, may_block); });
    } else {
      // The rest of an iovec a partial write cut: sent alone, so that the
      // caller's iovecs are never copied or changed; the next call takes
      // the following ones whole again.
      const auto* rest = static_cast<const std::byte*>(buffers[index].iov_base) + offset;
      r = with_wait(fd, POLLOUT, wait, start,
                    [&]() noexcept { return sys::send(fd, rest, buffers[index].iov_len - offset, may_block); });
    }
    if (r < 0) return fail(loop_error(detail::io_error(r, "sendmsg"), done, true, fd));
    done += static_cast<std::size_t>(r);
    auto left = static_cast<std::size_t>(r);
    while (left > 0) {
      const auto take = std::min(left, buffers[index].iov_len - offset);
      offset += take;
      left -= take;
      if (offset == buffers[index].iov_len && left > 0) {
        ++index;
        offset = 0;
      }
    }
  }
}

// ---------------------------------------------------------------- connecting

namespace {

error& name_remote(error& e, const endpoint& remote) noexcept {
  e.with_address(remote.address()).with_port(remote.port());
  return detail::with_connect_hint(e, remote);
}

}  // namespace

result<connect_status> connect_start(socket_ref s, const endpoint& remote) noexcept {
  auto r = detail::connect_once(s, remote);
  if (r) return connect_status::connected;
  const auto& code = r.error().code;
  // EINTR: a signal interrupted a blocking connect, and the kernel goes on
  // with the handshake (connect(2)); a later connect_start sees EALREADY.
  if (code == std::errc::operation_in_progress || code == std::errc::connection_already_in_progress ||
      code == std::errc::interrupted) {
    return connect_status::in_progress;
  }
  return fail(r.error());
}

result<void> connect_finish(socket_ref s, const endpoint& remote, wait_policy wait) noexcept {
  // A listening socket is never writable to poll: the wait would run out
  // the whole policy (for ever under blocking()) for a connect that cannot
  // be under way. SO_ACCEPTCONN says so at once.
  if (sys::accept_refusal(s.native_handle()) == 0) {
    auto e = error::from_errno(EINVAL, "connect", "socket")
                 .with_hint("the socket is listening (SO_ACCEPTCONN): it accepts connections and makes none; "
                            "connect_finish needs a socket that connect_start began a connect on");
    return fail(with_endpoint(e, remote));
  }
  if (auto ready = wait_writable(s, wait); !ready) {
    auto e = ready.error();
    if (e.code == errc::would_block) {
      e = error(errc::in_progress, "connect", "socket");
    } else {
      e.op = "connect";
    }
    name_remote(e, remote);
    if (e.code == errc::timed_out) {
      e.with_hint("the handshake did not complete within the wait; the kernel keeps trying: call connect_finish "
                  "again, or close the socket to abandon it");
    } else if (e.code == errc::in_progress) {
      e.with_hint("the handshake goes on: call connect_finish again later, or wait for it with a timeout");
    }
    return fail(e);
  }
  auto pending = get(s, opt::pending_error);
  if (!pending) return fail(pending.error());
  if (*pending) {
    auto e = error(*pending, "connect", "socket");
    return fail(name_remote(e, remote));
  }
  // Writable, no error, and yet not connected: nothing was started, or the
  // outcome was read before.
  if (auto peer = sys::peer_endpoint(s.native_handle()); !peer && peer.error().code == std::errc::not_connected) {
    auto e = error::from_errno(ENOTCONN, "connect", "socket")
                 .with_hint("the socket is not connected and no connect is under way: none was started "
                            "(call connect_start first), or a failed one's outcome was read already");
    return fail(name_remote(e, remote));
  }
  return {};
}

// ----------------------------------------------------------------- accepting

namespace {

std::string_view accept_hint(const error& e, int fd) noexcept {
  if (e.code.category() != std::system_category()) return {};
  if (auto none = sys::no_descriptor_hint(e); !none.empty()) return none;
  if (e.code == std::errc::invalid_argument) {
    // A Unix listener shut down for reading (shutdown(2) SHUT_RD or
    // SHUT_RDWR, maybe by another thread) still listens (SO_ACCEPTCONN 1)
    // and refuses every accept with EINVAL (unix_accept). A TCP listener
    // shut down so is closed (tcp_disconnect): it is then a socket that
    // never listened, which no call can tell apart.
    if (sys::accept_refusal(fd) == 0) {
      return "the listener was shut down for reading (shutdown SHUT_RD or SHUT_RDWR, maybe by another thread): it "
             "accepts no more connections; close it, and listen on a new socket to accept again";
    }
    return "the socket is not listening: call listen first (a TCP listener that was shut down, shutdown(2) with "
           "SHUT_RD or SHUT_RDWR, is closed and says the same: listen on it again)";
  }
  if (e.code == std::errc::operation_not_supported) {
    return "accept needs a listening stream or seqpacket socket (call listen first); this socket's type never "
           "accepts";
  }
  return {};
}

}  // namespace

result<socket> detail::accept_one(socket_ref listener, wait_policy wait, bool nonblocking, sockaddr_storage& name,
                                  socklen_t& length) noexcept {
  const int fd = listener.native_handle();
  // accept4 has no MSG_DONTWAIT: on a listener in blocking mode it would
  // block whatever the policy says, so each attempt there asks poll first
  // (but for blocking(), which lets it block).
  auto listener_nonblocking = sys::nonblocking(fd);
  if (!listener_nonblocking) return fail(listener_nonblocking.error());
  const bool ask_first = !*listener_nonblocking && !in_kernel(wait);
  // A socket that does not listen is never readable for a connection:
  // once poll finds nothing, ask whether accept4 could ever succeed, so
  // that its refusal (EOPNOTSUPP, EINVAL) comes at once whatever the
  // descriptor's mode and the policy, as it does from accept4 itself.
  bool asked_why = false;
  unique_fd accepted;
  const long r = with_wait(fd, POLLIN, wait, [&]() noexcept -> long {
    if (ask_first) {
      auto ready = sys::poll_one(fd, POLLIN, 0);
      if (!ready) return -ready.error().code.value();
      if (!*ready) {
        if (!asked_why) {
          asked_why = true;
          if (const int refusal = sys::accept_refusal(fd); refusal != 0) return -refusal;
        }
        return kWouldBlock;
      }
    }
    auto a = sys::accept(fd, name, length, nonblocking);
    if (a) {
      accepted = std::move(*a);
      return 0;
    }
    return a.error().code == errc::would_block ? kWouldBlock : -a.error().code.value();
  });
  if (r < 0) {
    auto e = detail::io_error(r, "accept");
    if (r != kWouldBlock) {
      // The listener's own name: an IP endpoint (an unbound socket's is the
      // wildcard and port 0: no address to name), or a Unix address.
      sockaddr_storage here{};
      if (auto n = sys::socket_name(fd, here)) {
        if (here.ss_family == AF_INET || here.ss_family == AF_INET6) {
          auto local = endpoint::from_sockaddr(reinterpret_cast<const sockaddr*>(&here), *n);
          if (local && local->port() != 0) with_endpoint(e, local);
        } else {
          with_unix_name(e, here, *n);
        }
      }
      e.with_hint(accept_hint(e, fd));
    }
    return fail(e);
  }
  return socket::adopt(std::move(accepted));
}

result<socket> accept(socket_ref listener, wait_policy wait, endpoint* peer, bool nonblocking) noexcept {
  sockaddr_storage name;  // filled by the kernel
  socklen_t length = 0;
  auto accepted = detail::accept_one(listener, wait, nonblocking, name, length);
  if (accepted && peer != nullptr) {
    auto from = endpoint::from_sockaddr(reinterpret_cast<const sockaddr*>(&name), length);
    *peer = from ? *from : endpoint{};
  }
  return accepted;
}

result<void> shutdown(socket_ref s, shutdown_side side) noexcept {
  auto r = sys::shutdown(s.native_handle(), static_cast<int>(side));
  if (!r) {
    auto e = r.error();
    name_peer(e, s.native_handle());
    if (e.code == std::errc::not_connected) e.with_hint("shutdown needs a connected socket");
    return fail(e);
  }
  return {};
}

}  // namespace mcnet::core
