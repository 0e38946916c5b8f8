// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The mcnet authors
//
// Fuzz the address parsers. Beyond "no crash": whatever parses must format
// to text that parses back to the same value, and an IPv4 or IPv6 address
// without a zone must agree with inet_pton.

#include <arpa/inet.h>

#include <array>
#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <string>
#include <string_view>

#include <mcnet/core/endpoint.hpp>
#include <mcnet/core/ip_address.hpp>
#include <mcnet/core/prefix.hpp>

namespace core = mcnet::core;

namespace {

void check(bool ok) {
  if (!ok) std::abort();
}

void address(std::string_view text) {
  auto a = core::ip_address::parse(text);
  if (a) {
    auto back = core::ip_address::parse(a->to_string());
    check(back && *back == *a);
  } else {
    check(!a.error().message().empty());
  }
  // inet_pton stops at a NUL; mcnet refuses the whole text. Compare only NUL-free input.
  if (text.find('%') != std::string_view::npos || text.find('\0') != std::string_view::npos || text.size() > 60) return;
  const std::string z(text);  // NUL-terminated for inet_pton
  std::array<std::uint8_t, 16> buf{};
  const bool v4 = ::inet_pton(AF_INET, z.c_str(), buf.data()) == 1;
  const bool v6 = ::inet_pton(AF_INET6, z.c_str(), buf.data()) == 1;
  // inet_pton and mcnet accept exactly the same zone-free addresses.
  check(static_cast<bool>(a) == (v4 || v6));
  if (a && v4) check(a->is_v4() && std::memcmp(a->bytes().data(), buf.data(), 4) == 0);
  if (a && v6) check(a->is_v6() && std::memcmp(a->bytes().data(), buf.data(), 16) == 0);
}

void endpoint(std::string_view text) {
  auto e = core::endpoint::parse(text);
  if (!e) return;
  auto back = core::endpoint::parse(e->to_string());
  check(back && *back == *e);
  sockaddr_storage ss{};
  auto length = e->to_sockaddr(ss);
  auto decoded = core::endpoint::from_sockaddr(reinterpret_cast<sockaddr*>(&ss), length);
  check(decoded && *decoded == *e);
}

void prefix(std::string_view text) {
  auto p = core::prefix::parse(text);
  if (!p) return;
  auto back = core::prefix::parse(p->to_string());
  check(back && *back == *p);
  check(p->contains(p->address()));
  check(p->masked().masked() == p->masked());
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  address(text);
  endpoint(text);
  prefix(text);
  // sockaddr decoding of raw bytes of any length.
  (void)core::endpoint::from_sockaddr(reinterpret_cast<const sockaddr*>(data), static_cast<socklen_t>(size));
  return 0;
}
