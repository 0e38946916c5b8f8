// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The mcnet authors
#pragma once

/// @file
/// `ipv4::conn` (TOS and TTL on any IPv4 socket) and `ipv4::packet_conn`
/// (multicast membership and options, control messages in and out, batches):
/// golang.org/x/net/ipv4's Conn and PacketConn in C++.

#include <mcnet/core/cxx20.hpp>  // first: C++20 or one clear error

#include <netinet/in.h>
#include <sys/socket.h>

#include <array>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>
#include <string_view>

#include <mcnet/core/control.hpp>
#include <mcnet/core/detail/packet_conn_base.hpp>
#include <mcnet/core/dial.hpp>
#include <mcnet/core/error.hpp>
#include <mcnet/core/interface.hpp>
#include <mcnet/core/membership.hpp>
#include <mcnet/core/message.hpp>
#include <mcnet/core/socket.hpp>
#include <mcnet/core/socket_options.hpp>
#include <mcnet/ipv4/options.hpp>

namespace mcnet::ipv4 {

/// TOS and TTL of outgoing packets on any IPv4 socket, TCP included.
class conn : public core::detail::conn_base {
 public:
  using conn_base::conn_base;

  /// `IP_TOS`: the type-of-service byte (DSCP << 2 | ECN) of outgoing packets.
  [[nodiscard]] result<int> tos() const noexcept;
  /// Sets `IP_TOS`, 0 to 255. @see tos()
  [[nodiscard]] result<void> set_tos(int tos) noexcept;
  /// `IP_TTL`: TTL of outgoing unicast packets (default 64).
  [[nodiscard]] result<int> ttl() const noexcept;
  /// Sets `IP_TTL`, 1 to 255. @see ttl()
  [[nodiscard]] result<void> set_ttl(int ttl) noexcept;
};

/// Which control messages a packet_conn receives (bit set), as x/net's
/// ControlFlags. Each switches on the socket option named.
enum class control_flags : std::uint32_t {
  none = 0,
  ttl = 1u << 0,                   ///< IP_RECVTTL
  tos = 1u << 1,                   ///< IP_RECVTOS
  destination = 1u << 2,           ///< IP_PKTINFO (destination address)
  interface = 1u << 3,             ///< IP_PKTINFO (ingress interface)
  timestamp = 1u << 4,             ///< SO_TIMESTAMPNS
  drops = 1u << 5,                 ///< SO_RXQ_OVFL
  original_destination = 1u << 6,  ///< IP_RECVORIGDSTADDR
  /// `SO_TIMESTAMPING` with SOF_TIMESTAMPING_RX_SOFTWARE | SOF_TIMESTAMPING_SOFTWARE:
  /// the kernel's software receive stamp, into `control_message::timestamp`.
  /// The first datagrams after switching it on may come unstamped: the kernel
  /// turns receive stamping on from a work queue (net_enable_timestamp) and,
  /// unlike for SO_TIMESTAMPNS, fills in no read time meanwhile.
  software_timestamp = 1u << 7,
  /// `SO_TIMESTAMPING` with SOF_TIMESTAMPING_RX_HARDWARE | SOF_TIMESTAMPING_RAW_HARDWARE:
  /// the NIC's receive stamp, into `control_message::hardware_timestamp`,
  /// where the device takes one and its stamping is on (SIOCSHWTSTAMP, e.g.
  /// `hwstamp_ctl`); otherwise it stays empty. Both timestamp flags share
  /// SO_TIMESTAMPING (see Documentation/networking/timestamping.rst).
  hardware_timestamp = 1u << 8,
};

/// Per-datagram control information, as x/net's ControlMessage.
/// Read: what the kernel said (fields the flags did not ask for stay unset).
/// Write: `source` and `interface_index` choose the source address and the
/// outgoing interface (IP_PKTINFO); `ttl` and `tos` >= 0 override the
/// socket's for this datagram (IP_TTL, IP_TOS).
struct control_message {
  int ttl = -1;  ///< read: the TTL it arrived with (IP_RECVTTL); write: this datagram's (IP_TTL); -1 unset
  int tos = -1;  ///< read: its TOS byte (IP_RECVTOS); write: this datagram's (IP_TOS); -1 unset
  core::ip_address source{};       ///< read: the datagram's source address; write: the source address to use
  core::ip_address destination{};  ///< read: the address the datagram was sent to (the group)
  std::uint32_t interface_index = 0;  ///< read: the arrival interface (IP_PKTINFO); write: the outgoing one; 0 unset
  /// read: the kernel's software receive stamp (`timestamp` or `software_timestamp` flag)
  std::optional<core::kernel_time> timestamp{};
  /// read: the NIC's raw hardware receive stamp (`hardware_timestamp` flag);
  /// empty when the device took none (veth, lo, stamping off)
  std::optional<core::kernel_time> hardware_timestamp{};
  std::optional<std::uint32_t> drops{};   ///< cumulative kernel drops (SO_RXQ_OVFL)
  core::endpoint original_destination{};  ///< read: address and port it was sent to (IP_RECVORIGDSTADDR, for TPROXY)
};

/// `a | b`: both sets of flags; `has(set, f)`: whether `set` has any bit of `f`.
using core::detail::operator|;
using core::detail::has;

/// What one read returned.
struct read_result {
  std::size_t size = 0;       ///< bytes written to the buffer
  core::endpoint source{};    ///< who sent it
  control_message control{};  ///< the control messages the flags asked for
  bool truncated = false;     ///< the datagram was longer than the buffer (MSG_TRUNC)
  std::size_t wire_size = 0;  ///< its real length
};

/// What `multicast_interface` knows.
struct multicast_interface_state {
  /// True when this conn set the interface itself: `iface` is exact.
  bool known = false;
  core::interface_ref iface{};  ///< the interface, when `known`
  /// Otherwise what the kernel reports: the address set by address, or
  /// 0.0.0.0 (the kernel's choice, or an index set outside this conn: Linux
  /// cannot tell the two apart).
  core::ip_address address{};
};

/// x/net's view of a received message's metadata.
[[nodiscard]] control_message to_control_message(const core::packet_info& info) noexcept;

/// Append the control messages that `cm` asks for on send (IP_PKTINFO for
/// source/interface, IP_TTL, IP_TOS) to `out`. Errors: errc::value_out_of_range
/// when `out` is too small; errc::family_mismatch for a non-IPv4 source.
[[nodiscard]] result<void> marshal(const control_message& cm, core::cmsg_writer& out) noexcept;

/// The IPv4 rules of packet_conn (core::detail::packet_conn_base asks them).
struct family_rules {
  /// x/net's converters, declared above.
  static constexpr auto to_control_message = &ipv4::to_control_message;
  static constexpr auto marshal = &ipv4::marshal;  ///< sets up IP_PKTINFO, IP_TTL, IP_TOS for a send
  /// Groups are IPv4 (or IPv4-mapped); the interface is the one given.
  [[nodiscard]] static result<std::uint32_t> group_interface(core::socket_ref s, const core::ip_address& group,
                                                             core::interface_ref iface, std::string_view op) noexcept;
  /// A destination is IPv4, sent unmapped; invalid: the connected peer.
  [[nodiscard]] static result<core::endpoint> peer(const core::endpoint& destination) noexcept;
  /// `IP_MULTICAST_LOOP`, for set_multicast_loopback.
  static constexpr const auto& multicast_loopback_option = opt::multicast_loopback;
  /// `IP_MULTICAST_ALL`, for set_multicast_all.
  static constexpr const auto& multicast_all_option = opt::multicast_all;
  /// Room for IP_PKTINFO, IP_TTL and IP_TOS.
  static constexpr std::size_t send_control_size = CMSG_SPACE(sizeof(in_pktinfo)) + 2 * CMSG_SPACE(sizeof(int));
  /// The control-flag table (packet_conn.cpp): flag, the option that
  /// enables it, the cmsg kind it yields.
  static std::span<const core::detail::control_row<control_flags>> control_rows() noexcept;
};

/// A datagram socket with IPv4 multicast and control messages: membership
/// (IGMP), source filters, multicast options, control messages in and out,
/// batches (core::detail::packet_conn_base). Borrows or owns its socket. Not
/// thread-safe: one thread reads, or the caller locks.
///
/// Groups, sources and destinations are IPv4 (or ::ffff:a.b.c.d): anything
/// else is errc::family_mismatch with a hint naming ipv6::packet_conn.
class packet_conn
    : public core::detail::packet_conn_base<conn, family_rules, control_flags, control_message, read_result> {
 public:
  using packet_conn_base::packet_conn_base;

  /// A UDP socket bound to `local` (0.0.0.0:PORT to receive groups),
  /// wrapped. Errors: of core::listen_udp, and errc::family_mismatch for an
  /// IPv6 endpoint.
  [[nodiscard]] static result<packet_conn> listen(const core::endpoint& local, const core::socket_setup& setup = {});

  // ---- outgoing multicast

  /// `IP_MULTICAST_IF` by index; kernel_choice() resets to routing. Remembered,
  /// because Linux reads back only an address. Errors: EADDRNOTAVAIL (no such index).
  [[nodiscard]] result<void> set_multicast_interface(core::interface_ref iface) noexcept;
  /// The outgoing multicast interface: exact when set through this conn,
  /// otherwise what the kernel can say (see multicast_interface_state).
  [[nodiscard]] result<multicast_interface_state> multicast_interface() const noexcept;
  /// `IP_MULTICAST_TTL` (default 1).
  [[nodiscard]] result<int> multicast_ttl() const noexcept;
  /// Set `IP_MULTICAST_TTL`: 0 (this host only) to 255. Errors: errc::value_out_of_range
  /// outside that range, before the kernel sees it; setsockopt's errno.
  [[nodiscard]] result<void> set_multicast_ttl(int ttl) noexcept;

  /// connect(2) to `remote`, a group to send to: set the multicast interface
  /// first, since the kernel picks the route at connect time. Errors:
  /// errc::family_mismatch for a non-IPv4 endpoint; as core::connect.
  [[nodiscard]] result<void> connect(const core::endpoint& remote) noexcept;

 private:
  std::optional<core::interface_ref> multicast_if_;
};

}  // namespace mcnet::ipv4
