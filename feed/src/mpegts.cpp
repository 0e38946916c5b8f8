// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The mcnet authors
#include <mcnet/feed/mpegts.hpp>

#include <cstring>

#include "codec_error.hpp"

namespace mcnet::feed::mpegts {
namespace {

constexpr std::string_view packet_codec = "mpegts packet";
constexpr std::size_t pcr_size = 6;
constexpr unsigned flag_discontinuity = 0x80, flag_random_access = 0x40, flag_es_priority = 0x20, flag_pcr = 0x10,
                   flag_opcr = 0x08;

// 13818-1 2.4.3.5: 33-bit base, 6 reserved bits, 9-bit extension.
clock_reference read_clock(const std::byte* p) noexcept {
  const std::uint64_t b = load_be<std::uint64_t>(p) >> 16;  // the 48 bits
  return {b >> 15, static_cast<std::uint16_t>(b & 0x1ff)};
}

void write_clock(std::byte* p, const clock_reference& c) noexcept {
  const std::uint64_t b = c.base << 15 | 0x3full << 9 | c.extension;
  for (std::size_t i = 0; i < pcr_size; ++i) p[i] = static_cast<std::byte>(b >> (8 * (pcr_size - 1 - i)));
}

// Continuity state bits (continuity_checker::state_).
constexpr std::uint8_t state_counter = 0x0f, state_seen = 0x10, state_duplicate = 0x20;

}  // namespace

result<packet_view> packet_view::parse(std::span<const std::byte> packet) noexcept {
  if (packet.size() != packet_size) return codec_error(packet_codec, "length", packet.size(), "a packet has 188 bytes");
  const std::byte* p = packet.data();
  if (std::to_integer<std::uint8_t>(p[0]) != sync_byte) {
    return codec_error(packet_codec, "sync byte", std::to_integer<std::uint8_t>(p[0]), "no sync byte 0x47: sync lost");
  }
  packet_view v;
  v.bytes_ = packet;
  const auto afc = v.control();
  if (afc == adaptation_control::reserved) {
    return codec_error(packet_codec, "adaptation field control", 0, "'00' is reserved: the packet is discarded");
  }
  if (v.has_adaptation_field()) {
    const std::size_t length = std::to_integer<std::size_t>(p[header_size]);
    if (afc == adaptation_control::adaptation_only && length != 183) {
      return codec_error(packet_codec, "adaptation field length", length, "183 in a packet without payload");
    }
    if (afc == adaptation_control::adaptation_and_payload && length > 182) {
      return codec_error(packet_codec, "adaptation field length", length, "0 to 182 in a packet with payload");
    }
    v.adaptation_length_ = length;
    if (length != 0) {
      const unsigned flags = std::to_integer<unsigned>(p[header_size + 1]);
      std::size_t need = 1;
      if ((flags & flag_pcr) != 0 && length < (need += pcr_size)) {
        return codec_error(packet_codec, "PCR", length, "the PCR runs past the adaptation field of {number} bytes");
      }
      if ((flags & flag_opcr) != 0 && length < (need += pcr_size)) {
        return codec_error(packet_codec, "OPCR", length, "the OPCR runs past the adaptation field of {number} bytes");
      }
    }
  }
  return v;
}

std::optional<clock_reference> packet_view::pcr() const noexcept {
  if ((flags() & flag_pcr) == 0) return std::nullopt;
  return read_clock(bytes_.data() + header_size + 2);
}

std::optional<clock_reference> packet_view::opcr() const noexcept {
  if ((flags() & flag_opcr) == 0) return std::nullopt;
  return read_clock(bytes_.data() + header_size + 2 + ((flags() & flag_pcr) != 0 ? pcr_size : 0));
}

result<datagram_view> datagram_view::parse(std::span<const std::byte> datagram) noexcept {
  if (datagram.empty() || datagram.size() % packet_size != 0) {
    return codec_error("mpegts datagram", "length", datagram.size(), "{number} bytes is not a whole number of 188-byte packets");
  }
  datagram_view v;
  v.bytes_ = datagram;
  return v;
}

continuity continuity_checker::check(const packet_view& packet) noexcept {
  const std::uint16_t pid = packet.pid();
  auto& c = counts_[pid];
  auto& s = state_[pid];
  ++c.packets;
  if (pid == null_pid) return continuity::unchecked;
  const std::uint8_t cc = packet.continuity_counter();
  if (packet.discontinuity()) {
    ++c.discontinuities;
    // Without payload the packet's counter is not the stream's: the next
    // packet with payload starts afresh.
    s = packet.has_payload() ? static_cast<std::uint8_t>(state_seen | cc) : std::uint8_t{0};
    return continuity::discontinuity;
  }
  if (!packet.has_payload()) return continuity::unchecked;
  if ((s & state_seen) == 0) {
    s = static_cast<std::uint8_t>(state_seen | cc);
    return continuity::first;
  }
  const std::uint8_t last = s & state_counter;
  if (cc == ((last + 1) & state_counter)) {
    s = static_cast<std::uint8_t>(state_seen | cc);
    return continuity::in_order;
  }
  if (cc == last) {
    if ((s & state_duplicate) == 0) {
      ++c.duplicates;
      s |= state_duplicate;
      return continuity::duplicate;
    }
    ++c.cc_errors;  // a packet "occurs more than twice"; the next repeat is an error too
    return continuity::error;
  }
  ++c.cc_errors;
  s = static_cast<std::uint8_t>(state_seen | cc);
  return continuity::error;
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
