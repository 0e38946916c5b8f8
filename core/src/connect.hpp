// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The mcnet authors
#pragma once

// Not an interface: one connect(2) to an IP endpoint with its errors named,
// what `connect` and `connect_start` share. A signal's EINTR comes back as
// it is, since the two take it differently: connect_start reports the
// handshake in progress, connect waits for its outcome.

#include <mcnet/core/endpoint.hpp>
#include <mcnet/core/error.hpp>
#include <mcnet/core/socket.hpp>

namespace mcnet::core::detail {

result<void> connect_once(socket_ref s, const endpoint& remote) noexcept;

}  // namespace mcnet::core::detail
