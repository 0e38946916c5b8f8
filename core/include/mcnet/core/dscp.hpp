// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The mcnet authors
#pragma once

/// @file
/// Differentiated Services codepoints (RFC 2474): the names operators use
/// (`ef`, `af41`, `cs6`, ...) and the conversions between a DSCP and the
/// byte the kernel takes.
///
/// The IPv4 TOS byte (`IP_TOS`) and the IPv6 traffic class (`IPV6_TCLASS`)
/// are the same eight bits: the DSCP in the high six, ECN (RFC 3168) in the
/// low two. Socket options and control messages take the whole byte, so
/// `tos_from_dscp(dscp::ef)` is 0xb8, with ECN 0 (not ECN-capable). On a TCP
/// socket the kernel keeps its own ECN bits whatever the byte says (ip(7)).
///
/// @code
///   auto d = core::parse_dscp("AF41");             // 34
///   auto tos = core::tos_from_dscp(*d);            // 0x88, for IP_TOS / IPV6_TCLASS
///   std::string s = core::format_dscp(core::dscp_of_tos(0xb9));  // "ef" (ECN bits dropped)
/// @endcode

#include <mcnet/core/cxx20.hpp>  // first: C++20 or one clear error

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include <mcnet/core/error.hpp>

namespace mcnet::core {

/// The named codepoints: class selectors (RFC 2474), assured forwarding
/// (RFC 2597), expedited forwarding (RFC 3246), voice admit (RFC 5865) and
/// lower effort (RFC 8622). Values are DSCPs (0-63), not TOS bytes.
namespace dscp {
inline constexpr std::uint8_t cs0 = 0;    ///< default forwarding
inline constexpr std::uint8_t cs1 = 8;    ///< class selector 1 (RFC 2474); low-priority data in RFC 4594
inline constexpr std::uint8_t cs2 = 16;   ///< class selector 2; operations and management (RFC 4594)
inline constexpr std::uint8_t cs3 = 24;   ///< class selector 3; broadcast video (RFC 4594)
inline constexpr std::uint8_t cs4 = 32;   ///< class selector 4; real-time interactive (RFC 4594)
inline constexpr std::uint8_t cs5 = 40;   ///< class selector 5; signaling (RFC 4594)
inline constexpr std::uint8_t cs6 = 48;   ///< network control
inline constexpr std::uint8_t cs7 = 56;   ///< class selector 7, reserved for network control (RFC 2474)
inline constexpr std::uint8_t af11 = 10;  ///< assured forwarding class 1, low drop (RFC 2597); high-throughput data
inline constexpr std::uint8_t af12 = 12;  ///< AF class 1, medium drop
inline constexpr std::uint8_t af13 = 14;  ///< AF class 1, high drop
inline constexpr std::uint8_t af21 = 18;  ///< assured forwarding class 2, low drop; low-latency data (RFC 4594)
inline constexpr std::uint8_t af22 = 20;  ///< AF class 2, medium drop
inline constexpr std::uint8_t af23 = 22;  ///< AF class 2, high drop
inline constexpr std::uint8_t af31 = 26;  ///< assured forwarding class 3, low drop; multimedia streaming (RFC 4594)
inline constexpr std::uint8_t af32 = 28;  ///< AF class 3, medium drop
inline constexpr std::uint8_t af33 = 30;  ///< AF class 3, high drop
inline constexpr std::uint8_t af41 = 34;  ///< assured forwarding class 4, low drop; multimedia conferencing (RFC 4594)
inline constexpr std::uint8_t af42 = 36;  ///< AF class 4, medium drop
inline constexpr std::uint8_t af43 = 38;  ///< AF class 4, high drop
inline constexpr std::uint8_t ef = 46;    ///< expedited forwarding, RFC 3246
inline constexpr std::uint8_t va = 44;    ///< voice admit, RFC 5865
inline constexpr std::uint8_t le = 1;     ///< lower effort, RFC 8622
/// The largest codepoint: six bits.
inline constexpr std::uint8_t max = 63;
}  // namespace dscp

/// The TOS byte / traffic class carrying `codepoint` in its high six bits
/// and `ecn` (RFC 3168: 0 not ECN-capable, 1 ECT(1), 2 ECT(0), 3 CE) in its
/// low two. Bits of `codepoint` above the sixth and of `ecn` above the
/// second are dropped.
[[nodiscard]] constexpr std::uint8_t tos_from_dscp(std::uint8_t codepoint, std::uint8_t ecn = 0) noexcept {
  return static_cast<std::uint8_t>(((codepoint & 0x3fu) << 2) | (ecn & 0x3u));
}
/// The DSCP of a TOS byte / traffic class: its high six bits (ECN dropped).
[[nodiscard]] constexpr std::uint8_t dscp_of_tos(std::uint8_t tos) noexcept {
  return static_cast<std::uint8_t>(tos >> 2);
}
/// The ECN field of a TOS byte / traffic class: its low two bits.
[[nodiscard]] constexpr std::uint8_t ecn_of_tos(std::uint8_t tos) noexcept {
  return static_cast<std::uint8_t>(tos & 0x3u);
}

/// The codepoint a name stands for (`cs0`..`cs7`, `af11`..`af43`, `ef`,
/// `va`, `le`), in any case; std::nullopt for anything else, numbers
/// included.
[[nodiscard]] std::optional<std::uint8_t> dscp_by_name(std::string_view name) noexcept;

/// The name of `codepoint` in lower case ("ef", "af41"); "" when it has none.
[[nodiscard]] std::string_view dscp_name(std::uint8_t codepoint) noexcept;

/// A DSCP from text: a name as `dscp_by_name` takes, or a decimal number
/// 0 to 63 (no sign, no leading zero). Errors: errc::value_out_of_range naming the input.
[[nodiscard]] result<std::uint8_t> parse_dscp(std::string_view text) noexcept;

/// The name of `codepoint` when it has one, else its decimal number:
/// 46 is "ef", 5 is "5". A DSCP is 6 bits: for 0 to 63, parse_dscp of the
/// result gives `codepoint` back; a value above 63 (a whole TOS byte passed
/// by mistake) prints as its number, which parse_dscp refuses.
[[nodiscard]] std::string format_dscp(std::uint8_t codepoint);

}  // namespace mcnet::core
