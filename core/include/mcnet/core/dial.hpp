// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The mcnet authors
#pragma once

/// @file
/// UDP and TCP sockets in one call: open, apply the options that must come
/// before bind and connect, bind, and connect or listen.
///
/// The options of `socket_setup` go on between socket(2) and bind(2), so
/// that the first packet already carries them: a TCP client's SYN leaves
/// with its TOS / traffic class, TTL / hop limit, fwmark and priority, and
/// the buffer sizes are known when the window scale is chosen. `dial_tcp`
/// connects without blocking and waits at most its timeout for the
/// handshake; the socket it returns is in the mode `setup.nonblocking` says.
///
/// @code
///   // A receiver for 239.255.0.1:5000 that shares the port with others.
///   auto rx = core::listen_udp(core::endpoint::parse("0.0.0.0:5000").value(),
///                              {.reuse_address = true});
///   // A sender connected to the group (the destination of every write),
///   // four hops at most.
///   auto tx = core::dial_udp(core::endpoint::parse("239.255.0.1:5000").value(), {.ttl = 4});
///   // A TCP client whose SYN is marked EF (TOS 0xb8), two seconds to connect.
///   auto c = core::dial_tcp(core::endpoint::parse("10.77.0.2:80").value(),
///                           {.tos = core::tos_from_dscp(core::dscp::ef)}, std::chrono::seconds(2));
///   if (!c) std::cerr << c.error().message() << '\n';   // "connect socket: timed out (address ...)"
/// @endcode

#include <mcnet/core/cxx20.hpp>  // first: C++20 or one clear error

#include <chrono>
#include <cstdint>
#include <optional>

#include <mcnet/core/dscp.hpp>
#include <mcnet/core/endpoint.hpp>
#include <mcnet/core/error.hpp>
#include <mcnet/core/interface.hpp>
#include <mcnet/core/socket.hpp>

namespace mcnet::core {

/// Options applied between socket(2) and bind(2), in this order; an empty
/// optional leaves the kernel's default. Each failure names its option.
struct socket_setup {
  bool reuse_address = false;  ///< `SO_REUSEADDR`
  bool reuse_port = false;     ///< `SO_REUSEPORT`
  interface_name device{};     ///< `SO_BINDTODEVICE` when not empty
  bool nonblocking = false;    ///< `SOCK_NONBLOCK`: the mode of the socket returned
  /// dial_*: bind here before connecting (choose the source address or port).
  std::optional<endpoint> local{};
  /// `SO_SNDBUF` / `SO_RCVBUF` in bytes (the kernel doubles them and clamps
  /// at net.core.wmem_max / rmem_max, socket(7)). Before connect, a TCP
  /// receive buffer also sets the window scale the SYN offers (tcp(7)).
  std::optional<int> send_buffer{};
  std::optional<int> receive_buffer{};  ///< `SO_RCVBUF` in bytes, as above (net.core.rmem_max)
  /// `SO_MARK`: the fwmark, for policy routing of the first packet on
  /// (needs CAP_NET_ADMIN).
  std::optional<std::uint32_t> mark{};
  /// `IP_TOS` (IPv4) or `IPV6_TCLASS` (IPv6): the whole byte, DSCP in the
  /// high six bits (`tos_from_dscp`, dscp.hpp). On TCP the kernel keeps the
  /// ECN bits its own (ip(7)).
  std::optional<std::uint8_t> tos{};
  /// `IP_TTL` / `IPV6_UNICAST_HOPS`, 1 to 255; when the endpoint given is a
  /// multicast group also `IP_MULTICAST_TTL` / `IPV6_MULTICAST_HOPS`, so a
  /// dial_udp to a group sends with it. Errors: errc::value_out_of_range.
  std::optional<int> ttl{};
  /// `SO_PRIORITY`: the queueing priority of what is sent (0 to 6 without
  /// CAP_NET_ADMIN). Set after `IP_TOS`, which sets the priority as well
  /// (ip(7)).
  std::optional<int> priority{};
};

/// A UDP socket bound to `local` (port 0: the kernel picks; read it with
/// local_endpoint). For multicast reception bind the wildcard address or the
/// group itself, then join. Errors: of socket, the options (named), and bind.
[[nodiscard]] result<socket> listen_udp(const endpoint& local, const socket_setup& setup = {}) noexcept;

/// A UDP socket connected to `remote`: every write goes there, and only
/// datagrams from there are received. `remote` may be a multicast group (to
/// send); the kernel picks the route and source address at connect time, so
/// with no route to an IPv4 group (ENETUNREACH) open the socket, set the
/// multicast interface, then `connect` (IPv6 needs a route to ff00::/8 on
/// the interface even then; the error's hint says so). Errors: as listen_udp, and
/// connect's (errc::interface_required for an IPv6 link-local or
/// interface-local `remote` without zone or device).
[[nodiscard]] result<socket> dial_udp(const endpoint& remote, const socket_setup& setup = {}) noexcept;

/// A listening TCP socket. Errors: as listen_udp, and listen's.
[[nodiscard]] result<socket> listen_tcp(const endpoint& local, const socket_setup& setup = {},
                                        int backlog = 128) noexcept;

/// A TCP connection to `remote`, waiting at most `timeout` for the handshake
/// (nonblocking connect, poll(2), `SO_ERROR`; see `connect` with a timeout;
/// a signal does not end the wait). The socket returned blocks unless
/// `setup.nonblocking`. Errors: as
/// listen_udp; errc::timed_out; errc::interface_required (an IPv6
/// link-local `remote` without zone or device); ECONNREFUSED, ENETUNREACH, ...
[[nodiscard]] result<socket> dial_tcp(const endpoint& remote, const socket_setup& setup = {},
                                      std::chrono::nanoseconds timeout = std::chrono::seconds(30)) noexcept;

/// accept(2) on a listening TCP socket, waiting at most `timeout`; the
/// peer's endpoint goes to `peer` when given. The same as
/// `accept(listener, wait_policy::deadline(timeout), peer)` (socket_ops.hpp),
/// which takes any wait policy and listener family. Errors: errc::timed_out,
/// errno, naming the listener's endpoint.
[[nodiscard]] result<socket> accept_tcp(socket_ref listener, std::chrono::nanoseconds timeout,
                                        endpoint* peer = nullptr) noexcept;

}  // namespace mcnet::core
