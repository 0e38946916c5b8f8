// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The mcnet authors
#include "netns.hpp"

#include <fcntl.h>
#include <netinet/in.h>
#include <sched.h>
#include <signal.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <fstream>
#include <mutex>

namespace mcnet::test {
namespace {

std::string errno_text(int err) { return std::string(strerrorname_np(err) ? strerrorname_np(err) : "E?") + " (" + std::strerror(err) + ")"; }

// Child side of netns::create: only async-signal-safe calls until _exit.
[[noreturn]] void holder_main(pid_t parent, int ready_fd, int hold_fd) {
  ::prctl(PR_SET_PDEATHSIG, SIGKILL);
  if (::getppid() != parent) ::_exit(1);
  // Keep only the two pipe ends, as fds 0 and 1, so that this holder keeps no
  // other holder's pipe open.
  if (::dup2(hold_fd, 0) < 0 || ::dup2(ready_fd, 1) < 0) ::_exit(1);
  ::close_range(3, ~0U, 0);
  int status = ::unshare(CLONE_NEWNET) == 0 ? 0 : errno;
  unsigned char byte = static_cast<unsigned char>(status);
  if (::write(1, &byte, 1) != 1) ::_exit(1);
  ::close(1);
  char c = 0;
  while (::read(0, &c, 1) < 0 && errno == EINTR) {
  }
  ::_exit(0);
}

}  // namespace

netns netns::create() {
  int ready[2];
  int hold[2];
  if (::pipe2(ready, O_CLOEXEC) != 0) throw harness_error("netns: pipe2: " + errno_text(errno));
  if (::pipe2(hold, O_CLOEXEC) != 0) {
    ::close(ready[0]);
    ::close(ready[1]);
    throw harness_error("netns: pipe2: " + errno_text(errno));
  }
  core::unique_fd ready_read(ready[0]), ready_write(ready[1]), hold_read(hold[0]), hold_write(hold[1]);

  const pid_t parent = ::getpid();
  const pid_t pid = ::fork();
  if (pid < 0) throw harness_error("netns: fork: " + errno_text(errno));
  if (pid == 0) holder_main(parent, ready_write.get(), hold_read.get());

  ready_write.reset();
  hold_read.reset();
  unsigned char status = 0;
  ssize_t got = 0;
  do {
    got = ::read(ready_read.get(), &status, 1);
  } while (got < 0 && errno == EINTR);

  auto reap = [pid] {
    ::kill(pid, SIGKILL);
    ::waitpid(pid, nullptr, 0);
  };
  if (got != 1) {
    reap();
    throw harness_error("netns: the namespace holder died before reporting");
  }
  if (status != 0) {
    reap();
    throw harness_error(errno_text(status) + ": unshare(CLONE_NEWNET) failed; network namespaces need root "
                        "(CAP_SYS_ADMIN)");
  }
  const std::string path = "/proc/" + std::to_string(pid) + "/ns/net";
  core::unique_fd fd(::open(path.c_str(), O_RDONLY | O_CLOEXEC));
  if (!fd) {
    int err = errno;
    reap();
    throw harness_error("netns: open " + path + ": " + errno_text(err));
  }
  struct stat st {};
  ::fstat(fd.get(), &st);
  return netns(std::move(fd), std::move(hold_write), pid, static_cast<unsigned long>(st.st_ino));
}

netns::netns(netns&& other) noexcept
    : fd_(std::move(other.fd_)), hold_(std::move(other.hold_)), pid_(std::exchange(other.pid_, -1)), inode_(other.inode_) {}

netns& netns::operator=(netns&& other) noexcept {
  if (this != &other) {
    destroy();
    fd_ = std::move(other.fd_);
    hold_ = std::move(other.hold_);
    pid_ = std::exchange(other.pid_, -1);
    inode_ = other.inode_;
  }
  return *this;
}

netns::~netns() { destroy(); }

void netns::destroy() noexcept {
  if (pid_ > 0) {
    hold_.reset();  // the holder sees EOF and leaves
    ::kill(pid_, SIGKILL);
    while (::waitpid(pid_, nullptr, 0) < 0 && errno == EINTR) {
    }
    pid_ = -1;
  }
  fd_.reset();
}

void netns::enter() const {
  if (::setns(fd_.get(), CLONE_NEWNET) != 0) throw harness_error("netns: setns: " + errno_text(errno));
}

void netns::write_sysctl(const std::string& name, const std::string& value) const {
  std::string path = "/proc/sys/" + name;
  for (auto& c : path) {
    if (c == '.') c = '/';
  }
  run([&] {
    std::ofstream f(path);
    f << value;
    f.flush();
    if (!f) throw harness_error("netns: cannot write " + value + " to " + path);
  });
}

bool netns_available(std::string* why) {
  static std::once_flag once;
  static bool available = false;
  static std::string reason;
  std::call_once(once, [] {
    try {
      netns probe = netns::create();
      available = true;
    } catch (const harness_error& e) {
      reason = e.what();
    }
  });
  if (why != nullptr) *why = reason;
  return available;
}

bool multicast_routing_available(bool ipv6, std::string* why) {
  // MRT_INIT and MRT6_INIT (both MRT_BASE, 200) of <linux/mroute.h> and
  // <linux/mroute6.h>, which clash with <netinet/in.h>.
  constexpr int MRT_INIT = 200;
  constexpr int MRT6_INIT = 200;
  static std::once_flag once[2];
  static bool available[2] = {false, false};
  static std::string reason[2];
  const int i = ipv6 ? 1 : 0;
  std::call_once(once[i], [&] {
    try {
      netns probe = netns::create();
      const int err = probe.run([&] {
        core::unique_fd s(::socket(ipv6 ? AF_INET6 : AF_INET, SOCK_RAW | SOCK_CLOEXEC,
                                   ipv6 ? int{IPPROTO_ICMPV6} : int{IPPROTO_IGMP}));
        if (!s) return errno;
        const int one = 1;
        const int rc = ipv6 ? ::setsockopt(s.get(), IPPROTO_IPV6, MRT6_INIT, &one, sizeof one)
                            : ::setsockopt(s.get(), IPPROTO_IP, MRT_INIT, &one, sizeof one);
        return rc == 0 ? 0 : errno;
      });
      if (err == 0) {
        available[i] = true;
      } else {
        reason[i] = std::string("this kernel has no ") + (ipv6 ? "IPv6" : "IPv4") + " multicast routing (" +
                    (ipv6 ? "MRT6_INIT" : "MRT_INIT") + " gives " + errno_text(err) +
                    (err == ENOPROTOOPT ? std::string(": built without ") + (ipv6 ? "CONFIG_IPV6_MROUTE" : "CONFIG_IP_MROUTE")
                                        : std::string()) +
                    "), so no router between the test's LANs can forward multicast";
      }
    } catch (const harness_error& e) {
      reason[i] = e.what();
    }
  });
  if (why != nullptr) *why = reason[i];
  return available[i];
}

}  // namespace mcnet::test
