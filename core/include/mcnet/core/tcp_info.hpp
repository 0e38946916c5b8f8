// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The mcnet authors
#pragma once

/// @file
/// TCP_INFO decoded: `core::tcp_connection_info`, what `ss -ti` shows of one
/// connection, read with `core::read_tcp_info` (tcp_options.hpp) or
/// `core::get(s, opt::tcp_info)`. This header includes no kernel TCP header
/// (neither <netinet/tcp.h> nor <linux/tcp.h>, which conflict), so it can be
/// included next to either. tcp(7), include/uapi/linux/tcp.h.

#include <mcnet/core/cxx20.hpp>  // first: C++20 or one clear error

#include <sys/socket.h>

#include <array>
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <optional>

#include <mcnet/core/codecs.hpp>
#include <mcnet/core/error.hpp>

namespace mcnet::core {

/// A TCP connection's state (tcpi_state), numbered as the kernel numbers
/// them (include/net/tcp_states.h). A number the kernel adds later stays
/// readable as its value.
enum class tcp_state : std::uint8_t {
  established = 1,  ///< TCP_ESTABLISHED
  syn_sent,         ///< TCP_SYN_SENT
  syn_received,     ///< TCP_SYN_RECV
  fin_wait1,        ///< TCP_FIN_WAIT1
  fin_wait2,        ///< TCP_FIN_WAIT2
  time_wait,        ///< TCP_TIME_WAIT
  close,            ///< TCP_CLOSE: not connected (a fresh or closed socket)
  close_wait,       ///< TCP_CLOSE_WAIT
  last_ack,         ///< TCP_LAST_ACK
  listen,           ///< TCP_LISTEN
  closing,          ///< TCP_CLOSING
  new_syn_received, ///< TCP_NEW_SYN_RECV (request sockets; not seen through getsockopt)
  bound_inactive,   ///< TCP_BOUND_INACTIVE (Linux 6.8: bound, never listened or connected)
};

/// The sender's congestion-avoidance state (tcpi_ca_state, enum tcp_ca_state
/// of include/uapi/linux/tcp.h).
enum class tcp_ca_state : std::uint8_t {
  open = 0,      ///< TCP_CA_Open: nothing bad seen recently
  disorder = 1,  ///< TCP_CA_Disorder: duplicate ACKs or SACKs seen
  cwr = 2,       ///< TCP_CA_CWR: window reduced after ECN or local congestion
  recovery = 3,  ///< TCP_CA_Recovery: fast recovery
  loss = 4,      ///< TCP_CA_Loss: recovery after a retransmission timeout
};

/// The options negotiated on the connection (tcpi_options, TCPI_OPT_*).
struct tcp_negotiated_options {
  bool timestamps = false;      ///< TCPI_OPT_TIMESTAMPS: RFC 7323 timestamps
  bool sack = false;            ///< TCPI_OPT_SACK: selective acknowledgments (RFC 2018)
  bool window_scaling = false;  ///< TCPI_OPT_WSCALE: window scaling (RFC 7323)
  bool ecn = false;             ///< TCPI_OPT_ECN: ECN negotiated (RFC 3168)
  bool ecn_seen = false;        ///< TCPI_OPT_ECN_SEEN: at least one ECT packet received
  bool syn_data = false;        ///< TCPI_OPT_SYN_DATA: data in the SYN acknowledged (TCP Fast Open)

  /// Equal when every flag is.
  friend constexpr bool operator==(const tcp_negotiated_options&, const tcp_negotiated_options&) noexcept = default;
};

/// One connection's TCP_INFO, decoded. The fields up to `total_retransmits`
/// are in every kernel's answer (104 bytes); the later ones came with later
/// kernels and are `std::nullopt` ("absent") when the kernel's answer is too
/// short to hold them, never a guess. Times are microseconds, rates bytes
/// per second, sizes bytes, windows and counts segments unless said.
struct tcp_connection_info {
  /// Bytes of struct tcp_info the kernel returned (the decoder reads at most
  /// what this mcnet knows; a newer kernel's extra fields are ignored).
  std::size_t kernel_length = 0;

  tcp_state state = tcp_state::close;           ///< tcpi_state
  tcp_ca_state ca_state = tcp_ca_state::open;  ///< tcpi_ca_state
  /// tcpi_retransmits: retransmission timeouts in a row for the oldest unacknowledged segment.
  std::uint8_t retransmits = 0;
  std::uint8_t probes = 0;                      ///< tcpi_probes: zero-window probes sent unanswered
  std::uint8_t backoff = 0;                     ///< tcpi_backoff: the RTO's exponential backoff
  tcp_negotiated_options options{};             ///< tcpi_options
  std::uint8_t send_window_scale = 0;           ///< tcpi_snd_wscale: the peer's window-scale shift
  std::uint8_t receive_window_scale = 0;        ///< tcpi_rcv_wscale: our window-scale shift

  std::chrono::microseconds rto{};              ///< tcpi_rto: retransmission timeout
  std::chrono::microseconds ato{};              ///< tcpi_ato: delayed-ACK timeout
  std::uint32_t send_mss = 0;                   ///< tcpi_snd_mss: bytes
  std::uint32_t receive_mss = 0;                ///< tcpi_rcv_mss: bytes (an estimate)
  std::uint32_t unacked = 0;                    ///< tcpi_unacked: segments sent, not yet acknowledged
  std::uint32_t sacked = 0;                     ///< tcpi_sacked: segments selectively acknowledged
  std::uint32_t lost = 0;                       ///< tcpi_lost: segments presumed lost
  std::uint32_t retransmitted = 0;              ///< tcpi_retrans: segments retransmitted, still unacknowledged
  std::chrono::milliseconds last_data_sent{};   ///< tcpi_last_data_sent: since the last data sent
  std::chrono::milliseconds last_data_received{};  ///< tcpi_last_data_recv: since the last data received
  std::chrono::milliseconds last_ack_received{};   ///< tcpi_last_ack_recv: since the last ACK received
  std::uint32_t path_mtu = 0;                   ///< tcpi_pmtu: bytes
  std::uint32_t receive_slow_start_threshold = 0;  ///< tcpi_rcv_ssthresh: bytes
  std::chrono::microseconds rtt{};              ///< tcpi_rtt: smoothed round-trip time (0 before any sample)
  std::chrono::microseconds rtt_variance{};     ///< tcpi_rttvar: its mean deviation
  std::uint32_t send_slow_start_threshold = 0;  ///< tcpi_snd_ssthresh: segments
  std::uint32_t send_congestion_window = 0;     ///< tcpi_snd_cwnd: segments
  std::uint32_t advertised_mss = 0;             ///< tcpi_advmss: bytes
  std::uint32_t reordering = 0;                 ///< tcpi_reordering: segments of reordering tolerated
  std::chrono::microseconds receive_rtt{};      ///< tcpi_rcv_rtt: the receiver's RTT estimate
  std::uint32_t receive_space = 0;              ///< tcpi_rcv_space: bytes (receive buffer auto-tuning)
  std::uint32_t total_retransmits = 0;          ///< tcpi_total_retrans: segments retransmitted, ever

  // Linux 3.15
  std::optional<std::uint64_t> pacing_rate;      ///< tcpi_pacing_rate: bytes/s
  std::optional<std::uint64_t> max_pacing_rate;  ///< tcpi_max_pacing_rate: bytes/s (SO_MAX_PACING_RATE)
  // Linux 4.1 (RFC 4898)
  /// tcpi_bytes_acked: bytes the peer acknowledged. On the side that
  /// connected it counts the SYN as 1 byte (N bytes sent read N + 1); on the
  /// side that accepted, it does not.
  std::optional<std::uint64_t> bytes_acked;
  std::optional<std::uint64_t> bytes_received;  ///< tcpi_bytes_received: payload bytes received in order (no SYN)
  // Linux 4.2
  std::optional<std::uint32_t> segments_out;    ///< tcpi_segs_out: segments sent, retransmissions and pure ACKs too
  std::optional<std::uint32_t> segments_in;     ///< tcpi_segs_in: segments received
  // Linux 4.6
  std::optional<std::uint32_t> not_sent_bytes;  ///< tcpi_notsent_bytes: bytes queued, never sent
  std::optional<std::chrono::microseconds> min_rtt;  ///< tcpi_min_rtt: the windowed minimum RTT
  std::optional<std::uint32_t> data_segments_in;     ///< tcpi_data_segs_in: segments with payload received
  std::optional<std::uint32_t> data_segments_out;    ///< tcpi_data_segs_out: segments with payload sent
  // Linux 4.9
  std::optional<std::uint64_t> delivery_rate;  ///< tcpi_delivery_rate: bytes/s of the latest sample
  /// tcpi_delivery_rate_app_limited: the sample was limited by the
  /// application (not enough data to send), not by the network.
  std::optional<bool> delivery_rate_app_limited;
  // Linux 4.19
  std::optional<std::uint64_t> bytes_sent;           ///< tcpi_bytes_sent: payload bytes sent, retransmissions too
  std::optional<std::uint64_t> bytes_retransmitted;  ///< tcpi_bytes_retrans: payload bytes retransmitted
  // Linux 5.4
  std::optional<std::uint32_t> send_window;  ///< tcpi_snd_wnd: the peer's advertised window, scaled, bytes
};

/// The bytes of a TCP_INFO answer, aligned for the kernel's struct: room for
/// everything this mcnet decodes and some of what newer kernels append.
struct tcp_info_bytes {
  alignas(8) std::array<std::byte, 256> bytes;  ///< as getsockopt(2) wrote them
};

namespace detail {
/// Decode `n` bytes of a TCP_INFO answer into `out` (reset first, so absent
/// fields are std::nullopt). Errors: errc::unexpected_option_size when `n`
/// is shorter than the 104 bytes every kernel returns.
[[nodiscard]] result<void> decode_tcp_info(const tcp_info_bytes& raw, socklen_t n, tcp_connection_info& out) noexcept;
}  // namespace detail

/// Codec of TCP_INFO (read only): the answer decoded into a
/// core::tcp_connection_info.
struct tcp_info_codec {
  using value_type = tcp_connection_info;  ///< core::tcp_connection_info, as callers read it.
  using storage_type = tcp_info_bytes;     ///< the kernel's struct tcp_info, as bytes
  /// Always fails with errc::unexpected_option_size: TCP_INFO is read only.
  [[nodiscard]] static result<socklen_t> encode(const tcp_connection_info&, tcp_info_bytes&) noexcept {
    return fail(detail::bad_size(0));  // read-only: never written
  }
  /// The decoded connection. Errors: as detail::decode_tcp_info.
  [[nodiscard]] static result<tcp_connection_info> decode(const tcp_info_bytes& s, socklen_t n) noexcept {
    tcp_connection_info info;
    if (auto r = detail::decode_tcp_info(s, n, info); !r) return fail(r.error());
    return info;
  }
};

}  // namespace mcnet::core
