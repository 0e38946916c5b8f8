// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The mcnet authors
#pragma once

// Signals that interrupt blocking system calls: for the tests that check a
// call goes on through them (a signal whose handler has no SA_RESTART ends
// a blocked system call with EINTR, signal(7)).

#include <pthread.h>
#include <signal.h>

#include <atomic>
#include <chrono>
#include <stdexcept>
#include <thread>

namespace mcnet::test {

/// For its lifetime, a SIGALRM handler installed without SA_RESTART, so
/// that the signal ends a blocked system call with EINTR; and a thread that
/// sends SIGALRM to `target` every 20 ms (at most 200 times) until stopped.
class interrupter {
 public:
  explicit interrupter(pthread_t target) {
    struct sigaction counting{};
    counting.sa_handler = [](int) { delivered().fetch_add(1); };
    sigemptyset(&counting.sa_mask);
    counting.sa_flags = 0;  // no SA_RESTART
    if (::sigaction(SIGALRM, &counting, &before_) != 0) throw std::runtime_error("sigaction");
    start_ = delivered().load();
    thread_ = std::thread([this, target] {
      for (int i = 0; i < 200 && !stop_; ++i) {
        std::this_thread::sleep_for(std::chrono::milliseconds(20));
        if (!stop_) ::pthread_kill(target, SIGALRM);
      }
    });
  }
  interrupter(const interrupter&) = delete;
  interrupter& operator=(const interrupter&) = delete;
  ~interrupter() {
    stop_ = true;
    thread_.join();
    ::sigaction(SIGALRM, &before_, nullptr);
  }
  /// How many signals the handler caught since the start.
  int caught() const { return delivered().load() - start_; }

 private:
  static std::atomic<int>& delivered() {
    static std::atomic<int> n{0};
    return n;
  }
  struct sigaction before_{};
  int start_ = 0;
  std::atomic<bool> stop_{false};
  std::thread thread_;
};

}  // namespace mcnet::test
