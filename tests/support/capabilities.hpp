// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The mcnet authors
#pragma once

// Capabilities are per thread on Linux: a test can drop CAP_NET_ADMIN on the
// thread that netns::run starts and see what an unprivileged user sees,
// without affecting the rest of the process.

#include <initializer_list>

namespace mcnet::test {

/// Remove these capabilities (CAP_NET_ADMIN, CAP_NET_RAW, ...) from the
/// effective, permitted and inheritable sets of the calling thread, for good.
/// Throws harness_error on failure.
void drop_capabilities_on_this_thread(std::initializer_list<int> capabilities);

}  // namespace mcnet::test
