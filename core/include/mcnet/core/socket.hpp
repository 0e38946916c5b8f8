// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The mcnet authors
#pragma once

#include <mcnet/core/cxx20.hpp>  // first: C++20 or one clear error

#include <concepts>
#include <type_traits>

#include <mcnet/core/error.hpp>
#include <mcnet/core/unique_fd.hpp>

namespace mcnet::core {

/// An owned socket: descriptor, family, type and protocol. Always created
/// with SOCK_CLOEXEC so that processes started later never inherit it.
class socket {
 public:
  socket() noexcept = default;

  /// socket(2) with SOCK_CLOEXEC added to `type` (SOCK_NONBLOCK may be or-ed
  /// in too). Errors: the errno of socket(2), e.g. EAFNOSUPPORT when the
  /// kernel has no IPv6, EPERM for raw sockets without CAP_NET_RAW.
  [[nodiscard]] static result<socket> open(int family, int type, int protocol = 0) noexcept;

  /// Own an existing socket descriptor; family, type and protocol are asked
  /// of the kernel (SO_DOMAIN, SO_TYPE, SO_PROTOCOL). Errors: ENOTSOCK when
  /// `fd` is not a socket (the descriptor is closed either way).
  [[nodiscard]] static result<socket> adopt(unique_fd fd) noexcept;

  /// The descriptor, still owned by this socket (-1 when closed).
  [[nodiscard]] int native_handle() const noexcept { return fd_.get(); }
  /// AF_INET, AF_INET6, AF_NETLINK, ...
  [[nodiscard]] int family() const noexcept { return family_; }
  /// SOCK_DGRAM, SOCK_STREAM, SOCK_RAW (without SOCK_CLOEXEC/SOCK_NONBLOCK).
  [[nodiscard]] int type() const noexcept { return type_; }
  /// The protocol (IPPROTO_UDP, IPPROTO_TCP, a raw socket's protocol, or 0 as given at open).
  [[nodiscard]] int protocol() const noexcept { return protocol_; }
  /// Whether this owns a descriptor.
  [[nodiscard]] bool is_open() const noexcept { return static_cast<bool>(fd_); }
  /// Same as is_open().
  [[nodiscard]] explicit operator bool() const noexcept { return is_open(); }

  /// Give the descriptor to the caller; this socket is then closed.
  [[nodiscard]] unique_fd release() noexcept { return std::move(fd_); }
  /// Close the descriptor now.
  void close() noexcept { fd_.reset(); }

 private:
  socket(unique_fd fd, int family, int type, int protocol) noexcept
      : fd_(std::move(fd)), family_(family), type_(type), protocol_(protocol) {}

  unique_fd fd_;
  int family_ = 0;
  int type_ = 0;
  int protocol_ = 0;
};

/// Anything that exposes its socket descriptor as `native_handle()`: an mcnet
/// socket, an asio socket, ... `T` may be const-qualified; asio's
/// `native_handle()` is a non-const member, so a const asio socket does not
/// qualify (asio itself gives no descriptor out of one).
template <class T>
concept has_native_handle = requires(T& t) {
  { t.native_handle() } -> std::convertible_to<int>;
};

/// A non-owning reference to a socket: what every option and I/O function
/// takes, so that they work on sockets mcnet does not own (asio's, a
/// descriptor from another library). It never closes anything.
class socket_ref {
 public:
  /// From any object with `native_handle()`, e.g. `mcnet::core::socket` or
  /// `boost::asio::ip::udp::socket` (whose `native_handle()` is not const:
  /// hence a forwarding reference rather than `const T&`).
  template <class T>
    requires(!std::same_as<std::remove_cvref_t<T>, socket_ref> && has_native_handle<std::remove_reference_t<T>>)
  socket_ref(T&& s) noexcept  // NOLINT(google-explicit-constructor): a view, like std::string_view
      : fd_(static_cast<int>(s.native_handle())) {}
  /// From a raw descriptor; explicit so that an unrelated int is never taken
  /// for a socket by accident.
  explicit constexpr socket_ref(int fd) noexcept : fd_(fd) {}

  /// The descriptor (not owned).
  [[nodiscard]] constexpr int native_handle() const noexcept { return fd_; }

 private:
  int fd_;
};

}  // namespace mcnet::core
