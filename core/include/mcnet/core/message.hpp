// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The mcnet authors
#pragma once

/// @file
/// The datagram path: `read_from`/`write_to` for one datagram and
/// `read_batch`/`write_batch` over recvmmsg/sendmmsg, with per-message
/// metadata decoded from control messages, and three ways to wait
/// (`wait_policy`, <mcnet/core/wait_policy.hpp>, included here).
///
/// Hot path contract: these functions allocate nothing, throw nothing, and
/// add only the decoding asked for to the system call they wrap. Buffers are
/// the caller's; `core::receive_batch` (<mcnet/core/receive_batch.hpp>) owns
/// a batch's buffers for callers that would rather not lay them out.
///
/// @code
///   std::array<std::byte, 1500> payload;
///   core::control_buffer control;
///   core::message m{.buffer = payload, .control = control.span()};
///   auto r = core::read_from(sock, m, core::cmsg::pktinfo | core::cmsg::timestamp_ns,
///                            core::wait_policy::deadline(std::chrono::seconds(1)));
///   if (!r && r.error().code == std::errc::timed_out) ...
///   // m.size bytes from m.peer, sent to m.info.destination on m.info.interface_index
/// @endcode

#include <mcnet/core/cxx20.hpp>  // first: C++20 or one clear error

#include <sys/socket.h>

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <span>

#include <mcnet/core/control.hpp>
#include <mcnet/core/endpoint.hpp>
#include <mcnet/core/error.hpp>
#include <mcnet/core/socket.hpp>
#include <mcnet/core/wait_policy.hpp>

namespace mcnet::core {

/// One datagram, to send or as received. All buffers belong to the caller.
struct message {
  /// Read: where the payload goes. Write: the payload (first `size` bytes sent).
  std::span<std::byte> buffer{};
  /// Read: bytes received (capped at buffer.size(); see `truncated`). Write: bytes to send.
  std::size_t size = 0;
  /// Read: the source. Write: the destination; an invalid endpoint means the
  /// socket's connected peer.
  endpoint peer{};
  /// Read: where the kernel writes control messages (empty: none wanted; a
  /// read that is asked to decode control messages refuses an empty one;
  /// a read without one lends the kernel room of its own, for the UDP_GRO
  /// segment size: see `info`).
  /// Write: control messages to send (see cmsg_writer), `control_size` bytes.
  std::span<std::byte> control{};
  std::size_t control_size = 0;  ///< Write: bytes of control messages in `control`; read: what the kernel filled
  /// Read: what this read's control messages said, and nothing of an
  /// earlier read into the same message: every read resets it and fills
  /// the kinds it decodes. `info.segment_size` (UDP_GRO, a coalesced read
  /// of several datagrams: split it with core::datagrams) is decoded by
  /// every read whatever it was asked to decode, also without a control
  /// buffer (the read lends the kernel room for it); it is lost only when
  /// a too-small `control` cut the kernel's messages (`control_truncated`:
  /// then a read on a UDP_GRO socket may hold several datagrams, its size
  /// unknown; give a core::control_buffer).
  packet_info info{};
  /// Read: the datagram was longer than `buffer` (MSG_TRUNC); `size` is what fit.
  bool truncated = false;
  /// Read: the kernel had more control messages than `control` holds
  /// (MSG_CTRUNC), or any at all when `control` is empty (the kernel's own
  /// answer without room; the UDP_GRO segment size is still decoded).
  bool control_truncated = false;
  /// Read: a control message could not be decoded (errc::truncated_control_message);
  /// the datagram itself is delivered and `info` has what decoded before it.
  std::error_code control_error{};
  /// Read: the length of the datagram on the wire (larger than `size` when truncated).
  std::size_t wire_size = 0;

  /// Read: the bytes received, `buffer.first(size)`.
  [[nodiscard]] std::span<const std::byte> payload() const noexcept { return {buffer.data(), size}; }
};

/// Receive one datagram into `m` with recvmsg(2) (datagram and raw sockets:
/// MSG_TRUNC is passed to learn the real length), decoding the control
/// messages in `decode` (each also needs its socket option on) and, always,
/// UDP_GRO's segment size; `m.info` says this read only (message::info).
/// Errors: EINVAL (`std::errc::invalid_argument`, before any system call)
/// when `decode` asks for something and `m.control` is empty: the kernel
/// would have nowhere to put the messages; errc::would_block (nonblocking,
/// nothing queued), errc::timed_out (the call's timeout passed), or
/// recvmsg's errno (ECONNREFUSED after an ICMP error on a connected socket, ...).
[[nodiscard]] result<void> read_from(socket_ref s, message& m, cmsg decode = cmsg::none,
                                     wait_policy wait = wait_policy::blocking()) noexcept;

/// Send `m` with sendmsg(2). Errors: errc::would_block, errc::timed_out,
/// errc::interface_required (an IPv6 link-local or interface-local
/// destination when none of these names an interface: a zone on the
/// address, an IPV6_PKTINFO interface in `m.control`, SO_BINDTODEVICE or,
/// for a group, IPV6_MULTICAST_IF; a sticky IPV6_PKTINFO set with
/// setsockopt cannot be read back and does not count), or sendmsg's errno
/// (EMSGSIZE; ENETUNREACH: no route, which for a group means no multicast
/// interface and no 224.0.0.0/4 route for IPv4, no ff00::/8 route for IPv6,
/// and the error's hint says so; ...). A datagram is never sent partially.
[[nodiscard]] result<void> write_to(socket_ref s, const message& m, wait_policy wait = wait_policy::blocking()) noexcept;

/// Receive up to `msgs.size()` datagrams with recvmmsg(2): waits (as `wait`
/// says) for the first, then takes whatever else is queued without waiting.
/// Each message filled says its own read only, as with read_from.
/// Returns how many were filled (at least 1 on success).
/// Errors: as read_from; EINVAL when `decode` asks for something and any
/// message has an empty `control` (the error's number is its index).
/// Stack: no allocation, but about 34 KB of stack a call (x86-64: for
/// `batch_limit` messages, recvmmsg's headers 4 KB, the iovecs 1 KB, the
/// source addresses 8 KB, and the control room lent to messages without a
/// control buffer of their own, `max_control_size` each: 21 KB), whether
/// or not any message lacks its control buffer (receive_batch reads through
/// it, so the same); read_from lends 328 bytes.
/// Mind it on small stacks (fibers, coroutines with 32-64 KiB).
[[nodiscard]] result<std::size_t> read_batch(socket_ref s, std::span<message> msgs, cmsg decode = cmsg::none,
                                             wait_policy wait = wait_policy::blocking()) noexcept;

/// Send `msgs` with sendmmsg(2), waiting as `wait` says whenever the socket
/// cannot take more. Returns how many were sent: all of them, or fewer when
/// an error stopped the batch after some had gone (the error is returned
/// only when none was sent). Errors: as write_to; errc::interface_required
/// is checked for every message before anything is sent (a batch with one
/// such message sends nothing; the error's number is that message's index).
[[nodiscard]] result<std::size_t> write_batch(socket_ref s, std::span<const message> msgs,
                                              wait_policy wait = wait_policy::blocking()) noexcept;

/// The most datagrams one recvmmsg/sendmmsg call handles; larger spans are
/// served by several calls.
inline constexpr std::size_t batch_limit = 64;

}  // namespace mcnet::core
