// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The mcnet authors
#include <mcnet/feed/jitter.hpp>

#include <cmath>
#include <cstdlib>

#include <mcnet/feed/saturating.hpp>

namespace mcnet::feed {
namespace {

// RFC 3550 A.8: J += (|D| - J) / 16 (a division by 16 is exact, as is A.8's
// multiplication by 1./16.).
double smooth(double j, double d) noexcept { return j + (std::abs(d) - j) / 16.0; }

}  // namespace

void jitter::add(std::int64_t send_ns, std::int64_t arrival_ns) noexcept {
  add_transit(saturating_sub(arrival_ns, send_ns));
}

void jitter::add_transit(std::int64_t transit) noexcept {
  if (any_) j_ = smooth(j_, static_cast<double>(transit) - static_cast<double>(last_transit_));
  last_transit_ = transit;
  any_ = true;
}

void jitter::add(std::int64_t send_ns, std::int64_t arrival_ns, std::int64_t step_ns) noexcept {
  const std::int64_t transit = saturating_sub(arrival_ns, send_ns);
  const std::int64_t d = saturating_sub(transit, last_transit_);
  if (any_ && (d > step_ns || d < -step_ns)) {
    last_transit_ = transit;
    ++steps_;
    return;
  }
  add_transit(transit);
}

std::uint32_t rtp_jitter::to_units(std::int64_t arrival_ns) const noexcept {
  // Whole seconds and the rest apart, so that nothing overflows; only the
  // value modulo 2^32 matters, and unsigned products wrap consistently.
  constexpr std::int64_t ns_per_s = 1'000'000'000;
  std::int64_t seconds = arrival_ns / ns_per_s;
  std::int64_t rest = arrival_ns % ns_per_s;
  if (rest < 0) {  // round down before the epoch too
    rest += ns_per_s;
    --seconds;
  }
  const std::uint64_t whole = static_cast<std::uint64_t>(seconds) * rate_;
  const std::uint64_t part = static_cast<std::uint64_t>(rest) * rate_ / static_cast<std::uint64_t>(ns_per_s);
  return static_cast<std::uint32_t>(whole + part);
}

void rtp_jitter::add_units(std::uint32_t rtp_timestamp, std::uint32_t arrival_units) noexcept {
  const std::uint32_t transit = arrival_units - rtp_timestamp;
  if (any_) {
    // A.8's `int d = transit - s->transit`: the difference modulo 2^32, signed.
    const auto d = static_cast<std::int32_t>(transit - last_transit_);
    j_ = smooth(j_, static_cast<double>(d));
  }
  last_transit_ = transit;
  any_ = true;
}

}  // namespace mcnet::feed
