// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The mcnet authors
#include <mcnet/feed/test_header.hpp>

#include <cstring>

#include <mcnet/feed/big_endian.hpp>

#include <mcnet/feed/detail/codec_error.hpp>

namespace mcnet::feed {
using feed::detail::codec_error;
namespace {
constexpr std::string_view codec = "test header";
}  // namespace

result<std::size_t> test_header::build(std::span<std::byte> out) const noexcept {
  if (out.size() < size) return codec_error(codec, "buffer", out.size(), "the header needs 40 bytes");
  std::byte* p = out.data();
  std::memset(p, 0, size);
  std::memcpy(p, magic.data(), magic.size());
  p[4] = std::byte{version};
  p[5] = std::byte{flags};
  store_be<std::uint16_t>(p + 6, static_cast<std::uint16_t>(size));
  store_be<std::uint32_t>(p + 8, sender_id);
  store_be<std::uint32_t>(p + 12, session & 0x7fffffffu);
  store_be<std::uint64_t>(p + 16, sequence);
  store_be<std::uint64_t>(p + 24, send_time_ns);
  store_be<std::uint32_t>(p + 32, length);
  return size;
}

result<test_header> test_header::parse(std::span<const std::byte> datagram) noexcept {
  if (datagram.size() < size) return codec_error(codec, "length", datagram.size(), "the header has 40 bytes");
  const std::byte* p = datagram.data();
  if (std::memcmp(p, magic.data(), magic.size()) != 0) {
    return codec_error(codec, "magic", load_be<std::uint32_t>(p), "not \"MCN1\": not an mcast-send datagram");
  }
  if (std::to_integer<std::uint8_t>(p[4]) != version) {
    return codec_error(codec, "version", std::to_integer<std::uint8_t>(p[4]), "version 1 only");
  }
  if (load_be<std::uint16_t>(p + 6) != size) {
    return codec_error(codec, "header length", load_be<std::uint16_t>(p + 6), "the header length is 40");
  }
  test_header h;
  h.flags = std::to_integer<std::uint8_t>(p[5]);
  h.sender_id = load_be<std::uint32_t>(p + 8);
  h.session = load_be<std::uint32_t>(p + 12);
  h.sequence = load_be<std::uint64_t>(p + 16);
  h.send_time_ns = load_be<std::uint64_t>(p + 24);
  h.length = load_be<std::uint32_t>(p + 32);
  return h;
}

}  // namespace mcnet::feed
