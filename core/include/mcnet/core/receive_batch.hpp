// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The mcnet authors
#pragma once

/// @file
/// `core::receive_batch`: the buffers of a recvmmsg(2) batch, owned and
/// allocated once, so that a receive loop is a few lines:
///
/// @code
///   auto b = core::receive_batch::make(32, 2048).value();  // 32 datagrams of up to 2048 bytes
///   while (auto n = b.read(sock, core::cmsg::pktinfo | core::cmsg::timestamp_ns,
///                          core::wait_policy::deadline(std::chrono::seconds(1)))) {
///     for (const core::message& m : b)  // the *n datagrams just read
///       use(m.payload(), m.peer, m.truncated, m.info.destination, m.info.software_time);
///   }
///   // the loop ends on the first failed read: errc::timed_out after a quiet second, ...
/// @endcode
///
/// The facades read into it too, decoding what their control flags say:
/// `ipv4::packet_conn::read_batch(b)`, `ipv6::packet_conn::read_batch(b)`.

#include <mcnet/core/cxx20.hpp>  // first: C++20 or one clear error

#include <cstddef>
#include <memory>
#include <span>

#include <mcnet/core/control.hpp>
#include <mcnet/core/datagrams.hpp>
#include <mcnet/core/error.hpp>
#include <mcnet/core/message.hpp>
#include <mcnet/core/socket.hpp>

namespace mcnet::core {

/// Room for up to `capacity()` datagrams of up to `payload_size()` bytes
/// each, with a `control_buffer` per datagram (room for every control message
/// mcnet decodes, `max_control_size`), read with one recvmmsg(2) call per
/// `batch_limit` datagrams. The payload bytes are one allocation, the control
/// space another and the `message` array a third, all made by the
/// constructor; reads allocate nothing. Iterating gives the messages the last
/// read filled, with their metadata (`message::peer`, `size`, `truncated`,
/// `info`: destination, interface, TTL / TOS, timestamps, drops). Not
/// thread-safe; a read overwrites what the previous one gave.
class receive_batch {
 public:
  using iterator = const message*;  ///< iterates the datagrams of the last read

  /// Room for `count` datagrams of `payload_size` bytes each (larger
  /// datagrams arrive cut, `message::truncated` set), allocated here and
  /// never again. Errors (no exception): `std::errc::invalid_argument` when
  /// `count` is 0 (a read would always return 0 datagrams);
  /// `std::errc::value_too_large` when count * payload_size, or the count
  /// control buffers or messages, would exceed PTRDIFF_MAX bytes;
  /// `std::errc::not_enough_memory` when an allocation fails. The error's
  /// number is `count` (saturated at INT64_MAX).
  [[nodiscard]] static result<receive_batch> make(std::size_t count, std::size_t payload_size) noexcept;

  /// An empty batch (capacity 0), as a moved-from one: a read answers
  /// EINVAL (`std::errc::invalid_argument`) rather than 0, which would make a
  /// `while (b.read(...))` loop spin. Assign it the result of make().
  receive_batch() noexcept = default;
  /// Take `other`'s buffers; `other` is left empty (capacity 0).
  receive_batch(receive_batch&& other) noexcept;
  /// Free this batch's buffers and take `other`'s; `other` is left empty.
  receive_batch& operator=(receive_batch&& other) noexcept;
  receive_batch(const receive_batch&) = delete;
  receive_batch& operator=(const receive_batch&) = delete;
  ~receive_batch() = default;

  /// Receive up to `capacity()` datagrams from `s` with core::read_batch:
  /// waits as `wait` says for the first, then takes what is queued, decoding
  /// the control messages in `decode` (each also needs its socket option
  /// on) and, always, UDP_GRO's segment size; each message's `info` says its
  /// own read only, nothing of an earlier one (message::info). Returns how
  /// many arrived (at least 1), which `size()` then
  /// says too. Errors: as core::read_batch (errc::would_block, errc::timed_out,
  /// recvmmsg's errno); EINVAL (`std::errc::invalid_argument`) on an empty
  /// batch (capacity 0); after an error the batch is empty.
  [[nodiscard]] result<std::size_t> read(socket_ref s, cmsg decode = cmsg::none,
                                         wait_policy wait = wait_policy::blocking()) noexcept;

  /// The datagrams the last read filled.
  [[nodiscard]] std::span<const message> received() const noexcept { return {messages_.get(), count_}; }
  /// The datagrams of the last read with coalesced reads split (a socket
  /// with `core::opt::udp_gro` on, whatever the read decoded): each with
  /// its read's metadata, no copy, no allocation. Without UDP_GRO, one per
  /// message of received(). A batch for UDP_GRO needs a payload_size of
  /// 65535, or the datagrams past a read's room are lost (MSG_TRUNC:
  /// `datagram_range::cut_away()` counts them).
  [[nodiscard]] datagram_range datagrams() const noexcept { return core::datagrams(received()); }
  /// The first datagram of the last read.
  [[nodiscard]] iterator begin() const noexcept { return messages_.get(); }
  /// Past the last datagram of the last read.
  [[nodiscard]] iterator end() const noexcept { return messages_.get() + count_; }
  /// The i-th datagram of the last read (i < size(); not checked).
  [[nodiscard]] const message& operator[](std::size_t i) const noexcept { return messages_[i]; }
  /// How many datagrams the last read filled (0 before any, and after an error).
  [[nodiscard]] std::size_t size() const noexcept { return count_; }
  /// Whether the last read filled nothing (before any read, after an error).
  [[nodiscard]] bool empty() const noexcept { return count_ == 0; }
  /// The most datagrams one read takes (the constructor's `count`).
  [[nodiscard]] std::size_t capacity() const noexcept { return capacity_; }
  /// The payload room of each datagram, in bytes (the constructor's `payload_size`).
  [[nodiscard]] std::size_t payload_size() const noexcept { return payload_size_; }

 private:
  std::size_t capacity_ = 0;
  std::size_t payload_size_ = 0;
  std::size_t count_ = 0;
  std::unique_ptr<std::byte[]> payload_;
  std::unique_ptr<control_buffer[]> control_;
  std::unique_ptr<message[]> messages_;

  receive_batch(std::size_t count, std::size_t payload_size, std::unique_ptr<std::byte[]> payload,
                std::unique_ptr<control_buffer[]> control, std::unique_ptr<message[]> messages) noexcept;
};

}  // namespace mcnet::core
