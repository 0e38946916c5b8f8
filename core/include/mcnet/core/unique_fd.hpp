// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The mcnet authors
#pragma once

#include <mcnet/core/cxx20.hpp>  // first: C++20 or one clear error

#include <utility>

namespace mcnet::core {

/// Move-only owner of a file descriptor: closes it on destruction. -1 means
/// "owns nothing".
class unique_fd {
 public:
  constexpr unique_fd() noexcept = default;
  /// Take ownership of `fd` (may be -1).
  constexpr explicit unique_fd(int fd) noexcept : fd_(fd) {}
  unique_fd(const unique_fd&) = delete;
  unique_fd& operator=(const unique_fd&) = delete;
  /// Take `other`'s descriptor; `other` holds -1.
  constexpr unique_fd(unique_fd&& other) noexcept : fd_(std::exchange(other.fd_, -1)) {}
  /// Close the descriptor held and take `other`'s; `other` holds -1.
  unique_fd& operator=(unique_fd&& other) noexcept {
    if (this != &other) reset(std::exchange(other.fd_, -1));
    return *this;
  }
  ~unique_fd() { reset(); }

  /// The descriptor (-1 when empty); still owned.
  [[nodiscard]] constexpr int get() const noexcept { return fd_; }
  /// Whether a descriptor (>= 0) is held.
  [[nodiscard]] constexpr explicit operator bool() const noexcept { return fd_ >= 0; }
  /// Give up ownership without closing; returns the descriptor.
  [[nodiscard]] constexpr int release() noexcept { return std::exchange(fd_, -1); }
  /// Close the owned descriptor (if any) and own `fd` instead. close(2)
  /// errors are ignored: on Linux the descriptor is gone either way.
  void reset(int fd = -1) noexcept;

 private:
  int fd_ = -1;
};

}  // namespace mcnet::core
