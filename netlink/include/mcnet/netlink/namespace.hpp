// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The mcnet authors
#pragma once

/// @file
/// Run calls inside another network namespace. setns(2) changes only the
/// calling thread, so the call runs on a thread of its own that enters the
/// namespace first; netlink sockets it opens stay in that namespace.

#include <mcnet/core/cxx20.hpp>  // first: C++20 or one clear error

#include <exception>
#include <optional>
#include <type_traits>
#include <utility>

#include <mcnet/core/error.hpp>

namespace mcnet::netlink {

namespace detail {
/// What run_in_namespace calls: `context` is the caller's.
using namespace_body = void (*)(void* context) noexcept;
/// Start a thread, move it into the network namespace open as `ns_fd`
/// (setns(2) with `CLONE_NEWNET`), call `body(context)` there and join it.
/// `body` is not called when setns fails. Errors: setns's errno.
/// Throws std::system_error when no thread can be started.
[[nodiscard]] result<void> run_in_namespace(int ns_fd, namespace_body body, void* context);
}  // namespace detail

/// Run `fn` inside the network namespace open as `ns_fd` (e.g.
/// open("/proc/PID/ns/net") or /run/netns/NAME) and return its result; an
/// exception from `fn` is rethrown here. Errors: the errno of setns(2)
/// (EPERM without CAP_SYS_ADMIN, EINVAL when `ns_fd` is not a network
/// namespace, EBADF when it is not open).
template <class F>
auto in_namespace(int ns_fd, F&& fn) -> result<std::invoke_result_t<F>> {
  using R = std::invoke_result_t<F>;
  struct state {
    std::remove_reference_t<F>* fn;
    std::exception_ptr thrown{};
    std::optional<std::conditional_t<std::is_void_v<R>, int, R>> out{};
  } s{&fn};
  auto entered = detail::run_in_namespace(
      ns_fd,
      [](void* context) noexcept {
        auto& st = *static_cast<state*>(context);
        try {
          if constexpr (std::is_void_v<R>) {
            std::forward<F>(*st.fn)();
            st.out.emplace(0);
          } else {
            st.out.emplace(std::forward<F>(*st.fn)());
          }
        } catch (...) {
          st.thrown = std::current_exception();
        }
      },
      &s);
  if (s.thrown) std::rethrow_exception(s.thrown);
  if (!entered) return fail(entered.error());
  if constexpr (std::is_void_v<R>) {
    return {};
  } else {
    return std::move(*s.out);
  }
}

}  // namespace mcnet::netlink
