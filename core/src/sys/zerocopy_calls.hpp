// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The mcnet authors
#pragma once

// The socket system calls of MSG_ZEROCOPY (zerocopy.cpp): a send with the
// flag and a read of the error queue. Kept apart from calls.hpp, whose
// datagram calls fix their flags; like them these return a count or
// -errno, retry EINTR and never block (MSG_DONTWAIT).

#include <sys/socket.h>

#include <cstddef>

namespace mcnet::core::sys {

/// send(2) of `size` bytes with MSG_ZEROCOPY | MSG_DONTWAIT | MSG_NOSIGNAL.
long send_zerocopy(int fd, const void* data, std::size_t size) noexcept;
/// recvmsg(2) with MSG_ERRQUEUE | MSG_DONTWAIT: one error-queue message.
long recv_error_queue(int fd, msghdr& msg) noexcept;

}  // namespace mcnet::core::sys
