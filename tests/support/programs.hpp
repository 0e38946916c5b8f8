// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The mcnet authors
#pragma once

// Programs that are not ours (iperf2, python3, tshark, ffmpeg, GStreamer),
// which the interop tests run against mcnet. scripts/setup.sh installs them;
// a test whose program is missing skips with the package to install. CI sets
// MCNET_REQUIRE_INTEROP=1, which turns such a skip into a failure: an interop
// test that silently skipped there would prove nothing.

#include <gtest/gtest.h>

#include <string>

namespace mcnet::test {
/// The path of `name` in PATH, or empty.
[[nodiscard]] std::string find_program(const std::string& name);
/// Whether MCNET_REQUIRE_INTEROP is set to a non-empty value other than 0.
[[nodiscard]] bool interop_required();
}  // namespace mcnet::test

/// Set `var` (a std::string) to the path of `program`, or skip the test
/// naming the Debian `package` (fail when MCNET_REQUIRE_INTEROP is set).
#define MCNET_REQUIRE_PROGRAM(var, program, package)                                                \
  const std::string var = ::mcnet::test::find_program(program);                                     \
  do {                                                                                              \
    if (var.empty()) {                                                                              \
      if (::mcnet::test::interop_required()) {                                                      \
        FAIL() << "MCNET_REQUIRE_INTEROP is set but " << (program) << " is not installed (Debian "  \
               << (package) << ", installed by scripts/setup.sh)";                                  \
      }                                                                                             \
      GTEST_SKIP() << (program) << " is not installed (Debian " << (package)                        \
                   << "; scripts/setup.sh installs it)";                                            \
    }                                                                                               \
  } while (false)
