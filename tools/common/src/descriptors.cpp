// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The mcnet authors
#include <mcnet/tools/descriptors.hpp>

#include <dirent.h>
#include <fcntl.h>
#include <sys/resource.h>

#include <algorithm>
#include <cerrno>
#include <cstdio>

#include <fmt/format.h>

namespace mcnet::tools {

standard_descriptors occupy_standard_descriptors() noexcept {
  standard_descriptors closed;
  bool* flags[] = {&closed.input_closed, &closed.output_closed, &closed.error_closed};
  for (int fd = 0; fd < 3; ++fd) {
    if (::fcntl(fd, F_GETFD) != -1 || errno != EBADF) continue;
    *flags[fd] = true;
    // The lowest free number: `fd` itself, the lower ones being open by now.
    // Without O_CLOEXEC: a child the tool starts keeps it too.
    (void)::open("/dev/null", O_RDWR);
  }
  return closed;
}

std::size_t open_descriptors() noexcept {
  DIR* dir = ::opendir("/proc/self/fd");
  if (dir == nullptr) return 3;
  std::size_t n = 0;
  while (const dirent* e = ::readdir(dir)) {
    if (e->d_name[0] != '.') ++n;
  }
  ::closedir(dir);
  return n > 0 ? n - 1 : 0;  // the directory's own descriptor
}

tl::expected<void, descriptor_error> ensure_descriptors(std::size_t sockets, std::size_t besides,
                                                        std::string_view hint) {
  const auto failed = [](const error& e) {
    return tl::unexpected(descriptor_error{e.code, e, e.message()});
  };
  // Descriptors take the lowest free number: all fit while their count
  // stays within the soft limit.
  const std::size_t open_now = open_descriptors();
  const std::size_t needed = open_now + sockets + besides;
  rlimit lim{};
  if (::getrlimit(RLIMIT_NOFILE, &lim) != 0) return failed(error::from_errno(errno, "getrlimit", "RLIMIT_NOFILE"));
  if (lim.rlim_cur >= needed) return {};
  if (lim.rlim_max < needed) {
    const auto e = error::from_errno(EMFILE, "plan", "RLIMIT_NOFILE")
                       .with_number(static_cast<std::int64_t>(sockets))
                       .with_hint(hint);
    const auto limit_text = [](rlim_t v) {
      return v == RLIM_INFINITY ? std::string("unlimited") : fmt::format("{}", v);
    };
    // The whole count, both limits and the way up (trial h16x L5: only the
    // socket count was said, and "ulimit -Hn" without a number).
    return tl::unexpected(descriptor_error{
        e.code, e,
        fmt::format("{}: {} descriptors in all ({} open now, {} {}, {} more the run opens), and the limit on "
                    "open files (RLIMIT_NOFILE) is {} (soft) and {} (hard): raise the hard limit to {} or more (as "
                    "root: ulimit -Hn {} in the shell that starts the tool, or start it with prlimit --nofile={}:{})",
                    e.message(), needed, open_now, sockets, sockets == 1 ? "socket" : "sockets", besides,
                    limit_text(lim.rlim_cur),
                    limit_text(lim.rlim_max), needed, needed, needed, needed)});
  }
  // Twice what is needed when the hard limit allows: the run's transient
  // descriptors (netlink lookups) never meet the limit.
  lim.rlim_cur = std::max<rlim_t>(needed, std::min<rlim_t>(lim.rlim_max, needed * 2));
  if (::setrlimit(RLIMIT_NOFILE, &lim) != 0) return failed(error::from_errno(errno, "setrlimit", "RLIMIT_NOFILE"));
  return {};
}

bool more_descriptors() noexcept {
  rlimit lim{};
  if (::getrlimit(RLIMIT_NOFILE, &lim) != 0 || lim.rlim_cur == RLIM_INFINITY) return false;
  const rlim_t want = std::max<rlim_t>(lim.rlim_cur * 2, 1024);
  if (lim.rlim_cur < lim.rlim_max) {
    lim.rlim_cur = std::min(want, lim.rlim_max);
    return ::setrlimit(RLIMIT_NOFILE, &lim) == 0;
  }
  // At the hard limit: raised with CAP_SYS_RESOURCE (root), up to the
  // kernel's fs.nr_open, which setrlimit(2) refuses to pass (EPERM).
  rlim_t nr_open = 1048576;
  if (FILE* f = std::fopen("/proc/sys/fs/nr_open", "r"); f != nullptr) {
    unsigned long long v = 0;
    if (std::fscanf(f, "%llu", &v) == 1) nr_open = static_cast<rlim_t>(v);
    std::fclose(f);
  }
  if (lim.rlim_max >= nr_open) return false;
  lim.rlim_cur = lim.rlim_max = std::min(want, nr_open);
  return ::setrlimit(RLIMIT_NOFILE, &lim) == 0;
}

}  // namespace mcnet::tools
