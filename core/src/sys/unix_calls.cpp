// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The mcnet authors
#include "unix_calls.hpp"

#include <cerrno>

#include "calls.hpp"
#include "retry.hpp"

namespace mcnet::core::sys {

result<std::array<unique_fd, 2>> socket_pair(int family, int type, int protocol) noexcept {
  int fds[2];
  if (::socketpair(family, type | SOCK_CLOEXEC, protocol, fds) != 0) {
    auto e = error::from_errno(errno, "socketpair", "");
    return fail(e.with_hint(no_descriptor_hint(e)));
  }
  return std::array<unique_fd, 2>{unique_fd(fds[0]), unique_fd(fds[1])};
}

result<socklen_t> socket_name(int fd, sockaddr_storage& out) noexcept {
  socklen_t length = sizeof out;
  if (::getsockname(fd, reinterpret_cast<sockaddr*>(&out), &length) != 0) {
    return fail(error::from_errno(errno, "getsockname", "socket"));
  }
  return length;
}

result<socklen_t> peer_name(int fd, sockaddr_storage& out) noexcept {
  socklen_t length = sizeof out;
  if (::getpeername(fd, reinterpret_cast<sockaddr*>(&out), &length) != 0) {
    return fail(error::from_errno(errno, "getpeername", "socket"));
  }
  return length;
}

long recvmsg_cloexec(int fd, msghdr& msg) noexcept {
  return retry_eintr([&]() noexcept { return ::recvmsg(fd, &msg, MSG_DONTWAIT | MSG_CMSG_CLOEXEC); });
}

}  // namespace mcnet::core::sys
