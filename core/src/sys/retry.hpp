// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The mcnet authors
#pragma once

// The one EINTR loop of core/src/sys: every socket call there that a
// signal may interrupt goes through retry_eintr, so that a handler
// installed without SA_RESTART (or a call the kernel never restarts,
// signal(7)) ends no receive, send or accept.

#include <cerrno>

namespace mcnet::core::sys {

/// Call `call` (a system call: a count or descriptor, or -1 with errno set)
/// again for as long as it fails with EINTR. Returns the count, or -errno.
template <class Call>
long retry_eintr(Call&& call) noexcept {
  long n;
  do {
    n = static_cast<long>(call());
  } while (n < 0 && errno == EINTR);
  return n < 0 ? -errno : n;
}

}  // namespace mcnet::core::sys
