// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The mcnet authors
#pragma once

/// @file
/// What mcast-send puts in its datagrams besides the MCN1 header
/// (`--payload`): MoldUDP64 packets, RTP packets (RFC 3550) and MPEG-TS
/// datagrams of 7 transport packets, written with the feed layer's builders
/// (feed::moldudp64::packet_builder, feed::rtp::build,
/// feed::mpegts::datagram_builder with continuity_counters). A feed_stream
/// builds one group's datagrams in sequence order, so the stateful fields
/// (MoldUDP64 message numbers, RTP timestamps, continuity counters) are
/// those of a stream sent whole, and the faults of the send order act on
/// finished datagrams, as a network would (docs/tools.md, "Payloads").

#include <cstddef>
#include <cstdint>
#include <memory>
#include <optional>
#include <span>
#include <string_view>
#include <vector>

#include <mcnet/feed/moldudp64.hpp>
#include <mcnet/feed/mpegts.hpp>
#include <mcnet/tools/payload.hpp>
#include <mcnet/tools/send_plan.hpp>

namespace mcnet::tools {

/// The first PID mcast-send's MPEG-TS uses: PIDs are 0x100 to 0x100 + `--pids` - 1,
/// clear of the PSI tables (0x0000 to 0x000F) and of the null PID 0x1FFF.
inline constexpr std::uint16_t first_pid = 0x100;
/// The most PIDs `--pids` takes: 0x100 to 0x1FFE.
inline constexpr std::size_t max_pids = feed::mpegts::null_pid - first_pid;
/// Bytes of an MPEG-TS datagram: 7 transport packets.
inline constexpr std::size_t mpegts_datagram_size =
    feed::mpegts::packets_per_datagram * feed::mpegts::packet_size;
/// The payload options, checked (send_options).
struct payload_settings {
  payload_kind kind = payload_kind::mcnet;  ///< --payload
  feed::moldudp64::session_id session = feed::moldudp64::session_id::make("MCNET").value();  ///< --session
  std::size_t messages = 1;       ///< --messages: MoldUDP64 messages per packet, 1 to 65534
  std::size_t message_size = 32;  ///< --message-size: bytes per MoldUDP64 message, 0 to 65535
  std::uint8_t rtp_pt = rtp_mp2t;          ///< --rtp-pt
  std::optional<std::uint32_t> ssrc;      ///< --ssrc; none: random per run
  std::size_t pids = 1;                   ///< --pids: PIDs the MPEG-TS packets cycle over

  /// Whether the datagrams hold MPEG-TS packets (mpegts, or rtp with payload type 33).
  [[nodiscard]] bool carries_mpegts() const noexcept {
    return kind == payload_kind::mpegts || (kind == payload_kind::rtp && rtp_pt == rtp_mp2t);
  }
};

/// Where one group's RTP stream starts (RFC 3550 5.1: random initial
/// sequence number and timestamp).
struct rtp_start {
  std::uint32_t ssrc = 0;         ///< synchronization source
  std::uint16_t sequence = 0;     ///< sequence number of datagram 0
  std::uint32_t timestamp = 0;    ///< timestamp of datagram 0
};

/// One group's datagrams of a feed payload (not mcnet), built in sequence
/// order whatever order the faults send them in: datagram i is MoldUDP64
/// messages 1 + i x messages onwards, RTP sequence number start + i (mod
/// 2^16) with the timestamp of the moment it was built at the payload
/// type's clock, or 7 transport packets whose PIDs cycle and whose
/// continuity counters count every packet built before, sent or dropped.
/// A datagram sent twice (--dup-every) is the same bytes twice; a datagram
/// the order sends late (--reorder-every) was built in its turn and held.
class feed_stream {
 public:
  /// A stream of `p` (kind not mcnet) whose datagrams are `size` bytes
  /// (send_settings::size, which send_options derives from `p`), starting at `rtp`.
  feed_stream(const payload_settings& p, std::size_t size, const rtp_start& rtp);

  /// Write datagram `index` (a sequence number of `order`, which must be
  /// the order that yields the indexes, taken in its sending order) into
  /// `out` (at least the size given) and return its size. `now_ns` is the
  /// time read for a datagram built now (the RTP timestamp's).
  std::size_t write(std::uint64_t index, const send_order& order, std::span<std::byte> out, std::uint64_t now_ns);

  /// The end-of-run datagram after `issued` datagrams (send_order::issued),
  /// written into `out` (at least 20 bytes): a MoldUDP64 end of session
  /// whose sequence is the next message's. Nothing (0) for RTP and MPEG-TS,
  /// which have no end marker in the stream itself.
  [[nodiscard]] std::size_t write_end(std::uint64_t issued, std::span<std::byte> out) const noexcept;

  /// The sequence number a receiver sees first: MoldUDP64 1, RTP the
  /// random start; nothing for MPEG-TS.
  [[nodiscard]] std::optional<std::uint64_t> first_sequence() const noexcept;
  /// The sequence number after `issued` datagrams: MoldUDP64 the next
  /// message's (the end of session's), RTP the next sequence number (mod
  /// 2^16); nothing for MPEG-TS.
  [[nodiscard]] std::optional<std::uint64_t> next_sequence(std::uint64_t issued) const noexcept;
  /// The continuity counter the next packet of each PID would carry after
  /// `issued` datagrams (send_order::issued: dropped ones at the tail count,
  /// as they do in the middle), in PID order; empty without MPEG-TS.
  [[nodiscard]] std::vector<std::uint8_t> next_continuity(std::uint64_t issued);
  /// Where the RTP stream started.
  [[nodiscard]] const rtp_start& rtp() const noexcept { return rtp_; }

 private:
  // Datagram built_ (the next in sequence order) into `out`.
  void build_next(std::span<std::byte> out, std::uint64_t now_ns);
  std::size_t build_mpegts(std::span<std::byte> out);

  payload_settings p_;
  std::size_t size_;
  rtp_start rtp_;
  std::uint32_t clock_hz_ = 0;
  std::optional<std::uint64_t> started_ns_;  // when datagram 0 was built: RTP timestamp 0
  std::uint64_t built_ = 0;                  // datagrams built so far
  std::uint64_t next_packet_ = 0;            // transport packets built so far (PID cycling)
  std::unique_ptr<feed::mpegts::continuity_counters> counters_;
  std::vector<std::byte> message_;           // one MoldUDP64 message, rewritten per message
  std::vector<std::byte> rtp_payload_;       // what follows the RTP header
  std::vector<std::byte> last_;              // the last datagram written: a duplicate's bytes
  std::optional<std::uint64_t> last_index_;
  std::vector<std::byte> held_;              // a datagram built in its turn, sent later
  std::optional<std::uint64_t> held_index_;
  std::vector<std::byte> scratch_;           // a dropped datagram, built for its counters
};

}  // namespace mcnet::tools
