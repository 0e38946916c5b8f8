// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The mcnet authors
//
// TCP_INFO's decoder. The only file that includes <linux/tcp.h>: its struct
// tcp_info is the kernel's (glibc's <netinet/tcp.h> stops at
// tcpi_total_retrans, and the two headers cannot be included together), and
// a field is read only when the kernel's answer reaches its end.

#include <mcnet/core/tcp_info.hpp>

#include <linux/tcp.h>

#include <algorithm>
#include <cstddef>
#include <cstring>

namespace mcnet::core::detail {
namespace {

static_assert(sizeof(::tcp_info) <= sizeof(tcp_info_bytes::bytes), "room for every field this decoder reads");
static_assert(alignof(::tcp_info) <= alignof(tcp_info_bytes));

// Every kernel since 2.6.x returns at least up to tcpi_total_retrans.
constexpr std::size_t base_length = offsetof(::tcp_info, tcpi_total_retrans) + sizeof(::tcp_info::tcpi_total_retrans);
static_assert(base_length == 104);

}  // namespace

result<void> decode_tcp_info(const tcp_info_bytes& raw, socklen_t n, tcp_connection_info& out) noexcept {
  out = tcp_connection_info{};
  if (n < base_length) return fail(bad_size(n));
  const std::size_t length = n;
  ::tcp_info k{};
  std::memcpy(&k, raw.bytes.data(), std::min(length, sizeof k));
  // Whether the answer holds the whole field that ends at `end`.
  const auto holds = [length](std::size_t end) noexcept { return length >= end; };
#define MCNET_TCPI_END(field) (offsetof(::tcp_info, field) + sizeof(::tcp_info::field))

  out.kernel_length = length;
  out.state = static_cast<tcp_state>(k.tcpi_state);
  out.ca_state = static_cast<tcp_ca_state>(k.tcpi_ca_state);
  out.retransmits = k.tcpi_retransmits;
  out.probes = k.tcpi_probes;
  out.backoff = k.tcpi_backoff;
  out.options = {(k.tcpi_options & TCPI_OPT_TIMESTAMPS) != 0, (k.tcpi_options & TCPI_OPT_SACK) != 0,
                 (k.tcpi_options & TCPI_OPT_WSCALE) != 0,     (k.tcpi_options & TCPI_OPT_ECN) != 0,
                 (k.tcpi_options & TCPI_OPT_ECN_SEEN) != 0,   (k.tcpi_options & TCPI_OPT_SYN_DATA) != 0};
  out.send_window_scale = k.tcpi_snd_wscale;
  out.receive_window_scale = k.tcpi_rcv_wscale;
  out.rto = std::chrono::microseconds(k.tcpi_rto);
  out.ato = std::chrono::microseconds(k.tcpi_ato);
  out.send_mss = k.tcpi_snd_mss;
  out.receive_mss = k.tcpi_rcv_mss;
  out.unacked = k.tcpi_unacked;
  out.sacked = k.tcpi_sacked;
  out.lost = k.tcpi_lost;
  out.retransmitted = k.tcpi_retrans;
  out.last_data_sent = std::chrono::milliseconds(k.tcpi_last_data_sent);
  out.last_data_received = std::chrono::milliseconds(k.tcpi_last_data_recv);
  out.last_ack_received = std::chrono::milliseconds(k.tcpi_last_ack_recv);
  out.path_mtu = k.tcpi_pmtu;
  out.receive_slow_start_threshold = k.tcpi_rcv_ssthresh;
  out.rtt = std::chrono::microseconds(k.tcpi_rtt);
  out.rtt_variance = std::chrono::microseconds(k.tcpi_rttvar);
  out.send_slow_start_threshold = k.tcpi_snd_ssthresh;
  out.send_congestion_window = k.tcpi_snd_cwnd;
  out.advertised_mss = k.tcpi_advmss;
  out.reordering = k.tcpi_reordering;
  out.receive_rtt = std::chrono::microseconds(k.tcpi_rcv_rtt);
  out.receive_space = k.tcpi_rcv_space;
  out.total_retransmits = k.tcpi_total_retrans;

  if (holds(MCNET_TCPI_END(tcpi_pacing_rate))) out.pacing_rate = k.tcpi_pacing_rate;
  if (holds(MCNET_TCPI_END(tcpi_max_pacing_rate))) out.max_pacing_rate = k.tcpi_max_pacing_rate;
  if (holds(MCNET_TCPI_END(tcpi_bytes_acked))) out.bytes_acked = k.tcpi_bytes_acked;
  if (holds(MCNET_TCPI_END(tcpi_bytes_received))) out.bytes_received = k.tcpi_bytes_received;
  if (holds(MCNET_TCPI_END(tcpi_segs_out))) out.segments_out = k.tcpi_segs_out;
  if (holds(MCNET_TCPI_END(tcpi_segs_in))) out.segments_in = k.tcpi_segs_in;
  if (holds(MCNET_TCPI_END(tcpi_notsent_bytes))) out.not_sent_bytes = k.tcpi_notsent_bytes;
  if (holds(MCNET_TCPI_END(tcpi_min_rtt))) out.min_rtt = std::chrono::microseconds(k.tcpi_min_rtt);
  if (holds(MCNET_TCPI_END(tcpi_data_segs_in))) out.data_segments_in = k.tcpi_data_segs_in;
  if (holds(MCNET_TCPI_END(tcpi_data_segs_out))) out.data_segments_out = k.tcpi_data_segs_out;
  // The app-limited bit sits in what was padding before Linux 4.9: it means
  // something only when the rate it qualifies is there.
  if (holds(MCNET_TCPI_END(tcpi_delivery_rate))) {
    out.delivery_rate = k.tcpi_delivery_rate;
    out.delivery_rate_app_limited = k.tcpi_delivery_rate_app_limited != 0;
  }
  if (holds(MCNET_TCPI_END(tcpi_bytes_sent))) out.bytes_sent = k.tcpi_bytes_sent;
  if (holds(MCNET_TCPI_END(tcpi_bytes_retrans))) out.bytes_retransmitted = k.tcpi_bytes_retrans;
  if (holds(MCNET_TCPI_END(tcpi_snd_wnd))) out.send_window = k.tcpi_snd_wnd;
#undef MCNET_TCPI_END
  return {};
}

}  // namespace mcnet::core::detail
