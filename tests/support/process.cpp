// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The mcnet authors
#include "process.hpp"

#include <fcntl.h>
#include <poll.h>
#include <sched.h>
#include <signal.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

namespace mcnet::test {
namespace {

std::string join(const std::vector<std::string>& argv) {
  std::string out;
  for (const auto& a : argv) {
    if (!out.empty()) out += ' ';
    out += a;
  }
  return out;
}

core::unique_fd memory_file(const char* name) {
  core::unique_fd fd(::memfd_create(name, MFD_CLOEXEC));
  if (!fd) throw harness_error(std::string("process: memfd_create: ") + std::strerror(errno));
  return fd;
}

// Tell the parent why exec did not happen, and leave.
[[noreturn]] void report_and_exit(int report_fd, int err) {
  ssize_t ignored = ::write(report_fd, &err, sizeof err);
  (void)ignored;
  ::_exit(127);
}

// Child side of process::start: only async-signal-safe calls until exec.
[[noreturn]] void child_main(pid_t parent, int ns_fd, int input_fd, int output_fd, int error_fd, int report_fd,
                             char* const* argv) {
  ::prctl(PR_SET_PDEATHSIG, SIGKILL);
  if (::getppid() != parent) ::_exit(1);
  // A process group of its own, whose parent (the test) is in another
  // group of the session: never orphaned. In the test's own group, run
  // by a launcher that had exited (an orphaned group), a test that
  // SIGSTOPs a child saw it get SIGHUP then SIGCONT as soon as any other
  // member exited (POSIX: an orphaned group with a stopped member), and
  // mcast-send ended "interrupted by a signal" (NetEveryRun.
  // ASendersSilenceDuringTheReceiversOwnPauseIsStillItsStall, full runs only).
  ::setpgid(0, 0);
  if (ns_fd >= 0 && ::setns(ns_fd, CLONE_NEWNET) != 0) report_and_exit(report_fd, errno);
  if (::dup2(input_fd, 0) < 0 || ::dup2(output_fd, 1) < 0 || ::dup2(error_fd, 2) < 0) report_and_exit(report_fd, errno);
  // The report pipe is CLOEXEC: it closes on a successful exec.
  if (::dup2(report_fd, 3) < 0) report_and_exit(report_fd, errno);
  ::fcntl(3, F_SETFD, FD_CLOEXEC);
  report_fd = 3;
  ::close_range(4, ~0U, 0);
  ::signal(SIGPIPE, SIG_DFL);
  ::execvp(argv[0], argv);
  report_and_exit(report_fd, errno);
}

}  // namespace

std::string exit_status::describe() const {
  if (exited) return "exit code " + std::to_string(code);
  return std::string("killed by signal ") + (sigabbrev_np(code) ? sigabbrev_np(code) : "?") + " (" +
         std::to_string(code) + ")";
}

process process::start(const netns* ns, const std::vector<std::string>& argv, const std::string& input) {
  if (argv.empty()) throw harness_error("process: empty command");
  std::vector<std::string> args = argv;
  std::vector<char*> cargv;
  for (auto& a : args) cargv.push_back(a.data());
  cargv.push_back(nullptr);

  process p;
  p.command_ = join(argv);
  p.output_ = memory_file("mcnet-stdout");
  p.errors_ = memory_file("mcnet-stderr");
  core::unique_fd in = memory_file("mcnet-input");
  if (!input.empty() && ::write(in.get(), input.data(), input.size()) != static_cast<ssize_t>(input.size())) {
    throw harness_error("process: cannot write the input of " + p.command_);
  }
  ::lseek(in.get(), 0, SEEK_SET);
  int report[2];
  if (::pipe2(report, O_CLOEXEC) != 0) throw harness_error(std::string("process: pipe2: ") + std::strerror(errno));
  core::unique_fd report_read(report[0]), report_write(report[1]);

  const pid_t parent = ::getpid();
  const pid_t pid = ::fork();
  if (pid < 0) throw harness_error(std::string("process: fork: ") + std::strerror(errno));
  if (pid == 0) child_main(parent, ns ? ns->fd() : -1, in.get(), p.output_.get(), p.errors_.get(), report_write.get(), cargv.data());

  p.pid_ = pid;
  report_write.reset();
  int child_errno = 0;
  ssize_t got = 0;
  do {
    got = ::read(report_read.get(), &child_errno, sizeof child_errno);
  } while (got < 0 && errno == EINTR);
  if (got == sizeof child_errno) {
    p.reap_now();
    throw harness_error("process: cannot start `" + p.command_ + "`: " + std::strerror(child_errno) +
                        (child_errno == ENOENT ? " (is it installed? run scripts/setup.sh)" : ""));
  }
  p.pidfd_ = core::unique_fd(static_cast<int>(::syscall(SYS_pidfd_open, pid, 0)));
  return p;
}

process::process(process&& other) noexcept
    : pid_(std::exchange(other.pid_, -1)),
      pidfd_(std::move(other.pidfd_)),
      output_(std::move(other.output_)),
      errors_(std::move(other.errors_)),
      command_(std::move(other.command_)),
      status_(std::move(other.status_)) {}

process& process::operator=(process&& other) noexcept {
  if (this != &other) {
    reap_now();
    pid_ = std::exchange(other.pid_, -1);
    pidfd_ = std::move(other.pidfd_);
    output_ = std::move(other.output_);
    errors_ = std::move(other.errors_);
    command_ = std::move(other.command_);
    status_ = std::move(other.status_);
  }
  return *this;
}

process::~process() { reap_now(); }

void process::reap_now() noexcept {
  if (pid_ > 0 && !status_) {
    ::kill(pid_, SIGKILL);
    int st = 0;
    while (::waitpid(pid_, &st, 0) < 0 && errno == EINTR) {
    }
    status_ = exit_status{WIFEXITED(st), WIFEXITED(st) ? WEXITSTATUS(st) : WTERMSIG(st)};
  }
}

std::optional<exit_status> process::wait_for(std::chrono::milliseconds timeout) {
  if (status_) return status_;
  if (pid_ <= 0) return std::nullopt;
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  while (true) {
    int st = 0;
    pid_t r = ::waitpid(pid_, &st, WNOHANG);
    if (r == pid_) {
      status_ = exit_status{WIFEXITED(st), WIFEXITED(st) ? WEXITSTATUS(st) : WTERMSIG(st)};
      return status_;
    }
    if (r < 0 && errno != EINTR) return std::nullopt;
    auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - std::chrono::steady_clock::now());
    if (left.count() <= 0) return std::nullopt;
    if (pidfd_) {
      pollfd pfd{pidfd_.get(), POLLIN, 0};
      ::poll(&pfd, 1, static_cast<int>(left.count()));
    } else {
      ::usleep(2000);
    }
  }
}

exit_status process::stop(int sig, std::chrono::milliseconds grace) {
  if (status_) return *status_;
  ::kill(pid_, sig);
  if (auto st = wait_for(grace)) return *st;
  reap_now();
  return *status_;
}

namespace {
std::string read_all(int fd) {
  std::string out;
  char buf[4096];
  off_t offset = 0;
  while (true) {
    ssize_t n = ::pread(fd, buf, sizeof buf, offset);
    if (n <= 0) break;
    out.append(buf, static_cast<std::size_t>(n));
    offset += n;
  }
  return out;
}
}  // namespace

std::string process::output() const { return read_all(output_.get()) + read_all(errors_.get()); }
std::string process::standard_output() const { return read_all(output_.get()); }
std::string process::error_output() const { return read_all(errors_.get()); }

run_result run(const netns* ns, const std::vector<std::string>& argv, const std::string& input,
               std::chrono::milliseconds timeout) {
  process p = process::start(ns, argv, input);
  auto st = p.wait_for(timeout);
  if (!st) st = p.stop(SIGKILL, std::chrono::seconds(1));
  return {*st, p.output(), p.standard_output()};
}

std::string run_checked(const netns* ns, const std::vector<std::string>& argv, const std::string& input,
                        std::chrono::milliseconds timeout) {
  auto r = run(ns, argv, input, timeout);
  if (!r.status.success()) {
    throw harness_error("`" + join(argv) + "` failed (" + r.status.describe() + "):\n" + r.output +
                        (input.empty() ? "" : "\ninput was:\n" + input));
  }
  return r.output;
}

}  // namespace mcnet::test
