// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The mcnet authors
#pragma once

/// @file
/// mcast-recv's lines (--line NAME=SPEC, docs/tools.md "Lines"): the same
/// sequenced feeds carried on 2 to 4 lines (an A/B pair of groups), each
/// datagram assigned to a line by its destination group and port
/// (`IP_PKTINFO` / `IPV6_PKTINFO`), and the lines merged by sequence number
/// with feed::arbiter (first copy wins), one arbiter per feed: what each
/// line missed, which line came first, what every line missed, and how far
/// apart the copies came.

#include <array>
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

/// Where a datagram of a line belongs: the line, and the position of its
/// (group, port) in the line's spec (the k-th group of every line carries
/// the same feed).
struct line_place {
  std::size_t line = 0;      ///< index into the --line options
  std::size_t position = 0;  ///< index into line_def::groups
};

/// The --line values ("NAME=SPEC"), parsed: names valid and unique, each
/// spec a receiver group spec (parse_group_spec with `default_interface`,
/// -i's value), no (group, port) on two lines, 2 to 4 lines, every line
/// expanding to the same number of (group, port) pairs (paired by their
/// position). Errors: the message naming --line and the value.
[[nodiscard]] tl::expected<std::vector<line_def>, std::string> parse_lines(const std::vector<std::string>& values,
                                                                          std::string_view default_interface);

/// The merge of the lines of a run: offer() each datagram of a line, the
/// "lines" object of the summary and interval events from to_json().
///
/// Feeds: the lines are merged per feed, never across feeds. A feed is the
/// position of the datagram's (group, port) in its line's spec together
/// with the payload's own identity: mcnet's (sender id, session),
/// MoldUDP64's session name, RTP's SSRC (what stream_key tells apart), so a
/// restarted sender (a new session or SSRC) is a new feed and its numbers
/// never fill or duplicate the old run's. Each feed has its own
/// feed::arbiter (~600 KiB), end count and RTP extension. At most
/// `max_feeds` are live: a new identity when the table is full retires the
/// feed idle longest (its arbiter ends and its counts are folded into the
/// totals), and the last `max_retired` retired identities are remembered,
/// so that late copies of a retired feed count as too late, not as a new
/// feed. The reported figures are sums over every feed, retired included.
///
/// Sequence numbers: the mcnet header's, MoldUDP64 message numbers (a
/// packet offers each of its messages), RTP's 16-bit sequence extended
/// (RFC 3550 A.1's wrap: the nearest number to the highest extended one so
/// far of the feed, which its lines share). An mcnet END or a MoldUDP64 end
/// of session gives the feed's count, so the tail a line missed is counted
/// at finish(). MPEG-TS and raw datagrams carry no sequence the lines could
/// share: they are counted as `unsequenced` and not merged.
class line_merge {
 public:
  /// Feeds merged at once (each holds an arbiter).
  static constexpr std::size_t max_feeds = 8;
  /// Retired feed identities remembered (oldest forgotten first).
  static constexpr std::size_t max_retired = 64;

  /// The merged figures, summed over every feed (retired ones included).
  struct merged_counts {
    std::uint64_t delivered = 0;   ///< distinct numbers delivered
    std::uint64_t lost = 0;        ///< numbers missing on every line, final
    std::uint64_t duplicates = 0;  ///< copies dropped: their number was delivered
    std::uint64_t too_late = 0;    ///< copies behind a feed's window, or of a retired feed
    std::uint64_t pending = 0;     ///< missing on every line so far, not final yet
    std::uint64_t feeds = 0;       ///< feeds merged so far, retired included
    /// First copies handed on that the merged stream does not count (far
    /// numbers not followed or not proven, bursts taken back: feed::arbiter::jumps)
    std::uint64_t jumps = 0;
  };

  /// A merge of `lines` (2 to 4; parse_lines's). Errors: feed::arbiter::make's
  /// for a line count outside 1..4.
  [[nodiscard]] static result<line_merge> make(std::vector<line_def> lines);

  /// The line whose spec holds `group`:`port`, if any.
  [[nodiscard]] std::optional<std::size_t> line_of(const core::ip_address& group, std::uint16_t port) const noexcept;
  /// The line and position whose spec holds `group`:`port`, if any.
  [[nodiscard]] std::optional<line_place> place_of(const core::ip_address& group, std::uint16_t port) const noexcept;
  /// Line `line`'s name ("" for an index past the lines).
  [[nodiscard]] const std::string& name(std::size_t line) const noexcept;

  /// One datagram of line `line`, at `position` of its spec, as
  /// stream_table::add read it, that arrived at `arrival_ns` (the kernel's
  /// receive time). Returns false when it carries no sequence number the
  /// lines share (MPEG-TS, raw): counted, not merged. A new feed's arbiter
  /// is allocated here; when that fails the datagram is counted in
  /// unmerged().
  bool offer(std::size_t line, const accounted& a, std::int64_t arrival_ns, std::size_t position = 0) noexcept;

  /// The run ended: in every feed, every number missing on every line is
  /// lost, up to the feed's count from an end marker, else up to the
  /// highest number seen.
  void finish() noexcept;

  /// The "lines" object: {NAME: {"packets", "gaps", "first_share"}, ...,
  /// "merged": {"delivered", "jumps", "lost", "duplicates_dropped", "too_late",
  /// "pending", "unsequenced", "unmerged", "feeds", "skew_ns": {"p50",
  /// "p99", "max"}}};
  /// cumulative from the start of the run, summed over feeds.
  [[nodiscard]] nlohmann::ordered_json to_json() const;
  /// The same, as text lines for the report.
  [[nodiscard]] std::vector<std::string> text() const;

  /// The merged figures so far.
  [[nodiscard]] merged_counts merged() const noexcept;
  /// Datagrams of the lines that carried no shared sequence number.
  [[nodiscard]] std::uint64_t unsequenced() const noexcept { return unsequenced_; }
  /// Sequenced datagrams not merged because a new feed's arbiter could not
  /// be allocated.
  [[nodiscard]] std::uint64_t unmerged() const noexcept { return unmerged_; }
  /// Feeds live now (at most max_feeds).
  [[nodiscard]] std::size_t live_feeds() const noexcept { return feeds_.size(); }

 private:
  // A feed's identity: see the class comment.
  struct feed_id {
    std::size_t position = 0;
    payload_kind payload = payload_kind::mcnet;
    std::uint32_t sender_id = 0;
    std::uint32_t session = 0;
    std::array<char, 10> mold_session{};
    std::uint32_t ssrc = 0;
    friend auto operator<=>(const feed_id&, const feed_id&) = default;
  };
  struct feed_state {
    feed_id id;
    feed::arbiter arbiter;
    feed::end_votes ends;                      // the END markers' and ends of session's counts, voted on at the end
    std::optional<std::uint64_t> rtp_highest;  // the highest extended RTP number so far
    std::uint64_t last_used = 0;               // offers_ at its latest datagram
  };
  // What retired feeds counted.
  struct retired_totals {
    std::array<std::uint64_t, max_lines> gaps{};
    std::array<std::uint64_t, max_lines> first_arrivals{};
    std::uint64_t delivered = 0, lost = 0, duplicates = 0, too_late = 0, jumps = 0;
    feed::histogram skew;
  };

  explicit line_merge(std::vector<line_def> lines) noexcept : lines_(std::move(lines)) {}

  [[nodiscard]] static feed_id identity(const accounted& a, std::size_t position) noexcept;
  // The live feed of `id`; a new one (retiring the idlest when full) unless
  // `id` was retired or the arbiter cannot be had: nullptr then.
  feed_state* find_or_start(const feed_id& id) noexcept;
  [[nodiscard]] bool was_retired(const feed_id& id) const noexcept;
  static void end_feed(feed_state& f) noexcept;
  void retire(std::size_t index) noexcept;
  [[nodiscard]] std::uint64_t line_gaps(std::size_t line) const noexcept;
  [[nodiscard]] double first_share(std::size_t line) const noexcept;
  [[nodiscard]] feed::histogram skew() const noexcept;

  std::vector<line_def> lines_;
  std::vector<feed_state> feeds_;          // live, at most max_feeds (reserved by make())
  // The last max_retired retired identities, a ring: the next to replace at retired_next_.
  std::array<feed_id, max_retired> retired_{};
  std::size_t retired_count_ = 0;
  std::size_t retired_next_ = 0;
  retired_totals retired_totals_;
  std::vector<std::uint64_t> packets_ = std::vector<std::uint64_t>(max_lines, 0);
  std::uint64_t offers_ = 0;
  std::uint64_t feed_count_ = 0;
  std::uint64_t unsequenced_ = 0;
  std::uint64_t unmerged_ = 0;
};

}  // namespace mcnet::tools
