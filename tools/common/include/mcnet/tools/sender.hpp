// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The mcnet authors
#pragma once

/// @file
/// mcast-send's run, in pieces: group specs to targets, a connected socket
/// per target, the batches of headers the send loop hands to sendmmsg (built
/// without sockets, so tests check them), and the loop itself with the END
/// markers and the summary (docs/man/mcast-send.1).

#include <array>
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include <mcnet/core/control.hpp>
#include <mcnet/core/datagrams.hpp>
#include <mcnet/core/error.hpp>
#include <mcnet/core/interface.hpp>
#include <mcnet/core/message.hpp>
#include <mcnet/core/socket.hpp>
#include <mcnet/tools/output.hpp>
#include <mcnet/tools/report.hpp>
#include <mcnet/tools/route.hpp>
#include <mcnet/tools/send_options.hpp>
#include <mcnet/tools/send_payload.hpp>
#include <mcnet/tools/send_plan.hpp>

namespace mcnet::tools {

/// The B line's copies waiting for their due time (--delay-b): a ring of
/// capacity() copies, so a delay never stalls the main line. Each copy
/// costs its datagram size plus `entry_overhead` bytes; the ring holds at
/// most `max_datagrams` copies and `max_bytes` of them, and takes its
/// memory as it fills, in blocks of about `block_bytes` (a short delay or a
/// slow rate holds a few blocks only). When it is full the caller sends
/// the oldest copy before its time (send_all counts it as early): a delay
/// longer than the queue holds at the sending rate shrinks to what it holds
/// (docs/tools.md, "Lines").
class delay_queue {
 public:
  static constexpr std::size_t max_datagrams = std::size_t{1} << 20;  ///< most copies held (1,048,576)
  static constexpr std::size_t max_bytes = std::size_t{256} << 20;    ///< most memory held (256 MiB)
  /// Bytes each copy costs besides its datagram: its length and due time.
  static constexpr std::size_t entry_overhead = sizeof(std::size_t) + sizeof(std::int64_t);
  static constexpr std::size_t block_bytes = std::size_t{1} << 20;  ///< memory taken at a time (1 MiB)

  /// How many copies of datagrams of `datagram_size` bytes a queue holds:
  /// min(max_datagrams, max_bytes / (datagram_size + entry_overhead)).
  [[nodiscard]] static std::size_t capacity_for(std::size_t datagram_size) noexcept;

  /// A queue of datagrams of at most `datagram_size` bytes: it holds
  /// min(`most`, capacity_for(datagram_size)) of them, at least 1. Its
  /// first block is allocated (and its pages touched) here, before the run:
  /// made by the first push() it held the first B copy and A's next
  /// datagrams back by 6-16 ms on a loaded host; the others as it fills.
  explicit delay_queue(std::size_t datagram_size, std::size_t most = max_datagrams);

  /// How many copies it holds at most.
  [[nodiscard]] std::size_t capacity() const noexcept { return capacity_; }
  /// How many copies wait.
  [[nodiscard]] std::size_t size() const noexcept { return count_; }
  /// Whether push() needs room first.
  [[nodiscard]] bool full() const noexcept { return count_ == capacity_; }
  /// Queue a copy of `bytes` (at most the datagram size) due at `due_ns`
  /// (steady clock, ns); due times must not decrease. Precondition: not full().
  void push(std::span<const std::byte> bytes, std::int64_t due_ns);
  /// The oldest copies due at `now_ns`, at most `limit`, in queue order; valid
  /// until the next call. pop() removes those sent.
  [[nodiscard]] std::span<const core::message> due(std::int64_t now_ns, std::size_t limit);
  /// Remove the `n` oldest copies.
  void pop(std::size_t n) noexcept;
  /// When the oldest copy is due; none when empty.
  [[nodiscard]] std::optional<std::int64_t> next_due() const noexcept;

 private:
  /// `slots_per_block_` copies (fewer in the last block), allocated on first use.
  struct block {
    std::vector<std::byte> bytes;
    std::vector<std::size_t> sizes;
    std::vector<std::int64_t> due;
  };
  void make_block(std::size_t index);

  std::size_t datagram_size_;
  std::size_t capacity_;
  std::size_t slots_per_block_;
  std::vector<block> blocks_;
  std::size_t head_ = 0;
  std::size_t count_ = 0;
  std::vector<core::message> out_;
};

/// One destination: a connected socket, its plan and its counters.
struct send_target {
  core::ip_address group;                  ///< no scope id (the interface gives it)
  std::uint16_t port = 0;
  std::optional<core::ip_address> source;  ///< S of `S,GROUP`: the socket is bound to it
  core::interface_ref iface;               ///< index 0: the kernel's route
  /// The interface it went out of at the start: `iface`, else the kernel's
  /// route's then (index 0: not known). A send that fails later says what
  /// became of it (deleted, down).
  core::interface_ref started_on{};
  core::socket sock;                       ///< connected (open_target)
  std::optional<send_order> order;         ///< the sequence numbers still to send
  /// The datagrams of a feed payload (moldudp64, rtp, mpegts); none for
  /// mcnet, whose header batch_builder writes per datagram.
  std::optional<feed_stream> stream;
  std::uint64_t sent = 0;                  ///< datagrams sent (end markers not counted)
  std::uint64_t bytes = 0;                 ///< payload bytes sent (end markers' not counted)
  /// End markers sent: mcnet END datagrams and MoldUDP64 ends of session
  /// (send_end_markers' rounds, or a replayed capture's), which mcast-recv
  /// counts apart from packets.
  std::uint64_t end_markers = 0;
  bool done = false;  ///< the order has no sequence number left
  /// --line-b: this group's B line (its own socket, an order with only
  /// --drop-every-b, a feed stream starting where this one does), or null.
  std::unique_ptr<send_target> line_b;
  /// This is a B line: its mcnet headers (datagrams and END markers) carry
  /// feed::test_header::flag_feed_b.
  bool is_line_b = false;
  /// mcnet: added to the run's session (mod 2^31) in its headers: how many
  /// targets of its group and port came before it (resolve_targets). Each
  /// target numbers its group from 0 by its own socket, so one group and
  /// port out of two interfaces is two numberings: each carries a session
  /// of its own, and a receiver reads two streams, not one session from
  /// two sources (a second sender of one stream). A B line has its main
  /// line's.
  std::uint32_t session_offset = 0;
  /// When its datagrams went (steady clock, per batch): the summary's
  /// rate_pps, by the receiver's rule (clump_clock).
  clump_clock sends;
  /// On a B line: its copies waiting for --delay-b.
  std::unique_ptr<delay_queue> queue;
  std::uint64_t early = 0;  ///< on a B line: copies sent before their due time (the queue was full)
  /// On a B line: seconds from the main line's last datagram until its
  /// queue was empty (0 when nothing waited).
  double drain_s = 0;
};

/// The session `t`'s mcnet headers carry in a run of session `run`: `run`
/// plus send_target::session_offset, mod 2^31 (the high bit stays clear).
[[nodiscard]] inline std::uint32_t target_session(std::uint32_t run, const send_target& t) noexcept {
  return (run + t.session_offset) & 0x7fffffffu;
}

/// The specs of `s` (with @FILE read) as targets, interfaces resolved with
/// `resolve`. A repeated or overlapping spec would send one stream twice
/// with two sequence counters: each (group, port, source, interface) is kept
/// once, with a warning on `out`. A group and port given again (another
/// interface or source) is another target with a session of its own
/// (send_target::session_offset). --line-b gives each target a B line, in
/// order: as many groups as the main line, same family, none of them a
/// main group and port. Returns the exit code (1) after printing
/// the error, or nothing.
[[nodiscard]] std::optional<int> resolve_targets(const send_settings& s, const reporter& out,
                                                 const interface_resolver& resolve, std::vector<send_target>& targets);

/// A socket for `t`: options first (`IP_MULTICAST_IF` / `IPV6_MULTICAST_IF`
/// unless the kernel chooses, TTL / hop limit, TOS / traffic class, loop),
/// then bound to the target's source, then connected (the kernel picks the
/// route there). Errors: the first failing call's.
[[nodiscard]] result<core::socket> open_target(const send_target& t, const send_settings& s);

/// Make room under RLIMIT_NOFILE for `sockets` sockets and what the run
/// opens besides (ensure_descriptors: the soft limit raised towards the hard
/// one). Returns exit 4 after printing the error when the hard limit is too
/// low, or nothing.
[[nodiscard]] std::optional<int> make_room_for(std::size_t sockets, const reporter& out);

/// A SIGINT or SIGTERM came while the sockets were opened: the `warning`
/// event `setup_interrupted` says `opened` of the targets.size() groups were
/// opened, and `targets` keeps only those (the run then sends nothing).
void setup_interrupted(const reporter& out, std::size_t opened, std::vector<send_target>& targets);

/// A SIGINT or SIGTERM ended a run before -c, -d or the replay did: the
/// `warning` event `interrupted` says `sent` datagrams went, of `asked`
/// when the run had a number to send (-c, a replay), and with -d
/// (`duration`) after how many of its seconds (`elapsed`); the event carries
/// `sent` and `asked` (null without a number; past 2^63 - 1, which JSON
/// readers of signed 64-bit numbers hold, as that, "at least" in the
/// message). The run then exits with
/// exit_interrupted (docs/tools.md, "Exit codes").
void warn_interrupted(const reporter& out, std::uint64_t sent, std::optional<std::uint64_t> asked, double elapsed,
                      std::optional<double> duration);

/// Open every target's socket (open_target), make its send order (the
/// count, or unbounded, with the faults; a B line's with --drop-every-b
/// only) and, for a feed payload, its
/// feed_stream (one SSRC for the run, --ssrc or random; a random RTP start
/// sequence and timestamp per group), after make_room_for() them all; a
/// signal stops it (setup_interrupted). Returns the exit code after
/// printing the error (4 for a socket or the open-file limit, 1 for an
/// order), or nothing.
[[nodiscard]] std::optional<int> open_targets(const send_settings& s, const reporter& out,
                                              std::vector<send_target>& targets);

/// A warning a run gives before it sends: `code` names it for scripts (the
/// JSON `warning` event's), `message` says it.
struct run_warning {
  std::string code;
  std::string message;
};

/// What --line-b will do that the command line does not show, worked out
/// from the settings and the number of main groups before anything is sent
/// (docs/tools.md, "Lines"):
/// - `line_b_unsequenced`: --payload mpegts carries no sequence number, so
///   no receiver can merge the lines by it (RTP payload type 33 can);
/// - `line_b_early`: with --delay-b, the copies the delay holds (the rate
///   per group over the delay, --drop-every and --dup-every of A and
///   --drop-every-b applied, at most -c) are more than the delay queue
///   holds (delay_queue::capacity_for), or may be (no --rate): the oldest go
///   out early;
/// - `line_b_too_late`: B trails A by more sequence numbers (MoldUDP64:
///   messages) than a receiver merging by sequence keeps (mcast-recv's
///   window, feed::arbiter::window = 65,536), or may (no --rate): that
///   receiver drops such copies as too late.
[[nodiscard]] std::vector<run_warning> line_b_warnings(const send_settings& s, std::size_t groups);

/// How far below --rate a run may fall before it says so: 5 % of the rate,
/// and the send phase longer than the rate allows by more than rate_slack_s
/// (what is measurably below the rate: less is within one sleep of the
/// send loop).
inline constexpr double rate_margin = 0.05;
/// See rate_margin: 1 ms, the send loop's longest sleep (pacer::max_sleep),
/// so a datagram's time is known to within it. It was 10 ms, so a short run
/// could fall short by up to 10 ms, far more than 5 % of it, without a word
/// (trial h16x L2: `-r 100pps -c 5` sent in 58 ms of its 50 read 86 pps).
inline constexpr double rate_slack_s = 0.001;

/// A run that did not keep --rate: what it asked and what it achieved.
struct rate_shortfall {
  double asked_pps = 0;     ///< --rate in datagrams per second (over all groups)
  double achieved_pps = 0;  ///< datagrams sent over the send phase's seconds
  std::string message;      ///< the warning's text: both rates and how far short
};

/// Whether a paced run that sent `sent` datagrams (all groups, B lines not
/// counted) over `elapsed` seconds (the total's rate span,
/// paced_rate_span(), so the warning's achieved rate is the summary's) fell more than rate_margin
/// below --rate: pacing keeps an absolute schedule, so a machine or link
/// that cannot send that fast only shows as a lower achieved rate (the
/// `rate_shortfall` warning, docs/tools.md, "mcast-send"). Nothing without
/// --rate, without time, or for fewer than 2 datagrams (one has no rate).
/// `paused_s`: seconds mcast-send itself did not run (its send loop saw a
/// gap of a second or more: Ctrl-Z or SIGSTOP, a suspended machine): the
/// message then names that, not the machine's or link's speed.
[[nodiscard]] std::optional<rate_shortfall> check_rate(const send_settings& s, std::uint64_t sent, double elapsed,
                                                       double paused_s = 0);

/// How many of the `allowed` datagrams now due the next group in turn
/// sends: `active` groups still sending have sent `active_sent` in all,
/// this one `group_sent`; each may send up to its share of all that is
/// then due (active_sent + allowed, over the groups, rounded up), at most
/// `batch` per call; 0 when it is at its share (the next group's turn).
/// No group gets past its share of what went, whatever the steps, and
/// the turns go on where they stopped (trial20j 1: shares of a step split without that, rounded up,
/// made `--burst 4` over 3 groups send 400, 200 and 200).
[[nodiscard]] std::uint64_t round_robin_share(std::uint64_t allowed, std::uint64_t batch, std::size_t active,
                                              std::uint64_t active_sent, std::uint64_t group_sent) noexcept;

/// The seconds a paced run's total rate is over (the summary's
/// total.rate_pps = sent / this): the longer of the N intervals the pacing
/// gave `sent` datagrams at `pps` and the time from the start to the last
/// datagram's send (`last_send_s`) plus its interval, at most `elapsed`
/// (the send phase). A run that kept up reads `pps` (the phase's end waits
/// past the last interval by a sleep's overshoot: 2000 at 1000 pps read
/// 997 over a phase of 2.006 s); one that fell behind sent its last
/// datagram late; a burst ahead of its schedule (`-r 1pps --burst 5 -c 5`)
/// is over its 5 intervals. `pps` > 0.
[[nodiscard]] double paced_rate_span(double elapsed, double last_send_s, std::uint64_t sent, double pps) noexcept;

/// Steady-clock nanoseconds: the B line's due times, the sends' times for
/// their rate (send_target::sends), a replay's too.
[[nodiscard]] std::int64_t steady_ns();

/// CLOCK_REALTIME in nanoseconds (the header's send time).
[[nodiscard]] std::uint64_t realtime_ns();

/// The datagrams of one sendmmsg call, built in buffers kept across calls.
class batch_builder {
 public:
  using clock = std::uint64_t (*)();

  /// Batches of at most `batch` datagrams of `size` bytes, headers with
  /// `sender_id` and `session`, send times read from `now` per datagram.
  batch_builder(std::size_t batch, std::size_t size, std::uint32_t sender_id, std::uint32_t session,
                clock now = realtime_ns);

  /// The next min(`allowed`, batch) sequence numbers of `t`'s order, each a
  /// datagram: written by `t.stream` for a feed payload, else one whose
  /// first 40 bytes are its MCN1 header. Fewer when the order ends: `t.done`
  /// is set then. Only positions below `limit` are taken (a B line follows
  /// its main line's issued(); fewer then, and not done). The span is valid
  /// until the next fill().
  std::span<const core::message> fill(send_target& t, std::uint64_t allowed, std::uint64_t limit = UINT64_MAX);

 private:
  std::size_t size_;
  std::uint32_t sender_id_;
  std::uint32_t session_;
  clock now_;
  std::size_t capacity_;
  /// The datagrams back to back, `size_` bytes each: a run of full-size
  /// datagrams is one contiguous buffer, which segment_packer sends whole.
  std::vector<std::byte> arena_;
  std::vector<core::message> messages_;
};

/// Packs the datagrams of a batch into sendmmsg entries of up to `segments`
/// datagrams each, sent with a `UDP_SEGMENT` control message (mcast-send
/// --gso, udp(7)): the kernel cuts each entry back into the datagrams, each
/// with its own UDP and IP header. An entry takes a run of datagrams that
/// lie back to back in memory (batch_builder lays them out so) and have one
/// size, the last of the run possibly shorter; a lone datagram goes without
/// the control message. Nothing is copied; buffers are kept across calls.
class segment_packer {
 public:
  /// Entries of at most `segments` datagrams (1 to core::udp_max_segments_portable),
  /// for packs of at most `datagrams` datagrams (room for as many entries:
  /// datagrams of differing sizes may each need one).
  segment_packer(std::size_t segments, std::size_t datagrams);

  /// The entries for `datagrams` (valid until the next pack and while the
  /// datagrams' buffers are): every datagram in exactly one entry, in
  /// order, up to the constructor's `datagrams`.
  std::span<const core::message> pack(std::span<const core::message> datagrams);

  /// How many datagrams the first `entries` entries of the last pack carry.
  [[nodiscard]] std::size_t datagrams_in(std::size_t entries) const noexcept;

 private:
  std::size_t segments_;
  std::vector<core::message> entries_;
  std::vector<core::control_buffer> controls_;
  std::vector<std::size_t> counts_;  // datagrams per entry
  std::size_t used_ = 0;
};

/// The summary lines and event of a run over `targets` that sent
/// `total_sent` datagrams in `elapsed` seconds, the send phase (per group:
/// sent, bytes, its rate by the receiver's rule, the next sequence number
/// of its order and stream, when it has them; a B line's copies and
/// drain_s). The total's rate is over `rate_span` seconds when given, else
/// over `elapsed`: a paced run's is the longer of the send phase and the
/// N intervals its N datagrams took by the pacing (the wait after the last
/// one is cut to 1 s: `-r 1pps --burst 5 -c 5` sends for 1 s, at 1 pps).
void print_summary(const send_settings& s, const reporter& out, std::vector<send_target>& targets,
                   std::uint64_t total_sent, double elapsed, std::optional<double> rate_span = std::nullopt);

/// When the three END markers of each group go, after the run's last
/// datagram (and the B lines' drain): spaced so that a receiver whose queue
/// overflowed at the tail still gets one once it has drained.
inline constexpr std::array<std::chrono::milliseconds, 3> end_marker_offsets{
    std::chrono::milliseconds(0), std::chrono::milliseconds(50), std::chrono::milliseconds(200)};

/// The longest wait from the main line's last datagram to the end of the
/// send phase (and the first END marker): one pacing interval, but at most
/// this (1 s), so a slow rate (0.5 pps: 2 s; 0.001 pps: 1000 s) does not hold
/// the END markers back. Below 1 pps the summary's rate is then above the
/// one asked for (N datagrams over N-1 intervals and this).
inline constexpr std::chrono::milliseconds end_wait_max{1000};

/// A whole run over `targets` (sockets open, orders made): the start lines
/// and event, the paced round-robin send loop, three END markers per group
/// at end_marker_offsets (mcnet: MCN1 END; moldudp64: end of session; none
/// for rtp and mpegts),
/// the summary. A target's B line gets every sequence number the main line
/// passed, built alongside it and sent when --delay-b has passed (the
/// queues drained after the main line's last datagram, all B lines together:
/// the summary's rates are over the send phase before it, and each B line
/// says its drain_s). The send phase ends one pacing interval after the
/// main line's last datagram, at most end_wait_max. Returns 0; 4 after
/// printing the error when a batch failed or went out short; exit_interrupted
/// (2) after warn_interrupted() when a signal ended a run of -c or -d early
/// (END markers still go for what was sent; none when nothing was).
/// `planned_groups`: how many groups the command line named, when a signal
/// during open_targets left fewer targets (0: targets.size()); the warning's
/// `asked` is what -c asks of them all (the datagrams of one group's
/// send_order, faults applied, times the groups), however many were opened,
/// none included.
[[nodiscard]] int send_all(const send_settings& s, const reporter& out, std::vector<send_target>& targets,
                           std::size_t planned_groups = 0);

}  // namespace mcnet::tools
