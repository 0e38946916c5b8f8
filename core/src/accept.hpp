// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The mcnet authors
#pragma once

// Not an interface: accept4(2) waiting as a wait_policy says, with its
// errors named and hinted, what `accept` (IP endpoints) and `accept_unix`
// (Unix addresses) share; each turns the peer's sockaddr into its own type.

#include <sys/socket.h>

#include <mcnet/core/error.hpp>
#include <mcnet/core/socket.hpp>
#include <mcnet/core/wait_policy.hpp>

namespace mcnet::core::detail {

/// Accept one connection on `listener`; the peer's sockaddr goes to `name`
/// and `length`. Errors as `accept` says (socket_ops.hpp).
result<socket> accept_one(socket_ref listener, wait_policy wait, bool nonblocking, sockaddr_storage& name,
                          socklen_t& length) noexcept;

}  // namespace mcnet::core::detail
