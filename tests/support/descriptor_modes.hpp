// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The mcnet authors
#pragma once

// What an accepted socket's descriptor must be: close-on-exec always
// (SOCK_CLOEXEC), nonblocking exactly when asked (SOCK_NONBLOCK).

#include <fcntl.h>
#include <gtest/gtest.h>

namespace mcnet::test {

inline void expect_accepted_modes(int fd, bool nonblocking) {
  const int fd_flags = ::fcntl(fd, F_GETFD);
  ASSERT_GE(fd_flags, 0);
  EXPECT_NE(fd_flags & FD_CLOEXEC, 0) << "nonblocking " << nonblocking;
  const int fl = ::fcntl(fd, F_GETFL);
  ASSERT_GE(fl, 0);
  EXPECT_EQ((fl & O_NONBLOCK) != 0, nonblocking);
}

}  // namespace mcnet::test
