// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The mcnet authors
#include <mcnet/ipv4/header.hpp>

#include <algorithm>
#include <cstring>

namespace mcnet::ipv4 {
namespace {

std::uint16_t be16(const std::byte* p) noexcept {
  return static_cast<std::uint16_t>(std::to_integer<unsigned>(p[0]) << 8 | std::to_integer<unsigned>(p[1]));
}

void put16(std::byte* p, unsigned v) noexcept {
  p[0] = static_cast<std::byte>(v >> 8);
  p[1] = static_cast<std::byte>(v);
}

tl::unexpected<error> bad(std::string_view field, std::int64_t value, std::string_view hint) noexcept {
  return fail(error(errc::value_out_of_range, "ipv4 header", field).with_number(value).with_hint(hint));
}

}  // namespace

std::uint16_t internet_checksum(std::span<const std::byte> data) noexcept {
  std::uint32_t sum = 0;
  std::size_t i = 0;
  for (; i + 1 < data.size(); i += 2) sum += be16(data.data() + i);
  if (i < data.size()) sum += std::to_integer<std::uint32_t>(data[i]) << 8;
  while (sum >> 16) sum = (sum & 0xffff) + (sum >> 16);
  return static_cast<std::uint16_t>(~sum);
}

bool header::checksum_ok(std::span<const std::byte> raw) noexcept { return internet_checksum(raw) == 0; }

result<header> header::parse(std::span<const std::byte> packet) noexcept {
  if (packet.size() < min_length) {
    return bad("length", static_cast<std::int64_t>(packet.size()), "an IPv4 header has at least 20 bytes");
  }
  const auto* p = packet.data();
  header h;
  const unsigned first = std::to_integer<unsigned>(p[0]);
  h.version = static_cast<int>(first >> 4);
  if (h.version != 4) return bad("version", h.version, "not an IPv4 packet");
  h.length = (first & 0x0f) * 4u;
  if (h.length < min_length) return bad("IHL", static_cast<std::int64_t>(h.length / 4), "IHL is at least 5 (20 bytes)");
  if (h.length > packet.size()) {
    return bad("IHL", static_cast<std::int64_t>(h.length), "the header runs past the data received");
  }
  h.tos = std::to_integer<int>(p[1]);
  h.total_length = be16(p + 2);
  if (h.total_length < h.length) {
    return bad("total length", static_cast<std::int64_t>(h.total_length), "shorter than the header itself");
  }
  h.id = be16(p + 4);
  const unsigned frag = be16(p + 6);
  h.flags = static_cast<header_flags>((frag >> 13) & 0x7);
  h.fragment_offset = static_cast<std::uint16_t>(frag & 0x1fff);
  h.ttl = std::to_integer<int>(p[8]);
  h.protocol = std::to_integer<int>(p[9]);
  h.checksum = be16(p + 10);
  std::array<std::uint8_t, 4> a{};
  std::memcpy(a.data(), p + 12, 4);
  h.source = core::ip_address::v4_bytes(a);
  std::memcpy(a.data(), p + 16, 4);
  h.destination = core::ip_address::v4_bytes(a);
  h.options_length = h.length - min_length;
  std::copy_n(p + min_length, h.options_length, h.options.begin());
  return h;
}

result<std::size_t> header::marshal(std::span<std::byte> out, std::size_t payload_size) const noexcept {
  if (options_length > max_options || options_length % 4 != 0) {
    return bad("options", static_cast<std::int64_t>(options_length), "options are 0 to 40 bytes, a multiple of 4");
  }
  const std::size_t hlen = min_length + options_length;
  if (out.size() < hlen) return bad("buffer", static_cast<std::int64_t>(out.size()), "too small for the header");
  if (tos < 0 || tos > 255) return bad("TOS", tos, "0 to 255");
  if (ttl < 0 || ttl > 255) return bad("TTL", ttl, "0 to 255");
  if (protocol < 0 || protocol > 255) return bad("protocol", protocol, "0 to 255");
  if (fragment_offset > 0x1fff) return bad("fragment offset", fragment_offset, "0 to 8191 (8-byte units)");
  const std::size_t total = total_length != 0 ? total_length : hlen + payload_size;
  if (total > 0xffff || total < hlen) return bad("total length", static_cast<std::int64_t>(total), "header + payload, at most 65535");
  for (const auto* a : {&source, &destination}) {
    if (a->is_valid() && !a->is_v4()) {
      return fail(error(errc::family_mismatch, "ipv4 header", "address").with_address(*a).with_hint("IPv4 addresses only"));
    }
  }
  std::byte* p = out.data();
  std::memset(p, 0, hlen);
  p[0] = static_cast<std::byte>(4u << 4 | hlen / 4);
  p[1] = static_cast<std::byte>(tos);
  put16(p + 2, static_cast<unsigned>(total));
  put16(p + 4, id);
  put16(p + 6, static_cast<unsigned>((static_cast<unsigned>(flags) & 0x7) << 13 | fragment_offset));
  p[8] = static_cast<std::byte>(ttl);
  p[9] = static_cast<std::byte>(protocol);
  if (source.is_v4()) std::memcpy(p + 12, source.bytes().data(), 4);
  if (destination.is_v4()) std::memcpy(p + 16, destination.bytes().data(), 4);
  std::copy_n(options.begin(), options_length, p + min_length);
  put16(p + 10, internet_checksum({p, hlen}));
  return hlen;
}

}  // namespace mcnet::ipv4
