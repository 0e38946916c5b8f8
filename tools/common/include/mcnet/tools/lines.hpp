// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The mcnet authors
#pragma once

/// @file
/// mcast-recv's lines (--line NAME=SPEC, docs/tools.md "Lines"): the same
/// sequenced feed carried on 2 to 4 lines (an A/B pair of groups), each
/// datagram assigned to a line by its destination group and port
/// (`IP_PKTINFO` / `IPV6_PKTINFO`), and the lines merged by sequence number
/// with feed::arbiter (first copy wins): what each line missed, which line
/// came first, what every line missed, and how far apart the copies came.

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include <nlohmann/json.hpp>
#include <tl/expected.hpp>

#include <mcnet/core/ip_address.hpp>
#include <mcnet/feed/arbiter.hpp>
#include <mcnet/tools/stream_table.hpp>

namespace mcnet::tools {

/// One --line: its name and the (group, port) pairs of its spec.
struct line_def {
  std::string name;  ///< 1 to 32 characters of A-Z a-z 0-9 _ -
  std::string spec;  ///< the group spec after `=`, joined like any other spec
  std::vector<std::pair<core::ip_address, std::uint16_t>> groups;  ///< what the spec expands to
};

/// The fewest and most --line options.
inline constexpr std::size_t min_lines = 2;
inline constexpr std::size_t max_lines = feed::arbiter::max_lines;

/// The --line values ("NAME=SPEC"), parsed: names valid and unique, each
/// spec a receiver group spec (parse_group_spec with `default_interface`,
/// -i's value), no (group, port) on two lines, 2 to 4 lines. Errors: the
/// message naming --line and the value.
[[nodiscard]] tl::expected<std::vector<line_def>, std::string> parse_lines(const std::vector<std::string>& values,
                                                                          std::string_view default_interface);

/// The merge of the lines of a run: offer() each datagram of a line, the
/// "lines" object of the summary and interval events from to_json().
///
/// Sequence numbers: the mcnet header's, MoldUDP64 message numbers (a
/// packet offers each of its messages), RTP's 16-bit sequence extended
/// (RFC 3550 A.1's wrap: the nearest number to the highest extended one so
/// far, which every line shares). An mcnet END or a MoldUDP64 end of
/// session gives the feed's count, so the tail a line missed is counted at
/// finish(). MPEG-TS and raw datagrams carry no sequence the lines could
/// share: they are counted as `unsequenced` and not merged.
class line_merge {
 public:
  /// A merge of `lines` (2 to 4; parse_lines's). Errors: feed::arbiter::make's.
  [[nodiscard]] static result<line_merge> make(std::vector<line_def> lines);

  /// The line whose spec holds `group`:`port`, if any.
  [[nodiscard]] std::optional<std::size_t> line_of(const core::ip_address& group, std::uint16_t port) const noexcept;

  /// One datagram of line `line`, as stream_table::add read it, that arrived at
  /// `arrival_ns` (the kernel's receive time). Returns false when it carries
  /// no sequence number the lines share (MPEG-TS, raw): counted, not merged.
  bool offer(std::size_t line, const accounted& a, std::int64_t arrival_ns) noexcept;

  /// The run ended: every number missing on every line is lost, up to the
  /// feed's count from an end marker, else up to the highest number seen.
  void finish() noexcept;

  /// The "lines" object: {NAME: {"packets", "gaps", "first_share"}, ...,
  /// "merged": {"delivered", "lost", "duplicates_dropped", "skew_ns":
  /// {"p50", "p99", "max"}}}; cumulative from the start of the run.
  [[nodiscard]] nlohmann::ordered_json to_json() const;
  /// The same, as text lines for the report.
  [[nodiscard]] std::vector<std::string> text() const;

  /// Datagrams of the lines that carried no shared sequence number.
  [[nodiscard]] std::uint64_t unsequenced() const noexcept { return unsequenced_; }
  /// The arbiter (for tests).
  [[nodiscard]] const feed::arbiter& arbiter() const noexcept { return arbiter_; }

 private:
  line_merge(std::vector<line_def> lines, feed::arbiter a) noexcept : lines_(std::move(lines)), arbiter_(std::move(a)) {}

  std::vector<line_def> lines_;
  feed::arbiter arbiter_;
  std::vector<std::uint64_t> packets_ = std::vector<std::uint64_t>(max_lines, 0);
  std::optional<std::uint64_t> end_count_;     // from an END marker or end of session
  std::optional<std::uint64_t> rtp_highest_;   // the highest extended RTP number so far
  std::uint64_t unsequenced_ = 0;
};

}  // namespace mcnet::tools
