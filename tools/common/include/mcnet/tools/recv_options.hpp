// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The mcnet authors
#pragma once

/// @file
/// mcast-recv's command line: its options (one description, which --help
/// prints and the parser reads, so the two and the man page agree) and the
/// settings a valid command line gives; a bad one is a usage_error with the
/// message and exit code the tool prints (docs/man/mcast-recv.1, OPTIONS).

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include <boost/program_options.hpp>

#include <mcnet/tools/cli.hpp>
#include <mcnet/tools/lines.hpp>
#include <mcnet/tools/output.hpp>
#include <mcnet/tools/stream_table.hpp>

namespace mcnet::tools {

/// The shortest --interval, in seconds (10 ms); 0 turns interval reports off.
inline constexpr double min_interval_s = 0.01;

/// mcast-recv's settings, validated: every value is within its range.
struct recv_settings {
  std::vector<std::string> specs;  ///< group specs and @FILE, as given
  std::string iface;               ///< -i (empty: the kernel's route)
  bool only4 = false, only6 = false;                     ///< -4 / -6: refuse specs of the other family
  bool json_output = false, csv = false, quiet = false;  ///< --json, --csv, --quiet
  double interval = 0;                          ///< seconds; 0: summary only
  std::optional<std::int64_t> count;            ///< >= 1
  std::optional<double> duration, timeout;      ///< seconds, > 0
  std::optional<double> max_loss;               ///< percent, 0 to 100
  /// The number options as typed (given_numbers()), for messages that quote them.
  std::map<std::string, std::string, std::less<>> given;
  std::int64_t rcvbuf = 0;                      ///< --rcvbuf bytes; 0: the kernel's default
  /// No --rcvbuf: each socket asks for auto_receive_buffer() bytes (the
  /// most net.core.rmem_max allows, up to 8 MiB, read once per run by
  /// open_and_join) when that is more than the kernel's default. The
  /// doctor's sockets and its limits check take the same value.
  bool rcvbuf_auto = true;
  bool force = false;                           ///< SO_RCVBUFFORCE
  std::string timestamp = "sw";                 ///< "sw" or "none"
  std::int64_t batch = 32;                      ///< datagrams per recvmmsg, 1 to core::batch_limit
  std::int64_t busy_poll = 0;                   ///< SO_BUSY_POLL microseconds
  /// --coalesce: the longest sleep between wake-ups that read only a few
  /// datagrams at a high rate (read_coalescer), microseconds, 0 to
  /// max_coalesce_us; 0 turns it off, and --busy-poll does when --coalesce
  /// is not given (busy polling asks for datagrams as soon as they come).
  std::int64_t coalesce = default_coalesce_us;
  static constexpr std::int64_t default_coalesce_us = 1000;
  static constexpr std::int64_t max_coalesce_us = 100'000;
  /// --io-uring: read through one io_uring (core::uring_receiver, multishot
  /// recvmsg into provided buffers) instead of recvmmsg (receive_loop). A
  /// build without liburing refuses it (exit 1).
  bool io_uring = false;
  bool show_packets = false;                    ///< a line or `packet` event per datagram
  bool interfaces = false;                      ///< --interfaces: list and exit
  std::int64_t max_streams = static_cast<std::int64_t>(stream_table::default_max_streams);
  payload_mode payload = payload_mode::auto_detect;  ///< --payload
  rtp_clock_map rtp_clock;                           ///< --rtp-clock HZ and PT=HZ (else by payload type)
  std::optional<std::string> metrics_file;      ///< --metrics-file: Prometheus text format, written atomically
  /// --line NAME=SPEC, 2 to 4 (parse_lines): merged by sequence; their
  /// specs are in `specs` too, joined like the others.
  std::vector<line_def> lines;
  std::optional<std::string> pcap;              ///< --pcap: nanosecond pcap of every datagram taken (capture_writer)
  std::optional<std::uint64_t> pcap_rotate_mb;  ///< --pcap-rotate: MB (1000000 bytes) per file, 1 or more

  /// Seconds between writes of --metrics-file: --interval, or 10 when it is 0.
  [[nodiscard]] double metrics_period() const noexcept { return interval > 0 ? interval : 10; }

  /// The output formats these settings ask for.
  [[nodiscard]] output_format format() const noexcept { return {json_output, csv, quiet}; }
};

/// A valid command line: what to do, and the settings to do it with.
struct recv_command {
  cli_action action = cli_action::run;
  recv_settings settings;  ///< meaningful for cli_action::run
};

/// The long names of every option --help lists ("help", "interface", ...).
/// Why `bytes` is no --rcvbuf (0, the kernel's default, to INT_MAX / 2, which
/// the kernel doubles), in the tools' words; nothing when it is one.
[[nodiscard]] std::optional<std::string> rcvbuf_problem(std::int64_t bytes);

/// The most a receive buffer asks for without --rcvbuf: 8 MiB (the kernel
/// grants double, 16 MiB, for its bookkeeping). At 64-byte datagrams the
/// kernel charges about 1 KiB each (the skb's truesize), so 16 MiB holds
/// some 16,000 of them: 0.1 s of a 160,000 pps feed.
inline constexpr std::int64_t auto_rcvbuf_cap = std::int64_t{8} << 20;

[[nodiscard]] std::vector<std::string> recv_option_names();

/// The whole --help text.
[[nodiscard]] std::string recv_help();

/// Parse and validate mcast-recv's arguments (without the program name).
/// Errors: the first problem found, in the order the tool has always
/// checked them: the parser's, then the values (-4 with -6, --json with
/// --csv, each range, --force without --rcvbuf, --interfaces with specs,
/// no spec, --io-uring in a build without liburing, --line (parse_lines; not with --payload mpegts or raw), then --metrics-file: check_metrics_path, which creates and
/// removes a file in its directory). Specs themselves are checked later (resolve_memberships).
[[nodiscard]] tl::expected<recv_command, usage_error> parse_recv_command_line(const std::vector<std::string>& args);

}  // namespace mcnet::tools
