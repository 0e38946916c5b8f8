// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The mcnet authors
#pragma once

/// @file
/// The option layer: one typed descriptor per kernel socket option and two
/// generic functions, `get` and `set`. A descriptor records the option's
/// level, name and kernel spelling, how its value is encoded (the codec),
/// whether it can be read or written (a write-only option has no `get` and a
/// read-only one no `set`: calling them does not compile), and what a test can
/// expect from the kernel.
///
/// @code
///   namespace opt = mcnet::core::opt;
///   if (auto r = mcnet::core::set(sock, opt::reuse_address, true); !r)
///     std::cerr << r.error().message() << '\n';
///   auto granted = mcnet::core::get(sock, opt::receive_buffer);  // result<int>
/// @endcode
///
/// Descriptors for options mcnet has no table entry for can be written the
/// same way by users: `core::sockopt<core::int_codec> my_opt{LEVEL, NAME, "NAME"};`.

#include <mcnet/core/cxx20.hpp>  // first: C++20 or one clear error

#include <sys/socket.h>

#include <cstdint>
#include <string_view>
#include <type_traits>
#include <utility>

#include <mcnet/core/error.hpp>
#include <mcnet/core/socket.hpp>

namespace mcnet::core {

/// Whether an option can be read, written, or both.
enum class access : std::uint8_t { read_write, read_only, write_only };

/// What reading an option back after setting it gives, as recorded for tests.
enum class read_back : std::uint8_t {
  equal,         ///< the value set
  doubled,       ///< twice the value set (SO_RCVBUF, SO_SNDBUF: kernel overhead)
  not_readable,  ///< write-only option
  not_writable,  ///< read-only option
  partial,       ///< reads back only part of what was set (IP_MULTICAST_IF: the address, not the index)
  rounded,       ///< reads back what the kernel rounded the value to (TCP_DEFER_ACCEPT: whole retransmission periods)
};

/// What an option needs before the kernel accepts it (bit set).
enum class needs : std::uint32_t {
  nothing = 0,
  privilege = 1u << 0,       ///< CAP_NET_ADMIN (or CAP_NET_RAW)
  raw_socket = 1u << 1,      ///< SOCK_RAW
  connected = 1u << 2,       ///< a connected socket
  interface = 1u << 3,       ///< the value names an existing interface
  kernel_support = 1u << 4,  ///< may be missing on older kernels (ENOPROTOOPT; EOPNOTSUPP is the socket type's)
};
/// The union of two requirement sets.
[[nodiscard]] constexpr needs operator|(needs a, needs b) noexcept {
  return static_cast<needs>(static_cast<std::uint32_t>(a) | static_cast<std::uint32_t>(b));
}
/// Whether `set` holds `flag`.
[[nodiscard]] constexpr bool has(needs set, needs flag) noexcept {
  return (static_cast<std::uint32_t>(set) & static_cast<std::uint32_t>(flag)) != 0;
}

/// The untyped part of a descriptor: everything but the value's type.
struct option_info {
  int level;                  ///< SOL_SOCKET, IPPROTO_IP, IPPROTO_IPV6, ...
  int name;                   ///< the option's number at that level (SO_RCVBUF, ...)
  std::string_view spelling;  ///< the kernel's name, "SO_RCVBUF": feeds errors and test names
  access mode;                ///< whether it can be read, written, or both
  read_back expect;           ///< what a read after a write returns (the tests check it)
  needs requirements;         ///< what the kernel needs first (a capability, a socket type, ...)
};

/// A codec turns a C++ value into the bytes setsockopt takes and the bytes
/// getsockopt gives back into a value. `decode` receives the length the
/// kernel really returned and must refuse any it does not understand.
template <class C>
concept option_codec = requires { typename C::value_type; typename C::storage_type; } &&
                       std::is_trivially_copyable_v<typename C::storage_type> &&
                       requires(const typename C::value_type& v, typename C::storage_type& s, socklen_t n) {
                         { C::encode(v, s) } -> std::same_as<result<socklen_t>>;
                         { C::decode(std::as_const(s), n) } -> std::same_as<result<typename C::value_type>>;
                       };

/// A codec for a value of variable length that the caller lays out in its own
/// buffer (MCAST_MSFILTER's struct group_filter, whose getsockopt also reads
/// the group from that buffer first). It marks itself `variable_length`;
/// `get` and `set` do not take it: the typed calls that own the buffer do
/// (core::set_source_filter, core::source_filter).
template <class C>
concept buffer_codec = requires { typename C::value_type; } && C::variable_length;

/// A typed descriptor of one socket option.
template <class Codec, access Mode = access::read_write>
  requires(option_codec<Codec> || buffer_codec<Codec>)
struct sockopt : option_info {
  using codec = Codec;                            ///< the codec between value and kernel bytes
  using value_type = typename Codec::value_type;  ///< what get returns and set takes

  /// The option `nm` at level `lvl`, spelled `kernel_spelling` in errors; `rb` and `req` as
  /// option_info says.
  constexpr sockopt(int lvl, int nm, std::string_view kernel_spelling, read_back rb = default_read_back(),
                    needs req = needs::nothing) noexcept
      : option_info{lvl, nm, kernel_spelling, Mode, rb, req} {}

 private:
  static constexpr read_back default_read_back() noexcept {
    return Mode == access::write_only  ? read_back::not_readable
           : Mode == access::read_only ? read_back::not_writable
                                       : read_back::equal;
  }
};

namespace detail {
/// The only setsockopt(2) call (defined in core/src/sys): `length` bytes at
/// `value`. Errors: its errno, naming the option, with a hint for the usual
/// errnos (EPERM, ENOPROTOOPT, ENODEV, EINVAL).
[[nodiscard]] result<void> set_raw(int fd, const option_info& opt, const void* value, socklen_t length) noexcept;
/// The only getsockopt(2) call: at most `capacity` bytes into `value`;
/// returns the length the kernel wrote. Errors: as set_raw.
[[nodiscard]] result<socklen_t> get_raw(int fd, const option_info& opt, void* value, socklen_t capacity) noexcept;
/// Fill op/what of a codec's error with the option's identity.
error annotate(error e, std::string_view op, const option_info& opt) noexcept;
}  // namespace detail

/// Read an option. Does not compile for a write-only option.
/// Errors: the errno of getsockopt(2) (ENOPROTOOPT: not on this socket type
/// or kernel), or errc::unexpected_option_size when the kernel answers with a
/// length the codec does not accept.
template <class Codec, access Mode>
  requires(Mode != access::write_only && option_codec<Codec>)
[[nodiscard]] result<typename Codec::value_type> get(socket_ref s, const sockopt<Codec, Mode>& opt) noexcept {
  typename Codec::storage_type storage{};
  auto length = detail::get_raw(s.native_handle(), opt, &storage, sizeof storage);
  if (!length) return fail(length.error());
  auto value = Codec::decode(storage, *length);
  if (!value) return fail(detail::annotate(value.error(), "getsockopt", opt));
  return value;
}

/// Write an option. Does not compile for a read-only option.
/// Errors: the codec's checks (errc::value_out_of_range) before the kernel
/// sees anything, then the errno of setsockopt(2) with a hint (EPERM names the
/// capability, ENOPROTOOPT the socket type or kernel, ENODEV the interface).
template <class Codec, access Mode>
  requires(Mode != access::read_only && option_codec<Codec>)
[[nodiscard]] result<void> set(socket_ref s, const sockopt<Codec, Mode>& opt, const typename Codec::value_type& value) noexcept {
  typename Codec::storage_type storage{};
  auto length = Codec::encode(value, storage);
  if (!length) return fail(detail::annotate(length.error(), "setsockopt", opt));
  return detail::set_raw(s.native_handle(), opt, &storage, *length);
}

/// An option that carries no value (SO_DETACH_FILTER): `set(sock, opt::detach_filter)`.
struct no_value {};

/// Write an option that carries no value: `set(s, opt::detach_filter)`. Errors: as the set above.
template <class Codec, access Mode>
  requires(Mode != access::read_only && option_codec<Codec> && std::is_same_v<typename Codec::value_type, no_value>)
[[nodiscard]] result<void> set(socket_ref s, const sockopt<Codec, Mode>& opt) noexcept {
  return set(s, opt, no_value{});
}

}  // namespace mcnet::core
