// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The mcnet authors
//
// Fuzz the MPEG-TS datagram and packet parsers and the continuity checker:
// never crash or read past the data; each packet that parses builds back to
// a packet with the same fields and payload; each continuity verdict moves
// its PID's counts by exactly what it says. The checker is reset per input
// so that a finding reproduces from its input alone.

#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <memory>
#include <span>

#include <mcnet/feed/mpegts.hpp>

namespace ts = mcnet::feed::mpegts;

namespace {

bool same(std::span<const std::byte> a, std::span<const std::byte> b) {
  return a.size() == b.size() && (a.empty() || std::memcmp(a.data(), b.data(), a.size()) == 0);
}

void rebuild(const ts::packet_view& p) {
  const ts::packet_fields f{.pid = p.pid(),
                            .payload_unit_start = p.payload_unit_start(),
                            .priority = p.priority(),
                            .transport_error = p.transport_error(),
                            .scrambling = p.scrambling(),
                            .continuity_counter = p.continuity_counter(),
                            .discontinuity = p.discontinuity(),
                            .random_access = p.random_access(),
                            .es_priority = p.es_priority(),
                            .pcr = p.pcr()};
  std::byte out[ts::packet_size];
  auto n = ts::build_packet(out, f, p.payload());
  if (!n || *n != ts::packet_size) std::abort();
  auto q = ts::packet_view::parse(out);
  if (!q) std::abort();
  if (q->pid() != p.pid() || q->payload_unit_start() != p.payload_unit_start() || q->priority() != p.priority() ||
      q->transport_error() != p.transport_error() || q->scrambling() != p.scrambling() ||
      q->continuity_counter() != p.continuity_counter() || q->has_payload() != p.has_payload() ||
      q->discontinuity() != p.discontinuity() || q->random_access() != p.random_access() ||
      q->es_priority() != p.es_priority() || q->pcr() != p.pcr() || !same(q->payload(), p.payload())) {
    std::abort();
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  static auto checker = std::make_unique<ts::continuity_checker>();
  checker->reset();
  const std::span<const std::byte> bytes(reinterpret_cast<const std::byte*>(data), size);
  auto d = ts::datagram_view::parse(bytes);
  if (ts::datagram_view::try_parse(bytes).has_value() != d.has_value()) std::abort();
  if (!d) {
    if (size != 0 && size % ts::packet_size == 0) std::abort();
    // Whole packets at the front still parse one by one.
    for (std::size_t at = 0; at + ts::packet_size <= size; at += ts::packet_size) {
      if (auto p = ts::packet_view::parse(bytes.subspan(at, ts::packet_size))) rebuild(*p);
    }
    return 0;
  }
  for (auto p : *d) {
    if (!p) continue;
    const auto payload = p->payload();
    if (!payload.empty() && (payload.data() < bytes.data() || payload.data() + payload.size() > bytes.data() + size)) {
      std::abort();
    }
    // Each verdict moves its PID's counts by exactly what it says.
    const auto before = checker->counts(p->pid());
    const auto verdict = checker->check(*p);
    const auto after = checker->counts(p->pid());
    if (after.packets != before.packets + 1 ||
        after.cc_errors != before.cc_errors + (verdict == ts::continuity::error) ||
        after.duplicates != before.duplicates + (verdict == ts::continuity::duplicate) ||
        after.discontinuities != before.discontinuities + (verdict == ts::continuity::discontinuity)) {
      std::abort();
    }
    rebuild(*p);
  }
  return 0;
}
