// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The mcnet authors
//
// Fuzz feed::test_header::parse: never crash or read past the data; whatever
// parses builds back to the same 40 bytes (session high bit and reserved
// bytes aside, which the builder clears).

#include <array>
#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <span>

#include <mcnet/feed/test_header.hpp>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::span<const std::byte> bytes(reinterpret_cast<const std::byte*>(data), size);
  auto h = mcnet::feed::test_header::parse(bytes);
  const auto t = mcnet::feed::test_header::try_parse(bytes);
  if (t.has_value() != h.has_value() || (t && !(*t == *h))) std::abort();
  if (!h) return 0;
  if (size < mcnet::feed::test_header::size) std::abort();
  std::array<std::byte, mcnet::feed::test_header::size> out{};
  auto n = h->build(out);
  if (!n || *n != out.size()) std::abort();
  if (std::memcmp(out.data(), data, 12) != 0 || std::memcmp(out.data() + 13, data + 13, 23) != 0) std::abort();
  if (std::to_integer<std::uint8_t>(out[12]) != (data[12] & 0x7f)) std::abort();
  auto again = mcnet::feed::test_header::parse(out);
  if (!again) std::abort();
  auto expected = *h;
  expected.session &= 0x7fffffffu;
  if (!(*again == expected)) std::abort();
  return 0;
}
