// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The mcnet authors
#pragma once

/// @file
/// `ipv6::conn` (traffic class, hop limit, path MTU) and `ipv6::packet_conn`
/// (MLD membership, source filters, multicast options, control messages in
/// and out, batches): golang.org/x/net/ipv6's Conn and PacketConn in C++.

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
#include <mcnet/ipv6/options.hpp>

namespace mcnet::ipv6 {

/// Traffic class, hop limit and path MTU on any IPv6 socket, TCP included.
class conn : public core::detail::conn_base {
 public:
  using conn_base::conn_base;

  /// `IPV6_TCLASS`: traffic class of outgoing packets (DSCP << 2 | ECN).
  [[nodiscard]] result<int> traffic_class() const noexcept;
  /// Sets `IPV6_TCLASS`, 0 to 255. @see traffic_class()
  [[nodiscard]] result<void> set_traffic_class(int tclass) noexcept;
  /// `IPV6_UNICAST_HOPS`: hop limit of outgoing unicast (default 64).
  [[nodiscard]] result<int> hop_limit() const noexcept;
  /// Sets `IPV6_UNICAST_HOPS`, 1 to 255. @see hop_limit()
  [[nodiscard]] result<void> set_hop_limit(int hops) noexcept;
  /// `IPV6_PATHMTU`: the path MTU of a connected socket. Errors: ENOTCONN.
  [[nodiscard]] result<std::uint32_t> path_mtu() const noexcept;
};

/// Which control messages a packet_conn receives (bit set).
enum class control_flags : std::uint32_t {
  none = 0,
  traffic_class = 1u << 0,         ///< IPV6_RECVTCLASS
  hop_limit = 1u << 1,             ///< IPV6_RECVHOPLIMIT
  destination = 1u << 2,           ///< IPV6_RECVPKTINFO (destination address)
  interface = 1u << 3,             ///< IPV6_RECVPKTINFO (ingress interface)
  path_mtu = 1u << 4,              ///< IPV6_RECVPATHMTU
  timestamp = 1u << 5,             ///< SO_TIMESTAMPNS
  drops = 1u << 6,                 ///< SO_RXQ_OVFL
  original_destination = 1u << 7,  ///< IPV6_RECVORIGDSTADDR
  /// `SO_TIMESTAMPING` with SOF_TIMESTAMPING_RX_SOFTWARE | SOF_TIMESTAMPING_SOFTWARE:
  /// the kernel's software receive stamp, into `control_message::timestamp`.
  /// The first datagrams after switching it on may come unstamped: the kernel
  /// turns receive stamping on from a work queue (net_enable_timestamp) and,
  /// unlike for SO_TIMESTAMPNS, fills in no read time meanwhile.
  software_timestamp = 1u << 8,
  /// `SO_TIMESTAMPING` with SOF_TIMESTAMPING_RX_HARDWARE | SOF_TIMESTAMPING_RAW_HARDWARE:
  /// the NIC's receive stamp, into `control_message::hardware_timestamp`,
  /// where the device takes one and its stamping is on (SIOCSHWTSTAMP, e.g.
  /// `hwstamp_ctl`); otherwise it stays empty. Both timestamp flags share
  /// SO_TIMESTAMPING (see Documentation/networking/timestamping.rst).
  hardware_timestamp = 1u << 9,
};
/// `a | b`: both sets of flags; `has(set, f)`: whether `set` has any bit of `f`.
using core::detail::operator|;
using core::detail::has;

/// Per-datagram control information, as x/net's ipv6.ControlMessage.
/// Read: what the kernel said. Write: `source` and `interface_index` choose
/// the source address and outgoing interface (IPV6_PKTINFO); `hop_limit` and
/// `traffic_class` >= 0 override the socket's for this datagram.
struct control_message {
  /// Read: the traffic class it arrived with (IPV6_RECVTCLASS); write: this datagram's; -1 unset.
  int traffic_class = -1;
  int hop_limit = -1;                 ///< read: its hop limit (IPV6_RECVHOPLIMIT); write: this datagram's; -1 unset
  core::ip_address source{};          ///< read: the datagram's source; write: the source to use
  core::ip_address destination{};     ///< read: the address it was sent to (the group)
  std::uint32_t interface_index = 0;  ///< read: the arrival interface (IPV6_PKTINFO); write: the outgoing one; 0 unset
  std::uint32_t path_mtu = 0;         ///< read: an IPV6_PATHMTU notification's MTU
  /// read: the kernel's software receive stamp (`timestamp` or `software_timestamp` flag)
  std::optional<core::kernel_time> timestamp{};
  /// read: the NIC's raw hardware receive stamp (`hardware_timestamp` flag);
  /// empty when the device took none (veth, lo, stamping off)
  std::optional<core::kernel_time> hardware_timestamp{};
  std::optional<std::uint32_t> drops{};   ///< read: cumulative kernel drops (SO_RXQ_OVFL)
  core::endpoint original_destination{};  ///< read: address and port it was sent to (IPV6_RECVORIGDSTADDR)
};

/// What one read returned.
struct read_result {
  std::size_t size = 0;       ///< bytes written to the buffer
  core::endpoint source{};    ///< who sent it
  control_message control{};  ///< the control messages the flags asked for
  bool truncated = false;     ///< the datagram was longer than the buffer (MSG_TRUNC)
  std::size_t wire_size = 0;  ///< its real length
  /// A path-MTU notification (IPV6_RECVPATHMTU): a zero-length read that
  /// carries only control.path_mtu. Not a datagram.
  bool path_mtu_notification = false;
};

/// x/net's view of a received message's metadata.
[[nodiscard]] control_message to_control_message(const core::packet_info& info) noexcept;

/// Whether a received message is a path-MTU notification rather than a datagram.
[[nodiscard]] bool is_path_mtu_notification(const core::message& m) noexcept;

/// Append IPV6_PKTINFO (source, interface), IPV6_HOPLIMIT and IPV6_TCLASS as
/// `cm` asks. Errors: errc::value_out_of_range (no room), errc::family_mismatch.
[[nodiscard]] result<void> marshal(const control_message& cm, core::cmsg_writer& out) noexcept;

/// The IPv6 rules of packet_conn (core::detail::packet_conn_base asks them).
struct family_rules {
  /// The control-flag table (packet_conn.cpp): flag, the option that
  /// enables it, the cmsg kind it yields.
  static std::span<const core::detail::control_row<control_flags>> control_rows() noexcept;
  /// Room for IPV6_PKTINFO, IPV6_HOPLIMIT and IPV6_TCLASS.
  static constexpr std::size_t send_control_size = CMSG_SPACE(sizeof(in6_pktinfo)) + 2 * CMSG_SPACE(sizeof(int));
  /// `IPV6_MULTICAST_LOOP`, for set_multicast_loopback.
  static constexpr const auto& multicast_loopback_option = opt::multicast_loopback;
  /// `IPV6_MULTICAST_ALL` (Linux 4.20), for set_multicast_all.
  static constexpr const auto& multicast_all_option = opt::multicast_all;

  /// The interface a group joins on: the argument or the group's scope id
  /// (both and different: refused); link-local and interface-local groups
  /// need one (errc::interface_required); IPv4 groups only when the socket
  /// is dual-stack (IPV6_V6ONLY off).
  [[nodiscard]] static result<std::uint32_t> group_interface(core::socket_ref s, const core::ip_address& group,
                                                             core::interface_ref iface, std::string_view op) noexcept;
  /// A destination is sent in its IPv6 (or IPv4-mapped) form; invalid: the connected peer.
  [[nodiscard]] static result<core::endpoint> peer(const core::endpoint& destination) noexcept;
  /// x/net's converters, declared above.
  static constexpr auto to_control_message = &ipv6::to_control_message;
  static constexpr auto marshal = &ipv6::marshal;  ///< sets up IPV6_PKTINFO, IPV6_HOPLIMIT, IPV6_TCLASS for a send
  /// Marks a path-MTU notification.
  static void finish_read(read_result& out, const core::message& m) noexcept {
    out.path_mtu_notification = is_path_mtu_notification(m);
  }
};

/// A datagram socket with IPv6 multicast and control messages: membership
/// (MLD), source filters, multicast options, control messages in and out,
/// batches (core::detail::packet_conn_base). Borrows or owns its socket. Not
/// thread-safe: one thread reads, or the caller locks.
///
/// Groups: an interface-local (ff01::, ff11::, ...) or link-local (ff02::,
/// ff12::, ff32::, ...) group needs an interface, given as `iface` or as the
/// group's scope id (`ff02::1%eth1`); both given and different is an error.
/// IPv4 groups (or ::ffff:a.b.c.d) are accepted on a dual-stack socket
/// (IPV6_V6ONLY off): joined at IPPROTO_IP, their datagrams reported with
/// IPv4 sources; on an IPv6-only socket they are refused. A read may be a
/// path-MTU notification (`read_result::path_mtu_notification`); a send
/// past the path MTU with IPV6_DONTFRAG fails with EMSGSIZE; link-local
/// destinations need a scope id or control->interface_index.
class packet_conn
    : public core::detail::packet_conn_base<conn, family_rules, control_flags, control_message, read_result> {
 public:
  using packet_conn_base::packet_conn_base;

  /// An AF_INET6 UDP socket bound to `local` ([::]:PORT to receive groups).
  /// An IPv4 endpoint is bound as its mapped form. Errors: of core::listen_udp.
  [[nodiscard]] static result<packet_conn> listen(const core::endpoint& local, const core::socket_setup& setup = {});

  // ---- outgoing multicast
  /// `IPV6_MULTICAST_IF` by index; kernel_choice() resets to routing.
  [[nodiscard]] result<void> set_multicast_interface(core::interface_ref iface) noexcept;
  /// The outgoing multicast interface (Linux reports the index back).
  [[nodiscard]] result<core::interface_ref> multicast_interface() const noexcept;
  /// `IPV6_MULTICAST_HOPS` (default 1).
  [[nodiscard]] result<int> multicast_hop_limit() const noexcept;
  /// Set `IPV6_MULTICAST_HOPS`: 0 to 255, or -1 for the default (1) (ipv6(7)).
  /// Errors: errc::value_out_of_range outside that range, before the kernel sees it;
  /// setsockopt's errno.
  [[nodiscard]] result<void> set_multicast_hop_limit(int hops) noexcept;

  /// connect(2), e.g. to a group to send to (set the multicast interface first).
  [[nodiscard]] result<void> connect(const core::endpoint& remote) noexcept;
};

}  // namespace mcnet::ipv6
