// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The mcnet authors
//
// Fuzz ipv4::header::parse: never crash or read past the data; whatever
// parses marshals back to the same header bytes (checksum recomputed).

#include <array>
#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <span>

#include <mcnet/ipv4/header.hpp>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::span<const std::byte> bytes(reinterpret_cast<const std::byte*>(data), size);
  auto h = mcnet::ipv4::header::parse(bytes);
  if (!h) return 0;
  if (h->length > size || h->options_length + 20 != h->length) std::abort();
  std::array<std::byte, 60> out{};
  auto n = h->marshal(out);
  if (!n || *n != h->length) std::abort();
  // Everything but the checksum is reproduced; the checksum is now right.
  if (std::memcmp(out.data(), data, 10) != 0 || std::memcmp(out.data() + 12, data + 12, *n - 12) != 0) std::abort();
  if (!mcnet::ipv4::header::checksum_ok(std::span(out).first(*n))) std::abort();
  return 0;
}
