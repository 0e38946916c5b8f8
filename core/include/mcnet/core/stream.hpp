// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The mcnet authors
#pragma once

/// @file
/// Stream I/O on connected sockets (TCP, Unix stream, or any connected
/// socket): one system call (`read_some`, `write_some`, `readv`, `writev`),
/// or a loop until the buffer is full or sent (`read_exact`, `write_all`,
/// `writev_all`), each waiting as a `wait_policy` says.
///
/// The contract, shared by every call here (docs/sockets.md, "Stream I/O"):
/// - The system calls run with `MSG_DONTWAIT` and waiting is mcnet's (poll(2)),
///   so the descriptor's own O_NONBLOCK setting never changes the outcome.
///   Under `wait_policy::blocking()` on a descriptor in blocking mode the
///   system call waits itself (one wake-up instead of EAGAIN, poll and the
///   call again; the same result, sooner). Sends pass
///   `MSG_NOSIGNAL`: a peer that is gone is EPIPE (`std::errc::broken_pipe`),
///   never a SIGPIPE that kills the process (send(2)).
/// - End of stream is a value, not an error: a read that returns 0 bytes
///   means the peer shut down its writing side (recv(2) returned 0).
///   `read_some` and `readv` refuse an empty buffer (EINVAL) so that 0 never
///   means anything else; `read_exact` of an empty buffer returns 0 (it was
///   filled: its count is always the buffer's size).
/// - The looping calls count their timeout once, from their own start, over
///   every system call they make (a `deadline(50ms)` `write_all` returns
///   within about 50 ms however many partial writes it made). Whatever ends
///   them early, the bytes moved before are never lost: every error from
///   `read_exact`, `write_all` and `writev_all` carries the count of bytes
///   the call moved as its number (`error::number()`, 0 included), and its
///   hint states it, errc::would_block included ("10 bytes were read before
///   this"); those bytes are the first ones of the buffer.
/// - A signal ends no wait: a system call it interrupts (EINTR) is made again.
/// - Errors other than errc::would_block name the peer's endpoint when the
///   socket has an IP peer (getpeername(2), on the failure path only).
/// - The hints: EPIPE has one wording for every write ("the connection is
///   closed for writing: it is gone (the peer closed or reset it, or the
///   kernel timed it out), or this side shut it down"), or "the socket is
///   not connected" for a TCP socket that never connected (TCP_INFO: closed,
///   no segment ever sent); the kernel's ETIMEDOUT ("the kernel gave up on
///   the connection": `TCP_USER_TIMEOUT`, retransmissions or keepalive
///   probes); ECONNREFUSED on a datagram pair ("the peer's socket is
///   closed"); ECONNRESET.
/// - Nothing here allocates.
///
/// @code
///   std::array<std::byte, 512> header;
///   auto r = core::read_exact(conn, header, core::wait_policy::deadline(std::chrono::seconds(2)));
///   if (!r && r.error().code == mcnet::errc::end_of_stream)
///     std::cerr << "peer closed after " << *r.error().number() << " bytes\n";
///   auto n = core::read_some(conn, body, core::wait_policy::blocking());
///   if (n && *n == 0) { /* the peer shut down its side: no more data */ }
/// @endcode

#include <mcnet/core/cxx20.hpp>  // first: C++20 or one clear error

#include <sys/uio.h>

#include <cstddef>
#include <span>

#include <mcnet/core/error.hpp>
#include <mcnet/core/socket.hpp>
#include <mcnet/core/wait_policy.hpp>

namespace mcnet::core {

/// One recv(2) into `buffer`, waiting as `wait` says while nothing is
/// there. Returns the count of bytes read, 1 to `buffer.size()`, or 0 when
/// the peer has shut down its writing side (orderly shutdown: every byte it
/// sent was read before). Errors: EINVAL (before any system call) for an
/// empty buffer; errc::would_block (nonblocking, nothing there);
/// errc::timed_out; recv's errno (ECONNRESET: the peer reset the
/// connection; ENOTCONN: not connected, with the hint to connect first,
/// also for a Unix stream socket, whose kernel says EINVAL there; ...),
/// naming the peer (a Unix socket: the peer's address, or its own when the
/// peer has none, as the error's input). The kernel reports a reset
/// once: the next call returns 0, the connection being closed by then. On
/// a connected datagram socket one call reads one datagram, cut to the
/// buffer without notice (read_from reports the cut), and 0 is an empty
/// datagram, not an end.
[[nodiscard]] result<std::size_t> read_some(socket_ref s, std::span<std::byte> buffer,
                                            wait_policy wait = wait_policy::blocking()) noexcept;

/// Fill `buffer` exactly, with as many recv(2) calls as it takes, waiting
/// as `wait` says (its timeout bounds the whole call). Returns
/// `buffer.size()`. Errors, each with the count of bytes that did arrive
/// as the error's number (they are the first bytes of `buffer`):
/// errc::end_of_stream (the peer shut down before the buffer was full);
/// errc::would_block (nonblocking: the rest is not there yet; call again
/// with the rest of the buffer); errc::timed_out; EMSGSIZE
/// (`std::errc::message_size`) on a socket that keeps message boundaries
/// (datagram, seqpacket) when a message was longer than the room left and
/// the kernel discarded its end (MSG_TRUNC in recvmsg(2)'s flags): the
/// number counts the bytes in the buffer, the cut message's start
/// included; recv's errno. An empty buffer returns 0 without a system
/// call. Each read is a recvmsg(2), whose flags tell a cut message.
[[nodiscard]] result<std::size_t> read_exact(socket_ref s, std::span<std::byte> buffer,
                                             wait_policy wait = wait_policy::blocking()) noexcept;

/// One send(2) of `data` (`MSG_NOSIGNAL`), waiting as `wait` says while the
/// send buffer is full. Returns the count of bytes the kernel took, 1 to
/// `data.size()` (fewer when the send buffer had less room; a datagram
/// socket sends all or nothing). An empty `data` returns 0 without a
/// system call, so no empty datagram is sent (send one with write_to or,
/// on a Unix socket, send_to). Errors: errc::would_block; errc::timed_out;
/// send's errno (EPIPE: the connection is closed for writing: it is gone,
/// closed or reset by the peer or timed out by the kernel, or this side
/// shut it down; ECONNRESET; EMSGSIZE: a datagram larger than the socket
/// sends; ...), naming the peer.
[[nodiscard]] result<std::size_t> write_some(socket_ref s, std::span<const std::byte> data,
                                             wait_policy wait = wait_policy::blocking()) noexcept;

/// Send all of `data`, looping over partial writes and waiting as `wait`
/// says whenever the send buffer is full (its timeout bounds the whole
/// call). Returns `data.size()`. Errors, each with the count of bytes the
/// kernel took as the error's number (the first bytes of `data`): as
/// write_some.
[[nodiscard]] result<std::size_t> write_all(socket_ref s, std::span<const std::byte> data,
                                            wait_policy wait = wait_policy::blocking()) noexcept;

/// One recvmsg(2) scattering into `buffers` in order (readv(2)'s shape on a
/// socket); at most `IOV_MAX` of them are given to one call. Returns the
/// count of bytes read, or 0 when the peer has shut down its writing side.
/// Errors: as read_some; EINVAL for buffers of 0 bytes in all.
[[nodiscard]] result<std::size_t> readv(socket_ref s, std::span<const iovec> buffers,
                                        wait_policy wait = wait_policy::blocking()) noexcept;

/// One sendmsg(2) gathering `buffers` in order (writev(2)'s shape, with
/// `MSG_NOSIGNAL`); at most `IOV_MAX` of them go to one call. Returns the
/// count of bytes the kernel took (0 for buffers of 0 bytes in all, without
/// a system call). Errors: as write_some.
[[nodiscard]] result<std::size_t> writev(socket_ref s, std::span<const iovec> buffers,
                                         wait_policy wait = wait_policy::blocking()) noexcept;

/// Send every byte of `buffers`, in order, resuming after partial writes
/// (inside an iovec as well as between them; more than `IOV_MAX` buffers
/// take several calls) and waiting as `wait` says (its timeout bounds the
/// whole call). The iovecs are not modified. Returns the total byte count.
/// Errors, each with the count of bytes the kernel took as the error's
/// number: as write_some.
[[nodiscard]] result<std::size_t> writev_all(socket_ref s, std::span<const iovec> buffers,
                                             wait_policy wait = wait_policy::blocking()) noexcept;

}  // namespace mcnet::core
