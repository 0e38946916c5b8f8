// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The mcnet authors
#pragma once

/// @file
/// `core::uring_receiver`: an optional receive backend on io_uring, with
/// multishot recvmsg (IORING_OP_RECVMSG, IORING_RECV_MULTISHOT) into a ring
/// of provided buffers. One request per socket stays armed and the kernel
/// fills a buffer per datagram; a read collects the completions and gives
/// them as `core::message`s with the metadata `core::read_batch` gives.
///
/// Only in builds with liburing (`MCNET_HAS_IO_URING` is 1 in
/// <mcnet/features.hpp>; CMake option MCNET_WITH_IO_URING, Debian's
/// liburing-dev); otherwise this header declares nothing.
///
/// @code
///   auto r = core::uring_receiver::make(256, 2048, core::cmsg::pktinfo | core::cmsg::timestamp_ns).value();
///   r.add(sock).value();   // sock with IP_PKTINFO and SO_TIMESTAMPNS on
///   while (auto n = r.read(core::wait_policy::deadline(std::chrono::seconds(1)))) {
///     for (const core::message& m : r)  // the *n datagrams just read, valid until the next read
///       use(m.payload(), m.peer, m.truncated, m.info.destination, m.info.software_time);
///   }
/// @endcode
///
/// A socket's request holds the socket: closing the descriptor alone does
/// not stop it (the port stays bound and its datagrams keep coming). Take
/// a socket off the ring with remove() before closing it.
///
/// Whether it is cheaper than recvmmsg depends on the load: docs/performance.md
/// ("io_uring receive") has the figures.

#include <mcnet/core/cxx20.hpp>  // first: C++20 or one clear error
#include <mcnet/features.hpp>

#if MCNET_HAS_IO_URING

#include <cstddef>
#include <cstdint>
#include <memory>
#include <span>

#include <mcnet/core/control.hpp>
#include <mcnet/core/error.hpp>
#include <mcnet/core/message.hpp>
#include <mcnet/core/socket.hpp>
#include <mcnet/core/wait_policy.hpp>

namespace mcnet::core {

/// What a `uring_receiver` did since it was made; counts only grow.
struct uring_stats {
  std::uint64_t datagrams = 0;  ///< datagrams delivered by read()
  std::uint64_t truncated = 0;  ///< of those, cut to the buffer's room (MSG_TRUNC)
  /// Multishot requests that ran out of provided buffers (ENOBUFS): every
  /// buffer was held by datagrams not yet given back. The datagrams stay
  /// queued on the socket (its receive buffer may overflow meanwhile: then
  /// SO_RXQ_OVFL counts them) and the request is armed again.
  std::uint64_t buffers_exhausted = 0;
  /// Multishot requests armed again after the kernel ended one (ENOBUFS, or
  /// a completion without IORING_CQE_F_MORE).
  std::uint64_t rearms = 0;
};

/// An io_uring instance with a provided-buffer ring of `buffer_count()`
/// buffers, each with room for a datagram of `payload_size()` bytes and its
/// source address and control messages; everything allocated by make() and
/// never again (reads allocate nothing). Sockets are added with add(); each
/// has one multishot recvmsg armed on it. Not thread-safe, and used from one
/// thread: the one that called make() (IORING_SETUP_SINGLE_ISSUER where the
/// kernel has it: a read or remove from another thread fails with EEXIST,
/// "File exists", and a hint to use the maker's thread). A receiver made on
/// one thread and read on a worker: make it on the worker. A read gives back the buffers of the previous one:
/// the messages it gave (payload, control bytes) are valid until the next
/// read(), the receiver's destruction or a move.
class uring_receiver {
 public:
  using iterator = const message*;  ///< iterates the datagrams of the last read

  /// A ring of `buffer_count` provided buffers (a power of two, 1 to
  /// 32768: the kernel's buffer ring is indexed by a mask), each with room
  /// for `payload_size` bytes of payload (a longer datagram arrives cut,
  /// `message::truncated` set, `wire_size` its length), the source address
  /// and control messages: `max_control_size` bytes of them whatever
  /// `decode` says (room for every message mcnet can switch on), decoded as
  /// `decode` says (each also needs its socket option on, as for
  /// read_batch). A UDP_GRO socket's segment size is decoded whatever
  /// `decode` says, so that `core::datagrams` splits its coalesced reads,
  /// also with socket-level messages (SO_TIMESTAMPNS, SO_TIMESTAMPING,
  /// SO_RXQ_OVFL), which the kernel writes before it; and a message's `info`
  /// says what its own datagram came with, nothing of an earlier one.
  /// A UDP_GRO socket wants a `payload_size` of 65535: a coalesced read
  /// longer than the room loses the datagrams past it
  /// (`core::datagrams_cut_away`). Errors (no exception):
  /// std::errc::invalid_argument (`buffer_count` not a power of two in
  /// range; `payload_size` 0 or over 65535 bytes), the error's number is the
  /// value refused; io_uring_setup's errno: EPERM when io_uring is refused
  /// (the sysctl kernel.io_uring_disabled is 2, or 1 and the process is
  /// not in kernel.io_uring_group; or a seccomp filter such as a container
  /// runtime's denies it), ENOSYS (a kernel without io_uring), ENOMEM; the
  /// buffer ring's registration's errno (EINVAL: a kernel before 5.19);
  /// mmap's errno for the buffers. Each error's hint names the fix or
  /// says to read with core::read_batch instead.
  [[nodiscard]] static result<uring_receiver> make(std::size_t buffer_count, std::size_t payload_size,
                                                   cmsg decode = cmsg::none) noexcept;

  /// An empty receiver (no ring), as a moved-from one: add() and read()
  /// answer EINVAL (`std::errc::invalid_argument`). Assign it make()'s result.
  uring_receiver() noexcept;
  /// Take `other`'s ring and buffers; `other` is left empty.
  uring_receiver(uring_receiver&& other) noexcept;
  /// Close this receiver's ring and take `other`'s; `other` is left empty.
  uring_receiver& operator=(uring_receiver&& other) noexcept;
  uring_receiver(const uring_receiver&) = delete;
  uring_receiver& operator=(const uring_receiver&) = delete;
  /// Closes the ring (which cancels the requests) and frees the buffers.
  /// The sockets stay open: they are the caller's.
  ~uring_receiver();

  /// Receive from `s` as well: a multishot recvmsg is armed on it (submitted
  /// by the next read()). Returns the socket's index, 0 for the first added,
  /// which `socket_of` gives for each of its datagrams and remove() takes;
  /// indices are never reused. The descriptor is not owned: keep it open
  /// until remove() (or the receiver's end). Closing it first does not stop
  /// the request: the ring holds the socket, which stays bound and keeps
  /// receiving, and a request armed again later (after buffer exhaustion)
  /// would be armed on whatever the descriptor's number then names.
  /// Allocates (the socket table) past the fourth socket; reads never do.
  /// Errors: EINVAL (an empty receiver; a negative descriptor).
  [[nodiscard]] result<std::size_t> add(socket_ref s) noexcept;

  /// Stop receiving from socket `index` (add()'s answer): its request is
  /// cancelled and its end awaited, so that the ring no longer holds the
  /// socket (close it then, and its port is free), and its datagrams not
  /// yet read are dropped, their buffers given back. The datagrams of the
  /// last read stay valid. Errors: EINVAL (an empty receiver; an index never
  /// given or already removed; the error's number is the index);
  /// io_uring_enter's errno, or ETIMEDOUT when the request did not end
  /// within about a second (the ring may still hold the socket).
  [[nodiscard]] result<void> remove(std::size_t index) noexcept;

  /// Stop receiving from socket `index` (add()'s answer) and keep what it
  /// received: its request is cancelled and its end awaited, as by remove(),
  /// but the datagrams the request took off the socket before it ended are
  /// still given by the next reads (in order, before the request's end).
  /// What arrives after that stays in the socket's own queue, for a plain
  /// read (core::read_batch): the socket's datagrams are then read once
  /// each, in order, first through the ring, then from the socket. Once
  /// every socket is stopped or removed and their datagrams given, a read
  /// answers EINVAL (no socket left). A stopped socket may still be
  /// removed (what it has not given is then dropped). Errors: as remove().
  [[nodiscard]] result<void> stop(std::size_t index) noexcept;

  /// Give the buffers of the previous read back to the kernel, arm again
  /// the requests that ended, then collect what the sockets received: waits
  /// as `wait` says for the first datagram, then takes every completion
  /// already posted (at most buffer_count()). Returns how many datagrams
  /// arrived (at least 1), which `size()` then says too; iterate them, or
  /// `received()`. Errors: EINVAL, at once, when no socket is left to read
  /// from: none was added, or every one was removed or stopped by its
  /// request's error (given by an earlier read); errc::would_block
  /// (nonblocking, nothing there), errc::timed_out; io_uring_enter's errno
  /// (EEXIST: a read from another thread than make()'s, which the single-
  /// issuer ring refuses; the hint says so); a request's errno (the error's
  /// number is the socket's index: EBADF / ENOTSOCK when a request was armed
  /// again on a descriptor closed without remove(), EINVAL from a kernel
  /// without multishot recvmsg (Linux 6.0); that socket is not armed again).
  /// After an error the receiver's batch is empty; datagrams that arrived
  /// before a request's error are delivered first, the error by the next read.
  [[nodiscard]] result<std::size_t> read(wait_policy wait = wait_policy::blocking()) noexcept;

  /// The datagrams the last read gave, in completion order (per socket, the
  /// order the socket queued them). `buffer` and `payload()` view the
  /// provided buffer, `control` its control messages (`control_size` bytes).
  [[nodiscard]] std::span<const message> received() const noexcept;
  /// The first datagram of the last read.
  [[nodiscard]] iterator begin() const noexcept { return received().data(); }
  /// Past the last datagram of the last read.
  [[nodiscard]] iterator end() const noexcept { return received().data() + received().size(); }
  /// The i-th datagram of the last read (i < size(); not checked).
  [[nodiscard]] const message& operator[](std::size_t i) const noexcept { return received()[i]; }
  /// The index (add()'s answer) of the socket that received the i-th
  /// datagram of the last read (i < size(); not checked).
  [[nodiscard]] std::size_t socket_of(std::size_t i) const noexcept;
  /// How many datagrams the last read gave (0 before any, and after an error).
  [[nodiscard]] std::size_t size() const noexcept { return received().size(); }
  /// Whether the last read gave nothing.
  [[nodiscard]] bool empty() const noexcept { return size() == 0; }

  /// The number of provided buffers (make()'s `buffer_count`; 0 when empty).
  [[nodiscard]] std::size_t buffer_count() const noexcept;
  /// The payload room of each buffer, in bytes (make()'s `payload_size`).
  [[nodiscard]] std::size_t payload_size() const noexcept;
  /// How many sockets were added, removed ones included (the next add()'s index).
  [[nodiscard]] std::size_t sockets() const noexcept;
  /// The counts so far.
  [[nodiscard]] uring_stats stats() const noexcept;

 private:
  struct state;
  std::unique_ptr<state> state_;
  explicit uring_receiver(std::unique_ptr<state> s) noexcept;
};

}  // namespace mcnet::core

#endif  // MCNET_HAS_IO_URING
