// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The mcnet authors
#include <mcnet/feed/arbiter.hpp>

#include <algorithm>
#include <new>
#include <system_error>

namespace mcnet::feed {

result<arbiter> arbiter::make(std::size_t lines) noexcept {
  if (lines == 0 || lines > max_lines) {
    return fail(error(std::make_error_code(std::errc::invalid_argument), "make", "arbiter")
                    .with_number(static_cast<std::int64_t>(std::min<std::size_t>(lines, INT64_MAX)))
                    .with_hint("an arbiter takes 1 to 4 lines (arbiter::max_lines)"));
  }
  std::unique_ptr<std::int64_t[]> times(new (std::nothrow) std::int64_t[window]());
  std::unique_ptr<std::uint8_t[]> first_line(new (std::nothrow) std::uint8_t[window]());
  if (!times || !first_line) {
    return fail(error(std::make_error_code(std::errc::not_enough_memory), "make", "arbiter")
                    .with_hint("the first arrivals of the window take 576 KiB"));
  }
  return arbiter(lines, std::move(times), std::move(first_line));
}

missing_range arbiter::end(std::uint64_t count, bool confirmed) noexcept {
  for (std::size_t i = 0; i < lines_; ++i) {
    if (line_[i].sequence.started()) line_[i].sequence.end(count, confirmed);
  }
  return merged_.end(count, confirmed);
}

void arbiter::settle() noexcept {
  merged_.settle();
  for (std::size_t i = 0; i < lines_; ++i) line_[i].sequence.settle();
}

const arbiter::line_stats& arbiter::line(std::size_t line) const noexcept {
  return line_[std::min(line, lines_ - 1)];
}

std::uint64_t arbiter::line_missed(std::size_t line) const noexcept {
  if (line >= lines_) return 0;
  const std::uint64_t feed_numbers = saturating_add(merged_.received(), merged_.lost());
  const std::uint64_t carried = line_[line].sequence.received();
  return feed_numbers > carried ? feed_numbers - carried : 0;
}

double arbiter::first_arrival_share(std::size_t line) const noexcept {
  const std::uint64_t all = delivered() + jumps();
  if (all == 0 || line >= lines_) return 0.0;
  return static_cast<double>(line_[line].first_arrivals) / static_cast<double>(all);
}

std::uint64_t arbiter::lost() const noexcept {
  if (merged_.ended()) return std::max(merged_.lost(), merged_.expired());
  return merged_.expired();
}

std::uint64_t arbiter::pending() const noexcept {
  if (merged_.ended()) return 0;
  const std::uint64_t missing = merged_.lost();
  return missing > merged_.expired() ? missing - merged_.expired() : 0;
}

}  // namespace mcnet::feed
