// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The mcnet authors
#pragma once

#include <mcnet/core/cxx20.hpp>  // first: C++20 or one clear error

#include <array>
#include <compare>
#include <cstddef>
#include <cstdint>
#include <iosfwd>
#include <span>
#include <string>
#include <string_view>

#include <mcnet/core/error.hpp>

namespace mcnet::core {

/// Address family of an `ip_address`.
enum class ip_family : std::uint8_t { none = 0, v4 = 4, v6 = 6 };

/// An IPv4 or IPv6 address, with a scope id (interface index) for IPv6: a
/// small value like Go's netip.Addr. A default-constructed address is
/// "invalid" (family none) and is distinct from 0.0.0.0 and ::.
///
/// IPv4 addresses are held as IPv4; an IPv4-mapped IPv6 address
/// (::ffff:10.77.0.1) is IPv6 until `unmap()`.
class ip_address {
 public:
  /// Longest text `to_chars` writes: "ffff:ffff:ffff:ffff:ffff:ffff:255.255.255.255%4294967295".
  static constexpr std::size_t max_text_length = 45 + 1 + 10;

  constexpr ip_address() noexcept = default;

  /// The IPv4 address a.b.c.d.
  [[nodiscard]] static constexpr ip_address v4(std::uint8_t a, std::uint8_t b, std::uint8_t c,
                                               std::uint8_t d) noexcept {
    return v4_bytes({a, b, c, d});
  }
  /// The IPv4 address with these bytes in network order.
  [[nodiscard]] static constexpr ip_address v4_bytes(std::array<std::uint8_t, 4> b) noexcept {
    ip_address a;
    a.family_ = ip_family::v4;
    for (std::size_t i = 0; i < 4; ++i) a.bytes_[i] = b[i];
    return a;
  }
  /// The IPv4 address from a host-order 32-bit value (0x0a4d0001 is 10.77.0.1).
  [[nodiscard]] static constexpr ip_address v4_uint(std::uint32_t host_order) noexcept {
    return v4(static_cast<std::uint8_t>(host_order >> 24), static_cast<std::uint8_t>(host_order >> 16),
              static_cast<std::uint8_t>(host_order >> 8), static_cast<std::uint8_t>(host_order));
  }
  /// The IPv6 address with these bytes in network order and this scope id.
  [[nodiscard]] static constexpr ip_address v6_bytes(const std::array<std::uint8_t, 16>& b,
                                                     std::uint32_t scope_id = 0) noexcept {
    ip_address a;
    a.family_ = ip_family::v6;
    a.bytes_ = b;
    a.scope_id_ = scope_id;
    return a;
  }
  /// 0.0.0.0 (INADDR_ANY).
  [[nodiscard]] static constexpr ip_address any_v4() noexcept { return v4(0, 0, 0, 0); }
  /// :: (in6addr_any).
  [[nodiscard]] static constexpr ip_address any_v6() noexcept { return v6_bytes({}); }

  /// Parse "10.77.0.1", "fd77::1", "fe80::1%veth0", "ff02::1%2", "::ffff:10.77.0.1".
  ///
  /// IPv4 takes exactly four decimal parts 0-255 without leading zeros (a
  /// leading zero means octal to inet_aton, so it is refused rather than
  /// guessed). A zone is allowed on IPv6 only: a number is taken as the
  /// interface index; a name is looked up with if_nametoindex in the calling
  /// thread's network namespace. No surrounding blanks, no brackets (see
  /// `endpoint`).
  ///
  /// Errors: `errc::invalid_address` naming the input and saying what is wrong;
  /// `errc::no_such_interface` for a zone name that no interface has.
  [[nodiscard]] static result<ip_address> parse(std::string_view text) noexcept;

  /// ip_family::v4, ::v6 or ::none (invalid, default-constructed).
  [[nodiscard]] constexpr ip_family family() const noexcept { return family_; }
  /// AF_INET, AF_INET6, or AF_UNSPEC for an invalid address.
  [[nodiscard]] int af() const noexcept;
  /// Whether this holds an address (parsed or made), not the default.
  [[nodiscard]] constexpr bool is_valid() const noexcept { return family_ != ip_family::none; }
  /// Whether this is an IPv4 address (an IPv4-mapped IPv6 address is not: see unmap()).
  [[nodiscard]] constexpr bool is_v4() const noexcept { return family_ == ip_family::v4; }
  /// Whether this is an IPv6 address, IPv4-mapped ones included.
  [[nodiscard]] constexpr bool is_v6() const noexcept { return family_ == ip_family::v6; }
  /// Network-order bytes: 4 for IPv4, 16 for IPv6, none for an invalid address.
  [[nodiscard]] constexpr std::span<const std::uint8_t> bytes() const noexcept {
    return {bytes_.data(), family_ == ip_family::v4 ? 4u : family_ == ip_family::v6 ? 16u : 0u};
  }
  /// The IPv4 address as a host-order number; 0 unless is_v4().
  [[nodiscard]] constexpr std::uint32_t v4_uint() const noexcept {
    if (!is_v4()) return 0;
    return std::uint32_t{bytes_[0]} << 24 | std::uint32_t{bytes_[1]} << 16 |
           std::uint32_t{bytes_[2]} << 8 | std::uint32_t{bytes_[3]};
  }
  /// IPv6 scope id (interface index); 0 when none and always for IPv4.
  [[nodiscard]] constexpr std::uint32_t scope_id() const noexcept { return scope_id_; }
  /// The same address with another scope id (IPv6 only; IPv4 is returned unchanged).
  [[nodiscard]] constexpr ip_address with_scope_id(std::uint32_t scope) const noexcept {
    ip_address a = *this;
    if (is_v6()) a.scope_id_ = scope;
    return a;
  }

  // Classification. Each is false for an invalid address.

  /// 224.0.0.0/4 or ff00::/8.
  [[nodiscard]] constexpr bool is_multicast() const noexcept {
    return is_v4() ? (bytes_[0] & 0xf0) == 0xe0 : is_v6() && bytes_[0] == 0xff;
  }
  /// The scope nibble of an IPv6 multicast address (1 interface-local, 2
  /// link-local, 5 site-local, 8 organization-local, e global); 0 otherwise.
  [[nodiscard]] constexpr unsigned multicast_scope() const noexcept {
    return is_v6() && bytes_[0] == 0xff ? bytes_[1] & 0x0fu : 0u;
  }
  /// Interface-local multicast: ff01::/16, ff11::/16, ... (scope nibble 1).
  /// Needs an interface to be joined or sent to.
  [[nodiscard]] constexpr bool is_interface_local_multicast() const noexcept {
    return multicast_scope() == 1;
  }
  /// Link-local multicast: 224.0.0.0/24, or IPv6 with scope nibble 2
  /// (ff02::/16, ff12::/16, ff32::/16, ...). Never routed.
  [[nodiscard]] constexpr bool is_link_local_multicast() const noexcept {
    if (is_v4()) return bytes_[0] == 224 && bytes_[1] == 0 && bytes_[2] == 0;
    return multicast_scope() == 2;
  }
  /// Source-specific multicast range: 232.0.0.0/8 or ff3x::/32 (RFC 4607).
  [[nodiscard]] constexpr bool is_ssm() const noexcept {
    if (is_v4()) return bytes_[0] == 232;
    return is_v6() && bytes_[0] == 0xff && (bytes_[1] & 0xf0) == 0x30 && bytes_[2] == 0 && bytes_[3] == 0;
  }
  /// 0.0.0.0 or ::.
  [[nodiscard]] constexpr bool is_unspecified() const noexcept {
    for (auto b : bytes()) {
      if (b != 0) return false;
    }
    return is_valid();
  }
  /// 127.0.0.0/8 or ::1.
  [[nodiscard]] constexpr bool is_loopback() const noexcept {
    if (is_v4()) return bytes_[0] == 127;
    if (!is_v6() || bytes_[15] != 1) return false;
    for (std::size_t i = 0; i < 15; ++i) {
      if (bytes_[i] != 0) return false;
    }
    return true;
  }
  /// 169.254.0.0/16 or fe80::/10.
  [[nodiscard]] constexpr bool is_link_local_unicast() const noexcept {
    if (is_v4()) return bytes_[0] == 169 && bytes_[1] == 254;
    return is_v6() && bytes_[0] == 0xfe && (bytes_[1] & 0xc0) == 0x80;
  }
  /// An IPv6 address the kernel reaches only through a given interface:
  /// link-local unicast (fe80::/10), link-local or interface-local multicast
  /// (ipv6(7); the kernel's __ipv6_addr_needs_scope_id). Whether a scope id
  /// is set is not looked at.
  [[nodiscard]] constexpr bool needs_interface() const noexcept {
    return is_v6() && !is_v4_mapped() &&
           (is_link_local_unicast() || is_link_local_multicast() || is_interface_local_multicast());
  }
  /// 255.255.255.255.
  [[nodiscard]] constexpr bool is_broadcast() const noexcept { return is_v4() && v4_uint() == 0xffffffffu; }
  /// ::ffff:0:0/96 (an IPv4 address as a dual-stack socket sees it).
  [[nodiscard]] constexpr bool is_v4_mapped() const noexcept {
    if (!is_v6()) return false;
    for (std::size_t i = 0; i < 10; ++i) {
      if (bytes_[i] != 0) return false;
    }
    return bytes_[10] == 0xff && bytes_[11] == 0xff;
  }
  /// A valid unicast address a host can send from: not multicast,
  /// unspecified or broadcast. The test SSM sources must pass.
  [[nodiscard]] constexpr bool is_unicast() const noexcept {
    return is_valid() && !is_multicast() && !is_unspecified() && !is_broadcast();
  }

  /// The IPv4 address inside an IPv4-mapped IPv6 address; otherwise unchanged.
  [[nodiscard]] constexpr ip_address unmap() const noexcept {
    if (!is_v4_mapped()) return *this;
    return v4(bytes_[12], bytes_[13], bytes_[14], bytes_[15]);
  }
  /// ::ffff:a.b.c.d for an IPv4 address; otherwise unchanged.
  [[nodiscard]] constexpr ip_address map_v6() const noexcept {
    if (!is_v4()) return *this;
    std::array<std::uint8_t, 16> b{};
    b[10] = b[11] = 0xff;
    for (std::size_t i = 0; i < 4; ++i) b[12 + i] = bytes_[i];
    return v6_bytes(b);
  }

  /// Write the text form without allocating: dotted quad, RFC 5952 IPv6,
  /// "%N" for a scope id, "invalid" for an invalid address. Returns the
  /// number of characters written (never more than max_text_length).
  std::size_t to_chars(std::span<char, max_text_length> out) const noexcept;
  /// The text form as a string (allocates).
  [[nodiscard]] std::string to_string() const;

  /// Equal when family, bytes and scope id are.
  friend constexpr bool operator==(const ip_address&, const ip_address&) noexcept = default;
  /// Orders by family (v4 before v6), then bytes, then scope id.
  friend constexpr std::strong_ordering operator<=>(const ip_address& a, const ip_address& b) noexcept {
    if (auto c = a.family_ <=> b.family_; c != 0) return c;
    if (auto c = a.bytes_ <=> b.bytes_; c != 0) return c;
    return a.scope_id_ <=> b.scope_id_;
  }

 private:
  std::array<std::uint8_t, 16> bytes_{};
  std::uint32_t scope_id_ = 0;
  ip_family family_ = ip_family::none;
};

/// Write to_string()'s text to `os`.
std::ostream& operator<<(std::ostream& os, const ip_address& a);

}  // namespace mcnet::core
