// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The mcnet authors
#pragma once

// The kernel's own view of source filters, from /proc/thread-self/net
// (/proc/net follows the process's main thread; call these inside
// netns::run so that they read the host's namespace).

#include <cstdint>
#include <ostream>
#include <vector>

#include <mcnet/core/ip_address.hpp>

namespace mcnet::test {

/// One row of /proc/net/mcfilter or mcfilter6: a (group, source) the kernel
/// filters on an interface, and how many sockets include or exclude it.
struct mcfilter_row {
  std::uint32_t ifindex = 0;
  core::ip_address group{};
  core::ip_address source{};
  int include = 0;
  int exclude = 0;
  bool operator==(const mcfilter_row&) const = default;
};

std::ostream& operator<<(std::ostream& os, const mcfilter_row& r);

/// /proc/thread-self/net/mcfilter (IPv4).
std::vector<mcfilter_row> read_mcfilter();
/// /proc/thread-self/net/mcfilter6 (IPv6).
std::vector<mcfilter_row> read_mcfilter6();

}  // namespace mcnet::test
