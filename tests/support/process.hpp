// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The mcnet authors
#pragma once

// Processes started inside a namespace (the tools, tcpdump, iperf,
// smcrouted, ip). Each dies with the test: SIGKILL when its object is
// destroyed, and PR_SET_PDEATHSIG if the test process dies first (tied to the
// starting thread, like netns). Standard output and standard error go to two
// anonymous memory files that can be read at any time.

#include <sys/types.h>

#include <chrono>
#include <optional>
#include <string>
#include <vector>

#include <mcnet/core/unique_fd.hpp>

#include "netns.hpp"

namespace mcnet::test {

struct exit_status {
  bool exited = false;  ///< ended by exit(); otherwise by a signal
  int code = -1;        ///< exit code, or the signal number
  [[nodiscard]] bool success() const noexcept { return exited && code == 0; }
  [[nodiscard]] std::string describe() const;
};

class process {
 public:
  /// Start argv[0] (looked up in PATH) inside `ns` (nullptr: the caller's
  /// namespace; the harness only uses that for tools that send nothing),
  /// with `input` as its standard input. Throws harness_error when the
  /// program cannot be started (its errno included).
  static process start(const netns* ns, const std::vector<std::string>& argv, const std::string& input = {});

  process(process&& other) noexcept;
  process& operator=(process&& other) noexcept;
  process(const process&) = delete;
  process& operator=(const process&) = delete;
  ~process();

  [[nodiscard]] pid_t pid() const noexcept { return pid_; }
  /// Wait until it ends or `timeout` passes; std::nullopt on timeout (it keeps running).
  std::optional<exit_status> wait_for(std::chrono::milliseconds timeout);
  /// Send `sig`; then wait up to `grace` and SIGKILL if it is still there.
  exit_status stop(int sig, std::chrono::milliseconds grace = std::chrono::seconds(5));
  /// Everything it wrote so far: standard output, then standard error.
  [[nodiscard]] std::string output() const;
  /// What it wrote to standard output only (JSON Lines, CSV).
  [[nodiscard]] std::string standard_output() const;
  /// What it wrote to standard error only.
  [[nodiscard]] std::string error_output() const;
  /// The command line, for messages.
  [[nodiscard]] const std::string& command() const noexcept { return command_; }

 private:
  process() = default;
  void reap_now() noexcept;

  pid_t pid_ = -1;
  core::unique_fd pidfd_;
  core::unique_fd output_;
  core::unique_fd errors_;
  std::string command_;
  std::optional<exit_status> status_;
};

struct run_result {
  exit_status status;
  std::string output;           ///< standard output, then standard error
  std::string standard_output;  ///< standard output alone
};

/// Run a command to completion inside `ns` (at most `timeout`, then killed).
run_result run(const netns* ns, const std::vector<std::string>& argv, const std::string& input = {},
               std::chrono::milliseconds timeout = std::chrono::seconds(20));

/// As run(), but throw harness_error with the command and its output unless it
/// exits with 0.
std::string run_checked(const netns* ns, const std::vector<std::string>& argv, const std::string& input = {},
                        std::chrono::milliseconds timeout = std::chrono::seconds(20));

}  // namespace mcnet::test
