// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The mcnet authors
#pragma once

// A NETLINK_ROUTE socket with its own receive loop (a 64 KiB buffer reused
// for every message; libnl parses the attributes). Private to the layer.

#include <linux/netlink.h>
#include <linux/rtnetlink.h>

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <span>
#include <vector>

#include <mcnet/core/error.hpp>
#include <mcnet/core/unique_fd.hpp>

// Newer kernels' constants, absent from Debian 12's headers (linux-libc-dev 6.1).
#ifndef RTNLGRP_IPV4_MCADDR
#define RTNLGRP_IPV4_MCADDR 37
#endif
#ifndef RTNLGRP_IPV6_MCADDR
#define RTNLGRP_IPV6_MCADDR 38
#endif
#ifndef RTM_NEWMULTICAST
#define RTM_NEWMULTICAST 56
#endif
#ifndef RTM_DELMULTICAST
#define RTM_DELMULTICAST 57
#endif

namespace mcnet::netlink::detail {

/// Call `fn(nlmsghdr&)` for each whole message in `n` bytes at `p`; stops at
/// a malformed length. (NLMSG_OK/NLMSG_NEXT mix signed and unsigned.)
/// `fn` returns false to stop early.
template <class F>
void for_each_message(std::byte* p, std::size_t n, F&& fn) {
  std::size_t offset = 0;
  while (n - offset >= sizeof(nlmsghdr)) {
    auto* m = reinterpret_cast<nlmsghdr*>(p + offset);
    if (m->nlmsg_len < sizeof(nlmsghdr) || m->nlmsg_len > n - offset) return;
    if (!fn(*m)) return;
    offset += std::min<std::size_t>(NLMSG_ALIGN(m->nlmsg_len), n - offset);
  }
}

/// Called for each reply message of a transaction.
using on_message = void (*)(const nlmsghdr& h, void* context);

class rtnl {
 public:
  /// Open and bind a NETLINK_ROUTE socket in the calling thread's namespace;
  /// asks for strict checking (NETLINK_GET_STRICT_CHK) where available.
  static result<rtnl> open(std::uint32_t groups = 0) noexcept;

  /// Send `request` (a whole nlmsghdr + payload; seq and pid filled here) and
  /// feed every reply to `fn` until NLMSG_DONE for a dump, or the reply or
  /// ACK otherwise. Returns whether the dump was interrupted (NLM_F_DUMP_INTR).
  /// Errors: the kernel's NLMSG_ERROR as an errno; recv errors.
  result<bool> transact(std::vector<std::byte>& request, on_message fn, void* context) noexcept;

  template <class F>
  result<bool> transact(std::vector<std::byte>& request, F&& f) noexcept {
    return transact(request, [](const nlmsghdr& h, void* c) { (*static_cast<F*>(c))(h); }, &f);
  }

  [[nodiscard]] bool strict() const noexcept { return strict_; }
  [[nodiscard]] int fd() const noexcept { return fd_.get(); }

 private:
  core::unique_fd fd_;
  std::uint32_t seq_ = 1;
  bool strict_ = false;
  std::unique_ptr<std::byte[]> buffer_;  // not zero-filled: the kernel writes it
  static constexpr std::size_t buffer_size = 64 * 1024;
};

/// Builds a request: header, fixed part, attributes.
class request_builder {
 public:
  request_builder(std::uint16_t type, std::uint16_t flags);
  template <class T>
  request_builder& fixed(const T& value) {
    append(&value, sizeof value);
    return *this;
  }
  request_builder& attribute(std::uint16_t type, const void* data, std::size_t size);
  request_builder& attribute_u32(std::uint16_t type, std::uint32_t v) { return attribute(type, &v, sizeof v); }
  std::vector<std::byte>& finish();

 private:
  void append(const void* data, std::size_t size);
  std::vector<std::byte> bytes_;
};

}  // namespace mcnet::netlink::detail

#include <mcnet/netlink/query.hpp>

namespace mcnet::netlink::detail {
/// take_snapshot over a socket that already exists (and so in its namespace,
/// whatever the calling thread's).
result<snapshot> snapshot_with(rtnl& s, const snapshot_options& options);
}  // namespace mcnet::netlink::detail
