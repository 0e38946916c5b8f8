// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The mcnet authors
#include <mcnet/core/sysctl.hpp>

#include <fcntl.h>
#include <unistd.h>

#include <array>
#include <cerrno>
#include <charconv>

#include <mcnet/core/unique_fd.hpp>

namespace mcnet::core {

result<std::int64_t> read_sysctl(std::string_view name) noexcept {
  constexpr std::string_view root = "/proc/sys/";
  std::array<char, 256> path{};
  if (name.empty() || name.size() + root.size() >= path.size()) {
    return fail(error(errc::value_out_of_range, "read_sysctl", "sysctl").with_input(name));
  }
  std::size_t n = 0;
  for (char c : root) path[n++] = c;
  // sysctl(8)'s notation: '.' separates components, and a '/' stands for a
  // '.' inside one (an interface name such as eth0.100 in net.ipv4.conf).
  for (char c : name) path[n++] = c == '.' ? '/' : c == '/' ? '.' : c;

  unique_fd fd(::open(path.data(), O_RDONLY | O_CLOEXEC));
  if (!fd) return fail(error::from_errno(errno, "read_sysctl", "sysctl").with_input(name));
  std::array<char, 64> buf{};
  auto got = ::read(fd.get(), buf.data(), buf.size());
  if (got < 0) return fail(error::from_errno(errno, "read_sysctl", "sysctl").with_input(name));

  const char* first = buf.data();
  const char* last = buf.data() + got;
  while (last > first && (last[-1] == '\n' || last[-1] == ' ' || last[-1] == '\t')) --last;
  std::int64_t value = 0;
  auto [ptr, ec] = std::from_chars(first, last, value);
  if (ec != std::errc() || ptr != last || first == last) {
    return fail(error(errc::value_out_of_range, "read_sysctl", "sysctl")
                    .with_input(name)
                    .with_hint("the sysctl does not hold a single integer"));
  }
  return value;
}

}  // namespace mcnet::core
