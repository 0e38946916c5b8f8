// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The mcnet authors
#include <mcnet/feed/mpegts.hpp>

#include <cstring>

#include <mcnet/feed/detail/codec_error.hpp>

namespace mcnet::feed::mpegts {
using feed::detail::codec_error;
namespace {

using detail::packet_codec;
using detail::pcr_size, detail::flag_discontinuity, detail::flag_random_access, detail::flag_es_priority,
    detail::flag_pcr, detail::flag_opcr;

// 13818-1 2.4.3.5: 33-bit base, 6 reserved bits, 9-bit extension.
clock_reference read_clock(const std::byte* p) noexcept {
  const std::uint64_t b = std::uint64_t{load_be<std::uint32_t>(p)} << 16 | load_be<std::uint16_t>(p + 4);
  return {b >> 15, static_cast<std::uint16_t>(b & 0x1ff)};
}

void write_clock(std::byte* p, const clock_reference& c) noexcept {
  const std::uint64_t b = c.base << 15 | 0x3full << 9 | c.extension;
  for (std::size_t i = 0; i < pcr_size; ++i) p[i] = static_cast<std::byte>(b >> (8 * (pcr_size - 1 - i)));
}

}  // namespace

std::optional<clock_reference> packet_view::pcr() const noexcept {
  if ((flags() & flag_pcr) == 0) return std::nullopt;
  return read_clock(bytes_.data() + header_size + 2);
}

std::optional<clock_reference> packet_view::opcr() const noexcept {
  if ((flags() & flag_opcr) == 0) return std::nullopt;
  return read_clock(bytes_.data() + header_size + 2 + ((flags() & flag_pcr) != 0 ? pcr_size : 0));
}

result<datagram_view> datagram_view::parse(std::span<const std::byte> datagram) noexcept {
  if (datagram.empty()) {
    return codec_error("mpegts datagram", "length", 0, "an empty datagram holds no 188-byte packet");
  }
  if (datagram.size() % packet_size != 0) {
    return codec_error("mpegts datagram", "length", datagram.size(),
                       "{number} bytes is not a whole number of 188-byte packets");
  }
  datagram_view v;
  v.bytes_ = datagram;
  return v;
}

pid_counts continuity_checker::totals() const noexcept {
  pid_counts t;
  for (const auto& c : counts_) {
    t.packets += c.packets;
    t.cc_errors += c.cc_errors;
    t.duplicates += c.duplicates;
    t.discontinuities += c.discontinuities;
  }
  return t;
}

void continuity_checker::reset() noexcept {
  counts_.fill({});
  state_.fill(0);
  head_.fill(0);
  skipped_.fill(0);
  recent_.fill(0);
  recent_next_ = 0;
  copy_ = false;
  missing_ = 0;
  repeats_ = 0;
}

bool continuity_checker::begin_datagram(std::span<const std::byte> datagram) noexcept {
  // FNV-1a over the size and each packet's first 12 bytes: the header, the
  // adaptation field's length and flags, a PCR. A fingerprint of 0 is
  // made 1 so that an empty slot never matches.
  std::uint64_t f = 0xcbf29ce484222325ull;
  const auto mix = [&f](std::uint64_t v) noexcept {
    f ^= v;
    f *= 0x100000001b3ull;
  };
  mix(datagram.size());
  for (std::size_t at = 0; at + packet_size <= datagram.size(); at += packet_size) {
    for (std::size_t i = 0; i < 12; ++i) mix(std::to_integer<std::uint64_t>(datagram[at + i]));
  }
  if (f == 0) f = 1;
  copy_ = false;
  for (const auto r : recent_) {
    if (r == f) copy_ = true;
  }
  if (!copy_) {
    recent_[recent_next_] = f;
    recent_next_ = (recent_next_ + 1) % recent_.size();
  }
  return copy_;
}

result<std::size_t> build_packet(std::span<std::byte> out, const packet_fields& f,
                                 std::span<const std::byte> payload) noexcept {
  if (out.size() < packet_size) return codec_error(packet_codec, "buffer", out.size(), "a packet needs 188 bytes");
  if (f.pid > 0x1fff) return codec_error(packet_codec, "PID", f.pid, "13 bits: 0 to 8191");
  if (f.scrambling > 3) return codec_error(packet_codec, "scrambling", f.scrambling, "2 bits: 0 to 3");
  if (f.continuity_counter > 15) {
    return codec_error(packet_codec, "continuity counter", f.continuity_counter, "4 bits: 0 to 15");
  }
  if (f.pcr && (f.pcr->base >> 33 != 0 || f.pcr->extension > 0x1ff)) {
    return codec_error(packet_codec, "PCR", f.pcr->base, "a 33-bit base and a 9-bit extension");
  }
  const bool af_content = f.discontinuity || f.random_access || f.es_priority || f.pcr.has_value();
  // The adaptation field's least: its length byte, the flags, the PCR.
  const std::size_t af_least = af_content ? 2 + (f.pcr ? pcr_size : 0) : 0;
  const std::size_t body = packet_size - header_size;
  if (payload.size() > body - af_least) {
    return codec_error(packet_codec, "payload", body - af_least, "room for {number} bytes of payload only");
  }
  const std::size_t af_total = body - payload.size();  // 0: no adaptation field
  const unsigned afc = payload.empty() ? 2u : af_total != 0 ? 3u : 1u;
  std::byte* p = out.data();
  p[0] = std::byte{sync_byte};
  store_be<std::uint16_t>(p + 1, static_cast<std::uint16_t>((f.transport_error ? 0x8000u : 0u) |
                                                             (f.payload_unit_start ? 0x4000u : 0u) |
                                                             (f.priority ? 0x2000u : 0u) | f.pid));
  p[3] = static_cast<std::byte>(static_cast<unsigned>(f.scrambling) << 6 | afc << 4 | f.continuity_counter);
  if (af_total != 0) {
    std::byte* af = p + header_size;
    af[0] = static_cast<std::byte>(af_total - 1);
    if (af_total > 1) {
      af[1] = static_cast<std::byte>((f.discontinuity ? flag_discontinuity : 0u) |
                                     (f.random_access ? flag_random_access : 0u) |
                                     (f.es_priority ? flag_es_priority : 0u) | (f.pcr ? flag_pcr : 0u));
      std::size_t at = 2;
      if (f.pcr) {
        write_clock(af + at, *f.pcr);
        at += pcr_size;
      }
      std::memset(af + at, 0xff, af_total - at);
    }
  }
  if (!payload.empty()) std::memcpy(p + header_size + af_total, payload.data(), payload.size());
  return packet_size;
}

result<void> datagram_builder::append(const packet_fields& fields, std::span<const std::byte> payload,
                                      continuity_counters& counters) noexcept {
  auto f = fields;
  f.continuity_counter = counters.peek(fields.pid);
  auto written = build_packet(out_.subspan(size_), f, payload);
  if (!written) return fail(written.error());
  if (!payload.empty()) counters.take(fields.pid);
  size_ += packet_size;
  return {};
}

}  // namespace mcnet::feed::mpegts
