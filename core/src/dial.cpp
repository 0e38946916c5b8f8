// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The mcnet authors
#include <mcnet/core/dial.hpp>

#include <poll.h>

#include <mcnet/core/message.hpp>
#include <mcnet/core/socket_ops.hpp>
#include <mcnet/core/socket_options.hpp>

#include "sys/calls.hpp"

namespace mcnet::core {
namespace {

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
  auto blocking_wanted = !setup.nonblocking;
  socket_setup nb = setup;
  nb.nonblocking = true;  // connect without blocking, then wait with a deadline
  auto s = open_and_connect(remote, SOCK_STREAM, nb);
  if (!s) return s;
  auto r = connect(*s, remote);
  if (!r && r.error().code != std::errc::operation_in_progress) return fail(r.error());
  if (!r) {
    auto ready = wait_writable(*s, wait_policy::deadline(timeout));
    if (!ready) {
      auto e = ready.error();
      e.op = "connect";
      return fail(e.with_address(remote.address()).with_port(remote.port()));
    }
    auto pending = get(*s, opt::pending_error);
    if (!pending) return fail(pending.error());
    if (*pending) {
      return fail(error(*pending, "connect", "socket").with_address(remote.address()).with_port(remote.port()));
    }
  }
  if (blocking_wanted) {
    if (auto b = set_nonblocking(*s, false); !b) return fail(b.error());
  }
  return s;
}

result<socket> accept_tcp(socket_ref listener, std::chrono::nanoseconds timeout, endpoint* peer) noexcept {
  if (auto ready = wait_readable(listener, wait_policy::deadline(timeout)); !ready) {
    auto e = ready.error();
    e.op = "accept";
    return fail(e);
  }
  sockaddr_storage name{};
  socklen_t length = 0;
  auto fd = sys::accept(listener.native_handle(), name, length, false);
  if (!fd) return fail(fd.error());
  if (peer != nullptr) {
    auto e = endpoint::from_sockaddr(reinterpret_cast<const sockaddr*>(&name), length);
    if (e) *peer = *e;
  }
  return socket::adopt(std::move(*fd));
}

}  // namespace mcnet::core
