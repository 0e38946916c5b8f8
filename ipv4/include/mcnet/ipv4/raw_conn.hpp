// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The mcnet authors
#pragma once

/// @file
/// `ipv4::raw_conn`: a raw IPv4 socket that reads and writes whole packets,
/// header included (IP_HDRINCL), with the multicast and control-message
/// features of packet_conn, and the ICMP type filter. x/net's ipv4.RawConn.
/// Needs CAP_NET_RAW.

#include <mcnet/core/cxx20.hpp>  // first: C++20 or one clear error

#include <cstddef>
#include <span>

#include <mcnet/core/error.hpp>
#include <mcnet/ipv4/header.hpp>
#include <mcnet/ipv4/packet_conn.hpp>

namespace mcnet::ipv4 {

/// What raw_conn::read_from returns.
struct raw_read_result {
  header ip{};                         ///< the parsed IPv4 header
  std::span<const std::byte> payload;  ///< the bytes after it, inside the caller's buffer
  core::endpoint source{};             ///< who sent it (port 0: raw sockets have none)
  control_message control{};           ///< the control messages the flags asked for
  bool truncated = false;              ///< the packet was longer than the buffer (MSG_TRUNC)
};

/// A raw IPv4 socket with `IP_HDRINCL`, as x/net's ipv4.RawConn: reads and writes
/// whole packets, header included (raw(7)); a packet_conn for membership and control messages.
class raw_conn : public packet_conn {
 public:
  /// socket(AF_INET, SOCK_RAW, protocol) with IP_HDRINCL on. `protocol` is
  /// what it receives (IPPROTO_UDP, IPPROTO_ICMP, ...). Errors: EPERM without
  /// CAP_NET_RAW (with a hint).
  [[nodiscard]] static result<raw_conn> open(int protocol) noexcept;

  /// Receive one packet into `buffer` and parse its header. Errors: as
  /// core::read_from; errc::value_out_of_range for a malformed header.
  [[nodiscard]] result<raw_read_result> read_from(std::span<std::byte> buffer) noexcept;

  /// Send `h` + `payload` to h.destination. The kernel fills in the total
  /// length and checksum (and the ID and source when zero); `control` may
  /// choose the outgoing interface (IP_PKTINFO). Errors: of header::marshal
  /// and core::write_to.
  [[nodiscard]] result<void> write_to(const header& h, std::span<const std::byte> payload,
                                      const control_message* control = nullptr) noexcept;

  /// `ICMP_FILTER` (IPPROTO_ICMP sockets): bit N set drops ICMP type N.
  [[nodiscard]] result<std::uint32_t> icmp_filter() const noexcept;
  /// Set `ICMP_FILTER`: the ICMP types (bit N: type N) to drop. Errors: setsockopt's errno
  /// (ENOPROTOOPT on a socket that is not IPPROTO_ICMP).
  [[nodiscard]] result<void> set_icmp_filter(std::uint32_t drop_types) noexcept;

 private:
  explicit raw_conn(core::socket&& s) noexcept : packet_conn(std::move(s)) {}
};

}  // namespace mcnet::ipv4
