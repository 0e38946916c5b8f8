// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The mcnet authors
//
// Fuzz ipv6::header::parse: whatever parses marshals back to the same 40 bytes.

#include <array>
#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <span>

#include <mcnet/ipv6/header.hpp>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  auto h = mcnet::ipv6::header::parse(std::span(reinterpret_cast<const std::byte*>(data), size));
  if (!h) return 0;
  std::array<std::byte, 40> out{};
  auto n = h->marshal(out);
  if (!n || *n != 40 || std::memcmp(out.data(), data, 40) != 0) std::abort();
  return 0;
}
