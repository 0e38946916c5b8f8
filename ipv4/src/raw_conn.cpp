// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The mcnet authors
#include <mcnet/ipv4/raw_conn.hpp>

#include <netinet/in.h>

#include <array>

#include <mcnet/ipv4/options.hpp>

namespace mcnet::ipv4 {

result<raw_conn> raw_conn::open(int protocol) noexcept {
  auto s = core::socket::open(AF_INET, SOCK_RAW, protocol);
  if (!s) return fail(s.error());
  if (auto r = core::set(*s, opt::header_included, true); !r) return fail(r.error());
  return raw_conn(std::move(*s));
}

result<raw_read_result> raw_conn::read_from(std::span<std::byte> buffer) noexcept {
  auto r = packet_conn::read_from(buffer);
  if (!r) return fail(r.error());
  auto h = header::parse(buffer.first(r->size));
  if (!h) return fail(h.error());
  raw_read_result out;
  out.ip = *h;
  out.payload = std::span<const std::byte>(buffer.data() + h->length, r->size - h->length);
  out.source = r->source;
  out.control = r->control;
  out.truncated = r->truncated;
  return out;
}

result<void> raw_conn::write_to(const header& h, std::span<const std::byte> payload,
                                const control_message* control) noexcept {
  // Header and payload go out in one datagram: assemble them on the stack
  // for ordinary sizes; a raw IPv4 packet is at most 65535 bytes.
  std::array<std::byte, 65535> packet;
  auto length = h.marshal(packet, payload.size());
  if (!length) return fail(length.error());
  if (*length + payload.size() > packet.size()) {
    return fail(error(errc::value_out_of_range, "sendmsg", "raw packet")
                    .with_number(static_cast<std::int64_t>(*length + payload.size()))
                    .with_hint("an IPv4 packet is at most 65535 bytes"));
  }
  std::copy(payload.begin(), payload.end(), packet.begin() + static_cast<std::ptrdiff_t>(*length));
  const std::span<const std::byte> whole(packet.data(), *length + payload.size());
  return packet_conn::write_to(whole, core::endpoint(h.destination, 0), control);
}

result<std::uint32_t> raw_conn::icmp_filter() const noexcept { return core::get(s_, opt::icmp_type_filter); }
result<void> raw_conn::set_icmp_filter(std::uint32_t drop_types) noexcept {
  return core::set(s_, opt::icmp_type_filter, drop_types);
}

}  // namespace mcnet::ipv4
