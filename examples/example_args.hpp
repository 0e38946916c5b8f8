// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The mcnet authors
#pragma once

// What the multicast sender and receiver examples share: reading their
// numeric arguments and reporting an mcnet error.

#include <charconv>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <system_error>

#include <mcnet/core/error.hpp>

namespace example {

/// A non-negative number argument, or `fallback` when absent; anything else
/// ends the program with exit status 2.
inline int number(const char* text, int fallback) {
  if (text == nullptr) return fallback;
  int v = 0;
  auto [p, ec] = std::from_chars(text, text + std::strlen(text), v);
  if (ec != std::errc() || *p != '\0' || v < 0) {
    std::fprintf(stderr, "not a non-negative number: %s\n", text);
    std::exit(2);
  }
  return v;
}

/// Print `e` after the program's name; returns the exit status 1. (Named
/// `die`, not `fail`: mcnet::fail is found by argument-dependent lookup.)
inline int die(const char* program, const mcnet::error& e) {
  std::fprintf(stderr, "%s: %s\n", program, e.message().c_str());
  return 1;
}

}  // namespace example
