// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The mcnet authors
#pragma once

// A counting allocator: every test executable replaces the global operator
// new, so a test can prove that a piece of code allocates nothing.
//
//   mcnet::test::allocation_scope scope;
//   do_work();
//   EXPECT_EQ(scope.count(), 0u);

#include <cstddef>

namespace mcnet::test {

/// Allocations made by the calling thread so far.
std::size_t allocations_on_this_thread() noexcept;

class allocation_scope {
 public:
  allocation_scope() noexcept : start_(allocations_on_this_thread()) {}
  /// Allocations made by this thread since the scope began.
  [[nodiscard]] std::size_t count() const noexcept { return allocations_on_this_thread() - start_; }

 private:
  std::size_t start_;
};

}  // namespace mcnet::test
