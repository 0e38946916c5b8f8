// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The mcnet authors
#pragma once

/// @file
/// What mcast-send sends, decided before it sends: the order of sequence
/// numbers with the fault injection of docs/tools.md applied, the rate, and the
/// TOS byte from a number or a DSCP name. Pure functions, tested on their own.

#include <cstdint>
#include <optional>
#include <string_view>

#include <mcnet/core/error.hpp>

namespace mcnet::tools {

/// Fault injection, each 0 (off) or K >= 2:
/// drop: sequence numbers m*K-1 are not sent; dup: they are sent twice;
/// reorder: m*K is sent just before m*K-1 (m >= 1, m*K < count).
struct faults {
  std::uint64_t drop_every = 0;
  std::uint64_t dup_every = 0;
  std::uint64_t reorder_every = 0;
};

/// Iterates the sequence numbers of one group's run in sending order.
class send_order {
 public:
  /// Errors: errc::value_out_of_range for K == 1 (every packet) or a count of 0.
  [[nodiscard]] static result<send_order> make(std::uint64_t count, const faults& f) noexcept;

  /// The next sequence number to send; std::nullopt at the end of the run.
  std::optional<std::uint64_t> next() noexcept { return next_before(UINT64_MAX); }
  /// The same, taken only from positions below `limit` (another order's
  /// issued(): a second line never runs ahead of the main one, even past
  /// numbers it drops itself); std::nullopt at the limit or the end.
  std::optional<std::uint64_t> next_before(std::uint64_t limit) noexcept;
  /// Whether the run is over: every position passed and no copy pending.
  [[nodiscard]] bool finished() const noexcept { return position_ >= count_ && !held_; }
  /// How many sequence numbers the run has passed so far, sent or dropped:
  /// what an END marker carries (the count of the run when it completed).
  [[nodiscard]] std::uint64_t issued() const noexcept { return position_; }
  /// How many datagrams the whole run sends (drops and duplicates counted),
  /// at most 2^64 - 1: computed, in constant time whatever the count.
  [[nodiscard]] std::uint64_t datagrams() const noexcept;
  /// Whether `seq` is one the run never sends (--drop-every).
  [[nodiscard]] bool dropped(std::uint64_t seq) const noexcept;

 private:
  send_order(std::uint64_t count, const faults& f) noexcept : count_(count), f_(f) {}
  [[nodiscard]] bool duplicated(std::uint64_t seq) const noexcept;
  /// The sequence number sent at position `p` of the run, reordering applied.
  [[nodiscard]] std::uint64_t at(std::uint64_t p) const noexcept;

  std::uint64_t count_;
  faults f_;
  std::uint64_t position_ = 0;         // next position of the run
  std::optional<std::uint64_t> held_;  // the second copy of a duplicated number
};

/// A sending rate: datagrams per second, or payload bits per second.
struct rate {
  /// The slowest rate in datagrams: one in 1000 s (docs/tools.md, "Counting").
  static constexpr double min_packets_per_second = 0.001;
  /// The slowest rate in bits of payload: one a second (0.125 bytes).
  static constexpr double min_bits_per_second = 1;

  enum class unit : std::uint8_t { packets, bits } what = unit::packets;
  double per_second = 0;  ///< min_packets_per_second or min_bits_per_second (by `what`) and up

  /// Datagrams per second for datagrams of `payload_bytes`.
  [[nodiscard]] double packets_per_second(std::size_t payload_bytes) const noexcept;
};

/// Parse a rate (docs/tools.md, mcast-send's `--rate`): a positive decimal
/// number, an optional prefix k, M or G (10^3, 10^6, 10^9; either case, so
/// "5mbps" stays 5 Mbit/s) and a unit, matched exactly: `pps` (or `PPS`)
/// datagrams; `bps`, `b/s`, `bit/s` payload bits; `Bps`, `B/s` payload
/// bytes (stored as bits, x 8) per second: "10000pps", "1.5Gbps", "5MBps"
/// (40 Mbit/s), "800kbit/s". At most 1e9 datagrams or 1e12 bits per second,
/// at least rate::min_packets_per_second datagrams or rate::min_bits_per_second
/// bits. Errors, naming the input: std::errc::invalid_argument with the
/// accepted forms for text that is not a rate (a unit whose case hides bits
/// or bytes, such as "BPS", too); errc::value_out_of_range for a rate past
/// either bound (a number too large or too small for a double included).
[[nodiscard]] result<rate> parse_rate(std::string_view text);

/// A TOS / traffic-class byte from "0".."255", "0x2e", or a DSCP name
/// (cs0..cs7, af11..af43, ef, "va", "le": RFC 8622's lower effort, DSCP 1),
/// the DSCP shifted into the top six bits.
/// Errors: errc::value_out_of_range naming the input, its hint starting
/// with what is wrong: "unknown DSCP name" (a word), "not a number" (no
/// digits, or more after them), "out of range" (past 255); a sign is refused.
[[nodiscard]] result<int> parse_tos(std::string_view text);

}  // namespace mcnet::tools
