// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The mcnet authors
#pragma once

/// @file
/// mcast-recv's streams (docs/tools.md, "Receiver statistics" and
/// "Payloads"). Each datagram is read as one payload protocol (--payload, or
/// classified per datagram with `auto`), and the protocol says what a stream
/// is: (group, port, source, sender id, session) for the mcnet header,
/// (group, port, source, session name) for MoldUDP64, (group, port, source,
/// SSRC) for RTP, (group, port, source) for MPEG-TS and raw datagrams. A
/// restarted mcnet sender has a new session, so it is a new stream, never
/// duplicates. Every parser and tracker is the feed layer's.

#include <array>
#include <chrono>
#include <compare>
#include <cstdint>
#include <deque>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <set>
#include <span>
#include <vector>
#include <string_view>
#include <tuple>
#include <unordered_map>
#include <unordered_set>
#include <utility>

#include <mcnet/core/control.hpp>
#include <mcnet/core/ip_address.hpp>
#include <mcnet/feed/histogram.hpp>
#include <mcnet/feed/jitter.hpp>
#include <mcnet/feed/mpegts.hpp>
#include <mcnet/feed/sequence.hpp>
#include <mcnet/feed/test_header.hpp>
#include <mcnet/tools/payload.hpp>
#include <mcnet/tools/stall_watch.hpp>

namespace mcnet::tools {

/// What --payload asks for: one protocol, or `auto` (classify each datagram).
enum class payload_mode : std::uint8_t { auto_detect, mcnet, moldudp64, rtp, mpegts, raw };

/// --payload's value: "auto" or a protocol name; nothing for another word.
[[nodiscard]] std::optional<payload_mode> parse_payload_mode(std::string_view text) noexcept;

struct stream_key {
  core::ip_address group{};
  std::uint16_t port = 0;
  core::ip_address source{};
  bool foreign = false;  ///< no mcnet header: sender id and session are 0
  std::uint32_t sender_id = 0;
  std::uint32_t session = 0;
  payload_kind payload = payload_kind::mcnet;  ///< the protocol; the fields after it are its stream id
  std::array<char, 10> mold_session{};         ///< MoldUDP64: the session field as sent (space padded)
  std::uint32_t ssrc = 0;                      ///< RTP: the synchronization source
  friend auto operator<=>(const stream_key&, const stream_key&) = default;
};

/// MPEG-TS accounting: the feed's continuity checker (on the heap: ~290 KiB)
/// and what it cannot count itself.
struct mpegts_state {
  feed::mpegts::continuity_checker continuity;
  std::uint64_t sync_errors = 0;  ///< 188-byte packets that did not parse (no 0x47, reserved control, ...)
  std::uint64_t pids = 0;         ///< distinct PIDs seen
};

/// The largest gap between two datagrams (or two batches of sends) that
/// always keeps them in one clump: 100 us, a burst sent back to back.
inline constexpr std::int64_t clump_gap_ns = 100'000;

/// The longest a burst cut apart may take, from its first arrival to a
/// piece that is still of it: 50 ms (a sender's batches delayed or the
/// sender preempted; cuts of up to 29 ms were seen on a loaded 2-core
/// machine). Bursts 0.2 s apart are two bursts, not one cut in two.
inline constexpr std::int64_t cut_age_max_ns = 50'000'000;

/// Lone later pieces a burst cut apart may have in a row (beyond its first
/// cut): a burst's datagrams arrived 748, 1, 1, 186, 64 on a loaded host
/// (trial20i 2: the second lone one started a clump, and 936 of the burst
/// were counted in the rate, 4,271 pps read for 3,000). A paced stream's
/// datagrams after a catch-up burst are lone pieces too: so at most three
/// of them join the catch-up's clump.
inline constexpr std::uint64_t max_lone_pieces = 2;

/// Whether an arrival `gap_ns` after the one before starts a new clump
/// (docs/tools.md, "Rates"). The current clump has `clump_count` arrivals,
/// began `age_ns` before this one after a gap of `boundary_ns` (0 for a
/// stream's first clump); `cut` says whether it has kept a longer gap
/// already and `piece_count` is its arrivals since the last one it kept
/// (since its start when none). Rules, in order:
/// - `clump_count` 0 (no clump yet) starts one.
/// - A clump lasts no longer than a quarter of the gap before it: an
///   arrival later than `boundary_ns / 4` after the clump's start starts a
///   new one even within 100 us. A burst is short against the silence
///   before it; a sender that sends without pause (one that fell behind)
///   is not a burst, and is counted in clumps of that length (a clump so
///   started keeps the boundary gap of the one before: clump_clock::add).
///   The first clump (no gap before it) has no such limit: a stream faster
///   than one datagram per 100 us from its start is one clump.
/// - A gap of at most clump_gap_ns keeps the arrival in the clump.
/// - A longer gap keeps it too when it is a cut in a burst: under a
///   quarter of the boundary gap, the clump younger than cut_age_max_ns,
///   and the piece before the gap back to back (the
///   clump's first piece, a lone datagram included, since a burst's first
///   datagram often arrives alone and the rest in the sender's next batch;
///   later pieces of two arrivals or more, or up to max_lone_pieces lone
///   ones in a row). Bursts of B every T have
///   boundary gaps near T; a cut inside one is far shorter and comes within
///   T. An evenly paced stream's gaps are all near T, so its datagrams stay
///   clumps of their own; a paced stream's datagrams after a stall and its
///   catch-up burst are single pieces, so at most the first three of them
///   join the catch-up's clump.
constexpr bool starts_clump(std::int64_t gap_ns, std::int64_t boundary_ns, std::int64_t age_ns,
                            std::uint64_t clump_count, bool cut, std::uint64_t piece_count,
                            std::uint64_t lone_pieces = 0) noexcept {
  if (clump_count == 0) return true;
  if (boundary_ns > 0 && age_ns > boundary_ns / 4) return true;
  if (gap_ns <= clump_gap_ns) return false;
  const bool back_to_back = !cut || piece_count >= 2 || lone_pieces < max_lone_pieces;
  const bool burst_cut = back_to_back && gap_ns < boundary_ns / 4 && age_ns < cut_age_max_ns;
  return !burst_cut;
}

/// Arrivals (or sends) counted in clumps for a rate (docs/tools.md,
/// "Rates"): an event joins the clump of the one before unless
/// starts_clump() says otherwise. A stream's datagrams (stream::arrivals)
/// and mcast-send's sends to a group are counted so, and rated alike.
/// O(1) per event; times in ns on one clock.
struct clump_clock {
  std::optional<std::int64_t> first_ns, clump_start_ns, last_ns;
  std::uint64_t count = 0, clump_count = 0;
  std::uint64_t clumps = 0;            ///< clumps so far
  /// The gap before the last clump began (0: the first); a clump that
  /// began within 100 us of the one before (that one had lasted its
  /// longest) keeps that one's.
  std::int64_t clump_boundary_ns = 0;
  bool clump_cut = false;              ///< the last clump kept a longer gap (a burst cut apart)
  std::uint64_t piece_count = 0;       ///< the last clump's events since its last kept cut (or its start)
  std::uint64_t lone_pieces = 0;       ///< the last clump's later pieces of one event in a row
  std::uint64_t bytes = 0;             ///< the events' bytes (add()'s `bytes`)
  std::uint64_t clump_bytes = 0;       ///< the last clump's
  double last_bytes = 0;               ///< the last event's (the last add()'s mean)
  /// `n` events from `at_ns` to `until_ns` (default: at once), of `bytes`
  /// bytes together: a batch sent together is n of one clump, and the gap
  /// to the next event is from its end (a batch of 64 may take longer than
  /// the gap to send).
  void add(std::int64_t at_ns, std::uint64_t n = 1, std::optional<std::int64_t> until_ns = std::nullopt,
           std::uint64_t bytes = 0) noexcept;
  /// The events the rate counts and the seconds they came in (rate =
  /// first / second), as stream_rate() says: with c >= 2 clumps, the
  /// events before the last clump (count - clump_count) over the span from
  /// the first to the last clump's start; one clump, count-1 from the first
  /// to the last. {0, 0} for fewer than two events.
  [[nodiscard]] std::pair<double, double> rate() const noexcept;
  /// The bytes of the events rate() counts, so that a bit rate is over the
  /// same events and span as the event rate (trial20q 5: the mean size of
  /// all, a last clump of larger datagrams included, read 87 kbit/s for
  /// 40): those before the last clump, or all but the last event's.
  [[nodiscard]] double rated_bytes() const noexcept;

 private:
  /// Whether rate() leaves out the last clump (else the last event).
  [[nodiscard]] bool leaves_last_clump() const noexcept;
};

/// One input of a stream's sequence tracker, as stream_table gave it: a
/// number (mcnet), a packet's run of `count` numbers from `first`
/// (MoldUDP64), an announcement (a heartbeat) or an END count.
struct sequence_input {
  /// `restart`: a run that starts a new epoch at its first number (a
  /// MoldUDP64 session begun again after its end of session).
  enum class kind : std::uint8_t { number, run, announce, end, restart };
  kind what = kind::number;
  std::uint64_t value = 0;  ///< the number, the run's first, the announced next number, the END count
  std::uint64_t count = 0;  ///< a run's numbers
};

/// What a stream's tracker counted since it last trusted all it counted
/// (feed::sequence_tracker::trusted()): the position then and the inputs
/// since, so that an evicted stream's record keeps only what the tracker
/// trusted, and its doubts (a start not proven, a near claim, far numbers
/// waiting) go on after a resume, to be proven or taken back as if it had
/// never been evicted (trial16e 1, 2, 4). Bounded: past `capacity` inputs
/// in doubt, the record keeps the settled position instead (`overflow`).
struct sequence_doubt {
  static constexpr std::size_t capacity = 32;
  feed::sequence_tracker::position checkpoint;  ///< the position when the tracker last trusted everything
  std::array<sequence_input, capacity> inputs{};
  std::uint8_t count = 0;  ///< inputs since checkpoint, while the tracker is not trusted
  bool overflow = false;   ///< more than `capacity` inputs in doubt: not replayable
};

/// The datagrams counted through one channel (stream_table::channels()),
/// for the channel's own rate: their arrivals in clumps, as a stream's
/// (trial20p F5: the rates of a channel's streams added up read 200 pps for
/// a channel whose two senders, one after the other, sent 100 pps each).
struct channel_arrivals {
  clump_clock arrivals;       ///< their arrivals (ns since the epoch)
  std::uint64_t packets = 0;  ///< datagrams counted
  std::uint64_t bytes = 0;    ///< their UDP payload bytes
};

/// A stream's datagrams that came through one ingress interface
/// (stream::by_interface).
struct interface_tally {
  std::uint32_t interface_index = 0;      ///< the ingress interface; 0 when unknown
  std::uint64_t packets = 0;              ///< datagrams counted through it (duplicates included)
  std::uint64_t bytes = 0;                ///< their UDP payload bytes
  std::optional<double> first_packet_ms;  ///< its first datagram, ms after the join of the stream's group
  clump_clock arrivals;                   ///< their arrivals, for the rate through it (clump_clock::rate())
};

/// How a stream's TTL and TOS varied over its datagrams (trial20k 5: a
/// stream half re-marked, or whose TTL changed, read as its last
/// datagram's alone). Updated only when a datagram's TTL or TOS differs
/// from the one before (stream::marking), so a steady stream costs one
/// compare a datagram.
struct marking_range {
  int ttl_min = -1, ttl_max = -1;  ///< the lowest and highest TTL / hop limit seen; -1: none seen
  /// A TOS / traffic class byte and the datagrams that carried it.
  struct tos_count {
    int tos = -1;
    std::uint64_t packets = 0;
  };
  /// TOS bytes kept apart, the first seen.
  static constexpr std::size_t tos_kept = 4;
  std::array<tos_count, tos_kept> tos{};  ///< the first tos_kept distinct values (tos -1: unused)
  std::uint64_t tos_others = 0;           ///< datagrams of further values
  /// Datagrams counted before the current TOS run began (credited to its
  /// value when it ends, tos_counts() adds the running one).
  std::uint64_t run_start = 0;
  /// Credit the datagrams from run_start to `packets` (exclusive) to the TOS `value`.
  void credit(int value, std::uint64_t packets) noexcept;
};

/// What a stream's datagrams show of the senders its numbers came from
/// (issue 16, trial16j MEDIUM 3: a copy of a live feed with every number
/// shifted by 5, interleaved with it, filled the feed's gaps, and a 10 %
/// loss read 0 %). Two senders' lines of numbers cannot be told apart by
/// the numbers, so a receiver does not guess which is the feed: it sees
/// what one sender's datagrams never show, and says the stream's loss is
/// unknown (conflict_of(), docs/tools.md "Two senders of one stream"):
/// - copies of one number that are different datagrams: a number's second
///   copy, less than stamps_kept below the highest, whose stamp (mcnet:
///   the send time, RTP: the timestamp) is not its first copy's, unless it
///   follows its first copy at once. A switch or a second path delivers
///   the same datagram twice (the same stamp); a sender's own copy of a
///   datagram follows it at once (mcast-send --dup-every, each copy with
///   its own send time); a forged copy carries another datagram's stamp
///   with the number, and the live sender's datagrams come between.
/// - a source port that switches back and forth: one sender's stream
///   (a session, an SSRC) comes from one socket; a restarted sender's new
///   socket changes it once, never back.
/// Each costs a compare or two per datagram, and a store of 4 bytes per
/// number.
struct sender_evidence {
  /// Numbers below the highest whose first copy's stamp is kept.
  static constexpr std::size_t stamps_kept = 128;
  /// A number's first copy: which number of its slot (number / stamps_kept
  /// in 15 bits, high bit set: 0 is none) and its stamp folded to 16 bits.
  struct stamp {
    std::uint16_t tag = 0;
    std::uint16_t print = 0;
  };
  std::array<stamp, stamps_kept> stamps{};
  /// The number of the stream's last datagram witnessed (none: all ones).
  std::uint64_t last = ~std::uint64_t{0};
  /// Copies of a number (less than stamps_kept below the highest, not
  /// right after their first copy) whose stamp was not their first copy's.
  std::uint64_t differing_copies = 0;
  std::uint16_t port = 0;       ///< the last datagram's source port; 0 before one is known
  std::uint16_t left_port = 0;  ///< the port before the last change; 0 before a change
  /// Changes of the source port back to the one before (left_port).
  std::uint64_t port_returns = 0;
  /// END markers (MoldUDP64: ends of session) whose count lay far past
  /// what the stream's pace and the run's length allow
  /// (stream_table::pace_allows()), not given to the tracker (trial t16u
  /// H3), and END markers within it that were given: one sender's ENDs
  /// all say one count, so both kinds contest the stream.
  std::uint64_t far_ends = 0;
  std::uint64_t near_ends = 0;
  /// A number's verdict (`kind`) after the tracker judged it, with the
  /// stream's highest number then and the datagram's stamp: a first copy
  /// keeps its stamp, a later copy is compared with it.
  void witness(feed::verdict kind, std::uint64_t number, std::uint64_t highest, std::uint64_t stamp_value) noexcept {
    auto& slot = stamps[number % stamps_kept];
    const auto tag = static_cast<std::uint16_t>(0x8000u | ((number / stamps_kept) & 0x7fffu));
    const auto print = static_cast<std::uint16_t>(stamp_value ^ (stamp_value >> 16) ^ (stamp_value >> 32) ^ (stamp_value >> 48));
    if (kind == feed::verdict::in_order || kind == feed::verdict::gap || kind == feed::verdict::reordered) {
      slot = {tag, print};
    } else if (kind == feed::verdict::duplicate && number != last && highest - number < stamps_kept &&
               slot.tag == tag && slot.print != print) {
      ++differing_copies;
    }
    last = number;
  }
  /// A datagram from source port `p` (0: not known, nothing said).
  void source_port(std::uint16_t p) noexcept {
    if (p == port || p == 0) return;
    if (port != 0 && p == left_port) ++port_returns;
    left_port = port;
    port = p;
  }
};

/// An RTP stream's timestamps against its arrivals: how many timestamp
/// units a second they advance. Samples (an arrival and the timestamps'
/// advance to it) are taken at least `spacing_ns` apart over the whole
/// stream (when full, every other one goes and the spacing doubles), and
/// the rate is the median over the pairs of samples a second or more apart
/// (trial t20u F1): an encoder's start delay, its end flush (x264 sends its
/// last 1.8 s of frames within 70 ms) and B-frames' timestamps out of order
/// move a few pairs, not the median, where a ratio of sums read ffmpeg's
/// 90 kHz as 129 kHz. A timestamp step (back more than 1 s, or forward more
/// than 1 s past the arrivals' gap, at rtp_clock_max) begins a new run of
/// samples: pairs are taken within one run. Kept where the jitter's clock
/// is assumed or given (--rtp-clock), to bear it out or contradict it
/// (rtp_clock_of()).
struct timestamp_pace {
  static constexpr std::size_t capacity = 32;
  std::array<std::int64_t, capacity> at_ns{};    ///< the samples' arrivals
  std::array<std::int64_t, capacity> units{};    ///< the timestamps' advance to them
  std::array<std::uint32_t, capacity> run_of{};  ///< the run of samples (steps apart) each is in
  std::size_t samples = 0;
  std::int64_t spacing_ns = 100'000'000;
  std::uint32_t last = 0;
  std::int64_t last_ns = 0;
  std::int64_t advance = 0;  ///< the timestamps' advance, unwrapped, steps left out
  std::uint32_t run = 0;
  bool any = false;
  void add(std::uint32_t timestamp, std::int64_t arrival_ns) noexcept;
  /// Units a second: the median over the pairs of samples of one run at
  /// least min_span_ns apart, once there is one and it is positive; none
  /// before.
  [[nodiscard]] std::optional<double> rate_hz() const noexcept;
  /// 1 s: a 10 fps video sender's frames (all of a frame's datagrams carry
  /// its timestamp) move a pair's rate by at most a tenth over it.
  static constexpr std::int64_t min_span_ns = 1'000'000'000;
};

struct stream {
  std::uint64_t packets = 0;
  std::uint64_t bytes = 0;
  int ttl = -1;  ///< last TTL / hop limit seen
  int tos = -1;  ///< last TOS / traffic class byte seen
  /// The last datagram's TTL and TOS as one number ((ttl + 1) << 16 | (tos
  /// + 1); 0 before the first): a datagram whose number differs updates
  /// `ttl`, `tos` and `marks`.
  std::uint32_t marking = 0;
  marking_range marks;  ///< the range of TTL and TOS over its datagrams
  sender_evidence senders;  ///< what its datagrams show of its senders (conflict_of())
  feed::sequence_tracker sequence;  ///< mcnet: datagram numbers; MoldUDP64: message numbers
  sequence_doubt doubt;             ///< what `sequence` counted in doubt (stream_table::track())
  feed::histogram latency;          ///< kernel receive time - send time, ns (mcnet)
  /// mcnet: from the header's send time, steps of more than
  /// stream_table::jitter_step_ns left out.
  feed::jitter interarrival;
  std::optional<double> first_packet_ms;  ///< after the join of its group
  /// The pace at the stream's start (start_gap_of()): the arrival of the
  /// datagram that made it 16 or more over 10 ms or more, and the highest
  /// number then; none before.
  std::optional<std::int64_t> pace_mark_ns;
  std::uint64_t pace_mark_seq = 0;
  std::uint64_t pace_mark_clumps = 0;  ///< arrivals.clumps then
  /// The arrival of its first trusted number (the first datagram the
  /// sequence tracker took; before it, those with a wrong length field,
  /// length_errors_at_start) and arrivals.clumps with it: the pace at the
  /// start is measured from there (trial t20w F2, F3).
  std::optional<std::int64_t> trusted_from_ns;
  std::uint64_t trusted_from_clumps = 0;
  /// Its arrival times are read times (--timestamp none): a stall of the
  /// receiver bunches them, so they give no pace.
  bool read_times = false;
  bool ended = false;                     ///< an END marker (mcnet) or end of session (MoldUDP64) arrived
  /// Its stall watch (the receive session's: trial t20r H1, per stream, so
  /// that another stream of its flow, its END or its datagrams, does not
  /// stand for it). A stream of a payload without a stream identity (raw,
  /// MPEG-TS) is its flow's of that payload, so its watch is the flow's.
  stall_watch::state stall;
  /// It came back after its eviction record was pushed out (unresumed()):
  /// its figures are only those since it came back, its loss while evicted
  /// unknown (JSON `unresumed`, the text says so; --max-loss does not quote them).
  bool unresumed = false;
  /// Its datagrams counted untracked (stream_table::untracked()) while it
  /// was evicted and the table had no room for it (trial20p F2): they are
  /// in no stream's counts, and the numbers they carried are neither
  /// received nor lost here; on resume its tracker goes on from the
  /// highest of them (stream_table::resume_point::untracked_high), so
  /// that none of them reads as lost. Its loss over them is unknown.
  std::uint64_t untracked = 0;
  std::uint32_t interface_index = 0;      ///< where the last datagram arrived; 0 when unknown
  /// Its datagrams by ingress interface once they came through more than
  /// one (a group joined on two interfaces of one LAN: each datagram
  /// arrives once through each, the later copies counted as duplicates):
  /// empty while all came through `interface_index`, then one tally per
  /// interface, at most stream_table::max_interfaces_per_stream (datagrams
  /// of further interfaces are in no tally). Each joined channel is
  /// credited with what came through it (stream_table::channels(); trial20k 1).
  std::vector<interface_tally> by_interface;
  // MoldUDP64
  std::uint64_t messages = 0;        ///< messages received (duplicates included)
  std::uint64_t heartbeats = 0;      ///< packets with count 0
  std::uint64_t end_of_session = 0;  ///< packets with count 0xFFFF (not counted in packets)
  // RTP
  std::unique_ptr<feed::rtp_sequence_tracker> rtp_sequence;  ///< RFC 3550 A.1 (heap: 8 KiB)
  /// RFC 3550 A.8, steps of more than stream_table::jitter_step_ns left
  /// out (timestamp discontinuities); none without a clock rate.
  std::optional<feed::rtp_jitter> rtp_interarrival;
  /// The clock of rtp_interarrival was assumed: a dynamic payload type
  /// (96-127) without --rtp-clock. Its timestamps' pace then bears the
  /// clock out or contradicts it (rtp_clock_of()), as it does a clock
  /// given (trial t20u F2).
  bool rtp_clock_assumed = false;
  std::uint8_t rtp_payload_type = 0;  ///< the payload type whose clock rtp_interarrival has
  /// Kept where the clock is assumed or given (--rtp-clock); heap: 800 bytes.
  std::unique_ptr<timestamp_pace> rtp_pace;
  // MPEG-TS, and RTP carrying it; none past the table's limit of checkers
  std::unique_ptr<mpegts_state> mpegts;
  /// mcnet: datagrams whose send time is more than
  /// stream_table::plausible_latency_ns from their arrival (either way): a
  /// clock problem (or a replayed capture), left out of latency and jitter.
  /// The clock errors reported add latency_outliers().
  std::uint64_t clock_errors = 0;
  /// mcnet: its send times against its numbers (trial t20y L2: one send
  /// time 0.5 s ahead among 50 honest ones, within the 1 s bound, made the
  /// latency -500 ms, claimed the sender's clock ahead and set the jitter to
  /// 28 ms for 13 us). One sender stamps its datagrams in the order it
  /// numbers them, and no datagram arrives sooner after being sent than
  /// the path allows: a send time earlier than that of a lower number kept
  /// (or later than that of a higher one), or whose latency is below the
  /// lowest kept, by more than the bound (stream_table::send_order_bound())
  /// is out of step. It is held, with those after it in step with it (each
  /// with the last held), up to stream_table::step_held of them: the
  /// sender's clock (or the path) stepped only once the step persists,
  /// stream_table::step_datagrams held over stream_table::step_span_ns of
  /// arrivals (or step_held in a row), and they are all kept then, the
  /// stream going on from there (one in step with them and with the
  /// datagrams before them too, its send time caught up with their order,
  /// is the step going on: it waits with them; trial t20q, a clock 50 ms
  /// back at 10 ms spacing cost the step's first 2-3 as clock errors);
  /// a datagram in step with the datagrams before them first, and not
  /// with them (the step stepped back), makes them clock errors,
  /// left out of latency and jitter (trial t20z: two or three send times
  /// in a row forged 0.5 s off were taken for a step). Those still held
  /// count as clock errors in reports (totals_of()). The first datagram of
  /// a stream has nothing before it to be judged by: it is kept, and so
  /// are the next in step with it, while the start is not proven (as a step
  /// is); held datagrams in step with each other, more of them than were
  /// kept from the start, make those kept from the start the clock errors
  /// (taken out of latency and jitter, which held nothing else: trial
  /// t20z, a forged first send time made the latency -500 ms) where their
  /// latencies are out of step with the held ones' (below them by more
  /// than the bound, or above by stream_table::first_delay_ns or more);
  /// else they stay latency (a first datagram delayed on the way, a stray
  /// far number's honest send time: trial t20q). A latency
  /// more than stream_table::latency_outlier_ns from the lowest kept is
  /// left to the judgement when reported (latency_outliers(): the median
  /// and this host's clock decide there), as before.
  struct send_order {
    bool any = false;             ///< a datagram was kept
    std::uint64_t seq = 0;        ///< the highest number kept
    std::int64_t sent_ns = 0;     ///< its send time
    std::int64_t floor_ns = 0;    ///< the lowest latency kept since the last step
    std::int64_t gap_sum_ns = 0;  ///< the send-time gaps of consecutive numbers kept
    std::uint64_t gaps = 0;       ///< and how many
    /// The start: not proven while fewer than step_datagrams were kept
    /// from the first, or over less than step_span_ns; how many were kept
    /// from it, and when the first arrived.
    bool start_proven = false;
    std::uint64_t start_kept = 0;
    std::int64_t start_arrival_ns = 0;
    /// The lowest and highest latency kept from the start while not proven.
    std::int64_t start_latency_min_ns = 0, start_latency_max_ns = 0;
    /// A datagram out of step and those in step with it after it, waiting.
    struct held_time {
      std::uint64_t seq = 0;
      std::int64_t sent_ns = 0, arrival_ns = 0, latency_ns = 0;
    };
    std::uint8_t held = 0;  ///< how many wait in held_times
    std::array<held_time, 32> held_times{};
  };
  send_order order;
  /// mcnet: arrival times are the kernel's receive stamps, so latencies far
  /// from the median are clock errors (latency_outliers()); false with
  /// --timestamp none, whose read times carry the receiver's own delays.
  bool judge_latency = true;
  /// mcnet: datagrams (and END markers) whose header's length field is not
  /// their size: counted as packets, not trusted for sequence, latency or END.
  std::uint64_t length_errors = 0;
  /// mcnet: the END markers among length_errors: no packets, so not taken
  /// out of what arrived (trial16g 1: 1,800 forged ENDs with a wrong length
  /// made a 0.5 % loss read 5 %).
  std::uint64_t end_length_errors = 0;
  /// mcnet: the datagrams among length_errors that came before its first
  /// trusted number (trial t20v L2): they arrived, so start_gap_of() does
  /// not count them among those likely lost before it.
  std::uint64_t length_errors_at_start = 0;
  // raw
  std::uint64_t malformed = 0;  ///< datagrams of a source that sends a protocol, which its parser refused
  std::optional<core::kernel_time> first_packet;  ///< arrival of the first datagram counted
  std::optional<core::kernel_time> last_packet;  ///< arrival of the latest datagram counted (END markers are not)
  /// Arrival of the datagram that last moved the tracker's highest number
  /// (or its epoch): the numbers up to the highest were sent by then, so
  /// the pace (pace_ahead()) is measured up to it, not up to a far number
  /// held since (trial t20y H1: the outage's first datagram, held, made
  /// the outage's own span part of the pace and its gap "beyond" it).
  std::optional<core::kernel_time> highest_at;
  /// Arrival of the datagram that brought the tracker's first number (as
  /// near as known: a far start's, that of its first far number held), of
  /// the lone first number a far start took over from
  /// (feed::sequence_tracker::lone()), and of the last number held far
  /// above the highest (`far_seq`): pace_back() measures the pace between
  /// the lone number and the start by them (trial t20z).
  std::optional<core::kernel_time> start_at, lone_at, far_at;
  std::uint64_t far_seq = 0;
  /// The counted datagrams' arrivals (ns since the epoch) in clumps, for
  /// the stream's rate (stream_rate()).
  clump_clock arrivals;
  /// Where its datagrams through `channel_interface` count for their
  /// channel's own rate (the table's channel_arrivals, kept while the
  /// table lives): its channel's, and on a group and port an include join
  /// names sources of, every source's there too; null before its first
  /// datagram, or past the channels the table keeps.
  channel_arrivals* channel = nullptr;
  channel_arrivals* any_source_channel = nullptr;  ///< (see `channel`)
  std::uint32_t channel_interface = 0;             ///< the interface `channel` is for
};


/// What add() made of one datagram (for --show-packets).
struct accounted {
  payload_kind payload = payload_kind::raw;      ///< how the datagram was read
  std::optional<feed::test_header> header;       ///< the mcnet header, when there is one
  std::optional<std::uint64_t> sequence;         ///< mcnet: its number; MoldUDP64: the first message's; RTP: the 16-bit one
  std::uint64_t numbers = 0;  ///< sequence numbers it carries from `sequence` on: 1 (mcnet, RTP), the MoldUDP64 message count; 0 for an end
  /// The feed's identity besides `header`'s sender id and session (mcnet),
  /// as stream_key has it: the MoldUDP64 session field (space padded)...
  std::array<char, 10> mold_session{};
  std::uint32_t ssrc = 0;  ///< ... and the RTP synchronization source
  std::optional<std::int64_t> latency_ns;        ///< arrival - send time, with an mcnet header
  bool end = false;        ///< an mcnet END or a MoldUDP64 end of session: accounted, not counted as a packet
  /// An END (`end`) that ends nothing: of no stream here (a stray, another
  /// session's), before the stream's first number, far past its pace, a
  /// length error, or one its tracker did not believe (2^64 - 1, at or
  /// below the highest number seen). Not its stream's end: the stall
  /// watch leaves its flow as it was (trial t16z: one forged END made a
  /// stream whose tail was lost read as ended, lost 0).
  bool end_refused = false;
  bool malformed = false;  ///< refused by the parser of the protocol its source sends (counted in the raw stream)
  /// mcnet: the header's length field is not the datagram's size: counted
  /// in its mcnet stream (a packet, and stream::length_errors; an END is no
  /// packet), its number, send time and END count not trusted (`sequence` none).
  bool length_error = false;
  bool untracked = false;  ///< a new stream past the table's limit: counted in untracked() only
  /// A new MPEG-TS stream (or RTP payload type 33 one) found no continuity
  /// checker left (`max_streams / streams_per_mpegts`): with `untracked`, the
  /// stream was not kept; without, its transport packets go unchecked.
  bool no_checker = false;
  /// `auto` holds this first RTP datagram of its SSRC until the source's
  /// next one of that SSRC: it counts in the RTP stream then, or as raw if
  /// none follows in sequence. `payload` says rtp meanwhile.
  bool held = false;
  /// The stream it counted in (or, for an END, the stream it ended) and
  /// that stream's key, in the table (valid until the next add()); none
  /// when it counted in no stream (untracked, held, refused).
  stream* record = nullptr;
  const stream_key* record_key = nullptr;
  /// Untracked, of a stream evicted whose watch goes on (evicted quiet, or
  /// stalled: stream_table::evicted_quiet()): that watch and its key (valid
  /// until the next add()), for the receive session to feed with this
  /// datagram (stall_watch::arrive(); trial t20u M1).
  stall_watch::state* evicted_watch = nullptr;
  const stream_key* evicted_watch_key = nullptr;
  [[nodiscard]] bool is_end() const noexcept { return end; }
};

struct totals {
  std::uint64_t packets = 0, bytes = 0, lost = 0, reordered = 0, duplicates = 0;
  /// The protocols' counters (interval deltas): MoldUDP64's, MPEG-TS's, raw's malformed.
  std::uint64_t messages = 0, heartbeats = 0, end_of_session = 0, cc_errors = 0, sync_errors = 0, malformed = 0;
  /// Sequence numbers not believed: too far ahead and never followed, of
  /// a far jump taken back or not proven, held as evidence against one
  /// (feed::sequence_tracker::jumps, RTP's A.1 jumps), and new epochs
  /// (a followed jump too far to be a gap, an RTP restart).
  std::uint64_t jumps = 0, restarts = 0;
  /// Arrivals more than the sequence window behind the highest number
  /// (feed::sequence_tracker::too_late): in packets and reordered, their
  /// numbers still lost (the gap had expired).
  std::uint64_t too_late = 0;
  /// Datagrams without a sequence number (raw payload streams: iperf2,
  /// unknown protocols): their loss cannot be measured.
  std::uint64_t unsequenced = 0;
  /// Those of `unsequenced` that are mcnet datagrams of streams in which no
  /// number was trusted (every datagram a length error: untrusted_numbers()).
  std::uint64_t untrusted = 0;
  /// Of `unsequenced`: datagrams of RTP streams whose numbers jumped and
  /// went on from there where the timestamps could not tell an outage from
  /// a restart (trial t20y H3): their loss is unknown, never 0.
  std::uint64_t rtp_undecided = 0;
  /// Datagrams of raw streams that the parser of the protocol their source
  /// sends refused (stream::malformed of raw streams: malformed MoldUDP64,
  /// say): not unsequenced, damaged; their loss is not measured either.
  std::uint64_t refused = 0;
  /// mcnet's stream::clock_errors and stream::length_errors.
  std::uint64_t clock_errors = 0, length_errors = 0;
  /// RTP: timestamp discontinuities left out of the jitter (the steps of
  /// stream::rtp_interarrival).
  std::uint64_t timestamp_steps = 0;
  /// Datagrams of streams that count loss by number (mcnet, MoldUDP64,
  /// RTP): with none, a total's lost, reordered and duplicates are
  /// unknown, not 0 (MPEG-TS alone counts continuity, raw nothing).
  std::uint64_t sequenced = 0;
  /// The MoldUDP64 streams' share of lost, reordered, duplicates, jumps,
  /// too_late and sequenced: their numbers are messages, not datagrams
  /// (trial20o M3: total.lost added 27 messages to 120 datagrams). The
  /// reports give them apart (datagram_counts()).
  std::uint64_t mold_lost = 0, mold_reordered = 0, mold_duplicates = 0, mold_jumps = 0, mold_too_late = 0,
                mold_sequenced = 0;
  /// Add `o` field by field (lost saturating: hostile numbers).
  void add(const totals& o) noexcept;
};

/// `t` without the MoldUDP64 streams' share (totals::mold_lost ...): lost,
/// reordered, duplicates, jumps, too_late and sequenced of the streams
/// numbered by datagram (mcnet, RTP), one unit each.
[[nodiscard]] totals datagram_counts(const totals& t) noexcept;

/// Whether streams of `key` count lost, reordered and duplicates (mcnet and
/// MoldUDP64 in their numbers, RTP in its sequence); MPEG-TS and raw do not.
[[nodiscard]] bool counts_loss(const stream_key& key) noexcept;

/// `s.marks` with the running TOS value's datagrams credited: its `tos`
/// holds each TOS byte of the stream's datagrams with their count, in the
/// order first seen (at most marking_range::tos_kept; unused entries tos
/// -1), its `tos_others` the datagrams of further values.
[[nodiscard]] marking_range settled_marks(const stream& s) noexcept;

/// Whether `s`, an mcnet stream with datagrams, has had no number trusted
/// (each of its datagrams a length error: stream::length_errors): its loss
/// cannot be measured, so it counts as unsequenced (totals::untrusted), its
/// lost, reordered and duplicates unknown, not 0 (trial20k 2).
[[nodiscard]] bool untrusted_numbers(const stream_key& key, const stream& s) noexcept;
/// Whether `s` had datagrams untracked while evicted (stream::untracked)
/// and its tracker decided no number besides its first (nothing received
/// past it, nothing lost): what its numbers lost is unknown, not 0
/// (trial20p F2: one datagram tracked, nine untracked, read "lost 9").
[[nodiscard]] bool undecided_numbers(const stream_key& key, const stream& s) noexcept;
/// counts_loss(key) for a stream whose numbers were trusted
/// (!untrusted_numbers()) and decided (!undecided_numbers()).
[[nodiscard]] bool counts_loss(const stream_key& key, const stream& s) noexcept;
/// Whether `s`, silent at the end of a run, leaves its tail unknown: a
/// stream of a protocol whose senders end with a marker (mcnet END,
/// MoldUDP64 end of session) that counts loss (counts_loss(key, s)), had
/// more than one datagram (a single datagram is no stream with a pace to
/// stop from: junk, a probe) and got no marker. Silent at the end means its
/// own stall watch (stream::stall) stalled, which takes
/// stall_watch::warm_up datagrams, or short_feed_datagrams of a short feed
/// (short_paced_feed()): the receive session asks this of those.
[[nodiscard]] bool tail_unknown_without_end(const stream_key& key, const stream& s) noexcept;
/// A short mcnet feed's pace (trial t16s M2, t20s L1: a real feed of one
/// datagram a 500 ms killed after its 4th, silent for the last 11 s, read
/// lost 0 and exit 0; the warm-up of 5 datagrams took it for junk): at
/// least short_feed_datagrams numbers, every one believed and in order
/// (the next number each time: no copy, no jump, none missing, none
/// reordered, none untracked) and spread over short_feed_span or more of
/// its stall watch's intervals, which are between the datagrams' arrival
/// times, the kernel's where it gave them (trial t20t H3: a 1 pps feed
/// queued while the receiver was stopped and read in one batch came
/// together by its reads). Junk has none: one datagram of each of many
/// sender ids, copies of one datagram, numbers none of which follows
/// another, a probe's burst (its datagrams within milliseconds).
inline constexpr std::uint64_t short_feed_datagrams = 3;
inline constexpr std::chrono::milliseconds short_feed_span{500};
/// Whether `s` is such a feed (and not ended); then its stall watch needs
/// short_feed_datagrams, not stall_watch::warm_up, and its tail is unknown
/// when it stalls without its END.
[[nodiscard]] bool short_paced_feed(const stream_key& key, const stream& s) noexcept;
/// Whether an mcnet stream's arrivals are a pace its stall watch may judge:
/// stall_watch::warm_up numbers it believed (copies and numbers not
/// believed are none), or a short feed's (short_paced_feed()). Other
/// payloads: always (their watch counts datagrams). Junk without one is
/// never said to stall, live or at the end (trial t16t L5: one datagram
/// sent five times got a `stalled` warning and a summary line, though its
/// tail was rightly not unknown).
[[nodiscard]] bool believed_pace(const stream_key& key, const stream& s) noexcept;

/// The numbers a stream's session used before the first one that arrived
/// (trial20j 7: a receiver joined before the sender started saw 10, 11 ...
/// and said nothing of 0 to 9). mcnet numbers start at 0 in each session
/// (the header's contract), MoldUDP64 messages at 1 (MoldUDP64 1.00,
/// "Sequence Number"). They are an estimate shown, never counted in lost
/// (loss counts from the first arrival, as the A/B merge does): whether
/// they were sent after the join is judged by the stream's pace at its
/// start (its numbers over their arrivals' span up to the datagram that
/// made it 16 or more over 10 ms or more; before that, all of them), by which its first number was due `missed / pace`
/// before its first arrival, so the session began `first_packet_ms` - that
/// after the join. They are `likely` lost when that is at least the margin
/// after the join: three of the stream's clump periods at its start (a
/// burst's period, or one interval of an even pace), at least 10 ms; with
/// a proven start in its first epoch, at most
/// feed::sequence_tracker::window of them, 9 numbers or more to give the
/// pace, kernel receive times (not --timestamp none, where a stall of the
/// receiver bunches the read times) and the stream not back unresumed. A
/// sender that sent its first numbers faster than it went on, or paused
/// between them, is misjudged: a pace says nothing of either (trial20k 2,
/// 3b), which is why the estimate is not counted.
struct start_gap {
  std::uint64_t first_sequence = 0;  ///< the first number counted (the tracker's first())
  std::uint64_t missed = 0;          ///< numbers of the session below it: first_sequence - 0 (mcnet) or - 1 (MoldUDP64)
  /// When, by the pace, the session's first number was due, in seconds
  /// after the join (negative: before it, a late join); none without a
  /// pace or a join time.
  std::optional<double> began_after_join_s;
  bool likely = false;  ///< `missed` were likely lost: sent after the join, by the pace
  /// Datagrams that came before the first number with a wrong length field
  /// (stream::length_errors_at_start, at most the numbers below it): they
  /// arrived, not trusted, so not in `missed` (trial t20v L2).
  std::uint64_t untrusted = 0;
};
/// The least margin after the join for start_gap::likely, ns.
inline constexpr std::int64_t start_gap_margin_min_ns = 10'000'000;
/// The datagrams whose arrivals give the pace at a stream's start: at
/// least this many, over at least start_pace_span_ns.
inline constexpr std::uint64_t start_pace_datagrams = 16;
inline constexpr std::int64_t start_pace_span_ns = 10'000'000;
/// The RTP clocks in use: RFC 3551's tables (8000, 11025, 16000, 22050,
/// 44100, 90000) and the formats' since (24000 and 32000 for G.722.1 and
/// the like, 48000 for L16/L24 and Opus, 96000 for L24).
inline constexpr std::array<std::uint32_t, 10> rtp_standard_clocks{8000,  11025, 16000, 22050, 24000,
                                                                  32000, 44100, 48000, 90000, 96000};
/// The fastest of them: a timestamp_pace step is judged at it.
inline constexpr std::uint32_t rtp_clock_max = 96000;
/// The largest relative distance of a measured timestamp rate from a clock
/// that it fits: 5 % (44.1 and 48 kHz are 8.8 % apart, 90 and 96 kHz 6.7 %).
inline constexpr double rtp_clock_fit = 0.05;
/// What an RTP stream's timestamps' rate says of a clock `hz`
/// (judge_rtp_clock()).
struct rtp_clock_judgement {
  /// The standard clock nearest the rate, where within rtp_clock_fit of it.
  std::optional<std::uint32_t> fits;
  /// The rate is within rtp_clock_fit of `hz`.
  bool borne_out = false;
  /// Another standard clock (`fits`) fits clearly better: `hz` is more than
  /// rtp_clock_fit and more than twice as far from the rate as it is. Only
  /// then is the clock wrong; a rate that fits no standard clock leaves it
  /// unconfirmed, not contradicted (trial t20u F1).
  bool contradicted = false;
};
[[nodiscard]] rtp_clock_judgement judge_rtp_clock(std::uint32_t hz, double rate_hz) noexcept;

/// How far past its highest number a stream's END marker, or a far jump
/// of its numbers, may reach (trial t16u H3: 4 forged ENDs claimed 60,000
/// lost of a feed of 1,000 a second, 2 claimed 4,294,967,295): pace_margin
/// times the numbers the stream's pace (its numbers over the span of its
/// datagrams before this one) gives the whole run up to `now`, plus
/// feed::sequence_tracker::provisional_gap (what one datagram may claim at
/// once). UINT64_MAX (no bound) before the pace is known: fewer than
/// start_pace_datagrams numbers, or a span under start_pace_span_ns.
/// The pace's span ends at stream::highest_at (the arrival that brought
/// the highest number), else at `before`, the arrival of its last datagram
/// before this one: a far number held (a jump waiting to be followed)
/// adds nothing to the numbers and must not add its time to the span
/// (trial t20y H1). The span starts at the first datagram's arrival, or,
/// after a far start took over from a lone first number
/// (feed::sequence_tracker::lone()), at the start's (stream::start_at),
/// where the numbers counted begin, a span under start_pace_span_ns then
/// counting as that (trial t20q: 0, 1100, 1200, ... at 20 kpps measured
/// the numbers from 1,100 over the time since 0 came, a pace 12 times too
/// slow: every later datagram read as a jump). pace_step() alike.
inline constexpr std::uint64_t pace_margin = 4;
[[nodiscard]] std::uint64_t pace_ahead(const stream& s, std::optional<core::kernel_time> before,
                                       core::kernel_time now) noexcept;
/// The numbers the stream's pace gives the time since its highest number
/// arrived (stream::highest_at) up to `now`, pace_margin times, plus
/// provisional_gap: what a loss may have taken while nothing came (trial
/// t20y H2), feed::sequence_tracker::pace_step(). 0 before the pace is known.
[[nodiscard]] std::uint64_t pace_step(const stream& s, core::kernel_time now) noexcept;
/// The furthest below a stream's first number its lone first number (a far
/// start took over from it: feed::sequence_tracker::lone()) may lie and be
/// on the same climb: the numbers the pace of the numbers from the first
/// up to the highest (over stream::start_at up to stream::highest_at) gives
/// the time between the lone number's arrival and the first's, pace_margin
/// times, plus provisional_gap; feed::sequence_tracker::pace_back(). 0
/// without a lone number or a pace (trial t20z).
[[nodiscard]] std::uint64_t pace_back(const stream& s) noexcept;
/// The clock an RTP stream's jitter is in (trial t20r F3: payload type 96
/// at 44.1 kHz read a jitter 70 times too high at the 90 kHz assumed).
struct rtp_clock {
  std::uint32_t hz = 0;  ///< the clock rate (--rtp-clock, or by payload type)
  bool assumed = false;  ///< stream::rtp_clock_assumed
  /// Where assumed or given (--rtp-clock): the timestamps' own rate
  /// against the arrivals, once measured (timestamp_pace).
  std::optional<double> rate_hz;
  /// Another standard clock fits the rate measured clearly better
  /// (judge_rtp_clock()): the jitter at `hz` would be wrong, so it is
  /// unknown where `hz` was assumed, and kept but marked where given.
  bool contradicted = false;
  std::uint8_t payload_type = 0;  ///< stream::rtp_payload_type
};
/// An RTP stream's clock; none for other payloads or without a clock.
[[nodiscard]] std::optional<rtp_clock> rtp_clock_of(const stream_key& key, const stream& s) noexcept;

/// The start gap of an mcnet or MoldUDP64 stream with a number counted;
/// none for other payloads (RTP starts at a random number, MPEG-TS and raw
/// have none) or before a number.
[[nodiscard]] std::optional<start_gap> start_gap_of(const stream_key& key, const stream& s) noexcept;

/// A stream contested: its numbers came from more than one sender
/// (sender_evidence), so its lost, reordered and duplicates are what the
/// senders' numbers show together, not the feed's: its loss is unknown
/// (docs/tools.md, "Two senders of one stream"). Each count is the
/// stream's whole evidence of its kind; which kinds contest it say
/// copies(), ports() and sources().
struct sender_conflict {
  std::uint64_t differing_copies = 0;  ///< sender_evidence::differing_copies
  std::uint64_t port_returns = 0;      ///< sender_evidence::port_returns
  /// sender_evidence::far_ends while the stream also had ENDs within its
  /// pace (near_ends), else 0: ENDs of two counts, one far past anything
  /// the stream's pace allows (trial t16u H3).
  std::uint64_t far_ends = 0;
  /// Other sources of the same mcnet sender id and session on its group
  /// and port (in the table), the first sender_conflict::sources_kept.
  std::vector<core::ip_address> other_sources;
  static constexpr std::size_t sources_kept = 4;
  /// Copies of a number that are different datagrams contest a stream
  /// from this many on, and at least one in copies_share of its datagrams:
  /// a forged copy that fills the gaps of a lossy feed is a copy of nearly
  /// every number, while a sender that sends some numbers again (a repair
  /// for another receiver's loss) stays below it. Under it a forger hides
  /// at most about 1 / copies_share of the feed's loss.
  static constexpr std::uint64_t copies_min = 16;
  static constexpr std::uint64_t copies_share = 16;
  /// Source port changes back to the port before that contest a stream
  /// from this many on (a forger's datagrams between the live sender's:
  /// two changes each).
  static constexpr std::uint64_t port_returns_min = 8;
  [[nodiscard]] bool copies(std::uint64_t packets) const noexcept {
    return differing_copies >= copies_min && differing_copies * copies_share >= packets;
  }
  [[nodiscard]] bool ports() const noexcept { return port_returns >= port_returns_min; }
  [[nodiscard]] bool sources() const noexcept { return !other_sources.empty(); }
  [[nodiscard]] bool ends() const noexcept { return far_ends > 0; }
};

/// What the stream's own datagrams show (copies(), ports(); not other
/// sources): its conflict when they contest it, none otherwise. Only
/// streams that count loss by number (counts_loss()) are judged.
[[nodiscard]] std::optional<sender_conflict> conflict_of(const stream_key& key, const stream& s);

/// The part of the stream's lost that a decision still pending may take
/// back (feed::sequence_tracker::lost_in_doubt(): an open claim, a
/// contest, an END waiting, an open start); 0 for streams that count no
/// loss by number. Interval reports print lost less this, the loss
/// decided, so that no report shows a loss a later one takes back.
[[nodiscard]] std::uint64_t lost_in_doubt(const stream_key& key, const stream& s) noexcept;

/// A stream's counters as totals (for sums and interval deltas); lost,
/// reordered and duplicates are 0 where counts_loss() is false.
[[nodiscard]] totals totals_of(const stream_key& key, const stream& s) noexcept;

/// mcnet: the stream's latencies more than stream_table::latency_outlier_ns
/// from the latency kept (clock errors beside stream::clock_errors): the
/// median of those within the bound of 0, the latencies this host's own
/// clock finds plausible, when some are and some are not and they are at
/// least half of them (trial h20x F6: one among 100 decided); else the median
/// of all (of three or more). 0 when stream::judge_latency is false. O(1)
/// when the latencies span at most that much (the usual case), else a pass
/// or two over the histogram.
[[nodiscard]] std::uint64_t latency_outliers(const stream& s) noexcept;

/// The stream's latencies without latency_outliers(): `s.latency` itself
/// when there are none, else a copy within the kept median +/- the bound
/// (feed::histogram::within: min and max within the resolution there).
/// `copy` holds that copy.
[[nodiscard]] const feed::histogram& latency_kept(const stream& s, feed::histogram& copy);

/// The memory a receiver's stream table may take, in bytes: half of the
/// smallest of MemAvailable (/proc/meminfo), the address space RLIMIT_AS
/// leaves (the limit less what the process has mapped, VmSize in
/// /proc/self/status) and what the process's cgroup v2 leaves (its
/// memory.max less its memory.current, /proc/self/cgroup under
/// /sys/fs/cgroup); none when none of them is known (trial t16u H2: under
/// `ulimit -v` or a container's memory.max, /proc/meminfo shows the host).
[[nodiscard]] std::optional<std::size_t> stream_memory_budget();

class stream_table {
 public:
  /// Streams kept by default: each holds ~20 KB (a 65,536-number sequence
  /// window, the latency histogram and the stamps of its last 128 numbers,
  /// sender_evidence; an RTP one 8 KiB more), so a sender
  /// that changes its id, session or SSRC per datagram cannot grow the
  /// table past ~170 MB (with the MPEG-TS checkers' share).
  static constexpr std::size_t default_max_streams = 4096;
  /// The largest |arrival - send time| of an mcnet datagram taken as
  /// latency: 60 s. Past it the clocks disagree (or the datagram was sent
  /// from a capture): counted in stream::clock_errors instead, so a send time
  /// of 0 or of the year 2100 cannot make the latency -73 years.
  static constexpr std::int64_t plausible_latency_ns = 60'000'000'000;
  /// The largest distance of an mcnet datagram's latency from its stream's
  /// median latency taken as latency: 1 s. Past it the send time is the
  /// sender's clock stepping or a send time that is not one (trial20i 4:
  /// one datagram 59 s off among 49 at 30 us made the minimum -59 s,
  /// claimed a clock offset of 59 s and set the jitter to 4.26 s): a clock
  /// error (latency_outliers()), left out of the latency figures
  /// (latency_kept()), and a transit step of more than this is left out of
  /// the jitter. Judged when reported, against the median of the
  /// stream's latencies that this host's clock finds plausible (within
  /// this bound of 0) when some are and some are not and they are at
  /// least half of them (trial20q 3: with
  /// half the send times forged 30 s ahead, the forged half was kept),
  /// else of all of them, so the majority decides wherever the odd ones
  /// are (trial20j 3: 20 send times 2 s off at the start made the 180
  /// right ones after them the errors). Not judged where arrival times are
  /// read times (--timestamp none: a receiver's own stall is in them).
  static constexpr std::int64_t latency_outlier_ns = 1'000'000'000;
  /// The largest step between two neighbouring transit times taken as
  /// jitter (feed::jitter and feed::rtp_jitter with a bound): 1 s, the
  /// outlier bound. Beyond what a path's queues do to a live stream (RFC
  /// 3550 6.4.1 measures the jitter in ms at most); a larger step is a
  /// clock's or a timestamp's: mcnet's send time (its datagram a clock
  /// error when the stream is reported), an RTP timestamp moved or a
  /// timestamp base changed (trial20q 1: one timestamp 2^31 ticks off made
  /// the jitter 5.18 s), counted in stream::rtp_interarrival's steps()
  /// (JSON `timestamp_steps`) and left out of the jitter.
  static constexpr std::int64_t jitter_step_ns = latency_outlier_ns;
  /// A step of an mcnet stream's send times against its numbers counts as
  /// the sender's clock (or the path) stepping once it persists: this many
  /// datagrams in step with each other and out of step with those before,
  /// arriving over at least step_span_ns, or step_held in a row; one that
  /// steps back before is clock errors (stream::send_order; trial t20z:
  /// two send times in a row forged 0.5 s ahead read latency min -500 ms).
  /// A stream's start is proven likewise.
  /// How much slower than the datagrams after it a stream's start (its
  /// first datagrams, before they are proven) may have been on the way and
  /// still be latency, its own delay (a route or neighbour resolved, a
  /// queue at the start: trial t20q, a first datagram 30-200 ms slower read
  /// as a clock error), rather than a clock error: 300 ms. A start further
  /// behind (a send time forged 0.5 s back), or ahead of them (a latency
  /// below what the path allows), is a clock error.
  static constexpr std::int64_t first_delay_ns = 300'000'000;
  static constexpr std::uint64_t step_datagrams = 8;
  static constexpr std::int64_t step_span_ns = 100'000'000;
  static constexpr std::size_t step_held = std::tuple_size_v<decltype(stream::send_order::held_times)>;
  /// The bound of stream::send_order: twice the stream's mean spacing (the
  /// send-time gap between consecutive numbers kept), at least 1 ms (the
  /// receive stamps' noise; the bound before two consecutive numbers were
  /// kept), at most latency_outlier_ns.
  [[nodiscard]] static std::int64_t send_order_bound(const stream::send_order& o) noexcept;
  /// The largest gap between two datagrams of a stream that always puts
  /// them in one clump (stream::arrivals; starts_clump()).
  static constexpr std::chrono::nanoseconds clump_gap{clump_gap_ns};
  /// An MPEG-TS continuity checker holds ~290 KiB: at most one per this
  /// many streams of the limit (at least one) is kept, so the checkers add
  /// at most ~70 MB to the default limit.
  static constexpr std::size_t streams_per_mpegts = 16;
  /// What one stream may cost, for the memory bound: its map node, an RTP
  /// stream's tracker and timestamp pace (on the heap), and its share of the MPEG-TS
  /// continuity checkers (one per `streams_per_mpegts` streams), ~50 KB (49,525 bytes with g++ 12 on x86-64).
  static constexpr std::size_t bytes_per_stream = sizeof(stream_key) + sizeof(stream) + 64 +
                                                  sizeof(feed::rtp_sequence_tracker) + sizeof(timestamp_pace) +
                                                  (sizeof(mpegts_state) + streams_per_mpegts - 1) / streams_per_mpegts;


  /// A stream whose last datagram is this old may give its place to a new
  /// one when the table is full.
  static constexpr std::chrono::nanoseconds idle_after{std::chrono::seconds(10)};
  /// A stream of a single datagram this old may give its place (random
  /// sender ids, SSRCs or sessions make such streams); a younger one may be
  /// a real stream whose second datagram is on its way.
  static constexpr std::chrono::nanoseconds junk_after{std::chrono::seconds(1)};
  /// A stream of at most this many datagrams idle for `junk_after` and
  /// overdue by its own pace (below) may give its place before the
  /// `idle_after` rule, and one overdue but younger after every other (a flood of sender ids with a few
  /// datagrams each must not leave a real feed untracked; a real feed that
  /// pauses keeps its counts in the totals and is made again by its next
  /// datagram).
  static constexpr std::uint64_t small_stream = 8;
  /// A stream of 2 to `small_stream` datagrams is overdue, and may give its
  /// place when the table is full, once none of its datagrams came for
  /// `overdue_pace` times its own mean spacing (first to last over the
  /// intervals), and at least `overdue_after`: junk that came and stopped.
  /// A feed with a steady pace is not overdue between two of its datagrams
  /// (one a second: not before 4 s without one).
  static constexpr std::int64_t overdue_pace = 4;
  static constexpr std::chrono::nanoseconds overdue_after{std::chrono::milliseconds(20)};

  /// An evicted mcnet or MoldUDP64 stream leaves a record (its key, counts
  /// and sequence position, feed::sequence_tracker::position: ~0.9 KB with
  /// the index), so that when its datagrams come back (a slow feed that a
  /// flood of junk streams evicted between two of its datagrams) it goes on
  /// from there: the numbers missed since count as lost and its END is not
  /// stray. Records of single-datagram streams (what a flood evicts) are
  /// kept for the last `resume_single` of them, those of longer streams for
  /// the last `resume_several`, oldest dropped first, so that a flood
  /// cannot push out a real stream's record (~21 MB at most, with the
  /// inputs of streams evicted in doubt, sequence_doubt).
  static constexpr std::size_t resume_single = 8192;
  static constexpr std::size_t resume_several = 4096;
  /// A record pushed out leaves a fingerprint of its key (64 bits, keyed)
  /// for the last this many records pushed out (~1 MB), so that its
  /// stream, should it come back, is known to start anew with its loss
  /// between unknown (unresumed()), not silently.
  static constexpr std::size_t forgotten_kept = 16384;
  /// An ended stream evicted leaves a fingerprint of its key too, for the
  /// last this many (~1 MB): the sender's repeated END markers (mcast-send
  /// sends three, 50 and 200 ms apart) that come after the eviction are that
  /// stream's, ignored, not END markers of a stream never seen (trial16f 2:
  /// a clean 0.5 pps feed under a junk flood failed --max-loss as
  /// loss_unknown on its own two repeats).
  static constexpr std::size_t ended_kept = 16384;

  /// `mode`: --payload; `rtp_clocks`: --rtp-clock (else by payload type).
  /// `max_streams` is bounded by `memory_bytes` (default: half the memory
  /// available when the table is made, MemAvailable in /proc/meminfo), so
  /// a huge --max-streams cannot exhaust memory: limit() says what holds.
  explicit stream_table(std::size_t max_streams = default_max_streams, payload_mode mode = payload_mode::auto_detect,
                        rtp_clock_map rtp_clocks = {},
                        std::optional<std::size_t> memory_bytes = std::nullopt);

  /// Arrival times are read times, not the kernel's receive stamps
  /// (--timestamp none): latencies are not judged against their median
  /// (stream::judge_latency).
  void set_read_times(bool read_times) noexcept { read_times_ = read_times; }

  /// Streams kept at most: max_streams, or fewer when memory bounds it.
  [[nodiscard]] std::size_t limit() const noexcept { return max_streams_; }
  /// The limit asked for (max_streams as given).
  [[nodiscard]] std::size_t requested_limit() const noexcept { return requested_; }

  /// Remember when `group`:`port` was first joined (for first_packet_ms);
  /// later joins of it (more sources, other interfaces) keep the first time.
  /// `include_source`: the source of an include (SSM) join, whose (S,G) is
  /// a channel of its own in channels() (RFC 4607: a channel is (S,G)).
  void joined(const core::ip_address& group, std::uint16_t port, core::kernel_time when,
              const std::optional<core::ip_address>& include_source = std::nullopt);

  /// Account one datagram. `arrival` is the kernel receive time (or the
  /// wall clock when no timestamp came); ttl/tos may be -1; `interface_index`
  /// is the ingress interface (IP_PKTINFO), 0 when unknown. With `auto`, a
  /// first RTP datagram of an SSRC is held until the next datagram of that
  /// source and SSRC says whether the sequence is steady (then both count
  /// in the RTP stream) or not (then it counts as raw); up to
  /// `max_held_per_source` SSRCs of one source wait at once (RTP sessions
  /// multiplexed on one port), and a datagram of another protocol from the
  /// source counts them as raw; settle() counts the held ones at the end.
  /// `source_port` is the datagram's UDP source port, 0 when unknown
  /// (sender_evidence::source_port).
  accounted add(const core::ip_address& group, std::uint16_t port, const core::ip_address& source,
                std::span<const std::byte> payload, core::kernel_time arrival, int ttl, int tos,
                std::uint32_t interface_index = 0, std::uint16_t source_port = 0);

  /// `t` (sum()) with the loss in doubt of the streams in the table
  /// (tools::lost_in_doubt()) taken out: out of lost, and a MoldUDP64
  /// stream's out of mold_lost too (its unit, messages: datagram_counts()
  /// stays the datagrams' loss decided). What interval reports print.
  [[nodiscard]] totals decided(totals t) const noexcept;

  /// Settle every stream's sequence accounting (feed::sequence_tracker::settle:
  /// a far jump not proven, or refuted by its sender's repeated END, is taken
  /// back) and count every held RTP candidate as raw (a lone RTP-looking
  /// datagram is not a stream). Called before the summary.
  void settle();

  [[nodiscard]] const std::map<stream_key, stream>& streams() const noexcept { return streams_; }
  /// Every stream, to update its stall watch (stream::stall): `f(key, stream)`.
  template <typename F>
  void watch_streams(F&& f) {
    for (auto& [key, s] : streams_) f(key, s);
  }
  /// Datagrams of streams not kept because the table was full and no
  /// stream could give its place; they are in no stream and no total, and
  /// in their channel's packets (channels()). Their END markers are not
  /// counted here nor as stray (stray_ends()): the END of a stream the
  /// table did not keep (of the last `untracked_kept` such keys) is that
  /// stream's, ignored as an evicted ended stream's repeat is.
  [[nodiscard]] std::uint64_t untracked() const noexcept { return untracked_; }
  /// Of untracked(), the datagrams counted so because memory ran out (an
  /// allocation failed) while their stream or record was made: the table
  /// then keeps no more streams than it holds (trial t16u H2: a flood of
  /// new sender ids under a memory limit ended in std::bad_alloc, exit
  /// 134, no summary).
  [[nodiscard]] std::uint64_t out_of_memory() const noexcept { return out_of_memory_; }
  /// Keys of untracked streams remembered (a fingerprint each, ~1 MB), so
  /// that their END markers are not taken for those of streams never seen.
  static constexpr std::size_t untracked_kept = 16384;
  /// Channels whose untracked datagrams are counted apart (channels());
  /// past this, in untracked() alone.
  static constexpr std::size_t untracked_channels_kept = 4096;
  /// Streams removed to make room for new ones when the table was full:
  /// those of a single datagram at least `junk_after` old first, then ended
  /// ones, then those of at most `small_stream` datagrams idle for
  /// `junk_after` that are overdue by their own pace (`overdue_pace`,
  /// `overdue_after`), then those idle for `idle_after`, then younger
  /// single-datagram ones, then younger overdue small ones, oldest first. Their counts stay in sum() and loss().
  [[nodiscard]] std::uint64_t evicted() const noexcept { return evicted_; }
  /// Evicted mcnet and MoldUDP64 streams whose datagrams came back: each
  /// went on from where it was evicted (see resume_single).
  [[nodiscard]] std::uint64_t resumed() const noexcept { return resumed_; }
  /// Whether a stream of `key` was evicted and would resume (its record is kept).
  [[nodiscard]] bool resumable(const stream_key& key) const { return resume_.contains(key); }
  /// Evicted mcnet and MoldUDP64 streams whose datagrams came back after
  /// their record had been pushed out (resume_single, resume_several; of
  /// the last forgotten_kept pushed out): each started anew, what it lost
  /// between its eviction and its return unknown. --max-loss cannot hold
  /// them to its limit (loss_unknown). Counts streams: one that comes back
  /// so again (a slow feed under a flood) counts once (of the last
  /// forgotten_kept such streams; trial16g 6), its returns in
  /// unresumed_returns().
  [[nodiscard]] std::uint64_t unresumed() const noexcept { return unresumed_; }
  /// The streams in the table whose numbers came from more than one sender
  /// (conflict_of(), and mcnet streams whose sender id and session came
  /// from other sources too on their group and port): their loss is
  /// unknown. One pass over the table (a report's, not a datagram's).
  [[nodiscard]] std::map<stream_key, sender_conflict> conflicts() const;
  /// Streams evicted while their own datagrams contested them, not back
  /// since (their counts stay in the totals, their loss unknown).
  [[nodiscard]] std::uint64_t contested_evicted() const noexcept { return contested_evicted_; }
  /// Returns of evicted streams after their record was pushed out: at least unresumed().
  [[nodiscard]] std::uint64_t unresumed_returns() const noexcept { return unresumed_returns_; }
  /// A feed the table evicted: a stream of `feed_min` datagrams or more
  /// (not junk's single datagrams), or one that had come back unresumed
  /// (a feed known to have been evicted before, whatever its size), its
  /// counts as it left. The summary names each that is not back in the
  /// table with its own line (trial16f 2: the real feed's line was evicted
  /// while 4,096 junk lines printed; trial16g 6: a slow feed evicted again
  /// after an unresumed return appeared nowhere).
  struct evicted_feed {
    stream_key key;
    totals counted;          ///< its counts as it left, over each of its lives since it was first kept here
    bool ended = false;      ///< its END (end of session) had come
    bool unresumed = false;  ///< it came back after its record was pushed out: its loss while evicted is unknown
    bool tail_unknown = false;  ///< it was stalled without its END when evicted and did not come back (evicted_tail_unknown())
  };
  /// Datagrams a stream needs to be kept as an evicted feed.
  static constexpr std::uint64_t feed_min = 4;
  /// Evicted feeds kept: those with the most datagrams.
  static constexpr std::size_t evicted_feeds_kept = 16;
  /// The evicted feeds not resumed since (one back without its record
  /// stays: its new line counts only since then), most datagrams first.
  [[nodiscard]] std::vector<evicted_feed> evicted_feeds() const;
  /// Evicted feeds left out of evicted_feeds() (more than evicted_feeds_kept).
  [[nodiscard]] std::uint64_t evicted_feeds_left_out() const noexcept { return evicted_feeds_left_out_; }
  /// Datagrams of the evicted streams not back that evicted_feeds() does
  /// not list: streams of fewer than feed_min datagrams, and feeds past
  /// evicted_feeds_kept (trial t20v M2: no row, and no number a script
  /// could add). The streams' datagrams are their records' packets, the
  /// listed evicted feeds' and these.
  [[nodiscard]] std::uint64_t evicted_unlisted_packets() const noexcept;
  /// Streams evicted while stalled without their END (their own stall
  /// watch, stream::stall, stalled; tail_unknown_without_end()), not back
  /// since: their tail is as unknown as an in-table one's (trial t20s H1:
  /// the eviction took the watch with it, and the run read lost 0,
  /// loss_percent 0.0). Each with the time of its last datagram (its
  /// stall watch's clock). A key that comes back as a stream is erased (its
  /// return covers its tail, or it is unresumed, unknown already).
  [[nodiscard]] const std::map<stream_key, stall_watch::clock::time_point>& evicted_tail_unknown() const noexcept {
    return evicted_tail_unknown_;
  }
  /// Such streams past evicted_tail_unknown_kept (counted, not named). A
  /// count only: one of them that comes back, or whose END comes, is not
  /// known by its key, so this count never goes down (docs/tools.md).
  [[nodiscard]] std::uint64_t evicted_tail_unknown_left_out() const noexcept { return evicted_tail_unknown_left_out_; }
  /// Streams evicted quiet, with a pace (stall_watch::warm_up datagrams, or
  /// a short feed's: short_paced_feed()) and without their END, before
  /// their watch said they stalled (h20z caveat: one evicted less than a
  /// second after it went quiet was not remembered, its tail lost with
  /// it): their watch (stream::stall) goes on here, at most
  /// evicted_quiet_kept of them; watch_evicted() moves one that stalls to
  /// evicted_tail_unknown(). Erased as those are.
  [[nodiscard]] std::size_t evicted_quiet() const noexcept { return evicted_quiet_.size(); }
  static constexpr std::size_t evicted_quiet_kept = 4096;
  /// Each evicted quiet stream's watch, to check it (`f(key, state)` may
  /// stall it: it then moves to evicted_tail_unknown(), its record keeps
  /// its watch stalled) or pause it.
  void watch_evicted(const std::function<void(const stream_key&, stall_watch::state&)>& f);
  /// The receiver itself did not run for `d` (stall_watch::pause()): the
  /// watches in the evicted streams' records (resume_point::stall) are
  /// paused by what passed while they were evicted when they resume.
  void paused(stall_watch::clock::duration d) noexcept { paused_ += d; }
  /// All of them: evicted_tail_unknown() and those left out.
  [[nodiscard]] std::uint64_t evicted_tail_unknown_count() const noexcept {
    return evicted_tail_unknown_.size() + evicted_tail_unknown_left_out_;
  }
  /// Streams kept in evicted_tail_unknown() at most.
  static constexpr std::size_t evicted_tail_unknown_kept = 65536;
  /// END markers and MoldUDP64 end-of-session packets of streams not in the
  /// table: they make no stream (an END alone is no stream) and are counted here.
  [[nodiscard]] std::uint64_t stray_ends() const noexcept { return stray_ends_; }
  /// Datagrams held by `auto` (see add()): in no stream yet.
  [[nodiscard]] std::uint64_t held() const noexcept { return held_count_; }
  /// Datagrams refused by their source's protocol (the raw streams' malformed).
  [[nodiscard]] std::uint64_t malformed() const noexcept { return malformed_; }
  /// Those of them that the parser of protocol `k` refused (the one their
  /// source sent, or --payload's).
  [[nodiscard]] std::uint64_t malformed(payload_kind k) const noexcept {
    const auto i = static_cast<std::size_t>(k);
    return i < malformed_by_.size() ? malformed_by_[i] : 0;
  }
  /// The streams' counts added up, the evicted streams' included; the
  /// protocols' counters (messages, cc_errors, ...) are per stream only and 0 here.
  [[nodiscard]] totals sum() const noexcept;

  /// What arrived for one joined channel: a group and port on one ingress
  /// interface, every source and stream of it together.
  struct channel_count {
    /// datagrams that came through it: those counted in its streams (evicted
    /// ones included) and those of streams the table did not keep (untracked)
    std::uint64_t packets = 0;
    /// Of `packets`, the untracked ones (untracked(): in no stream and no
    /// total; trial20o H1: a channel of 100 untracked datagrams read "0
    /// packets" and was diagnosed silent).
    std::uint64_t untracked = 0;
    std::optional<double> first_packet_ms;     ///< the earliest first_packet_ms of its streams; none when nothing came
    /// Datagrams and bits per second through it: its own rate over its first
    /// to last datagram counted in a stream (evicted ones' too), with a
    /// stream's clump rule (channel_rate()), the bits those datagrams'
    /// bytes (clump_clock::rated_bytes()); none below two such datagrams.
    /// Untracked datagrams are not in it.
    std::optional<double> rate_pps, rate_bps;
  };
  /// Channels whose arrivals are kept for their rate (channel_arrivals),
  /// and as many groups, ports and interfaces of every source's.
  static constexpr std::size_t channel_arrivals_kept = 65536;
  /// The rate of the datagrams counted through a joined channel, as
  /// channel_count's: {datagrams, bits} per second over its first to last
  /// datagram with a stream's clump rule; none below two datagrams (or
  /// past channel_arrivals_kept). `source`: an include join's (its
  /// datagrams), none: every source's. `interfaces`: the join interface
  /// and those it replaced (a re-created interface): their datagrams one
  /// after the other, as the clumps of one clock.
  [[nodiscard]] std::optional<std::pair<double, double>> channel_rate(const core::ip_address& group,
                                                                      std::uint16_t port,
                                                                      std::span<const std::uint32_t> interfaces,
                                                                      const std::optional<core::ip_address>& source) const;
  /// Ingress interfaces tallied per stream at most (stream::by_interface).
  static constexpr std::size_t max_interfaces_per_stream = 16;
  /// (group, port, ingress interface index, source) of a channel; the
  /// source is the unspecified address (`core::ip_address{}`) unless an
  /// include join named it (joined()), so the keys stay bounded by the joins.
  using channel_key = std::tuple<core::ip_address, std::uint16_t, std::uint32_t, core::ip_address>;
  /// Every channel that had a datagram, from the streams, the evicted
  /// streams and the untracked datagrams, in one pass over the table.
  [[nodiscard]] std::map<channel_key, channel_count> channels() const;
  /// END markers (and MoldUDP64 end-of-session packets) of streams never
  /// seen (stray_ends()) that came through one channel: evidence that its
  /// sender is there and the path carries its header-sized datagrams.
  struct stray_end_count {
    std::uint64_t count = 0;                ///< markers through the channel
    std::vector<core::ip_address> sources;  ///< their senders, the first stray_end_sources_kept of them
    /// The streams the markers name (address, sender id and session; the
    /// MoldUDP64 session), the first stray_end_sources_kept of them, with
    /// the markers of each; past those, the markers of another session of
    /// a sender named (its address and sender id) are counted with it.
    std::vector<std::pair<stream_key, std::uint64_t>> streams;
  };
  /// Senders kept per channel's stray END markers.
  static constexpr std::size_t stray_end_sources_kept = 4;
  /// Channels whose stray END markers are kept apart (a flood of groups
  /// past this counts in stray_ends() alone).
  static constexpr std::size_t stray_end_channels_kept = 4096;
  /// The stray END markers per channel (channel_key, as channels()).
  [[nodiscard]] const std::map<channel_key, stray_end_count>& stray_ends_by_channel() const noexcept {
    return stray_by_channel_;
  }
  /// Of stray_ends(), those of a sender none of whose data came through
  /// their channel (no stream of the END's address and sender id, for
  /// MoldUDP64 its address and session, counted there), those past the
  /// streams kept per channel, and those of channels past
  /// stray_end_channels_kept: the END markers of a feed whose data all
  /// vanished (too large for the path, where the 40-byte END passes, or
  /// dropped), which make --max-loss unknown, also beside another feed on
  /// the same group and port, the same host's included (trial t16u H1: two
  /// senders on one host, one's fragmented data dropped by a firewall, its
  /// ENDs through, passed --max-loss with lost 0). Only the END of an
  /// earlier or later session of a sender whose data came (a restart) is
  /// harmless. An END forged under a new id cannot be told from a dead
  /// feed's: it makes --max-loss unknown too, its sender named, where
  /// trial t16s 3 had it pass (a check that cannot be made fails; it does
  /// not pass a dead feed).
  struct silent_sender_ends {
    std::uint64_t count = 0;  ///< the markers
    /// The streams the first stray_end_sources_kept of them name (none
    /// for markers past those kept)
    std::vector<std::pair<channel_key, std::optional<stream_key>>> senders;
  };
  [[nodiscard]] silent_sender_ends stray_ends_of_silent_senders() const;
  /// What loss_ratio() divides: received and lost, in floating point (a
  /// hostile loss near 2^64 must not wrap).
  struct loss_figures {
    double received = 0;
    double lost = 0;
  };
  /// received and lost over the streams that count loss (received: packets,
  /// or MoldUDP64 messages; a stream of one datagram with nothing lost is
  /// left out: it cannot show loss) and the MPEG-TS streams (received: transport
  /// packets; lost: continuity count errors, a lower bound), less the
  /// streams `skip` says yes to (none when it is empty).
  [[nodiscard]] loss_figures loss(const std::function<bool(const stream_key&)>& skip = {}) const;
  /// The stream in the table, or evicted from it, with the highest loss
  /// ratio as loss() counts it (lost / (received + lost)), less those
  /// `skip` says yes to; none when no stream shows loss. `--max-loss` holds every stream to its limit, so
  /// that streams without loss (junk among them) cannot dilute one feed's.
  struct worst_stream {
    stream_key key;
    double ratio = 0;
    bool unresumed = false;  ///< stream::unresumed: its ratio covers only the part since it came back
    bool contested = false;  ///< its own datagrams contest it (conflict_of()): its ratio is not its feed's loss
  };
  /// `known_only`: streams whose figures are partial (unresumed) or not
  /// their feed's (contested: conflicts(), evicted ones by their own
  /// datagrams' evidence) are left out.
  [[nodiscard]] std::optional<worst_stream> worst_loss(const std::function<bool(const stream_key&)>& skip = {},
                                                       bool known_only = false) const;
  /// lost / (received + lost) of loss(); 0 when none. What --max-loss
  /// compares without --line.
  [[nodiscard]] double loss_ratio() const noexcept;

 private:
  // What a source (group, port, source) sends with `auto`: the protocol last
  // recognised, and the RTP datagram held to see whether a second follows.
  struct held_rtp {
    std::uint32_t ssrc = 0;
    std::uint16_t sequence = 0;
    std::uint32_t timestamp = 0;
    std::uint8_t payload_type = 0;
    core::kernel_time arrival{};
    std::size_t size = 0;
    int ttl = -1, tos = -1;
    std::uint32_t interface_index = 0;
    std::vector<std::byte> mpegts;  ///< payload type 33: the transport packets, checked when the stream starts
  };
  /// Bytes of held payload-type-33 datagrams kept at most (all sources).
  static constexpr std::size_t max_held_bytes = std::size_t{16} << 20;
  /// SSRCs of one source whose first datagram waits at once; a further one
  /// counts the oldest waiting as raw if that has waited `held_expiry`, else
  /// counts as raw itself (and is held again when a slot frees).
  static constexpr std::size_t max_held_per_source = 4;
  static constexpr std::chrono::nanoseconds held_expiry{std::chrono::seconds(1)};
  struct source_state {
    std::optional<payload_kind> sends;  ///< the protocol last recognised from it (not raw)
    std::vector<held_rtp> held;         ///< oldest first; one per SSRC, at most max_held_per_source
  };
  using source_id = std::tuple<core::ip_address, std::uint16_t, core::ip_address>;
  using source_id_set = std::set<source_id>;

  /// The stream of `key`, or nullptr.
  [[nodiscard]] stream* find(const stream_key& key) noexcept;
  /// What one stream adds to loss().
  [[nodiscard]] static loss_figures loss_of(const stream_key& key, const stream& s) noexcept;
  /// Make room in a full table (see evicted()); false when no stream may go.
  bool evict();
  /// What an evicted stream leaves in loss(): per (group, port, payload),
  /// so that loss()'s `skip` still applies to it.
  struct retired_key {
    core::ip_address group{};
    std::uint16_t port = 0;
    payload_kind payload = payload_kind::raw;
    friend auto operator<=>(const retired_key&, const retired_key&) = default;
  };
  /// What an evicted stream leaves to resume from (resume_single), and
  /// what it added to retired_ and retired_loss_ (taken out again then).
  struct resume_point {
    std::uint64_t serial = 0;  // which record of its key the order queue means
    std::uint64_t packets = 0, bytes = 0, messages = 0, heartbeats = 0, end_of_session = 0, malformed = 0;
    std::uint64_t clock_errors = 0, length_errors = 0, end_length_errors = 0, length_errors_at_start = 0;
    bool unresumed = false;  // stream::unresumed: its figures partial still
    bool contested = false;  // conflict_of() said so at the eviction (counted in contested_evicted_)
    /// stream::untracked, those counted since this eviction included.
    std::uint64_t untracked = 0;
    /// Since this eviction: its datagrams counted untracked (the table had
    /// no room for it), and the highest number they carried (a MoldUDP64
    /// packet's last message; none when none carried a trusted number).
    std::uint64_t untracked_since = 0;
    std::optional<std::uint64_t> untracked_high;
    std::uint64_t differing_copies = 0, port_returns = 0;  // its sender_evidence counts (its stamps go)
    std::uint64_t far_ends = 0, near_ends = 0;
    std::uint16_t port = 0, left_port = 0;
    int ttl = -1, tos = -1;
    std::uint32_t marking = 0;
    marking_range marks;
    std::uint32_t interface_index = 0;
    std::vector<interface_tally> by_interface;
    std::optional<double> first_packet_ms;
    std::optional<std::int64_t> pace_mark_ns;
    std::uint64_t pace_mark_seq = 0;
    std::uint64_t pace_mark_clumps = 0;
    std::optional<std::int64_t> trusted_from_ns;
    std::uint64_t trusted_from_clumps = 0;
    std::optional<core::kernel_time> first_packet, last_packet, highest_at;
    clump_clock arrivals;
    feed::sequence_tracker::position sequence;
    /// A tracker in doubt at the eviction: the position it last trusted and
    /// the inputs since, replayed on resume (`sequence` is then not used).
    bool replay = false;
    feed::sequence_tracker::position checkpoint;
    std::vector<sequence_input> inputs;
    totals counted;
    loss_figures loss;
    /// Its stall watch (stream::stall) as it left, and the receiver's own
    /// pauses up to then (paused_): on resume its watch goes on from there,
    /// as if it had never been evicted (trial t20t H1: one evicted after its
    /// first datagram started its watch anew, so 4 more and silence never
    /// made the warm-up of 5, and its unknown tail read lost 0).
    stall_watch::state stall;
    stall_watch::clock::duration paused_at{};
  };
  /// A keyed hash of a stream key (the seed is random: a flood cannot
  /// aim at one bucket).
  struct key_hash {
    std::uint64_t seed = 0;
    [[nodiscard]] std::size_t operator()(const stream_key& k) const noexcept;
  };
  /// An evicted stream that will not come back (no record, or its record
  /// dropped): its loss ratio is final, held in retired_worst_.
  void retire_worst(const stream_key& key, const loss_figures& loss, bool unresumed = false,
                    bool contested = false) noexcept;
  /// Keep `f` among the evicted feeds (the one with the fewest datagrams
  /// goes past evicted_feeds_kept).
  void keep_evicted_feed(const evicted_feed& f);
  /// Keep the record of evicted stream `st` (counted as `counted`, `loss`).
  /// `doubt`: the tracker was not trusted before settle() (its checkpoint
  /// and inputs are kept to replay).
  /// `contested`: its own datagrams contested it (conflict_of()).
  void remember(const stream_key& key, const stream& st, const totals& counted, const loss_figures& loss,
                bool doubt, bool contested);
  /// Put the record of `key` (if any) back into new stream `s`.
  void resume(const stream_key& key, stream& s);
  /// Give `in` to `s`'s tracker, keeping what it counts in doubt (stream::doubt).
  /// Returns the tracker's verdict on it (of a run, on its first number).
  static feed::verdict track(stream& s, const sequence_input& in) noexcept;
  /// The stream of `key`, made when new; nullptr when the table has no
  /// room (the datagram, arrived through `interface_index` at now_, is
  /// counted as untracked then, and in the stream's record, if it has one,
  /// with the numbers `out` says it carries; an END marker, `out.end`, is
  /// the stream's own: not counted, trial20p F4).
  [[nodiscard]] stream* find_or_make(const stream_key& key, accounted& out, std::uint32_t interface_index);
  /// A datagram of `key`'s stream, not kept: untracked(), its channel's
  /// count (channels()) and the key's fingerprint (its END is its own).
  void count_untracked(const stream_key& key, std::uint32_t interface_index, core::kernel_time arrival);
  // add() but for running out of memory (which add() catches).
  /// An mcnet datagram's latency judged by its send time's order
  /// (stream::send_order): kept (keep_latency()), held, or a clock error.
  static void order_send_time(stream& s, std::uint64_t seq, std::int64_t sent_ns, std::int64_t arrival_ns,
                              std::int64_t latency);
  /// The latency and jitter take a datagram.
  static void keep_latency(stream& s, std::int64_t sent_ns, std::int64_t arrival_ns, std::int64_t latency);
  accounted add_now(const core::ip_address& group, std::uint16_t port, const core::ip_address& source,
                    std::span<const std::byte> payload, core::kernel_time arrival, int ttl, int tos,
                    std::uint32_t interface_index, std::uint16_t source_port);
  // The untracked datagrams per channel (packets, untracked, first_packet_ms);
  // at most untracked_channels_kept.
  std::map<channel_key, channel_count> untracked_channels_;
  void count(stream& s, const stream_key& key, std::size_t size, core::kernel_time arrival, int ttl, int tos,
             std::uint32_t interface_index);
  /// A datagram of `s` (counted already) whose TTL or TOS differs from the
  /// one before: `ttl`, `tos` (-1: not known, the last kept) and the range.
  static void marking_changed(stream& s, int ttl, int tos, std::uint32_t marking) noexcept;
  void account_raw(const stream_key& raw_key, std::size_t size, core::kernel_time arrival, int ttl, int tos,
                   std::uint32_t interface_index, bool malformed, accounted& out,
                   payload_kind refused_by = payload_kind::raw);
  /// Account an RTP datagram; false when it carries MPEG-TS (payload type
  /// 33) that no continuity checker is left for.
  bool account_rtp(stream& s, std::uint16_t seq, std::uint32_t timestamp, std::uint8_t payload_type,
                   core::kernel_time arrival, std::span<const std::byte> rtp_payload);
  void account_mpegts(stream& s, std::span<const std::byte> datagram);
  /// Count every datagram `st` holds as raw, oldest first.
  void release_held(const source_id& id, source_state& st);
  /// Remove st.held[index] from the waiting ones (the held counts with it) and return it.
  held_rtp take_held(source_state& st, std::size_t index) noexcept;
  /// Count st.held[index] as raw and forget it.
  void release_held_one(const source_id& id, source_state& st, std::size_t index);

  std::size_t max_streams_;
  bool read_times_ = false;
  std::size_t requested_;
  payload_mode mode_;
  rtp_clock_map rtp_clock_;
  std::uint64_t untracked_ = 0;
  std::uint64_t malformed_ = 0;
  std::array<std::uint64_t, 5> malformed_by_{};  // malformed_ by the protocol refusing (payload_kind)
  std::uint64_t held_count_ = 0;
  std::uint64_t evicted_ = 0;
  std::uint64_t stray_ends_ = 0;
  std::map<channel_key, stray_end_count> stray_by_channel_;  // at most stray_end_channels_kept
  /// Count a stray END marker of `key`'s stream, through `interface_index`.
  void stray_end(const stream_key& key, std::uint32_t interface_index);
  std::uint64_t resumed_ = 0;
  std::uint64_t unresumed_ = 0;
  std::uint64_t unresumed_returns_ = 0;
  std::uint64_t contested_evicted_ = 0;
  std::uint64_t out_of_memory_ = 0;
  std::uint64_t resume_serial_ = 0;
  // Fingerprints (key_hash) of keys, the last `kept` added (oldest first
  // in the queue).
  struct fingerprints {
    std::unordered_set<std::uint64_t> set;
    std::deque<std::uint64_t> order;
    /// Keep `print`, dropping the oldest past `kept`; out of memory it is
    /// not kept (what it marks goes unnoticed, as before fingerprints).
    void add(std::uint64_t print, std::size_t kept) noexcept;
  };
  // The keys whose record was pushed out, the last forgotten_kept of them.
  fingerprints forgotten_;
  /// Remember that `key`'s record was pushed out (or could not be kept).
  void forget(const stream_key& key);
  // The ended streams evicted, the last ended_kept of them.
  fingerprints ended_;
  // The keys of untracked streams, the last untracked_kept of them.
  fingerprints untracked_keys_;
  /// Whether `key`'s stream was untracked (its END markers are its own).
  [[nodiscard]] bool untracked_before(const stream_key& key) const;
  // The streams counted in unresumed_, the last forgotten_kept of them.
  fingerprints unresumed_streams_;
  /// Whether `key` is an ended stream that was evicted (its END repeats are its own).
  [[nodiscard]] bool ended_before(const stream_key& key) const;
  std::unordered_map<stream_key, resume_point, key_hash> resume_;
  // The records' keys, oldest first, of single-datagram streams [0] and
  // longer ones [1]; an entry whose serial is not its key's record's is stale.
  std::array<std::deque<std::pair<stream_key, std::uint64_t>>, 2> resume_order_;
  totals retired_{};                                 // the evicted streams' counts
  std::map<retired_key, loss_figures> retired_loss_;  // and their loss(), bounded by the joined (group, port)s
  // The evicted stream with the highest loss ratio, of those without a
  // record (resume_'s are looked at in worst_loss()): worst_loss() still
  // holds it to --max-loss (an evicted feed's loss must not escape the
  // per-stream check that a flood of junk streams cannot dilute).
  std::optional<worst_stream> retired_worst_;
  std::map<stream_key, evicted_feed> evicted_feeds_;  // at most evicted_feeds_kept
  std::uint64_t evicted_feeds_left_out_ = 0;
  std::map<stream_key, stall_watch::clock::time_point> evicted_tail_unknown_;  // at most evicted_tail_unknown_kept
  std::uint64_t evicted_tail_unknown_left_out_ = 0;
  std::map<stream_key, stall_watch::state> evicted_quiet_;  // at most evicted_quiet_kept
  stall_watch::clock::duration paused_{};  // the receiver's own pauses in all (paused())
  // An untracked datagram of `key` (its record, if kept): its evicted
  // watch goes on (evicted_quiet_; one in evicted_tail_unknown_ moves
  // there from its record's watch), given to the receiver in `out`.
  void watch_untracked(const stream_key& key, const resume_point* record, accounted& out);
  // Remembers `key` as evicted_tail_unknown(), silent since `last`.
  void remember_tail_unknown(const stream_key& key, stall_watch::clock::time_point last);
  // An END of `key` that came while the table had no room for it (`out`):
  // when `key` is remembered as evicted without its END, a believed count
  // tells its tail.
  void end_while_evicted(const stream_key& key, const accounted& out);
  std::map<channel_key, channel_count> retired_channels_;  // and their channels' packets, bounded likewise
  core::kernel_time now_{};                          // the arrival add() accounts
  std::uint16_t source_port_ = 0;                    // and its source port (0: unknown)
  core::kernel_time next_sweep_{};                   // no eviction sweep before (one found nothing)
  std::size_t held_bytes_ = 0;  // of the held datagrams' mpegts bytes
  std::size_t checkers_ = 0;  // mpegts_state objects alive
  std::map<stream_key, stream> streams_;
  // The stream found last and its key (a one-entry cache for find()).
  stream_key last_key_{};
  stream* last_ = nullptr;
  const stream_key* last_node_key_ = nullptr;  // last_'s key in its map node
  std::map<source_id, source_state> sources_;  // `auto` and malformed bookkeeping; at most max_streams_
  std::map<std::pair<core::ip_address, std::uint16_t>, core::kernel_time> joins_;
  source_id_set include_joins_;  // (group, port, source) of the include joins
  /// The channel a stream of `key` arriving on `interface_index` counts in.
  [[nodiscard]] channel_key channel_of(const stream_key& key, std::uint32_t interface_index) const;
  /// Credit `st`'s datagrams to its channels in `to`, each interface's to
  /// its own (stream::by_interface).
  void add_channels(std::map<channel_key, channel_count>& to, const stream_key& key, const stream& st) const;
  /// Count one datagram of `s` (`size` bytes at `at_ns`) in its channel's
  /// arrivals (stream::channel), and every source's where include joins
  /// name sources of its group and port.
  void count_channel(stream& s, const stream_key& key, std::size_t size, std::int64_t at_ns);
  // The channels' arrivals (channel_arrivals_kept at most), and those of
  // every source per (group, port, interface) on a group and port with
  // include joins (include_groups_), which the channel of no source named
  // (its key without a source) leaves out.
  std::map<channel_key, channel_arrivals> channel_arrivals_;
  std::map<std::tuple<core::ip_address, std::uint16_t, std::uint32_t>, channel_arrivals> any_source_arrivals_;
  std::set<std::pair<core::ip_address, std::uint16_t>> include_groups_;
  /// Tally a datagram of `s` through `interface_index`, another interface
  /// than its datagrams so far came through, or one of a stream tallied
  /// so already (stream::by_interface).
  void tally_interface(stream& s, const stream_key& key, std::uint32_t interface_index, std::size_t size,
                       core::kernel_time arrival);
  /// Milliseconds from the first join of `key`'s group and port to `arrival`; none when not joined.
  [[nodiscard]] std::optional<double> since_join_ms(const stream_key& key, core::kernel_time arrival) const;
};

}  // namespace mcnet::tools
