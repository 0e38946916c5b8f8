// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The mcnet authors
#pragma once

// The layer's one NETLINK_ROUTE transport, private to netlink/src. libnl does
// the socket work: nl_socket_alloc/nl_connect, buffer sizes, group
// memberships, requests (nlmsg_alloc_size, nlmsg_put, nlmsg_append,
// nla_put*), sending with automatic sequence numbers (nl_send_auto),
// receiving (nl_recv) and message validation (nlmsg_ok/nlmsg_next). The few socket calls libnl 3.7
// has no function for (NETLINK_GET_STRICT_CHK, NETLINK_EXT_ACK,
// SO_RCVBUFFORCE) and setns(2) live in transport.cpp and nowhere else in
// netlink/. Attributes are parsed in parse.cpp by our own one-pass walk.

#include <linux/netlink.h>
#include <linux/rtnetlink.h>

#include <netlink/msg.h>
#include <netlink/socket.h>

#include <cstddef>
#include <cstdint>
#include <initializer_list>
#include <memory>
#include <string_view>
#include <type_traits>

#include <mcnet/core/error.hpp>

// Newer kernels' constants, absent from Debian 12's headers (linux-libc-dev 6.1).
#ifndef RTNLGRP_IPV4_MCADDR
#define RTNLGRP_IPV4_MCADDR 37
#endif
#ifndef RTNLGRP_IPV6_MCADDR
#define RTNLGRP_IPV6_MCADDR 38
#endif
#ifndef RTM_NEWMULTICAST
#define RTM_NEWMULTICAST 56
#endif
#ifndef RTM_DELMULTICAST
#define RTM_DELMULTICAST 57
#endif

namespace mcnet::netlink::detail {

/// A stateless deleter calling `Fn`: libnl objects live in unique_ptrs of
/// these (no std::function, no state per pointer).
template <auto Fn>
struct deleter {
  void operator()(auto* p) const noexcept { Fn(p); }
};

using socket_ptr = std::unique_ptr<nl_sock, deleter<nl_socket_free>>;
using message_ptr = std::unique_ptr<nl_msg, deleter<nlmsg_free>>;

/// Called for each message a transaction or a notification read delivers.
using on_message = void (*)(const nlmsghdr& h, void* context);

/// One request (nlmsg_alloc_size, nlmsg_put): a fixed part, then
/// attributes. The first libnl failure is kept and returned by
/// transport::transact.
class request {
 public:
  /// The room a request has, in bytes (libnl's own default is a page): the
  /// largest here is RTM_GETLINK by a 127-byte alternative name (172
  /// bytes). More fails as NLE_NOMEM.
  static constexpr std::size_t capacity = 512;

  /// `flags` besides NLM_F_REQUEST (nl_send_auto adds it): 0 or NLM_F_DUMP.
  request(std::uint16_t type, std::uint16_t flags) noexcept;

  /// Append the fixed header (ifinfomsg, ifaddrmsg, rtmsg) with nlmsg_append.
  template <class T>
  request& fixed(const T& value) noexcept {
    return append(&value, sizeof value);
  }
  request& u32(int type, std::uint32_t value) noexcept;                    ///< nla_put_u32
  request& bytes(int type, const void* data, std::size_t size) noexcept;  ///< nla_put
  /// A NUL-terminated string attribute (nla_reserve, then copied).
  request& string(int type, std::string_view text) noexcept;

 private:
  friend class transport;
  request& append(const void* data, std::size_t size) noexcept;
  void keep(int nle) noexcept {
    if (nle < 0 && error_ == 0) error_ = nle;
  }

  message_ptr message_;
  int error_ = 0;  // the first negative NLE_*, 0: none
};

/// What one read of a notification socket found.
enum class notice : std::uint8_t {
  messages,  ///< a batch was delivered to the callback
  none,      ///< nothing queued (nonblocking)
  lost,      ///< the queue overflowed (ENOBUFS): notifications were dropped
};

class transport {
 public:
  /// The size of the buffer nl_recv reads into (nl_socket_set_msg_buf_size),
  /// in bytes: at least 32 KiB, because the kernel fills a dump's reads up to
  /// the reader's buffer, at most 32 KiB, and smaller buffers cost 12-29 %.
  /// Larger single messages (a link with many VFs) fail as NLE_MSG_TRUNC.
  static constexpr std::size_t message_buffer_size = 64 * 1024;

  /// A NETLINK_ROUTE socket in the calling thread's network namespace
  /// (nl_connect), asking for strict checking (NETLINK_GET_STRICT_CHK) and
  /// extended ACKs where the kernel has them. `receive_buffer` > 0 sizes its
  /// queue in bytes (nl_socket_set_buffer_size, then SO_RCVBUFFORCE where
  /// permitted, so that rmem_max does not clamp it); 0 keeps libnl's.
  /// Errors: libnl's (NLE_*) in the libnl category.
  static result<transport> open(int receive_buffer = 0) noexcept;

  /// Join rtnetlink multicast groups (RTNLGRP_*; nl_socket_add_memberships), in order.
  /// Errors: NLE_* (an unknown group: NLE_INVAL from the kernel's EINVAL).
  result<void> subscribe(std::initializer_list<int> groups) noexcept;
  /// Make reads nonblocking (nl_socket_set_nonblocking).
  result<void> set_nonblocking() noexcept;

  /// Send `r` (sequence number and port id filled in by nl_send_auto) and
  /// feed every answer carrying that sequence number and this socket's port
  /// id to `fn`, until NLMSG_DONE for a dump, or the one answer otherwise.
  /// Returns whether the dump was interrupted (NLM_F_DUMP_INTR).
  /// Errors: the kernel's NLMSG_ERROR as its errno (system category); libnl's
  /// failures (building, sending, receiving) as NLE_* in the libnl category.
  result<bool> transact(request& r, on_message fn, void* context) noexcept;

  template <class F>
  result<bool> transact(request& r, F&& f) noexcept {
    return transact(r, [](const nlmsghdr& h, void* c) { (*static_cast<std::remove_reference_t<F>*>(c))(h); }, &f);
  }

  /// One read of whatever is queued (nl_recv): every valid message goes to
  /// `fn`. An overflow is told apart from a failed allocation by the
  /// socket's errno (libnl reports both as NLE_NOMEM).
  result<notice> receive(on_message fn, void* context) noexcept;

  template <class F>
  result<notice> receive(F&& f) noexcept {
    return receive([](const nlmsghdr& h, void* c) { (*static_cast<std::remove_reference_t<F>*>(c))(h); }, &f);
  }

  /// Whether the kernel filters dumps by the request's fields (NETLINK_GET_STRICT_CHK).
  [[nodiscard]] bool strict() const noexcept { return strict_; }
  /// The socket's descriptor, for poll/epoll.
  [[nodiscard]] int fd() const noexcept;

 private:
  socket_ptr socket_;
  bool strict_ = false;
};

}  // namespace mcnet::netlink::detail

#include <mcnet/netlink/query.hpp>

namespace mcnet::netlink::detail {
/// The calling thread's transport for lookups, opened on first use and again
/// whenever the thread has moved to another network namespace (setns).
result<transport*> lookup_transport();
/// take_snapshot over a transport that already exists (and so in its
/// namespace, whatever the calling thread's).
result<snapshot> snapshot_with(transport& s, const snapshot_options& options);
}  // namespace mcnet::netlink::detail
