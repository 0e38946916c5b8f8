// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The mcnet authors
#include "zerocopy_calls.hpp"

#include "retry.hpp"

namespace mcnet::core::sys {

long send_zerocopy(int fd, const void* data, std::size_t size) noexcept {
  return retry_eintr([&]() noexcept { return ::send(fd, data, size, MSG_ZEROCOPY | MSG_DONTWAIT | MSG_NOSIGNAL); });
}

long recv_error_queue(int fd, msghdr& msg) noexcept {
  return retry_eintr([&]() noexcept { return ::recvmsg(fd, &msg, MSG_ERRQUEUE | MSG_DONTWAIT); });
}

}  // namespace mcnet::core::sys
