// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The mcnet authors
#include <mcnet/feed/histogram.hpp>

#include <algorithm>
#include <cmath>
#include <new>
#include <optional>

namespace mcnet::feed {

std::uint64_t histogram::lowest_of(std::size_t bucket) noexcept {
  if (bucket < sub_buckets) return bucket;
  const auto top = bucket / sub_buckets + 4;
  const auto step = bucket % sub_buckets;
  return (std::uint64_t{1} << top) | (static_cast<std::uint64_t>(step) << (top - 5));
}

namespace {

// The highest value of bucket `b` (lowest_of(b + 1) - 1): buckets from
// (64 - 4) * 32 on would start past bit 63.
std::uint64_t last_in(std::size_t b, std::uint64_t (*lowest)(std::size_t), std::size_t top_bucket) noexcept {
  return b + 1 < top_bucket ? lowest(b + 1) - 1 : UINT64_MAX;
}

}  // namespace

void histogram::add_negative(std::int64_t value) noexcept {
  if (!below_) below_.reset(new (std::nothrow) buckets{});
  if (!below_) {
    ++buckets_[0];
    ++unplaced_;
    return;
  }
  // The magnitude in unsigned arithmetic: -INT64_MIN does not fit in int64.
  const auto magnitude = std::uint64_t{0} - static_cast<std::uint64_t>(value);
  const std::size_t b = index_of(magnitude);
  ++(*below_)[b];
  if (keeping_) {
    if (!exact_below_) exact_below_.reset(new (std::nothrow) extremes{});
    note(exact_below_.get(), b, magnitude, (*below_)[b] == 1);
  }
}

void histogram::keep_extremes() noexcept {
  if (keeping_) return;
  exact_.reset(new (std::nothrow) extremes{});
  if (!exact_) return;
  const std::size_t top = (64 - 4) * sub_buckets;
  // The values so far: within [min_, max_] and their buckets.
  if (max_ >= 0) {
    const auto lo = static_cast<std::uint64_t>(std::max<std::int64_t>(min_, 0));
    const auto hi = static_cast<std::uint64_t>(max_);
    for (std::size_t b = 0; b < extreme_buckets; ++b) {
      if (buckets_[b] == 0) continue;
      const auto first = std::max(lowest_of(b), lo);
      const auto last = std::min(last_in(b, lowest_of, top), hi);
      exact_->low[b] = static_cast<std::uint32_t>(std::min(first, last) - lowest_of(b));
      exact_->high[b] = static_cast<std::uint32_t>(std::max(first, last) - lowest_of(b));
    }
  }
  if (below_ && min_ < 0) {
    exact_below_.reset(new (std::nothrow) extremes{});
    if (exact_below_) {
      // Magnitudes from that of the largest value below 0 to that of min_.
      const auto lo = max_ < 0 ? std::uint64_t{0} - static_cast<std::uint64_t>(max_) : 1;
      const auto hi = std::uint64_t{0} - static_cast<std::uint64_t>(min_);
      for (std::size_t b = 0; b < extreme_buckets; ++b) {
        if ((*below_)[b] == 0) continue;
        const auto first = std::max(lowest_of(b), lo);
        const auto last = std::min(last_in(b, lowest_of, top), hi);
        exact_below_->low[b] = static_cast<std::uint32_t>(std::min(first, last) - lowest_of(b));
        exact_below_->high[b] = static_cast<std::uint32_t>(std::max(first, last) - lowest_of(b));
      }
    }
  }
  keeping_ = true;
}

void histogram::merge(const histogram& other) noexcept {
  if (other.count_ == 0) return;
  if (keeping_) {
    // Each of other's buckets as its extremes (or its part of other's range).
    const std::size_t top = (64 - 4) * sub_buckets;
    const auto take = [&](extremes* to, const buckets& mine, const buckets& theirs, const extremes* kept,
                          std::uint64_t lo, std::uint64_t hi) {
      for (std::size_t b = 0; b < extreme_buckets; ++b) {
        if (theirs[b] == 0) continue;
        const auto base = lowest_of(b);
        const auto first = kept != nullptr ? base + kept->low[b] : std::max(base, lo);
        const auto last = kept != nullptr ? base + kept->high[b] : std::min(last_in(b, lowest_of, top), hi);
        note(to, b, std::min(first, last), mine[b] == 0);
        note(to, b, std::max(first, last), false);
      }
    };
    if (other.max_ >= 0) {
      take(exact_.get(), buckets_, other.buckets_, other.exact_.get(),
           static_cast<std::uint64_t>(std::max<std::int64_t>(other.min_, 0)), static_cast<std::uint64_t>(other.max_));
    }
    if (other.below_ && other.min_ < 0) {
      if (!below_) below_.reset(new (std::nothrow) buckets{});
      if (!exact_below_) exact_below_.reset(new (std::nothrow) extremes{});
      if (below_ && exact_below_) {
        take(exact_below_.get(), *below_, *other.below_, other.exact_below_.get(),
             other.max_ < 0 ? std::uint64_t{0} - static_cast<std::uint64_t>(other.max_) : 1,
             std::uint64_t{0} - static_cast<std::uint64_t>(other.min_));
      }
    }
  }
  if (count_ == 0) {
    min_ = other.min_;
    max_ = other.max_;
  } else {
    min_ = std::min(min_, other.min_);
    max_ = std::max(max_, other.max_);
  }
  for (std::size_t b = 0; b < buckets_.size(); ++b) buckets_[b] += other.buckets_[b];
  if (other.below_) {
    if (!below_) below_.reset(new (std::nothrow) buckets{});
    if (below_) {
      for (std::size_t b = 0; b < below_->size(); ++b) (*below_)[b] += (*other.below_)[b];
    } else {
      std::uint64_t all = 0;
      for (const auto n : *other.below_) all += n;
      buckets_[0] += static_cast<std::uint32_t>(all);
      unplaced_ += all;
    }
  }
  count_ += other.count_;
  negative_ += other.negative_;
  unplaced_ += other.unplaced_;
}

histogram histogram::within(std::int64_t lo, std::int64_t hi) const {
  histogram out;
  if (count_ == 0 || lo > hi) return out;
  // Each bucket's values as [first, last] (its smallest and largest value
  // when keep_extremes() keeps them: `exact`); kept when that meets [lo, hi].
  std::optional<std::int64_t> low, high;
  bool low_exact = false, high_exact = false;
  const auto keep = [&](std::int64_t first, std::int64_t last, std::uint64_t n, bool exact) {
    if (n == 0 || last < lo || first > hi) return false;
    if (!low || first < *low) {
      low = first;
      low_exact = exact;
    }
    if (!high || last > *high) {
      high = last;
      high_exact = exact;
    }
    out.count_ += n;
    return true;
  };
  const auto last_of = [](std::size_t b) {
    return static_cast<std::int64_t>(std::min<std::uint64_t>(last_in(b, lowest_of, (64 - 4) * sub_buckets), INT64_MAX));
  };
  // A bucket's smallest and largest magnitude kept exactly, if they are.
  const auto kept_of = [](const extremes* e, std::size_t b) -> std::optional<std::pair<std::uint64_t, std::uint64_t>> {
    if (e == nullptr || b >= extreme_buckets) return std::nullopt;
    return std::pair{lowest_of(b) + e->low[b], lowest_of(b) + e->high[b]};
  };
  if (below_) {
    for (std::size_t b = 0; b < below_->size(); ++b) {
      const auto n = (*below_)[b];
      if (n == 0) continue;  // (the top buckets hold no value: lowest_of has no top bit past 63 for them)
      // Magnitudes [lowest_of(b), last_of(b)]: values [-last, -lowest].
      const auto m = keeping_ ? kept_of(exact_below_.get(), b) : std::nullopt;
      const auto first = m ? -static_cast<std::int64_t>(m->second) : -last_of(b);
      const auto last = m ? -static_cast<std::int64_t>(m->first)
                          : -static_cast<std::int64_t>(std::min<std::uint64_t>(lowest_of(b), INT64_MAX));
      if (!keep(first, last, n, m.has_value())) continue;
      if (!out.below_) out.below_.reset(new (std::nothrow) buckets{});
      if (!out.below_) {
        out.count_ -= n;  // no room: left out, as add() would leave them unplaced
        continue;
      }
      (*out.below_)[b] = n;
      out.negative_ += n;
    }
  }
  for (std::size_t b = 0; b < buckets_.size(); ++b) {
    const auto n = buckets_[b];
    if (n == 0) continue;
    const auto m = keeping_ ? kept_of(exact_.get(), b) : std::nullopt;
    const auto first = m ? static_cast<std::int64_t>(m->first)
                         : static_cast<std::int64_t>(std::min<std::uint64_t>(lowest_of(b), INT64_MAX));
    if (keep(first, m ? static_cast<std::int64_t>(m->second) : last_of(b), n, m.has_value())) out.buckets_[b] = n;
  }
  if (out.count_ == 0) return histogram();
  // Exact where the whole histogram's lie in the range, or where the kept
  // buckets' extremes are kept (values that were added, a straddling
  // bucket's just past the range included); else the buckets' ends
  // clamped to the range. Percentiles read within them.
  out.min_ = min_ >= lo && min_ <= hi ? min_ : low_exact ? *low : std::clamp(*low, lo, hi);
  out.max_ = max_ >= lo && max_ <= hi ? max_ : high_exact ? *high : std::clamp(*high, lo, hi);
  return out;
}

std::int64_t histogram::percentile(double q) const noexcept {
  if (count_ == 0) return 0;
  const auto rank = std::max<std::uint64_t>(
      static_cast<std::uint64_t>(std::ceil(std::clamp(q, 0.0, 1.0) * static_cast<double>(count_))), 1);
  std::uint64_t seen = 0;
  // The negative values first, the largest magnitude (the lowest value)
  // first; a bucket reads as its lowest value (its largest magnitude), as a
  // positive one does, so percentile(0) is min() on either side.
  if (below_) {
    for (std::size_t b = below_->size(); b-- > 0;) {
      seen += (*below_)[b];
      if (seen >= rank) {
        const auto magnitude = b + 1 < below_->size() ? lowest_of(b + 1) - 1 : UINT64_MAX;
        const std::int64_t v = magnitude > static_cast<std::uint64_t>(INT64_MAX)
                                   ? INT64_MIN
                                   : -static_cast<std::int64_t>(magnitude);
        return std::clamp(v, min_, max_);
      }
    }
  }
  for (std::size_t b = 0; b < buckets_.size(); ++b) {
    seen += buckets_[b];
    if (seen >= rank) {
      // Negative values that found no room below read as 0 here.
      const std::int64_t lo = b == 0 && unplaced_ > 0 ? std::max<std::int64_t>(min_, 0) : min_;
      const std::int64_t hi = std::max(max_, lo);
      return std::clamp(static_cast<std::int64_t>(lowest_of(b)), lo, hi);
    }
  }
  return max_;
}

}  // namespace mcnet::feed
