// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The mcnet authors
#pragma once

/// @file
/// Sequence accounting of one stream in fixed memory: per datagram, whether
/// it came in order, after a gap (which numbers are missing), reordered, as
/// a duplicate or too late for the window; over the stream, what was
/// received, lost, reordered and duplicated, with an end-of-stream count.
/// `sequence_tracker` takes 64-bit numbers (the test header's, MoldUDP64's);
/// `rtp_sequence_tracker` takes RTP's 16-bit wrapping ones and extends them
/// to 64 bits as RFC 3550 Appendix A.1 does. Nothing here allocates.

#include <mcnet/core/cxx20.hpp>  // first: C++20 or one clear error

#include <array>
#include <cstdint>
#include <memory>
#include <optional>

namespace mcnet::feed {

class sequence_tracker;
class rtp_sequence_tracker;

namespace detail {

/// An owned copy of a tracker, copied with its owner: what a probation goes
/// back to (null when none).
class tracker_copy {
 public:
  tracker_copy() noexcept = default;
  tracker_copy(const tracker_copy& other);
  tracker_copy& operator=(const tracker_copy& other);
  tracker_copy(tracker_copy&&) noexcept = default;
  tracker_copy& operator=(tracker_copy&&) noexcept = default;
  ~tracker_copy();
  std::unique_ptr<sequence_tracker> copy;  ///< the tracker kept
};

}  // namespace detail

/// What one datagram's sequence number was.
enum class verdict : std::uint8_t {
  in_order,   ///< the next number after the highest so far (or the first datagram)
  gap,        ///< higher than the next one: `arrival::missing` says which numbers it skipped
  reordered,  ///< lower than the highest, not seen before, within the window
  duplicate,  ///< seen before (within the window)
  too_late,   ///< more than the window behind the highest: cannot be told from a duplicate; not counted as received
  /// Too far ahead to believe from one datagram (more than
  /// `sequence_tracker::provisional_gap` ahead: a forged or corrupt number,
  /// an outage, or a restarted sender), or more than it below the lowest
  /// number counted (never counted): not counted until the next datagram
  /// follows it (`confirmed`), or, past `sequence_tracker::max_gap`, until
  /// `epoch_proof` numbers in a row follow each other (`restart`). Also a
  /// number from before a jump on probation, held as evidence against it
  /// (sequence_tracker counts it once the evidence retracts the jump). Also
  /// a number further than the window below an open start, or further than
  /// `sequence_tracker::provisional_gap` below the lowest number it counted
  /// (see sequence_tracker), kept in case the start is taken back.
  jump,
  /// The datagram after a `jump` followed it: sequence_tracker counts both
  /// now, as a gap up to the lower of them when that is at most
  /// `sequence_tracker::max_gap` ahead (`missing` is that gap), on
  /// probation: believed in the counts once `epoch_proof` numbers came past it.
  /// After a lone first number (sequence_tracker), they start the epoch
  /// instead (`missing` only a gap between them) and the first is a jump.
  confirmed,
  /// The `epoch_proof`-th far number in a row past `max_gap` (or, for
  /// rtp_sequence_tracker, the datagram after any jump, as RFC 3550 A.1
  /// does): a new epoch of the stream starts at the first of them; the
  /// counts before stay in the totals and nothing between is counted lost.
  restart,
};

/// Consecutive sequence numbers `[first, first + count)`; empty when count is 0.
struct missing_range {
  std::uint64_t first = 0;  ///< the first missing number
  std::uint64_t count = 0;  ///< how many consecutive numbers from it (0: none)
  /// Field by field.
  friend bool operator==(const missing_range&, const missing_range&) = default;
};

/// What add() made of one datagram.
struct arrival {
  verdict kind = verdict::in_order;  ///< what the datagram was
  /// The datagram's number (for rtp_sequence_tracker the extended 64-bit
  /// number; for a `jump`, and a `too_late` from before the first cycle,
  /// the 16-bit number as it came, unextended).
  std::uint64_t sequence = 0;
  /// The numbers this datagram showed to be missing, for a receiver to
  /// print or ask to be sent again. A `gap` skipped
  /// `[sequence - missing.count, sequence)`; a `reordered` datagram below the
  /// first number seen (at most `sequence_tracker::provisional_gap` below
  /// it once `epoch_proof` numbers came) moves the start down and shows
  /// `[sequence + 1, old start)` missing; every other verdict leaves it empty.
  /// Numbers shown missing may still arrive later (as `reordered`).
  missing_range missing{};
  /// Field by field.
  friend bool operator==(const arrival&, const arrival&) = default;
};

/// The distinct END counts a stream was given, with how often each came,
/// and which one to believe (docs/tools.md, "Hostile and implausible
/// numbers"). A sender repeats its END (mcast-send three times, MoldUDP64
/// its end of session and heartbeats), so when a forger's count competes
/// with the sender's, the one given most wins, not the first or the last.
/// Holds `capacity` counts in fixed memory; a further distinct count takes
/// the place of one that can no longer be believed (at or below the highest
/// number), else of the one given least (the largest on a tie). Nothing
/// here allocates.
class end_votes {
 public:
  /// Distinct counts kept.
  static constexpr std::size_t capacity = 4;
  /// One END of `count` came; `confirmed`: the caller saw it twice itself
  /// (it then counts as repeated for a far count). `highest` is the highest
  /// number seen, to choose which count to drop when the table is full.
  /// Returns the ENDs dropped with a count that made room (0 or its times).
  std::uint64_t add(std::uint64_t count, std::uint64_t highest, bool confirmed = false) noexcept;
  /// The count to believe after numbers up to `highest` arrived (none when
  /// nothing fits): among counts past `highest` (numbers the count says
  /// were never sent did not arrive) and at most `max_tail` past it, a
  /// count at most `near_tail` past `highest` wins over any further one
  /// (a far tail is believed only when nothing nearer was given); a far
  /// one needs to have come twice (or confirmed); then the count given most,
  /// then the smallest (the least loss).
  [[nodiscard]] std::optional<std::uint64_t> choose(std::uint64_t highest, std::uint64_t near_tail,
                                                    std::uint64_t max_tail) const noexcept;
  /// Forget `count`; returns how often it came (0 when not kept).
  std::uint64_t forget(std::uint64_t count) noexcept;
  /// How often `count` came (0 when not kept).
  [[nodiscard]] std::uint64_t times(std::uint64_t count) const noexcept;
  /// ENDs kept, over all counts.
  [[nodiscard]] std::uint64_t total() const noexcept;
  /// Whether no count is kept.
  [[nodiscard]] bool empty() const noexcept { return size_ == 0; }
  /// Forget every count.
  void clear() noexcept { size_ = 0; }

 private:
  struct entry {
    std::uint64_t count = 0;
    std::uint64_t times = 0;
    bool confirmed = false;
  };
  std::array<entry, capacity> entries_{};
  std::uint8_t size_ = 0;
};

/// Sequence accounting of one stream of 64-bit sequence numbers.
///
/// Counting starts at the first number that arrives (a receiver that joins a
/// running sender does not count what was sent before it joined as lost); a
/// lower number arriving later moves the start down and counts as
/// reordered; once the epoch counts `epoch_proof` numbers, only
/// one at most `provisional_gap` below the lowest number counted does, and
/// one further below is a `jump` (one datagram claims at most
/// `provisional_gap` missing, behind as ahead; a start of fewer is not
/// proven, as a forger's numbers may have come before the sender's first).
/// Until epoch_proof numbers from it up were counted (an open start), the
/// numbers below it are kept (one further below than the window is a
/// `jump`, not `too_late`; so is a datagram's own number, not a MoldUDP64
/// packet's further one, further below the lowest number counted than
/// `provisional_gap`: one datagram claims no more): 8 of them,
/// an END below the start after one of them, or at settle() two or more
/// and as many as from the start up, take the start back: its numbers
/// count as jumps and the kept ones are counted again in their order, as
/// if it had never come. A lone first number (nothing else counted) that a
/// far number followed (more than provisional_gap above it) is not a start
/// either: the epoch starts anew at the far number, the lone number kept
/// below the new start (a `confirmed` verdict, no gap), so one forged
/// number far below the live sender before its first claims nothing (an
/// outage of more than provisional_gap right after a real first datagram
/// is not counted either). Should the far numbers have been a forger's
/// (epoch_proof of them right after the sender's first), the sender's
/// numbers far below the start near the lone number count it as theirs
/// (the run below, next), and its END after them, given twice and more
/// often than the END believed, takes the start back too. A near gap after a lone first number counts as
/// any gap does: real loss right after a real first datagram (the second
/// datagram lost) is common, a forged number just below the live sender's
/// first before it is not, and claims at most provisional_gap.
/// When the open start is proven while such far-below numbers (2 or more,
/// a run: each at most `provisional_gap` above the one before, within 512
/// of its first) came between its own, they begin a run below that goes
/// on across the epoch's numbers: with the lone number a far start took
/// over from, it takes the start back at `epoch_proof` numbers; without
/// (a forger's lone number first, then its line interleaved with the
/// sender's from below), once it has more numbers than the epoch and its
/// last `epoch_proof` came with none of the epoch's between (the line that
/// keeps arriving wins; a forged line of more numbers than the run can hold
/// within 512 is the bound).
/// A bitmap of the last `window` numbers below and at
/// the highest tells duplicates from late arrivals; numbers further behind
/// are `too_late` at or above the first (one further below the first than
/// `provisional_gap`, once the start is proven, is a `jump` however far
/// behind). A jump ahead clears the numbers it passes a 64-bit word
/// at a time (a jump of any size costs at most 1024 word writes). 8 KiB,
/// fixed; add() allocates only to put a followed far jump on probation
/// (below), never for the numbers of a stream without one.
///
/// What one datagram can claim is bounded, so a forged or corrupt number
/// cannot report 2^63 lost: a number up to `provisional_gap` ahead of the
/// highest counts at once (a gap), as a claim the stream can take back
/// while its bits are kept (claim_span past the highest before it; gaps
/// past it join it): when `epoch_proof` numbers below what was claimed
/// come in increasing order with nothing that came between them (after
/// the last `epoch_proof` numbers in a row past a claimed number), or
/// `epoch_proof` inside the last gap before any past it (or an END below
/// what came above them after some of them, or, with none inside yet, an
/// END count inside it at or past the highest before it + 1 given twice
/// and more often than the END believed), the numbers above them count as
/// jumps, their gaps as never opened, and the numbers inside as in order
/// (a real loss burst is followed by numbers past it; a forged number,
/// pair, run or climb of them, however paced, by the live sender's line
/// going on below it). An END below what the line above proved (a number
/// past the claimed one came in order) takes nothing back at once: a real
/// sender's END carries its last number, and the numbers that follow in
/// order stand; settle() takes the claim back for it only when nothing
/// above came after it (end_pending()). It stands once the numbers past it reach past
/// claim_span with one in claim_density of that span counted; a climb
/// that gets there with fewer is held like a far jump, the claim open in
/// the copy it would go back to (trial16h), and so is a gap right after
/// a claimed number, with no new number since, that would take the climb
/// more than `provisional_gap` past where it began with fewer than one
/// number counted per claim_density it spans (a feed losing every other
/// datagram is a dense chain of such steps and is not held). RTP's tracker
/// does neither this nor the open start. One further ahead is a `jump`, held until
/// the next datagram follows it (another number more than `provisional_gap`
/// above the highest, less than `window` from it: the sender went on from
/// there), and given up (it stays a jump) when the stream goes on from its
/// highest instead (a number at most `provisional_gap` above it) or an END
/// or announcement below it comes. An END or announcement at or past it
/// confirms it like a next datagram when it is within `window` of the
/// highest. A followed jump up to `max_gap` ahead is a gap (an outage) on
/// probation (below), inside the window as past it: two numbers that follow
/// each other prove nothing a forger cannot send. Numbers
/// further ahead start a new epoch (`restart`) once `epoch_proof` of them
/// followed each other with no number of the current epoch between (a
/// datagram of the current epoch discards them: the live sender wins); the
/// counts so far stay in the totals, nothing between the epochs counts as
/// lost. An announcement more than `window` past the highest is believed
/// when it is given twice in a row (MoldUDP64 repeats heartbeats), and never
/// past `max_gap`; END counts are voted on (`end_votes`, end()). The totals (received(), lost(),
/// ...) cover every epoch; first() and highest() are the current epoch's.
///
/// A followed jump or a new epoch is on probation for the next `window`
/// distinct numbers: numbers (or END counts, or announcements) from near
/// the highest before it (less than `window` below it, or above it, at most
/// `window`, and below the jump's lowest number) mean the live sender went
/// on, and the jump was a forger's burst
/// between two of its datagrams. They are held (as `jump`s) as
/// evidence; once there are as many as the distinct numbers counted past
/// the jump (at most `epoch_proof`: the proof a new epoch needs), the
/// tracker goes back to where it was before the jump (a copy kept for the
/// probation, 8 KiB, the one allocation, made only then), the far numbers
/// count as jumps and the evidence is counted (`retracted()`). Another far
/// jump followed while an unproven one is on probation keeps that copy and
/// needs its own proof: far pairs do not prove each other. So one stray
/// datagram cannot take back a restart its sender proved with more. A claim
/// is believed in the counts only once proven: until `epoch_proof` distinct
/// numbers were counted past the jump (a restart has them at once), and
/// while they span more than `provisional_gap` per `epoch_proof` of them (a
/// forger's climb of near steps after its far pair; once they were denser
/// the claim stays proven), the
/// counts read as if it had been taken back (its numbers are `jumps()`,
/// lost() is the loss before it; `provisional()`), so a run that ends
/// during it reports no loss from it; settle() makes that final. After an
/// END no jump is followed and no epoch begins:
/// the stream is over, and a number `end_continuation` or more past the
/// END's count is a jump; a number above the highest but nearer means the
/// stream goes on, and the END (forged, or one that overtook the last
/// datagrams: senders repeat it after them) is forgotten; for a number at
/// or past the count of an END given more than once, only once as many such
/// numbers came as the END did (at most `epoch_proof`; held as jumps till
/// then), as one forged number must not undo a repeated END. Which END count is
/// believed when several were given is end()'s vote.
class sequence_tracker {
 public:
  /// How far behind the highest number a late arrival is still told apart
  /// from a duplicate (numbers `(highest - window, highest]` are remembered),
  /// and how far ahead one datagram is believed on its own.
  static constexpr std::uint64_t window = 65536;
  /// The largest gap one datagram is believed for at once (1024 numbers,
  /// 1/64 of the window). Larger gaps wait for the next datagram: a
  /// forged number claims at most this many lost, while a real loss burst
  /// shows one datagram later. It is far above any reordering the tools
  /// meet (RFC 3550 A.1's MAX_MISORDER is 100; mcast-send swaps neighbours),
  /// so a datagram overtaken right after an outage still joins, not
  /// contradicts, the numbers after the outage.
  static constexpr std::uint64_t provisional_gap = 1024;
  /// The largest step ahead a followed jump counts as a gap (2^32 numbers:
  /// over an hour of outage at a million datagrams per second); beyond it a
  /// followed jump is a new epoch.
  static constexpr std::uint64_t max_gap = std::uint64_t{1} << 32;
  /// How many far numbers, each following the one before and none of the
  /// current epoch between them, start a new epoch (a restarted sender sends
  /// them in a row; a forger must outpace the live sender, whose next
  /// datagram discards the run).
  static constexpr std::size_t epoch_proof = 8;
  /// After an END, a number this far or further past its count is a `jump`
  /// (the sender said it sent nothing there); a number above the highest
  /// but nearer is the stream going on: the END is forgotten.
  static constexpr std::uint64_t end_continuation = 16;

  /// Account one datagram's number and say what it was. The common cases
  /// (the next number, a duplicate, a late number above the start) are
  /// handled inline, with a near claim open too (but for the numbers inside
  /// its gaps); the rest out of line.
  ///
  /// `origin` tags where the datagram came from when one stream merges
  /// several sources of the same numbers (the arbiter's lines: line + 1);
  /// 0, untagged, is a single stream's (every datagram is evidence for or
  /// against every doubt, as ever). A doubt (a near claim, a followed jump
  /// inside the window on probation, an open start) remembers the tag of
  /// the datagram that opened it, and only numbers with that tag (or
  /// untagged ones, or any when the doubt is untagged) count as evidence
  /// against it: a lagging source's copies of numbers the leading one lost
  /// are not the live sender going on below a claim, they are fills
  /// (reordered), counted and kept when the doubt is taken back.
  [[gnu::always_inline]] arrival add(std::uint64_t seq, std::uint8_t origin = 0) noexcept {
    origin_ = origin;
    auto& word = seen_[(seq % window) / 64];
    const std::uint64_t bit = std::uint64_t{1} << (seq % 64);
    if (seq > highest_) {
      // The next number while nothing is pending that every number is
      // judged against, past an open near claim too (the line above going
      // on from it: claim_went_on()) while within claim_span of it
      // (inline_top_, 0 when something is pending: see refresh()).
      if (seq - highest_ == 1 && seq <= inline_top_) [[likely]] {
        // seq - window leaves the window (seq takes its bit): it expires
        // unless it came; the run's numbers start at first_.
        const std::uint64_t came = (word & bit) != 0 ? 1 : 0;
        const std::uint64_t leaving = seq >= window && seq - window >= first_ ? 1 : 0;
        expired_ += leaving - came;
        in_window_ += 1 - came;
        word |= bit;
        highest_ = seq;
        ++distinct_;
        if (inline_top_ != UINT64_MAX && claim_.run < epoch_proof && claim_.active) claim_went_on();
        return {verdict::in_order, seq, {}};
      }
    } else if (simple_ && highest_ - seq < window) {
      // On probation, a number below the jump may be the live sender's
      // evidence against it (a copy too, from the jump's own source):
      // judged out of line. So is a new number inside an open near claim's
      // gaps (above the highest before it), and a copy inside its gap from
      // the source that opened it (follow_claim()).
      const bool judged = !before_jump_.copy || seq >= jump_low_;
      if ((word & bit) != 0 && judged &&
          (!claim_.active || origin == 0 || origin != claim_.origin || seq <= claim_.before ||
           seq >= claim_.claimed)) {
        ++duplicates_;
        return {verdict::duplicate, seq, {}};
      }
      if ((word & bit) == 0 && seq >= first_ && judged && (!claim_.active || seq <= claim_.before)) {
        word |= bit;
        ++in_window_;
        ++distinct_;
        ++reordered_;
        return {verdict::reordered, seq, {}};
      }
    }
    return add_slow(seq);
  }
  /// The `count` consecutive numbers from `first` one datagram carries (a
  /// MoldUDP64 packet's messages): as add() of each, but a packet that
  /// moves the highest on by more than one number is a claim, as a near gap
  /// is: its first number counts at once, the rest are held (neither
  /// received nor lost) until a number past them comes (the sender went on
  /// from there: they count, in order) or an END or announcement at or past
  /// them; epoch_proof other numbers inside them first (the live sender
  /// going on below the packet's end), or an END or announcement below them,
  /// make the held numbers that did not come jumps: one forged packet of
  /// 1,000 messages just past the live sender hides no loss. A packet that
  /// starts inside the held packet and goes on past it (MoldUDP64 packets
  /// may overlap) is the sender going on past it: the held numbers count in
  /// order, its overlap counts as duplicates. settle()
  /// counts numbers still held. Returns the first number's arrival.
  arrival add_run(std::uint64_t first, std::uint64_t count) noexcept;
  /// The run's end-of-stream marker (mcast-send's END: the run had `count`
  /// numbers, `0 .. count - 1`): lost() counts the tail up to the count
  /// believed. Counts are voted on (`end_votes`): the count believed is,
  /// among those past the highest number seen, the one given most (the
  /// smallest on a tie: the least loss), a count at most `window` past the
  /// highest winning over any further one; a tail longer than `window` needs
  /// its count twice (or `confirmed`: the caller saw it twice), and never
  /// past `max_gap`. So a sender's END repeated three times wins over a
  /// forger's given once or twice, before it or after it. Returns the tail
  /// this count shows missing when it is the one believed,
  /// `[highest + 1, count)` (empty when nothing arrived yet, or another
  /// count is believed). A count at or below the highest number seen (a
  /// number it says was never sent arrived) ends nothing. ENDs not believed
  /// count in unconfirmed_ends().
  missing_range end(std::uint64_t count, bool confirmed = false) noexcept;
  /// The sender says it has sent every number below `next` (a MoldUDP64
  /// heartbeat carries the sequence number of the next message, MoldUDP64
  /// 1.00 "Heartbeats"): lost() counts up to `next - 1`, as after end(),
  /// without ending the stream; the largest `next` announced counts, so a
  /// late heartbeat cannot shrink what an earlier one showed. Ignored before
  /// the first arrival (a receiver that joined a running feed does not know
  /// where it started). Returns the numbers it newly shows missing: from
  /// past the highest number and the previous announcement up to `next`
  /// (empty when none). As end(): more than `window` past the highest
  /// needs the same `next` twice in a row, and never past `max_gap`.
  missing_range announce(std::uint64_t next) noexcept;
  /// Start a new epoch at `seq` (the sender restarted its numbering): the
  /// counts so far stay in the totals, the window, the END count and the
  /// announcement are forgotten, and `seq` is the new epoch's first number.
  /// Returns `restart` for `seq`.
  arrival restart(std::uint64_t seq) noexcept;
  /// Forget everything: the state of a tracker just built.
  void reset() noexcept;
  /// The furthest past the highest number a followed jump may reach and
  /// still be proven by the numbers after it: what the stream's own pace
  /// and the run's length allow by now, which the caller (who knows the
  /// arrival times) gives before it adds a number (or an END) far ahead;
  /// UINT64_MAX, the default: no bound. A followed jump further ahead is
  /// not proven by any number of numbers after it (provisional()) until
  /// its probation ends (`window` numbers past it), and settle() takes it
  /// back: its numbers count as jumps, not its gap as loss (trial t16u H3:
  /// 9 forged numbers 4e9 past a feed of 1,000 a second claimed 3,999,999,000 lost).
  void pace_limit(std::uint64_t most_ahead) noexcept { pace_ahead_ = most_ahead; }
  /// The numbers the stream's pace gives the time since its highest
  /// number arrived (pace_margin times, the caller knows the arrival
  /// times), given before a number past the highest is added; 0, the
  /// default: none. A followed jump within it is paced: the sender's line
  /// went on at its own pace through a loss (trial t20y H2: a path keeping
  /// 1 datagram in 2,000 made each arrival a far jump, and a climb of them
  /// sparse, so none was ever proven and lost read 1/100 of the missing
  /// numbers). Claims on probation that are all paced are proven by
  /// `epoch_proof` numbers past the first of them however sparse (not
  /// restarted by each: the proof is the pace), and stay on probation:
  /// the live sender going on from before them still takes them back.
  void pace_step(std::uint64_t most_ahead) noexcept { pace_step_ = most_ahead; }
  /// The furthest below the epoch's first number the lone first number a
  /// far start took over from (lone()) may lie and still be on the line the
  /// stream's pace gives the time between their arrivals (pace_margin
  /// times, plus provisional_gap; the caller knows the arrival times),
  /// given before a number past the highest is added; 0, the default: none.
  /// Once a paced climb after it is proven (a claim on probation proven by
  /// the pace, pace_step()), a lone number within it is the stream's real
  /// start after all: it counts, the epoch starts at it and its gap to the
  /// next counts as lost (trial t20z: a path keeping 1 datagram in 2,000
  /// made a stream's first arrival a jump and left its first gap out of
  /// lost). One further below (a stray or forged number before the
  /// sender's first) stays a jump. Going back to the state before the climb
  /// takes it back with the climb.
  void pace_back(std::uint64_t most_below) noexcept { pace_back_ = most_below; }
  /// The lone first number a far start took over from (a jump kept below
  /// the start), while that start stands; none otherwise.
  [[nodiscard]] std::optional<std::uint64_t> lone() const noexcept {
    return lone_kept_ ? std::optional<std::uint64_t>(lone_) : std::nullopt;
  }
  /// The end of a run: a claim on probation not proven yet (provisional()),
  /// or refuted by END counts held against it (one past the highest before
  /// the claim and below it that came at least twice and more often than the END believed at or past
  /// it: the sender's repeated END outweighs a burst it never went on from),
  /// is taken back (its numbers count as jumps, the evidence held against
  /// it is counted), a proven one stands and its probation ends (held
  /// evidence stays jumps, held END counts and announcements count as
  /// unconfirmed). The counts read the same before and after, but for the
  /// evidence a taken-back claim counts; first() and highest() then say
  /// the believed stream's.
  void settle() noexcept;

  /// Where a stream's numbers stood and what they counted, kept when the
  /// stream leaves a receiver's table (a full table evicts it) so that it
  /// can go on from there when its datagrams come back (resume()): ~100
  /// bytes instead of the tracker's 8 KiB.
  struct position {
    bool started = false;       ///< a number was counted (highest is one)
    std::uint64_t highest = 0;  ///< the highest number counted
    /// The counts as received(), lost() (up to `highest` only: an END's or
    /// announcement's tail is not kept), reordered() (too-late arrivals
    /// included), too_late(), duplicates(), gaps(), expired(), jumps(),
    /// restarts(), unconfirmed_ends() and retracted() read.
    std::uint64_t received = 0;          ///< received()
    std::uint64_t lost = 0;              ///< lost(), up to `highest`
    std::uint64_t reordered = 0;         ///< reordered(), too-late arrivals included
    std::uint64_t too_late = 0;          ///< too_late()
    std::uint64_t duplicates = 0;        ///< duplicates()
    std::uint64_t gaps = 0;              ///< gaps()
    std::uint64_t expired = 0;           ///< expired()
    std::uint64_t jumps = 0;             ///< jumps()
    std::uint64_t restarts = 0;          ///< restarts()
    std::uint64_t unconfirmed_ends = 0;  ///< unconfirmed_ends()
    std::uint64_t retracted = 0;         ///< retracted()
  };
  /// The position to resume() from. Call settle() first: a claim on
  /// probation or numbers held are then decided, so the counts are final.
  [[nodiscard]] position save() const noexcept;
  /// Forget everything and go on from `p`: the counts are p's, and the
  /// current epoch starts at p.highest (counted, as it was), proven, so that
  /// the next number past it counts its gap (up to provisional_gap at once,
  /// a claim as ever; further, a jump until followed). Which numbers below
  /// p.highest came is not kept: one that arrives now counts as too late
  /// (reordered, not received), as one the window had left behind; a loss
  /// counted before stays lost. No END or announcement is kept: a repeated
  /// END counts the tail again.
  void resume(const position& p) noexcept;

  /// Distinct numbers received (duplicates and too-late arrivals not
  /// included; nor the numbers of a provisional() claim).
  [[nodiscard]] std::uint64_t received() const noexcept {
    const sequence_tracker* b = unproven();
    return b != nullptr ? b->received() : own_received();
  }
  /// Reordered arrivals, too-late ones included (mcast-recv reports both as reordered).
  [[nodiscard]] std::uint64_t reordered() const noexcept {
    const sequence_tracker* b = unproven();
    return b != nullptr ? b->reordered() + (too_late() - b->too_late()) : before_.reordered + reordered_;
  }
  /// Arrivals of a number already received, within the window (and repeats
  /// of a `jump` number not yet followed).
  [[nodiscard]] std::uint64_t duplicates() const noexcept { return before_.duplicates + duplicates_; }
  /// Arrivals more than the window behind the highest (also in reordered()).
  [[nodiscard]] std::uint64_t too_late() const noexcept { return before_.too_late + too_late_; }
  /// Gap verdicts so far (each a run of missing numbers, found when it was skipped).
  [[nodiscard]] std::uint64_t gaps() const noexcept {
    const sequence_tracker* b = unproven();
    return b != nullptr ? b->gaps() : before_.gaps + gaps_;
  }
  /// Numbers missing, per epoch from its first number seen up to the highest
  /// seen, or up to the END count or announcement: some may still arrive.
  /// Not the gap of a provisional() claim. 0 before any arrival; saturates
  /// at 2^64 - 1.
  [[nodiscard]] std::uint64_t lost() const noexcept;
  /// Numbers that were missing when the window left them behind: they can no
  /// longer arrive except as `too_late`, so their loss is final. Part of lost().
  [[nodiscard]] std::uint64_t expired() const noexcept {
    const sequence_tracker* b = unproven();
    return b != nullptr ? b->expired() : before_.expired + expired_;
  }
  /// Datagrams not counted because they jumped and no datagram followed
  /// them (yet): each `jump` verdict, less those `confirmed`, `restart` or
  /// retraction counted later; the numbers of a provisional() claim; a
  /// near gap's number taken back, and an open start's numbers taken back.
  [[nodiscard]] std::uint64_t jumps() const noexcept {
    const sequence_tracker* b = unproven();
    return b != nullptr ? jumps_ + (own_received() - b->own_received()) : jumps_;
  }
  /// Epochs begun after the first: each `restart` (from add() or restart()),
  /// but a provisional() one.
  [[nodiscard]] std::uint64_t restarts() const noexcept {
    const sequence_tracker* b = unproven();
    return b != nullptr ? b->restarts_ : restarts_;
  }
  /// Claims taken back: followed jumps and new epochs on probation (a
  /// number from near the highest before them arrived: the live sender
  /// went on), near gaps the stream filled from below, and open starts the
  /// numbers below them outweighed.
  [[nodiscard]] std::uint64_t retracted() const noexcept { return retracted_; }
  /// Whether the epoch's start is not proven yet: fewer than `epoch_proof`
  /// numbers came from its first up (the numbers below it are kept; 8 of
  /// them, an END below it, or settle() take it back).
  [[nodiscard]] bool start_open() const noexcept { return start_.open; }
  /// Whether a near claim is contested: the line above went on from its
  /// number and the line below it has epoch_proof numbers since; until
  /// one of them wins (the line above by going on with epoch_proof more
  /// numbers and more than the line below, the line below by reaching the
  /// gap's top number) the claim counts, the numbers below as reordered;
  /// settle() gives it to the line that came most.
  [[nodiscard]] bool contested() const noexcept { return claim_.active && claim_.contest && !claim_.climbed; }
  /// Whether an END below what the line above a near claim proved (a
  /// number past its claimed number came in order) waits for settle():
  /// taken back at once it would make the numbers the line brings after
  /// it jumps, so settle() judges it, and takes the claim back only when
  /// nothing above came after it (a forged run past the sender's last
  /// number). The counts may then change at settle().
  [[nodiscard]] bool end_pending() const noexcept { return claim_.active && claim_.pending_refused != 0; }
  /// The part of lost() that a decision still pending may take back (0
  /// when none): while the epoch's start is open, or a run far below it
  /// may take the epoch over, the epoch's whole loss; while a near claim
  /// is open, the numbers missing above the lowest point a take-back would
  /// start from: for a step that came alone (fewer than epoch_proof numbers
  /// at or past its number: the live sender's line below may take it back)
  /// the highest before it (before the whole climb when nothing came
  /// between its steps), for a contested() claim the line below's highest,
  /// for an END waiting below it (end_pending()) the END's last number; an
  /// END's tail past them too. A step the line above went on from,
  /// uncontested, is not in doubt: only numbers that fill it (reordered)
  /// take its loss back. While a far claim is provisional() (the counts
  /// read as the state before it), that state's doubt and the numbers that
  /// came in its gaps since (counted there, or held as evidence), which
  /// going back to it, or the proof, counts as fills. lost() less this is
  /// the loss decided so far,
  /// which a receiver's interval report prints (trial16j: a waiting END
  /// claim or an open claim shown as loss, then taken back by the next
  /// report); settle() decides the rest.
  [[nodiscard]] std::uint64_t lost_in_doubt() const noexcept;
  /// Numbers add_run() holds (neither received, nor lost, nor jumps yet;
  /// each counts once when they are judged): 0 when none.
  [[nodiscard]] std::uint64_t held() const noexcept {
    return (held_.active ? held_.last - held_.first + 1 : 0) + (aside_.active ? aside_.count : 0);
  }
  /// Whether a followed jump or new epoch is still on probation.
  [[nodiscard]] bool on_probation() const noexcept { return static_cast<bool>(before_jump_.copy); }
  /// Whether a claim on probation is not proven yet: fewer than
  /// `epoch_proof` distinct numbers were counted past it. The counts then
  /// read as if it had been taken back; first() and highest() do not.
  [[nodiscard]] bool provisional() const noexcept { return unproven() != nullptr; }
  /// END counts and announcements not believed: at or below the highest
  /// number seen (END), too far past the highest and not repeated, past
  /// `max_gap`, or outvoted by another END count.
  [[nodiscard]] std::uint64_t unconfirmed_ends() const noexcept {
    return unconfirmed_ends_ + ends_.total() - (end_believed_ ? ends_.times(*end_count_) : 0);
  }
  /// The lowest number seen in the current epoch (0 before any), a
  /// provisional() claim's included.
  [[nodiscard]] std::uint64_t first() const noexcept { return first_; }
  /// The highest number seen in the current epoch (0 before any), a
  /// provisional() claim's included.
  [[nodiscard]] std::uint64_t highest() const noexcept { return highest_; }
  /// Whether any number arrived.
  [[nodiscard]] bool started() const noexcept { return any_; }
  /// Whether an END count was given.
  [[nodiscard]] bool ended() const noexcept { return end_count_.has_value(); }
  /// Whether every number counted is trusted: no decision is pending (no
  /// open start, near claim, far numbers waiting, numbers a packet holds,
  /// announcement in doubt, unproven claim on probation, numbers held past
  /// an END, nor a run far below the start that may take the epoch over).
  /// A tracker that is not may still take back what it counted: what is
  /// saved of it (save()) is then not what it trusts. A new tracker is.
  [[nodiscard]] bool trusted() const noexcept {
    return far_.count == 0 && !start_.open && !claim_.active && !announce_.open && !held_.active && !aside_.active &&
           unproven() == nullptr && past_end_.count == 0 && after_end_.count == 0 &&
           (below_run_.count == 0 || (below_run_.distinct != distinct_ && !line_below_open()));
  }

 private:
  // RTP's numbers come through RFC 3550 A.1, which believes gaps up to its
  // MAX_DROPOUT at once: the bound is that, for its tracker.
  friend class rtp_sequence_tracker;
  // A line's tracker counts what the line carried, not the feed's loss: its
  // start moves down as far as the window (arbiter.hpp).
  friend class arbiter;
  static constexpr std::size_t words = window / 64;
  arrival add_slow(std::uint64_t seq) noexcept;
  /// Whether the datagram being judged (origin_) counts as evidence against
  /// a doubt opened by a datagram tagged `doubt`: same tag, or either untagged.
  [[nodiscard]] bool own(std::uint8_t doubt) const noexcept { return origin_ == doubt || origin_ == 0 || doubt == 0; }
  /// add_slow() past numbers a packet holds: the open start, then add_judged().
  arrival add_start(std::uint64_t seq) noexcept;
  /// add_slow() past the open start: a number inside a near claim, then add_counted().
  arrival add_judged(std::uint64_t seq) noexcept;
  /// The rules for a number that is not the next one, a duplicate or a
  /// late one (add()'s fast path), an open start and a near claim aside.
  arrival add_counted(std::uint64_t seq) noexcept;
  /// A number above the highest, at most `max_gap` ahead: in order or a gap.
  arrival advance(std::uint64_t seq) noexcept;
  /// A number more than `provisional_gap` above the highest: a `jump`
  /// unless it follows the far numbers waiting (then `confirmed`, or `restart`).
  arrival add_far(std::uint64_t seq) noexcept;
  /// Count the waiting far numbers as a gap up to the lowest and the rest
  /// after it (in order), `waiting` of them counted as jumps so far;
  /// returns the lowest one's arrival.
  arrival count_run(std::size_t waiting) noexcept;
  /// An END count or announcement `last` (its count - 1) while far numbers
  /// within the window wait: below them it gives them up (they stay jumps);
  /// at or past them it follows them (they count).
  void settle_run(std::uint64_t last) noexcept;
  /// A claimed last number (announcement - 1): whether to
  /// believe it, given the claim before (`previous`, updated).
  bool believe(std::uint64_t last, std::optional<std::uint64_t>& previous) noexcept;
  /// Believe the END count end_votes chooses, if any.
  void choose_end() noexcept;
  /// The current epoch only (window, counts, END), not the totals.
  void clear_epoch() noexcept;
  /// The epoch's numbers were not the stream's (a start or a run taken
  /// back): forget what was counted from them (window, first, highest,
  /// distinct, gaps, open start and claim), keeping duplicates, too-late
  /// arrivals (counted as reordered), END counts and far numbers waiting,
  /// so that the numbers held instead can be counted anew.
  void recount() noexcept;
  /// The epoch's start was not proven and the numbers below it (start_)
  /// weigh more: it and the numbers above it count as jumps and those
  /// below are counted anew, as if it had never come. Returns the last
  /// one's arrival.
  arrival retract_start() noexcept;
  /// A number at most provisional_gap above the highest is about to count
  /// as a gap: remember the claim (the window's bits it clears) to take it
  /// back should the stream go on from below it.
  void open_claim(std::uint64_t seq) noexcept;
  /// The near claim stands (the stream went on from it): its gap counts,
  /// after a lone first number too.
  void claim_stands() noexcept;
  /// The next number after the highest came while a near claim is open
  /// (not contested, nothing on probation), fewer than epoch_proof numbers
  /// at or past its number so far: one more of them, as add_judged()
  /// counts it (add()'s inline path).
  void claim_went_on() noexcept {
    ++claim_.run;
    if (claim_.origin != 0 && claim_.run >= epoch_proof) {
      claim_.active = false;  // merged lines: a run of epoch_proof stands (add_judged())
    } else if (claim_.run == 2 || claim_.run == epoch_proof) {
      claim_.went_on_at = claim_.claimed;
      if (claim_.run == epoch_proof) claim_.inside = claim_.line_count = 0;
    }
  }
  /// The contest for the near claim ends now: the line above wins with
  /// epoch_proof numbers and more than the line below (the claim stands),
  /// else the line below does (the claim is taken back from the lowest
  /// number above the line below's highest).
  void decide_contest() noexcept;
  /// An END of `count` while a near claim is open and nothing inside its
  /// gap came: a count inside the gap (at or past the highest before it
  /// + 1) given twice and more often than the END believed (past the
  /// claim) says the sender ended below the claimed number: the claim is
  /// taken back and the END's earlier copies go to the vote.
  void end_inside_claim(std::uint64_t count) noexcept;
  /// settle() of an END below what the line above a claim proved
  /// (claim_.pending_end) that nothing above came after: the line above
  /// stopped and the sender ended below it, so the END takes the claim back
  /// as one below an unproven claim does, and its refused copies are
  /// judged anew.
  void settle_pending_end() noexcept;
  /// Whether the epoch is a lone first number whose start is open (nothing
  /// else counted, no claim, END or probation): a number far above that the
  /// stream follows takes it over (add_far()).
  /// One more END of `count` against a start or claim (end_below_start(),
  /// end_inside_claim()): the vote's count and times in `vote_count`,
  /// `vote_times`; the count given most wins, and only more than once and
  /// more often than a believed END's. Decisive: the earlier copies of it
  /// (refused as below the highest, counted unconfirmed), for
  /// vote_earlier_ends() once the start or claim is taken back.
  [[nodiscard]] std::optional<std::uint64_t> decisive_end(std::uint64_t& vote_count, std::uint64_t& vote_times,
                                                          std::uint64_t count) const noexcept;
  /// The `earlier` copies of a decisive END of `count` go to the END vote.
  void vote_earlier_ends(std::uint64_t count, std::uint64_t earlier) noexcept;
  [[nodiscard]] bool lone_start() const noexcept;
  /// A number inside the claimed gap came (`a`, reordered; or, `copy`, a
  /// duplicate from the claiming source of one another source brought):
  /// once epoch_proof of them from the claiming source (own()) came and
  /// nothing at or past the claimed number, take the claim back; every new
  /// one fills the gap. Returns the number's arrival as counted.
  arrival follow_claim(std::uint64_t seq, arrival a, bool copy) noexcept;
  /// Take the claim back: the numbers since at or past `from` (the claimed
  /// number, or the lowest number above the line below it) count
  /// as jumps, the window is as before the claim, the numbers since below
  /// `from` are counted anew (lowest first). Returns `seq`'s new arrival
  /// (or `a` when not among them).
  arrival take_back_claim(std::uint64_t seq, arrival a, std::uint64_t from) noexcept;
  /// Where a take-back for evidence at `last` (the line below the claim,
  /// or an END's last number) starts: the lowest number above `last` that
  /// came (the highest when none).
  [[nodiscard]] std::uint64_t next_above(std::uint64_t last) const noexcept;
  /// A number while an announcement is in doubt (announce_): at or past
  /// the announced next number it stands; a new number above the highest
  /// when it came counts against it, epoch_proof of them take it back.
  void judge_announce(std::uint64_t seq) noexcept;
  /// A number far below the start (more than start_bound_): a duplicate of
  /// the run below (true, `out` says so), a number of it (false, a jump),
  /// or the one that makes the epoch yield (true, `out` its arrival).
  bool follow_below(std::uint64_t seq, arrival& out) noexcept;
  /// The run far below the start wins (below_run_): the epoch's numbers
  /// count as jumps (`counted`: of the run's, those not counted as jumps
  /// yet), the run's are counted in order. `seq`'s arrival goes to `out`.
  void take_over_below(std::uint64_t seq, std::uint64_t counted, arrival& out) noexcept;
  /// An END of `count` while a run below a taken-over start (lone_kept_)
  /// holds the lone number and more: the sender's END, repeated, after its
  /// numbers below the start, takes the start back.
  void end_below_start(std::uint64_t count) noexcept;
  /// The numbers a packet holds (held_): `confirm` counts those that did
  /// not come yet (in order), else they count as jumps; either way the hold
  /// ends.
  void release_held(bool confirm) noexcept;
  /// A number (or END count - 1, announcement - 1) `last` while numbers are
  /// held: past them it confirms them; an END or announcement below them
  /// drops them; a new number inside them counts against them.
  void judge_held(std::uint64_t last, bool number) noexcept;
  /// Take the announcement in doubt back: lost() counts up to the one before.
  void take_back_announce() noexcept;
  /// A number end_continuation or more past the believed END's count: held
  /// as a jump; the epoch_proof-th of a run that follows each other forgets
  /// the END and counts them (the stream went on). Returns its arrival.
  arrival past_end(std::uint64_t seq) noexcept;
  /// Before a followed jump or a new epoch: keep a copy to go back to (a
  /// proven claim on probation ends: the copy is then reused; an unproven
  /// one keeps its copy, so both go back together).
  /// `low` is the claim's lowest number. False when there is no memory for
  /// it (the jump is then not followed).
  /// `origin`: the tag of the datagram that followed the jump (0 for an END
  /// or announcement), whose numbers are the evidence against it.
  bool begin_probation(std::uint64_t low, std::uint8_t origin) noexcept;
  /// What held evidence is: a number (handed on as a jump), a copy (the
  /// jump's own source's copy of a number another source brought since: a
  /// duplicate), an END count or an announcement.
  enum class evidence_kind : std::uint8_t { number, copy, end, announce };
  /// A number (or END count - 1, announcement - 1) `last` while on
  /// probation: ends the probation when it is over; when `last` is near
  /// the highest before the jump, holds it as evidence (`hold` says how
  /// the caller counts it) and goes back to the copy once the evidence is
  /// enough. True when it went back (the caller then handles `last` anew).
  /// (`held_copy`: held, and the caller counts it a duplicate.)
  enum class probation_check : std::uint8_t { none, held, held_copy, repeat, retracted };
  probation_check check_probation(std::uint64_t last, evidence_kind kind) noexcept;
  /// Go back to the copy: the numbers since count as jumps, the evidence
  /// held but the last is counted in the state before the jump.
  void retract(bool keep_last) noexcept;
  /// Counts a held number again after retract(): received, or a jump (never
  /// a late or repeated copy: it was handed on as a first copy).
  void recount_held(std::uint64_t n) noexcept;
  /// Whether the END counts held against the claim on probation take it
  /// back at the end of the run: one of them, past the highest before the
  /// claim, came at least twice and more often than the END believed at or
  /// past the claim.
  [[nodiscard]] bool ends_refute() const noexcept;
  /// The probation is over: the copy and the evidence go.
  void end_probation() noexcept;
  /// settle() of a claim on probation: taken back or proven.
  void settle_probation() noexcept;
  /// The evidence held goes (numbers stay jumps, END counts and
  /// announcements count as unconfirmed).
  void end_evidence() noexcept;
  /// The copy a provisional() claim would go back to (null when none):
  /// fewer than epoch_proof numbers were counted past the jump, or they
  /// span more than gap_bound_ for each epoch_proof of them (a forger's
  /// climb of near steps past its far pair; a real line after an outage
  /// is denser, however lossy) and never spanned less (proven_).
  /// Whether a far number `seq` (past gap_bound_, nothing waiting before
  /// it) goes on up a climb the pace proved: a claim on probation proven
  /// by the pace (climb_paced_), none of it past pace_limit(), and `seq`
  /// within pace_step() and pace_limit() of the highest. It is then believed
  /// at once, on probation as a followed jump is (issue #16: a path keeping
  /// 1 datagram in 2,000 left the last arrival of each run a jump, its gap
  /// not lost).
  [[nodiscard]] bool paced_step(std::uint64_t seq) const noexcept;
  /// The lone first number kept below the start (lone_kept_) is on the
  /// line of a paced climb proven after it (pace_back()): counted as the
  /// epoch's first number, its gap lost.
  void lone_on_pace() noexcept;
  [[nodiscard]] const sequence_tracker* unproven() const noexcept {
    const sequence_tracker* b = before_jump_.copy.get();
    if (b == nullptr || proven_) return nullptr;
    if (beyond_pace_) return b;
    const std::uint64_t past = own_received() - proof_from_;
    if (past < epoch_proof) return b;
    if (climb_paced_) return nullptr;
    return highest_ > proof_low_ && (highest_ - proof_low_) / gap_bound_ >= past / epoch_proof ? b : nullptr;
  }
  [[nodiscard]] std::uint64_t own_received() const noexcept { return before_.received + distinct_; }
  /// The numbers in `before`'s gaps (at most its highest) that this state,
  /// on probation from that copy, counted since it was made (retract()'s
  /// fills) or holds as evidence: going back to it counts them, and so does
  /// the claim's proof (lost_in_doubt() of a provisional() claim).
  [[nodiscard]] std::uint64_t fills_of(const sequence_tracker& before) const noexcept;
  /// lost_in_doubt() of the current epoch's pending decisions (an open
  /// start, a run below, an announcement, held numbers, a near claim).
  [[nodiscard]] std::uint64_t epoch_doubt() const noexcept;
  [[nodiscard]] std::uint64_t lost_in_epoch() const noexcept;
  std::uint64_t clear_range(std::uint64_t from, std::uint64_t count) noexcept;
  [[nodiscard]] bool test(std::uint64_t seq) const noexcept {
    return (seen_[(seq % window) / 64] >> (seq % 64) & 1u) != 0;
  }
  void set(std::uint64_t seq) noexcept { seen_[(seq % window) / 64] |= std::uint64_t{1} << (seq % 64); }
  void set_new(std::uint64_t seq) noexcept {
    set(seq);
    ++in_window_;
  }

  // Whether add()'s inline path may judge the next number: a number was
  // counted and nothing is pending that add_slow() judges every number
  // against (far numbers waiting, a believed END, an open start, an
  // announcement in doubt, numbers a packet holds, a near claim contested
  // or on probation). Only the out-of-line calls change those: the
  // outermost of add_slow(), add_run(), end(), announce(), restart(),
  // reset(), settle() and resume() sets it when it returns (refresh());
  // while one runs it is false (`depth_`: mutating), so the numbers they
  // count anew take the whole way.
  // `inline_top_`: the highest number the inline path takes as the next
  // one: 0 unless simple_; with a near claim open, claim_span past the
  // highest before it; else UINT64_MAX. (A claim that stands inline
  // leaves it as it was until the next refresh().)
  bool simple_ = false;
  std::uint8_t depth_ = 0;
  std::uint64_t inline_top_ = 0;
  void refresh() noexcept {
    simple_ = any_ && far_.count == 0 && !end_believed_ && !start_.open && !announce_.open && !held_.active &&
              !aside_.active &&
              !(claim_.active && (claim_.contest || before_jump_.copy));
    inline_top_ = !simple_ ? 0 : claim_.active ? claim_.before + claim_span : UINT64_MAX;
  }
  class mutating {
   public:
    explicit mutating(sequence_tracker& t) noexcept : t_(t) {
      if (t_.depth_++ == 0) {
        t_.simple_ = false;
        t_.inline_top_ = 0;
      }
    }
    ~mutating() {
      if (--t_.depth_ == 0) t_.refresh();
    }
    mutating(const mutating&) = delete;
    mutating& operator=(const mutating&) = delete;

   private:
    sequence_tracker& t_;
  };
  std::uint64_t gap_bound_ = provisional_gap;  // the largest step believed at once (kept by reset())
  // After resume(): numbers below it (the highest before) count as too
  // late; 0 otherwise. The current epoch's (clear_epoch() and recount() drop it).
  std::uint64_t resume_floor_ = 0;
  std::uint8_t origin_ = 0;  // the tag of the datagram being judged (add()'s origin)
  // add_run() is adding a packet's numbers past its first: no further
  // evidence against an open start (the packet's first was).
  bool run_tail_ = false;
  // One packet (add_run(), or a held packet's numbers counted at last) is
  // one piece of evidence for or against a doubt, as one datagram is, however
  // many numbers it carries (trial20p F3: the 10 messages of a reordered
  // MoldUDP64 packet inside the gap its successor opened weighed as 10
  // datagrams and took the gap back; a duplicated packet's copy as 9 against
  // the numbers its first copy held). `in_packet_`: a packet's numbers are
  // being added; the others: which doubts it gave its piece to so far (the
  // line below a near claim, the numbers a packet holds, an announcement,
  // the line above a contested claim).
  struct packet_pieces {
    bool in_packet = false, claim = false, held = false, announce = false, above = false;
  };
  packet_pieces pieces_{};
  // Whether the number being added counts as a piece of evidence for the
  // doubt `given` stands for: always outside a packet; inside one, only the
  // first time (it then marks `given`).
  [[nodiscard]] bool piece(bool packet_pieces::*given) noexcept {
    if (!pieces_.in_packet) return true;
    if (pieces_.*given) return false;
    pieces_.*given = true;
    return true;
  }
  // Whether a start is doubted (start_, below_run_; kept by reset()): RTP's
  // tracker follows RFC 3550 A.1, whose first number stands.
  bool doubt_ = true;
  // Whether a near gap is doubted (claim_, announce_; kept by reset()).
  bool claims_ = true;
  // The furthest below the lowest number counted a number moves the start
  // down (kept by reset()); an arbiter's lines take any number in the window.
  std::uint64_t start_bound_ = provisional_gap;
  bool any_ = false;
  std::uint64_t first_ = 0;
  std::uint64_t highest_ = 0;
  std::uint64_t distinct_ = 0;
  std::uint64_t reordered_ = 0;
  std::uint64_t duplicates_ = 0;
  std::uint64_t too_late_ = 0;
  std::uint64_t gaps_ = 0;
  std::uint64_t expired_ = 0;
  std::uint64_t in_window_ = 0;  // bits set in seen_: a jump past the window clears them without counting
  std::optional<std::uint64_t> end_count_;
  bool end_believed_ = false;  // end_count_ came after a number: another count is not believed
  std::uint64_t announced_ = 0;  // the largest announce()d next number (0: none)
  // Far numbers waiting to be believed: consecutive-ish `jump`s (each less
  // than the window above the one before); `count` 0 when none.
  struct far_run {
    std::uint8_t count = 0;
    std::array<std::uint64_t, epoch_proof> numbers{};
  };
  far_run far_{};
  // The last numbers found far below the start (jumps), so a copy of one
  // (another line's) is a duplicate, not a second first copy.
  struct below_start {
    std::uint8_t count = 0, next = 0;
    std::array<std::uint64_t, epoch_proof> numbers{};
  };
  below_start below_{};
  // A run of numbers far below the start (jumps), each at most gap_bound_
  // above the one before (or a late one inside it), within below_span of
  // its first, while the epoch counted nothing new (`distinct`: the
  // epoch's count when the run began): once it has epoch_proof numbers and
  // more than the epoch, the epoch yields to it (take_over_below()): a
  // forger's numbers came before the sender's first, and the sequence that
  // keeps going is the sender's.
  static constexpr std::uint64_t below_span = 512;
  // A run that holds the lone first number a far start took over from
  // (lone_) counts it as one of its own, and an END count at or past the
  // run's last number (at most gap_bound_ past it, below the start), given
  // twice and more often than the END believed, makes the epoch yield too
  // (end_below_start()): `end_count`, `end_times` (0: none).
  struct below_run {
    std::uint64_t first = 0, last = 0, count = 0, distinct = 0;
    std::uint64_t end_count = 0, end_times = 0;
    // Seeded from an open start's numbers below it (seed_line_below()):
    // the epoch's numbers between the run's do not break it.
    bool interleaved = false;
    // The run's numbers since the epoch last counted one (`at`: distinct_
    // at the run's last number): an interleaved run without the lone
    // number wins only once the epoch stopped and it kept arriving.
    std::uint64_t streak = 0, at = 0;
    // Takes `n` (at or past `first`, less than below_span past it) into
    // the run; false when it holds it already.
    bool take(std::uint64_t n) noexcept {
      const std::uint64_t pos = n - first;
      auto& word = bits[static_cast<std::size_t>(pos / 64)];
      const std::uint64_t bit = std::uint64_t{1} << (pos % 64);
      if ((word & bit) != 0) return false;
      word |= bit;
      last = n > last ? n : last;
      ++count;
      return true;
    }
    std::array<std::uint64_t, below_span / 64> bits{};
  };
  below_run below_run_{};
  // The lone first number a far start took over from (add_far()), kept while
  // that epoch stands (recount() and clear_epoch() drop it): the sender's
  // own numbers below the start, near it, count it as theirs.
  bool lone_kept_ = false;
  std::uint64_t lone_ = 0;
  // Whether the run far below the start holds the lone first number
  // (lone_kept_): the sender's line going on from its first, which the
  // epoch's numbers between its own do not break.
  [[nodiscard]] bool holds_lone() const noexcept {
    const below_run& b = below_run_;
    if (!lone_kept_ || b.count == 0 || lone_ < b.first || lone_ - b.first >= below_span) return false;
    const std::uint64_t at = lone_ - b.first;
    return (b.bits[static_cast<std::size_t>(at / 64)] >> (at % 64) & 1u) != 0;
  }
  // The lone number's line came while the start was open, between the
  // epoch's numbers (seed_line_below()): the epoch's numbers between its
  // own do not break it (follow_below()).
  [[nodiscard]] bool lone_line_open() const noexcept { return below_run_.interleaved && holds_lone(); }
  // A run seeded so may still take the epoch over: it holds the lone
  // number, or the epoch counted fewer numbers than a run can hold.
  [[nodiscard]] bool line_below_open() const noexcept {
    return below_run_.interleaved && (holds_lone() || distinct_ < below_span);
  }
  // The open start is proven while the numbers kept below it (all jumps,
  // far below it) came between its own: they begin the run below, which
  // goes on across the epoch's numbers. With the lone first number a far
  // start took over from, that number's line (trial h16m finding 2);
  // without, the line of a sender whose first number came after a
  // forger's lone number (h16b: the line that keeps arriving wins).
  void seed_line_below() noexcept;
  // Numbers at or past a believed END's count given more than once, held as
  // jumps until as many came as the END's times (at most epoch_proof).
  far_run past_end_{};
  // The epoch's first number while fewer than epoch_proof numbers from it
  // up were counted (`open`): the numbers below it counted since, in
  // arrival order (reordered, or `late`: jumps, further below than the
  // window, where they would be too late). epoch_proof of them, an
  // END below it after some, or at the end of a run as many as from it up,
  // take it back (retract_start()): a forger's numbers before the sender's first.
  // `origin`: the first's tag; only numbers with its tag (own()) are
  // kept; `copies` of those were duplicates (another source brought the
  // number first); `fills` counts other sources' new numbers below it.
  struct open_start {
    bool open = false;
    std::uint8_t count = 0, late = 0, copies = 0;
    std::uint8_t origin = 0;
    std::uint64_t first = 0, fills = 0;
    std::array<std::uint64_t, epoch_proof> numbers{};
  };
  open_start start_{};
  // The numbers counted from the open start's first up.
  [[nodiscard]] std::uint64_t from_start() const noexcept {
    return distinct_ - (start_.count - start_.late - start_.copies) - start_.fills;
  }
  // The last gap counted at once (at most provisional_gap), while fewer
  // than epoch_proof numbers at or past its number came (`run`, the claimed
  // number's included): the highest before it, the number, how many
  // numbers inside the gap came since, the reordered and gap verdicts of
  // the numbers above `before` since, expired_ before it and the window's
  // bits of positions before + 1 .. before + claim_span, as they were.
  // epoch_proof numbers inside the gap take it back (take_back_claim()):
  // the stream went on from below it, and the run past it was a forger's.
  // The most a claim's run may reach past the highest before it: 6 gaps of
  // 1,024 (a chain of forged numbers, each a gap past the one before, is
  // taken back whole), twice RTP's max_dropout (3000).
  static constexpr std::uint64_t claim_span = 6144;
  [[nodiscard]] static constexpr std::uint64_t claim_limit() noexcept { return claim_span; }
  // A chain stands when it reaches past claim_span with at least one number
  // counted for every claim_density it spans (at most 3 in 4 lost).
  static constexpr std::uint64_t claim_density = 4;
  // `origin`: the tag of the datagram that opened it; `inside` counts only
  // numbers with that tag (own()), `filled` every new number inside the gap.
  struct gap_claim {
    bool active = false;
    std::uint8_t origin = 0;
    std::uint64_t filled = 0;
    std::uint64_t before = 0, claimed = 0, inside = 0, run = 0, reordered = 0, gaps = 0, expired = 0;
    // An END count inside the gap (at or past before + 1, below the claimed
    // number) before any number inside it, and how often it came.
    std::uint64_t end_count = 0, end_times = 0;
    // The line below the claim: numbers inside it that came since, each
    // above the one before with none that came between them (the live
    // sender going on below what came above it), its last and how many.
    // Reset when epoch_proof numbers past the claimed number came (what
    // came below before was reordering: a real gap's late numbers arrive
    // with the first ones after it).
    std::uint64_t line_last = 0, line_count = 0;
    // The contest (untagged claims): open once the line below has the
    // evidence above; `below` and `above` count each line's new numbers
    // since (the line below starting at epoch_proof), `below_top` the
    // highest number below. The line above wins with epoch_proof numbers
    // and more than below; the line below when it reaches the gap's top
    // number ahead, or at settle().
    bool contest = false;
    bool climbed = false;  // a step of it was held like a far jump: no contest
    // The claimed number epoch_proof numbers from which on came last (the
    // line above went on from it; 0: none): numbers below it are late.
    std::uint64_t went_on_at = 0;
    std::uint64_t above = 0, below = 0, below_top = 0;
    // The climb: `base` is the highest when the last step came that a new
    // number preceded (the highest before the claim, at first),
    // `climb_first` the number of that step; `step_distinct` distinct_
    // just after the last step; `base_distinct` distinct_ with `base`
    // counted. A gap past the claimed number with no new number since it
    // climbs on from `base`; one that would take the climb more than
    // gap_bound_ past it with fewer than one number counted per
    // claim_density it spans (add_judged()) is held like a far jump.
    std::uint64_t base = 0, climb_first = 0, step_distinct = 0, base_distinct = 0;
    // distinct_ when it opened: the numbers counted since (above `before`)
    // are the line going on from it.
    std::uint64_t opened = 0;
    // The highest number of the chain's steps the line above proved before
    // the current step (0: none): see claim_proven().
    std::uint64_t proven = 0;
    // An END below what the line above proved (claim_proven()), waiting
    // for the end of the run: the count, how often it came, how many of
    // those were refused (counted unconfirmed) and the highest number when
    // the last came. Should nothing above it come by settle(), it is judged
    // as an END below the claim is (settle_pending_end()).
    std::uint64_t pending_end = 0, pending_times = 0, pending_refused = 0, pending_highest = 0;
    std::array<std::uint64_t, claim_span / 64 + 1> bits{};
  };
  gap_claim claim_{};
  // Whether the line above proved the claim's current step: epoch_proof
  // numbers came at or past its claimed number with no gap between them
  // (a forger's one number, pair or short run past the live sender does
  // not; nor does the density of the chain below it, which the forger's
  // step would borrow).
  [[nodiscard]] bool step_proven() const noexcept { return claim_.run >= 2; }
  // The highest number of the open claim the line above proved (0: none).
  // A real sender's END carries its last number, so an END below it is not
  // the sender's last word (a forged one, or a restarted sender's): it
  // takes back nothing, and the later in-order numbers stand (trial h16m 1).
  // A contest open (the live sender's line going on below the chain) leaves
  // nothing above it proven: the contest decides, and the END of the line
  // below takes back what came above it, as ever.
  [[nodiscard]] std::uint64_t claim_proven() const noexcept {
    if (claim_.contest) return 0;
    return step_proven() ? highest_ : claim_.proven;
  }
  // An announcement that showed numbers missing past the highest, while no
  // number at or past it came: the largest announcement before it, the
  // highest number when it came, and how many new numbers above that came
  // since. epoch_proof of them (the live sender going on from where it
  // was, below the announced next number), or an END below it after some,
  // take it back: a forger's heartbeat.
  // `serial` tells announcements apart (announce_serial_ when it opened).
  struct announce_doubt {
    bool open = false;
    std::uint64_t previous = 0, highest = 0, inside = 0, serial = 0;
  };
  announce_doubt announce_{};
  std::uint64_t announce_serial_ = 0;
  // Take-backs of the announcement open in before_jump_.copy (at most one
  // since the copy): retract() restores it open, so its unconfirmed count
  // is taken back with it.
  std::uint64_t copy_announce_taken_back_ = 0;
  // The numbers past a packet's first (add_run()) while held: first .. last,
  // and how many other new numbers inside them came since.
  struct held_run {
    bool active = false;
    std::uint64_t first = 0, last = 0, inside = 0;
  };
  held_run held_{};
  // A packet (add_run()) whose first number is more than gap_bound_ past
  // the numbers counted or held, while its gap is at most aside_gaps of
  // its own size: the gap a packet of as many numbers overtaken leaves
  // (trial20p F3: a MoldUDP64 packet of 1,024 messages or more swapped
  // with the one before read as a far jump, and the one before gave it up:
  // its messages lost and jumps). Set aside whole, neither received nor
  // lost (held()), while packets go on below it from the highest (at most
  // epoch_proof of them): once it is near (or next), it is judged as it
  // would have been then (add_run_now()), and, next, the numbers that came
  // meanwhile count as reordered (they came after it); anything else
  // judges it first, as it came (flush_aside()). `below`: the numbers of
  // the packets that went on below it; `waits`: how many.
  static constexpr std::uint64_t aside_gaps = epoch_proof;
  struct aside_packet {
    bool active = false;
    std::uint8_t waits = 0;
    std::uint64_t first = 0, count = 0, below = 0;
  };
  aside_packet aside_{};
  // add_run() without the packet set aside (or to set aside).
  arrival add_run_now(std::uint64_t first, std::uint64_t count) noexcept;
  // Judge the packet set aside now, as it came (no-op when none).
  arrival flush_aside() noexcept;
  // Numbers end_continuation or more past a believed END's count, each
  // above the one before and at most gap_bound_ past it: held as jumps;
  // epoch_proof of them contradict the END (the stream went on past it).
  far_run after_end_{};
  std::optional<std::uint64_t> announce_claim_;  // the last announcement given
  end_votes ends_;  // the END counts given in this epoch (not held as evidence)
  std::uint64_t jumps_ = 0;
  std::uint64_t restarts_ = 0;
  std::uint64_t unconfirmed_ends_ = 0;
  std::uint64_t retracted_ = 0;
  // The tracker as it was before a followed jump or a new epoch, while that
  // is on probation (null otherwise), and the distinct count it ends at.
  detail::tracker_copy before_jump_;
  std::uint64_t probation_end_ = 0;
  // own_received() when the last jump on probation was followed: the
  // proof is epoch_proof numbers counted from there. A far claim followed
  // while an unproven one is on probation (the copy kept, both go back
  // together) needs its own proof: the numbers of one far claim do not
  // prove the next (a forger's far pairs, each followed by its second
  // number, a climb of them faster than the live sender).
  std::uint64_t proof_from_ = 0;
  std::uint64_t proof_low_ = 0;  // the lowest number of that jump
  // The claim on probation was found proven (unproven() null) when a
  // number came: what comes after it (a forger's climb past a real
  // outage) does not make it sparse again.
  bool proven_ = false;
  // pace_limit()'s bound, and whether the claim on probation reached past
  // it (then never proven: unproven()).
  std::uint64_t pace_ahead_ = UINT64_MAX;
  bool beyond_pace_ = false;
  // pace_step()'s bound, and whether the claims on probation since
  // proof_from_ were all within it.
  std::uint64_t pace_step_ = 0;
  bool climb_paced_ = false;
  std::uint64_t pace_back_ = 0;  // pace_back()'s bound
  std::uint64_t jump_low_ = 0;  // the lowest number of the claim on probation
  std::uint8_t jump_origin_ = 0;  // the tag of the datagram that followed it (own())
  // Numbers, END counts and announcements from before the jump held against
  // it while on probation (numbers distinct), in arrival order.
  struct evidence {
    std::uint8_t count = 0;
    std::array<std::uint64_t, epoch_proof> values{};
    std::array<evidence_kind, epoch_proof> kinds{};
  };
  evidence evidence_{};
  // own_received() when the last END count was held as evidence: numbers
  // counted past the jump since then (epoch_proof of them) mean the line
  // went on after it, and the END refutes nothing (ends_refute()).
  std::uint64_t ends_held_at_ = 0;
  struct epochs_before {
    std::uint64_t received = 0, lost = 0, reordered = 0, duplicates = 0, too_late = 0, gaps = 0, expired = 0;
  };
  epochs_before before_{};  // the epochs before the current one
  std::array<std::uint64_t, words> seen_{};  // bit (seq % window) for seq in (highest - window, highest]
};

/// Sequence accounting of one stream of RTP's 16-bit sequence numbers
/// (RFC 3550 section 5.1), extended to 64 bits with a count of cycles as
/// RFC 3550 Appendix A.1 (`update_seq`) does, then accounted by a
/// `sequence_tracker` (whose verdicts and counts it gives, on extended numbers).
///
/// From A.1, with its constants: a number less than `max_dropout` ahead of
/// the highest (modulo 2^16) is in order, possibly after a gap, and a wrap
/// from 65535 to 0 adds a cycle; one fewer than `max_misorder` behind (1 to
/// 99) is reordered or a duplicate; anything else is a `jump` and is not counted,
/// unless the next datagram follows it (`restart`: the sender restarted,
/// counting starts over from it, as A.1's `init_seq`; the counts before it
/// stay in the totals). So a datagram `max_misorder` or more late is a
/// `jump`, not `too_late`, as in A.1 (its test is `udelta <= RTP_SEQ_MOD -
/// MAX_MISORDER`).
///
/// Where this differs from A.1: the first datagram is counted at once (A.1's
/// probation of MIN_SEQUENTIAL datagrams is source validation, left to the
/// caller); duplicates are not counted as received (A.1 counts them, so its
/// loss can go negative); a late number below the first moves the start
/// down, as sequence_tracker does, except across the first wrap (a 65535
/// arriving after a first 2 has no extended number): that one is `too_late`.
/// 8 KiB, fixed; add() never allocates.
class rtp_sequence_tracker {
 public:
  static constexpr std::uint32_t seq_mod = 1u << 16;  ///< RTP_SEQ_MOD
  static constexpr std::uint32_t max_dropout = 3000;  ///< MAX_DROPOUT: the largest gap believed at once
  static constexpr std::uint32_t max_misorder = 100;  ///< MAX_MISORDER: a datagram this late or later is a jump

  /// A tracker before any datagram.
  rtp_sequence_tracker() noexcept {
    current_.gap_bound_ = max_dropout;
    current_.doubt_ = false;
  }

  /// Account one datagram's 16-bit number and say what it was.
  arrival add(std::uint16_t seq) noexcept { return add(seq, std::nullopt); }
  /// The same with its RTP timestamp, which decides a followed jump of
  /// `max_dropout` or more (trial t20y H3): when the jump's timestamp
  /// advanced from the highest's by the stream's mean step per number
  /// (over its epoch, at least `usual_steps` numbers) times a number of
  /// numbers that is its skip modulo 2^16 (an outage of more than 65,536
  /// numbers too), within 1/16 of it and 64, it is an outage: its gap
  /// counts as lost (once proven, as sequence_tracker's followed jump; the
  /// live sender going on from before it takes it back). Otherwise it is
  /// a `restart` as in A.1, and one the timestamps could not decide (none,
  /// or too few numbers for a step: undecided_restarts()) leaves the
  /// stream's loss unknown.
  arrival add(std::uint16_t seq, std::optional<std::uint32_t> timestamp) noexcept;
  /// The fewest numbers the mean timestamp step is taken over.
  static constexpr std::uint32_t usual_steps = 8;
  /// Restarts the timestamps could not tell from an outage: the sender may
  /// have gone on with its numbers through a gap, so the loss is unknown.
  [[nodiscard]] std::uint64_t undecided_restarts() const noexcept { return undecided_restarts_; }

  /// Distinct numbers received over all restarts.
  [[nodiscard]] std::uint64_t received() const noexcept { return current_.received(); }
  /// Numbers missing over all restarts (each run from its first to its highest number).
  [[nodiscard]] std::uint64_t lost() const noexcept { return current_.lost(); }
  /// Reordered arrivals (too-late ones included) over all restarts.
  [[nodiscard]] std::uint64_t reordered() const noexcept { return current_.reordered() + early_too_late_; }
  /// Duplicates over all restarts.
  [[nodiscard]] std::uint64_t duplicates() const noexcept { return current_.duplicates(); }
  /// Too-late arrivals over all restarts (also in reordered()).
  [[nodiscard]] std::uint64_t too_late() const noexcept { return current_.too_late() + early_too_late_; }
  /// Datagrams not counted because they jumped (each `jump` verdict), and
  /// near gaps taken back (sequence_tracker's rule: the number that claimed
  /// the gap, and a short run after it, when the stream went on below it).
  [[nodiscard]] std::uint64_t jumps() const noexcept { return jumps_ + current_.jumps(); }
  /// Restarts (each `restart` verdict).
  [[nodiscard]] std::uint64_t restarts() const noexcept { return current_.restarts(); }
  /// A.1's extended highest sequence number received (`cycles + max_seq`)
  /// since the last restart, what an RTCP reception report carries
  /// (RFC 3550 section 6.4.1, truncated to 32 bits there); 0 before any.
  [[nodiscard]] std::uint64_t extended_highest() const noexcept { return current_.highest(); }
  /// Wraps from 65535 to 0 since the last restart.
  [[nodiscard]] std::uint64_t cycles() const noexcept { return cycles_ / seq_mod; }
  /// The 64-bit accounting of the extended numbers: the totals over all
  /// restarts; first() and highest() since the last one.
  [[nodiscard]] const sequence_tracker& current() const noexcept { return current_; }

 private:
  void init(std::uint16_t seq) noexcept;
  /// A.1's state from the tracker's highest (after a claim was taken back).
  void sync() noexcept;
  static_assert(2 * max_dropout <= sequence_tracker::claim_span);

  bool any_ = false;
  std::uint16_t max_seq_ = 0;
  std::uint32_t bad_seq_ = seq_mod + 1;  // seq == bad_seq_ never holds until a jump sets it
  std::uint64_t cycles_ = 0;             // shifted count of cycles, as A.1 keeps it
  std::uint64_t jumps_ = 0;
  std::uint64_t early_too_late_ = 0;     // late across the first wrap: no extended number to count it by
  // The timestamps (add() with one): the one at max_seq_, the usual step
  // per number and how many times in a row it came, the jump's.
  bool ts_any_ = false;
  std::uint32_t ts_at_max_ = 0;
  // The epoch's first timestamp and its extended number: the mean step.
  std::optional<std::uint32_t> ts_base_;
  std::uint64_t ts_base_seq_ = 0;
  std::optional<std::uint32_t> jump_ts_;
  std::uint16_t jump_seq_ = 0;
  bool jump_last_ = false;  // the datagram before was that jump (a trickle's next number may follow it)
  // An outage believed by the timestamps, on probation in current_: the
  // highest before it (the live sender going on from there is evidence).
  std::optional<std::uint64_t> outage_before_;
  std::uint64_t undecided_restarts_ = 0;
  sequence_tracker current_;
};

}  // namespace mcnet::feed
