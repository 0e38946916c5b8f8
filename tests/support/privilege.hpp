// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The mcnet authors
#pragma once

// Tests that need network namespaces start with MCNET_REQUIRE_NETNS(). Without
// the privilege they skip with the reason, never falling back to the host's
// network. CI runs as root and sets MCNET_REQUIRE_PRIVILEGED=1, which turns
// such a skip into a failure: a privileged test that silently skipped there
// would be a test that never ran.

#include <gtest/gtest.h>

#include <string>

#include "netns.hpp"

namespace mcnet::test {
/// Whether MCNET_REQUIRE_PRIVILEGED is set to a non-empty value other than 0.
bool privileged_required();
}  // namespace mcnet::test

#define MCNET_REQUIRE_NETNS()                                                                          \
  do {                                                                                                 \
    std::string mcnet_why_;                                                                            \
    if (!::mcnet::test::netns_available(&mcnet_why_)) {                                                \
      if (::mcnet::test::privileged_required()) {                                                      \
        FAIL() << "MCNET_REQUIRE_PRIVILEGED is set but network namespaces are unavailable: "           \
               << mcnet_why_;                                                                          \
      }                                                                                                \
      GTEST_SKIP() << "needs network namespaces (run as root); not falling back to the host network: " \
                   << mcnet_why_;                                                                      \
    }                                                                                                  \
  } while (false)

// Tests that need a multicast router between namespaces (smcrouted) start
// with MCNET_REQUIRE_MULTICAST_ROUTING(ipv6) after MCNET_REQUIRE_NETNS(). A
// kernel built without multicast routing cannot run them on any account, as
// a kernel without SCTP cannot run the SCTP tests: they skip with the reason,
// also when MCNET_REQUIRE_PRIVILEGED is set (that is about privilege, and
// the privilege is there).
#define MCNET_REQUIRE_MULTICAST_ROUTING(ipv6)                              \
  do {                                                                     \
    std::string mcnet_why_;                                                \
    if (!::mcnet::test::multicast_routing_available((ipv6), &mcnet_why_)) { \
      GTEST_SKIP() << mcnet_why_;                                          \
    }                                                                      \
  } while (false)
