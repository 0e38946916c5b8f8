// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The mcnet authors
#include <mcnet/feed/sequence.hpp>

#include <mcnet/feed/saturating.hpp>

#include <algorithm>
#include <bit>
#include <new>

namespace mcnet::feed {
namespace {

// The lowest number the window holds when `highest` is the highest.
constexpr std::uint64_t window_low(std::uint64_t highest) noexcept {
  return highest >= sequence_tracker::window - 1 ? highest - (sequence_tracker::window - 1) : 0;
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

bool sequence_tracker::begin_probation() noexcept {
  // A second claim while the first is on probation keeps the first copy:
  // the state before any far claim is what the live sender goes on from.
  if (!before_jump_.copy) {
    // The copy has no probation of its own, so copying it allocates
    // nothing but the copy itself.
    before_jump_.copy.reset(new (std::nothrow) sequence_tracker(*this));
    if (!before_jump_.copy) return false;
  }
  probation_end_ = UINT64_MAX;  // set when the jump has been counted
  return true;
}

bool sequence_tracker::check_probation(std::uint64_t n) noexcept {
  auto& before = before_jump_.copy;
  if (!before) return false;
  if (received() >= probation_end_) {
    before.reset();  // window numbers past the jump and none from before it: it stands
    return false;
  }
  const std::uint64_t h = before->highest_;
  const bool near = n <= h ? h - n < window : n - h <= window;
  if (!near) return false;
  // The live sender went on: the far numbers were a burst between two of
  // its datagrams. Back to the state before them; they count as jumps.
  // The numbers counted since the copy was made were the burst's (or came
  // with it): they count as jumps. Duplicates and late ones stay what they
  // were, so every datagram is still counted once.
  const std::uint64_t far = received() - before->received();
  const std::uint64_t repeats = duplicates() - before->duplicates();
  const std::uint64_t late = too_late() - before->too_late();
  const std::uint64_t jumps = jumps_ + far;
  const std::uint64_t unconfirmed = unconfirmed_ends_;
  const std::uint64_t retracted = retracted_ + 1;
  const std::unique_ptr<sequence_tracker> kept = std::move(before);
  *this = std::move(*kept);
  jumps_ = jumps;
  duplicates_ += repeats;
  too_late_ += late;
  reordered_ += late;  // too late counts as reordered too
  unconfirmed_ends_ = unconfirmed;
  retracted_ = retracted;
  return true;
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
  if (before_jump_.copy && check_probation(seq)) return add(seq);
  if (!any_) {
    any_ = true;
    first_ = highest_ = seq;
    set_new(seq);
    ++distinct_;
    return {verdict::in_order, seq, {}};
  }
  if (end_believed_ && seq >= *end_count_ && seq - *end_count_ >= end_continuation) {
    // Far past the END's count: the sender said it sent nothing there.
    ++jumps_;
    return {verdict::jump, seq, {}};
  }
  if (end_believed_ && seq > highest_) {
    // The stream goes on after its END: the END was not the live sender's
    // last word (a forged one; or one that overtook the last datagrams,
    // which mcast-send and MoldUDP64 repeat after them). Forget it.
    ++unconfirmed_ends_;
    end_count_.reset();
    end_believed_ = false;
    end_claim_.reset();
    return add(seq);
  }
  if (seq > highest_ && seq - highest_ > window) return add_far(seq);
  if (far_.count != 0 && far_.numbers[0] - highest_ > max_gap) {
    // A number of the current epoch while far numbers wait to start a new
    // one: the live sender goes on, so they were not its restart.
    far_.count = 0;
  }
  if (seq > highest_) return advance(seq);
  if (highest_ - seq >= window) {
    ++reordered_;  // too old to tell: counted as late, never as new
    ++too_late_;
    return {verdict::too_late, seq, {}};
  }
  if (test(seq)) {
    ++duplicates_;
    return {verdict::duplicate, seq, {}};
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

arrival sequence_tracker::add_far(std::uint64_t seq) noexcept {
  const std::size_t n = far_.count;
  // The run is still far ahead (the stream has not caught up with it).
  const bool run = n != 0 && far_.numbers[0] > highest_ + window;
  if (run) {
    for (std::size_t i = 0; i < n; ++i) {
      if (far_.numbers[i] == seq) {
        ++duplicates_;  // a copy of a waiting number (another line's): no second claim
        return {verdict::duplicate, seq, {}};
      }
    }
    const std::uint64_t last = far_.numbers[n - 1];
    if (seq > last && seq - last < window) {
      const std::uint64_t first = far_.numbers[0];
      // Nothing follows the END of a stream; and a jump is believed only
      // with a copy to go back to (no memory: it stays a jump).
      const bool believable = !end_believed_ && (first - highest_ <= max_gap || n + 1 >= epoch_proof);
      if (believable && !begin_probation()) {
        far_.numbers[0] = seq;
        far_.count = 1;
        ++jumps_;
        return {verdict::jump, seq, {}};
      }
      if (end_believed_) {
        // After the END: every far number is a claim of its own.
        far_.numbers[0] = seq;
        far_.count = 1;
        ++jumps_;
        return {verdict::jump, seq, {}};
      }
      if (first - highest_ <= max_gap) {
        // Followed: an outage. The waiting numbers and this one count now.
        far_.count = 0;
        jumps_ -= n;
        const arrival gap = advance(first);
        for (std::size_t i = 1; i < n; ++i) (void)add(far_.numbers[i]);
        (void)add(seq);
        probation_end_ = received() + window;
        return {verdict::confirmed, seq, gap.missing};
      }
      if (n + 1 < epoch_proof) {
        far_.numbers[n] = seq;
        ++far_.count;
        ++jumps_;
        return {verdict::jump, seq, {}};
      }
      // epoch_proof numbers in a row: the sender restarted its numbering.
      const auto numbers = far_.numbers;
      far_.count = 0;
      jumps_ -= n;
      (void)restart(numbers[0]);
      for (std::size_t i = 1; i < n; ++i) (void)add(numbers[i]);
      (void)add(seq);
      probation_end_ = received() + window;
      return {verdict::restart, seq, {}};
    }
  }
  // A run of its own (the numbers of a run given up stay in jumps()): the
  // next far number may follow it.
  far_.count = 1;
  far_.numbers[0] = seq;
  ++jumps_;
  return {verdict::jump, seq, {}};
}

bool sequence_tracker::believe(std::uint64_t last, std::optional<std::uint64_t>& previous, bool confirmed) noexcept {
  const bool repeated = confirmed || previous == last;
  previous = last;
  if (last <= highest_ || last - highest_ <= window) return true;
  if (repeated && last - highest_ <= max_gap) return true;
  ++unconfirmed_ends_;
  return false;
}

missing_range sequence_tracker::end(std::uint64_t count, bool confirmed) noexcept {
  if (before_jump_.copy && count > 0) (void)check_probation(count - 1);
  if (end_believed_ && *end_count_ != count) {
    // The stream's END was believed with another count: mcast-send and
    // MoldUDP64 repeat the same one, so this one is not the sender's.
    ++unconfirmed_ends_;
    return {};
  }
  if (any_ && count <= highest_) {
    // Numbers at or past the count arrived: a forged END (or another run's),
    // not this run's end.
    ++unconfirmed_ends_;
    return {};
  }
  if (any_ && count > 0 && !believe(count - 1, end_claim_, confirmed)) return {};
  end_count_ = count;
  end_believed_ = any_;  // an END before any number fixes nothing yet
  if (!any_ || highest_ == UINT64_MAX || count <= highest_ + 1) return {};
  return {highest_ + 1, count - highest_ - 1};
}

missing_range sequence_tracker::announce(std::uint64_t next) noexcept {
  if (before_jump_.copy && next > 0) (void)check_probation(next - 1);
  if (!any_ || highest_ == UINT64_MAX) return {};
  if (next > 0 && !believe(next - 1, announce_claim_)) return {};
  const std::uint64_t from = std::max(highest_ + 1, announced_);
  announced_ = std::max(announced_, next);
  if (next <= from) return {};
  return {from, next - from};
}

arrival sequence_tracker::restart(std::uint64_t seq) noexcept {
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
  arrival a = add(seq);
  a.kind = verdict::restart;
  return a;
}

void sequence_tracker::clear_epoch() noexcept {
  any_ = false;
  announced_ = 0;
  first_ = highest_ = 0;
  distinct_ = reordered_ = duplicates_ = too_late_ = gaps_ = expired_ = in_window_ = 0;
  end_count_.reset();
  end_believed_ = false;
  far_.count = 0;
  end_claim_.reset();
  announce_claim_.reset();
  seen_.fill(0);
}

void sequence_tracker::reset() noexcept {
  clear_epoch();
  before_jump_.copy.reset();
  probation_end_ = 0;
  jumps_ = restarts_ = unconfirmed_ends_ = retracted_ = 0;
  before_ = {};
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

std::uint64_t sequence_tracker::lost() const noexcept { return saturating_add(before_.lost, lost_in_epoch()); }

void rtp_sequence_tracker::init(std::uint16_t seq) noexcept {
  max_seq_ = seq;
  bad_seq_ = seq_mod + 1;
  cycles_ = 0;
}

arrival rtp_sequence_tracker::add(std::uint16_t seq) noexcept {
  if (!any_) {
    any_ = true;
    init(seq);
    return current_.add(seq);
  }
  const auto udelta = static_cast<std::uint16_t>(seq - max_seq_);
  if (udelta < max_dropout) {
    // In order, with a permissible gap; a smaller number means a wrap.
    if (seq < max_seq_) cycles_ += seq_mod;
    max_seq_ = seq;
    return current_.add(cycles_ + seq);
  }
  if (udelta <= seq_mod - max_misorder) {
    // A very large jump: believed only when the next datagram follows it.
    if (seq != bad_seq_) {
      bad_seq_ = (seq + 1u) & (seq_mod - 1);
      ++jumps_;
      return {verdict::jump, seq, {}};
    }
    init(seq);
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
