// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The mcnet authors
#include <mcnet/tools/send_plan.hpp>

#include <algorithm>
#include <cctype>
#include <charconv>
#include <cmath>
#include <cstdlib>
#include <numeric>
#include <string>
#include <system_error>

#include <mcnet/core/dscp.hpp>
#include <mcnet/feed/saturating.hpp>

namespace mcnet::tools {

result<send_order> send_order::make(std::uint64_t count, const faults& f) noexcept {
  if (count == 0) return fail(error(errc::value_out_of_range, "plan", "count").with_hint("at least one datagram"));
  for (auto k : {f.drop_every, f.dup_every, f.reorder_every}) {
    if (k == 1) {
      return fail(error(errc::value_out_of_range, "plan", "fault").with_number(1).with_hint("K is 0 (off) or at least 2"));
    }
  }
  return send_order(count, f);
}

bool send_order::dropped(std::uint64_t seq) const noexcept {
  return f_.drop_every != 0 && (seq + 1) % f_.drop_every == 0;
}

bool send_order::duplicated(std::uint64_t seq) const noexcept {
  return f_.dup_every != 0 && (seq + 1) % f_.dup_every == 0;
}

std::uint64_t send_order::at(std::uint64_t p) const noexcept {
  // Reorder swaps positions m*K-1 and m*K (m >= 1, m*K < count).
  const auto k = f_.reorder_every;
  if (k != 0) {
    if ((p + 1) % k == 0 && p + 1 < count_) return p + 1;
    if (p != 0 && p % k == 0) return p - 1;
  }
  return p;
}

std::optional<std::uint64_t> send_order::next_before(std::uint64_t limit) noexcept {
  if (held_) {  // the second copy of a duplicated number
    const auto seq = *held_;
    held_.reset();
    return seq;
  }
  while (position_ < count_ && position_ < limit) {
    const auto seq = at(position_++);
    if (dropped(seq)) continue;
    if (duplicated(seq)) held_ = seq;
    return seq;
  }
  return std::nullopt;
}

std::uint64_t send_order::datagrams() const noexcept {
  // Counted, not walked: -c may be 2^63 - 1, and this count is what the
  // summary of a run a signal cut short says it was asked for (walking it
  // kept a SIGINT from ending the run: trial h16r 2). Of the numbers 0 to
  // count - 1, count / K are m*K - 1; a number both dropped and duplicated
  // is not sent at all, so the duplicates are those of K_dup's multiples
  // less the common multiples of both Ks.
  const auto multiples = [this](std::uint64_t k) { return k == 0 ? 0 : count_ / k; };
  std::uint64_t twice = multiples(f_.dup_every);
  if (f_.drop_every != 0 && f_.dup_every != 0) {
    std::uint64_t common = 0;  // the least common multiple, when it is a number at all
    if (!__builtin_mul_overflow(f_.drop_every / std::gcd(f_.drop_every, f_.dup_every), f_.dup_every, &common)) {
      twice -= count_ / common;
    }
  }
  return feed::saturating_add(count_ - multiples(f_.drop_every), twice);
}

double rate::packets_per_second(std::size_t payload_bytes) const noexcept {
  if (what == unit::packets) return per_second;
  return per_second / (8.0 * static_cast<double>(std::max<std::size_t>(payload_bytes, 1)));
}

result<rate> parse_rate(std::string_view text) {
  // Text that is not a rate is an invalid argument (EINVAL); a rate past
  // what any link carries is out of range.
  auto bad = [&](std::string_view hint, bool range = false) {
    const std::error_code code =
        range ? mcnet::make_error_code(errc::value_out_of_range) : std::make_error_code(std::errc::invalid_argument);
    return fail(error(code, "parse", "rate").with_input(text).with_hint(hint));
  };
  constexpr std::string_view forms =
      "a rate is a positive decimal number (an exponent may follow: 1e3), an optional k, M or G (10^3, 10^6, 10^9) and a unit: pps (datagrams), "
      "bps, b/s or bit/s (payload bits), Bps or B/s (payload bytes) per second; like 10000pps, 5Mbps, 5MBps";
  // The unit, matched exactly: 'b' is bits and 'B' bytes, so a unit whose
  // case hides which (BPS) is refused rather than guessed.
  struct unit_form {
    std::string_view suffix;
    rate::unit what;
    double factor;  // to datagrams or bits
  };
  constexpr unit_form units[] = {
      {"pps", rate::unit::packets, 1}, {"PPS", rate::unit::packets, 1}, {"bit/s", rate::unit::bits, 1},
      {"bps", rate::unit::bits, 1},    {"b/s", rate::unit::bits, 1},     {"Bps", rate::unit::bits, 8},
      {"B/s", rate::unit::bits, 8},
  };
  std::string_view number = text;
  const unit_form* u = nullptr;
  for (const auto& f : units) {
    if (number.ends_with(f.suffix)) {
      u = &f;
      break;
    }
  }
  if (u == nullptr) {
    std::string lower(text);
    std::transform(lower.begin(), lower.end(), lower.begin(),
                   [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    if (lower.ends_with("bps") || lower.ends_with("b/s")) {
      return bad("bits or bytes? bps (b/s, bit/s) is bits, Bps (B/s) bytes per second, with an optional k, M or G "
                 "before it: 5Mbps, 5MBps");
    }
    return bad(forms);
  }
  number.remove_suffix(u->suffix.size());
  double scale = 1;
  if (!number.empty()) {
    switch (number.back()) {
      case 'k': case 'K': scale = 1e3; number.remove_suffix(1); break;
      case 'm': case 'M': scale = 1e6; number.remove_suffix(1); break;
      case 'g': case 'G': scale = 1e9; number.remove_suffix(1); break;
      default: break;
    }
  }
  // A decimal number: digits with at most one '.' (".5", "5.", "5.5"; a
  // digit on one side at least), then an optional exponent ("e3", "E-2"):
  // from_chars alone would take "inf", "nan" and hexadecimal-looking words,
  // and the other number options (lexical_cast) take ".5" (trial t16s 5).
  const auto digits_at = [&number](std::size_t i) {
    const auto end = number.find_first_not_of("0123456789", i);
    return (end == std::string_view::npos ? number.size() : end) - i;
  };
  std::size_t at = digits_at(0);
  std::size_t mantissa = at;
  if (at < number.size() && number[at] == '.') {
    const auto fraction = digits_at(at + 1);
    mantissa += fraction;
    at += 1 + fraction;
  }
  if (mantissa > 0 && at < number.size() && (number[at] == 'e' || number[at] == 'E')) {
    std::size_t e = at + 1;
    if (e < number.size() && (number[e] == '+' || number[e] == '-')) ++e;
    const auto exponent = digits_at(e);
    at = exponent > 0 ? e + exponent : number.size() + 1;
  }
  const bool plain = mantissa > 0 && at == number.size();
  constexpr std::string_view too_fast = "at most 1000000000pps (1Gpps), 1000Gbps or 125GBps";
  constexpr std::string_view too_slow =
      "at least 0.001pps (a datagram every 1000 s), 1bps or 0.125Bps";
  double v = 0;
  auto [p, ec] = std::from_chars(number.data(), number.data() + number.size(), v);
  if (plain && ec == std::errc::result_out_of_range && p == number.data() + number.size()) {
    // A number in the right form past what a double holds: which end says strtod.
    return bad(std::strtod(std::string(number).c_str(), nullptr) > 1 ? too_fast : too_slow, /*range=*/true);
  }
  if (!plain || ec != std::errc() || p != number.data() + number.size() || !(v > 0) || !std::isfinite(v)) {
    return bad(forms);
  }
  rate r;
  r.what = u->what;
  r.per_second = v * scale * u->factor;
  // Beyond any NIC (1e9 pps, 1 Tbit/s): also keeps elapsed x rate far from overflow.
  if (!std::isfinite(r.per_second) || r.per_second > (r.what == rate::unit::packets ? 1e9 : 1e12)) {
    return bad(too_fast, /*range=*/true);
  }
  // Below a datagram in 1000 s (or a bit a second) the pacing interval
  // stops meaning anything (1e-300pps: a datagram every 10^300 s).
  if (r.per_second < (r.what == rate::unit::packets ? rate::min_packets_per_second : rate::min_bits_per_second)) {
    return bad(too_slow, /*range=*/true);
  }
  return r;
}

result<int> parse_tos(std::string_view text) {
  // The names docs/tools.md lists for --tos: core's, `le` (RFC 8622) among
  // them, since both tools print 0x04 as `(le)`.
  if (auto d = core::dscp_by_name(text)) return core::tos_from_dscp(*d);
  std::string lower(text);
  std::transform(lower.begin(), lower.end(), lower.begin(), [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  int base = 10;
  std::string_view digits = lower;
  if (digits.starts_with("0x")) {
    base = 16;
    digits.remove_prefix(2);
  }
  int v = -1;
  // from_chars takes a '-' sign: "-0" was TOS 0 while the number options
  // refused it (trial16e 6). A TOS byte has no sign.
  if (digits.starts_with('-')) {
    return fail(error(errc::value_out_of_range, "parse", "tos")
                    .with_input(text)
                    .with_hint("a TOS byte is 0 to 255 (or 0x00 to 0xff) without a sign, or a DSCP name: cs0..cs7, "
                               "af11..af43, ef, va, le"));
  }
  auto [p, ec] = std::from_chars(digits.data(), digits.data() + digits.size(), v, base);
  // Said for what it is (trial20o L8: "ef1" and "0x" read "value out of
  // range"): a word is an unknown name, digits that do not parse no number.
  if (base == 10 && !digits.empty() && std::isalpha(static_cast<unsigned char>(digits.front())) != 0) {
    return fail(error(errc::value_out_of_range, "parse", "tos")
                    .with_input(text)
                    .with_hint("unknown DSCP name: the names are cs0..cs7, af11..af43, ef, va, le; or a TOS byte 0 to "
                               "255 (0x00 to 0xff)"));
  }
  if (digits.empty() || ec == std::errc::invalid_argument || p != digits.data() + digits.size()) {
    return fail(error(errc::value_out_of_range, "parse", "tos")
                    .with_input(text)
                    .with_hint("not a number: a TOS byte is 0 to 255 (or 0x00 to 0xff), or a DSCP name: cs0..cs7, "
                               "af11..af43, ef, va, le"));
  }
  if (ec != std::errc() || v < 0 || v > 255) {
    return fail(error(errc::value_out_of_range, "parse", "tos")
                    .with_input(text)
                    .with_hint("out of range: a TOS byte is 0 to 255 (or 0x00 to 0xff), or a DSCP name: cs0..cs7, "
                               "af11..af43, ef, va, le"));
  }
  return v;
}

}  // namespace mcnet::tools
