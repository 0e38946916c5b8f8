// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The mcnet authors
#include "zerocopy_calls.hpp"

#include <cerrno>

namespace mcnet::core::sys {

long send_zerocopy(int fd, const void* data, std::size_t size) noexcept {
  ssize_t n;
  do {
    n = ::send(fd, data, size, MSG_ZEROCOPY | MSG_DONTWAIT | MSG_NOSIGNAL);
  } while (n < 0 && errno == EINTR);
  return n < 0 ? -errno : n;
}

long recv_error_queue(int fd, msghdr& msg) noexcept {
  ssize_t n;
  do {
    n = ::recvmsg(fd, &msg, MSG_ERRQUEUE | MSG_DONTWAIT);
  } while (n < 0 && errno == EINTR);
  return n < 0 ? -errno : n;
}

}  // namespace mcnet::core::sys
