// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The mcnet authors
#pragma once

/// @file
/// UDP segmentation offload on the datagram path. Sending: one sendmsg(2)
/// or sendmmsg(2) entry carries a buffer of several datagrams of equal size
/// with a `UDP_SEGMENT` control message (core::cmsg_writer::append_segment_size,
/// checked first with `check_segmentation`); the kernel builds each datagram's
/// headers. Receiving: a socket with `core::opt::udp_gro` on may get several
/// datagrams of one flow in one read, with a `UDP_GRO` control message
/// (`packet_info::segment_size`, decoded by every read whatever it was
/// asked to decode); `datagrams` splits reads into their datagrams, each
/// with the read's metadata, without copying or allocating. udp(7).
///
/// A coalesced read longer than its buffer (MSG_TRUNC) keeps the datagrams
/// that fit: each piece that fills a whole segment is a whole datagram, a
/// piece cut short is flagged (`datagram::truncated`), and the datagrams
/// wholly past the buffer are counted by `datagrams_cut_away`. A buffer of
/// 65535 bytes holds any coalesced read.
///
/// @code
///   auto b = core::receive_batch::make(8, 65535).value();  // room for a whole coalesced read
///   (void)core::set(sock, core::opt::udp_gro, true);
///   if (auto n = b.read(sock, core::cmsg::segment_size | core::cmsg::pktinfo))
///     for (const core::datagram& d : b.datagrams())
///       use(d.payload, d.read->peer, d.read->info.destination);
/// @endcode

#include <mcnet/core/cxx20.hpp>  // first: C++20 or one clear error

#include <cstddef>
#include <cstdint>
#include <iterator>
#include <span>

#include <mcnet/core/error.hpp>
#include <mcnet/core/message.hpp>

namespace mcnet::core {

/// The kernel's `UDP_MAX_SEGMENTS` (include/linux/udp.h): the most datagrams
/// one `UDP_SEGMENT` send may make. 128 on current kernels (measured on
/// Linux 6.18); the kernels that introduced UDP GSO (4.18) take 64. More is
/// EINVAL from the send.
inline constexpr std::size_t udp_max_segments = 128;
/// The most segments every kernel with UDP GSO takes (Linux 4.18 on): 64.
inline constexpr std::size_t udp_max_segments_portable = 64;
/// The largest UDP payload over IPv4: 65535 - 20 (IP header) - 8 (UDP header).
inline constexpr std::size_t max_udp_payload_v4 = 65507;
/// The largest UDP payload over IPv6 without jumbograms: 65535 - 8 (the
/// payload length field does not count the IPv6 header).
inline constexpr std::size_t max_udp_payload_v6 = 65527;

/// Check a `UDP_SEGMENT` send of `payload_size` bytes cut into segments of
/// `segment_size` bytes, before the kernel sees it; returns how many
/// datagrams it makes. `ipv6`: the payload limit is IPv6's. Errors
/// (errc::value_out_of_range, naming `UDP_SEGMENT` with a hint): a segment
/// size of 0 (segmentation off) or above 65535; a segment larger than the
/// payload (the kernel would send it as one datagram, unsegmented); a
/// payload above max_udp_payload_v4 / _v6 (the kernel's EMSGSIZE); more
/// than udp_max_segments segments (the kernel's EINVAL). What it cannot see
/// is the route's MTU: a segment plus its IP and UDP headers above it is
/// EMSGSIZE from the send, whose hint says so.
[[nodiscard]] result<std::size_t> check_segmentation(std::size_t payload_size, std::size_t segment_size,
                                                     bool ipv6 = false) noexcept;

/// How many datagrams the read `m` holds in its buffer: its size cut at
/// `m.info.segment_size` (a coalesced read), or 1. A read cut by its buffer
/// (`m.truncated`) counts the piece cut short too; the datagrams wholly past
/// the buffer are `datagrams_cut_away(m)`.
[[nodiscard]] constexpr std::size_t datagram_count(const message& m) noexcept {
  const std::size_t seg = m.info.segment_size;
  if (seg == 0 || m.size <= seg) return 1;
  return (m.size + seg - 1) / seg;
}

/// How many datagrams of the coalesced read `m` the kernel cut away whole
/// because its buffer ended before them (MSG_TRUNC): the datagrams its
/// `wire_size` held, less the `datagram_count(m)` pieces in the buffer. 0
/// for a read that was not cut, and for one datagram cut short (no
/// `segment_size`: its one piece is `datagram::truncated`, nothing is
/// missing beyond it).
[[nodiscard]] constexpr std::size_t datagrams_cut_away(const message& m) noexcept {
  const std::size_t seg = m.info.segment_size;
  if (!m.truncated || seg == 0 || m.wire_size <= m.size) return 0;
  return (m.wire_size + seg - 1) / seg - datagram_count(m);
}

/// One datagram of a read: its payload inside the read's buffer, and the
/// read it came in, whose metadata it shares (`read->peer`, `read->info`:
/// destination, interface, TTL / TOS, timestamps, drops; the kernel gives
/// one set for the whole coalesced read, taken from its first datagram).
struct datagram {
  std::span<const std::byte> payload{};  ///< the datagram's bytes
  const message* read = nullptr;         ///< the read it came in (its metadata)
  /// The read was cut (MSG_TRUNC) and this piece is shorter than its
  /// datagram: the datagram is incomplete. Only a read's last piece can be;
  /// in a coalesced read it is one shorter than the segment size (a piece
  /// of a whole segment is a whole datagram). The datagrams past it are
  /// counted by `datagrams_cut_away`.
  bool truncated = false;
};

/// The datagrams of a span of reads, in order: each read cut at its
/// `info.segment_size` when it has one, else whole. Borrows the reads.
class datagram_range {
 public:
  /// Walks one read's datagrams after another's.
  class iterator {
   public:
    using iterator_category = std::forward_iterator_tag;  ///< a forward iterator
    using value_type = datagram;                          ///< what it gives
    using difference_type = std::ptrdiff_t;               ///< distance type
    using pointer = void;                                 ///< values are built on dereference
    using reference = datagram;                           ///< a value, built on dereference

    iterator() noexcept = default;
    /// At offset 0 of the read `at`.
    explicit iterator(const message* at) noexcept : at_(at) {}

    /// The current datagram.
    [[nodiscard]] datagram operator*() const noexcept {
      const std::size_t seg = at_->info.segment_size;
      const std::size_t left = at_->size - offset_;
      const bool last = seg == 0 || left <= seg;
      // In a cut read, a last piece of a whole segment is a whole datagram.
      return {std::span<const std::byte>(at_->buffer.data() + offset_, last ? left : seg), at_,
              last && at_->truncated && (seg == 0 || left < seg)};
    }
    /// The next datagram.
    iterator& operator++() noexcept {
      const std::size_t seg = at_->info.segment_size;
      if (seg != 0 && at_->size - offset_ > seg) {
        offset_ += seg;
      } else {
        ++at_;
        offset_ = 0;
      }
      return *this;
    }
    /// The next datagram (post-increment).
    iterator operator++(int) noexcept {
      auto before = *this;
      ++*this;
      return before;
    }
    /// Same read and offset.
    friend bool operator==(const iterator& a, const iterator& b) noexcept {
      return a.at_ == b.at_ && a.offset_ == b.offset_;
    }

   private:
    const message* at_ = nullptr;
    std::size_t offset_ = 0;
  };

  /// The datagrams of `reads`.
  explicit datagram_range(std::span<const message> reads) noexcept : reads_(reads) {}
  /// The first datagram.
  [[nodiscard]] iterator begin() const noexcept { return iterator(reads_.data()); }
  /// Past the last datagram.
  [[nodiscard]] iterator end() const noexcept { return iterator(reads_.data() + reads_.size()); }
  /// How many datagrams the reads hold (the sum of datagram_count).
  [[nodiscard]] std::size_t size() const noexcept {
    std::size_t n = 0;
    for (const auto& m : reads_) n += datagram_count(m);
    return n;
  }
  /// How many datagrams the reads' buffers cut away whole (the sum of
  /// datagrams_cut_away): lost to this receiver, in no piece.
  [[nodiscard]] std::size_t cut_away() const noexcept {
    std::size_t n = 0;
    for (const auto& m : reads_) n += datagrams_cut_away(m);
    return n;
  }

 private:
  std::span<const message> reads_;
};

/// The datagrams of `reads` (what read_batch filled), coalesced reads split.
[[nodiscard]] inline datagram_range datagrams(std::span<const message> reads) noexcept {
  return datagram_range(reads);
}
/// The datagrams of one read (what read_from filled).
[[nodiscard]] inline datagram_range datagrams(const message& read) noexcept {
  return datagram_range(std::span<const message>(&read, 1));
}

}  // namespace mcnet::core
