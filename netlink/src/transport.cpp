// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The mcnet authors
//
// The layer's NETLINK_ROUTE transport on libnl-3, and the only file in
// netlink/ that makes socket or namespace system calls itself: the socket
// options libnl 3.7 has no function for, and setns(2) for in_namespace.

#include "transport.hpp"

#include <netlink/attr.h>
#include <netlink/errno.h>
#include <netlink/netlink.h>

#include <sched.h>
#include <sys/socket.h>

#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <thread>

#include <mcnet/netlink/error.hpp>
#include <mcnet/netlink/namespace.hpp>

#ifndef SOL_NETLINK
#define SOL_NETLINK 270
#endif

namespace mcnet::netlink::detail {
namespace {

// nl_recv hands over a buffer from malloc.
void free_buffer(unsigned char* p) noexcept { std::free(p); }
using buffer_ptr = std::unique_ptr<unsigned char, deleter<free_buffer>>;

error libnl_error(int nle, std::string_view op) noexcept {
  error e(make_libnl_error(nle), op, "NETLINK_ROUTE");
  if (nle == -NLE_MSG_TRUNC) e.with_hint("a netlink message exceeded the 64 KiB receive buffer");
  return e;
}

// nl_connect's failure `nle`, with `err` the errno it left. libnl maps an
// errno it has no code for (EMFILE, ENFILE: socket(2) found no descriptor)
// to NLE_FAILURE, "Unspecific failure" (trial t16s 2): that errno is the
// error then, with the descriptor hint the other sockets' failures give.
error connect_error(int nle, int err) noexcept {
  if (nle != -NLE_FAILURE || err == 0) return libnl_error(nle, "nl_connect");
  auto e = error::from_errno(err, "nl_connect", "NETLINK_ROUTE");
  if (err == EMFILE) e.with_hint("this process has no descriptor left (ulimit -n, RLIMIT_NOFILE)");
  if (err == ENFILE) e.with_hint("the system has no descriptor left (fs.file-max)");
  return e;
}

}  // namespace

// ------------------------------------------------------------------ request

request::request(std::uint16_t type, std::uint16_t flags) noexcept : message_(nlmsg_alloc_size(capacity)) {
  // nlmsg_alloc_simple would calloc a page per request (libnl's default
  // message size); every request here fits in `capacity`.
  if (!message_ || nlmsg_put(message_.get(), NL_AUTO_PORT, NL_AUTO_SEQ, type, 0, flags) == nullptr) error_ = -NLE_NOMEM;
}

request& request::append(const void* data, std::size_t size) noexcept {
  if (message_) keep(nlmsg_append(message_.get(), const_cast<void*>(data), size, NLMSG_ALIGNTO));
  return *this;
}

request& request::u32(int type, std::uint32_t value) noexcept {
  if (message_) keep(nla_put_u32(message_.get(), type, value));
  return *this;
}

request& request::bytes(int type, const void* data, std::size_t size) noexcept {
  if (message_) keep(nla_put(message_.get(), type, static_cast<int>(size), data));
  return *this;
}

request& request::string(int type, std::string_view text) noexcept {
  if (!message_) return *this;
  nlattr* a = nla_reserve(message_.get(), type, static_cast<int>(text.size() + 1));
  if (a == nullptr) {
    keep(-NLE_NOMEM);
    return *this;
  }
  auto* out = static_cast<char*>(nla_data(a));
  std::memcpy(out, text.data(), text.size());
  out[text.size()] = '\0';
  return *this;
}

// ---------------------------------------------------------------- transport

result<transport> transport::open(int receive_buffer) noexcept {
  socket_ptr s(nl_socket_alloc());
  if (!s) return fail(libnl_error(-NLE_NOMEM, "nl_socket_alloc"));
  // A request gets its answer or an NLMSG_ERROR; no trailing ACK to read.
  nl_socket_disable_auto_ack(s.get());
  // One recvmsg per read into a buffer of at least 32 KiB, instead of
  // libnl's default of a 16 KiB MSG_PEEK followed by the read.
  if (int e = nl_socket_set_msg_buf_size(s.get(), message_buffer_size); e < 0) {
    return fail(libnl_error(e, "nl_socket_set_msg_buf_size"));
  }
  nl_socket_disable_msg_peek(s.get());
  errno = 0;
  if (int e = nl_connect(s.get(), NETLINK_ROUTE); e < 0) return fail(connect_error(e, errno));
  const int fd = nl_socket_get_fd(s.get());
  if (receive_buffer > 0) {
    if (int e = nl_socket_set_buffer_size(s.get(), receive_buffer, 0); e < 0) {
      return fail(libnl_error(e, "nl_socket_set_buffer_size"));
    }
    // Past net.core.rmem_max where permitted (CAP_NET_ADMIN); libnl has no
    // setter for SO_RCVBUFFORCE, and SO_RCVBUF above stays when it fails.
    ::setsockopt(fd, SOL_SOCKET, SO_RCVBUFFORCE, &receive_buffer, sizeof receive_buffer);
  }
  const int one = 1;
  transport t;
  // Strict checking lets filtered dumps (one interface's addresses) run in
  // the kernel; extended ACKs carry the kernel's reason. Neither has a libnl
  // 3.7 function; kernels without them keep working unfiltered.
  t.strict_ = ::setsockopt(fd, SOL_NETLINK, NETLINK_GET_STRICT_CHK, &one, sizeof one) == 0;
  ::setsockopt(fd, SOL_NETLINK, NETLINK_EXT_ACK, &one, sizeof one);
  t.socket_ = std::move(s);
  return t;
}

int transport::fd() const noexcept { return nl_socket_get_fd(socket_.get()); }

result<void> transport::subscribe(std::initializer_list<int> groups) noexcept {
  for (int g : groups) {
    if (int e = nl_socket_add_memberships(socket_.get(), g, 0); e < 0) {
      return fail(libnl_error(e, "nl_socket_add_memberships").with_number(g));
    }
  }
  return {};
}

result<void> transport::set_nonblocking() noexcept {
  if (int e = nl_socket_set_nonblocking(socket_.get()); e < 0) return fail(libnl_error(e, "nl_socket_set_nonblocking"));
  return {};
}

result<bool> transport::transact(request& r, on_message fn, void* context) noexcept {
  if (r.error_ != 0) return fail(libnl_error(r.error_, "nlmsg_alloc_size"));
  nl_sock* sk = socket_.get();
  if (int e = nl_send_auto(sk, r.message_.get()); e < 0) return fail(libnl_error(e, "nl_send_auto"));
  const nlmsghdr* sent = nlmsg_hdr(r.message_.get());
  const std::uint32_t seq = sent->nlmsg_seq;  // libnl's next sequence number (nl_socket_use_seq)
  const std::uint32_t port = nl_socket_get_local_port(sk);
  const bool dump = (sent->nlmsg_flags & NLM_F_DUMP) == NLM_F_DUMP;
  bool interrupted = false;
  while (true) {
    sockaddr_nl peer{};
    unsigned char* raw = nullptr;
    const int n = nl_recv(sk, &peer, &raw, nullptr);
    buffer_ptr data(raw);
    if (n < 0) return fail(libnl_error(n, "nl_recv"));
    if (n == 0) return fail(error::from_errno(ENODATA, "nl_recv", "NETLINK_ROUTE"));
    if (peer.nl_pid != 0) continue;  // not from the kernel
    int left = n;
    for (auto* m = reinterpret_cast<nlmsghdr*>(data.get()); nlmsg_ok(m, left); m = nlmsg_next(m, &left)) {
      // An answer to an earlier request (one given up on) or to another socket's port.
      if (m->nlmsg_seq != seq || m->nlmsg_pid != port) continue;
      if ((m->nlmsg_flags & NLM_F_DUMP_INTR) != 0) interrupted = true;
      if (m->nlmsg_type == NLMSG_DONE) return interrupted;
      if (m->nlmsg_type == NLMSG_ERROR) {
        if (!nlmsg_valid_hdr(m, sizeof(nlmsgerr))) return fail(libnl_error(-NLE_MSG_TRUNC, "nl_recv"));
        nlmsgerr e{};
        std::memcpy(&e, nlmsg_data(m), sizeof e);
        if (e.error == 0) return interrupted;  // an ACK
        return fail(error::from_errno(-e.error, "netlink", "NETLINK_ROUTE"));
      }
      fn(*m, context);
      if (!dump) return interrupted;
    }
  }
}

result<notice> transport::receive(on_message fn, void* context) noexcept {
  sockaddr_nl peer{};
  unsigned char* raw = nullptr;
  errno = 0;
  const int n = nl_recv(socket_.get(), &peer, &raw, nullptr);
  buffer_ptr data(raw);
  if (n == 0 || n == -NLE_AGAIN) return notice::none;
  if (n < 0) {
    // nl_recv reports the kernel's ENOBUFS (notifications dropped) as
    // NLE_NOMEM, as it does a failed malloc; its error path calls only
    // free(), which keeps errno, so errno tells the two apart.
    if (n == -NLE_NOMEM && errno == ENOBUFS) return notice::lost;
    return fail(libnl_error(n, "nl_recv"));
  }
  if (peer.nl_pid != 0) return notice::messages;  // not from the kernel: ignored
  int left = n;
  for (auto* m = reinterpret_cast<nlmsghdr*>(data.get()); nlmsg_ok(m, left); m = nlmsg_next(m, &left)) fn(*m, context);
  return notice::messages;
}

// ---------------------------------------------------------------- namespaces

result<void> run_in_namespace(int ns_fd, namespace_body body, void* context) {
  int setns_errno = 0;
  std::thread worker([&] {
    if (::setns(ns_fd, CLONE_NEWNET) != 0) {
      setns_errno = errno;
      return;
    }
    body(context);
  });
  worker.join();
  if (setns_errno != 0) return fail(error::from_errno(setns_errno, "setns", "CLONE_NEWNET"));
  return {};
}

}  // namespace mcnet::netlink::detail
