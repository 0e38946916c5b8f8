// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The mcnet authors
#include <mcnet/ipv6/header.hpp>

#include <array>
#include <cstring>

namespace mcnet::ipv6 {
namespace {

tl::unexpected<error> bad(std::string_view field, std::int64_t value, std::string_view hint) noexcept {
  return fail(error(errc::value_out_of_range, "ipv6 header", field).with_number(value).with_hint(hint));
}

unsigned byte_at(const std::byte* p, std::size_t i) noexcept { return std::to_integer<unsigned>(p[i]); }

}  // namespace

result<header> header::parse(std::span<const std::byte> packet) noexcept {
  if (packet.size() < length) {
    return bad("length", static_cast<std::int64_t>(packet.size()), "an IPv6 header has 40 bytes");
  }
  const auto* p = packet.data();
  header h;
  h.version = static_cast<int>(byte_at(p, 0) >> 4);
  if (h.version != 6) return bad("version", h.version, "not an IPv6 packet");
  h.traffic_class = static_cast<int>((byte_at(p, 0) & 0x0f) << 4 | byte_at(p, 1) >> 4);
  h.flow_label = (byte_at(p, 1) & 0x0fu) << 16 | byte_at(p, 2) << 8 | byte_at(p, 3);
  h.payload_length = byte_at(p, 4) << 8 | byte_at(p, 5);
  h.next_header = static_cast<int>(byte_at(p, 6));
  h.hop_limit = static_cast<int>(byte_at(p, 7));
  std::array<std::uint8_t, 16> a{};
  std::memcpy(a.data(), p + 8, 16);
  h.source = core::ip_address::v6_bytes(a);
  std::memcpy(a.data(), p + 24, 16);
  h.destination = core::ip_address::v6_bytes(a);
  return h;
}

result<std::size_t> header::marshal(std::span<std::byte> out) const noexcept {
  if (out.size() < length) return bad("buffer", static_cast<std::int64_t>(out.size()), "too small for 40 bytes");
  if (traffic_class < 0 || traffic_class > 255) return bad("traffic class", traffic_class, "0 to 255");
  if (flow_label > 0xfffff) return bad("flow label", flow_label, "20 bits");
  if (payload_length > 0xffff) return bad("payload length", static_cast<std::int64_t>(payload_length), "at most 65535");
  if (next_header < 0 || next_header > 255) return bad("next header", next_header, "0 to 255");
  if (hop_limit < 0 || hop_limit > 255) return bad("hop limit", hop_limit, "0 to 255");
  for (const auto* a : {&source, &destination}) {
    if (a->is_valid() && !a->is_v6()) {
      return fail(error(errc::family_mismatch, "ipv6 header", "address").with_address(*a).with_hint("IPv6 addresses only"));
    }
  }
  auto* p = out.data();
  std::memset(p, 0, length);
  const auto tc = static_cast<unsigned>(traffic_class);
  p[0] = static_cast<std::byte>(6u << 4 | tc >> 4);
  p[1] = static_cast<std::byte>((tc & 0x0f) << 4 | (flow_label >> 16 & 0x0f));
  p[2] = static_cast<std::byte>(flow_label >> 8 & 0xff);
  p[3] = static_cast<std::byte>(flow_label & 0xff);
  p[4] = static_cast<std::byte>(payload_length >> 8);
  p[5] = static_cast<std::byte>(payload_length & 0xff);
  p[6] = static_cast<std::byte>(next_header);
  p[7] = static_cast<std::byte>(hop_limit);
  if (source.is_v6()) std::memcpy(p + 8, source.bytes().data(), 16);
  if (destination.is_v6()) std::memcpy(p + 24, destination.bytes().data(), 16);
  return length;
}

}  // namespace mcnet::ipv6
