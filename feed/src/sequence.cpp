// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The mcnet authors
#include <mcnet/feed/sequence.hpp>

#include <mcnet/feed/saturating.hpp>

#include <algorithm>
#include <cmath>
#include <bit>
#include <new>

namespace mcnet::feed {
namespace {

// The lowest number the window holds when `highest` is the highest.
constexpr std::uint64_t window_low(std::uint64_t highest) noexcept {
  return highest >= sequence_tracker::window - 1 ? highest - (sequence_tracker::window - 1) : 0;
}

// Calls f(word index, mask) for the window's bit positions of `count`
// (< window) numbers from `from` on, lowest number first: one call per
// word they touch (at most count / 64 + 1 when count <= 1024, as the
// window's end falls on a word's).
template <class F>
void each_word(std::uint64_t from, std::uint64_t count, F&& f) {
  const auto run = [&f](std::uint64_t lo, std::uint64_t hi) {  // positions [lo, hi), hi <= window
    while (lo < hi) {
      const std::uint64_t bit = lo % 64;
      const std::uint64_t n = std::min<std::uint64_t>(64 - bit, hi - lo);
      f(static_cast<std::size_t>(lo / 64), (n == 64 ? ~std::uint64_t{0} : (std::uint64_t{1} << n) - 1) << bit);
      lo += n;
    }
  };
  const std::uint64_t start = from % sequence_tracker::window;
  const std::uint64_t stop = start + count;
  if (stop <= sequence_tracker::window) {
    run(start, stop);
  } else {
    run(start, sequence_tracker::window);
    run(0, stop - sequence_tracker::window);
  }
}

}  // namespace

namespace detail {

tracker_copy::tracker_copy(const tracker_copy& other)
    : copy(other.copy ? std::make_unique<sequence_tracker>(*other.copy) : nullptr) {}

tracker_copy& tracker_copy::operator=(const tracker_copy& other) {
  if (this != &other) copy = other.copy ? std::make_unique<sequence_tracker>(*other.copy) : nullptr;
  return *this;
}

tracker_copy::~tracker_copy() = default;

}  // namespace detail

std::uint64_t end_votes::add(std::uint64_t count, std::uint64_t highest, bool confirmed) noexcept {
  for (std::size_t i = 0; i < size_; ++i) {
    if (entries_[i].count == count) {
      entries_[i].times = saturating_add(entries_[i].times, std::uint64_t{1});
      entries_[i].confirmed = entries_[i].confirmed || confirmed;
      return 0;
    }
  }
  if (size_ < capacity) {
    entries_[size_++] = {count, 1, confirmed};
    return 0;
  }
  // Full: a count the numbers refuted goes first, then the one given least
  // (the largest on a tie: it claims the most loss).
  std::size_t out = 0;
  const auto worse = [highest](const entry& a, const entry& b) {
    const bool a_dead = a.count <= highest, b_dead = b.count <= highest;
    if (a_dead != b_dead) return a_dead;
    if (a.times != b.times) return a.times < b.times;
    return a.count > b.count;
  };
  for (std::size_t i = 1; i < size_; ++i) {
    if (worse(entries_[i], entries_[out])) out = i;
  }
  const std::uint64_t dropped = entries_[out].times;
  entries_[out] = {count, 1, confirmed};
  return dropped;
}

std::optional<std::uint64_t> end_votes::choose(std::uint64_t highest, std::uint64_t near_tail,
                                               std::uint64_t max_tail) const noexcept {
  const entry* best = nullptr;
  bool best_near = false;
  for (std::size_t i = 0; i < size_; ++i) {
    const entry& e = entries_[i];
    if (e.count <= highest) continue;
    const std::uint64_t tail = e.count - 1 - highest;  // numbers it says were sent and did not arrive
    if (tail > max_tail) continue;
    const bool near = tail <= near_tail;
    if (!near && e.times < 2 && !e.confirmed) continue;
    const bool better = best == nullptr || (near != best_near ? near
                                            : e.times != best->times ? e.times > best->times
                                                                     : e.count < best->count);
    if (better) {
      best = &e;
      best_near = near;
    }
  }
  if (best == nullptr) return std::nullopt;
  return best->count;
}

std::uint64_t end_votes::forget(std::uint64_t count) noexcept {
  for (std::size_t i = 0; i < size_; ++i) {
    if (entries_[i].count == count) {
      const std::uint64_t times = entries_[i].times;
      entries_[i] = entries_[--size_];
      return times;
    }
  }
  return 0;
}

std::uint64_t end_votes::times(std::uint64_t count) const noexcept {
  for (std::size_t i = 0; i < size_; ++i) {
    if (entries_[i].count == count) return entries_[i].times;
  }
  return 0;
}

std::uint64_t end_votes::total() const noexcept {
  std::uint64_t n = 0;
  for (std::size_t i = 0; i < size_; ++i) n = saturating_add(n, entries_[i].times);
  return n;
}

bool sequence_tracker::begin_probation(std::uint64_t low, std::uint8_t origin) noexcept {
  // Far numbers that follow each other came after the first: the start is
  // followed; and the highest moves past a near claim, which then stands.
  start_ = {};
  // A near claim nothing past its claimed number followed (a climb whose
  // next step was held, add_judged()) stays open in the copy: the live
  // sender's numbers inside its gap are evidence against the jump too
  // (check_probation()), and take the claim back with it.
  const bool climb = claim_.active && low > highest_ && low - highest_ <= gap_bound_;
  claim_.active = false;
  // Past what the stream's pace allows: never proven (unproven()). A second
  // claim while an unproven one keeps its copy adds to it.
  const bool beyond = low > highest_ && low - highest_ > pace_ahead_;
  const bool kept_copy = before_jump_.copy && unproven() != nullptr;
  // A paced climb proven by the pace (climb_paced_): the sender's line
  // through a heavy loss. A paced claim after it goes on with that proof
  // rather than starting its own (trial t20y H2, issue #16: each claim past
  // a proven climb needed epoch_proof more numbers, so the last few
  // arrivals of a run, up to epoch_proof, stayed jumps and their gaps,
  // about a tenth of the missing numbers at 1 in 2,000, were never lost).
  const bool proven_climb = before_jump_.copy && !kept_copy && climb_paced_ && !beyond_pace_;
  if (before_jump_.copy && unproven() == nullptr) {
    // The claim on probation is proven: the new one is judged on its own,
    // from the state now (its probation ends; the copy is reused, so this
    // allocates nothing).
    end_evidence();
    std::unique_ptr<sequence_tracker> reused = std::move(before_jump_.copy);
    *reused = *this;
    reused->claim_.active = climb;
    before_jump_.copy = std::move(reused);
    jump_low_ = low;
    jump_origin_ = origin;
  }
  // A second claim while an unproven one is on probation keeps the first
  // copy: the state before any far claim is what the live sender goes on
  // from, and both need the proof: epoch_proof numbers counted past the
  // second (proof_from_).
  if (!before_jump_.copy) {
    // The copy has no probation of its own, so copying it allocates
    // nothing but the copy itself.
    before_jump_.copy.reset(new (std::nothrow) sequence_tracker(*this));
    if (!before_jump_.copy) return false;
    before_jump_.copy->claim_.active = climb;
    jump_low_ = low;
    jump_origin_ = origin;
  }
  probation_end_ = UINT64_MAX;  // set when the jump has been counted
  // Within the pace since the highest arrived: a paced claim after paced
  // ones kept on probation keeps their proof going (pace_step()).
  const bool paced = !beyond && low > highest_ && low - highest_ <= pace_step_;
  if (!(paced && climb_paced_ && (kept_copy || proven_climb))) {
    proof_from_ = own_received();
    proof_low_ = low;
    climb_paced_ = paced;
  }
  proven_ = false;
  beyond_pace_ = kept_copy ? beyond_pace_ || beyond : beyond;
  return true;
}

sequence_tracker::probation_check sequence_tracker::check_probation(std::uint64_t n, evidence_kind kind) noexcept {
  const sequence_tracker* before = before_jump_.copy.get();
  if (before == nullptr) return probation_check::none;
  if (own_received() >= probation_end_) {
    end_probation();  // window numbers past the jump and too few from before it: it stands
    return probation_check::none;
  }
  // Proven by the numbers counted so far (before this one): it stays so.
  if (!proven_ && unproven() == nullptr) proven_ = true;
  const std::uint64_t h = before->highest_;
  // A claim past the window: any number less than `window` from the
  // highest before it says the live sender went on. One inside the window
  // (the window still tells late numbers, duplicates and the gap's numbers
  // apart): only a number above the highest before it that the state
  // before would have taken at once (a late number, or one inside the gap,
  // is not the sender going on from there).
  const bool inside = jump_low_ - h <= window;
  // Inside the gap of a claim the copy keeps open (a climb): the live
  // sender going on below the climb.
  const bool in_claim = before->claim_.active && n > before->claim_.before && n < before->claim_.claimed;
  const bool near = in_claim || (n <= h ? !inside && h - n < window
                                        : n - h <= (inside ? gap_bound_ : window) && n < jump_low_);
  if (!near) return probation_check::none;
  if (kind == evidence_kind::number) {
    if (n <= h && before->any_ && before->test(n)) {
      // Seen before the claim: a copy (another line's, a retransmission)
      // says nothing of where the sender is now, and is no new number.
      ++duplicates_;
      return probation_check::repeat;
    }
    for (std::size_t i = 0; i < evidence_.count; ++i) {
      if ((evidence_.kinds[i] == evidence_kind::number || evidence_.kinds[i] == evidence_kind::copy) &&
          evidence_.values[i] == n) {
        ++duplicates_;  // a copy of a number held: no second piece of evidence
        return probation_check::repeat;
      }
    }
    if (inside) {
      // Inside the window, another source's number (a lagging line's copy
      // of one the jump's line lost) is no evidence: it counts as any
      // number below the highest does, and is kept should the jump be
      // taken back (retract()). The jump's own source going on from before
      // it is, even when another source brought that number first (then
      // it is a duplicate). Past the window a number could not be told
      // from a duplicate: any source's is evidence.
      if (!own(jump_origin_)) return probation_check::none;
      if (highest_ - n < window && test(n)) kind = evidence_kind::copy;
    }
  }
  // The live sender may have gone on: the far numbers would then be a
  // burst between two of its datagrams. Held until the evidence weighs as
  // much as what it would undo: one datagram per distinct number past the
  // jump, at most epoch_proof (what a new epoch needs), so a stray datagram
  // cannot take back a restart, and a forger's burst is taken back once the
  // live sender has sent as many.
  if (kind == evidence_kind::end) {
    ends_held_at_ = own_received();
    bool numbers_held = false;
    for (std::size_t i = 0; i < evidence_.count; ++i) {
      numbers_held = numbers_held || evidence_.kinds[i] == evidence_kind::number;
    }
    if (unproven() == nullptr && !numbers_held) {
      // Proven (epoch_proof numbers past the jump) and nothing from before
      // it went on: a real sender's END is its last word, so ENDs alone
      // below the claim take nothing back now (8 forged ones would undo a
      // proven outage); they are held for settle(), where they refute the
      // claim only when the line did not go on after them (ends_refute():
      // a burst at the tail). After the live sender's numbers below the
      // claim they are evidence as those are.
      if (evidence_.count + 1u >= epoch_proof) return probation_check::none;
      evidence_.values[evidence_.count] = n;
      evidence_.kinds[evidence_.count] = kind;
      ++evidence_.count;
      return probation_check::held;
    }
  }
  evidence_.values[evidence_.count] = n;
  evidence_.kinds[evidence_.count] = kind;
  ++evidence_.count;
  const std::uint64_t past = own_received() - before->own_received();
  if (evidence_.count < std::min<std::uint64_t>(past, epoch_proof)) {
    return kind == evidence_kind::copy ? probation_check::held_copy : probation_check::held;
  }
  retract(/*replay_last=*/false);
  return probation_check::retracted;
}

void sequence_tracker::retract(bool replay_last) noexcept {
  const evidence held = evidence_;
  const std::size_t replay = replay_last || held.count == 0 ? held.count : held.count - 1u;
  std::uint64_t held_numbers = 0;  // counted as jumps while held; counted anew below
  // (A held copy was a duplicate: its first copy is among the fills below.)
  for (std::size_t i = 0; i < replay; ++i) held_numbers += held.kinds[i] == evidence_kind::number ? 1 : 0;
  // The numbers counted since the copy was made were the burst's (or came
  // with it): they count as jumps. Duplicates and late ones stay what they
  // were, so every datagram is still counted once.
  const sequence_tracker& before = *before_jump_.copy;
  // A claim inside the window leaves the numbers below it told apart: those
  // that came since the copy (late ones filling a gap, another line's) were
  // the live sender's, not the burst's, and are counted anew below. The
  // window holds them in the same bit positions as the copy's did.
  std::array<std::uint64_t, words> fills{};
  std::uint64_t filled = 0;
  const std::uint64_t h = before.highest_;
  const std::uint64_t fill_low = window_low(highest_);  // in both windows when at most h
  const bool inside = before.any_ && any_ && restarts_ == before.restarts_ && jump_low_ - h <= window &&
                      highest_ >= h && fill_low <= h;
  // Above h, up to gap_bound_ and below the jump: numbers another source
  // brought (own()), counted since the copy (the jump's step cleared those
  // positions); a single stream holds every such number as evidence, so
  // none is set there.
  const std::uint64_t top = inside ? h + std::min(gap_bound_, jump_low_ - 1 - h) : h;
  if (inside) {
    const auto collect = [&](std::uint64_t low, std::uint64_t span, bool new_since_copy) {
      for (std::uint64_t i = 0; i < span;) {
        const std::uint64_t n = low + i;
        const std::uint64_t bit = n % 64;
        const std::uint64_t take = std::min<std::uint64_t>(64 - bit, span - i);
        const std::uint64_t mask = (take == 64 ? ~std::uint64_t{0} : (std::uint64_t{1} << take) - 1) << bit;
        const std::size_t w = (n % window) / 64;
        fills[w] |= seen_[w] & (new_since_copy ? ~before.seen_[w] : ~std::uint64_t{0}) & mask;
        i += take;
      }
    };
    collect(fill_low, h - fill_low + 1, true);
    collect(h + 1, top - h, false);
    // The lone first number the copy keeps as a jump below its start, that
    // this state counted since (lone_on_pace()): going back, it is a jump
    // again (among the numbers counted since), no fill.
    if (before.lone_kept_ && before.lone_ < before.first_ && before.lone_ >= fill_low && before.lone_ <= top) {
      fills[(before.lone_ % window) / 64] &= ~(std::uint64_t{1} << (before.lone_ % 64));
    }
    for (const auto f : fills) filled += static_cast<std::uint64_t>(std::popcount(f));
  }
  const std::uint64_t far = own_received() - before.own_received() - filled;
  const std::uint64_t repeats = duplicates() - before.duplicates();
  const std::uint64_t late = too_late() - before.too_late();
  const std::uint64_t jumps = jumps_ + far - held_numbers;
  // ENDs given since the copy was made and not held are not believed now.
  const std::uint64_t ends_given = saturating_add(unconfirmed_ends_, ends_.total());
  const std::uint64_t retracted = retracted_ + 1;
  const std::unique_ptr<sequence_tracker> kept = std::move(before_jump_.copy);
  // The copy's open announcement, taken back since, is open again.
  const std::uint64_t kept_ends =
      saturating_add(kept->ends_.total(), copy_announce_taken_back_ - kept->copy_announce_taken_back_);
  const std::uint64_t unconfirmed = ends_given > kept_ends ? ends_given - kept_ends : 0;
  const std::uint8_t origin = origin_;  // the datagram being judged is still this one
  const held_run held_now = held_;
  const std::uint8_t depth = depth_;
  *this = std::move(*kept);
  depth_ = depth;  // this call's (the copy kept that of the call that made it)
  simple_ = false;
  inline_top_ = 0;
  // Numbers the copy held and this state no longer does were counted since
  // (received, now jumps with the rest, or jumps): not held again.
  if (held_.active && !(held_now.active && held_now.first == held_.first && held_now.last == held_.last)) {
    held_.active = false;
  }
  origin_ = origin;
  far_.count = 0;  // the burst's first numbers, waiting when the copy was made
  jumps_ = jumps;
  duplicates_ += repeats;
  too_late_ += late;
  reordered_ += late;  // too late counts as reordered too
  unconfirmed_ends_ = unconfirmed;
  retracted_ = retracted;
  if (filled != 0) {
    // Lowest first, as the numbers before the claim are: each is a late
    // number of the state before it.
    for (std::uint64_t i = 0, span = top - fill_low + 1; i < span; ++i) {
      const std::uint64_t n = fill_low + i;
      if ((fills[(n % window) / 64] >> (n % 64) & 1u) != 0) recount_held(n);
    }
  }
  for (std::size_t i = 0; i < replay; ++i) {
    switch (held.kinds[i]) {
      case evidence_kind::number: recount_held(held.values[i]); break;
      case evidence_kind::copy: break;  // a duplicate, counted so; its first copy is a fill
      case evidence_kind::end: (void)end(held.values[i] + 1); break;
      case evidence_kind::announce: (void)announce(held.values[i] + 1); break;
    }
  }
}

void sequence_tracker::recount_held(std::uint64_t n) noexcept {
  // A held number was handed on as a first copy (a jump). Counted anew it is
  // received, or a jump again; should the numbers replayed before it have
  // moved the window past it, it stays a jump rather than turn into a late
  // copy: a number handed on once is a first copy (the arbiter's first
  // arrivals count it so) and no copy is counted twice.
  switch (add(n, origin_).kind) {
    case verdict::too_late:
      --too_late_;
      --reordered_;
      ++jumps_;
      break;
    case verdict::duplicate:
      --duplicates_;
      ++jumps_;
      break;
    default: break;
  }
}

void sequence_tracker::end_evidence() noexcept {
  // Held numbers stay jumps; held END counts and announcements were not
  // believed.
  for (std::size_t i = 0; i < evidence_.count; ++i) {
    if (evidence_.kinds[i] == evidence_kind::end || evidence_.kinds[i] == evidence_kind::announce) ++unconfirmed_ends_;
  }
  evidence_.count = 0;
}

void sequence_tracker::end_probation() noexcept {
  end_evidence();
  before_jump_.copy.reset();
  beyond_pace_ = false;
}

bool sequence_tracker::ends_refute() const noexcept {
  // The END count held against the claim given most (a sender repeats its
  // END; mcast-send three times), against the END believed at or past it.
  // Only a count past the highest number before the claim can be its
  // sender's END (one at or below it is refused as any such END is).
  const std::uint64_t h = before_jump_.copy ? before_jump_.copy->highest_ : highest_;
  std::uint64_t most = 0;
  for (std::size_t i = 0; i < evidence_.count; ++i) {
    if (evidence_.kinds[i] != evidence_kind::end || evidence_.values[i] < h) continue;
    std::uint64_t times = 0;
    for (std::size_t j = 0; j < evidence_.count; ++j) {
      times += evidence_.kinds[j] == evidence_kind::end && evidence_.values[j] == evidence_.values[i] ? 1 : 0;
    }
    most = std::max(most, times);
  }
  const std::uint64_t past = end_believed_ ? ends_.times(*end_count_) : 0;
  // The line above went on after the last of them (epoch_proof numbers
  // past the jump counted since): a real sender's END is its last word,
  // so these were not (trial h16m 1: a proven outage, then an END below
  // it given twice, made the 2,800 numbers after the outage jumps).
  if (own_received() - ends_held_at_ >= epoch_proof) return false;
  return most >= 2 && most > past;
}

void sequence_tracker::settle() noexcept {
  const mutating guard{*this};
  (void)flush_aside();  // a packet set aside: judged as it came
  // Numbers a packet holds: counted, unless the live sender went on inside
  // them (after the probation below when its copy holds them too: going
  // back to it holds them again, and they count once).
  const sequence_tracker* copy = before_jump_.copy.get();
  const bool copy_holds = copy != nullptr && copy->held_.active && held_.active && copy->held_.first == held_.first &&
                          copy->held_.last == held_.last;
  if (held_.active && !copy_holds) release_held(held_.inside == 0);
  if (claim_.active && claim_.pending_refused != 0 && highest_ == claim_.pending_highest) settle_pending_end();
  // A contest for a near claim still open: the line that came most since
  // it opened wins (the line above needs epoch_proof and more than below).
  if (claim_.active && claim_.contest && !claim_.climbed) decide_contest();
  // An open start with at least as many numbers below it as from it up
  // (two or more): they were not the stream's (a forger's, sent before the
  // sender's first).
  if (start_.open && start_.count >= 2 && start_.count >= from_start()) {
    (void)retract_start();
  }
  if (lone_kept_) lone_on_pace();
  if (before_jump_.copy) settle_probation();
  // Going back to a copy made while a packet's numbers were held (a climb
  // held right after the packet) holds them again: counted as above.
  if (held_.active) release_held(held_.inside == 0);
}

void sequence_tracker::settle_probation() noexcept {
  // A claim the sender's own END, repeated, says it never sent (its count is
  // below the claim, and it came more often than any END at or past the
  // claim) is taken back, proven or not: the live sender never went on from
  // the claim's numbers, it ended below them. An unproven claim stands when
  // the END believed carries its numbers on (its count past the highest, by
  // at most gap_bound_) and nothing from before the jump came against it: a real
  // outage near the end, its last few numbers and its END (trial20f: 1,996
  // of 3,000 lost, then 4 numbers and the END, read 0 lost and 4 jumps).
  const bool end_carries_on = end_believed_ && end_count_ && *end_count_ > highest_ &&
                              *end_count_ - highest_ <= gap_bound_ && evidence_.count == 0;
  // (An END does not carry on a claim past what the stream's pace allows.)
  if ((unproven() != nullptr && (!end_carries_on || beyond_pace_)) || ends_refute()) {
    retract(/*replay_last=*/true);
  } else {
    end_probation();
  }
  // Replaying the last number can open a claim of its own (it was itself far
  // ahead): at the end of the run nothing more follows it, so it is settled
  // too, without another replay.
  if (before_jump_.copy) {
    if (unproven() != nullptr) {
      retract(/*replay_last=*/false);
    } else {
      end_probation();
    }
  }
}

// Clears the bits of `count` (< window) numbers from `from` on, a word at a
// time, and says how many were set.
std::uint64_t sequence_tracker::clear_range(std::uint64_t from, std::uint64_t count) noexcept {
  std::uint64_t cleared = 0;
  auto clear = [&](std::uint64_t lo, std::uint64_t hi) {  // bit positions [lo, hi), hi <= window
    while (lo < hi) {
      const std::uint64_t bit = lo % 64;
      const std::uint64_t n = std::min<std::uint64_t>(64 - bit, hi - lo);
      const std::uint64_t mask = (n == 64 ? ~std::uint64_t{0} : (std::uint64_t{1} << n) - 1) << bit;
      auto& word = seen_[lo / 64];
      cleared += static_cast<std::uint64_t>(std::popcount(word & mask));
      word &= ~mask;
      lo += n;
    }
  };
  const std::uint64_t start = from % window;
  const std::uint64_t stop = start + count;
  if (stop <= window) {
    clear(start, stop);
  } else {
    clear(start, window);
    clear(0, stop - window);
  }
  return cleared;
}

arrival sequence_tracker::advance(std::uint64_t seq) noexcept {
  // The numbers the window leaves behind: those received among them had
  // their bits in the positions the new numbers take, so clearing those
  // positions counts them, and the rest expire as lost.
  const std::uint64_t step = seq - highest_;
  const std::uint64_t old_low = std::max(first_, window_low(highest_));
  const std::uint64_t new_low = window_low(seq);
  const std::uint64_t leaving = new_low > old_low ? new_low - old_low : 0;
  std::uint64_t received_leaving = 0;
  if (step >= window) {
    received_leaving = in_window_;
    seen_.fill(0);
  } else {
    received_leaving = clear_range(highest_ + 1, step);
  }
  expired_ += leaving - received_leaving;
  in_window_ -= received_leaving;
  const std::uint64_t previous = highest_;
  highest_ = seq;
  set_new(seq);
  ++distinct_;
  if (step == 1) return {verdict::in_order, seq, {}};
  ++gaps_;
  return {verdict::gap, seq, {previous + 1, step - 1}};
}

arrival sequence_tracker::add_slow(std::uint64_t seq) noexcept {
  const mutating guard{*this};
  // A single number (not a packet: add_run() judges those) after a packet
  // set aside: that packet first, as it came.
  (void)flush_aside();
  if (announce_.open) judge_announce(seq);
  if (!held_.active) {
    const arrival a = add_start(seq);
    if (lone_kept_) lone_on_pace();
    return a;
  }
  // Inside the numbers a packet holds: counted as ever (the live sender's
  // own copy); the epoch_proof-th drops the rest once it is counted.
  const bool inside = seq >= held_.first && seq <= held_.last;
  judge_held(seq, /*number=*/true);
  const arrival a = add_start(seq);
  if (held_.active && inside && held_.inside >= epoch_proof) release_held(false);
  if (lone_kept_) lone_on_pace();
  return a;
}

void sequence_tracker::lone_on_pace() noexcept {
  // Only once a paced climb after it is proven (as paced_step() asks), and
  // within what the pace gives the time between the lone number's arrival
  // and the start's (pace_back()): the climb extended back to it.
  if (!lone_kept_ || pace_back_ == 0 || !any_ || lone_ >= first_ || first_ - lone_ > pace_back_) return;
  if (!before_jump_.copy || !climb_paced_ || beyond_pace_ || unproven() != nullptr || start_.open ||
      below_run_.count != 0) {
    return;
  }
  // It counts, below the start: the numbers between it and the start are
  // missing, those the window already left behind expired.
  const std::uint64_t low = window_low(highest_);
  if (lone_ >= low) {
    set_new(lone_);
  } else {
    expired_ += std::min(first_, low) - lone_ - 1;
  }
  first_ = lone_;
  ++distinct_;
  if (jumps_ > 0) --jumps_;  // it counted as a jump since the start took over
  lone_kept_ = false;
}

arrival sequence_tracker::add_start(std::uint64_t seq) noexcept {
  if (!start_.open) return add_judged(seq);
  if (seq < start_.first) {
    // Below the first number while the start is open: counted as ever
    // (reordered), or, further below than the window, a jump rather than
    // too late (a first copy, handed on), and kept, in case the first
    // number and those above it were not the stream's.
    arrival a{};
    for (std::size_t i = 0; i < start_.count; ++i) {
      if (start_.numbers[i] == seq) {
        ++duplicates_;  // a copy of one kept (another line's)
        return {verdict::duplicate, seq, {}};
      }
    }
    // Further below than the window: a jump rather than too late. A
    // datagram's own number (not a packet's further one, which counts
    // as a fill: one packet is one piece of evidence) further below the
    // lowest number counted than start_bound_ (one datagram claims no
    // more, behind as ahead): a jump too, rather than a move of the start
    // down (h16b: a forger's lone number first, then the sender's line
    // 2,000 below interleaved with the forger's: counted, the sender's
    // numbers read reordered under the forged start once it was proven).
    // Both are kept.
    const bool beyond = highest_ - seq >= window;
    if (beyond && run_tail_) {
      ++jumps_;  // a packet's further number: its first is the evidence
      return {verdict::jump, seq, {}};
    }
    if (beyond || (seq < first_ && first_ - seq > start_bound_ && own(start_.origin) && !run_tail_)) {
      ++jumps_;
      ++start_.late;
      a = {verdict::jump, seq, {}};
    } else if (!own(start_.origin) || run_tail_) {
      // (A packet's numbers past its first: one packet is one piece of
      // evidence, as one datagram is; the rest are counted as fills.)
      // Another source's number (a line that lags the first's): a fill,
      // counted as ever, no evidence (further below than the window it
      // could not be told from a duplicate: any source's is kept above).
      a = add_judged(seq);
      if (start_.open && a.kind == verdict::reordered) ++start_.fills;
      return a;
    } else {
      a = add_judged(seq);
      if (!start_.open) return a;
      if (a.kind == verdict::duplicate && origin_ != 0) {
        // The first's own source below it, after another source brought
        // the number: evidence, and a duplicate still (the first copy is
        // counted anew when the start is taken back).
        ++start_.copies;
        start_.numbers[start_.count++] = seq;
        if (start_.count == epoch_proof) (void)retract_start();
        return a;
      }
      if (a.kind != verdict::reordered) return a;
    }
    start_.numbers[start_.count++] = seq;
    if (start_.count == epoch_proof) return retract_start();
    return a;
  }
  const arrival a = add_judged(seq);
  // epoch_proof numbers from the first up: the start stands (a line that
  // lags another by some numbers sends its numbers below the first as
  // often as the other sends numbers above it: the start stands first).
  if (start_.open && from_start() >= epoch_proof) {
    seed_line_below();
    start_ = {};
  }
  return a;
}

void sequence_tracker::seed_line_below() noexcept {
  const open_start& h = start_;
  if (!doubt_ || h.count < 2 || h.late != h.count || h.copies != 0) return;
  if (!lone_kept_) {
    // The numbers kept below, in arrival order, as follow_below() runs
    // them: each within below_span of the run's first, at most gap_bound_
    // past its last (or a late one inside it); one that is not begins it anew.
    below_run b{};
    for (std::size_t i = 0; i < h.count; ++i) {
      const std::uint64_t n = h.numbers[i];
      if (b.count == 0 || n < b.first || n - b.first >= below_span || (n > b.last && n - b.last > gap_bound_)) {
        b = {};
        b.first = b.last = n;
      }
      (void)b.take(n);
    }
    if (b.count < 2) return;
    b.distinct = b.at = distinct_;
    b.interleaved = true;
    below_run_ = b;
    return;
  }
  std::uint64_t low = lone_;
  for (std::size_t i = 0; i < h.count; ++i) {
    const std::uint64_t n = h.numbers[i];
    if (n < lone_ && lone_ - n < below_span / 2) low = std::min(low, n);
  }
  below_run b{};
  b.first = b.last = low;
  b.distinct = b.at = distinct_;
  b.interleaved = true;
  for (std::size_t i = 0; i < h.count; ++i) {
    const std::uint64_t n = h.numbers[i];
    if (n >= low && n - low < below_span) (void)b.take(n);
  }
  below_run_ = b;
  if (!holds_lone()) below_run_ = {};
}

void sequence_tracker::decide_contest() noexcept {
  if (claim_.above >= epoch_proof && claim_.above > claim_.below) {
    claim_stands();
  } else {
    (void)take_back_claim(claim_.claimed, {}, next_above(claim_.below_top));
  }
}

arrival sequence_tracker::add_judged(std::uint64_t seq) noexcept {
  if (claim_.active && seq > claim_.before) {
    const bool past = seq >= claim_.claimed;
    if (past && seq > highest_ + 1 && seq - highest_ <= gap_bound_ && claim_.contest && !claim_.climbed &&
        (seq - claim_.before > claim_limit() || seq - claim_.below_top > gap_bound_)) {
      // A contested chain steps on: it may not outpace the line going on
      // below it by more than one datagram's gap, nor reach past what is
      // kept, before the contest is decided (trial16j LOW 4: a forger's
      // climb of proven steps, each just under provisional_gap, joined a
      // lossy feed's chain and stood by the density of the feed's own
      // numbers below it, walking the highest away). The contest is
      // decided now, and the step judged anew.
      decide_contest();
      return add(seq, origin_);
    }
    if (past && seq > highest_ && seq - highest_ <= gap_bound_ && seq - claim_.before > claim_limit()) {
      // The chain reaches past what is kept. It stands when the line went
      // on from it: a real gap (or a lossy link's chain of them) is
      // followed by the sender's numbers, at least a quarter of what it
      // spans; a forger's climb is a few numbers far apart, which one
      // datagram's word cannot make stand: held like a far jump (the next
      // number that follows it confirms it on probation, with the chain
      // still open in the copy, so the live sender's numbers below it are
      // evidence against the whole of it).
      if ((distinct_ - claim_.opened) * claim_density < seq - claim_.before && !before_jump_.copy &&
          !end_believed_) {
        claim_.climbed = true;  // (kept in the copy add_far() makes)
        return add_far(seq);
      }
      claim_stands();
      return add_counted(seq);
    }
    if (past && seq > highest_ && seq - highest_ > 1 && seq - highest_ <= gap_bound_ &&
        distinct_ == claim_.step_distinct && seq - claim_.base > gap_bound_ &&
        (distinct_ + 1 - claim_.base_distinct) * claim_density < seq - claim_.base && !before_jump_.copy &&
        !end_believed_) {
      // Another gap right after the claimed number, nothing past it: the
      // climb so far and this step claim more than one datagram may, with
      // fewer numbers than a standing chain has (one per claim_density it
      // spans, this one included: a feed losing every other datagram is a
      // chain of single-number steps too, but a dense one, and its steps
      // held like far jumps let a forger's far numbers slipped between
      // them join them). Held like a far jump: the next number that
      // follows it confirms it, on probation from the climb's base
      // (add_far()); the stream going on from the claimed number gives it up.
      claim_.climbed = true;  // (kept in the copy add_far() makes)
      return add_far(seq);
    }
    const std::uint64_t top = highest_;
    const bool came = distinct_ != claim_.step_distinct;  // a number since the last step
    const arrival a = add_counted(seq);
    if (!claim_.active) return a;  // a followed jump or an END ended it
    claim_.reordered += a.kind == verdict::reordered ? 1 : 0;
    claim_.gaps += a.kind == verdict::gap ? 1 : 0;
    const bool counted = a.kind == verdict::in_order || a.kind == verdict::gap || a.kind == verdict::reordered;
    if (past && claim_.contest && !claim_.climbed && (a.kind == verdict::in_order || a.kind == verdict::reordered) &&
        piece(&packet_pieces::above) && ++claim_.above >= epoch_proof && claim_.above > claim_.below) {
      // The line above kept going, past what came below: those were late
      // fills (reordered), and the claim stands.
      claim_stands();
      return a;
    }
    if (past) {
      // epoch_proof numbers at or past the claimed number: the sender went
      // on from there (a real loss burst is followed by its numbers); the
      // gap stands. Another gap past it moves the claim there: the numbers
      // before it stay, and those from it on must follow it in turn (a
      // forged number just past a real gap is judged as one alone). The
      // numbers that came inside the chain so far are no evidence against
      // the new claim (a lossy link that also swaps neighbours opens a gap
      // every few numbers and fills each with its one late number: counted
      // over the chain, eight of those took back a real gap); those below
      // the chain's first claim still count against the whole chain.
      if (a.kind == verdict::gap) {
        // The step before it, proven, stays proven (an END below it takes
        // nothing back: claim_proven()).
        if (step_proven()) claim_.proven = top;
        if (came) {
          // A number came since the last step: the climb starts anew here.
          claim_.base = top;
          claim_.base_distinct = distinct_ - 1;
          claim_.climb_first = seq;
        }
        claim_.step_distinct = distinct_;
        claim_.claimed = seq;
        claim_.run = 1;
        claim_.inside = 0;
      } else if (counted && ++claim_.run >= epoch_proof && claim_.origin != 0) {
        // Merged lines (the arbiter's): the other lines' copies fill what
        // one line lost, and a line's numbers below its claim are late
        // copies of what it handed on; a run of epoch_proof stands.
        claim_stands();
      } else if (counted && claim_.run == 2) {
        // The line above went on from the claimed number: numbers below it
        // from now on contest it (follow_claim()) rather than take it back.
        claim_.went_on_at = claim_.claimed;
      } else if (counted && claim_.run == epoch_proof) {
        // epoch_proof numbers from the claimed number on: the line went on
        // from it. What came below it before is no evidence against it (a
        // real gap's late numbers arrive with the first numbers after it);
        // the claim stays open, and what comes below it from now on is (the
        // live sender's numbers after a forged run: they go on below it).
        claim_.inside = 0;
        claim_.line_count = 0;
        claim_.went_on_at = claim_.claimed;
      }
      return a;
    }
    if (a.kind == verdict::reordered) return follow_claim(seq, a, /*copy=*/false);
    // The claiming source's copy of a number inside the gap that another
    // source brought since: the claiming source went on below its claim.
    if (a.kind == verdict::duplicate && origin_ != 0 && origin_ == claim_.origin) return follow_claim(seq, a, true);
    return a;
  }
  return add_counted(seq);
}

arrival sequence_tracker::add_counted(std::uint64_t seq) noexcept {
  if (before_jump_.copy) {
    switch (check_probation(seq, evidence_kind::number)) {
      case probation_check::held: ++jumps_; return {verdict::jump, seq, {}};
      case probation_check::held_copy: ++duplicates_; return {verdict::duplicate, seq, {}};
      case probation_check::repeat: return {verdict::duplicate, seq, {}};
      case probation_check::retracted: return add(seq, origin_);
      case probation_check::none: break;
    }
  }
  if (!any_) {
    any_ = true;
    first_ = highest_ = seq;
    set_new(seq);
    ++distinct_;
    start_ = {};
    start_.open = doubt_;  // confirmed by the numbers above it
    start_.first = seq;
    start_.origin = origin_;
    return {verdict::in_order, seq, {}};
  }
  if (end_believed_ && seq >= *end_count_ && seq - *end_count_ >= end_continuation) return past_end(seq);
  if (end_believed_ && seq > highest_) {
    // The stream goes on after its END: the END was not the live sender's
    // last word (a forged one; or one that overtook the last datagrams,
    // which mcast-send and MoldUDP64 repeat after them). Forget it. A number
    // at or past a count given more than once contradicts the sender's
    // repeated word: it weighs as much only with as many such numbers (at
    // most epoch_proof), held as jumps till then.
    const std::uint64_t times = ends_.times(*end_count_);
    std::size_t held = 0;
    if (seq >= *end_count_ && times > 1) {
      for (std::size_t i = 0; i < past_end_.count; ++i) {
        if (past_end_.numbers[i] == seq) {
          ++duplicates_;
          return {verdict::duplicate, seq, {}};
        }
      }
      past_end_.numbers[past_end_.count++] = seq;
      ++jumps_;
      if (past_end_.count < std::min<std::uint64_t>(times, epoch_proof)) return {verdict::jump, seq, {}};
      held = past_end_.count;
      jumps_ -= held;
    }
    unconfirmed_ends_ = saturating_add(unconfirmed_ends_, std::max<std::uint64_t>(ends_.forget(*end_count_), 1));
    end_count_.reset();
    end_believed_ = false;
    const auto numbers = past_end_.numbers;
    past_end_.count = 0;
    // In arrival order, this number last (its verdict is against those
    // held before it): the sender's numbers after a forged END held as it
    // sent them are in order, not reordered (trial16g MEDIUM 4: 4 forged
    // ENDs of the live highest + 1 mid-run made reordered 3).
    for (std::size_t i = 0; i + 1 < held; ++i) recount_held(numbers[i]);
    return add(seq, origin_);
  }
  if (seq > highest_ && seq - highest_ > gap_bound_) return add_far(seq);
  if (far_.count != 0 && (seq > highest_ || far_.numbers[0] - highest_ > max_gap)) {
    // The stream goes on from its highest number (or, while far numbers
    // wait to start a new epoch, any number of the current epoch comes):
    // the waiting numbers were not where the sender went on. They stay jumps.
    far_.count = 0;
  }
  if (seq > highest_) {
    if (claims_ && seq - highest_ > 1 && seq - highest_ <= gap_bound_ && !before_jump_.copy && !claim_.active) {
      open_claim(seq);
    }
    return advance(seq);
  }
  // Below where a resumed stream went on (resume()): which of them came
  // before is not known, so none counts as received, nor fills a gap.
  if (seq < resume_floor_) {
    ++reordered_;
    ++too_late_;
    return {verdict::too_late, seq, {}};
  }
  // Far below the lowest number counted is a jump however far behind the
  // highest it is: a number more than the window behind is too late only
  // at or above the first (it may be a late copy of one this epoch counted).
  const bool far_below = seq < first_ && first_ - seq > start_bound_ && distinct_ >= epoch_proof;
  if (highest_ - seq >= window && !far_below) {
    ++reordered_;  // too old to tell: counted as late, never as new
    ++too_late_;
    return {verdict::too_late, seq, {}};
  }
  if (!far_below && test(seq)) {
    ++duplicates_;
    return {verdict::duplicate, seq, {}};
  }
  if (far_below) {
    // Far below the lowest number counted: numbers sent before the receiver
    // joined are not its to count, and one datagram claims no more than
    // provisional_gap missing, behind as ahead. Real reordering at the start
    // is a few numbers; numbers that really come lower step down to it.
    // A start of epoch_proof numbers or fewer is not proven (a forger's
    // numbers may have come before the sender's first): it still moves.
    // The last few kept tell another line's copy from a new one.
    for (std::size_t i = 0; i < below_.count; ++i) {
      if (below_.numbers[i] == seq) {
        ++duplicates_;
        return {verdict::duplicate, seq, {}};
      }
    }
    // (On probation too when the start took over a lone first number: the
    // far start and the climb it opened are one claim, trial16h HIGH 5.)
    if (arrival out{}; doubt_ && (!before_jump_.copy || lone_kept_) && follow_below(seq, out)) return out;
    below_.numbers[below_.next] = seq;
    below_.next = static_cast<std::uint8_t>((below_.next + 1) % below_.numbers.size());
    below_.count = static_cast<std::uint8_t>(std::min<std::size_t>(below_.count + 1u, below_.numbers.size()));
    ++jumps_;
    return {verdict::jump, seq, {}};
  }
  set_new(seq);
  ++distinct_;
  ++reordered_;
  missing_range shown{};
  if (seq < first_) {  // earlier than the first arrival: the run started lower
    if (first_ - seq > 1) shown = {seq + 1, first_ - seq - 1};
    first_ = seq;
  }
  return {verdict::reordered, seq, shown};
}

bool sequence_tracker::follow_below(std::uint64_t seq, arrival& out) noexcept {
  below_run& b = below_run_;
  // A run that holds the lone first number and came between the epoch's
  // numbers while its start was open (seed_line_below()) goes on whatever
  // the epoch counted between its numbers (trial h16m finding 2: a
  // forger's far line interleaved with the sender's, two of its numbers
  // between each two of the sender's, took over right after the sender's
  // lone first datagram, and every number it counted reset the sender's
  // line below: the feed read as jumps, its loss hidden). The sender's
  // line keeps arriving in order and wins with epoch_proof numbers. A far
  // start that proved itself first (epoch_proof numbers with nothing below
  // between: a real sender after a forged lone number) keeps the old rule:
  // the line below needs them with nothing of the epoch between.
  const bool follows = b.count != 0 && (b.distinct == distinct_ || b.interleaved) && seq >= b.first &&
                       seq - b.first < below_span && (seq <= b.last || seq - b.last <= gap_bound_);
  if (!follows) {
    b = {};
    b.first = b.last = seq;
    b.distinct = distinct_;
    if (lone_kept_ && (seq >= lone_ ? seq - lone_ : lone_ - seq) < below_span) {
      // Near the lone first number the start took over from: the sender's
      // numbers going on from its first (trial16g HIGH 2), which counts
      // with them.
      b.first = std::min(seq, lone_);
      b.last = std::max(seq, lone_);
      const std::uint64_t lone_at = lone_ - b.first;
      b.bits[static_cast<std::size_t>(lone_at / 64)] |= std::uint64_t{1} << (lone_at % 64);
      b.count = 1;
    }
  }
  if (!b.take(seq)) {
    ++duplicates_;
    out = {verdict::duplicate, seq, {}};
    return true;
  }
  b.streak = b.at == distinct_ ? b.streak + 1 : 1;
  b.at = distinct_;
  // The line of the lone first number a far start took over from, going
  // on below it with nothing of the epoch between: the far start was a
  // newcomer's, and the incumbent line wins with epoch_proof numbers (the
  // lone one included), however many the far start counted or ENDs it
  // was given (trial16h HIGH 4, 5). Any other run below needs more numbers
  // than the epoch counted.
  const std::uint64_t lone_at = lone_kept_ && lone_ >= b.first ? lone_ - b.first : below_span;
  const bool lone_line =
      lone_at < below_span && (b.bits[static_cast<std::size_t>(lone_at / 64)] >> (lone_at % 64) & 1u) != 0;
  // A run seeded from numbers that came between the epoch's, without the
  // lone number (a sender's line after a forger's lone number, or a
  // forger's line below a sender's first), wins as any other run does,
  // by more numbers than the epoch, and only once the epoch stopped:
  // epoch_proof of its numbers in a row with nothing of the epoch between
  // (the line that keeps arriving; a forger's faster line between a
  // sender's numbers does not take them over).
  if (b.count < epoch_proof || (b.count <= distinct_ && !lone_line)) return false;
  if (!lone_line && b.streak < epoch_proof) return false;
  take_over_below(seq, b.count - 1, out);  // this one is not a jump yet
  return true;
}

void sequence_tracker::take_over_below(std::uint64_t seq, std::uint64_t counted, arrival& out) noexcept {
  // The epoch stopped and the run below went on longer: the epoch's numbers
  // were not the stream's (a forger's, before the sender's first). They
  // count as jumps, the run's are counted (they were jumps), in order, as
  // if the epoch had never come. Duplicates, END counts and far numbers
  // waiting stay as they were.
  const below_run run = below_run_;
  // A claim on probation (a climb the far start opened) goes with it: its
  // evidence stays jumps, its numbers are the epoch's.
  if (before_jump_.copy) end_probation();
  ++retracted_;
  jumps_ = jumps_ + distinct_ - counted;
  recount();
  for (std::size_t w = 0; w < run.bits.size(); ++w) {
    for (std::uint64_t bits = run.bits[w]; bits != 0; bits &= bits - 1) {
      const std::uint64_t n = run.first + w * 64 + static_cast<std::uint64_t>(std::countr_zero(bits));
      const arrival a = add(n, origin_);
      if (n == seq) out = a;
    }
  }
}

void sequence_tracker::end_below_start(std::uint64_t count) noexcept {
  below_run& b = below_run_;
  if (!lone_kept_ || !any_ || before_jump_.copy || b.count < 2 || (b.distinct != distinct_ && !lone_line_open()) ||
      lone_ < b.first) {
    return;
  }
  const std::uint64_t lone_at = lone_ - b.first;
  if (lone_at >= below_span || (b.bits[static_cast<std::size_t>(lone_at / 64)] >> (lone_at % 64) & 1u) == 0) return;
  const std::uint64_t last = count - 1;
  if (last < b.last || last >= first_ || last - b.last > gap_bound_) return;
  // The sender's END after its numbers below the start (mcast-send repeats
  // it, MoldUDP64 its end of session): given most, as end_votes counts,
  // and more than once (a forger's one END must not take a start back).
  const auto earlier = decisive_end(b.end_count, b.end_times, count);
  if (!earlier) return;
  arrival unused{};
  take_over_below(UINT64_MAX, b.count, unused);
  // Every number of the run was a jump; it counts now, and the END's
  // earlier copies go to the vote (this one is judged by end()).
  vote_earlier_ends(count, *earlier);
}

std::optional<std::uint64_t> sequence_tracker::decisive_end(std::uint64_t& vote_count, std::uint64_t& vote_times,
                                                            std::uint64_t count) const noexcept {
  if (vote_count != count) {
    if (vote_times > 1) return std::nullopt;  // an END given more often stays the one judged
    vote_count = count;
    vote_times = 0;
  }
  ++vote_times;
  const std::uint64_t past = end_believed_ ? ends_.times(*end_count_) : 0;
  if (vote_times < 2 || vote_times <= past) return std::nullopt;
  return vote_times - 1;  // the earlier copies: refused as below the highest, counted unconfirmed
}

void sequence_tracker::vote_earlier_ends(std::uint64_t count, std::uint64_t earlier) noexcept {
  unconfirmed_ends_ -= std::min(unconfirmed_ends_, earlier);
  for (std::uint64_t i = 0; i < earlier; ++i) {
    unconfirmed_ends_ = saturating_add(unconfirmed_ends_, ends_.add(count, highest_));
  }
}

arrival sequence_tracker::retract_start() noexcept {
  // Since the first number only it, the numbers above it (at most
  // epoch_proof, within epoch_proof gaps of it) and those below it (held)
  // were counted in this epoch: they count as jumps, the held ones anew
  // in their order, as if the first had never come. Duplicates, END counts
  // and far numbers waiting stay as they were.
  const open_start held = start_;
  ++retracted_;
  // Merged sources: the numbers below the first that came (another
  // source's fills, the first copies of the first's source's copies, and
  // the numbers held) are in the window, below the first.
  std::array<std::uint64_t, words> below{};
  const std::uint64_t low = std::max(first_, window_low(highest_));
  if (held.fills + held.copies != 0 && low < held.first) {
    for (std::uint64_t n = low; n < held.first; ++n) {
      if (test(n)) below[(n % window) / 64] |= std::uint64_t{1} << (n % 64);
    }
    // The held numbers are counted anew from the list, once: should their
    // replay take a start back again (a held number the new first, the
    // fills below it its evidence), the one it made a jump is not counted
    // again from the window (a packet's numbers below an open start
    // counted the new first twice: fuzz_sequence, a6b896a).
    for (std::size_t i = 0; i < held.count; ++i) {
      const std::uint64_t n = held.numbers[i];
      if (n >= low && n < held.first) below[(n % window) / 64] &= ~(std::uint64_t{1} << (n % 64));
    }
  }
  // From the first up: jumps; below: counted anew (the far ones were jumps).
  jumps_ = jumps_ + from_start() - held.late;
  recount();
  arrival out{};
  for (std::size_t i = 0; i < held.count; ++i) out = add(held.numbers[i], origin_);
  std::uint64_t again = 0;  // fills counted anew
  if (held.fills + held.copies != 0 && low < held.first) {
    // Lowest first; those the held numbers counted again are there already.
    for (std::uint64_t n = low; n < held.first; ++n) {
      if ((below[(n % window) / 64] >> (n % 64) & 1u) == 0) continue;
      if (any_ && n <= highest_ && highest_ - n < window && test(n)) continue;
      (void)add(n, origin_);
      ++again;
    }
  }
  // Fills the window no longer held (more than the window below the
  // highest when the start was taken back: a packet's messages below an
  // open start, another line's) cannot be counted anew in their place:
  // they count as jumps, so that every datagram is still counted once
  // (fuzz_sequence: 226 of them vanished from the counts).
  if (held.fills > again) jumps_ += held.fills - again;
  return out;
}

// A gap after a lone first number stands as any other does: a real
// first datagram followed at once by loss is common (the second datagram
// lost in a lossy run, an outage right after the start), and its loss must
// count; a forged number below the live sender's first, before it, near
// enough for a near claim, is rare and claims at most provisional_gap.
void sequence_tracker::claim_stands() noexcept { claim_.active = false; }

std::uint64_t sequence_tracker::next_above(std::uint64_t last) const noexcept {
  // Inside the open claim, so at most claim_span numbers to look at.
  for (std::uint64_t n = last + 1; n < highest_; ++n) {
    if (test(n)) return n;
  }
  return highest_;
}

void sequence_tracker::end_inside_claim(std::uint64_t count) noexcept {
  if (count <= claim_.before || count - 1 >= claim_.claimed) return;
  // The sender's last number came before a forged one just past it: its
  // END (repeated) is below the claim and no number follows. The count given
  // most wins, as end_votes does; a count given once is not enough (a
  // forger's one END must not take back a real tail loss).
  const auto earlier = decisive_end(claim_.end_count, claim_.end_times, count);
  if (!earlier) return;
  (void)take_back_claim(claim_.claimed, {}, next_above(count - 1));
  vote_earlier_ends(count, *earlier);
}

void sequence_tracker::settle_pending_end() noexcept {
  const std::uint64_t count = claim_.pending_end, times = claim_.pending_times, refused = claim_.pending_refused;
  claim_.pending_times = claim_.pending_refused = 0;
  const std::uint64_t past = end_believed_ ? ends_.times(*end_count_) : 0;
  if (claim_.origin == 0 && claim_.line_count > 0 && count - 1 >= claim_.line_last && count - 1 < highest_) {
    (void)take_back_claim(claim_.claimed, {}, next_above(count - 1));  // after the line below
  } else if (claim_.inside > 0 && count - 1 >= claim_.before + claim_.inside && count - 1 < claim_.claimed) {
    (void)take_back_claim(claim_.claimed, {}, claim_.claimed);
  } else if (claim_.inside == 0 && claim_.line_count == 0 && count > claim_.before && count - 1 < claim_.claimed &&
             times >= 2 && times > past) {
    (void)take_back_claim(claim_.claimed, {}, next_above(count - 1));  // inside the gap, repeated
  } else {
    return;
  }
  // The copies refused as below the highest are judged anew.
  unconfirmed_ends_ -= std::min(unconfirmed_ends_, refused);
  for (std::uint64_t i = 0; i < refused; ++i) (void)end(count);
}

bool sequence_tracker::lone_start() const noexcept {
  return any_ && doubt_ && claims_ && start_.open && start_.count == 0 && distinct_ == 1 && !claim_.active &&
         !before_jump_.copy && !end_count_ && !announce_.open && !held_.active && announced_ == 0;
}

void sequence_tracker::open_claim(std::uint64_t seq) noexcept {
  claim_.end_count = claim_.end_times = 0;
  claim_.line_count = claim_.line_last = 0;
  claim_.contest = claim_.climbed = false;
  claim_.went_on_at = 0;
  claim_.above = claim_.below = claim_.below_top = 0;
  claim_.base = highest_;
  claim_.base_distinct = distinct_;
  claim_.climb_first = seq;
  claim_.step_distinct = distinct_ + 1;  // with seq, counted next
  claim_.opened = distinct_;
  claim_.proven = 0;
  claim_.pending_end = claim_.pending_times = claim_.pending_refused = claim_.pending_highest = 0;
  claim_.active = true;
  claim_.before = highest_;
  claim_.claimed = seq;
  claim_.inside = claim_.filled = 0;
  claim_.origin = origin_;
  claim_.run = 1;
  claim_.reordered = 0;
  claim_.gaps = 1;
  claim_.expired = expired_;
  std::size_t i = 0;
  each_word(highest_ + 1, claim_limit(), [&](std::size_t w, std::uint64_t mask) { claim_.bits[i++] = seen_[w] & mask; });
}

arrival sequence_tracker::follow_claim(std::uint64_t seq, arrival a, bool copy) noexcept {
  if (!copy && ++claim_.filled == claim_.claimed - claim_.before - 1) {
    claim_.active = false;  // every number of the gap came: it was reordering
    return a;
  }
  // Another source's copy (a lagging line's of numbers the claiming line
  // lost) fills the gap and says nothing of where the claiming line went on.
  if (!own(claim_.origin)) return a;
  if (!piece(&packet_pieces::claim)) {
    // A further number of a packet that gave its piece already: it fills
    // the gap (above) and carries the packet's line on, no more.
    if (claim_.line_count > 0 && seq > claim_.line_last) claim_.line_last = seq;
    if (claim_.contest) {
      claim_.below_top = std::max(claim_.below_top, seq);
      if (seq + 1 == claim_.claimed) claim_stands();
    }
    return a;
  }
  ++claim_.inside;
  // The line below: numbers inside the claim, each above the one before
  // with nothing that came between them (the live sender going on through
  // the gap a forger opened above it; a late neighbour of a lossy link
  // has numbers that came on both sides, and starts a line anew).
  bool continues = claim_.line_count > 0 && seq > claim_.line_last;
  for (std::uint64_t n = claim_.line_last + 1; continues && n < seq; ++n) continues = !test(n);
  if (!continues) claim_.line_count = 0;
  claim_.line_last = seq;
  ++claim_.line_count;
  // epoch_proof numbers of the line: the sender went on below whatever
  // came above it, a number, a pair, a run or a climb of them, however
  // paced: all of it goes, from the lowest number above the line. Else
  // epoch_proof numbers inside the last step's gap (a forged number just
  // past a real gap): from the last claim on.
  std::uint64_t from = 0;
  if (claim_.origin == 0 && !copy && !claim_.climbed) {
    // Untagged: once the line above went on from the claimed number (a
    // number past it came), the line below contests the claim rather than
    // taking it back at once, and the one that keeps going wins (trial16j
    // HIGH 3): a late fill of a real burst stops, a live sender's line
    // keeps arriving. The contest opens when the line below has the
    // evidence that took the claim back at once before; from then on each
    // line's new numbers are counted, whatever comes between them. (A
    // climb held like a far jump is judged as before: its line below takes
    // it back at once, the copy's evidence with it.)
    if (!claim_.contest && doubt_ && seq < claim_.went_on_at &&
        (claim_.line_count >= epoch_proof || claim_.inside >= epoch_proof)) {
      claim_.contest = true;
      claim_.below = epoch_proof;
      claim_.above = 0;
      claim_.below_top = seq;
      return a;
    }
    if (claim_.contest) {
      ++claim_.below;
      claim_.below_top = std::max(claim_.below_top, seq);
      // The line below reached the gap's top number: it filled the gap
      // from below, as a late path's copies of a whole burst do, or as the
      // live sender's line does under a forged run past it. Either way
      // what came is counted (the forged run's numbers are received, the
      // sender's own copies of them duplicates) and no loss is hidden: the
      // claim ends as reordering does.
      if (seq + 1 == claim_.claimed) claim_stands();
      return a;
    }
  }
  if (claim_.line_count >= epoch_proof && claim_.origin == 0) {
    from = next_above(seq);
  } else if (claim_.inside >= epoch_proof) {
    from = claim_.claimed;
  } else {
    return a;
  }
  if (copy) {
    // A duplicate stays one: its number's first copy is counted anew.
    (void)take_back_claim(seq, a, from);
    return a;
  }
  return take_back_claim(seq, a, from);
}

arrival sequence_tracker::take_back_claim(std::uint64_t seq, arrival a, std::uint64_t from) noexcept {
  // Since the claim fewer than epoch_proof numbers at or past its number
  // came (the run), all at most claim_span above the highest before it, so
  // the window moved no further than that: put back the bits of those
  // positions as they were, and undo the run (jumps now) and the numbers
  // inside the gap.
  const gap_claim k = claim_;
  claim_.active = false;
  ++retracted_;
  const std::uint64_t span = highest_ - k.before;
  std::array<std::uint64_t, claim_span / 64 + 1> came{};
  std::uint64_t counted = 0, restored = 0;
  std::size_t i = 0;
  each_word(k.before + 1, span, [&](std::size_t w, std::uint64_t mask) {
    came[i] = seen_[w] & mask;
    counted += static_cast<std::uint64_t>(std::popcount(came[i]));
    restored += static_cast<std::uint64_t>(std::popcount(k.bits[i] & mask));
    seen_[w] = (seen_[w] & ~mask) | (k.bits[i] & mask);
    ++i;
  });
  const std::uint64_t base = (k.before + 1) % window;
  const auto number_at = [&](std::size_t w, std::uint64_t bits) {
    const std::uint64_t pos = w * 64 + static_cast<std::uint64_t>(std::countr_zero(bits));
    return k.before + 1 + (pos + window - base) % window;
  };
  std::uint64_t run = 0;
  i = 0;
  each_word(k.before + 1, span, [&](std::size_t w, std::uint64_t) {
    for (std::uint64_t bits = came[i++]; bits != 0; bits &= bits - 1) run += number_at(w, bits) >= from ? 1 : 0;
  });
  distinct_ -= counted;
  in_window_ = in_window_ - counted + restored;
  reordered_ -= k.reordered;
  gaps_ -= k.gaps;
  jumps_ += run;
  expired_ = k.expired;
  highest_ = k.before;
  // The numbers inside the gap again, lowest first: in order from the
  // highest before it (or gaps between them).
  i = 0;
  each_word(k.before + 1, span, [&](std::size_t w, std::uint64_t) {
    for (std::uint64_t bits = came[i++]; bits != 0; bits &= bits - 1) {
      const std::uint64_t n = number_at(w, bits);
      if (n >= from) continue;
      const arrival again = add(n, origin_);
      if (n == seq) a = again;
    }
  });
  return a;
}

arrival sequence_tracker::add_run(std::uint64_t first, std::uint64_t count) noexcept {
  const mutating guard{*this};
  if (count == 0) return {};
  // The numbers counted or held so far reach `top`.
  const auto top = [this] { return held_.active ? held_.last : highest_; };
  if (aside_.active) {
    const aside_packet k = aside_;
    if (first == k.first && count == k.count) {
      duplicates_ = saturating_add(duplicates_, count);  // its copy
      return {verdict::duplicate, first, {}};
    }
    const std::uint64_t t = top();
    if (first > t && first - t <= gap_bound_ && first < k.first && count <= k.first - first) {
      // The stream goes on below it: counted now, the packet set aside
      // judged once near (the sender's packets it overtook came).
      aside_.active = false;
      const arrival a = add_run_now(first, count);
      aside_ = k;
      aside_.below = saturating_add(k.below, count);
      ++aside_.waits;
      const std::uint64_t now = top();
      if (now >= k.first || k.first - now <= gap_bound_ || aside_.waits >= epoch_proof || before_jump_.copy ||
          far_.count != 0 || end_believed_) {
        (void)flush_aside();
      }
      return a;
    }
    (void)flush_aside();
  }
  const std::uint64_t t = top();
  if (any_ && first > t && first - t > gap_bound_ && (first - t - 1) / aside_gaps < count && count - 1 <= UINT64_MAX - first &&
      far_.count == 0 && !before_jump_.copy && !end_believed_ && past_end_.count == 0 && after_end_.count == 0) {
    aside_ = {true, 0, first, count, 0};
    return {verdict::jump, first, {}};
  }
  return add_run_now(first, count);
}

arrival sequence_tracker::flush_aside() noexcept {
  if (!aside_.active) return {};
  const aside_packet k = aside_;
  aside_.active = false;
  const arrival a = add_run_now(k.first, k.count);
  // Next after the numbers that came meanwhile, or a near gap past them:
  // those came after it (reordered; taken back with the gap's claim, as
  // the numbers that fill a claim are).
  if (k.below != 0 && (a.kind == verdict::in_order || a.kind == verdict::gap)) {
    reordered_ = saturating_add(reordered_, k.below);
    if (a.kind == verdict::gap && claim_.active && claim_.claimed == k.first) claim_.reordered += k.below;
  }
  return a;
}

arrival sequence_tracker::add_run_now(std::uint64_t first, std::uint64_t count) noexcept {
  const mutating guard{*this};
  const bool was_any = any_;
  const std::uint64_t before = highest_;
  // Its numbers give one piece of evidence to each doubt (pieces_).
  // A packet that starts inside the packet held and goes on past it (its
  // first numbers sent again, as MoldUDP64 packets may overlap): the
  // sender went on past the held numbers, as a packet that starts past
  // them shows; they count in order, and its overlap is duplicates, not
  // the held numbers below it reordered (trial t20r F2: 41-50 then 50-51
  // read reordered 8).
  if (held_.active && first <= held_.last && first + 1 >= held_.first && count - 1 > held_.last - first) {
    release_held(true);
  }
  const packet_pieces outer = pieces_;
  pieces_ = {};
  pieces_.in_packet = true;
  const arrival a = add(first);  // judges numbers held before
  const bool claim = claims_ && was_any && count > 1 && count - 1 <= window && count - 1 <= UINT64_MAX - first &&
                     !held_.active && !before_jump_.copy && first > before && first - before <= gap_bound_ &&
                     highest_ == first && (a.kind == verdict::in_order || a.kind == verdict::gap);
  if (claim) {
    held_ = {true, first + 1, first + count - 1, 0};
    pieces_ = outer;
    return a;
  }
  // One packet is one piece of evidence against an open start (trial16f:
  // a forged packet of 100 messages just below a slow feed's first number
  // weighed as 100 datagrams and took the stream over).
  run_tail_ = true;
  for (std::uint64_t i = 1; i < count; ++i) (void)add(first + i);
  run_tail_ = false;
  pieces_ = outer;
  return a;
}

void sequence_tracker::judge_held(std::uint64_t last, bool number) noexcept {
  // Past them (or an END or announcement at their last), or a number too
  // far ahead to be counted at once (judged only once nothing is held).
  if (last > held_.last || (!number && last == held_.last) || (last > highest_ && last - highest_ > gap_bound_)) {
    release_held(true);  // the sender went on past them (or says it sent them)
  } else if (last >= held_.first) {
    if (!number) {
      release_held(false);  // an END or announcement inside: the rest were never sent
    } else if ((last > highest_ || (highest_ - last < window && !test(last))) && piece(&packet_pieces::held)) {
      ++held_.inside;  // (a packet inside them, however many of its numbers: one)
    }
  } else if (!number && last + 1 >= held_.first) {
    release_held(false);  // below them: never sent
  }
}

void sequence_tracker::release_held(bool confirm) noexcept {
  const held_run h = held_;
  held_.active = false;
  // The held numbers counted now are their packet's: one piece of evidence.
  const packet_pieces outer = pieces_;
  pieces_ = {};
  pieces_.in_packet = true;
  for (std::uint64_t n = h.first;; ++n) {
    const bool came = n <= highest_ && highest_ - n < window && test(n);
    if (came) {
      ++duplicates_;  // another copy came while it was held: this one is the second
    } else if (confirm) {
      (void)add(n, origin_);
    } else {
      ++jumps_;
    }
    if (n == h.last) break;
  }
  pieces_ = outer;
  if (!confirm) ++retracted_;
}

void sequence_tracker::judge_announce(std::uint64_t seq) noexcept {
  if (seq >= announced_) {
    announce_.open = false;  // the sender reached the number it announced: it stands
    return;
  }
  if (seq <= announce_.highest) return;
  if (seq > highest_ || (highest_ - seq < window && !test(seq))) {
    if (piece(&packet_pieces::announce) && ++announce_.inside >= epoch_proof) take_back_announce();
  }
}

void sequence_tracker::take_back_announce() noexcept {
  if (before_jump_.copy && before_jump_.copy->announce_.open && before_jump_.copy->announce_.serial == announce_.serial) {
    ++copy_announce_taken_back_;
  }
  announce_.open = false;
  announced_ = announce_.previous;
  ++retracted_;
  ++unconfirmed_ends_;
}

arrival sequence_tracker::past_end(std::uint64_t seq) noexcept {
  // Far past the END's count: the sender said it sent nothing there. Unless
  // the stream goes on past it, number after number (a forged END inside
  // an outage; a real END is followed by nothing): held as jumps till then.
  far_run& r = after_end_;
  for (std::size_t i = 0; i < r.count; ++i) {
    if (r.numbers[i] == seq) {
      ++duplicates_;
      return {verdict::duplicate, seq, {}};
    }
  }
  ++jumps_;
  // Within the window of the highest (an outage the window still counts);
  // further on nothing follows an END.
  if (seq - highest_ >= window) return {verdict::jump, seq, {}};
  // The stream going on is dense: its numbers follow each other (a real
  // loss among them leaves them within 2 x epoch_proof). A sparse climb
  // (a forger's chain, each step under gap_bound_) contradicts nothing: the
  // believed END stands, and numbers past it add no loss.
  if (r.count == 0 || seq < r.numbers[r.count - 1] || seq - r.numbers[0] >= 2 * epoch_proof) r.count = 0;
  r.numbers[r.count++] = seq;
  if (r.count < epoch_proof) return {verdict::jump, seq, {}};
  // The END is contradicted: forgotten, and the numbers held count (the
  // first after the highest: a gap, or a far number the next follows).
  const auto numbers = r.numbers;
  const std::size_t held = r.count;
  r.count = 0;
  jumps_ -= held;
  unconfirmed_ends_ = saturating_add(unconfirmed_ends_, std::max<std::uint64_t>(ends_.forget(*end_count_), 1));
  end_count_.reset();
  end_believed_ = false;
  past_end_.count = 0;
  ++retracted_;
  // In arrival order: seq, the last, is counted last.
  arrival out{};
  for (std::size_t i = 0; i < held; ++i) out = add(numbers[i], origin_);
  return out;
}

arrival sequence_tracker::count_run(std::size_t waiting) noexcept {
  const auto numbers = far_.numbers;
  const std::size_t n = far_.count;
  far_.count = 0;
  jumps_ -= waiting;
  const arrival first = advance(numbers[0]);
  for (std::size_t i = 1; i < n; ++i) (void)advance(numbers[i]);
  return first;
}

arrival sequence_tracker::add_far(std::uint64_t seq) noexcept {
  const std::size_t n = far_.count;
  if (n != 0) {
    for (std::size_t i = 0; i < n; ++i) {
      if (far_.numbers[i] == seq) {
        ++duplicates_;  // a copy of a waiting number (another line's): no second claim
        return {verdict::duplicate, seq, {}};
      }
    }
    const std::uint64_t lo = std::min(far_.numbers[0], seq);
    const std::uint64_t hi = std::max(far_.numbers[n - 1], seq);
    // Within the window of the waiting numbers, above them (or, short of a
    // new epoch, one of them overtaken: numbers in a row are above each other).
    if (hi - lo < window && (seq > far_.numbers[n - 1] || lo - highest_ <= max_gap)) {
      // It follows the waiting numbers: the sender went on from there. Kept
      // in order, lowest first.
      std::size_t at = n;
      while (at > 0 && far_.numbers[at - 1] > seq) {
        far_.numbers[at] = far_.numbers[at - 1];
        --at;
      }
      far_.numbers[at] = seq;
      ++far_.count;
      const std::uint64_t step = lo - highest_;
      if (step <= max_gap || far_.count >= epoch_proof) {
        if (step <= max_gap && lone_start()) {
          // The first number came alone and the stream goes on from far
          // above it: it was not the stream's (a forged number below the
          // live sender's first, a receiver joining a running sender), as a
          // lone number far above the sender's first is not. It counts as a
          // jump, kept below the new start (a jump: `late`), which
          // epoch_proof numbers below take back in turn (add_start()).
          const std::uint64_t lone = first_;
          const auto numbers = far_.numbers;
          const std::size_t count = far_.count;
          far_.count = 0;
          jumps_ = jumps_ - n + 1;  // the waiting numbers count now, the lone one does not
          ++retracted_;
          recount();
          (void)add(numbers[0], origin_);
          missing_range shown{};
          for (std::size_t i = 1; i < count; ++i) {
            const arrival a = advance(numbers[i]);
            if (numbers[i] == seq) shown = a.missing;
          }
          start_.numbers[0] = lone;
          start_.count = 1;
          start_.late = 1;
          lone_kept_ = true;
          lone_ = lone;
          return {verdict::confirmed, seq, shown};
        }
        // A jump is believed only with a copy to go back to (no memory: it
        // stays a jump, and seq starts a run of its own). Inside the window
        // too: a forged pair there must not claim tens of thousands lost.
        if (!begin_probation(far_.numbers[0], origin_)) {
          far_.numbers[0] = seq;
          far_.count = 1;
          ++jumps_;
          return {verdict::jump, seq, {}};
        }
        arrival out{};
        if (step <= max_gap) {
          // Followed: an outage. The waiting numbers and this one count now.
          out = {verdict::confirmed, seq, count_run(n).missing};
        } else {
          // epoch_proof numbers in a row: the sender restarted its numbering.
          const auto numbers = far_.numbers;
          const std::size_t count = far_.count;
          far_.count = 0;
          jumps_ -= n;
          beyond_pace_ = false;  // a new epoch claims no loss: its proof is its numbers
          (void)restart(numbers[0]);
          for (std::size_t i = 1; i < count; ++i) (void)advance(numbers[i]);
          out = {verdict::restart, seq, {}};
        }
        probation_end_ = own_received() + window;
        return out;
      }
      ++jumps_;
      return {verdict::jump, seq, {}};
    }
  }
  // A run of its own (the numbers of a run given up stay in jumps()): the
  // next far number may follow it.
  far_.count = 1;
  far_.numbers[0] = seq;
  if (paced_step(seq)) {
    // The climb the pace proved goes on (paced_step()): believed as a
    // followed jump is, on probation (the live sender's next number from
    // below takes it back).
    if (begin_probation(seq, origin_)) {
      const arrival a = count_run(0);
      probation_end_ = own_received() + window;
      return {verdict::confirmed, seq, a.missing};
    }
  }
  ++jumps_;
  return {verdict::jump, seq, {}};
}

bool sequence_tracker::paced_step(std::uint64_t seq) const noexcept {
  // Only up the line of a climb the pace proved (a proven paced claim on
  // probation, nothing past what the pace allows in it), within the
  // numbers the pace gives the time since its highest arrived.
  return any_ && seq > highest_ && before_jump_.copy && climb_paced_ && !beyond_pace_ && unproven() == nullptr &&
         !end_believed_ && seq - highest_ <= pace_step_ && seq - highest_ <= pace_ahead_;
}

void sequence_tracker::settle_run(std::uint64_t last) noexcept {
  // A count below the highest is refused anyway (end()): it says nothing of them.
  if (far_.count == 0 || !any_ || last < highest_ || far_.numbers[0] - highest_ > window) return;
  if (last < far_.numbers[0]) {
    far_.count = 0;  // the sender's count stops below them: they stay jumps
  } else if (last >= far_.numbers[far_.count - 1] && last - highest_ <= window) {
    // The count covers them: they came from its sender, if the count is
    // the sender's. On probation as a followed jump is (a forger sends an
    // END as easily as a number), so the live sender's next END or number
    // from before them takes them back.
    if (!begin_probation(far_.numbers[0], 0)) return;
    (void)count_run(far_.count);
    probation_end_ = own_received() + window;
  }
}

bool sequence_tracker::believe(std::uint64_t last, std::optional<std::uint64_t>& previous) noexcept {
  const bool repeated = previous == last;
  previous = last;
  if (last <= highest_ || last - highest_ <= window) return true;
  if (repeated && last - highest_ <= max_gap) return true;
  ++unconfirmed_ends_;
  return false;
}

missing_range sequence_tracker::end(std::uint64_t count, bool confirmed) noexcept {
  const mutating guard{*this};
  (void)flush_aside();  // a packet set aside: judged as it came, before the END
  // The sender's END below a first number nothing followed, after numbers
  // below it: the first number was not its. Below a near claim, after
  // numbers inside the gap: the stream went on from below it and ended
  // there. Both count as jumps, and the END is judged without them.
  if (start_.open && start_.count > 0 && count > 0 && count - 1 < start_.first) (void)retract_start();
  // The same after a start a far run took over from a lone first number,
  // proven since: the END repeated after the sender's numbers below it.
  if (count > 0) end_below_start(count);
  // A real sender's END carries its last number: one below what the line
  // above the claim proved (epoch_proof numbers in a row past a step, or a
  // chain as dense as a standing one) is not the sender's last word (a
  // forged END, or a restarted sender's): it takes nothing back, and the
  // numbers that follow in order stand (trial h16m 1: a lossy feed's claim
  // chain, an END below its highest given twice, made 1,350 of its numbers
  // jumps). It is judged as any END at or below the highest is.
  // Should the line above stop there and nothing past it come by the end
  // of the run, the END was the sender's last word after all (a forged run
  // past its last number): settle() judges it then (settle_pending_end()).
  const bool below_proven = claim_.active && count > 0 && count - 1 < claim_proven();
  if (below_proven) {
    if (claim_.pending_times == 0 || (claim_.pending_end != count && claim_.pending_times < 2)) {
      // (A count given more than once stays the one waiting, as end_votes
      // keeps the one given most.)
      claim_.pending_end = count;
      claim_.pending_times = claim_.pending_refused = 0;
    }
    if (claim_.pending_end == count) {
      ++claim_.pending_times;
      claim_.pending_highest = highest_;
    }
  } else if (claim_.active && claim_.origin == 0 && claim_.line_count > 0 && count > 0 &&
             count - 1 >= claim_.line_last && count - 1 < highest_) {
    // After the line below: the sender ended below what came above it.
    (void)take_back_claim(claim_.claimed, {}, next_above(count - 1));
  } else if (claim_.active && claim_.inside > 0 && count - 1 >= claim_.before + claim_.inside &&
             count - 1 < claim_.claimed) {
    (void)take_back_claim(claim_.claimed, {}, claim_.claimed);
  }
  if (!below_proven && claim_.active && claim_.inside == 0 && claim_.line_count == 0) end_inside_claim(count);
  if (announce_.open && announce_.inside > 0 && count < announced_) take_back_announce();
  if (held_.active && count > 0) judge_held(count - 1, /*number=*/false);
  if (before_jump_.copy && count > 0) {
    const auto c = check_probation(count - 1, evidence_kind::end);
    if (c == probation_check::held) return {};
    // Taken back: the END is judged anew against the state before the
    // claim (a near claim open there, the line below it: trial16h HIGH 1).
    if (c == probation_check::retracted) return end(count, confirmed);
  }
  if (count > 0) settle_run(count - 1);
  if (!any_) {
    end_count_ = count;  // an END before any number fixes nothing yet
    return {};
  }
  if (count <= highest_ || count - 1 - highest_ > max_gap) {
    // Numbers at or past the count arrived (a forged END, or another
    // run's), or a tail no sender's count can show: not this run's end.
    ++unconfirmed_ends_;
    if (below_proven && claim_.active && claim_.pending_times != 0 && claim_.pending_end == count) {
      ++claim_.pending_refused;
    }
    return {};
  }
  // A sender repeats its END: the count given most wins (end_votes).
  unconfirmed_ends_ = saturating_add(unconfirmed_ends_, ends_.add(count, highest_, confirmed));
  choose_end();
  if (!end_believed_ || *end_count_ != count || count <= highest_ + 1) return {};
  return {highest_ + 1, count - highest_ - 1};
}

void sequence_tracker::choose_end() noexcept {
  if (const auto c = ends_.choose(highest_, window, max_gap)) {
    // Numbers held against another count stay jumps.
    if (end_count_ != c) past_end_.count = after_end_.count = 0;
    end_count_ = *c;
    end_believed_ = true;
  }
}

missing_range sequence_tracker::announce(std::uint64_t next) noexcept {
  const mutating guard{*this};
  (void)flush_aside();
  if (held_.active && next > 0) judge_held(next - 1, /*number=*/false);
  if (before_jump_.copy && next > 0) {
    const auto c = check_probation(next - 1, evidence_kind::announce);
    if (c == probation_check::held) return {};
  }
  if (next > 0) settle_run(next - 1);
  if (!any_ || highest_ == UINT64_MAX) return {};
  if (next > 0 && !believe(next - 1, announce_claim_)) return {};
  const std::uint64_t from = std::max(highest_ + 1, announced_);
  if (claims_ && next > from) {
    // Numbers it shows missing: in doubt until the sender reaches it.
    if (!announce_.open) {
      announce_.previous = announced_;
      announce_.highest = highest_;
      announce_.inside = 0;
      announce_.serial = ++announce_serial_;
    }
    announce_.open = true;
  }
  announced_ = std::max(announced_, next);
  if (next <= from) return {};
  return {from, next - from};
}

arrival sequence_tracker::restart(std::uint64_t seq) noexcept {
  const mutating guard{*this};
  (void)flush_aside();
  if (any_) {
    before_.received += distinct_;
    before_.lost = saturating_add(before_.lost, lost_in_epoch());
    before_.reordered += reordered_;
    before_.duplicates += duplicates_;
    before_.too_late += too_late_;
    before_.gaps += gaps_;
    before_.expired += expired_;
    ++restarts_;
  }
  clear_epoch();
  arrival a = add(seq, origin_);
  start_ = {};  // its caller has the proof: a run of epoch_proof, or its word
  a.kind = verdict::restart;
  return a;
}

void sequence_tracker::recount() noexcept {
  any_ = false;
  resume_floor_ = 0;
  first_ = highest_ = 0;
  distinct_ = gaps_ = expired_ = in_window_ = 0;
  reordered_ = too_late_;  // too-late arrivals stay, and count as reordered too
  seen_.fill(0);
  below_ = {};
  below_run_ = {};
  lone_kept_ = false;
  start_ = {};
  claim_.active = false;
}

void sequence_tracker::clear_epoch() noexcept {
  any_ = false;
  resume_floor_ = 0;
  announced_ = 0;
  first_ = highest_ = 0;
  distinct_ = reordered_ = duplicates_ = too_late_ = gaps_ = expired_ = in_window_ = 0;
  // The epoch's ENDs not believed stay counted as such.
  unconfirmed_ends_ = saturating_add(unconfirmed_ends_,
                                     ends_.total() - (end_believed_ ? ends_.times(*end_count_) : 0));
  ends_.clear();
  end_count_.reset();
  end_believed_ = false;
  far_.count = 0;
  below_ = {};
  below_run_ = {};
  lone_kept_ = false;
  start_ = {};
  claim_.active = false;
  past_end_.count = 0;
  after_end_.count = 0;
  announce_ = {};
  held_ = {};
  announce_claim_.reset();
  seen_.fill(0);
}

void sequence_tracker::reset() noexcept {
  const mutating guard{*this};
  aside_ = {};
  clear_epoch();
  before_jump_.copy.reset();
  evidence_.count = 0;
  probation_end_ = jump_low_ = proof_from_ = proof_low_ = 0;
  proven_ = false;
  beyond_pace_ = false;
  pace_ahead_ = UINT64_MAX;
  pace_step_ = 0;
  pace_back_ = 0;
  climb_paced_ = false;
  jumps_ = restarts_ = unconfirmed_ends_ = retracted_ = 0;
  before_ = {};
}

sequence_tracker::position sequence_tracker::save() const noexcept {
  position p;
  p.started = any_ && own_received() > 0;
  p.highest = highest_;
  p.received = received();
  // lost() up to the highest number: what an END or announcement showed
  // missing past it is not kept (the sender repeats its END).
  std::uint64_t in_epoch = 0;
  if (any_ && unproven() == nullptr) {
    const std::uint64_t expected_less_one = highest_ - first_;
    in_epoch = expected_less_one > distinct_ - 1 ? expected_less_one - (distinct_ - 1) : 0;
  }
  p.lost = unproven() != nullptr ? unproven()->lost() : saturating_add(before_.lost, in_epoch);
  p.too_late = too_late();
  p.reordered = reordered();
  p.duplicates = duplicates();
  p.gaps = gaps();
  p.expired = expired();
  p.jumps = jumps();
  p.restarts = restarts();
  p.unconfirmed_ends = unconfirmed_ends();
  p.retracted = retracted();
  return p;
}

void sequence_tracker::resume(const position& p) noexcept {
  const mutating guard{*this};
  reset();
  // The epochs before: every count but the highest number's own arrival,
  // which the epoch begun at it holds.
  const bool epoch = p.started && p.received > 0;
  before_.received = epoch ? p.received - 1 : p.received;
  before_.lost = p.lost;
  before_.reordered = p.reordered;
  before_.too_late = p.too_late;
  before_.duplicates = p.duplicates;
  before_.gaps = p.gaps;
  before_.expired = p.expired;
  jumps_ = p.jumps;
  restarts_ = p.restarts;
  unconfirmed_ends_ = p.unconfirmed_ends;
  retracted_ = p.retracted;
  if (!epoch) return;
  any_ = true;
  first_ = highest_ = p.highest;
  set_new(p.highest);
  distinct_ = 1;
  start_ = {};  // proven: the stream counted it before
  resume_floor_ = p.highest;
}

std::uint64_t sequence_tracker::lost_in_epoch() const noexcept {
  if (!any_) return 0;
  // Expected numbers are first_ .. last, which may be all 2^64 of them (a
  // hostile sender's 0 and UINT64_MAX): count them minus one, which fits,
  // against the distinct numbers minus one (distinct_ >= 1 here).
  std::uint64_t last = highest_;
  if (end_count_ && *end_count_ > 0) last = std::max(last, *end_count_ - 1);
  if (announced_ > 0) last = std::max(last, announced_ - 1);
  const std::uint64_t expected_less_one = last - first_;
  return expected_less_one > distinct_ - 1 ? expected_less_one - (distinct_ - 1) : 0;
}

std::uint64_t sequence_tracker::lost() const noexcept {
  if (const sequence_tracker* b = unproven()) return b->lost();
  return saturating_add(before_.lost, lost_in_epoch());
}

std::uint64_t sequence_tracker::fills_of(const sequence_tracker& before) const noexcept {
  if (!before.any_) return 0;
  const std::uint64_t h = before.highest_;
  // The last number its loss counts to: past the highest when an END or an
  // announcement said more were sent (lost_in_epoch()).
  std::uint64_t told = h;
  if (before.end_count_ && *before.end_count_ > 0) told = std::max(told, *before.end_count_ - 1);
  if (before.announced_ > 0) told = std::max(told, before.announced_ - 1);
  const std::uint64_t fill_low = window_low(highest_);
  // As retract() tells them apart: numbers counted since the copy, only
  // inside both windows (a claim inside the window), at most its highest
  // or, counted by another source, up to gap_bound_ past it and below the
  // jump; those up to `told` fill its gaps.
  const bool inside = any_ && restarts_ == before.restarts_ && jump_low_ - h <= window && highest_ >= h &&
                      fill_low <= h;
  const std::uint64_t above = inside ? std::min({gap_bound_, jump_low_ - 1 - h, told - h}) : 0;
  std::uint64_t out = 0;
  if (inside) {
    const std::uint64_t low = std::max(fill_low, before.first_);
    if (low <= h) {
      each_word(low, h - low + 1, [&](std::size_t w, std::uint64_t mask) {
        out += static_cast<std::uint64_t>(std::popcount(seen_[w] & ~before.seen_[w] & mask));
      });
    }
    if (above > 0) {
      each_word(h + 1, above, [&](std::size_t w, std::uint64_t mask) {
        out += static_cast<std::uint64_t>(std::popcount(seen_[w] & mask));
      });
    }
  }
  // Numbers held as evidence inside its gaps (a claim past the window, or
  // past its highest below an END or announcement), each once and not
  // among those counted.
  for (std::size_t i = 0; i < evidence_.count; ++i) {
    const std::uint64_t v = evidence_.values[i];
    if (evidence_.kinds[i] != evidence_kind::number || v < before.first_ || v > told || v == h ||
        (v < h && (h - v >= window || before.test(v))) || (inside && v >= fill_low && v <= h + above && test(v))) {
      continue;
    }
    bool again = false;
    for (std::size_t j = 0; j < i; ++j) again = again || evidence_.values[j] == v;
    if (!again) ++out;
  }
  return out;
}

std::uint64_t sequence_tracker::lost_in_doubt() const noexcept {
  // A claim not proven reads as the copy it would go back to; going back
  // (or the proof) counts what came since in the copy's gaps too (h16c: a
  // number held as evidence inside the gap of a claim before, counted at
  // settle(), took one off a loss an interval report had shown).
  if (const sequence_tracker* b = unproven()) {
    return std::min(b->lost(), saturating_add(b->lost_in_doubt(), fills_of(*b)));
  }
  const std::uint64_t doubt = epoch_doubt();
  const sequence_tracker* b = before_jump_.copy.get();
  if (b == nullptr || own_received() - ends_held_at_ >= epoch_proof) return doubt;
  // A proven claim on probation that END counts past the highest before it
  // came against (ends_refute(): twice, and more often than the END
  // believed, at settle()) goes back to that state: what is decided there
  // is all that is (h16c: a far packet, then the sender's END below it
  // twice; settle() took 65,535 back).
  bool ends = false;
  for (std::size_t i = 0; i < evidence_.count; ++i) {
    ends = ends || (evidence_.kinds[i] == evidence_kind::end && evidence_.values[i] >= b->highest_);
  }
  if (!ends) return doubt;
  const std::uint64_t before = b->lost();
  const std::uint64_t decided = before - std::min(before, saturating_add(b->lost_in_doubt(), fills_of(*b)));
  const std::uint64_t now = lost();
  return std::max(doubt, now > decided ? now - decided : 0);
}

std::uint64_t sequence_tracker::epoch_doubt() const noexcept {
  if (!any_) return 0;
  const std::uint64_t epoch = lost_in_epoch();
  // A start not proven, or a run below it that may take the epoch over
  // (follow_below(): one that came between the epoch's numbers goes on
  // across them): the epoch's numbers may all become jumps, its loss
  // counted anew.
  if (start_.open || (below_run_.count != 0 && (below_run_.distinct == distinct_ || below_run_.interleaved))) {
    return epoch;
  }
  // The last number the loss counts to without announcement `announced`
  // (lost_in_epoch()).
  const auto last_to = [this](std::uint64_t announced) {
    std::uint64_t last = highest_;
    if (end_count_ && *end_count_ > 0) last = std::max(last, *end_count_ - 1);
    return announced > 0 ? std::max(last, announced - 1) : last;
  };
  // An announcement in doubt (judge_announce()): the numbers it shows
  // missing past what would be counted without it, which taking it back
  // removes (h16c: a heartbeat past a lone number's line, taken back by the
  // line at settle(), had shown its whole gap as decided).
  const std::uint64_t told = announce_.open ? last_to(announced_) - last_to(announce_.previous) : 0;
  // Numbers a packet holds (add_run()) where the loss counts them missing
  // (past the highest, below an END's or announcement's count; a gap below
  // it): counted, they take that loss off (h16c: 17 held messages below a
  // stray END's count).
  const std::uint64_t last = last_to(announced_);
  std::uint64_t held_low = 0, held_high = 0;  // at or below `low` (below), above it
  const gap_claim& c = claim_;
  // The lowest number whose loss a take-back of the near claim would
  // remove is above `low`: the line below's highest for a contest
  // (decide_contest()), the END's last number for one waiting
  // (settle_pending_end()), and for a step that came alone the highest
  // before it (its climb's base: a climb with nothing between its steps
  // goes back whole).
  std::uint64_t low = highest_;
  if (c.active) {
    if (contested()) low = std::min(low, c.below_top);
    if (end_pending() && c.pending_end > 0) low = std::min(low, c.pending_end - 1);
    if (c.run < epoch_proof) low = std::min(low, c.base);
  }
  if (held_.active) {
    for (std::uint64_t n = held_.first;; ++n) {
      if (n >= first_ && n <= last && (n > highest_ ? true : highest_ - n < window && !test(n))) {
        ++(n <= low ? held_low : held_high);
      }
      if (n == held_.last) break;
    }
  }
  std::uint64_t doubt = saturating_add(told, held_low + held_high);
  // A take-back from below the first number counted, or from further
  // below than the window tells, may remove any of the epoch's loss
  // (h16c: an END far below the first waiting while the line filled the
  // claim's gap from below; settle() gave the stream to that line).
  if (c.active && low < highest_ && (low < first_ || highest_ - low >= window)) return epoch;
  if (c.active && low < highest_) {
    // The numbers counted above `low` (all inside the window), so those
    // counted up to it, and the loss up to it: decided. The loss past
    // `low` includes an announcement's tail and the held numbers above it.
    // (Counted by number, not up to the highest: a highest of 2^64 - 1
    // never ended the loop; fuzz_sequence, h16c.)
    std::uint64_t above = 0;
    each_word(low + 1, highest_ - low, [&](std::size_t w, std::uint64_t mask) {
      above += static_cast<std::uint64_t>(std::popcount(seen_[w] & mask));
    });
    const std::uint64_t upto = low - first_ + 1;
    const std::uint64_t counted = distinct_ > above ? distinct_ - above : 0;
    const std::uint64_t decided = upto > counted ? upto - counted : 0;
    doubt = std::max(doubt, saturating_add(epoch > decided ? epoch - decided : 0, held_low));
  }
  return std::min(epoch, doubt);
}

void rtp_sequence_tracker::init(std::uint16_t seq) noexcept {
  max_seq_ = seq;
  bad_seq_ = seq_mod + 1;
  cycles_ = 0;
}

void rtp_sequence_tracker::sync() noexcept {
  const std::uint64_t h = current_.highest();
  max_seq_ = static_cast<std::uint16_t>(h % seq_mod);
  cycles_ = h - max_seq_;
}

arrival rtp_sequence_tracker::add(std::uint16_t seq, std::optional<std::uint32_t> timestamp) noexcept {
  // Whether the datagram before this one was a jump (jump_seq_); every
  // datagram clears it, a jump sets it again below.
  const bool after_jump = jump_last_;
  jump_last_ = false;
  if (!any_) {
    any_ = true;
    init(seq);
    ts_any_ = timestamp.has_value();
    ts_at_max_ = timestamp.value_or(0);
    ts_base_ = timestamp;
    ts_base_seq_ = seq;
    return current_.add(seq);
  }
  if (outage_before_ && !current_.on_probation()) outage_before_.reset();
  if (outage_before_) {
    // An outage on probation: a number just past the highest before it is
    // the live sender going on from there (evidence against it, as a
    // sequence_tracker's followed jump takes it).
    // Not one the stream goes on with from its highest (in order, a gap
    // under max_dropout): a climb past the outage that wrapped its 16 bits
    // comes back near the number before it (trial t20q: a trickle of
    // every 2,000th number read its 33rd and later arrivals as jumps).
    const std::uint64_t before = *outage_before_;
    const auto delta = static_cast<std::int16_t>(static_cast<std::uint16_t>(seq - static_cast<std::uint16_t>(before)));
    const bool goes_on = static_cast<std::uint16_t>(seq - max_seq_) < max_dropout;
    if (!goes_on && delta > 0 && static_cast<std::uint32_t>(delta) < max_dropout) {
      const std::uint64_t h = current_.highest();
      const arrival a = current_.add(before + static_cast<std::uint64_t>(delta));
      if (current_.highest() != h) {
        sync();
        ts_any_ = false;
      }
      if (!current_.on_probation()) outage_before_.reset();
      return a;
    }
  }
  if (current_.claim_.active) {
    // A gap counted at once (A.1 believes up to max_dropout) is a claim, as
    // sequence_tracker judges one: a number inside it is the live sender
    // going on below it (A.1 would take it for a jump, the next for a
    // restart), epoch_proof of them take the claim back.
    const std::uint64_t before = current_.claim_.before;
    const auto delta = static_cast<std::int16_t>(static_cast<std::uint16_t>(seq - static_cast<std::uint16_t>(before)));
    if (delta > 0 && before + static_cast<std::uint64_t>(delta) < current_.claim_.claimed) {
      const arrival a = current_.add(before + static_cast<std::uint64_t>(delta));
      sync();
      ts_any_ = false;  // max_seq_ may have moved without its timestamp
      return a;
    }
  }
  const auto udelta = static_cast<std::uint16_t>(seq - max_seq_);
  if (udelta < max_dropout) {
    // In order, with a permissible gap; a smaller number means a wrap.
    if (udelta != 0) {
      ts_any_ = timestamp.has_value();
      ts_at_max_ = timestamp.value_or(0);
      if (ts_any_ && !ts_base_) {
        ts_base_ = *timestamp;
        ts_base_seq_ = cycles_ + (seq < max_seq_ ? seq_mod : 0) + seq;
      }
    }
    if (seq < max_seq_) cycles_ += seq_mod;
    max_seq_ = seq;
    return current_.add(cycles_ + seq);
  }
  if (udelta <= seq_mod - max_misorder) {
    // A very large jump: believed only when the next datagram follows it:
    // the number after it (A.1), or, right after it, a number less than
    // max_dropout past it (a sparse trickle of a feed: trial t20q, a climb
    // of 2,000 apart read every datagram as a jump).
    const auto past_jump = static_cast<std::uint16_t>(seq - jump_seq_);
    const bool follows = seq == bad_seq_ || (after_jump && past_jump > 0 && past_jump < max_dropout);
    if (!follows) {
      bad_seq_ = (seq + 1u) & (seq_mod - 1);
      jump_ts_ = timestamp;
      jump_seq_ = seq;
      jump_last_ = true;
      ++jumps_;
      return {verdict::jump, seq, {}};
    }
    const std::uint64_t after = seq == bad_seq_ ? 1 : past_jump;
    // Followed. An outage when the timestamps say so: the jump's advance
    // from the highest, at the stream's mean step per number, is its
    // advance in numbers (modulo 2^16), and the follower is not behind it.
    bool decided = false;
    const std::uint64_t h = current_.highest();
    if (ts_any_ && timestamp && jump_ts_ && ts_base_ && h > ts_base_seq_ &&
        h - ts_base_seq_ >= usual_steps && static_cast<std::uint32_t>(ts_at_max_ - *ts_base_) < (1u << 31) &&
        static_cast<std::uint32_t>(*timestamp - *jump_ts_) < (1u << 31)) {
      decided = true;
      const double step = static_cast<double>(static_cast<std::uint32_t>(ts_at_max_ - *ts_base_)) /
                          static_cast<double>(h - ts_base_seq_);
      const std::uint32_t advance = *jump_ts_ - ts_at_max_;
      const auto skip = static_cast<std::uint16_t>(jump_seq_ - max_seq_);
      if (step > 0 && advance < (1u << 31)) {
        const double estimate = static_cast<double>(advance) / step;
        const double k = std::round((estimate - static_cast<double>(skip)) / static_cast<double>(seq_mod));
        const double n = static_cast<double>(skip) + (k < 0 ? 0.0 : k) * static_cast<double>(seq_mod);
        if (std::fabs(estimate - n) <= estimate / 16 + 64 && n < static_cast<double>(sequence_tracker::max_gap)) {
          const auto gap = static_cast<std::uint64_t>(n);
          --jumps_;  // the jump's datagram counts now, in current_
          // The timestamps stepped as the numbers did, at the stream's
          // mean step: the outage is paced (sequence_tracker::pace_step()),
          // so a sparse climb after it (near gaps, each at most
          // max_dropout) is proven by epoch_proof numbers, as a paced
          // climb of mcnet numbers is (trial t20q: 0, 100, 200, then every
          // 2,000 from 20,000 read lost 198, jumps 20 of 23).
          current_.pace_step(gap);
          (void)current_.add(h + gap);
          const arrival a = current_.add(h + gap + after);
          current_.pace_step(0);
          if (current_.highest() == h + gap + after) {
            sync();
            ts_at_max_ = *timestamp;
            if (current_.on_probation()) outage_before_ = h;
            return a;
          }
          ++jumps_;  // not believed (no memory for the probation): a restart as A.1's
        }
      }
    }
    if (!decided) ++undecided_restarts_;
    init(seq);
    ts_any_ = timestamp.has_value();
    ts_at_max_ = timestamp.value_or(0);
    ts_base_ = timestamp;
    ts_base_seq_ = seq;
    outage_before_.reset();
    return current_.restart(seq);
  }
  // A duplicate or a reordered datagram, at most max_misorder behind.
  if (seq > max_seq_) {  // behind across a wrap: from the previous cycle
    if (cycles_ == 0) {  // before the first number's cycle: no extended number
      ++early_too_late_;
      return {verdict::too_late, seq, {}};
    }
    return current_.add(cycles_ - seq_mod + seq);
  }
  return current_.add(cycles_ + seq);
}

}  // namespace mcnet::feed
