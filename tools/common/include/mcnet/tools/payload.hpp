// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The mcnet authors
#pragma once

/// @file
/// The payload protocols both tools know (docs/tools.md, "Payloads"): the
/// names `--payload` takes and the reports print, and the RTP clock rates.

#include <cstdint>
#include <optional>
#include <string_view>

namespace mcnet::tools {

/// A payload protocol: what mcast-send writes after (or instead of) the
/// MCN1 header, and what a stream of mcast-recv carries (its `"payload"`);
/// streams of one source sort in this order. mcast-send sends all but `raw`.
enum class payload_kind : std::uint8_t {
  mcnet,      ///< the 40-byte MCN1 test header (docs/tools.md, "Wire header")
  mpegts,     ///< 7 MPEG-TS packets of 188 bytes (ISO/IEC 13818-1), each starting 0x47
  moldudp64,  ///< a MoldUDP64 downstream packet (Nasdaq MoldUDP64 1.00)
  rtp,        ///< RTP version 2 (RFC 3550); payload type 33 carries MPEG-TS (RFC 2250)
  raw,        ///< none of these: packets and bytes only (mcast-recv)
};

/// The name `--payload` takes and the reports print: "mcnet", "mpegts",
/// "moldudp64", "rtp" or "raw".
[[nodiscard]] std::string_view payload_name(payload_kind k) noexcept;

/// The protocol named `name` (exactly as payload_name writes it), or nothing.
[[nodiscard]] std::optional<payload_kind> payload_by_name(std::string_view name) noexcept;

/// The RTP payload type of MPEG-TS (RFC 3551 table 5, "MP2T", 90 kHz).
inline constexpr std::uint8_t rtp_mp2t = 33;

/// The RTP timestamp clock of payload type `pt` in Hz: RFC 3551 tables 4
/// and 5 for the static types that have one (8000 for PCMU, 90000 for
/// MP2T), 90000 for the dynamic types 96 to 127 (video, as SDP usually maps
/// them, and as mcast-send sends them); nothing for reserved and unassigned
/// types (1, 2, 19-24, 27, 29, 30, 35-95), whose clock no receiver can know.
[[nodiscard]] std::optional<std::uint32_t> rtp_clock_hz(std::uint8_t pt) noexcept;

}  // namespace mcnet::tools
