// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The mcnet authors
#pragma once

// The socket system calls only AF_UNIX needs (unix_socket.cpp): a pair of
// connected sockets, raw socket names (sys::local_endpoint speaks IP only)
// and a receive that closes descriptors on exec. The rest is in calls.hpp.

#include <sys/socket.h>

#include <array>

#include <mcnet/core/error.hpp>
#include <mcnet/core/unique_fd.hpp>

namespace mcnet::core::sys {

/// socketpair(2) with SOCK_CLOEXEC always added.
result<std::array<unique_fd, 2>> socket_pair(int family, int type, int protocol) noexcept;

/// getsockname(2) into `out`; the length the kernel wrote.
result<socklen_t> socket_name(int fd, sockaddr_storage& out) noexcept;
/// getpeername(2) into `out`; the length the kernel wrote. ENOTCONN when not connected.
result<socklen_t> peer_name(int fd, sockaddr_storage& out) noexcept;

/// recvmsg(2) with MSG_DONTWAIT and MSG_CMSG_CLOEXEC (descriptors passed
/// with SCM_RIGHTS arrive close-on-exec) and without MSG_TRUNC (which a
/// stream socket would take as "discard"); MSG_TRUNC in `msg.msg_flags`
/// still says when a datagram was cut. A count, or -errno.
long recvmsg_cloexec(int fd, msghdr& msg) noexcept;

}  // namespace mcnet::core::sys
