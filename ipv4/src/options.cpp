// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The mcnet authors
#include <mcnet/ipv4/options.hpp>

#include <cstring>

namespace mcnet::ipv4 {

result<socklen_t> multicast_if_codec::encode(const multicast_if& v, ip_mreqn& s) noexcept {
  if (v.address.is_valid() && !v.address.is_v4()) {
    return fail(error(errc::family_mismatch, "", "").with_address(v.address).with_hint("IP_MULTICAST_IF takes an IPv4 address"));
  }
  s = {};
  s.imr_ifindex = static_cast<int>(v.index);
  if (v.address.is_v4()) std::memcpy(&s.imr_address, v.address.bytes().data(), 4);
  return socklen_t{sizeof(ip_mreqn)};
}

result<multicast_if> multicast_if_codec::decode(const ip_mreqn& s, socklen_t n) noexcept {
  std::array<std::uint8_t, 4> b{};
  if (n == sizeof(in_addr)) {
    std::memcpy(b.data(), &s, 4);  // Linux answers with the address alone
    return multicast_if{0, core::ip_address::v4_bytes(b)};
  }
  if (n == sizeof(ip_mreqn)) {
    std::memcpy(b.data(), &s.imr_address, 4);
    return multicast_if{static_cast<std::uint32_t>(s.imr_ifindex), core::ip_address::v4_bytes(b)};
  }
  return fail(core::detail::bad_size(n));
}

}  // namespace mcnet::ipv4
