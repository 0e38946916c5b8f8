// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The mcnet authors
#pragma once

/// @file
/// Binding, connecting and naming sockets, and the blocking mode.

#include <mcnet/core/endpoint.hpp>
#include <mcnet/core/error.hpp>
#include <mcnet/core/socket.hpp>

namespace mcnet::core {

/// bind(2) to `local`. An IPv4 endpoint on an AF_INET6 socket is bound as
/// its IPv4-mapped form (::ffff:a.b.c.d) and an IPv4-mapped endpoint on an
/// AF_INET socket as plain IPv4, so one call works on both kinds of socket.
/// Errors: errc::family_mismatch for an IPv6 endpoint on an AF_INET socket;
/// the errno of bind(2) with the endpoint attached (EADDRINUSE: set
/// SO_REUSEADDR/SO_REUSEPORT before binding; EADDRNOTAVAIL: the address is
/// not on this host).
result<void> bind(socket_ref s, const endpoint& local) noexcept;

/// connect(2) to `remote`, mapping families as `bind` does. On a UDP socket
/// this fixes the destination (a multicast group may be the destination) and
/// filters what is received to that peer.
result<void> connect(socket_ref s, const endpoint& remote) noexcept;

/// getsockname(2): the address and port the socket is bound to (port 0 at
/// bind time is replaced by the port the kernel chose).
[[nodiscard]] result<endpoint> local_endpoint(socket_ref s) noexcept;

/// getpeername(2). Errors: ENOTCONN when not connected.
[[nodiscard]] result<endpoint> peer_endpoint(socket_ref s) noexcept;

/// Switch O_NONBLOCK on or off.
result<void> set_nonblocking(socket_ref s, bool on) noexcept;
/// Whether O_NONBLOCK is on.
[[nodiscard]] result<bool> nonblocking(socket_ref s) noexcept;

}  // namespace mcnet::core
