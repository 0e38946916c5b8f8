// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The mcnet authors
#pragma once

/// @file
/// Control messages (ancillary data, cmsg(3)): a buffer sized at compile
/// time for every message mcnet can enable, a checked view over received
/// `cmsghdr`s, a decoder into `packet_info`, and a writer for sending.
/// The Unix-socket messages (`SCM_RIGHTS`, `SCM_CREDENTIALS`, unix(7)) have
/// a writer and a decoder of their own: received descriptors come back
/// owned (`take_descriptors`). Nothing here allocates or throws.

#include <mcnet/core/cxx20.hpp>  // first: C++20 or one clear error

#include <sys/types.h>
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
#include <mcnet/core/unique_fd.hpp>

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
  /// UDP_GRO (SOL_UDP, udp(7), Linux 5.0): the segment size of a read the kernel
  /// coalesced from several datagrams (core::opt::udp_gro); split it with
  /// core::datagrams (<mcnet/core/datagrams.hpp>). The reads (read_from,
  /// read_batch, receive_batch, uring_receiver) decode it always; the flag
  /// is for decode_control.
  segment_size = 1u << 8,
  all = (1u << 9) - 1,
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
  /// UDP_GRO: the size in bytes of each datagram of a read the kernel
  /// coalesced (all but the last are this long, the last may be shorter);
  /// 0 when absent: the read is one datagram. Only on a socket with
  /// `core::opt::udp_gro` on, and only for reads of several datagrams.
  std::uint32_t segment_size = 0;
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
    detail::space(sizeof(sockaddr_in6)) +          // original destination
    detail::space(sizeof(int));                    // UDP_GRO segment size

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

/// The most descriptors one `SCM_RIGHTS` message carries: the kernel's
/// `SCM_MAX_FD` (include/net/scm.h, not in the user-space headers). A
/// sendmsg(2) with more fails with EINVAL.
inline constexpr std::size_t max_fds_per_message = 253;

/// What an `SCM_CREDENTIALS` message carries (`struct ucred`, unix(7)): a
/// process id, user id and group id. Received only on a socket with
/// `SO_PASSCRED` on, where the kernel attaches them to every message (the
/// sender's real ones when it sent none).
struct unix_credentials {
  pid_t pid = 0;  ///< process id
  uid_t uid = 0;  ///< user id
  gid_t gid = 0;  ///< group id

  /// getpid(2), getuid(2), getgid(2): what an unprivileged sender may send.
  [[nodiscard]] static unix_credentials of_this_process() noexcept;

  /// Equal when pid, uid and gid are.
  friend constexpr bool operator==(const unix_credentials&, const unix_credentials&) noexcept = default;
};

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

  /// Append an `SCM_RIGHTS` message carrying `fds` (unix(7)): the receiver
  /// gets duplicates of them; they stay open and the caller's here. Errors:
  /// errc::value_out_of_range (nothing written) when `fds` is empty or has
  /// more than `max_fds_per_message` descriptors (the kernel's SCM_MAX_FD,
  /// above which sendmsg(2) fails with EINVAL), or when it does not fit.
  [[nodiscard]] result<void> append_rights(std::span<const int> fds) noexcept;

  /// Append an `SCM_CREDENTIALS` message (`struct ucred`, unix(7)). The
  /// kernel checks them at send time: without CAP_SYS_ADMIN / CAP_SETUID /
  /// CAP_SETGID they must be the sender's own pid, uid and gid (sendmsg
  /// fails with EPERM otherwise). Errors: errc::value_out_of_range when it
  /// does not fit.
  [[nodiscard]] result<void> append_credentials(const unix_credentials& credentials) noexcept;

  /// Append a `UDP_SEGMENT` message (SOL_UDP, a u16, udp(7), Linux 4.18):
  /// the kernel cuts this send's payload into datagrams of `segment_size`
  /// bytes (the last may be shorter), each with its own UDP and IP header,
  /// overriding the socket's `core::opt::udp_segment` for this message.
  /// Check the payload first with core::check_segmentation
  /// (<mcnet/core/datagrams.hpp>), which says why the kernel would refuse
  /// it. Errors: errc::value_out_of_range when `segment_size` is 0 (the
  /// kernel would send the payload as one datagram, not segmented) or when
  /// it does not fit (nothing is written).
  [[nodiscard]] result<void> append_segment_size(std::uint16_t segment_size) noexcept;

  /// Bytes written so far (what msg_controllen must be).
  [[nodiscard]] std::size_t size() const noexcept { return used_; }
  /// The bytes written so far, for message::control with control_size = size().
  [[nodiscard]] std::span<std::byte> written() const noexcept { return buffer_.first(used_); }

 private:
  std::span<std::byte> buffer_;
  std::size_t used_ = 0;
};

/// Control space that holds what a Unix socket can deliver with one
/// message: an `SCM_RIGHTS` with `max_fds_per_message` descriptors, an
/// `SCM_CREDENTIALS` (`SO_PASSCRED`) and an `SCM_PIDFD` (`SO_PASSPIDFD`).
/// Receiving into this much, a descriptor is never cut by MSG_CTRUNC
/// (unless `SO_PASSSEC` adds a security label of its own).
inline constexpr std::size_t max_unix_control_size = detail::space(max_fds_per_message * sizeof(int)) +
                                                     detail::space(sizeof(unix_credentials)) +
                                                     detail::space(sizeof(int));

/// What the `SOL_SOCKET` messages of a Unix socket said (`decode_unix_control`).
struct unix_control {
  std::size_t fds = 0;  ///< descriptor numbers in every `SCM_RIGHTS` message, all of them
  std::optional<unix_credentials> credentials{};  ///< `SCM_CREDENTIALS`, when present
};

/// Read the `SCM_RIGHTS` and `SCM_CREDENTIALS` messages in `control`
/// without taking anything: the first `numbers.size()` descriptor numbers
/// are copied into `numbers`, all are counted. For inspecting bytes; a
/// buffer a recvmsg(2) just filled holds open descriptors, which
/// `take_descriptors` (or `receive_with_fds`, unix_socket.hpp) must take,
/// or they leak. Other messages are skipped. Errors:
/// errc::truncated_control_message when a header is malformed (cmsg_len
/// shorter than a header or past the end), an `SCM_RIGHTS` payload is not a
/// whole number of ints, or an `SCM_CREDENTIALS` payload is shorter than
/// `struct ucred` (the first such problem; the walk goes on past a bad
/// payload while the headers hold, and stops at a bad header).
[[nodiscard]] result<unix_control> decode_unix_control(std::span<const std::byte> control,
                                                      std::span<int> numbers) noexcept;

/// What `take_descriptors` took.
struct taken_descriptors {
  std::size_t stored = 0;  ///< descriptors now owned by the first `stored` entries of the caller's span
  std::size_t closed = 0;  ///< descriptors beyond the span's capacity (or a pidfd, `SCM_PIDFD`): closed here
  std::optional<unix_credentials> credentials{};  ///< `SCM_CREDENTIALS`, when present
};

/// Take ownership of every descriptor in the control bytes a recvmsg(2)
/// just filled (`SCM_RIGHTS`, and `SCM_PIDFD` of `SO_PASSPIDFD`, which is
/// closed): the first `fds_out.size()` go into `fds_out` in the order they
/// came (what those entries held is closed), the others are closed and
/// counted, so none leaks whatever the caller does next. Only for bytes the
/// kernel wrote: the numbers are closed. Errors: as `decode_unix_control`;
/// every descriptor found is then closed, so none stays in `fds_out`.
[[nodiscard]] result<taken_descriptors> take_descriptors(std::span<const std::byte> control,
                                                        std::span<unique_fd> fds_out) noexcept;

}  // namespace mcnet::core
