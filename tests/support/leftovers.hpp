// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The mcnet authors
#pragma once

#include <set>
#include <string>

namespace mcnet::test {

/// What a test could leave behind, as seen from this process.
struct inventory {
  std::set<std::string> links;          ///< interface names in the caller's namespace
  std::set<unsigned long> namespaces;   ///< net namespace inodes held by our fds and children
  std::set<int> children;               ///< pids of our child processes
};

inventory take_inventory();

}  // namespace mcnet::test
