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

namespace {

// The checks of parse: the first one `datagram` fails, its number in
// `value`; nullptr when it is a header.
const detail::codec_check* check(std::span<const std::byte> datagram, std::int64_t& value) noexcept {
  using detail::codec_check;
  if (datagram.size() < test_header::size) {
    static constexpr codec_check c{codec, "length", "the header has 40 bytes"};
    value = static_cast<std::int64_t>(datagram.size());
    return &c;
  }
  const std::byte* p = datagram.data();
  if (std::memcmp(p, test_header::magic.data(), test_header::magic.size()) != 0) {
    static constexpr codec_check c{codec, "magic", "not \"MCN1\": not an mcast-send datagram"};
    value = load_be<std::uint32_t>(p);
    return &c;
  }
  if (std::to_integer<std::uint8_t>(p[4]) != test_header::version) {
    static constexpr codec_check c{codec, "version", "version 1 only"};
    value = std::to_integer<std::uint8_t>(p[4]);
    return &c;
  }
  if (load_be<std::uint16_t>(p + 6) != test_header::size) {
    static constexpr codec_check c{codec, "header length", "the header length is 40"};
    value = load_be<std::uint16_t>(p + 6);
    return &c;
  }
  return nullptr;
}

// The fields of a checked header.
test_header decode(const std::byte* p) noexcept {
  test_header h;
  h.flags = std::to_integer<std::uint8_t>(p[5]);
  h.sender_id = load_be<std::uint32_t>(p + 8);
  h.session = load_be<std::uint32_t>(p + 12);
  h.sequence = load_be<std::uint64_t>(p + 16);
  h.send_time_ns = load_be<std::uint64_t>(p + 24);
  h.length = load_be<std::uint32_t>(p + 32);
  return h;
}

}  // namespace

result<test_header> test_header::parse(std::span<const std::byte> datagram) noexcept {
  std::int64_t value = 0;
  if (const auto* failed = check(datagram, value)) return detail::codec_failure<test_header>(*failed, value);
  return decode(datagram.data());
}

std::optional<test_header> test_header::try_parse(std::span<const std::byte> datagram) noexcept {
  std::int64_t value = 0;
  if (check(datagram, value) != nullptr) return std::nullopt;
  return decode(datagram.data());
}

}  // namespace mcnet::feed
