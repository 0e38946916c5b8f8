// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The mcnet authors
#include <mcnet/feed/jitter.hpp>

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <cstdlib>
#include <optional>

#include <mcnet/feed/saturating.hpp>

namespace mcnet::feed {
namespace {

// RFC 3550 A.8: J += (|D| - J) / 16 (a division by 16 is exact, as is A.8's
// multiplication by 1./16.).
double smooth(double j, double d) noexcept { return j + (std::abs(d) - j) / 16.0; }

// The difference of two transit times: saturating in ns; modulo 2^32,
// signed, in RTP units (A.8's `int d = transit - s->transit`).
std::int64_t difference(std::int64_t a, std::int64_t b) noexcept { return saturating_sub(a, b); }
std::int64_t difference(std::uint32_t a, std::uint32_t b) noexcept { return static_cast<std::int32_t>(a - b); }

bool within(std::int64_t d, std::int64_t bound) noexcept { return d <= bound && d >= -bound; }

// The difference transit time `x` moves J by, past steps of more than
// `bound` (jitter.hpp's file comment); none for the first transit time and
// for a step. `plausible`: the receiver's clock finds `x` plausible.
template <class T>
std::optional<std::int64_t> judge(detail::transit_steps<T>& s, T x, bool plausible, std::int64_t bound) noexcept {
  const auto become_reference = [&s, x, plausible] {
    s.reference = x;
    s.reference_plausible = plausible;
    s.pending = false;
  };
  // The receiver's clock is preferred only while the plausible transit
  // times are at least as many as the others so far (trial h20x F6: one
  // plausible send time made the 100 after it steps, never compared).
  ++(plausible ? s.plausible : s.implausible);
  const bool clock_decides = s.plausible >= s.implausible;
  if (!s.any) {
    s.any = true;
    become_reference();
    return std::nullopt;
  }
  const auto take = [&](std::int64_t d) {
    become_reference();
    ++s.compared;
    return d;
  };
  if (const auto d = difference(x, s.reference); within(d, bound)) return take(d);
  // The step before stays (the transit changed for good): from there on,
  // unless it leaves a plausible transit time for one that is not.
  if (s.pending && !(s.reference_plausible && !plausible && clock_decides)) {
    if (const auto d = difference(x, s.candidate); within(d, bound)) return take(d);
  }
  ++s.steps;
  if (plausible && !s.reference_plausible && clock_decides) {
    become_reference();  // the receiver's clock prefers it at once
  } else {
    s.pending = true;
    s.candidate = x;
  }
  return std::nullopt;
}

}  // namespace

void jitter::add(std::int64_t send_ns, std::int64_t arrival_ns) noexcept {
  const std::int64_t transit = saturating_sub(arrival_ns, send_ns);
  if (steps_.any) {
    j_ = smooth(j_, static_cast<double>(transit) - static_cast<double>(steps_.reference));
    ++steps_.compared;
  }
  steps_.any = true;
  steps_.reference = transit;
  steps_.pending = false;
}

void jitter::add(std::int64_t send_ns, std::int64_t arrival_ns, std::int64_t step_ns) noexcept {
  const std::int64_t transit = saturating_sub(arrival_ns, send_ns);
  if (const auto d = judge(steps_, transit, within(transit, step_ns), step_ns)) j_ = smooth(j_, static_cast<double>(*d));
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
  if (steps_.any) {
    j_ = smooth(j_, static_cast<double>(difference(transit, steps_.reference)));
    ++steps_.compared;
  }
  steps_.any = true;
  steps_.reference = transit;
  steps_.pending = false;
}

void rtp_jitter::add(std::uint32_t rtp_timestamp, std::int64_t arrival_ns, std::int64_t step_ns) noexcept {
  // The bound in timestamp units; a difference modulo 2^32 is at most 2^31 - 1 either way.
  const double units = std::max(0.0, static_cast<double>(step_ns)) * static_cast<double>(rate_) / 1e9;
  const auto bound = static_cast<std::int64_t>(std::min(units, static_cast<double>(INT32_MAX)));
  const std::uint32_t transit = to_units(arrival_ns) - rtp_timestamp;
  if (const auto d = judge(steps_, transit, false, bound)) j_ = smooth(j_, static_cast<double>(*d));
}

}  // namespace mcnet::feed
