// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The mcnet authors
#pragma once

/// @file
/// mcast-recv --metrics-file (docs/tools.md, "Metrics"; docs/man/mcast-recv.1,
/// OUTPUT, "Metrics file"): the receiver's cumulative counters in the Prometheus text
/// exposition format, version 0.0.4 (what node_exporter's textfile collector
/// reads), written atomically. A series is made from the same stream object
/// the JSON summary prints (stream_json), so the file and the summary agree,
/// and a value the summary has as null is a series left out, never a 0.

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include <nlohmann/json.hpp>

#include <mcnet/core/control.hpp>
#include <mcnet/tools/output.hpp>
#include <mcnet/tools/report.hpp>
#include <mcnet/tools/stream_table.hpp>

namespace mcnet::tools {

/// The labels of a stream's series, in the order they are printed. The
/// contract fixes them; a stream key has more (sender id, session), so the
/// streams that share these labels (a restarted sender) share one series.
struct metric_labels {
  std::string group;      ///< the group address as JSON prints it
  std::string port;       ///< decimal
  std::string source;     ///< the sender's address
  std::string interface;  ///< the ingress interface's name; "" when unknown
  std::string payload;    ///< the payload protocol (payload_name)
  friend auto operator<=>(const metric_labels&, const metric_labels&) = default;
};

/// The values of one label set: the streams that have it, added up.
struct metric_series {
  metric_labels labels;                   ///< shared by the streams added up here
  std::uint64_t packets = 0, bytes = 0;  ///< summed over the set's streams
  /// Summed over the streams that know them; none when no stream of the set
  /// does (a payload without sequence numbers: the summary's null).
  std::optional<std::uint64_t> lost, reordered, duplicates;
  /// Latency quantiles, seconds, of the set's stream with the latest packet
  /// among those that have a latency (percentiles of different streams do
  /// not add up); none without one.
  std::optional<double> latency_p50_s, latency_p99_s;
  /// Unix time, seconds, of the set's latest datagram; none before the first.
  std::optional<double> last_packet_s;
  /// last_packet_s of the stream the latency comes from.
  double latency_from_s = 0;
};

/// `value` escaped as a label value of the text format: backslash, double
/// quote and line feed become `\\`, `\"` and `\n`; a byte that is not
/// valid UTF-8 (an interface name may hold any) becomes U+FFFD, as the
/// format requires UTF-8 (valid_utf8); nothing else changes.
[[nodiscard]] std::string escape_label_value(std::string_view value);

/// Series built stream by stream, in the order their first streams came.
class metric_series_set {
 public:
  /// Account one stream: `stream` is its object as stream_json makes it
  /// (cumulative; null fields are unknown), `payload` its protocol name,
  /// `last_packet` the arrival of its latest datagram.
  void add(const nlohmann::ordered_json& stream, std::string_view payload,
           std::optional<core::kernel_time> last_packet);

  /// Account a joined channel that received nothing (its object in the
  /// summary's "channels", packets 0): a series of packets and bytes 0,
  /// unknown counters left out.
  void add_silent(const nlohmann::ordered_json& channel);

  /// The series so far, one per label set.
  [[nodiscard]] const std::vector<metric_series>& series() const noexcept { return series_; }

 private:
  std::vector<metric_series> series_;
  std::map<metric_labels, std::size_t> index_;
};

/// The series of every stream of `table` (interface names from `names`).
[[nodiscard]] metric_series_set collect_series(const stream_table& table, interface_names& names);

/// The whole file: each metric's `# HELP` and `# TYPE` lines, then its
/// samples, the metrics always in the same order, and
/// `mcast_recv_kernel_drops_total` (`kernel_drops`, no labels) last.
/// mcast_recv_latency_seconds is a summary (its quantile samples only):
/// the format reserves the `quantile` label for summaries. With --line,
/// `lines` is the "lines" object of the reports (line_merge::to_json) and
/// adds `mcast_recv_line_packets_total` and `mcast_recv_line_gaps_total`
/// (label `line`), `mcast_recv_merged_delivered_total`,
/// `mcast_recv_merged_lost_total` and
/// `mcast_recv_merged_duplicates_dropped_total`; null adds nothing.
[[nodiscard]] std::string metrics_text(const std::vector<metric_series>& series, std::uint64_t kernel_drops,
                                       const nlohmann::ordered_json& lines = nullptr);

/// Whether mcast-recv can write `path` (--metrics-file), asked before any
/// join: the directory exists and a file can be created in it (a temporary
/// file is created and removed: access(2) says yes to root on a read-only
/// file system such as /sys), and `path` is not a directory, a symbolic link
/// or another non-regular file (rename(2) would replace it). Returns the
/// usage message naming the option, or nothing.
[[nodiscard]] std::optional<std::string> check_metrics_path(const std::string& path);

/// Replace `path` with `text` atomically: write a temporary file in the same
/// directory (".NAME.PID.tmp": hidden, and not ending in .prom, so the
/// textfile collector never reads it), fsync(2) it, rename(2) it over `path`.
/// A reader sees the old file or the new one, whole. The new file's mode is
/// 0666 less the umask. Returns the error message (naming the call and the
/// file), or nothing.
[[nodiscard]] std::optional<std::string> write_metrics_file(const std::string& path, std::string_view text);

/// --metrics-file during a run: when the file is due and what a failed write
/// said (a warning on the first failure after a success; the run goes on).
class metrics_writer {
 public:
  /// The session's (steady) clock.
  using time_point = std::chrono::steady_clock::time_point;

  /// Write `path` at most every `period_s` seconds when asked by due().
  metrics_writer(std::string path, double period_s, time_point now)
      : path_(std::move(path)), period_(period_s), last_(now) {}

  /// Whether `period_s` has passed since the last write.
  [[nodiscard]] bool due(time_point now) const noexcept {
    return std::chrono::duration<double>(now - last_).count() >= period_;
  }

  /// Write the series of `table`, `kernel_drops` and the lines' counters
  /// (`lines`: line_merge::to_json, or null without --line) now.
  /// `channels`: the joined channels as the summary lists them; each one
  /// that received nothing gets its series too (packets and bytes 0, source
  /// its include source or "", payload ""), as text, JSON and CSV list it.
  /// `last`: the run's last write (the summary's), which nothing writes
  /// again. A failed write is a `metrics_failed` warning (text and JSON):
  /// during the run once until a write succeeds again; the last one always
  /// (trial t16x M5: "written again at the next report" at the end, exit 0).
  /// Returns whether the file was written.
  bool write(const stream_table& table, interface_names& names, std::uint64_t kernel_drops, const reporter& out,
             time_point now, const nlohmann::ordered_json& lines = nullptr,
             const nlohmann::ordered_json& channels = nullptr, bool last = false);

 private:
  std::string path_;
  double period_;
  time_point last_;
  bool failing_ = false;
};

}  // namespace mcnet::tools
