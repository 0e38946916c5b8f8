// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The mcnet authors
#pragma once

/// @file
/// `ipv6::conn` (traffic class, hop limit, path MTU) and `ipv6::packet_conn`
/// (MLD membership, source filters, multicast options, control messages in
/// and out, batches): golang.org/x/net/ipv6's Conn and PacketConn in C++.

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

namespace mcnet::ipv6 {

/// Traffic class, hop limit and path MTU on any IPv6 socket, TCP included.
class conn {
 public:
  explicit conn(core::socket_ref s) noexcept : s_(s) {}

  /// `IPV6_TCLASS`: traffic class of outgoing packets (DSCP << 2 | ECN).
  [[nodiscard]] result<int> traffic_class() const noexcept;
  /// Sets `IPV6_TCLASS`, 0 to 255. @see traffic_class()
  result<void> set_traffic_class(int tclass) noexcept;
  /// `IPV6_UNICAST_HOPS`: hop limit of outgoing unicast (default 64).
  [[nodiscard]] result<int> hop_limit() const noexcept;
  /// Sets `IPV6_UNICAST_HOPS`, 1 to 255. @see hop_limit()
  result<void> set_hop_limit(int hops) noexcept;
  /// `IPV6_PATHMTU`: the path MTU of a connected socket. Errors: ENOTCONN.
  [[nodiscard]] result<std::uint32_t> path_mtu() const noexcept;

  [[nodiscard]] core::socket_ref socket() const noexcept { return s_; }

 protected:
  core::socket_ref s_;
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
};
[[nodiscard]] constexpr control_flags operator|(control_flags a, control_flags b) noexcept {
  return static_cast<control_flags>(static_cast<std::uint32_t>(a) | static_cast<std::uint32_t>(b));
}
[[nodiscard]] constexpr bool has(control_flags set, control_flags f) noexcept {
  return (static_cast<std::uint32_t>(set) & static_cast<std::uint32_t>(f)) != 0;
}

/// Per-datagram control information, as x/net's ipv6.ControlMessage.
/// Read: what the kernel said. Write: `source` and `interface_index` choose
/// the source address and outgoing interface (IPV6_PKTINFO); `hop_limit` and
/// `traffic_class` >= 0 override the socket's for this datagram.
struct control_message {
  int traffic_class = -1;
  int hop_limit = -1;
  core::ip_address source{};       ///< read: the datagram's source; write: the source to use
  core::ip_address destination{};  ///< read: the address it was sent to (the group)
  std::uint32_t interface_index = 0;
  std::uint32_t path_mtu = 0;      ///< read: an IPV6_PATHMTU notification's MTU
  std::optional<core::kernel_time> timestamp{};
  std::optional<std::uint32_t> drops{};
  core::endpoint original_destination{};
};

/// What one read returned.
struct read_result {
  std::size_t size = 0;
  core::endpoint source{};
  control_message control{};
  bool truncated = false;
  std::size_t wire_size = 0;
  /// A path-MTU notification (IPV6_RECVPATHMTU): a zero-length read that
  /// carries only control.path_mtu. Not a datagram.
  bool path_mtu_notification = false;
};

/// A datagram socket with IPv6 multicast and control messages. Borrows or
/// owns its socket. Not thread-safe: one thread reads, or the caller locks.
///
/// Groups: an interface-local (ff01::, ff11::, ...) or link-local (ff02::,
/// ff12::, ff32::, ...) group needs an interface, given as `iface` or as the
/// group's scope id (`ff02::1%eth1`); both given and different is an error.
/// IPv4 groups (or ::ffff:a.b.c.d) are accepted on a dual-stack socket
/// (IPV6_V6ONLY off): joined at IPPROTO_IP, their datagrams reported with
/// IPv4 sources; on an IPv6-only socket they are refused.
class packet_conn : public conn {
 public:
  explicit packet_conn(core::socket_ref s) noexcept : conn(s) {}
  explicit packet_conn(core::socket&& s) noexcept : conn(core::socket_ref(s.native_handle())), owned_(std::move(s)) {}
  packet_conn(packet_conn&&) noexcept = default;
  packet_conn& operator=(packet_conn&&) noexcept = default;
  packet_conn(const packet_conn&) = delete;
  packet_conn& operator=(const packet_conn&) = delete;
  ~packet_conn() = default;

  /// An AF_INET6 UDP socket bound to `local` ([::]:PORT to receive groups).
  /// An IPv4 endpoint is bound as its mapped form. Errors: of core::listen_udp.
  [[nodiscard]] static result<packet_conn> listen(const core::endpoint& local, const core::socket_setup& setup = {});

  // ---- membership (MLD)
  result<void> join_group(const core::ip_address& group, core::interface_ref iface = {}) noexcept;
  result<void> leave_group(const core::ip_address& group, core::interface_ref iface = {}) noexcept;
  result<void> join_source_specific_group(const core::ip_address& group, const core::ip_address& source,
                                          core::interface_ref iface = {}) noexcept;
  result<void> leave_source_specific_group(const core::ip_address& group, const core::ip_address& source,
                                           core::interface_ref iface = {}) noexcept;
  result<void> exclude_source_specific_group(const core::ip_address& group, const core::ip_address& source,
                                             core::interface_ref iface = {}) noexcept;
  result<void> include_source_specific_group(const core::ip_address& group, const core::ip_address& source,
                                             core::interface_ref iface = {}) noexcept;
  result<void> set_source_filter(const core::ip_address& group, core::interface_ref iface, core::filter_mode mode,
                                 std::span<const core::ip_address> sources) noexcept;
  [[nodiscard]] result<core::filter_state> source_filter(const core::ip_address& group, core::interface_ref iface,
                                                         std::span<core::ip_address> out) const noexcept;

  // ---- outgoing multicast
  /// `IPV6_MULTICAST_IF` by index; kernel_choice() resets to routing.
  result<void> set_multicast_interface(core::interface_ref iface) noexcept;
  /// The outgoing multicast interface (Linux reports the index back).
  [[nodiscard]] result<core::interface_ref> multicast_interface() const noexcept;
  /// `IPV6_MULTICAST_HOPS` (default 1).
  [[nodiscard]] result<int> multicast_hop_limit() const noexcept;
  result<void> set_multicast_hop_limit(int hops) noexcept;
  /// `IPV6_MULTICAST_LOOP` (default on).
  [[nodiscard]] result<bool> multicast_loopback() const noexcept;
  result<void> set_multicast_loopback(bool on) noexcept;
  /// `IPV6_MULTICAST_ALL` (default on).
  [[nodiscard]] result<bool> multicast_all() const noexcept;
  result<void> set_multicast_all(bool on) noexcept;

  // ---- control messages and I/O
  result<void> set_control_message(control_flags flags, bool on) noexcept;
  [[nodiscard]] control_flags control_message_flags() const noexcept { return flags_; }
  void set_wait(core::wait_policy wait) noexcept { wait_ = wait; }
  [[nodiscard]] core::wait_policy wait() const noexcept { return wait_; }

  /// Receive one datagram (or a path-MTU notification, flagged as such).
  result<read_result> read_from(std::span<std::byte> buffer) noexcept;
  /// Send `payload` to `destination` (invalid: the connected peer) with
  /// per-datagram `control`. Link-local destinations need a scope id or
  /// control->interface_index. Errors: EMSGSIZE past the path MTU with
  /// IPV6_DONTFRAG; as core::write_to.
  result<void> write_to(std::span<const std::byte> payload, const core::endpoint& destination,
                        const control_message* control = nullptr) noexcept;
  result<std::size_t> read_batch(std::span<core::message> msgs) noexcept;
  result<std::size_t> write_batch(std::span<const core::message> msgs) noexcept;
  /// connect(2), e.g. to a group to send to (set the multicast interface first).
  result<void> connect(const core::endpoint& remote) noexcept;

  [[nodiscard]] core::cmsg decode_set() const noexcept;

 private:
  result<std::uint32_t> group_interface(const core::ip_address& group, core::interface_ref iface,
                                        std::string_view op) const noexcept;

  core::socket owned_;
  control_flags flags_ = control_flags::none;
  core::wait_policy wait_ = core::wait_policy::blocking();
  core::control_buffer control_;
};

/// x/net's view of a received message's metadata.
[[nodiscard]] control_message to_control_message(const core::packet_info& info) noexcept;

/// Whether a received message is a path-MTU notification rather than a datagram.
[[nodiscard]] bool is_path_mtu_notification(const core::message& m) noexcept;

/// Append IPV6_PKTINFO (source, interface), IPV6_HOPLIMIT and IPV6_TCLASS as
/// `cm` asks. Errors: errc::value_out_of_range (no room), errc::family_mismatch.
result<void> marshal(const control_message& cm, core::cmsg_writer& out) noexcept;

}  // namespace mcnet::ipv6
