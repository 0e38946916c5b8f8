// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The mcnet authors
#pragma once

/// @file
/// Codecs for the option layer (see sockopt.hpp). Each decodes only the
/// lengths the kernel really returns; anything else is
/// errc::unexpected_option_size rather than a guess.

#include <arpa/inet.h>
#include <linux/filter.h>
#include <sys/socket.h>

#include <array>
#include <cstdint>
#include <cstring>
#include <span>
#include <system_error>

#include <mcnet/core/error.hpp>
#include <mcnet/core/interface.hpp>
#include <mcnet/core/sockopt.hpp>

namespace mcnet::core {

namespace detail {
/// The error of a codec whose kernel answer has `got` bytes, a length it does not accept:
/// errc::unexpected_option_size with the length as its number.
[[nodiscard]] inline error bad_size(socklen_t got) noexcept {
  error e(errc::unexpected_option_size, "", "");
  e.with_number(got);
  return e;  // named: a copy out of with_number's reference trips g++ 12's -Wmaybe-uninitialized on padding
}
}  // namespace detail

/// A C `int` (4 bytes).
struct int_codec {
  using value_type = int;    ///< `int`, as callers read and write it.
  using storage_type = int;  ///< `int`, as setsockopt(2) takes it.
  /// Copy `v` into `s`; returns the option length, 4 bytes. Never fails.
  [[nodiscard]] static result<socklen_t> encode(const int& v, int& s) noexcept {
    s = v;
    return socklen_t{sizeof(int)};
  }
  /// The int the kernel wrote. Errors: errc::unexpected_option_size unless `n` is 4 bytes.
  [[nodiscard]] static result<int> decode(const int& s, socklen_t n) noexcept {
    if (n != sizeof(int)) return fail(detail::bad_size(n));
    return s;
  }
};

/// An unsigned 32-bit value (SO_MARK, SO_INCOMING_NAPI_ID).
struct uint32_codec {
  using value_type = std::uint32_t;    ///< `std::uint32_t`, as callers read and write it.
  using storage_type = std::uint32_t;  ///< `std::uint32_t` in host byte order, as the kernel takes it.
  /// Copy `v` into `s`; returns the option length, 4 bytes. Never fails.
  [[nodiscard]] static result<socklen_t> encode(const std::uint32_t& v, std::uint32_t& s) noexcept {
    s = v;
    return socklen_t{sizeof(std::uint32_t)};
  }
  /// The value the kernel wrote. Errors: errc::unexpected_option_size unless `n` is 4 bytes.
  [[nodiscard]] static result<std::uint32_t> decode(const std::uint32_t& s, socklen_t n) noexcept {
    if (n != sizeof(std::uint32_t)) return fail(detail::bad_size(n));
    return s;
  }
};

/// A boolean carried as a C `int` (0 or 1); any non-zero int reads as true.
struct bool_codec {
  using value_type = bool;   ///< `bool`, as callers read and write it.
  using storage_type = int;  ///< `int` (0 or 1), as setsockopt(2) takes it.
  /// Write 1 for true, 0 for false; returns the option length, 4 bytes. Never fails.
  [[nodiscard]] static result<socklen_t> encode(const bool& v, int& s) noexcept {
    s = v ? 1 : 0;
    return socklen_t{sizeof(int)};
  }
  /// True for any non-zero int. Errors: errc::unexpected_option_size unless `n` is 4 bytes.
  [[nodiscard]] static result<bool> decode(const int& s, socklen_t n) noexcept {
    if (n != sizeof(int)) return fail(detail::bad_size(n));
    return s != 0;
  }
};

/// An integer the kernel may answer with 1 or 4 bytes (IP_MULTICAST_TTL and
/// IP_MULTICAST_LOOP on IPv4). Written as an int; values outside
/// [Min, Max] are refused before the kernel sees them.
template <int Min, int Max>
struct byte_or_int_codec {
  using value_type = int;    ///< `int` in [Min, Max], as callers read and write it.
  using storage_type = int;  ///< `int`, as setsockopt(2) takes it (the kernel accepts 1 or 4 bytes; mcnet writes 4).
  /// Copy `v` into `s`; returns the option length, 4 bytes.
  /// Errors: errc::value_out_of_range (with `v` as its number) outside [Min, Max].
  [[nodiscard]] static result<socklen_t> encode(const int& v, int& s) noexcept {
    if (v < Min || v > Max) {
      return fail(error(errc::value_out_of_range, "", "").with_number(v));
    }
    s = v;
    return socklen_t{sizeof(int)};
  }
  /// The value the kernel wrote: an int (`n` = 4) or one unsigned byte (`n` = 1).
  /// Errors: errc::unexpected_option_size for any other length.
  [[nodiscard]] static result<int> decode(const int& s, socklen_t n) noexcept {
    if (n == sizeof(int)) return s;
    if (n == 1) {
      unsigned char b = 0;
      std::memcpy(&b, &s, 1);
      return int{b};
    }
    return fail(detail::bad_size(n));
  }
};

/// A boolean the kernel may answer with 1 or 4 bytes (IP_MULTICAST_LOOP);
/// written as an int.
struct bool_byte_or_int_codec {
  using value_type = bool;   ///< `bool`, as callers read and write it.
  using storage_type = int;  ///< `int` (0 or 1); the kernel answers with 1 or 4 bytes.
  /// Write 1 for true, 0 for false; returns the option length, 4 bytes. Never fails.
  [[nodiscard]] static result<socklen_t> encode(const bool& v, int& s) noexcept {
    s = v ? 1 : 0;
    return socklen_t{sizeof(int)};
  }
  /// True for non-zero, read from an int (`n` = 4) or a byte (`n` = 1).
  /// Errors: errc::unexpected_option_size for any other length.
  [[nodiscard]] static result<bool> decode(const int& s, socklen_t n) noexcept {
    auto v = byte_or_int_codec<0, 1>::decode(s, n);
    if (!v) return fail(v.error());
    return *v != 0;
  }
};

/// An int within [Min, Max], checked before the kernel sees it (IP_TTL:
/// 1..255, or -1 for the default).
template <int Min, int Max>
struct ranged_int_codec {
  using value_type = int;    ///< `int` in [Min, Max], as callers read and write it.
  using storage_type = int;  ///< `int`, as setsockopt(2) takes it.
  /// Copy `v` into `s`; returns the option length, 4 bytes.
  /// Errors: errc::value_out_of_range (with `v` as its number) outside [Min, Max].
  [[nodiscard]] static result<socklen_t> encode(const int& v, int& s) noexcept {
    if (v < Min || v > Max) return fail(error(errc::value_out_of_range, "", "").with_number(v));
    s = v;
    return socklen_t{sizeof(int)};
  }
  /// The int the kernel wrote, as it is (not range-checked).
  /// Errors: errc::unexpected_option_size unless `n` is 4 bytes.
  [[nodiscard]] static result<int> decode(const int& s, socklen_t n) noexcept { return int_codec::decode(s, n); }
};

/// An interface index carried in network byte order (IP_UNICAST_IF).
struct be32_index_codec {
  using value_type = std::uint32_t;    ///< The interface index in host byte order, as callers read and write it.
  using storage_type = std::uint32_t;  ///< The index in network byte order, as IP_UNICAST_IF takes it (ip(7)).
  /// Store `v` in network byte order (htonl); returns the option length, 4 bytes. Never fails.
  [[nodiscard]] static result<socklen_t> encode(const std::uint32_t& v, std::uint32_t& s) noexcept {
    s = htonl(v);
    return socklen_t{sizeof(std::uint32_t)};
  }
  /// The index in host byte order (ntohl). Errors: errc::unexpected_option_size unless `n` is 4
  /// bytes.
  [[nodiscard]] static result<std::uint32_t> decode(const std::uint32_t& s, socklen_t n) noexcept {
    if (n != sizeof(std::uint32_t)) return fail(detail::bad_size(n));
    return ntohl(s);
  }
};

/// errno as a std::error_code (SO_ERROR); 0 reads as an empty error_code.
struct errno_codec {
  using value_type = std::error_code;  ///< `std::error_code` in the system category; empty for 0.
  using storage_type = int;            ///< The errno as an `int`, as getsockopt(2) gives it.
  /// Store `v`'s value; returns the option length, 4 bytes. Never fails (SO_ERROR is read-only:
  /// the kernel refuses the set).
  [[nodiscard]] static result<socklen_t> encode(const std::error_code& v, int& s) noexcept {
    s = v.value();
    return socklen_t{sizeof(int)};
  }
  /// The pending error, cleared by the kernel as it is read (socket(7), SO_ERROR).
  /// Errors: errc::unexpected_option_size unless `n` is 4 bytes.
  [[nodiscard]] static result<std::error_code> decode(const int& s, socklen_t n) noexcept {
    if (n != sizeof(int)) return fail(detail::bad_size(n));
    return s == 0 ? std::error_code() : std::error_code(s, std::system_category());
  }
};

/// An interface name (SO_BINDTODEVICE). An empty name unbinds.
struct interface_name_codec {
  using value_type = interface_name;  ///< core::interface_name (at most 15 bytes), as callers read and write it.
  /// The name's bytes, IFNAMSIZ (16) at most, as SO_BINDTODEVICE takes them.
  using storage_type = std::array<char, IFNAMSIZ>;
  /// Copy the name without its NUL; returns its length in bytes (0 unbinds, socket(7)). Never
  /// fails.
  [[nodiscard]] static result<socklen_t> encode(const interface_name& v, storage_type& s) noexcept {
    std::memcpy(s.data(), v.c_str(), v.size());
    return static_cast<socklen_t>(v.size());
  }
  /// The name up to the first NUL of the `n` bytes written (empty: not bound).
  /// Errors: errc::unexpected_option_size when `n` exceeds IFNAMSIZ; the errors of
  /// interface_name::make.
  [[nodiscard]] static result<interface_name> decode(const storage_type& s, socklen_t n) noexcept {
    if (n > static_cast<socklen_t>(s.size())) return fail(detail::bad_size(n));
    std::size_t len = 0;
    while (len < static_cast<std::size_t>(n) && s[len] != '\0') ++len;
    return interface_name::make(std::string_view(s.data(), len));
  }
};

/// SO_TIMESTAMPING flags (SOF_TIMESTAMPING_*). The kernel answers with the
/// flags alone (4 bytes) or, since Linux 5.14, with struct so_timestamping
/// (flags and bound PHC index, 8 bytes); both are accepted.
struct timestamping_codec {
  using value_type = std::uint32_t;  ///< The SOF_TIMESTAMPING_* bits, as callers read and write them.
  /// struct so_timestamping (Linux 5.14): the flags, then the PTP hardware clock index bound
  /// with SOF_TIMESTAMPING_BIND_PHC.
  struct storage_type {
    std::uint32_t flags;    ///< SOF_TIMESTAMPING_* bits
    std::int32_t bind_phc;  ///< PHC index; read only, never set by mcnet
  };
  /// Store the flags; returns the option length, 4 bytes (the flags-only form every kernel
  /// takes). Never fails.
  [[nodiscard]] static result<socklen_t> encode(const std::uint32_t& v, storage_type& s) noexcept {
    s.flags = v;
    return socklen_t{sizeof(std::uint32_t)};
  }
  /// The flags. Errors: errc::unexpected_option_size unless `n` is 4 or 8 bytes.
  [[nodiscard]] static result<std::uint32_t> decode(const storage_type& s, socklen_t n) noexcept {
    if (n != sizeof(std::uint32_t) && n != sizeof(storage_type)) return fail(detail::bad_size(n));
    return s.flags;
  }
};

/// A classic BPF program (SO_ATTACH_FILTER): 1 to BPF_MAXINSNS instructions.
/// The instructions must stay alive only for the duration of `set`.
struct bpf_program_codec {
  using value_type = std::span<const sock_filter>;  ///< The instructions, borrowed for the duration of the call.
  using storage_type = sock_fprog;  ///< struct sock_fprog: count and pointer to the instructions (linux/filter.h).
  /// Point `s` at the instructions; returns sizeof(sock_fprog).
  /// Errors: errc::value_out_of_range when there are 0 or more than BPF_MAXINSNS (4096)
  /// instructions.
  [[nodiscard]] static result<socklen_t> encode(const std::span<const sock_filter>& v, sock_fprog& s) noexcept {
    if (v.empty() || v.size() > BPF_MAXINSNS) {
      return fail(error(errc::value_out_of_range, "", "")
                      .with_number(static_cast<std::int64_t>(v.size()))
                      .with_hint("a classic BPF program has 1 to 4096 instructions"));
    }
    s.len = static_cast<unsigned short>(v.size());
    s.filter = const_cast<sock_filter*>(v.data());  // the kernel only reads it
    return socklen_t{sizeof(sock_fprog)};
  }
  /// Always fails with errc::unexpected_option_size: SO_ATTACH_FILTER cannot be read back
  /// (socket(7)).
  [[nodiscard]] static result<std::span<const sock_filter>> decode(const sock_fprog&, socklen_t n) noexcept {
    return fail(detail::bad_size(n));  // write-only: never read
  }
};

/// A socket's memory accounting (SO_MEMINFO, Linux 4.6; drops since 4.10):
/// what `ss -m` shows, read without a netlink dump.
struct socket_memory {
  std::uint32_t receive_allocated = 0;  ///< bytes queued for reading (SK_MEMINFO_RMEM_ALLOC)
  std::uint32_t receive_buffer = 0;     ///< the receive limit, as SO_RCVBUF reads
  std::uint32_t send_allocated = 0;     ///< bytes in flight from the send side
  std::uint32_t send_buffer = 0;        ///< the send limit, as SO_SNDBUF reads
  std::uint32_t forward_allocated = 0;  ///< memory reserved ahead
  std::uint32_t send_queued = 0;        ///< bytes queued to send (TCP)
  std::uint32_t option_memory = 0;      ///< charged to net.core.optmem_max (memberships, filters)
  std::uint32_t backlog = 0;            ///< bytes in the backlog while the socket is owned
  std::uint32_t drops = 0;              ///< datagrams dropped for lack of space, cumulative
};
/// Codec of SO_MEMINFO's array of SK_MEMINFO_* counters (u32 each), read only.
struct socket_memory_codec {
  using value_type = socket_memory;                    ///< core::socket_memory, as callers read it.
  using storage_type = std::array<std::uint32_t, 16>;  ///< room for fields newer kernels may append
  /// Always fails with errc::unexpected_option_size: SO_MEMINFO is read only.
  [[nodiscard]] static result<socklen_t> encode(const socket_memory&, storage_type&) noexcept {
    return fail(detail::bad_size(0));  // read-only: never written
  }
  /// The first nine counters (SK_MEMINFO_RMEM_ALLOC .. SK_MEMINFO_DROPS, Linux 4.10).
  /// Errors: errc::unexpected_option_size when `n` holds fewer than nine counters or is not a
  /// multiple of 4.
  [[nodiscard]] static result<socket_memory> decode(const storage_type& s, socklen_t n) noexcept {
    if (n < 9 * sizeof(std::uint32_t) || n % sizeof(std::uint32_t) != 0) return fail(detail::bad_size(n));
    return socket_memory{s[0], s[1], s[2], s[3], s[4], s[5], s[6], s[7], s[8]};
  }
};

/// No value at all (SO_DETACH_FILTER); the kernel ignores the int sent.
struct no_value_codec {
  using value_type = no_value;  ///< core::no_value: nothing to pass.
  using storage_type = int;     ///< `int`: the kernel wants an option length but ignores the value.
  /// Write 0; returns the option length, 4 bytes. Never fails.
  [[nodiscard]] static result<socklen_t> encode(const no_value&, int& s) noexcept {
    s = 0;
    return socklen_t{sizeof(int)};
  }
  /// Returns no_value; nothing is read (the option is write-only). Never fails.
  [[nodiscard]] static result<no_value> decode(const int&, socklen_t) noexcept { return no_value{}; }
};

}  // namespace mcnet::core
