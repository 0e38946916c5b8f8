// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The mcnet authors
#pragma once

/// @file
/// `ipv4::conn` (TOS and TTL on any IPv4 socket) and `ipv4::packet_conn`
/// (multicast membership and options, control messages in and out, batches):
/// golang.org/x/net/ipv4's Conn and PacketConn in C++.

#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>

#include <mcnet/core/control.hpp>
#include <mcnet/core/dial.hpp>
#include <mcnet/core/error.hpp>
#include <mcnet/core/interface.hpp>
#include <mcnet/core/membership.hpp>
#include <mcnet/core/message.hpp>
#include <mcnet/core/socket.hpp>

namespace mcnet::ipv4 {

/// TOS and TTL of outgoing packets on any IPv4 socket, TCP included.
class conn {
 public:
  explicit conn(core::socket_ref s) noexcept : s_(s) {}

  /// `IP_TOS`: the type-of-service byte (DSCP << 2 | ECN) of outgoing packets.
  [[nodiscard]] result<int> tos() const noexcept;
  /// Sets `IP_TOS`, 0 to 255. @see tos()
  result<void> set_tos(int tos) noexcept;
  /// `IP_TTL`: TTL of outgoing unicast packets (default 64).
  [[nodiscard]] result<int> ttl() const noexcept;
  /// Sets `IP_TTL`, 1 to 255. @see ttl()
  result<void> set_ttl(int ttl) noexcept;

  [[nodiscard]] core::socket_ref socket() const noexcept { return s_; }

 protected:
  core::socket_ref s_;
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
};
[[nodiscard]] constexpr control_flags operator|(control_flags a, control_flags b) noexcept {
  return static_cast<control_flags>(static_cast<std::uint32_t>(a) | static_cast<std::uint32_t>(b));
}
[[nodiscard]] constexpr bool has(control_flags set, control_flags f) noexcept {
  return (static_cast<std::uint32_t>(set) & static_cast<std::uint32_t>(f)) != 0;
}

/// Per-datagram control information, as x/net's ControlMessage.
/// Read: what the kernel said (fields the flags did not ask for stay unset).
/// Write: `source` and `interface_index` choose the source address and the
/// outgoing interface (IP_PKTINFO); `ttl` and `tos` >= 0 override the
/// socket's for this datagram (IP_TTL, IP_TOS).
struct control_message {
  int ttl = -1;
  int tos = -1;
  core::ip_address source{};       ///< read: the datagram's source address; write: the source address to use
  core::ip_address destination{};  ///< read: the address the datagram was sent to (the group)
  std::uint32_t interface_index = 0;
  std::optional<core::kernel_time> timestamp{};
  std::optional<std::uint32_t> drops{};  ///< cumulative kernel drops (SO_RXQ_OVFL)
  core::endpoint original_destination{};
};

/// What one read returned.
struct read_result {
  std::size_t size = 0;         ///< bytes written to the buffer
  core::endpoint source{};      ///< who sent it
  control_message control{};
  bool truncated = false;       ///< the datagram was longer than the buffer (MSG_TRUNC)
  std::size_t wire_size = 0;    ///< its real length
};

/// What `multicast_interface` knows.
struct multicast_interface_state {
  /// True when this conn set the interface itself: `iface` is exact.
  bool known = false;
  core::interface_ref iface{};
  /// Otherwise what the kernel reports: the address set by address, or
  /// 0.0.0.0 (the kernel's choice, or an index set outside this conn: Linux
  /// cannot tell the two apart).
  core::ip_address address{};
};

/// A datagram socket with IPv4 multicast and control messages. Borrows or
/// owns its socket. Not thread-safe: one thread reads, or the caller locks.
class packet_conn : public conn {
 public:
  /// Work on a socket owned elsewhere (an mcnet socket, asio's, ...).
  explicit packet_conn(core::socket_ref s) noexcept : conn(s) {}
  /// Own `s`.
  explicit packet_conn(core::socket&& s) noexcept : conn(core::socket_ref(s.native_handle())), owned_(std::move(s)) {}
  packet_conn(packet_conn&&) noexcept = default;
  packet_conn& operator=(packet_conn&&) noexcept = default;
  packet_conn(const packet_conn&) = delete;
  packet_conn& operator=(const packet_conn&) = delete;
  ~packet_conn() = default;

  /// A UDP socket bound to `local` (0.0.0.0:PORT to receive groups),
  /// wrapped. Errors: of core::listen_udp, and errc::family_mismatch for an
  /// IPv6 endpoint.
  [[nodiscard]] static result<packet_conn> listen(const core::endpoint& local, const core::socket_setup& setup = {});

  // ---- membership (IGMP). The interface: its index, or kernel_choice() (by route).

  /// `MCAST_JOIN_GROUP`: any-source join. Errors: see core::join_group.
  result<void> join_group(const core::ip_address& group, core::interface_ref iface = {}) noexcept;
  /// `MCAST_LEAVE_GROUP`.
  result<void> leave_group(const core::ip_address& group, core::interface_ref iface = {}) noexcept;
  /// `MCAST_JOIN_SOURCE_GROUP`: receive `group` from `source` only (SSM).
  result<void> join_source_specific_group(const core::ip_address& group, const core::ip_address& source,
                                          core::interface_ref iface = {}) noexcept;
  /// `MCAST_LEAVE_SOURCE_GROUP`.
  result<void> leave_source_specific_group(const core::ip_address& group, const core::ip_address& source,
                                           core::interface_ref iface = {}) noexcept;
  /// `MCAST_BLOCK_SOURCE`: on an any-source join, stop receiving from `source`.
  result<void> exclude_source_specific_group(const core::ip_address& group, const core::ip_address& source,
                                             core::interface_ref iface = {}) noexcept;
  /// `MCAST_UNBLOCK_SOURCE`.
  result<void> include_source_specific_group(const core::ip_address& group, const core::ip_address& source,
                                             core::interface_ref iface = {}) noexcept;
  /// `MCAST_MSFILTER`: replace the whole source filter in one call.
  result<void> set_source_filter(const core::ip_address& group, core::interface_ref iface, core::filter_mode mode,
                                 std::span<const core::ip_address> sources) noexcept;
  /// `MCAST_MSFILTER` (get): mode and sources (up to out.size() copied).
  [[nodiscard]] result<core::filter_state> source_filter(const core::ip_address& group, core::interface_ref iface,
                                                         std::span<core::ip_address> out) const noexcept;

  // ---- outgoing multicast

  /// `IP_MULTICAST_IF` by index; kernel_choice() resets to routing. Remembered,
  /// because Linux reads back only an address. Errors: EADDRNOTAVAIL (no such index).
  result<void> set_multicast_interface(core::interface_ref iface) noexcept;
  /// The outgoing multicast interface: exact when set through this conn,
  /// otherwise what the kernel can say (see multicast_interface_state).
  [[nodiscard]] result<multicast_interface_state> multicast_interface() const noexcept;
  /// `IP_MULTICAST_TTL` (default 1).
  [[nodiscard]] result<int> multicast_ttl() const noexcept;
  result<void> set_multicast_ttl(int ttl) noexcept;
  /// `IP_MULTICAST_LOOP` (default on).
  [[nodiscard]] result<bool> multicast_loopback() const noexcept;
  result<void> set_multicast_loopback(bool on) noexcept;
  /// `IP_MULTICAST_ALL` (default on): off, a wildcard-bound socket receives
  /// only the groups it joined itself.
  [[nodiscard]] result<bool> multicast_all() const noexcept;
  result<void> set_multicast_all(bool on) noexcept;

  // ---- control messages and I/O

  /// Switch the socket options behind `flags` on or off; reads decode what is on.
  result<void> set_control_message(control_flags flags, bool on) noexcept;
  [[nodiscard]] control_flags control_message_flags() const noexcept { return flags_; }

  /// How reads and writes wait (default: block).
  void set_wait(core::wait_policy wait) noexcept { wait_ = wait; }
  [[nodiscard]] core::wait_policy wait() const noexcept { return wait_; }

  /// Receive one datagram into `buffer`. Errors: as core::read_from.
  result<read_result> read_from(std::span<std::byte> buffer) noexcept;

  /// Send `payload` to `destination` (an invalid endpoint: the connected
  /// peer), with `control` choosing source, interface, TTL and TOS for this
  /// datagram when given. Errors: errc::family_mismatch for a non-IPv4
  /// destination or source; as core::write_to.
  result<void> write_to(std::span<const std::byte> payload, const core::endpoint& destination,
                        const control_message* control = nullptr) noexcept;

  /// Batches (recvmmsg/sendmmsg); each message's `info` is decoded as the
  /// flags say. Use `to_control_message` for x/net's view of it.
  result<std::size_t> read_batch(std::span<core::message> msgs) noexcept;
  result<std::size_t> write_batch(std::span<const core::message> msgs) noexcept;

  /// connect(2) to `remote`, a group to send to: set the multicast interface
  /// first, since the kernel picks the route at connect time.
  result<void> connect(const core::endpoint& remote) noexcept;

  /// The cmsg kinds the current flags decode.
  [[nodiscard]] core::cmsg decode_set() const noexcept;

 private:
  core::socket owned_;
  control_flags flags_ = control_flags::none;
  core::wait_policy wait_ = core::wait_policy::blocking();
  std::optional<core::interface_ref> multicast_if_;
  core::control_buffer control_;
};

/// x/net's view of a received message's metadata.
[[nodiscard]] control_message to_control_message(const core::packet_info& info) noexcept;

/// Append the control messages that `cm` asks for on send (IP_PKTINFO for
/// source/interface, IP_TTL, IP_TOS) to `out`. Errors: errc::value_out_of_range
/// when `out` is too small; errc::family_mismatch for a non-IPv4 source.
result<void> marshal(const control_message& cm, core::cmsg_writer& out) noexcept;

}  // namespace mcnet::ipv4
