// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The mcnet authors
#include <mcnet/core/dial.hpp>

#include <netinet/in.h>

#include <mcnet/core/socket_ops.hpp>
#include <mcnet/core/socket_options.hpp>

#include "sys/calls.hpp"

namespace mcnet::core {
namespace {

// The IP-level options of socket_setup. Core may not use the ipv4 and ipv6
// option tables, so the few it sets before connect are named here.
constexpr sockopt<int_codec> ip_tos{IPPROTO_IP, IP_TOS, "IP_TOS"};
constexpr sockopt<int_codec> ip_ttl{IPPROTO_IP, IP_TTL, "IP_TTL"};
constexpr sockopt<int_codec> ip_multicast_ttl{IPPROTO_IP, IP_MULTICAST_TTL, "IP_MULTICAST_TTL"};
constexpr sockopt<int_codec> ipv6_tclass{IPPROTO_IPV6, IPV6_TCLASS, "IPV6_TCLASS"};
constexpr sockopt<int_codec> ipv6_unicast_hops{IPPROTO_IPV6, IPV6_UNICAST_HOPS, "IPV6_UNICAST_HOPS"};
constexpr sockopt<int_codec> ipv6_multicast_hops{IPPROTO_IPV6, IPV6_MULTICAST_HOPS, "IPV6_MULTICAST_HOPS"};

template <class Option, class Value>
result<void> set_if(socket_ref s, const Option& option, const std::optional<Value>& value) noexcept {
  if (!value) return {};
  return set(s, option, *value);
}

// The options of `setup` that ride on every packet the socket sends: buffer
// sizes, mark, TOS and TTL for the family of `e` (and the multicast TTL when
// `e` is a group), then the priority, which IP_TOS would overwrite.
result<void> apply_packet_options(socket_ref s, const endpoint& e, const socket_setup& setup) noexcept {
  if (auto r = set_if(s, opt::send_buffer, setup.send_buffer); !r) return r;
  if (auto r = set_if(s, opt::receive_buffer, setup.receive_buffer); !r) return r;
  if (auto r = set_if(s, opt::mark, setup.mark); !r) return r;
  const bool v4 = e.address().is_v4();
  if (setup.tos) {
    if (auto r = set(s, v4 ? ip_tos : ipv6_tclass, int{*setup.tos}); !r) return r;
  }
  if (setup.ttl) {
    const auto& unicast = v4 ? ip_ttl : ipv6_unicast_hops;
    if (*setup.ttl < 1 || *setup.ttl > 255) {
      return fail(error(errc::value_out_of_range, "setsockopt", unicast.spelling)
                      .with_number(*setup.ttl)
                      .with_hint("a TTL or hop limit is 1 to 255"));
    }
    if (auto r = set(s, unicast, *setup.ttl); !r) return r;
    if (e.address().is_multicast()) {
      if (auto r = set(s, v4 ? ip_multicast_ttl : ipv6_multicast_hops, *setup.ttl); !r) return r;
    }
  }
  return set_if(s, opt::priority, setup.priority);
}

// socket(2) for `family`/`type` with the pre-bind options of `setup`.
result<socket> open_with(const endpoint& e, int type, const socket_setup& setup) noexcept {
  if (!e.address().is_valid()) {
    return fail(error(errc::invalid_address, "socket", "endpoint").with_hint("the endpoint has no address"));
  }
  auto s = socket::open(e.address().af(), type | (setup.nonblocking ? SOCK_NONBLOCK : 0));
  if (!s) return fail(s.error());
  if (setup.reuse_address) {
    if (auto r = set(*s, opt::reuse_address, true); !r) return fail(r.error());
  }
  if (setup.reuse_port) {
    if (auto r = set(*s, opt::reuse_port, true); !r) return fail(r.error());
  }
  if (!setup.device.empty()) {
    if (auto r = set(*s, opt::bind_to_device, setup.device); !r) return fail(r.error());
  }
  if (auto r = apply_packet_options(*s, e, setup); !r) return fail(r.error());
  return s;
}

result<socket> open_and_bind(const endpoint& local, int type, const socket_setup& setup) noexcept {
  auto s = open_with(local, type, setup);
  if (!s) return s;
  if (auto r = bind(*s, local); !r) return fail(r.error());
  return s;
}

result<socket> open_and_connect(const endpoint& remote, int type, const socket_setup& setup) noexcept {
  auto s = open_with(remote, type, setup);
  if (!s) return s;
  if (setup.local) {
    if (auto r = bind(*s, *setup.local); !r) return fail(r.error());
  }
  return s;
}

}  // namespace

result<socket> listen_udp(const endpoint& local, const socket_setup& setup) noexcept {
  return open_and_bind(local, SOCK_DGRAM, setup);
}

result<socket> dial_udp(const endpoint& remote, const socket_setup& setup) noexcept {
  auto s = open_and_connect(remote, SOCK_DGRAM, setup);
  if (!s) return s;
  if (auto r = connect(*s, remote); !r) return fail(r.error());
  return s;
}

result<socket> listen_tcp(const endpoint& local, const socket_setup& setup, int backlog) noexcept {
  auto s = open_and_bind(local, SOCK_STREAM, setup);
  if (!s) return s;
  if (auto r = sys::listen(s->native_handle(), backlog); !r) return fail(r.error());
  return s;
}

result<socket> dial_tcp(const endpoint& remote, const socket_setup& setup, std::chrono::nanoseconds timeout) noexcept {
  auto s = open_and_connect(remote, SOCK_STREAM, setup);
  if (!s) return s;
  if (auto r = connect(*s, remote, timeout); !r) return fail(r.error());
  return s;
}

result<socket> accept_tcp(socket_ref listener, std::chrono::nanoseconds timeout, endpoint* peer) noexcept {
  return accept(listener, wait_policy::deadline(timeout), peer);
}

}  // namespace mcnet::core
