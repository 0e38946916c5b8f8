// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The mcnet authors
#pragma once

/// @file
/// Level IPPROTO_TCP: the TCP options of tcp(7), one descriptor per option
/// (`core::opt::tcp_*`, listed in `opt::tcp_table`), and TCP_INFO decoded
/// (`core::read_tcp_info`). Use with `mcnet::core::get` / `mcnet::core::set`.
///
/// Times are `std::chrono` durations in the unit the kernel counts
/// (TCP_KEEPIDLE seconds, TCP_USER_TIMEOUT milliseconds), counts and sizes
/// are ints. Values outside the kernel's range are errc::value_out_of_range
/// before the call, where the kernel would refuse them (EINVAL) or silently
/// clamp them.
///
/// @code
///   namespace opt = mcnet::core::opt;
///   if (auto r = core::set(sock, opt::tcp_keep_idle, std::chrono::seconds(30)); !r) ...
///   core::tcp_connection_info info;
///   if (core::read_tcp_info(sock, info) && info.bytes_acked) std::cout << *info.bytes_acked;
/// @endcode

#include <mcnet/core/cxx20.hpp>  // first: C++20 or one clear error

#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sys/socket.h>

#include <array>
#include <chrono>
#include <climits>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <string_view>
#include <tuple>

#include <mcnet/core/codecs.hpp>
#include <mcnet/core/socket.hpp>
#include <mcnet/core/sockopt.hpp>
#include <mcnet/core/tcp_info.hpp>

namespace mcnet::core {

/// TCP_CA_NAME_MAX (include/net/tcp.h): bytes of a congestion-control name
/// with its NUL.
inline constexpr std::size_t tcp_ca_name_max = 16;

/// The name of a congestion-control algorithm ("cubic", "reno", "bbr"): at
/// most 15 bytes, held inline (no allocation).
class congestion_control_name {
 public:
  static constexpr std::size_t max_length = tcp_ca_name_max - 1;  ///< 15: TCP_CA_NAME_MAX less the NUL

  /// The empty name (what nothing was read into).
  constexpr congestion_control_name() noexcept = default;

  /// Errors: errc::value_out_of_range, with the name as input, when `name`
  /// is empty, longer than 15 bytes (the kernel would cut it and look up
  /// the stump) or holds a NUL.
  [[nodiscard]] static result<congestion_control_name> make(std::string_view name) noexcept {
    if (name.empty() || name.size() > max_length || name.find('\0') != std::string_view::npos) {
      return fail(error(errc::value_out_of_range, "parse", "congestion control")
                      .with_input(name)
                      .with_hint("a congestion-control name has 1 to 15 bytes (see "
                                 "net.ipv4.tcp_available_congestion_control)"));
    }
    congestion_control_name n;
    std::memcpy(n.chars_.data(), name.data(), name.size());
    n.size_ = static_cast<std::uint8_t>(name.size());
    return n;
  }

  /// The name, without its NUL.
  [[nodiscard]] constexpr std::string_view view() const noexcept { return {chars_.data(), size_}; }
  /// The name, NUL-terminated, for C calls.
  [[nodiscard]] constexpr const char* c_str() const noexcept { return chars_.data(); }
  /// Whether the name is empty.
  [[nodiscard]] constexpr bool empty() const noexcept { return size_ == 0; }

  /// Equal when the bytes are.
  friend constexpr bool operator==(const congestion_control_name& a, const congestion_control_name& b) noexcept {
    return a.view() == b.view();
  }

 private:
  std::array<char, tcp_ca_name_max> chars_{};
  std::uint8_t size_ = 0;
};

/// Codec of TCP_CONGESTION: the algorithm's name as bytes.
struct congestion_control_codec {
  using value_type = congestion_control_name;              ///< core::congestion_control_name
  using storage_type = std::array<char, tcp_ca_name_max>;  ///< the name, NUL-padded, as the kernel gives it
  /// Copy the name without its NUL; returns its length (the kernel reads at most 15 bytes and
  /// ends them itself). Never fails: the name was checked when made.
  [[nodiscard]] static result<socklen_t> encode(const congestion_control_name& v, storage_type& s) noexcept {
    std::memcpy(s.data(), v.view().data(), v.view().size());
    return static_cast<socklen_t>(v.view().size());
  }
  /// The name up to the first NUL of the `n` bytes written.
  /// Errors: errc::unexpected_option_size when `n` exceeds TCP_CA_NAME_MAX; the errors of
  /// congestion_control_name::make.
  [[nodiscard]] static result<congestion_control_name> decode(const storage_type& s, socklen_t n) noexcept {
    auto name = detail::name_before_nul(s, n);
    if (!name) return fail(name.error());
    return congestion_control_name::make(*name);
  }
};

namespace opt {

/// `TCP_NODELAY`: send segments at once instead of coalescing small writes
/// (Nagle's algorithm off). tcp(7).
inline constexpr sockopt<bool_codec> tcp_no_delay{IPPROTO_TCP, TCP_NODELAY, "TCP_NODELAY"};
/// `TCP_CORK`: hold partial segments until uncorked (or 200 ms passed), to
/// send headers and payload together. tcp(7).
inline constexpr sockopt<bool_codec> tcp_cork{IPPROTO_TCP, TCP_CORK, "TCP_CORK"};
/// `TCP_QUICKACK`: acknowledge at once rather than delayed; the kernel may
/// leave quick-ACK mode by itself later, so it is not permanent. tcp(7).
inline constexpr sockopt<bool_codec> tcp_quick_ack{IPPROTO_TCP, TCP_QUICKACK, "TCP_QUICKACK"};
/// `TCP_KEEPIDLE`: idle time before the first keepalive probe (with
/// SO_KEEPALIVE on), 1 to 32767 seconds (MAX_TCP_KEEPIDLE); outside it is
/// errc::value_out_of_range before the call (the kernel's EINVAL). tcp(7).
inline constexpr sockopt<duration_codec<std::chrono::seconds, 1, 32767>> tcp_keep_idle{IPPROTO_TCP, TCP_KEEPIDLE,
                                                                                         "TCP_KEEPIDLE"};
/// `TCP_KEEPINTVL`: time between keepalive probes, 1 to 32767 seconds
/// (MAX_TCP_KEEPINTVL), checked before the call. tcp(7).
inline constexpr sockopt<duration_codec<std::chrono::seconds, 1, 32767>> tcp_keep_interval{
    IPPROTO_TCP, TCP_KEEPINTVL, "TCP_KEEPINTVL"};
/// `TCP_KEEPCNT`: unanswered keepalive probes before the connection is
/// dropped, 1 to 127 (MAX_TCP_KEEPCNT), checked before the call. tcp(7).
inline constexpr sockopt<ranged_int_codec<1, 127>> tcp_keep_count{IPPROTO_TCP, TCP_KEEPCNT, "TCP_KEEPCNT"};
/// `TCP_USER_TIMEOUT` (Linux 2.6.37): how long sent data may stay
/// unacknowledged before the connection is dropped (ETIMEDOUT), in
/// milliseconds, 0 (the kernel's default) to INT_MAX; negative is
/// errc::value_out_of_range before the call. RFC 5482, tcp(7).
inline constexpr sockopt<duration_codec<std::chrono::milliseconds, 0, INT_MAX>> tcp_user_timeout{
    IPPROTO_TCP, TCP_USER_TIMEOUT, "TCP_USER_TIMEOUT"};
/// `TCP_FASTOPEN` (Linux 3.7): on a listener, the length of the queue of
/// Fast Open requests not yet accepted (0 to INT_MAX; reads back at most
/// net.core.somaxconn); set before listen(2) or on a listener, EINVAL
/// otherwise (a connected or connecting socket; the hint names
/// `TCP_FASTOPEN`). Read on a connected socket it is 0 (unless set on that
/// socket before it connected): the queue belongs to listeners, and an
/// accepted socket does not inherit its listener's. RFC 7413, tcp(7).
inline constexpr sockopt<ranged_int_codec<0, INT_MAX>> tcp_fastopen{IPPROTO_TCP, TCP_FASTOPEN, "TCP_FASTOPEN"};
/// `TCP_FASTOPEN_CONNECT` (Linux 4.11): connect(2) returns at once and the
/// first write goes in the SYN with a Fast Open cookie. Set before connect;
/// EOPNOTSUPP when net.ipv4.tcp_fastopen has no client bit. RFC 7413.
inline constexpr sockopt<bool_codec> tcp_fastopen_connect{IPPROTO_TCP, TCP_FASTOPEN_CONNECT, "TCP_FASTOPEN_CONNECT",
                                                          read_back::equal, needs::kernel_support};
/// `TCP_DEFER_ACCEPT`: a listener wakes accept(2) only when data arrived,
/// waiting up to this many seconds (0: off; negative is
/// errc::value_out_of_range before the call). The kernel keeps it as a count
/// of SYN-ACK retransmissions and reads back the seconds those cover (5 s
/// reads back 7 s: 1 + 2 + 4). tcp(7).
inline constexpr sockopt<duration_codec<std::chrono::seconds, 0, INT_MAX>> tcp_defer_accept{
    IPPROTO_TCP, TCP_DEFER_ACCEPT, "TCP_DEFER_ACCEPT", read_back::rounded};
/// `TCP_MAXSEG`: the largest segment sent, bytes: 0 (the path's) or 88 to
/// 32767 (TCP_MIN_MSS .. MAX_TCP_WINDOW), checked before the call; set before
/// connect. Reads back the value set until connected, then the MSS in use.
/// tcp(7).
inline constexpr sockopt<ranged_int_or_zero_codec<88, 32767>> tcp_max_segment{IPPROTO_TCP, TCP_MAXSEG,
                                                                               "TCP_MAXSEG"};
/// `TCP_WINDOW_CLAMP`: the largest receive window advertised, bytes, 0 (no
/// clamp; only before connect) to INT_MAX; the kernel raises a value below
/// half of SOCK_MIN_RCVBUF (about 1 KiB) to that. tcp(7).
inline constexpr sockopt<ranged_int_codec<0, INT_MAX>> tcp_window_clamp{IPPROTO_TCP, TCP_WINDOW_CLAMP,
                                                                        "TCP_WINDOW_CLAMP"};
/// `TCP_SYNCNT`: SYN retransmissions before connect gives up, 1 to 127
/// (MAX_TCP_SYNCNT), checked before the call; reads
/// net.ipv4.tcp_syn_retries until set. tcp(7).
inline constexpr sockopt<ranged_int_codec<1, 127>> tcp_syn_count{IPPROTO_TCP, TCP_SYNCNT, "TCP_SYNCNT"};
/// `TCP_LINGER2`: how long an orphaned connection stays in FIN-WAIT-2,
/// seconds: 1 to 120 (TCP_FIN_TIMEOUT_MAX; the kernel clamps above, mcnet
/// refuses), 0 for net.ipv4.tcp_fin_timeout (which it reads back), -1 s to
/// skip FIN-WAIT-2 and reset; other negatives are errc::value_out_of_range
/// before the call. tcp(7).
inline constexpr sockopt<duration_codec<std::chrono::seconds, -1, 120>> tcp_linger2{IPPROTO_TCP, TCP_LINGER2,
                                                                                     "TCP_LINGER2"};
/// `TCP_NOTSENT_LOWAT` (Linux 3.12): bytes not yet sent below which the
/// socket reports writable (0: net.ipv4.tcp_notsent_lowat). Documentation/networking/ip-sysctl.rst.
inline constexpr sockopt<uint32_codec> tcp_not_sent_low_water{IPPROTO_TCP, TCP_NOTSENT_LOWAT, "TCP_NOTSENT_LOWAT"};
/// `TCP_CONGESTION`: the congestion-control algorithm of this socket
/// (`core::congestion_control_name`, at most 15 bytes). An algorithm the
/// kernel does not have (nor can load) is the kernel's ENOENT naming
/// TCP_CONGESTION, with the name as the error's input and a hint; one
/// outside net.ipv4.tcp_allowed_congestion_control is EPERM without
/// CAP_NET_ADMIN, with the name as the input and a hint naming that sysctl
/// and the capability. tcp(7).
inline constexpr sockopt<congestion_control_codec> tcp_congestion{IPPROTO_TCP, TCP_CONGESTION, "TCP_CONGESTION"};
/// `TCP_INFO`: the connection's state and counters, decoded
/// (`core::tcp_connection_info`). Read-only; see read_tcp_info. tcp(7).
inline constexpr sockopt<tcp_info_codec, access::read_only> tcp_info{IPPROTO_TCP, TCP_INFO, "TCP_INFO"};

/// Every IPPROTO_TCP descriptor, for tools that list a socket's options and
/// for the tests that walk the table.
inline constexpr auto tcp_table =
    std::tie(tcp_no_delay, tcp_cork, tcp_quick_ack, tcp_keep_idle, tcp_keep_interval, tcp_keep_count,
             tcp_user_timeout, tcp_fastopen, tcp_fastopen_connect, tcp_defer_accept, tcp_max_segment,
             tcp_window_clamp, tcp_syn_count, tcp_linger2, tcp_not_sent_low_water, tcp_congestion, tcp_info);

}  // namespace opt

/// Read TCP_INFO of `s` into `out`, decoded; no allocation. Fields the
/// kernel's answer does not reach (an older kernel's shorter struct) are
/// std::nullopt. Errors: getsockopt's errno naming TCP_INFO (EOPNOTSUPP or
/// ENOPROTOOPT: not a TCP socket), errc::unexpected_option_size for an
/// answer shorter than 104 bytes. tcp(7).
[[nodiscard]] inline result<void> read_tcp_info(socket_ref s, tcp_connection_info& out) noexcept {
  tcp_info_bytes raw{};
  auto n = detail::get_raw(s.native_handle(), opt::tcp_info, &raw, sizeof raw);
  if (!n) return fail(n.error());
  if (auto r = detail::decode_tcp_info(raw, *n, out); !r) {
    return fail(detail::annotate(r.error(), "getsockopt", opt::tcp_info));
  }
  return {};
}

}  // namespace mcnet::core
