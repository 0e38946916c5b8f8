// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The mcnet authors
#pragma once

/// @file
/// Binding, connecting (at once, with a timeout, or in two steps without
/// blocking), accepting, shutting down and naming sockets, and the blocking
/// mode. Reading and writing a connected stream: <mcnet/core/stream.hpp>.

#include <mcnet/core/cxx20.hpp>  // first: C++20 or one clear error

#include <chrono>
#include <cstdint>

#include <sys/socket.h>

#include <mcnet/core/endpoint.hpp>
#include <mcnet/core/error.hpp>
#include <mcnet/core/socket.hpp>
#include <mcnet/core/wait_policy.hpp>

namespace mcnet::core {

/// bind(2) to `local`. An IPv4 endpoint on an AF_INET6 socket is bound as
/// its IPv4-mapped form (::ffff:a.b.c.d) and an IPv4-mapped endpoint on an
/// AF_INET socket as plain IPv4, so one call works on both kinds of socket.
/// Errors: errc::family_mismatch for an IPv6 endpoint on an AF_INET socket,
/// or any endpoint on a socket of another family than AF_INET and AF_INET6
/// (AF_UNIX: the kernel would say EINVAL; the error's number is the family);
/// the errno of bind(2) with the endpoint attached (EADDRINUSE: set
/// SO_REUSEADDR/SO_REUSEPORT before binding; EADDRNOTAVAIL: the address is
/// not on this host).
[[nodiscard]] result<void> bind(socket_ref s, const endpoint& local) noexcept;

/// connect(2) to `remote`, mapping families as `bind` does. On a UDP socket
/// this fixes the destination (a multicast group may be the destination) and
/// filters what is received to that peer. On a blocking TCP socket it waits
/// for the handshake as long as the kernel does (for ever, or `SO_SNDTIMEO`
/// when the socket has one: then EINPROGRESS, socket(7), with a hint); on a
/// nonblocking one EINPROGRESS is returned as an error, with the hint to
/// finish with connect_finish or use the overload with a timeout. A signal does not end the wait: when one interrupts the
/// blocking connect (EINTR, a handler without SA_RESTART, or any handler
/// while `SO_SNDTIMEO` is set), the kernel goes on with the handshake
/// (connect(2)), and this waits for it with poll(2) (an interrupted poll
/// goes on waiting), for what is left of `SO_SNDTIMEO` if set (one longer
/// than nanoseconds hold is for ever; reading it never fails the connect),
/// then reads the outcome from `SO_ERROR`, as `connect_finish` does: on a stream
/// socket (TCP, SCTP one-to-one) EINTR is never returned (a one-to-many
/// SCTP socket, never connected itself, keeps it). Errors:
/// errc::family_mismatch as `bind`;
/// errc::interface_required for an IPv6 link-local or interface-local
/// `remote` without a scope id on a socket bound to no device (the kernel's
/// EINVAL: ipv6(7) needs the interface); connect's errno with the endpoint
/// attached (ECONNREFUSED, ENETUNREACH, ETIMEDOUT, ...).
[[nodiscard]] result<void> connect(socket_ref s, const endpoint& remote) noexcept;

/// connect(2) to `remote`, waiting at most `timeout` for it to complete
/// (the TCP handshake): the call is made nonblocking, then it is
/// `connect_start` and `connect_finish` under `wait_policy::deadline(timeout)`
/// (poll(2), `SO_ERROR`); the socket's O_NONBLOCK is as it was before the
/// call. A signal does not end the wait (an interrupted poll goes on to
/// the same deadline). Errors: as `connect`;
/// errc::timed_out when `timeout` passed first: the attempt is then
/// abandoned, not left to the kernel (connect(2) to an address of family
/// `AF_UNSPEC` dissolves the association; TCP closes the socket in
/// SYN_SENT, so a later SYN-ACK is answered with a reset and no connection
/// appears at the server). The socket is left unconnected, its `SO_ERROR`
/// clear: connect it again, or close it. (A protocol that cannot dissolve
/// an association, SCTP, keeps trying: close the socket to stop it.)
[[nodiscard]] result<void> connect(socket_ref s, const endpoint& remote, std::chrono::nanoseconds timeout) noexcept;

/// How `connect_start` left the socket: both are normal outcomes.
enum class connect_status : std::uint8_t {
  connected,    ///< connect(2) completed at once (UDP, a blocking socket, some local connects)
  in_progress,  ///< EINPROGRESS, EALREADY or an interrupted blocking connect (EINTR): the handshake goes on; finish with `connect_finish`
};

/// connect(2) to `remote` without treating "in progress" as a failure: on a
/// nonblocking socket (SOCK_NONBLOCK, set_nonblocking) a TCP connect
/// returns at once with connect_status::in_progress while the handshake
/// runs; then `connect_finish` waits for its outcome. On a blocking socket
/// connect(2) itself waits, and the result is `connected` or an error (or
/// `in_progress` when a signal whose handler lacks SA_RESTART interrupted
/// the wait: connect(2) says EINTR and the kernel goes on with the
/// handshake; a second connect_start waits for it again on the blocking
/// socket, and on a socket made nonblocking since sees EALREADY, which is
/// `in_progress` too). (`connect` instead waits for the outcome then.)
/// The socket's mode is not changed. Errors: as `connect` (ECONNREFUSED
/// when the refusal is immediate, ENETUNREACH: no route, EHOSTUNREACH: no
/// ARP/neighbour discovery answer, errc::interface_required, ...), naming
/// `remote`, with a hint for these three.
[[nodiscard]] result<connect_status> connect_start(socket_ref s, const endpoint& remote) noexcept;

/// Wait, as `wait` says, until the connect that `connect_start` began is
/// done (poll(2) for POLLOUT), then read its outcome from `SO_ERROR`
/// (socket(7), connect(2)). `remote` is what was given to connect_start: the
/// errors name it. Errors: errc::in_progress (`std::errc::operation_in_progress`)
/// under wait_policy::nonblocking() while the handshake goes on (call again
/// later); errc::timed_out when the policy's timeout (counted from this
/// call's start) passed first (the kernel keeps trying: call again, or close
/// the socket to abandon it; the error's hint says so); the outcome's errno (ECONNREFUSED: nothing
/// listens there; ETIMEDOUT: the kernel gave up on the SYN, a firewall
/// dropping it or the host down; EHOSTUNREACH, ENETUNREACH: ICMP or the
/// neighbour table said so; each with a hint); ENOTCONN when the
/// socket reports no error and is still not connected (no connect was
/// started, or a failed connect's outcome was read already by an earlier
/// call); EINVAL at once, whatever the policy, on a listening socket
/// (`SO_ACCEPTCONN`: poll would never find it writable), with a hint.
[[nodiscard]] result<void> connect_finish(socket_ref s, const endpoint& remote,
                                          wait_policy wait = wait_policy::blocking()) noexcept;

/// accept4(2) on a listening socket of any family (TCP over IPv4 or IPv6,
/// Unix stream, ...), waiting as `wait` says for a connection. The socket
/// returned always has `SOCK_CLOEXEC`, and `SOCK_NONBLOCK` when
/// `nonblocking`. When `peer` is given it receives the peer's endpoint for
/// IP families, and an empty endpoint (`endpoint{}`) for the others.
/// accept4 cannot be told not to block, so on a listener in blocking mode
/// each attempt polls first (under wait_policy::blocking() accept4 itself
/// waits instead); if another thread takes the connection in between,
/// accept4 waits for the next one whatever `wait` says. A signal never
/// ends the wait: EINTR is retried, as by every other call here. A
/// listener that several threads accept on should be nonblocking
/// (`socket_setup::nonblocking`, SOCK_NONBLOCK): then no attempt can block.
/// A socket that cannot accept fails at once whatever its mode and the
/// policy: when poll finds nothing on a blocking-mode socket, `SO_ACCEPTCONN`
/// is read once, and a socket that does not listen gets the errno accept4
/// would give it (no poll would ever find a connection on it).
/// Errors: errc::would_block (nonblocking, none pending); errc::timed_out;
/// accept's errno (EMFILE/ENFILE: out of descriptors; EINVAL: a stream or
/// seqpacket socket that is not listening; EOPNOTSUPP: a socket whose type
/// never accepts, UDP or datagram; both with the hint to call listen
/// first, but for a Unix listener shut down for reading (shutdown(2)
/// `SHUT_RD`/`SHUT_RDWR`, maybe by another thread), which still reports
/// `SO_ACCEPTCONN` and says EINVAL: its hint says it was shut down (a TCP
/// listener shut down is closed, as one that never listened, and the hint
/// names both); ...); each names the listener's local endpoint when it is
/// an IP one, its address (text form, as the input) when it is a Unix one.
[[nodiscard]] result<socket> accept(socket_ref listener, wait_policy wait = wait_policy::blocking(),
                                    endpoint* peer = nullptr, bool nonblocking = false) noexcept;

/// Which direction `shutdown` closes.
enum class shutdown_side : std::uint8_t {
  read = SHUT_RD,     ///< no more receptions: reads return end of stream (0)
  write = SHUT_WR,    ///< no more transmissions: TCP sends FIN, the peer reads end of stream
  both = SHUT_RDWR,   ///< both
};

/// shutdown(2): close one or both directions of a connection without
/// closing the descriptor (a TCP FIN with `write`, after which writes fail
/// with EPIPE). Errors: shutdown's errno (ENOTCONN: not connected), naming
/// the peer when known.
[[nodiscard]] result<void> shutdown(socket_ref s, shutdown_side side) noexcept;

/// getsockname(2): the address and port the socket is bound to (port 0 at
/// bind time is replaced by the port the kernel chose; on a socket from
/// `accept`, the address the client connected to).
[[nodiscard]] result<endpoint> local_endpoint(socket_ref s) noexcept;

/// getpeername(2) (also on a socket from `accept`: the client's address and
/// port). Errors: ENOTCONN when not connected.
[[nodiscard]] result<endpoint> peer_endpoint(socket_ref s) noexcept;

/// Switch O_NONBLOCK on or off.
[[nodiscard]] result<void> set_nonblocking(socket_ref s, bool on) noexcept;
/// Whether O_NONBLOCK is on.
[[nodiscard]] result<bool> nonblocking(socket_ref s) noexcept;

}  // namespace mcnet::core
