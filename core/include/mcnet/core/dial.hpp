// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The mcnet authors
#pragma once

/// @file
/// UDP and TCP sockets in one call: open, apply the options that must come
/// before bind, bind, and connect or listen.
///
/// @code
///   // A receiver for 239.255.0.1:5000 that shares the port with others.
///   auto rx = core::listen_udp(core::endpoint::parse("0.0.0.0:5000").value(),
///                              {.reuse_address = true});
///   // A sender connected to the group (the destination of every write).
///   auto tx = core::dial_udp(core::endpoint::parse("239.255.0.1:5000").value());
/// @endcode

#include <chrono>
#include <optional>

#include <mcnet/core/endpoint.hpp>
#include <mcnet/core/error.hpp>
#include <mcnet/core/interface.hpp>
#include <mcnet/core/socket.hpp>

namespace mcnet::core {

/// Options applied between socket(2) and bind(2), in this order.
struct socket_setup {
  bool reuse_address = false;  ///< SO_REUSEADDR
  bool reuse_port = false;     ///< SO_REUSEPORT
  interface_name device{};     ///< SO_BINDTODEVICE when not empty
  bool nonblocking = false;    ///< SOCK_NONBLOCK
  /// dial_*: bind here before connecting (choose the source address or port).
  std::optional<endpoint> local{};
};

/// A UDP socket bound to `local` (port 0: the kernel picks; read it with
/// local_endpoint). For multicast reception bind the wildcard address or the
/// group itself, then join. Errors: of socket, the options (named), and bind.
[[nodiscard]] result<socket> listen_udp(const endpoint& local, const socket_setup& setup = {}) noexcept;

/// A UDP socket connected to `remote`: every write goes there, and only
/// datagrams from there are received. `remote` may be a multicast group (to
/// send); the kernel picks the route and source address at connect time, so
/// with no route to the group (ENETUNREACH) open the socket, set the
/// multicast interface, then `connect`. Errors: as listen_udp, and connect's.
[[nodiscard]] result<socket> dial_udp(const endpoint& remote, const socket_setup& setup = {}) noexcept;

/// A listening TCP socket. Errors: as listen_udp, and listen's.
[[nodiscard]] result<socket> listen_tcp(const endpoint& local, const socket_setup& setup = {},
                                        int backlog = 128) noexcept;

/// A TCP connection to `remote`, waiting at most `timeout` for the handshake.
/// Errors: errc::timed_out; ECONNREFUSED, ENETUNREACH, ...
[[nodiscard]] result<socket> dial_tcp(const endpoint& remote, const socket_setup& setup = {},
                                      std::chrono::nanoseconds timeout = std::chrono::seconds(30)) noexcept;

/// accept(2) on a listening TCP socket, waiting at most `timeout`; the
/// peer's endpoint goes to `peer` when given. Errors: errc::timed_out, errno.
[[nodiscard]] result<socket> accept_tcp(socket_ref listener, std::chrono::nanoseconds timeout,
                                        endpoint* peer = nullptr) noexcept;

}  // namespace mcnet::core
