// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The mcnet authors
#pragma once

#include <mcnet/core/cxx20.hpp>  // first: C++20 or one clear error

#include <sys/socket.h>

#include <cstddef>
#include <cstdint>
#include <iosfwd>
#include <span>
#include <string>
#include <string_view>

#include <mcnet/core/error.hpp>
#include <mcnet/core/ip_address.hpp>

namespace mcnet::core {

/// An IP address and a UDP/TCP port: what `bind`, `connect`, `sendto` and
/// `recvfrom` speak. Converts to and from `sockaddr_storage` without
/// allocating.
class endpoint {
 public:
  /// Longest text `to_chars` writes: "[" address "]:" 65535.
  static constexpr std::size_t max_text_length = ip_address::max_text_length + 8;

  /// The invalid endpoint: no address, port 0.
  constexpr endpoint() noexcept = default;
  /// `address` and `port` (host byte order), taken as they are.
  constexpr endpoint(const ip_address& address, std::uint16_t port) noexcept : address_(address), port_(port) {}

  /// Parse "10.77.0.1:5000", "[fd77::1]:5000", "[ff02::1%2]:5000",
  /// "[fe80::1%veth0]:80". The port is required (0 to 65535, decimal, no
  /// sign); an IPv6 address must be bracketed, so "ff3e::1:5000" is refused
  /// rather than guessed.
  ///
  /// Errors: `errc::invalid_endpoint` (shape), `errc::invalid_port`, and the
  /// errors of `ip_address::parse`, each naming the input.
  [[nodiscard]] static result<endpoint> parse(std::string_view text) noexcept;

  /// Read a `sockaddr_in` or `sockaddr_in6` (with its scope id) of `length`
  /// bytes. Errors: `errc::family_mismatch` for another family,
  /// `errc::invalid_endpoint` when `length` is too short for the family.
  [[nodiscard]] static result<endpoint> from_sockaddr(const sockaddr* sa, socklen_t length) noexcept;

  /// The address (with its IPv6 scope id, if any).
  [[nodiscard]] constexpr const ip_address& address() const noexcept { return address_; }
  /// The port in host byte order (0 to 65535; 0: any, for bind).
  [[nodiscard]] constexpr std::uint16_t port() const noexcept { return port_; }
  /// The address's family (ip_family::none when invalid).
  [[nodiscard]] constexpr ip_family family() const noexcept { return address_.family(); }

  /// Fill `out` as a `sockaddr_in` (IPv4) or `sockaddr_in6` (IPv6, scope id
  /// included) and return its length; 0 for an invalid address.
  socklen_t to_sockaddr(sockaddr_storage& out) const noexcept;

  /// Write "10.77.0.1:5000" or "[fd77::1%2]:5000"; returns the length.
  std::size_t to_chars(std::span<char, max_text_length> out) const noexcept;
  /// The text to_chars writes, as a std::string (allocates).
  [[nodiscard]] std::string to_string() const;

  /// Equal when address (scope id included) and port are.
  friend constexpr bool operator==(const endpoint&, const endpoint&) noexcept = default;
  /// Orders by address (as ip_address orders), then port.
  friend constexpr auto operator<=>(const endpoint&, const endpoint&) noexcept = default;

 private:
  ip_address address_;
  std::uint16_t port_ = 0;
};

/// Write to_string()'s text to `os`.
std::ostream& operator<<(std::ostream& os, const endpoint& e);

}  // namespace mcnet::core
