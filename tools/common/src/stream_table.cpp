// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The mcnet authors
#include <mcnet/tools/stream_table.hpp>

#include <mcnet/feed/saturating.hpp>

namespace mcnet::tools {

std::string_view payload_name(const stream_key& key, [[maybe_unused]] const stream& s) noexcept {
  return key.foreign ? "raw" : "mcnet";
}

void stream_table::joined(const core::ip_address& group, std::uint16_t port, core::kernel_time when) {
  joins_.try_emplace({group, port}, when);  // the first join of the group and port (several sources: the earliest)
}

accounted stream_table::add(const core::ip_address& group, std::uint16_t port, const core::ip_address& source,
                            std::span<const std::byte> payload, core::kernel_time arrival, int ttl, int tos,
                            std::uint32_t interface_index) {
  accounted out;
  const auto header = feed::test_header::parse(payload);
  if (header) out.header = *header;
  stream_key key{group, port, source, !header.has_value(), header ? header->sender_id : 0, header ? header->session : 0};
  auto it = streams_.find(key);
  if (it == streams_.end()) {
    if (streams_.size() >= max_streams_) {
      ++untracked_;
      out.untracked = true;
      return out;
    }
    it = streams_.emplace(key, stream{}).first;
  }
  auto& s = it->second;
  if (interface_index != 0) s.interface_index = interface_index;
  if (header && header->is_end()) {
    // Not a packet: it tells how many sequence numbers the run had.
    s.sequence.end(header->sequence);
    s.ended = true;
    return out;
  }
  if (s.packets == 0) {
    if (auto j = joins_.find({group, port}); j != joins_.end()) {
      s.first_packet_ms = static_cast<double>(feed::saturating_sub(arrival.time_since_epoch().count(),
                                                                   j->second.time_since_epoch().count())) / 1e6;
    }
  }
  ++s.packets;
  s.bytes += payload.size();
  s.last_packet = arrival;
  if (ttl >= 0) s.ttl = ttl;
  if (tos >= 0) s.tos = tos;
  if (!header) return out;
  s.sequence.add(header->sequence);
  const auto arrival_ns = arrival.time_since_epoch().count();
  const auto sent_ns = static_cast<std::int64_t>(header->send_time_ns);
  out.latency_ns = feed::saturating_sub(arrival_ns, sent_ns);
  s.latency.add(*out.latency_ns);
  s.interarrival.add(sent_ns, arrival_ns);
  return out;
}

totals stream_table::sum() const noexcept {
  totals t;
  auto add = [](std::uint64_t& to, std::uint64_t v) {  // saturating: hostile sequence numbers make huge losses
    if (__builtin_add_overflow(to, v, &to)) to = UINT64_MAX;
  };
  for (const auto& [key, s] : streams_) {
    t.packets += s.packets;
    t.bytes += s.bytes;
    if (key.foreign) continue;
    add(t.lost, s.sequence.lost());
    t.reordered += s.sequence.reordered();
    t.duplicates += s.sequence.duplicates();
  }
  return t;
}

double stream_table::loss_ratio() const noexcept {
  double packets = 0, lost = 0;  // in floating point: a hostile loss near 2^64 must not wrap
  for (const auto& [key, s] : streams_) {
    if (key.foreign) continue;
    packets += static_cast<double>(s.packets);  // lost / (packets + lost), duplicates included (docs/tools.md, "Counting")
    lost += static_cast<double>(s.sequence.lost());
  }
  return packets + lost == 0 ? 0.0 : lost / (packets + lost);
}

}  // namespace mcnet::tools
