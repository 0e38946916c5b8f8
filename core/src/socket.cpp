// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The mcnet authors
#include <mcnet/core/message.hpp>
#include <mcnet/core/socket.hpp>
#include <mcnet/core/socket_ops.hpp>
#include <mcnet/core/socket_options.hpp>

#include <netinet/in.h>

#include <cerrno>
#include <chrono>

#include "connect.hpp"
#include "send_hint.hpp"
#include "sys/calls.hpp"

namespace mcnet::core {

result<socket> socket::open(int family, int type, int protocol) noexcept {
  auto fd = sys::open_socket(family, type, protocol);
  if (!fd) return fail(fd.error());
  return socket(std::move(*fd), family, type & ~(SOCK_CLOEXEC | SOCK_NONBLOCK), protocol);
}

result<socket> socket::adopt(unique_fd fd) noexcept {
  socket_ref ref(fd.get());
  auto domain = get(ref, opt::socket_domain);
  if (!domain) return fail(domain.error());
  auto type = get(ref, opt::socket_type);
  if (!type) return fail(type.error());
  auto protocol = get(ref, opt::socket_protocol);
  if (!protocol) return fail(protocol.error());
  return socket(std::move(fd), *domain, *type, *protocol);
}

namespace {

// The sockaddr for `e` in the family of socket `s` (see bind's contract).
result<socklen_t> sockaddr_for(socket_ref s, const endpoint& e, sockaddr_storage& out, std::string_view op) noexcept {
  auto domain = get(s, opt::socket_domain);
  if (!domain) return fail(domain.error());
  if (*domain != AF_INET && *domain != AF_INET6) {
    // The kernel would say EINVAL (an address of the wrong length for the family) and nothing of why.
    return fail(error(errc::family_mismatch, op, "socket")
                    .with_address(e.address())
                    .with_port(e.port())
                    .with_number(*domain)
                    .with_hint(*domain == AF_UNIX ? "an IP endpoint needs an AF_INET or AF_INET6 socket and this one "
                                                    "is AF_UNIX: give it a unix_address (unix_socket.hpp)"
                                                  : "an IP endpoint needs an AF_INET or AF_INET6 socket; this one's "
                                                    "family is {number}"));
  }
  endpoint target = e;
  if (*domain == AF_INET6 && e.address().is_v4()) {
    target = endpoint(e.address().map_v6(), e.port());
  } else if (*domain == AF_INET && e.address().is_v4_mapped()) {
    target = endpoint(e.address().unmap(), e.port());
  } else if (*domain == AF_INET && e.address().is_v6()) {
    return fail(error(errc::family_mismatch, op, "socket")
                    .with_address(e.address())
                    .with_port(e.port())
                    .with_hint("an AF_INET socket takes IPv4 addresses only: give addresses of one family (the socket's family follows the remote endpoint in dial_udp and dial_tcp), or use an AF_INET6 socket"));
  }
  auto length = target.to_sockaddr(out);
  if (length == 0) {
    return fail(error(errc::invalid_address, op, "socket").with_hint("the endpoint has no address"));
  }
  return length;
}

// Only for a kernel errno: an mcnet errc may share its number.
std::string_view bind_hint(const error& e) noexcept {
  if (e.code.category() != std::system_category()) return {};
  switch (e.code.value()) {
    case EADDRINUSE: return "the port is taken; set SO_REUSEADDR or SO_REUSEPORT on every socket before bind";
    case EADDRNOTAVAIL: return "the address is not assigned to an interface in this network namespace";
    case EACCES: return "ports below 1024 need CAP_NET_BIND_SERVICE";
    default: return {};
  }
}

}  // namespace

result<void> bind(socket_ref s, const endpoint& local) noexcept {
  sockaddr_storage sa{};
  auto length = sockaddr_for(s, local, sa, "bind");
  if (!length) return fail(length.error());
  auto r = sys::bind(s.native_handle(), sa, *length);
  if (!r) {
    auto e = r.error();
    e.with_address(local.address()).with_port(local.port()).with_hint(bind_hint(e));
    return fail(e);
  }
  return {};
}

namespace {

error connect_error(error e, const endpoint& remote) noexcept {
  if (e.code == std::errc::invalid_argument && remote.address().needs_interface() && remote.address().scope_id() == 0) {
    e = error(errc::interface_required, e.op, e.what)
            .with_hint("a link-local or interface-local destination needs an interface: write it with a zone "
                       "(fe80::1%eth0, ff02::1%eth0), bind the socket to a device (SO_BINDTODEVICE) or, for a "
                       "group, set IPV6_MULTICAST_IF first");
  }
  e.with_address(remote.address()).with_port(remote.port());
  return detail::with_connect_hint(e, remote);
}

}  // namespace

result<void> detail::connect_once(socket_ref s, const endpoint& remote) noexcept {
  sockaddr_storage sa{};
  auto length = sockaddr_for(s, remote, sa, "connect");
  if (!length) return fail(length.error());
  if (auto r = sys::connect(s.native_handle(), sa, *length); !r) return fail(connect_error(r.error(), remote));
  return {};
}

namespace {

// A signal interrupted a blocking connect (EINTR). The kernel goes on with
// the handshake (connect(2)), so this waits for it as the blocking connect
// would have: for ever, or for what is left since `start` of SO_SNDTIMEO
// when the socket has one (socket(7): it bounds connect too), and returns
// the outcome from SO_ERROR as connect_finish does. SO_SNDTIMEO passing is
// what the kernel says then: EINPROGRESS, the handshake still going on.
// Stream sockets only (TCP, SCTP one-to-one): a one-to-many SCTP socket
// (SOCK_SEQPACKET) is never connected itself, so poll and getpeername could
// not tell its association's outcome, and it keeps the kernel's EINTR.
result<void> finish_interrupted(socket_ref s, const endpoint& remote, std::chrono::steady_clock::time_point start,
                                const error& interrupted) noexcept {
  auto type = get(s, opt::socket_type);
  if (!type) return fail(type.error());
  if (*type != SOCK_STREAM) return fail(interrupted);
  // The limit is the caller's own: reading it never ends the connect. One
  // the codec cannot read (no kernel writes a negative time) counts as
  // none, and one too long for a wait_policy (microseconds::max() is 1000
  // times what nanoseconds hold) is waited for ever, which it is in effect.
  auto limit = get(s, opt::send_timeout);
  auto wait = wait_policy::blocking();
  constexpr auto longest = std::chrono::duration_cast<std::chrono::microseconds>(std::chrono::nanoseconds::max());
  if (limit && limit->count() != 0 && *limit < longest) {
    wait = wait_policy::deadline(std::chrono::nanoseconds(*limit) - (std::chrono::steady_clock::now() - start));
  }
  auto outcome = connect_finish(s, remote, wait);
  if (!outcome && outcome.error().code == errc::timed_out) {
    auto e = connect_error(error::from_errno(EINPROGRESS, "connect", "socket"), remote);
    return fail(e.with_hint("the socket's SO_SNDTIMEO passed before the handshake completed; the kernel goes on "
                            "with it: connect_finish waits for its outcome"));
  }
  return outcome;
}

}  // namespace

result<void> connect(socket_ref s, const endpoint& remote) noexcept {
  const auto start = std::chrono::steady_clock::now();
  auto r = detail::connect_once(s, remote);
  if (!r && r.error().code == std::errc::operation_in_progress && r.error().code.category() == std::system_category()) {
    auto e = r.error();
    return fail(e.with_hint("the socket is nonblocking: the handshake goes on in the kernel; wait for its outcome "
                            "with connect_finish (connect_start's pair), or connect with a timeout"));
  }
  if (r || r.error().code != std::errc::interrupted) return r;
  return finish_interrupted(s, remote, start, r.error());
}

namespace {

// Give up a handshake the caller's timeout ended: left alone, the kernel
// would go on sending SYNs and complete the connection later (a client the
// server accepts, and the caller thinks failed). connect(2) to an address
// of family AF_UNSPEC dissolves the association (connect(2)); for TCP the
// kernel closes the socket in SYN_SENT (tcp_disconnect), so a SYN-ACK
// that comes later meets no socket and is answered with a reset. The
// kernel leaves ECONNRESET in SO_ERROR then: it is read away, so that a
// later connect on the socket starts clean. A protocol that cannot
// dissolve (SCTP says EOPNOTSUPP) keeps its attempt: nothing more can be
// done short of closing the socket, which the caller may do.
void abandon_connect(socket_ref s) noexcept {
  sockaddr_storage none{};
  none.ss_family = AF_UNSPEC;
  if (sys::connect(s.native_handle(), none, sizeof(sockaddr))) (void)get(s, opt::pending_error);
}

}  // namespace

result<void> connect(socket_ref s, const endpoint& remote, std::chrono::nanoseconds timeout) noexcept {
  auto was_nonblocking = nonblocking(s);
  if (!was_nonblocking) return fail(was_nonblocking.error());
  if (!*was_nonblocking) {
    if (auto r = set_nonblocking(s, true); !r) return r;
  }
  auto outcome = [&]() -> result<void> {
    auto started = connect_start(s, remote);
    if (!started) return fail(started.error());
    if (*started == connect_status::connected) return {};
    return connect_finish(s, remote, wait_policy::deadline(timeout));
  }();
  if (!outcome && outcome.error().code == errc::timed_out) abandon_connect(s);
  if (!*was_nonblocking) {
    if (auto r = set_nonblocking(s, false); !r && outcome) return r;
  }
  if (!outcome && outcome.error().code == errc::timed_out) {
    auto e = outcome.error();
    return fail(e.with_hint("the handshake did not complete in time and was abandoned (connect(2) to AF_UNSPEC): "
                            "the socket is left unconnected; connect it again, or close it"));
  }
  return outcome;
}

result<endpoint> local_endpoint(socket_ref s) noexcept { return sys::local_endpoint(s.native_handle()); }
result<endpoint> peer_endpoint(socket_ref s) noexcept { return sys::peer_endpoint(s.native_handle()); }
result<void> set_nonblocking(socket_ref s, bool on) noexcept { return sys::set_nonblocking(s.native_handle(), on); }
result<bool> nonblocking(socket_ref s) noexcept { return sys::nonblocking(s.native_handle()); }

}  // namespace mcnet::core
