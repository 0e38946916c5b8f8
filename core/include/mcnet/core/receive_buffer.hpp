// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The mcnet authors
#pragma once

#include <mcnet/core/cxx20.hpp>  // first: C++20 or one clear error

#include <cstdint>
#include <optional>
#include <string>

#include <mcnet/core/error.hpp>
#include <mcnet/core/socket.hpp>

namespace mcnet::core {

/// How `set_receive_buffer` asks for space.
enum class buffer_request : std::uint8_t {
  normal,             ///< SO_RCVBUF: clamped at net.core.rmem_max
  force,              ///< SO_RCVBUFFORCE: ignores the clamp; EPERM without CAP_NET_ADMIN
  force_if_permitted  ///< SO_RCVBUFFORCE, falling back to SO_RCVBUF on EPERM
};

/// What the kernel granted for a receive buffer request.
struct buffer_grant {
  std::int64_t requested = 0;  ///< bytes asked for
  std::int64_t granted = 0;    ///< SO_RCVBUF as read back (the kernel doubles what it accepts)
  std::optional<std::int64_t> rmem_max{};  ///< net.core.rmem_max, when readable
  bool forced = false;                   ///< SO_RCVBUFFORCE was used and accepted

  /// Whether the kernel gave less than asked (granted < 2 x requested).
  [[nodiscard]] bool clamped() const noexcept { return granted < 2 * requested; }
  /// The payload-sized figure the kernel accepted: granted / 2.
  [[nodiscard]] std::int64_t effective() const noexcept { return granted / 2; }
  /// Empty when not clamped; otherwise what happened and how to raise the
  /// limit, e.g. "SO_RCVBUF 8388608 was clamped to 212992 by
  /// net.core.rmem_max=212992; raise it with `sysctl -w
  /// net.core.rmem_max=8388608` or use SO_RCVBUFFORCE (CAP_NET_ADMIN)".
  [[nodiscard]] std::string hint() const;
};

/// Set the receive buffer to `bytes` and report what was granted, and
/// whether net.core.rmem_max clamped it.
/// Errors: errc::value_out_of_range for a negative or > INT_MAX/2 request;
/// the errno of setsockopt (EPERM for `force` without CAP_NET_ADMIN, with a
/// hint).
[[nodiscard]] result<buffer_grant> set_receive_buffer(socket_ref s, std::int64_t bytes,
                                                      buffer_request how = buffer_request::normal) noexcept;

}  // namespace mcnet::core
