// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The mcnet authors
#pragma once

/// @file
/// The payload protocols both tools know (docs/tools.md, "Payloads"): the
/// names `--payload` takes and the reports print, and the RTP clock rates.

#include <array>
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
/// A dynamic payload type (96 to 127, RFC 3551 section 3): its clock is
/// what SDP maps it to, so rtp_clock_hz()'s 90000 is an assumption.
[[nodiscard]] constexpr bool rtp_dynamic_payload_type(std::uint8_t pt) noexcept { return pt >= 96 && pt <= 127; }

/// --rtp-clock: RTP timestamp clocks given, per payload type (PT=HZ, as an
/// SDP rtpmap maps them) and for every other type (HZ) (trial t20u F2: one
/// clock for every stream read a 90 kHz video stream beside 44.1 kHz audio
/// at the audio's clock).
struct rtp_clock_map {
  std::optional<std::uint32_t> all;          ///< HZ: every payload type not given its own
  std::array<std::uint32_t, 128> by_type{};  ///< PT=HZ (0: not given)
  rtp_clock_map() = default;
  rtp_clock_map(std::nullopt_t) noexcept {}                                  // NOLINT: implicit, as an optional
  rtp_clock_map(std::uint32_t hz) noexcept : all(hz) {}                       // NOLINT: implicit, as an optional
  rtp_clock_map(std::optional<std::uint32_t> hz) noexcept : all(hz) {}        // NOLINT: implicit, as an optional
  /// The clock given for payload type `pt`: its own, else HZ; none if neither.
  [[nodiscard]] std::optional<std::uint32_t> of(std::uint8_t pt) const noexcept {
    if (pt < by_type.size() && by_type[pt] != 0) return by_type[pt];
    return all;
  }
  /// No clock given.
  [[nodiscard]] bool empty() const noexcept {
    if (all) return false;
    for (const auto hz : by_type) {
      if (hz != 0) return false;
    }
    return true;
  }
};

}  // namespace mcnet::tools
