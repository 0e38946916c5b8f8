// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The mcnet authors
#pragma once

#include <mcnet/core/cxx20.hpp>  // first: C++20 or one clear error

#include <cstddef>
#include <cstdint>
#include <iosfwd>
#include <span>
#include <string>
#include <string_view>

#include <mcnet/core/error.hpp>
#include <mcnet/core/ip_address.hpp>

namespace mcnet::core {

/// An IP prefix: an address and a length in bits, like "10.77.0.0/24" or
/// "fd77::/16". The address is kept as given (an interface address with
/// host bits, "10.77.0.2/24", is a valid prefix); `masked()` clears them.
class prefix {
 public:
  /// Longest text to_chars writes: an address, "/", 3 digits.
  static constexpr std::size_t max_text_length = ip_address::max_text_length + 4;

  /// The invalid prefix (no address, length 0).
  constexpr prefix() noexcept = default;

  /// A prefix from an address and a length. Errors: `errc::invalid_prefix`
  /// when the length exceeds 32 (IPv4) or 128 (IPv6) or the address is invalid.
  [[nodiscard]] static result<prefix> make(const ip_address& address, unsigned length) noexcept;

  /// Parse "10.77.0.0/24", "fd77::/16", "fe80::/64". The length is decimal,
  /// without sign or leading zeros; no zone is allowed (a prefix is not tied
  /// to an interface). Errors: `errc::invalid_prefix` naming the input, or
  /// the errors of `ip_address::parse` for the address part.
  [[nodiscard]] static result<prefix> parse(std::string_view text) noexcept;

  /// The address as given (host bits kept; masked() clears them).
  [[nodiscard]] constexpr const ip_address& address() const noexcept { return address_; }
  /// The prefix length in bits (0 to 32 for IPv4, 0 to 128 for IPv6).
  [[nodiscard]] constexpr unsigned length() const noexcept { return length_; }
  /// Whether this holds a prefix (made or parsed), not the default.
  [[nodiscard]] constexpr bool is_valid() const noexcept { return address_.is_valid(); }

  /// The same prefix with every bit past `length()` cleared.
  [[nodiscard]] prefix masked() const noexcept;
  /// Whether `a` lies inside this prefix (same family; scope ids ignored).
  [[nodiscard]] bool contains(const ip_address& a) const noexcept;

  /// Write "10.77.0.0/24" or "fd77::/16"; returns the length. Does not allocate.
  std::size_t to_chars(std::span<char, max_text_length> out) const noexcept;
  /// The text to_chars writes, as a std::string (allocates).
  [[nodiscard]] std::string to_string() const;

  /// Equal when address and length are (host bits count: mask both to compare networks).
  friend constexpr bool operator==(const prefix&, const prefix&) noexcept = default;

 private:
  constexpr prefix(const ip_address& a, unsigned length) noexcept : address_(a), length_(length) {}

  ip_address address_;
  unsigned length_ = 0;
};

/// Write to_string()'s text to `os`.
std::ostream& operator<<(std::ostream& os, const prefix& p);

}  // namespace mcnet::core
