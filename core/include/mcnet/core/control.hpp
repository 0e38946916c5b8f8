// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The mcnet authors
#pragma once

/// @file
/// Control messages (ancillary data, cmsg(3)): a buffer sized at compile
/// time for every message mcnet can enable, a checked view over received
/// `cmsghdr`s, a decoder into `packet_info`, and a writer for sending.
/// Nothing here allocates or throws.

#include <time.h>

#include <linux/errqueue.h>
#include <netinet/in.h>
#include <sys/socket.h>

#include <array>
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <optional>
#include <span>
#include <type_traits>

#include <mcnet/core/endpoint.hpp>
#include <mcnet/core/error.hpp>
#include <mcnet/core/ip_address.hpp>

namespace mcnet::core {

/// Which control messages to decode (bit set). Each corresponds to a socket
/// option that makes the kernel send it; a message is decoded only when its
/// bit is set, and the kernel sends it only when its option is on.
enum class cmsg : std::uint32_t {
  none = 0,
  pktinfo = 1u << 0,               ///< IP_PKTINFO / IPV6_PKTINFO messages: destination and ingress interface
  hop_limit = 1u << 1,             ///< IP_RECVTTL / IPV6_RECVHOPLIMIT
  traffic_class = 1u << 2,         ///< IP_RECVTOS / IPV6_RECVTCLASS
  timestamp_ns = 1u << 3,          ///< SO_TIMESTAMPNS
  timestamping = 1u << 4,          ///< SO_TIMESTAMPING (software and hardware receive stamps)
  drops = 1u << 5,                 ///< SO_RXQ_OVFL
  path_mtu = 1u << 6,              ///< IPV6_RECVPATHMTU
  original_destination = 1u << 7,  ///< IP_RECVORIGDSTADDR / IPV6_RECVORIGDSTADDR
  all = (1u << 8) - 1,
};
/// The union of two sets of control-message kinds.
[[nodiscard]] constexpr cmsg operator|(cmsg a, cmsg b) noexcept {
  return static_cast<cmsg>(static_cast<std::uint32_t>(a) | static_cast<std::uint32_t>(b));
}
/// The kinds in both sets.
[[nodiscard]] constexpr cmsg operator&(cmsg a, cmsg b) noexcept {
  return static_cast<cmsg>(static_cast<std::uint32_t>(a) & static_cast<std::uint32_t>(b));
}
/// Whether `set` holds any kind.
[[nodiscard]] constexpr bool any(cmsg set) noexcept { return static_cast<std::uint32_t>(set) != 0; }
/// Whether `set` holds `flag` (any of its bits, when `flag` is itself a set).
[[nodiscard]] constexpr bool has(cmsg set, cmsg flag) noexcept { return any(set & flag); }

/// A kernel timestamp: nanoseconds since the Unix epoch (CLOCK_REALTIME).
using kernel_time = std::chrono::sys_time<std::chrono::nanoseconds>;

/// Everything the kernel said about one received datagram, protocol-neutral
/// (IPv4 TTL and TOS share fields with IPv6 hop limit and traffic class).
/// Fields stay at their "absent" value unless the message was present.
struct packet_info {
  ip_address destination{};        ///< the address the datagram was sent to (a group for multicast)
  std::uint32_t interface_index = 0;  ///< ingress interface; 0 when unknown
  int hop_limit = -1;              ///< TTL (IPv4) or hop limit (IPv6); -1 when absent
  int traffic_class = -1;          ///< TOS (IPv4) or traffic class (IPv6); -1 when absent
  std::optional<kernel_time> software_time{};  ///< SO_TIMESTAMPNS, or SO_TIMESTAMPING software
  /// SO_TIMESTAMPING raw hardware stamp (SOF_TIMESTAMPING_RAW_HARDWARE).
  /// Empty when the device takes none: virtual devices (veth, lo), NICs
  /// without the feature, or whose stamping is off (SIOCSHWTSTAMP); never
  /// filled in from the software clock.
  std::optional<kernel_time> hardware_time{};
  /// SO_RXQ_OVFL: the socket's cumulative drop count. Empty until the socket
  /// has dropped its first datagram, even with the option on: the kernel
  /// attaches the message only once the count is non-zero, so no value here
  /// means "no drop so far" (`core::opt::memory_info` reads the count at any time).
  std::optional<std::uint32_t> drops{};
  std::uint32_t path_mtu = 0;      ///< IPV6_PATHMTU notification; 0 when absent
  endpoint original_destination{}; ///< IP_ORIGDSTADDR / IPV6_ORIGDSTADDR (address and port)
};

namespace detail {
/// CMSG_SPACE(`payload`) as a constant: the bytes one control message with that payload takes,
/// header and padding included (cmsg(3)).
constexpr std::size_t space(std::size_t payload) noexcept { return CMSG_SPACE(payload); }
}  // namespace detail

/// Bytes of control space that hold every message in `cmsg::all` at once,
/// computed from CMSG_SPACE of each payload.
inline constexpr std::size_t max_control_size =
    detail::space(sizeof(in6_pktinfo)) +           // pktinfo (the larger of in_pktinfo / in6_pktinfo)
    detail::space(sizeof(int)) +                   // hop_limit (4-byte int on Linux, both families)
    detail::space(sizeof(int)) +                   // traffic_class (IPv4 TOS is 1 byte, IPv6 an int)
    detail::space(sizeof(timespec)) +              // SCM_TIMESTAMPNS
    detail::space(sizeof(scm_timestamping)) +      // SCM_TIMESTAMPING
    detail::space(sizeof(std::uint32_t)) +         // SO_RXQ_OVFL
    detail::space(sizeof(ip6_mtuinfo)) +           // IPV6_PATHMTU
    detail::space(sizeof(sockaddr_in6));           // original destination

/// A control buffer large enough for every message mcnet can enable,
/// aligned for cmsghdr. Caller-owned; lives next to its message.
struct control_buffer {
  alignas(cmsghdr) std::array<std::byte, max_control_size> bytes{};  ///< the control bytes, max_control_size of them
  /// The bytes, for message::control.
  [[nodiscard]] std::span<std::byte> span() noexcept { return bytes; }
};

/// One received control message: its level, type and payload bytes (as many
/// as the kernel's cmsg_len says).
struct cmsg_entry {
  int level = 0;                      ///< cmsg_level: SOL_SOCKET, IPPROTO_IP or IPPROTO_IPV6
  int type = 0;                       ///< cmsg_type: IP_PKTINFO, SCM_TIMESTAMPNS, ...
  std::span<const std::byte> data{};  ///< the payload (CMSG_DATA), inside the caller's buffer
};

/// Iterates the control messages in a received control buffer, checking each
/// header against the bytes really there. A header whose cmsg_len is smaller
/// than a header or runs past the end ends the walk with
/// errc::truncated_control_message.
class cmsg_view {
 public:
  /// Walk `control` (the msg_controllen bytes a read filled); borrows it.
  explicit cmsg_view(std::span<const std::byte> control) noexcept : rest_(control) {}

  /// The next entry; std::nullopt at the end; an error for a malformed entry.
  [[nodiscard]] result<std::optional<cmsg_entry>> next() noexcept;

 private:
  std::span<const std::byte> rest_;
};

/// Decode the control messages in `control` whose kinds are in `wanted` into
/// `out`. Unknown entries are skipped. Errors: errc::truncated_control_message
/// (naming the message) when an entry is shorter than its type needs or a
/// header is malformed; what was decoded before it stays in `out`.
[[nodiscard]] result<void> decode_control(std::span<const std::byte> control, cmsg wanted, packet_info& out) noexcept;

/// Appends control messages to a caller-owned buffer for sendmsg.
class cmsg_writer {
 public:
  /// Write into `buffer` (aligned for cmsghdr; message::control of a write); borrows it.
  explicit cmsg_writer(std::span<std::byte> buffer) noexcept : buffer_(buffer) {}

  /// Append a message with `payload` (raw bytes). Errors:
  /// errc::value_out_of_range when it does not fit (nothing is written).
  [[nodiscard]] result<void> append(int level, int type, std::span<const std::byte> payload) noexcept;

  /// Append a message whose payload is the bytes of `value`.
  template <class T>
    requires std::is_trivially_copyable_v<T>
  [[nodiscard]] result<void> append(int level, int type, const T& value) noexcept {
    return append(level, type, std::span<const std::byte>(std::as_bytes(std::span<const T, 1>(&value, 1))));
  }

  /// Bytes written so far (what msg_controllen must be).
  [[nodiscard]] std::size_t size() const noexcept { return used_; }
  /// The bytes written so far, for message::control with control_size = size().
  [[nodiscard]] std::span<std::byte> written() const noexcept { return buffer_.first(used_); }

 private:
  std::span<std::byte> buffer_;
  std::size_t used_ = 0;
};

}  // namespace mcnet::core
