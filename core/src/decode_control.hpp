// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The mcnet authors
//
// Not an interface: the control-message decoder behind decode_control, for
// the receive path (io.cpp), which needs only whether decoding failed. No
// `result` and no `error` on the way: those are built only when a caller of
// decode_control asks for one.
#pragma once

#include <netinet/in.h>
#include <sys/socket.h>

#include <array>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <span>
#include <string_view>
#include <type_traits>

#include <mcnet/core/control.hpp>
#include <mcnet/core/endpoint.hpp>
#include <mcnet/core/error.hpp>
#include <mcnet/core/ip_address.hpp>

namespace mcnet::core::detail {

// Why a control buffer did not decode: the message (its kernel spelling, or
// "cmsghdr" for a malformed header), the length found and a static hint.
struct control_failure {
  std::string_view what;
  std::int64_t number = 0;
  std::string_view hint;

  // errc::truncated_control_message, as decode_control documents it.
  [[nodiscard]] error to_error() const noexcept {
    error e(errc::truncated_control_message, "decode", what);
    e.with_number(number).with_hint(hint);
    return e;
  }
};

// A header whose cmsg_len (`length`) is shorter than a header or runs past
// the buffer.
inline control_failure malformed_header(std::int64_t length) noexcept {
  return {"cmsghdr", length, "cmsg_len is shorter than a header or runs past the control buffer"};
}

// The fields of packet_info, as bits: which ones a decode wrote.
namespace info_field {
inline constexpr std::uint32_t destination = 1u << 0;
inline constexpr std::uint32_t interface_index = 1u << 1;
inline constexpr std::uint32_t hop_limit = 1u << 2;
inline constexpr std::uint32_t traffic_class = 1u << 3;
inline constexpr std::uint32_t software_time = 1u << 4;
inline constexpr std::uint32_t hardware_time = 1u << 5;
inline constexpr std::uint32_t drops = 1u << 6;
inline constexpr std::uint32_t path_mtu = 1u << 7;
inline constexpr std::uint32_t original_destination = 1u << 8;
inline constexpr std::uint32_t segment_size = 1u << 9;
}  // namespace info_field

// decode_control without its `result`: true when every wanted message
// decoded; otherwise false with `failure` set, and what decoded before the
// failing message stays in `out`. `filled` gets the bit of every field
// written (info_field), so that a read resets only the others
// (reset_unfilled) instead of resetting all and writing some again.
[[nodiscard]] bool decode_control_into(std::span<const std::byte> control, cmsg wanted, packet_info& out,
                                       control_failure& failure, std::uint32_t& filled) noexcept;

// Reset to their absent values the fields of `info` that are not in
// `filled`: with the decode above, the same as resetting `info` first.
// Copied from a constant rather than built in place: g++ builds a default
// ip_address or endpoint on the stack from narrow stores and copies it with
// wide loads, which stall on store forwarding (perf annotate of read_batch).
inline void reset_unfilled(packet_info& info, std::uint32_t filled) noexcept {
  static constexpr packet_info absent{};
  if ((filled & info_field::destination) == 0) info.destination = absent.destination;
  if ((filled & info_field::interface_index) == 0) info.interface_index = absent.interface_index;
  if ((filled & info_field::hop_limit) == 0) info.hop_limit = absent.hop_limit;
  if ((filled & info_field::traffic_class) == 0) info.traffic_class = absent.traffic_class;
  if ((filled & info_field::software_time) == 0) info.software_time = absent.software_time;
  if ((filled & info_field::hardware_time) == 0) info.hardware_time = absent.hardware_time;
  if ((filled & info_field::drops) == 0) info.drops = absent.drops;
  if ((filled & info_field::path_mtu) == 0) info.path_mtu = absent.path_mtu;
  if ((filled & info_field::original_destination) == 0) info.original_destination = absent.original_destination;
  if ((filled & info_field::segment_size) == 0) info.segment_size = absent.segment_size;
}

// Reset every field of `info` (reset_unfilled with nothing filled), as one
// copy of the whole struct from an aligned constant: the compiler stores
// the constant's words, no loads. Checking each field before storing was
// slower (read_from without metadata 1.05-1.06 of recvmsg against 1.03 for
// this, BM_interleaved_read_from, 2026-12-05).
[[gnu::always_inline]] inline void reset_all(packet_info& info) noexcept {
  static_assert(std::is_trivially_copyable_v<packet_info>);
  alignas(64) static constexpr packet_info absent{};
  std::memcpy(&info, &absent, sizeof info);
}

// The address of a kernel in_addr / in6_addr (`raw`, network order).
inline ip_address v4_from(const void* raw) noexcept {
  std::array<std::uint8_t, 4> b;
  std::memcpy(b.data(), raw, 4);
  return ip_address::v4_bytes(b);
}
inline ip_address v6_from(const void* raw, std::uint32_t scope) noexcept {
  std::array<std::uint8_t, 16> b;
  std::memcpy(b.data(), raw, 16);
  return ip_address::v6_bytes(b, scope);
}

// Whether `a` is v4_from(raw) / v6_from(raw, scope). An IPv4 ip_address is
// always built through v4_bytes, so its other bytes and scope id are zero
// and comparing the family and four bytes is equality.
inline bool holds_v4(const ip_address& a, const void* raw) noexcept {
  return a.is_v4() && std::memcmp(a.bytes().data(), raw, 4) == 0;
}
inline bool holds_v6(const ip_address& a, const void* raw, std::uint32_t scope) noexcept {
  return a.is_v6() && a.scope_id() == scope && std::memcmp(a.bytes().data(), raw, 16) == 0;
}

// Store a decoded address or endpoint only when it differs from what is
// there. Datagrams of one stream repeat their source and group, and a
// skipped store skips building an ip_address on the stack (see
// reset_unfilled).
inline void assign_v4(ip_address& a, const void* raw) noexcept {
  if (!holds_v4(a, raw)) a = v4_from(raw);
}
inline void assign_v6(ip_address& a, const void* raw, std::uint32_t scope) noexcept {
  if (!holds_v6(a, raw, scope)) a = v6_from(raw, scope);
}
inline void assign_v4(endpoint& e, const void* raw, std::uint16_t port) noexcept {
  if (e.port() != port || !holds_v4(e.address(), raw)) e = endpoint(v4_from(raw), port);
}
inline void assign_v6(endpoint& e, const void* raw, std::uint32_t scope, std::uint16_t port) noexcept {
  if (e.port() != port || !holds_v6(e.address(), raw, scope)) e = endpoint(v6_from(raw, scope), port);
}

// Store the source of a received datagram in `peer`: `name` is what the
// kernel filled (sockaddr_in or sockaddr_in6 of `length` bytes), so no checks
// beyond the family. Copied out with memcpy: an io_uring buffer places it
// with no more than 8-byte alignment. Stored only when it changed
// (assign_v4).
inline void store_peer(endpoint& peer, const void* name, socklen_t length) noexcept {
  sa_family_t family = AF_UNSPEC;
  if (length >= sizeof family) std::memcpy(&family, name, sizeof family);
  if (family == AF_INET && length >= sizeof(sockaddr_in)) {
    const auto* in = static_cast<const std::byte*>(name);
    std::uint16_t port;
    std::memcpy(&port, in + offsetof(sockaddr_in, sin_port), sizeof port);
    assign_v4(peer, in + offsetof(sockaddr_in, sin_addr), ntohs(port));
  } else if (family == AF_INET6 && length >= sizeof(sockaddr_in6)) {
    const auto* in6 = static_cast<const std::byte*>(name);
    std::uint16_t port;
    std::uint32_t scope;
    std::memcpy(&port, in6 + offsetof(sockaddr_in6, sin6_port), sizeof port);
    std::memcpy(&scope, in6 + offsetof(sockaddr_in6, sin6_scope_id), sizeof scope);
    assign_v6(peer, in6 + offsetof(sockaddr_in6, sin6_addr), scope, ntohs(port));
  } else {
    static constexpr endpoint none{};
    peer = none;
  }
}

}  // namespace mcnet::core::detail
