// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The mcnet authors

#include <mcnet/tools/payload.hpp>

#include <array>
#include <utility>

namespace mcnet::tools {

namespace {
constexpr std::array<std::pair<payload_kind, std::string_view>, 5> names{{
    {payload_kind::mcnet, "mcnet"},
    {payload_kind::mpegts, "mpegts"},
    {payload_kind::moldudp64, "moldudp64"},
    {payload_kind::rtp, "rtp"},
    {payload_kind::raw, "raw"},
}};
}  // namespace

std::string_view payload_name(payload_kind k) noexcept {
  for (const auto& [kind, name] : names) {
    if (kind == k) return name;
  }
  return "raw";
}

std::optional<payload_kind> payload_by_name(std::string_view name) noexcept {
  for (const auto& [kind, n] : names) {
    if (n == name) return kind;
  }
  return std::nullopt;
}

std::optional<std::uint32_t> rtp_clock_hz(std::uint8_t pt) noexcept {
  // RFC 3551 section 6, tables 4 (audio) and 5 (video): the static assignments.
  switch (pt) {
    case 0: case 3: case 4: case 5: case 7: case 8: case 9: case 12: case 13: case 15: case 18:
      return 8000;  // PCMU, GSM, G723, DVI4/8000, LPC, PCMA, G722 (8000 by the RFC's own note), QCELP, CN, G728, G729
    case 6: return 16000;            // DVI4/16000
    case 10: case 11: return 44100;  // L16 stereo, L16 mono
    case 16: return 11025;           // DVI4/11025
    case 17: return 22050;           // DVI4/22050
    case 14: case 25: case 26: case 28: case 31: case 32: case 33: case 34:
      return 90000;  // MPA, CelB, JPEG, nv, H261, MPV, MP2T, H263
    default: break;
  }
  if (pt >= 96 && pt <= 127) return 90000;
  return std::nullopt;
}

}  // namespace mcnet::tools
