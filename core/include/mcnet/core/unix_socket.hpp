// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The mcnet authors
#pragma once

/// @file
/// Unix sockets (unix(7)): bind, connect, listen and accept with a
/// `unix_address`, `listen_unix`/`dial_unix` in the shape of dial.hpp,
/// `socketpair`, datagrams with a `unix_address`, and descriptor and
/// credential passing (`SCM_RIGHTS`, `SCM_CREDENTIALS`) in which a received
/// descriptor is always owned by a `unique_fd` or closed, never leaked.
///
/// Every receive passes `MSG_CMSG_CLOEXEC`, so passed descriptors are
/// close-on-exec like every descriptor mcnet makes; every call waits as its
/// `wait_policy` says and allocates nothing.
///
/// @code
///   auto server = core::listen_unix(core::unix_address::abstract("mcnet-demo").value());
///   auto client = core::dial_unix(core::unix_address::abstract("mcnet-demo").value());
///   auto conn = core::accept_unix(*server, core::wait_policy::deadline(std::chrono::seconds(1)));
///   // Pass a descriptor with one byte of payload.
///   const int fds[] = {pipe_write_end};
///   auto sent = core::send_with_fds(*client, std::as_bytes(std::span("x", 1)), fds);
///   // Receive it: room for two descriptors; any more would be closed and counted.
///   std::array<std::byte, 16> data;
///   std::array<core::unique_fd, 2> got;
///   auto r = core::receive_with_fds(*conn, data, got);
///   // r->fds descriptors are in got[0..r->fds), owned; r->fds_closed were closed.
/// @endcode

#include <mcnet/core/cxx20.hpp>  // first: C++20 or one clear error

#include <sys/socket.h>

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>
#include <utility>

#include <mcnet/core/control.hpp>
#include <mcnet/core/error.hpp>
#include <mcnet/core/message.hpp>
#include <mcnet/core/socket.hpp>
#include <mcnet/core/unique_fd.hpp>
#include <mcnet/core/unix_address.hpp>

namespace mcnet::core {

/// What `bind` does when a path name is taken by an existing file.
enum class stale_socket : std::uint8_t {
  /// Fail with EADDRINUSE naming the path (the default: nothing is removed
  /// behind the caller's back).
  keep,
  /// When the file is a socket that no socket has any more, unlink(2) it
  /// and bind again. Two checks: a nonblocking connect(2) of the socket's
  /// own type must be refused (ECONNREFUSED: nothing accepts on it; a live
  /// stream server sees one connection that closes at once), and no socket
  /// of this network namespace may be bound to the path (/proc/net/unix
  /// lists each with its path): a socket bound but not listening (a client
  /// bound with `unix_setup::local`, a server between bind and listen)
  /// refuses too, yet lives. A file that is not a socket, or a socket
  /// something accepts on or is bound to, is left alone and bind fails as
  /// with `keep`. What remains uncertain: /proc/net/unix lists the sockets
  /// of the reader's network namespace only, and each by the path it was
  /// bound with, so a bound socket of a process in another network
  /// namespace, or one bound by a relative path from another directory, is
  /// not seen (then its file is removed; the socket keeps working for those
  /// connected already but loses its name); without /proc the probe alone
  /// decides. A socket still listed at the path although its file was
  /// replaced since keeps the file from being removed.
  unlink,
};

/// Options of `listen_unix` and `dial_unix`.
struct unix_setup {
  int type = SOCK_STREAM;     ///< `SOCK_STREAM`, `SOCK_DGRAM` or `SOCK_SEQPACKET` alone (another, or one with `SOCK_NONBLOCK`/`SOCK_CLOEXEC` in it: errc::value_out_of_range; the mode is `nonblocking`'s)
  bool nonblocking = false;   ///< `SOCK_NONBLOCK`: the mode of the socket returned
  /// What binding does with a stale socket file at a path name
  /// (`listen_unix`, and `local` of `dial_unix`).
  stale_socket stale = stale_socket::keep;
  /// `SO_PASSCRED`: receive the sender's `SCM_CREDENTIALS` with every
  /// message; a stream listener's accepted sockets inherit it. (An unbound
  /// socket with it on autobinds to an abstract name when it sends or
  /// connects, unix(7).)
  bool pass_credentials = false;
  /// dial_unix: bind here before connecting (a datagram client that wants
  /// replies needs a name).
  std::optional<unix_address> local{};
};

/// bind(2) to `local`. An unnamed `local` autobinds: the kernel picks an
/// abstract name of five hex digits (read it with local_unix_address).
/// Errors: bind's errno with the address as the error's input: EADDRINUSE
/// (a path: a file is there, maybe a socket left by a process that ended;
/// see `stale_socket::unlink`; an abstract name: taken in this network
/// namespace), ENOENT / EACCES (the directory), EINVAL (already bound);
/// errc::family_mismatch before the call on a socket that is not AF_UNIX
/// (AF_INET, AF_INET6: the kernel would say EINVAL or EAFNOSUPPORT), with
/// the address as input, the family as number and a hint.
[[nodiscard]] result<void> bind(socket_ref s, const unix_address& local, stale_socket stale = stale_socket::keep) noexcept;

/// connect(2) to `remote`. A stream or seqpacket connect blocks while the
/// listener's backlog is full (use the overload with a timeout), for ever
/// or for the socket's `SO_SNDTIMEO` (socket(7)); on a datagram socket it
/// fixes the destination. A signal does not end the wait: one that
/// interrupts it (EINTR, a handler without SA_RESTART, or any handler
/// while `SO_SNDTIMEO` is set) makes the kernel abandon the attempt, the
/// socket still unconnected (unlike TCP, the kernel does not go on), so
/// connect(2) is made again, waiting only for what is left of
/// `SO_SNDTIMEO` if set; EINTR is never returned. Errors: connect's errno
/// with the address: ENOENT (no such path), ECONNREFUSED (nothing listens
/// there), EPROTOTYPE (the socket there has another type), EAGAIN (a
/// nonblocking socket and a full backlog, or `SO_SNDTIMEO` passed: the
/// hint says which), EACCES; errc::family_mismatch before the call on a
/// socket that is not AF_UNIX, as `bind`. The socket's `SO_SNDTIMEO` is put back as the
/// kernel held it (its `struct timeval`, byte for byte), and no value of it
/// makes the call fail.
[[nodiscard]] result<void> connect(socket_ref s, const unix_address& remote) noexcept;

/// connect(2) to `remote`, waiting at most `timeout` for room in the
/// listener's backlog: the kernel's own wait, bounded with `SO_SNDTIMEO`
/// for the call (the socket's `SO_SNDTIMEO` and O_NONBLOCK are as they
/// were afterwards, whatever they were). A signal does not end the wait, nor extend it: the
/// connect is made again (see `connect`) for what is left of `timeout`.
/// Errors: as `connect` (errc::family_mismatch before the socket is
/// touched); errc::timed_out when the backlog stayed full.
[[nodiscard]] result<void> connect(socket_ref s, const unix_address& remote, std::chrono::nanoseconds timeout) noexcept;

/// getsockname(2) as a unix_address (unnamed before bind). Errors: its
/// errno; errc::family_mismatch on a socket that is not AF_UNIX.
[[nodiscard]] result<unix_address> local_unix_address(socket_ref s) noexcept;

/// getpeername(2) as a unix_address (unnamed when the peer never bound,
/// e.g. most clients). Errors: ENOTCONN when not connected; as above.
[[nodiscard]] result<unix_address> peer_unix_address(socket_ref s) noexcept;

/// A Unix socket bound to `local`, listening (backlog `backlog`) unless it
/// is a datagram socket. Errors: socket's, `SO_PASSCRED`'s, bind's (see
/// `bind`) and listen's.
[[nodiscard]] result<socket> listen_unix(const unix_address& local, const unix_setup& setup = {},
                                         int backlog = 128) noexcept;

/// A Unix socket connected to `remote` (bound to `setup.local` first when
/// given), waiting at most `timeout` for room in the listener's backlog
/// (`connect` with a timeout: a signal does not end the wait).
/// The socket returned blocks unless `setup.nonblocking`. Errors: as
/// listen_unix and `connect`; errc::timed_out.
[[nodiscard]] result<socket> dial_unix(const unix_address& remote, const unix_setup& setup = {},
                                       std::chrono::nanoseconds timeout = std::chrono::seconds(30)) noexcept;

/// accept4(2) on a listening Unix socket (`SOCK_CLOEXEC`, and
/// `SOCK_NONBLOCK` when `nonblocking`), waiting as `wait` says; the peer's
/// address (usually unnamed) goes to `peer` when given. It is `accept`
/// (socket_ops.hpp) with a Unix address: on a blocking listener accept4 is
/// called once poll(2) reports a pending connection (but under
/// wait_policy::blocking(), where accept4 waits itself); a blocking
/// listener shared with other acceptors may still block there if one of
/// them takes it first (make such a listener nonblocking). Errors:
/// errc::would_block, errc::timed_out, accept's errno; a socket that does
/// not listen fails at once under every policy (EINVAL; EOPNOTSUPP for a
/// datagram socket), with the hint to call listen first; EINVAL on a
/// listener shut down for reading (shutdown(2) `SHUT_RD`/`SHUT_RDWR`, maybe
/// by another thread while this waits; it still reports `SO_ACCEPTCONN`),
/// with a hint saying so. Errors other than errc::would_block name the
/// listener's address (its text form) as their input.
[[nodiscard]] result<socket> accept_unix(socket_ref listener, wait_policy wait = wait_policy::blocking(),
                                         unix_address* peer = nullptr, bool nonblocking = false) noexcept;

/// socketpair(2): two connected, unnamed AF_UNIX sockets of `type`
/// (`SOCK_STREAM`, `SOCK_DGRAM`, `SOCK_SEQPACKET`), both `SOCK_CLOEXEC`
/// (and `SOCK_NONBLOCK` when `nonblocking`). Errors: errc::value_out_of_range
/// (`std::errc::invalid_argument`, the type as its number) before the call
/// for any other type (the kernel would take `SOCK_RAW` as `SOCK_DGRAM`)
/// and for a type with the flag bits `SOCK_NONBLOCK` or `SOCK_CLOEXEC` in
/// it (the mode is `nonblocking`'s; `SOCK_CLOEXEC` is always set);
/// its errno (EMFILE, ...).
[[nodiscard]] result<std::pair<socket, socket>> socketpair(int type, bool nonblocking = false) noexcept;

/// What rides along with a payload sent on a Unix socket.
struct unix_attachments {
  /// `SCM_RIGHTS`: descriptors the receiver gets duplicates of (1 to
  /// `max_fds_per_message`; they stay open here).
  std::span<const int> fds{};
  /// `SCM_CREDENTIALS`: the sender's pid, uid and gid
  /// (`unix_credentials::of_this_process()`; others need privileges).
  std::optional<unix_credentials> credentials{};
};

/// sendmsg(2) of `data` to `to` (unnamed: the connected peer) with
/// `with` attached. A datagram or seqpacket message goes whole or not at
/// all; a stream socket may take fewer bytes than `data` (the count says
/// how many; the descriptors go with the first byte). Returns the bytes
/// sent. Errors: std::errc::invalid_argument (before any system call) for
/// descriptors without a payload byte to carry them (a stream reader could
/// not tell them from the end of the stream); errc::value_out_of_range for
/// more than `max_fds_per_message` descriptors; errc::family_mismatch
/// (before the call, the family as its number) for descriptors or
/// credentials on a socket that is not AF_UNIX, whose kernel would drop
/// them silently and send the bytes; errc::family_mismatch for a named
/// `to` on a socket that is not AF_UNIX (found when the kernel refuses the
/// name, so that a send to a name stays one system call; a connected TCP
/// socket, whose kernel ignores a destination and sends to its peer, is
/// not told apart: this call is for AF_UNIX sockets); EBADF (before the call) for a
/// descriptor that is not open (fcntl(2) `F_GETFD`), its index in `fds` as
/// the error's number; errc::would_block, errc::timed_out; sendmsg's errno
/// with the destination, each with a hint (ENOENT; ECONNREFUSED: nothing
/// is bound to the name, or the connected peer closed; EPERM for
/// credentials not the sender's; ESRCH for credentials whose pid no
/// process has (a privileged sender may name another process; the error's
/// number is the pid); EISCONN for a name given on a connected stream;
/// EMSGSIZE for a datagram past `SO_SNDBUF` (at most `net.core.wmem_max`);
/// ETOOMANYREFS past RLIMIT_NOFILE in flight; EPIPE).
/// A datagram to a name (`to` not unnamed) waits for room in the
/// receiver's queue (net.unix.max_dgram_qlen datagrams, its SO_RCVBUF) by
/// sleeping between attempts, 50 us at first, doubling up to 4 ms, rather
/// than in poll(2): poll finds such a socket writable whatever that
/// receiver's queue holds (unix_dgram_poll looks only at a connected
/// socket's own peer), so polling would spin a core. It notices room up to
/// 4 ms late; a connected socket (`to` unnamed) waits in poll. Its
/// errc::would_block and errc::timed_out say the receiver's queue is full.
[[nodiscard]] result<std::size_t> send_unix(socket_ref s, std::span<const std::byte> data, const unix_address& to,
                                            const unix_attachments& with,
                                            wait_policy wait = wait_policy::blocking()) noexcept;

/// send_unix to the connected peer with descriptors `fds`.
[[nodiscard]] inline result<std::size_t> send_with_fds(socket_ref s, std::span<const std::byte> data,
                                                       std::span<const int> fds,
                                                       wait_policy wait = wait_policy::blocking()) noexcept {
  return send_unix(s, data, unix_address(), unix_attachments{.fds = fds}, wait);
}

/// send_unix of a datagram to `to`, nothing attached.
[[nodiscard]] inline result<std::size_t> send_to(socket_ref s, std::span<const std::byte> data, const unix_address& to,
                                                 wait_policy wait = wait_policy::blocking()) noexcept {
  return send_unix(s, data, to, unix_attachments{}, wait);
}

/// What one receive on a Unix socket brought.
struct unix_receipt {
  std::size_t size = 0;      ///< payload bytes stored in the caller's buffer
  bool truncated = false;    ///< MSG_TRUNC: the datagram was longer than the buffer (the rest is gone)
  unix_address peer{};       ///< the sender's address (datagram sockets; unnamed when it has none, and on streams)
  std::size_t fds = 0;       ///< descriptors received, now owned by the first `fds` entries of `fds_out`
  /// Descriptors that arrived beyond `fds_out`'s capacity: closed, so
  /// nothing leaks, and counted here so that nothing is lost silently.
  std::size_t fds_closed = 0;
  std::optional<unix_credentials> credentials{};  ///< `SCM_CREDENTIALS` (needs `SO_PASSCRED` on this socket)
};

/// recvmsg(2) with `MSG_CMSG_CLOEXEC`: the payload into `data`, passed
/// descriptors into `fds_out` (owned; what those entries held is closed),
/// any beyond its capacity closed and counted in `fds_closed`, credentials
/// when `SO_PASSCRED` is on. `control` is the control space: empty (the
/// default) uses `max_unix_control_size` bytes on the stack, which hold
/// every descriptor one message can carry. A smaller caller buffer may be
/// cut by the kernel (MSG_CTRUNC); so may any buffer when this process
/// cannot take the descriptors (the kernel sets MSG_CTRUNC too when
/// installing one fails: EMFILE, `RLIMIT_NOFILE`; scm_detach_fds). Then the
/// descriptors that did arrive are closed, the kernel has dropped the
/// others, and the call fails with errc::truncated_control_message, the
/// error's number being the payload bytes that were received into `data`
/// (on a stream they are consumed); with a buffer of
/// `max_unix_control_size` bytes or more the hint names the descriptor
/// limit, with a smaller one both causes.
/// On a stream socket the kernel ends a read after the bytes that carried
/// descriptors, so one call never returns the descriptors of two sends. Errors: errc::would_block,
/// errc::timed_out, errc::truncated_control_message, recvmsg's errno.
/// A size of 0 on a stream socket is the end of the stream.
[[nodiscard]] result<unix_receipt> receive_with_fds(socket_ref s, std::span<std::byte> data,
                                                    std::span<unique_fd> fds_out,
                                                    wait_policy wait = wait_policy::blocking(),
                                                    std::span<std::byte> control = {}) noexcept;

/// receive_with_fds with no room for descriptors (any that arrive are
/// closed and counted): a datagram and its sender's address.
[[nodiscard]] inline result<unix_receipt> receive_from(socket_ref s, std::span<std::byte> data,
                                                       wait_policy wait = wait_policy::blocking()) noexcept {
  return receive_with_fds(s, data, {}, wait);
}

}  // namespace mcnet::core
