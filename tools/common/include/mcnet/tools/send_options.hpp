// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The mcnet authors
#pragma once

/// @file
/// mcast-send's command line: its options (one description, which --help
/// prints and the parser reads, so the two and the man page agree) and the
/// settings a valid command line gives; a bad one is a usage_error with the
/// message and exit code the tool prints (docs/man/mcast-send.1, OPTIONS).

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include <mcnet/tools/cli.hpp>
#include <mcnet/tools/output.hpp>
#include <mcnet/tools/send_payload.hpp>
#include <mcnet/tools/send_plan.hpp>

namespace mcnet::tools {

/// mcast-send's settings, validated: every value is within its range.
struct send_settings {
  std::vector<std::string> specs;  ///< group specs and @FILE, as given
  std::string iface;               ///< -i (empty: the kernel's route)
  int ttl = 1;                     ///< IP_MULTICAST_TTL / IPV6_MULTICAST_HOPS, 0 to 255
  int tos = 0;                     ///< IP_TOS / IPV6_TCLASS byte, from --tos
  bool no_loop = false;            ///< IP_MULTICAST_LOOP / IPV6_MULTICAST_LOOP off
  /// UDP payload bytes per datagram: --size for mcnet (40 to 65507) and RTP
  /// other than payload type 33 (12 to 65507); for the others what the
  /// payload options make (MoldUDP64 20 + messages x (2 + message size),
  /// MPEG-TS 1316, RTP payload type 33 1328).
  std::size_t size = 100;
  payload_settings payload;        ///< --payload and its options
  std::optional<rate> pace;        ///< --rate; none: as fast as possible
  std::size_t burst = 1;           ///< datagrams per pacing step, 1 to 1000000
  std::optional<std::uint64_t> count;   ///< sequence numbers per group, >= 1
  std::optional<double> duration;       ///< seconds, > 0
  std::optional<std::uint32_t> id;      ///< the MCN1 header's sender id (--payload mcnet only)
  tools::faults faults;            ///< --drop-every, --dup-every, --reorder-every
  /// --line-b: the B line's group spec, one group per main (A) group, same
  /// family; every datagram goes to it too (docs/tools.md, "Lines").
  std::optional<std::string> line_b;
  std::uint64_t drop_every_b = 0;  ///< --drop-every-b: 0 or K >= 2, B does not send m*K-1
  std::uint64_t delay_b_us = 0;    ///< --delay-b: microseconds B's copies wait, 0 to max_delay_b_us
  /// Datagrams per sendmmsg call, 1 to core::batch_limit: unpaced batches
  /// are full; paced they hold what is due (a few datagrams per wake-up), so
  /// high rates keep up without bursts.
  std::size_t batch = 32;
  /// --gso: datagrams per sendmmsg entry, sent with UDP_SEGMENT (udp(7)),
  /// 1 to core::udp_max_segments_portable; 0: off (one datagram per entry).
  std::size_t gso = 0;
  bool json_output = false;  ///< --json
  bool quiet = false;        ///< --quiet
  std::optional<std::string> replay;  ///< --replay FILE: send a capture's UDP payloads (replay.hpp)
  /// --speed: the capture's spacing divided by this (from min_speed); 0: as fast as possible
  double speed = 1;
  std::uint64_t loops = 1;            ///< --loop N (with --replay): times the capture is sent, >= 1

  /// The output formats these settings ask for.
  [[nodiscard]] output_format format() const noexcept { return {json_output, false, quiet}; }
};

/// The longest --delay-b: 10 s.
inline constexpr std::uint64_t max_delay_b_us = 10'000'000;

/// The slowest --speed other than 0: a millionth, one second of capture
/// in 11.6 days. Slower is a replay that does not end (plan_replay also
/// bounds what one pass of the capture takes: max_replay_pass_s).
inline constexpr double min_speed = 1e-6;

/// The longest one pass of a replay may take at its --speed: 30 days (the
/// schedule stays far inside the steady clock's range).
inline constexpr double max_replay_pass_s = 30.0 * 86400;

/// A valid command line: what to do, and the settings to do it with.
struct send_command {
  cli_action action = cli_action::run;
  send_settings settings;  ///< meaningful for cli_action::run
};

/// The long names of every option --help lists ("help", "interface", ...).
[[nodiscard]] std::vector<std::string> send_option_names();

/// The whole --help text.
[[nodiscard]] std::string send_help();

/// Parse and validate mcast-send's arguments (without the program name).
/// `--loop N` and `--loop=N` (N digits) are the replay count; `--loop`
/// alone is IP_MULTICAST_LOOP on, as always.
/// Errors: the first problem found, in the order the tool has always
/// checked them: the parser's, --loop with --no-loop, --payload, options
/// that do not apply to the payload, each range, no spec, --tos, --rate
/// (the last two with parse_tos's and parse_rate's code). --replay's come
/// after --loop with --no-loop: --speed and --loop N only with it, the
/// options that make datagrams or set their number (payload options,
/// --size, --rate, --burst, -c, --id, faults) not with it, --speed 0 or
/// from min_speed, finite; --loop 1 to 1000000. Specs are optional with --replay.
/// Specs themselves are checked later (resolve_targets).
[[nodiscard]] tl::expected<send_command, usage_error> parse_send_command_line(const std::vector<std::string>& args);

}  // namespace mcnet::tools
