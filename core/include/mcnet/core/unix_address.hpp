// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The mcnet authors
#pragma once

/// @file
/// The address of an AF_UNIX socket (unix(7)): a path name, an abstract
/// name, or none ("unnamed": an unbound socket, a socketpair(2) end, the
/// client side of most connections). A value type that converts to and from
/// `sockaddr_un` without allocating, compares, and formats as ss(8) prints
/// (`@name` for abstract names).

#include <mcnet/core/cxx20.hpp>  // first: C++20 or one clear error

#include <sys/socket.h>
#include <sys/un.h>

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

/// An AF_UNIX address. Three kinds (unix(7)):
///
/// - a path name: up to `max_path_length` (107) bytes, no NUL byte; the
///   kernel's sockaddr_un carries it NUL-terminated in `sun_path`;
/// - an abstract name: the bytes after a leading NUL in `sun_path`, up to
///   `max_abstract_length` (107), any byte values (NUL included). Abstract
///   names are not NUL-terminated: the address length says where the name
///   ends, so "x" and "x\0" are two names, and `to_sockaddr` returns the
///   exact length;
/// - unnamed: no name at all (the address length is `sizeof(sa_family_t)`).
///
/// A name that does not fit is refused, never cut: a cut path would bind
/// or connect somewhere else.
class unix_address {
 public:
  /// Which of the three kinds.
  enum class kind : std::uint8_t {
    unnamed,   ///< no name (unbound, autobind before bind, socketpair)
    path,      ///< a file system path name
    abstract,  ///< a name in the network namespace's abstract space
  };

  /// Bytes of `sun_path` (108 on Linux).
  static constexpr std::size_t sun_path_size = sizeof(sockaddr_un::sun_path);
  /// The longest path name: `sun_path` less its terminating NUL (107 bytes).
  static constexpr std::size_t max_path_length = sun_path_size - 1;
  /// The longest abstract name: `sun_path` less the leading NUL (107 bytes).
  static constexpr std::size_t max_abstract_length = sun_path_size - 1;
  /// Longest text `to_chars` writes: "@" and every byte escaped as `\xHH`.
  static constexpr std::size_t max_text_length = 1 + 4 * max_abstract_length;

  /// The unnamed address.
  constexpr unix_address() noexcept = default;

  /// A path name (relative or absolute; taken as given, not resolved).
  /// Errors: ENAMETOOLONG (`std::errc::filename_too_long`) for more than
  /// `max_path_length` bytes, with the length as the error's number;
  /// EINVAL (`std::errc::invalid_argument`) for an empty path or one
  /// holding a NUL byte (not errc::invalid_address, which means "not an IP
  /// address").
  [[nodiscard]] static result<unix_address> path(std::string_view path) noexcept;

  /// An abstract name: `name` is what follows the leading NUL (no NUL
  /// added; "" is a valid, empty name). Errors: ENAMETOOLONG for more than
  /// `max_abstract_length` bytes.
  [[nodiscard]] static result<unix_address> abstract(std::string_view name) noexcept;

  /// Parse the text `to_chars` writes: "@name" is an abstract name, "*"
  /// the unnamed address (as ss(8) prints them), anything else a path.
  /// `\\` stands for a backslash and `\xHH` (two hex digits) for any byte,
  /// so every address has a text form (a path that starts with '@' or is
  /// "*" is written with that byte escaped: "\x40x", "\x2a").
  /// Errors: EINVAL (empty text, a bad escape, a NUL in a path),
  /// ENAMETOOLONG, each naming the input.
  [[nodiscard]] static result<unix_address> parse(std::string_view text) noexcept;

  /// Read a `sockaddr_un` of `length` bytes (what getsockname(2),
  /// getpeername(2), accept(2) or recvfrom(2) returned). A path ends at its
  /// first NUL or at `length`; an abstract name is exactly the bytes
  /// `length` covers. Errors: errc::family_mismatch when `sa_family` is not
  /// AF_UNIX; EINVAL when `length` is shorter than the
  /// family or longer than `sockaddr_un`; ENAMETOOLONG for a path of 108
  /// bytes without NUL (the kernel accepts it; this type cannot hold it).
  [[nodiscard]] static result<unix_address> from_sockaddr(const sockaddr* sa, socklen_t length) noexcept;

  /// Which kind of address this is.
  [[nodiscard]] constexpr kind type() const noexcept { return kind_; }
  /// Whether it has no name.
  [[nodiscard]] constexpr bool is_unnamed() const noexcept { return kind_ == kind::unnamed; }
  /// Whether it is a path name.
  [[nodiscard]] constexpr bool is_path() const noexcept { return kind_ == kind::path; }
  /// Whether it is an abstract name.
  [[nodiscard]] constexpr bool is_abstract() const noexcept { return kind_ == kind::abstract; }
  /// The path, or the abstract name without its leading NUL ("" when unnamed).
  [[nodiscard]] constexpr std::string_view name() const noexcept { return {bytes_.data(), length_}; }

  /// Fill `out` and return the exact address length for bind(2),
  /// connect(2) and sendto(2): `offsetof(sun_path)` plus the path and its
  /// NUL, or plus the leading NUL and the abstract name (no terminator), or
  /// `sizeof(sa_family_t)` when unnamed.
  socklen_t to_sockaddr(sockaddr_un& out) const noexcept;
  /// The same into a `sockaddr_storage` (what the rest of core speaks).
  socklen_t to_sockaddr(sockaddr_storage& out) const noexcept;

  /// Write the text form (see `parse`); returns the length.
  std::size_t to_chars(std::span<char, max_text_length> out) const noexcept;
  /// The text to_chars writes, as a std::string (allocates).
  [[nodiscard]] std::string to_string() const;

  /// Equal when kind and bytes (and so length) are.
  friend constexpr bool operator==(const unix_address&, const unix_address&) noexcept = default;
  /// Orders by kind (unnamed, path, abstract), then bytes, then length.
  friend constexpr auto operator<=>(const unix_address&, const unix_address&) noexcept = default;

 private:
  constexpr unix_address(kind k, std::string_view bytes) noexcept : kind_(k), length_(static_cast<std::uint8_t>(bytes.size())) {
    for (std::size_t i = 0; i < bytes.size(); ++i) bytes_[i] = bytes[i];
  }

  // Member order is the comparison order. Bytes past length_ stay zero, so
  // the defaulted comparisons compare names.
  kind kind_ = kind::unnamed;
  std::array<char, max_path_length> bytes_{};
  std::uint8_t length_ = 0;
};

/// Write to_string()'s text to `os`.
std::ostream& operator<<(std::ostream& os, const unix_address& a);

}  // namespace mcnet::core
