// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The mcnet authors
#pragma once

/// @file
/// Line arbitration: the same sequenced feed carried on up to four lines (an
/// A/B pair of multicast groups, usually on separate networks), merged into
/// one stream by delivering the first copy of each number and dropping the
/// others, with what each line and the merged stream lost and how far apart
/// the lines arrive.

#include <mcnet/core/cxx20.hpp>  // first: C++20 or one clear error

#include <algorithm>
#include <array>
#include <cstddef>
#include <cstdint>
#include <memory>

#include <mcnet/core/error.hpp>
#include <mcnet/feed/histogram.hpp>
#include <mcnet/feed/saturating.hpp>
#include <mcnet/feed/sequence.hpp>

namespace mcnet::feed {

/// First-copy-wins arbitration of 1 to `max_lines` lines carrying the same
/// 64-bit sequence numbers.
///
/// The merged stream is a `sequence_tracker` of the delivered numbers: a
/// copy is delivered when the merged stream has not had its number (it is
/// in order, after a gap, or reordered), dropped when it has (`duplicate`,
/// from another line or the same one), dropped as `too_late` when it is
/// more than `window` numbers behind the highest number of any line. Each
/// line also has a `sequence_tracker` of its own, so a line's gaps are its
/// own whatever the other lines carried.
///
/// Real loss is a number missing on every line. A number missing from the
/// merged stream may still come on a slower line, so its loss is final when
/// the window leaves it behind (the highest number of any line is `window`
/// past it) or at end(); pending() counts those not final yet.
///
/// First arrival: the line whose copy of a number has the earliest arrival
/// timestamp, not the line whose copy was offered first. Two sockets read in
/// turn offer copies out of timestamp order: when a later-offered copy
/// (within the window) arrived before the earliest one so far, the number's
/// first arrival moves to its line (line_stats::first_arrivals), and later
/// copies are measured from it.
///
/// Skew: for each number that arrives on a second (third, ...) line, the
/// distance between that copy's arrival time and the earliest arrival of
/// the number offered before it, in ns (the later minus the earlier of the
/// two timestamps, so it is never negative even when copies are offered out
/// of timestamp order); its percentiles come from a `histogram`.
///
/// One line far ahead: the window follows the highest number of any line.
/// A line less than `window` numbers behind still fills the leader's gaps
/// and its copies are duplicates with their skew sampled. A line more than
/// `window` behind (a stalled line catching up, a line with a long delay)
/// only has its copies dropped as too late: they cannot be told from
/// duplicates any more, they are counted in its line_stats::too_late and in
/// too_late(), and the leader's gaps they would have filled expire as real
/// loss.
///
/// Hostile numbers: the merged tracker is a `sequence_tracker`, so its rules
/// hold for the merged stream: a copy far ahead (a corrupt or forged
/// datagram on any line) is a `jump`, handed on but not counted in
/// delivered() (jumps() counts it) until the next number follows it; a
/// followed far jump is on probation and taken back by as many numbers of
/// the feed from before it; a claim not proven (sequence_tracker::provisional)
/// is not counted; and settle() at the end of a run takes such a claim back.
/// Each copy is tagged with its line (sequence_tracker::add's origin), so
/// evidence against a doubt comes only from the line that opened it: a
/// near claim (a gap up to `provisional_gap`), a followed jump inside the
/// window and an open start are taken back by that line's numbers from
/// below them (its copies of numbers another line delivered first
/// included, which stay duplicates), never by another line's. Another
/// line's numbers there are fills, delivered once and kept: a line that
/// lags another brings its copies of the leader's real loss burst after the
/// leader went on past it, which is not the sender going on below the gap,
/// so no number is handed on twice. A forger on one line (or on both) is
/// still taken back by the live numbers of the line it opened the doubt on;
/// a jump past the window is taken back by any line's numbers (the window
/// cannot tell them from duplicates there).
///
/// A dead line (nothing offered on it) keeps its counts at zero; its
/// first_arrival share is 0 and the merged stream is the other lines'.
///
/// Memory is fixed whatever the input: the merged and per-line trackers
/// (8 KiB each), the skew histogram (8 KiB) and, for the window, each
/// number's first arrival time and line (64 Ki x 9 bytes = 576 KiB,
/// allocated once by make()); offer() never allocates.
class arbiter {
 public:
  /// The most lines one arbiter takes.
  static constexpr std::size_t max_lines = 4;
  /// How far behind the highest number of any line a copy is still told
  /// apart from a duplicate (the merged tracker's window).
  static constexpr std::uint64_t window = sequence_tracker::window;

  /// What offer() did with a copy.
  enum class decision : std::uint8_t {
    /// The first copy of its number: hand it on. Also a number the merged
    /// stream takes for a `jump` (far ahead, counted once the next number
    /// follows it): the application, not the arbiter, judges whether a
    /// far jump is real.
    deliver,
    duplicate,  ///< its number was delivered already (from another line or this one): drop it
    too_late,   ///< more than `window` behind the highest number: drop it
    bad_line,   ///< the line index is not below lines(): nothing was counted
  };

  /// offer()'s answer.
  struct offer_result {
    decision what = decision::bad_line;  ///< deliver, duplicate, or bad_line
    /// The merged stream's verdict: for `deliver` in_order, gap or reordered,
    /// with the numbers now missing on every line so far (a slower line may
    /// still bring them).
    arrival merged{};
    /// The line's own verdict (its gaps are the line's own).
    arrival on_line{};
  };

  /// What one line carried.
  struct line_stats {
    std::uint64_t datagrams = 0;       ///< copies offered on the line, duplicates and too-late ones included
    std::uint64_t first_arrivals = 0;  ///< numbers whose earliest-arriving copy came on this line
    std::uint64_t too_late = 0;        ///< copies dropped as too late for the merged window
    /// The line's own accounting: received() distinct numbers, gaps() and
    /// lost() its own gaps, duplicates() repeats within the line.
    sequence_tracker sequence;
  };

  /// An arbiter of `lines` lines (1 to max_lines), with the arrival-time
  /// slots of its window allocated. Errors: `std::errc::invalid_argument`
  /// for a line count outside 1..max_lines (the count in number());
  /// `std::errc::not_enough_memory` when the 576 KiB cannot be allocated.
  [[nodiscard]] static result<arbiter> make(std::size_t lines = 2) noexcept;

  /// One copy of sequence number `seq` came on line `line` (0-based) at
  /// `arrival_ns` (the kernel's receive timestamp, ns on any clock common to
  /// the lines). Says whether to deliver or drop it.
  [[gnu::always_inline]] offer_result offer(std::size_t line, std::uint64_t seq, std::int64_t arrival_ns) noexcept {
    if (line >= lines_) return {};
    auto& l = line_[line];
    ++l.datagrams;
    offer_result out;
    out.on_line = l.sequence.add(seq);
    // Tagged with its line: only the line that opened a doubt in the merged
    // stream gives evidence against it (sequence_tracker::add).
    out.merged = merged_.add(seq, static_cast<std::uint8_t>(line + 1));
    auto& slot = times_[seq % window];
    auto& first = first_line_[seq % window];
    switch (out.merged.kind) {
      case verdict::duplicate:
        out.what = decision::duplicate;
        ++duplicates_;
        // This line's first copy of a number another line delivered.
        if (out.on_line.kind == verdict::in_order || out.on_line.kind == verdict::gap ||
            out.on_line.kind == verdict::reordered) {
          const std::int64_t d = saturating_sub(arrival_ns, slot);
          skew_.add(d < 0 ? saturating_sub(0, d) : d);
          if (d < 0 && first != line) {
            // Offered later but arrived earlier: the first arrival is this line's.
            --line_[first].first_arrivals;
            ++l.first_arrivals;
            slot = arrival_ns;
            first = static_cast<std::uint8_t>(line);
          }
        }
        break;
      case verdict::too_late:
        out.what = decision::too_late;
        ++too_late_;
        ++l.too_late;
        break;
      default:
        out.what = decision::deliver;
        ++handed_on_;
        ++l.first_arrivals;
        slot = arrival_ns;
        first = static_cast<std::uint8_t>(line);
        break;
    }
    return out;
  }
  /// End of stream: the feed had `count` numbers (`0 .. count - 1`). Every
  /// number missing on every line is now lost (the tail up to `count`
  /// included), and each line that received anything counts its own tail.
  /// Returns the merged tail shown missing (sequence_tracker::end, whose
  /// rule for a tail longer than the window applies: `confirmed` says the
  /// caller saw the count twice).
  missing_range end(std::uint64_t count, bool confirmed = false) noexcept;
  /// End of a run: the merged stream and each line settle
  /// (sequence_tracker::settle: a claim not proven is taken back). Call
  /// before the last end().
  void settle() noexcept;

  /// The number of lines.
  [[nodiscard]] std::size_t lines() const noexcept { return lines_; }
  /// Line `line`'s counts (`line` below lines(); a larger index reads the last line).
  [[nodiscard]] const line_stats& line(std::size_t line) const noexcept;
  /// The numbers of the feed that `line` did not carry: every number from
  /// the first any line delivered up to the highest (or up to end()'s
  /// count), less the distinct numbers the line received. A dead line
  /// missed them all; a line that started late missed those before its
  /// first. line(line).sequence.lost() counts only the line's own gaps,
  /// from its own first number. 0 for a line index not below lines().
  [[nodiscard]] std::uint64_t line_missed(std::size_t line) const noexcept;
  /// The share of the first copies handed on (delivered() + jumps()) that
  /// came first on `line`, 0..1; 0 when none was.
  [[nodiscard]] double first_arrival_share(std::size_t line) const noexcept;

  /// Distinct numbers delivered and counted: merged().received(). The first
  /// copies handed on that the merged stream does not believe are jumps().
  [[nodiscard]] std::uint64_t delivered() const noexcept { return merged_.received(); }
  /// First copies handed on (`deliver`) that the merged stream does not
  /// count: far numbers no number followed, numbers of a claim taken back
  /// or not proven, evidence held against a claim, and a held number that
  /// settle() finds too late or a duplicate after all: the copy was handed
  /// on, so it stays a first copy here. Always the first copies handed on
  /// less delivered().
  [[nodiscard]] std::uint64_t jumps() const noexcept {
    return handed_on_ - std::min(handed_on_, merged_.received());
  }
  /// Real loss: numbers missing on every line whose loss is final (left
  /// behind by the window, or everything missing after end()).
  [[nodiscard]] std::uint64_t lost() const noexcept;
  /// Numbers missing on every line so far that a line may still bring
  /// (inside the window); 0 after end().
  [[nodiscard]] std::uint64_t pending() const noexcept;
  /// Copies dropped because their number was delivered already
  /// (`duplicate` answers; what offer() said stands after settle()).
  [[nodiscard]] std::uint64_t duplicates() const noexcept { return duplicates_; }
  /// Copies dropped as too late for the window (`too_late` answers).
  [[nodiscard]] std::uint64_t too_late() const noexcept { return too_late_; }
  /// Arrival skew between lines in ns, one sample per copy of a number on
  /// another line than the delivered copy's, within the window.
  [[nodiscard]] const histogram& skew() const noexcept { return skew_; }
  /// The merged stream's accounting (received() is delivered(); reordered()
  /// counts numbers delivered out of order, too-late copies included).
  [[nodiscard]] const sequence_tracker& merged() const noexcept { return merged_; }

 private:
  explicit arbiter(std::size_t lines, std::unique_ptr<std::int64_t[]> times,
                   std::unique_ptr<std::uint8_t[]> first_line) noexcept
      : lines_(lines), times_(std::move(times)), first_line_(std::move(first_line)) {
    // A line's tracker says what the line carried (received()); the feed's
    // loss is the merged tracker's. A line's own numbers below its first
    // (it lags another, or joined later) move its start down as far as the
    // window: a forged one there is one number carried, no loss claimed.
    for (auto& l : line_) l.sequence.start_bound_ = window;
  }

  std::size_t lines_;
  std::unique_ptr<std::int64_t[]> times_;        // earliest arrival of seq's copies so far, at seq % window
  std::unique_ptr<std::uint8_t[]> first_line_;   // the line of that arrival, at seq % window
  sequence_tracker merged_;
  std::array<line_stats, max_lines> line_{};
  histogram skew_;
  // What offer() answered: the merged tracker's own counts may move a held
  // copy when it settles, but a copy handed on or dropped stays so.
  std::uint64_t handed_on_ = 0;
  std::uint64_t duplicates_ = 0;
  std::uint64_t too_late_ = 0;
};

}  // namespace mcnet::feed
