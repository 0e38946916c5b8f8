// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The mcnet authors
#pragma once

// The only declarations of socket system calls in mcnet: everything that
// touches the kernel's socket interface goes through core/src/sys. Each call
// turns errno into an mcnet::error naming the operation.

#include <sys/socket.h>

#include <cstddef>
#include <cstdint>
#include <string_view>

#include <mcnet/core/endpoint.hpp>
#include <mcnet/core/error.hpp>
#include <mcnet/core/unique_fd.hpp>

namespace mcnet::core::sys {

/// socket(2) with SOCK_CLOEXEC always added.
result<unique_fd> open_socket(int family, int type, int protocol) noexcept;

/// The hint for a call that makes descriptors (socket, socketpair, accept)
/// and found none left: EMFILE (this process's RLIMIT_NOFILE) or ENFILE
/// (the system's fs.file-max); empty for any other error.
std::string_view no_descriptor_hint(const error& e) noexcept;

/// The index of the interface named `name` in the calling thread's network
/// namespace. Errors: errc::no_such_interface naming it, errc::value_out_of_range
/// when it is longer than IFNAMSIZ-1.
result<std::uint32_t> interface_index(std::string_view name) noexcept;

/// The name of interface `index` into `out` (IFNAMSIZ bytes); its length.
result<std::size_t> interface_name(std::uint32_t index, char* out) noexcept;
/// The same, looked up in the network namespace of socket `fd` (SIOCGIFNAME
/// on the socket itself), whatever namespace the calling thread is in.
result<std::size_t> interface_name_of_socket(int fd, std::uint32_t index, char* out) noexcept;

result<void> bind(int fd, const sockaddr_storage& sa, socklen_t length) noexcept;
/// connect(2) once. EINTR is returned, not retried: the callers differ (the
/// kernel goes on with an interrupted TCP handshake but abandons an
/// interrupted Unix connect).
result<void> connect(int fd, const sockaddr_storage& sa, socklen_t length) noexcept;
result<endpoint> local_endpoint(int fd) noexcept;
result<endpoint> peer_endpoint(int fd) noexcept;
result<void> set_nonblocking(int fd, bool on) noexcept;
result<bool> nonblocking(int fd) noexcept;
result<void> listen(int fd, int backlog) noexcept;
/// accept4 with SOCK_CLOEXEC (and SOCK_NONBLOCK when asked); EINTR is retried (a
/// blocking accept4 goes on waiting), EAGAIN is errc::would_block.
result<unique_fd> accept(int fd, sockaddr_storage& peer, socklen_t& length, bool nonblocking) noexcept;
/// Why accept4 on `fd` could never succeed, as the errno it would give,
/// or 0 when the socket listens (SO_ACCEPTCONN): EOPNOTSUPP for a type
/// that never accepts (datagram, raw), EINVAL for a stream or seqpacket
/// socket that does not listen; getsockopt's errno when that fails. For a
/// wait whose poll would otherwise wait its whole timeout for nothing: a
/// socket that does not listen is never readable for a connection.
int accept_refusal(int fd) noexcept;

// The datagram path. Every call passes MSG_DONTWAIT unless `may_block`:
// waiting is mcnet's (see wait.hpp), and only a wait with no end lets the
// call itself sleep (then the descriptor's own O_NONBLOCK decides; on a
// nonblocking descriptor it is EAGAIN and mcnet's poll loop as usual).
// recvmmsg with `may_block` passes MSG_WAITFORONE: it sleeps for the first
// datagram only and takes what else is queued without waiting.
// Receives pass MSG_TRUNC so that a datagram's real length comes back even
// when the buffer was shorter (datagram and raw sockets only: on a stream
// socket MSG_TRUNC discards). These return a count, or -errno: the hot path
// builds an mcnet::error only when something failed. EINTR is retried.
long recvmsg(int fd, msghdr& msg, bool may_block = false) noexcept;
long sendmsg(int fd, const msghdr& msg, bool may_block = false) noexcept;
long recvmmsg(int fd, mmsghdr* msgs, unsigned count, bool may_block = false) noexcept;
long sendmmsg(int fd, mmsghdr* msgs, unsigned count, bool may_block = false) noexcept;

// Stream I/O (stream.cpp): MSG_DONTWAIT as above unless `may_block` (then
// the descriptor's own mode decides), no MSG_TRUNC (which on a stream socket
// would discard the bytes), MSG_NOSIGNAL on sends so that a closed peer is
// EPIPE and never SIGPIPE. A count (0 from a receive: the peer's orderly
// shutdown), or -errno; EINTR is retried.
long recv(int fd, void* data, std::size_t size, bool may_block = false) noexcept;
long send(int fd, const void* data, std::size_t size, bool may_block = false) noexcept;
/// recv as above through recvmsg(2), which tells whether the kernel cut a
/// message to fit (`cut`: MSG_TRUNC in msg_flags, set on a datagram or
/// seqpacket socket whose message was longer than `size`; never on a stream).
long recv_cut(int fd, void* data, std::size_t size, bool may_block, bool& cut) noexcept;
/// recvmsg(2) into `count` iovecs (no name, no control).
long recv_iov(int fd, const iovec* iov, std::size_t count, bool may_block = false) noexcept;
/// sendmsg(2) of `count` iovecs on a connected socket.
long send_iov(int fd, const iovec* iov, std::size_t count, bool may_block = false) noexcept;
/// shutdown(2); `how` is SHUT_RD, SHUT_WR or SHUT_RDWR.
result<void> shutdown(int fd, int how) noexcept;

/// ppoll(2) on one descriptor for `events`; `timeout_ns` < 0 waits forever.
/// Returns whether it became ready (false: timed out).
result<bool> poll_one(int fd, short events, long long timeout_ns) noexcept;

}  // namespace mcnet::core::sys
