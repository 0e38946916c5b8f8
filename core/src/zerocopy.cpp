// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The mcnet authors
//
// MSG_ZEROCOPY sends and the completions on the error queue. The error
// queue is read here with its own small control-message walk: a completion
// is one IP_RECVERR (or IPV6_RECVERR) message holding a sock_extended_err,
// which the datagram path's decoder has no business knowing.

#include <mcnet/core/zerocopy.hpp>

#include <linux/errqueue.h>
#include <netinet/in.h>

#include <algorithm>
#include <cerrno>
#include <chrono>
#include <climits>
#include <cstring>

#include "sys/calls.hpp"
#include "send_hint.hpp"
#include "sys/zerocopy_calls.hpp"

namespace mcnet::core {
namespace {

using clock = std::chrono::steady_clock;

constexpr long kWouldBlock = -EAGAIN;
constexpr long kTimedOut = LONG_MIN;     // no errno is this
constexpr long kNothingQueued = LONG_MIN + 1;  // poll said ready, the error queue was empty

// Room for one sock_extended_err and the offender's address after it.
constexpr std::size_t control_size = CMSG_SPACE(sizeof(sock_extended_err) + sizeof(sockaddr_in6));

// Read one error-queue message into `out`: a completion range, or a count
// of other messages. 1, or -errno (kWouldBlock: the queue is empty).
long read_one(int fd, zerocopy_completions& out) noexcept {
  alignas(cmsghdr) std::array<std::byte, control_size> control{};
  msghdr msg{};
  msg.msg_control = control.data();
  msg.msg_controllen = control.size();
  const long n = sys::recv_error_queue(fd, msg);
  if (n < 0) return n;
  for (cmsghdr* c = CMSG_FIRSTHDR(&msg); c != nullptr; c = CMSG_NXTHDR(&msg, c)) {
    const bool extended_error = (c->cmsg_level == SOL_IP && c->cmsg_type == IP_RECVERR) ||
                                (c->cmsg_level == SOL_IPV6 && c->cmsg_type == IPV6_RECVERR);
    if (!extended_error || c->cmsg_len < CMSG_LEN(sizeof(sock_extended_err))) continue;
    sock_extended_err e{};
    std::memcpy(&e, CMSG_DATA(c), sizeof e);
    if (e.ee_origin != SO_EE_ORIGIN_ZEROCOPY || e.ee_errno != 0) continue;
    out.ranges[out.size++] = {e.ee_info, e.ee_data, (e.ee_code & SO_EE_CODE_ZEROCOPY_COPIED) != 0};
    return 1;
  }
  ++out.other_messages;
  return 1;
}

// The first message, waited for as `wait` says. Poll is asked for no event:
// it reports POLLERR for a non-empty error queue (and POLLHUP) whatever is
// asked, while POLLIN would wake for ordinary data that is not ours to read.
long first_message(int fd, zerocopy_completions& out, wait_policy wait) noexcept {
  long r = read_one(fd, out);
  if (r != kWouldBlock || wait.kind() == wait_policy::mode::nonblocking) return r;
  const auto start = clock::now();
  if (wait.kind() == wait_policy::mode::adaptive) {
    const auto spin = std::min(wait.spin(), wait.timeout());
    while (r == kWouldBlock && clock::now() - start < spin) r = read_one(fd, out);
    if (r != kWouldBlock) return r;
  }
  const bool forever = wait.timeout() == std::chrono::nanoseconds::max();
  while (true) {
    long long left = -1;
    if (!forever) {
      left = (wait.timeout() - (clock::now() - start)).count();
      if (left <= 0) return kTimedOut;
    }
    auto ready = sys::poll_one(fd, 0, left);
    if (!ready) return -ready.error().code.value();
    r = read_one(fd, out);
    if (r != kWouldBlock) return r;
    // Ready with an empty queue: a pending socket error (SO_ERROR) or a
    // hang-up, which would wake every poll again. Not ready: the timeout
    // or EINTR, which the loop tells apart.
    if (*ready) return kNothingQueued;
  }
}

}  // namespace

result<std::size_t> send_zerocopy(socket_ref s, std::span<const std::byte> data, wait_policy wait) noexcept {
  const int fd = s.native_handle();
  const auto start = clock::now();
  wait_policy next = wait;
  while (true) {
    const long n = sys::send_zerocopy(fd, data.data(), data.size());
    if (n >= 0) return static_cast<std::size_t>(n);
    if (n != kWouldBlock) {
      // Named and hinted as write_some's errors are (the peer, EPIPE,
      // EMSGSIZE, ECONNREFUSED after an ICMP refusal, ...).
      auto e = error::from_errno(static_cast<int>(-n), "send", "MSG_ZEROCOPY");
      detail::describe_stream_error(e, fd);
      if (n == -ENOBUFS) {
        e.with_hint("too many zerocopy sends await completion (charged to net.core.optmem_max): read them with "
                    "read_zerocopy_completions first");
      }
      return fail(e);
    }
    if (auto w = wait_writable(s, next); !w) {
      auto e = w.error();
      e.op = "send";
      e.what = "MSG_ZEROCOPY";
      if (e.code != errc::would_block) detail::describe_stream_error(e, fd);
      return fail(e);
    }
    // Writable, yet the send may still find no room: a retry waits only for
    // what is left of this call's timeout.
    if (wait.kind() != wait_policy::mode::nonblocking && wait.timeout() != std::chrono::nanoseconds::max()) {
      const auto left = wait.timeout() - (clock::now() - start);
      if (left <= std::chrono::nanoseconds::zero()) {
        auto e = error(errc::timed_out, "send", "MSG_ZEROCOPY");
        return fail(detail::describe_stream_error(e, fd));
      }
      next = wait_policy::deadline(left);
    }
  }
}

result<std::size_t> read_zerocopy_completions(socket_ref s, zerocopy_completions& out, wait_policy wait) noexcept {
  out.size = 0;
  out.other_messages = 0;
  const int fd = s.native_handle();
  long r = first_message(fd, out, wait);
  if (r == kTimedOut) return fail(error(errc::timed_out, "recvmsg", "MSG_ERRQUEUE"));
  if (r == kNothingQueued) {
    return fail(error(errc::would_block, "recvmsg", "MSG_ERRQUEUE")
                    .with_hint("poll reports an error or hang-up on the socket but no completion is queued (see "
                               "SO_ERROR)"));
  }
  if (r == kWouldBlock) return fail(error(errc::would_block, "recvmsg", "MSG_ERRQUEUE"));
  if (r < 0) return fail(error::from_errno(static_cast<int>(-r), "recvmsg", "MSG_ERRQUEUE"));
  // Then what is queued, without waiting: at most twice the room in messages,
  // so a queue of other messages cannot hold the call.
  for (std::size_t reads = 1; out.size < out.capacity && reads < 2 * out.capacity; ++reads) {
    if (read_one(fd, out) < 0) break;
  }
  return out.size;
}

}  // namespace mcnet::core
