// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The mcnet authors
#pragma once

/// @file
/// Binding, connecting and naming sockets, and the blocking mode.

#include <chrono>

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
[[nodiscard]] result<void> bind(socket_ref s, const endpoint& local) noexcept;

/// connect(2) to `remote`, mapping families as `bind` does. On a UDP socket
/// this fixes the destination (a multicast group may be the destination) and
/// filters what is received to that peer. On a blocking TCP socket it waits
/// for the handshake as long as the kernel does; on a nonblocking one
/// EINPROGRESS is returned as an error (use the overload with a timeout).
/// Errors: errc::family_mismatch as `bind`; errc::interface_required for an
/// IPv6 link-local or interface-local `remote` without a scope id on a socket
/// bound to no device (the kernel's EINVAL: ipv6(7) needs the interface);
/// connect's errno with the endpoint attached (ECONNREFUSED, ENETUNREACH, ...).
[[nodiscard]] result<void> connect(socket_ref s, const endpoint& remote) noexcept;

/// connect(2) to `remote`, waiting at most `timeout` for it to complete
/// (the TCP handshake): the call is made nonblocking, "in progress" is
/// waited for with poll(2) and the outcome read from `SO_ERROR`; the
/// socket's O_NONBLOCK is as it was before the call. Errors: as `connect`;
/// errc::timed_out when `timeout` passed first (the attempt is abandoned:
/// close the socket).
[[nodiscard]] result<void> connect(socket_ref s, const endpoint& remote, std::chrono::nanoseconds timeout) noexcept;

/// getsockname(2): the address and port the socket is bound to (port 0 at
/// bind time is replaced by the port the kernel chose).
[[nodiscard]] result<endpoint> local_endpoint(socket_ref s) noexcept;

/// getpeername(2). Errors: ENOTCONN when not connected.
[[nodiscard]] result<endpoint> peer_endpoint(socket_ref s) noexcept;

/// Switch O_NONBLOCK on or off.
[[nodiscard]] result<void> set_nonblocking(socket_ref s, bool on) noexcept;
/// Whether O_NONBLOCK is on.
[[nodiscard]] result<bool> nonblocking(socket_ref s) noexcept;

}  // namespace mcnet::core
