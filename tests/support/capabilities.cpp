// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The mcnet authors
#include "capabilities.hpp"

#include <linux/capability.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <string>

#include "netns.hpp"

namespace mcnet::test {

void drop_capabilities_on_this_thread(std::initializer_list<int> capabilities) {
  __user_cap_header_struct header{_LINUX_CAPABILITY_VERSION_3, 0};
  __user_cap_data_struct data[_LINUX_CAPABILITY_U32S_3]{};
  if (::syscall(SYS_capget, &header, data) != 0) {
    throw harness_error(std::string("capget: ") + std::strerror(errno));
  }
  for (int cap : capabilities) {
    const auto word = static_cast<unsigned>(cap) / 32;
    const auto bit = 1u << (static_cast<unsigned>(cap) % 32);
    data[word].effective &= ~bit;
    data[word].permitted &= ~bit;
    data[word].inheritable &= ~bit;
  }
  header.pid = 0;  // this thread
  if (::syscall(SYS_capset, &header, data) != 0) {
    throw harness_error(std::string("capset: ") + std::strerror(errno));
  }
}

}  // namespace mcnet::test
