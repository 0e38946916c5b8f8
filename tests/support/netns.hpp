// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The mcnet authors
#pragma once

// A private network namespace that lives exactly as long as its C++ object,
// without a name under /run/netns (so parallel test runs cannot collide).
//
// A small holder process keeps the namespace alive and gives it a pid, so that
// `ip link ... netns PID` can move links into it. The holder dies with the
// test process however that ends: its parent-death signal (PR_SET_PDEATHSIG)
// and a pipe it blocks on both end it. The holder is tied to the thread that
// created it (PR_SET_PDEATHSIG follows the creating thread): create
// namespaces on a thread that outlives them, such as the test's main thread.

#include <sys/types.h>

#include <exception>
#include <optional>
#include <stdexcept>
#include <string>
#include <thread>
#include <type_traits>
#include <utility>

#include <mcnet/core/unique_fd.hpp>

namespace mcnet::test {

/// Thrown by the harness when setting up or using a namespace fails; the
/// message says which step and why.
class harness_error : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

class netns {
 public:
  /// Create a new network namespace. Throws harness_error; its message
  /// starts with "EPERM" when the process lacks CAP_SYS_ADMIN.
  static netns create();

  netns(netns&& other) noexcept;
  netns& operator=(netns&&) noexcept;
  netns(const netns&) = delete;
  netns& operator=(const netns&) = delete;
  ~netns();

  /// A descriptor of the namespace (for setns).
  [[nodiscard]] int fd() const noexcept { return fd_.get(); }
  /// The holder process: a pid inside the namespace, for `ip ... netns PID`.
  [[nodiscard]] pid_t pid() const noexcept { return pid_; }
  /// The namespace's inode number (identity, as in /proc/PID/ns/net).
  [[nodiscard]] unsigned long inode() const noexcept { return inode_; }

  /// Run `fn` on a new thread that has entered this namespace and return its
  /// result. Sockets `fn` creates stay in this namespace for their whole life;
  /// /proc/thread-self/net and /proc/sys/net in `fn` are this namespace's.
  /// Exceptions from `fn` are rethrown here.
  template <class F>
  std::invoke_result_t<F> run(F&& fn) const {
    using R = std::invoke_result_t<F>;
    std::exception_ptr failure;
    std::optional<std::conditional_t<std::is_void_v<R>, int, R>> out;
    std::thread worker([&] {
      try {
        enter();
        if constexpr (std::is_void_v<R>) {
          std::forward<F>(fn)();
          out.emplace(0);
        } else {
          out.emplace(std::forward<F>(fn)());
        }
      } catch (...) {
        failure = std::current_exception();
      }
    });
    worker.join();
    if (failure) std::rethrow_exception(failure);
    if constexpr (!std::is_void_v<R>) return std::move(*out);
  }

  /// Write a sysctl inside this namespace ("net.ipv6.conf.all.accept_dad", "0").
  void write_sysctl(const std::string& name, const std::string& value) const;

  /// Move the calling thread into this namespace (for worker threads that
  /// live longer than one `run`). Throws harness_error.
  void enter() const;

 private:
  netns(core::unique_fd fd, core::unique_fd hold, pid_t pid, unsigned long inode) noexcept
      : fd_(std::move(fd)), hold_(std::move(hold)), pid_(pid), inode_(inode) {}
  void destroy() noexcept;

  core::unique_fd fd_;    // /proc/PID/ns/net
  core::unique_fd hold_;  // write end of the pipe the holder blocks on
  pid_t pid_ = -1;
  unsigned long inode_ = 0;
};

/// Whether this process can create network namespaces (cached after the
/// first call); `why` gets the reason when it cannot.
bool netns_available(std::string* why = nullptr);

/// Whether this kernel forwards multicast between interfaces: MRT_INIT on a
/// raw IGMP socket (MRT6_INIT on a raw ICMPv6 socket for `ipv6`), tried in a
/// namespace of its own and cached. A kernel built without CONFIG_IP_MROUTE
/// (CONFIG_IPV6_MROUTE) answers ENOPROTOOPT: no multicast router (smcrouted)
/// can run on it. `why` gets the reason when it cannot. Call only when
/// netns_available().
bool multicast_routing_available(bool ipv6, std::string* why = nullptr);

}  // namespace mcnet::test
