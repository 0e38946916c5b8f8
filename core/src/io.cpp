// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The mcnet authors
//
// read_from / write_to / read_batch / write_batch and the three wait modes.
// Every system call runs with MSG_DONTWAIT; waiting is done here, so the
// descriptor's own O_NONBLOCK setting never matters. The per-call scratch
// (mmsghdr, iovec, sockaddr_storage) lives on the stack: no allocation.

#include <mcnet/core/message.hpp>

#include <poll.h>

#include <algorithm>
#include <array>

#include "sys/calls.hpp"

namespace mcnet::core {
namespace {

using clock = std::chrono::steady_clock;

bool would_block(const error& e) noexcept { return e.code == errc::would_block; }

inline void cpu_relax() noexcept {
#if defined(__x86_64__) || defined(__i386__)
  __builtin_ia32_pause();
#elif defined(__aarch64__)
  asm volatile("yield");
#endif
}

// Run `attempt` until it does something other than would-block, waiting for
// `events` on `fd` as the policy says.
template <class Attempt>
auto with_wait(int fd, short events, wait_policy wait, Attempt&& attempt) noexcept -> decltype(attempt()) {
  auto r = attempt();
  if (r || !would_block(r.error()) || wait.kind() == wait_policy::mode::nonblocking) return r;

  const auto start = clock::now();
  const bool forever = wait.timeout() == std::chrono::nanoseconds::max();
  if (wait.kind() == wait_policy::mode::adaptive) {
    const auto spin = std::min(wait.spin(), wait.timeout());
    while (clock::now() - start < spin) {
      r = attempt();
      if (r || !would_block(r.error())) return r;
      cpu_relax();
    }
  }
  while (true) {
    long long left = -1;
    if (!forever) {
      left = (wait.timeout() - (clock::now() - start)).count();
      if (left <= 0) return fail(error(errc::timed_out, r.error().op, "socket"));
    }
    auto ready = sys::poll_one(fd, events, left);
    if (!ready) return fail(ready.error());
    r = attempt();
    if (r || !would_block(r.error())) return r;
    // Spurious wake-up, or another reader took the datagram: wait again.
  }
}

void prepare_read(message& m, iovec& iov, sockaddr_storage& name, msghdr& h) noexcept {
  iov = {m.buffer.data(), m.buffer.size()};
  h = {};
  h.msg_name = &name;
  h.msg_namelen = sizeof name;
  h.msg_iov = &iov;
  h.msg_iovlen = 1;
  h.msg_control = m.control.empty() ? nullptr : m.control.data();
  h.msg_controllen = m.control.size();
}

void finish_read(message& m, const sockaddr_storage& name, const msghdr& h, std::size_t length,
                 cmsg decode) noexcept {
  m.wire_size = length;
  m.truncated = (h.msg_flags & MSG_TRUNC) != 0;
  m.size = std::min(length, m.buffer.size());
  m.control_truncated = (h.msg_flags & MSG_CTRUNC) != 0;
  m.control_size = h.msg_controllen;
  auto peer = endpoint::from_sockaddr(reinterpret_cast<const sockaddr*>(&name), h.msg_namelen);
  m.peer = peer ? *peer : endpoint();
  m.info = packet_info{};
  m.control_error = {};
  if (any(decode) && h.msg_controllen > 0) {
    auto r = decode_control(std::span<const std::byte>(m.control.data(), h.msg_controllen), decode, m.info);
    if (!r) m.control_error = r.error().code;
  }
}

// Fill `name` for a destination; returns its length (0: connected socket).
socklen_t prepare_destination(const message& m, sockaddr_storage& name) noexcept {
  return m.peer.address().is_valid() ? m.peer.to_sockaddr(name) : 0;
}

void prepare_write(const message& m, iovec& iov, sockaddr_storage& name, msghdr& h) noexcept {
  iov = {m.buffer.data(), std::min(m.size, m.buffer.size())};
  h = {};
  const socklen_t length = prepare_destination(m, name);
  h.msg_name = length ? &name : nullptr;
  h.msg_namelen = length;
  h.msg_iov = &iov;
  h.msg_iovlen = 1;
  h.msg_control = m.control_size ? m.control.data() : nullptr;
  h.msg_controllen = m.control_size;
}

}  // namespace

result<void> wait_readable(socket_ref s, wait_policy wait) noexcept {
  auto probe = [fd = s.native_handle()]() noexcept -> result<void> {
    auto ready = sys::poll_one(fd, POLLIN, 0);
    if (!ready) return fail(ready.error());
    if (!*ready) return fail(error(errc::would_block, "poll", "socket"));
    return {};
  };
  return with_wait(s.native_handle(), POLLIN, wait, probe);
}

result<void> wait_writable(socket_ref s, wait_policy wait) noexcept {
  auto probe = [fd = s.native_handle()]() noexcept -> result<void> {
    auto ready = sys::poll_one(fd, POLLOUT, 0);
    if (!ready) return fail(ready.error());
    if (!*ready) return fail(error(errc::would_block, "poll", "socket"));
    return {};
  };
  return with_wait(s.native_handle(), POLLOUT, wait, probe);
}

result<void> read_from(socket_ref s, message& m, cmsg decode, wait_policy wait) noexcept {
  iovec iov{};
  sockaddr_storage name{};
  msghdr h{};
  const int fd = s.native_handle();
  auto r = with_wait(fd, POLLIN, wait, [&]() noexcept {
    prepare_read(m, iov, name, h);
    return sys::recvmsg(fd, h);
  });
  if (!r) return fail(r.error());
  finish_read(m, name, h, *r, decode);
  return {};
}

result<void> write_to(socket_ref s, const message& m, wait_policy wait) noexcept {
  iovec iov{};
  sockaddr_storage name{};
  msghdr h{};
  prepare_write(m, iov, name, h);
  const int fd = s.native_handle();
  auto r = with_wait(fd, POLLOUT, wait, [&]() noexcept { return sys::sendmsg(fd, h); });
  if (!r) {
    auto e = r.error();
    if (m.peer.address().is_valid()) e.with_address(m.peer.address()).with_port(m.peer.port());
    return fail(e);
  }
  return {};
}

result<std::size_t> read_batch(socket_ref s, std::span<message> msgs, cmsg decode, wait_policy wait) noexcept {
  if (msgs.empty()) return std::size_t{0};
  std::array<mmsghdr, batch_limit> headers;
  std::array<iovec, batch_limit> iovs;
  std::array<sockaddr_storage, batch_limit> names;
  const int fd = s.native_handle();
  std::size_t done = 0;
  while (done < msgs.size()) {
    const auto chunk = std::min(batch_limit, msgs.size() - done);
    auto r = [&]() noexcept {
      auto attempt = [&]() noexcept {
        for (std::size_t i = 0; i < chunk; ++i) {
          prepare_read(msgs[done + i], iovs[i], names[i], headers[i].msg_hdr);
          headers[i].msg_len = 0;
        }
        return sys::recvmmsg(fd, headers.data(), static_cast<unsigned>(chunk));
      };
      // Wait only for the first datagram; afterwards take what is queued.
      return done == 0 ? with_wait(fd, POLLIN, wait, attempt) : attempt();
    }();
    if (!r) {
      if (done > 0) break;  // what arrived is delivered; the next call reports the error
      return fail(r.error());
    }
    for (std::size_t i = 0; i < *r; ++i) {
      finish_read(msgs[done + i], names[i], headers[i].msg_hdr, headers[i].msg_len, decode);
    }
    done += *r;
    if (*r < chunk) break;  // the queue is empty
  }
  return done;
}

result<std::size_t> write_batch(socket_ref s, std::span<const message> msgs, wait_policy wait) noexcept {
  std::array<mmsghdr, batch_limit> headers;
  std::array<iovec, batch_limit> iovs;
  std::array<sockaddr_storage, batch_limit> names;
  const int fd = s.native_handle();
  std::size_t done = 0;
  while (done < msgs.size()) {
    const auto chunk = std::min(batch_limit, msgs.size() - done);
    for (std::size_t i = 0; i < chunk; ++i) {
      prepare_write(msgs[done + i], iovs[i], names[i], headers[i].msg_hdr);
      headers[i].msg_len = 0;
    }
    auto r = with_wait(fd, POLLOUT, wait,
                       [&]() noexcept { return sys::sendmmsg(fd, headers.data(), static_cast<unsigned>(chunk)); });
    if (!r) {
      if (done > 0) break;
      auto e = r.error();
      const auto& first = msgs[done];
      if (first.peer.address().is_valid()) e.with_address(first.peer.address()).with_port(first.peer.port());
      return fail(e);
    }
    done += *r;
  }
  return done;
}

}  // namespace mcnet::core
