// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The mcnet authors
#pragma once

/// @file
/// mcast-recv's streams (docs/tools.md, "Receiver statistics"): a stream is (group,
/// port, source, sender id, session) for datagrams with the header, and
/// (group, port, source) for foreign ones. A restarted sender has a new
/// session, so it is a new stream, never duplicates.

#include <chrono>
#include <compare>
#include <cstdint>
#include <map>
#include <optional>
#include <span>
#include <string_view>

#include <mcnet/core/control.hpp>
#include <mcnet/core/ip_address.hpp>
#include <mcnet/feed/histogram.hpp>
#include <mcnet/feed/jitter.hpp>
#include <mcnet/feed/sequence.hpp>
#include <mcnet/feed/test_header.hpp>

namespace mcnet::tools {

struct stream_key {
  core::ip_address group{};
  std::uint16_t port = 0;
  core::ip_address source{};
  bool foreign = false;  ///< no header: sender id and session are 0
  std::uint32_t sender_id = 0;
  std::uint32_t session = 0;
  friend auto operator<=>(const stream_key&, const stream_key&) = default;
};

struct stream {
  std::uint64_t packets = 0;
  std::uint64_t bytes = 0;
  int ttl = -1;  ///< last TTL / hop limit seen
  int tos = -1;  ///< last TOS / traffic class byte seen
  feed::sequence_tracker sequence;  ///< unused for foreign streams
  feed::histogram latency;          ///< kernel receive time - send time, ns
  feed::jitter interarrival;
  std::optional<double> first_packet_ms;  ///< after the join of its group
  bool ended = false;                     ///< an END marker arrived
  std::uint32_t interface_index = 0;      ///< where the last datagram arrived; 0 when unknown
  std::optional<core::kernel_time> last_packet;  ///< arrival of the latest datagram counted (END markers are not)
};

/// The payload protocol of a stream as reports and the metrics' `payload`
/// label name it (docs/tools.md, "Metrics"): "mcnet" for datagrams with the
/// tool's wire header, "raw" for foreign ones. The one place that names it.
[[nodiscard]] std::string_view payload_name(const stream_key& key, const stream& s) noexcept;

/// What add() made of one datagram (for --show-packets).
struct accounted {
  std::optional<feed::test_header> header;       ///< none: a foreign packet
  std::optional<std::int64_t> latency_ns;  ///< arrival - send time, with a header
  bool untracked = false;                  ///< a new stream past the table's limit: counted in untracked() only
  [[nodiscard]] bool is_end() const noexcept { return header && header->is_end(); }
};

struct totals {
  std::uint64_t packets = 0, bytes = 0, lost = 0, reordered = 0, duplicates = 0;
};

class stream_table {
 public:
  /// Streams kept by default: each holds ~25 KB (a 65,536-number sequence
  /// window and a 2,048-bucket histogram), so a sender that changes its id
  /// or session per datagram cannot grow the table past ~100 MB.
  static constexpr std::size_t default_max_streams = 4096;

  explicit stream_table(std::size_t max_streams = default_max_streams) : max_streams_(max_streams) {}

  /// Remember when `group`:`port` was first joined (for first_packet_ms);
  /// later joins of it (more sources, other interfaces) keep the first time.
  void joined(const core::ip_address& group, std::uint16_t port, core::kernel_time when);

  /// Account one datagram. `arrival` is the kernel receive time (or the
  /// wall clock when no timestamp came); ttl/tos may be -1; `interface_index`
  /// is the ingress interface (IP_PKTINFO), 0 when unknown.
  accounted add(const core::ip_address& group, std::uint16_t port, const core::ip_address& source,
                std::span<const std::byte> payload, core::kernel_time arrival, int ttl, int tos,
                std::uint32_t interface_index = 0);

  [[nodiscard]] const std::map<stream_key, stream>& streams() const noexcept { return streams_; }
  /// Datagrams (END markers included) of streams not kept because the table
  /// was full; they are in no stream and no total.
  [[nodiscard]] std::uint64_t untracked() const noexcept { return untracked_; }
  [[nodiscard]] totals sum() const noexcept;
  /// lost / (packets + lost) over the streams with headers; 0 when none.
  [[nodiscard]] double loss_ratio() const noexcept;

 private:
  std::size_t max_streams_;
  std::uint64_t untracked_ = 0;
  std::map<stream_key, stream> streams_;
  std::map<std::pair<core::ip_address, std::uint16_t>, core::kernel_time> joins_;
};

}  // namespace mcnet::tools
