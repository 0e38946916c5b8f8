// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The mcnet authors
//
// Not an interface: the hint a failed send or connect to a group gets when
// the kernel found no route (ENETUNREACH). A host without a default route
// and without a multicast interface set has nowhere to send a group's
// datagrams; the bare errno says "Network is unreachable" and nothing of why.
#pragma once

#include <system_error>

#include <mcnet/core/endpoint.hpp>
#include <mcnet/core/error.hpp>

namespace mcnet::core::detail {

inline error& with_send_hint(error& e, const endpoint& to) noexcept {
  if (e.code == std::errc::network_unreachable && to.address().is_multicast()) {
    e.with_hint(to.address().is_v4()
                    ? "no route to the group: set the multicast interface (IP_MULTICAST_IF, "
                      "ipv4::packet_conn::set_multicast_interface) or add a multicast route "
                      "(ip route add 224.0.0.0/4 dev IFACE)"
                    : "no route to the group: IPv6 needs one even with IPV6_MULTICAST_IF set; the kernel "
                      "adds ff00::/8 on every interface that is up (ip -6 route show table local): bring the "
                      "interface up, or add it (ip -6 route add multicast ff00::/8 dev IFACE table local)");
  }
  return e;
}

}  // namespace mcnet::core::detail
