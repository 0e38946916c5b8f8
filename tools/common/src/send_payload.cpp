// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The mcnet authors
#include <mcnet/tools/send_payload.hpp>

#include <algorithm>
#include <array>
#include <cstring>

#include <mcnet/feed/big_endian.hpp>
#include <mcnet/feed/rtp.hpp>

namespace mcnet::tools {

namespace {

// A transport packet's payload: no PES or section starts in it, so a
// demultiplexer (tshark's mp2t) treats the PID as data and only the header
// and continuity counter mean anything.
constexpr std::array<std::byte, feed::mpegts::packet_size - feed::mpegts::header_size> ts_filler = [] {
  std::array<std::byte, feed::mpegts::packet_size - feed::mpegts::header_size> a{};
  a.fill(std::byte{0xff});
  return a;
}();

}  // namespace


feed_stream::feed_stream(const payload_settings& p, std::size_t size, const rtp_start& rtp)
    : p_(p), size_(size), rtp_(rtp), clock_hz_(rtp_clock_hz(p.rtp_pt).value_or(90000)),
      message_(p.message_size),
      rtp_payload_(p.kind == payload_kind::rtp ? size - feed::rtp::fixed_header_size : 0), last_(size), held_(size),
      scratch_(size) {
  if (p_.carries_mpegts()) counters_ = std::make_unique<feed::mpegts::continuity_counters>();
}

std::size_t feed_stream::build_mpegts(std::span<std::byte> out) {
  feed::mpegts::datagram_builder b(out.first(mpegts_datagram_size));
  while (!b.full()) {
    const auto pid = static_cast<std::uint16_t>(first_pid + next_packet_++ % p_.pids);
    // Cannot fail: the PID is 13 bits, the payload fills the packet exactly.
    (void)b.append({.pid = pid}, ts_filler, *counters_);
  }
  return b.bytes().size();
}

void feed_stream::build_next(std::span<std::byte> out, std::uint64_t now_ns) {
  const std::uint64_t index = built_++;
  switch (p_.kind) {
    case payload_kind::moldudp64: {
      const std::uint64_t first = 1 + index * p_.messages;
      // Sizes were checked against the datagram (send_options): nothing here fails.
      auto b = feed::moldudp64::packet_builder::start(out, p_.session, first).value();
      for (std::size_t m = 0; m < p_.messages; ++m) {
        // The message starts with its own sequence number (as many bytes of
        // it as fit), so a capture shows which message is which.
        std::array<std::byte, 8> seq{};
        feed::store_be<std::uint64_t>(seq.data(), first + m);
        std::fill(message_.begin(), message_.end(), std::byte{0});
        std::memcpy(message_.data(), seq.data(), std::min(seq.size(), message_.size()));
        (void)b.append(message_);
      }
      return;
    }
    case payload_kind::rtp: {
      if (!started_ns_) started_ns_ = now_ns;
      // Media time since datagram 0 at the payload type's clock, in 64 bits:
      // whole seconds and the rest apart (1e9 x 90000 fits easily).
      const std::uint64_t elapsed = now_ns - *started_ns_;
      const std::uint64_t ticks =
          elapsed / 1'000'000'000u * clock_hz_ + elapsed % 1'000'000'000u * clock_hz_ / 1'000'000'000u;
      const feed::rtp::header_fields h{.payload_type = p_.rtp_pt,
                                       .sequence = static_cast<std::uint16_t>(rtp_.sequence + index),
                                       .timestamp = static_cast<std::uint32_t>(rtp_.timestamp + ticks),
                                       .ssrc = rtp_.ssrc};
      // Zeros, or 7 transport packets for payload type 33 (RFC 2250).
      if (p_.carries_mpegts()) (void)build_mpegts(rtp_payload_);
      (void)feed::rtp::build(out, h, rtp_payload_);
      return;
    }
    case payload_kind::mpegts:
      (void)build_mpegts(out);
      return;
    case payload_kind::mcnet:
    case payload_kind::raw:  // refused by send_options: mcast-send writes the MCN1 header then
      return;
  }
}

std::size_t feed_stream::write(std::uint64_t index, const send_order& order, std::span<std::byte> out,
                               std::uint64_t now_ns) {
  out = out.first(size_);
  if (last_index_ == index) {  // the second copy of a duplicate
    std::copy(last_.begin(), last_.end(), out.begin());
    return size_;
  }
  if (held_index_ == index) {  // the late one of a reordered pair
    std::copy(held_.begin(), held_.end(), out.begin());
    held_index_.reset();
  } else {
    // Datagrams before `index` not yet built are dropped or sent later:
    // built now all the same, in their turn.
    while (built_ < index) {
      const auto skipped = built_;
      if (order.dropped(skipped) || held_index_) {
        build_next(scratch_, now_ns);
      } else {
        build_next(held_, now_ns);
        held_index_ = skipped;
      }
    }
    build_next(out, now_ns);
  }
  std::copy(out.begin(), out.end(), last_.begin());
  last_index_ = index;
  return size_;
}

std::size_t feed_stream::write_end(std::uint64_t issued, std::span<std::byte> out) const noexcept {
  if (p_.kind != payload_kind::moldudp64) return 0;
  return feed::moldudp64::build_end_of_session(out, p_.session, 1 + issued * p_.messages).value_or(0);
}

std::optional<std::uint64_t> feed_stream::first_sequence() const noexcept {
  switch (p_.kind) {
    case payload_kind::moldudp64: return 1;
    case payload_kind::rtp: return rtp_.sequence;
    default: return std::nullopt;
  }
}

std::optional<std::uint64_t> feed_stream::next_sequence(std::uint64_t issued) const noexcept {
  switch (p_.kind) {
    case payload_kind::moldudp64: return 1 + issued * p_.messages;
    case payload_kind::rtp: return static_cast<std::uint16_t>(rtp_.sequence + issued);
    default: return std::nullopt;
  }
}

std::vector<std::uint8_t> feed_stream::next_continuity(std::uint64_t issued) {
  std::vector<std::uint8_t> out;
  if (!counters_) return out;
  // Datagrams the order passed but never asked for (dropped at the tail):
  // their packets advance the counters all the same.
  for (; built_ < issued; ++built_) (void)build_mpegts(scratch_);
  for (std::size_t i = 0; i < p_.pids; ++i) out.push_back(counters_->peek(static_cast<std::uint16_t>(first_pid + i)));
  return out;
}

}  // namespace mcnet::tools
