// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The mcnet authors
#pragma once

/// @file
/// Run calls inside another network namespace. setns(2) changes only the
/// calling thread, so the call runs on a thread of its own that enters the
/// namespace first; netlink sockets it opens stay in that namespace.

#include <sched.h>

#include <exception>
#include <optional>
#include <thread>
#include <type_traits>
#include <utility>

#include <mcnet/core/error.hpp>

namespace mcnet::netlink {

/// Run `fn` inside the network namespace open as `ns_fd` (e.g.
/// open("/proc/PID/ns/net") or /run/netns/NAME) and return its result.
/// Errors: the errno of setns (EPERM without CAP_SYS_ADMIN, EINVAL when
/// `ns_fd` is not a network namespace).
template <class F>
auto in_namespace(int ns_fd, F&& fn) -> result<std::invoke_result_t<F>> {
  using R = std::invoke_result_t<F>;
  std::optional<error> failed;
  std::exception_ptr thrown;
  std::optional<std::conditional_t<std::is_void_v<R>, int, R>> out;
  std::thread worker([&] {
    if (::setns(ns_fd, CLONE_NEWNET) != 0) {
      failed = error::from_errno(errno, "setns", "CLONE_NEWNET");
      return;
    }
    try {
      if constexpr (std::is_void_v<R>) {
        std::forward<F>(fn)();
        out.emplace(0);
      } else {
        out.emplace(std::forward<F>(fn)());
      }
    } catch (...) {
      thrown = std::current_exception();
    }
  });
  worker.join();
  if (thrown) std::rethrow_exception(thrown);
  if (failed) return fail(*failed);
  if constexpr (std::is_void_v<R>) {
    return {};
  } else {
    return std::move(*out);
  }
}

}  // namespace mcnet::netlink
