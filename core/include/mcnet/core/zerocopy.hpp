// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The mcnet authors
#pragma once

/// @file
/// MSG_ZEROCOPY sends and their completions. With SO_ZEROCOPY on
/// (`core::opt::zerocopy`, TCP or UDP), `send_zerocopy` lets the kernel send
/// from the caller's pages instead of copying them; the buffer must then
/// stay untouched until the kernel says it is done with it. It says so on
/// the socket's error queue: each successful zerocopy send has an id (the
/// socket's sends counted from 0, as a u32 that wraps), and one notification
/// covers a range of them. `read_zerocopy_completions` reads those ranges,
/// and whether the kernel copied the data after all (it does when the
/// packets stay on the host, loopback and veth included, or the device
/// cannot send from user pages: then MSG_ZEROCOPY only cost the
/// notification). Documentation/networking/msg_zerocopy.rst.
///
/// @code
///   // in a function returning mcnet::result<void>
///   if (auto on = core::set(sock, core::opt::zerocopy, true); !on) return mcnet::fail(on.error());
///   auto sent = core::send_zerocopy(sock, payload);  // keep `payload` until completed
///   if (!sent) return mcnet::fail(sent.error());
///   core::zerocopy_completions done;
///   if (auto n = core::read_zerocopy_completions(sock, done, core::wait_policy::deadline(1s)); n) {
///     for (const auto& r : done.view()) release(r.first, r.last);
///   } else if (n.error().code != std::errc::timed_out) {
///     return mcnet::fail(n.error());
///   }
/// @endcode
/// (tests/core/zerocopy_test.cpp compiles this example.)

#include <mcnet/core/cxx20.hpp>  // first: C++20 or one clear error

#include <array>
#include <cstddef>
#include <cstdint>
#include <span>

#include <mcnet/core/error.hpp>
#include <mcnet/core/message.hpp>
#include <mcnet/core/socket.hpp>

namespace mcnet::core {

/// The sends with ids `first` to `last` (inclusive, modulo 2^32) are
/// complete: their buffers may be reused. From one sock_extended_err with
/// ee_origin SO_EE_ORIGIN_ZEROCOPY (ee_info .. ee_data).
struct zerocopy_range {
  std::uint32_t first = 0;  ///< ee_info: the first send id completed
  std::uint32_t last = 0;   ///< ee_data: the last, inclusive
  /// SO_EE_CODE_ZEROCOPY_COPIED: the kernel copied the data of (at least
  /// one of) these sends instead of sending from the caller's pages.
  bool copied = false;

  /// How many sends the range completes (1 to 2^32).
  [[nodiscard]] constexpr std::uint64_t count() const noexcept {
    return std::uint64_t{static_cast<std::uint32_t>(last - first)} + 1;
  }
};

/// What one read_zerocopy_completions call found: up to `capacity` ranges,
/// held inline (no allocation).
struct zerocopy_completions {
  static constexpr std::size_t capacity = 32;  ///< ranges one call reads at most
  std::array<zerocopy_range, capacity> ranges{};  ///< the first `size` are this call's
  std::size_t size = 0;                           ///< ranges read
  /// Error-queue messages read that were not zerocopy completions (a TX
  /// timestamp, an ICMP error with IP_RECVERR on): the error queue cannot
  /// be read selectively, so they were taken off it and are counted here.
  std::uint32_t other_messages = 0;

  /// The ranges read.
  [[nodiscard]] std::span<const zerocopy_range> view() const noexcept { return {ranges.data(), size}; }
  /// The sends they complete in all.
  [[nodiscard]] std::uint64_t sends() const noexcept {
    std::uint64_t n = 0;
    for (const auto& r : view()) n += r.count();
    return n;
  }
  /// Whether the kernel copied the data of any of them.
  [[nodiscard]] bool any_copied() const noexcept {
    for (const auto& r : view()) {
      if (r.copied) return true;
    }
    return false;
  }
};

/// Send `data` on the connected socket `s` with MSG_ZEROCOPY (plus
/// MSG_DONTWAIT and MSG_NOSIGNAL), waiting for buffer space as `wait` says
/// (through wait_writable, within the call's one timeout). Returns the bytes
/// the kernel took: all of a datagram, possibly fewer on a stream socket.
/// Each call that sends bytes takes the next completion id. Without
/// SO_ZEROCOPY on the kernel ignores the flag and copies, and no completion
/// comes. Errors: errc::would_block, errc::timed_out, send(2)'s errno
/// (ENOBUFS: too many sends await completion, charged to
/// net.core.optmem_max: read completions first; the hint says so; EPIPE:
/// the connection is gone or shut down, or "the socket is not connected"
/// for a TCP socket that never connected, as stream.hpp's writes say). Every
/// error but errc::would_block names the peer and carries the hint
/// `write_some` gives (EMSGSIZE: a datagram larger than one can be;
/// ECONNREFUSED on UDP after an ICMP port unreachable: the peer's socket is
/// closed).
[[nodiscard]] result<std::size_t> send_zerocopy(socket_ref s, std::span<const std::byte> data,
                                                wait_policy wait = wait_policy::blocking()) noexcept;

/// Read the zerocopy completions queued on `s`'s error queue (recvmsg(2)
/// with MSG_ERRQUEUE) into `out` (reset first): waits as `wait` says for
/// the first message (an error-queue entry makes poll report POLLERR), then
/// takes what is queued, up to `out.capacity` ranges. Returns the number of
/// ranges read (at least 1 unless only other messages came). Errors:
/// errc::would_block (nonblocking, or the socket reports hang-up with
/// nothing queued), errc::timed_out, recvmsg's errno.
[[nodiscard]] result<std::size_t> read_zerocopy_completions(socket_ref s, zerocopy_completions& out,
                                                            wait_policy wait = wait_policy::nonblocking()) noexcept;

}  // namespace mcnet::core
