// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The mcnet authors
//
// read_from / write_to / read_batch / write_batch, and wait_readable /
// wait_writable. Every system call runs with MSG_DONTWAIT; waiting is
// wait.hpp's, so the descriptor's own O_NONBLOCK setting never matters. The
// per-call scratch (mmsghdr, iovec, sockaddr_storage) lives on the stack: no
// allocation.

#include <mcnet/core/message.hpp>

#include <poll.h>

#include <algorithm>
#include <array>
#include <cerrno>
#include <cstring>
#include <optional>

#include <netinet/in.h>
#include <netinet/udp.h>

#include <mcnet/core/socket_options.hpp>
#include <mcnet/core/udp_options.hpp>
#include <mcnet/core/sockopt.hpp>

#include "decode_control.hpp"
#include "send_hint.hpp"
#include "sys/calls.hpp"
#include "wait.hpp"

namespace mcnet::core {
namespace {

using detail::io_error;
using detail::with_wait;

// Control room the read lends the kernel for a message without a control
// buffer of its own: a UDP_GRO socket's coalesced read comes with its
// segment size in a control message, and without room for it the read
// could not be told from one long datagram (t17b 2). Room for every message
// mcnet decodes, as the kernel writes the socket-level ones first. Never
// zero-filled: only what the kernel wrote is read.
struct lent_control {
  alignas(cmsghdr) std::array<std::byte, max_control_size> bytes;
};

// The control room of a read into `m`: its own, or `lent` when it has none.
[[gnu::always_inline]] inline std::span<std::byte> control_room(message& m, lent_control& lent) noexcept {
  return m.control.empty() ? std::span<std::byte>(lent.bytes) : m.control;
}

[[gnu::always_inline]] inline void prepare_read(message& m, iovec& iov, sockaddr_storage& name, msghdr& h,
                                                lent_control& lent) noexcept {
  iov = {m.buffer.data(), m.buffer.size()};
  h = {};
  h.msg_name = &name;
  h.msg_namelen = sizeof name;
  h.msg_iov = &iov;
  h.msg_iovlen = 1;
  const auto room = control_room(m, lent);
  h.msg_control = room.data();
  h.msg_controllen = room.size();
}

// Inlined into read_from and read_batch whatever GCC's heuristics say: out
// of line, as GCC left it in one build, it cost about 49 instructions a
// datagram against about 20 inlined (callgrind, BM_interleaved_receive_batch).
[[gnu::always_inline]] inline void finish_read(message& m, const sockaddr_storage& name, const msghdr& h,
                                               std::size_t length, cmsg decode) noexcept {
  const int flags = h.msg_flags;
  m.wire_size = length;
  m.truncated = (flags & MSG_TRUNC) != 0;
  m.size = std::min(length, m.buffer.size());
  // Control messages in lent room did not fit the caller's (empty) buffer:
  // what the kernel says with MSG_CTRUNC when it has no room at all.
  const bool lent = m.control.empty();
  m.control_truncated = (flags & MSG_CTRUNC) != 0 || (lent && h.msg_controllen > 0);
  m.control_size = lent ? 0 : h.msg_controllen;
  detail::store_peer(m.peer, &name, h.msg_namelen);
  if (m.control_error) m.control_error = {};
  // `info` says what this read said and nothing else (t17b 1: a stale
  // segment size cut a plain datagram in ten): every field decoded is
  // written over, the others reset (detail::reset_unfilled). UDP_GRO's
  // segment size is decoded whatever `decode` says.
  if (h.msg_controllen == 0) {
    detail::reset_all(m.info);
    return;
  }
  std::uint32_t filled = 0;
  detail::control_failure failure;
  if (!detail::decode_control_into(std::span<const std::byte>(static_cast<const std::byte*>(h.msg_control),
                                                              h.msg_controllen),
                                   decode | cmsg::segment_size, m.info, failure, filled)) {
    m.control_error = make_error_code(errc::truncated_control_message);
  }
  detail::reset_unfilled(m.info, filled);
}

// Decoding asked of a message without control space would silently decode
// nothing: the kernel has nowhere to put the messages. Refused before any
// system call.
error no_control_buffer(std::string_view op, std::size_t index) noexcept {
  return error::from_errno(EINVAL, op, "message::control")
      .with_number(static_cast<std::int64_t>(index))
      .with_hint("control messages were asked for but message {number} has no control buffer: "
                 "give it one (core::control_buffer::span()) or decode cmsg::none");
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

// IPV6_MULTICAST_IF, read to learn whether a group has an interface.
constexpr sockopt<int_codec, access::read_only> ipv6_multicast_if{IPPROTO_IPV6, IPV6_MULTICAST_IF, "IPV6_MULTICAST_IF"};

// Whether the control data of `m` names an outgoing interface (IPV6_PKTINFO
// with an index).
bool control_names_interface(const message& m) noexcept {
  msghdr h{};
  h.msg_control = m.control.data();
  h.msg_controllen = std::min(m.control_size, m.control.size());
  for (const cmsghdr* c = CMSG_FIRSTHDR(&h); c != nullptr; c = CMSG_NXTHDR(&h, const_cast<cmsghdr*>(c))) {
    if (c->cmsg_level != IPPROTO_IPV6 || c->cmsg_type != IPV6_PKTINFO || c->cmsg_len < CMSG_LEN(sizeof(in6_pktinfo))) {
      continue;
    }
    in6_pktinfo pi;
    std::memcpy(&pi, CMSG_DATA(c), sizeof pi);
    if (pi.ipi6_ifindex != 0) return true;
  }
  return false;
}

// The kernel sends to a link-local or interface-local IPv6 destination
// without scope id by whatever route comes first; ask for an interface the
// way join_group does. One is given by a scope id, IPV6_PKTINFO in the
// message, SO_BINDTODEVICE, or for a group IPV6_MULTICAST_IF. (A sticky
// IPV6_PKTINFO set with setsockopt cannot be read back, and is not seen.)
// Only such destinations pay for the check.
// What the socket says about the interface, read at most once per write
// call however many messages of a batch ask (two getsockopt calls each
// otherwise).
class socket_interface {
 public:
  explicit socket_interface(socket_ref s) noexcept : s_(s) {}
  // SO_BINDTODEVICE names one.
  bool bound() noexcept {
    if (!bound_) {
      auto device = get(s_, opt::bind_to_device);
      bound_ = device && !device->empty();
    }
    return *bound_;
  }
  // IPV6_MULTICAST_IF names one (for groups).
  bool multicast() noexcept {
    if (!multicast_) {
      auto index = get(s_, ipv6_multicast_if);
      multicast_ = index && *index != 0;
    }
    return *multicast_;
  }

 private:
  socket_ref s_;
  std::optional<bool> bound_;
  std::optional<bool> multicast_;
};

// `index` names the message of a batch (std::nullopt: a single write).
result<void> check_interface(socket_interface& socket, const message& m, std::string_view op,
                             std::optional<std::size_t> index = std::nullopt) noexcept {
  const auto& to = m.peer.address();
  if (!to.needs_interface() || to.scope_id() != 0 || control_names_interface(m)) return {};
  if (socket.bound() || (to.is_multicast() && socket.multicast())) return {};
  auto e = error(errc::interface_required, op, "socket").with_address(to).with_port(m.peer.port());
  if (!index) {
    return fail(e.with_hint("a link-local or interface-local destination needs an interface: write it with a zone "
                            "(fe80::1%eth0), pass one in the message (IPV6_PKTINFO), or set SO_BINDTODEVICE or, "
                            "for a group, IPV6_MULTICAST_IF"));
  }
  return fail(e.with_number(static_cast<std::int64_t>(*index))
                  .with_hint("nothing was sent: the message at index {number} of the batch has a link-local or "
                             "interface-local destination, which needs an interface: write it with a zone "
                             "(fe80::1%eth0), pass one in the message (IPV6_PKTINFO), or set SO_BINDTODEVICE or, "
                             "for a group, IPV6_MULTICAST_IF"));
}

// The segment size a send of `m` asked for: its UDP_SEGMENT control message,
// else the socket's UDP_SEGMENT (read only here, after a failed send).
std::size_t segment_size_of(socket_ref s, const message& m) noexcept {
  msghdr h{};
  h.msg_control = m.control.data();
  h.msg_controllen = std::min(m.control_size, m.control.size());
  for (const cmsghdr* c = CMSG_FIRSTHDR(&h); c != nullptr; c = CMSG_NXTHDR(&h, const_cast<cmsghdr*>(c))) {
    if (c->cmsg_level != SOL_UDP || c->cmsg_type != UDP_SEGMENT || c->cmsg_len < CMSG_LEN(sizeof(std::uint16_t))) {
      continue;
    }
    std::uint16_t size = 0;
    std::memcpy(&size, CMSG_DATA(c), sizeof size);
    return size;
  }
  auto socket_wide = get(s, opt::udp_segment);
  return socket_wide && *socket_wide > 0 ? static_cast<std::size_t>(*socket_wide) : 0;
}

// What the kernel's refusals of a segmented send mean (udp(7); udp_send_skb):
// the bare errno says nothing of segmentation.
void with_segmentation_hint(error& e, socket_ref s, const message& m) noexcept {
  if (e.code != std::errc::message_size && e.code != std::errc::invalid_argument && e.code != std::errc::io_error) {
    return;
  }
  const std::size_t segment = segment_size_of(s, m);
  if (segment == 0) return;
  e.with_number(static_cast<std::int64_t>(segment));
  if (e.code == std::errc::message_size) {
    e.with_hint("a UDP_SEGMENT send of {number}-byte segments: each segment with its IP and UDP headers must fit "
                "the route's MTU (ip route get), and the whole payload 65507 bytes over IPv4, 65527 over IPv6 "
                "(core::check_segmentation)");
  } else if (e.code == std::errc::invalid_argument) {
    e.with_hint("a UDP_SEGMENT send of {number}-byte segments: more segments than the kernel's UDP_MAX_SEGMENTS "
                "(128; 64 on older kernels), SO_NO_CHECK set on the socket, or a segment the kernel cannot fit "
                "(core::check_segmentation)");
  } else {
    e.with_hint("a UDP_SEGMENT send of {number}-byte segments: the kernel segments only packets whose UDP checksum "
                "the device or the stack can fill in late (EIO: the route goes through IPsec (xfrm), the socket is "
                "UDP-Lite, or the output device cannot take a partial checksum); send without UDP_SEGMENT");
  }
}

}  // namespace

namespace {

result<void> wait_for(socket_ref s, short events, wait_policy wait) noexcept {
  const int fd = s.native_handle();
  const long r = with_wait(fd, events, wait, [&]() noexcept -> long {
    auto ready = sys::poll_one(fd, events, 0);
    if (!ready) return -ready.error().code.value();
    return *ready ? 0 : detail::kWouldBlock;
  });
  if (r < 0) return fail(io_error(r, "poll"));
  return {};
}

}  // namespace

result<void> wait_readable(socket_ref s, wait_policy wait) noexcept { return wait_for(s, POLLIN, wait); }
result<void> wait_writable(socket_ref s, wait_policy wait) noexcept { return wait_for(s, POLLOUT, wait); }

result<void> read_from(socket_ref s, message& m, cmsg decode, wait_policy wait) noexcept {
  if (any(decode) && m.control.empty()) return fail(no_control_buffer("recvmsg", 0));
  iovec iov;
  sockaddr_storage name;  // filled by the kernel
  msghdr h;
  lent_control lent;
  const int fd = s.native_handle();
  prepare_read(m, iov, name, h, lent);
  const std::size_t room = h.msg_controllen;
  const bool may_block = detail::in_kernel(wait);
  const long r = with_wait(fd, POLLIN, wait, [&]() noexcept {
    h.msg_namelen = sizeof name;  // the kernel shrinks these on every call
    h.msg_controllen = room;
    return sys::recvmsg(fd, h, may_block);
  });
  if (r < 0) return fail(io_error(r, "recvmsg"));
  finish_read(m, name, h, static_cast<std::size_t>(r), decode);
  return {};
}

result<void> write_to(socket_ref s, const message& m, wait_policy wait) noexcept {
  socket_interface socket(s);
  if (auto r = check_interface(socket, m, "sendmsg"); !r) return r;
  iovec iov;
  sockaddr_storage name;  // filled by prepare_destination when used
  msghdr h;
  prepare_write(m, iov, name, h);
  const int fd = s.native_handle();
  const bool may_block = detail::in_kernel(wait);
  const long r = with_wait(fd, POLLOUT, wait, [&]() noexcept { return sys::sendmsg(fd, h, may_block); });
  if (r < 0) {
    auto e = io_error(r, "sendmsg");
    if (m.peer.address().is_valid()) {
      e.with_address(m.peer.address()).with_port(m.peer.port());
      detail::with_send_hint(e, m.peer);
    }
    with_segmentation_hint(e, s, m);
    return fail(e);
  }
  return {};
}

namespace {
// Per-call scratch for one recvmmsg/sendmmsg: on the stack, never zero-filled
// (prepare_read/prepare_write set every field the kernel reads).
struct batch_scratch {
  std::array<mmsghdr, batch_limit> headers;
  std::array<iovec, batch_limit> iovs;
  std::array<sockaddr_storage, batch_limit> names;
};
// A read's scratch also has the control room lent to messages without
// their own (used only by those).
struct read_scratch : batch_scratch {
  std::array<lent_control, batch_limit> lent;
};
}  // namespace

result<std::size_t> read_batch(socket_ref s, std::span<message> msgs, cmsg decode, wait_policy wait) noexcept {
  if (msgs.empty()) return std::size_t{0};
  if (any(decode)) {
    for (std::size_t i = 0; i < msgs.size(); ++i) {
      if (msgs[i].control.empty()) return fail(no_control_buffer("recvmmsg", i));
    }
  }
  read_scratch scratch;
  auto& headers = scratch.headers;  // plain references: clang 14 cannot capture structured bindings
  auto& iovs = scratch.iovs;
  auto& names = scratch.names;
  auto& lent = scratch.lent;
  const int fd = s.native_handle();
  const bool may_block = detail::in_kernel(wait);
  std::size_t done = 0;
  while (done < msgs.size()) {
    const auto chunk = std::min(batch_limit, msgs.size() - done);
    // Only the first chunk may sleep in the kernel (MSG_WAITFORONE: for its
    // first datagram); later chunks take what is queued.
    auto attempt = [&]() noexcept {
      for (std::size_t i = 0; i < chunk; ++i) {
        prepare_read(msgs[done + i], iovs[i], names[i], headers[i].msg_hdr, lent[i]);
        headers[i].msg_len = 0;
      }
      return sys::recvmmsg(fd, headers.data(), static_cast<unsigned>(chunk), may_block && done == 0);
    };
    // Wait only for the first datagram; afterwards take what is queued.
    const long r = done == 0 ? with_wait(fd, POLLIN, wait, attempt) : attempt();
    if (r < 0) {
      if (done > 0) break;  // what arrived is delivered; the next call reports the error
      return fail(io_error(r, "recvmmsg"));
    }
    const auto n = static_cast<std::size_t>(r);
    for (std::size_t i = 0; i < n; ++i) {
      finish_read(msgs[done + i], names[i], headers[i].msg_hdr, headers[i].msg_len, decode);
    }
    done += n;
    if (n < chunk) break;  // the queue is empty
  }
  return done;
}

result<std::size_t> write_batch(socket_ref s, std::span<const message> msgs, wait_policy wait) noexcept {
  batch_scratch scratch;
  auto& headers = scratch.headers;  // plain references: clang 14 cannot capture structured bindings
  auto& iovs = scratch.iovs;
  auto& names = scratch.names;
  const int fd = s.native_handle();
  // Every message is checked before the first is sent, as documented: a
  // batch refused for its tenth message sends none.
  socket_interface socket(s);
  for (std::size_t i = 0; i < msgs.size(); ++i) {
    if (auto r = check_interface(socket, msgs[i], "sendmmsg", i); !r) return fail(r.error());
  }
  const bool may_block = detail::in_kernel(wait);
  std::size_t done = 0;
  while (done < msgs.size()) {
    const auto chunk = std::min(batch_limit, msgs.size() - done);
    for (std::size_t i = 0; i < chunk; ++i) {
      prepare_write(msgs[done + i], iovs[i], names[i], headers[i].msg_hdr);
      headers[i].msg_len = 0;
    }
    const long r = with_wait(fd, POLLOUT, wait, [&]() noexcept {
      return sys::sendmmsg(fd, headers.data(), static_cast<unsigned>(chunk), may_block);
    });
    if (r < 0) {
      if (done > 0) break;
      auto e = io_error(r, "sendmmsg");
      const auto& first = msgs[done];
      if (first.peer.address().is_valid()) {
        e.with_address(first.peer.address()).with_port(first.peer.port());
        detail::with_send_hint(e, first.peer);
      }
      with_segmentation_hint(e, s, first);
      return fail(e);
    }
    done += static_cast<std::size_t>(r);
  }
  return done;
}

}  // namespace mcnet::core
