// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The mcnet authors
#pragma once

/// @file
/// Codecs for the option layer (see sockopt.hpp). Each decodes only the
/// lengths the kernel really returns; anything else is
/// errc::unexpected_option_size rather than a guess.

#include <mcnet/core/cxx20.hpp>  // first: C++20 or one clear error

#include <arpa/inet.h>
#include <linux/filter.h>
#include <sys/socket.h>

#include <sys/time.h>
#include <sys/types.h>

#include <array>
#include <cerrno>
#include <chrono>
#include <climits>
#include <cstdint>
#include <cstring>
#include <limits>
#include <span>
#include <string_view>
#include <system_error>
#include <type_traits>
#include <utility>

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
/// The name in a NUL-padded answer of `n` bytes (SO_BINDTODEVICE, TCP_CONGESTION): the bytes
/// before the first NUL. Errors: errc::unexpected_option_size when `n` exceeds the storage.
template <std::size_t N>
[[nodiscard]] result<std::string_view> name_before_nul(const std::array<char, N>& s, socklen_t n) noexcept {
  if (n > static_cast<socklen_t>(N)) return fail(bad_size(n));
  std::size_t len = 0;
  while (len < static_cast<std::size_t>(n) && s[len] != '\0') ++len;
  return std::string_view(s.data(), len);
}

/// The decimal digits of `v`, its sign included.
[[nodiscard]] constexpr std::size_t decimal_size(long long v) noexcept {
  std::size_t n = v < 0 ? 2 : 1;
  unsigned long long u = v < 0 ? 0ULL - static_cast<unsigned long long>(v) : static_cast<unsigned long long>(v);
  while (u >= 10) {
    u /= 10;
    ++n;
  }
  return n;
}

/// The hint of a value outside [Min, Max] (in `Unit`, " seconds", or none),
/// spelt at compile time so that the error keeps a static string: "the
/// kernel takes 1 to 32767 seconds", or "... 0 or 88 to 32767" with `Zero`.
template <long long Min, long long Max, const std::string_view& Unit, bool Zero = false>
struct range_hint {
  /// The words before the range.
  static constexpr std::string_view lead = Zero ? "the kernel takes 0 or " : "the kernel takes ";
  /// The hint's length in bytes.
  static constexpr std::size_t size = lead.size() + decimal_size(Min) + 4 + decimal_size(Max) + Unit.size();
  /// The hint's characters (not NUL-terminated).
  static constexpr std::array<char, size> text = [] {
    std::array<char, size> out{};
    std::size_t at = 0;
    const auto put = [&](std::string_view piece) {
      for (char c : piece) out[at++] = c;
    };
    const auto number = [&](long long v) {
      const std::size_t n = decimal_size(v);
      unsigned long long u = v < 0 ? 0ULL - static_cast<unsigned long long>(v) : static_cast<unsigned long long>(v);
      if (v < 0) out[at] = '-';
      for (std::size_t i = n; i-- > (v < 0 ? 1U : 0U);) {
        out[at + i] = static_cast<char>('0' + u % 10);
        u /= 10;
      }
      at += n;
    };
    put(lead);
    number(Min);
    put(" to ");
    number(Max);
    put(Unit);
    return out;
  }();
  /// The hint.
  static constexpr std::string_view view{text.data(), size};
};

/// range_hint's unit for plain numbers: none.
inline constexpr std::string_view no_unit{};
/// range_hint's unit for options counted in seconds.
inline constexpr std::string_view seconds_unit{" seconds"};
/// range_hint's unit for options counted in milliseconds.
inline constexpr std::string_view milliseconds_unit{" milliseconds"};

/// The unit of a duration codec's hint: seconds or milliseconds (the units the kernel's options count).
template <class Duration>
constexpr const std::string_view& unit_of() noexcept {
  if constexpr (std::is_same_v<typename Duration::period, std::milli>) {
    return milliseconds_unit;
  } else if constexpr (std::is_same_v<typename Duration::period, std::ratio<1>>) {
    return seconds_unit;
  } else {
    return no_unit;
  }
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
    if (v < Min || v > Max) {
      return fail(error(errc::value_out_of_range, "", "")
                      .with_number(v)
                      .with_hint(detail::range_hint<Min, Max, detail::no_unit>::view));
    }
    s = v;
    return socklen_t{sizeof(int)};
  }
  /// The int the kernel wrote, as it is (not range-checked).
  /// Errors: errc::unexpected_option_size unless `n` is 4 bytes.
  [[nodiscard]] static result<int> decode(const int& s, socklen_t n) noexcept { return int_codec::decode(s, n); }
};

/// An int that is either 0 (the kernel's default) or within [Min, Max],
/// checked before the kernel sees it (TCP_MAXSEG: 0, or 88 to 32767 bytes).
template <int Min, int Max>
struct ranged_int_or_zero_codec {
  using value_type = int;    ///< `int`: 0 or in [Min, Max], as callers read and write it.
  using storage_type = int;  ///< `int`, as setsockopt(2) takes it.
  /// Copy `v` into `s`; returns the option length, 4 bytes.
  /// Errors: errc::value_out_of_range (with `v` as its number) unless `v` is 0 or in [Min, Max].
  [[nodiscard]] static result<socklen_t> encode(const int& v, int& s) noexcept {
    if (v == 0) return int_codec::encode(v, s);
    auto r = ranged_int_codec<Min, Max>::encode(v, s);
    if (r) return r;
    auto e = r.error();
    e.with_hint(detail::range_hint<Min, Max, detail::no_unit, true>::view);
    return fail(e);
  }
  /// The int the kernel wrote, as it is. Errors: errc::unexpected_option_size unless `n` is 4 bytes.
  [[nodiscard]] static result<int> decode(const int& s, socklen_t n) noexcept { return int_codec::decode(s, n); }
};

/// A time the kernel takes as a C `int` counting whole `Duration` units
/// (TCP_KEEPIDLE: seconds; TCP_USER_TIMEOUT: milliseconds), within [Min, Max]
/// of those units, checked before the kernel sees it. Callers pass any
/// `std::chrono` duration that converts to `Duration` without loss.
template <class Duration, long long Min, long long Max>
  requires(Min >= INT_MIN && Max <= INT_MAX && Min <= Max)
struct duration_codec {
  using value_type = Duration;  ///< The time, as a `std::chrono` duration.
  using storage_type = int;     ///< `int`, the count of units, as setsockopt(2) takes it.
  /// Store the count; returns the option length, 4 bytes.
  /// Errors: errc::value_out_of_range (with the count as its number) outside [Min, Max].
  [[nodiscard]] static result<socklen_t> encode(const Duration& v, int& s) noexcept {
    const auto count = v.count();
    if (count < Min || count > Max) {
      return fail(error(errc::value_out_of_range, "", "")
                      .with_number(static_cast<std::int64_t>(count))
                      .with_hint(detail::range_hint<Min, Max, detail::unit_of<Duration>()>::view));
    }
    s = static_cast<int>(count);
    return socklen_t{sizeof(int)};
  }
  /// The time the kernel holds. Errors: errc::unexpected_option_size unless `n` is 4 bytes.
  [[nodiscard]] static result<Duration> decode(const int& s, socklen_t n) noexcept {
    if (n != sizeof(int)) return fail(detail::bad_size(n));
    return Duration(s);
  }
};

/// A timeout carried as `struct timeval` (SO_RCVTIMEO, SO_SNDTIMEO), as
/// microseconds; 0 means no timeout (block for ever). socket(7).
struct timeval_codec {
  using value_type = std::chrono::microseconds;  ///< The timeout; 0: none.
  using storage_type = ::timeval;                ///< struct timeval, as setsockopt(2) takes it.
  /// Split `v` into seconds and microseconds; returns sizeof(timeval).
  /// Errors: errc::value_out_of_range (with the microseconds as its number) for a negative
  /// time, which the kernel would silently take as 0 (no timeout at all), or one whose seconds
  /// do not fit `time_t`.
  [[nodiscard]] static result<socklen_t> encode(const std::chrono::microseconds& v, ::timeval& s) noexcept {
    const auto us = v.count();
    const auto seconds = us / 1'000'000;
    if (us < 0 || !std::in_range<time_t>(seconds)) {
      return fail(error(errc::value_out_of_range, "", "")
                      .with_number(static_cast<std::int64_t>(us))
                      .with_hint("a timeout is 0 (none) or a positive time"));
    }
    s.tv_sec = static_cast<time_t>(seconds);
    s.tv_usec = static_cast<suseconds_t>(us % 1'000'000);
    return socklen_t{sizeof(::timeval)};
  }
  /// The timeout the kernel holds, rounded by it to its clock tick (1/HZ s).
  /// A time longer than `std::chrono::microseconds::max()` (about 292,000
  /// years) reads as `microseconds::max()`: the kernel rounds a timeout up
  /// to its tick, so `microseconds::max()` itself, once set, reads back a
  /// little longer, and a raw setsockopt(2) may have set anything up to its
  /// own limit (sock_set_timeout: beyond it the kernel keeps "no limit", which
  /// reads as 0). Both are as good as for ever, and a caller that reads the
  /// timeout to put it back or to count down from it must not fail on them.
  /// Errors: errc::unexpected_option_size unless `n` is sizeof(timeval);
  /// errc::value_out_of_range for a negative time or microseconds of 1,000,000
  /// or more (no kernel writes either).
  [[nodiscard]] static result<std::chrono::microseconds> decode(const ::timeval& s, socklen_t n) noexcept {
    if (n != sizeof(::timeval)) return fail(detail::bad_size(n));
    using rep = std::chrono::microseconds::rep;
    if (s.tv_sec < 0 || s.tv_usec < 0 || s.tv_usec >= 1'000'000) {
      return fail(error(errc::value_out_of_range, "", "").with_number(static_cast<std::int64_t>(s.tv_sec)));
    }
    if (s.tv_sec > (std::numeric_limits<rep>::max() - s.tv_usec) / 1'000'000) return std::chrono::microseconds::max();
    return std::chrono::microseconds(static_cast<rep>(s.tv_sec) * 1'000'000 + s.tv_usec);
  }
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
    auto name = detail::name_before_nul(s, n);
    if (!name) return fail(name.error());
    return interface_name::make(*name);
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

/// What SO_LINGER says close(2) does with unsent data: with `on`, close
/// blocks up to `timeout` (whole seconds) while it is sent (0: reset the
/// connection at once); otherwise close returns at once and the kernel sends
/// in the background. socket(7).
struct linger {
  bool on = false;                   ///< l_onoff: whether close lingers
  std::chrono::seconds timeout{0};   ///< l_linger: how long close blocks, in whole seconds (0 to INT_MAX)

  /// Equal when both fields are.
  friend constexpr bool operator==(const linger&, const linger&) noexcept = default;
};
/// Codec of `struct linger` (SO_LINGER).
struct linger_codec {
  using value_type = linger;         ///< core::linger, as callers read and write it.
  using storage_type = ::linger;     ///< struct linger (l_onoff, l_linger in seconds), as setsockopt(2) takes it.
  /// Fill l_onoff and l_linger; returns sizeof(struct linger).
  /// Errors: errc::value_out_of_range (with the seconds as its number) for a timeout that is
  /// negative or does not fit an `int`.
  [[nodiscard]] static result<socklen_t> encode(const linger& v, ::linger& s) noexcept {
    const auto seconds = v.timeout.count();
    if (seconds < 0 || seconds > INT_MAX) {
      return fail(error(errc::value_out_of_range, "", "")
                      .with_number(static_cast<std::int64_t>(seconds))
                      .with_hint("the linger time is 0 to 2147483647 seconds"));
    }
    s.l_onoff = v.on ? 1 : 0;
    s.l_linger = static_cast<int>(seconds);
    return socklen_t{sizeof(::linger)};
  }
  /// Whether close lingers and for how long. The kernel keeps the last time
  /// set while lingering is off, and reads it back.
  /// Errors: errc::unexpected_option_size unless `n` is sizeof(struct linger).
  [[nodiscard]] static result<linger> decode(const ::linger& s, socklen_t n) noexcept {
    if (n != sizeof(::linger)) return fail(detail::bad_size(n));
    return linger{s.l_onoff != 0, std::chrono::seconds(s.l_linger)};
  }
};

/// Who is at the other end of a Unix socket (SO_PEERCRED): the process and
/// its user and group as they were when it called connect(2) or
/// socketpair(2). unix(7).
struct peer_credentials {
  pid_t pid = 0;  ///< the peer's process id (0: no peer)
  uid_t uid = 0;  ///< its effective user id then
  gid_t gid = 0;  ///< its effective group id then

  /// Equal when all three ids are.
  friend constexpr bool operator==(const peer_credentials&, const peer_credentials&) noexcept = default;
};
/// Codec of `struct ucred` (SO_PEERCRED), read only.
struct peer_credentials_codec {
  using value_type = peer_credentials;  ///< core::peer_credentials, as callers read it.
  using storage_type = ::ucred;         ///< struct ucred (pid, uid, gid), as getsockopt(2) gives it.
  /// Always fails with errc::unexpected_option_size: SO_PEERCRED is read only.
  [[nodiscard]] static result<socklen_t> encode(const peer_credentials&, ::ucred&) noexcept {
    return fail(detail::bad_size(0));  // read-only: never written
  }
  /// The peer's pid, uid and gid. Errors: errc::unexpected_option_size unless `n` is
  /// sizeof(struct ucred); ENOTCONN (`std::errc::not_connected`) for pid 0 with uid and gid
  /// (uid_t)-1, which the kernel answers without failing for a socket that has no peer
  /// credentials (an unconnected Unix socket, a TCP or UDP socket) and which no process has.
  [[nodiscard]] static result<peer_credentials> decode(const ::ucred& s, socklen_t n) noexcept {
    if (n != sizeof(::ucred)) return fail(detail::bad_size(n));
    if (s.pid == 0 && s.uid == static_cast<uid_t>(-1) && s.gid == static_cast<gid_t>(-1)) {
      return fail(error::from_errno(ENOTCONN, "", "")
                      .with_hint("the socket has no peer credentials: SO_PEERCRED needs a connected Unix socket "
                                 "(from connect, accept or socketpair)"));
    }
    return peer_credentials{s.pid, s.uid, s.gid};
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
