// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The mcnet authors
//
// Unix sockets. Waiting goes through the public wait_readable /
// wait_writable, the system calls through core/src/sys; every receive
// takes the descriptors it finds (take_descriptors) before anything else
// can fail, so no path returns with one left open and unowned.

#include <mcnet/core/unix_socket.hpp>

#include <fcntl.h>
#include <sys/stat.h>
#include <sys/time.h>
#include <unistd.h>

#include <array>
#include <cstdio>
#include <cstdlib>
#include <cerrno>
#include <chrono>
#include <cstring>

#include <mcnet/core/codecs.hpp>
#include <mcnet/core/socket_options.hpp>
#include <mcnet/core/socket_ops.hpp>
#include <mcnet/core/sockopt.hpp>

#include "accept.hpp"
#include "sys/calls.hpp"
#include "sys/unix_calls.hpp"
#include "wait.hpp"

namespace mcnet::core {
namespace {

// io.cpp's wait (wait.hpp) with a result: the count, or the error of `op`
// (errc::would_block, errc::timed_out or the errno).
template <class Attempt>
result<std::size_t> with_wait(socket_ref s, bool readable, wait_policy wait, std::string_view op,
                              Attempt&& attempt) noexcept {
  const long r = detail::with_wait(s.native_handle(), readable ? POLLIN : POLLOUT, wait,
                                   std::forward<Attempt>(attempt));
  if (r >= 0) return static_cast<std::size_t>(r);
  return fail(detail::io_error(r, op));
}

// The address as an error's input: its text form, cut at the error's capacity.
error& with_address(error& e, const unix_address& a) noexcept {
  std::array<char, unix_address::max_text_length> text;
  return e.with_input(std::string_view(text.data(), a.to_chars(text)));
}

// A unix_address given to a socket of another family is refused before the
// call: the kernel would say EINVAL (a name shorter than the family's
// sockaddr, "@x") or EAFNOSUPPORT (a longer one), and nothing of why; a
// connected TCP socket would even ignore a destination given to sendmsg and
// send the bytes to its peer. One getsockopt(SO_DOMAIN), as bind and
// connect with an IP endpoint pay on an AF_UNIX socket; send_unix reads it
// only after a failure (a datagram to a name stays one system call).
result<void> require_unix(socket_ref s, const unix_address& a, std::string_view op) noexcept {
  auto domain = get(s, opt::socket_domain);
  if (!domain) return fail(domain.error());
  if (*domain == AF_UNIX) return {};
  auto e = error(errc::family_mismatch, op, "socket").with_number(*domain);
  with_address(e, a);
  switch (*domain) {
    case AF_INET:
      return fail(e.with_hint("a unix_address needs an AF_UNIX socket and this one is AF_INET: give it an IP "
                              "endpoint (endpoint.hpp), or open an AF_UNIX socket (listen_unix, dial_unix)"));
    case AF_INET6:
      return fail(e.with_hint("a unix_address needs an AF_UNIX socket and this one is AF_INET6: give it an IP "
                              "endpoint (endpoint.hpp), or open an AF_UNIX socket (listen_unix, dial_unix)"));
    default:
      return fail(e.with_hint("a unix_address needs an AF_UNIX socket; this one's family is {number}"));
  }
}

// An abstract name has no file, and the kernel looks it up together with
// the socket type (unix_find_abstract): a listener of another type is not
// found, ECONNREFUSED, where at a path it is EPROTOTYPE. Only a kernel errno
// (the system category) gets one: an mcnet errc may share its number
// (errc::value_out_of_range is 13, EACCES's).
std::string_view connect_hint(const error& e, const unix_address& to) noexcept {
  if (e.code.category() != std::system_category()) return {};
  switch (e.code.value()) {
    case ENOENT: return "no socket file at this path (is the server running, and is the path right?)";
    case ECONNREFUSED:
      return to.is_abstract()
                 ? "nothing of this socket type accepts on this name: no server has it, a server has not called "
                   "listen, or its socket has another type (stream, datagram or seqpacket)"
                 : "nothing accepts on this name: a socket file left by a process that ended, or a server that has "
                   "not called listen";
    case EPROTOTYPE: return "the socket at this name has another type (stream, datagram or seqpacket)";
    case EACCES: return "connecting needs write permission on the socket file and search permission on its directories";
    default: return {};
  }
}

// The hint of a plain connect's EAGAIN: the listener's backlog is full, and
// the socket did not wait for room (nonblocking) or waited its SO_SNDTIMEO.
std::string_view full_backlog_hint(socket_ref s) noexcept {
  auto mode = nonblocking(s);
  if (mode && *mode) {
    return "the listener's backlog is full (it is not accepting) and the socket is nonblocking: connect with a "
           "timeout to wait for room";
  }
  return "the listener's backlog stayed full (it is not accepting) for the socket's SO_SNDTIMEO";
}

// The hint of a datagram sent to a name that could not go (the wait
// policy's errc::would_block or errc::timed_out), else connect_hint: the
// kernel takes a datagram only while the receiver's queue has room.
// A datagram server binds and never listens, so ECONNREFUSED on a datagram
// socket says nothing is bound there (`datagram`: the sender's type).
std::string_view send_to_hint(const error& e, const unix_address& to, bool datagram) noexcept {
  if (e.code == errc::would_block || e.code == errc::timed_out) {
    return "the receiver's queue is full: it is not reading, or not fast enough (net.unix.max_dgram_qlen "
           "datagrams at most, and its SO_RCVBUF)";
  }
  if (datagram && e.code.category() == std::system_category() && e.code.value() == ECONNREFUSED) {
    return to.is_abstract() ? "nothing is bound to that name: no datagram socket has it (or the one that has it is "
                              "of another type)"
                            : "nothing is bound to that path any more: a socket file left by a socket that was "
                              "closed, or by a process that ended";
  }
  return connect_hint(e, to);
}

// Whether a socket of this network namespace is bound to `path`:
// /proc/net/unix lists every AF_UNIX socket that exists, with the path it
// was bound to as the line's last field. A socket of a process that ended
// is gone from it; one bound but not listening (a client that binds, a
// server between bind and listen) is there. No list (no /proc) is "no
// socket found", so that the refused probe alone decides, as it must
// without one.
bool bound_in_this_namespace(std::string_view path) noexcept {
  std::FILE* list = std::fopen("/proc/net/unix", "re");
  if (list == nullptr) return false;
  char* line = nullptr;
  std::size_t capacity = 0;
  bool found = false;
  ssize_t n;
  while (!found && (n = ::getline(&line, &capacity, list)) > 0) {
    std::string_view text(line, static_cast<std::size_t>(n));
    if (text.ends_with('\n')) text.remove_suffix(1);
    found = text.size() > path.size() && text.ends_with(path) && text[text.size() - path.size() - 1] == ' ';
  }
  std::free(line);
  std::fclose(list);
  return found;
}

// Whether `path` (NUL-terminated) is a socket file that no socket has: a
// nonblocking connect of the socket's own type is refused (nothing
// accepts on it), and no socket of this network namespace is bound to the
// path (one bound but not listening refuses as well, yet lives).
bool is_stale_socket(int type, const char* path, const sockaddr_storage& sa, socklen_t length) noexcept {
  struct stat st {};
  if (::lstat(path, &st) != 0 || !S_ISSOCK(st.st_mode)) return false;
  auto probe = socket::open(AF_UNIX, type | SOCK_NONBLOCK);
  if (!probe) return false;
  auto r = sys::connect(probe->native_handle(), sa, length);
  if (r || r.error().code != std::errc::connection_refused) return false;
  return !bound_in_this_namespace(path);
}

}  // namespace

namespace {

// The hint of a failed bind to a path, other than EADDRINUSE: the kernel
// creates the socket file (unix_bind_bsd: mknod in the directory), so the
// directory must exist and be writable (unix(7)).
std::string_view bind_hint(const error& e) noexcept {
  if (e.code.category() != std::system_category()) return {};
  switch (e.code.value()) {
    case ENOENT: return "the directory does not exist: create it before binding";
    case EACCES:
      return "binding creates the socket file: it needs write and search permission on the directory, and "
             "search permission on the directories above it";
    default: return {};
  }
}

}  // namespace

result<void> bind(socket_ref s, const unix_address& local, stale_socket stale) noexcept {
  if (auto ok = require_unix(s, local, "bind"); !ok) return ok;
  sockaddr_storage sa;
  const socklen_t length = local.to_sockaddr(sa);
  auto r = sys::bind(s.native_handle(), sa, length);
  if (r) return {};
  auto e = r.error();
  with_address(e, local);
  if (e.code != std::errc::address_in_use) return fail(e.with_hint(bind_hint(e)));
  if (!local.is_path()) return fail(e.with_hint("the abstract name is taken in this network namespace"));
  if (stale == stale_socket::keep) {
    return fail(e.with_hint("a file exists at this path (a socket left by a process that ended?): remove it, or bind "
                            "with stale_socket::unlink, which removes it only when it is a socket nothing accepts on"));
  }
  auto type = get(s, opt::socket_type);
  if (!type) return fail(type.error());
  const char* path = reinterpret_cast<const sockaddr_un&>(sa).sun_path;  // NUL-terminated by to_sockaddr
  if (!is_stale_socket(*type, path, sa, length)) {
    return fail(e.with_hint("the file at this path is not a stale socket (not a socket, or something accepts on it): "
                            "it was not removed"));
  }
  if (::unlink(path) != 0 && errno != ENOENT) {
    auto u = error::from_errno(errno, "unlink", "socket file");
    with_address(u, local);
    return fail(u.with_hint("the stale socket file could not be removed"));
  }
  if (auto again = sys::bind(s.native_handle(), sa, length); !again) {
    auto a = again.error();
    with_address(a, local);
    return fail(a);
  }
  return {};
}

namespace {

// SO_SNDTIMEO as the kernel holds it: saved and put back as it was, since
// the microseconds of timeval_codec cannot hold every value (a longer one
// reads as microseconds::max()), and the caller's timeout, whatever it is,
// must not make a connect fail or change.
result<::timeval> save_send_timeout(socket_ref s) noexcept {
  ::timeval tv{};
  auto n = detail::get_raw(s.native_handle(), opt::send_timeout, &tv, sizeof tv);
  if (!n) return fail(n.error());
  return tv;
}

result<void> restore_send_timeout(socket_ref s, const ::timeval& tv) noexcept {
  return detail::set_raw(s.native_handle(), opt::send_timeout, &tv, sizeof tv);
}

// What a saved SO_SNDTIMEO allows, 0 for none; one the codec cannot read
// (a negative time: no kernel writes one) counts as none.
std::chrono::microseconds limit_of(const ::timeval& tv) noexcept {
  auto us = timeval_codec::decode(tv, sizeof tv);
  return us ? *us : std::chrono::microseconds(0);
}

// connect(2), made again when a signal interrupts it (EINTR). A signal ends
// the kernel's wait for room in the listener's backlog and abandons the
// attempt: the socket stays unconnected (unix_stream_connect; unlike TCP,
// whose handshake goes on), so there is no outcome to wait for and the
// connect is made again. When SO_SNDTIMEO bounds the wait (socket(7); the
// timed `connect` sets it), each new attempt waits only for what is left of
// it since `start`, and none left is what the kernel says when it passes:
// EAGAIN. The socket's SO_SNDTIMEO is as it was afterwards, to the byte.
result<void> connect_through_signals(socket_ref s, const sockaddr_storage& sa, socklen_t length,
                                     std::chrono::steady_clock::time_point start) noexcept {
  auto r = sys::connect(s.native_handle(), sa, length);
  if (r || r.error().code != std::errc::interrupted) return r;
  auto saved = save_send_timeout(s);
  if (!saved) return fail(saved.error());
  const auto limit = limit_of(*saved);
  bool shortened = false;
  // Each turn is one signal; with a limit, the turns end when it passes.
  while (!r && r.error().code == std::errc::interrupted) {
    if (limit.count() != 0) {
      const auto left = limit - std::chrono::duration_cast<std::chrono::microseconds>(
                                    std::chrono::steady_clock::now() - start);
      if (left.count() <= 0) {
        r = fail(error::from_errno(EAGAIN, "connect", "socket"));
        break;
      }
      if (auto shorter = set(s, opt::send_timeout, left); !shorter) {
        r = shorter;
        break;
      }
      shortened = true;
    }
    r = sys::connect(s.native_handle(), sa, length);
  }
  if (shortened) {
    if (auto restored = restore_send_timeout(s, *saved); !restored && r) return restored;
  }
  return r;
}

}  // namespace

namespace {

// connect once the family is checked (require_unix).
result<void> connect_unix(socket_ref s, const unix_address& remote) noexcept {
  const auto start = std::chrono::steady_clock::now();
  sockaddr_storage sa;
  const socklen_t length = remote.to_sockaddr(sa);
  if (auto r = connect_through_signals(s, sa, length, start); !r) {
    auto e = r.error();
    with_address(e, remote).with_hint(e.code == std::errc::resource_unavailable_try_again &&
                                              e.code.category() == std::system_category()
                                          ? full_backlog_hint(s)
                                          : connect_hint(e, remote));
    return fail(e);
  }
  return {};
}

}  // namespace

result<void> connect(socket_ref s, const unix_address& remote) noexcept {
  if (auto ok = require_unix(s, remote, "connect"); !ok) return ok;
  return connect_unix(s, remote);
}

result<void> connect(socket_ref s, const unix_address& remote, std::chrono::nanoseconds timeout) noexcept {
  // Checked before the socket's SO_SNDTIMEO or mode is touched.
  if (auto ok = require_unix(s, remote, "connect"); !ok) return ok;
  // The kernel waits for backlog room only in a blocking connect, for
  // SO_SNDTIMEO (0: for ever, so at least 1 us here; unix_stream_connect
  // waits sock_sndtimeo).
  auto old_timeout = save_send_timeout(s);
  if (!old_timeout) return fail(old_timeout.error());
  auto was_nonblocking = nonblocking(s);
  if (!was_nonblocking) return fail(was_nonblocking.error());
  const auto limit = std::max(std::chrono::microseconds(1), std::chrono::duration_cast<std::chrono::microseconds>(timeout));
  if (auto r = set(s, opt::send_timeout, limit); !r) return r;
  // From here on the socket's SO_SNDTIMEO and mode are put back whatever happens.
  auto outcome = *was_nonblocking ? set_nonblocking(s, false) : result<void>{};
  if (outcome) outcome = connect_unix(s, remote);
  if (!outcome && outcome.error().code == std::errc::resource_unavailable_try_again) {
    auto e = error(errc::timed_out, "connect", "socket");
    with_address(e, remote).with_hint("the listener's backlog stayed full: it is not accepting");
    outcome = fail(e);
  }
  auto restored = restore_send_timeout(s, *old_timeout);
  if (*was_nonblocking && restored) restored = set_nonblocking(s, true);
  if (!restored && outcome) return restored;
  return outcome;
}

namespace {

template <class Call>
result<unix_address> name_of(socket_ref s, Call&& call) noexcept {
  sockaddr_storage sa{};
  auto length = call(s.native_handle(), sa);
  if (!length) return fail(length.error());
  return unix_address::from_sockaddr(reinterpret_cast<const sockaddr*>(&sa), *length);
}

}  // namespace

result<unix_address> local_unix_address(socket_ref s) noexcept { return name_of(s, sys::socket_name); }
result<unix_address> peer_unix_address(socket_ref s) noexcept { return name_of(s, sys::peer_name); }

namespace {

// The three Unix socket types (unix(7)). Any other is refused before the
// call: the kernel takes SOCK_RAW as SOCK_DGRAM, silently (unix_create).
// So are the flag bits socket(2) takes in its type: SOCK_CLOEXEC is always
// set here, and the mode has its own argument (`nonblocking`), which a
// SOCK_NONBLOCK in the type would contradict.
result<void> check_unix_type(int type, std::string_view op) noexcept {
  if ((type & (SOCK_NONBLOCK | SOCK_CLOEXEC)) != 0) {
    return fail(error(errc::value_out_of_range, op, "socket type")
                    .with_number(type)
                    .with_hint("the type is SOCK_STREAM, SOCK_DGRAM or SOCK_SEQPACKET alone, without "
                               "SOCK_NONBLOCK or SOCK_CLOEXEC: the mode has its own setting (unix_setup's "
                               "nonblocking field, socketpair's nonblocking argument), and SOCK_CLOEXEC is "
                               "always set"));
  }
  if (type == SOCK_STREAM || type == SOCK_DGRAM || type == SOCK_SEQPACKET) return {};
  return fail(error(errc::value_out_of_range, op, "socket type")
                  .with_number(type)
                  .with_hint("a Unix socket is SOCK_STREAM, SOCK_DGRAM or SOCK_SEQPACKET (the kernel would take "
                             "SOCK_RAW as SOCK_DGRAM)"));
}

result<socket> open_unix(const unix_setup& setup, bool nonblocking) noexcept {
  if (auto ok = check_unix_type(setup.type, "socket"); !ok) return fail(ok.error());
  auto s = socket::open(AF_UNIX, setup.type | (nonblocking ? SOCK_NONBLOCK : 0));
  if (!s) return s;
  if (setup.pass_credentials) {
    if (auto r = set(*s, opt::pass_credentials, true); !r) return fail(r.error());
  }
  return s;
}

}  // namespace

result<socket> listen_unix(const unix_address& local, const unix_setup& setup, int backlog) noexcept {
  auto s = open_unix(setup, setup.nonblocking);
  if (!s) return s;
  if (auto r = bind(*s, local, setup.stale); !r) return fail(r.error());
  if (setup.type != SOCK_DGRAM) {
    if (auto r = sys::listen(s->native_handle(), backlog); !r) return fail(r.error());
  }
  return s;
}

result<socket> dial_unix(const unix_address& remote, const unix_setup& setup, std::chrono::nanoseconds timeout) noexcept {
  // Opened blocking: the kernel waits for backlog room only then.
  auto s = open_unix(setup, false);
  if (!s) return s;
  if (setup.local) {
    if (auto r = bind(*s, *setup.local, setup.stale); !r) return fail(r.error());
  }
  if (setup.type == SOCK_DGRAM) {
    if (auto r = connect(*s, remote); !r) return fail(r.error());
  } else if (auto r = connect(*s, remote, timeout); !r) {
    return fail(r.error());
  }
  if (setup.nonblocking) {
    if (auto r = set_nonblocking(*s, true); !r) return fail(r.error());
  }
  return s;
}

result<socket> accept_unix(socket_ref listener, wait_policy wait, unix_address* peer, bool nonblocking) noexcept {
  sockaddr_storage name{};
  socklen_t length = 0;
  auto accepted = detail::accept_one(listener, wait, nonblocking, name, length);
  if (accepted && peer != nullptr) {
    auto a = unix_address::from_sockaddr(reinterpret_cast<const sockaddr*>(&name), length);
    *peer = a ? *a : unix_address();
  }
  return accepted;
}

result<std::pair<socket, socket>> socketpair(int type, bool nonblocking) noexcept {
  if (auto ok = check_unix_type(type, "socketpair"); !ok) return fail(ok.error());
  auto fds = sys::socket_pair(AF_UNIX, type | (nonblocking ? SOCK_NONBLOCK : 0), 0);
  if (!fds) return fail(fds.error());
  auto first = socket::adopt(std::move((*fds)[0]));
  if (!first) return fail(first.error());
  auto second = socket::adopt(std::move((*fds)[1]));
  if (!second) return fail(second.error());
  return std::pair<socket, socket>(std::move(*first), std::move(*second));
}

namespace {

// What the kernel would not say of attachments: on a socket of another
// family it drops SCM_RIGHTS and SCM_CREDENTIALS silently and sends the
// bytes (only AF_UNIX passes them, unix(7)); a descriptor that is not open
// fails the whole send with a bare EBADF that names none. Checked before
// the call, only when something is attached.
result<void> check_attachments(socket_ref s, const unix_attachments& with) noexcept {
  auto domain = get(s, opt::socket_domain);
  if (!domain) return fail(domain.error());
  if (*domain != AF_UNIX) {
    return fail(error(errc::family_mismatch, "sendmsg", "socket")
                    .with_number(*domain)
                    .with_hint(with.fds.empty()
                                   ? "only an AF_UNIX socket passes credentials (SCM_CREDENTIALS); this one's "
                                     "family is {number}, whose kernel would drop them silently"
                                   : "only an AF_UNIX socket passes descriptors (SCM_RIGHTS); this one's family "
                                     "is {number}, whose kernel would drop them silently"));
  }
  for (std::size_t i = 0; i < with.fds.size(); ++i) {
    if (::fcntl(with.fds[i], F_GETFD) == -1 && errno == EBADF) {
      return fail(error::from_errno(EBADF, "sendmsg", "SCM_RIGHTS")
                      .with_number(static_cast<std::int64_t>(i))
                      .with_hint("a descriptor passed is not open: the one at index {number} of the span"));
    }
  }
  return {};
}

// The hint of a failed send_unix that the destination's name does not
// explain (only a kernel errno: an mcnet errc may share its number).
std::string_view send_hint(const error& e, const unix_attachments& with) noexcept {
  if (e.code.category() != std::system_category()) return {};
  switch (e.code.value()) {
    case EPERM:
      return with.credentials ? "the credentials are not this process's own: sending another pid, uid or gid "
                                "needs CAP_SYS_ADMIN (pid), CAP_SETUID (uid) or CAP_SETGID (gid); send "
                                "unix_credentials::of_this_process()"
                              : std::string_view{};
    case EISCONN: return "the socket is connected (a stream or seqpacket one always is): send to the peer with an unnamed address";
    case ECONNREFUSED: return "the peer's socket is closed: nothing receives there any more";
    case EMSGSIZE:
      return "the datagram is larger than the socket's send buffer allows (SO_SNDBUF, at most net.core.wmem_max, "
             "less the kernel's overhead): send less, or raise SO_SNDBUF";
    default: return {};
  }
}

}  // namespace

result<std::size_t> send_unix(socket_ref s, std::span<const std::byte> data, const unix_address& to,
                              const unix_attachments& with, wait_policy wait) noexcept {
  if (!with.fds.empty() && data.empty()) {
    return fail(error::from_errno(EINVAL, "sendmsg", "SCM_RIGHTS")
                    .with_hint("descriptors need at least one payload byte to ride on"));
  }
  alignas(cmsghdr) std::array<std::byte, max_unix_control_size> control;
  cmsg_writer writer(control);
  if (!with.fds.empty()) {
    if (auto r = writer.append_rights(with.fds); !r) return fail(r.error());
  }
  if (with.credentials) {
    if (auto r = writer.append_credentials(*with.credentials); !r) return fail(r.error());
  }
  if (!with.fds.empty() || with.credentials) {
    if (auto ok = check_attachments(s, with); !ok) return fail(ok.error());
  }
  sockaddr_storage name;
  iovec iov{const_cast<std::byte*>(data.data()), data.size()};  // sendmsg only reads it
  msghdr h{};
  if (!to.is_unnamed()) {
    h.msg_name = &name;
    h.msg_namelen = to.to_sockaddr(name);
  }
  h.msg_iov = &iov;
  h.msg_iovlen = 1;
  h.msg_control = writer.size() ? control.data() : nullptr;
  h.msg_controllen = writer.size();
  const int fd = s.native_handle();
  const auto attempt = [&]() noexcept { return sys::sendmsg(fd, h); };
  // A datagram to a name: poll(2) looks at a receiver's queue only for a
  // connected socket's own peer (unix_dgram_poll), so it finds the socket
  // writable while that receiver's queue is full and polling would spin;
  // waiting for its room backs off instead (a stream socket refuses a name
  // at once, EISCONN or EOPNOTSUPP, and never waits here).
  auto sent = [&]() -> result<std::size_t> {
    if (to.is_unnamed()) return with_wait(s, false, wait, "sendmsg", attempt);
    const long r = detail::with_backoff(wait, attempt);
    if (r >= 0) return static_cast<std::size_t>(r);
    return fail(detail::io_error(r, "sendmsg"));
  }();
  if (!sent) {
    auto e = sent.error();
    // A name given to a socket of another family: the kernel's EINVAL or
    // EAFNOSUPPORT (or EISCONN, EOPNOTSUPP of a stream socket) says nothing
    // of why. The family is read here, after the failure, not before each
    // datagram: a send to a name stays one system call. (A connected TCP
    // socket ignores a destination and sends to its peer: send_unix is for
    // AF_UNIX sockets, docs/sockets.md.)
    if (!to.is_unnamed() && e.code.category() == std::system_category() &&
        (e.code.value() == EINVAL || e.code.value() == EAFNOSUPPORT || e.code.value() == EISCONN ||
         e.code.value() == EOPNOTSUPP)) {
      if (auto ok = require_unix(s, to, "sendmsg"); !ok) return fail(ok.error());
    }
    if (!to.is_unnamed()) {
      auto type = get(s, opt::socket_type);
      with_address(e, to).with_hint(send_to_hint(e, to, type && *type == SOCK_DGRAM));
    }
    if (e.hint().empty()) e.with_hint(send_hint(e, with));
    if (e.code == std::errc::no_such_process && with.credentials) {
      // The kernel looks the credentials' pid up (scm_check_creds, then find_get_pid).
      e.with_number(with.credentials->pid)
          .with_hint("the credentials name pid {number}, which no process has: send this process's own "
                     "(unix_credentials::of_this_process())");
    }
    return fail(e);
  }
  return *sent;
}

result<unix_receipt> receive_with_fds(socket_ref s, std::span<std::byte> data, std::span<unique_fd> fds_out,
                                      wait_policy wait, std::span<std::byte> control) noexcept {
  alignas(cmsghdr) std::array<std::byte, max_unix_control_size> own;
  const std::span<std::byte> space = control.empty() ? std::span<std::byte>(own) : control;
  sockaddr_storage name;
  iovec iov{data.data(), data.size()};
  msghdr h{};
  h.msg_name = &name;
  h.msg_iov = &iov;
  h.msg_iovlen = 1;
  h.msg_control = space.data();
  const int fd = s.native_handle();
  auto n = with_wait(s, true, wait, "recvmsg", [&]() noexcept {
    h.msg_namelen = sizeof name;  // the kernel shrinks these on every call
    h.msg_controllen = space.size();
    h.msg_flags = 0;
    return sys::recvmsg_cloexec(fd, h);
  });
  if (!n) return fail(n.error());
  const std::span<const std::byte> filled(space.data(), h.msg_controllen);
  if ((h.msg_flags & MSG_CTRUNC) != 0) {
    (void)take_descriptors(filled, {});  // closes every one that arrived, whatever else it finds
    // The kernel sets MSG_CTRUNC for a buffer too small, and also when it
    // cannot install a descriptor in this process (scm_detach_fds: EMFILE,
    // RLIMIT_NOFILE), which is the likely cause with a buffer of the most
    // a Unix socket can need.
    const bool full_size = space.size() >= max_unix_control_size;
    return fail(error(errc::truncated_control_message, "recvmsg", "control")
                    .with_number(static_cast<std::int64_t>(*n))
                    .with_hint(full_size
                                   ? "descriptors were cut (MSG_CTRUNC) although the control buffer had room for "
                                     "all: this process most likely ran out of descriptors (RLIMIT_NOFILE, ulimit "
                                     "-n; EMFILE), so the kernel could not install them; the ones that arrived "
                                     "were closed and the kernel dropped the rest; {number} payload bytes were "
                                     "received; close descriptors or raise the limit (setrlimit, ulimit -n)"
                                   : "the control buffer was too small (MSG_CTRUNC), or this process ran out of "
                                     "descriptors (RLIMIT_NOFILE): the descriptors that arrived were closed and the "
                                     "kernel dropped the rest; {number} payload bytes were received; give "
                                     "max_unix_control_size bytes, or no buffer"));
  }
  auto taken = take_descriptors(filled, fds_out);
  if (!taken) return fail(taken.error());
  unix_receipt out;
  out.size = *n;
  out.truncated = (h.msg_flags & MSG_TRUNC) != 0;
  out.fds = taken->stored;
  out.fds_closed = taken->closed;
  out.credentials = taken->credentials;
  if (h.msg_namelen > sizeof(sa_family_t)) {
    if (auto a = unix_address::from_sockaddr(reinterpret_cast<const sockaddr*>(&name), h.msg_namelen)) out.peer = *a;
  }
  return out;
}

}  // namespace mcnet::core
