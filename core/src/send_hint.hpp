// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The mcnet authors
//
// Not an interface: the hint a failed send or connect gets when the kernel
// found no route (ENETUNREACH), and the hints of a failed connect. A host without a default route and without
// a multicast interface set has nowhere to send a group's datagrams, and a
// zone may name an interface this namespace has not; the bare errno says
// "Network is unreachable" and nothing of why.
#pragma once

#include <string_view>
#include <system_error>

#include <mcnet/core/endpoint.hpp>
#include <mcnet/core/error.hpp>
#include <mcnet/core/interface.hpp>

namespace mcnet::core::detail {

// The hint of EPIPE, the one wording of every stream write (write_some,
// write_all, writev_all, send_zerocopy): "the socket is not connected"
// for a TCP socket that never had a connection (closed, and no segment
// ever sent: TCP_INFO), else the connection is gone or shut down.
// `counted`: a looping write, whose hint says how much it sent ({number}).
std::string_view broken_pipe_hint(int fd, bool counted) noexcept;

// What every failed single stream call adds to its error (read_some,
// write_some, ..., send_zerocopy), failure paths only: the socket named
// (its peer's IP endpoint; for a Unix socket its peer's address, else its
// own) and the hint of the errno (EPIPE, ECONNRESET, the kernel's
// ETIMEDOUT, ECONNREFUSED, ENOTCONN, EMSGSIZE), which replaces none when
// there is none. Not for would-block, which is control flow.
error& describe_stream_error(error& e, int fd) noexcept;

inline error& with_send_hint(error& e, const endpoint& to) noexcept {
  if (e.code != std::errc::network_unreachable) return e;
  const auto address = to.address().unmap();  // a v4-mapped group is sent as IPv4
  if (address.scope_id() != 0 && !interface_ref::by_index(address.scope_id())) {
    return e.with_interface(address.scope_id())
        .with_hint("the zone names interface index {interface}, which this network namespace does not have");
  }
  if (!address.is_multicast()) return e;
  return e.with_hint(address.is_v4()
                         ? "no route to the group: set the multicast interface (IP_MULTICAST_IF) or add a "
                           "multicast route (ip route add 224.0.0.0/4 dev IFACE)"
                         : "no route to the group: IPv6 needs one even with IPV6_MULTICAST_IF set; the kernel "
                           "adds ff00::/8 on every interface that is up (ip -6 route show table local): bring the "
                           "interface up, or add it (ip -6 route add multicast ff00::/8 dev IFACE table local)");
}

// The hint of a failed connect (connect, connect_start, connect_finish):
// the send hint for ENETUNREACH to a group or a zone, else a short word on
// what the kernel's refusal, timeout or unreachability means (connect(2),
// tcp(7)).
inline error& with_connect_hint(error& e, const endpoint& to) noexcept {
  with_send_hint(e, to);
  // The kernel's errno only: mcnet's errc::timed_out (the caller's
  // deadline) compares equal to std::errc::timed_out too.
  if (!e.hint().empty() || e.code.category() != std::system_category()) return e;
  if (e.code == std::errc::connection_refused) {
    return e.with_hint("nothing listens on that port (the peer answered the SYN with a reset), or a firewall rejected it");
  }
  if (e.code == std::errc::network_unreachable) {
    return e.with_hint("no route to that address (ip route get ADDRESS), or a router on the way said so");
  }
  if (e.code == std::errc::timed_out) {
    return e.with_hint("no answer to the SYN (the kernel gave up after net.ipv4.tcp_syn_retries or TCP_SYNCNT "
                       "tries): a firewall dropping it, or the host is down");
  }
  if (e.code == std::errc::host_unreachable) {
    return e.with_hint("the host does not answer: no ARP (IPv4) or neighbour discovery (IPv6) reply on its link, or "
                       "a router on the way said so");
  }
  return e;
}

}  // namespace mcnet::core::detail
