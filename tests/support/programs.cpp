// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The mcnet authors

#include "programs.hpp"

#include <unistd.h>

#include <cstdlib>
#include <sstream>

namespace mcnet::test {

std::string find_program(const std::string& name) {
  const char* path = std::getenv("PATH");
  std::istringstream dirs(path != nullptr ? path : "/usr/bin:/bin");
  std::string dir;
  while (std::getline(dirs, dir, ':')) {
    const auto candidate = (dir.empty() ? std::string(".") : dir) + "/" + name;
    if (::access(candidate.c_str(), X_OK) == 0) return candidate;
  }
  return {};
}

bool interop_required() {
  const char* v = std::getenv("MCNET_REQUIRE_INTEROP");
  return v != nullptr && *v != '\0' && std::string(v) != "0";
}

}  // namespace mcnet::test
