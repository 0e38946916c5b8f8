// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The mcnet authors
#include <mcnet/feed/test_header.hpp>

#include <algorithm>
#include <cstring>

namespace mcnet::feed {
namespace {

template <class T>
void put(std::byte* p, T v) noexcept {
  for (std::size_t i = 0; i < sizeof(T); ++i) p[i] = static_cast<std::byte>(v >> (8 * (sizeof(T) - 1 - i)));
}

template <class T>
T get(const std::byte* p) noexcept {
  T v = 0;
  for (std::size_t i = 0; i < sizeof(T); ++i) v = static_cast<T>(v << 8 | std::to_integer<T>(p[i]));
  return v;
}

}  // namespace

void test_header::encode(std::span<std::byte> out) const noexcept {
  std::byte* p = out.data();
  std::memset(p, 0, size);
  std::memcpy(p, magic.data(), magic.size());
  p[4] = std::byte{version};
  p[5] = std::byte{flags};
  put<std::uint16_t>(p + 6, static_cast<std::uint16_t>(size));
  put<std::uint32_t>(p + 8, sender_id);
  put<std::uint32_t>(p + 12, session & 0x7fffffffu);
  put<std::uint64_t>(p + 16, sequence);
  put<std::uint64_t>(p + 24, send_time_ns);
  put<std::uint32_t>(p + 32, length);
  // 36..39 reserved, zero
}

std::optional<test_header> test_header::decode(std::span<const std::byte> datagram) noexcept {
  if (datagram.size() < size) return std::nullopt;
  const std::byte* p = datagram.data();
  if (std::memcmp(p, magic.data(), magic.size()) != 0) return std::nullopt;
  if (std::to_integer<std::uint8_t>(p[4]) != version || get<std::uint16_t>(p + 6) != size) return std::nullopt;
  test_header h;
  h.flags = std::to_integer<std::uint8_t>(p[5]);
  h.sender_id = get<std::uint32_t>(p + 8);
  h.session = get<std::uint32_t>(p + 12);
  h.sequence = get<std::uint64_t>(p + 16);
  h.send_time_ns = get<std::uint64_t>(p + 24);
  h.length = get<std::uint32_t>(p + 32);
  return h;
}

}  // namespace mcnet::feed
